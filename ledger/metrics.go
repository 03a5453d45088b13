package ledger

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Classifier tells the ledger which sector a party belongs to; the ledger
// keeps no party data of its own. A governance register's Sector method
// serves as one: l.Metrics(period, reg.Sector).
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

// CostCoverage is money paid to community-side parties against their
// costs plus the replacement value of their unpaid labour. Low uses the
// high labour value and High the low one, so the range brackets the truth
// whichever wage is right.
//
// Paid leaves out money from independent funders, which is shown apart in
// Independent: coverage asks whether the partnership's own money (above
// all the statutory bodies', which commission the services) pays for what
// community parties deliver, and a foundation's core grant for years of
// readiness work would otherwise hide an unpaid service behind a ratio of
// several hundred per cent.
type CostCoverage struct {
	Paid coprod.Amount `json:"paid"`
	// Independent is money from independent funders to the same parties,
	// not counted in Paid.
	Independent coprod.Amount `json:"independent"`
	Costs       coprod.Amount `json:"costs"`
	Low         Share         `json:"low"`
	Central     Share         `json:"central"`
	High        Share         `json:"high"`
}

// KeyPerson is the named individual who decided the largest share of the
// money counted.
type KeyPerson struct {
	Party coprod.PartyID `json:"party"`
	Share Share          `json:"share"`
}

// MoneyBySource splits money by where it came from: the side of the party
// whose accounts it left (coprod.Sector).
type MoneyBySource struct {
	// Statutory is money paid by statutory bodies.
	Statutory coprod.Amount `json:"statutory"`
	// Independent is money paid by independent funders: charitable trusts,
	// foundations, lottery distributors.
	Independent coprod.Amount `json:"independent_funder"`
	// Community is money paid by community-side parties: community
	// organisations, hubs, service-user groups, large voluntary providers.
	Community coprod.Amount `json:"community"`
	// Other is money paid by anyone else: private suppliers, individuals,
	// and parties the classifier does not know.
	Other coprod.Amount `json:"other"`
}

// Total returns the sum of the four sources.
func (m MoneyBySource) Total() (coprod.Amount, error) {
	t := m.Statutory
	for _, v := range []coprod.Amount{m.Independent, m.Community, m.Other} {
		var err error
		if t, err = t.Add(v); err != nil {
			return coprod.Amount{}, err
		}
	}
	return t, nil
}

// source is the side money paid by a party of sector s comes from.
type source int

const (
	fromStatutory source = iota
	fromIndependent
	fromCommunity
	fromOther
)

func sourceOf(s coprod.Sector) source {
	switch {
	case s == coprod.Statutory:
		return fromStatutory
	case s == coprod.IndependentFunder:
		return fromIndependent
	case s.IsCommunity():
		return fromCommunity
	}
	return fromOther
}

func (m *MoneyBySource) at(s source) *coprod.Amount {
	switch s {
	case fromStatutory:
		return &m.Statutory
	case fromIndependent:
		return &m.Independent
	case fromCommunity:
		return &m.Community
	}
	return &m.Other
}

func zeroBySource() MoneyBySource {
	z := coprod.Zero(coprod.GBP)
	return MoneyBySource{Statutory: z, Independent: z, Community: z, Other: z}
}

// PartyMetrics is what one community-side party received, spent and gave.
type PartyMetrics struct {
	Party  coprod.PartyID `json:"party"`
	Sector coprod.Sector  `json:"sector"`
	// Received is the money the party received from other owners, by the
	// payer's side. Money a hub or another community party passed on to it
	// counts, as Community: it is what pays the party's costs.
	Received MoneyBySource `json:"received"`
	// Labour is the unpaid labour the party gave.
	Labour LabourTotals `json:"labour"`
	// Coverage is the party's own cost coverage: Paid is everything it
	// received except from independent funders (in Independent), against
	// its expense postings and its own unpaid labour. A hub's Paid
	// includes what it passed on, so parties' Paid do not sum to
	// Metrics.Coverage.Paid.
	Coverage CostCoverage `json:"coverage"`
}

