package ledger_test

// Attacks on three changes: scopes numbered through a flat hash table
// with their paths kept end to end (internScope, knownScope, findScope); cumulative totals found once per record
// and written through the pointer found (capChange.total, applyCaps); and
// proofs kept by proofKey (the last link, else the first acting-for
// record) and named in the journal by line ("proof_ref").
//
// Each attack composes the library as a user would: a governance
// register (or a plain Authorizer standing in for one) as the ledger's
// Authorizer, the journal to a buffer, Replay and Recover to read it back.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/internal/journal"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ------------------------------------------------------------- fixtures

// scDeleg is the officer's delegation: 100 GBP a transaction and 100 GBP
// a calendar month in all.
var scDeleg = id("sc-d")

func scMonth(m time.Month) coprod.Window {
	return coprod.Window{NotBefore: day(2025, m, 1), Expires: day(2025, m+1, 1)}
}

// scAt is 10:00 on day d of month m, 2025.
func scAt(m time.Month, d int) time.Time { return time.Date(2025, m, d, 10, 0, 0, 0, time.UTC) }

// scRegister is the partnership's register: the council's mandate for
// "commission", delegated to the officer with a monthly cumulative limit
// of 100 GBP; the director acts for the hub and for the temple.
func scRegister(t testing.TB) *governance.Register {
	t.Helper()
	reg := governance.NewRegister()
	for _, err := range []error{
		reg.AddParty(coprod.Party{ID: council, Name: "Council", Sector: coprod.Statutory}),
		reg.AddParty(coprod.Party{ID: hub, Name: "Hub", Sector: coprod.Hub}),
		reg.AddParty(coprod.Party{ID: temple, Name: "Temple", Sector: coprod.Community}),
		reg.AddParty(coprod.Party{ID: officer, Name: "Officer", Sector: coprod.Individual}),
		reg.AddParty(coprod.Party{ID: director, Name: "Director", Sector: coprod.Individual}),
		reg.AddMandate(governance.Mandate{ID: id("sc-m"), Holder: council, Scope: "commission", MaxDepth: 1}),
		reg.Delegate(governance.Delegation{ID: scDeleg, Parent: id("sc-m"), From: council, To: officer, Scope: "commission",
			TransactionLimit: gbp("100"), CumulativeLimit: gbp("100"), Period: governance.PeriodMonth}),
		reg.ActFor(governance.ActingFor{ID: id("sc-act-hub"), Person: director, For: hub, Role: governance.RoleDirector}),
		reg.ActFor(governance.ActingFor{ID: id("sc-act-temple"), Person: director, For: temple, Role: governance.RoleDirector}),
	} {
		require.NoError(t, err)
	}
	return reg
}

// scPay is the officer's payment from the council's budget to the hub
// under the delegation, in scope.
func scPay(name string, scope coprod.Scope, amount string, at time.Time) ledger.Transaction {
	tx := pay(name, "council-budget", "hub-cash", amount, ledger.Grant, officer, scDeleg, at)
	tx.Formality.Scope = scope
	return tx
}

// scHold is the officer's hold on the council's budget for the hub.
func scHold(name, amount string, at, expires time.Time) ledger.Hold {
	return ledger.Hold{ID: id(name), Kind: ledger.Grant, From: id("council-budget"), To: id("hub-cash"), Amount: gbp(amount),
		Formality: ledger.Formality{Instrument: scDeleg, Scope: "commission/mental-health", DecidedBy: officer}, Recorded: at, Expires: expires}
}

// scWriter is a journal that can be made to fail its next writes.
type scWriter struct {
	bytes.Buffer
	fail bool
}

func (w *scWriter) Write(b []byte) (int, error) {
	if w.fail {
		return 0, errors.New("disk full")
	}
	return w.Buffer.Write(b)
}

// ------------------------------------------------------------- observers

