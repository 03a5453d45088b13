package ledger_test

import (
	"slices"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reservingRegister is a board mandate that reserves contract awards above
// £50,000, and the contracts officer's delegation, which carries them.
func reservingRegister(t testing.TB) *governance.Register {
	t.Helper()
	r := governance.NewRegister()
	for _, p := range []coprod.Party{
		{ID: council, Name: "Council", Sector: coprod.Statutory},
		{ID: officer, Name: "Officer", Sector: coprod.Individual},
		{ID: temple, Name: "Temple", Sector: coprod.Community},
	} {
		require.NoError(t, r.AddParty(p))
	}
	require.NoError(t, r.AddMandate(governance.Mandate{ID: id("board"), Holder: council, Scope: "commission", MaxDepth: 1,
		ReservedAbove: []governance.Reservation{{Scope: "commission/contracts/award", Above: gbp("50000"), Ref: "Scheme s.2.3"}}}))
	require.NoError(t, r.Delegate(governance.Delegation{ID: id("contracts"), Parent: id("board"), From: council, To: officer,
		Scope: "commission/contracts"}))
	return r
}

// TestReservedThresholdThroughTheLedger: the threshold is compared with
// the commitment, the hold placed for a contract's whole value; payments
// drawn under it, captures or payments in their own scope, are not
// awards; awards split to stay under the threshold are found from the
// ledger's Awards.
func TestReservedThresholdThroughTheLedger(t *testing.T) {
	reg := reservingRegister(t)
	l := newLedger(t, ledger.Options{Authorizer: reg})
	at := day(2025, 7, 1)
	const award = "commission/contracts/award"
	hold := func(name string, by, instrument uuid.UUID, amount string, when time.Time) ledger.Hold {
		return ledger.Hold{ID: id(name), Kind: ledger.Contract, From: id("council-budget"), To: id("temple-cash"), Amount: gbp(amount),
			Formality: ledger.Formality{Instrument: instrument, Scope: award, DecidedBy: by}, Recorded: when}
	}
	steps := []struct {
		name string
		hold ledger.Hold
		err  error // nil: placed
	}{
		{"£5,000 award by the officer", hold("h-small", officer, id("contracts"), "5000", at), nil},
		{"£250,000 award by the officer", hold("h-big-officer", officer, id("contracts"), "250000", at), governance.ErrReservedAbove},
		{"£250,000 award by the board, the contract's whole value", hold("h-big-board", council, id("board"), "250000", at), nil},
		{"a penny over by the officer", hold("h-penny", officer, id("contracts"), "50000.01", at), governance.ErrReservedAbove},
		{"split: first part", hold("h-split-1", officer, id("contracts"), "20000", at.Add(time.Hour)), nil},
		{"split: second part", hold("h-split-2", officer, id("contracts"), "20000", at.Add(2*time.Hour)), nil},
		{"split: third part", hold("h-split-3", officer, id("contracts"), "20000", at.Add(3*time.Hour)), nil},
		{"voided award", hold("h-voided", officer, id("contracts"), "40000", at.Add(4*time.Hour)), nil},
	}
	for _, s := range steps {
		before := state(t, l)
		_, err := l.PlaceHold(s.hold)
		if s.err == nil {
			require.NoError(t, err, s.name)
			continue
		}
		require.ErrorIs(t, err, ledger.ErrNotAuthorized, s.name)
		require.ErrorIs(t, err, s.err, s.name)
		assert.Equal(t, governance.CodeReservedAbove, coprod.CodeOf(s.err))
		assert.Contains(t, err.Error(), "commission/contracts/award", s.name)
		assert.Equal(t, before, state(t, l), "%s: a refused hold changes nothing", s.name)
	}
	require.NoError(t, l.Void(ledger.VoidRequest{Hold: id("h-voided"), By: officer, At: at.Add(5 * time.Hour), Reason: "withdrawn"}))

	// Payments under the board's contract: the officer pays in the
	// payments scope, which the reservation does not cover, and captures
	// the small award in full.
	pay := ledger.Transaction{ID: id("p-1"), Kind: ledger.Payment, Effective: at.Add(6 * time.Hour), Recorded: at.Add(6 * time.Hour),
		Postings:  []ledger.Posting{{Account: id("council-budget"), Amount: gbp("60000").Neg()}, {Account: id("temple-cash"), Amount: gbp("60000")}},
		Formality: ledger.Formality{Instrument: id("contracts"), Scope: "commission/contracts/payments", DecidedBy: officer}}
	_, err := l.Post(pay)
	require.NoError(t, err)
	_, err = l.Capture(ledger.CaptureRequest{Hold: id("h-small"), ID: id("c-small"), Amount: gbp("5000"), By: officer,
		Effective: at.Add(7 * time.Hour), Recorded: at.Add(7 * time.Hour)})
	require.NoError(t, err)

	var ids []uuid.UUID
	for a := range l.Awards() {
		ids = append(ids, a.ID)
		assert.Equal(t, temple, a.To)
	}
	assert.Equal(t, []uuid.UUID{id("h-small"), id("h-big-board"), id("h-split-1"), id("h-split-2"), id("h-split-3")}, ids,
		"holds are the awards; voided holds, captures and payments are not")

	rep := reg.CheckAwards(day(2026, 3, 31), coprod.Window{NotBefore: day(2025, 4, 1), Expires: day(2026, 4, 1)}, l.Awards())
	var split []governance.Finding
	for _, f := range rep.Findings {
		if f.Code == governance.CodeSplitBelowReservation {
			split = append(split, f)
		}
	}
	require.Len(t, split, 1, rep.String())
	assert.Equal(t, []uuid.UUID{id("board"), temple, id("h-small"), id("h-split-1"), id("h-split-2"), id("h-split-3")}, split[0].Subjects,
		"the board's own award splits nothing")
	assert.False(t, rep.Has(governance.CodeReservedAbove), "the only award above the threshold is the board's")
}

// TestAwardsFromTransactions: a contract posted in one transaction is an
// award to each owner who gains, worth the gain; once reversed, or when
// drawn against another, it is not.
func TestAwardsFromTransactions(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	at := day(2025, 7, 1)
	tx := func(name string, kind ledger.Kind, amount string, against uuid.UUID, when time.Time) ledger.Transaction {
		t := pay(name, "council-budget", "temple-cash", amount, kind, officer, id("contracts"), when)
		t.Against = against
		return t
	}
	for _, x := range []ledger.Transaction{
		tx("t-contract", ledger.Contract, "30000", uuid.Nil, at),
		tx("t-grant", ledger.Grant, "10000", uuid.Nil, at.Add(time.Hour)),
		tx("t-draw", ledger.Contract, "1000", id("t-contract"), at.Add(2*time.Hour)),
		tx("t-payment", ledger.Payment, "1000", uuid.Nil, at.Add(3*time.Hour)),
	} {
		_, err := l.Post(x)
		require.NoError(t, err)
	}
	_, err := l.Reverse(ledger.ReversalRequest{ID: id("t-grant-rev"), Of: id("t-grant"), By: officer, Reason: "wrong", Effective: at.Add(4 * time.Hour), Recorded: at.Add(4 * time.Hour)})
	require.NoError(t, err)
	awards := slices.Collect(l.Awards())
	require.Len(t, awards, 1)
	a := awards[0]
	assert.Equal(t, id("t-contract"), a.ID)
	assert.Equal(t, temple, a.To)
	assert.True(t, gbp("30000").Equal(a.Amount))
	assert.Equal(t, coprod.Scope("commission/mental-health/iapt"), a.Scope)
	assert.Equal(t, officer, a.Decider)
}
