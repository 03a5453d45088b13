package assessment

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// SummarySchema is the schema version of a Summary document.
const SummarySchema = "coprod.assessment.summary/v1"

// MixedRubricsError is returned by Summarize for a result made with
// another rubric than the one summarised on: Index is the result's place
// in the input, Want the rubric given, Got the result's. It matches
// ErrRubricMismatch with errors.Is.
type MixedRubricsError struct {
	Index     int
	Want, Got RubricRef
}

// Error names the result and both rubrics.
func (e *MixedRubricsError) Error() string {
	return fmt.Sprintf("assessment: result %d made with rubric %s %s (%s), not %s %s (%s)",
		e.Index, e.Got.Name, e.Got.Version, short(e.Got.Fingerprint), e.Want.Name, e.Want.Version, short(e.Want.Fingerprint))
}

// Unwrap returns ErrRubricMismatch.
func (e *MixedRubricsError) Unwrap() error { return ErrRubricMismatch }

// RungCount is how many partnerships stand on one rung of a framework.
type RungCount struct {
	Rung         string `json:"rung"`
	Name         string `json:"name"`
	Position     int    `json:"position"`
	Partnerships int    `json:"partnerships"`
}

// Distribution is how many partnerships stand on each rung of one
// framework. Rungs are ordinal: a distribution has a median, never a
// mean.
type Distribution struct {
	Framework string `json:"framework"`
	// Rungs lists every rung of the framework, lowest first, with the
	// partnerships on it; a rung no partnership stands on counts 0.
	Rungs []RungCount `json:"rungs"`
	// NoRung counts the partnerships that reach no rung of the framework
	// (Level.Position 0), which stand below the lowest.
	NoRung int `json:"no_rung"`
	// Median is the lower median: with the n partnerships ordered from
	// the lowest rung up (no rung below the lowest), the rung of the one
	// at place (n+1)/2 rounded down, counting from 1. For an odd n that is the middle
	// partnership; for an even n the lower of the middle two, never a
	// point between rungs. Its Position is 0 when the median partnership
	// reaches no rung; Median is nil when there are no partnerships.
	Median *Level `json:"median,omitempty"`
}

// LockCount is how many partnerships are locked one way round (a Lock
// kind: LockByGovernance or LockByPractice).
type LockCount struct {
	Kind         string `json:"kind"`
	Partnerships int    `json:"partnerships"`
}

// ScaleCount is how many partnerships reach one scale of coproduction as
// their largest (Result.Scale).
type ScaleCount struct {
	Scale        Scale `json:"scale"`
	Partnerships int   `json:"partnerships"`
}

// CriterionCount is how many partnerships one criterion of the rubric
// holds back: Blocking counts those where it is a blocker (not met),
// Inconclusive those where it could not be judged. No partnership is in
// both.
type CriterionCount struct {
	Criterion    string `json:"criterion"`
	Doc          string `json:"doc"`
	Rung         string `json:"rung"`
	Aspect       Aspect `json:"aspect"`
	Blocking     int    `json:"blocking"`
	Inconclusive int    `json:"inconclusive"`
}

// Summary is many partnerships' assessments with one rubric merged into
// distributions: a national programme's or a funder's view. It reports how
// many partnerships stand on each rung and the median rung, never a mean
// of rungs, which are ordinal. It is deterministic: the same results, in
// any order, give an equal Summary and the same JSON and Markdown, byte
// for byte.
//
// The zero Summary is not a summary; Summarize makes one.
type Summary struct {
	Schema string    `json:"schema"`
	Rubric RubricRef `json:"rubric"`
	// Unit is what every result assessed (professional, service or
	// organisation): results of different units are not merged. Empty
	// when there are no results.
	Unit Unit `json:"unit,omitempty"`
	// Partnerships is the number of results summarised.
	Partnerships int `json:"partnerships"`
	// Earliest and Latest are the earliest and latest times the results'
	// records were taken as known at (Result.At), in UTC; zero when there
	// are no results.
	Earliest time.Time `json:"earliest,omitzero"`
	Latest   time.Time `json:"latest,omitzero"`
	// Frameworks distributes the level on every framework of the rubric,
	// the ladder first, then the crosswalk in the rubric's order, as
	// Result.Frameworks reads it.
	Frameworks []Distribution `json:"frameworks"`
	// Ceiling and Practice distribute, on the ladder, the rung governance
	// permits and the rung practised.
	Ceiling  Distribution `json:"ceiling"`
	Practice Distribution `json:"practice"`
	// Locks counts the partnerships locked each way round:
	// LockByGovernance, then LockByPractice. Unlocked counts those whose
	// ceiling and practice agree.
	Locks    []LockCount `json:"locks"`
	Unlocked int         `json:"unlocked"`
	// Scales counts the partnerships by the largest scale of coproduction
	// they reach, smallest scale first; NoScale those that reach none.
	Scales  []ScaleCount `json:"scales"`
	NoScale int          `json:"no_scale"`
	// Criteria lists every criterion of the rubric with the partnerships
	// it holds back, the most often blocking first; ties by inconclusive
	// count, most first, then by rung, lowest first, then by ID.
	Criteria []CriterionCount `json:"criteria"`
}

