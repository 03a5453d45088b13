package ledger

import (
	"fmt"

	"github.com/coprod/coprod"
	"github.com/shopspring/decimal"
)

// Classifier tells the ledger which sector a party belongs to; the ledger
// keeps no party data of its own. A governance register can serve it.
type Classifier func(coprod.PartyID) coprod.Sector

// Share is a part of a whole, both kept exact. Ratio divides, with
// explicit rounding, only when asked.
type Share struct {
	Part  coprod.Amount `json:"part"`
	Whole coprod.Amount `json:"whole"`
}

// MaxRatioPlaces is the most decimal places Share.Ratio rounds to.
const MaxRatioPlaces = 30

// Ratio returns Part ÷ Whole rounded half away from zero to places decimal
// places, and true. It returns zero and false when Whole is zero, or when
// places lies outside 0 to MaxRatioPlaces, so that its cost is bounded
// whatever it is asked.
func (s Share) Ratio(places int32) (decimal.Decimal, bool) {
	if s.Whole.IsZero() || places < 0 || places > MaxRatioPlaces {
		return decimal.Zero, false
	}
	return s.Part.Decimal().DivRound(s.Whole.Decimal(), places), true
}

// String formats the share as a percentage to one decimal place, or "n/a"
// when the whole is zero.
func (s Share) String() string {
	r, ok := s.Ratio(3)
	if !ok {
		return "n/a"
	}
	return r.Shift(2).StringFixed(1) + "%"
}

// LabourTotals sums contributed time: hours, time credits, and the money
// value of the hours as a low–central–high range (time credits carry no
// money value).
type LabourTotals struct {
	Hours   coprod.Amount `json:"hours"`
	Credits coprod.Amount `json:"credits"`
	Low     coprod.Amount `json:"low"`
	Central coprod.Amount `json:"central"`
	High    coprod.Amount `json:"high"`
}

func zeroLabour() LabourTotals {
	z := coprod.Zero(coprod.GBP)
	return LabourTotals{Hours: coprod.Zero(coprod.Hours), Credits: coprod.Zero(coprod.Credits), Low: z, Central: z, High: z}
}

func (t *LabourTotals) add(v LabourValue) error {
	var err error
	sum := func(dst *coprod.Amount, x coprod.Amount) {
		if err != nil || !x.IsSet() {
			return
		}
		*dst, err = dst.Add(x)
	}
	sum(&t.Hours, v.Hours)
	sum(&t.Credits, v.Credits)
	sum(&t.Low, v.Low)
	sum(&t.Central, v.Central)
	sum(&t.High, v.High)
	return err
}

// CostCoverage is money paid to community organisations against their
// costs plus the replacement value of their unpaid labour. Low uses the
// high labour value and High the low one, so the range brackets the truth
// whichever wage is right.
type CostCoverage struct {
	Paid    coprod.Amount `json:"paid"`
	Costs   coprod.Amount `json:"costs"`
	Low     Share         `json:"low"`
	Central Share         `json:"central"`
	High    Share         `json:"high"`
}

// KeyPerson is the named individual who decided the largest share of the
// money moved.
type KeyPerson struct {
	Party coprod.PartyID `json:"party"`
	Share Share          `json:"share"`
}

// Metrics are the redistribution measures of an evaluation (DOMAIN.md §5)
// over one period.
type Metrics struct {
	Period coprod.Window `json:"period"`
	// Moved is all money moved between different owners.
	Moved coprod.Amount `json:"moved"`
	// PaidOut is the money moved by parties outside the community side
	// (statutory bodies, individuals).
	PaidOut coprod.Amount `json:"paid_out"`
	// ToCommunity is the part of PaidOut that reached community-side
	// parties (community organisations, hubs, service-user groups). Money
	// passed on within the community side is not counted twice.
	ToCommunity Share `json:"to_community"`
	// Formal is the part of Moved made under an instrument rather than at
	// one person's discretion.
	Formal Share `json:"formal"`
	// CoreFunding is the part of the money reaching community-side parties
	// that was core funding.
	CoreFunding Share `json:"core_funding"`
	// Coverage is money paid to community-side parties against their costs
	// and unpaid labour.
	Coverage CostCoverage `json:"coverage"`
	// Labour is the unpaid labour given by community-side parties and
	// individuals.
	Labour LabourTotals `json:"labour"`
	// KeyPerson is the individual who decided most of Moved; zero if no
	// individual decided any.
	KeyPerson KeyPerson `json:"key_person"`
}

