package ledger_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/lockcheck"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// written is the transaction the concurrent writer posts on its i-th
// write.
func written(i int) ledger.Transaction {
	return pay(fmt.Sprint("written-", i), "council-budget", "hub-cash", "1", ledger.Grant, officer, uuid.Nil, day(2025, 5, 1))
}

// writtenHold is the hold the concurrent writer places on its i-th write.
func writtenHold(i int) ledger.Hold {
	return ledger.Hold{ID: id(fmt.Sprint("written-hold-", i)), Kind: ledger.ProjectFunding, From: id("hub-cash"), To: id("temple-cash"),
		Amount: gbp("10"), Recorded: day(2025, 5, 1), Formality: ledger.Formality{DecidedBy: director}}
}

// touch reads the ledger through several entry points, as a loop body or
// a classifier might.
func touch(l *ledger.Ledger) error {
	if _, err := l.Balance(id("hub-cash")); err != nil {
		return err
	}
	if _, err := l.Held(id("hub-cash")); err != nil {
		return err
	}
	if _, err := l.Flows(coprod.Window{}); err != nil {
		return err
	}
	_, _ = l.Transaction(id("seed-0"))
	_ = l.Head()
	return nil
}

// TestIteratorsHoldNoLockInTheLoopBody reads the ledger again inside the
// body of every iterator, and inside a Metrics classifier, while another
// goroutine keeps recording. Holding the read lock while caller code ran
// would deadlock as soon as the writer waited for the lock.
func TestIteratorsHoldNoLockInTheLoopBody(t *testing.T) {
	tests := []struct {
		name  string
		write func(l *ledger.Ledger, i int) error
		// read ranges over one iterator (or runs Metrics), calling body
		// for each element or classification, and ranges over the same
		// iterator again inside the body.
		read func(l *ledger.Ledger, body func() error) error
	}{
		{
			name: "Accounts",
			write: func(l *ledger.Ledger, i int) error {
				if err := l.Open(ledger.Account{ID: id(fmt.Sprint("written-account-", i)), Owner: hub, Name: "written",
					Kind: ledger.Cash, Unit: coprod.GBP}); err != nil {
					return err
				}
				_, err := l.Post(written(i))
				return err
			},
			read: func(l *ledger.Ledger, body func() error) error {
				for a := range l.Accounts() {
					if err := body(); err != nil {
						return err
					}
					if _, err := l.Balance(a.ID); err != nil {
						return err
					}
					for range l.Accounts() {
					}
				}
				return nil
			},
		},
		{
			name:  "Transactions",
			write: func(l *ledger.Ledger, i int) error { _, err := l.Post(written(i)); return err },
			read: func(l *ledger.Ledger, body func() error) error {
				for tx := range l.Transactions() {
					if err := body(); err != nil {
						return err
					}
					if _, ok := l.Transaction(tx.ID); !ok {
						return fmt.Errorf("transaction %s not found", tx.ID)
					}
					for range l.Transactions() {
					}
				}
				return nil
			},
		},
		{
			// Voiding resolves holds the loop has yet to reach.
			name: "Holds",
			write: func(l *ledger.Ledger, i int) error {
				if i%2 == 1 {
					return l.Void(ledger.VoidRequest{Hold: writtenHold(i - 1).ID, By: director, At: day(2025, 5, 1), Reason: "not needed"})
				}
				_, err := l.PlaceHold(writtenHold(i))
				return err
			},
			read: func(l *ledger.Ledger, body func() error) error {
				for h := range l.Holds() {
					if err := body(); err != nil {
						return err
					}
					if _, err := l.Held(h.Hold.From); err != nil {
						return err
					}
					for range l.Holds() {
					}
				}
				return nil
			},
		},
		{
			// Each write closes the books a second further on.
			name: "Closings",
			write: func(l *ledger.Ledger, i int) error {
				_, err := l.ClosePeriod(ledger.Closing{Through: day(2025, 1, 1).Add(time.Duration(i+10) * time.Second), Recorded: day(2025, 5, 1), By: council})
				return err
			},
			read: func(l *ledger.Ledger, body func() error) error {
				for range l.Closings() {
					if err := body(); err != nil {
						return err
					}
					_ = l.ClosedThrough()
					for range l.Closings() {
					}
				}
				return nil
			},
		},
		{
			name:  "Metrics classifier",
			write: func(l *ledger.Ledger, i int) error { _, err := l.Post(written(i)); return err },
			read: func(l *ledger.Ledger, body func() error) error {
				var err error
				_, merr := l.Metrics(coprod.Window{}, func(p coprod.PartyID) coprod.Sector {
					if e := body(); e != nil && err == nil {
						err = e
					}
					if _, e := l.Metrics(coprod.Window{}, sector); e != nil && err == nil {
						err = e
					}
					return sector(p)
				})
				if merr != nil {
					return merr
				}
				return err
			},
		},
		{
			name:  "MetricsAsOf classifier",
			write: func(l *ledger.Ledger, i int) error { _, err := l.Post(written(i)); return err },
			read: func(l *ledger.Ledger, body func() error) error {
				var err error
				_, merr := l.MetricsAsOf(coprod.Window{}, day(2030, 1, 1), func(p coprod.PartyID) coprod.Sector {
					if e := body(); e != nil && err == nil {
						err = e
					}
					if _, e := l.MetricsAsOf(coprod.Window{}, day(2030, 1, 1), sector); e != nil && err == nil {
						err = e
					}
					return sector(p)
				})
				if merr != nil {
					return merr
				}
				return err
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLedger(t, ledger.Options{})
			for i := range 3 { // transactions and holds the loops will see
				_, err := l.Post(pay(fmt.Sprint("seed-", i), "council-budget", "hub-cash", "5", ledger.Grant, officer, uuid.Nil, day(2025, 5, 1)))
				require.NoError(t, err)
				_, err = l.PlaceHold(writtenHold(1000 + i))
				require.NoError(t, err)
				_, err = l.ClosePeriod(ledger.Closing{Through: day(2025, 1, 1).Add(time.Duration(i+1) * time.Second), Recorded: day(2025, 5, 1), By: council})
				require.NoError(t, err)
			}
			lockcheck.UnderWrites(t,
				func(i int) error { return tt.write(l, i) },
				func(poke func()) error {
					return tt.read(l, func() error {
						poke()
						return touch(l)
					})
				})
		})
	}
}

