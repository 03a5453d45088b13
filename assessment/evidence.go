package assessment

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Limits on recorded evidence. Exceeding one makes Evidence.Validate and
// Assess fail with ErrInvalidEvidence.
const (
	// MaxEvidence bounds the pieces of evidence one Input carries.
	MaxEvidence = 4096
	// MaxEvidenceCriteria bounds the criteria one piece of evidence
	// supports and contradicts together.
	MaxEvidenceCriteria = 32
	// MaxStatementLen bounds a piece of evidence's statement, in bytes.
	// Its reference is bounded by MaxTextLen.
	MaxStatementLen = 4000
)

// CorroboratingKinds is how many different kinds of evidence must agree
// before recorded evidence settles a criterion the records cannot answer:
// a document and an interview, not one affirmation said twice.
const CorroboratingKinds = 2

// Sentinel errors of recorded evidence. Assess returns them wrapped
// together with ErrInvalidInput.
var (
	// ErrInvalidEvidence is returned by Evidence.Validate and Assess for a
	// piece of evidence without an ID, a rater or a date, of an undefined
	// kind, side or unit, with a text over its limit or not valid UTF-8,
	// naming no criterion, naming one both ways, or passing a limit; and
	// by Assess for two pieces with one ID.
	ErrInvalidEvidence = coprod.NewError("INVALID_EVIDENCE", "assessment: invalid evidence")
	// ErrUnknownCriterion is returned by Assess for evidence that names a
	// criterion the rubric does not define.
	ErrUnknownCriterion = coprod.NewError("UNKNOWN_CRITERION", "assessment: unknown criterion")
)

// EvidenceKind is the kind of a piece of recorded evidence. Kinds are
// persisted by their code.
type EvidenceKind string

// The kinds of recorded evidence.
const (
	// EvidenceDocument: minutes, an agreement, a policy, a report.
	EvidenceDocument EvidenceKind = "document"
	// EvidenceObservation: something an assessor saw happen.
	EvidenceObservation EvidenceKind = "observation"
	// EvidenceInterview: what one person said when asked.
	EvidenceInterview EvidenceKind = "interview"
	// EvidenceFocusGroup: what a group said when asked together.
	EvidenceFocusGroup EvidenceKind = "focus-group"
	// EvidenceSurvey: the answers of many to a survey, summarised.
	EvidenceSurvey EvidenceKind = "survey"
	// EvidenceQuestionnaireItem: one rater's answer to one item of a
	// questionnaire, read as bearing on a criterion.
	EvidenceQuestionnaireItem EvidenceKind = "questionnaire-item"
)

// EvidenceKinds returns every kind of recorded evidence, artefacts first.
func EvidenceKinds() []EvidenceKind {
	return []EvidenceKind{EvidenceDocument, EvidenceObservation, EvidenceInterview,
		EvidenceFocusGroup, EvidenceSurvey, EvidenceQuestionnaireItem}
}

// Valid reports whether k is a defined kind.
func (k EvidenceKind) Valid() bool { return slices.Contains(EvidenceKinds(), k) }

// Side is which side of a partnership a rating or a piece of evidence
// comes from: the statutory bodies or the community. Sides are persisted
// by their code.
type Side string

// The two sides.
const (
	SideStatutory Side = "statutory"
	SideCommunity Side = "community"
)

// Valid reports whether s is a defined side.
func (s Side) Valid() bool { return s == SideStatutory || s == SideCommunity }

// Evidence is one piece of recorded, qualitative evidence: what kind it
// is, which side gave it, who rated (a party ID, which need not be in the
// register: an interviewee may be no party to it), when, where to find it,
// what it says, the unit it is about, and the criteria (by ID) it
// supports or contradicts. It is a plain value; nothing recorded is
// edited: a correction is a new piece that contradicts what the old one
// supported.
//
// The zero Unit means UnitOrganisation, as in Input.
type Evidence struct {
	ID          uuid.UUID      `json:"id"`
	Kind        EvidenceKind   `json:"kind"`
	Side        Side           `json:"side"`
	Rater       coprod.PartyID `json:"rater"`
	Date        time.Time      `json:"date"`
	Reference   string         `json:"reference"`
	Statement   string         `json:"statement,omitempty"`
	Unit        Unit           `json:"unit,omitempty"`
	Supports    []string       `json:"supports,omitempty"`
	Contradicts []string       `json:"contradicts,omitempty"`
}

