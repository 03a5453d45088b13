package assessment_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func assess(t *testing.T, p partnership, r assessment.Rubric) assessment.Result {
	t.Helper()
	reg, l := p.build(t, nil)
	res, err := assessment.Assess(r, assessment.Input{Register: reg, Ledger: l, At: at})
	require.NoError(t, err)
	return res
}

func byName(res assessment.Result) map[string]assessment.Finding {
	m := map[string]assessment.Finding{}
	for _, f := range res.Findings {
		m[f.Probe] = f
	}
	return m
}

// edits of the partnership, each making one probe answer otherwise.
func without[T any](xs []T, drop func(T) bool) []T {
	return slices.DeleteFunc(slices.Clone(xs), drop)
}

func noTx(ids ...uuid.UUID) func(*partnership) {
	return func(p *partnership) {
		p.txs = without(p.txs, func(tx ledger.Transaction) bool { return slices.Contains(ids, tx.ID) })
	}
}

func empty(p *partnership) { *p = partnership{} }

func communityOnly(role string) func(*partnership) {
	return func(p *partnership) {
		for i, a := range p.activities {
			a.Responsible, a.Accountable, a.Consulted, a.Informed = []uuid.UUID{council}, []uuid.UUID{council}, nil, nil
			if role == "consulted" {
				a.Consulted = []uuid.UUID{temple}
			} else {
				a.Informed = []uuid.UUID{temple}
			}
			p.activities[i] = a
		}
	}
}

