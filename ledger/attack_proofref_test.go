package ledger_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// proofByAmount answers each record with the proof named by the amount it
// moves (in whole pounds): so a test picks a record's proof by its amount.
type proofByAmount map[string]coprod.Proof

func (a proofByAmount) Permit(p coprod.Permission) (coprod.Proof, error) {
	k := p.Amount.String()
	if proof, ok := a[k]; ok {
		return proof, nil
	}
	return coprod.Proof{}, fmt.Errorf("no proof for %s", k)
}

// refLink is the one delegation every proof here is under: the council
// to the officer, in "commission".
func refLink(limit string) coprod.ProofLink {
	l := coprod.ProofLink{ID: id("d"), From: council, To: officer, Scope: "commission"}
	if limit != "" {
		l.Limit = gbp(limit)
	}
	return l
}

// actingProof is a proof under refLink with one acting-for record named
// by n: proofs that differ only there are distinct proofs under the same
// last link, so they share the ledger's kept set for that link.
func actingProof(n int) coprod.Proof {
	return coprod.Proof{
		Path:   []coprod.ProofLink{refLink("")},
		Acting: []coprod.ProofActing{{ID: id(fmt.Sprint("act-", n)), Person: officer, For: council}},
	}
}

// proofsOf is every transaction's proof, as JSON, in order.
func proofsOf(t *testing.T, l *ledger.Ledger) string {
	t.Helper()
	var s strings.Builder
	for tx := range l.Transactions() {
		pb, err := json.Marshal(tx.Proof)
		require.NoError(t, err)
		fmt.Fprintf(&s, "%s %s\n", tx.ID, pb)
	}
	return s.String()
}

// requireSameReplay replays journal (with and without the authorizer)
// and requires the same state, head and proofs as live.
func requireSameReplay(t *testing.T, live *ledger.Ledger, journal []byte, auth ledger.Authorizer) {
	t.Helper()
	head, err := ledger.Verify(bytes.NewReader(journal), nil)
	require.NoError(t, err)
	require.Equal(t, live.Head(), head)
	for _, a := range []ledger.Authorizer{auth, nil} {
		back, err := ledger.Replay(bytes.NewReader(journal), ledger.Options{Authorizer: a})
		require.NoError(t, err, "a journal the ledger wrote replays")
		assert.Equal(t, state(t, live), state(t, back))
		assert.Equal(t, proofsOf(t, live), proofsOf(t, back))
	}
}

// TestAttackProofRefAfterEviction: more than 16 distinct proofs under one
// delegation evict the first from the ledger's kept set; the next record
// under it writes the proof in full again, and the one after names that
// second full line. Replay's decoder remembers the bytes of the first
// full line and hands back the evicted kept proof, which already has a
// line; the second full line must still be noted as holding the proof, or
// the third record's proof_ref names no line replay knows and a journal
// the ledger itself wrote cannot be replayed (as it could not, before
// replay noted every full line).
func TestAttackProofRefAfterEviction(t *testing.T) {
	auth := proofByAmount{}
	const distinct = 17 // one more than the ledger keeps per link
	for i := 1; i <= distinct; i++ {
		auth[gbp(fmt.Sprint(i)).String()] = actingProof(i)
	}
	var journal bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &journal})
	n := 0
	post := func(amount int) {
		t.Helper()
		n++
		_, err := l.Post(pay(fmt.Sprint("evict-", n), "council-budget", "hub-cash", fmt.Sprint(amount), ledger.Grant, officer, id("d"), day(2025, 5, 1)))
		require.NoError(t, err)
	}
	for i := 1; i <= distinct; i++ {
		post(i)
	}
	post(1) // evicted: written in full again
	post(1) // names the line just written
	requireSameReplay(t, l, journal.Bytes(), auth)
}

// periodProof is a proof under refLink whose link's period is [from,
// until).
func periodProof(from, until time.Time) coprod.Proof {
	l := refLink("")
	l.Period = coprod.Window{NotBefore: from, Expires: until}
	return coprod.Proof{Path: []coprod.ProofLink{l}}
}

