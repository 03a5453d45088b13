package ledger

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/exact"
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
// once for each account owner and each party who decided a record, with
// no lock held, so it may query the ledger (or a register) itself. The work is linear in the
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
	// The classifier is the caller's code, so it runs with no lock held,
	// between naming the parties to classify and a pass over the
	// transactions recorded when they were named (txOrder is append-only;
	// a later reversal is ignored).
	l.mu.RLock()
	txs, asOf := l.txOrder, view{seq: l.seq, recorded: recorded}
	parties := l.metricsParties()
	l.mu.RUnlock()
	sectors := make(map[coprod.PartyID]coprod.Sector, len(parties))
	for _, p := range parties {
		sectors[p] = classify(p)
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.metrics(period, txs, asOf, func(p coprod.PartyID) coprod.Sector { return sectors[p] })
}

// metricsParties lists every party whose sector metrics may ask about:
// the owner of every account and every party who decided a record, in
// the order the ledger first saw them. The caller holds the read lock.
func (l *Ledger) metricsParties() []coprod.PartyID {
	seen := make(map[coprod.PartyID]bool, len(l.accountOrder)+len(l.deciders))
	parties := make([]coprod.PartyID, 0, len(l.accountOrder)+len(l.deciders))
	for _, p := range l.deciders {
		seen[p] = true
		parties = append(parties, p)
	}
	for _, acc := range l.accountOrder {
		if !seen[acc.Owner] {
			seen[acc.Owner] = true
			parties = append(parties, acc.Owner)
		}
	}
	return parties
}

// totaller turns running totals into amounts, keeping the first error.
type totaller struct{ err error }

func (t *totaller) of(r exact.Sum) coprod.Amount {
	a, err := r.Amount()
	if err != nil && t.err == nil {
		t.err = err
	}
	return a
}

// labourSums accumulates one LabourTotals.
type labourSums struct {
	hours, credits, low, central, high exact.Sum
}

func newLabourSums() labourSums {
	gbp := exact.New(coprod.GBP)
	return labourSums{hours: exact.New(coprod.Hours), credits: exact.New(coprod.Credits), low: gbp, central: gbp, high: gbp}
}

// add adds the parts of v that are set.
func (t *labourSums) add(v LabourValue) error {
	for _, x := range [...]struct {
		dst *exact.Sum
		v   coprod.Amount
	}{{&t.hours, v.Hours}, {&t.credits, v.Credits}, {&t.low, v.Low}, {&t.central, v.Central}, {&t.high, v.High}} {
		if !x.v.IsSet() {
			continue
		}
		if err := x.dst.AddAmount(x.v); err != nil {
			return err
		}
	}
	return nil
}

func (t *labourSums) totals(tt *totaller) LabourTotals {
	return LabourTotals{Hours: tt.of(t.hours), Credits: tt.of(t.credits), Low: tt.of(t.low), Central: tt.of(t.central), High: tt.of(t.high)}
}

// bySourceSums accumulates one MoneyBySource, indexed by source.
type bySourceSums [fromOther + 1]exact.Sum

func newBySourceSums() bySourceSums {
	var b bySourceSums
	for i := range b {
		b[i] = exact.New(coprod.GBP)
	}
	return b
}

func (b *bySourceSums) totals(t *totaller) MoneyBySource {
	return MoneyBySource{Statutory: t.of(b[fromStatutory]), Independent: t.of(b[fromIndependent]),
		Community: t.of(b[fromCommunity]), Other: t.of(b[fromOther])}
}

// coverageSums accumulates one CostCoverage.
type coverageSums struct {
	paid, independent, costs exact.Sum
	labour                   labourSums
}

func newCoverageSums() coverageSums {
	z := exact.New(coprod.GBP)
	return coverageSums{paid: z, independent: z, costs: z, labour: newLabourSums()}
}