// scSpent is the total spent against every capped link and period that
// a record or hold of l was proved under, sorted.
func scSpent(t *testing.T, l *ledger.Ledger) string {
	t.Helper()
	type key struct {
		link   uuid.UUID
		period coprod.Window
	}
	seen := map[string]key{}
	note := func(p *coprod.Proof) {
		if p == nil {
			return
		}
		for _, pl := range p.Path {
			if pl.Limit.IsSet() {
				seen[fmt.Sprint(pl.ID, pl.Period.NotBefore.UnixNano(), pl.Period.Expires.UnixNano())] = key{pl.ID, pl.Period}
			}
		}
	}
	for tx := range l.Transactions() {
		note(tx.Proof)
	}
	for h := range l.Holds() {
		note(h.Hold.Proof)
	}
	var out []string
	for k, v := range seen {
		s, err := l.Spent(v.link, v.period)
		require.NoError(t, err)
		out = append(out, k+" "+s.String())
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// scSnapshot is what a ledger and its replay must agree on: balances,
// each record with its scope and proof, holds, Metrics (with its scopes),
// Flows and the spent totals. The head is compared apart.
func scSnapshot(t *testing.T, l *ledger.Ledger) string {
	t.Helper()
	var b strings.Builder
	for a := range l.Accounts() {
		bal, err := l.Balance(a.ID)
		require.NoError(t, err)
		fmt.Fprintf(&b, "account %s %s\n", a.ID, bal)
	}
	for tx := range l.Transactions() {
		pj, err := json.Marshal(tx.Proof)
		require.NoError(t, err)
		fmt.Fprintf(&b, "tx %s %s %q %v %s\n", tx.ID, tx.Kind, tx.Formality.Scope, tx.Postings, pj)
	}
	for h := range l.Holds() {
		fmt.Fprintf(&b, "hold %s %s %s\n", h.Hold.ID, h.Hold.Amount, h.Resolution.Resolution)
	}
	m, err := l.Metrics(coprod.Window{}, sector)
	require.NoError(t, err)
	mj, err := json.Marshal(m)
	require.NoError(t, err)
	fl, err := l.Flows(coprod.Window{})
	require.NoError(t, err)
	fj, err := json.Marshal(fl)
	require.NoError(t, err)
	fmt.Fprintf(&b, "metrics %s\nflows %s\nspent\n%s\n", mj, fj, scSpent(t, l))
	return b.String()
}

// scScopes is Metrics' scopes with the money moved under each.
func scScopes(t *testing.T, l *ledger.Ledger) map[coprod.Scope]string {
	t.Helper()
	m, err := l.Metrics(coprod.Window{}, sector)
	require.NoError(t, err)
	out := map[coprod.Scope]string{}
	for _, s := range m.Scopes {
		out[s.Scope] = s.Moved.String()
	}
	return out
}

// scModel is the money moved under each scope, summed by the test: a
// record counts under its scope and every scope above it.
type scModel map[coprod.Scope]int64

func (m scModel) add(s coprod.Scope, pence int64) {
	for ok := s != ""; ok; s, ok = s.Parent() {
		m[s] += pence
	}
}

func (m scModel) want() map[coprod.Scope]string {
	out := map[coprod.Scope]string{}
	for s, p := range m {
		out[s] = coprod.MustParseAmount(fmt.Sprintf("%d.%02d", p/100, p%100), coprod.GBP).String()
	}
	return out
}

// scRefStats counts a journal's transaction lines that hold their proof
// in full and those that name another line for it.
type scRefStats struct{ full, refs int }

// scCheckProofRefs requires every transaction line of j to carry, in
// full or through the line its proof_ref names, exactly the proof live
// keeps for the record; a named line must be an earlier transaction line
// that holds its proof in full.
func scCheckProofRefs(t *testing.T, live *ledger.Ledger, j []byte) scRefStats {
	t.Helper()
	var st scRefStats
	lines := splitJournal(t, j)
	field := func(rec []byte) map[string]json.RawMessage {
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(rec, &m))
		return m
	}
	norm := func(raw json.RawMessage) string {
		var p coprod.Proof
		require.NoError(t, json.Unmarshal(raw, &p))
		b, err := json.Marshal(&p)
		require.NoError(t, err)
		return string(b)
	}
	for i, ln := range lines {
		if ln.typ != "transaction" {
			continue
		}
		m := field(ln.record)
		var txID uuid.UUID
		require.NoError(t, json.Unmarshal(m["id"], &txID))
		tx, ok := live.Transaction(txID)
		require.True(t, ok, "line %d: %s not in the ledger", i+1, txID)
		want, err := json.Marshal(tx.Proof)
		require.NoError(t, err)
		raw, full := m["proof"]
		if ref, named := m["proof_ref"]; named {
			require.False(t, full, "line %d: a proof and a proof_ref", i+1)
			n, err := strconv.Atoi(string(ref))
			require.NoError(t, err)
			require.True(t, n >= 1 && n <= i, "line %d names line %d", i+1, n)
			require.Equal(t, "transaction", lines[n-1].typ, "line %d names line %d", i+1, n)
			raw, full = field(lines[n-1].record)["proof"]
			require.True(t, full, "line %d names line %d, which holds no proof in full", i+1, n)
			st.refs++
		} else if full {
			st.full++
		}
		if !full {
			require.Equal(t, "null", string(want), "line %d: no proof", i+1)
			continue
		}
		require.Equal(t, string(want), norm(raw), "line %d: the proof read from the journal is not the record's", i+1)
	}
	return st
}

// scRequireReplays requires journal j, which ledger live wrote (or a
// ledger live continued), to name only proofs that read as live's, and
// to replay, by Replay and by Recover, with and without auth, into a
// ledger that reads as live, with the journal's own head.
func scRequireReplays(t *testing.T, live *ledger.Ledger, j []byte, auth ledger.Authorizer) {
	t.Helper()
	scCheckProofRefs(t, live, j)
	head, err := ledger.Verify(bytes.NewReader(j), nil)
	require.NoError(t, err)
	want := scSnapshot(t, live)
	for _, a := range []ledger.Authorizer{auth, nil} {
		back, err := ledger.Replay(bytes.NewReader(j), ledger.Options{Authorizer: a})
		require.NoError(t, err)
		require.Equal(t, want, scSnapshot(t, back), "Replay reads as live")
		require.Equal(t, head, back.Head())
		rec, n, err := ledger.Recover(bytes.NewReader(j), ledger.Options{Authorizer: a})
		require.NoError(t, err)
		require.Equal(t, int64(len(j)), n)
		require.Equal(t, want, scSnapshot(t, rec), "Recover reads as live")
	}
}

// scContinue recovers the ledger j holds, journaling to j from there on.
func scContinue(t *testing.T, j *bytes.Buffer, auth ledger.Authorizer) *ledger.Ledger {
	t.Helper()
	l, n, err := ledger.Recover(bytes.NewReader(j.Bytes()), ledger.Options{Authorizer: auth, Journal: j})
	require.NoError(t, err)
	require.Equal(t, int64(j.Len()), n)
	return l
}

// ------------------------------------------------------------- scopes

// scLookalikeScopes are scopes inside "commission" that are byte
// prefixes of one another without being segment prefixes ("c/a" and
// "c/ab", "c" and "ca"), nest to the most segments a scope may have, or
// are as long as a scope may be, two of them alike but for the last byte
// and a third one byte shorter.
func scLookalikeScopes() []coprod.Scope {
	seg := func(c string, n int) string { return strings.Repeat(c, n) }
	long := "commission/" + seg("a", 64) + "/" + seg("b", 64) + "/" + seg("c", 64) + "/"
	long += seg("d", coprod.MaxScopeLen-len(long)-1)
	deep := "commission"
	for i := 1; i < coprod.MaxScopeSegments; i++ {
		deep += "/" + strconv.Itoa(i)
	}
	out := []coprod.Scope{
		"commission/c", "commission/ca", "commission/c/a", "commission/c/ab", "commission/c/a/b",
		"commission/c/a-b", "commission/ca/b", "commission/c/a/b/c",
		coprod.Scope(long + "d"), coprod.Scope(long + "e"), coprod.Scope(long), coprod.Scope(deep),
	}
	for _, s := range out {
		if !s.Valid() {
			panic(fmt.Sprintf("fixture scope %q is not valid", s))
		}
	}
	return out
}

// TestAttackScopesLookalikesSumApart (holds): records made under scopes
// that are byte prefixes of one another, scopes of the most segments and
// the most bytes allowed, and scopes alike but for their last byte, in an
// order that seldom repeats the last scope (so each is looked up in the
// hash table, not found as the one last seen), each sum apart in Metrics,
// with every scope above them, as the test sums them itself; each record
// reads back with its own scope. Scopes the ledger must refuse (unicode,
// upper case, one byte too long, a segment too many or too long, an empty
// segment) are refused and change nothing, not the ledger and not the
// journal. Replay and Recover read the same scopes; the ledger continued
// after Recover numbers new scopes below old ones and sums them right.
func TestAttackScopesLookalikesSumApart(t *testing.T) {
	reg := scRegister(t)
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: reg, Journal: &j})
	scopes := scLookalikeScopes()
	model := scModel{}
	n := 0
	post := func(l *ledger.Ledger, s coprod.Scope, at time.Time) {
		t.Helper()
		n++
		_, err := l.Post(scPay(fmt.Sprint("sc-scope-", n), s, fmt.Sprintf("0.%02d", n%97+1), at))
		require.NoError(t, err, "scope %q", s)
		model.add(s, int64(n%97+1))
		got, ok := l.Transaction(id(fmt.Sprint("sc-scope-", n)))
		require.True(t, ok)
		require.Equal(t, s, got.Formality.Scope)
	}
	for r := range 3 {
		for i := range scopes {
			post(l, scopes[(i*5+r)%len(scopes)], scAt(5, 2))
		}
	}
	require.Equal(t, model.want(), scScopes(t, l))

	long := strings.Repeat("x", 64)
	bad := []coprod.Scope{
		"commission/café", "commission/C", "commission//a", "commission/a/",
		coprod.Scope(string(scopes[8]) + "x"), // 257 bytes
		coprod.Scope(string(scopes[11]) + "/16"),
		coprod.Scope("commission/" + long + "x"),
		coprod.Scope("commission/c\u0430"), // Cyrillic a
	}
	before, lines := scSnapshot(t, l), j.Len()
	for i, s := range bad {
		_, err := l.Post(scPay(fmt.Sprint("sc-bad-", i), s, "1", scAt(5, 2)))
		require.ErrorIs(t, err, ledger.ErrInvalidTransaction, "scope %q", s)
	}
	require.Equal(t, before, scSnapshot(t, l))
	require.Equal(t, lines, j.Len(), "a refused record writes nothing")

	scRequireReplays(t, l, j.Bytes(), reg)

	more := scContinue(t, &j, reg)
	for _, s := range []coprod.Scope{"commission/c/a/b/c/d", "commission/new/one", "commission/ca", scopes[9], "commission/new"} {
		post(more, s, scAt(5, 3))
	}
	require.Equal(t, model.want(), scScopes(t, more))
	scRequireReplays(t, more, j.Bytes(), reg)
}

