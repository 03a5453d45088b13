package ledger

import (
	"iter"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Awards yields the commitments recorded when iteration starts, as
// coprod.Award values, for a governance register to check against the
// matters its mandates reserve above a threshold
// (governance.Register.CheckAwards) without either package importing the
// other.
//
// A commitment is a hold (the money agreed for a contract or grant,
// placed for its whole value), unless it was voided; or a transaction of
// kind Grant, Contract, SLA, CoreFunding or ProjectFunding posted directly,
// one award for each owner whose accounts gain from it, worth their gain,
// unless it was reversed. Payments drawn against a commitment are not
// awards: captures of a hold, and transactions made Against a grant or
// contract. Each award carries the record's scope, decider, instrument and
// recorded time.
//
// The awards are copied under the read lock and yielded after it is
// released, so the loop body may query the ledger or record into it.
func (l *Ledger) Awards() iter.Seq[coprod.Award] {
	return func(yield func(coprod.Award) bool) {
		l.mu.RLock()
		awards := l.awards()
		l.mu.RUnlock()
		for _, a := range awards {
			if !yield(a) {
				return
			}
		}
	}
}

// awards lists the commitments. The caller holds a lock.
func (l *Ledger) awards() []coprod.Award {
	var out []coprod.Award
	captures := make(map[uuid.UUID]bool)
	for _, s := range l.holdOrder {
		if s.res != nil && s.res.Transaction != nil {
			captures[s.res.Transaction.ID] = true
		}
		if s.res != nil && s.res.Resolution == Voided {
			continue
		}
		h := &s.hold
		var to coprod.PartyID
		if acc, ok := l.accounts[h.To]; ok {
			to = acc.Owner
		}
		out = append(out, coprod.Award{ID: h.ID, Scope: h.Formality.Scope, To: to, Amount: h.Amount,
			Decider: h.Formality.DecidedBy, Instrument: h.Formality.Instrument, At: h.Recorded})
	}
	for _, e := range l.txOrder {
		tx := &e.tx
		if !awardKind(tx.Kind) || tx.Against != uuid.Nil || captures[tx.ID] {
			continue
		}
		if _, reversed := l.reversedBy[tx.ID]; reversed {
			continue
		}
		for _, g := range l.gains(tx.Postings) {
			out = append(out, coprod.Award{ID: tx.ID, Scope: tx.Formality.Scope, To: g.owner, Amount: g.amount,
				Decider: tx.Formality.DecidedBy, Instrument: tx.Formality.Instrument, At: tx.Recorded})
		}
	}
	return out
}

// awardKind reports whether a transaction of kind k commits money to its
// recipient rather than paying under a commitment.
func awardKind(k Kind) bool {
	switch k {
	case Grant, Contract, SLA, CoreFunding, ProjectFunding:
		return true
	}
	return false
}

type gain struct {
	owner  coprod.PartyID
	unit   coprod.Unit
	amount coprod.Amount
	bad    bool // the sum passed the amount limits
}

// gains returns, in the order first posted to, each owner whose money
// accounts gain on balance from the postings, with the gain per unit. An
// owner whose sum passes the amount limits is left out, as no award can
// be stated for it. The caller holds a lock.
func (l *Ledger) gains(ps []Posting) []gain {
	var nets []gain
	for _, p := range ps {
		acc, ok := l.accounts[p.Account]
		if !ok || !p.Amount.Unit().IsMoney() {
			continue
		}
		i := 0
		for i < len(nets) && (nets[i].owner != acc.Owner || nets[i].unit != p.Amount.Unit()) {
			i++
		}
		if i == len(nets) {
			nets = append(nets, gain{owner: acc.Owner, unit: p.Amount.Unit(), amount: p.Amount})
			continue
		}
		if sum, err := nets[i].amount.Add(p.Amount); err != nil {
			nets[i].bad = true
		} else {
			nets[i].amount = sum
		}
	}
	out := nets[:0]
	for _, n := range nets {
		if !n.bad && n.amount.Sign() > 0 {
			out = append(out, n)
		}
	}
	return out
}
