package assessment_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/internal/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// variant is one synthetic partnership of a programme: the report's
// partnership with what its community parties hold changed, so that
// levels, ceilings, practices, locks and scales differ.
type variant struct {
	name     string
	edit     func(*partnership)
	base     func(testing.TB) partnership
	noLedger bool // the money probes cannot answer: criteria inconclusive
}

func variants() []variant {
	return []variant{
		// Engagement, practice at co-design, locked by governance; group.
		{name: "wandsworth"},
		// Co-production, unlocked; collective.
		{name: "recommended", base: recommended},
		// Coercion, locked by practice; no scale, no rung on IAP2.
		{name: "empty", edit: empty},
		// Educating: community parties recorded, in no activity.
		{name: "no activities", edit: func(p *partnership) { p.activities = nil }},
		// Informing: community parties only informed.
		{name: "informed", edit: communityOnly("informed")},
		// Engagement, unlocked: consulted, paid on discretion.
		{name: "consulted", edit: communityOnly("consulted")},
		// Co-design, unlocked: all money under instruments.
		{name: "all formal", edit: noTx(id(40))},
		// Consultation, locked by governance: an activity with no one
		// accountable.
		{name: "no accountable", edit: func(p *partnership) { p.activities[0].Accountable = nil }},
		// Co-design, locked by practice: no co-assessment panel.
		{name: "no co-assessment", base: recommended, edit: func(p *partnership) { p.activities = p.activities[:3] }},
		// The register without the ledger: money criteria inconclusive.
		{name: "no ledger", noLedger: true},
	}
}

// assessVariant assesses v with rubric r at time when.
func assessVariant(tb testing.TB, v variant, r assessment.Rubric, when time.Time) assessment.Result {
	tb.Helper()
	base := wandsworth
	if v.base != nil {
		base = v.base
	}
	p := base(tb)
	if v.edit != nil {
		v.edit(&p)
	}
	reg, l := p.build(tb, nil)
	in := assessment.Input{Register: reg, Ledger: l, At: when}
	if v.noLedger {
		in.Ledger = nil
	}
	res, err := assessment.Assess(r, in)
	require.NoError(tb, err)
	return res
}

// programme returns n results made with the default rubric: the variants
// assessed at a few times each, repeated in turn.
func programme(tb testing.TB, n int) []assessment.Result {
	tb.Helper()
	var distinct []assessment.Result
	for _, v := range variants() {
		for m := range 3 {
			distinct = append(distinct, assessVariant(tb, v, assessment.DefaultRubric(), at.AddDate(0, m, 0)))
		}
	}
	out := make([]assessment.Result, n)
	for i := range out {
		out[i] = distinct[i%len(distinct)]
	}
	return out
}

// reference is a slow summary kept apart from Summarize: maps keyed by
// rung and criterion, counted the plain way.
type reference struct {
	level, ceiling, practice map[string]int // "" for no rung
	frameworks               map[string]map[string]int
	locks                    map[string]int // "" for unlocked
	scales                   map[assessment.Scale]int
	blocking, inconclusive   map[string]int
}

func referenceOf(results []assessment.Result) reference {
	ref := reference{level: map[string]int{}, ceiling: map[string]int{}, practice: map[string]int{},
		frameworks: map[string]map[string]int{}, locks: map[string]int{}, scales: map[assessment.Scale]int{},
		blocking: map[string]int{}, inconclusive: map[string]int{}}
	for _, res := range results {
		ref.level[res.Level.Rung]++
		ref.ceiling[res.Ceiling.Rung]++
		ref.practice[res.Practice.Rung]++
		for _, l := range res.Frameworks {
			if ref.frameworks[l.Framework] == nil {
				ref.frameworks[l.Framework] = map[string]int{}
			}
			ref.frameworks[l.Framework][l.Rung]++
		}
		kind := ""
		if res.Lock != nil {
			kind = res.Lock.Kind
		}
		ref.locks[kind]++
		ref.scales[res.Scale]++
		for _, b := range res.Blockers {
			ref.blocking[b.Criterion]++
		}
		for _, b := range res.Inconclusive {
			ref.inconclusive[b.Criterion]++
		}
	}
	return ref
}

