package ledger

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/exact"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Account returns an open account.
func (l *Ledger) Account(id uuid.UUID) (Account, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	a, ok := l.accounts[id]
	if !ok {
		return Account{}, false
	}
	return a.Account, true
}

// Accounts yields the accounts open when iteration starts, in the order
// opened. The loop body runs with no lock held, so it may query the ledger
// or record into it.
func (l *Ledger) Accounts() iter.Seq[Account] {
	return func(yield func(Account) bool) {
		// accountOrder is append-only and an account's Account is fixed
		// when it is opened (only its balance and entries change).
		l.mu.RLock()
		order := l.accountOrder
		l.mu.RUnlock()
		for _, a := range order {
			if !yield(a.Account) {
				return
			}
		}
	}
}

// Transaction returns a copy of a recorded transaction.
func (l *Ledger) Transaction(id uuid.UUID) (Transaction, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	e, ok := l.entry(id)
	if !ok {
		return Transaction{}, false
	}
	return e.tx.clone(), true
}

// Transactions yields copies of the transactions recorded when iteration
// starts, in the order recorded. The loop body runs with no lock held, so
// it may query the ledger or record into it.
func (l *Ledger) Transactions() iter.Seq[Transaction] {
	return func(yield func(Transaction) bool) {
		// txOrder is append-only and a recorded transaction is never
		// changed.
		l.mu.RLock()
		order := l.txOrder
		l.mu.RUnlock()
		for _, e := range order {
			if !yield(e.tx.clone()) {
				return
			}
		}
	}
}

// ReversedBy returns the reversal of a transaction, if it was reversed.
func (l *Ledger) ReversedBy(id uuid.UUID) (uuid.UUID, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	r, ok := l.reversedBy[id]
	return r, ok
}

// Balance returns an account's balance after everything recorded.
func (l *Ledger) Balance(account uuid.UUID) (coprod.Amount, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	a, ok := l.accounts[account]
	if !ok {
		return coprod.Amount{}, refuse("account", account, ErrUnknownAccount, "no account %s", account)
	}
	return a.balance.Amount()
}

// BalanceAt returns an account's balance as of effective time at: every
// posting effective at or before at, whenever it was recorded. A
// back-dated entry changes it.
//
// It reads the account's transactions only. The ledger lists each
// account's transactions when a query first needs the lists, not as each
// record is made: the first BalanceAt or BalanceRecordedAt after many
// records (a replay, say) lists them all, under the write lock, in one
// pass over what was recorded since (for ten million records, from a
// quarter of a second to under two on the machine behind BENCHMARKS.md,
// with its load and the collector's).
func (l *Ledger) BalanceAt(account uuid.UUID, at time.Time) (coprod.Amount, error) {
	return l.balanceWhere(account, func(tx *Transaction) bool { return !tx.Effective.After(at) })
}

// BalanceRecordedAt returns what the books said at recorded time at: every
// posting recorded at or before at, whatever its effective time. A
// back-dated entry recorded later does not change it.
func (l *Ledger) BalanceRecordedAt(account uuid.UUID, at time.Time) (coprod.Amount, error) {
	return l.balanceWhere(account, func(tx *Transaction) bool { return !tx.Recorded.After(at) })
}

