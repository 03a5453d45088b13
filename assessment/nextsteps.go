package assessment

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// StepCode is the stable code of a kind of next step. Codes are persisted
// and compared by other tools: they are never renamed or reused.
type StepCode string

// Step codes.
const (
	// StepDelegate: delegate an activity's scope to the community party
	// taking part in it, under a live mandate or delegation whose holder
	// may delegate it. Subjects: the activity, the community party, the
	// link, its holder.
	StepDelegate StepCode = "DELEGATE_AUTHORITY"
	// StepMandateNeeded: no live mandate or delegation could delegate the
	// activity's scope; a holder must first be given authority that may be
	// delegated. Subjects: the activity, the community party.
	StepMandateNeeded StepCode = "MANDATE_NEEDED"
	// StepShareDecision: make community parties that only advise in an
	// activity Responsible in it. Subjects: the activity, the parties.
	StepShareDecision StepCode = "SHARE_DECISION"
	// StepCreateActivity: create a live activity of a Co (co-assessment,
	// say) with community parties deciding. Subjects: the Co (by
	// governance.Co.ID), the community parties to decide.
	StepCreateActivity StepCode = "CREATE_ACTIVITY"
	// StepFundLabour: pay for the unpaid hours a party gave, at
	// replacement cost, as a range. Subjects: the party that gave the
	// hours, the organisation to fund, then the labour transactions.
	StepFundLabour StepCode = "FUND_LABOUR"
	// StepFundCosts: pay a community party the costs it booked beyond
	// what it was paid. Subjects: the party.
	StepFundCosts StepCode = "FUND_COSTS"
	// StepFormalise: put money paid at one person's discretion under an
	// instrument. Subjects: the transaction, the payer, the recipient, the
	// decider, then the link that could cover it and its holder, if any.
	StepFormalise StepCode = "FORMALISE_MONEY"
	// StepAppointDeputy: name a deputy for work or authority resting on
	// one person. Subjects: the activity or the links, the person, then
	// the parties holding the same authority.
	StepAppointDeputy StepCode = "APPOINT_DEPUTY"
	// StepTransferToOrganisation: authority held personally by someone
	// acting for an organisation is delegated to the organisation instead.
	// Subjects: the link, the person, the acting-for records.
	StepTransferToOrganisation StepCode = "TRANSFER_TO_ORGANISATION"
	// StepMendGovernance: mend what Check reports as an error. Subjects:
	// the finding's subjects.
	StepMendGovernance StepCode = "MEND_GOVERNANCE"
	// StepMeetCriterion: no specific change can be derived from the
	// records; the probe must answer otherwise. Subjects: the finding's
	// records.
	StepMeetCriterion StepCode = "MEET_CRITERION"
)

// AmountKind says what an amount of a next step measures. Kinds are
// persisted by their code.
type AmountKind string

// Amount kinds.
const (
	// AmountHours: unpaid hours given.
	AmountHours AmountKind = "unpaid-hours"
	// AmountCredits: time credits given, never converted to money.
	AmountCredits AmountKind = "time-credits"
	// AmountFundingLow and AmountFundingHigh bound the funding that would
	// pay for the hours at replacement cost: hours × the low and high
	// wage recorded with them.
	AmountFundingLow  AmountKind = "funding-low"
	AmountFundingHigh AmountKind = "funding-high"
	// AmountUnfundedCosts: costs a party booked beyond what it was paid.
	AmountUnfundedCosts AmountKind = "unfunded-costs"
	// AmountDiscretionary: money paid at one person's discretion.
	AmountDiscretionary AmountKind = "discretionary"
)

// FlagBenefits marks a step that would pay individuals: payments can
// affect state benefits, and nobody should end up worse off.
const FlagBenefits = "may-affect-benefits"

// StepAmount is one exact amount a next step names, with what it measures
// and the party it concerns.
type StepAmount struct {
	Kind   AmountKind     `json:"kind"`
	Party  coprod.PartyID `json:"party,omitzero"`
	Amount coprod.Amount  `json:"amount"`
}

// NextStep is a concrete change that would lift a blocker, derived from
// the records as known at the assessment's time: a stable code, the
// criterion of the blocker it lifts, the IDs of the records it names (in
// the order its code documents), exact amounts, flags such as
// FlagBenefits, and one line for people.
type NextStep struct {
	Code     StepCode     `json:"code"`
	Blocker  string       `json:"blocker"`
	Subjects []uuid.UUID  `json:"subjects"`
	Amounts  []StepAmount `json:"amounts,omitempty"`
	Flags    []string     `json:"flags,omitempty"`
	Text     string       `json:"text"`
}

// MaxNextSteps bounds the next steps of one result; the rest are left out
// and counted by the last step, a MEET_CRITERION step naming how many.
const MaxNextSteps = 256