// Summarize merges the results of many partnerships' assessments, all made
// with rubric r, into a Summary. The rubric gives the rungs each
// distribution lists, with zero counts, and the criteria counted.
//
// Results of different rubrics are never merged: a result whose
// RubricRef (name, version and fingerprint) is not r's is refused with a
// *MixedRubricsError, which matches ErrRubricMismatch; the caller groups
// results by Result.Rubric and summarises each group with its own rubric.
// A result whose readings do not fit r (a rung not on its framework, a
// criterion r does not have or listed twice, an undefined lock kind or
// scale, another schema) is refused with ErrInvalidResult; one that Assess
// made with r always fits, as does its JSON read back by
// Result.UnmarshalJSON. An invalid
// rubric is refused with ErrInvalidRubric or ErrUnknownProbe. Errors name
// the first result at fault, by index.
//
// No results give a summary with every count 0 and no medians, not an
// error. Summarize reads results and keeps none of them.
func Summarize(r Rubric, results []Result) (Summary, error) {
	if err := r.Validate(); err != nil {
		return Summary{}, err
	}
	ref := RubricRef{Name: r.Name, Version: r.Version, Fingerprint: r.Fingerprint()}
	fws := slices.Concat([]Framework{r.Ladder}, r.Crosswalk)

	// Counts per framework: index 0 is no rung, i+1 rung i.
	level := make([][]int, len(fws))
	for i, f := range fws {
		level[i] = make([]int, len(f.Rungs)+1)
	}
	ceiling := make([]int, len(r.Ladder.Rungs)+1)
	practice := make([]int, len(r.Ladder.Rungs)+1)
	locks := []LockCount{{Kind: LockByGovernance}, {Kind: LockByPractice}}
	scales := []ScaleCount{{Scale: ScaleIndividual}, {Scale: ScaleGroup}, {Scale: ScaleCollective}}
	criterion := make(map[string]int, len(r.Criteria))
	for i, c := range r.Criteria {
		criterion[c.ID] = i
	}
	blocking := make([]int, len(r.Criteria))
	inconclusive := make([]int, len(r.Criteria))
	seen := make([]int, len(r.Criteria)) // index+1 of the last result that named the criterion
	var s Summary
	for k := range results {
		res := &results[k] // a Result is large: read it in place
		if res.Rubric != ref {
			return Summary{}, &MixedRubricsError{Index: k, Want: ref, Got: res.Rubric}
		}
		if res.Schema != Schema {
			return Summary{}, unfit(k, "schema %q, not %q", res.Schema, Schema)
		}
		if k == 0 {
			s.Unit = res.Unit
		}
		if !res.Unit.Valid() {
			return Summary{}, unfit(k, "unit %q", res.Unit)
		}
		if res.Unit != s.Unit {
			// A service's level and an organisation's answer different
			// questions: counting them together would mix the two.
			return Summary{}, unfit(k, "unit %q, where the first result's is %q", res.Unit, s.Unit)
		}
		if len(res.Frameworks) != len(fws) {
			return Summary{}, unfit(k, "%d frameworks, not %d", len(res.Frameworks), len(fws))
		}
		if res.Frameworks[0] != res.Level {
			return Summary{}, unfit(k, "level on the ladder %q is not the level %q", res.Frameworks[0].Rung, res.Level.Rung)
		}
		for i, f := range fws {
			p, ok := rungOf(f, res.Frameworks[i])
			if !ok {
				return Summary{}, unfit(k, "level %q at %d not on framework %q", res.Frameworks[i].Rung, res.Frameworks[i].Position, f.ID)
			}
			level[i][p]++
		}
		for _, x := range []struct {
			what   string
			l      Level
			counts []int
		}{{"ceiling", res.Ceiling, ceiling}, {"practice", res.Practice, practice}} {
			p, ok := rungOf(r.Ladder, x.l)
			if !ok {
				return Summary{}, unfit(k, "%s %q at %d not on the ladder %q", x.what, x.l.Rung, x.l.Position, r.Ladder.ID)
			}
			x.counts[p]++
		}
		// The level is the lower of the two readings, and a lock says
		// which holds it down exactly when they differ: a result that
		// says otherwise was not made by Assess, and counting it would
		// put it under a lock, or none, that its readings contradict.
		gov, prac := res.Ceiling.Position, res.Practice.Position
		if res.Level.Position != min(gov, prac) {
			return Summary{}, unfit(k, "level %d is not the lower of ceiling %d and practice %d", res.Level.Position, gov, prac)
		}
		want := ""
		switch {
		case gov < prac:
			want = LockByGovernance
		case prac < gov:
			want = LockByPractice
		}
		if got := lockKind(res.Lock); got != want && (got == LockByGovernance || got == LockByPractice || got == "") {
			return Summary{}, unfit(k, "lock %q with ceiling %d and practice %d", got, gov, prac)
		}
		switch {
		case res.Lock == nil:
			s.Unlocked++
		case res.Lock.Kind == LockByGovernance:
			locks[0].Partnerships++
		case res.Lock.Kind == LockByPractice:
			locks[1].Partnerships++
		default:
			return Summary{}, unfit(k, "lock kind %q", res.Lock.Kind)
		}
		if res.Scale == "" {
			s.NoScale++
		} else if i := slices.IndexFunc(scales, func(c ScaleCount) bool { return c.Scale == res.Scale }); i >= 0 {
			scales[i].Partnerships++
		} else {
			return Summary{}, unfit(k, "scale %q", res.Scale)
		}
		for _, x := range []struct {
			bs     []Blocker
			counts []int
		}{{res.Blockers, blocking}, {res.Inconclusive, inconclusive}} {
			for _, b := range x.bs {
				i, ok := criterion[b.Criterion]
				switch {
				case !ok:
					return Summary{}, unfit(k, "criterion %q not in the rubric", b.Criterion)
				case seen[i] == k+1:
					return Summary{}, unfit(k, "criterion %q listed twice", b.Criterion)
				}
				seen[i] = k + 1
				x.counts[i]++
			}
		}
		at := res.At.UTC() // one instant, one representation, whatever the order
		if k == 0 || at.Before(s.Earliest) {
			s.Earliest = at
		}
		if k == 0 || at.After(s.Latest) {
			s.Latest = at
		}
	}

	s.Schema, s.Rubric, s.Partnerships = SummarySchema, ref, len(results)
	s.Frameworks = make([]Distribution, len(fws))
	for i, f := range fws {
		s.Frameworks[i] = distribution(f, level[i], len(results))
	}
	s.Ceiling = distribution(r.Ladder, ceiling, len(results))
	s.Practice = distribution(r.Ladder, practice, len(results))
	s.Locks, s.Scales = locks, scales
	s.Criteria = make([]CriterionCount, len(r.Criteria))
	for i, c := range r.Criteria {
		s.Criteria[i] = CriterionCount{Criterion: c.ID, Doc: c.Doc, Rung: c.Rung, Aspect: c.Aspect,
			Blocking: blocking[i], Inconclusive: inconclusive[i]}
	}
	slices.SortFunc(s.Criteria, func(a, b CriterionCount) int {
		_, i, _ := r.Ladder.Rung(a.Rung)
		_, j, _ := r.Ladder.Rung(b.Rung)
		return cmp.Or(cmp.Compare(b.Blocking, a.Blocking), cmp.Compare(b.Inconclusive, a.Inconclusive),
			cmp.Compare(i, j), strings.Compare(a.Criterion, b.Criterion))
	})
	return s, nil
}