// TestAttackProofRefSameBytesOtherZoneName: two proofs whose period is
// the same instants at the same offset, one in UTC and one in
// Europe/London in winter (GMT, offset 0), are not the same proof to the
// ledger (their zones' names differ), so both are written in full, yet
// their bytes are identical ("Z"). A third record under the second names
// the second's line. Replay cannot tell the two full lines apart: it
// reads the second as the first line's kept proof. The writer's test of
// "reads the same" (sameProof: zone names, nil or empty lists) is finer
// than the bytes it writes, so replay must note the second full line too,
// or the journal the ledger wrote is refused (as it was, before replay
// noted every full line).
func TestAttackProofRefSameBytesOtherZoneName(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	from, until := time.Date(2025, 1, 1, 0, 0, 0, 0, london), time.Date(2025, 2, 1, 0, 0, 0, 0, london)
	auth := proofByAmount{
		gbp("1").String(): periodProof(from.UTC(), until.UTC()),
		gbp("2").String(): periodProof(from, until), // GMT: printed as the UTC one
	}
	a, _ := json.Marshal(auth[gbp("1").String()])
	b, _ := json.Marshal(auth[gbp("2").String()])
	require.Equal(t, string(a), string(b), "the two proofs print the same")

	var journal bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &journal})
	for i, amount := range []string{"1", "2", "2"} {
		_, err := l.Post(pay(fmt.Sprint("zone-", i), "council-budget", "hub-cash", amount, ledger.Grant, officer, id("d"), day(2025, 1, 10)))
		require.NoError(t, err)
	}
	requireSameReplay(t, l, journal.Bytes(), auth)
}

// TestAttackProofRefContinuedAfterReplayInLondon: the ledger runs in
// Europe/London and its authority gives periods in that zone (BST,
// +01:00). Replay decodes the period at offset +01:00 in an unnamed zone,
// which the ledger does not take for the authority's proof, so a ledger
// continued after Replay writes the same proof in full again, with the
// same bytes, and names that new line after. The next Replay reads the
// new full line as the kept proof of the first; it must still note the
// new line, or it refuses the reference and a journal continued as the
// package doc says cannot be replayed again (as before the fix).
func TestAttackProofRefContinuedAfterReplayInLondon(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	start, end := time.Date(2025, 4, 1, 0, 0, 0, 0, london), time.Date(2026, 4, 1, 0, 0, 0, 0, london)
	auth := proofByAmount{gbp("10").String(): periodProof(start, end)}
	var journal bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &journal, Location: london})
	post := func(l *ledger.Ledger, name string) {
		t.Helper()
		_, err := l.Post(pay(name, "council-budget", "hub-cash", "10", ledger.Grant, officer, id("d"), day(2025, 5, 1)))
		require.NoError(t, err)
	}
	post(l, "a")
	post(l, "b")

	cont, err := ledger.Replay(bytes.NewReader(bytes.Clone(journal.Bytes())), ledger.Options{Authorizer: auth, Journal: &journal, Location: london})
	require.NoError(t, err)
	post(cont, "c")
	post(cont, "d")
	requireSameReplay(t, cont, journal.Bytes(), auth)
}

// TestProofRefGovernanceLondonContinued (holds): with the wiring the
// package doc gives, a governance register as Authorizer, a delegation
// with a monthly cumulative limit and Options.Location Europe/London, a
// ledger continued after Replay keeps naming the lines of the journal it
// continues, and the result replays to the same state and proofs. (The
// register puts its periods in UTC, which replay reads back as they were
// given; an authority that keeps the zone does not fare so well: see
// TestAttackProofRefContinuedAfterReplayInLondon.)
func TestProofRefGovernanceLondonContinued(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	reg := governance.NewRegister()
	require.NoError(t, reg.AddParty(coprod.Party{ID: council, Name: "Council", Sector: coprod.Statutory}))
	require.NoError(t, reg.AddParty(coprod.Party{ID: officer, Name: "Officer", Sector: coprod.Individual}))
	require.NoError(t, reg.AddParty(coprod.Party{ID: hub, Name: "Hub", Sector: coprod.Hub}))
	require.NoError(t, reg.AddMandate(governance.Mandate{ID: id("m"), Holder: council, Scope: "commission", MaxDepth: 1}))
	require.NoError(t, reg.Delegate(governance.Delegation{ID: id("d"), Parent: id("m"), From: council, To: officer,
		Scope: "commission/mental-health", TransactionLimit: gbp("1000"), CumulativeLimit: gbp("5000"), Period: governance.PeriodMonth}))

	opts := func(w *bytes.Buffer) ledger.Options {
		return ledger.Options{Authorizer: reg, Journal: w, Location: london}
	}
	var journal bytes.Buffer
	l := newLedger(t, opts(&journal))
	post := func(l *ledger.Ledger, name string, d int) {
		t.Helper()
		_, err := l.Post(pay(name, "council-budget", "hub-cash", "10", ledger.Grant, officer, id("d"), day(2025, 5, d)))
		require.NoError(t, err)
	}
	post(l, "g1", 1)
	post(l, "g2", 2)
	cont, err := ledger.Replay(bytes.NewReader(bytes.Clone(journal.Bytes())), opts(&journal))
	require.NoError(t, err)
	post(cont, "g3", 3)
	post(cont, "g4", 4)
	requireSameReplay(t, cont, journal.Bytes(), reg)
}