func (l *Ledger) balanceWhere(account uuid.UUID, keep func(*Transaction) bool) (coprod.Amount, error) {
	l.mu.RLock()
	if l.accountsIndexed == len(l.txOrder) {
		defer l.mu.RUnlock()
	} else {
		// The accounts' lists lag the records: bring them up to date,
		// under the write lock, and answer under it.
		l.mu.RUnlock()
		l.mu.Lock()
		defer l.mu.Unlock()
		l.indexAccounts()
	}
	a, ok := l.accounts[account]
	if !ok {
		return coprod.Amount{}, refuse("account", account, ErrUnknownAccount, "no account %s", account)
	}
	sum := coprod.Zero(a.Unit)
	// wide holds the sum once it passes an amount's range: a cut in time
	// may keep a record that raised the balance and leave out the one
	// that brought it back down, while the answer fits.
	var wide *decimal.Decimal
	for _, i := range a.entries {
		e := l.txOrder[i]
		if !keep(&e.tx) {
			continue
		}
		for _, p := range e.tx.Postings {
			if p.Account != account {
				continue
			}
			if wide != nil {
				*wide = wide.Add(p.Amount.Decimal())
				continue
			}
			s, err := sum.Add(p.Amount)
			if err != nil {
				// The posting is in the account's unit, so the sum has
				// only passed an amount's range.
				d := sum.Decimal().Add(p.Amount.Decimal())
				wide = &d
				continue
			}
			sum = s
		}
	}
	if wide != nil {
		s, err := coprod.NewAmount(*wide, a.Unit)
		if err != nil {
			return coprod.Amount{}, refuse("account", account, coprod.ErrOverflow, "the balance asked for, %s %s, is out of range", wide, a.Unit)
		}
		sum = s
	}
	return sum, nil
}

// counted reports whether a transaction counts in flows and metrics: it
// is neither a reversal nor reversed, since a reversed transaction is
// treated as never having happened.
func (l *Ledger) counted(e *entry) bool {
	if e.tx.Kind == Reversal {
		return false
	}
	_, reversed := l.reversedBy[e.tx.ID]
	return !reversed
}

// Flow is money that moved from one owner's accounts to another's.
type Flow struct {
	From, To coprod.PartyID
	// Amount is everything that moved; Formal the part made under an
	// instrument; the rest was discretionary.
	Amount coprod.Amount
	Formal coprod.Amount
}

// transfer is one owner-to-owner movement inside one transaction.
type transfer struct {
	from, to       coprod.PartyID
	fromAcc, toAcc *account // the first account of each in the transaction
	amount         exact.Sum
	tx             *Transaction
}

