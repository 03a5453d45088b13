package ledger_test

import (
	"sync"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cappedRegister is the council's mandate, a delegation to the hub with a
// monthly cumulative limit of £1,000, and below it a delegation to the
// officer; the officer and the hub spend from the council's budget.
func cappedRegister(t testing.TB) *governance.Register {
	t.Helper()
	r := register(t)
	require.NoError(t, r.Delegate(governance.Delegation{ID: id("to-hub"), Parent: id("mandate"), From: council, To: hub,
		Scope: "commission/mental-health", TransactionLimit: gbp("5000"), CumulativeLimit: gbp("1000"), Period: governance.PeriodMonth,
		MaySubDelegate: true, MaxDepth: 1}))
	require.NoError(t, r.Delegate(governance.Delegation{ID: id("hub-to-officer"), Parent: id("to-hub"), From: hub, To: officer,
		Scope: "commission/mental-health/iapt", TransactionLimit: gbp("5000"), CumulativeLimit: gbp("1000"), Period: governance.PeriodMonth}))
	return r
}

func TestCapHoldsUnderConcurrentPosts(t *testing.T) {
	for trial := range 50 {
		l := newLedger(t, ledger.Options{Authorizer: cappedRegister(t)})
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tx := pay(uuid.NewString(), "council-budget", "temple-cash", "600", ledger.Payment, officer, id("hub-to-officer"), day(2025, 6, 1))
				tx.ID = uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(trial), byte(g)})
				tx.Formality.Scope = "commission/mental-health/iapt"
				if _, err := l.Post(tx); err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				} else {
					assert.ErrorIs(t, err, ledger.ErrOverCumulative)
				}
			}()
		}
		wg.Wait()
		require.Equal(t, 1, ok, "trial %d: exactly one of eight posts of 600 fits a cap of 1,000", trial)
		spent, err := l.Spent(id("to-hub"), coprod.Window{NotBefore: day(2025, 6, 1), Expires: day(2025, 7, 1)})
		require.NoError(t, err)
		assert.Equal(t, "600.00 GBP", spent.String())
	}
}

func TestSubtreeCapWhateverTheOrder(t *testing.T) {
	for _, order := range [][2]string{{"child", "parent"}, {"parent", "child"}} {
		t.Run(order[0]+" first", func(t *testing.T) {
			l := newLedger(t, ledger.Options{Authorizer: cappedRegister(t)})
			post := func(who string, amount string) error {
				decider, via, scope := hub, id("to-hub"), coprod.Scope("commission/mental-health")
				if who == "child" {
					decider, via, scope = officer, id("hub-to-officer"), "commission/mental-health/iapt"
				}
				tx := pay(who+amount, "council-budget", "temple-cash", amount, ledger.Payment, decider, via, day(2025, 6, 1))
				tx.Formality.Scope = scope
				_, err := l.Post(tx)
				return err
			}
			require.NoError(t, post(order[0], "700"))
			assert.ErrorIs(t, post(order[1], "400"), ledger.ErrOverCumulative, "the hub's cap covers its whole subtree")
			assert.NoError(t, post(order[1], "300"))
		})
	}
}

func TestHoldsReserveAndReversalsRelease(t *testing.T) {
	l := newLedger(t, ledger.Options{Authorizer: cappedRegister(t)})
	hold := ledger.Hold{ID: id("hold"), Kind: ledger.Grant, From: id("council-budget"), To: id("temple-cash"), Amount: gbp("800"),
		Expires: day(2025, 9, 1), Recorded: day(2025, 6, 1),
		Formality: ledger.Formality{Instrument: id("to-hub"), Scope: "commission/mental-health", DecidedBy: hub}}
	_, err := l.PlaceHold(hold)
	require.NoError(t, err)
	grant := pay("over", "council-budget", "temple-cash", "300", ledger.Grant, hub, id("to-hub"), day(2025, 6, 2))
	_, err = l.Post(grant)
	assert.ErrorIs(t, err, ledger.ErrOverCumulative, "the open hold reserves 800 of the 1,000")

	// Capture converts the hold without counting twice.
	_, err = l.Capture(ledger.CaptureRequest{Hold: id("hold"), ID: id("captured"), Amount: gbp("500"),
		Effective: day(2025, 6, 3), Recorded: day(2025, 6, 3), By: hub})
	require.NoError(t, err)
	june := coprod.Window{NotBefore: day(2025, 6, 1), Expires: day(2025, 7, 1)}
	spent, _ := l.Spent(id("to-hub"), june)
	assert.Equal(t, "500.00 GBP", spent.String())
	grant.ID, grant.Recorded, grant.Effective = id("fits"), day(2025, 6, 4), day(2025, 6, 4)
	_, err = l.Post(grant)
	require.NoError(t, err)

	// A reversal gives the original's value back in the original's period.
	_, err = l.Reverse(ledger.ReversalRequest{ID: id("undo"), Of: id("captured"), By: hub, Effective: day(2025, 7, 2), Recorded: day(2025, 7, 2)})
	require.NoError(t, err)
	spent, _ = l.Spent(id("to-hub"), june)
	assert.Equal(t, "300.00 GBP", spent.String())

	// A stranger cannot reverse, capture or void.
	_, err = l.Reverse(ledger.ReversalRequest{ID: id("undo-2"), Of: id("fits"), By: temple, Effective: day(2025, 7, 3), Recorded: day(2025, 7, 3)})
	assert.ErrorIs(t, err, governance.ErrNotEntitled)
}