// link is a live mandate or delegation with what a next step needs.
type link struct {
	holding
	mandate     bool
	name        string // basis or instrument
	parent      uuid.UUID
	mayDelegate bool
	limit       coprod.Amount
	reserved    []coprod.Scope // of the root mandate
	order       int
}

// planner derives next steps from a pass.
type planner struct {
	p     *Pass
	l     *ledger.Ledger
	links []link
	steps []NextStep
	// covers remembers, per scope, decider and payers, the links that
	// could cover a payment, best first (coverCandidates): a large
	// partnership asks for each of tens of thousands of groups of
	// discretionary payments, and only the amount differs.
	covers map[coverKey][]link
	// Indexes built on first use: links by ID and by holder, and the
	// organisations each decider acts for at the assessment's time.
	byID     map[uuid.UUID]link
	byHolder map[uuid.UUID][]link
	byScope  map[coprod.Scope][]link
	acting   map[uuid.UUID][]uuid.UUID
}

func (pl *planner) index() {
	if pl.byID != nil {
		return
	}
	pl.byID = make(map[uuid.UUID]link, len(pl.links))
	pl.byHolder = map[uuid.UUID][]link{}
	pl.byScope = map[coprod.Scope][]link{}
	for _, lk := range pl.links {
		pl.byID[lk.id] = lk
		pl.byHolder[lk.holder] = append(pl.byHolder[lk.holder], lk)
		pl.byScope[lk.scope] = append(pl.byScope[lk.scope], lk)
	}
}

// actingOrgs returns the organisations person acts for at the assessment's
// time, worked out once per person.
func (pl *planner) actingOrgs(person uuid.UUID) []uuid.UUID {
	if orgs, ok := pl.acting[person]; ok {
		return orgs
	}
	if pl.acting == nil {
		pl.acting = map[uuid.UUID][]uuid.UUID{}
	}
	var orgs []uuid.UUID
	if pl.p.reg != nil {
		for a := range pl.p.reg.ActingFor() {
			if a.Person == person && pl.p.Sector(a.For) != coprod.Individual && actsFor(pl.p, person, a.For) {
				orgs = append(orgs, a.For)
			}
		}
	}
	pl.acting[person] = orgs
	return orgs
}

// coverKey is cover's arguments: the amount by its exact value, the
// payers joined.
type coverKey struct {
	scope   coprod.Scope
	decider uuid.UUID
	payers  string
}

// nextSteps derives, for each blocker of res, the changes that would lift
// it, in the blockers' order.
func nextSteps(r Rubric, p *Pass, l *ledger.Ledger, byName map[string]Finding, blockers []Blocker) []NextStep {
	pl := &planner{p: p, l: l}
	pl.gatherLinks()
	needs := map[string][]Requirement{}
	for _, c := range r.Criteria {
		needs[c.ID] = c.Needs
	}
	for _, b := range blockers {
		start := len(pl.steps)
		done := map[string]bool{}
		for _, n := range needs[b.Criterion] {
			f := byName[n.Probe]
			if f.Outcome == n.Want || f.Outcome == NotApplicable || f.Outcome == NotAvailable {
				continue
			}
			pl.plan(b.Criterion, n, f, byName, done)
		}
		pl.steps = append(pl.steps[:start], sortSteps(pl.steps[start:])...)
	}
	if len(pl.steps) > MaxNextSteps {
		left := len(pl.steps) - (MaxNextSteps - 1)
		pl.steps = append(pl.steps[:MaxNextSteps-1], NextStep{Code: StepMeetCriterion, Blocker: pl.steps[MaxNextSteps-1].Blocker,
			Subjects: []uuid.UUID{}, Text: fmt.Sprintf("%d further step(s) left out", left)})
	}
	if pl.steps == nil {
		return []NextStep{}
	}
	return pl.steps
}

func (pl *planner) gatherLinks() {
	if pl.p.reg == nil {
		return
	}
	live := map[uuid.UUID]holding{}
	for _, h := range pl.p.links {
		live[h.id] = h
	}
	all := map[uuid.UUID]link{}
	i := 0
	for m := range pl.p.reg.Mandates() {
		all[m.ID] = link{holding: holding{m.ID, m.Holder, m.Scope}, mandate: true, name: m.Basis, mayDelegate: m.MaxDepth > 0,
			limit: m.TransactionLimit, reserved: m.Reserved, order: i}
		i++
	}
	for d := range pl.p.reg.Delegations() {
		all[d.ID] = link{holding: holding{d.ID, d.To, d.Scope}, name: d.Instrument, parent: d.Parent, mayDelegate: d.MaySubDelegate,
			limit: d.TransactionLimit, order: i}
		i++
	}
	for id, lk := range all {
		if _, ok := live[id]; !ok {
			continue
		}
		root := lk
		for depth := 0; !root.mandate && depth < governance.MaxChainDepth; depth++ {
			root = all[root.parent]
		}
		lk.reserved = root.reserved
		pl.links = append(pl.links, lk)
	}
	slices.SortFunc(pl.links, func(a, b link) int { return a.order - b.order })
}

