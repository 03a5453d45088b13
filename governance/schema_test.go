package governance_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/internal/jsonschema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The documents the register reads and writes match the schemas kept in
// the module's schema folder: the register document, its journal lines of
// every record type (keyed, salted, erased) and the Check report.

func schemas(t *testing.T) *jsonschema.Set {
	t.Helper()
	s, err := jsonschema.Load("../schema")
	require.NoError(t, err)
	return s
}

func TestRegisterDocumentMatchesSchema(t *testing.T) {
	s := schemas(t)
	fixed, _ := journaledEveryRecord(t, governance.Options{})
	for name, r := range map[string]*governance.Register{"fixture": fixture(t), "every record": fixed, "empty": governance.NewRegister()} {
		t.Run(name, func(t *testing.T) {
			b, err := json.Marshal(r)
			require.NoError(t, err)
			assert.NoError(t, s.Validate("governance.schema.json", b))
		})
	}
}

func TestCheckReportMatchesSchema(t *testing.T) {
	s := schemas(t)
	report := fixture(t).Check(date(2026, 6, 1))
	require.NotEmpty(t, report.Findings)
	b, err := json.Marshal(report)
	require.NoError(t, err)
	assert.NoError(t, s.Validate("governance-report.schema.json", b))
	kept, err := os.ReadFile("testdata/check.golden.json")
	require.NoError(t, err)
	assert.NoError(t, s.Validate("governance-report.schema.json", kept))
	b, err = json.Marshal(governance.NewRegister().Check(date(2026, 6, 1)))
	require.NoError(t, err)
	assert.NoError(t, s.Validate("governance-report.schema.json", b), "a report with no findings")
}

// journaledEveryRecord is journaled's register with the record types it
// lacks: a reassumption and the end of an acting-for record.
func journaledEveryRecord(t *testing.T, opts governance.Options) (*governance.Register, *bytes.Buffer) {
	t.Helper()
	r, buf := journaled(t, opts)
	require.NoError(t, r.Delegate(governance.Delegation{ID: id("d2"), Parent: id("m"), From: id("council"), To: id("hub"),
		Scope: sc("commission/public-health"), Instrument: "Scheme s.5", TransactionLimit: gbp("5000"), Recorded: date(2025, 4, 10)}))
	require.NoError(t, r.Reassume(governance.Reassumption{Link: id("d2"), By: id("council"), Scope: sc("commission/public-health"),
		At: date(2025, 4, 11), Reason: "taken back for the winter", Recorded: date(2025, 4, 11)}))
	require.NoError(t, r.EndActing(governance.ActingEnd{ActingFor: id("act"), At: date(2025, 4, 12), Reason: "Jane left", Recorded: date(2025, 4, 12)}))
	return r, buf
}

func TestJournalLinesMatchSchema(t *testing.T) {
	s := schemas(t)
	key := &coprod.JournalKey{ID: "k1", Secret: []byte("secret")}
	for name, opts := range map[string]governance.Options{
		"plain":         {},
		"keyed, salted": {Key: key, Rand: strings.NewReader(strings.Repeat("0123456789abcdef", 64))},
	} {
		t.Run(name, func(t *testing.T) {
			_, buf := journaledEveryRecord(t, opts)
			seen := validateLines(t, s, "governance-journal-line.schema.json", buf.Bytes())
			assert.ElementsMatch(t, []string{"party", "mandate", "delegation", "revocation", "reassumption", "activity",
				"activity-revision", "interest", "recusal", "acting-for", "acting-end", "body", "membership"}, seen, "every record type")

			var erased bytes.Buffer
			require.NoError(t, governance.EraseText(bytes.NewReader(buf.Bytes()), &erased, 1))
			require.NotEqual(t, buf.String(), erased.String())
			validateLines(t, s, "governance-journal-line.schema.json", erased.Bytes())
		})
	}
}

// validateLines validates every line of a journal and returns the record
// types seen.
func validateLines(t *testing.T, s *jsonschema.Set, schema string, journal []byte) []string {
	t.Helper()
	var seen []string
	sc := bufio.NewScanner(bytes.NewReader(journal))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		assert.NoError(t, s.Validate(schema, sc.Bytes()), "line %d: %s", n, sc.Text())
		var env struct{ Type string }
		require.NoError(t, json.Unmarshal(sc.Bytes(), &env))
		if !slices.Contains(seen, env.Type) {
			seen = append(seen, env.Type)
		}
	}
	require.NoError(t, sc.Err())
	return seen
}
