package assessment_test

import (
	"fmt"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Scoring from the records alone: a council delegates design to a
// community group, which runs the service, but the money reaches it on one
// officer's discretion. Practice reaches co-design; governance does not
// protect it, so the level is locked at engagement.
func ExampleAssess() {
	n := func(i byte) uuid.UUID { return uuid.UUID{15: i} }
	council, officer, group := n(1), n(2), n(3)
	reg := governance.NewRegister()
	_ = reg.AddParty(coprod.Party{ID: council, Name: "Council", Sector: coprod.Statutory})
	_ = reg.AddParty(coprod.Party{ID: officer, Name: "Officer", Sector: coprod.Individual})
	_ = reg.AddParty(coprod.Party{ID: group, Name: "Carers group", Sector: coprod.Community})
	_ = reg.AddMandate(governance.Mandate{ID: n(10), Holder: council, Scope: "care", MaxDepth: 1})
	_ = reg.Delegate(governance.Delegation{ID: n(11), Parent: n(10), From: council, To: group, Scope: "care/design"})
	_ = reg.AddActivity(governance.Activity{ID: n(12), Name: "Design", Scope: "care/design",
		Cos: []governance.Co{governance.CoDesign}, Responsible: []uuid.UUID{group}, Accountable: []uuid.UUID{council}})

	l := ledger.New(ledger.Options{})
	_ = l.Open(ledger.Account{ID: n(20), Owner: council, Kind: ledger.Budget, Unit: coprod.GBP})
	_ = l.Open(ledger.Account{ID: n(21), Owner: group, Kind: ledger.Cash, Unit: coprod.GBP})
	may := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	a := coprod.MustParseAmount("2000", coprod.GBP)
	_, _ = l.Post(ledger.Transaction{ID: n(30), Kind: ledger.Grant, Effective: may, Recorded: may,
		Postings:  []ledger.Posting{{Account: n(20), Amount: a.Neg()}, {Account: n(21), Amount: a}},
		Formality: ledger.Formality{DecidedBy: officer}}) // on the officer's word

	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{
		Register: reg, Ledger: l, At: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("level:", res.Level.Name)
	for _, f := range res.Frameworks[1:] {
		fmt.Printf("  on %s: %s\n", f.Framework, f.Name)
	}
	fmt.Println("ceiling:", res.Ceiling.Name, "practice:", res.Practice.Name)
	fmt.Println(res.Lock.Reason)
	fmt.Println("first blocker:", res.Blockers[0].Criterion)
	for _, f := range res.Blockers[0].Findings {
		fmt.Printf("  %s %s: %s\n", f.Probe, f.Outcome, f.Reason)
	}
	fmt.Println("co-assessment:", res.CoAssessment.Label)
	// Output:
	// level: Engagement
	//   on arnstein: Placation
	//   on iap2: Involve
	// ceiling: Engagement practice: Co-design
	// locked at Engagement: practice reaches Co-design, but governance protects only up to Engagement; what is practised above it rests on goodwill
	// first blocker: money-formal
	//   formal-share-to-community false: formal share of money reaching community-side parties 0.0% (0.00 GBP of 2000.00 GBP; threshold 80%)
	// co-assessment: absent
}

// A custom rubric: a copy of the default with its own name, a lower bar
// for the formal share, and an extra criterion on the co-design rung. The
// fingerprint tells it from the original, and every result carries it.
func ExampleRubric_custom() {
	r := assessment.DefaultRubric().Clone()
	r.Name, r.Version = "Borough pilot", "2025-1"
	r.Thresholds.FormalShare = decimal.RequireFromString("0.5")
	r.Criteria = append(r.Criteria, assessment.Criterion{
		ID: "no-advice-only-design", Rung: "co-design", Aspect: assessment.AspectPractice,
		Doc:   "No community party is left only advising on design.",
		Needs: []assessment.Requirement{{Probe: "community-advises-only/co-design", Want: assessment.False}},
	})
	fmt.Println("valid:", r.Validate())
	fmt.Println("same as default:", r.Fingerprint() == assessment.DefaultRubric().Fingerprint())

	res, err := assessment.Assess(r, assessment.Input{Register: governance.NewRegister(),
		Ledger: ledger.New(ledger.Options{}), At: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Rubric.Name, res.Rubric.Version, res.Rubric.Fingerprint == r.Fingerprint())
	fmt.Println("an empty partnership:", res.Level.Name, "with", len(res.Blockers), "blockers, the first", res.Blockers[0].Criterion)
	// Output:
	// valid: <nil>
	// same as default: false
	// Borough pilot 2025-1 true
	// an empty partnership: Coercion with 10 blockers, the first community-recorded
}
