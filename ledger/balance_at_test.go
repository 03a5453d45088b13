package ledger_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/stretchr/testify/require"
)

// balanceAtPosts returns transaction i of a run among the hub's cash, the
// temple's cash and the temple's costs, one minute apart; every third is
// back-dated by a day, and every fifth posts to the hub's cash twice, so
// that a list that counted a transaction once per posting, or missed one,
// would give a wrong sum.
func balanceAtPosts(i int) ledger.Transaction {
	at := day(2025, 5, 1).Add(time.Duration(i) * time.Minute)
	tx := pay(fmt.Sprint("bat-", i), "hub-cash", "temple-cash", fmt.Sprintf("%d.%02d", 1+i%7, i%100), ledger.Grant, officer, id("d"), at)
	if i%5 == 0 {
		tx.Postings = []ledger.Posting{
			{Account: id("hub-cash"), Amount: gbp("3.00").Neg()},
			{Account: id("temple-costs"), Amount: gbp("1.00")},
			{Account: id("hub-cash"), Amount: gbp("2.00")},
		}
	}
	if i%3 == 0 {
		tx.Effective = at.Add(-24 * time.Hour)
	}
	return tx
}

// balanceAtModel sums the postings of txs to account a that keep admits.
func balanceAtModel(txs []ledger.Transaction, a string, keep func(ledger.Transaction) bool) coprod.Amount {
	sum := coprod.Zero(coprod.GBP)
	for _, tx := range txs {
		if !keep(tx) {
			continue
		}
		for _, p := range tx.Postings {
			if p.Account == id(a) {
				s, err := sum.Add(p.Amount)
				if err != nil {
					panic(err)
				}
				sum = s
			}
		}
	}
	return sum
}

// TestBalanceAtBetweenRecords asks BalanceAt and BalanceRecordedAt after
// every record, every seventh and every fiftieth, at several times, and
// holds each answer to a sum of what was posted: the accounts' lists of
// transactions are brought up to date when a query needs them, so they
// must catch up by one record or by many, and never count one twice.
func TestBalanceAtBetweenRecords(t *testing.T) {
	for _, every := range []int{1, 7, 50} {
		t.Run(fmt.Sprint("every ", every), func(t *testing.T) {
			l := newLedger(t, ledger.Options{})
			var posted []ledger.Transaction
			for i := 1; i <= 300; i++ {
				tx := balanceAtPosts(i)
				_, err := l.Post(tx)
				require.NoError(t, err)
				posted = append(posted, tx)
				if i%every != 0 {
					continue
				}
				last := posted[len(posted)-1].Recorded
				for _, at := range []time.Time{last.Add(-90 * time.Minute), last.Add(-24 * time.Hour), last} {
					for _, a := range []string{"hub-cash", "temple-cash", "temple-costs"} {
						got, err := l.BalanceAt(id(a), at)
						require.NoError(t, err)
						want := balanceAtModel(posted, a, func(tx ledger.Transaction) bool { return !tx.Effective.After(at) })
						require.True(t, want.Equal(got), "after %d records, %s at %s: want %s, got %s", i, a, at, want, got)
						got, err = l.BalanceRecordedAt(id(a), at)
						require.NoError(t, err)
						want = balanceAtModel(posted, a, func(tx ledger.Transaction) bool { return !tx.Recorded.After(at) })
						require.True(t, want.Equal(got), "after %d records, %s recorded at %s: want %s, got %s", i, a, at, want, got)
					}
				}
			}
		})
	}
}

// TestBalanceAtWhilePosting asks BalanceAt from several goroutines while
// another posts (run it with -race): each answer is the sum of some
// prefix of what was posted, and the last, asked after posting ends, is
// the sum of all of it.
func TestBalanceAtWhilePosting(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	const n = 400
	var posted []ledger.Transaction
	for i := 1; i <= n; i++ {
		posted = append(posted, balanceAtPosts(i))
	}
	// prefixes[k] is the hub's cash after the first k records.
	prefixes := map[string]int{}
	all := func(ledger.Transaction) bool { return true }
	for k := 0; k <= n; k++ {
		prefixes[balanceAtModel(posted[:k], "hub-cash", all).String()] = k
	}
	far := day(2100, 1, 1)
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	stop := make(chan struct{}) // closed when the test ends, however it ends
	defer close(stop)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen := 0
			for seen < n {
				select {
				case <-stop:
					return
				default:
				}
				got, err := l.BalanceAt(id("hub-cash"), far)
				if err != nil {
					errs <- err
					return
				}
				k, ok := prefixes[got.String()]
				if !ok || k < seen {
					errs <- fmt.Errorf("BalanceAt read %s, the sum of no prefix at or after %d records", got, seen)
					return
				}
				seen = k
			}
		}()
	}
	for _, tx := range posted {
		_, err := l.Post(tx)
		require.NoError(t, err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	got, err := l.BalanceAt(id("hub-cash"), far)
	require.NoError(t, err)
	require.True(t, balanceAtModel(posted, "hub-cash", all).Equal(got))
}