func (pl *planner) add(s NextStep) {
	if s.Subjects == nil {
		s.Subjects = []uuid.UUID{}
	}
	pl.steps = append(pl.steps, s)
}

func (pl *planner) name(id uuid.UUID) string {
	if party, ok := pl.p.parties[id]; ok {
		return party.Name
	}
	return id.String()
}

func (pl *planner) names(parties []uuid.UUID) string {
	ns := make([]string, len(parties))
	for i, id := range parties {
		ns[i] = pl.name(id)
	}
	return strings.Join(ns, ", ")
}

// byName sorts parties by name, then ID, so that the order of recording
// does not show.
func (pl *planner) byName(parties []uuid.UUID) []uuid.UUID {
	out := ids(parties...)
	slices.SortStableFunc(out, func(a, b uuid.UUID) int { return strings.Compare(pl.name(a), pl.name(b)) })
	return out
}

func (pl *planner) describe(lk link) string {
	kind := "delegation"
	if lk.mandate {
		kind = "mandate"
	}
	if lk.name != "" {
		return fmt.Sprintf("%s %q (%s held by %s)", kind, lk.name, lk.scope, pl.name(lk.holder))
	}
	return fmt.Sprintf("%s of %s held by %s", kind, lk.scope, pl.name(lk.holder))
}

// plan adds the steps that would make one failing requirement hold.
func (pl *planner) plan(blocker string, n Requirement, f Finding, byName map[string]Finding, done map[string]bool) {
	probe := n.Probe
	co, hasCo := coOf(probe)
	switch {
	case hasCo && strings.HasPrefix(probe, "activity/") && n.Want == True:
		pl.createActivity(blocker, co)
		done["create/"+string(co)] = true
	case hasCo && strings.HasPrefix(probe, "community-decides/") && n.Want == True:
		if done["create/"+string(co)] || byName["activity/"+string(co)].Outcome == False {
			if !done["create/"+string(co)] {
				pl.createActivity(blocker, co)
				done["create/"+string(co)] = true
			}
			return
		}
		pl.shareDecision(blocker, &co, f)
	case probe == "community-decides" && n.Want == True:
		pl.shareDecision(blocker, nil, f)
	case hasCo && strings.HasPrefix(probe, "community-authority/") && n.Want == True:
		if !pl.delegate(blocker, co) {
			pl.createActivity(blocker, co)
		}
	case probe == "cost-coverage" && n.Want == True:
		pl.fundLabour(blocker)
		pl.fundCosts(blocker)
	case probe == "labour-unpaid" && n.Want == False:
		pl.fundLabour(blocker)
	case (probe == "formal-share-to-community" && n.Want == True) || (probe == "informal-money-to-community" && n.Want == False):
		if !done["formalise"] {
			pl.formalise(blocker)
			done["formalise"] = true
		}
	case probe == "key-person" && n.Want == False:
		pl.deputies(blocker)
	case probe == "authority-held-personally" && n.Want == False:
		pl.transfer(blocker)
	case probe == "governance-errors" && n.Want == False:
		pl.mend(blocker)
	default:
		pl.add(NextStep{Code: StepMeetCriterion, Blocker: blocker, Subjects: slices.Clone(f.Records),
			Text: fmt.Sprintf("make %s answer %s: now %s, %s", probe, n.Want, f.Outcome, f.Reason)})
	}
}

func coOf(probe string) (governance.Co, bool) {
	i := strings.LastIndexByte(probe, '/')
	if i < 0 {
		return "", false
	}
	co := governance.Co(probe[i+1:])
	return co, co.Valid()
}

// takingPart returns the community parties named in a, deciders first.
func (pl *planner) takingPart(a governance.Activity) (deciders, advisers []uuid.UUID) {
	for _, role := range roles(a) {
		for _, id := range role {
			if !pl.p.community(id) {
				continue
			}
			if a.Decides(id) {
				deciders = append(deciders, id)
			} else {
				advisers = append(advisers, id)
			}
		}
	}
	return pl.byName(deciders), pl.byName(advisers)
}

// communityTakingPart returns the community parties named in any live
// activity, or failing that every community party of the register.
func (pl *planner) communityTakingPart() []uuid.UUID {
	var out []uuid.UUID
	for _, a := range pl.p.activities {
		d, adv := pl.takingPart(a)
		out = append(append(out, d...), adv...)
	}
	if len(out) == 0 {
		for id, party := range pl.p.parties {
			if party.Sector.IsCommunity() {
				out = append(out, id)
			}
		}
	}
	return pl.byName(out)
}

