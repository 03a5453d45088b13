package ledger_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// proofQueue answers each call with the next proof in the queue.
type proofQueue []coprod.Proof

func (q *proofQueue) Permit(coprod.Permission) (coprod.Proof, error) {
	p := (*q)[0]
	*q = (*q)[1:]
	return p, nil
}

// TestAttackZeroPeriodProofReadsBackAsAnother: a link period whose bound is
// the zero instant in a zone named "UTC" (time.Time{}.In of a FixedZone
// "UTC") is not the zero Window, so the journal writes it as
// "period":{}; yet sameProof finds it equal, to the zone, to a link with
// no period at all, which is written with no "period". The ledger then
// shares one kept proof between records whose proofs are written
// differently: the second record reads back, live, with the first
// record's proof, not the one it was made under and journaled with, and
// a ledger replayed from that journal reads it back otherwise.
func TestAttackZeroPeriodProofReadsBackAsAnother(t *testing.T) {
	link := coprod.ProofLink{ID: id("d"), From: id("council"), To: officer, Scope: "commission"}
	zeroInUTC := link
	zeroInUTC.Period = coprod.Window{NotBefore: time.Time{}.In(time.FixedZone("UTC", 0))}
	given := []coprod.Proof{
		{Path: []coprod.ProofLink{zeroInUTC}}, // written with "period":{}
		{Path: []coprod.ProofLink{link}},      // written with no period
	}
	auth := proofQueue(append([]coprod.Proof(nil), given...))
	var journal bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: &auth, Journal: &journal})
	names := []string{"zero-period-1", "zero-period-2"}
	for _, n := range names {
		_, err := l.Post(pay(n, "council-budget", "hub-cash", "10", ledger.Grant, officer, id("d"), day(2025, 5, 1)))
		require.NoError(t, err)
	}
	replayed, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{})
	require.NoError(t, err)
	{
		const i = 1 // the record whose proof was shared with the first
		n := names[i]
		want, err := json.Marshal(given[i])
		require.NoError(t, err)
		tx, ok := l.Transaction(id(n))
		require.True(t, ok)
		live, err := json.Marshal(tx.Proof)
		require.NoError(t, err)
		rtx, ok := replayed.Transaction(id(n))
		require.True(t, ok)
		again, err := json.Marshal(rtx.Proof)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(live), "%s: read back with another record's proof", n)
		assert.Equal(t, string(again), string(live), "%s: live and replayed ledgers read its proof back differently", n)
	}
	// The first record's period has no bound: the ledger keeps it as no
	// period, so it reads back the same live and after replay.
	{
		tx, ok := l.Transaction(id(names[0]))
		require.True(t, ok)
		live, err := json.Marshal(tx.Proof)
		require.NoError(t, err)
		rtx, ok := replayed.Transaction(id(names[0]))
		require.True(t, ok)
		again, err := json.Marshal(rtx.Proof)
		require.NoError(t, err)
		assert.Equal(t, string(again), string(live), "%s: live and replayed ledgers read its proof back differently", names[0])
	}
}