func TestProbes(t *testing.T) {
	lowCoverage := assessment.DefaultRubric()
	lowCoverage.Thresholds.CostCoverage = decimal.RequireFromString("0.5")
	tests := []struct {
		probe  string
		name   string
		edit   func(*partnership)
		rubric *assessment.Rubric
		want   assessment.Outcome
	}{
		{"community-parties", "partnership", nil, nil, assessment.True},
		{"community-parties", "empty", empty, nil, assessment.False},
		{"community-in-activity", "partnership", nil, nil, assessment.True},
		{"community-in-activity", "no activities", func(p *partnership) { p.activities = nil }, nil, assessment.False},
		{"community-consulted", "partnership", nil, nil, assessment.True},
		{"community-consulted", "only informed", communityOnly("informed"), nil, assessment.False},
		{"community-decides", "partnership", nil, nil, assessment.True},
		{"community-decides", "only consulted", communityOnly("consulted"), nil, assessment.False},
		{"community-advises-only", "partnership", nil, nil, assessment.False},
		{"community-advises-only", "only consulted", communityOnly("consulted"), nil, assessment.True},
		{"community-advises-only", "no activities", func(p *partnership) { p.activities = nil }, nil, assessment.NotApplicable},
		{"community-holds-authority", "partnership", nil, nil, assessment.True},
		{"community-holds-authority", "no delegation to the hub", func(p *partnership) {
			p.delegations = p.delegations[:1]
			p.txs = without(p.txs, func(tx ledger.Transaction) bool { return tx.Formality.Instrument == id(12) })
		}, nil, assessment.False},
		{"community-holds-authority", "delegation expired", func(p *partnership) {
			p.delegations[1].Window = coprod.Window{Expires: at.Add(-time.Hour)}
			p.txs = without(p.txs, func(tx ledger.Transaction) bool { return tx.Formality.Instrument == id(12) })
		}, nil, assessment.False},
		{"individual-takes-part", "partnership", nil, nil, assessment.True},
		{"individual-takes-part", "only an officer", func(p *partnership) { p.activities[1].Consulted = []uuid.UUID{officer} }, nil, assessment.False},
		{"authority-held-personally", "partnership", nil, nil, assessment.False},
		{"authority-held-personally", "delegated to the hub's director", func(p *partnership) {
			p.delegations = append(p.delegations, governance.Delegation{ID: id(15), Parent: id(10), From: council, To: director,
				Scope: "commission/mental-health/design/panel", Instrument: "Letter"})
		}, nil, assessment.True},
		{"key-person", "partnership", nil, nil, assessment.True},
		{"key-person", "empty", empty, nil, assessment.False},
		{"governance-errors", "partnership", nil, nil, assessment.False},
		{"governance-errors", "an activity with no one accountable", func(p *partnership) { p.activities[0].Accountable = nil }, nil, assessment.True},
		{"money-to-community", "partnership", nil, nil, assessment.True},
		{"money-to-community", "no money", noTx(id(40), id(41), id(42)), nil, assessment.False},
		{"informal-money-to-community", "partnership", nil, nil, assessment.True},
		{"informal-money-to-community", "all formal", noTx(id(40)), nil, assessment.False},
		{"informal-money-to-community", "no money", noTx(id(40), id(41), id(42)), nil, assessment.NotApplicable},
		{"formal-share-to-community", "partnership", nil, nil, assessment.False},
		{"formal-share-to-community", "all formal", noTx(id(40)), nil, assessment.True},
		{"formal-share-to-community", "no money", noTx(id(40), id(41), id(42)), nil, assessment.NotApplicable},
		{"labour-unpaid", "partnership", nil, nil, assessment.True},
		{"labour-unpaid", "no labour", noTx(id(43)), nil, assessment.False},
		{"cost-coverage", "partnership", nil, nil, assessment.False},
		{"cost-coverage", "lower threshold", nil, &lowCoverage, assessment.True},
		{"cost-coverage", "no costs, no labour", noTx(id(42), id(43)), nil, assessment.NotApplicable},
		{"core-funding", "partnership", nil, nil, assessment.True},
		{"core-funding", "no core funding", noTx(id(41)), nil, assessment.False},
		{"core-funding", "no money", noTx(id(40), id(41), id(42)), nil, assessment.NotApplicable},
		{"money-key-person", "partnership: half", nil, nil, assessment.False},
		{"money-key-person", "the officer decides all", noTx(id(41)), nil, assessment.True},
		{"money-key-person", "no statutory money", noTx(id(40), id(41)), nil, assessment.NotApplicable},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.probe] = true
		t.Run(tt.probe+"/"+tt.name, func(t *testing.T) {
			p := wandsworth(t)
			if tt.edit != nil {
				tt.edit(&p)
			}
			r := assessment.DefaultRubric()
			if tt.rubric != nil {
				r = *tt.rubric
			}
			f := byName(assess(t, p, r))[tt.probe]
			assert.Equal(t, tt.want, f.Outcome, f.Reason)
			assert.NotEmpty(t, f.Reason)
			assert.True(t, slices.IsSortedFunc(f.Records, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) }))
		})
	}

	// The per-Co probes, on the partnership: co-assessment is absent.
	t.Run("per Co", func(t *testing.T) {
		m := byName(assess(t, wandsworth(t), assessment.DefaultRubric()))
		want := map[string]assessment.Outcome{
			"activity/co-commissioning": assessment.True, "activity/co-design": assessment.True,
			"activity/co-delivery": assessment.True, "activity/co-assessment": assessment.False,
			"community-decides/co-commissioning": assessment.False, "community-decides/co-design": assessment.True,
			"community-decides/co-delivery": assessment.True, "community-decides/co-assessment": assessment.False,
			"community-authority/co-commissioning": assessment.True, "community-authority/co-design": assessment.True,
			"community-authority/co-delivery": assessment.False, "community-authority/co-assessment": assessment.False,
			"community-advises-only/co-commissioning": assessment.True, "community-advises-only/co-design": assessment.False,
			"community-advises-only/co-delivery": assessment.False, "community-advises-only/co-assessment": assessment.NotApplicable,
		}
		for name, o := range want {
			covered[name] = true
			assert.Equal(t, o, m[name].Outcome, name)
		}
		assert.Contains(t, m["activity/co-assessment"].Records, governance.CoAssessment.ID())
	})

	// Every Check code's probe answers as the register's own report.
	t.Run("check codes", func(t *testing.T) {
		for _, edit := range []func(*partnership){nil, empty, func(p *partnership) { p.activities[0].Accountable = nil }} {
			p := wandsworth(t)
			if edit != nil {
				edit(&p)
			}
			reg, _ := p.build(t, nil)
			report := reg.Check(at)
			m := byName(assess(t, p, assessment.DefaultRubric()))
			for _, c := range assessment.CheckCodes() {
				name := assessment.CheckProbe(c)
				covered[name] = true
				assert.Equal(t, report.Has(c), m[name].Outcome == assessment.True, name)
			}
		}
	})

	for _, p := range assessment.Probes() {
		assert.True(t, covered[p.Name], "probe %s has no test row", p.Name)
		assert.NotEmpty(t, p.Doc, p.Name)
	}
}

