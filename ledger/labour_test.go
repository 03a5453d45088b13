package ledger_test

import (
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLabourValue(t *testing.T) {
	v, err := ledger.Labour{Hours: hours("60"), Method: ledger.ReplacementCost, Rate: gbp("14.50"), Low: gbp("12.21"), High: gbp("18.75"), WageSource: "band 4"}.Value()
	require.NoError(t, err)
	assert.Equal(t, "732.60 GBP", v.Low.String())
	assert.Equal(t, "870.00 GBP", v.Central.String())
	assert.Equal(t, "1125.00 GBP", v.High.String())
	assert.False(t, v.Credits.IsSet())

	// Rounded once, half away from zero, to the penny.
	v, err = ledger.Labour{Hours: hours("0.25"), Method: ledger.OpportunityCost, Rate: gbp("10.02")}.Value()
	require.NoError(t, err)
	assert.Equal(t, "2.51 GBP", v.Central.String(), "2.505 rounds up")
	assert.Equal(t, v.Central, v.Low, "no range given: the range is the rate")

	// Time credits: one an hour, never money.
	v, err = ledger.Labour{Hours: hours("3"), Method: ledger.TimeCreditMethod}.Value()
	require.NoError(t, err)
	assert.Equal(t, "3 credits", v.Credits.String())
	assert.False(t, v.Central.IsSet() || v.Low.IsSet() || v.High.IsSet())

	for name, l := range map[string]ledger.Labour{
		"money as hours":       {Hours: gbp("3"), Method: ledger.ReplacementCost, Rate: gbp("10")},
		"no hours":             {Hours: hours("0"), Method: ledger.ReplacementCost, Rate: gbp("10")},
		"hours as rate":        {Hours: hours("3"), Method: ledger.ReplacementCost, Rate: hours("10")},
		"low above rate":       {Hours: hours("3"), Method: ledger.ReplacementCost, Rate: gbp("10"), Low: gbp("11")},
		"rate above high":      {Hours: hours("3"), Method: ledger.ReplacementCost, Rate: gbp("10"), High: gbp("9")},
		"credits given a rate": {Hours: hours("3"), Method: ledger.TimeCreditMethod, Rate: gbp("10")},
		"fractional credits":   {Hours: hours("2.5"), Method: ledger.TimeCreditMethod},
		"unknown method":       {Hours: hours("3"), Method: "market-rate", Rate: gbp("10")},
		"negative rate":        {Hours: hours("3"), Method: ledger.ReplacementCost, Rate: gbp("-1"), Low: gbp("-2")},
		"credits unit":         {Hours: coprod.MustParseAmount("3", coprod.Credits), Method: ledger.TimeCreditMethod},
	} {
		_, err := l.Value()
		assert.ErrorIs(t, err, ledger.ErrInvalidLabour, name)
	}
}
