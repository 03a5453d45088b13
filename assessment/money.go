package assessment

import (
	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/exact"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// receipts is the money one community-side party received in
// transactions that paid it from outside the community side: the sum of
// the pounds posted into its accounts, the part made under an instrument,
// and the discretionary transactions.
type receipts struct {
	total, formal exact.Sum // in pounds
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

	// Each account's owner and side, worked out once and kept by the
	// account's index (ledger.TxView.AccountIndex): the scan below looks
	// one up per posting. Accounts opened since are past the end, and
	// are read as they come.
	var accts []acctInfo
	for a := range l.Accounts() {
		accts = append(accts, p.acctInfo(a))
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
	receiptsOf := func(a *acctInfo) *receipts {
		if a.receipts == nil {
			r := p.received[a.owner]
			if r == nil {
				r = &receipts{total: exact.New(coprod.GBP), formal: exact.New(coprod.GBP)}
				p.received[a.owner] = r
			}
			a.receipts = r
		}
		return a.receipts
	}
	var buf [8]ledger.Posting
	var tobuf [8]*acctInfo
	for tx := range l.TransactionViews() {
		switch kind := tx.Kind(); {
		case tx.Recorded().After(p.at) || kind == ledger.Reversal:
			continue
		case !p.period.Contains(tx.Effective()) || kind.Labour() || kind == ledger.InKind:
			continue
		}
		to, toAcct := buf[:0], tobuf[:0] // the pounds posted into community-side accounts
		var pbuf, rbuf [8]uuid.UUID
		payers, recipients := pbuf[:0], rbuf[:0]
		for i := range tx.NumPostings() {
			post := tx.Posting(i)
			k := tx.AccountIndex(i)
			if k >= len(accts) { // opened since the list was made
				n := 0
				for a := range l.Accounts() {
					if n++; n > len(accts) {
						accts = append(accts, p.acctInfo(a))
					}
				}
			}
			a := &accts[k]
			if !a.money {
				continue
			}
			switch {
			case post.Amount.Sign() < 0 && !a.community:
				payers = append(payers, a.owner)
			case post.Amount.Sign() > 0 && a.community:
				to, toAcct = append(to, post), append(toAcct, a)
				recipients = append(recipients, a.owner)
			}
		}
		if len(payers) == 0 || len(to) == 0 || reversed[tx.ID()] {
			continue
		}
		id, formal := tx.ID(), tx.Formal()
		if !formal {
			p.informal = append(p.informal, id)
			p.noteInformal(tx, payers, recipients, to)
		}
		for k, post := range to {
			r := receiptsOf(toAcct[k])
			if post.Amount.Unit() == coprod.GBP {
				p.sum(&r.total, post.Amount)
				if formal {
					p.sum(&r.formal, post.Amount)
				}
			}
			if !formal && (len(r.informal) == 0 || r.informal[len(r.informal)-1] != id) {
				r.informal = append(r.informal, id)
			}
		}
	}
	if p.sumErr != nil {
		// Sums past the largest amount (coprod.MaxIntegerDigits) cannot
		// be judged: the money probes say so rather than mislead.
		p.money, p.moneyWhy = false, "a money total passed the largest amount: "+p.sumErr.Error()
		return
	}
	sortIDs(p.informal)
	for _, r := range p.received {
		sortIDs(r.informal)
	}
}

// sum adds a to s, keeping the first error (a total out of range).
func (p *Pass) sum(s *exact.Sum, a coprod.Amount) {
	if err := s.AddAmount(a); err != nil && p.sumErr == nil {
		p.sumErr = err
	}
}

// informalGroup is the discretionary payments from one set of payers to
// one set of community-side recipients, decided by one person in one
// scope: one next step formalises them all.
type informalGroup struct {
	payers, recipients []uuid.UUID
	decider            coprod.PartyID
	scope              coprod.Scope
	count              int
	total, largest     exact.Sum   // in the unit of the group's first payment
	first              []uuid.UUID // the first MaxGroupRecords payments' IDs
}

// MaxGroupRecords bounds the payments a grouped next step names by ID;
// its text gives their number and total.
const MaxGroupRecords = 8

type groupKey struct {
	// Every part by its number: the payer and recipient when there is
	// one of each (Pass.party), otherwise the joined payers and
	// recipients, the decider, and the scope (Pass.intern). A small key
	// of plain numbers keeps the map of groups small and fast to probe,
	// which matters for half a million discretionary payments.
	payer, recipient, decider, scope, payers, recipients int32
}

// party numbers a party, from 1.
func (p *Pass) party(id uuid.UUID) int32 {
	n, ok := p.partyNums[id]
	if !ok {
		if p.partyNums == nil {
			p.partyNums = map[uuid.UUID]int32{}
		}
		n = int32(len(p.partyNums) + 1)
		p.partyNums[id] = n
	}
	return n
}

// intern numbers s, from 1; the empty string is 0.
func (p *Pass) intern(s string) int32 {
	if s == "" {
		return 0
	}
	n, ok := p.interned[s]
	if !ok {
		if p.interned == nil {
			p.interned = map[string]int32{}
		}
		n = int32(len(p.interned) + 1)
		p.interned[s] = n
	}
	return n
}

// acctInfo is what the scan needs of an account.
type acctInfo struct {
	owner            coprod.PartyID
	money, community bool
	receipts         *receipts // the owner's, once looked up
}

func (p *Pass) acctInfo(a ledger.Account) acctInfo {
	return acctInfo{owner: a.Owner, money: a.Unit.IsMoney(), community: p.Sector(a.Owner).IsCommunity()}
}

// noteInformal adds a discretionary payment to its group: the payers
// (outside the community side) and recipients (on it) the scan found,
// and the pounds posted to the recipients.
func (p *Pass) noteInformal(tx ledger.TxView, payers, recipients []uuid.UUID, to []ledger.Posting) {
	amount := exact.New(to[0].Amount.Unit())
	for _, post := range to {
		if post.Amount.Unit() == amount.Unit() { // another unit is left out
			p.sum(&amount, post.Amount)
		}
	}
	scope := tx.Scope()
	decider := tx.DecidedBy()
	k := groupKey{decider: p.party(decider), scope: p.intern(string(scope))}
	if len(payers) == 1 && len(recipients) == 1 {
		k.payer, k.recipient = p.party(payers[0]), p.party(recipients[0]) // the common case: no allocation
	} else {
		payers, recipients = ids(payers...), ids(recipients...)
		k.payers, k.recipients = p.intern(idKey(payers)), p.intern(idKey(recipients))
	}
	if p.groups == nil {
		p.groups = map[groupKey]*informalGroup{}
	}
	g := p.groups[k]
	if g == nil {
		g = &informalGroup{payers: ids(payers...), recipients: ids(recipients...), decider: decider, scope: scope,
			total: exact.New(amount.Unit()), largest: amount}
		p.groups[k] = g
	}
	g.count++
	if amount.Unit() == g.total.Unit() { // another unit is left out
		if err := g.total.AddSum(amount); err != nil && p.sumErr == nil {
			p.sumErr = err
		}
	}
	if c, err := amount.Cmp(g.largest); err == nil && c > 0 {
		g.largest = amount
	}
	if len(g.first) < MaxGroupRecords {
		g.first = append(g.first, tx.ID())
	}
}

func idKey(xs []uuid.UUID) string {
	b := make([]byte, 0, 16*len(xs))
	for _, x := range xs {
		b = append(b, x[:]...)
	}
	return string(b)
}
