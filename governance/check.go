package governance

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Codes of Check findings. Codes shared with refusals or denials
// (SCOPE_EXCEEDS_PARENT, RESERVED_MATTER_DELEGATED, SELF_APPROVAL) name the
// same fault seen on the whole register.
const (
	CodeBrokenChain            Code = "BROKEN_CHAIN"
	CodeRevokedReliedOn        Code = "REVOKED_LINK_RELIED_ON"
	CodeExpiredReliedOn        Code = "EXPIRED_LINK_RELIED_ON"
	CodeNoAccountable          Code = "NO_ACCOUNTABLE"
	CodeMultipleAccountable    Code = "MULTIPLE_ACCOUNTABLE"
	CodeNoResponsible          Code = "NO_RESPONSIBLE"
	CodeAccountableNoAuthority Code = "ACCOUNTABLE_WITHOUT_AUTHORITY"
	CodeResponsibleNoAuthority Code = "RESPONSIBLE_WITHOUT_AUTHORITY"
	CodeConflictNotRecused     Code = "CONFLICT_NOT_RECUSED"
	CodeKeyPerson              Code = "KEY_PERSON_DEPENDENCY"
	CodeCommunityNoDecision    Code = "COMMUNITY_WITHOUT_DECISION_RIGHTS"
	CodeLinkExpiring           Code = "LINK_EXPIRING"
)

// ExpiryNotice is how far ahead Check warns of a mandate or delegation
// that expires while activities or delegations rest on it.
const ExpiryNotice = 90 * 24 * time.Hour

// Severity ranks a finding. Severities are persisted by their code.
type Severity string

// Severities, most serious first.
const (
	// SeverityError: accountability is broken; authority or money can
	// move without a valid line.
	SeverityError Severity = "error"
	// SeverityWarning: a risk the partnership should mend.
	SeverityWarning Severity = "warning"
	// SeverityInfo: worth knowing, nothing broken yet.
	SeverityInfo Severity = "info"
)

func (s Severity) rank() int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	}
	return 2
}

// Finding is one fault Check found: a stable code, a severity, the IDs of
// the records concerned, and one line for people.
type Finding struct {
	Code     Code        `json:"code"`
	Severity Severity    `json:"severity"`
	Subjects []uuid.UUID `json:"subjects"`
	Reason   string      `json:"reason"`
}

// ReportSchema is the schema version of a Report document.
const ReportSchema = "coprod.governance.report/v1"

// Report lists every finding on the register at one time, most serious
// first and otherwise ordered by code, subjects and reason, so that equal
// registers give equal reports.
type Report struct {
	Schema   string    `json:"schema"`
	At       time.Time `json:"at"`
	Findings []Finding `json:"findings"`
}

// Count returns the number of findings of severity s.
func (r Report) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// Codes returns the distinct codes found, sorted.
func (r Report) Codes() []Code {
	var codes []Code
	for _, f := range r.Findings {
		codes = append(codes, f.Code)
	}
	slices.Sort(codes)
	return slices.Compact(codes)
}

// Has reports whether any finding has code c.
func (r Report) Has(c Code) bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Code == c })
}

// String renders the report as text, one finding a line.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "governance check at %s: %d errors, %d warnings, %d notes\n",
		r.At.UTC().Format(time.RFC3339), r.Count(SeverityError), r.Count(SeverityWarning), r.Count(SeverityInfo))
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%-7s %s: %s\n", f.Severity, f.Code, f.Reason)
	}
	return b.String()
}

// Check inspects the whole register as it stands at time at and returns
// every finding: broken chains, links relied on after revocation or
// expiry, children left wider than a parent by a reassumption, RACI faults,
// accountable or responsible parties without authority, reserved matters
// in other hands, self-approval, conflicts of interest without recusal,
// key-person dependency (through an activity's roles or a sole holding,
// cleared only by a deputy with valid authority), deputies without
// authority, authority held personally by someone acting for an
// organisation, community parties without decision rights, and links
// about to expire.
func (r *Register) Check(at time.Time) Report {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c := checker{r: r, at: at}
	c.index()
	c.links()
	c.activities()
	c.interests()
	c.community()
	c.heldPersonally()
	c.holdings()
	slices.SortFunc(c.findings, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Severity.rank(), b.Severity.rank()),
			cmp.Compare(a.Code, b.Code),
			// Bytewise, the same order as their text: lowercase hex digits
			// and dashes in fixed places sort as the bytes they encode.
			slices.CompareFunc(a.Subjects, b.Subjects, func(x, y uuid.UUID) int { return bytes.Compare(x[:], y[:]) }),
			// Two findings on the same subjects (an activity resting on one
			// dead link through two roles) differ in their reason.
			cmp.Compare(a.Reason, b.Reason),
		)
	})
	return Report{Schema: ReportSchema, At: at, Findings: c.findings}
}

