package ledger_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// proofByDay answers each record with the proof given for the day it
// takes effect: record "pN" takes effect on 2025-05-0N.
type proofByDay map[string]coprod.Proof

func (a proofByDay) Permit(p coprod.Permission) (coprod.Proof, error) {
	name := fmt.Sprint("p", p.Effective.Day())
	if proof, ok := a[name]; ok {
		return proof, nil
	}
	return coprod.Proof{}, fmt.Errorf("no proof for %s", name)
}

// TestSharedProofsReadAsGiven: the ledger keeps one copy of proofs that
// read the same, yet every record reads back with the proof it was made
// under, to the zone offset of its period, live and after replay.
func TestSharedProofsReadAsGiven(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	link := func(from, until time.Time, limit string) coprod.ProofLink {
		pl := coprod.ProofLink{ID: id("d"), From: id("council"), To: officer, Scope: "commission", Period: coprod.Window{NotBefore: from, Expires: until}}
		if limit != "" {
			pl.Limit = gbp(limit)
		}
		return pl
	}
	start, end := time.Date(2025, 4, 1, 0, 0, 0, 0, london), time.Date(2026, 4, 1, 0, 0, 0, 0, london)
	auth := proofByDay{
		"p1": {Path: []coprod.ProofLink{link(start, end, "")}},
		"p2": {Path: []coprod.ProofLink{link(start.UTC(), end.UTC(), "")}}, // the same instants, printed in UTC
		"p3": {Path: []coprod.ProofLink{link(start, end, "")}},             // reads as p1
		"p4": {Path: []coprod.ProofLink{link(start, end, "5000")}},         // another limit
	}
	var journal bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &journal})
	for i, name := range []string{"p1", "p2", "p3", "p4"} {
		_, err := l.Post(pay(name, "council-budget", "hub-cash", "10", ledger.Grant, officer, id("d"), day(2025, 5, 1+i)))
		require.NoError(t, err)
		_, err = l.Post(pay(name+"-again", "council-budget", "hub-cash", "10", ledger.Grant, officer, id("d"), day(2025, 5, 1+i)))
		require.NoError(t, err)
	}
	check := func(l *ledger.Ledger) {
		t.Helper()
		for name, want := range auth {
			// The retry under another ID reads its proof from the same
			// bytes: after replay, from the bytes already decoded.
			for _, n := range []string{name, name + "-again"} {
				tx, ok := l.Transaction(id(n))
				require.True(t, ok)
				got, err := json.Marshal(tx.Proof)
				require.NoError(t, err)
				w, err := json.Marshal(want)
				require.NoError(t, err)
				assert.JSONEq(t, string(w), string(got), n)
				assert.Equal(t, string(w), string(got), n)
			}
		}
	}
	check(l)
	// A copy handed out is the caller's: changing it changes nothing kept.
	tx, _ := l.Transaction(id("p1"))
	tx.Proof.Path[0].Scope = "changed"
	check(l)

	replayed, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{Authorizer: auth})
	require.NoError(t, err)
	check(replayed)
}

// reusingAuthorizer answers every record with the same backing array for
// its proof path, and changes it after answering, as a careless or
// hostile authority might.
type reusingAuthorizer struct {
	path []coprod.ProofLink
}

func (a *reusingAuthorizer) Permit(p coprod.Permission) (coprod.Proof, error) {
	a.path[0].Scope, a.path[0].ID = "commission", id("d") // the answer for this record
	return coprod.Proof{Path: a.path}, nil
}

// TestKeptProofIsTheLedgersOwn: an authority that changes the slices of a
// proof after giving it changes nothing the ledger keeps, for the record
// it answered or any record sharing that proof.
func TestKeptProofIsTheLedgersOwn(t *testing.T) {
	auth := &reusingAuthorizer{path: []coprod.ProofLink{{ID: id("d"), From: id("council"), To: officer, Scope: "commission"}}}
	l := newLedger(t, ledger.Options{Authorizer: auth})
	for _, name := range []string{"own1", "own2"} {
		_, err := l.Post(pay(name, "council-budget", "hub-cash", "10", ledger.Grant, officer, id("d"), day(2025, 5, 1)))
		require.NoError(t, err)
		auth.path[0].Scope = "changed-after-answering"
		auth.path[0].ID = id("forged")
	}
	for _, name := range []string{"own1", "own2"} {
		tx, ok := l.Transaction(id(name))
		require.True(t, ok)
		require.Len(t, tx.Proof.Path, 1)
		assert.Equal(t, coprod.Scope("commission"), tx.Proof.Path[0].Scope, name)
		assert.Equal(t, id("d"), tx.Proof.Path[0].ID, name)
	}
}
