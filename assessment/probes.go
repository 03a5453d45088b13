package assessment

import (
	"fmt"
	"slices"
	"strings"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// checkCodes are the governance Check codes given a probe each.
var checkCodes = []governance.Code{
	governance.CodeBrokenChain, governance.CodeRevokedReliedOn, governance.CodeExpiredReliedOn,
	governance.CodeNoAccountable, governance.CodeMultipleAccountable, governance.CodeNoResponsible,
	governance.CodeAccountableNoAuthority, governance.CodeResponsibleNoAuthority,
	governance.CodeConflictNotRecused, governance.CodeKeyPerson, governance.CodeCommunityNoDecision,
	governance.CodeLinkExpiring, governance.CodeHeldPersonally, governance.CodeKeyPersonHolding,
	governance.CodeDeputyNoAuthority, governance.CodeScopeExceedsParent, governance.CodeReservedMatter,
	governance.CodeSelfApproval,
}

// CheckCodes returns the governance Check codes that have a probe of their
// own, named by CheckProbe ("check/" and the code), in a fixed order: each
// answers True when Check reports the code at the assessment's time. A
// code Check reports that is not listed still gets a finding in the
// result under the same naming, so nothing is dropped.
func CheckCodes() []governance.Code { return slices.Clone(checkCodes) }

// CheckProbe returns the name of the probe for a governance Check code.
func CheckProbe(c governance.Code) string { return "check/" + string(c) }

// Probes returns a fresh copy of every probe the package defines, sorted
// by name: the questions every Assess puts to the records. A rubric's
// criteria name the probes they need.
func Probes() []Probe {
	ps := []Probe{
		{"community-parties", "The register holds at least one community-side party.", probeCommunityParties},
		{"community-in-activity", "A community-side party is named, in any role, in a live activity.", probeCommunityInActivity},
		{"community-consulted", "A community-side party is Consulted, Responsible or Accountable in a live activity: its views are sought or it decides.", probeCommunityConsulted},
		{"community-decides", "A community-side party is Responsible or Accountable in a live activity.", probeCommunityDecides},
		{"community-advises-only", "Community-side parties take part in live activities but only as Consulted or Informed.", probeAdvisesOnly(nil)},
		{"community-holds-authority", "A community-side party holds a live mandate or delegation on an unbroken chain.", probeHoldsAuthority},
		{"individual-takes-part", "A named individual acting for no organisation (a service user, a citizen) takes part in a live activity.", probeIndividual},
		{"authority-held-personally", "Authority rests on individuals rather than the organisations they act for (Check: AUTHORITY_HELD_PERSONALLY).", probeCodes(governance.CodeHeldPersonally)},
		{"key-person", "Work or authority rests on one named person with no deputy (Check: KEY_PERSON_DEPENDENCY, KEY_PERSON_HOLDING).", probeCodes(governance.CodeKeyPerson, governance.CodeKeyPersonHolding)},
		{"governance-errors", "Check reports findings of severity error: a line of delegation or accountability is broken.", probeGovernanceErrors},
		{"money-to-community", "Money from outside the community side reached community-side parties in the period.", probeMoneyToCommunity},
		{"informal-money-to-community", "Money reached community-side parties at one person's discretion, under no instrument.", probeInformalMoney},
		{"formal-share-to-community", "The share of money reaching community-side parties made under an instrument is at least the rubric's FormalShare.", probeFormalShare},
		{"labour-unpaid", "Community-side parties or individuals gave unpaid labour in the period.", probeLabourUnpaid},
		{"cost-coverage", "Money paid to community-side parties covers at least the rubric's CostCoverage of their costs and unpaid labour (central value).", probeCostCoverage},
		{"core-funding", "Some of the money reaching community-side parties was core funding.", probeCoreFunding},
		{"money-key-person", "One named individual decided more than the rubric's KeyPersonShare of the money statutory bodies paid.", probeMoneyKeyPerson},
	}
	for _, co := range governance.AllCos() {
		ps = append(ps,
			Probe{"activity/" + string(co), fmt.Sprintf("A live %s activity exists.", co), probeCoActivity(co)},
			Probe{"community-decides/" + string(co), fmt.Sprintf("A community-side party is Responsible or Accountable in a live %s activity.", co), probeCoDecides(co)},
			Probe{"community-authority/" + string(co), fmt.Sprintf("A community-side party holds live delegated authority overlapping the scope of a live %s activity.", co), probeCoAuthority(co)},
			Probe{"community-advises-only/" + string(co), fmt.Sprintf("Community-side parties take part in live %s activities only as Consulted or Informed.", co), probeAdvisesOnly(&co)},
		)
	}
	for _, c := range checkCodes {
		ps = append(ps, Probe{CheckProbe(c), fmt.Sprintf("Check reports %s.", c), probeCodes(c)})
	}
	slices.SortFunc(ps, func(a, b Probe) int { return strings.Compare(a.Name, b.Name) })
	return ps
}

func noRegister(p *Pass) (Finding, bool) {
	if p.reg == nil {
		return Finding{Outcome: NotAvailable, Reason: "no register was given"}, true
	}
	return Finding{}, false
}

func yes(cond bool) Outcome {
	if cond {
		return True
	}
	return False
}

// names lists the parties' names, sorted, so that insertion order does not
// show.
func (p *Pass) names(parties []uuid.UUID) string {
	ns := make([]string, 0, len(parties))
	for _, id := range parties {
		if party, ok := p.parties[id]; ok {
			ns = append(ns, party.Name)
		} else {
			ns = append(ns, id.String())
		}
	}
	slices.Sort(ns)
	ns = slices.Compact(ns)
	return strings.Join(ns, ", ")
}

func (p *Pass) community(id coprod.PartyID) bool { return p.Sector(id).IsCommunity() }

func roles(a governance.Activity) [][]coprod.PartyID {
	return [][]coprod.PartyID{a.Responsible, a.Accountable, a.Consulted, a.Informed}
}

// activityParties returns the community parties and activities where
// keep(activity, party) holds, over live activities in co (nil: all).
func (p *Pass) scan(co *governance.Co, keep func(governance.Activity, coprod.PartyID) bool) (parties, acts []uuid.UUID) {
	for _, a := range p.activities {
		if co != nil && !a.In(*co) {
			continue
		}
		hit := false
		for _, role := range roles(a) {
			for _, id := range role {
				if p.community(id) && keep(a, id) {
					parties, hit = append(parties, id), true
				}
			}
		}
		if hit {
			acts = append(acts, a.ID)
		}
	}
	return ids(parties...), ids(acts...)
}

func probeCommunityParties(p *Pass) Finding {
	if f, ok := noRegister(p); ok {
		return f
	}
	var cs []uuid.UUID
	for id, party := range p.parties {
		if party.Sector.IsCommunity() {
			cs = append(cs, id)
		}
	}
	if len(cs) == 0 {
		return Finding{Outcome: False, Reason: "the register holds no community-side party"}
	}
	return Finding{Outcome: True, Reason: fmt.Sprintf("%d community-side part(ies): %s", len(cs), p.names(cs)), Records: ids(cs...)}
}

func probeCommunityInActivity(p *Pass) Finding {
	if f, ok := noRegister(p); ok {
		return f
	}
	parties, acts := p.scan(nil, func(governance.Activity, coprod.PartyID) bool { return true })
	if len(parties) == 0 {
		return Finding{Outcome: False, Reason: fmt.Sprintf("no community-side party is named in any of %d live activit(ies)", len(p.activities))}
	}
	return Finding{Outcome: True, Reason: fmt.Sprintf("%s take(s) part in %d live activit(ies)", p.names(parties), len(acts)), Records: ids(append(parties, acts...)...)}
}

func probeCommunityConsulted(p *Pass) Finding {
	if f, ok := noRegister(p); ok {
		return f
	}
	parties, acts := p.scan(nil, func(a governance.Activity, id coprod.PartyID) bool {
		return a.Decides(id) || slices.Contains(a.Consulted, id)
	})
	if len(parties) == 0 {
		return Finding{Outcome: False, Reason: "no community-side party is Consulted, Responsible or Accountable in a live activity"}
	}
	return Finding{Outcome: True, Reason: fmt.Sprintf("%s consulted or deciding in %d live activit(ies)", p.names(parties), len(acts)), Records: ids(append(parties, acts...)...)}
}

func probeCommunityDecides(p *Pass) Finding {
	if f, ok := noRegister(p); ok {
		return f
	}
	parties, acts := p.scan(nil, governance.Activity.Decides)
	if len(parties) == 0 {
		return Finding{Outcome: False, Reason: "no community-side party is Responsible or Accountable in a live activity"}
	}
	return Finding{Outcome: True, Reason: fmt.Sprintf("%s decide(s) in %d live activit(ies)", p.names(parties), len(acts)), Records: ids(append(parties, acts...)...)}
}

func probeAdvisesOnly(co *governance.Co) func(*Pass) Finding {
	where := "live activities"
	if co != nil {
		where = "live " + string(*co) + " activities"
	}
	return func(p *Pass) Finding {
		if f, ok := noRegister(p); ok {
			return f
		}
		all, acts := p.scan(co, func(governance.Activity, coprod.PartyID) bool { return true })
		if len(all) == 0 {
			return Finding{Outcome: NotApplicable, Reason: "no community-side party takes part in " + where}
		}
		deciders, _ := p.scan(co, governance.Activity.Decides)
		if len(deciders) > 0 {
			return Finding{Outcome: False, Reason: fmt.Sprintf("%s decide(s) in %s", p.names(deciders), where), Records: deciders}
		}
		return Finding{Outcome: True, Reason: fmt.Sprintf("%s only advise(s) (Consulted or Informed) in %s", p.names(all), where), Records: ids(append(all, acts...)...)}
	}
}

func probeHoldsAuthority(p *Pass) Finding {
	if f, ok := noRegister(p); ok {
		return f
	}
	var links, holders []uuid.UUID
	for _, h := range p.links {
		if p.community(h.holder) {
			links, holders = append(links, h.id), append(holders, h.holder)
		}
	}
	if len(links) == 0 {
		return Finding{Outcome: False, Reason: "no community-side party holds a live mandate or delegation"}
	}
	return Finding{Outcome: True, Reason: fmt.Sprintf("%s hold(s) %d live link(s)", p.names(holders), len(links)), Records: ids(append(links, holders...)...)}
}

// citizen reports whether id is an individual acting for no organisation
// of the register at the pass's time.
func (p *Pass) citizen(id coprod.PartyID) bool {
	if p.Sector(id) != coprod.Individual {
		return false
	}
	for org, party := range p.parties {
		if party.Sector != coprod.Individual {
			if _, ok := p.reg.ActsFor(id, org, p.at); ok {
				return false
			}
		}
	}
	return true
}

func probeIndividual(p *Pass) Finding {
	if f, ok := noRegister(p); ok {
		return f
	}
	var people, acts []uuid.UUID
	for _, a := range p.activities {
		for _, role := range roles(a) {
			for _, id := range role {
				if p.citizen(id) {
					people, acts = append(people, id), append(acts, a.ID)
				}
			}
		}
	}
	if len(people) == 0 {
		return Finding{Outcome: False, Reason: "no individual acting for no organisation takes part in a live activity"}
	}
	return Finding{Outcome: True, Reason: fmt.Sprintf("%s take(s) part in their own right", p.names(people)), Records: ids(append(people, acts...)...)}
}

func probeCoActivity(co governance.Co) func(*Pass) Finding {
	return func(p *Pass) Finding {
		if f, ok := noRegister(p); ok {
			return f
		}
		var acts []uuid.UUID
		for _, a := range p.activities {
			if a.In(co) {
				acts = append(acts, a.ID)
			}
		}
		if len(acts) == 0 {
			return Finding{Outcome: False, Reason: fmt.Sprintf("no live %s activity", co), Records: []uuid.UUID{co.ID()}}
		}
		return Finding{Outcome: True, Reason: fmt.Sprintf("%d live %s activit(ies)", len(acts), co), Records: ids(append(acts, co.ID())...)}
	}
}

func probeCoDecides(co governance.Co) func(*Pass) Finding {
	return func(p *Pass) Finding {
		if f, ok := noRegister(p); ok {
			return f
		}
		parties, acts := p.scan(&co, governance.Activity.Decides)
		if len(parties) == 0 {
			return Finding{Outcome: False, Reason: fmt.Sprintf("no community-side party decides in a live %s activity", co), Records: []uuid.UUID{co.ID()}}
		}
		return Finding{Outcome: True, Reason: fmt.Sprintf("%s decide(s) in %d live %s activit(ies)", p.names(parties), len(acts), co),
			Records: ids(append(append(parties, acts...), co.ID())...)}
	}
}

func probeCoAuthority(co governance.Co) func(*Pass) Finding {
	return func(p *Pass) Finding {
		if f, ok := noRegister(p); ok {
			return f
		}
		var links, holders, acts []uuid.UUID
		for _, a := range p.activities {
			if !a.In(co) {
				continue
			}
			for _, h := range p.communityOverlapping(a.Scope) {
				links, holders, acts = append(links, h.id), append(holders, h.holder), append(acts, a.ID)
			}
		}
		if len(links) == 0 {
			return Finding{Outcome: False, Reason: fmt.Sprintf("no community-side party holds live authority for a live %s activity", co), Records: []uuid.UUID{co.ID()}}
		}
		return Finding{Outcome: True, Reason: fmt.Sprintf("%s hold(s) live authority for %d live %s activit(ies)", p.names(holders), len(ids(acts...)), co),
			Records: ids(append(append(append(links, holders...), acts...), co.ID())...)}
	}
}

// probeCodes answers True when Check reports any of the codes, with the
// findings' subjects as records.
func probeCodes(codes ...governance.Code) func(*Pass) Finding {
	return func(p *Pass) Finding {
		if f, ok := noRegister(p); ok {
			return f
		}
		return codesFinding(p.report, codes...)
	}
}

func codesFinding(r governance.Report, codes ...governance.Code) Finding {
	var recs []uuid.UUID
	n := 0
	var first string
	for _, f := range r.Findings {
		if slices.Contains(codes, f.Code) {
			if n == 0 {
				first = f.Reason
			}
			n++
			recs = append(recs, f.Subjects...)
		}
	}
	list := make([]string, len(codes))
	for i, c := range codes {
		list[i] = string(c)
	}
	if n == 0 {
		return Finding{Outcome: False, Reason: "Check reports no " + strings.Join(list, " or ")}
	}
	reason := fmt.Sprintf("Check reports %d %s finding(s): %s", n, strings.Join(list, "/"), first)
	if n > 1 {
		reason += ", …"
	}
	return Finding{Outcome: True, Reason: reason, Records: ids(recs...)}
}

func probeGovernanceErrors(p *Pass) Finding {
	if f, ok := noRegister(p); ok {
		return f
	}
	var codes []governance.Code
	for _, f := range p.report.Findings {
		if f.Severity == governance.SeverityError && !slices.Contains(codes, f.Code) {
			codes = append(codes, f.Code)
		}
	}
	if len(codes) == 0 {
		return Finding{Outcome: False, Reason: "Check reports no finding of severity error"}
	}
	return codesFinding(p.report, codes...)
}

func noMoney(p *Pass) (ledger.Metrics, Finding, bool) {
	m, why, ok := p.Metrics()
	if !ok {
		return m, Finding{Outcome: NotAvailable, Reason: why}, true
	}
	return m, Finding{}, false
}

func (p *Pass) metricParties() []uuid.UUID {
	out := make([]uuid.UUID, 0, len(p.metrics.Parties))
	for _, pm := range p.metrics.Parties {
		out = append(out, pm.Party)
	}
	return ids(out...)
}

func probeMoneyToCommunity(p *Pass) Finding {
	m, f, stop := noMoney(p)
	if stop {
		return f
	}
	if m.ToCommunity.Part.Sign() <= 0 {
		return Finding{Outcome: False, Reason: fmt.Sprintf("no money reached community-side parties (paid out: %s)", m.PaidOut)}
	}
	return Finding{Outcome: True, Reason: fmt.Sprintf("%s of %s paid out reached community-side parties (%s)", m.ToCommunity.Part, m.ToCommunity.Whole, m.ToCommunity),
		Records: p.metricParties()}
}

func probeInformalMoney(p *Pass) Finding {
	m, f, stop := noMoney(p)
	if stop {
		return f
	}
	if m.ToCommunity.Part.Sign() <= 0 {
		return Finding{Outcome: NotApplicable, Reason: "no money reached community-side parties"}
	}
	if len(p.informal) == 0 {
		return Finding{Outcome: False, Reason: "all money reaching community-side parties was made under an instrument"}
	}
	return Finding{Outcome: True, Reason: fmt.Sprintf("%d transaction(s) paid community-side parties at one person's discretion; formal share %s", len(p.informal), m.FormalToCommunity),
		Records: slices.Clone(p.informal)}
}

// atLeast reports whether s's ratio is at least min; ok is false when the
// whole is zero.
func atLeast(s ledger.Share, min decimal.Decimal) (bool, bool) {
	r, ok := s.Ratio(ratioPlaces)
	if !ok {
		return false, false
	}
	return r.GreaterThanOrEqual(min), true
}

// ratioPlaces is the precision shares are compared at.
const ratioPlaces = 6

func probeFormalShare(p *Pass) Finding {
	m, f, stop := noMoney(p)
	if stop {
		return f
	}
	min := p.rubric.Thresholds.FormalShare
	ok, some := atLeast(m.FormalToCommunity, min)
	if !some {
		return Finding{Outcome: NotApplicable, Reason: "no money reached community-side parties"}
	}
	return Finding{Outcome: yes(ok), Reason: fmt.Sprintf("formal share of money reaching community-side parties %s (%s of %s; threshold %s%%)",
		m.FormalToCommunity, m.FormalToCommunity.Part, m.FormalToCommunity.Whole, min.Shift(2)), Records: slices.Clone(p.informal)}
}

func probeLabourUnpaid(p *Pass) Finding {
	m, f, stop := noMoney(p)
	if stop {
		return f
	}
	var givers []uuid.UUID
	for _, pm := range m.Parties {
		if pm.Labour.Hours.Sign() > 0 || pm.Labour.Credits.Sign() > 0 {
			givers = append(givers, pm.Party)
		}
	}
	if m.Labour.Hours.Sign() <= 0 && m.Labour.Credits.Sign() <= 0 {
		return Finding{Outcome: False, Reason: "no unpaid labour recorded in the period"}
	}
	return Finding{Outcome: True, Reason: fmt.Sprintf("%s and %s of unpaid labour, worth %s (%s to %s)",
		m.Labour.Hours, m.Labour.Credits, m.Labour.Central, m.Labour.Low, m.Labour.High), Records: ids(givers...)}
}

func probeCostCoverage(p *Pass) Finding {
	m, f, stop := noMoney(p)
	if stop {
		return f
	}
	min := p.rubric.Thresholds.CostCoverage
	ok, some := atLeast(m.Coverage.Central, min)
	if !some {
		return Finding{Outcome: NotApplicable, Reason: "community-side parties recorded no costs and no unpaid labour"}
	}
	return Finding{Outcome: yes(ok), Reason: fmt.Sprintf("cost coverage %s (%s to %s; paid %s against %s and unpaid labour; %s from independent funders apart; threshold %s%%)",
		m.Coverage.Central, m.Coverage.Low, m.Coverage.High, m.Coverage.Paid, m.Coverage.Costs, m.Coverage.Independent, min.Shift(2)),
		Records: p.metricParties()}
}

func probeCoreFunding(p *Pass) Finding {
	m, f, stop := noMoney(p)
	if stop {
		return f
	}
	if m.CoreFunding.Whole.Sign() <= 0 {
		return Finding{Outcome: NotApplicable, Reason: "no money reached community-side parties"}
	}
	src := m.BySource
	reason := fmt.Sprintf("core funding %s of money reaching community-side parties; money moved by source: statutory %s, independent funders %s, community %s, other %s",
		m.CoreFunding, src.Statutory, src.Independent, src.Community, src.Other)
	return Finding{Outcome: yes(m.CoreFunding.Part.Sign() > 0), Reason: reason, Records: p.metricParties()}
}

func probeMoneyKeyPerson(p *Pass) Finding {
	m, f, stop := noMoney(p)
	if stop {
		return f
	}
	kp := m.StatutoryKeyPerson
	if kp.Share.Whole.Sign() <= 0 {
		return Finding{Outcome: NotApplicable, Reason: "statutory bodies paid no money in the period"}
	}
	max := p.rubric.Thresholds.KeyPersonShare
	r, ok := kp.Share.Ratio(ratioPlaces)
	if !ok || kp.Party == uuid.Nil {
		return Finding{Outcome: False, Reason: "no named individual decided statutory money"}
	}
	return Finding{Outcome: yes(r.GreaterThan(max)), Reason: fmt.Sprintf("%s decided %s of statutory money (threshold %s%%)",
		p.names([]uuid.UUID{kp.Party}), kp.Share, max.Shift(2)), Records: []uuid.UUID{kp.Party}}
}

// communityOverlapping returns the live holdings of community-side
// parties whose scope overlaps s (one covers the other), from an index
// sorted by scope and built on first use: the scopes covering s are
// looked up one by one, and those inside s are one run of the index,
// since every scope beginning "s/" sorts together.
func (p *Pass) communityOverlapping(s coprod.Scope) []holding {
	if s == "" {
		return nil // the zero scope overlaps nothing
	}
	if p.communityLinks == nil {
		p.communityLinks = []holding{}
		for _, h := range p.links {
			if p.community(h.holder) && h.scope != "" {
				p.communityLinks = append(p.communityLinks, h)
			}
		}
		slices.SortStableFunc(p.communityLinks, func(a, b holding) int { return strings.Compare(string(a.scope), string(b.scope)) })
	}
	idx := p.communityLinks
	from := func(prefix string) int {
		i, _ := slices.BinarySearchFunc(idx, prefix, func(h holding, t string) int { return strings.Compare(string(h.scope), t) })
		return i
	}
	var out []holding
	for sc, ok := s, true; ok; sc, ok = sc.Parent() {
		for i := from(string(sc)); i < len(idx) && idx[i].scope == sc; i++ {
			out = append(out, idx[i])
		}
	}
	inside := string(s) + "/"
	for i := from(inside); i < len(idx) && strings.HasPrefix(string(idx[i].scope), inside); i++ {
		out = append(out, idx[i])
	}
	return out
}