// Metrics computes the redistribution measures over counted transactions
// effective in period, in pounds, as the ledger stood when it was called.
// classify says which parties are community-side and which are named
// individuals. It is called once for each party the transactions name,
// with no lock held, so it may query the ledger (or a register) itself.
func (l *Ledger) Metrics(period coprod.Window, classify Classifier) (Metrics, error) {
	if classify == nil {
		return Metrics{}, fmt.Errorf("%w: nil classifier", ErrInvalidArgument)
	}
	// The classifier is the caller's code, so it runs between two passes
	// under the read lock: the first names the parties to classify, the
	// second computes over the same transactions, counted as they were at
	// the first (txOrder is append-only; a later reversal is ignored).
	l.mu.RLock()
	txs, seq := l.txOrder, l.seq
	parties := l.metricsParties(period, txs, seq)
	l.mu.RUnlock()
	sectors := make(map[coprod.PartyID]coprod.Sector, len(parties))
	for _, p := range parties {
		sectors[p] = classify(p)
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.metrics(period, txs, seq, func(p coprod.PartyID) coprod.Sector { return sectors[p] })
}

// metricsParties lists, in order of first appearance, every party whose
// sector metrics may ask about: labour providers, account owners and
// deciders of the transactions counted at seq and effective in period.
// The caller holds the read lock.
func (l *Ledger) metricsParties(period coprod.Window, txs []*entry, seq int) []coprod.PartyID {
	seen := map[coprod.PartyID]bool{}
	var parties []coprod.PartyID
	add := func(p coprod.PartyID) {
		if !seen[p] {
			seen[p] = true
			parties = append(parties, p)
		}
	}
	for _, e := range txs {
		tx := e.tx
		if !period.Contains(tx.Effective) || !l.countedAt(e, seq) {
			continue
		}
		if tx.Labour != nil {
			if provider, ok := l.labourProvider(tx); ok {
				add(provider)
			}
			continue
		}
		for _, p := range tx.Postings {
			add(l.accounts[p.Account].Owner)
		}
		add(tx.Formality.DecidedBy)
	}
	return parties
}

// countedAt is counted as of ledger sequence seq: a reversal recorded
// after seq does not yet take its original out.
func (l *Ledger) countedAt(e *entry, seq int) bool {
	if e.tx.Kind == Reversal {
		return false
	}
	by, reversed := l.reversedBy[e.tx.ID]
	return !reversed || l.txs[by].seq > seq
}

// metrics computes Metrics over txs, counted as of seq, with classify
// answering from the classifications made beforehand. The caller holds
// the read lock.
func (l *Ledger) metrics(period coprod.Window, txs []*entry, seq int, classify Classifier) (Metrics, error) {
	zero := coprod.Zero(coprod.GBP)
	m := Metrics{Period: period, Moved: zero, Labour: zeroLabour()}
	var paidOut, toCommunity, formal, core, costs = zero, zero, zero, zero, zero
	byPerson := map[coprod.PartyID]coprod.Amount{}
	var order []coprod.PartyID
	var err error
	add := func(dst *coprod.Amount, v coprod.Amount) {
		if err == nil {
			*dst, err = dst.Add(v)
		}
	}
	for _, e := range txs {
		tx := e.tx
		if !period.Contains(tx.Effective) || !l.countedAt(e, seq) {
			continue
		}
		if tx.Labour != nil {
			if provider, ok := l.labourProvider(tx); ok {
				if s := classify(provider); s.IsCommunity() || s == coprod.Individual {
					v, verr := tx.Labour.Value()
					if verr != nil {
						return Metrics{}, verr
					}
					if err := m.Labour.add(v); err != nil {
						return Metrics{}, err
					}
				}
			}
			continue
		}
		for _, p := range tx.Postings {
			acc := l.accounts[p.Account]
			if acc.Kind == Expense && p.Amount.Sign() > 0 && p.Amount.Unit() == coprod.GBP && classify(acc.Owner).IsCommunity() {
				add(&costs, p.Amount)
			}
		}
		terr := l.transfers(tx, func(t transfer) error {
			if t.amount.Unit() != coprod.GBP {
				return nil
			}
			add(&m.Moved, t.amount)
			if tx.Formality.Formal() {
				add(&formal, t.amount)
			}
			if !classify(t.from).IsCommunity() {
				add(&paidOut, t.amount)
			}
			if classify(t.to).IsCommunity() && !classify(t.from).IsCommunity() {
				add(&toCommunity, t.amount)
				if tx.Kind == CoreFunding {
					add(&core, t.amount)
				}
			}
			if who := tx.Formality.DecidedBy; classify(who) == coprod.Individual {
				sum, seen := byPerson[who]
				if !seen {
					sum = zero
					order = append(order, who)
				}
				add(&sum, t.amount)
				byPerson[who] = sum
			}
			return err
		})
		if terr != nil {
			return Metrics{}, terr
		}
	}
	if err != nil {
		return Metrics{}, err
	}
	m.PaidOut = paidOut
	m.ToCommunity = Share{Part: toCommunity, Whole: paidOut}
	m.Formal = Share{Part: formal, Whole: m.Moved}
	m.CoreFunding = Share{Part: core, Whole: toCommunity}
	m.Coverage = CostCoverage{Paid: toCommunity, Costs: costs}
	for _, c := range []struct {
		dst    *Share
		labour coprod.Amount
	}{{&m.Coverage.Low, m.Labour.High}, {&m.Coverage.Central, m.Labour.Central}, {&m.Coverage.High, m.Labour.Low}} {
		whole, err := costs.Add(c.labour)
		if err != nil {
			return Metrics{}, err
		}
		*c.dst = Share{Part: toCommunity, Whole: whole}
	}
	// The largest decider; ties go to whoever decided first.
	m.KeyPerson.Share = Share{Part: zero, Whole: m.Moved}
	for _, who := range order {
		if c, _ := byPerson[who].Cmp(m.KeyPerson.Share.Part); c > 0 {
			m.KeyPerson = KeyPerson{Party: who, Share: Share{Part: byPerson[who], Whole: m.Moved}}
		}
	}
	return m, nil
}

// labourProvider is the owner of the memorandum account credited with the
// hours given: the party who gave the time.
func (l *Ledger) labourProvider(tx *Transaction) (coprod.PartyID, bool) {
	for _, p := range tx.Postings {
		if p.Amount.Sign() < 0 {
			return l.accounts[p.Account].Owner, true
		}
	}
	return coprod.PartyID{}, false
}
