package assessment_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// A funder's view of four partnerships assessed with one rubric: a
// council and a community group in each, the group informed, consulted,
// or (in two) deciding in design with authority delegated and paid under
// it. The summary counts the partnerships on each rung, every rung
// listed, and gives the lower median: of four, the lower of the middle
// two, a rung, never an average of rungs. Results of another rubric are
// refused.
func ExampleSummarize() {
	n := func(i byte) uuid.UUID { return uuid.UUID{15: i} }
	council, group := n(1), n(2)
	may := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	partnership := func(role string) assessment.Input {
		reg := governance.NewRegister()
		_ = reg.AddParty(coprod.Party{ID: council, Name: "Council", Sector: coprod.Statutory})
		_ = reg.AddParty(coprod.Party{ID: group, Name: "Community group", Sector: coprod.Community})
		_ = reg.AddMandate(governance.Mandate{ID: n(10), Holder: council, Scope: "care", MaxDepth: 1})
		a := governance.Activity{ID: n(12), Name: "Design", Scope: "care/design",
			Cos: []governance.Co{governance.CoDesign}, Responsible: []uuid.UUID{council}, Accountable: []uuid.UUID{council}}
		switch role {
		case "informed":
			a.Informed = []uuid.UUID{group}
		case "consulted":
			a.Consulted = []uuid.UUID{group}
		case "delegated":
			a.Responsible = []uuid.UUID{group}
			_ = reg.Delegate(governance.Delegation{ID: n(11), Parent: n(10), From: council, To: group, Scope: "care/design", Instrument: "Agreement"})
		}
		_ = reg.AddActivity(a)
		l := ledger.New(ledger.Options{})
		_ = l.Open(ledger.Account{ID: n(20), Owner: council, Kind: ledger.Budget, Unit: coprod.GBP})
		_ = l.Open(ledger.Account{ID: n(21), Owner: group, Kind: ledger.Cash, Unit: coprod.GBP})
		f := ledger.Formality{DecidedBy: council}
		if role == "delegated" {
			f = ledger.Formality{Instrument: n(11), Scope: "care/design", DecidedBy: council}
		}
		amount := coprod.MustParseAmount("1000", coprod.GBP)
		_, _ = l.Post(ledger.Transaction{ID: n(30), Kind: ledger.Grant, Effective: may, Recorded: may,
			Postings: []ledger.Posting{{Account: n(20), Amount: amount.Neg()}, {Account: n(21), Amount: amount}}, Formality: f})
		return assessment.Input{Register: reg, Ledger: l, At: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	}

	r := assessment.DefaultRubric()
	var results []assessment.Result
	for _, role := range []string{"informed", "consulted", "delegated", "delegated"} {
		res, err := assessment.Assess(r, partnership(role))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %s\n", role, res.Level.Name)
		results = append(results, res)
	}

	s, err := assessment.Summarize(r, results)
	if err != nil {
		fmt.Println(err)
		return
	}
	ladder := s.Frameworks[0]
	for _, rc := range ladder.Rungs {
		fmt.Printf("%-13s %d\n", rc.Name, rc.Partnerships)
	}
	fmt.Println("median level:", ladder.Median.Name)
	fmt.Println("median ceiling:", s.Ceiling.Median.Name, "median practice:", s.Practice.Median.Name)
	fmt.Println("most often blocking:", s.Criteria[0].Criterion, s.Criteria[0].Blocking)

	other := r.Clone()
	other.Version = "2"
	_, err = assessment.Summarize(other, results)
	fmt.Println("another rubric:", errors.Is(err, assessment.ErrRubricMismatch))
	// Output:
	// informed: Informing
	// consulted: Engagement
	// delegated: Co-design
	// delegated: Co-design
	// Coercion      0
	// Educating     0
	// Informing     1
	// Consultation  0
	// Engagement    1
	// Co-design     2
	// Co-production 0
	// median level: Engagement
	// median ceiling: Engagement median practice: Engagement
	// most often blocking: co-assessment 4
	// another rubric: true
}
