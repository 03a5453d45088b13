package ledger

// White-box attacks on the scope table (scopeIdx, scopeKeys, scopes) and
// on what a refused record leaves in it, in the cumulative totals and in
// the kept proofs. The black-box attacks are in attack_scopes_caps_test.go.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

func scID(name string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceURL, []byte("sc-internal:"+name)) }

var scMay = time.Date(2025, 5, 2, 10, 0, 0, 0, time.UTC)

// scBook is a ledger with a budget and a cash account of two owners, and
// a function that pays pence from one to the other under a scope.
func scBook(t *testing.T, opts Options) (*Ledger, func(name string, s coprod.Scope, pence int64) error) {
	t.Helper()
	l := New(opts)
	require.NoError(t, l.Open(Account{ID: scID("budget"), Owner: scID("council"), Kind: Budget, Unit: coprod.GBP}))
	require.NoError(t, l.Open(Account{ID: scID("cash"), Owner: scID("hub"), Kind: Cash, Unit: coprod.GBP}))
	return l, func(name string, s coprod.Scope, pence int64) error {
		a := coprod.MustParseAmount(fmt.Sprintf("%d.%02d", pence/100, pence%100), coprod.GBP)
		_, err := l.Post(Transaction{ID: scID(name), Kind: Grant, Effective: scMay, Recorded: scMay,
			Postings:  []Posting{{Account: scID("budget"), Amount: a.Neg()}, {Account: scID("cash"), Amount: a}},
			Formality: Formality{DecidedBy: scID("officer"), Scope: s}})
		return err
	}
}

// scRequireScopeTable checks the scope table's invariants: every scope
// is held in the index at its own number, its bytes in scopeKeys are its
// path, and its parent is numbered before it, as the scope one segment
// up.
func scRequireScopeTable(t *testing.T, l *Ledger) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	require.Equal(t, len(l.scopes), l.scopeIdx.Len())
	total := 0
	for i, n := range l.scopes {
		total += len(n.scope)
		require.Equal(t, string(n.scope), string(l.scopeKeys[n.key:n.key+len(n.scope)]), "scope %d", i)
		s, ok := l.knownScope(n.scope)
		require.True(t, ok, "scope %d %q", i, n.scope)
		require.Equal(t, n.scope, s)
		require.Equal(t, int32(i), l.scopeLast.id, "scope %q", n.scope)
		p, hasParent := n.scope.Parent()
		if !hasParent {
			require.Equal(t, int32(-1), n.parent, "scope %q", n.scope)
			continue
		}
		require.Less(t, n.parent, int32(i), "scope %q numbered before its parent", n.scope)
		require.Equal(t, p, l.scopes[n.parent].scope, "scope %q", n.scope)
	}
	require.Equal(t, total, len(l.scopeKeys))
}

// TestAttackScopeHashCollisionsToldApart (holds): scopes whose 32-bit
// hashes under the ledger's own seed are equal (found by brute force) are
// numbered apart: before the second of a pair is recorded, knownScope
// does not take it for the first, whose hash it
// shares; after, each is found at its own number, across thousands of
// other scopes that grow the table many times. Metrics sums each apart;
// the replay, under another seed, sums them the same.
func TestAttackScopeHashCollisionsToldApart(t *testing.T) {
	var j bytes.Buffer
	l, post := scBook(t, Options{Journal: &j})
	require.NoError(t, post("first", "x", 1)) // the index's seed is chosen

	byHash := map[uint32]coprod.Scope{}
	var pairs [][2]coprod.Scope
	for i := 0; len(pairs) < 6; i++ {
		s := coprod.Scope(fmt.Sprintf("x/%d/y", i))
		h := l.scopeIdx.HashString(string(s))
		if o, ok := byHash[h]; ok {
			pairs = append(pairs, [2]coprod.Scope{o, s})
			delete(byHash, h)
			continue
		}
		byHash[h] = s
	}
	want := map[coprod.Scope]string{}
	for k, p := range pairs {
		require.NoError(t, post(fmt.Sprint("a", k), p[0], int64(k+1)))
		want[p[0]] = fmt.Sprintf("0.%02d GBP", k+1)
		l.mu.Lock()
		_, known := l.knownScope(p[1])
		l.mu.Unlock()
		require.False(t, known, "%q taken for %q, whose hash it shares", p[1], p[0])
	}
	for i := range 3000 {
		require.NoError(t, post(fmt.Sprint("filler", i), coprod.Scope(fmt.Sprintf("f/%d/g", i)), 1))
	}
	for k, p := range pairs {
		require.NoError(t, post(fmt.Sprint("b", k), p[1], int64(50+k)))
		want[p[1]] = fmt.Sprintf("0.%02d GBP", 50+k)
	}
	for _, p := range pairs {
		l.mu.Lock()
		var ids [2]int32
		for i, s := range p {
			got, ok := l.knownScope(s)
			require.True(t, ok)
			require.Equal(t, s, got)
			ids[i] = l.scopeLast.id
		}
		l.mu.Unlock()
		require.NotEqual(t, ids[0], ids[1], "%q and %q share a number", p[0], p[1])
	}
	scRequireScopeTable(t, l)

	sectors := func(coprod.PartyID) coprod.Sector { return coprod.Statutory }
	m, err := l.Metrics(coprod.Window{}, sectors)
	require.NoError(t, err)
	got := map[coprod.Scope]string{}
	for _, s := range m.Scopes {
		if _, ok := want[s.Scope]; ok {
			got[s.Scope] = s.Moved.String()
		}
	}
	require.Equal(t, want, got)

	back, err := Replay(bytes.NewReader(j.Bytes()), Options{})
	require.NoError(t, err)
	scRequireScopeTable(t, back)
	mb, err := back.Metrics(coprod.Window{}, sectors)
	require.NoError(t, err)
	lj, _ := json.Marshal(m)
	bj, _ := json.Marshal(mb)
	require.Equal(t, string(lj), string(bj))
}