// coverage computes the shares: Low against the high labour value, High
// against the low one. It returns the labour totals too.
func (c *coverageSums) coverage() (CostCoverage, LabourTotals, error) {
	var t totaller
	labour := c.labour.totals(&t)
	cc := CostCoverage{Paid: t.of(c.paid), Independent: t.of(c.independent), Costs: t.of(c.costs)}
	if t.err != nil {
		return CostCoverage{}, LabourTotals{}, t.err
	}
	for _, x := range []struct {
		dst    *Share
		labour coprod.Amount
	}{{&cc.Low, labour.High}, {&cc.Central, labour.Central}, {&cc.High, labour.Low}} {
		whole, err := cc.Costs.Add(x.labour)
		if err != nil {
			return CostCoverage{}, LabourTotals{}, err
		}
		*x.dst = Share{Part: cc.Paid, Whole: whole}
	}
	return cc, labour, nil
}

// partySums and scopeSums accumulate one PartyMetrics and ScopeMetrics.
type partySums struct {
	party    coprod.PartyID
	sector   coprod.Sector
	received bySourceSums
	cover    coverageSums
}

type scopeSums struct {
	moved    exact.Sum
	bySource bySourceSums
	cover    coverageSums
}

// deciders sums the money each named individual decided, in the order
// they first decided in, for a deterministic tie-break.
type deciders struct {
	index map[coprod.PartyID]int
	sums  []decided
}

type decided struct {
	who coprod.PartyID
	sum exact.Sum
}

func (d *deciders) add(who coprod.PartyID, v exact.Sum) error {
	i, seen := d.index[who]
	if !seen {
		if d.index == nil {
			d.index = map[coprod.PartyID]int{}
		}
		i = len(d.sums)
		d.index[who] = i
		d.sums = append(d.sums, decided{who: who, sum: exact.New(coprod.GBP)})
	}
	return d.sums[i].sum.AddSum(v)
}

