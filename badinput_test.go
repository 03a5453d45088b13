package coprod_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/allocs"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noPanic runs f and turns a panic into a test failure, so that one bad
// row cannot hide the rest.
func noPanic(t *testing.T, f func() error) (err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("panic: %v", p)
			err = nil
		}
	}()
	return f()
}

var goodParty = `{"id":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","name":"Council","sector":"statutory"}`

// TestBadInput is the catalogue of inputs every constructor, parser and
// decoder of the package must refuse: with the sentinel named, quickly,
// with a short message, and without a panic. The package's values are
// immutable, so a refusal has no state to change; decoders are checked to
// leave their target as it was.
func TestBadInput(t *testing.T) {
	long := strings.Repeat("9", 1000)
	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"ParseAmount empty", func() error { _, err := coprod.ParseAmount("", coprod.GBP); return err }, coprod.ErrAmountSyntax},
		{"ParseAmount letters", func() error { _, err := coprod.ParseAmount("ten", coprod.GBP); return err }, coprod.ErrAmountSyntax},
		{"ParseAmount NaN", func() error { _, err := coprod.ParseAmount("NaN", coprod.GBP); return err }, coprod.ErrNotFinite},
		{"ParseAmount -Infinity", func() error { _, err := coprod.ParseAmount("-Infinity", coprod.GBP); return err }, coprod.ErrNotFinite},
		{"ParseAmount long", func() error { _, err := coprod.ParseAmount(long, coprod.GBP); return err }, coprod.ErrAmountTooLong},
		{"ParseAmount huge exponent", func() error { _, err := coprod.ParseAmount("1e-10000000", coprod.GBP); return err }, coprod.ErrExponentRange},
		{"ParseAmount exponent 31", func() error { _, err := coprod.ParseAmount("1e31", coprod.GBP); return err }, coprod.ErrExponentRange},
		{"ParseAmount 10^30", func() error { _, err := coprod.ParseAmount("1e30", coprod.GBP); return err }, coprod.ErrOverflow},
		{"ParseAmount 31 digits", func() error { _, err := coprod.ParseAmount("1"+strings.Repeat("0", 30), coprod.Credits); return err }, coprod.ErrOverflow},
		{"ParseAmount -10^30", func() error {
			_, err := coprod.ParseAmount("-1000000000000000000000000000000", coprod.Credits)
			return err
		}, coprod.ErrOverflow},
		{"ParseAmount too precise", func() error { _, err := coprod.ParseAmount("0.001", coprod.GBP); return err }, coprod.ErrTooPrecise},
		{"ParseAmount fraction of a credit", func() error { _, err := coprod.ParseAmount("1.5", coprod.Credits); return err }, coprod.ErrTooPrecise},
		{"ParseAmount unknown unit", func() error { _, err := coprod.ParseAmount("1", "EUR"); return err }, coprod.ErrUnknownUnit},
		{"ParseAmount bad UTF-8", func() error { _, err := coprod.ParseAmount("1\xff", coprod.GBP); return err }, coprod.ErrAmountSyntax},
		{"NewAmount tiny exponent", func() error { _, err := coprod.NewAmount(decimal.New(1, -10000000), coprod.GBP); return err }, coprod.ErrTooPrecise},
		{"NewAmount huge exponent", func() error { _, err := coprod.NewAmount(decimal.New(1, 10000000), coprod.GBP); return err }, coprod.ErrOverflow},
		{"NewAmount min exponent", func() error { _, err := coprod.NewAmount(decimal.New(-1, math.MinInt32), coprod.GBP); return err }, coprod.ErrTooPrecise},
		{"NewAmount max exponent", func() error { _, err := coprod.NewAmount(decimal.New(1, math.MaxInt32), coprod.Hours); return err }, coprod.ErrOverflow},
		{"NewAmount huge coefficient, tiny exponent", func() error {
			_, err := coprod.NewAmount(decimal.RequireFromString("1"+strings.Repeat("0", 200)).Shift(-1000), coprod.GBP)
			return err
		}, coprod.ErrExponentRange},
		{"NewAmount huge coefficient", func() error {
			_, err := coprod.NewAmount(decimal.RequireFromString(strings.Repeat("9", 200)).Shift(-60), coprod.GBP)
			return err
		}, coprod.ErrOverflow},
		{"NewAmount 10^30", func() error { _, err := coprod.NewAmount(decimal.New(1, 30), coprod.Credits); return err }, coprod.ErrOverflow},
		{"NewAmount too precise", func() error { _, err := coprod.NewAmount(decimal.New(1, -3), coprod.GBP); return err }, coprod.ErrTooPrecise},
		{"NewAmount unknown unit", func() error { _, err := coprod.NewAmount(decimal.New(1, 0), "EUR"); return err }, coprod.ErrUnknownUnit},
		{"FromMinor unknown unit", func() error { _, err := coprod.FromMinor(1, ""); return err }, coprod.ErrUnknownUnit},
		{"ParseUnit empty", func() error { _, err := coprod.ParseUnit(""); return err }, coprod.ErrUnknownUnit},
		{"ParseUnit case", func() error { _, err := coprod.ParseUnit("gbp"); return err }, coprod.ErrUnknownUnit},
		{"ParseSector unknown", func() error { _, err := coprod.ParseSector("charity"); return err }, coprod.ErrUnknownSector},
		{"ParseSector bad UTF-8", func() error { _, err := coprod.ParseSector("\xc3"); return err }, coprod.ErrUnknownSector},
		{"Party nil id", func() error { return coprod.Party{Name: "x", Sector: coprod.Hub}.Validate() }, coprod.ErrInvalidParty},
		{"Party empty name", func() error { return coprod.Party{ID: uuid.New(), Sector: coprod.Hub}.Validate() }, coprod.ErrInvalidParty},
		{"Party long name", func() error {
			return coprod.Party{ID: uuid.New(), Name: strings.Repeat("a", coprod.MaxNameLen+1), Sector: coprod.Hub}.Validate()
		}, coprod.ErrInvalidParty},
		{"Party name bad UTF-8", func() error { return coprod.Party{ID: uuid.New(), Name: "Caf\xe9", Sector: coprod.Hub}.Validate() }, coprod.ErrInvalidParty},
		{"Party unknown sector", func() error { return coprod.Party{ID: uuid.New(), Name: "x", Sector: "charity"}.Validate() }, coprod.ErrUnknownSector},
		{"Party JSON unknown field", func() error {
			var p coprod.Party
			return json.Unmarshal([]byte(strings.Replace(goodParty, `"sector"`, `"sektor"`, 1)), &p)
		}, nil},
		{"Party JSON invalid", func() error {
			var p coprod.Party
			return json.Unmarshal([]byte(strings.Replace(goodParty, `"Council"`, `""`, 1)), &p)
		}, coprod.ErrInvalidParty},
		{"Window backwards", func() error {
			return coprod.Window{NotBefore: time.Unix(10, 0), Expires: time.Unix(5, 0)}.Validate()
		}, coprod.ErrInvalidWindow},
		{"Window JSON backwards", func() error {
			var w coprod.Window
			return json.Unmarshal([]byte(`{"not_before":"2026-01-02T00:00:00Z","expires":"2026-01-01T00:00:00Z"}`), &w)
		}, coprod.ErrInvalidWindow},
		{"Window JSON unknown field", func() error {
			var w coprod.Window
			return json.Unmarshal([]byte(`{"not_before":"2026-01-02T00:00:00Z","expiry":"2026-01-01T00:00:00Z"}`), &w)
		}, nil},
		{"Amount JSON number", func() error {
			var a coprod.Amount
			return json.Unmarshal([]byte(`{"value":1.5,"unit":"GBP"}`), &a)
		}, nil},
		{"Amount JSON unknown unit", func() error {
			var a coprod.Amount
			return json.Unmarshal([]byte(`{"value":"1.5","unit":"EUR"}`), &a)
		}, coprod.ErrUnknownUnit},
		{"Amount JSON unknown field", func() error {
			var a coprod.Amount
			return json.Unmarshal([]byte(`{"value":"1.5","unit":"GBP","currency":"EUR"}`), &a)
		}, nil},
		{"Amount JSON missing value", func() error {
			var a coprod.Amount
			return json.Unmarshal([]byte(`{"unit":"GBP"}`), &a)
		}, coprod.ErrAmountSyntax},
		{"Amount JSON overflow", func() error {
			var a coprod.Amount
			return json.Unmarshal([]byte(`{"value":"1e30","unit":"GBP"}`), &a)
		}, coprod.ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			used := allocs.Bytes(func() { err = noPanic(t, tt.call) })
			require.Error(t, err)
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
				assert.NotEmpty(t, coprod.CodeOf(err))
			}
			assert.Less(t, len(err.Error()), 300, "message too long: %.300s", err.Error())
			assert.Less(t, used, uint64(64<<10), "bad input is refused at bounded cost")
			assert.Equal(t, 1, strings.Count(err.Error(), "coprod: "), err.Error())
		})
	}
}

