package coprod

import (
	"testing"

	"github.com/shopspring/decimal"
)

// TestAttackTrailingZerosAtTenToTheFifteen: a value whose coefficient is
// exactly 10^15 was counted as having 15 digits (decimal.NumDigits takes
// a float logarithm below 2^53, and log10(10^15) rounds down), so that
// "0.01" followed by fifteen zeros was refused as too precise while the
// same value with one zero fewer or more was accepted. Trailing zeros
// beyond the scale are documented as accepted.
func TestAttackTrailingZerosAtTenToTheFifteen(t *testing.T) {
	for _, c := range []struct {
		s    string
		u    Unit
		want string
	}{
		{"0.01000000000000000", GBP, "0.01"},
		{"-0.01000000000000000", GBP, "-0.01"},
		{"1000000000000000e-17", GBP, "0.01"},
		{"1.000000000000000", Credits, "1"},
		{"0.1000000000000000", Credits, "0"}, // refused: 0.1 is too precise
	} {
		a, err := ParseAmount(c.s, c.u)
		if c.s == "0.1000000000000000" {
			if err == nil {
				t.Errorf("ParseAmount(%q, %s) = %s, want an error", c.s, c.u, a)
			}
			continue
		}
		if err != nil || a.Value() != c.want {
			t.Errorf("ParseAmount(%q, %s) = %v, %v; want %s", c.s, c.u, a, err, c.want)
		}
	}
	if a, err := NewAmount(decimal.New(1_000_000_000_000_000, -17), GBP); err != nil || a.Value() != "0.01" {
		t.Errorf("NewAmount(10^15 e-17) = %v, %v", a, err)
	}
	// Exact digit counts at every power of ten and either side of it.
	for k := int32(0); k < 40; k++ {
		p := decimal.New(1, k).BigInt()
		for _, d := range []int64{-1, 0, 1} {
			c := decimal.NewFromBigInt(p, 0).Add(decimal.New(d, 0))
			if c.Sign() <= 0 {
				continue
			}
			if got, want := numDigits(c), len(c.BigInt().String()); got != want {
				t.Errorf("numDigits(%s) = %d, want %d", c, got, want)
			}
			if got, want := numDigits(c.Neg()), len(c.BigInt().String()); got != want {
				t.Errorf("numDigits(-%s) = %d, want %d", c, got, want)
			}
		}
	}
}