// commonScope returns the longest scope covering every live activity's.
func (pl *planner) commonScope() coprod.Scope {
	var segs []string
	for i, a := range pl.p.activities {
		s := a.Scope.Segments()
		if i == 0 {
			segs = s
			continue
		}
		k := 0
		for k < len(segs) && k < len(s) && segs[k] == s[k] {
			k++
		}
		segs = segs[:k]
	}
	return coprod.Scope(strings.Join(segs, "/"))
}

func (pl *planner) createActivity(blocker string, co governance.Co) {
	parties := pl.communityTakingPart()
	scope := pl.commonScope()
	where := "in the scope of the work concerned"
	if scope != "" {
		where = "under " + string(scope)
	}
	subjects := append([]uuid.UUID{co.ID()}, parties...)
	if len(parties) == 0 {
		pl.add(NextStep{Code: StepCreateActivity, Blocker: blocker, Subjects: subjects,
			Text: fmt.Sprintf("create a live %s activity %s, with community parties Responsible: the register names none yet", co, where)})
		return
	}
	pl.add(NextStep{Code: StepCreateActivity, Blocker: blocker, Subjects: subjects,
		Text: fmt.Sprintf("create a live %s activity %s with %s Responsible (deciding)", co, where, pl.names(parties))})
}

func (pl *planner) shareDecision(blocker string, co *governance.Co, f Finding) {
	n := 0
	for _, a := range pl.p.activities {
		if co != nil && !a.In(*co) {
			continue
		}
		d, adv := pl.takingPart(a)
		if len(d) > 0 || len(adv) == 0 {
			continue
		}
		n++
		pl.add(NextStep{Code: StepShareDecision, Blocker: blocker, Subjects: append([]uuid.UUID{a.ID}, adv...),
			Text: fmt.Sprintf("make %s Responsible in %q (%s), where they now only advise", pl.names(adv), a.Name, a.Scope)})
	}
	if n > 0 {
		return
	}
	parties := pl.communityTakingPart()
	for _, a := range pl.p.activities {
		if co != nil && !a.In(*co) {
			continue
		}
		if d, _ := pl.takingPart(a); len(d) > 0 || len(parties) == 0 {
			continue
		}
		n++
		pl.add(NextStep{Code: StepShareDecision, Blocker: blocker, Subjects: append([]uuid.UUID{a.ID}, parties...),
			Text: fmt.Sprintf("name %s Responsible in %q (%s), where no community party takes part", pl.names(parties), a.Name, a.Scope)})
	}
	if n == 0 {
		pl.add(NextStep{Code: StepMeetCriterion, Blocker: blocker, Subjects: slices.Clone(f.Records),
			Text: "name community parties Responsible in a live activity: " + f.Reason})
	}
}

// delegate adds, for each live activity of co with a community party in
// it, the delegation that would give that party authority there. It
// reports whether there was such an activity.
func (pl *planner) delegate(blocker string, co governance.Co) bool {
	any := false
	for _, a := range pl.p.activities {
		if !a.In(co) {
			continue
		}
		d, adv := pl.takingPart(a)
		parties := d
		if len(parties) == 0 {
			parties = adv
		}
		if len(parties) == 0 {
			continue
		}
		any = true
		to := parties[0]
		best, ok := pl.delegator(a.Scope, to)
		if !ok {
			pl.add(NextStep{Code: StepMandateNeeded, Blocker: blocker, Subjects: []uuid.UUID{a.ID, to},
				Text: fmt.Sprintf("no live mandate or delegation may delegate %s (%q) to %s: give a holder authority for it that may be delegated", a.Scope, a.Name, pl.name(to))})
			continue
		}
		pl.add(NextStep{Code: StepDelegate, Blocker: blocker, Subjects: []uuid.UUID{a.ID, to, best.id, best.holder},
			Text: fmt.Sprintf("delegate %s (%q) to %s under %s", a.Scope, a.Name, pl.name(to), pl.describe(best))})
	}
	return any
}

// delegator finds the live link best placed to delegate scope to a party:
// it covers the scope, may be delegated, reaches no reserved matter and is
// not held by the party itself; the narrowest scope wins, organisations
// before individuals, then the first recorded.
func (pl *planner) delegator(scope coprod.Scope, to uuid.UUID) (link, bool) {
	var cands []link
	for _, lk := range pl.links {
		if !lk.mayDelegate || lk.holder == to || !lk.scope.Covers(scope) {
			continue
		}
		if slices.ContainsFunc(lk.reserved, scope.Overlaps) {
			continue
		}
		cands = append(cands, lk)
	}
	if len(cands) == 0 {
		return link{}, false
	}
	slices.SortStableFunc(cands, func(a, b link) int {
		if da, db := len(a.scope.Segments()), len(b.scope.Segments()); da != db {
			return db - da
		}
		ia, ib := pl.p.Sector(a.holder) == coprod.Individual, pl.p.Sector(b.holder) == coprod.Individual
		if ia != ib {
			if ia {
				return 1
			}
			return -1
		}
		return a.order - b.order
	})
	return cands[0], true
}

