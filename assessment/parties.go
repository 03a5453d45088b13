package assessment

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/internal/exact"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// PartyLevel is the level one community-side party reaches: the rubric
// applied with the answers of the probes that can be scoped to a party
// (PartyProbes) put about that party alone, and the partnership's answers
// to the rest (the governance Check, key persons, which activities
// exist). A provider alliance that decides and holds delegated authority
// can reach partnership while a service-user group beside it stays at
// consultation; the partnership's level, which asks whether any
// community-side party does each thing, hides that.
type PartyLevel struct {
	Party  coprod.PartyID `json:"party"`
	Name   string         `json:"name"`
	Sector coprod.Sector  `json:"sector"`
	// Level, Ceiling and Practice are read as the Result's are, on the
	// rubric's ladder.
	Level    Level `json:"level"`
	Ceiling  Level `json:"ceiling"`
	Practice Level `json:"practice"`
	// Blocking are the criteria that do not hold for the party on the
	// rung above its level, sorted; empty at the top of the ladder.
	Blocking []string `json:"blocking"`
	// Findings are the party's own answers to PartyProbes, by probe name.
	Findings []Finding `json:"findings"`
}

// PartyProbes returns the names of the probes that Assess also answers
// about each community-side party on its own, sorted: whether it takes
// part, is consulted, decides or only advises (overall and per Co),
// whether it holds live delegated authority (overall and per Co), and
// the money probes over what it received (ledger.Metrics.Parties, and the
// transactions that paid it from outside the community side), its cost
// coverage and its unpaid labour.
func PartyProbes() []string {
	names := []string{
		"community-parties", "community-in-activity", "community-consulted", "community-decides",
		"community-advises-only", "community-holds-authority",
		"money-to-community", "informal-money-to-community", "formal-share-to-community",
		"cost-coverage", "labour-unpaid",
	}
	for _, co := range governance.AllCos() {
		names = append(names, "community-decides/"+string(co), "community-authority/"+string(co), "community-advises-only/"+string(co))
	}
	slices.Sort(names)
	return names
}

// partyFacts is what the register says of one community-side party, read
// in one pass over the live activities and links.
type partyFacts struct {
	links                   []uuid.UUID // live links it holds
	takesPart, consulted    []uuid.UUID // activities
	decides                 []uuid.UUID
	coPart, coDecides, coAu map[governance.Co][]uuid.UUID // activities; links for coAu
}

// partyLevels applies r to each community-side party of the register.
func partyLevels(r Rubric, p *Pass, byName map[string]Finding) []PartyLevel {
	out := []PartyLevel{}
	if p.reg == nil {
		return out
	}
	facts := map[coprod.PartyID]*partyFacts{}
	var order []coprod.PartyID
	for id, party := range p.parties {
		if party.Sector.IsCommunity() {
			facts[id] = &partyFacts{coPart: map[governance.Co][]uuid.UUID{}, coDecides: map[governance.Co][]uuid.UUID{}, coAu: map[governance.Co][]uuid.UUID{}}
			order = append(order, id)
		}
	}
	slices.SortFunc(order, func(a, b coprod.PartyID) int {
		return cmp.Or(strings.Compare(p.parties[a].Name, p.parties[b].Name), strings.Compare(a.String(), b.String()))
	})
	for _, h := range p.links {
		if f := facts[h.holder]; f != nil {
			f.links = append(f.links, h.id)
		}
	}
	for _, a := range p.activities {
		for ri, role := range roles(a) {
			for _, id := range role {
				f := facts[id]
				if f == nil {
					continue
				}
				f.takesPart = append(f.takesPart, a.ID)
				decides := ri < 2
				if decides || ri == 2 {
					f.consulted = append(f.consulted, a.ID)
				}
				if decides {
					f.decides = append(f.decides, a.ID)
				}
				for _, co := range a.Cos {
					f.coPart[co] = append(f.coPart[co], a.ID)
					if decides {
						f.coDecides[co] = append(f.coDecides[co], a.ID)
					}
				}
			}
		}
		for _, h := range p.communityOverlapping(a.Scope) {
			f := facts[h.holder]
			for _, co := range a.Cos {
				f.coAu[co] = append(f.coAu[co], h.id)
			}
		}
	}
	metrics := map[coprod.PartyID]ledger.PartyMetrics{}
	for _, pm := range p.metrics.Parties {
		metrics[pm.Party] = pm
	}
	merged := make(map[string]Finding, len(byName))
	for _, id := range order {
		party := p.parties[id]
		fs := p.partyFindings(party, facts[id], metrics)
		for k, v := range byName {
			merged[k] = v
		}
		for _, f := range fs {
			merged[f.Probe] = f
		}
		var g Result
		g.gate(r, merged, nil) // from the records alone: evidence speaks for the partnership
		pl := PartyLevel{Party: id, Name: party.Name, Sector: party.Sector, Level: g.Level, Ceiling: g.Ceiling, Practice: g.Practice,
			Blocking: []string{}, Findings: fs}
		if g.Level.Position < len(r.Ladder.Rungs) {
			next := r.Ladder.Rungs[g.Level.Position].ID
			for _, b := range append(g.Blockers, g.Inconclusive...) {
				if b.Rung == next {
					pl.Blocking = append(pl.Blocking, b.Criterion)
				}
			}
			slices.Sort(pl.Blocking)
		}
		out = append(out, pl)
	}
	return out
}