// TestAttackProofRefGovernanceActingForSeventeen: the same fault as
// TestAttackProofRefAfterEviction with a governance register and no
// instrument at all. A director acts for seventeen community
// organisations and pays from each at their discretion; each record's
// proof has no path and one acting-for record, so all of them share the
// ledger's kept set for "no link", which keeps sixteen. The
// seventeenth evicts the first organisation's proof; paying from it twice
// more writes it in full again and then names that line, which replay
// must resolve (it could not, before it noted every full line).
func TestAttackProofRefGovernanceActingForSeventeen(t *testing.T) {
	reg := governance.NewRegister()
	require.NoError(t, reg.AddParty(coprod.Party{ID: director, Name: "Director", Sector: coprod.Individual}))
	require.NoError(t, reg.AddParty(coprod.Party{ID: hub, Name: "Hub", Sector: coprod.Hub}))
	var journal bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: reg, Journal: &journal})
	const orgs = 17
	for i := 1; i <= orgs; i++ {
		org := id(fmt.Sprint("org-", i))
		require.NoError(t, reg.AddParty(coprod.Party{ID: org, Name: fmt.Sprint("Org ", i), Sector: coprod.Community}))
		require.NoError(t, reg.ActFor(governance.ActingFor{ID: id(fmt.Sprint("acts-", i)), Person: director, For: org, Role: governance.RoleDirector}))
		require.NoError(t, l.Open(ledger.Account{ID: id(fmt.Sprint("org-cash-", i)), Owner: org, Kind: ledger.Cash, Unit: coprod.GBP}))
	}
	n := 0
	pay := func(org int) {
		t.Helper()
		n++
		at := day(2025, 5, 1)
		_, err := l.Post(ledger.Transaction{ID: id(fmt.Sprint("disc-", n)), Kind: ledger.Payment, Effective: at, Recorded: at,
			Postings: []ledger.Posting{
				{Account: id(fmt.Sprint("org-cash-", org)), Amount: gbp("5").Neg()},
				{Account: id("hub-cash"), Amount: gbp("5")},
			},
			Formality: ledger.Formality{Scope: "services", DecidedBy: director}})
		require.NoError(t, err)
	}
	for i := 1; i <= orgs; i++ {
		pay(i)
	}
	pay(1)
	pay(1)
	requireSameReplay(t, l, journal.Bytes(), reg)
}

// authFunc is an Authorizer from a function.
type authFunc func(coprod.Permission) (coprod.Proof, error)

func (f authFunc) Permit(p coprod.Permission) (coprod.Proof, error) { return f(p) }

// always answers every record with proof p.
func always(p coprod.Proof) authFunc {
	return func(coprod.Permission) (coprod.Proof, error) { return p, nil }
}

// editRecord re-encodes a JSON object with edit applied to its fields.
func editRecord(t *testing.T, rec []byte, edit func(map[string]json.RawMessage)) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(rec, &m))
	edit(m)
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

// seqOf is the seq of the first line of type typ whose record has id.
func seqOf(t *testing.T, lines []jline, typ string, field, want string) int {
	t.Helper()
	for i, l := range lines {
		if l.typ != typ {
			continue
		}
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(l.record, &m))
		if string(m[field]) == `"`+want+`"` {
			return i + 1
		}
	}
	t.Fatalf("no %s line with %s %s", typ, field, want)
	return 0
}

