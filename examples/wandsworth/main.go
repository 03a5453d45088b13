// Command wandsworth tells the story of the partnership the evaluation
// behind coprod looked at, end to end: a community empowerment network (a
// hub) linking faith groups with the borough council and the NHS
// commissioners, a talking-therapy (IAPT) service run at a temple, and a
// family-therapy training network for faith leaders.
//
// The first year is as the evaluation found it. The council and the
// commissioners hold statutory mandates and reserve awards above £50,000 to
// their boards; what they delegate goes to the hub's director personally;
// the community leaders of the reference group only advise on
// commissioning; money reaches the temple on one officer's discretion; the
// temple's and the faith leaders' hours go unpaid; the hub lives on core
// funding from an independent foundation; everything runs through the
// director; nobody assesses the services together. The program prints the
// governance check, the money picture and the assessment, with what locks
// the level and the next steps.
//
// The second year applies the evaluation's recommendations: authority
// delegated to the hub as an organisation and on to the temple within
// limits, labour paid at full cost, a co-assessment panel on which
// community members decide, a deputy for the director. The program
// assesses again and prints what changed.
//
// The register serves as the ledger's authority, and both write
// hash-chained journals, verified at the end. IDs and times are fixed, so
// the output is the same on every run; a golden-file test pins it.
//
// Run it with:
//
//	go run ./examples/wandsworth
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func id(n int) uuid.UUID { return uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", n)) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, time.UTC) }

func gbp(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.GBP) }

func hours(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.Hours) }

// The parties.
var (
	council    = coprod.Party{ID: id(1), Name: "Borough Council", Sector: coprod.Statutory}
	nhs        = coprod.Party{ID: id(2), Name: "NHS Commissioners", Sector: coprod.Statutory}
	hub        = coprod.Party{ID: id(3), Name: "Community Empowerment Network", Sector: coprod.Hub}
	temple     = coprod.Party{ID: id(4), Name: "Temple", Sector: coprod.Community}
	network    = coprod.Party{ID: id(5), Name: "Family-therapy network", Sector: coprod.Community}
	foundation = coprod.Party{ID: id(6), Name: "Independent foundation", Sector: coprod.IndependentFunder}
	refGroup   = coprod.Party{ID: id(7), Name: "Coproduction Reference Group", Sector: coprod.Community}
	director   = coprod.Party{ID: id(8), Name: "Hub director", Sector: coprod.Individual}
	officer    = coprod.Party{ID: id(9), Name: "Council grants officer", Sector: coprod.Individual}
	cabinet    = coprod.Party{ID: id(10), Name: "Cabinet member for adult care", Sector: coprod.Individual}
	leaderA    = coprod.Party{ID: id(11), Name: "Temple leader", Sector: coprod.Individual}
	leaderB    = coprod.Party{ID: id(12), Name: "Church leader", Sector: coprod.Individual}
	leaderC    = coprod.Party{ID: id(13), Name: "Mosque leader", Sector: coprod.Individual}
	// Added in the second year.
	deputy = coprod.Party{ID: id(14), Name: "Hub deputy director", Sector: coprod.Individual}
	panel  = coprod.Party{ID: id(15), Name: "Co-assessment panel", Sector: coprod.Community}
)

// The accounts.
var (
	councilBudget = id(301)
	nhsBudget     = id(302)
	fundFunds     = id(303)
	hubBank       = id(304)
	templeBank    = id(305)
	networkBank   = id(306)
	hubCosts      = id(307)
	templeCosts   = id(308)
	networkCosts  = id(309)
	templeHours   = id(310)
	networkHours  = id(311)
	nhsHours      = id(312)
	councilHours  = id(313)
)

// The financial years the story runs over.
var (
	year1 = coprod.Window{NotBefore: day(2025, 4, 1), Expires: day(2026, 4, 1)}
	year2 = coprod.Window{NotBefore: day(2026, 4, 1), Expires: day(2027, 4, 1)}
)

// Family-therapy training: 60 hours a faith leader, one evening a week
// for 26 weeks and then one day a month for 6 months. How the hours fall
// between evenings and days is this program's assumption.
const (
	leaders                = 12
	evenings, eveningHours = 26, "1.5"
	days, dayHours         = 6, "3.5"
	trainingWage           = "14.00" // a family support worker, the central rate
	trainingLow            = "12.21" // the National Living Wage, 2025
	trainingHigh           = "18.00"
	iaptHoursAWeek         = 12
	iaptWeeks              = 26
	iaptWage               = "16.20"
	iaptLow, iaptHigh      = "12.21", "21.00"
)

