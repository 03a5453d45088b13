package ledger_test

// Attacks on the replay fast paths (a reused postings buffer, shared
// scopes, the UTC time reader and the cache of proofs by their bytes) and
// on the flat ID table behind idempotency and reversal lookups, by an
// attacker who controls journal bytes (replayed with a sound chain) or the
// IDs given to Post. Ground truth: a replayed transaction reads back as
// encoding/json decodes its record alone, and a record encoding/json
// refuses makes Replay return an error.

import (
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

// replayAttackAccounts are the account records every attack journal
// opens first: the test partnership's accounts, as journal records.
func replayAttackAccounts(t *testing.T) [][2]string {
	t.Helper()
	var recs [][2]string
	for _, a := range accounts {
		b, err := json.Marshal(a)
		require.NoError(t, err)
		recs = append(recs, [2]string{"account", string(b)})
	}
	return recs
}

// attackReplay replays the accounts and then txs, each a transaction
// record, through a journal with a sound chain.
func attackReplay(t *testing.T, txs ...string) (*ledger.Ledger, error) {
	t.Helper()
	recs := replayAttackAccounts(t)
	for _, tx := range txs {
		recs = append(recs, [2]string{"transaction", tx})
	}
	return ledger.Replay(strings.NewReader(journalLines(recs...)), ledger.Options{})
}

// groundTruth decodes one transaction record alone with encoding/json.
func groundTruth(rec string) (ledger.Transaction, error) {
	var tx ledger.Transaction
	err := json.Unmarshal([]byte(rec), &tx)
	return tx, err
}

// requireReadsAsDecoded checks that every transaction record reads back
// from l exactly as encoding/json decodes the record alone.
func requireReadsAsDecoded(t *testing.T, l *ledger.Ledger, recs ...string) {
	t.Helper()
	for i, rec := range recs {
		want, err := groundTruth(rec)
		require.NoError(t, err, "line %d: %s", i, rec)
		got, ok := l.Transaction(want.ID)
		require.True(t, ok, "line %d: transaction %s not replayed", i, want.ID)
		wb, err := json.Marshal(want)
		require.NoError(t, err)
		gb, err := json.Marshal(got)
		require.NoError(t, err)
		require.Equal(t, string(wb), string(gb), "line %d reads back other than its bytes say", i)
	}
}

// post is one posting of an attack record: account name and value in GBP.
type post struct{ account, value string }

// txRec is a grant record with the given postings, formality (the
// officer's discretion if empty) and tail (the fields after the
// formality), verbatim.
func txRec(name string, posts []post, formality, tail string) string {
	var ps []string
	for _, p := range posts {
		ps = append(ps, fmt.Sprintf(`{"account":"%s","amount":{"value":"%s","unit":"GBP"}}`, id(p.account), p.value))
	}
	if formality == "" {
		formality = fmt.Sprintf(`{"decided_by":"%s"}`, officer)
	}
	return fmt.Sprintf(`{"id":"%s","kind":"grant","postings":[%s],"effective":"2025-01-01T00:00:00Z","recorded":"2025-01-01T00:00:00Z","formality":%s%s}`,
		id(name), strings.Join(ps, ","), formality, tail)
}

// spread is n postings moving n pennies from the council's budget to
// the hub: half out, half in, each a penny of amount cents, so that
// every line's postings differ from the last.
func spread(n int, cents int) []post {
	var ps []post
	v := fmt.Sprintf("%d.%02d", cents/100, cents%100)
	for i := range n {
		if i%2 == 0 {
			ps = append(ps, post{"council-budget", "-" + v})
		} else {
			ps = append(ps, post{"hub-cash", v})
		}
	}
	return ps
}

func scopeFormality(scope string) string {
	return fmt.Sprintf(`{"scope":%q,"decided_by":"%s"}`, scope, officer)
}

// TestAttackReplayPostingsNotShared: lines of 2, 4, 64, 2, 6 and 2
// postings in turn, into one reused buffer, each read back as its own
// bytes say; a later line never changes an earlier transaction's
// postings (also checked by Transactions and TransactionViews).
func TestAttackReplayPostingsNotShared(t *testing.T) {
	var recs []string
	for i, n := range []int{2, 4, ledger.MaxPostings, 2, 6, 2, 8, 2} {
		recs = append(recs, txRec(fmt.Sprint("posts-", i), spread(n, i+1), "", ""))
	}
	// A line the fast decoder declines (an escaped memo) between two it
	// reads, with more postings than the buffer held.
	recs = append(recs,
		txRec("declined", spread(10, 97), "", `,"memo":"caf\u00e9 \"quoted\""`),
		txRec("after-declined", spread(2, 98), "", ``),
		txRec("declined-late", spread(12, 99), "", `,"memo":"x","metadata":{"a":"\u0062"}`),
		txRec("after-declined-late", spread(4, 96), "", ``),
	)
	l, err := attackReplay(t, recs...)
	require.NoError(t, err)
	requireReadsAsDecoded(t, l, recs...)
	i := 0
	for tx := range l.Transactions() {
		want, err := groundTruth(recs[i])
		require.NoError(t, err)
		assert.Equal(t, want.Postings, tx.Postings, "Transactions, line %d", i)
		i++
	}
	require.Equal(t, len(recs), i)
	i = 0
	for v := range l.TransactionViews() {
		want, _ := groundTruth(recs[i])
		require.Equal(t, len(want.Postings), v.NumPostings(), "TransactionViews, line %d", i)
		for j := range v.NumPostings() {
			p := v.Posting(j)
			assert.Equal(t, want.Postings[j].Account, p.Account, "line %d posting %d", i, j)
			assert.True(t, want.Postings[j].Amount.Equal(p.Amount), "line %d posting %d", i, j)
		}
		i++
	}
}

// TestAttackReplayScopeLookalikes: after a scope (and its parents) is
// known, a record naming a scope that differs from it only in case, a
// trailing or doubled slash, white space or an escape is refused exactly
// when encoding/json refuses it, and read as encoding/json reads it when
// not.
func TestAttackReplayScopeLookalikes(t *testing.T) {
	known := txRec("known", spread(2, 1), scopeFormality("commission/mental-health/iapt"), "")
	for _, scope := range []string{
		"commission/mental-health/iapt", "commission/mental-health", "commission", // known
		"Commission/mental-health/iapt", "COMMISSION", "commission/mental-health/", "commission/", "/commission",
		"commission//mental-health", "commission/mental-health/iapt ", " commission", "commission\t",
		"", "commission/mental-health/iapt/x", "commission/Mental-health",
		`commission\/mental-health`, `commissio\u006e`, `commission\u0000`,
	} {
		t.Run(scope, func(t *testing.T) {
			rec := txRec("lookalike", spread(2, 2), fmt.Sprintf(`{"scope":"%s","decided_by":"%s"}`, scope, officer), "")
			_, wantErr := groundTruth(rec)
			l, err := attackReplay(t, known, rec)
			if wantErr != nil {
				require.Error(t, err, "encoding/json refuses %q (%v); replay must too", scope, wantErr)
				require.ErrorIs(t, err, ledger.ErrCorruptJournal)
				return
			}
			require.NoError(t, err)
			requireReadsAsDecoded(t, l, known, rec)
		})
	}
}

// TestAttackReplayTimeEdges: a record's times in every edge form, each
// refused exactly when encoding/json refuses it (or the ledger refuses
// the time it decodes to), and read back as encoding/json reads it when
// accepted.
func TestAttackReplayTimeEdges(t *testing.T) {
	for _, s := range []string{
		"2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2000-02-29T23:59:59Z", "1900-02-29T00:00:00Z",
		"2100-02-29T00:00:00Z", "2400-02-29T12:00:00Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
		"0001-01-01T00:00:00.000000001Z", "9999-12-31T23:59:59.999999999Z", "9999-12-31T23:59:59Z",
		"2025-01-01T24:00:00Z", "2025-12-31T23:59:60Z", "2025-01-01T23:60:00Z", "2025-13-01T00:00:00Z",
		"2025-00-01T00:00:00Z", "2025-01-00T00:00:00Z", "2025-04-31T00:00:00Z", "2025-01-32T00:00:00Z",
		"2025-01-01T00:00:00.1Z", "2025-01-01T00:00:00.12Z", "2025-01-01T00:00:00.123Z",
		"2025-01-01T00:00:00.1234Z", "2025-01-01T00:00:00.12345Z", "2025-01-01T00:00:00.123456Z",
		"2025-01-01T00:00:00.1234567Z", "2025-01-01T00:00:00.12345678Z", "2025-01-01T00:00:00.123456789Z",
		"2025-01-01T00:00:00.1234567891Z", "2025-01-01T00:00:00.999999999999Z", "2025-01-01T00:00:00.Z",
		"2025-01-01T00:00:00,5Z", "2025-01-01T00:00:00.000000000Z", "2025-01-01T00:00:00.5+01:00",
		"2025-01-01t00:00:00Z", "2025-01-01T00:00:00z", "2025-01-01 00:00:00Z", "2025-01-01T00:00:00+00:00",
		"2025-01-01T00:00:00-00:00", "2025-01-01T00:00:00+23:59", "2025-01-01T00:00:00+24:00",
		"+2025-01-01T00:00:00Z", "2025-1-01T00:00:00Z", "2025-01-01T0:00:00Z", "2025-01-01T00:00:0Z",
		"2025-01-01T00:00:00ZZ", "2025-01-01T00:00:00.-1Z", "2025-01-01T00:00:00.+1Z", "2025-01-01T00:00:00. 1Z",
		"2025-01-01T00:00:00Z ", " 2025-01-01T00:00:00Z", "2025-01-01T00:00:00\u005a", "2025-01-01T00:00:00\\Z",
	} {
		t.Run(s, func(t *testing.T) {
			rec := strings.ReplaceAll(txRec("timed", spread(2, 3), "", ""), "2025-01-01T00:00:00Z", s)
			_, wantErr := groundTruth(rec)
			l, err := attackReplay(t, rec)
			if wantErr != nil {
				require.Error(t, err, "encoding/json refuses %q (%v); replay must too", s, wantErr)
				return
			}
			require.NoError(t, err)
			requireReadsAsDecoded(t, l, rec)
		})
	}
}

// proofRec is a discretionary grant spending the council's money with
// the given proof bytes as its last field (and tail after them, if any).
func proofRec(name, proof, tail string) string {
	return txRec(name, spread(2, 5), "", `,"proof":`+proof+tail)
}

func actingJSON(name string) string {
	return fmt.Sprintf(`{"id":"%s","person":"%s","for":"%s"}`, id(name), officer, council)
}

func linkJSON(name, extra string) string {
	return fmt.Sprintf(`{"id":"%s","from":"%s","to":"%s","scope":"commission","limit":null%s}`, id(name), council, officer, extra)
}

// TestAttackReplayRepeatedProofBytes: a line whose proof bytes equal an earlier
// line's, or nearly do, reads back with the proof its own bytes say:
// duplicate proof keys, bytes after the proof, a proof the slow decoder
// reads, periods in other zones, and the same proofs in the other order.
func TestAttackReplayRepeatedProofBytes(t *testing.T) {
	a := fmt.Sprintf(`{"path":[%s],"acting":[%s]}`, linkJSON("d", ""), actingJSON("act"))
	b := fmt.Sprintf(`{"path":[%s]}`, linkJSON("d", ""))
	zoned := func(ts string) string {
		return fmt.Sprintf(`{"path":[%s]}`, linkJSON("d", `,"period":{"not_before":"`+ts+`"}`))
	}
	limit := func(v string) string {
		return fmt.Sprintf(`{"path":[%s]}`, strings.Replace(linkJSON("d", ""), `"limit":null`, `"limit":{"value":"`+v+`","unit":"GBP"}`, 1))
	}
	cases := map[string][]string{
		"duplicate proof keys": {
			proofRec("p1", a, ""),
			proofRec("p2", a, `,"proof":`+b),
			proofRec("p3", b, `,"proof":`+a),
			proofRec("p4", b, ""),
			proofRec("p5", a, `,"proof":null`),
		},
		"fields after the proof": {
			proofRec("p1", a, ""),
			proofRec("p2", a, `,"memo":"after the proof"`),
			proofRec("p3", a, `,"metadata":{"k":"v"}`),
			proofRec("p4", a, `,"coverage":"full-cost-recovery"`),
			proofRec("p5", a, ""),
		},
		"slow path proof then fast": {
			proofRec("p1", strings.Replace(a, `"scope":"commission"`, `"scope":"commissio\u006e"`, 1), ""),
			proofRec("p2", a, ""),
			proofRec("p3", strings.Replace(a, `"scope":"commission"`, `"scope":"commissio\u006e"`, 1), ""),
			proofRec("p4", strings.Replace(b, `{"path"`, `{ "path"`, 1), ""),
			proofRec("p5", b, ""),
		},
		"periods in other zones": {
			proofRec("p1", zoned("2025-01-01T00:00:00Z"), ""),
			proofRec("p2", zoned("2025-01-01T01:00:00+01:00"), ""),
			proofRec("p3", zoned("2025-01-01T00:00:00.000Z"), ""),
			proofRec("p4", zoned("2025-01-01T00:00:00+00:00"), ""),
			proofRec("p5", zoned("2025-01-01T01:00:00+01:00"), ""),
			proofRec("p6", zoned("2025-01-01T00:00:00Z"), ""),
		},
		"limits": {
			proofRec("p1", b, ""),
			proofRec("p2", limit("1000"), ""),
			proofRec("p3", b, ""),
			proofRec("p4", limit("1000.00"), ""),
			proofRec("p5", limit("1000"), ""),
			proofRec("p6", limit("1000.0"), ""),
		},
		"earlier fields differ": {
			proofRec("p1", a, ""),
			strings.Replace(proofRec("p2", a, ""), `"kind":"grant"`, `"kind":"payment"`, 1),
			strings.Replace(proofRec("p3", a, ""), `"effective":"2025-01-01T00:00:00Z"`, `"effective":"2024-12-31T00:00:00Z"`, 1),
		},
	}
	for name, recs := range cases {
		t.Run(name, func(t *testing.T) {
			for _, rec := range recs {
				_, err := groundTruth(rec)
				require.NoError(t, err, rec)
			}
			l, err := attackReplay(t, recs...)
			require.NoError(t, err)
			requireReadsAsDecoded(t, l, recs...)
		})
	}
}

// TestAttackReplayRepeatedProofRefusedLine: a line that is refused after
// its proof was read leaves the replay refused, not a ledger holding a
// proof for bytes it never applied.
func TestAttackReplayRepeatedProofRefusedLine(t *testing.T) {
	a := fmt.Sprintf(`{"path":[%s],"acting":[%s]}`, linkJSON("d", ""), actingJSON("act"))
	for name, bad := range map[string]string{
		"unbalanced":      txRec("bad", []post{{"council-budget", "-1.00"}, {"hub-cash", "2.00"}}, "", `,"proof":`+a),
		"unknown account": txRec("bad", []post{{"nowhere", "-1.00"}, {"hub-cash", "1.00"}}, "", `,"proof":`+a),
		"recorded twice":  proofRec("p1", a, ""),
		"bad kind":        strings.Replace(proofRec("bad", a, ""), `"kind":"grant"`, `"kind":"gift"`, 1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := attackReplay(t, proofRec("p1", a, ""), bad, proofRec("p2", a, ""))
			require.Error(t, err)
			require.ErrorIs(t, err, ledger.ErrCorruptJournal)
		})
	}
}

