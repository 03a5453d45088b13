package ledger_test

import (
	"errors"
	"go/build"
	"slices"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// register is the authority behind the test ledger: the council's mandate
// delegated to the hub's director up to £5,000 a transaction.
func register(t testing.TB) *governance.Register {
	t.Helper()
	r := governance.NewRegister()
	for _, p := range []coprod.Party{
		{ID: council, Name: "Council", Sector: coprod.Statutory},
		{ID: hub, Name: "Hub", Sector: coprod.Hub},
		{ID: director, Name: "Director", Sector: coprod.Individual},
		{ID: officer, Name: "Officer", Sector: coprod.Individual},
	} {
		require.NoError(t, r.AddParty(p))
	}
	require.NoError(t, r.AddMandate(governance.Mandate{ID: id("mandate"), Holder: council, Scope: "commission", MaxDepth: 2,
		TransactionLimit: gbp("100000")}))
	require.NoError(t, r.Delegate(governance.Delegation{ID: id("to-director"), Parent: id("mandate"), From: council, To: director,
		Scope: "commission/mental-health", TransactionLimit: gbp("5000"),
		Window: coprod.Window{NotBefore: day(2025, 4, 1), Expires: day(2026, 4, 1)}}))
	return r
}

func TestGovernanceRegisterAsAuthorizer(t *testing.T) {
	reg := register(t)
	var _ ledger.Authorizer = reg // the register satisfies the ledger's interface as it is
	l := newLedger(t, ledger.Options{Authorizer: reg})

	ok := pay("within", "council-budget", "temple-cash", "4000", ledger.ProjectFunding, director, id("to-director"), day(2025, 6, 1))
	_, err := l.Post(ok)
	require.NoError(t, err)

	before := state(t, l)
	over := pay("over", "council-budget", "temple-cash", "6000", ledger.ProjectFunding, director, id("to-director"), day(2025, 6, 1))
	_, err = l.Post(over)
	require.ErrorIs(t, err, ledger.ErrNotAuthorized)
	require.ErrorIs(t, err, governance.ErrOverLimit, "the authority's reasons come through")
	var denied *governance.DeniedError
	require.True(t, errors.As(err, &denied))
	assert.Equal(t, governance.CodeOverLimit, denied.Reasons[0].Code)

	expired := pay("expired", "council-budget", "temple-cash", "10", ledger.ProjectFunding, director, id("to-director"), day(2026, 6, 1))
	_, err = l.Post(expired)
	assert.ErrorIs(t, err, governance.ErrExpired)

	wrongPerson := pay("wrong-person", "council-budget", "temple-cash", "10", ledger.ProjectFunding, officer, id("to-director"), day(2025, 6, 1))
	_, err = l.Post(wrongPerson)
	assert.ErrorIs(t, err, ledger.ErrNotAuthorized)
	assert.Equal(t, before, state(t, l), "refused transactions change nothing")

	// A value too large to express is refused before the authority is asked.
	huge := "600000000000000000000000000000"
	wide := pay("wide", "council-budget", "temple-cash", huge, ledger.ProjectFunding, director, id("to-director"), day(2025, 6, 1))
	wide.Postings = append(wide.Postings, wide.Postings...)
	_, err = l.Post(wide)
	assert.ErrorIs(t, err, ledger.ErrInvalidTransaction)
	assert.ErrorIs(t, err, coprod.ErrOverflow)
	assert.Equal(t, before, state(t, l), "refused transactions change nothing")

	// At discretion a party spends only its own money: an officer cannot
	// pay out of the council's budget on their own say.
	foreign := pay("foreign", "council-budget", "temple-cash", "750", ledger.Grant, officer, uuid.Nil, day(2025, 6, 2))
	_, err = l.Post(foreign)
	assert.ErrorIs(t, err, governance.ErrForeignAccount)
	assert.Equal(t, before, state(t, l), "refused transactions change nothing")

	// A discretionary transaction is recorded, with who decided.
	informal := pay("informal", "council-budget", "temple-cash", "750", ledger.Grant, council, uuid.Nil, day(2025, 6, 2))
	_, err = l.Post(informal)
	require.NoError(t, err)
	got, _ := l.Transaction(id("informal"))
	assert.False(t, got.Formality.Formal())
	assert.Equal(t, council, got.Formality.DecidedBy)

	// A strict ledger refuses it.
	strict := newLedger(t, ledger.Options{Authorizer: reg, Strict: true})
	_, err = strict.Post(informal)
	assert.ErrorIs(t, err, ledger.ErrDiscretionary)
	_, err = strict.Post(ok)
	assert.NoError(t, err)
}

// TestCumulativeLimitFromLedgerUsage shows the ledger supplying the usage
// a cumulative limit needs.
func TestCumulativeLimitFromLedgerUsage(t *testing.T) {
	reg := register(t)
	require.NoError(t, reg.Delegate(governance.Delegation{ID: id("capped"), Parent: id("mandate"), From: council, To: officer,
		Scope: "commission/mental-health", TransactionLimit: gbp("1000"), CumulativeLimit: gbp("1500"), Period: governance.PeriodMonth}))
	l := newLedger(t, ledger.Options{Authorizer: reg})
	_, err := l.Post(pay("a", "council-budget", "temple-cash", "1000", ledger.Payment, officer, id("capped"), day(2025, 6, 1)))
	require.NoError(t, err)
	_, err = l.Post(pay("b", "council-budget", "temple-cash", "600", ledger.Payment, officer, id("capped"), day(2025, 6, 20)))
	assert.ErrorIs(t, err, ledger.ErrOverCumulative, "the ledger enforces the cap as it commits")
	_, err = l.Post(pay("c", "council-budget", "temple-cash", "600", ledger.Payment, officer, id("capped"), day(2025, 7, 1)))
	assert.NoError(t, err, "a new month")
}

type denyAll struct{ calls int }

func (d *denyAll) Permit(coprod.Permission) (coprod.Proof, error) {
	d.calls++
	return coprod.Proof{}, errors.New("no")
}

func TestAuthorizerNotAskedForRetriesOrMemoranda(t *testing.T) {
	auth := &denyAll{}
	l := newLedger(t, ledger.Options{Authorizer: auth})
	labour := ledger.Transaction{
		ID: id("labour"), Kind: ledger.UnpaidLabour, Effective: day(2025, 5, 2), Recorded: day(2025, 5, 2),
		Postings:  []ledger.Posting{{Account: id("temple-hours-given"), Amount: hours("-6")}, {Account: id("service-hours-received"), Amount: hours("6")}},
		Formality: ledger.Formality{Instrument: id("sla"), Scope: "commission/mental-health/iapt", DecidedBy: temple},
		Labour:    &ledger.Labour{Hours: hours("6"), Method: ledger.ReplacementCost, Rate: gbp("14.50")},
	}
	_, err := l.Post(labour)
	require.NoError(t, err)
	assert.Zero(t, auth.calls, "recording unpaid labour is not a spending decision")
	_, err = l.Post(pay("x", "council-budget", "temple-cash", "1", ledger.Payment, officer, id("d"), day(2025, 6, 1)))
	assert.ErrorIs(t, err, ledger.ErrNotAuthorized)
	assert.Equal(t, 1, auth.calls)
}

// TestLedgerDoesNotImportGovernance keeps the layering: ledger and
// governance never import each other.
func TestLedgerDoesNotImportGovernance(t *testing.T) {
	for _, dir := range []string{".", "../governance"} {
		pkg, err := build.ImportDir(dir, 0)
		require.NoError(t, err)
		assert.False(t, slices.Contains(pkg.Imports, "github.com/coprod/coprod/governance"), dir)
		assert.False(t, slices.Contains(pkg.Imports, "github.com/coprod/coprod/ledger"), dir)
	}
}
