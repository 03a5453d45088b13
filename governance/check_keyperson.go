package governance

import (
	"fmt"
	"strings"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Codes of Check findings about authority resting on named people.
// KEY_PERSON_DEPENDENCY (CodeKeyPerson) covers an activity's role; these
// cover holdings, acting-for records and deputies.
const (
	// CodeHeldPersonally: a live mandate or delegation is held by a person
	// who acts for an organisation of the partnership, and was not
	// delegated to them by that organisation: the authority rests on the
	// person, not on the body they act for, and leaves with them.
	CodeHeldPersonally Code = "AUTHORITY_HELD_PERSONALLY"
	// CodeKeyPersonHolding: one individual is the only live holder of a
	// scope, and no one else (above them on their own chain excepted)
	// holds valid authority for it.
	CodeKeyPersonHolding Code = "KEY_PERSON_HOLDING"
	// CodeDeputyNoAuthority: a deputy named on an activity holds no valid
	// authority for its scope, so cannot step in.
	CodeDeputyNoAuthority Code = "DEPUTY_WITHOUT_AUTHORITY"
)

// personIndex is what the person rules need, built once per Check.
type personIndex struct {
	// acting holds, per person, the acting-for records in force.
	acting map[coprod.PartyID][]*acting
	// byScope holds the live links by their own scope, in the order
	// recorded.
	byScope map[Scope][]*link
	// scopes lists byScope's keys in the order first recorded.
	scopes []Scope
}

func (c *checker) indexPersons() {
	c.persons.acting = map[coprod.PartyID][]*acting{}
	for _, a := range c.r.actingOrder {
		if a.inForce(c.at) {
			c.persons.acting[a.Person] = append(c.persons.acting[a.Person], a)
		}
	}
	c.persons.byScope = map[Scope][]*link{}
	for _, l := range c.r.linkOrder {
		if !c.live(l) {
			continue
		}
		if _, ok := c.persons.byScope[l.Scope]; !ok {
			c.persons.scopes = append(c.persons.scopes, l.Scope)
		}
		c.persons.byScope[l.Scope] = append(c.persons.byScope[l.Scope], l)
	}
}

func (c *checker) individual(p coprod.PartyID) bool {
	return c.r.parties[p].Sector == coprod.Individual
}

// heldPersonally reports live links held by a person who acts for an
// organisation, unless that organisation delegated the link: a hub's
// director holding what the hub delegated to them acts within the hub's
// own scheme of delegation.
func (c *checker) heldPersonally() {
	for _, l := range c.r.linkOrder {
		acts := c.persons.acting[l.To]
		if len(acts) == 0 || !c.live(l) {
			continue
		}
		internal := false
		for _, a := range acts {
			if a.For == l.From {
				internal = true
				break
			}
		}
		if internal {
			continue
		}
		subjects := []uuid.UUID{l.ID, l.To}
		orgs := make([]string, len(acts))
		for i, a := range acts {
			subjects = append(subjects, a.ID)
			orgs[i] = fmt.Sprintf("%s (%s)", c.r.partyName(a.For), a.Role)
		}
		c.add(CodeHeldPersonally, SeverityWarning,
			fmt.Sprintf("%s rests on %s personally, who acts for %s: it leaves with them", c.r.describe(l), c.r.partyName(l.To), strings.Join(orgs, ", ")),
			subjects...)
	}
}

// holdings reports scopes whose only live holder is one individual with
// no deputy: no one else, off the individual's own chain, holding valid
// authority for the scope. It looks for a deputy among the live holders of
// the scope and of each scope above it, stopping at the first.
func (c *checker) holdings() {
	for _, s := range c.persons.scopes {
		held := c.persons.byScope[s]
		p := held[0].To
		if !c.individual(p) {
			continue
		}
		sole := true
		for _, l := range held[1:] {
			if l.To != p {
				sole = false
				break
			}
		}
		if !sole || c.deputyHolds(p, held, s) {
			continue
		}
		subjects := make([]uuid.UUID, 0, len(held)+1)
		for _, l := range held {
			subjects = append(subjects, l.ID)
		}
		c.add(CodeKeyPersonHolding, SeverityWarning,
			fmt.Sprintf("authority for %s rests on %s alone: no deputy holds it", s, c.r.partyName(p)),
			append(subjects, p)...)
	}
}

// deputyHolds reports whether someone other than p, and other than the
// holders above p's own links, holds valid authority for s through a live
// link whose scope covers s.
func (c *checker) deputyHolds(p coprod.PartyID, own []*link, s Scope) bool {
	var chain [2 * MaxChainDepth]coprod.PartyID
	above := chain[:0]
	for _, l := range own {
		for a := l.parent; a != nil; a = a.parent {
			above = append(above, a.To)
		}
	}
	e := evaluation{r: c.r, req: &Request{Scope: s}, at: c.at}
	for t := s; t != ""; t = parentScope(t) {
		for _, l := range c.persons.byScope[t] {
			if l.To == p || containsParty(above, l.To) {
				continue
			}
			e.req.Actor = l.To
			if ok, _, _ := e.pathOK(l, uuid.Nil); ok {
				return true
			}
		}
	}
	return false
}

func containsParty(ps []coprod.PartyID, p coprod.PartyID) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// parentScope returns s without its last segment, or "" for a scope of one
// segment.
func parentScope(s Scope) Scope {
	i := strings.LastIndexByte(string(s), '/')
	if i < 0 {
		return ""
	}
	return s[:i]
}

// keyPerson reports an activity whose Responsible or Accountable role
// rests on one named individual with no deputy able to step in: a deputy
// counts only with valid authority for the activity's scope at the check
// time, and a deputy without it is a finding of its own.
func (c *checker) keyPerson(a *Activity) {
	var able []coprod.PartyID
	for i, d := range a.Deputies {
		if containsParty(a.Deputies[:i], d) {
			continue
		}
		if ok, _ := c.authority(d, a.Scope); ok {
			able = append(able, d)
			continue
		}
		c.add(CodeDeputyNoAuthority, SeverityWarning,
			fmt.Sprintf("%s is a deputy for %q but holds no valid authority for %s", c.r.partyName(d), a.Name, a.Scope), a.ID, d)
	}
	seen := map[coprod.PartyID]bool{}
	for _, role := range [][]coprod.PartyID{a.Responsible, a.Accountable} {
		if len(role) != 1 || seen[role[0]] {
			continue
		}
		p := role[0]
		seen[p] = true
		if !c.individual(p) || len(able) > 1 || (len(able) == 1 && able[0] != p) {
			continue
		}
		if len(a.Deputies) == 0 {
			c.add(CodeKeyPerson, SeverityWarning,
				fmt.Sprintf("%q rests on %s alone, with no deputy", a.Name, c.r.partyName(p)), a.ID, p)
		} else {
			c.add(CodeKeyPerson, SeverityWarning,
				fmt.Sprintf("%q rests on %s alone: no deputy holds authority for %s", a.Name, c.r.partyName(p), a.Scope), a.ID, p)
		}
	}
}