// TestProofRefForgedNamesOnlyTransactionLines (holds): in a re-chained
// journal, a transaction line may name the transaction line that holds
// its proof in full and then reads back with exactly that proof, but not
// a hold's line, a capture's resolution line or a void's, each of which
// holds the same proof in full; and a capture's transaction inside a
// resolution may not name a line at all.
func TestProofRefForgedNamesOnlyTransactionLines(t *testing.T) {
	proof := actingProof(1)
	auth := always(proof)
	var buf bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &buf})
	at := day(2025, 5, 1)
	_, err := l.Post(pay("a", "council-budget", "hub-cash", "10", ledger.Grant, officer, id("d"), at))
	require.NoError(t, err)
	for _, h := range []string{"h1", "h2"} {
		_, err = l.PlaceHold(ledger.Hold{ID: id(h), Kind: ledger.Grant, From: id("council-budget"), To: id("hub-cash"), Amount: gbp("20"),
			Formality: ledger.Formality{Instrument: id("d"), Scope: "commission/mental-health/iapt", DecidedBy: officer}, Recorded: at})
		require.NoError(t, err)
	}
	_, err = l.Capture(ledger.CaptureRequest{Hold: id("h1"), ID: id("cap"), Amount: gbp("20"), Effective: at, Recorded: at, By: officer})
	require.NoError(t, err)
	require.NoError(t, l.Void(ledger.VoidRequest{Hold: id("h2"), By: officer, At: at, Reason: "no longer needed"}))

	lines := splitJournal(t, buf.Bytes())
	txSeq := seqOf(t, lines, "transaction", "id", id("a").String())
	holdSeq := seqOf(t, lines, "hold", "id", id("h1").String())
	capSeq := seqOf(t, lines, "resolution", "hold", id("h1").String())
	voidSeq := seqOf(t, lines, "resolution", "hold", id("h2").String())
	for _, s := range []int{holdSeq, capSeq, voidSeq} {
		require.Contains(t, string(lines[s-1].record), `"proof":{`, "line %d holds the proof in full", s)
	}
	aRec := lines[txSeq-1].record
	forged := func(name string, ref int) jline {
		return jline{"transaction", editRecord(t, aRec, func(m map[string]json.RawMessage) {
			m["id"] = json.RawMessage(`"` + id(name).String() + `"`)
			delete(m, "proof")
			m["proof_ref"] = json.RawMessage(fmt.Sprint(ref))
		}), nil}
	}

	// The sound reference reads back with the proof of the line it names.
	back, err := ledger.Replay(bytes.NewReader(chain(append(slices.Clone(lines), forged("ok", txSeq)))), ledger.Options{Authorizer: auth})
	require.NoError(t, err)
	got, ok := back.Transaction(id("ok"))
	require.True(t, ok)
	want, err := json.Marshal(proof)
	require.NoError(t, err)
	gb, err := json.Marshal(got.Proof)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(gb))

	for name, ref := range map[string]int{"a hold's line": holdSeq, "a capture's line": capSeq, "a void's line": voidSeq} {
		_, err := ledger.Replay(bytes.NewReader(chain(append(slices.Clone(lines), forged("x", ref)))), ledger.Options{})
		require.ErrorIs(t, err, ledger.ErrCorruptJournal, name)
	}

	// A capture's transaction naming a line in place of its proof.
	capLines := slices.Clone(lines)
	capLines[capSeq-1].record = editRecord(t, lines[capSeq-1].record, func(m map[string]json.RawMessage) {
		m["transaction"] = editRecord(t, m["transaction"], func(tx map[string]json.RawMessage) {
			delete(tx, "proof")
			tx["proof_ref"] = json.RawMessage(fmt.Sprint(txSeq))
		})
	})
	_, err = ledger.Replay(bytes.NewReader(chain(capLines)), ledger.Options{})
	require.ErrorIs(t, err, ledger.ErrCorruptJournal, "a capture's transaction names no line")
}

// mixedAuth answers by amount, from a handful of proofs under one link,
// and, for what moves nothing (a reversal, a void), with the first.
func mixedAuth() authFunc {
	proofs := []coprod.Proof{
		actingProof(1),
		actingProof(2),
		{Path: []coprod.ProofLink{refLink("")}},
		{Path: []coprod.ProofLink{refLink("100000")}},
	}
	return func(p coprod.Permission) (coprod.Proof, error) {
		if !p.Amount.IsSet() {
			return proofs[0], nil
		}
		m, _ := p.Amount.Minor()
		return proofs[m/100%int64(len(proofs))], nil
	}
}

