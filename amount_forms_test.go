package coprod

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestAmountFormsAgree checks the two forms an amount is held in (int64
// minor units below 10^18, a decimal beyond) against decimal arithmetic,
// across the boundary between them: every result has the value decimal
// arithmetic gives, prints as StringFixed does, and is in its canonical
// form (small exactly when below the boundary), so that Equal and Cmp
// never depend on how a value was reached.
func TestAmountFormsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	boundary := decimal.New(maxSmall, 0)
	near := func() decimal.Decimal {
		switch rng.IntN(5) {
		case 0: // around the boundary, either side
			return boundary.Add(decimal.New(rng.Int64N(2001)-1000, 0)).Mul(decimal.New(int64(1-2*rng.IntN(2)), 0))
		case 1: // beyond int64
			return decimal.New(rng.Int64(), 0).Mul(decimal.New(rng.Int64N(1_000_000_000), 0))
		case 2:
			return decimal.New(rng.Int64()-math.MaxInt64/2, 0)
		default:
			return decimal.New(rng.Int64N(2_000_000)-1_000_000, 0)
		}
	}
	canonical := func(a Amount) {
		t.Helper()
		minor := a.value().Shift(a.unit.Scale())
		if want := minor.Abs().LessThan(boundary); (a.big == nil) != want {
			t.Fatalf("%s held small=%v, want small=%v", a, a.big == nil, want)
		}
		if m, ok := a.Minor(); ok != (a.big == nil) || (ok && !decimal.New(m, 0).Equal(minor)) {
			t.Fatalf("Minor of %s = %d, %v", a, m, ok)
		}
	}
	for _, u := range []Unit{GBP, Hours, Credits} {
		scale := u.Scale()
		for range 20_000 {
			x, y := near().Shift(-scale), near().Shift(-scale)
			a, err := NewAmount(x, u)
			if err != nil {
				t.Fatal(err)
			}
			b, err := NewAmount(y, u)
			if err != nil {
				t.Fatal(err)
			}
			canonical(a)
			canonical(b)
			if got := string(a.AppendValue([]byte("v="))); got != "v="+a.Value() {
				t.Fatalf("AppendValue gives %q, Value %q", got, a.Value())
			}
			if !a.Decimal().Equal(x) || a.Value() != x.StringFixed(scale) || a.String() != x.StringFixed(scale)+" "+string(u) {
				t.Fatalf("%s: value %s, printed %q, want %s", x, a.Decimal(), a.Value(), x.StringFixed(scale))
			}
			sum, err := a.Add(b)
			if err != nil {
				t.Fatal(err)
			}
			diff, err := a.Sub(b)
			if err != nil {
				t.Fatal(err)
			}
			canonical(sum)
			canonical(diff)
			canonical(a.Neg())
			if !sum.Decimal().Equal(x.Add(y)) || !diff.Decimal().Equal(x.Sub(y)) || !a.Neg().Decimal().Equal(x.Neg()) {
				t.Fatalf("%s, %s: sum %s, difference %s", x, y, sum, diff)
			}
			if c, _ := a.Cmp(b); c != x.Cmp(y) || a.Equal(b) != x.Equal(y) {
				t.Fatalf("%s, %s: Cmp %d, Equal %v", x, y, c, a.Equal(b))
			}
			if back, err := ParseAmount(a.Value(), u); err != nil || !back.Equal(a) {
				t.Fatalf("%s does not read back: %v, %v", a, back, err)
			}
		}
	}
}