// partnership holds the records and their journals.
type partnership struct {
	reg        *governance.Register
	l          *ledger.Ledger
	regJournal bytes.Buffer
	txJournal  bytes.Buffer
}

func run(w io.Writer) error {
	_, _, err := tell(w)
	return err
}

// tell writes the story to w and returns the assessments before and after
// the recommendations.
func tell(w io.Writer) (before, after assessment.Result, err error) {
	p := &partnership{}
	p.reg = newRegister(p)
	p.l = newLedger(p)

	fmt.Fprintln(w, "# Year one, 2025/26: the partnership as the evaluation found it")
	fmt.Fprintln(w)
	if err := p.yearOne(w); err != nil {
		return before, after, err
	}
	before, err = p.report(w, day(2026, 4, 1), year1)
	if err != nil {
		return before, after, err
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "# Year two, 2026/27: the evaluation's recommendations applied")
	fmt.Fprintln(w)
	if err := p.yearTwo(w); err != nil {
		return before, after, err
	}
	after, err = p.report(w, day(2027, 4, 1), year2)
	if err != nil {
		return before, after, err
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "# What changed")
	fmt.Fprintln(w)
	c, err := assessment.Compare(before, after)
	if err != nil {
		return before, after, err
	}
	for _, m := range c.Levels {
		name := string(m.Reading)
		if m.Reading == assessment.ReadingFramework {
			name = "on " + m.Framework
		}
		fmt.Fprintf(w, "%-12s %s → %s\n", name+":", m.Before.Name, m.After.Name)
	}
	for _, co := range c.Cos {
		fmt.Fprintf(w, "%-17s %s → %s\n", string(co.Co)+":", co.Before.Label, co.After.Label)
	}
	if c.Scale != nil {
		fmt.Fprintf(w, "scale:           %s → %s\n", c.Scale.Before, c.Scale.After)
	}
	for _, b := range c.Lifted {
		fmt.Fprintf(w, "lifted:   %s\n", b.Criterion)
	}
	for _, b := range c.Appeared {
		fmt.Fprintf(w, "appeared: %s\n", b.Criterion)
	}

	// Both journals are hash-chained: anyone holding them can check that
	// nothing recorded was changed, removed or reordered.
	rh, err := governance.VerifyJournal(bytes.NewReader(p.regJournal.Bytes()), nil)
	if err != nil {
		return before, after, err
	}
	lh, err := ledger.Verify(bytes.NewReader(p.txJournal.Bytes()), nil)
	if err != nil {
		return before, after, err
	}
	fmt.Fprintf(w, "\njournals verified: register %d lines, ledger %d lines\n", rh.Seq, lh.Seq)
	return before, after, nil
}

// newRegister is the partnership's register, journaled.
func newRegister(p *partnership) *governance.Register {
	return governance.New(governance.Options{Journal: &p.regJournal})
}

// newLedger is the partnership's ledger, journaled. The register is its
// authority: every payment is checked against it and keeps its proof.
func newLedger(p *partnership) *ledger.Ledger {
	return ledger.New(ledger.Options{Authorizer: p.reg, Journal: &p.txJournal})
}

