package assessment

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
)

// Schema is the schema version of a Result document.
const Schema = "coprod.assessment/v1"

// Input is what an assessment reads. Register and Ledger may each be nil:
// the probes that need them then answer NotAvailable, and the criteria
// resting on those are inconclusive rather than failed.
type Input struct {
	// Register holds the partnership's governance. Assess reads it as
	// known at At (governance.Register.AsOf) and classifies parties by it.
	Register *governance.Register
	// Ledger holds its money and unpaid labour.
	Ledger *ledger.Ledger
	// At is the recorded time the records are taken as known at, and the
	// time authority and activities are judged at. Required.
	At time.Time
	// Period is the window money is counted in (by effective time), cut
	// at At; the zero Window is everything up to At.
	Period coprod.Window
	// Unit is what is assessed; the zero Unit is UnitOrganisation.
	Unit Unit

	// Recorded evidence and questionnaires (evidence.go, instrument.go,
	// ratings.go). Evidence settles criteria the records leave
	// inconclusive at the unit it is about, and never overturns one they
	// answer; Instruments are questionnaires scored beside the probes,
	// Responses the ratings given on them. Pieces and responses dated
	// after At are left out.
	Evidence    []Evidence
	Instruments []Instrument
	Responses   []Response
}

func (in *Input) validate() error {
	if in.At.IsZero() {
		return fmt.Errorf("assessment: no time given: %w", ErrInvalidInput)
	}
	if in.Unit == "" {
		in.Unit = UnitOrganisation
	}
	if !in.Unit.Valid() {
		return fmt.Errorf("assessment: unit %q: %w", in.Unit, ErrInvalidInput)
	}
	if err := in.Period.Validate(); err != nil {
		return fmt.Errorf("assessment: period: %w", ErrInvalidInput)
	}
	if !in.Period.NotBefore.IsZero() && in.Period.NotBefore.After(in.At) {
		return fmt.Errorf("assessment: period begins after the time assessed: %w", ErrInvalidInput)
	}
	return nil
}

// Status is what became of a criterion. Statuses are persisted by their
// code.
type Status string

// Criterion statuses.
const (
	// Met: every requirement holds, at least one by a definite answer.
	Met Status = "met"
	// NotMet: a requirement's probe answered otherwise.
	NotMet Status = "not-met"
	// Inconclusive: no requirement failed, but a probe could not answer.
	// An inconclusive criterion does not hold, and is listed apart.
	Inconclusive Status = "inconclusive"
	// Vacuous: every probe it needs answered NotApplicable. It holds.
	Vacuous Status = "not-applicable"
)

// holds reports whether s lets a rung be reached.
func (s Status) holds() bool { return s == Met || s == Vacuous }

// RubricRef names the rubric a result was made with.
type RubricRef struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	Fingerprint string `json:"fingerprint"`
}

// Level is a rung reached on a ladder: its position (1 for the lowest;
// 0 when no rung of the ladder is reached), ID, name and influence.
type Level struct {
	Framework string    `json:"framework"`
	Position  int       `json:"position"`
	Rung      string    `json:"rung,omitempty"`
	Name      string    `json:"name,omitempty"`
	Influence Influence `json:"influence"`
}

func levelOf(f Framework, i int) Level {
	if i < 0 {
		return Level{Framework: f.ID}
	}
	r := f.Rungs[i]
	return Level{Framework: f.ID, Position: i + 1, Rung: r.ID, Name: r.Name, Influence: r.Influence}
}

// CriterionResult is one criterion as applied: its status and the
// findings of the probes it needs.
type CriterionResult struct {
	ID       string    `json:"id"`
	Doc      string    `json:"doc"`
	Rung     string    `json:"rung"`
	Aspect   Aspect    `json:"aspect"`
	Status   Status    `json:"status"`
	Findings []Finding `json:"findings"`
	// Evidence (evidence.go) is the recorded evidence on the criterion
	// at the unit assessed and what it did; nil when there is none.
	Evidence *CriterionEvidence `json:"evidence,omitempty"`
}