// transfers splits a financial transaction into owner-to-owner movements:
// each owner's net posting, payers (net negative) matched to payees (net
// positive) in order of first appearance. Moves between one owner's own
// accounts cancel out. It allocates nothing while the amounts fit in
// int64 minor units and the transaction names at most eight owners.
func (l *Ledger) transfers(e *entry, yield func(transfer) error) error {
	tx := &e.tx
	if bookFor(tx.Kind) != financialBook {
		return nil
	}
	type net struct {
		owner coprod.PartyID
		acc   *account // the owner's first account in tx
		v     exact.Sum
	}
	if len(tx.Postings) == 2 {
		// The common case, one payer and one payee: the mirror check
		// makes the two postings opposite, in one unit.
		p, q := &tx.Postings[0], &tx.Postings[1]
		from, to := l.acct(e, 0), l.acct(e, 1)
		if p.Amount.Sign() > 0 {
			p, from, to = q, to, from
		}
		if from.Owner == to.Owner || p.Amount.Sign() >= 0 {
			return nil // one owner's own accounts, or nothing moved
		}
		amt := exact.Of(p.Amount.Neg())
		return yield(transfer{from: from.Owner, to: to.Owner, fromAcc: from, toAcc: to, amount: amt, tx: tx})
	}
	var buf [8]net
	nets := buf[:0]
	for i, p := range tx.Postings {
		acc := l.acct(e, i)
		owner, unit := acc.Owner, p.Amount.Unit()
		i := 0
		for i < len(nets) && (nets[i].owner != owner || nets[i].v.Unit() != unit) {
			i++
		}
		if i == len(nets) {
			nets = append(nets, net{owner: owner, acc: acc, v: exact.New(unit)})
		}
		if err := nets[i].v.Add(p.Amount); err != nil {
			return err
		}
	}
	for pi := range nets {
		for qi := range nets {
			payer, payee := &nets[pi], &nets[qi]
			if payer.v.Unit() != payee.v.Unit() || payer.v.Sign() >= 0 || payee.v.Sign() <= 0 {
				continue
			}
			amt, err := payer.v.Settle(&payee.v) // moves min(-payer, payee)
			if err != nil {
				return err
			}
			if err := yield(transfer{from: payer.owner, to: payee.owner, fromAcc: payer.acc, toAcc: payee.acc, amount: amt, tx: tx}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Flows returns the money that moved between owners in counted
// transactions effective in period, one Flow per ordered pair of owners
// (and unit), sorted by payer then payee.
func (l *Ledger) Flows(period coprod.Window) ([]Flow, error) {
	if err := period.Validate(); err != nil {
		return nil, fmt.Errorf("%w: period: %w", ErrInvalidArgument, err)
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	type key struct {
		from, to coprod.PartyID
		unit     coprod.Unit
	}
	sums := map[key]*Flow{}
	for _, e := range l.txOrder {
		if !period.Contains(e.tx.Effective) || !l.counted(e) {
			continue
		}
		err := l.transfers(e, func(t transfer) error {
			amount, err := t.amount.Amount()
			if err != nil {
				return err
			}
			k := key{t.from, t.to, amount.Unit()}
			f := sums[k]
			if f == nil {
				f = &Flow{From: t.from, To: t.to, Amount: coprod.Zero(k.unit), Formal: coprod.Zero(k.unit)}
				sums[k] = f
			}
			if f.Amount, err = f.Amount.Add(amount); err != nil {
				return err
			}
			if t.tx.Formality.Formal() {
				f.Formal, err = f.Formal.Add(amount)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	out := make([]Flow, 0, len(sums))
	for _, f := range sums {
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b Flow) int {
		return cmp.Or(cmp.Compare(a.From.String(), b.From.String()), cmp.Compare(a.To.String(), b.To.String()),
			cmp.Compare(a.Amount.Unit(), b.Amount.Unit()))
	})
	return out, nil
}

// BudgetReport compares a grant or contract with what was drawn on it.
type BudgetReport struct {
	Grant uuid.UUID
	// Budget is the value of the grant transaction itself.
	Budget coprod.Amount
	// Actual is the value of counted transactions recorded Against it.
	Actual coprod.Amount
	// Committed is the total of open holds Against it.
	Committed coprod.Amount
	// Remaining is Budget − Actual − Committed; negative means overspent.
	Remaining coprod.Amount
}

// BudgetVsActual reports a grant's budget against what was spent and
// committed under it.
func (l *Ledger) BudgetVsActual(grant uuid.UUID) (BudgetReport, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	g, ok := l.entry(grant)
	if !ok {
		return BudgetReport{}, refuse("transaction", grant, ErrUnknownTransaction, "no grant %s", grant)
	}
	budget, ok, err := moneyValue(g.tx.Postings)
	if err != nil {
		return BudgetReport{}, err
	}
	if !ok {
		return BudgetReport{}, refuse("transaction", grant, ErrInvalidTransaction, "%s moves no money", grant)
	}
	r := BudgetReport{Grant: grant, Budget: budget, Actual: coprod.Zero(budget.Unit()), Committed: coprod.Zero(budget.Unit())}
	add := func(sum *coprod.Amount, v coprod.Amount) error {
		s, err := sum.Add(v)
		*sum = s
		return err
	}
	for _, e := range l.txOrder {
		if e.tx.Against != grant || !l.counted(e) {
			continue
		}
		v, ok, err := moneyValue(e.tx.Postings)
		if err == nil && ok {
			err = add(&r.Actual, v)
		}
		if err != nil {
			return BudgetReport{}, err
		}
	}
	for _, s := range l.holdOrder {
		if s.res == nil && s.hold.Against == grant {
			if err := add(&r.Committed, s.hold.Amount); err != nil {
				return BudgetReport{}, err
			}
		}
	}
	if r.Remaining, err = budget.Sub(r.Actual); err != nil {
		return BudgetReport{}, err
	}
	if r.Remaining, err = r.Remaining.Sub(r.Committed); err != nil {
		return BudgetReport{}, err
	}
	return r, nil
}
