package ledger_test

import (
	"bytes"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestActingForThroughTheLedger: the hub's director spends the hub's money,
// at discretion and under their own delegation, because they act for the
// hub; the journal keeps the acting-for record that allowed it, and a
// replay reads it back.
func TestActingForThroughTheLedger(t *testing.T) {
	reg := register(t)
	require.NoError(t, reg.ActFor(governance.ActingFor{ID: id("director-for-hub"), Person: director, For: hub, Role: governance.RoleDirector,
		Window: coprod.Window{NotBefore: day(2025, 1, 1), Expires: day(2026, 1, 1)}}))
	var journal bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: reg, Journal: &journal})
	acting := []coprod.ProofActing{{ID: id("director-for-hub"), Person: director, For: hub}}

	tests := []struct {
		name string
		tx   ledger.Transaction
		want error
		// path is whether the proof has a path; acting what it names.
		path   bool
		acting []coprod.ProofActing
	}{
		{name: "discretionary, from the hub's account", tx: pay("disc", "hub-cash", "temple-cash", "300", ledger.Grant, director, uuid.Nil, day(2025, 6, 1)),
			acting: acting},
		{name: "under the director's delegation, from the hub's account", tx: pay("formal", "hub-cash", "temple-cash", "400", ledger.ProjectFunding, director, id("to-director"), day(2025, 6, 2)),
			path: true, acting: acting},
		{name: "under the delegation, from the council's budget: no acting-for needed", tx: pay("council", "council-budget", "temple-cash", "500", ledger.ProjectFunding, director, id("to-director"), day(2025, 6, 3)),
			path: true},
		{name: "rejected: after the acting-for ends", tx: pay("late", "hub-cash", "temple-cash", "10", ledger.Grant, director, uuid.Nil, day(2026, 1, 2)),
			want: governance.ErrForeignAccount},
		{name: "rejected: the temple's money", tx: pay("temple", "temple-cash", "hub-cash", "10", ledger.Grant, director, uuid.Nil, day(2026, 1, 3)),
			want: governance.ErrForeignAccount},
		{name: "rejected: an officer who does not act for the hub", tx: pay("officer", "hub-cash", "temple-cash", "10", ledger.Grant, officer, uuid.Nil, day(2026, 1, 4)),
			want: governance.ErrForeignAccount},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := state(t, l)
			_, err := l.Post(tc.tx)
			if tc.want != nil {
				require.ErrorIs(t, err, ledger.ErrNotAuthorized)
				require.ErrorIs(t, err, tc.want)
				assert.Equal(t, before, state(t, l), "a refused transaction changes nothing")
				return
			}
			require.NoError(t, err)
			got, ok := l.Transaction(tc.tx.ID)
			require.True(t, ok)
			if !tc.path && tc.acting == nil {
				assert.Nil(t, got.Proof)
				return
			}
			require.NotNil(t, got.Proof)
			assert.Equal(t, tc.path, len(got.Proof.Path) > 0)
			assert.Equal(t, tc.acting, got.Proof.Acting)
		})
	}

	// The director, who decided it, reverses the discretionary record.
	_, err := l.Reverse(ledger.ReversalRequest{ID: id("disc-reversal"), Of: id("disc"), By: director, Reason: "paid twice",
		Effective: day(2026, 1, 5), Recorded: day(2026, 1, 5)})
	require.NoError(t, err)

	assert.Contains(t, journal.String(), `"acting":[{"id":"`+id("director-for-hub").String())
	back, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{})
	require.NoError(t, err)
	assert.Equal(t, state(t, l), state(t, back))
	for _, txid := range []uuid.UUID{id("disc"), id("formal")} {
		orig, _ := l.Transaction(txid)
		got, ok := back.Transaction(txid)
		require.True(t, ok)
		assert.Equal(t, orig.Proof.Acting, got.Proof.Acting, "the journal keeps what made the money spendable")
	}
}
