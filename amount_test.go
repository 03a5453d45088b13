package coprod_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/coprod/coprod"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var parseAmountTests = []struct {
	name string
	in   string
	unit coprod.Unit
	want string // canonical String(), when err is nil
	err  error
}{
	{"integer pounds", "12", coprod.GBP, "12.00 GBP", nil},
	{"pence", "12.5", coprod.GBP, "12.50 GBP", nil},
	{"negative", "-0.01", coprod.GBP, "-0.01 GBP", nil},
	{"plus sign", "+3.10", coprod.GBP, "3.10 GBP", nil},
	{"leading dot", ".5", coprod.Hours, "0.50 hours", nil},
	{"trailing dot", "7.", coprod.Hours, "7.00 hours", nil},
	{"trailing zeros beyond scale", "1.2300", coprod.GBP, "1.23 GBP", nil},
	{"exponent", "1.5e2", coprod.GBP, "150.00 GBP", nil},
	{"negative exponent exact", "125e-2", coprod.GBP, "1.25 GBP", nil},
	{"credits", "3", coprod.Credits, "3 credits", nil},
	{"largest magnitude", "999999999999999999999999999999.99", coprod.GBP, "999999999999999999999999999999.99 GBP", nil},
	{"exponent at limit, too large", "1e30", coprod.Credits, "", coprod.ErrOverflow},
	{"exponent at limit, small", "1000000e-30", coprod.Credits, "", coprod.ErrTooPrecise},
	{"overflow by digits", "1000000000000000000000000000000", coprod.GBP, "", coprod.ErrOverflow},
	{"too precise", "1.234", coprod.GBP, "", coprod.ErrTooPrecise},
	{"too precise credits", "1.5", coprod.Credits, "", coprod.ErrTooPrecise},
	{"too precise by exponent", "1e-3", coprod.GBP, "", coprod.ErrTooPrecise},
	{"huge negative exponent", "1e-10000000", coprod.GBP, "", coprod.ErrExponentRange},
	{"huge positive exponent", "1e99999999999999999999", coprod.GBP, "", coprod.ErrExponentRange},
	{"exponent just over", "1e31", coprod.GBP, "", coprod.ErrExponentRange},
	{"too long", strings.Repeat("1", coprod.MaxAmountLen+1), coprod.GBP, "", coprod.ErrAmountTooLong},
	{"NaN", "NaN", coprod.GBP, "", coprod.ErrNotFinite},
	{"Inf", "-Inf", coprod.GBP, "", coprod.ErrNotFinite},
	{"Infinity", "Infinity", coprod.GBP, "", coprod.ErrNotFinite},
	{"empty", "", coprod.GBP, "", coprod.ErrAmountSyntax},
	{"sign only", "-", coprod.GBP, "", coprod.ErrAmountSyntax},
	{"two dots", "1.2.3", coprod.GBP, "", coprod.ErrAmountSyntax},
	{"comma", "1,000", coprod.GBP, "", coprod.ErrAmountSyntax},
	{"space", " 1", coprod.GBP, "", coprod.ErrAmountSyntax},
	{"underscore", "1_000", coprod.GBP, "", coprod.ErrAmountSyntax},
	{"hex", "0x10", coprod.GBP, "", coprod.ErrAmountSyntax},
	{"dangling exponent", "1e", coprod.GBP, "", coprod.ErrAmountSyntax},
	{"exponent sign only", "1e+", coprod.GBP, "", coprod.ErrAmountSyntax},
	{"currency symbol", "£5", coprod.GBP, "", coprod.ErrAmountSyntax},
	{"unknown unit", "5", coprod.Unit("EUR"), "", coprod.ErrUnknownUnit},
	{"zero unit", "5", coprod.Unit(""), "", coprod.ErrUnknownUnit},
}

func TestParseAmount(t *testing.T) {
	for _, tt := range parseAmountTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := coprod.ParseAmount(tt.in, tt.unit)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				assert.False(t, got.IsSet(), "a refused parse returns the zero Amount")
				assert.True(t, strings.HasPrefix(err.Error(), "coprod: "), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.String())
			assert.Equal(t, tt.unit, got.Unit())
		})
	}
}

func TestAmountArithmetic(t *testing.T) {
	a := coprod.MustParseAmount("10.05", coprod.GBP)
	b := coprod.MustParseAmount("0.95", coprod.GBP)
	h := coprod.MustParseAmount("1", coprod.Hours)

	sum, err := a.Add(b)
	require.NoError(t, err)
	assert.Equal(t, "11.00 GBP", sum.String())
	assert.True(t, sum.Equal(coprod.MustParseAmount("11", coprod.GBP)))

	diff, err := b.Sub(a)
	require.NoError(t, err)
	assert.Equal(t, "-9.10 GBP", diff.String())
	assert.True(t, diff.IsNegative())
	assert.Equal(t, "9.10 GBP", diff.Abs().String())
	assert.Equal(t, "9.10 GBP", diff.Neg().String())

	c, err := a.Cmp(b)
	require.NoError(t, err)
	assert.Equal(t, 1, c)

	_, err = a.Add(h)
	assert.ErrorIs(t, err, coprod.ErrUnitMismatch)
	_, err = a.Sub(h)
	assert.ErrorIs(t, err, coprod.ErrUnitMismatch)
	_, err = a.Cmp(h)
	assert.ErrorIs(t, err, coprod.ErrUnitMismatch)
	big := coprod.MustParseAmount("999999999999999999999999999999.99", coprod.GBP)
	_, err = big.Add(coprod.MustParseAmount("0.01", coprod.GBP))
	assert.ErrorIs(t, err, coprod.ErrOverflow)
	_, err = big.Neg().Sub(coprod.MustParseAmount("0.01", coprod.GBP))
	assert.ErrorIs(t, err, coprod.ErrOverflow)
	_, err = a.Add(coprod.Amount{})
	assert.ErrorIs(t, err, coprod.ErrInvalidAmount)
	assert.False(t, a.Equal(coprod.MustParseAmount("10.05", coprod.Hours)), "same value, other unit")
	assert.True(t, coprod.Amount{}.Equal(coprod.Amount{}))
	assert.Equal(t, "none", coprod.Amount{}.String())
	assert.True(t, coprod.Zero(coprod.Credits).IsZero())
	assert.Equal(t, "0.00 hours", coprod.Zero(coprod.Hours).String())
}

