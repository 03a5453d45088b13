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

// TestLabourMinorUnitsMatchDecimal checks the minor-unit paths of
// isInteger, asCredits and sameValue against the decimals they stand for,
// in hours, credits and money, up to and beyond the int64 range.
func TestLabourMinorUnitsMatchDecimal(t *testing.T) {
	values := []string{"0", "1", "-1", "4", "4.00", "3.5", "0.05", "-12.34", "100", "99999999999999.99", "9999999999999999",
		"99999999999999999", "100000000000000000", "123456789012345678901234.5", "-999999999999999999999999999999"}
	var amounts []coprod.Amount
	for _, v := range values {
		for _, u := range []coprod.Unit{coprod.Hours, coprod.Credits, coprod.GBP} {
			if a, err := coprod.ParseAmount(v, u); err == nil {
				amounts = append(amounts, a)
			}
		}
	}
	for _, a := range amounts {
		if got, want := isInteger(a), a.Decimal().IsInteger(); got != want {
			t.Errorf("isInteger(%s) = %v, want %v", a, got, want)
		}
		got, gotErr := asCredits(a)
		want, wantErr := coprod.NewAmount(a.Decimal(), coprod.Credits)
		if (gotErr == nil) != (wantErr == nil) || !got.Equal(want) {
			t.Errorf("asCredits(%s) = %v, %v; want %v, %v", a, got, gotErr, want, wantErr)
		}
		for _, b := range amounts {
			if got, want := sameValue(a, b), a.Decimal().Equal(b.Decimal()); got != want {
				t.Errorf("sameValue(%s, %s) = %v, want %v", a, b, got, want)
			}
		}
	}
}
