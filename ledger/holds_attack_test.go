package ledger_test

import (
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cappedLink answers every request with a fresh proof of one link capped
// at 100.
type cappedLink struct{}

func (cappedLink) Permit(p coprod.Permission) (coprod.Proof, error) {
	return coprod.Proof{Path: []coprod.ProofLink{{ID: id("d"), From: council, To: officer, Scope: "commission", Limit: gbp("100")}}}, nil
}

// TestAttackHoldsHandsOutTheKeptProof: Holds yielded each hold with the
// ledger's own proof (and approvals), not a copy: a caller changing what
// it was handed changed the books' record of the hold, and what its void
// gave back against cumulative limits.
func TestAttackHoldsHandsOutTheKeptProof(t *testing.T) {
	l := newLedger(t, ledger.Options{Authorizer: cappedLink{}})
	_, err := l.PlaceHold(ledger.Hold{ID: id("h"), Kind: ledger.Grant, From: id("council-budget"), To: id("temple-cash"), Amount: gbp("60"),
		Recorded: day(2025, 6, 1), Formality: ledger.Formality{Instrument: id("d"), Scope: "commission/mental-health", DecidedBy: officer,
			Approvers: []ledger.Approval{{Party: council, At: day(2025, 6, 1), Ref: "minute 1"}}}})
	require.NoError(t, err)
	spent, err := l.Spent(id("d"), coprod.Window{})
	require.NoError(t, err)
	require.Equal(t, "60.00 GBP", spent.String())

	for st := range l.Holds() {
		st.Hold.Proof.Path[0].ID = id("elsewhere")
		st.Hold.Proof.Path[0].Limit = gbp("1000000")
		st.Hold.Formality.Approvers[0].Ref = "forged"
	}
	for st := range l.Holds() {
		assert.Equal(t, id("d"), st.Hold.Proof.Path[0].ID, "the kept proof changed")
		assert.Equal(t, "100.00 GBP", st.Hold.Proof.Path[0].Limit.String())
		assert.Equal(t, "minute 1", st.Hold.Formality.Approvers[0].Ref, "the kept approvals changed")
	}
	require.NoError(t, l.Void(ledger.VoidRequest{Hold: id("h"), By: officer, At: day(2025, 6, 2)}))
	spent, err = l.Spent(id("d"), coprod.Window{})
	require.NoError(t, err)
	assert.Equal(t, "0.00 GBP", spent.String(), "the void gave back to another link")
}