// workload records, through l, posts, reversals, holds captured and
// voided and a closing, all under the proofs of mixedAuth, named with
// prefix and starting on day d of May 2025.
func workload(t *testing.T, l *ledger.Ledger, prefix string, d int) {
	t.Helper()
	at := day(2025, 5, d)
	nm := func(s string) string { return prefix + s }
	f := ledger.Formality{Instrument: id("d"), Scope: "commission/mental-health/iapt", DecidedBy: officer}
	for i := range 6 {
		_, err := l.Post(pay(nm(fmt.Sprint("p", i)), "council-budget", "hub-cash", fmt.Sprint(i+1), ledger.Grant, officer, id("d"), at))
		require.NoError(t, err)
	}
	_, err := l.Reverse(ledger.ReversalRequest{ID: id(nm("rev")), Of: id(nm("p1")), By: officer, Effective: at, Recorded: at})
	require.NoError(t, err)
	for i, h := range []string{"h1", "h2", "h3"} {
		_, err = l.PlaceHold(ledger.Hold{ID: id(nm(h)), Kind: ledger.Grant, From: id("council-budget"), To: id("hub-cash"), Amount: gbp(fmt.Sprint(i + 2)),
			Formality: f, Recorded: at, Expires: at.AddDate(0, 0, 20)})
		require.NoError(t, err)
	}
	_, err = l.Capture(ledger.CaptureRequest{Hold: id(nm("h1")), ID: id(nm("cap")), Amount: gbp("2"), Effective: at, Recorded: at, By: officer})
	require.NoError(t, err)
	require.NoError(t, l.Void(ledger.VoidRequest{Hold: id(nm("h2")), By: officer, At: at, Reason: "void"}))
	_, err = l.ClosePeriod(ledger.Closing{Through: at, Recorded: at, By: officer})
	require.NoError(t, err)
	for i := range 4 {
		_, err := l.Post(pay(nm(fmt.Sprint("q", i)), "council-budget", "hub-cash", fmt.Sprint(i+1), ledger.Grant, officer, id("d"), at))
		require.NoError(t, err)
	}
	_, err = l.Capture(ledger.CaptureRequest{Hold: id(nm("h3")), ID: id(nm("cap3")), Amount: gbp("1"), Effective: at, Recorded: at, By: officer})
	require.NoError(t, err)
}

// TestProofRefEveryRecordKindContinued (holds): posts, a reversal,
// holds captured and voided, and a closing, all under a few proofs that
// reads alike, replay to the live ledger's state and proofs; the ledger
// continued after Replay, and after Recover, writes references a second
// Replay resolves to the same state again, with and without an
// Authorizer.
func TestProofRefEveryRecordKindContinued(t *testing.T) {
	auth := mixedAuth()
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &j})
	workload(t, l, "one-", 1)
	requireSameReplay(t, l, j.Bytes(), auth)
	require.Contains(t, j.String(), `"proof_ref":`)

	cont, err := ledger.Replay(bytes.NewReader(bytes.Clone(j.Bytes())), ledger.Options{Authorizer: auth, Journal: &j})
	require.NoError(t, err)
	workload(t, cont, "two-", 2)
	requireSameReplay(t, cont, j.Bytes(), auth)

	rec, n, err := ledger.Recover(bytes.NewReader(bytes.Clone(j.Bytes())), ledger.Options{Authorizer: auth, Journal: &j})
	require.NoError(t, err)
	require.Equal(t, int64(j.Len()), n)
	workload(t, rec, "three-", 3)
	requireSameReplay(t, rec, j.Bytes(), auth)
}

