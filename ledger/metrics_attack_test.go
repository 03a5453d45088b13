package ledger_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// TestAttackMetricsSameRecordsSameAnswer: Metrics and MetricsAsOf
// classify accounts by their number and sum by scope number; the same
// records, with accounts opened in another order (up front, shuffled, or
// each just before its first use) and reversals recorded later, give
// deeply equal metrics. Under concurrent opens, posts in new scopes and
// by new deciders, MetricsAsOf stays put and AccountIndex keeps naming
// each posting's account in the order Accounts yields them. Run with
// -race.
func TestAttackMetricsSameRecordsSameAnswer(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	parties := []coprod.PartyID{council, hub, temple, volunteer, officer, director, id("fund"), id("grass")}
	sec := func(p coprod.PartyID) coprod.Sector {
		switch p {
		case id("fund"):
			return coprod.IndependentFunder
		case id("grass"):
			return coprod.ServiceUsers
		}
		return sector(p)
	}
	var accts []ledger.Account
	for i := range 24 {
		kind := ledger.Cash
		if i%5 == 4 {
			kind = ledger.Expense
		}
		accts = append(accts, ledger.Account{ID: id(fmt.Sprint("a", i)), Owner: parties[i%len(parties)], Name: "x", Kind: kind, Unit: coprod.GBP})
	}
	scopes := []coprod.Scope{"", "commission", "commission/mh", "commission/mh/iapt", "grants/x"}
	var txs []ledger.Transaction
	var revs []ledger.ReversalRequest
	for i := range 400 {
		n := 2 + rng.IntN(4)
		tx := ledger.Transaction{ID: id(fmt.Sprint("t", i)), Kind: []ledger.Kind{ledger.Payment, ledger.Grant, ledger.CoreFunding, ledger.InKind}[rng.IntN(3)],
			Effective: day(2025, time.Month(1+rng.IntN(12)), 1+rng.IntN(28)), Recorded: day(2025, 6, 1),
			Formality: ledger.Formality{DecidedBy: parties[rng.IntN(len(parties))], Scope: scopes[rng.IntN(len(scopes))]}}
		if rng.IntN(2) == 0 {
			tx.Formality.Instrument = id("inst")
		}
		total := int64(0)
		for j := 0; j < n-1; j++ {
			v := rng.Int64N(1_000_000) - 500_000
			if v == 0 {
				v = 1
			}
			total += v
			a, _ := coprod.FromMinor(v, coprod.GBP)
			tx.Postings = append(tx.Postings, ledger.Posting{Account: accts[rng.IntN(len(accts))].ID, Amount: a})
		}
		if total == 0 {
			continue
		}
		a, _ := coprod.FromMinor(-total, coprod.GBP)
		tx.Postings = append(tx.Postings, ledger.Posting{Account: accts[rng.IntN(len(accts))].ID, Amount: a})
		txs = append(txs, tx)
		if rng.IntN(6) == 0 {
			revs = append(revs, ledger.ReversalRequest{ID: id(fmt.Sprint("r", i)), Of: tx.ID, By: officer, Effective: day(2025, 7, 1), Recorded: day(2025, 7, 1)})
		}
	}
	build := func(order []int, lazy bool) *ledger.Ledger {
		l := ledger.New(ledger.Options{MaxSkew: 1 << 62})
		opened := map[uuid.UUID]bool{}
		open := func(a ledger.Account) {
			if !opened[a.ID] {
				opened[a.ID] = true
				if err := l.Open(a); err != nil {
					t.Fatal(err)
				}
			}
		}
		if !lazy {
			for _, i := range order {
				open(accts[i])
			}
		}
		for _, tx := range txs {
			for _, p := range tx.Postings {
				for _, a := range accts {
					if a.ID == p.Account {
						open(a)
					}
				}
			}
			if _, err := l.Post(tx); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range revs {
			if _, err := l.Reverse(r); err != nil {
				t.Fatal(err)
			}
		}
		return l
	}
	a := build(rng.Perm(len(accts)), false)
	b := build(nil, true)
	for _, w := range []coprod.Window{{}, {NotBefore: day(2025, 3, 1), Expires: day(2025, 9, 1)}} {
		ma, err := a.Metrics(w, sec)
		if err != nil {
			t.Fatal(err)
		}
		mb, err := b.Metrics(w, sec)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ma, mb) {
			t.Fatalf("metrics differ by account order:\n%+v\n%+v", ma, mb)
		}
		m1, _ := a.MetricsAsOf(w, day(2025, 6, 1), sec)
		m2, _ := b.MetricsAsOf(w, day(2025, 6, 1), sec)
		if !reflect.DeepEqual(m1, m2) {
			t.Fatal("asof differ")
		}
	}
	// Concurrent: post, open and reverse while Metrics and views run.
	c := build(rng.Perm(len(accts)), false)
	before, _ := c.MetricsAsOf(coprod.Window{}, day(2025, 6, 1), sec)
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		for i := range 200 {
			acc := ledger.Account{ID: id(fmt.Sprint("new", i)), Owner: id(fmt.Sprint("np", i)), Name: "n", Kind: ledger.Cash, Unit: coprod.GBP}
			if err := c.Open(acc); err != nil {
				t.Error(err)
				return
			}
			tx := ledger.Transaction{ID: id(fmt.Sprint("nt", i)), Kind: ledger.Grant, Effective: day(2025, 8, 1), Recorded: day(2025, 8, 1),
				Formality: ledger.Formality{DecidedBy: id(fmt.Sprint("nd", i)), Scope: coprod.Scope(fmt.Sprint("new/s", i))},
				Postings:  []ledger.Posting{{Account: accts[0].ID, Amount: gbp("-1")}, {Account: acc.ID, Amount: gbp("1")}}}
			if _, err := c.Post(tx); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for range 50 {
			m, err := c.MetricsAsOf(coprod.Window{}, day(2025, 6, 1), sec)
			if err != nil {
				t.Error(err)
				return
			}
			if !reflect.DeepEqual(m, before) {
				t.Error("as-of metrics moved under concurrent posts")
				return
			}
			if _, err := c.Metrics(coprod.Window{}, sec); err != nil {
				t.Error(err)
			}
		}
	}()
	go func() {
		defer wg.Done()
		for range 50 {
			var order []uuid.UUID
			for a := range c.Accounts() {
				order = append(order, a.ID)
			}
			for v := range c.TransactionViews() {
				for i := range v.NumPostings() {
					k := v.AccountIndex(i)
					if k >= len(order) { // opened since the accounts were listed: list them again
						order = order[:0]
						for a := range c.Accounts() {
							order = append(order, a.ID)
						}
					}
					if k >= len(order) || order[k] != v.Posting(i).Account {
						t.Errorf("AccountIndex %d of %s", k, v.Posting(i).Account)
						return
					}
				}
			}
		}
	}()
	wg.Wait()
}
