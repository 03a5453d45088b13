package ledger_test

import (
	"fmt"
	"github.com/google/uuid"
	"strings"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/golden"
	"github.com/coprod/coprod/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sankeyLedger records formal and discretionary money through the hub,
// a reversed payment, hours and time credits.
func sankeyLedger(t *testing.T) *ledger.Ledger {
	t.Helper()
	l := newLedger(t, ledger.Options{})
	sla := id("sla")
	for _, tx := range []ledger.Transaction{
		pay("core", "council-budget", "hub-cash", "10000", ledger.CoreFunding, officer, sla, day(2025, 5, 1)),
		pay("goodwill", "council-budget", "temple-cash", "2000", ledger.Grant, officer, [16]byte{}, day(2025, 5, 2)),
		pay("passed-on", "hub-cash", "temple-cash", "6000", ledger.ProjectFunding, director, sla, day(2025, 5, 3)),
		pay("top-up", "hub-cash", "temple-cash", "500.50", ledger.Payment, director, [16]byte{}, day(2025, 5, 4)),
		pay("mistake", "council-budget", "temple-cash", "999", ledger.Payment, officer, [16]byte{}, day(2025, 5, 5)),
		pay("next-year", "council-budget", "hub-cash", "1", ledger.Payment, officer, [16]byte{}, day(2026, 5, 5)),
	} {
		tx.Recorded = day(2025, 5, 5) // next year's is booked in advance
		_, err := l.Post(tx)
		require.NoError(t, err)
	}
	_, err := l.Reverse(ledger.ReversalRequest{ID: id("undo"), Of: id("mistake"), By: officer, Reason: "paid twice",
		Effective: day(2025, 5, 6), Recorded: day(2025, 5, 6)})
	require.NoError(t, err)
	for _, lt := range []struct {
		name, giver, receiver string
		labour                ledger.Labour
	}{
		{"delivery", "temple-hours-given", "service-hours-received", ledger.Labour{Hours: hours("26"), Method: ledger.ReplacementCost, Rate: gbp("14.50"), Low: gbp("12.21"), High: gbp("18.75")}},
		{"training", "temple-hours-given", "service-hours-received", ledger.Labour{Hours: hours("34.5"), Method: ledger.ReplacementCost, Rate: gbp("14.50"), Low: gbp("12.21"), High: gbp("18.75")}},
		{"credits", "volunteer-credits", "hub-credits", ledger.Labour{Hours: hours("6"), Method: ledger.TimeCreditMethod}},
	} {
		tx, err := ledger.LabourTransaction(id(lt.name), id(lt.giver), id(lt.receiver), lt.labour, day(2025, 5, 10), day(2025, 5, 10), temple)
		require.NoError(t, err)
		_, err = l.Post(tx)
		require.NoError(t, err)
	}
	return l
}

var sankeyNames = map[coprod.PartyID]string{
	council:   "Borough Council",
	hub:       "Community Hub",
	temple:    `Temple "Sri", Tooting`,
	volunteer: "A volunteer",
	officer:   "Officer",
}

func TestSankey(t *testing.T) {
	l := sankeyLedger(t)
	year := coprod.Window{NotBefore: day(2025, 4, 1), Expires: day(2026, 4, 1)}
	money, err := l.Sankey(year, func(p coprod.PartyID) string { return sankeyNames[p] })
	require.NoError(t, err)
	labour, err := l.LabourSankey(year, func(p coprod.PartyID) string { return sankeyNames[p] })
	require.NoError(t, err)
	golden.Check(t, "testdata/sankey.golden", money+"\n"+labour)

	again, err := l.Sankey(year, func(p coprod.PartyID) string { return sankeyNames[p] })
	require.NoError(t, err)
	assert.Equal(t, money, again, "deterministic")
}

func TestSankeyNames(t *testing.T) {
	l := sankeyLedger(t)
	year := coprod.Window{NotBefore: day(2025, 4, 1), Expires: day(2026, 4, 1)}
	tests := []struct {
		name  string
		names ledger.Names
		want  []string // text that must appear
		not   []string // text that must not
	}{
		{"nil names shows IDs", nil, []string{council.String() + "," + council.String() + " · formal,10000.00"}, nil},
		{"empty name shows the ID", func(coprod.PartyID) string { return "" }, []string{hub.String() + " · formal," + temple.String() + ",6000.00"}, nil},
		{"same name told apart", func(coprod.PartyID) string { return "Same" },
			[]string{"Same,Same · formal,10000.00", "Same [" + hub.String()[:8] + "]"}, nil},
		{"a party named like a split node keeps its name", func(p coprod.PartyID) string {
			if p == temple {
				return "Council · formal"
			}
			return "Council"
		}, []string{"Council,Council [" + council.String()[:8] + "] · formal,10000.00\n", " · formal,Council · formal,6000.00\n"}, nil},
		{"control characters become spaces", func(coprod.PartyID) string { return "a\nb\r" }, []string{"a b,a b · formal,10000.00\n"}, []string{"\r"}},
		{"refusal: a reversed payment is not drawn", func(p coprod.PartyID) string { return sankeyNames[p] }, nil, []string{"999"}},
		{"refusal: a payment outside the period is not drawn", func(p coprod.PartyID) string { return sankeyNames[p] }, nil, []string{",1.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := l.Sankey(year, tt.names)
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(got, "sankey-beta\n"))
			for _, w := range tt.want {
				assert.Contains(t, got, w)
			}
			for _, n := range tt.not {
				assert.NotContains(t, got, n)
			}
		})
	}
}

func TestSankeyEmpty(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	got, err := l.Sankey(coprod.Window{}, nil)
	require.NoError(t, err)
	assert.Equal(t, "sankey-beta\n%% money moved between owners, effective from the beginning until now\n", got)
	got, err = l.LabourSankey(coprod.Window{}, nil)
	require.NoError(t, err)
	assert.Equal(t, "sankey-beta\n%% unpaid labour given, effective from the beginning until now\n%% values in hours, not money\n", got)
}

// The names function is the caller's code: it runs with no lock held, so
// it may record into the ledger without deadlock.
func TestSankeyNamesRunWithoutLock(t *testing.T) {
	l := sankeyLedger(t)
	n := 0
	names := func(p coprod.PartyID) string {
		n++
		_, err := l.Post(pay(fmt.Sprint("from-names-", n), "council-budget", "hub-cash", "1", ledger.Payment, officer, uuid.Nil, day(2025, 5, 20)))
		require.NoError(t, err)
		return sankeyNames[p]
	}
	_, err := l.Sankey(coprod.Window{}, names)
	require.NoError(t, err)
	_, err = l.LabourSankey(coprod.Window{}, names)
	require.NoError(t, err)
	assert.Positive(t, n)
}

func TestSankeyRefusesAnInvertedPeriod(t *testing.T) {
	l := sankeyLedger(t)
	inverted := coprod.Window{NotBefore: day(2026, 4, 1), Expires: day(2025, 4, 1)}
	_, err := l.Sankey(inverted, nil)
	assert.ErrorIs(t, err, ledger.ErrInvalidArgument)
	_, err = l.LabourSankey(inverted, nil)
	assert.ErrorIs(t, err, ledger.ErrInvalidArgument)
}
