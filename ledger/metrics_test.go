package ledger_test

import (
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlows(t *testing.T) {
	l, _ := journaled(t)
	flows, err := l.Flows(coprod.Window{})
	require.NoError(t, err)
	got := map[[2]uuid.UUID][2]string{}
	for _, f := range flows {
		got[[2]uuid.UUID{f.From, f.To}] = [2]string{f.Amount.String(), f.Formal.String()}
	}
	assert.Equal(t, map[[2]uuid.UUID][2]string{
		{council, hub}: {"10000.00 GBP", "10000.00 GBP"},
		{hub, temple}:  {"2750.50 GBP", "0.00 GBP"}, // the payment and the captured hold; the reversed mistake is left out
	}, got)

	may, err := l.Flows(coprod.Window{NotBefore: day(2025, 5, 1), Expires: day(2025, 6, 1)})
	require.NoError(t, err)
	require.Len(t, may, 1)
	assert.Equal(t, "2500.50 GBP", may[0].Amount.String())
}

func TestFlowsNetWithinOneTransaction(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	// The council pays the hub and the temple in one transaction; the
	// temple's own move between its accounts is no flow.
	_, err := l.Post(ledger.Transaction{
		ID: id("split"), Kind: ledger.Grant, Effective: day(2025, 5, 1), Recorded: day(2025, 5, 1),
		Postings: []ledger.Posting{
			{Account: id("council-budget"), Amount: gbp("-300")},
			{Account: id("hub-cash"), Amount: gbp("100")},
			{Account: id("temple-cash"), Amount: gbp("250")},
			{Account: id("temple-costs"), Amount: gbp("-50")},
		},
		Formality: ledger.Formality{DecidedBy: officer},
	})
	require.NoError(t, err)
	flows, err := l.Flows(coprod.Window{})
	require.NoError(t, err)
	got := map[uuid.UUID]string{}
	for _, f := range flows {
		assert.Equal(t, council, f.From)
		got[f.To] = f.Amount.String()
	}
	assert.Equal(t, map[uuid.UUID]string{hub: "100.00 GBP", temple: "200.00 GBP"}, got)
}

func TestMetrics(t *testing.T) {
	l, _ := journaled(t)
	costs := pay("costs", "temple-cash", "temple-costs", "1200", ledger.Payment, temple, uuid.Nil, day(2025, 5, 10))
	costs.Recorded = day(2025, 9, 2) // recorded late, effective in May
	_, err := l.Post(costs)
	require.NoError(t, err)
	m, err := l.Metrics(coprod.Window{}, sector)
	require.NoError(t, err)

	assert.Equal(t, "12750.50 GBP", m.Moved.String(), "grant, payment and capture; the reversed mistake is left out")
	assert.Equal(t, "10000.00 GBP", m.PaidOut.String())
	assert.Equal(t, "100.0%", m.ToCommunity.String())
	assert.Equal(t, "78.4%", m.Formal.String(), "only the grant was made under an instrument")
	r, ok := m.Formal.Ratio(4)
	require.True(t, ok)
	assert.Equal(t, "0.7843", r.String())
	assert.Equal(t, "0.0%", m.CoreFunding.String())

	assert.Equal(t, "60.00 hours", m.Labour.Hours.String())
	assert.Equal(t, "732.60 GBP", m.Labour.Low.String())
	assert.Equal(t, "870.00 GBP", m.Labour.Central.String())
	assert.Equal(t, "1125.00 GBP", m.Labour.High.String())

	assert.Equal(t, "1200.00 GBP", m.Coverage.Costs.String())
	assert.Equal(t, "10000.00 GBP", m.Coverage.Paid.String())
	assert.Equal(t, "2070.00 GBP", m.Coverage.Central.Whole.String(), "costs plus the central value of unpaid labour")
	assert.Equal(t, "2325.00 GBP", m.Coverage.Low.Whole.String(), "the low coverage uses the high labour value")
	assert.Equal(t, "1932.60 GBP", m.Coverage.High.Whole.String())

	assert.Equal(t, officer, m.KeyPerson.Party)
	assert.Equal(t, "78.4%", m.KeyPerson.Share.String())

	empty, err := l.Metrics(coprod.Window{NotBefore: day(2030, 1, 1)}, sector)
	require.NoError(t, err)
	assert.Equal(t, "n/a", empty.Formal.String())
	assert.Equal(t, uuid.Nil, empty.KeyPerson.Party)

	_, err = l.Metrics(coprod.Window{}, nil)
	assert.ErrorIs(t, err, ledger.ErrInvalidArgument)
}

func TestBudgetVsActual(t *testing.T) {
	l, _ := journaled(t)
	report, err := l.BudgetVsActual(id("grant"))
	require.NoError(t, err)
	assert.Equal(t, "10000.00 GBP", report.Budget.String())
	assert.Equal(t, "2750.50 GBP", report.Actual.String(), "the payment and the capture drew on the grant")
	assert.Equal(t, "0.00 GBP", report.Committed.String())
	assert.Equal(t, "7249.50 GBP", report.Remaining.String())
	_, err = l.BudgetVsActual(id("nothing"))
	assert.ErrorIs(t, err, ledger.ErrUnknownTransaction)
}