func TestTheTimeRule(t *testing.T) {
	r := register(t)
	l := newLedger(t, ledger.Options{Authorizer: r})
	require.NoError(t, r.Revoke(governance.Revocation{Link: id("to-director"), By: council, At: day(2025, 6, 1), Reason: "left"}))
	backdated := pay("backdated", "council-budget", "temple-cash", "10", ledger.Payment, director, id("to-director"), day(2025, 5, 31))
	backdated.Recorded = day(2025, 7, 1)
	_, err := l.Post(backdated)
	assert.ErrorIs(t, err, governance.ErrRevoked, "authorised at its recorded time, after the revocation")

	// The year-end accrual: recorded 2 April, effective 31 March.
	accrual := pay("accrual", "council-budget", "temple-cash", "10", ledger.Payment, council, uuid.Nil, day(2025, 3, 31))
	accrual.Recorded = day(2025, 4, 2)
	_, err = l.Post(accrual)
	require.NoError(t, err, "March is open")
	_, err = l.ClosePeriod(ledger.Closing{Through: day(2025, 4, 1), Recorded: day(2025, 4, 10), By: council})
	require.NoError(t, err)
	late := accrual
	late.ID, late.Recorded = id("late-accrual"), day(2025, 4, 11)
	_, err = l.Post(late)
	assert.ErrorIs(t, err, ledger.ErrPeriodClosed)

	// Recorded times never go back by more than the skew.
	early := pay("early", "council-budget", "temple-cash", "10", ledger.Payment, council, uuid.Nil, day(2025, 4, 11))
	early.Recorded = day(2025, 4, 11).Add(-2 * time.Minute)
	_, err = l.Post(early)
	require.NoError(t, err, "within the minute's skew of the closing recorded on the 10th")
	early.ID, early.Recorded = id("too-early"), day(2025, 4, 9)
	_, err = l.Post(early)
	assert.ErrorIs(t, err, ledger.ErrRecordedTimeBehind)
}

// opener is an authority that, while it is being asked, lets another
// goroutine open the account the record names: the authority must have
// been asked about its owner all the same.
type opener struct {
	l   *ledger.Ledger
	acc ledger.Account
}

func (o *opener) Permit(p coprod.Permission) (coprod.Proof, error) {
	_ = o.l.Open(o.acc)
	return coprod.Proof{}, nil
}

func TestAccountOpenedWhileAskingIsRefused(t *testing.T) {
	auth := &opener{acc: ledger.Account{ID: id("victim-cash"), Owner: id("victim"), Kind: ledger.Cash, Unit: coprod.GBP}}
	l := newLedger(t, ledger.Options{Authorizer: auth})
	auth.l = l
	tx := ledger.Transaction{ID: id("take"), Kind: ledger.Payment, Effective: day(2025, 6, 1), Recorded: day(2025, 6, 1),
		Postings:  []ledger.Posting{{Account: id("victim-cash"), Amount: gbp("-100")}, {Account: id("temple-cash"), Amount: gbp("100")}},
		Formality: ledger.Formality{DecidedBy: temple}}
	_, err := l.Post(tx)
	assert.ErrorIs(t, err, ledger.ErrUnknownAccount)
	_, recorded := l.Transaction(id("take"))
	assert.False(t, recorded)
}