// TestProofRefEraseTextOfTheProvingLine (holds): erasing the free text
// of the line that holds a proof in full, which later lines name, leaves
// a journal that verifies and replays, every record with the proof it
// was made under.
func TestProofRefEraseTextOfTheProvingLine(t *testing.T) {
	auth := always(actingProof(1))
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &j})
	for i, memo := range []string{"personal data", "", "more"} {
		tx := pay(fmt.Sprint("e", i), "council-budget", "hub-cash", "10", ledger.Grant, officer, id("d"), day(2025, 5, 1))
		tx.Memo = memo
		_, err := l.Post(tx)
		require.NoError(t, err)
	}
	lines := txLines(t, j.Bytes())
	first := lines[id("e0").String()]
	require.Zero(t, first.ref)
	require.Equal(t, first.seq, lines[id("e1").String()].ref)
	var erased bytes.Buffer
	require.NoError(t, ledger.EraseText(bytes.NewReader(j.Bytes()), &erased, first.seq))
	require.NotContains(t, erased.String(), "personal data")
	head, err := ledger.Verify(bytes.NewReader(erased.Bytes()), nil)
	require.NoError(t, err)
	assert.Equal(t, l.Head(), head)
	back, err := ledger.Replay(bytes.NewReader(erased.Bytes()), ledger.Options{Authorizer: auth})
	require.NoError(t, err)
	assert.Equal(t, proofsOf(t, l), proofsOf(t, back))
	tx, ok := back.Transaction(id("e0"))
	require.True(t, ok)
	assert.Empty(t, tx.Memo)
}

// everyWriteFailure is writeFailures and a writer that takes the whole
// line and still reports an error.
func everyWriteFailure() []writeFailure {
	return append(slices.Clone(writeFailures),
		writeFailure{"error after the whole line", func(n int) int { return n }, errDiskFull, errDiskFull})
}

// postUnderD posts a grant of £10 named name, under delegation "d".
func postUnderD(l *ledger.Ledger, name string) error {
	_, err := l.Post(pay(name, "council-budget", "hub-cash", "10", ledger.Grant, officer, id("d"), day(2025, 5, 1)))
	return err
}

// recoverAndContinue recovers a ledger from what w took, truncates the
// journal to the lines recovered and returns a ledger recovered from that
// journal, continuing it.
func recoverAndContinue(t *testing.T, w *brokenWriter, auth ledger.Authorizer) (*ledger.Ledger, *bytes.Buffer) {
	t.Helper()
	_, n, err := ledger.Recover(bytes.NewReader(bytes.Clone(w.buf.Bytes())), ledger.Options{Authorizer: auth})
	require.NoError(t, err)
	j := bytes.NewBuffer(bytes.Clone(w.buf.Bytes()[:n]))
	rec, n2, err := ledger.Recover(bytes.NewReader(bytes.Clone(j.Bytes())), ledger.Options{Authorizer: auth, Journal: j})
	require.NoError(t, err)
	require.Equal(t, n, n2, "the truncated journal is whole")
	return rec, j
}

// TestProofRefWriteFailureThenRecover (holds): the write of a proof's
// first full line fails in every way a write can fail (nothing, part of
// the line, all of it with an error, short with none); the ledger is
// recovered, the journal truncated, and the same proof used again. The
// continued journal replays to the recovered ledger's state and proofs,
// every reference resolving.
func TestProofRefWriteFailureThenRecover(t *testing.T) {
	auth := always(actingProof(1))
	for _, f := range everyWriteFailure() {
		t.Run(f.name, func(t *testing.T) {
			// Lines 1 to len(accounts) open the accounts.
			w := &brokenWriter{failAt: len(accounts) + 2, keep: f.keep, err: f.err}
			l := newLedger(t, ledger.Options{Authorizer: auth, Journal: w})
			// The first transaction under the proof is written in full;
			// the write of the second, the first to name it, fails.
			require.NoError(t, postUnderD(l, "w0"))
			require.Error(t, postUnderD(l, "w1"))
			require.ErrorIs(t, l.Err(), ledger.ErrJournalFailed)

			rec, j := recoverAndContinue(t, w, auth)
			_, whole := rec.Transaction(id("w1"))
			for _, name := range []string{"w1", "w2", "w3"} {
				require.NoError(t, postUnderD(rec, name))
			}
			lines := txLines(t, j.Bytes())
			assert.Equal(t, lines[id("w0").String()].seq, lines[id("w3").String()].ref, "later lines name the first full line (w1 whole: %v)", whole)
			requireSameReplay(t, rec, j.Bytes(), auth)
		})
	}
}