// Lock is the "locked at" finding: the level stops where the lower of the
// ceiling governance permits and the level practised stops. Kind says
// which way round.
type Lock struct {
	Kind string `json:"kind"`
	// At is the rung the level is locked at.
	At Level `json:"at"`
	// Criteria are the criteria of the lower reading that fail on the
	// next rung up.
	Criteria []string `json:"criteria"`
	Reason   string   `json:"reason"`
}

// Lock kinds.
const (
	// LockByGovernance: practice runs above what governance protects; it
	// rests on goodwill and ends when a champion leaves.
	LockByGovernance = "governance-below-practice"
	// LockByPractice: practice is held below what governance would allow.
	LockByPractice = "practice-below-governance"
)

// CoScore is how far community-side parties take part in one of the four
// Co's, from 0 to 3: absent (no community-side party takes part), advises
// (Consulted or Informed only), decides (Responsible or Accountable), and
// delegated (decides, and holds live delegated authority there).
type CoScore struct {
	Co       governance.Co `json:"co"`
	Score    int           `json:"score"`
	Label    string        `json:"label"`
	Findings []Finding     `json:"findings"`
}

// CoScoreMax is the highest CoScore.
const CoScoreMax = 3

var coLabels = [...]string{"absent", "advises", "decides", "delegated"}

// ScaleResult is one scale of coproduction and whether it is reached.
type ScaleResult struct {
	Scale   Scale  `json:"scale"`
	Status  Status `json:"status"`
	Reached bool   `json:"reached"`
}

// Blocker is a criterion that does not hold, with the rung it blocks and
// the findings behind it.
type Blocker struct {
	Criterion string    `json:"criterion"`
	Doc       string    `json:"doc"`
	Rung      string    `json:"rung"`
	Aspect    Aspect    `json:"aspect"`
	Findings  []Finding `json:"findings"`
}

// Result is an assessment: deterministic for the same records, rubric and
// input, whatever order the records were made in.
type Result struct {
	Schema string        `json:"schema"`
	Rubric RubricRef     `json:"rubric"`
	At     time.Time     `json:"at"`
	Period coprod.Window `json:"period,omitzero"`
	Unit   Unit          `json:"unit"`
	// Level is the rung reached: every criterion at and below it holds.
	Level Level `json:"level"`
	// Ceiling is the rung governance permits: every governance criterion
	// at and below it holds. Practice is the rung practised: every
	// practice criterion at and below it holds. Level is the lower.
	Ceiling  Level `json:"ceiling"`
	Practice Level `json:"practice"`
	// Lock, when the two differ, says which holds the level down.
	Lock *Lock `json:"lock,omitempty"`
	// Frameworks is the level read on every framework of the rubric
	// through the crosswalk, the ladder first.
	Frameworks []Level `json:"frameworks"`
	// Cos scores each of the four Co's; CoAssessment repeats the
	// co-assessment score, which is never folded into the others.
	Cos          []CoScore `json:"cos"`
	CoAssessment CoScore   `json:"co_assessment"`
	// Scale is the largest scale of coproduction reached ("" for none);
	// Scales says which are.
	Scale  Scale         `json:"scale,omitempty"`
	Scales []ScaleResult `json:"scales"`
	// Parties is the level each community-side party reaches on its own
	// (PartyLevel), sorted by name.
	Parties []PartyLevel `json:"parties"`
	// Blockers are the criteria not met, by rung; Inconclusive those that
	// could not be judged. Neither holds.
	Blockers     []Blocker         `json:"blockers"`
	Inconclusive []Blocker         `json:"inconclusive"`
	Criteria     []CriterionResult `json:"criteria"`
	// Findings are every probe's answer, by probe name.
	Findings []Finding `json:"findings"`

	// Recorded evidence, questionnaires and divergence (evidence.go,
	// instrument.go, ratings.go); each is left out when the input has
	// none. Evidence says what the evidence settled, per criterion and
	// per unit; Instruments gives each questionnaire's scores and band
	// per unit and side; Divergence lists where the statutory and the
	// community side rate the same thing apart.
	Evidence    *EvidenceReport    `json:"evidence,omitempty"`
	Instruments []InstrumentResult `json:"instruments,omitempty"`
	Divergence  []Divergence       `json:"divergence,omitempty"`
	// --- next steps (nextsteps.go) ---
	// NextSteps are the concrete changes that would lift the blockers,
	// derived from the records as known at At, in the blockers' order;
	// within a blocker by code, then the largest amount first, then by
	// text.
	NextSteps []NextStep `json:"next_steps"`
	// --- end next steps ---
}