// yearOne records the partnership as the evaluation found it.
func (p *partnership) yearOne(w io.Writer) error {
	r, at := p.reg, day(2025, 4, 1)
	for _, party := range []coprod.Party{council, nhs, hub, temple, network, foundation, refGroup,
		director, officer, cabinet, leaderA, leaderB, leaderC} {
		if err := r.AddParty(party); err != nil {
			return err
		}
	}
	steps := []error{
		// The statutory mandates. Each reserves awards above £50,000 to
		// its board: they may be delegated, but only below the threshold.
		r.AddMandate(governance.Mandate{ID: id(101), Holder: council.ID, Scope: "care", Basis: "Care Act 2014 s.1",
			MaxDepth: 3, Recorded: at, ReservedAbove: []governance.Reservation{
				{Scope: "care", Above: gbp("50000"), Ref: "Council scheme of reservation, s.2: awards above £50,000 go to the cabinet"}}}),
		r.AddMandate(governance.Mandate{ID: id(102), Holder: nhs.ID, Scope: "health", Basis: "NHS Act 2006 s.3",
			MaxDepth: 3, Recorded: at, ReservedAbove: []governance.Reservation{
				{Scope: "health", Above: gbp("50000"), Ref: "Board scheme of reservation, s.4: contracts above £50,000 go to the board"}}}),
		// The foundation makes core grants under its trustees' resolution.
		r.AddMandate(governance.Mandate{ID: id(103), Holder: foundation.ID, Scope: "grants",
			Basis: "Trustees' resolution: core grants programme 2025-2028", Recorded: at}),

		// The director acts for the hub, and the grants officer for the
		// council.
		r.ActFor(governance.ActingFor{ID: id(111), Person: director.ID, For: hub.ID, Role: governance.RoleDirector, Recorded: at}),
		r.ActFor(governance.ActingFor{ID: id(112), Person: officer.ID, For: council.ID, Role: governance.RoleOfficer, Recorded: at}),

		// Both statutory bodies delegate to the director personally, not
		// to the hub: the authority leaves with the person.
		r.Delegate(governance.Delegation{ID: id(201), Parent: id(101), From: council.ID, To: director.ID,
			Scope: "care/mental-health", Instrument: "Letter to the hub director, March 2025",
			TransactionLimit: gbp("75000"), Recorded: at}),
		r.Delegate(governance.Delegation{ID: id(202), Parent: id(102), From: nhs.ID, To: director.ID,
			Scope: "health/mental-health", Instrument: "Memorandum with the hub director, March 2025",
			TransactionLimit: gbp("75000"), Recorded: at}),

		// The reference group: statutory and community members in one
		// room, chaired by the cabinet member.
		r.AddBody(governance.Body{Party: refGroup.ID, Rule: governance.RuleMajority, Recorded: at}),
		r.Join(governance.Membership{ID: id(121), Body: refGroup.ID, Member: cabinet.ID, Recorded: at}),
		r.Join(governance.Membership{ID: id(122), Body: refGroup.ID, Member: leaderA.ID, Recorded: at}),
		r.Join(governance.Membership{ID: id(123), Body: refGroup.ID, Member: leaderB.ID, Recorded: at}),
		r.Join(governance.Membership{ID: id(124), Body: refGroup.ID, Member: leaderC.ID, Recorded: at}),

		// The work. In commissioning the reference group is only
		// Consulted; the services rest on the director.
		r.AddActivity(governance.Activity{ID: id(131), Name: "Mental health commissioning", Scope: "care/mental-health",
			Cos: []governance.Co{governance.CoCommissioning}, Responsible: []uuid.UUID{council.ID},
			Accountable: []uuid.UUID{council.ID}, Consulted: []uuid.UUID{refGroup.ID}, Recorded: at}),
		r.AddActivity(governance.Activity{ID: id(132), Name: "IAPT talking therapy at the temple", Scope: "health/mental-health/iapt",
			Cos: []governance.Co{governance.CoDelivery}, Responsible: []uuid.UUID{temple.ID},
			Accountable: []uuid.UUID{director.ID}, Informed: []uuid.UUID{nhs.ID}, Recorded: at}),
		r.AddActivity(governance.Activity{ID: id(133), Name: "Family-therapy training network", Scope: "care/mental-health/family-therapy",
			Cos: []governance.Co{governance.CoDesign, governance.CoDelivery}, Responsible: []uuid.UUID{network.ID, director.ID},
			Accountable: []uuid.UUID{director.ID}, Informed: []uuid.UUID{council.ID}, Recorded: at}),
	}
	for _, err := range steps {
		if err != nil {
			return err
		}
	}

	for _, a := range []ledger.Account{
		{ID: councilBudget, Owner: council.ID, Name: "Adult mental health budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: nhsBudget, Owner: nhs.ID, Name: "Mental health programme budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: fundFunds, Owner: foundation.ID, Name: "Grants fund", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: hubBank, Owner: hub.ID, Name: "Hub bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: templeBank, Owner: temple.ID, Name: "Temple bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: networkBank, Owner: network.ID, Name: "Network bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: hubCosts, Owner: hub.ID, Name: "Hub staff and running costs", Kind: ledger.Expense, Unit: coprod.GBP},
		{ID: templeCosts, Owner: temple.ID, Name: "Rooms and clinical supervision", Kind: ledger.Expense, Unit: coprod.GBP},
		{ID: networkCosts, Owner: network.ID, Name: "Venues and trainers", Kind: ledger.Expense, Unit: coprod.GBP},
		{ID: templeHours, Owner: temple.ID, Name: "Hours given to the IAPT service", Kind: ledger.MemoLabour, Unit: coprod.Hours},
		{ID: networkHours, Owner: network.ID, Name: "Hours given in training", Kind: ledger.MemoLabour, Unit: coprod.Hours},
		{ID: nhsHours, Owner: nhs.ID, Name: "Hours received by the IAPT service", Kind: ledger.MemoLabour, Unit: coprod.Hours},
		{ID: councilHours, Owner: council.ID, Name: "Hours received by family services", Kind: ledger.MemoLabour, Unit: coprod.Hours},
	} {
		if err := p.l.Open(a); err != nil {
			return err
		}
	}

	// The money, as it moved.
	underDirector := func(scope coprod.Scope) ledger.Formality {
		return ledger.Formality{Instrument: id(201), Scope: scope, DecidedBy: director.ID}
	}
	// The director may award up to £75,000 on the council's letter, but
	// the council reserves awards above £50,000 to its cabinet: the
	// register refuses the first, and the ledger records nothing.
	p.post(w, []step{
		{"core funding for the hub from the foundation", move(401, fundFunds, hubBank, "40000", ledger.CoreFunding,
			coreGrant, day(2025, 4, 7))},
		{"the director's £60,000 award for family therapy", move(402, councilBudget, networkBank, "60000", ledger.Grant,
			underDirector("care/mental-health/family-therapy"), day(2025, 4, 14))},
		{"the director's £6,000 grant for family therapy", move(403, councilBudget, networkBank, "6000", ledger.Grant,
			underDirector("care/mental-health/family-therapy"), day(2025, 4, 14))},
		{"£2,500 to the temple on the grants officer's say", move(404, councilBudget, templeBank, "2500", ledger.ProjectFunding,
			ledger.Formality{DecidedBy: officer.ID}, day(2025, 5, 2))},
		{"the hub pays its staff", move(405, hubBank, hubCosts, "36000", ledger.Payment, ledger.Formality{DecidedBy: hub.ID}, day(2026, 3, 20))},
		{"the temple pays for rooms and supervision", move(406, templeBank, templeCosts, "2400", ledger.Payment, ledger.Formality{DecidedBy: temple.ID}, day(2026, 3, 20))},
		{"the network pays for venues and trainers", move(407, networkBank, networkCosts, "5500", ledger.Payment, ledger.Formality{DecidedBy: network.ID}, day(2026, 3, 20))},
	})
	return p.labour(w, 408, day(2026, 3, 31))
}

// labour records a year's unpaid hours: the temple's volunteers in the
// IAPT service, and the faith leaders in family-therapy training.
func (p *partnership) labour(w io.Writer, n int, at time.Time) error {
	times := func(h string, n int) decimal.Decimal {
		return decimal.RequireFromString(h).Mul(decimal.NewFromInt(int64(n)))
	}
	perLeader := times(eveningHours, evenings).Add(times(dayHours, days))
	training, err := coprod.NewAmount(perLeader.Mul(decimal.NewFromInt(leaders)), coprod.Hours)
	if err != nil {
		return err
	}
	iapt := hours(fmt.Sprint(iaptHoursAWeek * iaptWeeks))
	for _, lab := range []struct {
		n              int
		giver, receive uuid.UUID
		by             coprod.PartyID
		labour         ledger.Labour
		what           string
	}{
		{n, templeHours, nhsHours, temple.ID, ledger.Labour{Hours: iapt, Method: ledger.ReplacementCost,
			Rate: gbp(iaptWage), Low: gbp(iaptLow), High: gbp(iaptHigh), WageSource: "IAPT psychological wellbeing practitioner pay range"},
			fmt.Sprintf("IAPT sessions at the temple (%d hours a week for %d weeks)", iaptHoursAWeek, iaptWeeks)},
		{n + 1, networkHours, councilHours, network.ID, ledger.Labour{Hours: training, Method: ledger.ReplacementCost,
			Rate: gbp(trainingWage), Low: gbp(trainingLow), High: gbp(trainingHigh), WageSource: "family support worker pay range"},
			fmt.Sprintf("family-therapy training (%d leaders × %s hours: %d evenings × %s + %d days × %s)",
				leaders, perLeader.String(), evenings, eveningHours, days, dayHours)},
	} {
		tx, err := ledger.LabourTransaction(id(lab.n), lab.giver, lab.receive, lab.labour, at, at, lab.by)
		if err != nil {
			return err
		}
		if _, err := p.l.Post(tx); err != nil {
			return err
		}
		fmt.Fprintf(w, "hours given, %s: %s\n", lab.labour.Hours, lab.what)
	}
	return nil
}

// coreGrant is how the foundation's core funding is made: under its
// trustees' resolution.
var coreGrant = ledger.Formality{Instrument: id(103), Scope: "grants/core", DecidedBy: foundation.ID}

// step is one transaction the story tries to record.
type step struct {
	what string
	tx   ledger.Transaction
}

func move(n int, from, to uuid.UUID, amount string, kind ledger.Kind, f ledger.Formality, at time.Time) ledger.Transaction {
	a := gbp(amount)
	return ledger.Transaction{ID: id(n), Kind: kind, Effective: at, Recorded: at, Formality: f,
		Postings: []ledger.Posting{{Account: from, Amount: a.Neg()}, {Account: to, Amount: a}}}
}

// post records each step and prints what the ledger said: recorded under
// an instrument, at someone's discretion, or refused with its code.
func (p *partnership) post(w io.Writer, steps []step) {
	for _, s := range steps {
		_, err := p.l.Post(s.tx)
		var status string
		switch {
		case err != nil:
			status = "refused: " + string(coprod.CodeOf(err))
			if d := denial(err); d != "" {
				status += " (" + d + ")"
			}
		case s.tx.Formality.Formal():
			status = "recorded under an instrument"
		default:
			status = "recorded at the discretion of " + p.reg.PartyName(s.tx.Formality.DecidedBy)
		}
		fmt.Fprintf(w, "%-50s %s\n", s.what, status)
	}
}

// denial names the first reason an authority gave for a refusal.
func denial(err error) string {
	var denied *governance.DeniedError
	if errors.As(err, &denied) && len(denied.Reasons) > 0 {
		return string(denied.Reasons[0].Code)
	}
	return ""
}

// report prints the governance check, the money picture and the
// assessment at a time, over a period, and returns the assessment.
func (p *partnership) report(w io.Writer, at time.Time, period coprod.Window) (assessment.Result, error) {
	fmt.Fprintln(w, "\n## Governance")
	fmt.Fprint(w, p.reg.Check(at))

	fmt.Fprintln(w, "\n## Money")
	m, err := p.l.Metrics(period, p.reg.Sector)
	if err != nil {
		return assessment.Result{}, err
	}
	fmt.Fprintf(w, "money moved:              %s\n", m.Moved)
	fmt.Fprintf(w, "  from statutory bodies:  %s\n", m.BySource.Statutory)
	fmt.Fprintf(w, "  from the foundation:    %s\n", m.BySource.Independent)
	fmt.Fprintf(w, "  from community groups:  %s\n", m.BySource.Community)
	fmt.Fprintf(w, "reached community groups: %s of %s paid out\n", m.ToCommunity.Part, m.ToCommunity.Whole)
	fmt.Fprintf(w, "formal share:             %s of the money reaching them\n", m.FormalToCommunity)
	fmt.Fprintf(w, "labour given:             %s, worth %s (%s to %s) at replacement cost\n", m.Labour.Hours, m.Labour.Central, m.Labour.Low, m.Labour.High)
	fmt.Fprintf(w, "cost coverage:            %s (%s to %s) of costs and unpaid labour\n", m.Coverage.Central, m.Coverage.Low, m.Coverage.High)
	if m.StatutoryKeyPerson.Party != uuid.Nil {
		fmt.Fprintf(w, "one person decided:       %s of statutory money (%s)\n", m.StatutoryKeyPerson.Share, p.reg.PartyName(m.StatutoryKeyPerson.Party))
	}

	fmt.Fprintln(w, "\n## Assessment")
	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: p.reg, Ledger: p.l, At: at, Period: period})
	if err != nil {
		return assessment.Result{}, err
	}
	fmt.Fprintf(w, "level: %s", res.Level.Name)
	for _, f := range res.Frameworks[1:] {
		fmt.Fprintf(w, "; on %s: %s", f.Framework, f.Name)
	}
	fmt.Fprintf(w, "\nceiling: %s, practice: %s\n", res.Ceiling.Name, res.Practice.Name)
	if res.Lock != nil {
		fmt.Fprintln(w, res.Lock.Reason)
	}
	var cos []string
	for _, c := range res.Cos {
		cos = append(cos, fmt.Sprintf("%s %s", c.Co, c.Label))
	}
	fmt.Fprintf(w, "the four Co's: %s\n", strings.Join(cos, ", "))
	fmt.Fprintf(w, "scale of coproduction: %s\n", res.Scale)
	for _, b := range res.Blockers {
		fmt.Fprintf(w, "blocker at %s: %s\n", b.Rung, b.Criterion)
		for _, f := range b.Findings {
			fmt.Fprintf(w, "  %s %s: %s\n", f.Probe, f.Outcome, f.Reason)
		}
	}
	if len(res.NextSteps) > 0 {
		fmt.Fprintln(w, "next steps:")
	}
	for _, s := range res.NextSteps {
		fmt.Fprintf(w, "  %s: %s\n", s.Code, s.Text)
	}
	return res, nil
}

