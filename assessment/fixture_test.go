package assessment_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

func id(i byte) uuid.UUID { return uuid.UUID{15: i} }

var (
	council  = id(1)
	officer  = id(2)
	hub      = id(3)
	temple   = id(4)
	director = id(5)
	user     = id(6)

	t0 = time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	at = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
)

// partnership is the report's partnership in small: a council with an
// officer, a hub with its director, a temple, a service user; a
// co-commissioning reference group where the community advises, a
// co-design group, the temple's IAPT service (co-delivery, the temple
// responsible), no co-assessment; a delegation to the hub; money paid to
// the temple on the officer's discretion, and unpaid hours.
type partnership struct {
	parties     []coprod.Party
	mandates    []governance.Mandate
	delegations []governance.Delegation
	acting      []governance.ActingFor
	activities  []governance.Activity
	accounts    []ledger.Account
	txs         []ledger.Transaction
}

func wandsworth(t testing.TB) partnership {
	t.Helper()
	gbp := func(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.GBP) }
	pay := func(i byte, from, to uuid.UUID, amount string, kind ledger.Kind, f ledger.Formality) ledger.Transaction {
		a := gbp(amount)
		return ledger.Transaction{ID: id(i), Kind: kind, Effective: t0.AddDate(0, 1, 0), Recorded: t0.AddDate(0, 1, 0),
			Postings: []ledger.Posting{{Account: from, Amount: a.Neg()}, {Account: to, Amount: a}}, Formality: f}
	}
	hours, err := ledger.LabourTransaction(id(43), id(24), id(21), ledger.Labour{Hours: coprod.MustParseAmount("60", coprod.Hours),
		Method: ledger.ReplacementCost, Rate: gbp("15.00"), Low: gbp("12.00"), High: gbp("20.00")},
		t0.AddDate(0, 2, 0), t0.AddDate(0, 1, 0), temple)
	require.NoError(t, err)
	return partnership{
		parties: []coprod.Party{
			{ID: council, Name: "Council", Sector: coprod.Statutory},
			{ID: officer, Name: "Commissioning officer", Sector: coprod.Individual},
			{ID: hub, Name: "Community hub", Sector: coprod.Hub},
			{ID: temple, Name: "Temple", Sector: coprod.Community},
			{ID: director, Name: "Hub director", Sector: coprod.Individual},
			{ID: user, Name: "Service user", Sector: coprod.Individual},
		},
		mandates: []governance.Mandate{{ID: id(10), Holder: council, Scope: "commission", Basis: "Care Act 2014", MaxDepth: 2}},
		delegations: []governance.Delegation{
			{ID: id(11), Parent: id(10), From: council, To: officer, Scope: "commission/mental-health", Instrument: "Scheme s.4"},
			{ID: id(12), Parent: id(10), From: council, To: hub, Scope: "commission/mental-health/design", Instrument: "Hub agreement"},
		},
		acting: []governance.ActingFor{
			{ID: id(13), Person: officer, For: council, Role: governance.RoleOfficer},
			{ID: id(14), Person: director, For: hub, Role: governance.RoleDirector},
		},
		activities: []governance.Activity{
			{ID: id(30), Name: "Reference group", Scope: "commission/mental-health", Cos: []governance.Co{governance.CoCommissioning},
				Responsible: []uuid.UUID{officer}, Accountable: []uuid.UUID{council}, Consulted: []uuid.UUID{hub, temple}},
			{ID: id(31), Name: "Service design", Scope: "commission/mental-health/design", Cos: []governance.Co{governance.CoDesign},
				Responsible: []uuid.UUID{hub}, Accountable: []uuid.UUID{council}, Consulted: []uuid.UUID{user}},
			{ID: id(32), Name: "IAPT at the temple", Scope: "commission/mental-health/iapt", Cos: []governance.Co{governance.CoDelivery},
				Responsible: []uuid.UUID{temple}, Accountable: []uuid.UUID{officer}},
		},
		accounts: []ledger.Account{
			{ID: id(20), Owner: council, Kind: ledger.Budget, Unit: coprod.GBP},
			{ID: id(21), Owner: temple, Kind: ledger.Cash, Unit: coprod.GBP},
			{ID: id(22), Owner: temple, Kind: ledger.Expense, Unit: coprod.GBP},
			{ID: id(23), Owner: hub, Kind: ledger.Cash, Unit: coprod.GBP},
			{ID: id(24), Owner: temple, Kind: ledger.MemoLabour, Unit: coprod.Hours},
			{ID: id(25), Owner: council, Kind: ledger.MemoLabour, Unit: coprod.Hours},
		},
		txs: []ledger.Transaction{
			pay(40, id(20), id(21), "1000", ledger.Grant, ledger.Formality{Scope: "commission/mental-health/iapt", DecidedBy: officer}),
			pay(41, id(20), id(23), "1000", ledger.CoreFunding, ledger.Formality{Instrument: id(12), Scope: "commission/mental-health/design", DecidedBy: council}),
			pay(42, id(21), id(22), "2500", ledger.Payment, ledger.Formality{Scope: "commission/mental-health/iapt", DecidedBy: temple}),
			{ID: id(43), Kind: hours.Kind, Postings: []ledger.Posting{{Account: id(24), Amount: coprod.MustParseAmount("-60", coprod.Hours)}, {Account: id(25), Amount: coprod.MustParseAmount("60", coprod.Hours)}},
				Effective: hours.Effective, Recorded: hours.Recorded, Formality: hours.Formality, Labour: hours.Labour},
		},
	}
}

// build records the partnership, each kind of record shuffled by rng when
// it is not nil (records a later one depends on stay after it).
func (p partnership) build(t testing.TB, rng *rand.Rand) (*governance.Register, *ledger.Ledger) {
	t.Helper()
	shuffle := func(n int, swap func(i, j int)) {
		if rng != nil {
			rng.Shuffle(n, swap)
		}
	}
	parties := append([]coprod.Party(nil), p.parties...)
	shuffle(len(parties), func(i, j int) { parties[i], parties[j] = parties[j], parties[i] })
	dels := append([]governance.Delegation(nil), p.delegations...)
	shuffle(len(dels), func(i, j int) { dels[i], dels[j] = dels[j], dels[i] })
	acts := append([]governance.Activity(nil), p.activities...)
	shuffle(len(acts), func(i, j int) { acts[i], acts[j] = acts[j], acts[i] })
	accts := append([]ledger.Account(nil), p.accounts...)
	shuffle(len(accts), func(i, j int) { accts[i], accts[j] = accts[j], accts[i] })
	txs := append([]ledger.Transaction(nil), p.txs...)
	shuffle(len(txs), func(i, j int) { txs[i], txs[j] = txs[j], txs[i] })

	reg := governance.NewRegister()
	for _, x := range parties {
		require.NoError(t, reg.AddParty(x))
	}
	for _, x := range p.mandates {
		require.NoError(t, reg.AddMandate(x))
	}
	for _, x := range dels {
		require.NoError(t, reg.Delegate(x))
	}
	for _, x := range p.acting {
		require.NoError(t, reg.ActFor(x))
	}
	for _, x := range acts {
		require.NoError(t, reg.AddActivity(x))
	}
	l := ledger.New(ledger.Options{MaxSkew: 365 * 24 * time.Hour})
	for _, x := range accts {
		require.NoError(t, l.Open(x))
	}
	for _, x := range txs {
		_, err := l.Post(x)
		require.NoError(t, err)
	}
	return reg, l
}
