package ledger_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// TestAuthorizedJournalTakesTheFastPath: every transaction line of a
// journal written by a ledger with a governance register as its
// Authorizer (proofs with limits and periods set and unset, acting-for
// records, approvals, labour by each method, a reversal, free text) is
// read by the fast decoder, to what encoding/json reads. Replay of such a
// journal is otherwise many times slower, so this must not regress
// silently.
func TestAuthorizedJournalTakesTheFastPath(t *testing.T) {
	reg := benchRegister(t) // the officer's delegation "d": a monthly cumulative limit
	require.NoError(t, reg.AddParty(coprod.Party{ID: director, Name: "Director", Sector: coprod.Individual}))
	require.NoError(t, reg.Delegate(governance.Delegation{ID: id("to-director"), Parent: id("mandate"), From: council, To: director,
		Scope: "commission/mental-health", TransactionLimit: gbp("5000"),
		Window: coprod.Window{NotBefore: day(2025, 4, 1), Expires: day(2026, 4, 1)}}))
	require.NoError(t, reg.ActFor(governance.ActingFor{ID: id("director-for-hub"), Person: director, For: hub, Role: governance.RoleDirector}))

	var journal bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: reg, Journal: &journal})
	bst := time.FixedZone("BST", 3600)
	post := func(tx ledger.Transaction) {
		t.Helper()
		_, err := l.Post(tx)
		require.NoError(t, err)
	}
	// Under a delegation with a limit and a period, at an offset, with
	// free text (journaled apart from the record).
	tx := pay("limited", "council-budget", "hub-cash", "12.34", ledger.Payment, officer, id("d"), day(2025, 5, 1).In(bst))
	tx.Memo, tx.Metadata, tx.Coverage = "May", map[string]string{"invoice": "INV-1"}, ledger.FullCost
	post(tx)
	// Labour by each method.
	for i := range 3 {
		post(labourRecord(t, i))
	}
	// Under a delegation with no cumulative limit, approved by two.
	tx = pay("approved", "council-budget", "temple-cash", "4000", ledger.ProjectFunding, director, id("to-director"), day(2025, 6, 1))
	tx.Formality.Approvers = []ledger.Approval{{Party: officer, At: day(2025, 5, 30).In(bst), Ref: "Minute 25/114 — approved"}, {Party: council, At: day(2025, 6, 1)}}
	post(tx)
	// The hub's money, which the director acts for: at discretion (a proof
	// with no path) and under the delegation (a path and acting-for).
	post(pay("acting-discretion", "hub-cash", "temple-cash", "300", ledger.Grant, director, uuid.Nil, day(2025, 6, 2)))
	post(pay("acting-formal", "hub-cash", "temple-cash", "400", ledger.ProjectFunding, director, id("to-director"), day(2025, 6, 3)))
	_, err := l.Reverse(ledger.ReversalRequest{ID: id("reversal"), Of: id("limited"), By: officer, Reason: "paid twice",
		Effective: day(2025, 6, 4), Recorded: day(2025, 6, 4)})
	require.NoError(t, err)

	lines := 0
	sc := bufio.NewScanner(bytes.NewReader(journal.Bytes()))
	sc.Buffer(nil, ledger.MaxJournalLine)
	for sc.Scan() {
		var env struct {
			Type   string          `json:"type"`
			Record json.RawMessage `json:"record"`
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &env))
		if env.Type != "transaction" {
			continue
		}
		lines++
		fast, ok := ledger.DecodeTransactionFast(env.Record)
		require.True(t, ok, "the fast path declined %s", env.Record)
		type plain ledger.Transaction
		var ref plain
		d := json.NewDecoder(bytes.NewReader(env.Record))
		d.DisallowUnknownFields()
		require.NoError(t, d.Decode(&ref))
		require.True(t, reflect.DeepEqual(fast, ledger.Transaction(ref)), "decodings differ:\n%s\nfast %#v\njson %#v", env.Record, fast, ref)
	}
	require.NoError(t, sc.Err())
	require.Equal(t, 8, lines)
	for _, form := range []string{`"limit":null`, `"period":{"not_before":`, `"acting":[{`, `"path":null`, `"approvers":[{`,
		`"labour":{`, `"method":"replacement-cost"`, `"method":"opportunity-cost"`, `"method":"time-credit"`, `"kind":"reversal"`} {
		require.True(t, strings.Contains(journal.String(), form), "the journal has no %s", form)
	}

	back, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{Authorizer: reg})
	require.NoError(t, err)
	require.Equal(t, state(t, l), state(t, back))
}