// counts reads a distribution back as a map keyed by rung, "" for no
// rung, leaving out zeros, after checking that it lists every rung of f
// in order.
func counts(t *testing.T, f assessment.Framework, d assessment.Distribution) map[string]int {
	t.Helper()
	require.Equal(t, f.ID, d.Framework)
	require.Len(t, d.Rungs, len(f.Rungs), "every rung listed")
	m := map[string]int{}
	if d.NoRung > 0 {
		m[""] = d.NoRung
	}
	for i, rc := range d.Rungs {
		assert.Equal(t, f.Rungs[i].ID, rc.Rung, "ladder order")
		assert.Equal(t, f.Rungs[i].Name, rc.Name)
		assert.Equal(t, i+1, rc.Position)
		if rc.Partnerships > 0 {
			m[rc.Rung] = rc.Partnerships
		}
	}
	return m
}

func TestSummarizeCounts(t *testing.T) {
	r := assessment.DefaultRubric()
	results := programme(t, 47) // not a multiple of the 30 distinct results
	s, err := assessment.Summarize(r, results)
	require.NoError(t, err)
	ref := referenceOf(results)

	assert.Equal(t, assessment.SummarySchema, s.Schema)
	assert.Equal(t, results[0].Rubric, s.Rubric)
	assert.Equal(t, 47, s.Partnerships)
	assert.Equal(t, at, s.Earliest)
	assert.Equal(t, at.AddDate(0, 2, 0), s.Latest)

	fws := slices.Concat([]assessment.Framework{r.Ladder}, r.Crosswalk)
	require.Len(t, s.Frameworks, len(fws))
	assert.Equal(t, ref.level, counts(t, r.Ladder, s.Frameworks[0]))
	for i, f := range fws {
		assert.Equal(t, ref.frameworks[f.ID], counts(t, f, s.Frameworks[i]), f.ID)
	}
	assert.Equal(t, ref.ceiling, counts(t, r.Ladder, s.Ceiling))
	assert.Equal(t, ref.practice, counts(t, r.Ladder, s.Practice))

	// Counted by hand: each variant three times, then the first five
	// (wandsworth, recommended, empty, no activities, informed) three
	// times more and the sixth (consulted) twice.
	assert.Equal(t, map[string]int{
		"coercion":      6,         // empty
		"educating":     6,         // no activities
		"informing":     6,         // informed
		"consultation":  3 + 3,     // no accountable, no ledger
		"engagement":    6 + 3 + 2, // wandsworth, consulted
		"co-design":     3 + 3,     // all formal, no co-assessment
		"co-production": 6,         // recommended
	}, ref.level)
	assert.Equal(t, 12, s.Frameworks[2].NoRung, "coercion and educating reach no rung on IAP2")

	assert.Equal(t, []assessment.LockCount{
		{Kind: assessment.LockByGovernance, Partnerships: ref.locks[assessment.LockByGovernance]},
		{Kind: assessment.LockByPractice, Partnerships: ref.locks[assessment.LockByPractice]},
	}, s.Locks)
	assert.Equal(t, ref.locks[""], s.Unlocked)
	assert.Equal(t, 47, s.Locks[0].Partnerships+s.Locks[1].Partnerships+s.Unlocked)
	assert.Equal(t, []assessment.ScaleCount{
		{Scale: assessment.ScaleIndividual, Partnerships: ref.scales[assessment.ScaleIndividual]},
		{Scale: assessment.ScaleGroup, Partnerships: ref.scales[assessment.ScaleGroup]},
		{Scale: assessment.ScaleCollective, Partnerships: ref.scales[assessment.ScaleCollective]},
	}, s.Scales)
	assert.Equal(t, ref.scales[""], s.NoScale)

	require.Len(t, s.Criteria, len(r.Criteria), "every criterion listed")
	anyInconclusive := false
	for i, c := range s.Criteria {
		assert.Equal(t, ref.blocking[c.Criterion], c.Blocking, c.Criterion)
		assert.Equal(t, ref.inconclusive[c.Criterion], c.Inconclusive, c.Criterion)
		anyInconclusive = anyInconclusive || c.Inconclusive > 0
		if i > 0 {
			assert.GreaterOrEqual(t, s.Criteria[i-1].Blocking, c.Blocking, "most often blocking first")
		}
	}
	assert.True(t, anyInconclusive, "the fixture has inconclusive criteria")

	js, err := s.JSON()
	require.NoError(t, err)
	golden.Check(t, "testdata/summary.json", string(js))
	golden.Check(t, "testdata/summary.md", s.Markdown())
}

