package ledger

import (
	"math/rand/v2"
	"testing"

	"github.com/coprod/coprod"
	"github.com/shopspring/decimal"
)

// TestAllocateFastMatchesExact holds the int64 fast path to the big.Int
// reference on random totals, weights and modes.
func TestAllocateFastMatchesExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 20_000 {
		cents := rng.Int64N(1_000_000_000_000) - 500_000_000_000
		if i%3 == 0 {
			cents = rng.Int64N(1000) - 500
		}
		total, err := coprod.NewAmount(decimal.New(cents, -2), coprod.GBP)
		if err != nil {
			t.Fatal(err)
		}
		weights := make([]int64, 1+rng.IntN(12))
		var sum int64
		for j := range weights {
			if rng.IntN(4) > 0 {
				weights[j] = rng.Int64N(1 << (1 + rng.IntN(40)))
			}
			sum += weights[j]
		}
		if sum == 0 {
			weights[0] = 1
			sum = 1
		}
		mode := Mode(rng.IntN(3))
		fast, err := allocateInt64(coprod.GBP, cents, weights, uint64(sum), mode)
		if err != nil {
			t.Fatal(err)
		}
		exact, err := allocateBig(total, weights, mode)
		if err != nil {
			t.Fatal(err)
		}
		for j := range weights {
			if !fast.Parts[j].Equal(exact.Parts[j]) {
				t.Fatalf("total %s weights %v mode %s: part %d fast %s exact %s", total, weights, mode, j, fast.Parts[j], exact.Parts[j])
			}
		}
		if !fast.Remainder.Equal(exact.Remainder) {
			t.Fatalf("remainders differ: %s vs %s", fast.Remainder, exact.Remainder)
		}
	}
}

func FuzzAllocateFastMatchesExact(f *testing.F) {
	f.Add(int64(5), int64(0), int64(7), int64(3), uint8(0))
	f.Add(int64(9999), int64(75), int64(25), int64(0), uint8(1))
	f.Add(int64(-10000), int64(1), int64(1), int64(1), uint8(2))
	f.Fuzz(func(t *testing.T, cents, w0, w1, w2 int64, mode uint8) {
		if cents <= -1e18 || cents >= 1e18 || w0 < 0 || w1 < 0 || w2 < 0 || w0 > 1<<60 || w1 > 1<<60 || w2 > 1<<60 {
			return
		}
		weights := []int64{w0, w1, w2}
		sum := w0 + w1 + w2
		if sum == 0 {
			return
		}
		total, err := coprod.NewAmount(decimal.New(cents, -2), coprod.GBP)
		if err != nil {
			return
		}
		m := Mode(mode % 3)
		fast, err := allocateInt64(coprod.GBP, cents, weights, uint64(sum), m)
		if err != nil {
			t.Fatal(err)
		}
		exact, err := allocateBig(total, weights, m)
		if err != nil {
			t.Fatal(err)
		}
		for j := range weights {
			if !fast.Parts[j].Equal(exact.Parts[j]) {
				t.Fatalf("part %d: fast %s exact %s", j, fast.Parts[j], exact.Parts[j])
			}
		}
	})
}