// nilOrEmptyPath answers every record with an acting-for record and
// either a nil or an empty (non-nil) proof path, by the record's day.
type nilOrEmptyPath struct{}

func (nilOrEmptyPath) Permit(p coprod.Permission) (coprod.Proof, error) {
	pr := coprod.Proof{Acting: []coprod.ProofActing{{ID: id("act"), Person: officer, For: council}}}
	if p.Effective.Day()%2 == 0 {
		pr.Path = []coprod.ProofLink{}
	}
	return pr, nil
}

// TestAttackProofNilAndEmptyPathMerged: a proof whose path is null and
// one whose path is [] (with the same acting-for records) are different
// JSON, and each record must read back with its own; the ledger keeps one
// for both (equalProofs takes a nil slice for an empty one), so the
// second record reads back with the first's path, live, and after replay
// whatever its line's bytes say.
func TestAttackProofNilAndEmptyPathMerged(t *testing.T) {
	acting := actingJSON("act")
	recs := []string{
		proofRec("empty-path", `{"path":[],"acting":[`+acting+`]}`, ""),
		proofRec("null-path", `{"path":null,"acting":[`+acting+`]}`, ""),
	}
	t.Run("replay", func(t *testing.T) {
		l, err := attackReplay(t, recs...)
		require.NoError(t, err)
		requireReadsAsDecoded(t, l, recs...)
	})
	t.Run("post", func(t *testing.T) {
		var journal bytes.Buffer
		l := newLedger(t, ledger.Options{Authorizer: nilOrEmptyPath{}, Journal: &journal})
		for _, d := range []int{2, 3} { // an empty path, then a nil one
			_, err := l.Post(pay(fmt.Sprint("day-", d), "council-budget", "hub-cash", "1", ledger.Grant, officer, uuid.Nil, day(2025, 5, d)))
			require.NoError(t, err)
		}
		for _, d := range []int{2, 3} {
			want, _ := nilOrEmptyPath{}.Permit(coprod.Permission{Effective: day(2025, 5, d)})
			wb, _ := json.Marshal(want)
			tx, ok := l.Transaction(id(fmt.Sprint("day-", d)))
			require.True(t, ok)
			gb, _ := json.Marshal(tx.Proof)
			require.Equal(t, string(wb), string(gb), "day %d reads back with another record's proof", d)
		}
	})
}