// TestSnapshotsIgnoreWritesMadeWhileIterating pins what the iterators and
// Metrics yield when the loop body (or classifier) records into the
// ledger: the state when iteration started.
func TestSnapshotsIgnoreWritesMadeWhileIterating(t *testing.T) {
	t.Run("Metrics", func(t *testing.T) {
		l, _ := journaled(t)
		want, err := l.Metrics(coprod.Window{}, sector)
		require.NoError(t, err)
		calls := map[coprod.PartyID]int{}
		got, err := l.Metrics(coprod.Window{}, func(p coprod.PartyID) coprod.Sector {
			if len(calls) == 0 {
				// Reverse the grant and post a new payment: neither may
				// change the metrics already under way.
				_, err := l.Reverse(ledger.ReversalRequest{ID: id("late-reversal"), Of: id("grant"), By: council,
					Effective: day(2025, 9, 1), Recorded: day(2025, 9, 1)})
				require.NoError(t, err)
				_, err = l.Post(pay("late", "council-budget", "temple-cash", "999", ledger.CoreFunding, officer, uuid.Nil, day(2025, 9, 1)))
				require.NoError(t, err)
			}
			calls[p]++
			return sector(p)
		})
		require.NoError(t, err)
		assert.JSONEq(t, metricsJSON(t, want), metricsJSON(t, got))
		for p, n := range calls {
			assert.Equal(t, 1, n, "party %s classified once", p)
		}
		after, err := l.Metrics(coprod.Window{}, sector)
		require.NoError(t, err)
		assert.NotEqual(t, want.Moved.String(), after.Moved.String(), "the writes count from the next call")
	})
	t.Run("Holds", func(t *testing.T) {
		l := newLedger(t, ledger.Options{})
		for i := range 3 {
			_, err := l.PlaceHold(writtenHold(i))
			require.NoError(t, err)
		}
		var seen []ledger.Resolution
		for h := range l.Holds() {
			if h.Hold.ID == writtenHold(0).ID {
				require.NoError(t, l.Void(ledger.VoidRequest{Hold: writtenHold(1).ID, By: director, At: day(2025, 5, 1), Reason: "voided while iterating"}))
				_, err := l.PlaceHold(writtenHold(3))
				require.NoError(t, err)
			}
			seen = append(seen, h.Resolution.Resolution)
		}
		assert.Equal(t, []ledger.Resolution{ledger.Open, ledger.Open, ledger.Open}, seen)
		seen = nil
		for h := range l.Holds() {
			seen = append(seen, h.Resolution.Resolution)
		}
		assert.Equal(t, []ledger.Resolution{ledger.Open, ledger.Voided, ledger.Open, ledger.Open}, seen)
	})
	t.Run("Transactions and Accounts", func(t *testing.T) {
		l := newLedger(t, ledger.Options{})
		_, err := l.Post(written(0))
		require.NoError(t, err)
		n := 0
		for range l.Transactions() {
			_, err := l.Post(written(n + 1))
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 1, n)
		n = 0
		for range l.Accounts() {
			require.NoError(t, l.Open(ledger.Account{ID: id(fmt.Sprint("late-account-", n)), Owner: hub, Name: "late", Kind: ledger.Cash, Unit: coprod.GBP}))
			n++
		}
		assert.Equal(t, len(accounts), n)
	})
}

func metricsJSON(t *testing.T, m ledger.Metrics) string {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}