// partyFindings answers PartyProbes about one party, in their order.
func (p *Pass) partyFindings(party coprod.Party, f *partyFacts, metrics map[coprod.PartyID]ledger.PartyMetrics) []Finding {
	who := party.Name
	withParty := func(recs ...uuid.UUID) []uuid.UUID { return ids(append(recs, party.ID)...) }
	found := func(probe string, recs []uuid.UUID, yesReason, noReason string) Finding {
		if len(recs) == 0 {
			return Finding{Probe: probe, Outcome: False, Reason: noReason, Records: withParty()}
		}
		return Finding{Probe: probe, Outcome: True, Reason: yesReason, Records: withParty(recs...)}
	}
	advisesOnly := func(probe string, part, decides []uuid.UUID, where string) Finding {
		switch {
		case len(part) == 0:
			return Finding{Probe: probe, Outcome: NotApplicable, Reason: who + " takes no part in " + where, Records: withParty()}
		case len(decides) > 0:
			return Finding{Probe: probe, Outcome: False, Reason: fmt.Sprintf("%s decides in %d of %s", who, len(ids(decides...)), where), Records: withParty(decides...)}
		}
		return Finding{Probe: probe, Outcome: True, Reason: fmt.Sprintf("%s only advises (Consulted or Informed) in %s", who, where), Records: withParty(part...)}
	}
	fs := []Finding{
		{Probe: "community-parties", Outcome: True, Reason: fmt.Sprintf("%s is recorded as %s", who, party.Sector), Records: withParty()},
		found("community-in-activity", f.takesPart, fmt.Sprintf("%s takes part in %d live activit(ies)", who, len(ids(f.takesPart...))), who+" is named in no live activity"),
		found("community-consulted", f.consulted, fmt.Sprintf("%s is consulted or decides in %d live activit(ies)", who, len(ids(f.consulted...))), who+" is not Consulted, Responsible or Accountable in a live activity"),
		found("community-decides", f.decides, fmt.Sprintf("%s decides in %d live activit(ies)", who, len(ids(f.decides...))), who+" is not Responsible or Accountable in a live activity"),
		advisesOnly("community-advises-only", f.takesPart, f.decides, "live activities"),
		found("community-holds-authority", f.links, fmt.Sprintf("%s holds %d live link(s)", who, len(f.links)), who+" holds no live mandate or delegation"),
	}
	for _, co := range governance.AllCos() {
		where := "live " + string(co) + " activities"
		fs = append(fs,
			found("community-decides/"+string(co), f.coDecides[co], fmt.Sprintf("%s decides in %d %s", who, len(ids(f.coDecides[co]...)), where), who+" decides in no "+where),
			found("community-authority/"+string(co), f.coAu[co], fmt.Sprintf("%s holds live authority for %s", who, where), who+" holds no live authority for "+where),
			advisesOnly("community-advises-only/"+string(co), f.coPart[co], f.coDecides[co], where),
		)
	}
	fs = append(fs, p.partyMoney(party, metrics)...)
	slices.SortFunc(fs, func(a, b Finding) int { return strings.Compare(a.Probe, b.Probe) })
	return fs
}