// Validate reports whether e is well formed on its own; Assess also
// checks that the criteria it names are the rubric's. Failures match
// ErrInvalidEvidence.
func (e Evidence) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("assessment: evidence %s: %s: %w", e.ID, fmt.Sprintf(format, a...), ErrInvalidEvidence)
	}
	switch {
	case e.ID == uuid.Nil:
		return bad("no ID")
	case !e.Kind.Valid():
		return bad("kind %q", e.Kind)
	case !e.Side.Valid():
		return bad("side %q", e.Side)
	case e.Rater == uuid.Nil:
		return bad("no rater")
	case e.Date.IsZero():
		return bad("no date")
	case e.Unit != "" && !e.Unit.Valid():
		return bad("unit %q", e.Unit)
	case e.Reference == "":
		return bad("no reference")
	case len(e.Reference) > MaxTextLen || !utf8.ValidString(e.Reference):
		return bad("reference longer than %d bytes or not UTF-8", MaxTextLen)
	case len(e.Statement) > MaxStatementLen || !utf8.ValidString(e.Statement):
		return bad("statement longer than %d bytes or not UTF-8", MaxStatementLen)
	case len(e.Supports)+len(e.Contradicts) == 0:
		return bad("supports and contradicts no criterion")
	case len(e.Supports)+len(e.Contradicts) > MaxEvidenceCriteria:
		return bad("names more than %d criteria", MaxEvidenceCriteria)
	}
	seen := map[string]bool{}
	for _, c := range slices.Concat(e.Supports, e.Contradicts) {
		if c == "" || len(c) > MaxTextLen || !utf8.ValidString(c) {
			return bad("criterion ID %q", c)
		}
		if seen[c] {
			return bad("names criterion %q twice", c)
		}
		seen[c] = true
	}
	return nil
}

// unit returns the unit e is about.
func (e Evidence) unit() Unit {
	if e.Unit == "" {
		return UnitOrganisation
	}
	return e.Unit
}

// CriterionEvidence is the recorded evidence on one criterion at one
// unit, and what it did: the status the records alone give, the status
// after the evidence, whether the evidence settled it, and why.
type CriterionEvidence struct {
	Criterion string `json:"criterion"`
	Unit      Unit   `json:"unit"`
	// Records is the status the probes alone give.
	Records Status `json:"records"`
	// Status is the status after the evidence: Records, unless Records
	// is Inconclusive and the evidence settles it.
	Status  Status `json:"status"`
	Settled bool   `json:"settled"`
	// Supporting and Contradicting are the evidence IDs, sorted.
	Supporting    []uuid.UUID `json:"supporting,omitempty"`
	Contradicting []uuid.UUID `json:"contradicting,omitempty"`
	Reason        string      `json:"reason"`
}