// TestAttackIdempotencyByID: through Post and through replay, the same
// ID with the same content is a duplicate and with other content a
// conflict, for many IDs (the table grows many times), uuid.Nil is
// refused, and reversals and payments against IDs never recorded are
// refused with ErrUnknownTransaction.
func TestAttackIdempotencyByID(t *testing.T) {
	var journal bytes.Buffer
	l := newLedger(t, ledger.Options{Journal: &journal})
	const n = 3000
	at := day(2025, 5, 1)
	txOf := func(i int) ledger.Transaction {
		return pay(fmt.Sprint("many-", i), "council-budget", "hub-cash", "1", ledger.Grant, officer, uuid.Nil, at)
	}
	for i := range n {
		r, err := l.Post(txOf(i))
		require.NoError(t, err)
		require.False(t, r.Duplicate)
	}
	check := func(t *testing.T, l *ledger.Ledger, reverse int) {
		for i := range n {
			tx := txOf(i)
			r, err := l.Post(tx)
			require.NoError(t, err, i)
			require.True(t, r.Duplicate, i)
			require.Equal(t, i+1+len(accounts), r.Seq, i)
			tx.Postings[1].Amount, tx.Postings[0].Amount = gbp("2"), gbp("-2")
			_, err = l.Post(tx)
			require.ErrorIs(t, err, ledger.ErrIdempotencyConflict, i)
			got, ok := l.Transaction(tx.ID)
			require.True(t, ok)
			require.Equal(t, tx.ID, got.ID)
		}
		_, err := l.Post(pay("never", "council-budget", "hub-cash", "1", ledger.Grant, officer, uuid.Nil, at))
		require.NoError(t, err)
		nilID := txOf(0)
		nilID.ID = uuid.Nil
		_, err = l.Post(nilID)
		require.ErrorIs(t, err, ledger.ErrInvalidTransaction)
		against := txOf(0)
		against.ID, against.Against = id("against-unknown"), id("never-recorded")
		_, err = l.Post(against)
		require.ErrorIs(t, err, ledger.ErrUnknownTransaction)
		_, err = l.Reverse(ledger.ReversalRequest{ID: id("rev-unknown"), Of: id("never-recorded"), By: officer, Effective: at, Recorded: at})
		require.ErrorIs(t, err, ledger.ErrUnknownTransaction)
		_, err = l.Reverse(ledger.ReversalRequest{ID: id("rev-nil"), Of: uuid.Nil, By: officer, Effective: at, Recorded: at})
		require.Error(t, err)
		_, ok := l.Transaction(uuid.Nil)
		require.False(t, ok)
		_, ok = l.Transaction(id("never-recorded"))
		require.False(t, ok)
		// A reversal's retry is a duplicate; another transaction under
		// the reversal's ID is a conflict.
		rev := ledger.ReversalRequest{ID: id(fmt.Sprint("rev-", reverse)), Of: id(fmt.Sprint("many-", reverse)), By: officer, Effective: at, Recorded: at}
		r, err := l.Reverse(rev)
		require.NoError(t, err)
		require.False(t, r.Duplicate)
		r, err = l.Reverse(rev)
		require.NoError(t, err)
		require.True(t, r.Duplicate)
		clash := txOf(0)
		clash.ID = rev.ID
		_, err = l.Post(clash)
		require.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
	}
	t.Run("live", func(t *testing.T) { check(t, l, 7) })
	replayed, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{})
	require.NoError(t, err)
	t.Run("replayed", func(t *testing.T) {
		// The live run's reversal, retried, is a duplicate after replay.
		r, err := replayed.Reverse(ledger.ReversalRequest{ID: id("rev-7"), Of: id("many-7"), By: officer, Effective: at, Recorded: at})
		require.NoError(t, err)
		require.True(t, r.Duplicate)
		check(t, replayed, 8)
	})
}