// partyMoney answers the money probes about one party.
func (p *Pass) partyMoney(party coprod.Party, metrics map[coprod.PartyID]ledger.PartyMetrics) []Finding {
	names := []string{"money-to-community", "informal-money-to-community", "formal-share-to-community", "cost-coverage", "labour-unpaid"}
	if !p.money {
		fs := make([]Finding, len(names))
		for i, n := range names {
			fs[i] = Finding{Probe: n, Outcome: NotAvailable, Reason: p.moneyWhy}
		}
		return fs
	}
	who, self := party.Name, []uuid.UUID{party.ID}
	pm, inMetrics := metrics[party.ID]
	var fs []Finding

	received := decimal.Zero
	if inMetrics {
		if t, err := pm.Received.Total(); err == nil {
			received = t.Decimal()
		}
	}
	if received.Sign() > 0 {
		src := pm.Received
		fs = append(fs, Finding{Probe: names[0], Outcome: True, Records: self, Reason: fmt.Sprintf("%s received %s GBP: statutory %s, independent funders %s, community %s, other %s",
			who, received.StringFixed(2), src.Statutory, src.Independent, src.Community, src.Other)})
	} else {
		fs = append(fs, Finding{Probe: names[0], Outcome: False, Records: self, Reason: who + " received no money in the period"})
	}

	r := p.received[party.ID]
	if r == nil || r.total.Sign() <= 0 {
		why := who + " received no money from outside the community side"
		fs = append(fs, Finding{Probe: names[1], Outcome: NotApplicable, Reason: why, Records: self},
			Finding{Probe: names[2], Outcome: NotApplicable, Reason: why, Records: self})
	} else {
		if len(r.informal) == 0 {
			fs = append(fs, Finding{Probe: names[1], Outcome: False, Records: self, Reason: "all money paying " + who + " from outside the community side was made under an instrument"})
		} else {
			fs = append(fs, Finding{Probe: names[1], Outcome: True, Records: withID(r.informal, party.ID),
				Reason: fmt.Sprintf("%d transaction(s) paid %s at one person's discretion", len(r.informal), who)})
		}
		total, formal := decimalOf(r.total), decimalOf(r.formal)
		share := formal.DivRound(total, ratioPlaces)
		min := p.rubric.Thresholds.FormalShare
		fs = append(fs, Finding{Probe: names[2], Outcome: yes(share.GreaterThanOrEqual(min)), Records: withID(r.informal, party.ID),
			Reason: fmt.Sprintf("formal share of money paying %s from outside the community side %s%% (%s of %s GBP; threshold %s%%)",
				who, share.Shift(2).StringFixed(1), formal.StringFixed(2), total.StringFixed(2), min.Shift(2))})
	}

	cover := p.rubric.Thresholds.CostCoverage
	if ok, some := atLeast(pm.Coverage.Central, cover); inMetrics && some {
		c := pm.Coverage
		fs = append(fs, Finding{Probe: names[3], Outcome: yes(ok), Records: self, Reason: fmt.Sprintf("cost coverage of %s %s (%s to %s; paid %s against %s and unpaid labour; threshold %s%%)",
			who, c.Central, c.Low, c.High, c.Paid, c.Costs, cover.Shift(2))})
	} else {
		fs = append(fs, Finding{Probe: names[3], Outcome: NotApplicable, Records: self, Reason: who + " recorded no costs and no unpaid labour"})
	}

	if inMetrics && (pm.Labour.Hours.Sign() > 0 || pm.Labour.Credits.Sign() > 0) {
		fs = append(fs, Finding{Probe: names[4], Outcome: True, Records: self, Reason: fmt.Sprintf("%s gave %s and %s of unpaid labour, worth %s", who, pm.Labour.Hours, pm.Labour.Credits, pm.Labour.Central)})
	} else {
		fs = append(fs, Finding{Probe: names[4], Outcome: False, Records: self, Reason: who + " gave no unpaid labour in the period"})
	}
	return fs
}

// writeParties renders the levels per community-side party.
func (res Result) writeParties(b *strings.Builder) {
	fmt.Fprintf(b, "\n## Levels per community party\n\n")
	if len(res.Parties) == 0 {
		b.WriteString("No community-side party.\n")
		return
	}
	b.WriteString("| Party | Sector | Level | Ceiling | Practice | Blocked by |\n|---|---|---|---|---|---|\n")
	for _, pl := range res.Parties {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", strings.ReplaceAll(pl.Name, "|", "\\|"), pl.Sector,
			nameOf(pl.Level), nameOf(pl.Ceiling), nameOf(pl.Practice), strings.Join(quote(pl.Blocking), ", "))
	}
}

// decimalOf returns a total's value. The ledger keeps every balance, and
// so every part of one, within range.
func decimalOf(s exact.Sum) decimal.Decimal {
	a, _ := s.Amount()
	return a.Decimal()
}
