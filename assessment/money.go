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
	type paid struct {
		id     uuid.UUID
		formal bool
		to     []ledger.Posting // the pounds posted into community-side accounts
	}
	var pays []paid
	reversed := map[uuid.UUID]bool{}
	for tx := range l.Transactions() {
		switch {
		case tx.Recorded.After(p.at):
			continue
		case tx.Kind == ledger.Reversal:
			reversed[tx.Reverses] = true // a reversal follows what it reverses
			continue
		case !p.period.Contains(tx.Effective) || tx.Kind.Labour() || tx.Kind == ledger.InKind:
			continue
		}
		var from bool
		var to []ledger.Posting
		for _, post := range tx.Postings {
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
		if from && len(to) > 0 {
			pays = append(pays, paid{id: tx.ID, formal: tx.Formality.Formal(), to: to})
		}
	}
	p.received = map[coprod.PartyID]*receipts{}
	for _, pay := range pays {
		if reversed[pay.id] {
			continue
		}
		if !pay.formal {
			p.informal = append(p.informal, pay.id)
		}
		for _, post := range pay.to {
			owner := owners[post.Account].Owner
			r := p.received[owner]
			if r == nil {
				r = &receipts{}
				p.received[owner] = r
			}
			if post.Amount.Unit() == coprod.GBP {
				r.total = r.total.Add(post.Amount.Decimal())
				if pay.formal {
					r.formal = r.formal.Add(post.Amount.Decimal())
				}
			}
			if !pay.formal && (len(r.informal) == 0 || r.informal[len(r.informal)-1] != pay.id) {
				r.informal = append(r.informal, pay.id)
			}
		}
	}
	sortIDs(p.informal)
	for _, r := range p.received {
		sortIDs(r.informal)
	}
}