// TestAttackReplayEscapedScopeIsTheKnownScope (holds): a journal line
// whose scope is written with JSON escapes ("commission\/c\/a", or a
// letter as \u0061) names the same scope as the plain bytes; replay finds
// it among the scopes already numbered, so Metrics after replay sums it
// with the others and lists it once, as live did. An escape that decodes
// to a letter a scope may not hold is refused.
func TestAttackReplayEscapedScopeIsTheKnownScope(t *testing.T) {
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Journal: &j})
	for i, s := range []coprod.Scope{"commission/c/a", "commission/c", "commission/c/a", "commission/c/a"} {
		_, err := l.Post(scPay(fmt.Sprint("sc-esc-", i), s, fmt.Sprint(i+1), scAt(5, 2)))
		require.NoError(t, err)
	}
	lines := splitJournal(t, j.Bytes())
	third := seqOf(t, lines, "transaction", "id", id("sc-esc-2").String())
	fourth := seqOf(t, lines, "transaction", "id", id("sc-esc-3").String())
	plain := []byte(`"scope":"commission/c/a"`)
	rewrite := func(seq int, with string) []jline {
		out := slices.Clone(lines)
		require.Equal(t, 1, bytes.Count(out[seq-1].record, plain))
		out[seq-1].record = bytes.Replace(out[seq-1].record, plain, []byte(with), 1)
		return out
	}
	forged := rewrite(third, `"scope":"commission\/c\/a"`)
	forged[fourth-1].record = bytes.Replace(forged[fourth-1].record, plain, []byte(`"scope":"commission/c/\u0061"`), 1)
	back, err := ledger.Replay(bytes.NewReader(chain(forged)), ledger.Options{})
	require.NoError(t, err)
	require.Equal(t, scScopes(t, l), scScopes(t, back))
	require.Equal(t, map[coprod.Scope]string{"commission": "10.00 GBP", "commission/c": "10.00 GBP", "commission/c/a": "8.00 GBP"}, scScopes(t, back))

	_, err = ledger.Replay(bytes.NewReader(chain(rewrite(third, `"scope":"commission/c/\u00e1"`))), ledger.Options{})
	require.ErrorIs(t, err, ledger.ErrCorruptJournal)
}