// ScopeMetrics is the money and labour recorded under one service scope
// or any scope inside it: a record under "commission/mental-health/iapt"
// counts under "commission/mental-health" and "commission" too.
type ScopeMetrics struct {
	Scope coprod.Scope `json:"scope"`
	// Moved is all money moved between different owners under the scope,
	// by the payer's side in BySource.
	Moved    coprod.Amount `json:"moved"`
	BySource MoneyBySource `json:"by_source"`
	// Labour is the unpaid labour recorded under the scope, counted as
	// Metrics.Labour is.
	Labour LabourTotals `json:"labour"`
	// Coverage is money reaching community-side parties from outside it
	// under the scope, against the community-side costs and labour
	// recorded under it, as Metrics.Coverage.
	Coverage CostCoverage `json:"coverage"`
}

// Metrics are the redistribution measures of an evaluation (DOMAIN.md §5)
// over one period.
//
// Money is said to come from a source, the side of the party whose
// accounts it left: statutory, independent funder, community, or other
// (MoneyBySource). Money reaches the community side when it moves from a
// party outside it to a party on it; money passed on within the community
// side is not counted twice.
type Metrics struct {
	Period coprod.Window `json:"period"`
	// Moved is all money moved between different owners.
	Moved coprod.Amount `json:"moved"`
	// BySource is Moved split by where the money came from.
	BySource MoneyBySource `json:"by_source"`
	// PaidOut is the money moved by parties outside the community side
	// (statutory bodies, independent funders, suppliers, individuals).
	PaidOut coprod.Amount `json:"paid_out"`
	// ToCommunity is the part of PaidOut that reached community-side
	// parties (community organisations, hubs, service-user groups, large
	// voluntary providers).
	ToCommunity Share `json:"to_community"`
	// ToGrassroots is the part of ToCommunity paid straight to grassroots
	// community and user-led groups (coprod.Sector.IsGrassroots), rather
	// than to hubs and large providers.
	ToGrassroots Share `json:"to_grassroots"`
	// Formal is the part of Moved made under an instrument rather than at
	// one person's discretion.
	Formal Share `json:"formal"`
	// FormalToCommunity is the part of the money reaching community-side
	// parties (ToCommunity.Part) made under an instrument.
	FormalToCommunity Share `json:"formal_to_community"`
	// CoreFunding is the part of the money reaching community-side parties
	// that was core funding, whoever paid it.
	CoreFunding Share `json:"core_funding"`
	// MultiYear is the part of the money reaching community-side parties
	// committed for more than one year: paid by capturing a hold whose
	// commitment ran more than a year, from when it was placed (its
	// Recorded time) to when it lapses (its Expires time, after
	// Recorded.AddDate(1, 0, 0)). A hold with no expiry says nothing about
	// how long the funder committed, and does not count; nor does money
	// paid outside a hold.
	MultiYear Share `json:"multi_year"`
	// Coverage is money paid to community-side parties against their costs
	// and unpaid labour; money from independent funders is shown apart.
	Coverage CostCoverage `json:"coverage"`
	// Labour is the unpaid labour given by community-side parties and
	// individuals.
	Labour LabourTotals `json:"labour"`
	// InKind is the value of donated goods and services recorded in the
	// in-kind memorandum books (the money value of in-kind transactions),
	// kept apart from money moved.
	InKind coprod.Amount `json:"in_kind"`
	// KeyPerson is the individual who decided most of Moved; zero if no
	// individual decided any.
	KeyPerson KeyPerson `json:"key_person"`
	// StatutoryKeyPerson is the individual who decided most of the money
	// statutory bodies paid (BySource.Statutory): the exposure of
	// statutory money to one officer's goodwill.
	StatutoryKeyPerson KeyPerson `json:"statutory_key_person"`
	// Parties are the community-side parties that received money, booked
	// costs or gave labour, in order of first appearance.
	Parties []PartyMetrics `json:"parties"`
	// Scopes are the service scopes money or labour was recorded under,
	// with every scope above them, sorted by path. Records with no scope
	// count in the totals above but under no scope.
	Scopes []ScopeMetrics `json:"scopes"`
}

