package ledger_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// txLines returns, for each transaction line of a journal, its seq and
// its record's proof fields: whether it holds a proof in full, and the
// line it names in place of one (0 for none), by transaction ID.
func txLines(t *testing.T, journal []byte) map[string]struct{ seq, ref int } {
	t.Helper()
	out := map[string]struct{ seq, ref int }{}
	sc := bufio.NewScanner(bytes.NewReader(journal))
	sc.Buffer(nil, ledger.MaxJournalLine)
	for sc.Scan() {
		var line struct {
			Seq    int
			Type   string
			Record struct {
				ID       string
				Proof    json.RawMessage
				ProofRef *int `json:"proof_ref"`
			}
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &line))
		if line.Type != "transaction" {
			continue
		}
		r := line.Record
		require.False(t, r.Proof != nil && r.ProofRef != nil, "line %d holds a proof and names a line", line.Seq)
		ref := 0
		if r.ProofRef != nil {
			ref = *r.ProofRef
		}
		out[r.ID] = struct{ seq, ref int }{line.Seq, ref}
	}
	require.NoError(t, sc.Err())
	return out
}

// TestJournalNamesTheLineOfARepeatedProof: a transaction whose proof
// reads as one an earlier transaction line holds in full names that line
// instead of writing the proof again; replay reads every record back
// with the proof it was made under, and a ledger continued after replay
// names the lines of the journal it continues.
func TestJournalNamesTheLineOfARepeatedProof(t *testing.T) {
	link := coprod.ProofLink{ID: id("d"), From: council, To: officer, Scope: "commission"}
	auth := proofByDay{
		"p1": {Path: []coprod.ProofLink{link}},
		"p2": {Path: []coprod.ProofLink{link}, Acting: []coprod.ProofActing{{ID: id("act"), Person: officer, For: council}}},
		"p3": {Path: []coprod.ProofLink{link}},                                                                               // reads as p1
		"p4": {Path: []coprod.ProofLink{link}, Acting: []coprod.ProofActing{{ID: id("act"), Person: officer, For: council}}}, // reads as p2
	}
	var journal bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &journal})
	post := func(l *ledger.Ledger, name, proof string) {
		t.Helper()
		d := int(proof[1] - '0')
		_, err := l.Post(pay(name, "council-budget", "hub-cash", "10", ledger.Grant, officer, id("d"), day(2025, 5, d)))
		require.NoError(t, err)
	}
	post(l, "a", "p1")
	post(l, "b", "p1")
	post(l, "c", "p2")
	post(l, "d", "p3")
	// A retry writes nothing.
	post(l, "d", "p3")

	lines := txLines(t, journal.Bytes())
	a, b, c, d := lines[id("a").String()], lines[id("b").String()], lines[id("c").String()], lines[id("d").String()]
	assert.Zero(t, a.ref, "the first line under a proof holds it in full")
	assert.Equal(t, a.seq, b.ref, "a repeated proof names the line that holds it")
	assert.Zero(t, c.ref, "another proof is written in full")
	assert.Equal(t, a.seq, d.ref, "a proof that reads the same names the first line that holds it")
	validateLines(t, schemas(t), journal.Bytes())

	want := proofsOf(t, l)
	require.Contains(t, want, `"acting"`, "the test's proofs differ")

	// Continue the journal from a replay: the new line names the line the
	// first ledger wrote.
	replayed, err := ledger.Replay(bytes.NewReader(bytes.Clone(journal.Bytes())), ledger.Options{Authorizer: auth, Journal: &journal})
	require.NoError(t, err)
	assert.Equal(t, state(t, l), state(t, replayed))
	assert.Equal(t, want, proofsOf(t, replayed))
	post(replayed, "e", "p4")
	lines = txLines(t, journal.Bytes())
	assert.Equal(t, c.seq, lines[id("e").String()].ref)

	again, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{Authorizer: auth})
	require.NoError(t, err)
	assert.Equal(t, state(t, replayed), state(t, again))
	assert.Equal(t, proofsOf(t, replayed), proofsOf(t, again))
	head, err := ledger.Verify(bytes.NewReader(journal.Bytes()), nil)
	require.NoError(t, err)
	assert.Equal(t, replayed.Head(), head)
}

// TestJournalNamesOnlyLinesWritten: a record refused at the journal (its
// line too long to write) holds no line, so the next record under the
// same proof writes it in full, and the journal replays.
func TestJournalNamesOnlyLinesWritten(t *testing.T) {
	link := coprod.ProofLink{ID: id("d"), From: council, To: officer, Scope: "commission"}
	auth := proofByDay{"p1": {Path: []coprod.ProofLink{link}}}
	var journal bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &journal})
	post := func(name, memo string) error {
		tx := pay(name, "council-budget", "hub-cash", "10", ledger.Grant, officer, id("d"), day(2025, 5, 1))
		tx.Memo = memo
		_, err := l.Post(tx)
		return err
	}
	require.Error(t, post("long", strings.Repeat("x", ledger.MaxJournalLine)), "a line over MaxJournalLine is not written")
	require.NoError(t, l.Err(), "a line not written does not stop the ledger")
	require.NoError(t, post("a", ""))
	require.NoError(t, post("b", ""))
	lines := txLines(t, journal.Bytes())
	require.NotContains(t, lines, id("long").String())
	assert.Zero(t, lines[id("a").String()].ref, "the first line written holds the proof")
	assert.Equal(t, lines[id("a").String()].seq, lines[id("b").String()].ref)
	back, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{Authorizer: auth})
	require.NoError(t, err)
	assert.Equal(t, state(t, l), state(t, back))
}