// TestAttackReplayDuplicateIDLines: a journal that records one ID twice
// (identical lines, or other content) is refused, as is a line reversing
// or drawn against an ID no line recorded, or a reversal of uuid.Nil.
func TestAttackReplayDuplicateIDLines(t *testing.T) {
	first := txRec("dup", spread(2, 1), "", "")
	other := txRec("dup", spread(2, 2), "", "")
	nilID := strings.Replace(first, id("dup").String(), uuid.Nil.String(), 1)
	against := txRec("against", spread(2, 1), "", fmt.Sprintf(`,"against":"%s"`, id("never")))
	reversal := strings.Replace(txRec("rev", []post{{"council-budget", "1.00"}, {"hub-cash", "-1.00"}}, "", fmt.Sprintf(`,"reverses":"%s"`, id("never"))), `"kind":"grant"`, `"kind":"reversal"`, 1)
	reversalNil := strings.Replace(reversal, id("never").String(), uuid.Nil.String(), 1)
	for name, recs := range map[string][]string{
		"identical":     {first, first},
		"other content": {first, other},
		"nil id":        {nilID},
		"against never": {against},
		"reverses never": {
			reversal,
		},
		"reverses nil": {reversalNil},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := attackReplay(t, recs...)
			require.Error(t, err)
			require.ErrorIs(t, err, ledger.ErrCorruptJournal)
		})
	}
}