// checker is one Check call. Its indexes are built once per call, so that
// no rule scans the whole register per record: Check's cost grows with
// the register, not with its square.
type checker struct {
	r        *Register
	at       time.Time
	findings []Finding

	// roles holds, per party, the scopes of the activities naming it
	// Responsible or Accountable.
	roles map[coprod.PartyID]scopeSet
	// reserved indexes every reserved matter of every mandate.
	reserved reservedIndex
	// recusals lists each interest's recusals.
	recusals map[uuid.UUID][]*Recusal
	// matters is scratch space for reserved matters found.
	matters []reservedMatter
	// persons indexes acting-for records and live links by scope.
	persons personIndex
}

// index builds the checker's indexes.
func (c *checker) index() {
	scopes := map[coprod.PartyID][]Scope{}
	for _, id := range c.r.activityOrder {
		a := &c.r.activityLog[c.r.activities[id]]
		if !a.Live(c.at) {
			continue
		}
		for _, p := range a.Responsible {
			scopes[p] = append(scopes[p], a.Scope)
		}
		for _, p := range a.Accountable {
			scopes[p] = append(scopes[p], a.Scope)
		}
	}
	c.roles = make(map[coprod.PartyID]scopeSet, len(scopes))
	for p, s := range scopes {
		c.roles[p] = newScopeSet(s)
	}
	var reserving []*link
	for _, l := range c.r.linkOrder {
		if len(l.reserved) > 0 {
			reserving = append(reserving, l)
		}
	}
	c.reserved = newReservedIndex(reserving)
	c.recusals = map[uuid.UUID][]*Recusal{}
	for i := range c.r.recusals {
		rec := &c.r.recusals[i]
		c.recusals[rec.Interest] = append(c.recusals[rec.Interest], rec)
	}
	c.indexPersons()
}

func (c *checker) add(code Code, sev Severity, reason string, subjects ...uuid.UUID) {
	c.findings = append(c.findings, Finding{Code: code, Severity: sev, Subjects: subjects, Reason: reason})
}

// live reports whether l itself (not its ancestors) is in force at c.at.
func (c *checker) live(l *link) bool { return l.stateAt(c.at) == "" }

func (c *checker) links() {
	for _, l := range c.r.linkOrder {
		if !c.live(l) {
			continue
		}
		for a := l.parent; a != nil; a = a.parent {
			if !c.live(a) {
				c.add(CodeBrokenChain, SeverityError,
					fmt.Sprintf("%s rests on %s, %s", c.r.describe(l), c.r.describe(a), c.state(a)),
					l.ID, a.ID)
				break
			}
		}
		if p := l.parent; p != nil {
			for _, ra := range p.reassumed {
				if !c.at.Before(ra.At) && ra.Scope.Overlaps(l.Scope) {
					c.add(CodeScopeExceedsParent, SeverityError,
						fmt.Sprintf("delegation %s to %s still includes %s, which %s took back from its parent", l.Scope, c.r.partyName(l.To), ra.Scope, c.r.partyName(ra.By)),
						l.ID, p.ID)
				}
			}
		}
		if !l.window.Expires.IsZero() && l.window.Expires.Sub(c.at) <= ExpiryNotice && c.reliedOn(l) {
			c.add(CodeLinkExpiring, SeverityInfo,
				fmt.Sprintf("%s expires on %s and others rest on it", c.r.describe(l), l.window.Expires.UTC().Format(time.DateOnly)),
				l.ID)
		}
	}
}

// reliedOn reports whether a live delegation hangs below l or an activity
// names its holder as Responsible or Accountable within its scope.
func (c *checker) reliedOn(l *link) bool {
	for _, ch := range l.children {
		if c.live(ch) {
			return true
		}
	}
	return c.roles[l.To].anyInside(l.Scope)
}

// state says how a link that is not in force came to be so, with the date.
func (c *checker) state(l *link) string {
	switch s := l.stateAt(c.at); s {
	case "revoked":
		return "revoked since " + l.revoked.At.UTC().Format(time.DateOnly)
	case "expired":
		return "expired since " + l.window.Expires.UTC().Format(time.DateOnly)
	default:
		return s
	}
}

// authority classifies a party's authority for scope: a valid path, or the
// dead link it would rest on, or nothing at all.
func (c *checker) authority(party coprod.PartyID, scope Scope) (ok bool, dead *link) {
	e := evaluation{r: c.r, req: &Request{Actor: party, Scope: scope}, at: c.at}
	for _, l := range c.r.held[party] {
		if !l.Scope.Covers(scope) {
			continue
		}
		if valid, _, _ := e.pathOK(l, uuid.Nil); valid {
			return true, nil
		}
		if dead == nil {
			for a := l; a != nil; a = a.parent {
				if !c.live(a) {
					dead = a
					break
				}
			}
		}
	}
	return false, dead
}

