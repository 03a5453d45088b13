package assessment_test

import (
	"fmt"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
)

// Interview evidence beside the records. No ledger was given, so the
// records cannot say whether money reaches the community group: the
// criterion is inconclusive. A document and an interview corroborate it,
// and it is settled. The group's own interview also claims it decides in
// commissioning, but the register answers that (it is only consulted), so
// the claim is listed beside the criterion and changes nothing.
func ExampleEvidence_interview() {
	n := func(i byte) uuid.UUID { return uuid.UUID{15: i} }
	council, group := n(1), n(2)
	reg := governance.NewRegister()
	_ = reg.AddParty(coprod.Party{ID: council, Name: "Council", Sector: coprod.Statutory})
	_ = reg.AddParty(coprod.Party{ID: group, Name: "Carers group", Sector: coprod.Community})
	_ = reg.AddMandate(governance.Mandate{ID: n(10), Holder: council, Scope: "care"})
	_ = reg.AddActivity(governance.Activity{ID: n(11), Name: "Reference group", Scope: "care",
		Cos: []governance.Co{governance.CoCommissioning}, Responsible: []uuid.UUID{council},
		Accountable: []uuid.UUID{council}, Consulted: []uuid.UUID{group}})

	june := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	evidence := []assessment.Evidence{
		{ID: n(20), Kind: assessment.EvidenceDocument, Side: assessment.SideStatutory, Rater: council,
			Date: june.AddDate(0, -2, 0), Reference: "Grant letter 2025/14",
			Supports: []string{"money-reaches-community"}},
		{ID: n(21), Kind: assessment.EvidenceInterview, Side: assessment.SideCommunity, Rater: group,
			Date: june.AddDate(0, -1, 0), Reference: "Interview with the group's chair",
			Statement: "The council's grant pays for our weekly sessions; we choose who is commissioned.",
			Supports:  []string{"money-reaches-community", "community-decides-commissioning"}},
	}
	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, At: june, Evidence: evidence})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range res.Evidence.Criteria {
		fmt.Printf("%s: records %s, now %s (settled %t)\n", c.Criterion, c.Records, c.Status, c.Settled)
	}
	fmt.Println("practice:", res.Practice.Name)
	// Output:
	// money-reaches-community: records inconclusive, now met (settled true)
	// community-decides-commissioning: records not-met, now not-met (settled false)
	// practice: Engagement
}

// A questionnaire beside the probes, shaped like The Hub's Coproduction
// Assessment: 20 items scored 1 to 5, summed and banded. The caller
// supplies the item text. Each side's band is reported, and the sides
// being a band apart is a finding.
func ExampleInstrument() {
	hub := assessment.Instrument{ID: "hub-coproduction", Name: "Coproduction self-assessment", Version: "2025",
		MinScore: 1, MaxScore: 5,
		Domains: []assessment.InstrumentDomain{{ID: "all", Name: "All items"}},
		Bands: []assessment.Band{{Min: 20, Max: 39, Label: "not there"}, {Min: 40, Max: 59, Label: "starting out"},
			{Min: 60, Max: 79, Label: "on the way"}, {Min: 80, Max: 100, Label: "going strong"}}}
	for i := range 20 {
		hub.Items = append(hub.Items, assessment.Item{ID: fmt.Sprintf("q%d", i+1), Domain: "all",
			Text: fmt.Sprintf("(the caller's text of item %d)", i+1)})
	}
	answer := func(id byte, side assessment.Side, score int) assessment.Response {
		r := assessment.Response{ID: uuid.UUID{15: id}, Instrument: hub.ID, Rater: uuid.UUID{15: 100 + id},
			Side: side, Date: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)}
		for _, it := range hub.Items {
			r.Scores = append(r.Scores, assessment.ItemScore{Item: it.ID, Score: score})
		}
		return r
	}
	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{
		At:          time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		Instruments: []assessment.Instrument{hub},
		Responses: []assessment.Response{
			answer(1, assessment.SideStatutory, 4), answer(2, assessment.SideStatutory, 3),
			answer(3, assessment.SideCommunity, 2),
		}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Instruments[0].Ratings {
		fmt.Printf("%s: %d rater(s), mean %s, %s\n", r.Side, len(r.Responses), r.Mean, r.Label)
	}
	fmt.Println(res.Divergence[0].Reason)
	// Output:
	// statutory: 2 rater(s), mean 70.00, on the way
	// community: 1 rater(s), mean 40.00, starting out
	// on Coproduction self-assessment the statutory side rates organisation "on the way" (mean 70.00), the community side "starting out" (mean 40.00): 1 band(s) apart
}
