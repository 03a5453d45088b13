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

// TestAuditBothJournals replays a register journal and a ledger journal
// together, years later, and answers for a payment made under a delegation
// that was later revoked, by a revocation recorded after the payment and
// dated before it, that it was authorised when made.
func TestAuditBothJournals(t *testing.T) {
	key := &coprod.JournalKey{ID: "2025", Secret: []byte("the partnership's journal key")}
	keys := coprod.Keyring{"2025": key.Secret}
	var regJournal, ledJournal bytes.Buffer
	reg := governance.New(governance.Options{Journal: &regJournal, Key: key})
	for _, p := range []coprod.Party{
		{ID: council, Name: "Council", Sector: coprod.Statutory},
		{ID: director, Name: "Director", Sector: coprod.Individual},
		{ID: temple, Name: "Temple", Sector: coprod.Community},
	} {
		require.NoError(t, reg.AddParty(p))
	}
	require.NoError(t, reg.AddMandate(governance.Mandate{ID: id("mandate"), Holder: council, Scope: "commission", MaxDepth: 1,
		TransactionLimit: gbp("100000"), Recorded: day(2025, 4, 1)}))
	require.NoError(t, reg.Delegate(governance.Delegation{ID: id("to-director"), Parent: id("mandate"), From: council, To: director,
		Scope: "commission/mental-health", TransactionLimit: gbp("5000"), Recorded: day(2025, 4, 2)}))

	l := newLedger(t, ledger.Options{Authorizer: reg, Journal: &ledJournal, Key: key})
	payment := pay("payment", "council-budget", "temple-cash", "4000", ledger.ProjectFunding, director, id("to-director"), day(2025, 6, 1))
	_, err := l.Post(payment)
	require.NoError(t, err)

	// On 1 July the council records that the director's delegation had
	// ended on 15 May.
	require.NoError(t, reg.Revoke(governance.Revocation{Link: id("to-director"), By: council, At: day(2025, 5, 15),
		Reason: "left in May", Recorded: day(2025, 7, 1)}))

	// Years later an auditor has the two journals and the key.
	_, err = governance.VerifyJournal(bytes.NewReader(regJournal.Bytes()), keys)
	require.NoError(t, err)
	_, err = ledger.Verify(bytes.NewReader(ledJournal.Bytes()), keys)
	require.NoError(t, err)
	r, err := governance.Replay(bytes.NewReader(regJournal.Bytes()), governance.Options{Keys: keys})
	require.NoError(t, err)
	books, err := ledger.Replay(bytes.NewReader(ledJournal.Bytes()), ledger.Options{Authorizer: r, Keys: keys})
	require.NoError(t, err)

	p, err := books.Permission(id("payment"))
	require.NoError(t, err)
	_, err = r.AsOf(p.Recorded).Permit(p)
	assert.NoError(t, err, "as known when it was made, the payment was authorised")
	_, err = r.Permit(p)
	assert.ErrorIs(t, err, governance.ErrRevoked, "as known now, the delegation had ended before it")

	// The proof kept with the payment names the path it was made under.
	got, _ := books.Transaction(id("payment"))
	require.NotNil(t, got.Proof)
	leaf, _ := got.Proof.Leaf()
	assert.Equal(t, id("to-director"), leaf.ID)

	// A line appended by someone without the key fails verification.
	var forged bytes.Buffer
	forger := ledger.New(ledger.Options{Journal: &forged})
	require.NoError(t, forger.Open(ledger.Account{ID: uuid.New(), Owner: council, Kind: ledger.Cash, Unit: coprod.GBP}))
	_, err = ledger.Verify(bytes.NewReader(append(bytes.Clone(ledJournal.Bytes()), forged.Bytes()...)), keys)
	assert.ErrorIs(t, err, ledger.ErrCorruptJournal)
}
