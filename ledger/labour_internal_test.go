package ledger

import (
	"math/rand/v2"
	"testing"

	"github.com/coprod/coprod"
)

// TestTimesMatchesDecimal checks the int64 product of hours and a rate
// against decimal arithmetic rounded half away from zero, across signs,
// the halfway cases and the edge of the int64 path (10^9 minor units).
func TestTimesMatchesDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func() int64 {
		switch rng.IntN(4) {
		case 0:
			return rng.Int64N(2e9) - 1e9 // across the edge of the fast path
		case 1:
			return 50 * (rng.Int64N(41) - 20) // halfway cases: x.x50
		default:
			return rng.Int64N(200_001) - 100_000
		}
	}
	for range 200_000 {
		h, r := pick(), pick()
		hours, _ := coprod.FromMinor(h, coprod.Hours)
		rate, _ := coprod.FromMinor(r, coprod.GBP)
		got, err := times(hours, rate)
		if err != nil {
			t.Fatal(err)
		}
		want := hours.Decimal().Mul(rate.Decimal()).Round(2)
		if !got.Decimal().Equal(want) || got.Unit() != coprod.GBP {
			t.Fatalf("%s × %s = %s, want %s GBP", hours, rate, got, want.StringFixed(2))
		}
	}
}
