package main

import (
	"bytes"
	"io"
	"testing"

	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/internal/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOutput(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	golden.Check(t, "testdata/output.golden", out.String())
}

// TestStory holds the story to what it claims, whatever the exact figures:
// the level as found is locked by governance, with no co-assessment and
// authority resting on the director; the recommendations raise it and lift
// those blockers.
func TestStory(t *testing.T) {
	before, after, err := tell(io.Discard)
	require.NoError(t, err)

	require.NotNil(t, before.Lock)
	assert.Equal(t, assessment.LockByGovernance, before.Lock.Kind)
	assert.Equal(t, 0, before.CoAssessment.Score, "no co-assessment as found")
	assert.Contains(t, blockers(before), "no-key-person")
	assert.Contains(t, blockers(before), "labour-paid")

	assert.Greater(t, after.Level.Position, before.Level.Position)
	assert.Positive(t, after.CoAssessment.Score)
	c, err := assessment.Compare(before, after)
	require.NoError(t, err)
	var lifted []string
	for _, b := range c.Lifted {
		lifted = append(lifted, b.Criterion)
	}
	for _, want := range []string{"co-assessment", "delivery-authority-delegated", "labour-paid", "no-key-person"} {
		assert.Contains(t, lifted, want)
	}
	assert.Empty(t, c.Appeared)
}

func blockers(r assessment.Result) []string {
	var ids []string
	for _, b := range r.Blockers {
		ids = append(ids, b.Criterion)
	}
	return ids
}
