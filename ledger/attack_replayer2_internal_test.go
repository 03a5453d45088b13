package ledger

// Second round of internal attacks on the replay decoder's scope sharing
// (decodeReuse.scope): a record decoded after others, with the reuse a
// run's Prepare carries, reads exactly as it does with a fresh reuse (no
// sharing), whatever scopes came before it; and a whole journal's runs,
// as Prepare decodes them, hold the same transactions and refusals as
// each line decoded alone.

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/journal"
	"github.com/google/uuid"
)

func a2UUID(n int) uuid.UUID {
	return uuid.UUID{0: 0xa2, 6: 0x40, 8: 0x80, 14: byte(n >> 8), 15: byte(n)}
}

var a2Time = time.Date(2025, 4, 1, 9, 30, 0, 0, time.UTC)

// scopeVariants are scopes a record's formality might carry after one
// another: valid ones that differ from the base by case, a slash, a
// prefix or an extension, and invalid ones (empty, escaped, non-ASCII,
// too long), each as the raw JSON string the record holds.
var scopeVariants = []string{
	`"commission/mental-health/iapt"`,
	`"Commission/mental-health/iapt"`,
	`"commission/mental-health/iapT"`,
	`"commission/mental-health/iapt/"`,
	`"/commission/mental-health/iapt"`,
	`"commission//mental-health/iapt"`,
	`"commission/mental-health/iap"`,
	`"commission/mental-health"`,
	`"commission"`,
	`"commission/mental-health/iapt/x"`,
	`"commission/mental-health/iapt "`,
	`""`,
	`"commission\/mental-health\/iapt"`,
	`"commission/mental-health/iap\u0074"`,
	`"commission/mental-health/iapt\u0000"`,
	`"commission/mental-health/iapté"`,
	`"commission/mental-health/iapt` + "\xff" + `"`,
	`"` + strings.Repeat("a", coprod.MaxScopeLen) + `"`,
	`"` + strings.Repeat("a", coprod.MaxScopeLen+1) + `"`,
	`"` + strings.Repeat("a/", coprod.MaxScopeSegments) + `a"`,
	`null`,
	`7`,
}

// withScope returns rec with its formality's scope (the first "scope"
// field) replaced by raw, or the scope inserted if it has none.
func withScope(t testing.TB, rec []byte, raw string) []byte {
	t.Helper()
	const key = `"scope":`
	i := bytes.Index(rec, []byte(key))
	if i < 0 {
		j := bytes.Index(rec, []byte(`"decided_by":`))
		if j < 0 {
			t.Fatalf("no formality in %s", rec)
		}
		return append(append(append(rec[:j:j], key...), raw+","...), rec[j:]...)
	}
	start := i + len(key)
	// The current value is a plain JSON string the encoder wrote.
	end := start + 1 + bytes.IndexByte(rec[start+1:], '"') + 1
	return append(append(rec[:start:start], raw...), rec[end:]...)
}

// withLinkScope returns rec with the scope of its proof's first link
// replaced by raw, or nil if it has no link.
func withLinkScope(rec []byte, raw string) []byte {
	p := bytes.Index(rec, []byte(`,"proof":{"path":[`))
	if p < 0 {
		return nil
	}
	i := bytes.Index(rec[p:], []byte(`,"scope":`))
	if i < 0 {
		return nil
	}
	start := p + i + len(`,"scope":`)
	end := start + 1 + bytes.IndexByte(rec[start+1:], '"') + 1
	return append(append(rec[:start:start], raw...), rec[end:]...)
}