func (c *checker) activities() {
	for _, id := range c.r.activityOrder {
		a := &c.r.activityLog[c.r.activities[id]]
		if !a.Live(c.at) {
			continue // ended or not begun: not judged as live work
		}
		switch len(a.Accountable) {
		case 0:
			c.add(CodeNoAccountable, SeverityError, fmt.Sprintf("activity %q has no one Accountable", a.Name), a.ID)
		case 1:
		default:
			c.add(CodeMultipleAccountable, SeverityError,
				fmt.Sprintf("activity %q has %d Accountable; RACI needs exactly one", a.Name, len(a.Accountable)), a.ID)
		}
		if len(a.Responsible) == 0 {
			c.add(CodeNoResponsible, SeverityError, fmt.Sprintf("activity %q has no one Responsible", a.Name), a.ID)
		}
		for _, p := range a.Accountable {
			c.roleAuthority(a, p, CodeAccountableNoAuthority, SeverityError, "Accountable")
			c.checkReserved(a, p)
		}
		for _, p := range a.Responsible {
			c.roleAuthority(a, p, CodeResponsibleNoAuthority, SeverityWarning, "Responsible")
		}
		if len(a.Responsible) == 1 && len(a.Accountable) == 1 && a.Responsible[0] == a.Accountable[0] {
			c.add(CodeSelfApproval, SeverityWarning,
				fmt.Sprintf("%s is both the only Responsible and the Accountable for %q: no one else approves the work", c.r.partyName(a.Accountable[0]), a.Name),
				a.ID, a.Accountable[0])
		}
		c.keyPerson(a)
	}
}

func (c *checker) roleAuthority(a *Activity, p coprod.PartyID, code Code, sev Severity, role string) {
	ok, dead := c.authority(p, a.Scope)
	switch {
	case ok:
	case dead != nil && dead.stateAt(c.at) == "revoked":
		c.add(CodeRevokedReliedOn, SeverityError,
			fmt.Sprintf("%s is %s for %q only through %s, %s", c.r.partyName(p), role, a.Name, c.r.describe(dead), c.state(dead)),
			a.ID, dead.ID)
	case dead != nil:
		c.add(CodeExpiredReliedOn, SeverityError,
			fmt.Sprintf("%s is %s for %q only through %s, %s", c.r.partyName(p), role, a.Name, c.r.describe(dead), c.state(dead)),
			a.ID, dead.ID)
	default:
		c.add(code, sev,
			fmt.Sprintf("%s is %s for %q but holds no valid authority for %s", c.r.partyName(p), role, a.Name, a.Scope),
			a.ID, p)
	}
}

// checkReserved reports an activity touching a reserved matter whose
// Accountable is not the reserving mandate's holder.
func (c *checker) checkReserved(a *Activity, accountable coprod.PartyID) {
	c.matters = c.reserved.overlapping(c.matters[:0], a.Scope)
	for _, m := range c.matters {
		if l := m.mandate; l.To != accountable {
			c.add(CodeReservedMatter, SeverityError,
				fmt.Sprintf("%q touches %s, reserved to %s, but %s is Accountable", a.Name, m.scope, c.r.partyName(l.To), c.r.partyName(accountable)),
				a.ID, l.ID)
		}
	}
}

func (c *checker) interests() {
	for _, in := range c.r.interestOrder {
		if in.Declared.After(c.at) {
			continue
		}
		for _, t := range in.Touches {
			if !c.actsIn(in.Holder, t) || c.recused(in.ID, t) {
				continue
			}
			c.add(CodeConflictNotRecused, SeverityError,
				fmt.Sprintf("%s has a %s interest in %s and decides on %s without recusal", c.r.partyName(in.Holder), in.Category, c.r.partyName(in.In), t),
				in.ID, in.Holder)
		}
	}
}

// actsIn reports whether party holds a live link or a Responsible or
// Accountable role overlapping scope.
func (c *checker) actsIn(party coprod.PartyID, scope Scope) bool {
	for _, l := range c.r.held[party] {
		if c.live(l) && l.Scope.Overlaps(scope) {
			return true
		}
	}
	return c.roles[party].anyOverlapping(scope)
}

func (c *checker) recused(interest uuid.UUID, scope Scope) bool {
	for _, rec := range c.recusals[interest] {
		if rec.Scope.Covers(scope) && !rec.At.After(c.at) {
			return true
		}
	}
	return false
}

// community reports community parties without decision rights, per Co
// (check_community.go).
func (c *checker) community() { c.communityPerCo() }