// ------------------------------------------------------------- caps

// TestAttackCapsLifecycleAtTheBoundary (holds): with the register as
// Authorizer, spending reaches the monthly limit exactly and a penny more
// is refused, by posts and by holds alike, and each refusal leaves the
// ledger, the journal and the totals as they were (a refusal after the
// record found its total does not leave the total changed for the next).
// Voids and expiries give back; a capture in June of a hold placed in May
// starts June's total in the same record that gives back May's; a
// reversal in June gives back May's. A record refused at the journal,
// after its totals were worked out, changes no total either; the ledger
// recovered from the journal holds the same totals and continues to the
// same boundary. Replay and Recover rebuild every total.
func TestAttackCapsLifecycleAtTheBoundary(t *testing.T) {
	reg := scRegister(t)
	w := &scWriter{}
	l := newLedger(t, ledger.Options{Authorizer: reg, Journal: w})
	spent := func(l *ledger.Ledger, m time.Month) string {
		s, err := l.Spent(scDeleg, scMonth(m))
		require.NoError(t, err)
		return s.String()
	}
	post := func(l *ledger.Ledger, name, amount string, at time.Time) func() error {
		return func() error { _, err := l.Post(scPay(name, "commission/mental-health", amount, at)); return err }
	}
	place := func(name, amount string, at, expires time.Time) func() error {
		return func() error { _, err := l.PlaceHold(scHold(name, amount, at, expires)); return err }
	}
	reverse := func(l *ledger.Ledger, of, name string, at time.Time) func() error {
		return func() error {
			_, err := l.Reverse(ledger.ReversalRequest{ID: id(name), Of: id(of), By: officer, Effective: at, Recorded: at})
			return err
		}
	}
	steps := []struct {
		name      string
		do        func() error
		err       error
		may, june string
	}{
		{"post 60", post(l, "sc-p1", "60", scAt(5, 2)), nil, "60.00 GBP", "0.00 GBP"},
		{"post 40.01 over", post(l, "sc-p2", "40.01", scAt(5, 2)), ledger.ErrOverCumulative, "60.00 GBP", "0.00 GBP"},
		{"hold 40 to the limit", place("sc-h1", "40", scAt(5, 3), scAt(6, 30)), nil, "100.00 GBP", "0.00 GBP"},
		{"hold a penny over", place("sc-h2", "0.01", scAt(5, 3), scAt(6, 30)), ledger.ErrOverCumulative, "100.00 GBP", "0.00 GBP"},
		{"post a penny over", post(l, "sc-p3", "0.01", scAt(5, 3)), ledger.ErrOverCumulative, "100.00 GBP", "0.00 GBP"},
		{"void", func() error {
			return l.Void(ledger.VoidRequest{Hold: id("sc-h1"), By: officer, At: scAt(5, 4), Reason: "withdrawn"})
		}, nil, "60.00 GBP", "0.00 GBP"},
		{"hold 40 again", place("sc-h3", "40", scAt(5, 5), scAt(5, 20)), nil, "100.00 GBP", "0.00 GBP"},
		{"expire", func() error { return l.Expire(id("sc-h3"), scAt(5, 20)) }, nil, "60.00 GBP", "0.00 GBP"},
		{"hold 40 into June", place("sc-h4", "40", scAt(5, 25), scAt(6, 10)), nil, "100.00 GBP", "0.00 GBP"},
		{"capture 30 in June", func() error {
			_, err := l.Capture(ledger.CaptureRequest{Hold: id("sc-h4"), ID: id("sc-cap4"), Amount: gbp("30"), Effective: scAt(6, 2), Recorded: scAt(6, 2), By: officer})
			return err
		}, nil, "60.00 GBP", "30.00 GBP"},
		{"post 70 in June", post(l, "sc-p4", "70", scAt(6, 3)), nil, "60.00 GBP", "100.00 GBP"},
		{"post a penny over in June", post(l, "sc-p5", "0.01", scAt(6, 3)), ledger.ErrOverCumulative, "60.00 GBP", "100.00 GBP"},
		{"reverse May's post in June", reverse(l, "sc-p1", "sc-r1", scAt(6, 4)), nil, "0.00 GBP", "100.00 GBP"},
		{"reverse the capture", reverse(l, "sc-cap4", "sc-r2", scAt(6, 5)), nil, "0.00 GBP", "70.00 GBP"},
		{"post 30 to the limit", post(l, "sc-p6", "30", scAt(6, 6)), nil, "0.00 GBP", "100.00 GBP"},
	}
	for _, s := range steps {
		before, size := scSnapshot(t, l), w.Len()
		err := s.do()
		if s.err != nil {
			require.ErrorIs(t, err, s.err, s.name)
			require.Equal(t, before, scSnapshot(t, l), "%s: refused, yet the ledger changed", s.name)
			require.Equal(t, size, w.Len(), "%s: refused, yet the journal grew", s.name)
		} else {
			require.NoError(t, err, s.name)
		}
		assert.Equal(t, s.may, spent(l, time.May), "%s: May", s.name)
		assert.Equal(t, s.june, spent(l, time.June), "%s: June", s.name)
	}
	scRequireReplays(t, l, w.Bytes(), reg)

	// Refused at the journal, after its totals were worked out: a reversal
	// that would give back 70 of June's total.
	before := scSnapshot(t, l)
	w.fail = true
	require.ErrorIs(t, reverse(l, "sc-p4", "sc-r3", scAt(6, 7))(), ledger.ErrJournal)
	w.fail = false
	require.Equal(t, before, scSnapshot(t, l))
	assert.Equal(t, "100.00 GBP", spent(l, time.June))

	more := scContinue(t, &w.Buffer, reg)
	assert.Equal(t, "100.00 GBP", spent(more, time.June))
	require.ErrorIs(t, post(more, "sc-p7", "0.01", scAt(6, 7))(), ledger.ErrOverCumulative)
	require.NoError(t, reverse(more, "sc-p4", "sc-r3", scAt(6, 7))())
	assert.Equal(t, "30.00 GBP", spent(more, time.June))
	require.NoError(t, post(more, "sc-p8", "70", scAt(6, 8))())
	require.ErrorIs(t, post(more, "sc-p9", "0.01", scAt(6, 8))(), ledger.ErrOverCumulative)
	assert.Equal(t, "100.00 GBP", spent(more, time.June))
	scRequireReplays(t, more, w.Bytes(), reg)
}