func TestProbesWithoutRecords(t *testing.T) {
	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{At: at})
	require.NoError(t, err)
	for _, f := range res.Findings {
		assert.Equal(t, assessment.NotAvailable, f.Outcome, f.Probe)
	}
	reg, _ := wandsworth(t).build(t, nil)
	res, err = assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, At: at})
	require.NoError(t, err)
	m := byName(res)
	assert.Equal(t, assessment.NotAvailable, m["money-to-community"].Outcome)
	assert.Equal(t, assessment.True, m["community-parties"].Outcome)
}

// Records made after the time assessed are not seen: the register through
// AsOf, the ledger through MetricsAsOf, so that a back-dated payment or a
// later reversal leaves the answer as known then unchanged.
func TestAsKnownAt(t *testing.T) {
	p := wandsworth(t)
	p.activities = append(p.activities, governance.Activity{ID: id(33), Name: "Review panel", Scope: "commission/mental-health",
		Cos: []governance.Co{governance.CoAssessment}, Responsible: []uuid.UUID{temple}, Accountable: []uuid.UUID{council},
		Recorded: at.Add(time.Hour)})
	reg, l := p.build(t, nil)
	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, Ledger: l, At: at})
	require.NoError(t, err)
	assert.Equal(t, assessment.False, byName(res)["activity/co-assessment"].Outcome, "recorded after the time assessed")
	later, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, Ledger: l, At: at.Add(2 * time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, assessment.True, byName(later)["activity/co-assessment"].Outcome)
	before, err := res.JSON()
	require.NoError(t, err)

	// A back-dated payment made at one person's discretion, and a
	// reversal of the formal core funding, both recorded after the time
	// assessed.
	a := coprod.MustParseAmount("500", coprod.GBP)
	_, err = l.Post(ledger.Transaction{ID: id(44), Kind: ledger.Grant, Effective: at.AddDate(0, -1, 0), Recorded: at.Add(time.Hour),
		Postings:  []ledger.Posting{{Account: id(20), Amount: a.Neg()}, {Account: id(21), Amount: a}},
		Formality: ledger.Formality{DecidedBy: officer}})
	require.NoError(t, err)
	_, err = l.Reverse(ledger.ReversalRequest{ID: id(45), Of: id(41), By: council, Reason: "withdrawn",
		Effective: at.Add(time.Hour), Recorded: at.Add(time.Hour)})
	require.NoError(t, err)
	res, err = assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, Ledger: l, At: at})
	require.NoError(t, err)
	f := byName(res)["money-to-community"]
	assert.Equal(t, assessment.True, f.Outcome, f.Reason)
	assert.Empty(t, res.Inconclusive)
	after, err := res.JSON()
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "the same answer as before the later records")

	// Assessed after them, both count: the core funding is gone and the
	// back-dated payment is discretionary.
	res, err = assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, Ledger: l, At: at.Add(2 * time.Hour)})
	require.NoError(t, err)
	m := byName(res)
	assert.Equal(t, assessment.False, m["core-funding"].Outcome, m["core-funding"].Reason)
	assert.Contains(t, m["informal-money-to-community"].Records, id(44))

	// Money effective after the period ends does not count.
	res, err = assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, Ledger: l, At: at.Add(2 * time.Hour),
		Period: coprod.Window{NotBefore: t0, Expires: t0.AddDate(0, 1, 0)}})
	require.NoError(t, err)
	assert.Equal(t, assessment.False, byName(res)["money-to-community"].Outcome)
}
