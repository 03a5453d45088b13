package ledger

// Internal attacks on the replay decoder's reuse (see attack_replay_test.go
// for the journal-level ones): a second line decoded with what the first
// left behind (its postings buffer, the line it named for its proof)
// reads as it would alone, and utcTime against time.Time.UnmarshalJSON on
// every edge date.

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"
)

// decodePair decodes a and then b with one decodeReuse, as a replay's
// Prepare does, and checks that b reads as it does alone and that
// decoding b changes nothing of a's copy.
func decodePair(t *testing.T, a, b []byte) {
	r := &decodeReuse{}
	ta, oka := decodeTransactionFastWith(a, r)
	if oka {
		ta.Postings = slices.Clone(ta.Postings) // the entry's own
	}
	aCopy, refA := ta, r.proofRef
	r.proofRef = 0
	tb, okb := decodeTransactionFastWith(b, r)
	if oka && !reflect.DeepEqual(ta, aCopy) {
		t.Fatalf("decoding a second line changed the first:\n%s\nthen\n%s", a, b)
	}
	if oka && refA == 0 { // a line that names another's proof is not a transaction alone
		alone, _ := decodeTransactionFast(a)
		if !reflect.DeepEqual(ta, alone) {
			t.Fatalf("first line read with reuse other than alone:\n%s\nreuse %#v\nalone %#v", a, ta, alone)
		}
	}
	if !okb {
		return
	}
	want, ref, err := decodeJournalTransactionJSON(b)
	if err != nil {
		t.Fatalf("with reuse, the fast path accepted what encoding/json refuses: %v\n%s\nafter\n%s", err, b, a)
	}
	if !reflect.DeepEqual(tb, want) {
		t.Fatalf("with reuse, decodings differ:\n%s\nafter\n%s\nfast %#v\njson %#v", b, a, tb, want)
	}
	if ref != r.proofRef {
		t.Fatalf("with reuse, the line named differs: fast %d, json %d\n%s", r.proofRef, ref, b)
	}
}

// FuzzAttackDecodeReuse holds a line decoded after another, with the
// reuse a replay carries between them, to encoding/json on that line
// alone.
func FuzzAttackDecodeReuse(f *testing.F) {
	seeds := fastDecodeSeeds()
	var enc [][]byte
	for _, tx := range seeds {
		b, err := appendTransaction(nil, &tx)
		if err != nil {
			f.Fatal(err)
		}
		enc = append(enc, b)
	}
	for _, b := range enc {
		// The same record naming a line in place of its proof.
		if i := bytes.Index(b, []byte(`,"proof":`)); i >= 0 {
			enc = append(enc, append(b[:i:i], `,"proof_ref":7}`...))
		}
	}
	for i := range enc {
		for j := range enc {
			f.Add(enc[i], enc[j])
		}
	}
	f.Fuzz(func(t *testing.T, a, b []byte) { decodePair(t, a, b) })
}

// TestAttackDecodeReuseSeeds runs FuzzAttackDecodeReuse's pairs, and
// pairs whose second line differs from the first (or from the next seed)
// by a byte anywhere, its proof and scope included, as a plain test.
func TestAttackDecodeReuseSeeds(t *testing.T) {
	seeds := fastDecodeSeeds()
	var enc [][]byte
	for _, tx := range seeds {
		b, err := appendTransaction(nil, &tx)
		if err != nil {
			t.Fatal(err)
		}
		enc = append(enc, b)
	}
	for i := range enc {
		for j := range enc {
			decodePair(t, enc[i], enc[j])
			if j != i && j != (i+1)%len(enc) {
				continue
			}
			// The second line with each byte changed in turn to a few
			// lookalikes: case, a slash, a quote, a brace, a digit.
			for k := range enc[j] {
				for _, c := range []byte{'A', '/', '"', '}', '0', ' ', 'z'} {
					b := slices.Clone(enc[j])
					b[k] = c
					decodePair(t, enc[i], b)
				}
			}
		}
	}
}

// TestAttackUTCTimeEdges: every date of the edge years (leap and not,
// year 0000 and 9999), days 00 to 32, hours to 24, minutes and seconds to
// 60 and fractions of 0 to 12 digits: what utcTime reads,
// time.Time.UnmarshalJSON reads to the identical value.
func TestAttackUTCTimeEdges(t *testing.T) {
	check := func(s string) {
		fast, ok := utcTime([]byte(s))
		if !ok {
			return
		}
		var slow time.Time
		if err := slow.UnmarshalJSON([]byte(`"` + s + `"`)); err != nil {
			t.Fatalf("utcTime(%q) = %v; UnmarshalJSON refuses it: %v", s, fast, err)
		}
		if fast != slow {
			t.Fatalf("utcTime(%q) = %#v; UnmarshalJSON gives %#v", s, fast, slow)
		}
	}
	for _, y := range []int{0, 1, 4, 99, 100, 400, 1582, 1899, 1900, 1969, 1970, 2000, 2024, 2025, 2100, 2400, 9996, 9999} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				check(fmt.Sprintf("%04d-%02d-%02dT00:00:00Z", y, m, d))
				check(fmt.Sprintf("%04d-%02d-%02dT23:59:59.999999999Z", y, m, d))
			}
		}
	}
	for h := 0; h <= 24; h++ {
		for mi := 0; mi <= 60; mi += 10 {
			for s := 0; s <= 60; s++ {
				check(fmt.Sprintf("2024-02-29T%02d:%02d:%02dZ", h, mi, s))
			}
		}
	}
	for n := 0; n <= 12; n++ {
		for _, digit := range "0159" {
			frac := ""
			for range n {
				frac += string(digit)
			}
			check("1970-01-01T00:00:00." + frac + "Z")
			check("0000-01-01T00:00:00." + frac + "Z")
			check("9999-12-31T23:59:59." + frac + "Z")
		}
	}
}
