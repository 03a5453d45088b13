package ledger_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// poolBoard is a joint commissioning board holding the budget the council
// and the clinical commissioners pool, deciding by majority; rep-d has
// recused from IAPT decisions, having an interest in the temple.
func poolBoard(t testing.TB) *governance.Register {
	t.Helper()
	r := governance.NewRegister()
	must := func(err error) {
		t.Helper()
		require.NoError(t, err)
	}
	for _, p := range []coprod.Party{
		{ID: id("board"), Name: "Joint commissioning board", Sector: coprod.Statutory},
		{ID: temple, Name: "Temple", Sector: coprod.Community},
		{ID: id("officer-a"), Name: "Council officer", Sector: coprod.Individual},
		{ID: id("officer-b"), Name: "CCG officer", Sector: coprod.Individual},
		{ID: id("rep-c"), Name: "Community representative", Sector: coprod.Individual},
		{ID: id("rep-d"), Name: "Temple trustee", Sector: coprod.Individual},
	} {
		must(r.AddParty(p))
	}
	must(r.AddBody(governance.Body{Party: id("board"), Rule: governance.RuleMajority}))
	for _, m := range []string{"officer-a", "officer-b", "rep-c", "rep-d"} {
		must(r.Join(governance.Membership{ID: id("seat-" + m), Body: id("board"), Member: id(m)}))
	}
	must(r.AddMandate(governance.Mandate{ID: id("pool"), Holder: id("board"), Scope: "commission/mental-health",
		Basis: "NHS Act 2006 s.75 pooled budget", TransactionLimit: gbp("100000")}))
	must(r.Declare(governance.Interest{ID: id("i-rep-d"), Holder: id("rep-d"), In: temple, Category: governance.Financial,
		Description: "trustee", Touches: []governance.Scope{"commission/mental-health/iapt"}, Declared: day(2025, 4, 1)}))
	must(r.Recuse(governance.Recusal{Interest: id("i-rep-d"), Scope: "commission/mental-health/iapt", At: day(2025, 4, 2)}))
	return r
}

func TestCollectiveDecisionThroughTheLedger(t *testing.T) {
	reg := poolBoard(t)
	var journal bytes.Buffer
	l := ledger.New(ledger.Options{Authorizer: reg, Journal: &journal})
	for _, a := range []ledger.Account{
		{ID: id("pool-budget"), Owner: id("board"), Name: "Pooled budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: id("temple-cash"), Owner: temple, Name: "Temple cash", Kind: ledger.Cash, Unit: coprod.GBP},
	} {
		require.NoError(t, l.Open(a))
	}
	at := day(2025, 6, 2)
	grant := func(name string, approvals ...ledger.Approval) ledger.Transaction {
		return ledger.Transaction{ID: id(name), Kind: ledger.Grant, Effective: at, Recorded: at,
			Postings:  []ledger.Posting{{Account: id("pool-budget"), Amount: gbp("-20000")}, {Account: id("temple-cash"), Amount: gbp("20000")}},
			Formality: ledger.Formality{Instrument: id("pool"), Scope: "commission/mental-health/iapt", DecidedBy: id("board"), Approvers: approvals}}
	}
	minute := func(who string, ref string) ledger.Approval {
		return ledger.Approval{Party: id(who), At: day(2025, 6, 1), Ref: ref}
	}
	for _, tc := range []struct {
		name      string
		approvals []ledger.Approval
		allowed   bool
	}{
		{"one of three eligible", []ledger.Approval{minute("officer-a", "JCB 25/14")}, false},
		{"the recused trustee does not count", []ledger.Approval{minute("officer-a", "JCB 25/14"), minute("rep-d", "JCB 25/14")}, false},
		{"no approvals", nil, false},
		{"two of three eligible", []ledger.Approval{minute("officer-a", "JCB 25/14"), minute("rep-c", "JCB 25/14")}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := state(t, l)
			tx := grant(tc.name, tc.approvals...)
			_, err := l.Post(tx)
			if !tc.allowed {
				require.ErrorIs(t, err, ledger.ErrNotAuthorized)
				assert.ErrorIs(t, err, governance.ErrCollectiveRuleNotMet)
				assert.Equal(t, before, state(t, l), "a refused record changes nothing")
				return
			}
			require.NoError(t, err)
			got, ok := l.Transaction(tx.ID)
			require.True(t, ok)
			assert.Len(t, got.Formality.Approvers, 2)
			assert.Equal(t, "JCB 25/14", got.Formality.Approvers[1].Ref)
			require.NotNil(t, got.Proof)
			assert.Equal(t, id("pool"), got.Proof.Path[0].ID)
		})
	}
	assert.Contains(t, journal.String(), `"approvers":[{"party":"`+id("officer-a").String()+`","at":"2025-06-01T00:00:00Z","ref":"JCB 25/14"}`)

	// The journal replays to the same ledger, approvals and all.
	back, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{Authorizer: reg})
	require.NoError(t, err)
	assert.Equal(t, state(t, l), state(t, back))
	tx, ok := back.Transaction(id("two of three eligible"))
	require.True(t, ok)
	assert.Equal(t, []ledger.Approval{minute("officer-a", "JCB 25/14"), minute("rep-c", "JCB 25/14")}, tx.Formality.Approvers)
}

