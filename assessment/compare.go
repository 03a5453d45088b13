package assessment

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
)

// ComparisonSchema is the schema version of a Comparison document.
const ComparisonSchema = "coprod.assessment.comparison/v1"

// ErrRubricMismatch is returned (inside a *RubricMismatchError) by
// Compare for two results made with rubrics whose fingerprints differ,
// and (inside a *MixedRubricsError) by Summarize for a result not made
// with the rubric summarised on: their levels and blockers do not measure
// the same thing.
var ErrRubricMismatch = coprod.NewError("RUBRIC_MISMATCH", "assessment: results of different rubrics")

// RubricMismatchError says which rubrics two compared results were made
// with. It matches ErrRubricMismatch with errors.Is.
type RubricMismatchError struct {
	Before, After RubricRef
}

// Error names both rubrics.
func (e *RubricMismatchError) Error() string {
	return fmt.Sprintf("assessment: results of different rubrics: %s %s (%s) and %s %s (%s)",
		e.Before.Name, e.Before.Version, short(e.Before.Fingerprint), e.After.Name, e.After.Version, short(e.After.Fingerprint))
}

// Unwrap returns ErrRubricMismatch.
func (e *RubricMismatchError) Unwrap() error { return ErrRubricMismatch }

// Reading names what a LevelChange reads: the level, the ceiling, the
// practice, or the level on one framework of the crosswalk. Readings are
// persisted by their code.
type Reading string

// Readings.
const (
	ReadingLevel     Reading = "level"
	ReadingCeiling   Reading = "ceiling"
	ReadingPractice  Reading = "practice"
	ReadingFramework Reading = "framework"
)

// ResultRef identifies one side of a comparison: its rubric, when its
// records were taken as known, and its level.
type ResultRef struct {
	Rubric RubricRef `json:"rubric"`
	At     time.Time `json:"at"`
	Level  Level     `json:"level"`
}

// LevelChange is one reading whose rung moved: Moved is the change in
// position, positive upwards.
type LevelChange struct {
	Reading   Reading `json:"reading"`
	Framework string  `json:"framework"`
	Before    Level   `json:"before"`
	After     Level   `json:"after"`
	Moved     int     `json:"moved"`
}

// CoChange is one of the four Co's whose score moved.
type CoChange struct {
	Co     governance.Co `json:"co"`
	Before CoScore       `json:"before"`
	After  CoScore       `json:"after"`
}

// ScaleChange is the scale of coproduction before and after.
type ScaleChange struct {
	Before Scale `json:"before"`
	After  Scale `json:"after"`
}

// ProbeChange is a probe whose outcome changed; an outcome is empty on
// the side where the probe gave no finding.
type ProbeChange struct {
	Probe  string  `json:"probe"`
	Before Outcome `json:"before"`
	After  Outcome `json:"after"`
	Reason string  `json:"reason"`
}

// Comparison is what changed between two assessments: the readings that
// moved, the Co's whose score moved, the scale, the blockers lifted and
// those that appeared, and the probes that changed outcome. It is
// deterministic: equal results give an equal comparison, and the same JSON
// and Markdown byte for byte.
type Comparison struct {
	Schema string    `json:"schema"`
	Before ResultRef `json:"before"`
	After  ResultRef `json:"after"`
	// RubricChanged is true when the caller allowed results of different
	// rubrics to be compared (CompareOptions.AllowRubricChange).
	RubricChanged bool `json:"rubric_changed"`
	// Levels are the readings that moved: level, ceiling, practice, then
	// each framework in the after result's order.
	Levels []LevelChange `json:"levels"`
	// Cos are the Co's whose score moved, in the order of the
	// commissioning cycle.
	Cos []CoChange `json:"cos"`
	// Scale is set when the scale of coproduction reached changed.
	Scale *ScaleChange `json:"scale,omitempty"`
	// Lifted are the blockers before whose criterion no longer blocks
	// nor is inconclusive after, as they were before; Appeared the
	// blockers after that were not blockers before, as they are after.
	// A blocker that became inconclusive is in neither.
	Lifted   []Blocker `json:"lifted"`
	Appeared []Blocker `json:"appeared"`
	// Probes are the probes whose outcome changed, by name.
	Probes []ProbeChange `json:"probes"`
}

// CompareOptions configure a comparison. The zero CompareOptions refuse
// results of different rubrics.
type CompareOptions struct {
	// AllowRubricChange compares results made with rubrics whose
	// fingerprints differ, marking the comparison RubricChanged.
	AllowRubricChange bool
}

// Compare reports what changed from before to after. It refuses, with a
// *RubricMismatchError, results made with different rubrics (their
// fingerprints differ); CompareOptions.Compare compares them when told to.
func Compare(before, after Result) (Comparison, error) {
	return CompareOptions{}.Compare(before, after)
}

