package governance

import (
	"fmt"

	"github.com/coprod/coprod"
)

// coGroups is the number of groups community decision rights are judged
// in: the four Co's, then the activities that name no Co.
const coGroups = 5

// unclassified is the group of activities that name no Co.
const unclassified = coGroups - 1

// groupsOf returns the set of groups an activity belongs to, one bit per
// group.
func groupsOf(a *Activity) uint8 {
	if len(a.Cos) == 0 {
		return 1 << unclassified
	}
	var m uint8
	for _, co := range a.Cos {
		if i := co.index(); i >= 0 {
			m |= 1 << i
		}
	}
	return m
}

// communityPerCo reports community parties without decision rights, per
// Co. For each Co with at least one live activity, every community party
// (coprod.Sector.IsCommunity) is reported that decides (Activity.Decides)
// in none of that Co's live activities, neither itself nor through a
// body it is a member of at the time checked, and holds no live
// mandate or delegation, on a chain unbroken up to its mandate, whose
// scope overlaps the scope of one of those activities. A community party
// named in no activity of the Co is reported too: being left out of
// commissioning is no decision right in it. A seat on a panel in one Co
// does not clear another.
//
// Each finding's subjects are the party and Co.ID of the Co, and its
// reason names the Co. Activities that name no Co (recorded before Co's
// were kept) form a group of their own, judged the same way, whose
// findings have the party alone as subject, as before Co's existed.
func (c *checker) communityPerCo() {
	var live uint8
	var scopes [coGroups][]Scope
	decides := map[coprod.PartyID]uint8{}
	advises := map[coprod.PartyID]uint8{}
	for _, id := range c.r.activityOrder {
		a := &c.r.activityLog[c.r.activities[id]]
		if !a.Live(c.at) {
			continue
		}
		m := groupsOf(a)
		live |= m
		for g := range coGroups {
			if m&(1<<g) != 0 {
				scopes[g] = append(scopes[g], a.Scope)
			}
		}
		for _, role := range [...][]coprod.PartyID{a.Responsible, a.Accountable} {
			for _, p := range role {
				decides[p] |= m
			}
		}
		for _, role := range [...][]coprod.PartyID{a.Consulted, a.Informed} {
			for _, p := range role {
				advises[p] |= m
			}
		}
	}
	if live == 0 {
		return
	}
	// A body's members decide through it where it decides. Bodies are
	// worked out from the direct decisions only, so that the result does
	// not depend on the order bodies were recorded in.
	through := map[coprod.PartyID]uint8{}
	for _, b := range c.r.bodies.bodyOrder {
		m := decides[b.Party]
		if m == 0 {
			continue
		}
		for i := range b.members {
			if ms := &b.members[i]; ms.Window.Contains(c.at) {
				through[ms.Member] |= m
			}
		}
	}
	var sets [coGroups]scopeSet
	for g := range coGroups {
		sets[g] = newScopeSet(scopes[g])
	}
	for _, p := range c.r.partyOrder {
		if !c.r.parties[p].Sector.IsCommunity() {
			continue
		}
		missing := live &^ (decides[p] | through[p])
		for _, l := range c.r.held[p] {
			if missing == 0 {
				break
			}
			if !c.unbroken(l) {
				continue
			}
			for g := range coGroups {
				if missing&(1<<g) != 0 && sets[g].anyOverlapping(l.Scope) {
					missing &^= 1 << g
				}
			}
		}
		for g := range coGroups {
			if missing&(1<<g) != 0 {
				c.noDecisionRights(p, g, advises[p]&(1<<g) != 0)
			}
		}
	}
}

// unbroken reports whether l and every link above it are in force.
func (c *checker) unbroken(l *link) bool {
	for a := l; a != nil; a = a.parent {
		if !c.live(a) {
			return false
		}
	}
	return true
}

// noDecisionRights adds the finding for party p in group g; advises says
// whether p takes part there as Consulted or Informed.
func (c *checker) noDecisionRights(p coprod.PartyID, g int, advises bool) {
	name := c.r.partyName(p)
	if g == unclassified {
		reason := fmt.Sprintf("%s takes part in no live activity and holds no delegated authority for one", name)
		if advises {
			reason = fmt.Sprintf("%s is only ever Consulted or Informed and holds no delegated authority", name)
		}
		c.add(CodeCommunityNoDecision, SeverityWarning, reason, p)
		return
	}
	co := AllCos()[g]
	reason := fmt.Sprintf("%s has no part in any live %s activity and holds no delegated authority there", name, co)
	if advises {
		reason = fmt.Sprintf("%s only advises on %s (Consulted or Informed) and holds no delegated authority there", name, co)
	}
	c.add(CodeCommunityNoDecision, SeverityWarning, reason, p, co.ID())
}
