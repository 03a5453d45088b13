package ledger

// Internal attacks on the two changes of c1a3aa2 (see
// attack_lazy_lists_test.go for those through the API): the fast UUID
// reader against uuid.ParseBytes and the accounts' lists as indexAccounts
// leaves them (the digits' own attack, TestAttackDecodeEveryPairOfBytes,
// moved to internal/hexword with them). All hold.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/idindex"
	"github.com/google/uuid"
)

// edgeBytes are the bytes beside the digits' and letters' bounds, the
// JSON string's own, and the high ones.
var edgeBytes = []byte("/09:@AFG`afg-\"\\ \x00\x1f\x7f\x80\xb0\xc0\xc6\xe6\xff")

// TestAttackFastUUIDMutations builds UUIDs in random case, damages one
// to four places (an edge byte, any byte, a character deleted or
// inserted, two swapped), puts the string in a JSON line before more of
// it, and holds the fast reader to what encoding/json and
// uuid.ParseBytes make of it: whatever the fast reader reads,
// encoding/json reads as the line's first value, to the same UUID, and
// both leave the same rest of the line; a 36-character string ParseBytes reads, the fast reader reads
// too (the encoder's form stays on the fast path). It holds.
func TestAttackFastUUIDMutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(36, 8))
	const rest = `,"kind":"grant"}`
	accepted, declined := 0, 0
	for range 300_000 {
		var u uuid.UUID
		binary.LittleEndian.PutUint64(u[:8], rng.Uint64())
		binary.LittleEndian.PutUint64(u[8:], rng.Uint64())
		s := []byte(u.String())
		for i := range s {
			if s[i] >= 'a' && rng.IntN(2) == 0 {
				s[i] -= 'a' - 'A'
			}
		}
		for range rng.IntN(5) {
			at := rng.IntN(len(s))
			switch rng.IntN(6) {
			case 0, 1:
				s[at] = edgeBytes[rng.IntN(len(edgeBytes))]
			case 2:
				s[at] = byte(rng.IntN(256))
			case 3:
				s = slices.Delete(s, at, at+1)
			case 4:
				s = slices.Insert(s, at, "0123456789abcdefABCDEF-"[rng.IntN(23)])
			default:
				if at < len(s)-1 {
					s[at], s[at+1] = s[at+1], s[at]
				}
			}
		}
		line := []byte(`"` + string(s) + `"` + rest)
		d := fastDecoder{b: line}
		var got uuid.UUID
		ok := d.uuid(&got)
		parsed, perr := uuid.ParseBytes(s)
		if ok {
			accepted++
			// encoding/json reads the first JSON value of the line.
			var want uuid.UUID
			dec := json.NewDecoder(bytes.NewReader(line))
			if err := dec.Decode(&want); err != nil || want != got {
				t.Fatalf("%q: the fast reader reads %v; encoding/json %v, %v", s, got, want, err)
			}
			if left := line[dec.InputOffset():]; !bytes.Equal(d.b, left) {
				t.Fatalf("%q: the fast reader left %q, encoding/json %q", s, d.b, left)
			}
			continue
		}
		declined++
		if len(s) == 36 && perr == nil {
			t.Fatalf("%q: ParseBytes reads %v; the fast reader declines it", s, parsed)
		}
	}
	if accepted < 10_000 || declined < 10_000 {
		t.Fatalf("accepted %d, declined %d: the mutations miss one side", accepted, declined)
	}
}