// Assess applies rubric r to the records in in. It fails only for a rubric
// that does not validate or an input without a time: records that say
// nothing (an empty partnership) give the lowest rung with blockers.
func Assess(r Rubric, in Input) (Result, error) {
	if err := r.Validate(); err != nil {
		return Result{}, err
	}
	if err := in.validate(); err != nil {
		return Result{}, err
	}
	r = r.Clone()
	rec, err := prepareRecorded(r, in) // evidence.go
	if err != nil {
		return Result{}, err
	}
	pass := newPass(&r, in)
	probes := Probes()
	byName := make(map[string]Finding, len(probes))
	res := Result{
		Schema: Schema,
		Rubric: RubricRef{Name: r.Name, Version: r.Version, Fingerprint: r.Fingerprint()},
		At:     in.At.UTC(),
		Period: in.Period,
		Unit:   in.Unit,
	}
	for _, p := range probes {
		f := p.Run(pass)
		f.Probe = p.Name
		byName[p.Name] = f
		res.Findings = append(res.Findings, f)
	}
	// Codes Check reports that have no probe of their own still show.
	for _, c := range pass.report.Codes() {
		name := CheckProbe(c)
		if _, ok := byName[name]; !ok {
			f := codesFinding(pass.report, c)
			f.Probe = name
			byName[name] = f
			res.Findings = append(res.Findings, f)
		}
	}
	slices.SortFunc(res.Findings, func(a, b Finding) int { return strings.Compare(a.Probe, b.Probe) })

	res.gate(r, byName, rec.forUnit(in.Unit))
	res.Frameworks = append(res.Frameworks, res.Level)
	for _, f := range r.Crosswalk {
		_, i, _ := f.At(res.Level.Influence)
		res.Frameworks = append(res.Frameworks, levelOf(f, i))
	}
	for _, s := range r.Scales {
		st, _ := judge(s.Needs, byName)
		res.Scales = append(res.Scales, ScaleResult{Scale: s.Scale, Status: st, Reached: st == Met})
	}
	for _, sc := range []Scale{ScaleIndividual, ScaleGroup, ScaleCollective} {
		for _, s := range res.Scales {
			if s.Scale == sc && s.Reached {
				res.Scale = sc
			}
		}
	}
	for _, co := range governance.AllCos() {
		res.Cos = append(res.Cos, coScore(co, byName))
	}
	res.CoAssessment = res.Cos[len(res.Cos)-1]
	rec.finish(&res, r, byName) // evidence.go
	// --- next steps (nextsteps.go) ---
	res.NextSteps = nextSteps(r, pass, in.Ledger, byName, res.Blockers)
	// --- end next steps ---
	res.Parties = partyLevels(r, pass, byName) // parties.go
	return res, nil
}

// judge returns a list of requirements' status and the findings behind it.
func judge(needs []Requirement, byName map[string]Finding) (Status, []Finding) {
	var failed, unknown bool
	definite := false
	fs := make([]Finding, 0, len(needs))
	for _, n := range needs {
		f := byName[n.Probe]
		fs = append(fs, f)
		switch f.Outcome {
		case n.Want:
			definite = true
		case NotApplicable:
		case NotAvailable:
			unknown = true
		default:
			failed = true
		}
	}
	switch {
	case failed:
		return NotMet, fs
	case unknown:
		return Inconclusive, fs
	case definite:
		return Met, fs
	}
	return Vacuous, fs
}