// Compare reports what changed from before to after, as the package's
// Compare does, comparing results of different rubrics only when
// o.AllowRubricChange is set.
func (o CompareOptions) Compare(before, after Result) (Comparison, error) {
	changed := before.Rubric.Fingerprint != after.Rubric.Fingerprint
	if changed && !o.AllowRubricChange {
		return Comparison{}, &RubricMismatchError{Before: before.Rubric, After: after.Rubric}
	}
	c := Comparison{
		Schema:        ComparisonSchema,
		Before:        ResultRef{Rubric: before.Rubric, At: before.At, Level: before.Level},
		After:         ResultRef{Rubric: after.Rubric, At: after.At, Level: after.Level},
		RubricChanged: changed,
		Levels:        []LevelChange{},
		Cos:           []CoChange{},
		Lifted:        []Blocker{},
		Appeared:      []Blocker{},
		Probes:        []ProbeChange{},
	}
	moved := func(r Reading, fw string, b, a Level) {
		if b != a {
			c.Levels = append(c.Levels, LevelChange{Reading: r, Framework: fw, Before: b, After: a, Moved: a.Position - b.Position})
		}
	}
	moved(ReadingLevel, after.Level.Framework, before.Level, after.Level)
	moved(ReadingCeiling, after.Ceiling.Framework, before.Ceiling, after.Ceiling)
	moved(ReadingPractice, after.Practice.Framework, before.Practice, after.Practice)
	for _, a := range after.Frameworks {
		b := Level{Framework: a.Framework}
		if i := slices.IndexFunc(before.Frameworks, func(l Level) bool { return l.Framework == a.Framework }); i >= 0 {
			b = before.Frameworks[i]
		}
		moved(ReadingFramework, a.Framework, b, a)
	}
	for _, a := range after.Cos {
		i := slices.IndexFunc(before.Cos, func(s CoScore) bool { return s.Co == a.Co })
		if i < 0 || before.Cos[i].Score != a.Score {
			b := CoScore{Co: a.Co, Label: coLabels[0]}
			if i >= 0 {
				b = before.Cos[i]
			}
			c.Cos = append(c.Cos, CoChange{Co: a.Co, Before: b, After: a})
		}
	}
	if before.Scale != after.Scale {
		c.Scale = &ScaleChange{Before: before.Scale, After: after.Scale}
	}
	blocking := func(res Result, id string) bool {
		has := func(b Blocker) bool { return b.Criterion == id }
		return slices.ContainsFunc(res.Blockers, has) || slices.ContainsFunc(res.Inconclusive, has)
	}
	for _, b := range before.Blockers {
		if !blocking(after, b.Criterion) {
			c.Lifted = append(c.Lifted, b)
		}
	}
	for _, a := range after.Blockers {
		if !slices.ContainsFunc(before.Blockers, func(b Blocker) bool { return b.Criterion == a.Criterion }) {
			c.Appeared = append(c.Appeared, a)
		}
	}
	outcomes := map[string]*ProbeChange{}
	var names []string
	get := func(name string) *ProbeChange {
		if p, ok := outcomes[name]; ok {
			return p
		}
		p := &ProbeChange{Probe: name}
		outcomes[name] = p
		names = append(names, name)
		return p
	}
	for _, f := range before.Findings {
		get(f.Probe).Before = f.Outcome
	}
	for _, f := range after.Findings {
		p := get(f.Probe)
		p.After, p.Reason = f.Outcome, f.Reason
	}
	slices.Sort(names)
	for _, n := range names {
		if p := outcomes[n]; p.Before != p.After {
			c.Probes = append(c.Probes, *p)
		}
	}
	return c, nil
}

// JSON returns the comparison as indented JSON with a trailing newline.
// Equal comparisons give identical bytes.
func (c Comparison) JSON() ([]byte, error) {
	return indentJSON(c, "comparison")
}

// Markdown renders the comparison as a readable report: both sides, the
// readings that moved, the Co's, the scale, the blockers lifted and
// appeared, and the probes that changed.
func (c Comparison) Markdown() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("# Change between two assessments\n\n")
	side := func(label string, r ResultRef) {
		w("- %s: records as known at %s, rubric %s, version %s (fingerprint `%s`): **%s**\n",
			label, r.At.Format(time.RFC3339), r.Rubric.Name, r.Rubric.Version, short(r.Rubric.Fingerprint), nameOf(r.Level))
	}
	side("Before", c.Before)
	side("After", c.After)
	if c.RubricChanged {
		w("- **The rubric changed**: levels and blockers may not measure the same thing.\n")
	}

	w("\n## Levels that moved\n\n")
	if len(c.Levels) == 0 {
		w("None.\n")
	} else {
		w("| Reading | Framework | Before | After | Moved |\n|---|---|---|---|---|\n")
		for _, l := range c.Levels {
			w("| %s | %s | %s | %s | %+d |\n", l.Reading, l.Framework, nameOf(l.Before), nameOf(l.After), l.Moved)
		}
	}

	w("\n## The four Co's\n\n")
	if len(c.Cos) == 0 {
		w("No score moved.\n")
	} else {
		w("| Co | Before | After |\n|---|---|---|\n")
		for _, s := range c.Cos {
			w("| %s | %d/%d %s | %d/%d %s |\n", s.Co, s.Before.Score, CoScoreMax, s.Before.Label, s.After.Score, CoScoreMax, s.After.Label)
		}
	}

	w("\n## Scale of coproduction\n\n")
	scale := func(s Scale) string {
		if s == "" {
			return "none"
		}
		return string(s)
	}
	if c.Scale == nil {
		w("Unchanged.\n")
	} else {
		w("%s → %s.\n", scale(c.Scale.Before), scale(c.Scale.After))
	}

	list := func(title string, bs []Blocker) {
		w("\n## %s\n\n", title)
		if len(bs) == 0 {
			w("None.\n")
			return
		}
		for _, bl := range bs {
			w("- `%s` (%s, blocks %s): %s\n", bl.Criterion, bl.Aspect, bl.Rung, bl.Doc)
		}
	}
	list("Blockers lifted", c.Lifted)
	list("Blockers appeared", c.Appeared)

	w("\n## Probes that changed\n\n")
	if len(c.Probes) == 0 {
		w("None.\n")
	} else {
		w("| Probe | Before | After | Now |\n|---|---|---|---|\n")
		outcome := func(o Outcome) string {
			if o == "" {
				return "—"
			}
			return string(o)
		}
		for _, p := range c.Probes {
			w("| %s | %s | %s | %s |\n", p.Probe, outcome(p.Before), outcome(p.After), strings.ReplaceAll(p.Reason, "|", "\\|"))
		}
	}
	return b.String()
}