// TestAttackCapsOneLinkTwiceOnAPath (holds): an authority whose proof
// names one capped link twice (the same key twice in one record) has the
// record counted against it twice, as addCaps accumulates; a reversal
// and a void give back exactly what was counted, so the total returns to
// zero and reaches the limit again at the same point; replay agrees.
func TestAttackCapsOneLinkTwiceOnAPath(t *testing.T) {
	link := coprod.ProofLink{ID: id("sc-twice"), From: council, To: officer, Scope: "commission", Limit: gbp("100"), Period: scMonth(time.May)}
	auth := always(coprod.Proof{Path: []coprod.ProofLink{link, link}})
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &j})
	spent := func() string {
		s, err := l.Spent(link.ID, link.Period)
		require.NoError(t, err)
		return s.String()
	}
	_, err := l.Post(scPay("sc-t1", "commission/x", "50", scAt(5, 2)))
	require.NoError(t, err)
	require.Equal(t, "100.00 GBP", spent())
	_, err = l.Post(scPay("sc-t2", "commission/x", "0.01", scAt(5, 2)))
	require.ErrorIs(t, err, ledger.ErrOverCumulative)
	_, err = l.Reverse(ledger.ReversalRequest{ID: id("sc-t3"), Of: id("sc-t1"), By: officer, Effective: scAt(5, 3), Recorded: scAt(5, 3)})
	require.NoError(t, err)
	require.Equal(t, "0.00 GBP", spent())
	_, err = l.PlaceHold(scHold("sc-th", "50", scAt(5, 4), scAt(5, 30)))
	require.NoError(t, err)
	require.Equal(t, "100.00 GBP", spent())
	_, err = l.Capture(ledger.CaptureRequest{Hold: id("sc-th"), ID: id("sc-tc"), Amount: gbp("20"), Effective: scAt(5, 5), Recorded: scAt(5, 5), By: officer})
	require.NoError(t, err)
	require.Equal(t, "40.00 GBP", spent())
	_, err = l.Post(scPay("sc-t4", "commission/x", "30", scAt(5, 6)))
	require.NoError(t, err)
	require.Equal(t, "100.00 GBP", spent())
	scRequireReplays(t, l, j.Bytes(), auth)
}

// ------------------------------------------------------------- proofs

// scActingVariants are proofs an authority may answer with that are kept
// under one first acting-for record, A: A alone, A with each of eighteen
// others (more than the sixteen the ledger keeps under one key), A under
// a path that is empty but not nil (read and written apart from the nil
// path); and, kept elsewhere, A under a real path; and two that prove
// nothing (an empty acting list, an empty path), which keep no proof.
func scActingVariants() []coprod.Proof {
	a := coprod.ProofActing{ID: id("sc-acting-a"), Person: director, For: hub}
	out := []coprod.Proof{{Acting: []coprod.ProofActing{a}}}
	for i := 1; i <= 18; i++ {
		out = append(out, coprod.Proof{Acting: []coprod.ProofActing{a, {ID: id(fmt.Sprint("sc-acting-", i)), Person: director, For: temple}}})
	}
	return append(out,
		coprod.Proof{Path: []coprod.ProofLink{}, Acting: []coprod.ProofActing{a}},
		coprod.Proof{Path: []coprod.ProofLink{refLink("")}, Acting: []coprod.ProofActing{a}},
		coprod.Proof{Acting: []coprod.ProofActing{}},
		coprod.Proof{Path: []coprod.ProofLink{}},
	)
}

