package assessment_test

import (
	"math/rand/v2"
	"testing"

	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/internal/golden"
	"github.com/coprod/coprod/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAssessWandsworthGolden(t *testing.T) {
	reg, l := wandsworth(t).build(t, nil)
	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, Ledger: l, At: at})
	require.NoError(t, err)
	js, err := res.JSON()
	require.NoError(t, err)
	golden.Check(t, "testdata/wandsworth.json", string(js))
	golden.Check(t, "testdata/wandsworth.md", res.Markdown())
}

func TestAssessEmptyPartnershipGolden(t *testing.T) {
	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{
		Register: governance.NewRegister(), Ledger: ledger.New(ledger.Options{}), At: at})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Level.Position, "lowest rung")
	assert.Equal(t, "coercion", res.Level.Rung)
	assert.NotEmpty(t, res.Blockers)
	assert.Empty(t, res.Inconclusive)
	js, err := res.JSON()
	require.NoError(t, err)
	golden.Check(t, "testdata/empty.json", string(js))
	golden.Check(t, "testdata/empty.md", res.Markdown())
}

func TestAssessWithoutRecordsIsInconclusive(t *testing.T) {
	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{At: at})
	require.NoError(t, err)
	assert.Equal(t, "coercion", res.Level.Rung)
	assert.Empty(t, res.Blockers, "nothing is known to fail")
	require.NotEmpty(t, res.Inconclusive)
	for _, b := range res.Inconclusive {
		for _, f := range b.Findings {
			assert.Equal(t, assessment.NotAvailable, f.Outcome, f.Probe)
		}
	}
}

func TestAssessInsertionOrder(t *testing.T) {
	p := wandsworth(t)
	reg, l := p.build(t, nil)
	want, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, Ledger: l, At: at})
	require.NoError(t, err)
	wantJS, err := want.JSON()
	require.NoError(t, err)
	for seed := range uint64(20) {
		reg, l := p.build(t, rand.New(rand.NewPCG(seed, seed)))
		got, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, Ledger: l, At: at})
		require.NoError(t, err)
		gotJS, err := got.JSON()
		require.NoError(t, err)
		require.Equal(t, string(wantJS), string(gotJS), "seed %d", seed)
		require.Equal(t, want.Markdown(), got.Markdown(), "seed %d", seed)
	}
}

func TestLevelIsLowerOfCeilingAndPractice(t *testing.T) {
	reg, l := wandsworth(t).build(t, nil)
	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, Ledger: l, At: at})
	require.NoError(t, err)
	assert.Equal(t, min(res.Ceiling.Position, res.Practice.Position), res.Level.Position)
	if res.Ceiling.Position != res.Practice.Position {
		require.NotNil(t, res.Lock)
		assert.Equal(t, res.Level, res.Lock.At)
		assert.NotEmpty(t, res.Lock.Criteria)
	}
}