// largest is the individual who decided most of whole; ties go to
// whoever decided first.
func (d *deciders) largest(whole coprod.Amount) (KeyPerson, error) {
	k := KeyPerson{Share: Share{Part: coprod.Zero(coprod.GBP), Whole: whole}}
	for _, s := range d.sums {
		sum, err := s.sum.Amount()
		if err != nil {
			return KeyPerson{}, err
		}
		if c, _ := sum.Cmp(k.Share.Part); c > 0 {
			k = KeyPerson{Party: s.who, Share: Share{Part: sum, Whole: whole}}
		}
	}
	return k, nil
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

// metricsSums are the running totals Metrics is made of. Money is summed
// in int64 pence while it fits and in exact decimals beyond (exact.Sum),
// and turned into amounts once, at the end, so that the pass over the
// transactions allocates nothing per transaction.
type metricsSums struct {
	moved, paidOut, toCommunity, toGrassroots, formal, formalToCommunity, core, multiYear, inKind exact.Sum
	bySource                                                                                      bySourceSums
	cover                                                                                         coverageSums
	everyone, statutory                                                                           deciders
	parties                                                                                       map[coprod.PartyID]*partySums
	partyOrder                                                                                    []*partySums
	scopes                                                                                        []*scopeSums    // by the ledger's scope number
	inScope                                                                                       []*scopeSums    // the current record's scope and every scope above it
	sectors                                                                                       []coprod.Sector // of each account's owner, by account number
	byAcct                                                                                        []*partySums    // each account's owner's sums, once looked up
	multiYearIDs                                                                                  map[uuid.UUID]bool
}

func (s *metricsSums) party(p coprod.PartyID, sector coprod.Sector) *partySums {
	ps := s.parties[p]
	if ps == nil {
		ps = &partySums{party: p, sector: sector, received: newBySourceSums(), cover: newCoverageSums()}
		s.parties[p] = ps
		s.partyOrder = append(s.partyOrder, ps)
	}
	return ps
}

// ownerOf returns the sums of acc's owner.
func (s *metricsSums) ownerOf(acc *account) *partySums {
	ps := s.byAcct[acc.ord]
	if ps == nil {
		ps = s.party(acc.Owner, s.sectors[acc.ord])
		s.byAcct[acc.ord] = ps
	}
	return ps
}

// metrics computes Metrics over txs, counted in asOf, with classify
// answering from the classifications made beforehand. The caller holds
// the read lock.
func (l *Ledger) metrics(period coprod.Window, txs []*entry, asOf view, classify Classifier) (Metrics, error) {
	z := exact.New(coprod.GBP)
	s := &metricsSums{moved: z, paidOut: z, toCommunity: z, toGrassroots: z, formal: z, formalToCommunity: z, core: z, multiYear: z, inKind: z,
		bySource: newBySourceSums(), cover: newCoverageSums(), parties: map[coprod.PartyID]*partySums{},
		scopes: make([]*scopeSums, len(l.scopes)), multiYearIDs: l.multiYearCaptures(),
		sectors: make([]coprod.Sector, len(l.accountOrder)), byAcct: make([]*partySums, len(l.accountOrder))}
	// The sector of every account's owner, once: the transactions counted
	// post only to accounts open when they were recorded.
	for i, acc := range l.accountOrder {
		s.sectors[i] = classify(acc.Owner)
	}
	for _, e := range txs {
		if !period.Contains(e.tx.Effective) || !l.countedIn(e, asOf) {
			continue
		}
		if err := l.metricsOf(e, s, classify); err != nil {
			return Metrics{}, err
		}
	}
	var t totaller
	m := Metrics{Period: period, Moved: t.of(s.moved), BySource: s.bySource.totals(&t), InKind: t.of(s.inKind), PaidOut: t.of(s.paidOut)}
	toCommunity := t.of(s.toCommunity)
	m.ToCommunity = Share{Part: toCommunity, Whole: m.PaidOut}
	m.ToGrassroots = Share{Part: t.of(s.toGrassroots), Whole: toCommunity}
	m.Formal = Share{Part: t.of(s.formal), Whole: m.Moved}
	m.FormalToCommunity = Share{Part: t.of(s.formalToCommunity), Whole: toCommunity}
	m.CoreFunding = Share{Part: t.of(s.core), Whole: toCommunity}
	m.MultiYear = Share{Part: t.of(s.multiYear), Whole: toCommunity}
	if t.err != nil {
		return Metrics{}, t.err
	}
	var err error
	if m.Coverage, m.Labour, err = s.cover.coverage(); err != nil {
		return Metrics{}, err
	}
	if m.KeyPerson, err = s.everyone.largest(m.Moved); err != nil {
		return Metrics{}, err
	}
	if m.StatutoryKeyPerson, err = s.statutory.largest(m.BySource.Statutory); err != nil {
		return Metrics{}, err
	}
	m.Parties = make([]PartyMetrics, 0, len(s.partyOrder))
	for _, ps := range s.partyOrder {
		c, labour, err := ps.cover.coverage()
		if err != nil {
			return Metrics{}, err
		}
		received := ps.received.totals(&t)
		if t.err != nil {
			return Metrics{}, t.err
		}
		m.Parties = append(m.Parties, PartyMetrics{Party: ps.party, Sector: ps.sector, Received: received, Labour: labour, Coverage: c})
	}
	m.Scopes = make([]ScopeMetrics, 0, len(s.scopes))
	for id, ss := range s.scopes {
		if ss == nil {
			continue
		}
		sc := l.scopes[id].scope
		c, labour, err := ss.cover.coverage()
		if err != nil {
			return Metrics{}, err
		}
		sm := ScopeMetrics{Scope: sc, Moved: t.of(ss.moved), BySource: ss.bySource.totals(&t), Labour: labour, Coverage: c}
		if t.err != nil {
			return Metrics{}, t.err
		}
		m.Scopes = append(m.Scopes, sm)
	}
	slices.SortFunc(m.Scopes, func(a, b ScopeMetrics) int { return strings.Compare(string(a.Scope), string(b.Scope)) })
	return m, nil
}

// metricsOf adds one counted transaction to s. The caller holds the read
// lock.
func (l *Ledger) metricsOf(e *entry, s *metricsSums, classify Classifier) error {
	tx := &e.tx
	s.inScope = s.inScope[:0]
	for id := e.scope; id >= 0; id = l.scopes[id].parent {
		ss := s.scopes[id]
		if ss == nil {
			ss = &scopeSums{moved: exact.New(coprod.GBP), bySource: newBySourceSums(), cover: newCoverageSums()}
			s.scopes[id] = ss
		}
		s.inScope = append(s.inScope, ss)
	}
	if tx.Labour != nil {
		acc, ok := l.labourProvider(e)
		if !ok {
			return nil
		}
		sector := s.sectors[acc.ord]
		if !sector.IsCommunity() && sector != coprod.Individual {
			return nil
		}
		v, err := tx.Labour.value() // validated when it was recorded
		if err != nil {
			return err
		}
		if err := s.cover.labour.add(v); err != nil {
			return err
		}
		if sector.IsCommunity() {
			if err := s.ownerOf(acc).cover.labour.add(v); err != nil {
				return err
			}
		}
		for _, ss := range s.inScope {
			if err := ss.cover.labour.add(v); err != nil {
				return err
			}
		}
		return nil
	}
	var err error
	add := func(dst *exact.Sum, v exact.Sum) {
		if err == nil {
			err = dst.AddSum(v)
		}
	}
	for i, p := range tx.Postings {
		if p.Amount.Sign() <= 0 || p.Amount.Unit() != coprod.GBP {
			continue
		}
		acc := l.acct(e, i)
		v := exact.Of(p.Amount)
		if tx.Kind == InKind {
			add(&s.inKind, v)
			continue
		}
		if sector := s.sectors[acc.ord]; acc.Kind == Expense && sector.IsCommunity() {
			add(&s.cover.costs, v)
			add(&s.ownerOf(acc).cover.costs, v)
			for _, ss := range s.inScope {
				add(&ss.cover.costs, v)
			}
		}
	}
	terr := l.transfers(e, func(t transfer) error {
		if t.amount.Unit() != coprod.GBP {
			return nil
		}
		amt := t.amount
		from, to := s.sectors[t.fromAcc.ord], s.sectors[t.toAcc.ord]
		src := sourceOf(from)
		add(&s.moved, amt)
		add(&s.bySource[src], amt)
		for _, ss := range s.inScope {
			add(&ss.moved, amt)
			add(&ss.bySource[src], amt)
		}
		if tx.Formality.Formal() {
			add(&s.formal, amt)
		}
		if to.IsCommunity() {
			ps := s.ownerOf(t.toAcc)
			add(&ps.received[src], amt)
			if src == fromIndependent {
				add(&ps.cover.independent, amt)
			} else {
				add(&ps.cover.paid, amt)
			}
		}
		if !from.IsCommunity() {
			add(&s.paidOut, amt)
		}
		if to.IsCommunity() && !from.IsCommunity() {
			add(&s.toCommunity, amt)
			if to.IsGrassroots() {
				add(&s.toGrassroots, amt)
			}
			if tx.Formality.Formal() {
				add(&s.formalToCommunity, amt)
			}
			if tx.Kind == CoreFunding {
				add(&s.core, amt)
			}
			if s.multiYearIDs[tx.ID] {
				add(&s.multiYear, amt)
			}
			dst := &s.cover.paid
			if src == fromIndependent {
				dst = &s.cover.independent
			}
			add(dst, amt)
			for _, ss := range s.inScope {
				if src == fromIndependent {
					add(&ss.cover.independent, amt)
				} else {
					add(&ss.cover.paid, amt)
				}
			}
		}
		if who := tx.Formality.DecidedBy; classify(who) == coprod.Individual {
			if err == nil {
				err = s.everyone.add(who, amt)
			}
			if src == fromStatutory && err == nil {
				err = s.statutory.add(who, amt)
			}
		}
		return err
	})
	if terr != nil {
		return terr
	}
	return err
}

// labourProvider is the memorandum account credited with the hours
// given: its owner is the party who gave the time.
func (l *Ledger) labourProvider(e *entry) (*account, bool) {
	for i, p := range e.tx.Postings {
		if p.Amount.Sign() < 0 {
			return l.acct(e, i), true
		}
	}
	return nil, false
}