// TestAttackActingProofsSharingTheirFirstRecord (holds): twenty-two
// proofs kept under one acting-for record, more than the ledger keeps per
// key, used in turn, in reverse and at random: proofs are evicted and
// written in full again, yet every line that names another names a line
// holding exactly its record's proof, every record reads back with the
// proof it was made under (none for the two that prove nothing), and
// Replay and Recover read the same; so does the ledger continued after
// Recover.
func TestAttackActingProofsSharingTheirFirstRecord(t *testing.T) {
	variants := scActingVariants()
	auth := proofByAmount{}
	for i, p := range variants {
		auth[gbp(fmt.Sprint(i+1)).String()] = p
	}
	var order []int
	for range 2 {
		for i := range variants {
			order = append(order, i)
		}
	}
	for i := range variants {
		order = append(order, len(variants)-1-i)
	}
	rng := rand.New(rand.NewPCG(3, 5))
	for range 60 {
		order = append(order, rng.IntN(len(variants)))
	}
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &j})
	n := 0
	post := func(l *ledger.Ledger, v int) {
		t.Helper()
		n++
		name := fmt.Sprint("sc-av-", n)
		_, err := l.Post(pay(name, "hub-cash", "temple-cash", fmt.Sprint(v+1), ledger.Payment, director, uuid.Nil, scAt(5, 2)))
		require.NoError(t, err)
		got, ok := l.Transaction(id(name))
		require.True(t, ok)
		want := &variants[v]
		if want.Empty() {
			want = nil
		}
		wj, _ := json.Marshal(want)
		gj, _ := json.Marshal(got.Proof)
		require.Equal(t, string(wj), string(gj), "variant %d", v)
	}
	for _, v := range order {
		post(l, v)
	}
	st := scCheckProofRefs(t, l, j.Bytes())
	proving := 0
	for _, p := range variants {
		if !p.Empty() {
			proving++
		}
	}
	assert.Greater(t, st.refs, 0, "lines name earlier lines")
	assert.Greater(t, st.full, proving, "some proofs were evicted and written in full again")
	scRequireReplays(t, l, j.Bytes(), auth)

	more := scContinue(t, &j, auth)
	for range 30 {
		post(more, rng.IntN(len(variants)))
	}
	scRequireReplays(t, more, j.Bytes(), auth)
}

// scRekey rewrites the transaction lines of a journal as a ledger that
// keeps at most sixteen proofs under each key(proof) would have written
// them: a proof it keeps is named by the line that first held it in full;
// any other is written in full and kept, the oldest under its key
// forgotten. Lines are otherwise as the ledger writes them.
func scRekey(t *testing.T, lines []jline, key func(coprod.Proof) uuid.UUID) []jline {
	t.Helper()
	type kept struct {
		proof string
		line  int
	}
	byKey := map[uuid.UUID][]kept{}
	proofOf := map[int]string{}
	out := slices.Clone(lines)
	for i, ln := range lines {
		if ln.typ != "transaction" {
			continue
		}
		rec := string(ln.record)
		var head, proof string
		if k := strings.LastIndex(rec, `,"proof_ref":`); k >= 0 {
			ref, err := strconv.Atoi(strings.TrimSuffix(rec[k+len(`,"proof_ref":`):], "}"))
			require.NoError(t, err)
			head, proof = rec[:k], proofOf[ref]
		} else if k := strings.LastIndex(rec, `,"proof":`); k >= 0 {
			head, proof = rec[:k], strings.TrimSuffix(rec[k+len(`,"proof":`):], "}")
		} else {
			continue
		}
		require.NotEmpty(t, proof)
		proofOf[i+1] = proof
		var p coprod.Proof
		require.NoError(t, json.Unmarshal([]byte(proof), &p))
		k := key(p)
		list := byKey[k]
		at := slices.IndexFunc(list, func(q kept) bool { return q.proof == proof })
		if at >= 0 {
			out[i].record = []byte(head + `,"proof_ref":` + strconv.Itoa(list[at].line) + "}")
			continue
		}
		if len(list) == 16 {
			list = list[1:]
		}
		byKey[k] = append(list, kept{proof, i + 1})
		out[i].record = []byte(head + `,"proof":` + proof + "}")
	}
	return out
}

// scLastLink keys a proof by its last link, uuid.Nil for none: how the
// ledger kept proofs before they were kept by their acting-for record.
func scLastLink(p coprod.Proof) uuid.UUID {
	if n := len(p.Path); n > 0 {
		return p.Path[n-1].ID
	}
	return uuid.Nil
}

// scProofKey keys a proof as the ledger keeps it now.
func scProofKey(p coprod.Proof) uuid.UUID {
	if len(p.Path) == 0 && len(p.Acting) > 0 {
		return p.Acting[0].ID
	}
	return scLastLink(p)
}

