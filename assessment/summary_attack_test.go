package assessment_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAttackSummarizeTamperedReadings: results whose readings contradict
// one another, as no assessment makes them, were counted as they stood:
// a partnership whose ceiling and practice differ counted as unlocked
// (the Summary says Unlocked counts those whose ceiling and practice
// agree), a lock the wrong way round counted under it, a level above
// the ceiling counted as reached, an undefined unit reported as the
// summary's unit.
func TestAttackSummarizeTamperedReadings(t *testing.T) {
	r := assessment.DefaultRubric()
	base := assessVariant(t, variants()[0], r, at) // locked by governance
	require.NotNil(t, base.Lock)
	require.Less(t, base.Ceiling.Position, base.Practice.Position)
	edit := func(f func(*assessment.Result)) assessment.Result {
		res := base
		res.Frameworks = slices.Clone(base.Frameworks)
		f(&res)
		return res
	}
	for _, tt := range []struct {
		name string
		res  assessment.Result
	}{
		{"no lock where ceiling and practice differ", edit(func(res *assessment.Result) { res.Lock = nil })},
		{"a lock the wrong way round", edit(func(res *assessment.Result) {
			l := *res.Lock
			l.Kind = assessment.LockByPractice
			res.Lock = &l
		})},
		{"a level above the ceiling", edit(func(res *assessment.Result) {
			res.Level, res.Frameworks[0] = res.Practice, res.Practice
		})},
		{"an undefined unit", edit(func(res *assessment.Result) { res.Unit = "nation" })},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := assessment.Summarize(r, []assessment.Result{tt.res})
			require.ErrorIs(t, err, assessment.ErrInvalidResult, "summarised as %+v", s.Locks)
			assert.Equal(t, coprod.Code("INVALID_RESULT"), coprod.CodeOf(err))
		})
	}

	// The same through JSON: a document with its lock taken out reads
	// back, and must not then be counted as unlocked.
	b, err := base.JSON()
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(b, &doc))
	delete(doc, "lock")
	b, err = json.Marshal(doc)
	require.NoError(t, err)
	var back assessment.Result
	if err := json.Unmarshal(b, &back); err == nil {
		_, err = assessment.Summarize(r, []assessment.Result{back})
		require.ErrorIs(t, err, assessment.ErrInvalidResult)
	}
}