// TestProofRefFirstFullLineFails (holds): the write of the very first
// line under a proof fails; after Recover the proof is written in full
// by the next record under it, and named after.
func TestProofRefFirstFullLineFails(t *testing.T) {
	auth := always(actingProof(7))
	for _, f := range everyWriteFailure() {
		t.Run(f.name, func(t *testing.T) {
			w := &brokenWriter{failAt: len(accounts) + 1, keep: f.keep, err: f.err}
			l := newLedger(t, ledger.Options{Authorizer: auth, Journal: w})
			require.Error(t, postUnderD(l, "f0"))
			rec, j := recoverAndContinue(t, w, auth)
			for _, name := range []string{"f0", "f1", "f2"} {
				require.NoError(t, postUnderD(rec, name))
			}
			lines := txLines(t, j.Bytes())
			assert.Zero(t, lines[id("f0").String()].ref)
			assert.Equal(t, lines[id("f0").String()].seq, lines[id("f2").String()].ref)
			requireSameReplay(t, rec, j.Bytes(), auth)
		})
	}
}

// TestProofRefConcurrentPosts (holds; run with -race): eight goroutines
// post under the same few proofs, and reverse some of what they posted,
// into one journal; every line names only a line holding its proof in
// full, and the journal replays to the live state and proofs.
func TestProofRefConcurrentPosts(t *testing.T) {
	auth := mixedAuth()
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &j})
	const workers, each = 8, 40
	errs := make(chan error, workers*each*2)
	done := make(chan struct{})
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range each {
				name := fmt.Sprintf("c%d-%d", w, i)
				at := day(2025, 5, 1)
				if _, err := l.Post(pay(name, "council-budget", "hub-cash", fmt.Sprint(1+(w+i)%5), ledger.Grant, officer, id("d"), at)); err != nil {
					errs <- err
					continue
				}
				if i%7 == 0 {
					if _, err := l.Reverse(ledger.ReversalRequest{ID: id(name + "-rev"), Of: id(name), By: officer, Effective: at, Recorded: at}); err != nil {
						errs <- err
					}
				}
				for range l.Transactions() { // a query beside the posts
					break
				}
			}
		}()
	}
	for range workers {
		<-done
	}
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	refs := 0
	for _, v := range txLines(t, j.Bytes()) {
		if v.ref != 0 {
			refs++
		}
	}
	require.Greater(t, refs, workers*each/2, "most lines name a line")
	requireSameReplay(t, l, j.Bytes(), auth)
}

// TestAttackProofRefContinuedEmptyActing: an authority that answers with
// an empty, non-nil list of acting-for records (as one decoded from
// `"acting":[]` does) gets its proof written without them, which Replay
// reads back as a nil list. A ledger continued after Replay does not take
// the authority's proof for the replayed one, writes it in full again,
// byte for byte as before, and names that line next; the next Replay
// must resolve the reference (it refused it, as in
// TestAttackProofRefAfterEviction, before replay noted every full line).
func TestAttackProofRefContinuedEmptyActing(t *testing.T) {
	var fromJSON coprod.Proof
	require.NoError(t, json.Unmarshal([]byte(`{"path":[{"id":"`+id("d").String()+`","from":"`+council.String()+
		`","to":"`+officer.String()+`","scope":"commission","limit":null}],"acting":[]}`), &fromJSON))
	require.NotNil(t, fromJSON.Acting)
	auth := always(fromJSON)
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &j})
	post := func(l *ledger.Ledger, name string) {
		t.Helper()
		_, err := l.Post(pay(name, "council-budget", "hub-cash", "10", ledger.Grant, officer, id("d"), day(2025, 5, 1)))
		require.NoError(t, err)
	}
	post(l, "a")
	post(l, "b")
	cont, err := ledger.Replay(bytes.NewReader(bytes.Clone(j.Bytes())), ledger.Options{Authorizer: auth, Journal: &j})
	require.NoError(t, err)
	post(cont, "c")
	post(cont, "d")
	requireSameReplay(t, cont, j.Bytes(), auth)
}