func TestApprovalRefusals(t *testing.T) {
	at := day(2025, 6, 1)
	ok := ledger.Approval{Party: council, At: at, Ref: "minute 12"}
	for _, tc := range []struct {
		name      string
		approvals []ledger.Approval
		refused   bool
	}{
		{"an approval before the record", []ledger.Approval{{Party: council, At: at.Add(-time.Hour)}}, false},
		{"an approval at the record's time, without a reference", []ledger.Approval{{Party: council, At: at}}, false},
		{"the most approvals", func() []ledger.Approval {
			var as []ledger.Approval
			for i := range ledger.MaxApprovers {
				as = append(as, ledger.Approval{Party: id(string(rune('a' + i))), At: at})
			}
			return as
		}(), false},
		{"nil party", []ledger.Approval{{At: at}}, true},
		{"zero time", []ledger.Approval{{Party: council}}, true},
		{"after the record", []ledger.Approval{{Party: council, At: at.Add(time.Nanosecond)}}, true},
		{"a year outside 1 to 9999", []ledger.Approval{{Party: council, At: time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)}}, true},
		{"reference too long", []ledger.Approval{{Party: council, At: at, Ref: strings.Repeat("x", ledger.MaxTextLen+1)}}, true},
		{"reference not UTF-8", []ledger.Approval{{Party: council, At: at, Ref: "minute \xff"}}, true},
		{"the same party twice", []ledger.Approval{ok, {Party: council, At: at.Add(-time.Hour), Ref: "again"}}, true},
		{"too many", func() []ledger.Approval {
			var as []ledger.Approval
			for i := range ledger.MaxApprovers + 1 {
				as = append(as, ledger.Approval{Party: id(string(rune('a' + i))), At: at})
			}
			return as
		}(), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLedger(t, ledger.Options{})
			before := state(t, l)
			tx := pay("p", "council-budget", "temple-cash", "10", ledger.Grant, council, uuid.Nil, at)
			tx.Formality.Approvers = tc.approvals
			_, err := l.Post(tx)
			h := ledger.Hold{ID: id("h"), Kind: ledger.Grant, From: id("council-budget"), To: id("temple-cash"), Amount: gbp("10"),
				Recorded: at, Formality: ledger.Formality{DecidedBy: council, Approvers: tc.approvals}}
			_, herr := l.PlaceHold(h)
			if !tc.refused {
				require.NoError(t, err)
				require.NoError(t, herr)
				return
			}
			assert.ErrorIs(t, err, ledger.ErrInvalidTransaction)
			assert.ErrorIs(t, herr, ledger.ErrInvalidTransaction)
			assert.Equal(t, before, state(t, l), "a refused record changes nothing")

			// Corrections carry approvals too, validated alike.
			good := pay("good", "council-budget", "temple-cash", "10", ledger.Grant, council, uuid.Nil, at)
			_, err = l.Post(good)
			require.NoError(t, err)
			hold := h
			hold.ID, hold.Formality.Approvers = id("h2"), nil
			_, err = l.PlaceHold(hold)
			require.NoError(t, err)
			before = state(t, l)
			_, err = l.Reverse(ledger.ReversalRequest{ID: id("r"), Of: good.ID, By: council, Approvers: tc.approvals, Effective: at, Recorded: at})
			assert.ErrorIs(t, err, ledger.ErrInvalidTransaction, "reversal")
			_, err = l.Capture(ledger.CaptureRequest{Hold: hold.ID, ID: id("c"), Amount: gbp("10"), Effective: at, Recorded: at, By: council, Approvers: tc.approvals})
			assert.ErrorIs(t, err, ledger.ErrInvalidTransaction, "capture")
			err = l.Void(ledger.VoidRequest{Hold: hold.ID, By: council, Approvers: tc.approvals, At: at})
			assert.ErrorIs(t, err, ledger.ErrInvalidTransaction, "void")
			assert.Equal(t, before, state(t, l), "refused corrections change nothing")
			_, err = l.Reverse(ledger.ReversalRequest{ID: id("r"), Of: good.ID, By: council, Approvers: []ledger.Approval{ok}, Effective: at, Recorded: at})
			assert.NoError(t, err, "the same reversal, soundly approved")
			_, err = l.Capture(ledger.CaptureRequest{Hold: hold.ID, ID: id("c"), Amount: gbp("10"), Effective: at, Recorded: at, By: council, Approvers: []ledger.Approval{ok}})
			assert.NoError(t, err, "the same capture, soundly approved")
		})
	}
}

// TestVoidKeepsItsApprovals checks that a void's approvals are kept on the
// resolution and journaled.
func TestVoidKeepsItsApprovals(t *testing.T) {
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Journal: &j})
	_, err := l.PlaceHold(ledger.Hold{ID: id("h"), Kind: ledger.Grant, From: id("council-budget"), To: id("temple-cash"), Amount: gbp("10"),
		Recorded: day(2025, 6, 1), Formality: ledger.Formality{DecidedBy: council}})
	require.NoError(t, err)
	approvals := []ledger.Approval{{Party: officer, At: day(2025, 6, 2), Ref: "minute 12"}}
	require.NoError(t, l.Void(ledger.VoidRequest{Hold: id("h"), By: council, Approvers: approvals, At: day(2025, 6, 2)}))
	back, err := ledger.Replay(bytes.NewReader(j.Bytes()), ledger.Options{})
	require.NoError(t, err)
	for h := range back.Holds() {
		require.Len(t, h.Resolution.Approvers, 1)
		assert.Equal(t, "minute 12", h.Resolution.Approvers[0].Ref)
	}
}
