package ledger_test

import (
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Parties of the wider partnership: an independent foundation paying the
// hub's core costs, a large voluntary provider holding the IAPT contract,
// grassroots groups, a supplier.
var (
	foundation = id("foundation")
	charity    = id("national-charity")
	users      = id("users-forum")
	printer    = id("printer")
)

func wideSector(foundationAs coprod.Sector) ledger.Classifier {
	return func(p coprod.PartyID) coprod.Sector {
		switch p {
		case foundation:
			return foundationAs
		case charity:
			return coprod.LargeProvider
		case users:
			return coprod.ServiceUsers
		case printer:
			return coprod.Supplier
		}
		return sector(p)
	}
}

// wideLedger records a year of the wider partnership:
//
//	foundation → hub      30000 core funding, formal      readiness
//	council → charity     20000 contract, a 3-year hold    …/iapt
//	council → temple       2000 grant, officer's discretion …/iapt
//	hub → temple           1000 project funding             …/family-therapy
//	council → users         500 involvement payment, formal commission/mental-health
//	temple costs 3500, charity costs 18000                  …/iapt
//	temple's 60 unpaid hours                                …/family-therapy
//	temple's rooms, 1200 in kind; temple → printer 300, no scope
func wideLedger(t *testing.T) *ledger.Ledger {
	t.Helper()
	l := newLedger(t, ledger.Options{})
	for _, a := range []ledger.Account{
		{ID: id("foundation-cash"), Owner: foundation, Name: "Foundation grants", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: id("charity-cash"), Owner: charity, Name: "Charity bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: id("charity-costs"), Owner: charity, Name: "Charity IAPT costs", Kind: ledger.Expense, Unit: coprod.GBP},
		{ID: id("users-cash"), Owner: users, Name: "Forum bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: id("printer-sales"), Owner: printer, Name: "Printer sales", Kind: ledger.Income, Unit: coprod.GBP},
	} {
		require.NoError(t, l.Open(a))
	}
	const iapt, family = "commission/mental-health/iapt", "commission/mental-health/family-therapy"
	tx := func(name, from, to, amount string, kind ledger.Kind, by, instrument uuid.UUID, scope coprod.Scope, at time.Time) ledger.Transaction {
		tx := pay(name, from, to, amount, kind, by, instrument, at)
		tx.Formality.Scope = scope
		return tx
	}
	post := func(tx ledger.Transaction) {
		t.Helper()
		_, err := l.Post(tx)
		require.NoError(t, err)
	}
	post(tx("core", "foundation-cash", "hub-cash", "30000", ledger.CoreFunding, foundation, id("foundation-award"), "readiness", day(2025, 4, 1)))
	_, err := l.PlaceHold(ledger.Hold{ID: id("iapt-contract"), Kind: ledger.Contract, From: id("council-budget"), To: id("charity-cash"),
		Amount: gbp("20000"), Expires: day(2028, 4, 1), Recorded: day(2025, 4, 2),
		Formality: ledger.Formality{Instrument: id("iapt-delegation"), Scope: iapt, DecidedBy: officer}})
	require.NoError(t, err)
	_, err = l.Capture(ledger.CaptureRequest{Hold: id("iapt-contract"), ID: id("iapt-year-1"), Amount: gbp("20000"),
		Effective: day(2025, 4, 3), Recorded: day(2025, 4, 3), By: officer})
	require.NoError(t, err)
	post(tx("temple-grant", "council-budget", "temple-cash", "2000", ledger.Grant, officer, uuid.Nil, iapt, day(2025, 5, 1)))
	post(tx("passed-on", "hub-cash", "temple-cash", "1000", ledger.ProjectFunding, director, uuid.Nil, family, day(2025, 5, 2)))
	post(tx("involvement", "council-budget", "users-cash", "500", ledger.InvolvementPayment, officer, id("involvement-policy"), "commission/mental-health", day(2025, 5, 3)))
	post(tx("temple-spend", "temple-cash", "temple-costs", "3500", ledger.Payment, temple, uuid.Nil, iapt, day(2025, 6, 1)))
	post(tx("charity-spend", "charity-cash", "charity-costs", "18000", ledger.Payment, charity, uuid.Nil, iapt, day(2025, 6, 1)))
	hoursGiven, err := ledger.LabourTransaction(id("hours"), id("temple-hours-given"), id("service-hours-received"),
		ledger.Labour{Hours: hours("60"), Method: ledger.ReplacementCost, Rate: gbp("14.50"), Low: gbp("12.21"), High: gbp("18.75")},
		day(2025, 6, 30), day(2025, 6, 30), temple)
	require.NoError(t, err)
	hoursGiven.Formality.Scope = family
	post(hoursGiven)
	post(ledger.Transaction{ID: id("rooms"), Kind: ledger.InKind, Effective: day(2025, 6, 30), Recorded: day(2025, 6, 30),
		Postings:  []ledger.Posting{{Account: id("temple-donated"), Amount: gbp("-1200")}, {Account: id("service-in-kind"), Amount: gbp("1200")}},
		Formality: ledger.Formality{DecidedBy: temple}})
	post(tx("leaflets", "temple-cash", "printer-sales", "300", ledger.Payment, temple, uuid.Nil, "", day(2025, 7, 1)))
	return l
}

// TestMetricsIndependentFunder shows why an independent funder needs its
// own sector. Classed as community, the foundation's core grant moves
// within the community side and vanishes from core funding; classed as
// statutory, it counts as paying for services and pushes cost coverage to
// 234.7%. As an independent funder it is core funding, and coverage shows
// what the partnership pays for what community parties deliver.
func TestMetricsIndependentFunder(t *testing.T) {
	l := wideLedger(t)
	tests := []struct {
		name         string
		foundationAs coprod.Sector
		paidOut      string
		core         string
		coverPaid    string
		independent  string
		coverage     string
	}{
		{"independent funder", coprod.IndependentFunder, "52500.00 GBP", "57.1%", "22500.00 GBP", "30000.00 GBP", "100.6%"},
		{"misclassed as community: core funding vanishes", coprod.Community, "22500.00 GBP", "0.0%", "22500.00 GBP", "0.00 GBP", "100.6%"},
		{"misclassed as statutory: coverage inflated", coprod.Statutory, "52500.00 GBP", "57.1%", "52500.00 GBP", "0.00 GBP", "234.7%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := l.Metrics(coprod.Window{}, wideSector(tt.foundationAs))
			require.NoError(t, err)
			assert.Equal(t, tt.paidOut, m.PaidOut.String())
			assert.Equal(t, tt.core, m.CoreFunding.String())
			assert.Equal(t, tt.coverPaid, m.Coverage.Paid.String())
			assert.Equal(t, tt.independent, m.Coverage.Independent.String())
			assert.Equal(t, tt.coverage, m.Coverage.Central.String())
		})
	}
}

func TestMetricsBySourceAndService(t *testing.T) {
	l := wideLedger(t)
	m, err := l.Metrics(coprod.Window{}, wideSector(coprod.IndependentFunder))
	require.NoError(t, err)

	amounts := map[string]coprod.Amount{
		"moved":                 m.Moved,
		"by source statutory":   m.BySource.Statutory,
		"by source independent": m.BySource.Independent,
		"by source community":   m.BySource.Community,
		"by source other":       m.BySource.Other,
		"in kind":               m.InKind,
		"labour hours":          m.Labour.Hours,
		"coverage costs":        m.Coverage.Costs,
	}
	want := map[string]string{
		"moved": "53800.00 GBP", "by source statutory": "22500.00 GBP", "by source independent": "30000.00 GBP",
		"by source community": "1300.00 GBP", "by source other": "0.00 GBP", "in kind": "1200.00 GBP",
		"labour hours": "60.00 hours", "coverage costs": "21500.00 GBP",
	}
	for name, a := range amounts {
		assert.Equal(t, want[name], a.String(), name)
	}
	total, err := m.BySource.Total()
	require.NoError(t, err)
	assert.True(t, total.Equal(m.Moved), "the sources add up to all money moved")

	shares := map[string]ledger.Share{
		"to community": m.ToCommunity, "to grassroots": m.ToGrassroots, "formal": m.Formal,
		"formal to community": m.FormalToCommunity, "core": m.CoreFunding, "multi-year": m.MultiYear,
		"coverage low": m.Coverage.Low, "coverage high": m.Coverage.High,
		"key person": m.KeyPerson.Share, "statutory key person": m.StatutoryKeyPerson.Share,
	}
	wantShares := map[string]string{
		"to community": "100.0%", "to grassroots": "4.8%", "formal": "93.9%", "formal to community": "96.2%",
		"core": "57.1%", "multi-year": "38.1%", "coverage low": "99.4%", "coverage high": "101.2%",
		"key person": "41.8%", "statutory key person": "100.0%",
	}
	for name, s := range shares {
		assert.Equal(t, wantShares[name], s.String(), name)
	}
	assert.Equal(t, "22500.00 GBP", m.StatutoryKeyPerson.Share.Whole.String(), "exposure over statutory money")
	assert.Equal(t, officer, m.StatutoryKeyPerson.Party)
	assert.Equal(t, "20000.00 GBP", m.MultiYear.Part.String(), "the three-year contract, paid through its hold")

	// One row per community-side party, in order of first appearance.
	type partyRow struct {
		party                                   uuid.UUID
		sector                                  coprod.Sector
		statutory, independent, community, paid string
		costs, coverage                         string
	}
	var gotParties []partyRow
	for _, p := range m.Parties {
		gotParties = append(gotParties, partyRow{p.Party, p.Sector, p.Received.Statutory.String(), p.Received.Independent.String(),
			p.Received.Community.String(), p.Coverage.Paid.String(), p.Coverage.Costs.String(), p.Coverage.Central.String()})
	}
	assert.Equal(t, []partyRow{
		{hub, coprod.Hub, "0.00 GBP", "30000.00 GBP", "0.00 GBP", "0.00 GBP", "0.00 GBP", "n/a"},
		{charity, coprod.LargeProvider, "20000.00 GBP", "0.00 GBP", "0.00 GBP", "20000.00 GBP", "18000.00 GBP", "111.1%"},
		{temple, coprod.Community, "2000.00 GBP", "0.00 GBP", "1000.00 GBP", "3000.00 GBP", "3500.00 GBP", "68.6%"},
		{users, coprod.ServiceUsers, "500.00 GBP", "0.00 GBP", "0.00 GBP", "500.00 GBP", "0.00 GBP", "n/a"},
	}, gotParties)
	assert.Equal(t, "870.00 GBP", m.Parties[2].Labour.Central.String(), "the temple's own hours count against its coverage")

	// Every scope with every scope above it, sorted; a record under
	// …/iapt counts under commission/mental-health and commission too.
	type scopeRow struct{ scope, moved, statutory, community, paid, costs, coverage string }
	var gotScopes []scopeRow
	for _, s := range m.Scopes {
		gotScopes = append(gotScopes, scopeRow{s.Scope.String(), s.Moved.String(), s.BySource.Statutory.String(),
			s.BySource.Community.String(), s.Coverage.Paid.String(), s.Coverage.Costs.String(), s.Coverage.Central.String()})
	}
	assert.Equal(t, []scopeRow{
		{"commission", "23500.00 GBP", "22500.00 GBP", "1000.00 GBP", "22500.00 GBP", "21500.00 GBP", "100.6%"},
		{"commission/mental-health", "23500.00 GBP", "22500.00 GBP", "1000.00 GBP", "22500.00 GBP", "21500.00 GBP", "100.6%"},
		{"commission/mental-health/family-therapy", "1000.00 GBP", "0.00 GBP", "1000.00 GBP", "0.00 GBP", "0.00 GBP", "0.0%"},
		{"commission/mental-health/iapt", "22000.00 GBP", "22000.00 GBP", "0.00 GBP", "22000.00 GBP", "21500.00 GBP", "102.3%"},
		{"readiness", "30000.00 GBP", "0.00 GBP", "0.00 GBP", "0.00 GBP", "0.00 GBP", "n/a"},
	}, gotScopes)
	assert.Equal(t, "30000.00 GBP", m.Scopes[4].Coverage.Independent.String())
}

// TestMetricsMultiYearRule pins down the rule for multi-year funding: a
// hold whose commitment runs more than a year from when it was placed.
func TestMetricsMultiYearRule(t *testing.T) {
	tests := []struct {
		name    string
		expires time.Time
		want    string
	}{
		{"three years", day(2028, 4, 1), "100.0%"},
		{"a year and a day", day(2026, 4, 2), "100.0%"},
		{"exactly a year is not more than a year", day(2026, 4, 1), "0.0%"},
		{"six months", day(2025, 10, 1), "0.0%"},
		{"no expiry says nothing of the term", time.Time{}, "0.0%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLedger(t, ledger.Options{})
			_, err := l.PlaceHold(ledger.Hold{ID: id("h"), Kind: ledger.Grant, From: id("council-budget"), To: id("temple-cash"),
				Amount: gbp("900"), Expires: tt.expires, Recorded: day(2025, 4, 1), Formality: ledger.Formality{DecidedBy: officer}})
			require.NoError(t, err)
			_, err = l.Capture(ledger.CaptureRequest{Hold: id("h"), ID: id("h-paid"), Amount: gbp("900"), Effective: day(2025, 4, 2), Recorded: day(2025, 4, 2), By: officer})
			require.NoError(t, err)
			m, err := l.Metrics(coprod.Window{}, sector)
			require.NoError(t, err)
			assert.Equal(t, tt.want, m.MultiYear.String())
			assert.Equal(t, "900.00 GBP", m.MultiYear.Whole.String())
		})
	}
}