// TestReplayRefusesAProofRefItCannotResolve: a line may name only an
// earlier transaction line that holds its proof in full, by a positive
// number, in place of a proof. Anything else is refused, however the
// chain is sound.
func TestReplayRefusesAProofRefItCannotResolve(t *testing.T) {
	proof := fmt.Sprintf(`{"path":[%s]}`, linkJSON("d", ""))
	first := len(accounts) + 1 // the seq of the first transaction line
	full := proofRec("full", proof, "")
	named := func(name, ref string) string { return txRec(name, spread(2, 5), "", `,"proof_ref":`+ref) }

	l, err := attackReplay(t, full, named("ok", fmt.Sprint(first)), txRec("spaced", spread(2, 5), "", `, "proof_ref" : `+fmt.Sprint(first)))
	require.NoError(t, err)
	want, ok := l.Transaction(id("full"))
	require.True(t, ok)
	require.NotNil(t, want.Proof)
	for _, name := range []string{"ok", "spaced"} {
		got, ok := l.Transaction(id(name))
		require.True(t, ok)
		assert.Equal(t, want.Proof, got.Proof, name)
	}

	for name, recs := range map[string][]string{
		"an account line":                  {full, named("x", "1")},
		"its own line":                     {full, named("x", fmt.Sprint(first+1))},
		"a later line":                     {full, named("x", fmt.Sprint(first+2)), proofRec("later", proof, "")},
		"a line with no proof":             {txRec("plain", spread(2, 5), "", ""), named("x", fmt.Sprint(first))},
		"a line that names another":        {full, named("y", fmt.Sprint(first)), named("x", fmt.Sprint(first+1))},
		"zero":                             {full, named("x", "0")},
		"negative":                         {full, named("x", "-1")},
		"a fraction":                       {full, named("x", fmt.Sprint(first)+".0")},
		"a string":                         {full, named("x", fmt.Sprintf("%q", fmt.Sprint(first)))},
		"null":                             {full, named("x", "null")},
		"beside a proof":                   {full, proofRec("x", proof, fmt.Sprintf(`,"proof_ref":%d`, first))},
		"beside a null proof":              {full, proofRec("x", "null", fmt.Sprintf(`,"proof_ref":%d`, first))},
		"before a proof":                   {full, txRec("x", spread(2, 5), "", fmt.Sprintf(`,"proof_ref":%d,"proof":%s`, first, proof))},
		"a leading zero":                   {full, named("x", "0"+fmt.Sprint(first))},
		"a huge number":                    {full, named("x", "99999999999999999999999")},
		"on a line before any full proofs": {named("x", "1")},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := attackReplay(t, recs...)
			require.Error(t, err)
			var je *ledger.JournalError
			require.ErrorAs(t, err, &je, "a refusal names the line")
		})
	}
}

// actingFor proves every record by its decider acting for the council:
// a proof with no path and one record of acting, one per decider.
type actingFor struct{}

func (actingFor) Permit(p coprod.Permission) (coprod.Proof, error) {
	return coprod.Proof{Acting: []coprod.ProofActing{{ID: id("acting-" + p.Decider.String()), Person: p.Decider, For: council}}}, nil
}

// TestJournalNamesTheLineOfARepeatedActingProof: forty officers, each
// acting for the council under a record of their own, make discretionary
// payments in turn, three rounds over. Each officer's first line holds the
// proof in full and each later one names it: proofs with no path are kept
// by their record of acting, not all under one key, where the ledger kept
// only the last sixteen and wrote every other proof in full again. Replay
// reads every record back with its proof.
func TestJournalNamesTheLineOfARepeatedActingProof(t *testing.T) {
	var journal bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: actingFor{}, Journal: &journal})
	const officers, rounds = 40, 3
	for r := range rounds {
		for o := range officers {
			tx := pay(fmt.Sprint("act-", r, "-", o), "council-budget", "hub-cash", "10", ledger.Grant, id(fmt.Sprint("officer-", o)), uuid.Nil, day(2025, 5, 1+r))
			_, err := l.Post(tx)
			require.NoError(t, err)
		}
	}
	lines := txLines(t, journal.Bytes())
	for o := range officers {
		first := lines[id(fmt.Sprint("act-0-", o)).String()]
		assert.Zero(t, first.ref, "officer %d's first line holds the proof in full", o)
		for r := 1; r < rounds; r++ {
			assert.Equal(t, first.seq, lines[id(fmt.Sprint("act-", r, "-", o)).String()].ref, "officer %d, round %d names the first line", o, r)
		}
	}
	validateLines(t, schemas(t), journal.Bytes())
	replayed, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{Authorizer: actingFor{}})
	require.NoError(t, err)
	assert.Equal(t, state(t, l), state(t, replayed))
	assert.Equal(t, proofsOf(t, l), proofsOf(t, replayed))
}