// labourGift is the unpaid labour one party gave to one organisation.
type labourGift struct {
	giver, fund  uuid.UUID
	hours        coprod.Amount
	credits      coprod.Amount
	low, high    coprod.Amount
	unvalued     coprod.Amount // hours valued otherwise than at replacement cost
	transactions []uuid.UUID
}

// fundLabour adds, per party that gave unpaid labour in the period, the
// funding that would pay for it at replacement cost.
func (pl *planner) fundLabour(blocker string) {
	if pl.l == nil || !pl.p.money {
		return
	}
	var gifts []*labourGift
	find := func(giver, fund uuid.UUID) *labourGift {
		for _, g := range gifts {
			if g.giver == giver && g.fund == fund {
				return g
			}
		}
		g := &labourGift{giver: giver, fund: fund, hours: coprod.Zero(coprod.Hours), credits: coprod.Zero(coprod.Credits),
			unvalued: coprod.Zero(coprod.Hours)}
		gifts = append(gifts, g)
		return g
	}
	for tx := range pl.l.Transactions() {
		if !tx.Kind.Labour() || tx.Labour == nil || tx.Recorded.After(pl.p.at) || !pl.p.period.Contains(tx.Effective) {
			continue
		}
		if _, reversed := pl.l.ReversedBy(tx.ID); reversed {
			continue
		}
		var giver, receiver uuid.UUID
		for _, post := range tx.Postings {
			if a, ok := pl.l.Account(post.Account); ok {
				if post.Amount.Sign() < 0 {
					giver = a.Owner
				} else {
					receiver = a.Owner
				}
			}
		}
		sector := pl.p.Sector(giver)
		if !sector.IsCommunity() && sector != coprod.Individual {
			continue
		}
		g := find(giver, pl.fundFor(giver, receiver))
		g.transactions = append(g.transactions, tx.ID)
		v, err := tx.Labour.Value()
		if err != nil {
			continue
		}
		if tx.Labour.Method == ledger.TimeCreditMethod {
			g.credits, _ = g.credits.Add(v.Credits)
			continue
		}
		g.hours, _ = g.hours.Add(v.Hours)
		if tx.Labour.Method != ledger.ReplacementCost {
			g.unvalued, _ = g.unvalued.Add(v.Hours)
			continue
		}
		g.low = addMoney(g.low, v.Low)
		g.high = addMoney(g.high, v.High)
	}
	for _, g := range gifts {
		s := NextStep{Code: StepFundLabour, Blocker: blocker, Subjects: append([]uuid.UUID{g.giver, g.fund}, ids(g.transactions...)...)}
		var parts []string
		if g.hours.Sign() > 0 {
			s.Amounts = append(s.Amounts, StepAmount{Kind: AmountHours, Party: g.giver, Amount: g.hours})
			parts = append(parts, g.hours.String())
		}
		if g.credits.Sign() > 0 {
			s.Amounts = append(s.Amounts, StepAmount{Kind: AmountCredits, Party: g.giver, Amount: g.credits})
			parts = append(parts, g.credits.String()+" (never converted to money)")
		}
		text := fmt.Sprintf("%s gave %s unpaid", pl.name(g.giver), strings.Join(parts, " and "))
		if g.low.IsSet() {
			s.Amounts = append(s.Amounts, StepAmount{Kind: AmountFundingLow, Party: g.fund, Amount: g.low},
				StepAmount{Kind: AmountFundingHigh, Party: g.fund, Amount: g.high})
			text += fmt.Sprintf(": fund %s at full cost, %s to %s at replacement cost", pl.name(g.fund), g.low, g.high)
		}
		if g.unvalued.Sign() > 0 {
			text += fmt.Sprintf("; %s have no replacement wage recorded", g.unvalued)
		}
		if pl.p.Sector(g.giver) == coprod.Individual {
			s.Flags = []string{FlagBenefits}
			text += "; paying individuals can affect their benefits: check first that nobody ends up worse off"
		}
		s.Text = text
		pl.add(s)
	}
}

// fundFor returns the organisation to fund for labour a party gave: the
// party itself unless it is an individual; then the organisation it acts
// for, or the community party it gave the time to.
func (pl *planner) fundFor(giver, receiver uuid.UUID) uuid.UUID {
	if pl.p.Sector(giver) != coprod.Individual {
		return giver
	}
	var orgs []uuid.UUID
	for org, party := range pl.p.parties {
		if party.Sector != coprod.Individual {
			if _, ok := pl.p.reg.ActsFor(giver, org, pl.p.at); ok {
				orgs = append(orgs, org)
			}
		}
	}
	if orgs = pl.byName(orgs); len(orgs) > 0 {
		return orgs[0]
	}
	if pl.p.community(receiver) {
		return receiver
	}
	return giver
}

