package assessment

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Limits on a rubric. Exceeding one makes Validate and Assess fail with
// ErrInvalidRubric.
const (
	// MaxRungs bounds the rungs of one ladder.
	MaxRungs = 16
	// MaxFrameworks bounds the frameworks a rubric reads its level on.
	MaxFrameworks = 8
	// MaxCriteria bounds the criteria of one rubric.
	MaxCriteria = 256
	// MaxRequirements bounds the requirements of one criterion.
	MaxRequirements = 32
	// MaxTextLen bounds every name, ID, definition and doc line, in bytes.
	MaxTextLen = 1000
)

// Aspect says which of the two readings a criterion counts towards: what
// governance permits (the ceiling) or what is practised.
type Aspect string

// The two aspects.
const (
	// AspectGovernance: delegated authority, clear lines, money under
	// instruments: what the partnership's governance protects.
	AspectGovernance Aspect = "governance"
	// AspectPractice: activities, who decides in them, where the money
	// and labour went: what the partnership does.
	AspectPractice Aspect = "practice"
)

// Valid reports whether a is a defined aspect.
func (a Aspect) Valid() bool { return a == AspectGovernance || a == AspectPractice }

// Requirement asks that a named probe answer Want (True or False). A probe
// that is not applicable satisfies it; one that is not available leaves
// the criterion inconclusive.
type Requirement struct {
	Probe string  `json:"probe"`
	Want  Outcome `json:"want"`
}

// Criterion is one condition of a rung, a plain value: a stable ID, one
// line saying what it asks, the rung it gates (by the rung's ID), whether
// it reads governance or practice, and the probe answers it needs, all of
// which must hold.
type Criterion struct {
	ID     string        `json:"id"`
	Doc    string        `json:"doc"`
	Rung   string        `json:"rung"`
	Aspect Aspect        `json:"aspect"`
	Needs  []Requirement `json:"needs"`
}

// ScaleRule says which probe answers show that coproduction reaches a
// scale (individual, group, collective). Like a criterion, every
// requirement must hold.
type ScaleRule struct {
	Scale Scale         `json:"scale"`
	Needs []Requirement `json:"needs"`
}

// Thresholds are the numbers the money probes compare with, as fractions
// (0.8 is 80%).
type Thresholds struct {
	// FormalShare is the least share of money reaching community-side
	// parties that must be made under an instrument.
	FormalShare decimal.Decimal `json:"formal_share"`
	// CostCoverage is the least central cost coverage.
	CostCoverage decimal.Decimal `json:"cost_coverage"`
	// KeyPersonShare is the most of the statutory money one named
	// individual may decide before money-key-person answers True.
	KeyPersonShare decimal.Decimal `json:"key_person_share"`
}

// Rubric is a plain value a caller can copy and change: its name and
// version, the ladder it gates on, the other frameworks its level is read
// on through the crosswalk, its criteria, its scale rules and its
// thresholds. Copy it with Clone before changing slices, so that the
// original is left as it was; Fingerprint tells an edited copy from the
// original.
type Rubric struct {
	Name       string      `json:"name"`
	Version    string      `json:"version"`
	Ladder     Framework   `json:"ladder"`
	Crosswalk  []Framework `json:"crosswalk"`
	Criteria   []Criterion `json:"criteria"`
	Scales     []ScaleRule `json:"scales"`
	Thresholds Thresholds  `json:"thresholds"`
}

// Clone returns a deep copy of r.
func (r Rubric) Clone() Rubric {
	c := r
	c.Ladder.Rungs = slices.Clone(r.Ladder.Rungs)
	c.Crosswalk = make([]Framework, len(r.Crosswalk))
	for i, f := range r.Crosswalk {
		f.Rungs = slices.Clone(f.Rungs)
		c.Crosswalk[i] = f
	}
	c.Criteria = make([]Criterion, len(r.Criteria))
	for i, cr := range r.Criteria {
		cr.Needs = slices.Clone(cr.Needs)
		c.Criteria[i] = cr
	}
	c.Scales = make([]ScaleRule, len(r.Scales))
	for i, s := range r.Scales {
		s.Needs = slices.Clone(s.Needs)
		c.Scales[i] = s
	}
	return c
}

