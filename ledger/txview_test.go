package ledger_test

import (
	"fmt"
	"testing"

	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTransactionViewsMatchTransactions reads every transaction through
// a view and through a copy: every accessor agrees, AccountIndex is the
// account's place in Accounts, a view does not change when the ledger
// records more, and the loop body may record into the ledger.
func TestTransactionViewsMatchTransactions(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	for i := range 5 {
		tx := pay(fmt.Sprint("view", i), "council-budget", "hub-cash", fmt.Sprint(10+i), ledger.Grant, officer, id("d"), day(2025, 5, 1+i))
		if i%2 == 1 {
			tx.Formality.Instrument = uuid.Nil
		}
		_, err := l.Post(tx)
		require.NoError(t, err)
	}
	// More postings than an entry holds inline: their accounts' places are
	// kept apart from the first two's.
	split := pay("view-split", "council-budget", "hub-cash", "30", ledger.Grant, officer, id("d"), day(2025, 5, 9))
	split.Postings = append(split.Postings[:1:1], ledger.Posting{Account: id("temple-cash"), Amount: gbp("20")}, ledger.Posting{Account: id("hub-cash"), Amount: gbp("10")})
	_, err := l.Post(split)
	require.NoError(t, err)
	_, err = l.Reverse(ledger.ReversalRequest{ID: id("view-rev"), Of: id("view0"), By: officer, Reason: "duplicate", Effective: day(2025, 6, 1), Recorded: day(2025, 6, 1)})
	require.NoError(t, err)

	index := map[uuid.UUID]int{}
	for a := range l.Accounts() {
		index[a.ID] = len(index)
	}
	var copies []ledger.Transaction
	for tx := range l.Transactions() {
		copies = append(copies, tx)
	}
	var views []ledger.TxView
	n := 0
	for v := range l.TransactionViews() {
		views = append(views, v)
		if n == 0 { // recording from the loop body neither deadlocks nor shows in this loop
			_, err := l.Post(pay("view-late", "council-budget", "hub-cash", "1", ledger.Grant, officer, id("d"), day(2025, 7, 1)))
			require.NoError(t, err)
		}
		n++
	}
	require.Len(t, views, len(copies))
	for i, v := range views {
		tx := copies[i]
		assert.Equal(t, tx.ID, v.ID())
		assert.Equal(t, tx.Kind, v.Kind())
		assert.True(t, tx.Effective.Equal(v.Effective()) && tx.Recorded.Equal(v.Recorded()))
		assert.Equal(t, tx.Reverses, v.Reverses())
		assert.Equal(t, tx.Against, v.Against())
		assert.Equal(t, tx.Formality.Formal(), v.Formal())
		assert.Equal(t, tx.Formality.Instrument, v.Instrument())
		assert.Equal(t, tx.Formality.Scope, v.Scope())
		assert.Equal(t, tx.Formality.DecidedBy, v.DecidedBy())
		require.Equal(t, len(tx.Postings), v.NumPostings())
		for j, p := range tx.Postings {
			assert.Equal(t, p.Account, v.Posting(j).Account)
			assert.True(t, p.Amount.Equal(v.Posting(j).Amount))
			assert.Equal(t, index[p.Account], v.AccountIndex(j), "posting %d of %s", j, tx.ID)
		}
		assert.Panics(t, func() { v.AccountIndex(v.NumPostings()) }, "AccountIndex past the postings")
		_, hasLabour := v.Labour()
		assert.Equal(t, tx.Labour != nil, hasLabour)
		assert.Equal(t, tx, v.Transaction())
	}
	// A view's Transaction is a copy: changing it changes nothing.
	c := views[1].Transaction()
	c.Postings[0].Amount = gbp("999")
	assert.True(t, views[1].Posting(0).Amount.Equal(copies[1].Postings[0].Amount))
}