func addMoney(sum, a coprod.Amount) coprod.Amount {
	if !a.IsSet() {
		return sum
	}
	if !sum.IsSet() {
		return a
	}
	if s, err := sum.Add(a); err == nil {
		return s
	}
	return sum
}

// fundCosts adds, per community party whose booked costs exceed what it
// was paid, the difference.
func (pl *planner) fundCosts(blocker string) {
	if !pl.p.money {
		return
	}
	for _, pm := range pl.p.metrics.Parties {
		c := pm.Coverage
		if !c.Costs.IsSet() || !c.Paid.IsSet() {
			continue
		}
		gap, err := c.Costs.Sub(c.Paid)
		if err != nil || gap.Sign() <= 0 {
			continue
		}
		pl.add(NextStep{Code: StepFundCosts, Blocker: blocker, Subjects: []uuid.UUID{pm.Party},
			Amounts: []StepAmount{{Kind: AmountUnfundedCosts, Party: pm.Party, Amount: gap}},
			Text:    fmt.Sprintf("%s booked %s of costs and was paid %s: fund the %s gap", pl.name(pm.Party), c.Costs, c.Paid, gap)})
	}
}

// formalise adds, per group of payments that paid community parties at
// one person's discretion (the same payers, recipients, decider and
// scope), the instrument that could have covered them: one step for a
// thousand small payments, not a thousand steps.
func (pl *planner) formalise(blocker string) {
	if pl.l == nil {
		return
	}
	groups := make([]*informalGroup, 0, len(pl.p.groups))
	for _, g := range pl.p.groups {
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b *informalGroup) int { return bytes.Compare(a.first[0][:], b.first[0][:]) })
	for _, g := range groups {
		total, err := g.total.Amount()
		if err != nil {
			continue // beyond range: the ledger keeps balances in range, so never
		}
		largest, _ := g.largest.Amount() // no larger than total
		subjects := slices.Clone(g.first)
		subjects = append(append(append(subjects, g.payers...), g.recipients...), g.decider)
		s := NextStep{Code: StepFormalise, Blocker: blocker,
			Amounts: []StepAmount{{Kind: AmountDiscretionary, Party: firstOr(g.recipients), Amount: total}}}
		// The text is built by hand: a large partnership has tens of
		// thousands of these groups.
		var t strings.Builder
		t.Grow(256)
		if g.count > 1 {
			t.WriteString(strconv.Itoa(g.count))
			t.WriteString(" payments, ")
			t.WriteString(total.String())
			t.WriteString(" in all, paid to ")
		} else {
			t.WriteString(total.String())
			t.WriteString(" paid to ")
		}
		payers := pl.names(g.payers)
		for _, x := range [...]string{pl.names(g.recipients), " by ", payers, " at ", pl.name(g.decider), "'s discretion"} {
			t.WriteString(x)
		}
		// An instrument covers the group if it covers its largest payment.
		if lk, ok := pl.cover(g.scope, largest, g.decider, g.payers); ok {
			s.Subjects = append(subjects, lk.id, lk.holder)
			for _, x := range [...]string{": make it under ", pl.describe(lk), ", which covers ", string(g.scope)} {
				t.WriteString(x)
			}
		} else if g.scope == "" {
			s.Subjects = subjects
			t.WriteString(", in no scope: record the service it pays for and delegate authority for it")
		} else {
			s.Subjects = subjects
			for _, x := range [...]string{": no live mandate or delegation of ", pl.name(g.decider), " or ", payers, " covers ", string(g.scope), " up to that amount; delegate one"} {
				t.WriteString(x)
			}
		}
		s.Text = t.String()
		pl.add(s)
	}
}

// sortSteps returns one blocker's steps ordered by code, then the
// largest amount first (a step's first amount, compared with steps whose
// first amount is in the same unit; steps naming none come after those
// that do), then by text, keeping the first of steps with the same code
// and text. It sorts positions, so that tens of thousands of steps are not
// moved about while they are sorted.
func sortSteps(steps []NextStep) []NextStep {
	order := make([]int, len(steps))
	for i := range order {
		order[i] = i
	}
	first := func(s *NextStep) (coprod.Amount, bool) {
		if len(s.Amounts) == 0 || !s.Amounts[0].Amount.IsSet() {
			return coprod.Amount{}, false
		}
		return s.Amounts[0].Amount, true
	}
	slices.SortFunc(order, func(i, j int) int {
		a, b := &steps[i], &steps[j]
		if c := strings.Compare(string(a.Code), string(b.Code)); c != 0 {
			return c
		}
		x, xok := first(a)
		y, yok := first(b)
		switch {
		case xok && !yok:
			return -1
		case !xok && yok:
			return 1
		case xok && yok && x.Unit() != y.Unit():
			if c := strings.Compare(string(x.Unit()), string(y.Unit())); c != 0 {
				return c
			}
		case xok && yok:
			if c, _ := y.Cmp(x); c != 0 {
				return c // the larger first
			}
		}
		if c := strings.Compare(a.Text, b.Text); c != 0 {
			return c
		}
		return i - j // the first recorded first, as a stable sort keeps it
	})
	type key struct {
		code StepCode
		text string
	}
	seen := make(map[key]bool, len(steps))
	out := make([]NextStep, 0, len(steps))
	for _, i := range order {
		k := key{steps[i].Code, steps[i].Text}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, steps[i])
	}
	return out
}

