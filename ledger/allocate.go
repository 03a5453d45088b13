package ledger

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"

	"github.com/coprod/coprod"
	"github.com/shopspring/decimal"
)

// MaxAllocationParts bounds the weights Allocate takes.
const MaxAllocationParts = 100_000

// Mode says where the minor units (pennies) that do not divide evenly go.
type Mode int

// Allocation modes. Append only.
const (
	// LargestRemainder gives the leftover units one each to the parts with
	// the largest remainders, ties to the earlier part. The default.
	LargestRemainder Mode = iota
	// ToFirst gives every leftover unit to the first part with a non-zero
	// weight.
	ToFirst
	// KeepRemainder rounds every part down and returns the leftover units
	// separately, for the caller to place.
	KeepRemainder
)

// String returns the mode's name.
func (m Mode) String() string {
	switch m {
	case LargestRemainder:
		return "largest-remainder"
	case ToFirst:
		return "to-first"
	case KeepRemainder:
		return "keep-remainder"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Allocation is the result of Allocate: one part per weight and, in
// KeepRemainder mode, the leftover. Parts plus Remainder equal the total
// exactly.
type Allocation struct {
	Parts     []coprod.Amount
	Remainder coprod.Amount
}

// Allocate splits total in proportion to weights without losing a penny:
// each part is total × weight ÷ Σweights rounded down to the unit's scale,
// and the leftover minor units are placed according to mode. A zero weight
// gets zero. A negative total is split as its absolute value and every
// part negated, so allocation mirrors exactly. Weights are whole numbers;
// scale fractional weights (hours × 100, say) before calling.
//
// It is deterministic: the same input gives the same parts in every run.
func Allocate(total coprod.Amount, weights []int64, mode Mode) (Allocation, error) {
	if !total.IsSet() {
		return Allocation{}, fmt.Errorf("%w: total is the zero Amount", ErrAllocation)
	}
	if mode < LargestRemainder || mode > KeepRemainder {
		return Allocation{}, fmt.Errorf("%w: unknown mode %d", ErrAllocation, int(mode))
	}
	if len(weights) == 0 || len(weights) > MaxAllocationParts {
		return Allocation{}, fmt.Errorf("%w: %d weights, want 1 to %d", ErrAllocation, len(weights), MaxAllocationParts)
	}
	var sum uint64
	fast := true
	for i, w := range weights {
		if w < 0 {
			return Allocation{}, fmt.Errorf("%w: weight %d is negative", ErrAllocation, i)
		}
		var carry uint64
		sum, carry = bits.Add64(sum, uint64(w), 0)
		if carry != 0 || sum > math.MaxInt64 {
			fast = false
		}
	}
	if sum == 0 && fast {
		return Allocation{}, fmt.Errorf("%w: every weight is zero", ErrAllocation)
	}
	d := total.Decimal()
	// Canonical amounts sit at their unit's scale, so the coefficient is
	// the total in minor units.
	if fast && d.NumDigits() <= 18 {
		return allocateInt64(total.Unit(), d.CoefficientInt64(), weights, sum, mode)
	}
	return allocateBig(total, weights, mode)
}

// allocateInt64 is the fast path: totals of up to 18 digits and weights
// summing within int64, with 128-bit products so nothing overflows.
func allocateInt64(unit coprod.Unit, total int64, weights []int64, sum uint64, mode Mode) (Allocation, error) {
	sign := int64(1)
	if total < 0 {
		sign, total = -1, -total
	}
	parts := make([]int64, len(weights))
	var rems []uint64
	if mode == LargestRemainder {
		rems = make([]uint64, len(weights))
	}
	var floor int64
	for i, w := range weights {
		hi, lo := bits.Mul64(uint64(total), uint64(w))
		q, r := bits.Div64(hi, lo, sum) // q ≤ total, so hi < sum
		parts[i] = int64(q)
		floor += int64(q)
		if rems != nil {
			rems[i] = r
		}
	}
	left := total - floor
	remainder := int64(0)
	switch mode {
	case LargestRemainder:
		if left > 0 {
			// The left-th largest remainder is the threshold: every part
			// above it gets a unit, and the earliest parts exactly at it
			// get the rest.
			sorted := slices.Clone(rems)
			slices.Sort(sorted)
			threshold := sorted[len(sorted)-int(left)]
			for i, r := range rems {
				if r > threshold {
					parts[i]++
					left--
				}
			}
			for i, r := range rems {
				if left == 0 {
					break
				}
				if r == threshold {
					parts[i]++
					left--
				}
			}
		}
	case ToFirst:
		parts[firstNonZero(weights)] += left
	case KeepRemainder:
		remainder = left
	}
	out := Allocation{Parts: make([]coprod.Amount, len(parts))}
	for i, p := range parts {
		a, err := coprod.FromMinor(sign*p, unit)
		if err != nil {
			return Allocation{}, err
		}
		out.Parts[i] = a
	}
	r, err := coprod.FromMinor(sign*remainder, unit)
	if err != nil {
		return Allocation{}, err
	}
	out.Remainder = r
	return out, nil
}

func firstNonZero(weights []int64) int {
	for i, w := range weights {
		if w != 0 {
			return i
		}
	}
	return 0
}

// allocateBig is the exact reference: the same rules in big.Int
// arithmetic, for totals or weight sums beyond int64. Tests hold the fast
// path to it.
func allocateBig(total coprod.Amount, weights []int64, mode Mode) (Allocation, error) {
	unit := total.Unit()
	coef := total.Decimal().Coefficient()
	neg := coef.Sign() < 0
	coef.Abs(coef)
	sum := new(big.Int)
	for _, w := range weights {
		sum.Add(sum, big.NewInt(w))
	}
	if sum.Sign() == 0 {
		return Allocation{}, fmt.Errorf("%w: every weight is zero", ErrAllocation)
	}
	parts := make([]*big.Int, len(weights))
	rems := make([]*big.Int, len(weights))
	floor := new(big.Int)
	for i, w := range weights {
		p := new(big.Int).Mul(coef, big.NewInt(w))
		q, r := new(big.Int).QuoRem(p, sum, new(big.Int))
		parts[i], rems[i] = q, r
		floor.Add(floor, q)
	}
	left := new(big.Int).Sub(coef, floor)
	remainder := new(big.Int)
	switch mode {
	case LargestRemainder:
		order := make([]int, len(weights))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return rems[b].Cmp(rems[a]) })
		for _, i := range order[:left.Int64()] { // left < len(weights)
			parts[i].Add(parts[i], big.NewInt(1))
		}
	case ToFirst:
		i := firstNonZero(weights)
		parts[i].Add(parts[i], left)
	case KeepRemainder:
		remainder = left
	}
	out := Allocation{Parts: make([]coprod.Amount, len(parts))}
	toAmount := func(v *big.Int) (coprod.Amount, error) {
		if neg {
			v = new(big.Int).Neg(v)
		}
		return coprod.NewAmount(decimal.NewFromBigInt(v, -unit.Scale()), unit)
	}
	for i, p := range parts {
		a, err := toAmount(p)
		if err != nil {
			return Allocation{}, err
		}
		out.Parts[i] = a
	}
	r, err := toAmount(remainder)
	if err != nil {
		return Allocation{}, err
	}
	out.Remainder = r
	return out, nil
}