func TestSummarizeMedian(t *testing.T) {
	r := assessment.DefaultRubric()
	byName := map[string]assessment.Result{}
	for _, v := range variants() {
		byName[v.name] = assessVariant(t, v, r, at)
	}
	pick := func(names ...string) []assessment.Result {
		var out []assessment.Result
		for _, n := range names {
			res, ok := byName[n]
			require.True(t, ok, n)
			out = append(out, res)
		}
		return out
	}
	tests := []struct {
		name    string
		results []assessment.Result
		level   string // the median rung on the ladder
		iap2    string // and on IAP2, "" for no rung
	}{
		{"one", pick("wandsworth"), "engagement", "involve"},
		{"odd: the middle", pick("recommended", "empty", "informed"), "informing", "inform"},
		{"odd, repeated rungs", pick("empty", "recommended", "recommended", "all formal", "consulted"), "co-design", "collaborate"},
		{"even: the lower of the middle two", pick("recommended", "empty"), "coercion", ""},
		{"even, four", pick("recommended", "all formal", "informed", "wandsworth"), "engagement", "involve"},
		{"even, middle two equal", pick("empty", "wandsworth", "consulted", "recommended"), "engagement", "involve"},
		{"even, six", pick("empty", "no activities", "informed", "no accountable", "wandsworth", "recommended"), "informing", "inform"},
		{"no rung on IAP2 for most", pick("empty", "no activities", "recommended"), "educating", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := assessment.Summarize(r, tt.results)
			require.NoError(t, err)
			require.NotNil(t, s.Frameworks[0].Median)
			assert.Equal(t, tt.level, s.Frameworks[0].Median.Rung)
			_, i, _ := r.Ladder.Rung(tt.level)
			assert.Equal(t, i+1, s.Frameworks[0].Median.Position)
			assert.Equal(t, r.Ladder.Rungs[i].Name, s.Frameworks[0].Median.Name)
			require.NotNil(t, s.Frameworks[2].Median)
			assert.Equal(t, tt.iap2, s.Frameworks[2].Median.Rung)
			assert.Equal(t, assessment.FrameworkIAP2, s.Frameworks[2].Median.Framework)

			// Against a slow reference: sort the positions, take the
			// lower middle.
			for _, x := range []struct {
				d   assessment.Distribution
				get func(assessment.Result) assessment.Level
			}{
				{s.Frameworks[0], func(res assessment.Result) assessment.Level { return res.Level }},
				{s.Ceiling, func(res assessment.Result) assessment.Level { return res.Ceiling }},
				{s.Practice, func(res assessment.Result) assessment.Level { return res.Practice }},
				{s.Frameworks[1], func(res assessment.Result) assessment.Level { return res.Frameworks[1] }},
			} {
				var ls []assessment.Level
				for _, res := range tt.results {
					ls = append(ls, x.get(res))
				}
				slices.SortFunc(ls, func(a, b assessment.Level) int { return a.Position - b.Position })
				want := ls[(len(ls)-1)/2]
				assert.Equal(t, &want, x.d.Median, x.d.Framework)
			}
		})
	}
}

func TestSummarizeEmpty(t *testing.T) {
	r := assessment.DefaultRubric()
	for _, in := range [][]assessment.Result{nil, {}} {
		s, err := assessment.Summarize(r, in)
		require.NoError(t, err)
		assert.Equal(t, 0, s.Partnerships)
		assert.True(t, s.Earliest.IsZero())
		assert.True(t, s.Latest.IsZero())
		assert.Equal(t, r.Fingerprint(), s.Rubric.Fingerprint)
		require.Len(t, s.Frameworks, 1+len(r.Crosswalk))
		for _, d := range append(slices.Clone(s.Frameworks), s.Ceiling, s.Practice) {
			assert.Nil(t, d.Median, d.Framework)
			assert.Zero(t, d.NoRung)
			assert.NotEmpty(t, d.Rungs, "rungs listed even with no partnerships")
			for _, rc := range d.Rungs {
				assert.Zero(t, rc.Partnerships)
			}
		}
		assert.Len(t, s.Criteria, len(r.Criteria))
		for _, c := range s.Criteria {
			assert.Zero(t, c.Blocking+c.Inconclusive)
		}
		assert.Len(t, s.Locks, 2)
		assert.Len(t, s.Scales, 3)
		js, err := s.JSON()
		require.NoError(t, err)
		golden.Check(t, "testdata/summary-empty.json", string(js))
	}
}

