package assessment_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/internal/jsonschema"
	"github.com/coprod/coprod/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// results are real outputs: the partnership's, an empty partnership's,
// and one with no records at all.
func results(t *testing.T) map[string]assessment.Result {
	t.Helper()
	reg, l := wandsworth(t).build(t, nil)
	out := map[string]assessment.Result{}
	for name, in := range map[string]assessment.Input{
		"wandsworth": {Register: reg, Ledger: l, At: at},
		"empty":      {Register: governance.NewRegister(), Ledger: ledger.New(ledger.Options{}), At: at},
		"no records": {At: at, Period: wandsworthPeriod},
	} {
		res, err := assessment.Assess(assessment.DefaultRubric(), in)
		require.NoError(t, err)
		out[name] = res
	}
	return out
}

var wandsworthPeriod = coprod.Window{NotBefore: t0, Expires: at}

func TestResultMatchesSchema(t *testing.T) {
	s, err := jsonschema.Load("../schema")
	require.NoError(t, err)
	for _, golden := range []string{"testdata/wandsworth.json", "testdata/empty.json", "testdata/evidence.json"} {
		b, err := os.ReadFile(golden)
		require.NoError(t, err)
		assert.NoError(t, s.Validate("assessment.schema.json", b), golden)
	}
	for name, res := range results(t) {
		b, err := res.JSON()
		require.NoError(t, err)
		assert.NoError(t, s.Validate("assessment.schema.json", b), name)
	}
	// The schema refuses what the package never writes.
	b, err := os.ReadFile("testdata/wandsworth.json")
	require.NoError(t, err)
	for _, bad := range []struct{ from, to string }{
		{`"outcome": "true"`, `"outcome": "yes"`},
		{`"schema": "coprod.assessment/v1"`, `"schema": "coprod.assessment/v0"`},
		{`"unit": "organisation"`, `"unit": "organization"`},
	} {
		doc := strings.Replace(string(b), bad.from, bad.to, 1)
		require.NotEqual(t, string(b), doc, bad.from)
		assert.Error(t, s.Validate("assessment.schema.json", []byte(doc)), bad.to)
	}
}

func TestResultRoundTrip(t *testing.T) {
	for name, res := range results(t) {
		t.Run(name, func(t *testing.T) {
			b, err := res.JSON()
			require.NoError(t, err)
			var back assessment.Result
			require.NoError(t, json.Unmarshal(b, &back))
			again, err := back.JSON()
			require.NoError(t, err)
			assert.Equal(t, string(b), string(again))
			assert.Equal(t, res.Markdown(), back.Markdown())
		})
	}
}

func TestResultDecodeRejects(t *testing.T) {
	b, err := os.ReadFile("testdata/wandsworth.json")
	require.NoError(t, err)
	tests := []struct{ name, from, to string }{
		{"another schema", `"schema": "coprod.assessment/v1"`, `"schema": "coprod.assessment/v2"`},
		{"an undefined outcome", `"outcome": "true"`, `"outcome": "yes"`},
		{"an undefined unit", `"unit": "organisation"`, `"unit": "nation"`},
		{"an unknown field", `"schema": "coprod.assessment/v1"`, `"schema": "coprod.assessment/v1", "extra": 1`},
		{"a level above its ceiling", `"level": {
    "framework": "tlap",
    "position": 5`, `"level": {
    "framework": "tlap",
    "position": 6`},
		{"a short fingerprint", `"fingerprint": "`, `"fingerprint": "ab`},
		{"a co score off its label", `"score": 3,
      "label": "delegated"`, `"score": 1,
      "label": "delegated"`},
		{"a string for a number", `"influence": 3`, `"influence": "3"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(string(b), tt.from, tt.to, 1)
			require.NotEqual(t, string(b), doc, "the edit applies")
			var res assessment.Result
			assert.ErrorIs(t, json.Unmarshal([]byte(doc), &res), assessment.ErrInvalidResult)
		})
	}
}

func TestRubricDecode(t *testing.T) {
	r := assessment.DefaultRubric()
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var back assessment.Rubric
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, r.Fingerprint(), back.Fingerprint())
	again, err := json.Marshal(back)
	require.NoError(t, err)
	assert.Equal(t, string(b), string(again))

	tests := []struct {
		name, from, to string
		want           error
	}{
		{"no name", `"name":"coprod TLAP default"`, `"name":""`, assessment.ErrInvalidRubric},
		{"an unknown probe", `"probe":"community-parties"`, `"probe":"community-partys"`, assessment.ErrUnknownProbe},
		{"a threshold above one", `"formal_share":"0.8"`, `"formal_share":"1.5"`, assessment.ErrInvalidRubric},
		{"an unknown field", `"version":"1"`, `"version":"1","extra":true`, assessment.ErrInvalidRubric},
		{"a criterion on no rung", `"rung":"educating"`, `"rung":"nowhere"`, assessment.ErrInvalidRubric},
		{"a string for a number", `"influence":0`, `"influence":"0"`, assessment.ErrInvalidRubric},
	}
	for _, tt := range tests {
		t.Run("rejects "+tt.name, func(t *testing.T) {
			doc := strings.Replace(string(b), tt.from, tt.to, 1)
			require.NotEqual(t, string(b), doc, "the edit applies")
			var got assessment.Rubric
			assert.ErrorIs(t, json.Unmarshal([]byte(doc), &got), tt.want)
		})
	}
}

// FuzzRubricDecode: whatever the decoder accepts validates, and encodes
// to a document that decodes to the same rubric.
func FuzzRubricDecode(f *testing.F) {
	b, err := json.Marshal(assessment.DefaultRubric())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"name":"x","version":"1","ladder":{"id":"l","name":"L","rungs":[{"id":"a","name":"A","influence":0}]},"thresholds":{"formal_share":"0","cost_coverage":"0","key_person_share":"0"}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var r assessment.Rubric
		if err := json.Unmarshal(doc, &r); err != nil {
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("decoded a rubric that does not validate: %v", err)
		}
		enc, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back assessment.Rubric
		if err := json.Unmarshal(enc, &back); err != nil {
			t.Fatalf("re-decoding %s: %v", enc, err)
		}
		if back.Fingerprint() != r.Fingerprint() {
			t.Fatalf("round trip changed the rubric: %s", enc)
		}
	})
}