// scAuth is an Authorizer from a function.
type scAuth func(coprod.Permission) (coprod.Proof, error)

func (f scAuth) Permit(p coprod.Permission) (coprod.Proof, error) { return f(p) }

// scFailing is a journal that fails while fail is set.
type scFailing struct {
	bytes.Buffer
	fail bool
}

func (w *scFailing) Write(b []byte) (int, error) {
	if w.fail {
		return 0, errors.New("disk full")
	}
	return w.Buffer.Write(b)
}

// scInternals is what a refused record must leave as it was: the scope
// table, the cumulative totals (the value in each and the total itself,
// by identity), the kept proofs and the lines that hold them, the seq.
func scInternals(l *Ledger) string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var b strings.Builder
	fmt.Fprintf(&b, "seq %d scopes %d keys %d index %d\n", l.seq, len(l.scopes), len(l.scopeKeys), l.scopeIdx.Len())
	var caps []string
	for k, c := range l.caps {
		v, _ := c.spent.Amount()
		caps = append(caps, fmt.Sprintf("%v %p %s", k, c, v))
	}
	sort.Strings(caps)
	fmt.Fprintf(&b, "caps %v\n", caps)
	kept := 0
	for _, ps := range l.proofs {
		kept += len(ps)
	}
	fmt.Fprintf(&b, "proofs %d lines %v\n", kept, l.lineSeqs)
	return b.String()
}

// TestAttackRefusedRecordKeepsNoScopeProofOrTotal (holds): records in
// new scopes refused at each stage (unbalanced, after authorisation; over
// its cumulative limit, after its totals were worked out and the kept
// total found; at the journal, a reversal whose proof was found kept and
// whose total was found; and, the ledger stopped, a record under a new
// proof whose total it would start) each leave the scope table, the
// totals (values and identities) and the kept proofs as they were; the
// record accepted after the over-limit refusal counts against the total
// as it stood.
func TestAttackRefusedRecordKeepsNoScopeProofOrTotal(t *testing.T) {
	may := coprod.Window{NotBefore: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	link := coprod.ProofLink{ID: scID("link"), To: scID("officer"), Scope: "x", Limit: coprod.MustParseAmount("1", coprod.GBP), Period: may}
	other := link
	other.ID, other.Period = scID("other"), coprod.Window{NotBefore: may.Expires}
	auth := scAuth(func(p coprod.Permission) (coprod.Proof, error) {
		if coprod.Scope("x/journal").Covers(p.Scope) {
			return coprod.Proof{Path: []coprod.ProofLink{other}}, nil
		}
		return coprod.Proof{Path: []coprod.ProofLink{link}}, nil
	})
	w := &scFailing{}
	l, post := scBook(t, Options{Authorizer: auth, Journal: w})
	require.NoError(t, post("ok", "x/a", 60))
	scRequireScopeTable(t, l)

	before := scInternals(l)
	// Unbalanced, in a new scope.
	_, err := l.Post(Transaction{ID: scID("unbalanced"), Kind: Grant, Effective: scMay, Recorded: scMay,
		Postings:  []Posting{{Account: scID("budget"), Amount: coprod.MustParseAmount("-1", coprod.GBP)}, {Account: scID("cash"), Amount: coprod.MustParseAmount("2", coprod.GBP)}},
		Formality: Formality{DecidedBy: scID("officer"), Scope: "x/unbalanced"}})
	require.ErrorIs(t, err, ErrUnbalanced)
	require.Equal(t, before, scInternals(l))
	// Over the limit, in a new scope, after its total was found.
	require.ErrorIs(t, post("over", "x/over/deep", 41), ErrOverCumulative)
	require.Equal(t, before, scInternals(l))
	// The next record counts against the total as it stood.
	require.NoError(t, post("to-the-limit", "x/a", 40))
	spent, err := l.Spent(link.ID, may)
	require.NoError(t, err)
	require.Equal(t, "1.00 GBP", spent.String())

	// Refused at the journal, after its totals were worked out: a
	// reversal, whose proof is found kept and whose total is found; then,
	// the ledger stopped, a record in a new scope under a new proof whose
	// total it would start.
	before = scInternals(l)
	w.fail = true
	_, err = l.Reverse(ReversalRequest{ID: scID("rev"), Of: scID("ok"), By: scID("officer"), Effective: scMay, Recorded: scMay})
	require.ErrorIs(t, err, ErrJournal)
	require.Equal(t, before, scInternals(l))
	require.ErrorIs(t, post("journal", "x/journal/new", 50), ErrJournalFailed)
	require.Equal(t, before, scInternals(l))
}