// TestDecodeRefusalKeepsTarget checks that a refused decode leaves its
// target as it was.
func TestDecodeRefusalKeepsTarget(t *testing.T) {
	a := coprod.MustParseAmount("1.50", coprod.GBP)
	require.Error(t, json.Unmarshal([]byte(`{"value":"2","unit":"GBP","x":1}`), &a))
	assert.True(t, a.Equal(coprod.MustParseAmount("1.50", coprod.GBP)))

	w := coprod.Window{NotBefore: time.Unix(0, 0).UTC()}
	require.Error(t, json.Unmarshal([]byte(`{"expires":"2026-01-01T00:00:00Z","x":1}`), &w))
	assert.Equal(t, coprod.Window{NotBefore: time.Unix(0, 0).UTC()}, w)

	var p coprod.Party
	require.NoError(t, json.Unmarshal([]byte(goodParty), &p))
	before := p
	require.Error(t, json.Unmarshal([]byte(`{"id":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","name":"X","sector":"hub","y":1}`), &p))
	assert.Equal(t, before, p)
}

// TestAmountBound checks that code and doc agree on |value| < 10^30 at
// both sides of the boundary.
func TestAmountBound(t *testing.T) {
	nines := strings.Repeat("9", coprod.MaxIntegerDigits)
	tests := []struct {
		name string
		in   string
		unit coprod.Unit
		err  error
	}{
		{"30-digit integer", nines, coprod.Credits, nil},
		{"negative 30-digit integer", "-" + nines, coprod.Credits, nil},
		{"30 digits and pence", nines + ".99", coprod.GBP, nil},
		{"10^30 - 1 in exponent form", "9.99999999999999999999999999999e29", coprod.Credits, nil},
		{"10^30", "1" + strings.Repeat("0", coprod.MaxIntegerDigits), coprod.Credits, coprod.ErrOverflow},
		{"-10^30", "-1e30", coprod.GBP, coprod.ErrOverflow},
		{"10^30 in exponent form", "10e29", coprod.GBP, coprod.ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := coprod.ParseAmount(tt.in, tt.unit)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			// What is accepted can be added to zero and read back.
			back, err := coprod.ParseAmount(a.Value(), tt.unit)
			require.NoError(t, err)
			assert.True(t, back.Equal(a))
		})
	}
	max := coprod.MustParseAmount(nines, coprod.Credits)
	_, err := max.Add(coprod.MustParseAmount("1", coprod.Credits))
	assert.ErrorIs(t, err, coprod.ErrOverflow)
}

// TestNewAmountBoundedCost checks the hostile decimal of the bug report is
// refused at once, without writing out its digits, with a short message.
func TestNewAmountBoundedCost(t *testing.T) {
	hostile := decimal.New(1, -10000000)
	var err error
	used := allocs.Bytes(func() { _, err = coprod.NewAmount(hostile, coprod.GBP) })
	require.ErrorIs(t, err, coprod.ErrTooPrecise)
	assert.Less(t, used, uint64(64<<10), "the ten million digits are never written out")
	assert.Less(t, len(err.Error()), 200, err.Error())

	z, err := coprod.NewAmount(decimal.New(0, -10000000), coprod.GBP)
	require.NoError(t, err)
	assert.True(t, z.Equal(coprod.Zero(coprod.GBP)))
	big, err := coprod.NewAmount(decimal.New(12300, -4), coprod.GBP)
	require.NoError(t, err)
	assert.Equal(t, "1.23 GBP", big.String())
}