// gate applies the criteria rung by rung and sets the level, the ceiling,
// the practice, the lock and the blockers. Evidence about the unit, when
// not nil, settles criteria the records leave inconclusive (evidence.go).
func (res *Result) gate(r Rubric, byName map[string]Finding, ev *evidenceSet) {
	n := len(r.Ladder.Rungs)
	// holds[a][i]: every criterion of aspect a on rung i holds.
	holds := map[Aspect][]bool{AspectGovernance: make([]bool, n), AspectPractice: make([]bool, n)}
	for _, h := range holds {
		for i := range h {
			h[i] = true
		}
	}
	failing := map[Aspect][][]string{AspectGovernance: make([][]string, n), AspectPractice: make([][]string, n)}
	for _, c := range r.Criteria {
		_, i, _ := r.Ladder.Rung(c.Rung)
		st, fs := judge(c.Needs, byName)
		st, ce := ev.settle(c.ID, st)
		res.Criteria = append(res.Criteria, CriterionResult{ID: c.ID, Doc: c.Doc, Rung: c.Rung, Aspect: c.Aspect, Status: st, Findings: fs, Evidence: ce})
		if st.holds() {
			continue
		}
		holds[c.Aspect][i] = false
		failing[c.Aspect][i] = append(failing[c.Aspect][i], c.ID)
		b := Blocker{Criterion: c.ID, Doc: c.Doc, Rung: c.Rung, Aspect: c.Aspect, Findings: fs}
		if st == Inconclusive {
			res.Inconclusive = append(res.Inconclusive, b)
		} else {
			res.Blockers = append(res.Blockers, b)
		}
	}
	rungOrder := func(a, b Blocker) int {
		_, i, _ := r.Ladder.Rung(a.Rung)
		_, j, _ := r.Ladder.Rung(b.Rung)
		if i != j {
			return i - j
		}
		return strings.Compare(a.Criterion, b.Criterion)
	}
	slices.SortStableFunc(res.Blockers, rungOrder)
	slices.SortStableFunc(res.Inconclusive, rungOrder)
	reach := func(h []bool) int {
		top := 0 // the lowest rung asks nothing it cannot be denied
		for i := range h {
			if !h[i] {
				break
			}
			top = i
		}
		if !h[0] {
			return -1
		}
		return top
	}
	gov, prac := reach(holds[AspectGovernance]), reach(holds[AspectPractice])
	res.Ceiling, res.Practice = levelOf(r.Ladder, gov), levelOf(r.Ladder, prac)
	res.Level = levelOf(r.Ladder, min(gov, prac))
	switch {
	case gov < prac:
		res.Lock = &Lock{Kind: LockByGovernance, At: res.Level, Criteria: failing[AspectGovernance][gov+1],
			Reason: fmt.Sprintf("locked at %s: practice reaches %s, but governance protects only up to %s; what is practised above it rests on goodwill",
				nameOf(res.Level), nameOf(res.Practice), nameOf(res.Ceiling))}
	case prac < gov:
		res.Lock = &Lock{Kind: LockByPractice, At: res.Level, Criteria: failing[AspectPractice][prac+1],
			Reason: fmt.Sprintf("locked at %s: governance would allow %s, but practice stays at %s",
				nameOf(res.Level), nameOf(res.Ceiling), nameOf(res.Practice))}
	}
}

func nameOf(l Level) string {
	if l.Name == "" {
		return "no rung"
	}
	return l.Name
}

// coScore scores community participation in one Co from its probes.
func coScore(co governance.Co, byName map[string]Finding) CoScore {
	names := []string{"activity/", "community-advises-only/", "community-decides/", "community-authority/"}
	s := CoScore{Co: co}
	for _, n := range names {
		s.Findings = append(s.Findings, byName[n+string(co)])
	}
	advises, decides, authority := s.Findings[1].Outcome, s.Findings[2].Outcome, s.Findings[3].Outcome
	switch {
	case decides == True && authority == True:
		s.Score = 3
	case decides == True:
		s.Score = 2
	case advises == True:
		s.Score = 1
	}
	s.Label = coLabels[s.Score]
	return s
}