// yearTwo applies the evaluation's recommendations and records the year
// that follows.
func (p *partnership) yearTwo(w io.Writer) error {
	r, at := p.reg, day(2026, 4, 1)
	for _, party := range []coprod.Party{deputy, panel} {
		if err := r.AddParty(party); err != nil {
			return err
		}
	}
	// The hub as accountable body: it may decide what reaches community
	// groups, within limits, and delegate on. Its members can spend it
	// only by acting for the hub.
	hubScheme := governance.Delegation{ID: id(203), Parent: id(101), From: council.ID, To: hub.ID,
		Scope: "care/mental-health", Instrument: "Council scheme of delegation 2026, s.5: the hub as accountable body",
		TransactionLimit: gbp("50000"), CumulativeLimit: gbp("120000"), Period: governance.PeriodFinancialYear,
		MaySubDelegate: true, MaxDepth: 1, Recorded: at}
	hubNHS := hubScheme
	hubNHS.ID, hubNHS.Parent, hubNHS.From, hubNHS.Scope = id(204), id(102), nhs.ID, "health/mental-health"
	hubNHS.Instrument = "NHS scheme of delegation 2026, s.7: the hub as accountable body"
	steps := []error{
		// Authority held personally is taken back and given to the hub.
		r.Revoke(governance.Revocation{Link: id(201), By: council.ID, At: at, Recorded: at,
			Reason: "replaced by delegation to the hub as an organisation"}),
		r.Revoke(governance.Revocation{Link: id(202), By: nhs.ID, At: at, Recorded: at,
			Reason: "replaced by delegation to the hub as an organisation"}),
		r.Delegate(hubScheme),
		r.Delegate(hubNHS),
		// On to the temple, for its own service, within limits.
		r.Delegate(governance.Delegation{ID: id(205), Parent: id(204), From: hub.ID, To: temple.ID,
			Scope: "health/mental-health/iapt", Instrument: "Hub agreement with the temple, 2026",
			TransactionLimit: gbp("10000"), CumulativeLimit: gbp("20000"), Period: governance.PeriodFinancialYear, Recorded: at}),

		// A deputy for the director: a second person acting for the hub,
		// so that its authority does not rest on one.
		r.ActFor(governance.ActingFor{ID: id(113), Person: deputy.ID, For: hub.ID, Role: governance.RoleOfficer, Recorded: at}),

		// A co-assessment panel on which community members decide, by
		// majority, three at least.
		r.AddBody(governance.Body{Party: panel.ID, Rule: governance.RuleMajority, Quorum: 3, Recorded: at}),
		r.Join(governance.Membership{ID: id(125), Body: panel.ID, Member: leaderA.ID, Recorded: at}),
		r.Join(governance.Membership{ID: id(126), Body: panel.ID, Member: leaderB.ID, Recorded: at}),
		r.Join(governance.Membership{ID: id(127), Body: panel.ID, Member: leaderC.ID, Recorded: at}),
		r.Delegate(governance.Delegation{ID: id(206), Parent: id(203), From: hub.ID, To: panel.ID,
			Scope: "care/mental-health/review", Instrument: "Co-assessment panel terms of reference, 2026",
			TransactionLimit: gbp("5000"), CumulativeLimit: gbp("5000"), Period: governance.PeriodFinancialYear, Recorded: at}),
		r.AddActivity(governance.Activity{ID: id(134), Name: "Co-assessment of the services", Scope: "care/mental-health/review",
			Cos: []governance.Co{governance.CoAssessment}, Responsible: []uuid.UUID{panel.ID},
			Accountable: []uuid.UUID{hub.ID}, Informed: []uuid.UUID{council.ID, nhs.ID}, Recorded: at}),

		// The services answer to the hub, not to one person.
		r.ReviseActivity(governance.Activity{ID: id(132), Name: "IAPT talking therapy at the temple", Scope: "health/mental-health/iapt",
			Cos: []governance.Co{governance.CoDelivery}, Responsible: []uuid.UUID{temple.ID},
			Accountable: []uuid.UUID{hub.ID}, Informed: []uuid.UUID{nhs.ID}, Recorded: at}),
		r.ReviseActivity(governance.Activity{ID: id(133), Name: "Family-therapy training network", Scope: "care/mental-health/family-therapy",
			Cos: []governance.Co{governance.CoDesign, governance.CoDelivery}, Responsible: []uuid.UUID{network.ID},
			Accountable: []uuid.UUID{hub.ID}, Informed: []uuid.UUID{council.ID}, Recorded: at}),
	}
	for _, err := range steps {
		if err != nil {
			return err
		}
	}

	// The temple may now commission its own service; above its limit it
	// may not.
	for _, amount := range []string{"9000", "12000"} {
		d := r.Authorize(governance.Request{Actor: temple.ID, Scope: "health/mental-health/iapt", Amount: gbp(amount), Usage: p.l}, day(2026, 5, 1))
		if d.Allowed {
			fmt.Fprintf(w, "may the temple commit £%s to its IAPT service? yes:\n%s\n", amount, r.Describe(d.Path))
		} else {
			fmt.Fprintf(w, "may the temple commit £%s? no: %s\n", amount, d.Reasons[0].Code)
		}
	}
	fmt.Fprintln(w)

	// Labour paid at full cost, under instruments, decided by
	// organisations rather than by one person.
	p.post(w, []step{
		{"core funding for the hub from the foundation", move(501, fundFunds, hubBank, "40000", ledger.CoreFunding,
			coreGrant, day(2026, 4, 7))},
		{"the council pays the hub as accountable body", fullCost(move(509, councilBudget, hubBank, "25000", ledger.Contract,
			ledger.Formality{Instrument: id(101), Scope: "care/mental-health/accountable-body", DecidedBy: council.ID}, day(2026, 4, 14)))},
		{"the hub's grant to the network, at full cost", fullCost(move(502, councilBudget, networkBank, "16000", ledger.Grant,
			ledger.Formality{Instrument: id(203), Scope: "care/mental-health/family-therapy", DecidedBy: hub.ID}, day(2026, 4, 14)))},
		{"the temple's IAPT contract, at full cost", fullCost(move(503, nhsBudget, templeBank, "9000", ledger.Contract,
			ledger.Formality{Instrument: id(205), Scope: "health/mental-health/iapt", DecidedBy: temple.ID,
				Approvers: []ledger.Approval{{Party: hub.ID, At: day(2026, 4, 30), Ref: "Hub finance committee, minute 26/04"}}}, day(2026, 5, 1)))},
		{"the hub pays its staff", move(504, hubBank, hubCosts, "36000", ledger.Payment, ledger.Formality{DecidedBy: hub.ID}, day(2027, 3, 20))},
		{"the temple pays for rooms and supervision", move(505, templeBank, templeCosts, "2400", ledger.Payment, ledger.Formality{DecidedBy: temple.ID}, day(2027, 3, 20))},
		{"the network pays for venues and trainers", move(506, networkBank, networkCosts, "5500", ledger.Payment, ledger.Formality{DecidedBy: network.ID}, day(2027, 3, 20))},
	})
	return p.labour(w, 507, day(2027, 3, 31))
}

func fullCost(tx ledger.Transaction) ledger.Transaction {
	tx.Coverage = ledger.FullCost
	return tx
}