// decodeSequence decodes recs in turn with one decodeReuse, as Prepare
// does, and each with a fresh one (nothing shared), and requires the two
// to agree: same error or none, same transaction, same line named.
func decodeSequence(t *testing.T, recs [][]byte) {
	t.Helper()
	shared := &decodeReuse{}
	for k, b := range recs {
		var got Transaction
		shared.posts = nil
		gotErr := decodeTransactionInto(&got, b, shared)
		fresh := &decodeReuse{}
		var want Transaction
		wantErr := decodeTransactionInto(&want, b, fresh)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("record %d decoded after others: error %v, alone %v\n%s\nafter %q", k, gotErr, wantErr, b, recs[:k])
		}
		if gotErr != nil {
			if gotErr.Error() != wantErr.Error() {
				t.Fatalf("record %d: refused as %q after others, %q alone", k, gotErr, wantErr)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) || shared.proofRef != fresh.proofRef {
			t.Fatalf("record %d decoded after others differs:\n%s\nshared %#v\nalone  %#v", k, b, got, want)
		}
		// And as encoding/json reads it.
		js, ref, err := decodeJournalTransactionJSON(b)
		if err == nil {
			err = checkShape(&js)
		}
		if err != nil || ref != shared.proofRef || js.Formality.Scope != got.Formality.Scope {
			t.Fatalf("record %d: encoding/json gives scope %q (ref %d, %v), the shared decoder %q (ref %d)\n%s",
				k, js.Formality.Scope, ref, err, got.Formality.Scope, shared.proofRef, b)
		}
		if got.Formality.Scope != "" && !got.Formality.Scope.Valid() {
			t.Fatalf("record %d: an invalid scope %q slipped past validation", k, got.Formality.Scope)
		}
	}
}

// TestAttack2ScopeSharingEveryPairAndTriple (holds): every seed record
// carrying every scope variant, after every other variant (and after a
// valid scope then an invalid one of the same length, then the valid
// one again), decodes with the shared scope exactly as with none: an
// invalid scope never slips through because the last record had a
// valid one, and no record takes the last record's scope for its own.
// The variants go in the formality and, separately, in a proof link.
func TestAttack2ScopeSharingEveryPairAndTriple(t *testing.T) {
	var bases [][]byte
	for _, tx := range fastDecodeSeeds() {
		b, err := appendTransaction(nil, &tx)
		if err != nil {
			t.Fatal(err)
		}
		bases = append(bases, b)
	}
	for bi, base := range bases {
		var recs [][]byte
		for _, v := range scopeVariants {
			recs = append(recs, withScope(t, base, v))
		}
		for i := range recs {
			for j := range recs {
				decodeSequence(t, [][]byte{recs[i], recs[j]})
				decodeSequence(t, [][]byte{recs[i], recs[j], recs[i]})
			}
		}
		// The next seed after this one, both with each variant.
		other := bases[(bi+1)%len(bases)]
		for _, v := range scopeVariants {
			decodeSequence(t, [][]byte{withScope(t, base, v), withScope(t, other, v), withScope(t, base, scopeVariants[0]), withScope(t, other, v)})
		}
		// Link scopes: the record's scope stays, a link's changes.
		for _, v := range scopeVariants {
			if l := withLinkScope(base, v); l != nil {
				for _, u := range scopeVariants {
					decodeSequence(t, [][]byte{withScope(t, base, u), l, withLinkScope(withScope(t, base, u), v)})
				}
			}
		}
	}
}

// FuzzAttack2ScopeSequence: three records from one seed, with any three
// scopes (as raw JSON string contents), decoded in turn with one reuse,
// read as each does alone.
func FuzzAttack2ScopeSequence(f *testing.F) {
	for i, v := range scopeVariants {
		w := scopeVariants[(i+1)%len(scopeVariants)]
		f.Add(uint8(i), v, w, v)
	}
	seeds := fastDecodeSeeds()
	var bases [][]byte
	for _, tx := range seeds {
		b, err := appendTransaction(nil, &tx)
		if err != nil {
			f.Fatal(err)
		}
		bases = append(bases, b)
	}
	f.Fuzz(func(t *testing.T, which uint8, a, b, c string) {
		base := bases[int(which)%len(bases)]
		decodeSequence(t, [][]byte{withScope(t, base, a), withScope(t, base, b), withScope(t, base, c)})
	})
}

