// Command selfassessment shows how coprod reads what partners say about
// their partnership beside what its records show, the way the evaluation
// behind coprod did: statutory and community partners rated separately,
// and the gap between them treated as a finding.
//
// A council and a temple run a talking-therapy service. The register says
// who decides; no ledger is given, so the records cannot say whether money
// reaches the temple. Recorded evidence (a document, an interview, a focus
// group) settles that, and is listed beside what the records already
// answer without changing it. Both sides answer a short questionnaire,
// whose item text this program supplies; each side's band is reported, and
// where the sides part the result says so.
//
// Run it with:
//
//	go run ./examples/selfassessment
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func id(n int) uuid.UUID { return uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", n)) }

func day(m time.Month, d int) time.Time { return time.Date(2025, m, d, 9, 0, 0, 0, time.UTC) }

var (
	council = coprod.Party{ID: id(1), Name: "Borough Council", Sector: coprod.Statutory}
	temple  = coprod.Party{ID: id(2), Name: "Temple", Sector: coprod.Community}
)

// questionnaire is a short partnership self-assessment: eight statements
// in four domains, each scored from 1 (not at all) to 5 (fully), summed
// and banded. The wording is this program's own.
func questionnaire() assessment.Instrument {
	in := assessment.Instrument{ID: "partnership-self-assessment", Name: "Partnership self-assessment", Version: "2025-1",
		MinScore: 1, MaxScore: 5,
		Domains: []assessment.InstrumentDomain{
			{ID: "power", Name: "Sharing power"}, {ID: "money", Name: "Sharing money"},
			{ID: "accountability", Name: "Clear accountability"}, {ID: "review", Name: "Reviewing together"}},
		Bands: []assessment.Band{{Min: 8, Max: 15, Label: "not there"}, {Min: 16, Max: 23, Label: "starting out"},
			{Min: 24, Max: 31, Label: "on the way"}, {Min: 32, Max: 40, Label: "going strong"}},
	}
	for _, it := range []struct{ id, domain, text string }{
		{"p1", "power", "Community partners decide what the service offers, not only advise on it."},
		{"p2", "power", "Community partners can put items on the partnership's agenda."},
		{"m1", "money", "Community partners are paid for the work they deliver."},
		{"m2", "money", "Money reaches community partners under written agreements."},
		{"a1", "accountability", "Everyone knows who may decide what, and up to what amount."},
		{"a2", "accountability", "The partnership would carry on if its key people left."},
		{"r1", "review", "Community partners help judge whether the service works."},
		{"r2", "review", "What the review finds changes what the service does."},
	} {
		in.Items = append(in.Items, assessment.Item{ID: it.id, Domain: it.domain, Text: it.text})
	}
	return in
}

// answer is one rater's response: the scores in the questionnaire's item
// order.
func answer(n int, side assessment.Side, at time.Time, scores ...int) assessment.Response {
	r := assessment.Response{ID: id(n), Instrument: "partnership-self-assessment", Rater: id(100 + n), Side: side, Date: at}
	for i, it := range questionnaire().Items {
		r.Scores = append(r.Scores, assessment.ItemScore{Item: it.ID, Score: scores[i]})
	}
	return r
}

func run(w io.Writer) error {
	reg := governance.NewRegister()
	for _, p := range []coprod.Party{council, temple} {
		if err := reg.AddParty(p); err != nil {
			return err
		}
	}
	if err := reg.AddMandate(governance.Mandate{ID: id(10), Holder: council.ID, Scope: "health", Basis: "NHS Act 2006 s.3", MaxDepth: 1}); err != nil {
		return err
	}
	// The temple delivers the service; the council decides everything
	// else and only consults the temple on commissioning.
	for _, a := range []governance.Activity{
		{ID: id(11), Name: "IAPT talking therapy at the temple", Scope: "health/iapt", Cos: []governance.Co{governance.CoDelivery},
			Responsible: []uuid.UUID{temple.ID}, Accountable: []uuid.UUID{council.ID}},
		{ID: id(12), Name: "Commissioning", Scope: "health", Cos: []governance.Co{governance.CoCommissioning},
			Responsible: []uuid.UUID{council.ID}, Accountable: []uuid.UUID{council.ID}, Consulted: []uuid.UUID{temple.ID}},
	} {
		if err := reg.AddActivity(a); err != nil {
			return err
		}
	}

	evidence := []assessment.Evidence{
		// Two kinds of evidence agree that money reaches the temple:
		// a document from one side, an interview from the other.
		{ID: id(20), Kind: assessment.EvidenceDocument, Side: assessment.SideStatutory, Rater: council.ID, Date: day(3, 3),
			Reference: "Grant letter 2025/07", Supports: []string{"money-reaches-community"}},
		{ID: id(21), Kind: assessment.EvidenceInterview, Side: assessment.SideCommunity, Rater: temple.ID, Date: day(4, 10),
			Reference: "Interview with the temple's IAPT lead", Statement: "The grant pays for the rooms and the supervisor.",
			Supports: []string{"money-reaches-community"}},
		// The sides disagree about the commissioning the register already
		// answers: the council's minutes say the temple shapes it, the
		// temple's focus group says it is asked and then overruled.
		{ID: id(22), Kind: assessment.EvidenceDocument, Side: assessment.SideStatutory, Rater: council.ID, Date: day(4, 2),
			Reference: "Commissioning board minutes, April", Supports: []string{"community-decides-commissioning"}},
		{ID: id(23), Kind: assessment.EvidenceFocusGroup, Side: assessment.SideCommunity, Rater: temple.ID, Date: day(4, 24),
			Reference: "Focus group with temple volunteers", Statement: "We are asked for our views, then the decision is made elsewhere.",
			Contradicts: []string{"community-decides-commissioning"}},
	}
	statutory, community := assessment.SideStatutory, assessment.SideCommunity
	responses := []assessment.Response{
		answer(1, statutory, day(5, 1), 4, 4, 3, 4, 4, 3, 3, 4),
		answer(2, statutory, day(5, 2), 4, 3, 4, 4, 4, 3, 3, 3),
		answer(3, statutory, day(5, 2), 3, 4, 3, 4, 5, 3, 4, 3),
		answer(4, community, day(5, 6), 2, 3, 1, 2, 2, 1, 1, 2),
		answer(5, community, day(5, 6), 2, 2, 1, 3, 3, 2, 1, 2),
	}

	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, At: day(6, 1),
		Evidence: evidence, Instruments: []assessment.Instrument{questionnaire()}, Responses: responses})
	if err != nil {
		return err
	}

	q := questionnaire()
	fmt.Fprintf(w, "## %s: %d statements, each scored %d to %d\n", q.Name, len(q.Items), q.MinScore, q.MaxScore)
	for _, it := range q.Items {
		fmt.Fprintf(w, "%s  %s\n", it.ID, it.Text)
	}

	fmt.Fprintln(w, "\n## What the evidence did")
	for _, c := range res.Evidence.Criteria {
		fmt.Fprintf(w, "%s: records say %s, now %s\n  %s\n", c.Criterion, c.Records, c.Status, c.Reason)
	}
	fmt.Fprintf(w, "level: %s (ceiling %s, practice %s)\n", res.Level.Name, res.Ceiling.Name, res.Practice.Name)

	fmt.Fprintln(w, "\n## The questionnaire, side by side")
	for _, in := range res.Instruments {
		fmt.Fprintf(w, "%s, version %s\n", in.Name, in.Version)
		for _, r := range in.Ratings {
			var domains []string
			for _, d := range r.Domains {
				domains = append(domains, fmt.Sprintf("%s %s/%d", d.Domain, d.Mean, d.Max))
			}
			fmt.Fprintf(w, "%-9s %d raters, mean %s (sums %d to %d): %s\n  %s\n",
				r.Side, len(r.Responses), r.Mean, r.Lowest, r.Highest, r.Label, strings.Join(domains, ", "))
		}
	}

	fmt.Fprintln(w, "\n## Where the sides part")
	for _, d := range res.Divergence {
		fmt.Fprintf(w, "%s: %s\n", d.Kind, d.Reason)
	}
	return nil
}