func TestSummarizeRefuses(t *testing.T) {
	r := assessment.DefaultRubric()
	base := assessVariant(t, variants()[0], r, at)
	other := r.Clone()
	other.Version = "2"
	fromOther := assessVariant(t, variants()[0], other, at)

	edit := func(f func(*assessment.Result)) assessment.Result {
		res := base
		res.Frameworks = slices.Clone(base.Frameworks)
		res.Blockers = slices.Clone(base.Blockers)
		f(&res)
		return res
	}
	badRubric := r.Clone()
	badRubric.Ladder.Rungs = nil
	tests := []struct {
		name    string
		rubric  assessment.Rubric
		results []assessment.Result
		err     error
		code    coprod.Code
	}{
		{"another rubric", r, []assessment.Result{base, base, fromOther}, assessment.ErrRubricMismatch, "RUBRIC_MISMATCH"},
		{"another rubric, summarised on it", other, []assessment.Result{fromOther, base}, assessment.ErrRubricMismatch, "RUBRIC_MISMATCH"},
		{"the fingerprint, another version", r, []assessment.Result{base, edit(func(res *assessment.Result) { res.Rubric.Version = "1b" })},
			assessment.ErrRubricMismatch, "RUBRIC_MISMATCH"},
		{"an invalid rubric", badRubric, nil, assessment.ErrInvalidRubric, "INVALID_RUBRIC"},
		{"another schema", r, []assessment.Result{edit(func(res *assessment.Result) { res.Schema = "coprod.assessment/v0" })},
			assessment.ErrInvalidResult, "INVALID_RESULT"},
		{"a rung off the ladder", r, []assessment.Result{edit(func(res *assessment.Result) { res.Ceiling.Rung = "partnership" })},
			assessment.ErrInvalidResult, "INVALID_RESULT"},
		{"a position past the top", r, []assessment.Result{edit(func(res *assessment.Result) { res.Practice.Position = 8 })},
			assessment.ErrInvalidResult, "INVALID_RESULT"},
		{"a crosswalk reading on another framework", r, []assessment.Result{edit(func(res *assessment.Result) { res.Frameworks[1].Framework = "iap2" })},
			assessment.ErrInvalidResult, "INVALID_RESULT"},
		{"a framework missing", r, []assessment.Result{edit(func(res *assessment.Result) { res.Frameworks = res.Frameworks[:2] })},
			assessment.ErrInvalidResult, "INVALID_RESULT"},
		{"level and ladder reading apart", r, []assessment.Result{edit(func(res *assessment.Result) { res.Frameworks[0] = res.Practice })},
			assessment.ErrInvalidResult, "INVALID_RESULT"},
		{"an undefined lock", r, []assessment.Result{edit(func(res *assessment.Result) { res.Lock = &assessment.Lock{Kind: "locked"} })},
			assessment.ErrInvalidResult, "INVALID_RESULT"},
		{"an undefined scale", r, []assessment.Result{edit(func(res *assessment.Result) { res.Scale = "national" })},
			assessment.ErrInvalidResult, "INVALID_RESULT"},
		{"a criterion not in the rubric", r, []assessment.Result{edit(func(res *assessment.Result) { res.Blockers[0].Criterion = "made-up" })},
			assessment.ErrInvalidResult, "INVALID_RESULT"},
		{"a criterion blocking twice", r, []assessment.Result{edit(func(res *assessment.Result) { res.Blockers = append(res.Blockers, res.Blockers[0]) })},
			assessment.ErrInvalidResult, "INVALID_RESULT"},
		{"another unit", r, []assessment.Result{base, edit(func(res *assessment.Result) { res.Unit = assessment.UnitService })},
			assessment.ErrInvalidResult, "INVALID_RESULT"},
		{"a criterion blocking and inconclusive", r, []assessment.Result{edit(func(res *assessment.Result) { res.Inconclusive = res.Blockers[:1] })},
			assessment.ErrInvalidResult, "INVALID_RESULT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := assessment.Summarize(tt.rubric, tt.results)
			require.ErrorIs(t, err, tt.err)
			assert.Equal(t, tt.code, coprod.CodeOf(err))
			assert.Equal(t, assessment.Summary{}, s)
			var mm *assessment.MixedRubricsError
			if !errors.As(err, &mm) {
				assert.NotErrorIs(t, err, assessment.ErrRubricMismatch)
				return
			}
			wantIndex := slices.IndexFunc(tt.results, func(res assessment.Result) bool {
				return res.Rubric.Fingerprint != tt.rubric.Fingerprint() || res.Rubric.Version != tt.rubric.Version
			})
			assert.Equal(t, wantIndex, mm.Index)
			assert.Equal(t, tt.rubric.Fingerprint(), mm.Want.Fingerprint)
			assert.Equal(t, tt.results[wantIndex].Rubric, mm.Got)
			assert.Contains(t, err.Error(), "not "+tt.rubric.Name+" "+tt.rubric.Version)
		})
	}

	// Grouped by rubric, each group summarises on its own.
	for _, g := range []struct {
		r   assessment.Rubric
		res assessment.Result
	}{{r, base}, {other, fromOther}} {
		s, err := assessment.Summarize(g.r, []assessment.Result{g.res})
		require.NoError(t, err)
		assert.Equal(t, g.res.Rubric, s.Rubric)
	}
}