// TestProofRefContinuesAVersion1Journal (holds): a journal written
// before lines carried a version, its proofs in full, is replayed and
// continued; the new lines name the version 1 line that holds their
// proof, and the whole replays to the same state and proofs.
func TestProofRefContinuesAVersion1Journal(t *testing.T) {
	proof := fmt.Sprintf(`{"path":[%s]}`, linkJSON("d", ""))
	recs := replayAttackAccounts(t)
	recs = append(recs, [2]string{"transaction", proofRec("v1a", proof, "")}, [2]string{"transaction", proofRec("v1b", proof, "")})
	old := journalLines(recs...)
	auth := always(coprod.Proof{Path: []coprod.ProofLink{refLink("")}})
	j := bytes.NewBufferString(old)
	l, err := ledger.Replay(strings.NewReader(old), ledger.Options{Authorizer: auth, Journal: j})
	require.NoError(t, err)
	for _, name := range []string{"v2a", "v2b"} {
		_, err := l.Post(pay(name, "council-budget", "hub-cash", "10", ledger.Grant, officer, id("d"), day(2025, 5, 1)))
		require.NoError(t, err)
	}
	lines := txLines(t, j.Bytes())
	v1a := lines[id("v1a").String()]
	assert.Zero(t, lines[id("v1b").String()].ref, "version 1 lines hold their proofs in full")
	assert.Equal(t, v1a.seq, lines[id("v2a").String()].ref)
	assert.Equal(t, v1a.seq, lines[id("v2b").String()].ref)
	requireSameReplay(t, l, j.Bytes(), auth)
}

// TestProofRefDecoderForms (holds): a re-chained line naming a line in
// forms the writer never uses, which the fast decoder declines and
// encoding/json reads, resolves to the proof of the line it names, as the
// writer's own form does; numbers not written as lines write them
// (1e1, -0, +N, 1.0, a string, null, a leading zero, 19 digits) are
// refused, and so is a proof, even an empty one, beside the reference.
func TestProofRefDecoderForms(t *testing.T) {
	p1, p2 := actingProof(1), actingProof(2)
	auth := authFunc(func(p coprod.Permission) (coprod.Proof, error) {
		if p.Amount.Equal(gbp("10")) {
			return p1, nil
		}
		return p2, nil
	})
	var buf bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &buf})
	for i, a := range []string{"20", "10", "10"} {
		_, err := l.Post(pay(fmt.Sprint("z", i), "council-budget", "hub-cash", a, ledger.Grant, officer, id("d"), day(2025, 5, 1)))
		require.NoError(t, err)
	}
	lines := splitJournal(t, buf.Bytes())
	s1 := len(accounts) + 2 // the line holding p1 in full
	refRec := string(lines[len(lines)-1].record)
	tail := fmt.Sprintf(`,"proof_ref":%d}`, s1)
	require.True(t, strings.HasSuffix(refRec, tail), refRec)
	base := strings.Replace(strings.TrimSuffix(refRec, tail), id("z2").String(), id("x").String(), 1)
	replayWith := func(rec string) (*ledger.Ledger, error) {
		ls := append(slices.Clone(lines[:len(lines)-1]), jline{"transaction", []byte(rec), nil})
		return ledger.Replay(bytes.NewReader(chain(ls)), ledger.Options{})
	}
	want, err := json.Marshal(p1)
	require.NoError(t, err)
	for name, rec := range map[string]string{
		"as written":     base + tail,
		"spaced":         base + fmt.Sprintf(`, "proof_ref" : %d }`, s1),
		"space before }": base + fmt.Sprintf(`,"proof_ref":%d }`, s1),
		"first":          `{"proof_ref":` + fmt.Sprint(s1) + `,` + base[1:] + `}`,
		"escaped key":    base + fmt.Sprintf(`,"proof\u005fref":%d}`, s1),
		"tab before ref": base + fmt.Sprintf(`,"proof_ref":`+"\t"+`%d}`, s1),
	} {
		back, err := replayWith(rec)
		require.NoError(t, err, name)
		tx, ok := back.Transaction(id("x"))
		require.True(t, ok, name)
		got, err := json.Marshal(tx.Proof)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), name)
	}
	p1j := string(want)
	for name, ref := range map[string]string{
		"1e1": "1e1", "-0": "-0", "plus": "+" + fmt.Sprint(s1), "fraction": fmt.Sprint(s1) + ".0",
		"string": fmt.Sprintf("%q", fmt.Sprint(s1)), "null": "null", "leading zero": "0" + fmt.Sprint(s1),
		"19 digits": "1" + strings.Repeat("0", 18), "true": "true", "object": "{}", "array": fmt.Sprintf("[%d]", s1),
		"empty proof beside": fmt.Sprintf(`%d,"proof":{}`, s1), "full proof beside": fmt.Sprintf(`%d,"proof":%s`, s1, p1j),
	} {
		_, err := replayWith(base + `,"proof_ref":` + ref + `}`)
		require.ErrorIs(t, err, ledger.ErrCorruptJournal, name)
	}
}