// Settle applies the evidence rule to one criterion: records is the
// status the probes give; supporting and contradicting are the evidence
// on it. It returns the status after the evidence, whether the evidence
// settled it, and the reason.
//
// The rule: evidence never overturns what the records answer (Met,
// NotMet, or Vacuous when every probe is not applicable: the question
// does not arise), so a self-rating never overrides a measurement. A
// criterion the records leave Inconclusive is settled Met when its
// supporting evidence spans at least CorroboratingKinds kinds and none
// contradicts it, and settled NotMet when its contradicting evidence
// spans that many kinds and none supports it. Otherwise (one kind only,
// or evidence both ways) it stays Inconclusive. The rule looks only at the
// sets, so the order the evidence is given in does not matter; supporting
// evidence never turns a criterion that holds into one that does not, nor
// contradicting evidence the reverse.
func Settle(records Status, supporting, contradicting []Evidence) (Status, bool, string) {
	ns, nc := len(supporting), len(contradicting)
	ks, kc := kindsOf(supporting), kindsOf(contradicting)
	tally := fmt.Sprintf("%d supporting (%s), %d contradicting (%s)", ns, kindList(ks), nc, kindList(kc))
	switch {
	case records != Inconclusive:
		return records, false, fmt.Sprintf("answered by the records (%s); evidence does not overturn it: %s", records, tally)
	case nc == 0 && len(ks) >= CorroboratingKinds:
		return Met, true, fmt.Sprintf("settled by corroborating evidence of %d kinds, none contradicting: %s", len(ks), tally)
	case ns == 0 && len(kc) >= CorroboratingKinds:
		return NotMet, true, fmt.Sprintf("settled against by evidence of %d kinds, none supporting: %s", len(kc), tally)
	case ns > 0 && nc > 0:
		return Inconclusive, false, "the evidence conflicts: " + tally
	}
	return Inconclusive, false, fmt.Sprintf("not corroborated (needs %d kinds agreeing): %s", CorroboratingKinds, tally)
}

func kindsOf(es []Evidence) []EvidenceKind {
	var ks []EvidenceKind
	for _, k := range EvidenceKinds() {
		if slices.ContainsFunc(es, func(e Evidence) bool { return e.Kind == k }) {
			ks = append(ks, k)
		}
	}
	return ks
}

func kindList(ks []EvidenceKind) string {
	if len(ks) == 0 {
		return "none"
	}
	ss := make([]string, len(ks))
	for i, k := range ks {
		ss[i] = string(k)
	}
	return strings.Join(ss, ", ")
}

// EvidenceReport is what the recorded evidence did: the pieces considered,
// those left out because they are dated after the assessment's time, the
// evidence on each criterion at the unit assessed, and the result at each
// of the three units.
type EvidenceReport struct {
	// Items are the pieces considered, by date then ID.
	Items []Evidence `json:"items"`
	// Later are the IDs of pieces dated after Result.At, left out as not
	// known then.
	Later []uuid.UUID `json:"later,omitempty"`
	// Criteria is the evidence on each criterion at the unit assessed, in
	// the rubric's order.
	Criteria []CriterionEvidence `json:"criteria"`
	// Units is the result at each of the three units, smallest first;
	// at a unit no evidence is about, the records alone.
	Units []UnitResult `json:"units"`
}

// UnitResult is the assessment at one unit (professional, service,
// organisation): the records, which speak for the whole partnership, with
// the evidence about that unit. Criteria lists the criteria with evidence
// at the unit and what it settled.
type UnitResult struct {
	Unit     Unit                `json:"unit"`
	Level    Level               `json:"level"`
	Ceiling  Level               `json:"ceiling"`
	Practice Level               `json:"practice"`
	Settled  []string            `json:"settled"`
	Criteria []CriterionEvidence `json:"criteria"`
}

// evidenceSet is the evidence about one unit, by criterion.
type evidenceSet struct {
	unit          Unit
	supporting    map[string][]Evidence
	contradicting map[string][]Evidence
}

// settle applies Settle to one criterion; nil when no evidence names it.
func (s *evidenceSet) settle(criterion string, records Status) (Status, *CriterionEvidence) {
	if s == nil {
		return records, nil
	}
	sup, con := s.supporting[criterion], s.contradicting[criterion]
	if len(sup)+len(con) == 0 {
		return records, nil
	}
	st, settled, why := Settle(records, sup, con)
	return st, &CriterionEvidence{Criterion: criterion, Unit: s.unit, Records: records, Status: st, Settled: settled,
		Supporting: evidenceIDs(sup), Contradicting: evidenceIDs(con), Reason: why}
}