// fingerprintPrefix names the canonical encoding, so that a change to it
// changes every fingerprint rather than colliding with an old one.
const fingerprintPrefix = "coprod.assessment.rubric/v1\n"

// Fingerprint returns the SHA-256, in hex, of the rubric's canonical
// encoding: a prefix naming the encoding, then its JSON with every field
// in declaration order and thresholds in their shortest decimal form. Two
// rubrics have the same fingerprint exactly when their content is the
// same, whatever their name says.
func (r Rubric) Fingerprint() string {
	c := r.Clone()
	for _, d := range []*decimal.Decimal{&c.Thresholds.FormalShare, &c.Thresholds.CostCoverage, &c.Thresholds.KeyPersonShare} {
		*d = decimal.RequireFromString(d.String()) // shortest form: 0.80 and 0.8 agree
	}
	b, err := json.Marshal(c)
	if err != nil { // the rubric holds only strings, ints and decimals
		panic("assessment: rubric does not encode: " + err.Error())
	}
	h := sha256.New()
	h.Write([]byte(fingerprintPrefix))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

func text(field, s string, required bool) error {
	switch {
	case required && s == "":
		return fmt.Errorf("assessment: %s is empty: %w", field, ErrInvalidRubric)
	case len(s) > MaxTextLen:
		return fmt.Errorf("assessment: %s longer than %d bytes: %w", field, MaxTextLen, ErrInvalidRubric)
	case !utf8.ValidString(s):
		return fmt.Errorf("assessment: %s is not valid UTF-8: %w", field, ErrInvalidRubric)
	}
	return nil
}

func validFramework(f Framework) error {
	if err := text("framework id", f.ID, true); err != nil {
		return err
	}
	for _, e := range []error{text("framework name", f.Name, true), text("framework source", f.Source, false)} {
		if e != nil {
			return e
		}
	}
	if len(f.Rungs) == 0 || len(f.Rungs) > MaxRungs {
		return fmt.Errorf("assessment: framework %q has %d rungs, not 1 to %d: %w", f.ID, len(f.Rungs), MaxRungs, ErrInvalidRubric)
	}
	seen := map[string]bool{}
	for _, rg := range f.Rungs {
		for _, e := range []error{text("rung id", rg.ID, true), text("rung name", rg.Name, true),
			text("rung definition", rg.Definition, false), text("rung band", rg.Band, false)} {
			if e != nil {
				return fmt.Errorf("assessment: framework %q: %w", f.ID, e)
			}
		}
		if seen[rg.ID] {
			return fmt.Errorf("assessment: framework %q repeats rung %q: %w", f.ID, rg.ID, ErrInvalidRubric)
		}
		seen[rg.ID] = true
		if !rg.Influence.Valid() {
			return fmt.Errorf("assessment: framework %q rung %q: influence %d off the scale: %w", f.ID, rg.ID, rg.Influence, ErrInvalidRubric)
		}
	}
	return nil
}

func validNeeds(owner string, needs []Requirement, probes map[string]bool) error {
	if len(needs) == 0 || len(needs) > MaxRequirements {
		return fmt.Errorf("assessment: %s has %d requirements, not 1 to %d: %w", owner, len(needs), MaxRequirements, ErrInvalidRubric)
	}
	for _, n := range needs {
		if !probes[n.Probe] {
			return fmt.Errorf("assessment: %s needs probe %q: %w", owner, n.Probe, ErrUnknownProbe)
		}
		if n.Want != True && n.Want != False {
			return fmt.Errorf("assessment: %s wants %q of probe %q, not true or false: %w", owner, n.Want, n.Probe, ErrInvalidRubric)
		}
	}
	return nil
}

// Validate reports whether r can be applied: names and versions present,
// frameworks well formed within the limits, every criterion on a rung of
// the ladder with a defined aspect and requirements naming probes of
// Probes, every scale rule for a defined scale, and thresholds between 0
// and 1. Failures match ErrInvalidRubric or ErrUnknownProbe.
func (r Rubric) Validate() error {
	for _, e := range []error{text("rubric name", r.Name, true), text("rubric version", r.Version, true)} {
		if e != nil {
			return e
		}
	}
	if err := validFramework(r.Ladder); err != nil {
		return err
	}
	if len(r.Crosswalk) > MaxFrameworks {
		return fmt.Errorf("assessment: %d crosswalk frameworks, more than %d: %w", len(r.Crosswalk), MaxFrameworks, ErrInvalidRubric)
	}
	fws := map[string]bool{r.Ladder.ID: true}
	for _, f := range r.Crosswalk {
		if err := validFramework(f); err != nil {
			return err
		}
		if fws[f.ID] {
			return fmt.Errorf("assessment: framework %q listed twice: %w", f.ID, ErrInvalidRubric)
		}
		fws[f.ID] = true
	}
	if len(r.Criteria) > MaxCriteria {
		return fmt.Errorf("assessment: %d criteria, more than %d: %w", len(r.Criteria), MaxCriteria, ErrInvalidRubric)
	}
	probes := map[string]bool{}
	for _, p := range Probes() {
		probes[p.Name] = true
	}
	seen := map[string]bool{}
	for _, c := range r.Criteria {
		if err := text("criterion id", c.ID, true); err != nil {
			return err
		}
		if err := text("criterion doc", c.Doc, false); err != nil {
			return err
		}
		if seen[c.ID] {
			return fmt.Errorf("assessment: criterion %q listed twice: %w", c.ID, ErrInvalidRubric)
		}
		seen[c.ID] = true
		if _, _, ok := r.Ladder.Rung(c.Rung); !ok {
			return fmt.Errorf("assessment: criterion %q gates rung %q, not on the ladder: %w", c.ID, c.Rung, ErrInvalidRubric)
		}
		if !c.Aspect.Valid() {
			return fmt.Errorf("assessment: criterion %q has aspect %q: %w", c.ID, c.Aspect, ErrInvalidRubric)
		}
		if err := validNeeds("criterion "+c.ID, c.Needs, probes); err != nil {
			return err
		}
	}
	scales := map[Scale]bool{}
	for _, s := range r.Scales {
		if !s.Scale.Valid() || scales[s.Scale] {
			return fmt.Errorf("assessment: scale rule %q undefined or repeated: %w", s.Scale, ErrInvalidRubric)
		}
		scales[s.Scale] = true
		if err := validNeeds("scale "+string(s.Scale), s.Needs, probes); err != nil {
			return err
		}
	}
	one := decimal.NewFromInt(1)
	for _, t := range []struct {
		name string
		d    decimal.Decimal
	}{{"formal_share", r.Thresholds.FormalShare}, {"cost_coverage", r.Thresholds.CostCoverage},
		{"key_person_share", r.Thresholds.KeyPersonShare}} {
		if t.d.IsNegative() || t.d.GreaterThan(one) {
			return fmt.Errorf("assessment: threshold %s is %s, not between 0 and 1: %w", t.name, t.d, ErrInvalidRubric)
		}
	}
	return nil
}

func need(probe string, want Outcome) Requirement { return Requirement{Probe: probe, Want: want} }

// DefaultRubric returns a fresh copy of the default rubric: the TLAP ladder
// gated by criteria read from the probes, read across to Arnstein and IAP2,
// with thresholds of 80% for the formal share and for cost coverage and
// 50% for one person's share of statutory money.
//
// Coercion, the lowest rung, asks nothing: every partnership stands on it.
// Each rung above adds practice criteria (community parties recorded,
// informed, consulted, funded, deciding in design, then in delivery,
// commissioning and assessment with their labour paid) and governance
// criteria (clear lines of accountability; authority delegated to
// community parties for design, then delivery; money reaching them under
// instruments; nothing resting on one named person).
func DefaultRubric() Rubric {
	return Rubric{
		Name:      "coprod TLAP default",
		Version:   "1",
		Ladder:    TLAP(),
		Crosswalk: []Framework{Arnstein(), IAP2()},
		Criteria: []Criterion{
			{ID: "community-recorded", Rung: "educating", Aspect: AspectPractice,
				Doc:   "The partnership records community-side parties at all.",
				Needs: []Requirement{need("community-parties", True)}},
			{ID: "community-informed", Rung: "informing", Aspect: AspectPractice,
				Doc:   "Community-side parties take part in live activities.",
				Needs: []Requirement{need("community-in-activity", True)}},
			{ID: "community-consulted", Rung: "consultation", Aspect: AspectPractice,
				Doc:   "Community-side parties are consulted or decide, not only informed.",
				Needs: []Requirement{need("community-consulted", True)}},
			{ID: "money-reaches-community", Rung: "engagement", Aspect: AspectPractice,
				Doc:   "Money reaches community-side parties.",
				Needs: []Requirement{need("money-to-community", True)}},
			{ID: "clear-lines", Rung: "engagement", Aspect: AspectGovernance,
				Doc:   "Lines of delegation and accountability are clear: Check finds no error.",
				Needs: []Requirement{need("governance-errors", False)}},
			{ID: "community-decides-design", Rung: "co-design", Aspect: AspectPractice,
				Doc:   "Community-side parties decide in co-design, not only advise.",
				Needs: []Requirement{need("community-decides/co-design", True)}},
			{ID: "design-authority-delegated", Rung: "co-design", Aspect: AspectGovernance,
				Doc:   "Community-side parties hold live delegated authority for co-design.",
				Needs: []Requirement{need("community-authority/co-design", True)}},
			{ID: "money-formal", Rung: "co-design", Aspect: AspectGovernance,
				Doc:   "Money reaches community-side parties under instruments, not one person's discretion.",
				Needs: []Requirement{need("formal-share-to-community", True)}},
			{ID: "community-decides-delivery", Rung: "co-production", Aspect: AspectPractice,
				Doc:   "Community-side parties decide in co-delivery.",
				Needs: []Requirement{need("community-decides/co-delivery", True)}},
			{ID: "community-decides-commissioning", Rung: "co-production", Aspect: AspectPractice,
				Doc:   "Community-side parties decide in co-commissioning.",
				Needs: []Requirement{need("community-decides/co-commissioning", True)}},
			{ID: "co-assessment", Rung: "co-production", Aspect: AspectPractice,
				Doc:   "A live co-assessment activity exists with community-side parties deciding.",
				Needs: []Requirement{need("activity/co-assessment", True), need("community-decides/co-assessment", True)}},
			{ID: "labour-paid", Rung: "co-production", Aspect: AspectPractice,
				Doc:   "Money paid covers community-side parties' costs and unpaid labour.",
				Needs: []Requirement{need("cost-coverage", True)}},
			{ID: "delivery-authority-delegated", Rung: "co-production", Aspect: AspectGovernance,
				Doc:   "Community-side parties hold live delegated authority for co-delivery.",
				Needs: []Requirement{need("community-authority/co-delivery", True)}},
			{ID: "no-key-person", Rung: "co-production", Aspect: AspectGovernance,
				Doc: "Nothing rests on one named person: no key-person dependency, no authority held personally, no officer deciding most statutory money.",
				Needs: []Requirement{need("key-person", False), need("authority-held-personally", False),
					need("money-key-person", False)}},
		},
		Scales: []ScaleRule{
			{Scale: ScaleIndividual, Needs: []Requirement{need("individual-takes-part", True)}},
			{Scale: ScaleGroup, Needs: []Requirement{need("community-in-activity", True)}},
			{Scale: ScaleCollective, Needs: []Requirement{need("community-decides/co-commissioning", True)}},
		},
		Thresholds: Thresholds{
			FormalShare:    decimal.RequireFromString("0.8"),
			CostCoverage:   decimal.RequireFromString("0.8"),
			KeyPersonShare: decimal.RequireFromString("0.5"),
		},
	}
}