// TestAttack2PrepareMatchesLoneDecoding (holds): a journal whose
// transactions' scopes are rewritten line by line (runs of equal scopes,
// a case change, a trailing slash, an invalid scope after a valid one
// that is otherwise the same, then the valid one again) and re-chained:
// each run Prepare decodes, in runs large and small, holds for every
// transaction line the same transaction, scope included, and the same
// refusal as that line decoded with nothing shared.
func TestAttack2PrepareMatchesLoneDecoding(t *testing.T) {
	var j bytes.Buffer
	l := New(Options{Journal: &j})
	for _, a := range []Account{
		{ID: a2UUID(1), Owner: a2UUID(10), Name: "a", Kind: Cash, Unit: coprod.GBP},
		{ID: a2UUID(2), Owner: a2UUID(11), Name: "b", Kind: Cash, Unit: coprod.GBP},
	} {
		if err := l.Open(a); err != nil {
			t.Fatal(err)
		}
	}
	pattern := []string{
		`"commission/mental-health/iapt"`, `"commission/mental-health/iapt"`, `"Commission/mental-health/iapt"`,
		`"commission/mental-health/iapt"`, `"commission/mental-health/iapt/"`, `"commission/mental-health/iapt"`,
		`"commission/mental-health/iap"`, `"commission/mental-health"`, `"commission/mental-health/iapt"`,
		`"commission\/mental-health\/iapt"`, `"commission/mental-health/iapt"`, `""`, `"commission/mental-health/iapt"`,
		`"commission/mental-health/iapté"`, `"commission/mental-health/iapt"`,
	}
	for i := range 3 * len(pattern) {
		amt := coprod.MustParseAmount(fmt.Sprint(i+1), coprod.GBP)
		tx := Transaction{ID: a2UUID(1000 + i), Kind: Payment, Effective: a2Time, Recorded: a2Time,
			Postings:  []Posting{{Account: a2UUID(1), Amount: amt.Neg()}, {Account: a2UUID(2), Amount: amt}},
			Formality: Formality{Scope: "commission/mental-health/iapt", DecidedBy: a2UUID(20)}}
		if _, err := l.Post(tx); err != nil {
			t.Fatal(err)
		}
	}
	// Rewrite the transaction lines' scopes and chain again.
	var out []byte
	var prev journal.Hash
	k := 0
	seq := 0
	for _, raw := range bytes.SplitAfter(j.Bytes(), []byte("\n")) {
		if len(raw) == 0 {
			continue
		}
		typ, rec, text := splitLine(t, raw)
		if typ == recTransaction {
			rec = withScope(t, rec, pattern[k%len(pattern)])
			k++
		}
		seq++
		out, prev = journal.AppendLine(out, seq, prev, nil, typ, rec, text)
	}
	for _, size := range []int{1, 300, 5000, 1 << 20} {
		rp := newReplayer(bytes.NewReader(out), Options{}, size)
		lines, refused, decoded := 0, 0, 0
		for {
			run, err := rp.Read()
			if err != nil {
				break
			}
			run.Prepare()
			for i, ln := range run.run.Lines() {
				lines++
				if ln.Type != recTransaction {
					continue
				}
				var want Transaction
				fresh := &decodeReuse{}
				wantErr := decodeTransactionInto(&want, ln.Record, fresh)
				p := run.lines[i]
				if (p.err == nil) != (wantErr == nil) {
					t.Fatalf("runs of %d, line %d: Prepare's error %v, alone %v", size, ln.Seq, p.err, wantErr)
				}
				if p.err != nil {
					refused++
					continue
				}
				decoded++
				got := p.slot[:1][0].tx
				if got.Formality.Scope != want.Formality.Scope || got.ID != want.ID {
					t.Fatalf("runs of %d, line %d: Prepare decoded scope %q, alone %q", size, ln.Seq, got.Formality.Scope, want.Formality.Scope)
				}
				js, _, err := decodeJournalTransactionJSON(ln.Record)
				if err != nil || js.Formality.Scope != got.Formality.Scope {
					t.Fatalf("runs of %d, line %d: scope %q, encoding/json reads %q (%v):\n%s", size, ln.Seq, got.Formality.Scope, js.Formality.Scope, err, ln.Record)
				}
			}
			// Stop short of applying: an invalid scope refuses the run.
			rp.runs.Release(run.run)
			run.run = nil
		}
		if lines != seq || refused == 0 || decoded == 0 {
			t.Fatalf("runs of %d: %d lines prepared of %d, %d refused, %d decoded", size, lines, seq, refused, decoded)
		}
	}
}

// splitLine takes a version 2 journal line apart, as splitJournal does.
func splitLine(t *testing.T, raw []byte) (typ string, rec, text []byte) {
	t.Helper()
	rs := journal.NewRuns(bytes.NewReader(raw), types, nil)
	run, err := rs.Read()
	if err != nil {
		t.Fatal(err)
	}
	run.Check()
	ls := run.Lines()
	if len(ls) != 1 {
		t.Fatalf("%d lines in %s", len(ls), raw)
	}
	return ls[0].Type, bytes.Clone(ls[0].Record), bytes.Clone(ls[0].Text)
}