// TestAttackReplayErasedTextProofs: a journal of records made under
// alternating proofs, each with a memo and metadata journaled beside the
// record, one line's text erased: after replay every record reads back
// with the proof it was made under and its own text (none for the erased
// line), and a retry of the erased record with its text is a conflict.
func TestAttackReplayErasedTextProofs(t *testing.T) {
	link := coprod.ProofLink{ID: id("d"), From: council, To: officer, Scope: "commission"}
	limited := link
	limited.Limit = gbp("5000")
	proofs := []coprod.Proof{
		{Path: []coprod.ProofLink{link}},
		{Path: []coprod.ProofLink{limited}},
		{Path: []coprod.ProofLink{link}, Acting: []coprod.ProofActing{{ID: id("act"), Person: officer, For: council}}},
	}
	auth := proofByDay{}
	for i := range 9 {
		auth[fmt.Sprint("p", 1+i)] = proofs[i%3] // record i, made on day 1+i, under proof i%3
	}
	var journal bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &journal})
	var txs []ledger.Transaction
	for i := range 9 {
		tx := pay(fmt.Sprint("erase-", i), "council-budget", "hub-cash", "1", ledger.Grant, officer, id("d"), day(2025, 5, 1+i))
		tx.Formality.Scope = "commission"
		tx.Memo, tx.Metadata = fmt.Sprint("memo ", i), map[string]string{"invoice": fmt.Sprint("INV-", i)}
		r, err := l.Post(tx)
		require.NoError(t, err)
		require.Equal(t, len(accounts)+i+1, r.Seq)
		txs = append(txs, tx)
	}
	const erased = 4 // the fifth record, erase-4
	var out bytes.Buffer
	require.NoError(t, ledger.EraseText(bytes.NewReader(journal.Bytes()), &out, len(accounts)+erased+1))
	replayed, err := ledger.Replay(bytes.NewReader(out.Bytes()), ledger.Options{Authorizer: auth})
	require.NoError(t, err)
	for i, tx := range txs {
		got, ok := replayed.Transaction(tx.ID)
		require.True(t, ok)
		want := proofs[i%3]
		wb, _ := json.Marshal(want)
		gb, _ := json.Marshal(got.Proof)
		require.Equal(t, string(wb), string(gb), "record %d", i)
		if i == erased {
			require.Empty(t, got.Memo)
			require.Empty(t, got.Metadata)
		} else {
			require.Equal(t, tx.Memo, got.Memo)
			require.Equal(t, tx.Metadata, got.Metadata)
		}
	}
	_, err = replayed.Post(txs[erased])
	require.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
	r, err := replayed.Post(txs[erased+1])
	require.NoError(t, err)
	require.True(t, r.Duplicate)
}
