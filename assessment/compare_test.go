package assessment_test

import (
	"errors"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/internal/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func criteria(bs []assessment.Blocker) []string {
	out := []string{}
	for _, b := range bs {
		out = append(out, b.Criterion)
	}
	return out
}

func TestCompareRecommendationsApplied(t *testing.T) {
	before := assess(t, wandsworth(t), assessment.DefaultRubric())
	after := assess(t, recommended(t), assessment.DefaultRubric())
	c, err := assessment.Compare(before, after)
	require.NoError(t, err)

	assert.Equal(t, criteria(before.Blockers), criteria(c.Lifted), "every blocker lifted")
	assert.Empty(t, c.Appeared)
	assert.Empty(t, after.Blockers)
	assert.Empty(t, after.NextSteps)
	moved := map[string]string{}
	for _, l := range c.Levels {
		moved[string(l.Reading)+"/"+l.Framework] = l.Before.Rung + "→" + l.After.Rung
	}
	assert.Equal(t, map[string]string{
		"level/tlap":         "engagement→co-production",
		"ceiling/tlap":       "engagement→co-production",
		"practice/tlap":      "co-design→co-production",
		"framework/tlap":     "engagement→co-production",
		"framework/arnstein": "placation→partnership",
		"framework/iap2":     "involve→collaborate",
	}, moved)
	require.NotNil(t, c.Scale)
	assert.Equal(t, assessment.ScaleGroup, c.Scale.Before)
	assert.Equal(t, assessment.ScaleCollective, c.Scale.After)
	assert.NotEmpty(t, c.Cos)
	assert.NotEmpty(t, c.Probes)

	js, err := c.JSON()
	require.NoError(t, err)
	golden.Check(t, "testdata/compare.json", string(js))
	golden.Check(t, "testdata/compare.md", c.Markdown())
}

func TestCompare(t *testing.T) {
	base := assess(t, wandsworth(t), assessment.DefaultRubric())
	other := assessment.DefaultRubric()
	other.Thresholds.CostCoverage = other.Thresholds.CostCoverage.Div(coprod.MustParseAmount("2", coprod.Credits).Decimal())
	edited := assess(t, wandsworth(t), other)
	tests := []struct {
		name          string
		before, after assessment.Result
		opts          assessment.CompareOptions
		err           error
		lifted        []string
		appeared      []string
	}{
		{"same result", base, base, assessment.CompareOptions{}, nil, []string{}, []string{}},
		{"reversed", assess(t, recommended(t), assessment.DefaultRubric()), base, assessment.CompareOptions{}, nil, []string{}, criteria(base.Blockers)},
		{"other rubric refused", base, edited, assessment.CompareOptions{}, assessment.ErrRubricMismatch, nil, nil},
		{"other rubric allowed", base, edited, assessment.CompareOptions{AllowRubricChange: true}, nil, []string{"labour-paid"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.opts.Compare(tt.before, tt.after)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				var mm *assessment.RubricMismatchError
				require.True(t, errors.As(err, &mm))
				assert.Equal(t, tt.before.Rubric, mm.Before)
				assert.Equal(t, coprod.Code("RUBRIC_MISMATCH"), coprod.CodeOf(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.lifted, criteria(c.Lifted))
			assert.Equal(t, tt.appeared, criteria(c.Appeared))
			assert.Equal(t, tt.opts.AllowRubricChange && tt.before.Rubric != tt.after.Rubric, c.RubricChanged)
			if tt.name == "same result" {
				assert.Empty(t, c.Levels)
				assert.Empty(t, c.Probes)
				assert.Nil(t, c.Scale)
			}
			again, err := tt.opts.Compare(tt.before, tt.after)
			require.NoError(t, err)
			a, _ := c.JSON()
			b, _ := again.JSON()
			assert.Equal(t, string(a), string(b), "deterministic")
		})
	}
}
