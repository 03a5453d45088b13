package ledger_test

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
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The ledger's journal lines, of every record type, in version 1 and 2
// forms, keyed, salted and erased, and the proofs it keeps, match the
// schemas kept in the module's schema folder.

func schemas(t *testing.T) *jsonschema.Set {
	t.Helper()
	s, err := jsonschema.Load("../schema")
	require.NoError(t, err)
	return s
}

// authorisedLedger records through a governance register: a formal grant
// with an approval and a proof whose mandate carries a cumulative limit,
// and a discretionary payment a director makes for the hub, whose proof
// carries only the acting-for record.
func authorisedLedger(t *testing.T, opts ledger.Options) *ledger.Ledger {
	t.Helper()
	reg := governance.NewRegister()
	for _, p := range []coprod.Party{
		{ID: council, Name: "Borough Council", Sector: coprod.Statutory},
		{ID: hub, Name: "Community Hub", Sector: coprod.Hub},
		{ID: temple, Name: "Temple", Sector: coprod.Community},
		{ID: officer, Name: "Officer", Sector: coprod.Individual},
		{ID: director, Name: "Director", Sector: coprod.Individual},
	} {
		require.NoError(t, reg.AddParty(p))
	}
	require.NoError(t, reg.AddMandate(governance.Mandate{ID: id("m"), Holder: council, Scope: "commission", MaxDepth: 1,
		CumulativeLimit: gbp("100000"), Period: governance.PeriodFinancialYear}))
	require.NoError(t, reg.Delegate(governance.Delegation{ID: id("d"), Parent: id("m"), From: council, To: officer,
		Scope: "commission/mental-health", TransactionLimit: gbp("20000"), CumulativeLimit: gbp("50000"), Period: governance.PeriodFinancialYear}))
	require.NoError(t, reg.ActFor(governance.ActingFor{ID: id("act"), Person: director, For: hub, Role: governance.RoleDirector}))
	opts.Authorizer = reg
	l := newLedger(t, opts)
	grant := pay("s-grant", "council-budget", "hub-cash", "5000", ledger.Grant, officer, id("d"), day(2025, 5, 1))
	grant.Formality.Approvers = []ledger.Approval{{Party: council, At: day(2025, 4, 30), Ref: "minute 12"}}
	_, err := l.Post(grant)
	require.NoError(t, err)
	_, err = l.Post(pay("s-goodwill", "hub-cash", "temple-cash", "100", ledger.Payment, director, uuid.Nil, day(2025, 5, 2)))
	require.NoError(t, err)
	_, err = l.ClosePeriod(ledger.Closing{Through: day(2025, 4, 1), Recorded: day(2025, 5, 3), By: council, Reason: "year end"})
	require.NoError(t, err)
	return l
}

func TestJournalLinesMatchSchema(t *testing.T) {
	s := schemas(t)
	key := &coprod.JournalKey{ID: "k-2025", Secret: []byte("secret")}
	for name, opts := range map[string]ledger.Options{
		"plain":         {},
		"keyed, salted": {Key: key, Rand: strings.NewReader(strings.Repeat("0123456789abcdef", 256))},
	} {
		t.Run(name, func(t *testing.T) {
			var j bytes.Buffer
			opts.Journal = &j
			history(t, newLedger(t, opts))
			seen := validateLines(t, s, j.Bytes())

			var authorised bytes.Buffer
			opts.Journal = &authorised
			authorisedLedger(t, opts)
			seen = append(seen, validateLines(t, s, authorised.Bytes())...)
			assert.Subset(t, seen, []string{"account", "transaction", "hold", "resolution", "closing"}, "every record type")

			for _, line := range []int{1, 6, 7} { // an account, a transaction with memo and metadata, one with a proof
				var erased bytes.Buffer
				require.NoError(t, ledger.EraseText(bytes.NewReader(authorised.Bytes()), &erased, line))
				validateLines(t, s, erased.Bytes())
			}
		})
	}
	t.Run("version 1", func(t *testing.T) {
		v1, err := os.ReadFile("testdata/journal-v1.jsonl")
		require.NoError(t, err)
		require.False(t, bytes.Contains(v1, []byte(`"v":`)))
		validateLines(t, s, v1)
	})
}

func TestProofMatchesSchema(t *testing.T) {
	s := schemas(t)
	l := authorisedLedger(t, ledger.Options{})
	n := 0
	for tx := range l.Transactions() {
		if tx.Proof == nil {
			continue
		}
		b, err := json.Marshal(tx.Proof)
		require.NoError(t, err)
		assert.NoError(t, s.Validate("proof.schema.json", b), "%s", b)
		n++
	}
	assert.Equal(t, 2, n, "a proof with a path and one with only acting-for")
}

// validateLines validates every line of a ledger journal and returns the
// record types seen.
func validateLines(t *testing.T, s *jsonschema.Set, journal []byte) []string {
	t.Helper()
	var seen []string
	sc := bufio.NewScanner(bytes.NewReader(journal))
	sc.Buffer(nil, ledger.MaxJournalLine)
	for n := 1; sc.Scan(); n++ {
		assert.NoError(t, s.Validate("ledger-journal-line.schema.json", sc.Bytes()), "line %d: %s", n, sc.Text())
		var env struct{ Type string }
		require.NoError(t, json.Unmarshal(sc.Bytes(), &env))
		if !slices.Contains(seen, env.Type) {
			seen = append(seen, env.Type)
		}
	}
	require.NoError(t, sc.Err())
	return seen
}