// lockKind is l's kind, or "" for no lock.
func lockKind(l *Lock) string {
	if l == nil {
		return ""
	}
	return l.Kind
}

func unfit(index int, format string, a ...any) error {
	return fmt.Errorf("assessment: result %d does not fit the rubric: %s: %w", index, fmt.Sprintf(format, a...), ErrInvalidResult)
}

// rungOf returns where l stands on f: 0 for no rung, i+1 for rung i, and
// false when l is not a reading on f.
func rungOf(f Framework, l Level) (int, bool) {
	switch {
	case l.Framework != f.ID || l.Position < 0 || l.Position > len(f.Rungs):
		return 0, false
	case l.Position == 0:
		return 0, l.Rung == ""
	}
	return l.Position, f.Rungs[l.Position-1].ID == l.Rung
}

// distribution turns counts (index 0 no rung, i+1 rung i) of n
// partnerships into a Distribution with its lower median.
func distribution(f Framework, counts []int, n int) Distribution {
	d := Distribution{Framework: f.ID, NoRung: counts[0], Rungs: make([]RungCount, len(f.Rungs))}
	for i, rg := range f.Rungs {
		d.Rungs[i] = RungCount{Rung: rg.ID, Name: rg.Name, Position: i + 1, Partnerships: counts[i+1]}
	}
	if n == 0 {
		return d
	}
	below := 0
	for p, c := range counts {
		below += c
		if below >= (n+1)/2 {
			m := levelOf(f, p-1)
			d.Median = &m
			break
		}
	}
	return d
}