// TestAttackJournalKeptTheOldWayReplaysAndContinues (holds): twenty
// officers, each acting for the council under a record of their own,
// pay in an order that makes a ledger keeping every pathless proof under
// one key (as before the change) forget some and write them in full
// again, then name the second full line. The rewriting is checked first:
// applied with today's keys, it reproduces byte for byte the journal the
// ledger wrote. The journal as the older ledger would have written it
// replays to the same ledger; the ledger recovered from it and continued
// names only lines that hold its records' proofs, and replays again.
func TestAttackJournalKeptTheOldWayReplaysAndContinues(t *testing.T) {
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: actingFor{}, Journal: &j})
	n := 0
	post := func(l *ledger.Ledger, o int) {
		t.Helper()
		n++
		_, err := l.Post(pay(fmt.Sprint("sc-old-", n), "council-budget", "hub-cash", "1", ledger.Grant, id(fmt.Sprint("officer-", o)), uuid.Nil, scAt(5, 2)))
		require.NoError(t, err)
	}
	order := []int{}
	for o := range 20 {
		order = append(order, o)
	}
	order = append(order, 0, 0, 19, 1, 1, 5, 18, 2, 0)
	for _, o := range order {
		post(l, o)
	}
	lines := splitJournal(t, j.Bytes())
	require.Equal(t, j.String(), string(chain(scRekey(t, lines, scProofKey))), "the rewriting reproduces the ledger's own journal")

	old := chain(scRekey(t, lines, scLastLink))
	back, err := ledger.Replay(bytes.NewReader(old), ledger.Options{Authorizer: actingFor{}})
	require.NoError(t, err)
	require.Greater(t, scCheckProofRefs(t, back, old).full, 20, "the old way wrote some of the twenty proofs in full again")
	require.Equal(t, scSnapshot(t, l), scSnapshot(t, back))
	scRequireReplays(t, back, old, actingFor{})

	oldBuf := bytes.NewBuffer(old)
	more := scContinue(t, oldBuf, actingFor{})
	for _, o := range []int{0, 19, 3, 7, 0, 21} {
		post(more, o)
	}
	scRequireReplays(t, more, oldBuf.Bytes(), actingFor{})
}

// TestAttackForgedProofRefInAKeyedJournal (holds): in a keyed journal,
// pointing a line's proof_ref at the line of another officer's acting
// proof and signing it again under a guessed secret is refused by Replay
// with the keyring; the journal as written replays.
func TestAttackForgedProofRefInAKeyedJournal(t *testing.T) {
	key := &coprod.JournalKey{ID: "k1", Secret: []byte("the partnership's secret")}
	keys := coprod.Keyring{"k1": key.Secret}
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: actingFor{}, Journal: &j, Key: key})
	for i, o := range []string{"officer-1", "officer-2", "officer-1"} {
		_, err := l.Post(pay(fmt.Sprint("sc-k", i), "council-budget", "hub-cash", "1", ledger.Grant, id(o), uuid.Nil, scAt(5, 2)))
		require.NoError(t, err)
	}
	_, err := ledger.Replay(bytes.NewReader(j.Bytes()), ledger.Options{Keys: keys})
	require.NoError(t, err)

	lines := splitJournal(t, j.Bytes())
	first := seqOf(t, lines, "transaction", "id", id("sc-k0").String())
	second := seqOf(t, lines, "transaction", "id", id("sc-k1").String())
	third := seqOf(t, lines, "transaction", "id", id("sc-k2").String())
	require.True(t, bytes.HasSuffix(lines[third-1].record, []byte(`,"proof_ref":`+strconv.Itoa(first)+`}`)))
	lines[third-1].record = bytes.Replace(lines[third-1].record, []byte(`"proof_ref":`+strconv.Itoa(first)), []byte(`"proof_ref":`+strconv.Itoa(second)), 1)
	forged := chainKeyed(lines, &journal.Key{ID: "k1", Secret: []byte("guess")})
	_, err = ledger.Replay(bytes.NewReader(forged), ledger.Options{Keys: keys})
	require.ErrorIs(t, err, ledger.ErrCorruptJournal)
}

// scNoProof permits every record and proves none: the zero Proof.
type scNoProof struct{}

func (scNoProof) Permit(coprod.Permission) (coprod.Proof, error) { return coprod.Proof{}, nil }

// TestAttackFormalRecordPermittedWithoutProofReplays: an Authorizer may
// answer a formal record with the zero Proof. The ledger recorded it,
// keeping no proof, and then refused its own journal line on replay ("a
// formal record with no proof of authority"): a ledger that accepted a
// record could not be rebuilt from its journal. It failed when it was
// written. The ledger now refuses such a record live, as replay refuses
// its line (ErrNotAuthorized), for a transaction and a hold alike, and
// changes nothing; a discretionary record with the zero Proof is kept
// with none, and replays.
func TestAttackFormalRecordPermittedWithoutProofReplays(t *testing.T) {
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: scNoProof{}, Journal: &j})
	before, written := state(t, l), j.Len()
	_, err := l.Post(scPay("sc-noproof", "commission/x", "10", scAt(5, 2)))
	require.ErrorIs(t, err, ledger.ErrNotAuthorized, "refused live, as replay refuses it")
	_, err = l.PlaceHold(scHold("sc-noproof-hold", "10", scAt(5, 2), scAt(5, 30)))
	require.ErrorIs(t, err, ledger.ErrNotAuthorized, "a hold likewise")
	require.Equal(t, before, state(t, l))
	require.Equal(t, written, j.Len(), "nothing journaled")

	informal := scPay("sc-noproof-informal", "commission/x", "10", scAt(5, 3))
	informal.Formality.Instrument = uuid.Nil
	_, err = l.Post(informal)
	require.NoError(t, err)
	scRequireReplays(t, l, j.Bytes(), scNoProof{})
}

// ------------------------------------------------------------- concurrency

