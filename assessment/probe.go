package assessment

import (
	"bytes"
	"slices"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// Outcome is a probe's answer. Outcomes are persisted by their code.
type Outcome string

// The four answers a probe can give.
const (
	// True: what the probe looks for is there.
	True Outcome = "true"
	// False: it is not there.
	False Outcome = "false"
	// NotApplicable: the question does not arise (no money reached the
	// community, so there is no formal share of it to judge).
	NotApplicable Outcome = "not-applicable"
	// NotAvailable: the records cannot answer (no ledger or no register
	// was given, or the ledger's metrics failed).
	NotAvailable Outcome = "not-available"
)

// Valid reports whether o is one of the four outcomes.
func (o Outcome) Valid() bool {
	return o == True || o == False || o == NotApplicable || o == NotAvailable
}

// Finding is a probe's answer with its reason and the IDs of the records
// behind it (parties, links, activities, transactions, Co's by
// governance.Co.ID), sorted so that equal records give equal findings.
type Finding struct {
	Probe   string      `json:"probe"`
	Outcome Outcome     `json:"outcome"`
	Reason  string      `json:"reason"`
	Records []uuid.UUID `json:"records,omitempty"`
}

// Probe is one question put to the records, a plain value like an
// analysis.Analyzer: Name is its stable code, Doc one line saying what
// True means, Run answers it from a Pass. Run must not keep the Pass.
type Probe struct {
	Name string
	Doc  string
	Run  func(*Pass) Finding
}

// Pass is what a probe reads: the register as known at the assessment's
// time, its Check report, and the ledger's metrics over the period as
// known then. It is built once per Assess and read by every probe.
type Pass struct {
	at     time.Time
	period coprod.Window
	rubric *Rubric

	reg    *governance.Register // nil: not given
	report governance.Report

	parties    map[coprod.PartyID]coprod.Party
	activities []governance.Activity // live at at
	links      []holding             // live, unbroken, held at at
	// communityLinks are the links held by community-side parties, by
	// scope (communityOverlapping).
	communityLinks []holding

	metrics  ledger.Metrics
	money    bool   // metrics available
	moneyWhy string // why not, when not
	sumErr   error  // the first money sum the scan could not keep
	informal []uuid.UUID
	// groups are the discretionary payments grouped for next steps.
	groups    map[groupKey]*informalGroup
	interned  map[string]int32    // scopes and joined IDs in group keys
	partyNums map[uuid.UUID]int32 // parties in group keys

	// received is the money each community-side party received from
	// outside the community side, as known at At (money.go).
	received map[coprod.PartyID]*receipts
}

// holding is a live mandate or delegation on an unbroken chain.
type holding struct {
	id     uuid.UUID
	holder coprod.PartyID
	scope  coprod.Scope
}

// At returns the recorded time the records are taken as known at.
func (p *Pass) At() time.Time { return p.at }

// Period returns the window money is counted in: the input's period cut
// at the assessment's time.
func (p *Pass) Period() coprod.Window { return p.period }

// Rubric returns a copy of the rubric being applied, for its thresholds.
func (p *Pass) Rubric() Rubric { return p.rubric.Clone() }

// Register returns the register as known at At (governance.Register.AsOf),
// or nil when none was given. It is the pass's own copy.
func (p *Pass) Register() *governance.Register { return p.reg }

// Report returns the register's Check report at At; empty with no
// register.
func (p *Pass) Report() governance.Report { return p.report }

// Metrics returns the ledger's metrics over Period and true, or a reason
// and false when the ledger cannot answer as known at At.
func (p *Pass) Metrics() (ledger.Metrics, string, bool) { return p.metrics, p.moneyWhy, p.money }

// Sector classifies a party by the register as known at At; the zero
// Sector for a party it does not hold.
func (p *Pass) Sector(id coprod.PartyID) coprod.Sector { return p.parties[id].Sector }

// Activities returns a copy of the activities live at At, in the order
// the register first recorded them.
func (p *Pass) Activities() []governance.Activity { return slices.Clone(p.activities) }

// newPass gathers what the probes read. Records recorded after at are
// left out: of the register through AsOf, of the ledger's metrics through
// MetricsAsOf.
func newPass(r *Rubric, in Input) *Pass {
	p := &Pass{at: in.At, rubric: r, parties: map[coprod.PartyID]coprod.Party{}}
	cut := coprod.Window{Expires: in.At.Add(time.Nanosecond)}
	p.period, _ = in.Period.Intersect(cut) // Input.validate ensures they meet
	if in.Register != nil {
		p.reg = in.Register.AsOf(in.At)
		p.report = p.reg.Check(in.At)
		for party := range p.reg.Parties() {
			p.parties[party.ID] = party
		}
		for a := range p.reg.Activities() {
			if a.Live(in.At) {
				p.activities = append(p.activities, a)
			}
		}
		p.links = liveHoldings(p.reg, in.At)
	} else {
		p.report = governance.Report{Schema: governance.ReportSchema, At: in.At}
	}
	switch {
	case in.Ledger == nil:
		p.moneyWhy = "no ledger was given"
	case in.Register == nil:
		p.moneyWhy = "no register was given to say which parties are on the community side"
	default:
		p.gatherMoney(in.Ledger)
	}
	return p
}

// liveHoldings returns the mandates and delegations in force at at whose
// chain up to the mandate is unbroken: each link inside its window and not
// revoked by then. A partial reassumption leaves the link standing.
func liveHoldings(reg *governance.Register, at time.Time) []holding {
	type node struct {
		parent uuid.UUID
		window coprod.Window
		h      holding
	}
	nodes := map[uuid.UUID]node{}
	var order []uuid.UUID
	for m := range reg.Mandates() {
		nodes[m.ID] = node{window: m.Window, h: holding{m.ID, m.Holder, m.Scope}}
		order = append(order, m.ID)
	}
	for d := range reg.Delegations() {
		nodes[d.ID] = node{parent: d.Parent, window: d.Window, h: holding{d.ID, d.To, d.Scope}}
		order = append(order, d.ID)
	}
	revoked := map[uuid.UUID]bool{}
	for _, r := range reg.Revocations() {
		if !r.At.After(at) {
			revoked[r.Link] = true
		}
	}
	var out []holding
	for _, id := range order {
		ok := true
		for cur, depth := id, 0; cur != uuid.Nil && depth <= governance.MaxChainDepth; depth++ {
			n, found := nodes[cur]
			if !found || revoked[cur] || !n.window.Contains(at) {
				ok = false
				break
			}
			cur = n.parent
		}
		if ok {
			out = append(out, nodes[id].h)
		}
	}
	return out
}

func sortIDs(ids []uuid.UUID) {
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
}

// withID returns a copy of sorted, a sorted and deduplicated list, with id
// in its place: what ids(append(sorted, id)...) returns, in one copy and
// no sort.
func withID(sorted []uuid.UUID, id uuid.UUID) []uuid.UUID {
	i, found := slices.BinarySearchFunc(sorted, id, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
	if found {
		return slices.Clone(sorted)
	}
	out := make([]uuid.UUID, 0, len(sorted)+1)
	return append(append(append(out, sorted[:i]...), id), sorted[i:]...)
}

// ids returns a sorted, deduplicated copy.
func ids(in ...uuid.UUID) []uuid.UUID {
	out := slices.Clone(in)
	sortIDs(out)
	return slices.Compact(out)
}