// Metrics computes the redistribution measures over counted transactions
// effective in period, in pounds, as the ledger stood when it was called.
// classify says which side each party is on and which parties are named
// individuals; a governance register's Sector method serves. It is called
// once for each party the transactions name, with no lock held, so it may
// query the ledger (or a register) itself. The work is linear in the
// number of transactions. MetricsAsOf gives the books as they stood at an
// earlier recorded time.
func (l *Ledger) Metrics(period coprod.Window, classify Classifier) (Metrics, error) {
	return l.metricsIn(period, time.Time{}, classify)
}

// metricsIn computes Metrics over the records seen by a view taken now,
// cut at recorded time recorded unless it is zero.
func (l *Ledger) metricsIn(period coprod.Window, recorded time.Time, classify Classifier) (Metrics, error) {
	if classify == nil {
		return Metrics{}, fmt.Errorf("%w: nil classifier", ErrInvalidArgument)
	}
	if err := period.Validate(); err != nil {
		return Metrics{}, fmt.Errorf("%w: period: %w", ErrInvalidArgument, err)
	}
	// The classifier is the caller's code, so it runs between two passes
	// under the read lock: the first names the parties to classify, the
	// second computes over the same transactions, counted as they were at
	// the first (txOrder is append-only; a later reversal is ignored).
	l.mu.RLock()
	txs, asOf := l.txOrder, view{seq: l.seq, recorded: recorded}
	parties := l.metricsParties(period, txs, asOf)
	l.mu.RUnlock()
	sectors := make(map[coprod.PartyID]coprod.Sector, len(parties))
	for _, p := range parties {
		sectors[p] = classify(p)
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.metrics(period, txs, asOf, func(p coprod.PartyID) coprod.Sector { return sectors[p] })
}

// metricsParties lists, in order of first appearance, every party whose
// sector metrics may ask about: labour providers, account owners and
// deciders of the transactions counted in asOf and effective in period.
// The caller holds the read lock.
func (l *Ledger) metricsParties(period coprod.Window, txs []*entry, asOf view) []coprod.PartyID {
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
		if !period.Contains(tx.Effective) || !l.countedIn(e, asOf) {
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

// coverageSums accumulates one CostCoverage.
type coverageSums struct {
	paid, independent, costs coprod.Amount
	labour                   LabourTotals
}

func newCoverageSums() coverageSums {
	z := coprod.Zero(coprod.GBP)
	return coverageSums{paid: z, independent: z, costs: z, labour: zeroLabour()}
}

// coverage computes the shares: Low against the high labour value, High
// against the low one.
func (c *coverageSums) coverage() (CostCoverage, error) {
	cc := CostCoverage{Paid: c.paid, Independent: c.independent, Costs: c.costs}
	for _, x := range []struct {
		dst    *Share
		labour coprod.Amount
	}{{&cc.Low, c.labour.High}, {&cc.Central, c.labour.Central}, {&cc.High, c.labour.Low}} {
		whole, err := c.costs.Add(x.labour)
		if err != nil {
			return CostCoverage{}, err
		}
		*x.dst = Share{Part: c.paid, Whole: whole}
	}
	return cc, nil
}

// partySums and scopeSums accumulate one PartyMetrics and ScopeMetrics.
type partySums struct {
	party    coprod.PartyID
	sector   coprod.Sector
	received MoneyBySource
	cover    coverageSums
}

type scopeSums struct {
	moved    coprod.Amount
	bySource MoneyBySource
	cover    coverageSums
}

// deciders sums the money each named individual decided, remembering the
// order they first decided in, for a deterministic tie-break.
type deciders struct {
	sums  map[coprod.PartyID]coprod.Amount
	order []coprod.PartyID
}

func (d *deciders) add(who coprod.PartyID, v coprod.Amount) error {
	if d.sums == nil {
		d.sums = map[coprod.PartyID]coprod.Amount{}
	}
	sum, seen := d.sums[who]
	if !seen {
		sum = coprod.Zero(coprod.GBP)
		d.order = append(d.order, who)
	}
	sum, err := sum.Add(v)
	d.sums[who] = sum
	return err
}

// largest is the individual who decided most of whole; ties go to
// whoever decided first.
func (d *deciders) largest(whole coprod.Amount) KeyPerson {
	k := KeyPerson{Share: Share{Part: coprod.Zero(coprod.GBP), Whole: whole}}
	for _, who := range d.order {
		if c, _ := d.sums[who].Cmp(k.Share.Part); c > 0 {
			k = KeyPerson{Party: who, Share: Share{Part: d.sums[who], Whole: whole}}
		}
	}
	return k
}

// multiYearCaptures returns the IDs of the transactions that captured a
// hold committed for more than one year. The caller holds the read lock.
func (l *Ledger) multiYearCaptures() map[uuid.UUID]bool {
	ids := map[uuid.UUID]bool{}
	for _, s := range l.holdOrder {
		h := &s.hold
		if s.res == nil || s.res.Resolution != Captured || s.res.Transaction == nil || h.Expires.IsZero() {
			continue
		}
		if h.Expires.After(h.Recorded.AddDate(1, 0, 0)) {
			ids[s.res.Transaction.ID] = true
		}
	}
	return ids
}

// metrics computes Metrics over txs, counted in asOf, with classify
// answering from the classifications made beforehand. The caller holds
// the read lock.
func (l *Ledger) metrics(period coprod.Window, txs []*entry, asOf view, classify Classifier) (Metrics, error) {
	zero := coprod.Zero(coprod.GBP)
	m := Metrics{Period: period, Moved: zero, BySource: zeroBySource(), Labour: zeroLabour(), InKind: zero}
	paidOut, toCommunity, toGrassroots, formal, formalToCommunity, core, multiYear := zero, zero, zero, zero, zero, zero, zero
	cover := newCoverageSums()
	var everyone, statutory deciders
	parties := map[coprod.PartyID]*partySums{}
	var partyOrder []*partySums
	scopes := map[coprod.Scope]*scopeSums{}
	var inScope []*scopeSums // the current record's scope and every scope above it
	multiYearIDs := l.multiYearCaptures()
	var err error
	add := func(dst *coprod.Amount, v coprod.Amount) {
		if err == nil {
			*dst, err = dst.Add(v)
		}
	}
	party := func(p coprod.PartyID, s coprod.Sector) *partySums {
		ps := parties[p]
		if ps == nil {
			ps = &partySums{party: p, sector: s, received: zeroBySource(), cover: newCoverageSums()}
			parties[p] = ps
			partyOrder = append(partyOrder, ps)
		}
		return ps
	}
	for _, e := range txs {
		tx := e.tx
		if !period.Contains(tx.Effective) || !l.countedIn(e, asOf) {
			continue
		}
		inScope = inScope[:0]
		for sc, ok := tx.Formality.Scope, tx.Formality.Scope != ""; ok; sc, ok = sc.Parent() {
			ss := scopes[sc]
			if ss == nil {
				ss = &scopeSums{moved: zero, bySource: zeroBySource(), cover: newCoverageSums()}
				scopes[sc] = ss
			}
			inScope = append(inScope, ss)
		}
		if tx.Labour != nil {
			provider, ok := l.labourProvider(tx)
			if !ok {
				continue
			}
			s := classify(provider)
			if !s.IsCommunity() && s != coprod.Individual {
				continue
			}
			v, verr := tx.Labour.Value()
			if verr != nil {
				return Metrics{}, verr
			}
			targets := []*LabourTotals{&m.Labour}
			if s.IsCommunity() {
				targets = append(targets, &party(provider, s).cover.labour)
			}
			for _, ss := range inScope {
				targets = append(targets, &ss.cover.labour)
			}
			for _, t := range targets {
				if err := t.add(v); err != nil {
					return Metrics{}, err
				}
			}
			continue
		}
		for _, p := range tx.Postings {
			if p.Amount.Sign() <= 0 || p.Amount.Unit() != coprod.GBP {
				continue
			}
			acc := l.accounts[p.Account]
			if tx.Kind == InKind {
				add(&m.InKind, p.Amount)
				continue
			}
			if s := classify(acc.Owner); acc.Kind == Expense && s.IsCommunity() {
				add(&cover.costs, p.Amount)
				add(&party(acc.Owner, s).cover.costs, p.Amount)
				for _, ss := range inScope {
					add(&ss.cover.costs, p.Amount)
				}
			}
		}
		terr := l.transfers(tx, func(t transfer) error {
			if t.amount.Unit() != coprod.GBP {
				return nil
			}
			from, to := classify(t.from), classify(t.to)
			src := sourceOf(from)
			add(&m.Moved, t.amount)
			add(m.BySource.at(src), t.amount)
			for _, ss := range inScope {
				add(&ss.moved, t.amount)
				add(ss.bySource.at(src), t.amount)
			}
			if tx.Formality.Formal() {
				add(&formal, t.amount)
			}
			if to.IsCommunity() {
				ps := party(t.to, to)
				add(ps.received.at(src), t.amount)
				if src == fromIndependent {
					add(&ps.cover.independent, t.amount)
				} else {
					add(&ps.cover.paid, t.amount)
				}
			}
			if !from.IsCommunity() {
				add(&paidOut, t.amount)
			}
			if to.IsCommunity() && !from.IsCommunity() {
				add(&toCommunity, t.amount)
				if to.IsGrassroots() {
					add(&toGrassroots, t.amount)
				}
				if tx.Formality.Formal() {
					add(&formalToCommunity, t.amount)
				}
				if tx.Kind == CoreFunding {
					add(&core, t.amount)
				}
				if multiYearIDs[tx.ID] {
					add(&multiYear, t.amount)
				}
				dst := &cover.paid
				if src == fromIndependent {
					dst = &cover.independent
				}
				add(dst, t.amount)
				for _, ss := range inScope {
					if src == fromIndependent {
						add(&ss.cover.independent, t.amount)
					} else {
						add(&ss.cover.paid, t.amount)
					}
				}
			}
			if who := tx.Formality.DecidedBy; classify(who) == coprod.Individual {
				if err == nil {
					err = everyone.add(who, t.amount)
				}
				if src == fromStatutory && err == nil {
					err = statutory.add(who, t.amount)
				}
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
	m.ToGrassroots = Share{Part: toGrassroots, Whole: toCommunity}
	m.Formal = Share{Part: formal, Whole: m.Moved}
	m.FormalToCommunity = Share{Part: formalToCommunity, Whole: toCommunity}
	m.CoreFunding = Share{Part: core, Whole: toCommunity}
	m.MultiYear = Share{Part: multiYear, Whole: toCommunity}
	cover.labour = m.Labour
	if m.Coverage, err = cover.coverage(); err != nil {
		return Metrics{}, err
	}
	m.KeyPerson = everyone.largest(m.Moved)
	m.StatutoryKeyPerson = statutory.largest(m.BySource.Statutory)
	m.Parties = make([]PartyMetrics, 0, len(partyOrder))
	for _, ps := range partyOrder {
		c, err := ps.cover.coverage()
		if err != nil {
			return Metrics{}, err
		}
		m.Parties = append(m.Parties, PartyMetrics{Party: ps.party, Sector: ps.sector, Received: ps.received, Labour: ps.cover.labour, Coverage: c})
	}
	m.Scopes = make([]ScopeMetrics, 0, len(scopes))
	for sc, ss := range scopes {
		c, err := ss.cover.coverage()
		if err != nil {
			return Metrics{}, err
		}
		m.Scopes = append(m.Scopes, ScopeMetrics{Scope: sc, Moved: ss.moved, BySource: ss.bySource, Labour: ss.cover.labour, Coverage: c})
	}
	slices.SortFunc(m.Scopes, func(a, b ScopeMetrics) int { return strings.Compare(string(a.Scope), string(b.Scope)) })
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
