package ledger

import (
	"iter"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// TxView is a read-only view of a recorded transaction, as
// TransactionViews yields it: reading one copies nothing, and its methods
// return values or copies, never memory shared with the ledger, so a
// view cannot change the books. A view stays valid and unchanged after
// the loop, since a recorded transaction is never changed. The zero
// TxView views nothing and must not be read.
type TxView struct {
	e *entry // its transaction and its postings' accounts' places, fixed before the transaction was published
}

// ID returns the transaction's ID.
func (v TxView) ID() uuid.UUID { return v.e.tx.ID }

// Kind returns the transaction's kind.
func (v TxView) Kind() Kind { return v.e.tx.Kind }

// Effective returns when the transaction takes effect in the books.
func (v TxView) Effective() time.Time { return v.e.tx.Effective }

// Recorded returns when the transaction was written down.
func (v TxView) Recorded() time.Time { return v.e.tx.Recorded }

// Reverses returns the transaction a reversal mirrors, or uuid.Nil.
func (v TxView) Reverses() uuid.UUID { return v.e.tx.Reverses }

// Against returns the grant or contract the transaction draws on, or
// uuid.Nil.
func (v TxView) Against() uuid.UUID { return v.e.tx.Against }

// Formal reports whether the transaction was made under an instrument.
func (v TxView) Formal() bool { return v.e.tx.Formality.Formal() }

// Instrument returns the instrument the transaction was made under, or
// uuid.Nil.
func (v TxView) Instrument() uuid.UUID { return v.e.tx.Formality.Instrument }

// Scope returns the transaction's scope, or "".
func (v TxView) Scope() coprod.Scope { return v.e.tx.Formality.Scope }

// DecidedBy returns the party who decided.
func (v TxView) DecidedBy() coprod.PartyID { return v.e.tx.Formality.DecidedBy }

// NumPostings returns the number of postings.
func (v TxView) NumPostings() int { return len(v.e.tx.Postings) }

// Posting returns posting i, for 0 ≤ i < NumPostings.
func (v TxView) Posting(i int) Posting { return v.e.tx.Postings[i] }

// AccountIndex returns the position of posting i's account in the order
// accounts were opened, which is the order Accounts yields them in: a
// scan can keep what it needs of each account in a slice, indexed by
// this, instead of looking the account's ID up for every posting.
func (v TxView) AccountIndex(i int) int {
	_ = v.e.tx.Postings[i] // for 0 ≤ i < NumPostings, as Posting
	return int(v.e.acct(i))
}

// Labour returns a copy of the transaction's labour record and true, or
// false if it records none.
func (v TxView) Labour() (Labour, bool) {
	if v.e.tx.Labour == nil {
		return Labour{}, false
	}
	return *v.e.tx.Labour, true
}

// Transaction returns a copy of the whole transaction, as Transactions
// yields it.
func (v TxView) Transaction() Transaction { return v.e.tx.clone() }

// TransactionViews yields read-only views of the transactions recorded
// when iteration starts, in the order recorded: what Transactions yields,
// without copying each transaction, for scans over large ledgers. The
// loop body runs with no lock held, so it may query the ledger or record
// into it.
func (l *Ledger) TransactionViews() iter.Seq[TxView] {
	return func(yield func(TxView) bool) {
		// txOrder is append-only and a recorded transaction is never
		// changed.
		l.mu.RLock()
		order := l.txOrder
		l.mu.RUnlock()
		for _, e := range order {
			if !yield(TxView{e: e}) {
				return
			}
		}
	}
}
