package ledger_test

import (
	"math/big"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var allocateTests = []struct {
	name    string
	total   string
	weights []int64
	mode    ledger.Mode
	want    []string
	rem     string
}{
	{"zero weight gets zero", "0.05", []int64{0, 7, 3}, ledger.LargestRemainder, []string{"0.00", "0.04", "0.01"}, "0.00"},
	{"three quarters", "99.99", []int64{75, 25}, ledger.LargestRemainder, []string{"74.99", "25.00"}, "0.00"},
	{"larger remainder wins", "10.03", []int64{49, 51}, ledger.LargestRemainder, []string{"4.91", "5.12"}, "0.00"},
	{"ties go to the earlier part", "100.00", []int64{1, 1, 1}, ledger.LargestRemainder, []string{"33.34", "33.33", "33.33"}, "0.00"},
	{"negative mirrors positive", "-100.00", []int64{1, 1, 1}, ledger.LargestRemainder, []string{"-33.34", "-33.33", "-33.33"}, "0.00"},
	{"zero total", "0", []int64{1, 2}, ledger.LargestRemainder, []string{"0.00", "0.00"}, "0.00"},
	{"single part", "12.34", []int64{5}, ledger.LargestRemainder, []string{"12.34"}, "0.00"},
	{"to first", "100.00", []int64{0, 1, 1, 1}, ledger.ToFirst, []string{"0.00", "33.34", "33.33", "33.33"}, "0.00"},
	{"to first takes all pennies", "0.05", []int64{1, 1, 1, 1, 1, 1}, ledger.ToFirst, []string{"0.05", "0.00", "0.00", "0.00", "0.00", "0.00"}, "0.00"},
	{"remainder kept separate", "100.00", []int64{1, 1, 1}, ledger.KeepRemainder, []string{"33.33", "33.33", "33.33"}, "0.01"},
	{"remainder kept separate, negative", "-0.05", []int64{1, 1}, ledger.KeepRemainder, []string{"-0.02", "-0.02"}, "-0.01"},
	{"huge weights fall back to exact arithmetic", "100.00", []int64{1 << 62, 1 << 62, 1 << 62}, ledger.LargestRemainder, []string{"33.34", "33.33", "33.33"}, "0.00"},
	{"huge total", "999999999999999999999999999999.99", []int64{1, 2}, ledger.LargestRemainder, []string{"333333333333333333333333333333.33", "666666666666666666666666666666.66"}, "0.00"},
}

func TestAllocate(t *testing.T) {
	for _, tt := range allocateTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ledger.Allocate(gbp(tt.total), tt.weights, tt.mode)
			require.NoError(t, err)
			var parts []string
			for _, p := range got.Parts {
				parts = append(parts, p.Value())
			}
			assert.Equal(t, tt.want, parts)
			assert.Equal(t, tt.rem, got.Remainder.Value())
			checkAllocation(t, gbp(tt.total), tt.weights, tt.mode, got)
		})
	}
}

func TestAllocateRefusals(t *testing.T) {
	for name, tc := range map[string]struct {
		total   coprod.Amount
		weights []int64
		mode    ledger.Mode
	}{
		"no weights":      {gbp("1"), nil, ledger.LargestRemainder},
		"negative weight": {gbp("1"), []int64{1, -1}, ledger.LargestRemainder},
		"all zero":        {gbp("1"), []int64{0, 0}, ledger.LargestRemainder},
		"unknown mode":    {gbp("1"), []int64{1}, ledger.Mode(9)},
		"zero amount":     {coprod.Amount{}, []int64{1}, ledger.LargestRemainder},
		"too many":        {gbp("1"), make([]int64, ledger.MaxAllocationParts+1), ledger.LargestRemainder},
	} {
		_, err := ledger.Allocate(tc.total, tc.weights, tc.mode)
		assert.ErrorIs(t, err, ledger.ErrAllocation, name)
	}
}

// checkAllocation asserts the properties every allocation has: parts plus
// remainder equal the total exactly, zero weights get zero, each part is
// within one minor unit of its exact share (except where ToFirst piles the
// leftover), and all parts carry the total's sign and unit.
func checkAllocation(t testing.TB, total coprod.Amount, weights []int64, mode ledger.Mode, got ledger.Allocation) {
	t.Helper()
	sumW := new(big.Int)
	for _, w := range weights {
		sumW.Add(sumW, big.NewInt(w))
	}
	minor := total.Decimal().Coefficient()
	if len(got.Parts) != len(weights) {
		t.Fatalf("%d parts for %d weights", len(got.Parts), len(weights))
	}
	sum := got.Remainder
	for i, p := range got.Parts {
		if p.Unit() != total.Unit() {
			t.Fatalf("part %d in %s", i, p.Unit())
		}
		if weights[i] == 0 && !p.IsZero() {
			t.Fatalf("zero weight %d got %s", i, p)
		}
		if p.Sign()*total.Sign() < 0 {
			t.Fatalf("part %d has the wrong sign: %s of %s", i, p, total)
		}
		if mode != ledger.ToFirst {
			// |part·Σw − total·w| < Σw: within one minor unit of the exact share.
			diff := new(big.Int).Mul(p.Decimal().Coefficient(), sumW)
			diff.Sub(diff, new(big.Int).Mul(minor, big.NewInt(weights[i])))
			if diff.Abs(diff).Cmp(sumW) >= 0 {
				t.Fatalf("part %d = %s is a minor unit or more from its share of %s", i, p, total)
			}
		}
		var err error
		if sum, err = sum.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	if !sum.Equal(total) {
		t.Fatalf("parts sum to %s, total %s", sum, total)
	}
}

func FuzzAllocate(f *testing.F) {
	for _, tt := range allocateTests {
		if len(tt.weights) >= 3 {
			f.Add(tt.total, tt.weights[0], tt.weights[1], tt.weights[2], uint8(tt.mode), uint8(len(tt.weights)))
		}
	}
	f.Fuzz(func(t *testing.T, total string, w0, w1, w2 int64, mode, n uint8) {
		amount, err := coprod.ParseAmount(total, coprod.GBP)
		if err != nil {
			return
		}
		weights := []int64{w0, w1, w2}[:1+int(n)%3]
		got, err := ledger.Allocate(amount, weights, ledger.Mode(mode%3))
		if err != nil {
			return
		}
		checkAllocation(t, amount, weights, ledger.Mode(mode%3), got)
		// Mirror: the negated total gives the negated parts.
		neg, err := ledger.Allocate(amount.Neg(), weights, ledger.Mode(mode%3))
		if err != nil {
			t.Fatal(err)
		}
		for i := range got.Parts {
			if !neg.Parts[i].Equal(got.Parts[i].Neg()) {
				t.Fatalf("part %d: %s vs %s", i, neg.Parts[i], got.Parts[i])
			}
		}
	})
}