func evidenceIDs(es []Evidence) []uuid.UUID {
	out := make([]uuid.UUID, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	sortIDs(out)
	return out
}

// recorded is the input's evidence and questionnaires, validated and put
// in a fixed order, read by Assess beside the probes.
type recorded struct {
	items   []Evidence // known at At, by date then ID
	later   []uuid.UUID
	byUnit  map[Unit]*evidenceSet
	ratings []instrumentRatings
}

// prepareRecorded validates the input's evidence, instruments and
// responses against rubric r and orders them so that the order they were
// given in does not matter.
func prepareRecorded(r Rubric, in Input) (*recorded, error) {
	rec := &recorded{byUnit: map[Unit]*evidenceSet{}}
	if len(in.Evidence) > MaxEvidence {
		return nil, fmt.Errorf("assessment: %d pieces of evidence, more than %d: %w: %w", len(in.Evidence), MaxEvidence, ErrInvalidEvidence, ErrInvalidInput)
	}
	criteria := map[string]bool{}
	for _, c := range r.Criteria {
		criteria[c.ID] = true
	}
	seen := map[uuid.UUID]bool{}
	for _, e := range in.Evidence {
		if err := e.Validate(); err != nil {
			return nil, fmt.Errorf("%w: %w", err, ErrInvalidInput)
		}
		if seen[e.ID] {
			return nil, fmt.Errorf("assessment: evidence %s given twice: %w: %w", e.ID, ErrInvalidEvidence, ErrInvalidInput)
		}
		seen[e.ID] = true
		for _, c := range slices.Concat(e.Supports, e.Contradicts) {
			if !criteria[c] {
				return nil, fmt.Errorf("assessment: evidence %s names criterion %q: %w: %w", e.ID, c, ErrUnknownCriterion, ErrInvalidInput)
			}
		}
		if e.Date.After(in.At) {
			rec.later = append(rec.later, e.ID)
			continue
		}
		e.Date = e.Date.UTC()
		e.Supports, e.Contradicts = slices.Clone(e.Supports), slices.Clone(e.Contradicts)
		slices.Sort(e.Supports)
		slices.Sort(e.Contradicts)
		rec.items = append(rec.items, e)
	}
	sortIDs(rec.later)
	slices.SortFunc(rec.items, func(a, b Evidence) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
	for _, e := range rec.items {
		s := rec.byUnit[e.unit()]
		if s == nil {
			s = &evidenceSet{unit: e.unit(), supporting: map[string][]Evidence{}, contradicting: map[string][]Evidence{}}
			rec.byUnit[e.unit()] = s
		}
		for _, c := range e.Supports {
			s.supporting[c] = append(s.supporting[c], e)
		}
		for _, c := range e.Contradicts {
			s.contradicting[c] = append(s.contradicting[c], e)
		}
	}
	var err error
	rec.ratings, err = prepareRatings(in)
	return rec, err
}

// forUnit returns the evidence about unit u; nil when there is none.
func (rec *recorded) forUnit(u Unit) *evidenceSet {
	if rec == nil {
		return nil
	}
	return rec.byUnit[u]
}

// finish adds the evidence report, the questionnaire results and the
// divergence between the sides to res, whose criteria have been gated with
// the evidence about the unit assessed.
func (rec *recorded) finish(res *Result, r Rubric, byName map[string]Finding) {
	if len(rec.items)+len(rec.later) > 0 {
		rep := &EvidenceReport{Items: rec.items, Later: rec.later, Criteria: []CriterionEvidence{}, Units: []UnitResult{}}
		for _, c := range res.Criteria {
			if c.Evidence != nil {
				rep.Criteria = append(rep.Criteria, *c.Evidence)
			}
		}
		for _, u := range []Unit{UnitProfessional, UnitService, UnitOrganisation} {
			var ur Result
			ur.gate(r, byName, rec.byUnit[u])
			out := UnitResult{Unit: u, Level: ur.Level, Ceiling: ur.Ceiling, Practice: ur.Practice,
				Settled: []string{}, Criteria: []CriterionEvidence{}}
			for _, c := range ur.Criteria {
				if c.Evidence == nil {
					continue
				}
				out.Criteria = append(out.Criteria, *c.Evidence)
				if c.Evidence.Settled {
					out.Settled = append(out.Settled, c.ID)
				}
			}
			rep.Units = append(rep.Units, out)
		}
		res.Evidence = rep
	}
	res.Instruments = rateInstruments(rec.ratings)
	res.Divergence = diverge(r, rec, res.Instruments)
}
