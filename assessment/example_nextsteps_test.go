package assessment_test

import (
	"fmt"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// Reading blockers and the next steps that would lift them: a council runs
// a service with a carers group that gives its hours unpaid and holds no
// authority for the work it does. Each step names the records, and the
// labour step the funding range at replacement cost.
func ExampleResult_nextSteps() {
	n := func(i byte) uuid.UUID { return uuid.UUID{15: i} }
	council, group := n(1), n(2)
	reg := governance.NewRegister()
	_ = reg.AddParty(coprod.Party{ID: council, Name: "Council", Sector: coprod.Statutory})
	_ = reg.AddParty(coprod.Party{ID: group, Name: "Carers group", Sector: coprod.Community})
	_ = reg.AddMandate(governance.Mandate{ID: n(10), Holder: council, Scope: "care", Basis: "Care Act 2014", MaxDepth: 1})
	_ = reg.AddActivity(governance.Activity{ID: n(12), Name: "Respite service", Scope: "care/respite",
		Cos: []governance.Co{governance.CoDelivery}, Responsible: []uuid.UUID{group}, Accountable: []uuid.UUID{council}})

	l := ledger.New(ledger.Options{})
	_ = l.Open(ledger.Account{ID: n(20), Owner: group, Kind: ledger.MemoLabour, Unit: coprod.Hours})
	_ = l.Open(ledger.Account{ID: n(21), Owner: council, Kind: ledger.MemoLabour, Unit: coprod.Hours})
	may := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	gbp := func(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.GBP) }
	tx, _ := ledger.LabourTransaction(n(30), n(20), n(21), ledger.Labour{Hours: coprod.MustParseAmount("40", coprod.Hours),
		Method: ledger.ReplacementCost, Rate: gbp("14.00"), Low: gbp("12.00"), High: gbp("18.00")}, may, may, group)
	_, _ = l.Post(tx)

	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{
		Register: reg, Ledger: l, At: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("level:", res.Level.Name)
	for _, b := range res.Blockers {
		fmt.Println("blocker:", b.Criterion)
	}
	for _, s := range res.NextSteps {
		fmt.Printf("%s lifts %s: %s\n", s.Code, s.Blocker, s.Text)
		for _, a := range s.Amounts {
			fmt.Printf("  %s: %s\n", a.Kind, a.Amount)
		}
	}
	// Output:
	// level: Consultation
	// blocker: money-reaches-community
	// blocker: community-decides-design
	// blocker: design-authority-delegated
	// blocker: co-assessment
	// blocker: community-decides-commissioning
	// blocker: delivery-authority-delegated
	// blocker: labour-paid
	// MEET_CRITERION lifts money-reaches-community: make money-to-community answer true: now false, no money reached community-side parties (paid out: 0.00 GBP)
	// CREATE_ACTIVITY lifts community-decides-design: create a live co-design activity under care/respite with Carers group Responsible (deciding)
	// CREATE_ACTIVITY lifts design-authority-delegated: create a live co-design activity under care/respite with Carers group Responsible (deciding)
	// CREATE_ACTIVITY lifts co-assessment: create a live co-assessment activity under care/respite with Carers group Responsible (deciding)
	// CREATE_ACTIVITY lifts community-decides-commissioning: create a live co-commissioning activity under care/respite with Carers group Responsible (deciding)
	// DELEGATE_AUTHORITY lifts delivery-authority-delegated: delegate care/respite ("Respite service") to Carers group under mandate "Care Act 2014" (care held by Council)
	// FUND_LABOUR lifts labour-paid: Carers group gave 40.00 hours unpaid: fund Carers group at full cost, 480.00 GBP to 720.00 GBP at replacement cost
	//   unpaid-hours: 40.00 hours
	//   funding-low: 480.00 GBP
	//   funding-high: 720.00 GBP
}

// Comparing two assessments of the same partnership: once the council
// delegates the respite service to the carers group, the blocker it named
// is lifted and the Co's score moves. Results of different rubrics are
// refused unless the caller allows it.
func ExampleCompare() {
	n := func(i byte) uuid.UUID { return uuid.UUID{15: i} }
	council, group := n(1), n(2)
	reg := governance.NewRegister()
	_ = reg.AddParty(coprod.Party{ID: council, Name: "Council", Sector: coprod.Statutory})
	_ = reg.AddParty(coprod.Party{ID: group, Name: "Carers group", Sector: coprod.Community})
	_ = reg.AddMandate(governance.Mandate{ID: n(10), Holder: council, Scope: "care", Basis: "Care Act 2014", MaxDepth: 1})
	_ = reg.AddActivity(governance.Activity{ID: n(12), Name: "Respite service", Scope: "care/respite",
		Cos: []governance.Co{governance.CoDelivery}, Responsible: []uuid.UUID{group}, Accountable: []uuid.UUID{council}})
	june, july := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

	before, _ := assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, At: june})
	_ = reg.Delegate(governance.Delegation{ID: n(11), Parent: n(10), From: council, To: group, Scope: "care/respite",
		Instrument: "Respite agreement", Recorded: june.AddDate(0, 0, 14)})
	after, _ := assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, At: july})

	c, err := assessment.Compare(before, after)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range c.Lifted {
		fmt.Println("lifted:", b.Criterion)
	}
	for _, co := range c.Cos {
		fmt.Printf("%s: %s → %s\n", co.Co, co.Before.Label, co.After.Label)
	}
	for _, p := range c.Probes {
		fmt.Printf("%s: %s → %s\n", p.Probe, p.Before, p.After)
	}

	other := assessment.DefaultRubric()
	other.Version = "2"
	changed, _ := assessment.Assess(other, assessment.Input{Register: reg, At: july})
	_, err = assessment.Compare(before, changed)
	fmt.Println(err != nil, assessment.ErrRubricMismatch.Code())
	c, _ = assessment.CompareOptions{AllowRubricChange: true}.Compare(before, changed)
	fmt.Println("rubric changed:", c.RubricChanged)
	// Output:
	// lifted: delivery-authority-delegated
	// co-delivery: decides → delegated
	// check/RESPONSIBLE_WITHOUT_AUTHORITY: true → false
	// community-authority/co-delivery: false → true
	// community-holds-authority: false → true
	// true RUBRIC_MISMATCH
	// rubric changed: true
}
