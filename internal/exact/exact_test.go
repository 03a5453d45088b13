package exact

import (
	"math"
	"testing"

	"github.com/coprod/coprod"
	"github.com/shopspring/decimal"
)

func gbp(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.GBP) }

// TestSumWidensExactly adds past int64 and back: the total stays exact,
// and a total past coprod.MaxIntegerDigits is refused, leaving it as it
// was.
func TestSumWidensExactly(t *testing.T) {
	s := New(coprod.GBP)
	big := gbp("9000000000000000.00") // 9·10^17 pence: small, close to the edge
	want := decimal.Zero
	for range 12 { // past 2^63 pence
		if err := s.Add(big); err != nil {
			t.Fatal(err)
		}
		want = want.Add(big.Decimal())
	}
	if got, err := s.Amount(); err != nil || !got.Decimal().Equal(want) {
		t.Fatalf("total %s, %v; want %s", got, err, want)
	}
	if err := s.Add(big.Neg()); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Amount(); !got.Decimal().Equal(want.Sub(big.Decimal())) {
		t.Fatalf("after subtracting: %s", got)
	}
	huge := gbp("999999999999999999999999999999")
	before, _ := s.Amount()
	if err := s.Add(huge); err == nil {
		t.Fatal("a total past 10^30 was accepted")
	}
	if got, _ := s.Amount(); !got.Equal(before) {
		t.Fatalf("the refused add changed the total from %s to %s", before, got)
	}
}

// TestSumUnits refuses an amount of another unit through AddAmount and
// compares only totals of one unit.
func TestSumUnits(t *testing.T) {
	s := Of(gbp("1.00"))
	if err := s.AddAmount(coprod.MustParseAmount("1", coprod.Hours)); err == nil {
		t.Fatal("hours added to pounds")
	}
	if _, err := s.Cmp(New(coprod.Hours)); err == nil {
		t.Fatal("pounds compared with hours")
	}
	if c, err := s.Cmp(Minor(coprod.GBP, 99)); err != nil || c != 1 {
		t.Fatalf("1.00 against 0.99: %d, %v", c, err)
	}
}

// TestSettle moves the smaller of a payer's debt and a payee's credit,
// in int64 and at the edge where negating the payer would overflow.
func TestSettle(t *testing.T) {
	payer, payee := Minor(coprod.GBP, -500), Minor(coprod.GBP, 300)
	moved, err := payer.Settle(&payee)
	if err != nil || moved.small != 300 || payer.small != -200 || payee.small != 0 {
		t.Fatalf("moved %v, payer %v, payee %v, %v", moved, payer, payee, err)
	}
	payer, payee = Minor(coprod.GBP, math.MinInt64), Minor(coprod.GBP, 1)
	moved, err = payer.Settle(&payee)
	if err != nil || moved.Sign() != 1 || !payee.IsZero() {
		t.Fatalf("at MinInt64: moved %v, payee %v, %v", moved, payee, err)
	}
}

// TestAmountOfAnInt64Total: a total held in minor units converts to the
// amount NewAmount makes of its decimal, across the int64 range and the
// units' scales.
func TestAmountOfAnInt64Total(t *testing.T) {
	for _, u := range []coprod.Unit{coprod.GBP, coprod.Hours, coprod.Credits} {
		for _, v := range []int64{0, 1, -1, 1234, -99, 999_999_999_999_999_999, 1_000_000_000_000_000_000, -1_000_000_000_000_000_000, math.MaxInt64, math.MinInt64} {
			got, err := Minor(u, v).Amount()
			want, wantErr := coprod.NewAmount(decimal.New(v, -u.Scale()), u)
			if err != nil || wantErr != nil || !got.Equal(want) || got.String() != want.String() {
				t.Errorf("%d %s: got %v, %v; want %v, %v", v, u, got, err, want, wantErr)
			}
		}
	}
	if _, err := (Sum{}).Amount(); err == nil {
		t.Error("a total with no unit converted")
	}
}