func firstOr(xs []uuid.UUID) uuid.UUID {
	if len(xs) == 0 {
		return uuid.Nil
	}
	return xs[0]
}

// cover finds a live link covering scope within its transaction limit,
// held by the decider, then an organisation the decider acts for, then a
// payer; the narrowest scope first.
func (pl *planner) cover(scope coprod.Scope, amount coprod.Amount, decider uuid.UUID, payers []uuid.UUID) (link, bool) {
	if scope == "" {
		return link{}, false
	}
	key := coverKey{scope: scope, decider: decider}
	var b strings.Builder
	for _, p := range payers {
		b.Write(p[:])
	}
	key.payers = b.String()
	cands, ok := pl.covers[key]
	if !ok {
		cands = pl.coverCandidates(scope, decider, payers)
		if pl.covers == nil {
			pl.covers = map[coverKey][]link{}
		}
		pl.covers[key] = cands
	}
	// The candidates are in order of preference whatever the amount, so
	// the first within its limit is the answer.
	for _, lk := range cands {
		if lk.limit.IsSet() && amount.IsSet() {
			if c, err := amount.Cmp(lk.limit); err != nil || c > 0 {
				continue
			}
		}
		return lk, true
	}
	return link{}, false
}

// coverCandidates lists the live links that cover scope, best first, of
// any transaction limit.
func (pl *planner) coverCandidates(scope coprod.Scope, decider uuid.UUID, payers []uuid.UUID) []link {
	orgs := pl.actingOrgs(decider)
	rank := func(holder uuid.UUID) int {
		switch {
		case holder == decider:
			return 0
		case slices.Contains(orgs, holder):
			return 1
		case slices.Contains(payers, holder):
			return 2
		}
		return -1
	}
	// Only the links of the decider, the organisations it acts for and
	// the payers can cover the payment: look at those alone, in the
	// order recorded.
	pl.index()
	var own []link
	seen := map[uuid.UUID]bool{}
	for _, h := range append(append([]uuid.UUID{decider}, orgs...), payers...) {
		if !seen[h] {
			seen[h] = true
			own = append(own, pl.byHolder[h]...)
		}
	}
	slices.SortFunc(own, func(a, b link) int { return a.order - b.order })
	var cands []link
	for _, lk := range own {
		if rank(lk.holder) < 0 || !lk.scope.Covers(scope) || slices.ContainsFunc(lk.reserved, scope.Overlaps) {
			continue
		}
		cands = append(cands, lk)
	}
	// Stable, so that filtering by amount afterwards picks what sorting
	// the links within the amount would.
	slices.SortStableFunc(cands, func(a, b link) int {
		if ra, rb := rank(a.holder), rank(b.holder); ra != rb {
			return ra - rb
		}
		return strings.Count(string(b.scope), "/") - strings.Count(string(a.scope), "/")
	})
	return cands
}

func actsFor(p *Pass, person, org uuid.UUID) bool {
	_, ok := p.reg.ActsFor(person, org, p.at)
	return ok
}

// holders returns the parties other than person holding a live link
// covering scope, except those in skip, individuals first, then by name.
func (pl *planner) holders(scope coprod.Scope, person uuid.UUID, skip []uuid.UUID) []uuid.UUID {
	// The links covering scope are those of scope itself and of each of
	// its parents: look those up rather than scan every link.
	pl.index()
	var covering []link
	for sc, ok := scope, true; ok; sc, ok = sc.Parent() {
		covering = append(covering, pl.byScope[sc]...)
	}
	slices.SortFunc(covering, func(a, b link) int { return a.order - b.order })
	var out []uuid.UUID
	for _, lk := range covering {
		if lk.holder != person && !slices.Contains(skip, lk.holder) {
			out = append(out, lk.holder)
		}
	}
	out = pl.byName(out)
	slices.SortStableFunc(out, func(a, b uuid.UUID) int {
		ia, ib := pl.p.Sector(a) == coprod.Individual, pl.p.Sector(b) == coprod.Individual
		switch {
		case ia == ib:
			return 0
		case ia:
			return -1
		}
		return 1
	})
	return out
}