func TestSummarizeOrderDoesNotMatter(t *testing.T) {
	r := assessment.DefaultRubric()
	results := programme(t, 61)
	// The same instant in another zone is the same partnership's time.
	results[5].At = results[5].At.In(time.FixedZone("BST", 3600))
	want, err := assessment.Summarize(r, results)
	require.NoError(t, err)
	wantJS, err := want.JSON()
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		shuffled := slices.Clone(results)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got, err := assessment.Summarize(r, shuffled)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		js, err := got.JSON()
		require.NoError(t, err)
		assert.Equal(t, string(wantJS), string(js))
		assert.Equal(t, want.Markdown(), got.Markdown())
	}
	slices.Reverse(results)
	got, err := assessment.Summarize(r, results)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// Results read back from JSON summarise as the originals do, and the
// summary's own JSON reads back to an equal summary.
func TestSummarizeJSON(t *testing.T) {
	r := assessment.DefaultRubric()
	results := programme(t, 30)
	decoded := make([]assessment.Result, len(results))
	for i, res := range results {
		b, err := res.JSON()
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &decoded[i]))
	}
	want, err := assessment.Summarize(r, results)
	require.NoError(t, err)
	got, err := assessment.Summarize(r, decoded)
	require.NoError(t, err)
	wantJS, err := want.JSON()
	require.NoError(t, err)
	gotJS, err := got.JSON()
	require.NoError(t, err)
	assert.Equal(t, string(wantJS), string(gotJS))

	var back assessment.Summary
	require.NoError(t, json.Unmarshal(wantJS, &back))
	backJS, err := back.JSON()
	require.NoError(t, err)
	assert.Equal(t, string(wantJS), string(backJS))
	assert.Equal(t, want.Markdown(), back.Markdown())
}

// The summary does not keep the caller's results nor share its slices
// with them.
func TestSummarizeKeepsNothing(t *testing.T) {
	r := assessment.DefaultRubric()
	results := programme(t, 12)
	s, err := assessment.Summarize(r, results)
	require.NoError(t, err)
	before, err := s.JSON()
	require.NoError(t, err)
	for i := range results {
		results[i].Blockers = nil
		results[i].Level = assessment.Level{}
	}
	after, err := s.JSON()
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
}

// BenchmarkSummarize merges 1,000 partnerships' results: ten synthetic
// partnerships, each assessed at three times, repeated. Only the merge is
// timed.
func BenchmarkSummarize(b *testing.B) {
	r := assessment.DefaultRubric()
	results := programme(b, 1_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s, err := assessment.Summarize(r, results)
		if err != nil {
			b.Fatal(err)
		}
		if s.Partnerships != len(results) {
			b.Fatal("partnerships lost")
		}
	}
}