func TestMinor(t *testing.T) {
	for _, tt := range []struct {
		in   string
		unit coprod.Unit
		want int64
		ok   bool
	}{
		{"12.34", coprod.GBP, 1234, true},
		{"-0.01", coprod.GBP, -1, true},
		{"0", coprod.GBP, 0, true},
		{"7", coprod.Credits, 7, true},
		{"9999999999999999.99", coprod.GBP, 999999999999999999, true},
		{"10000000000000000.00", coprod.GBP, 0, false},
	} {
		got, ok := coprod.MustParseAmount(tt.in, tt.unit).Minor()
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
	_, ok := coprod.Amount{}.Minor()
	assert.False(t, ok)

	for _, v := range []int64{0, 1, -1, 1234, math.MaxInt64, math.MinInt64 + 1} {
		for _, u := range []coprod.Unit{coprod.GBP, coprod.Credits} {
			a, err := coprod.FromMinor(v, u)
			require.NoError(t, err)
			back, err := coprod.ParseAmount(a.Value(), u)
			require.NoError(t, err, "every minor amount is a valid amount")
			assert.True(t, back.Equal(a))
		}
	}
	a, _ := coprod.FromMinor(1234, coprod.GBP)
	assert.Equal(t, "12.34 GBP", a.String())
	_, err := coprod.FromMinor(1, "EUR")
	assert.ErrorIs(t, err, coprod.ErrUnknownUnit)
}

func TestNewAmountRefusesRounding(t *testing.T) {
	_, err := coprod.NewAmount(decimal.RequireFromString("0.001"), coprod.GBP)
	require.ErrorIs(t, err, coprod.ErrTooPrecise)
	a, err := coprod.NewAmount(decimal.RequireFromString("2.5"), coprod.Hours)
	require.NoError(t, err)
	assert.Equal(t, "2.50", a.Value())
	assert.True(t, a.Decimal().Equal(decimal.RequireFromString("2.5")))
}

func TestAmountJSON(t *testing.T) {
	a := coprod.MustParseAmount("1250.5", coprod.GBP)
	b, err := json.Marshal(a)
	require.NoError(t, err)
	assert.JSONEq(t, `{"value":"1250.50","unit":"GBP"}`, string(b))
	var back coprod.Amount
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.Equal(a))

	b, err = json.Marshal(coprod.Amount{})
	require.NoError(t, err)
	assert.Equal(t, "null", string(b))

	for name, doc := range map[string]string{
		"too precise":  `{"value":"1.001","unit":"GBP"}`,
		"unknown unit": `{"value":"1","unit":"EUR"}`,
		"no unit":      `{"value":"1"}`,
		"number":       `{"value":1,"unit":"GBP"}`,
		"huge exp":     `{"value":"1e-10000000","unit":"GBP"}`,
	} {
		t.Run(name, func(t *testing.T) {
			var v coprod.Amount
			assert.Error(t, json.Unmarshal([]byte(doc), &v))
			assert.False(t, v.IsSet(), "a refused decode leaves the target unset")
		})
	}
}

// BenchmarkParseAmountHostile shows that hostile exponents are refused
// before any arithmetic.
func BenchmarkParseAmountHostile(b *testing.B) {
	for b.Loop() {
		if _, err := coprod.ParseAmount("1e-10000000", coprod.GBP); !errors.Is(err, coprod.ErrExponentRange) {
			b.Fatal(err)
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, tt := range parseAmountTests {
		f.Add(tt.in, string(tt.unit))
	}
	f.Add("9999999999999999.99", "GBP")
	f.Add("-99999999999999999", "credits")
	f.Add("0000000000000000000000012.5", "hours")
	f.Fuzz(func(t *testing.T, s, unit string) {
		a, err := coprod.ParseAmount(s, coprod.Unit(unit))
		// The int64 fast path and the decimal path agree, on errors too.
		slow, serr := coprod.ParseAmountSlow(s, coprod.Unit(unit))
		if (err == nil) != (serr == nil) || (err == nil && (!slow.Equal(a) || slow.Value() != a.Value())) {
			t.Fatalf("%q %s: fast %v, %v; decimal %v, %v", s, unit, a, err, slow, serr)
		}
		if err != nil {
			if coprod.CodeOf(err) != coprod.CodeOf(serr) {
				t.Fatalf("%q: codes %s and %s", s, coprod.CodeOf(err), coprod.CodeOf(serr))
			}
			return
		}
		// Canonical: reparsing the printed value gives the same amount.
		back, err := coprod.ParseAmount(a.Value(), a.Unit())
		if err != nil {
			t.Fatalf("canonical %q does not reparse: %v", a.Value(), err)
		}
		if !back.Equal(a) || back.Value() != a.Value() {
			t.Fatalf("round trip %q -> %q -> %q", s, a.Value(), back.Value())
		}
		j, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var dec coprod.Amount
		if err := json.Unmarshal(j, &dec); err != nil || !dec.Equal(a) {
			t.Fatalf("json round trip of %s: %v", a, err)
		}
	})
}