// deputies adds a deputy to appoint for every key-person finding of Check.
func (pl *planner) deputies(blocker string) {
	for _, f := range pl.p.report.Findings {
		switch f.Code {
		case governance.CodeKeyPerson:
			if len(f.Subjects) < 2 {
				continue
			}
			act, person := f.Subjects[0], f.Subjects[len(f.Subjects)-1]
			a, ok := pl.p.reg.Activity(act)
			if !ok {
				continue
			}
			pl.deputy(blocker, []uuid.UUID{act}, person, a.Scope, fmt.Sprintf("%q (%s)", a.Name, a.Scope), nil)
		case governance.CodeKeyPersonHolding:
			if len(f.Subjects) < 2 {
				continue
			}
			person, held := f.Subjects[len(f.Subjects)-1], f.Subjects[:len(f.Subjects)-1]
			var scope coprod.Scope
			var above []uuid.UUID
			// The links held, looked up by ID and taken in the order
			// recorded: the last one's scope names the step.
			pl.index()
			var found []link
			for _, id := range held {
				if lk, ok := pl.byID[id]; ok {
					found = append(found, lk)
				}
			}
			slices.SortFunc(found, func(a, b link) int { return a.order - b.order })
			found = slices.CompactFunc(found, func(a, b link) bool { return a.id == b.id })
			for _, lk := range found {
				scope = lk.scope
				above = append(above, pl.above(lk)...)
			}
			if scope == "" {
				continue
			}
			pl.deputy(blocker, slices.Clone(held), person, scope, "authority for "+string(scope), above)
		}
	}
}

// above returns the holders above lk on its own chain.
func (pl *planner) above(lk link) []uuid.UUID {
	var out []uuid.UUID
	pl.index()
	for cur, depth := lk, 0; !cur.mandate && depth < governance.MaxChainDepth; depth++ {
		p, ok := pl.byID[cur.parent]
		if !ok {
			break
		}
		out = append(out, p.holder)
		cur = p
	}
	return out
}

func (pl *planner) deputy(blocker string, records []uuid.UUID, person uuid.UUID, scope coprod.Scope, what string, skip []uuid.UUID) {
	hs := pl.holders(scope, person, skip)
	s := NextStep{Code: StepAppointDeputy, Blocker: blocker, Subjects: append(append(records, person), hs...)}
	if len(hs) == 0 {
		s.Text = fmt.Sprintf("%s rests on %s alone and no one else holds authority for %s: delegate it to a second person and name them deputy", what, pl.name(person), scope)
	} else {
		s.Text = fmt.Sprintf("%s rests on %s alone: name a deputy; %s hold(s) the same authority", what, pl.name(person), pl.names(hs))
	}
	pl.add(s)
}

// transfer adds, for authority held personally, the delegation to the
// organisation the person acts for.
func (pl *planner) transfer(blocker string) {
	for _, f := range pl.p.report.Findings {
		if f.Code != governance.CodeHeldPersonally || len(f.Subjects) < 3 {
			continue
		}
		lid, person := f.Subjects[0], f.Subjects[1]
		var orgs []uuid.UUID
		for _, a := range f.Subjects[2:] {
			for rec := range pl.p.reg.ActingFor() {
				if rec.ID == a {
					orgs = append(orgs, rec.For)
				}
			}
		}
		scope := coprod.Scope("")
		for _, lk := range pl.links {
			if lk.id == lid {
				scope = lk.scope
			}
		}
		pl.add(NextStep{Code: StepTransferToOrganisation, Blocker: blocker, Subjects: slices.Clone(f.Subjects),
			Text: fmt.Sprintf("authority for %s is held by %s personally: delegate it to %s as an organisation, and let %s act for it",
				scope, pl.name(person), pl.names(pl.byName(orgs)), pl.name(person))})
	}
}

// mend adds a step for every error Check reports.
func (pl *planner) mend(blocker string) {
	for _, f := range pl.p.report.Findings {
		if f.Severity != governance.SeverityError {
			continue
		}
		pl.add(NextStep{Code: StepMendGovernance, Blocker: blocker, Subjects: slices.Clone(f.Subjects),
			Text: fmt.Sprintf("mend %s: %s", f.Code, f.Reason)})
	}
}

// writeNextSteps renders the next steps as a Markdown section.
func writeNextSteps(b *strings.Builder, steps []NextStep) {
	b.WriteString("\n## Next steps\n\n")
	if len(steps) == 0 {
		b.WriteString("None.\n")
		return
	}
	for _, s := range steps {
		fmt.Fprintf(b, "- `%s` (lifts `%s`): %s\n", s.Code, s.Blocker, s.Text)
	}
}
