package assessment_test

import (
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRubricValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*assessment.Rubric)
		want error
	}{
		{"default", func(*assessment.Rubric) {}, nil},
		{"no name", func(r *assessment.Rubric) { r.Name = "" }, assessment.ErrInvalidRubric},
		{"no version", func(r *assessment.Rubric) { r.Version = "" }, assessment.ErrInvalidRubric},
		{"no rungs", func(r *assessment.Rubric) { r.Ladder.Rungs = nil }, assessment.ErrInvalidRubric},
		{"repeated rung", func(r *assessment.Rubric) { r.Ladder.Rungs[1].ID = r.Ladder.Rungs[0].ID }, assessment.ErrInvalidRubric},
		{"influence off the scale", func(r *assessment.Rubric) { r.Crosswalk[0].Rungs[0].Influence = 7 }, assessment.ErrInvalidRubric},
		{"repeated framework", func(r *assessment.Rubric) { r.Crosswalk[1] = r.Crosswalk[0] }, assessment.ErrInvalidRubric},
		{"criterion off the ladder", func(r *assessment.Rubric) { r.Criteria[0].Rung = "delegated-power" }, assessment.ErrInvalidRubric},
		{"repeated criterion", func(r *assessment.Rubric) { r.Criteria[1].ID = r.Criteria[0].ID }, assessment.ErrInvalidRubric},
		{"no aspect", func(r *assessment.Rubric) { r.Criteria[0].Aspect = "" }, assessment.ErrInvalidRubric},
		{"no requirements", func(r *assessment.Rubric) { r.Criteria[0].Needs = nil }, assessment.ErrInvalidRubric},
		{"unknown probe", func(r *assessment.Rubric) { r.Criteria[0].Needs[0].Probe = "no-such-probe" }, assessment.ErrUnknownProbe},
		{"want not-available", func(r *assessment.Rubric) { r.Criteria[0].Needs[0].Want = assessment.NotAvailable }, assessment.ErrInvalidRubric},
		{"undefined scale", func(r *assessment.Rubric) { r.Scales[0].Scale = "city" }, assessment.ErrInvalidRubric},
		{"threshold above one", func(r *assessment.Rubric) { r.Thresholds.FormalShare = decimal.NewFromInt(2) }, assessment.ErrInvalidRubric},
		{"negative threshold", func(r *assessment.Rubric) { r.Thresholds.CostCoverage = decimal.NewFromInt(-1) }, assessment.ErrInvalidRubric},
		{"text too long", func(r *assessment.Rubric) { r.Criteria[0].Doc = string(make([]byte, assessment.MaxTextLen+1)) }, assessment.ErrInvalidRubric},
		{"too many criteria", func(r *assessment.Rubric) {
			for len(r.Criteria) <= assessment.MaxCriteria {
				c := r.Criteria[0]
				c.ID = "c" + decimal.NewFromInt(int64(len(r.Criteria))).String()
				r.Criteria = append(r.Criteria, c)
			}
		}, assessment.ErrInvalidRubric},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := assessment.DefaultRubric()
			tt.edit(&r)
			err := r.Validate()
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			_, aerr := assessment.Assess(r, assessment.Input{At: at})
			assert.ErrorIs(t, aerr, tt.want, "Assess validates too")
		})
	}
}

func TestFingerprint(t *testing.T) {
	a, b := assessment.DefaultRubric(), assessment.DefaultRubric()
	assert.Equal(t, a.Fingerprint(), b.Fingerprint())
	assert.Len(t, a.Fingerprint(), 64)

	b.Thresholds.FormalShare = decimal.RequireFromString("0.80")
	assert.Equal(t, a.Fingerprint(), b.Fingerprint(), "0.80 is 0.8")

	c := a.Clone()
	c.Criteria[0].Needs[0].Want = assessment.False
	assert.NotEqual(t, a.Fingerprint(), c.Fingerprint(), "an edited copy")
	assert.Equal(t, assessment.True, a.Criteria[0].Needs[0].Want, "Clone leaves the original alone")

	d := a.Clone()
	d.Crosswalk[0].Rungs[5].Influence = assessment.InfluenceSharedDelivery
	assert.NotEqual(t, a.Fingerprint(), d.Fingerprint(), "an overridden crosswalk")

	res, err := assessment.Assess(c, assessment.Input{At: at})
	require.NoError(t, err)
	assert.Equal(t, c.Fingerprint(), res.Rubric.Fingerprint)
	assert.Equal(t, c.Name, res.Rubric.Name)
}