// TestAttackAccountListsExact records, refuses and reverses (two to 17
// postings, accounts named up to five times, holds captured) and checks
// the accounts' lists as indexAccounts leaves them: untouched by records,
// brought up to date by the next BalanceAt or BalanceRecordedAt (one for
// an account that does not exist too), each the places in txOrder of the
// transactions that post to the account, in order, once each (a
// transaction listed twice whose postings to the account sum to zero
// would not show in a balance). Positions are uint32: idindex refuses a
// position past MaxLen, so no place in txOrder passes 2^32-1. It holds.
func TestAttackAccountListsExact(t *testing.T) {
	if idindex.MaxLen-1 > math.MaxUint32 {
		t.Fatalf("a transaction's place, up to %d, does not fit the lists' uint32", idindex.MaxLen-1)
	}
	l := New(Options{})
	owner := uuid.UUID{15: 1}
	var accts []uuid.UUID
	for i := range 7 {
		a := Account{ID: uuid.UUID{0: 1, 15: byte(i)}, Owner: owner, Kind: Cash, Unit: coprod.GBP}
		if err := l.Open(a); err != nil {
			t.Fatal(err)
		}
		accts = append(accts, a.ID)
	}
	rng := rand.New(rand.NewPCG(4, 32))
	at := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	record := func() {
		n++
		at = at.Add(time.Minute)
		k := 2 + rng.IntN(16)
		ps := make([]Posting, k)
		var sum int64
		for i := range k - 1 {
			v := int64(rng.IntN(2001) - 1000)
			if v == 0 {
				v = 1
			}
			ps[i] = Posting{Account: accts[rng.IntN(3)], Amount: mustMinor(v)} // three accounts: many repeats
			sum += v
		}
		if sum == 0 {
			ps[0].Amount, sum = mustMinor(mustMinorValue(ps[0].Amount)+1), sum+1
		}
		ps[k-1] = Posting{Account: accts[3+rng.IntN(4)], Amount: mustMinor(-sum)}
		tx := Transaction{ID: uuid.UUID{0: 2, 14: byte(n >> 8), 15: byte(n)}, Kind: Payment, Effective: at, Recorded: at, Postings: ps,
			Formality: Formality{DecidedBy: owner}}
		switch rng.IntN(6) {
		case 0: // refused after newEntry: unbalanced
			tx.Postings = append(tx.Postings, Posting{Account: accts[0], Amount: mustMinor(1)})
			if _, err := l.Post(tx); err == nil {
				t.Fatal("an unbalanced record was accepted")
			}
		case 1: // a reversal of an earlier record, if it is not reversed
			l.mu.RLock()
			orig := l.txOrder[rng.IntN(len(l.txOrder))].tx.ID
			l.mu.RUnlock()
			_, _ = l.Reverse(ReversalRequest{ID: tx.ID, Of: orig, By: owner, Effective: at, Recorded: at})
		case 2: // a hold captured
			h := Hold{ID: tx.ID, Kind: Payment, From: accts[0], To: accts[0+1+rng.IntN(5)], Amount: mustMinor(500), Recorded: at, Formality: Formality{DecidedBy: owner}}
			if _, err := l.PlaceHold(h); err != nil {
				t.Fatal(err)
			}
			if _, err := l.Capture(CaptureRequest{Hold: h.ID, ID: uuid.UUID{0: 3, 14: byte(n >> 8), 15: byte(n)}, Amount: mustMinor(300), Effective: at, Recorded: at, By: owner}); err != nil {
				t.Fatal(err)
			}
		default:
			if _, err := l.Post(tx); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func() {
		t.Helper()
		l.mu.RLock()
		defer l.mu.RUnlock()
		if l.accountsIndexed != len(l.txOrder) {
			t.Fatalf("after a query, %d of %d transactions listed", l.accountsIndexed, len(l.txOrder))
		}
		for _, acc := range l.accountOrder {
			var want []uint32
			for j, e := range l.txOrder {
				for _, p := range e.tx.Postings {
					if p.Account == acc.ID {
						want = append(want, uint32(j))
						break
					}
				}
			}
			if !slices.Equal(acc.entries, want) {
				t.Fatalf("account %s lists %v, posted to by %v", acc.ID, acc.entries, want)
			}
		}
	}
	for round := range 40 {
		l.mu.RLock()
		recorded := len(l.txOrder)
		before := make([]int, len(l.accountOrder))
		for i, acc := range l.accountOrder {
			before[i] = len(acc.entries)
		}
		l.mu.RUnlock()
		for range 1 + rng.IntN(12) {
			record()
		}
		l.mu.RLock()
		for i, acc := range l.accountOrder {
			if len(acc.entries) != before[i] {
				t.Fatalf("recording appended to account %d's list", i)
			}
		}
		if len(l.txOrder) > recorded && l.accountsIndexed != recorded {
			t.Fatalf("%d of %d transactions listed with no query since %d", l.accountsIndexed, len(l.txOrder), recorded)
		}
		l.mu.RUnlock()
		var err error
		switch round % 3 {
		case 0:
			_, err = l.BalanceAt(accts[round%7], at)
		case 1:
			_, err = l.BalanceRecordedAt(accts[round%7], at)
		default:
			// Refused, and brings the lists up to date all the same.
			if _, err = l.BalanceAt(uuid.UUID{0: 9}, at); errors.Is(err, ErrUnknownAccount) {
				err = nil
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		check()
	}
	if len(l.txOrder) < 200 {
		t.Fatalf("only %d transactions", len(l.txOrder))
	}
}

func mustMinor(v int64) coprod.Amount {
	a, err := coprod.FromMinor(v, coprod.GBP)
	if err != nil {
		panic(fmt.Sprint(v, err))
	}
	return a
}

func mustMinorValue(a coprod.Amount) int64 {
	v, _ := a.Minor()
	return v
}
