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

func TestLabourTransaction(t *testing.T) {
	replacement := ledger.Labour{Hours: hours("60"), Method: ledger.ReplacementCost, Rate: gbp("14.50")}
	credits := ledger.Labour{Hours: hours("6"), Method: ledger.TimeCreditMethod}
	tests := []struct {
		name            string
		giver, receiver string
		labour          ledger.Labour
		kind            ledger.Kind
		amount          string
		wantErr         error
	}{
		{name: "hours given", giver: "temple-hours-given", receiver: "service-hours-received", labour: replacement, kind: ledger.UnpaidLabour, amount: "60.00 hours"},
		{name: "time credits", giver: "volunteer-credits", receiver: "hub-credits", labour: credits, kind: ledger.TimeCredit, amount: "6 credits"},
		{name: "no hours", giver: "temple-hours-given", receiver: "service-hours-received", labour: ledger.Labour{Method: ledger.ReplacementCost, Rate: gbp("1")}, wantErr: ledger.ErrInvalidLabour},
		{name: "rate on credits", giver: "volunteer-credits", receiver: "hub-credits", labour: ledger.Labour{Hours: hours("6"), Method: ledger.TimeCreditMethod, Rate: gbp("1")}, wantErr: ledger.ErrInvalidLabour},
		{name: "unknown method", giver: "temple-hours-given", receiver: "service-hours-received", labour: ledger.Labour{Hours: hours("1"), Method: "guess"}, wantErr: ledger.ErrInvalidLabour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx, err := ledger.LabourTransaction(id("lt-"+tt.name), id(tt.giver), id(tt.receiver), tt.labour, day(2025, 5, 1), day(2025, 5, 2), temple)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.kind, tx.Kind)
			require.Len(t, tx.Postings, 2)
			assert.Equal(t, id(tt.giver), tx.Postings[0].Account)
			assert.Equal(t, "-"+tt.amount, tx.Postings[0].Amount.String(), "the giver owns the negative posting")
			assert.Equal(t, tt.amount, tx.Postings[1].Amount.String())
			l := newLedger(t, ledger.Options{})
			_, err = l.Post(tx)
			require.NoError(t, err)
			bal, err := l.Balance(id(tt.giver))
			require.NoError(t, err)
			assert.Equal(t, "-"+tt.amount, bal.String())
		})
	}
	// Postings alone: a fractional number of hours is no whole number of
	// credits, and Post refuses the unset amount.
	ps := ledger.Labour{Hours: hours("1.5"), Method: ledger.TimeCreditMethod}.Postings(id("volunteer-credits"), id("hub-credits"))
	assert.False(t, ps[0].Amount.IsSet())
}

// The metrics count the hours for the giver, the owner of the negative
// posting: LabourTransaction puts the giver there.
func TestLabourTransactionGiverCounts(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	tx, err := ledger.LabourTransaction(id("given"), id("temple-hours-given"), id("service-hours-received"),
		ledger.Labour{Hours: hours("10"), Method: ledger.ReplacementCost, Rate: gbp("14.50")}, day(2025, 5, 1), day(2025, 5, 1), temple)
	require.NoError(t, err)
	_, err = l.Post(tx)
	require.NoError(t, err)
	m, err := l.Metrics(coprod.Window{}, sector)
	require.NoError(t, err)
	assert.Equal(t, "10.00 hours", m.Labour.Hours.String())
	require.Len(t, m.Parties, 1)
	assert.Equal(t, temple, m.Parties[0].Party)
	assert.Equal(t, "145.00 GBP", m.Parties[0].Labour.Central.String())
}