func TestFreshCopies(t *testing.T) {
	r := assessment.DefaultRubric()
	r.Criteria[0].ID = "changed"
	r.Ladder.Rungs[0].Name = "changed"
	assert.NotEqual(t, "changed", assessment.DefaultRubric().Criteria[0].ID)
	f := assessment.TLAP()
	f.Rungs[0].Name = "changed"
	assert.Equal(t, "Coercion", assessment.TLAP().Rungs[0].Name)
	p := assessment.Probes()
	p[0].Name = "changed"
	assert.NotEqual(t, "changed", assessment.Probes()[0].Name)
}

func TestFrameworks(t *testing.T) {
	lens := map[string]int{assessment.FrameworkTLAP: 7, assessment.FrameworkArnstein: 8, assessment.FrameworkIAP2: 5}
	for _, f := range assessment.Frameworks() {
		assert.Len(t, f.Rungs, lens[f.ID], f.ID)
		assert.NotEmpty(t, f.Source)
		for i, r := range f.Rungs {
			assert.NotEmpty(t, r.Definition, r.ID)
			assert.True(t, r.Influence.Valid())
			if i > 0 {
				assert.GreaterOrEqual(t, r.Influence, f.Rungs[i-1].Influence, "the crosswalk never falls going up %s", f.ID)
			}
		}
	}
	// The crosswalk of DOMAIN.md §2.
	at := func(f assessment.Framework, i assessment.Influence) string { r, _, _ := f.At(i); return r.ID }
	assert.Equal(t, "placation", at(assessment.Arnstein(), assessment.InfluenceSome))
	assert.Equal(t, "collaborate", at(assessment.IAP2(), assessment.InfluenceSharedDelivery))
	assert.Equal(t, "citizen-control", at(assessment.Arnstein(), assessment.InfluenceCommunityDecides))
	_, _, ok := assessment.IAP2().At(assessment.InfluenceNone)
	assert.False(t, ok, "IAP2 has no rung for no influence")
	assert.Len(t, assessment.Cos(), 4)
	assert.Len(t, assessment.Scales(), 3)
	assert.Len(t, assessment.Units(), 3)
	assert.Len(t, assessment.Principles(), 6)
	assert.Equal(t, "Influence(9)", assessment.Influence(9).String())
}

func TestInvalidInput(t *testing.T) {
	r := assessment.DefaultRubric()
	for name, in := range map[string]assessment.Input{
		"no time":               {},
		"undefined unit":        {At: at, Unit: "team"},
		"period after the time": {At: at, Period: coprod.Window{NotBefore: at.AddDate(0, 1, 0)}},
		"inverted period":       {At: at, Period: coprod.Window{NotBefore: at, Expires: t0}},
	} {
		_, err := assessment.Assess(r, in)
		assert.ErrorIs(t, err, assessment.ErrInvalidInput, name)
		assert.Equal(t, coprod.Code("INVALID_INPUT"), coprod.CodeOf(err), name)
	}
}

// A rung is reached only when every criterion at and below it holds: a
// criterion met high up does not lift a level blocked lower down.
func TestGating(t *testing.T) {
	p := wandsworth(t)
	p.activities[2].Cos = append(p.activities[2].Cos, "co-assessment") // co-assessment met…
	res := assess(t, p, assessment.DefaultRubric())
	for _, c := range res.Criteria {
		if c.ID == "co-assessment" {
			assert.Equal(t, assessment.Met, c.Status)
		}
	}
	assert.Equal(t, "engagement", res.Level.Rung, "…but money-formal still blocks co-design")
	require.NotNil(t, res.Lock)
	assert.Equal(t, assessment.LockByGovernance, res.Lock.Kind)
	assert.Equal(t, []string{"money-formal"}, res.Lock.Criteria)
	assert.Equal(t, "co-design", res.Practice.Rung)

	// Mend the money and the lock moves up to co-production's blockers.
	p.txs = p.txs[1:]
	res = assess(t, p, assessment.DefaultRubric())
	assert.Equal(t, "co-design", res.Level.Rung)
	assert.Nil(t, res.Lock, "ceiling and practice agree")
	assert.Equal(t, assessment.CoScoreMax-1, res.CoAssessment.Score)

	// A lock the other way round: governance allows more than is practised.
	res = assess(t, partnership{}, assessment.DefaultRubric())
	require.NotNil(t, res.Lock)
	assert.Equal(t, assessment.LockByPractice, res.Lock.Kind)
	assert.Equal(t, []string{"community-recorded"}, res.Lock.Criteria)
}