// JSON returns the summary as indented JSON with a trailing newline.
// Equal summaries give identical bytes: the summary holds no maps, and
// its slices are in a fixed order.
func (s Summary) JSON() ([]byte, error) {
	return indentJSON(s, "summary")
}

// Markdown renders the summary as a short report: the ladder's rungs
// with the partnerships reaching each as their level, ceiling and
// practice, and the medians; each crosswalk framework's distribution;
// the locks; the scales; and the criteria that hold partnerships back,
// most often first.
func (s Summary) Markdown() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	median := func(d Distribution) string {
		if d.Median == nil {
			return "—"
		}
		return nameOf(*d.Median)
	}
	w("# Coproduction across %d partnerships\n\n", s.Partnerships)
	w("- Rubric: %s, version %s (fingerprint `%s`)\n", s.Rubric.Name, s.Rubric.Version, short(s.Rubric.Fingerprint))
	if s.Partnerships > 0 {
		w("- Unit assessed: %s\n", s.Unit)
		w("- Records as known from %s to %s\n", s.Earliest.Format(time.RFC3339), s.Latest.Format(time.RFC3339))
	}
	if len(s.Frameworks) == 0 { // the zero Summary
		return b.String()
	}

	lv := s.Frameworks[0]
	w("\n## Rungs on the %s ladder\n\n| Rung | Level | Ceiling | Practice |\n|---|---|---|---|\n", lv.Framework)
	if lv.NoRung+s.Ceiling.NoRung+s.Practice.NoRung > 0 {
		w("| no rung | %d | %d | %d |\n", lv.NoRung, s.Ceiling.NoRung, s.Practice.NoRung)
	}
	for i, rc := range lv.Rungs {
		w("| %s | %d | %d | %d |\n", rc.Name, rc.Partnerships, s.Ceiling.Rungs[i].Partnerships, s.Practice.Rungs[i].Partnerships)
	}
	w("| **Median** | %s | %s | %s |\n", median(lv), median(s.Ceiling), median(s.Practice))

	for _, d := range s.Frameworks[1:] {
		w("\n## Read on %s\n\n| Rung | Partnerships |\n|---|---|\n", d.Framework)
		if d.NoRung > 0 {
			w("| no rung | %d |\n", d.NoRung)
		}
		for _, rc := range d.Rungs {
			w("| %s | %d |\n", rc.Name, rc.Partnerships)
		}
		w("| **Median** | %s |\n", median(d))
	}

	w("\n## Locks\n\n")
	for _, l := range s.Locks {
		w("- %s: %d\n", l.Kind, l.Partnerships)
	}
	w("- not locked: %d\n", s.Unlocked)

	w("\n## Scale of coproduction reached\n\n")
	for _, c := range s.Scales {
		w("- %s: %d\n", c.Scale, c.Partnerships)
	}
	w("- none: %d\n", s.NoScale)

	w("\n## What holds partnerships back\n\n")
	rows := 0
	for _, c := range s.Criteria {
		if c.Blocking+c.Inconclusive == 0 {
			continue
		}
		if rows == 0 {
			w("| Criterion | Aspect | Blocks | Blocking | Inconclusive |\n|---|---|---|---|---|\n")
		}
		rows++
		w("| `%s` | %s | %s | %d | %d |\n", c.Criterion, c.Aspect, c.Rung, c.Blocking, c.Inconclusive)
	}
	if rows == 0 {
		w("Nothing.\n")
	}
	return b.String()
}