// scReentrant is the register, asked through a Permit that reads the
// ledger first (the total spent, Metrics): it would deadlock, or race,
// if the ledger called it holding its lock.
type scReentrant struct {
	reg *governance.Register
	l   func() *ledger.Ledger
}

func (a scReentrant) Permit(p coprod.Permission) (coprod.Proof, error) {
	if l := a.l(); l != nil {
		if _, err := l.Spent(scDeleg, scMonth(time.May)); err != nil {
			return coprod.Proof{}, err
		}
		if _, err := l.Metrics(coprod.Window{}, sector); err != nil {
			return coprod.Proof{}, err
		}
	}
	return a.reg.Permit(p)
}

// TestAttackConcurrentScopesCapsAndActing (holds; run with -race):
// officers pay under the delegation in scopes new and old, a hold is
// placed and voided again and again, the director pays from the hub's and
// the temple's money (acting proofs alike in their first record and not),
// while readers ask for Metrics, Flows, totals and records, and the
// Authorizer itself reads the ledger. No more than the monthly limit is
// ever spent; what was spent is exactly what was accepted; refusals are
// over-limit refusals only; Metrics sums each scope as the accepted
// records say; and the journal names only lines holding each record's
// proof, and replays to the same ledger.
func TestAttackConcurrentScopesCapsAndActing(t *testing.T) {
	reg := scRegister(t)
	var j bytes.Buffer
	var mu sync.Mutex
	var shared *ledger.Ledger
	auth := scReentrant{reg: reg, l: func() *ledger.Ledger { mu.Lock(); defer mu.Unlock(); return shared }}
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &j})
	mu.Lock()
	shared = l
	mu.Unlock()
	at := scAt(5, 10)

	var wg sync.WaitGroup
	var accepted sync.Map // scope of each accepted officer payment, by name
	errs := make(chan error, 100)
	report := func(err error) { // the first hundred are enough
		select {
		case errs <- err:
		default:
		}
	}
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				name := fmt.Sprint("sc-cc-", g, "-", i)
				s := coprod.Scope(fmt.Sprintf("commission/g%d/s%d", i%3, (g+i)%4))
				_, err := l.Post(scPay(name, s, "2", at))
				switch {
				case err == nil:
					accepted.Store(name, s)
				case !errors.Is(err, ledger.ErrOverCumulative):
					report(err)
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 6 {
			name := fmt.Sprint("sc-cch-", i)
			if _, err := l.PlaceHold(scHold(name, "5", at, scAt(5, 30))); err != nil {
				if !errors.Is(err, ledger.ErrOverCumulative) {
					report(err)
				}
				continue
			}
			if err := l.Void(ledger.VoidRequest{Hold: id(name), By: officer, At: at, Reason: "again"}); err != nil {
				report(err)
			}
		}
	}()
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 12 {
				tx := ledger.Transaction{ID: id(fmt.Sprint("sc-ccd-", g, "-", i)), Kind: ledger.Payment, Effective: at, Recorded: at,
					Formality: ledger.Formality{DecidedBy: director}}
				switch i % 3 {
				case 0: // the hub's money: acting for the hub
					tx.Postings = []ledger.Posting{{Account: id("hub-cash"), Amount: gbp("1").Neg()}, {Account: id("temple-cash"), Amount: gbp("1")}}
				case 1: // the hub's then the temple's
					tx.Postings = []ledger.Posting{{Account: id("hub-cash"), Amount: gbp("1").Neg()}, {Account: id("temple-cash"), Amount: gbp("1").Neg()}, {Account: id("temple-costs"), Amount: gbp("2")}}
				default: // the temple's then the hub's
					tx.Postings = []ledger.Posting{{Account: id("temple-cash"), Amount: gbp("1").Neg()}, {Account: id("hub-cash"), Amount: gbp("1").Neg()}, {Account: id("temple-costs"), Amount: gbp("2")}}
				}
				if _, err := l.Post(tx); err != nil {
					report(err)
				}
			}
		}()
	}
	done := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				s, err := l.Spent(scDeleg, scMonth(time.May))
				if err != nil {
					report(err)
					return
				}
				if c, _ := s.Cmp(gbp("100")); c > 0 {
					report(fmt.Errorf("spent %s, over the limit", s))
				}
				if _, err := l.Metrics(coprod.Window{}, sector); err != nil {
					report(err)
				}
				if _, err := l.Flows(coprod.Window{}); err != nil {
					report(err)
				}
				for tx := range l.Transactions() {
					_ = tx.Formality.Scope
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	model := scModel{}
	n := 0
	accepted.Range(func(_, s any) bool {
		n++
		model.add(s.(coprod.Scope), 200)
		return true
	})
	s, err := l.Spent(scDeleg, scMonth(time.May))
	require.NoError(t, err)
	require.Equal(t, gbp(fmt.Sprint(2*n)).String(), s.String(), "spent is what was accepted (every hold voided)")
	require.LessOrEqual(t, 2*n, 100)
	require.Equal(t, model.want(), scScopes(t, l))
	for tx := range l.Transactions() {
		if tx.Formality.DecidedBy == director {
			require.NotNil(t, tx.Proof, "%s", tx.ID)
			require.Nil(t, tx.Proof.Path)
			require.NotEmpty(t, tx.Proof.Acting)
		}
	}
	mu.Lock()
	shared = nil // the replays below have no ledger to read
	mu.Unlock()
	scRequireReplays(t, l, j.Bytes(), auth)
}
