package assessment_test

import (
	"os"
	"strings"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/internal/jsonschema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The comparison and the summary the package writes match their schemas
// in the module's schema folder: the golden documents kept in testdata,
// documents made here from assessed partnerships, and not documents
// edited into what the package never writes.

const (
	comparisonSchema = "assessment-comparison.schema.json"
	summarySchema    = "assessment-summary.schema.json"
)

func schemaSet(t *testing.T) *jsonschema.Set {
	t.Helper()
	s, err := jsonschema.Load("../schema")
	require.NoError(t, err)
	return s
}

// edit is a change to a golden document that its schema must refuse:
// the first from replaced by to, and want the violation reported.
type edit struct{ name, from, to, want string }

// refuses applies each edit to the golden file and checks that the schema
// refuses the result for the violation the edit makes, and for that one
// only, after checking that it accepts the file as kept.
func refuses(t *testing.T, s *jsonschema.Set, schema, golden string, edits []edit) {
	t.Helper()
	b, err := os.ReadFile(golden)
	require.NoError(t, err)
	require.NoError(t, s.Validate(schema, b), golden)
	for _, e := range edits {
		t.Run("refuses "+e.name, func(t *testing.T) {
			doc := strings.Replace(string(b), e.from, e.to, 1)
			require.NotEqual(t, string(b), doc, "the edit applies")
			var verr *jsonschema.Error
			require.ErrorAs(t, s.Validate(schema, []byte(doc)), &verr)
			require.Len(t, verr.Violations, 1, "only the edit is refused")
			assert.Contains(t, verr.Violations[0], e.want)
		})
	}
}

func TestComparisonMatchesSchema(t *testing.T) {
	s := schemaSet(t)
	b, err := os.ReadFile("testdata/compare.json")
	require.NoError(t, err)
	assert.NoError(t, s.Validate(comparisonSchema, b), "testdata/compare.json")

	r := assessment.DefaultRubric()
	found := assess(t, wandsworth(t), r)
	applied := assess(t, recommended(t), r)
	other := r.Clone()
	other.Thresholds.CostCoverage = other.Thresholds.CostCoverage.Div(coprod.MustParseAmount("2", coprod.Credits).Decimal())
	edited := assess(t, wandsworth(t), other)
	emptied := assessVariant(t, variant{name: "empty", edit: empty}, r, at)
	all := results(t)
	// A before side with a Co it did not score and a probe it did not
	// answer: Compare writes the Co as absent with no findings, and the
	// probe's outcome before as empty.
	unscored := found
	unscored.Cos = unscored.Cos[1:]
	unscored.Findings = unscored.Findings[1:]

	tests := []struct {
		name          string
		before, after assessment.Result
		want          []string // in the JSON
	}{
		{"recommendations applied", found, applied, []string{`"scale": {`, `"lifted": [
    {`}},
		{"reversed", applied, found, []string{`"appeared": [
    {`}},
		{"same result", found, found, []string{`"levels": []`, `"cos": []`, `"probes": []`}},
		{"rubric changed", found, edited, []string{`"rubric_changed": true`}},
		{"from nothing recorded", emptied, found, []string{`"scale": {
    "before": "",`}},
		{"to no records", all["wandsworth"], all["no records"], []string{`"after": "not-available"`}},
		{"from an empty register", all["empty"], all["wandsworth"], nil},
		{"a Co and a probe not there before", unscored, found, []string{`"findings": null`, `"before": ""`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := assessment.CompareOptions{AllowRubricChange: true}.Compare(tt.before, tt.after)
			require.NoError(t, err)
			js, err := c.JSON()
			require.NoError(t, err)
			for _, w := range tt.want {
				require.Contains(t, string(js), w, "the case covers what it names")
			}
			assert.NoError(t, s.Validate(comparisonSchema, js))
		})
	}

	// The comparison holds no amounts: its numbers are positions, moves
	// and scores, and a number written as a string is refused as an
	// amount written as a number is elsewhere.
	refuses(t, s, comparisonSchema, "testdata/compare.json", []edit{
		{"another schema", `"schema": "coprod.assessment.comparison/v1"`, `"schema": "coprod.assessment.comparison/v2"`,
			`$.schema: "coprod.assessment.comparison/v2" is not "coprod.assessment.comparison/v1"`},
		{"the result's schema", `"schema": "coprod.assessment.comparison/v1"`, `"schema": "coprod.assessment/v1"`,
			`$.schema: "coprod.assessment/v1" is not`},
		{"an unknown field", `"rubric_changed": false,`, `"rubric_changed": false, "extra": 1,`,
			`$: property "extra" is not allowed`},
		{"an unknown field in a side", `"at": "2025-10-01T00:00:00Z",`, `"at": "2025-10-01T00:00:00Z", "unit": "organisation",`,
			`$.before: property "unit" is not allowed`},
		{"a missing field", `"rubric_changed": false,`, ``,
			`$: missing required property "rubric_changed"`},
		{"a move as a string", `"moved": 2`, `"moved": "2"`,
			`$.levels[0].moved: string is not of type integer`},
		{"a fractional move", `"moved": 2`, `"moved": 1.5`,
			`$.levels[0].moved: number is not of type integer`},
		{"an undefined reading", `"reading": "level"`, `"reading": "rung"`,
			`$.levels[0].reading: "rung" is not one of`},
		{"an undefined outcome", `"before": "true"`, `"before": "yes"`,
			`.before: "yes" is not one of`},
		{"an undefined Co", `"co": "co-commissioning"`, `"co": "co-funding"`,
			`$.cos[0].co: "co-funding" is not one of`},
		{"a score off the scale", `"score": 1,`, `"score": 4,`,
			`$.cos[0].before: matches none of oneOf`},
		{"an undefined aspect", `"aspect": "governance"`, `"aspect": "money"`,
			`$.lifted[0].aspect: "money" is not one of`},
		{"a short fingerprint", `"fingerprint": "`, `"fingerprint": "ab`,
			`$.before.rubric.fingerprint: "ab`},
		{"a time without a zone", `"at": "2025-10-01T00:00:00Z"`, `"at": "2025-10-01T00:00:00"`,
			`$.before.at: "2025-10-01T00:00:00" does not match`},
		{"null for a list", `"appeared": []`, `"appeared": null`,
			`$.appeared: null is not of type array`},
	})
}

func TestSummaryMatchesSchema(t *testing.T) {
	s := schemaSet(t)
	for _, golden := range []string{"testdata/summary.json", "testdata/summary-empty.json"} {
		b, err := os.ReadFile(golden)
		require.NoError(t, err)
		assert.NoError(t, s.Validate(summarySchema, b), golden)
	}

	r := assessment.DefaultRubric()
	check := func(t *testing.T, results []assessment.Result) {
		t.Helper()
		sum, err := assessment.Summarize(r, results)
		require.NoError(t, err)
		js, err := sum.JSON()
		require.NoError(t, err)
		assert.NoError(t, s.Validate(summarySchema, js))
	}
	t.Run("no partnerships", func(t *testing.T) { check(t, nil) })
	t.Run("a programme", func(t *testing.T) { check(t, programme(t, 30)) })
	// Each variant alone: its median on every framework, a median with no
	// rung (the empty partnership's on IAP2), criteria inconclusive (no
	// ledger), each lock kind and no lock.
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			check(t, []assessment.Result{assessVariant(t, v, r, at)})
		})
	}

	// The summary holds no amounts: its numbers are counts and positions,
	// and a count written as a string is refused as an amount written as
	// a number is elsewhere.
	refuses(t, s, summarySchema, "testdata/summary.json", []edit{
		{"another schema", `"schema": "coprod.assessment.summary/v1"`, `"schema": "coprod.assessment.summary/v2"`,
			`$.schema: "coprod.assessment.summary/v2" is not "coprod.assessment.summary/v1"`},
		{"the result's schema", `"schema": "coprod.assessment.summary/v1"`, `"schema": "coprod.assessment/v1"`,
			`$.schema: "coprod.assessment/v1" is not`},
		{"an unknown field", `"partnerships": 47,`, `"partnerships": 47, "mean": "4.1",`,
			`$: property "mean" is not allowed`},
		{"an unknown field in a lock count", `"kind": "governance-below-practice",`, `"kind": "governance-below-practice", "share": "0.1",`,
			`$.locks[0]: property "share" is not allowed`},
		{"a missing field", `"no_scale": 12,`, ``,
			`$: missing required property "no_scale"`},
		{"a count as a string", `"partnerships": 47`, `"partnerships": "47"`,
			`$.partnerships: string is not of type integer`},
		{"a negative count", `"no_rung": 0`, `"no_rung": -1`,
			`$.frameworks[0].no_rung: -1 is below the minimum 0`},
		{"a fractional count", `"partnerships": 47`, `"partnerships": 47.5`,
			`$.partnerships: number is not of type integer`},
		{"a rung at position 0", `"position": 1,`, `"position": 0,`,
			`$.frameworks[0].rungs[0].position: 0 is below the minimum 1`},
		{"an undefined unit", `"unit": "organisation"`, `"unit": "organization"`,
			`$.unit: "organization" is not one of`},
		{"an undefined lock kind", `"kind": "governance-below-practice"`, `"kind": "governance"`,
			`$.locks[0].kind: "governance" is not one of`},
		{"an undefined scale", `"scale": "individual"`, `"scale": "household"`,
			`$.scales[0].scale: "household" is not one of`},
		{"an undefined aspect", `"aspect": "practice"`, `"aspect": "money"`,
			`.aspect: "money" is not one of`},
		{"a median off the influence scale", `"influence": 2`, `"influence": 7`,
			`$.frameworks[0].median.influence: 7 is not one of`},
		{"a time without a zone", `"earliest": "2025-10-01T00:00:00Z"`, `"earliest": "2025-10-01"`,
			`$.earliest: "2025-10-01" does not match`},
		{"a median that is not a level", `"median": {
        "framework": "tlap",
        "position": 4,
        "rung": "consultation",
        "name": "Consultation",
        "influence": 2
      }`, `"median": "consultation"`,
			`$.frameworks[0].median: string is not of type object`},
	})
	refuses(t, s, summarySchema, "testdata/summary-empty.json", []edit{
		{"null for a list", `"locks": [
    {
      "kind": "governance-below-practice",
      "partnerships": 0
    },
    {
      "kind": "practice-below-governance",
      "partnerships": 0
    }
  ]`, `"locks": null`, `$.locks: null is not of type array`},
		{"a missing count", `"partnerships": 0,`, ``, `$: missing required property "partnerships"`},
	})
}
