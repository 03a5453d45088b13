package assessment

import (
	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// receipts is the money one community-side party received in
// transactions that paid it from outside the community side: the sum of
// the pounds posted into its accounts, the part made under an instrument,
// and the discretionary transactions.
type receipts struct {
	total, formal decimal.Decimal
	informal      []uuid.UUID
}

// gatherMoney takes the ledger's metrics as the books stood at the
// assessment's time (ledger.Ledger.MetricsAsOf), and the transactions
// that paid community-side parties, by party, counted the same way:
// recorded by then, effective in the period, and not reversed by a
// reversal recorded by then.
func (p *Pass) gatherMoney(l *ledger.Ledger) {
	m, err := l.MetricsAsOf(p.period, p.at, p.Sector)
	if err != nil {
		p.moneyWhy = "the ledger's metrics failed: " + err.Error()
		return
	}
	p.metrics, p.money = m, true

	owners := map[uuid.UUID]ledger.Account{}
	for a := range l.Accounts() {
		owners[a.ID] = a
	}
	// Views, not copies: the scan reads a million transactions in a
	// large partnership. Reversals recorded by then come first, as a
	// reversal follows what it reverses.
	reversed := map[uuid.UUID]bool{}
	for tx := range l.TransactionViews() {
		if tx.Kind() == ledger.Reversal && !tx.Recorded().After(p.at) {
			reversed[tx.Reverses()] = true
		}
	}
	p.received = map[coprod.PartyID]*receipts{}
	var buf [8]ledger.Posting
	for tx := range l.TransactionViews() {
		switch kind := tx.Kind(); {
		case tx.Recorded().After(p.at) || kind == ledger.Reversal:
			continue
		case !p.period.Contains(tx.Effective()) || kind.Labour() || kind == ledger.InKind:
			continue
		}
		var from bool
		to := buf[:0] // the pounds posted into community-side accounts
		for i := range tx.NumPostings() {
			post := tx.Posting(i)
			a, ok := owners[post.Account]
			if !ok || !a.Unit.IsMoney() {
				continue
			}
			community := p.Sector(a.Owner).IsCommunity()
			switch {
			case post.Amount.Sign() < 0 && !community:
				from = true
			case post.Amount.Sign() > 0 && community:
				to = append(to, post)
			}
		}
		if !from || len(to) == 0 || reversed[tx.ID()] {
			continue
		}
		id, formal := tx.ID(), tx.Formal()
		if !formal {
			p.informal = append(p.informal, id)
		}
		for _, post := range to {
			owner := owners[post.Account].Owner
			r := p.received[owner]
			if r == nil {
				r = &receipts{}
				p.received[owner] = r
			}
			if post.Amount.Unit() == coprod.GBP {
				r.total = r.total.Add(post.Amount.Decimal())
				if formal {
					r.formal = r.formal.Add(post.Amount.Decimal())
				}
			}
			if !formal && (len(r.informal) == 0 || r.informal[len(r.informal)-1] != id) {
				r.informal = append(r.informal, id)
			}
		}
	}
	sortIDs(p.informal)
	for _, r := range p.received {
		sortIDs(r.informal)
	}
}
