package ledger_test

// Attacks on three changes: the journal's hex (hashes and UUIDs) written
// and checked through internal/hexword; authorize refusing live a formal
// record that moves money and is answered with an empty proof; and
// balanceWhere summing past an amount's range in a decimal, refusing only
// an answer out of range.

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/internal/journal"
	"github.com/coprod/coprod/internal/journaltest"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// ------------------------------------------------------------- hex

// hpTypes are the ledger's journal line types.
var hpTypes = []string{"account", "transaction", "hold", "resolution", "closing"}

// hpRefLine is a journal line as the format in internal/journal says,
// written by journaltest.Line with crypto/sha256, crypto/hmac and
// encoding/hex only. An erased line has no text and the textHash given.
func hpRefLine(seq int, prev [32]byte, key *coprod.JournalKey, typ string, record, text []byte, textHash string) (string, [32]byte) {
	if key == nil {
		return journaltest.Line(seq, prev, "", nil, typ, record, text, textHash)
	}
	return journaltest.Line(seq, prev, key.ID, key.Secret, typ, record, text, textHash)
}

// hpRewrite rebuilds journal j line by line with hpRefLine, passing each
// record through edit first (nil: unchanged), and returns it: what an
// attacker holding no key, or the key, can write.
func hpRewrite(t *testing.T, j []byte, key *coprod.JournalKey, edit func(seq int, record []byte) []byte) []byte {
	t.Helper()
	var keys journal.Keyring
	if key != nil {
		keys = journal.Keyring{key.ID: key.Secret}
	}
	var out strings.Builder
	var prev [32]byte
	starts := []int{}
	_, err := journal.Replay(bytes.NewReader(j), hpTypes, keys, false, func(l journal.Line) error {
		starts = append(starts, int(l.Start))
		rec := bytes.Clone(l.Record)
		if edit != nil {
			rec = edit(l.Seq, rec)
		}
		textHash := ""
		if l.Erased {
			line := j[l.Start:]
			i := bytes.Index(line, []byte(`"text_hash":"`)) + len(`"text_hash":"`)
			textHash = string(line[i : i+64])
		}
		var s string
		s, prev = hpRefLine(l.Seq, prev, key, l.Type, rec, l.Text, textHash)
		out.WriteString(s)
		return nil
	})
	require.NoError(t, err)
	return []byte(out.String())
}

// hpBusyLedger makes records of every type, with free text, through a
// register, journaled with key (nil: unkeyed), and returns the ledger and
// its journal.
func hpBusyLedger(t *testing.T, key *coprod.JournalKey) (*ledger.Ledger, []byte) {
	t.Helper()
	var j bytes.Buffer
	reg := scRegister(t)
	l := newLedger(t, ledger.Options{Authorizer: reg, Journal: &j, Key: key})
	for i := 0; i < 6; i++ {
		tx := scPay("hp-busy-"+strconv.Itoa(i), "commission/x", "3", scAt(5, 2+i))
		tx.Memo = "memo ÿ " + strconv.Itoa(i)
		_, err := l.Post(tx)
		require.NoError(t, err)
	}
	h := scHold("hp-busy-hold", "5", scAt(5, 9), scAt(5, 30))
	h.Memo = "held"
	_, err := l.PlaceHold(h)
	require.NoError(t, err)
	_, err = l.Capture(ledger.CaptureRequest{Hold: h.ID, ID: id("hp-busy-cap"), Amount: gbp("4"), Effective: scAt(5, 10), Recorded: scAt(5, 10), By: officer})
	require.NoError(t, err)
	_, err = l.Reverse(ledger.ReversalRequest{ID: id("hp-busy-rev"), Of: id("hp-busy-0"), By: officer, Reason: "wrong", Effective: scAt(5, 11), Recorded: scAt(5, 11)})
	require.NoError(t, err)
	return l, j.Bytes()
}

var hpKeys = []*coprod.JournalKey{nil, {ID: "hp.key-1", Secret: []byte("hp secret")}}

func hpRing(key *coprod.JournalKey) coprod.Keyring {
	if key == nil {
		return nil
	}
	return coprod.Keyring{key.ID: key.Secret}
}

// TestAttackHexLedgerJournalIsEncodingHexs: every line a ledger writes,
// keyed and not, after EraseText too, is byte for byte the line the
// format gives with encoding/hex for its prev, hash and text hash; every
// UUID in it is uuid.UUID.String's lower case; and Verify's head is the
// reference chain's last hash.
func TestAttackHexLedgerJournalIsEncodingHexs(t *testing.T) {
	uuidRe := regexp.MustCompile(`"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"`)
	for _, key := range hpKeys {
		_, j := hpBusyLedger(t, key)
		require.Equal(t, string(hpRewrite(t, j, key, nil)), string(j))
		for _, u := range uuidRe.FindAll(j, -1) {
			p, err := uuid.ParseBytes(u[1 : len(u)-1])
			require.NoError(t, err)
			require.Equal(t, `"`+p.String()+`"`, string(u))
		}
		var erased bytes.Buffer
		require.NoError(t, ledger.EraseText(bytes.NewReader(j), &erased, 9))
		require.Equal(t, string(hpRewrite(t, erased.Bytes(), key, nil)), erased.String())
		_, err := ledger.Verify(bytes.NewReader(erased.Bytes()), hpRing(key))
		require.NoError(t, err)
	}
}

// TestAttackHexUpperCaseUUIDsReplayAsLowerCase: a journal whose record
// UUIDs are rewritten in upper case, and whose chain is recomputed over
// them, replays (uuid.ParseBytes reads either case) into the same ledger
// as the original; one where a UUID digit is a byte ≥ 0x80 or a non-hex
// letter is refused, with the chain recomputed, keyed and not.
func TestAttackHexUpperCaseUUIDsReplayAsLowerCase(t *testing.T) {
	uuidRe := regexp.MustCompile(`"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"`)
	for _, key := range hpKeys {
		live, j := hpBusyLedger(t, key)
		want := scSnapshot(t, live)
		upper := hpRewrite(t, j, key, func(_ int, rec []byte) []byte {
			return uuidRe.ReplaceAllFunc(rec, bytes.ToUpper)
		})
		back, err := ledger.Replay(bytes.NewReader(upper), ledger.Options{Keys: hpRing(key)})
		require.NoError(t, err)
		require.Equal(t, want, scSnapshot(t, back))
		for _, c := range []byte{0x80, 0xc1, 0xff, 'g', 'G', '/', ':', '@', '`'} {
			for _, place := range []int{1, 8, 20, 36} { // digits of each 8-digit word read at once
				bad := hpRewrite(t, j, key, func(seq int, rec []byte) []byte {
					if seq != 2 {
						return rec
					}
					loc := uuidRe.FindIndex(rec)
					if place == 8 {
						rec[loc[0]+10] = c // the first digit after the first dash
					} else {
						rec[loc[0]+place] = c
					}
					return rec
				})
				_, err := ledger.Replay(bytes.NewReader(bad), ledger.Options{Keys: hpRing(key)})
				require.Error(t, err, "UUID digit %d as %q accepted", place, c)
			}
		}
	}
}

// TestAttackHexLedgerVerifyRefusesCaseAndNibble: over a ledger's journal,
// keyed and not, changing a prev or hash digit to upper case, by one
// nibble, or to a byte ≥ 0x80 makes Verify, Replay and Recover refuse it
// with ErrCorruptJournal, naming the line (Recover does not take it for a
// tear, even on the last line).
func TestAttackHexLedgerVerifyRefusesCaseAndNibble(t *testing.T) {
	for _, key := range hpKeys {
		_, j := hpBusyLedger(t, key)
		starts := []int{0}
		for i, c := range j {
			if c == '\n' && i+1 < len(j) {
				starts = append(starts, i+1)
			}
		}
		for n, start := range starts {
			line := j[start:]
			for _, field := range []string{`"prev":"`, `"hash":"`} {
				off := start + bytes.Index(line, []byte(field)) + len(field)
				for i := 0; i < 64; i += 7 {
					c := j[off+i]
					muts := []byte{c ^ 1, 0x80 | c, 0xff}
					if 'a' <= c && c <= 'f' {
						muts = append(muts, c-'a'+'A')
					}
					for _, m := range muts {
						bad := bytes.Clone(j)
						bad[off+i] = m
						_, err := ledger.Verify(bytes.NewReader(bad), hpRing(key))
						require.ErrorIs(t, err, ledger.ErrCorruptJournal, "line %d %s digit %d as %q", n+1, field, i, m)
						var je *ledger.JournalError
						require.ErrorAs(t, err, &je)
						_, err = ledger.Replay(bytes.NewReader(bad), ledger.Options{Keys: hpRing(key)})
						require.ErrorIs(t, err, ledger.ErrCorruptJournal)
						_, _, err = ledger.Recover(bytes.NewReader(bad), ledger.Options{Keys: hpRing(key)})
						require.ErrorIs(t, err, ledger.ErrCorruptJournal)
					}
				}
			}
		}
	}
}

// ------------------------------------------------------------- empty proofs

// hpSuccessor holds the same scope as the officer under the same parent:
// a successor in post. The council holds the mandate above both.
var hpSuccessor = id("hp-successor")

// hpRegister is scRegister with a successor to the officer.
func hpRegister(t *testing.T) *governance.Register {
	t.Helper()
	reg := scRegister(t)
	require.NoError(t, reg.AddParty(coprod.Party{ID: hpSuccessor, Name: "Successor", Sector: coprod.Individual}))
	require.NoError(t, reg.Delegate(governance.Delegation{ID: id("hp-d2"), Parent: id("sc-m"), From: council, To: hpSuccessor,
		Scope: "commission", TransactionLimit: gbp("100"), CumulativeLimit: gbp("100"), Period: governance.PeriodMonth}))
	return reg
}

// hpAuth is a register whose answers are replaced by the zero Proof when
// empty says so; it counts the questions asked.
type hpAuth struct {
	reg   ledger.Authorizer
	mu    sync.Mutex
	empty func(coprod.Permission) bool
	asked int
}

func (a *hpAuth) Permit(p coprod.Permission) (coprod.Proof, error) {
	a.mu.Lock()
	a.asked++
	empty := a.empty != nil && a.empty(p)
	a.mu.Unlock()
	proof, err := a.reg.Permit(p)
	if err == nil && empty {
		return coprod.Proof{}, nil
	}
	return proof, err
}

func (a *hpAuth) set(empty func(coprod.Permission) bool) {
	a.mu.Lock()
	a.empty, a.asked = empty, 0
	a.mu.Unlock()
}

func hpAll(coprod.Permission) bool { return true }

// hpRequireRefusedChangingNothing requires err to be ErrNotAuthorized
// and the ledger and journal as before.
func hpRequireRefusedChangingNothing(t *testing.T, err error, l *ledger.Ledger, j *bytes.Buffer, before string, written int) {
	t.Helper()
	require.ErrorIs(t, err, ledger.ErrNotAuthorized)
	var re *ledger.RecordError
	require.ErrorAs(t, err, &re)
	require.Equal(t, before, scSnapshot(t, l), "a refused record changed the ledger")
	require.Equal(t, written, j.Len(), "a refused record was journaled")
}

// TestAttackProofRealRegisterCorrectionsByOthers: through a real register
// nothing legitimate is refused: formal payments and holds by the
// officer; captures and voids of formal holds, and reversals of formal
// payments, decided by the officer, by the council above on the path and
// by a successor; discretionary holds and payments by the director for
// the hub, captured, voided and reversed by the director or by the hub
// itself (the register answers those on a discretionary prior with an
// empty proof). All of it replays, by Replay and Recover, with the
// register and without.
func TestAttackProofRealRegisterCorrectionsByOthers(t *testing.T) {
	reg := hpRegister(t)
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: reg, Journal: &j})
	day := 1
	at := func() time.Time { day++; return scAt(5, day) }
	post := func(name, amount string, by coprod.PartyID) {
		t.Helper()
		tx := scPay(name, "commission/x", amount, at())
		tx.Formality.DecidedBy = by
		if by == hpSuccessor {
			tx.Formality.Instrument = id("hp-d2")
		}
		_, err := l.Post(tx)
		require.NoError(t, err, name)
	}
	hold := func(name, amount string, by coprod.PartyID) uuid.UUID {
		t.Helper()
		h := scHold(name, amount, at(), scAt(6, 30))
		h.Formality.DecidedBy = by
		_, err := l.PlaceHold(h)
		require.NoError(t, err, name)
		return h.ID
	}
	capture := func(h uuid.UUID, name, amount string, by coprod.PartyID) {
		t.Helper()
		a := at()
		_, err := l.Capture(ledger.CaptureRequest{Hold: h, ID: id(name), Amount: gbp(amount), Effective: a, Recorded: a, By: by})
		require.NoError(t, err, name)
	}
	void := func(h uuid.UUID, by coprod.PartyID) {
		t.Helper()
		require.NoError(t, l.Void(ledger.VoidRequest{Hold: h, By: by, At: at(), Reason: "not needed"}))
	}
	reverse := func(of, name string, by coprod.PartyID) {
		t.Helper()
		a := at()
		_, err := l.Reverse(ledger.ReversalRequest{ID: id(name), Of: id(of), By: by, Reason: "wrong", Effective: a, Recorded: a})
		require.NoError(t, err, name)
	}

	post("hp-r-p1", "10", officer)
	post("hp-r-p2", "5", hpSuccessor)
	reverse("hp-r-p1", "hp-r-rev1", hpSuccessor)
	reverse("hp-r-p2", "hp-r-rev2", council)
	post("hp-r-p3", "4", officer)
	reverse("hp-r-p3", "hp-r-rev3", officer)
	capture(hold("hp-r-h1", "20", officer), "hp-r-c1", "15", council)
	capture(hold("hp-r-h2", "20", officer), "hp-r-c2", "20", hpSuccessor)
	capture(hold("hp-r-h3", "9", officer), "hp-r-c3", "1", officer)
	void(hold("hp-r-h4", "10", officer), hpSuccessor)
	void(hold("hp-r-h5", "10", officer), council)
	void(hold("hp-r-h6", "10", officer), officer)
	reverse("hp-r-c1", "hp-r-rev-c1", council)
	reverse("hp-r-c2", "hp-r-rev-c2", officer)

	// Discretionary: the director spends the hub's money, acting for it.
	disc := func(name, amount string, by coprod.PartyID) ledger.Hold {
		return ledger.Hold{ID: id(name), Kind: ledger.Payment, From: id("hub-cash"), To: id("temple-cash"), Amount: gbp(amount),
			Formality: ledger.Formality{DecidedBy: by}, Recorded: at()}
	}
	for i, c := range []struct{ placer, resolver coprod.PartyID }{{director, director}, {hub, director}, {director, hub}, {hub, hub}} {
		n := strconv.Itoa(i)
		h := disc("hp-r-dh"+n, "3", c.placer)
		_, err := l.PlaceHold(h)
		require.NoError(t, err)
		capture(h.ID, "hp-r-dc"+n, "2", c.resolver)
		h = disc("hp-r-dv"+n, "3", c.placer)
		_, err = l.PlaceHold(h)
		require.NoError(t, err)
		void(h.ID, c.resolver)
		tx := pay("hp-r-dp"+n, "hub-cash", "temple-cash", "1", ledger.Payment, c.placer, uuid.Nil, at())
		tx.Formality.Scope = ""
		_, err = l.Post(tx)
		require.NoError(t, err)
		reverse("hp-r-dp"+n, "hp-r-drev"+n, c.resolver)
		reverse("hp-r-dc"+n, "hp-r-drevc"+n, c.resolver)
	}
	scRequireReplays(t, l, j.Bytes(), reg)
}

// TestAttackProofEmptyProofOnEveryPath: with an Authorizer that answers
// a permitted record with the zero Proof, a formal record that moves
// money is refused with ErrNotAuthorized and changes nothing, on every
// path that makes one: Post, PlaceHold, and Capture of a formal hold
// placed with a real proof (which stays open and is captured later with
// one). Void and Reverse of formal records, which move no new money, are
// kept with no proof; labour and in-kind records are not asked at all;
// discretionary records are kept. Everything kept replays, with the same
// Authorizer and with none.
func TestAttackProofEmptyProofOnEveryPath(t *testing.T) {
	auth := &hpAuth{reg: hpRegister(t)}
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &j})

	// Real proofs to set up.
	_, err := l.Post(scPay("hp-e-p1", "commission/x", "10", scAt(5, 2)))
	require.NoError(t, err)
	h := scHold("hp-e-h1", "20", scAt(5, 3), scAt(5, 30))
	_, err = l.PlaceHold(h)
	require.NoError(t, err)
	h2 := scHold("hp-e-h2", "20", scAt(5, 3), scAt(5, 30))
	_, err = l.PlaceHold(h2)
	require.NoError(t, err)

	auth.set(hpAll)
	before, written := scSnapshot(t, l), j.Len()
	_, err = l.Post(scPay("hp-e-p2", "commission/x", "10", scAt(5, 4)))
	hpRequireRefusedChangingNothing(t, err, l, &j, before, written)
	_, err = l.PlaceHold(scHold("hp-e-h3", "10", scAt(5, 4), scAt(5, 30)))
	hpRequireRefusedChangingNothing(t, err, l, &j, before, written)
	for _, by := range []coprod.PartyID{officer, council, hpSuccessor} {
		_, err = l.Capture(ledger.CaptureRequest{Hold: h.ID, ID: id("hp-e-c1"), Amount: gbp("5"), Effective: scAt(5, 4), Recorded: scAt(5, 4), By: by})
		hpRequireRefusedChangingNothing(t, err, l, &j, before, written)
	}
	for st := range l.Holds() {
		require.Equal(t, ledger.Open, st.Resolution.Resolution, "a refused capture resolved its hold")
	}

	// A void and a reversal give back: kept with no proof.
	require.NoError(t, l.Void(ledger.VoidRequest{Hold: h2.ID, By: hpSuccessor, At: scAt(5, 5)}))
	_, err = l.Reverse(ledger.ReversalRequest{ID: id("hp-e-rev1"), Of: id("hp-e-p1"), By: council, Effective: scAt(5, 5), Recorded: scAt(5, 5)})
	require.NoError(t, err)
	rev, ok := l.Transaction(id("hp-e-rev1"))
	require.True(t, ok)
	require.Nil(t, rev.Proof)

	// Labour and in-kind, formal, are not financial: never asked.
	auth.set(hpAll)
	lt, err := ledger.LabourTransaction(id("hp-e-lab"), id("temple-hours-given"), id("service-hours-received"),
		ledger.Labour{Hours: hours("3"), Method: ledger.ReplacementCost, Rate: gbp("12")}, scAt(5, 6), scAt(5, 6), temple)
	require.NoError(t, err)
	lt.Formality.Instrument, lt.Formality.Scope = scDeleg, "commission/x"
	_, err = l.Post(lt)
	require.NoError(t, err)
	ik := pay("hp-e-ik", "temple-donated", "service-in-kind", "50", ledger.InKind, temple, scDeleg, scAt(5, 6))
	_, err = l.Post(ik)
	require.NoError(t, err)
	require.Zero(t, auth.asked, "a labour or in-kind record was put to the authority")

	// Discretionary records with the zero proof are kept.
	d := pay("hp-e-d", "hub-cash", "temple-cash", "1", ledger.Payment, director, uuid.Nil, scAt(5, 7))
	_, err = l.Post(d)
	require.NoError(t, err)
	dh := ledger.Hold{ID: id("hp-e-dh"), Kind: ledger.Payment, From: id("hub-cash"), To: id("temple-cash"), Amount: gbp("2"),
		Formality: ledger.Formality{DecidedBy: director}, Recorded: scAt(5, 7)}
	_, err = l.PlaceHold(dh)
	require.NoError(t, err)
	_, err = l.Capture(ledger.CaptureRequest{Hold: dh.ID, ID: id("hp-e-dc"), Amount: gbp("2"), Effective: scAt(5, 7), Recorded: scAt(5, 7), By: hub})
	require.NoError(t, err)

	// With real proofs again, the hold refused above is captured.
	auth.set(nil)
	_, err = l.Capture(ledger.CaptureRequest{Hold: h.ID, ID: id("hp-e-c1"), Amount: gbp("5"), Effective: scAt(5, 8), Recorded: scAt(5, 8), By: hpSuccessor})
	require.NoError(t, err)
	c, ok := l.Transaction(id("hp-e-c1"))
	require.True(t, ok)
	require.NotNil(t, c.Proof)

	scRequireReplays(t, l, j.Bytes(), auth)
}

// TestAttackProofEmptyProofOnlyForTheCapture: the register proves the
// hold, and the capture alone is answered with the zero Proof. The
// capture, formal and moving money, is refused with ErrNotAuthorized and
// nothing changes: the hold's reservation still counts against the
// officer's monthly limit (Spent unchanged), and the journal holds no
// resolution.
func TestAttackProofEmptyProofOnlyForTheCapture(t *testing.T) {
	auth := &hpAuth{reg: hpRegister(t)}
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &j})
	h := scHold("hp-c-h", "60", scAt(5, 2), scAt(5, 30))
	_, err := l.PlaceHold(h)
	require.NoError(t, err)
	spent, err := l.Spent(scDeleg, scMonth(5))
	require.NoError(t, err)
	require.Equal(t, "60.00 GBP", spent.String())
	auth.set(func(p coprod.Permission) bool { return p.Prior != nil })
	before, written := scSnapshot(t, l), j.Len()
	_, err = l.Capture(ledger.CaptureRequest{Hold: h.ID, ID: id("hp-c-c"), Amount: gbp("60"), Effective: scAt(5, 3), Recorded: scAt(5, 3), By: officer})
	hpRequireRefusedChangingNothing(t, err, l, &j, before, written)
	require.NotContains(t, j.String(), `"type":"resolution"`)
	spent, err = l.Spent(scDeleg, scMonth(5))
	require.NoError(t, err)
	require.Equal(t, "60.00 GBP", spent.String())
	scRequireReplays(t, l, j.Bytes(), auth)
}

// ------------------------------------------------------------- wide balances

// hpUnit is one book the wide-balance attacks drive: two accounts in
// unit, and the record that moves amount from one to the other.
type hpUnit struct {
	unit     coprod.Unit
	from, to uuid.UUID
	move     func(name string, from, to uuid.UUID, amount coprod.Amount, effective, recorded time.Time) ledger.Transaction
}

func hpUnits(t *testing.T) []hpUnit {
	owner := map[uuid.UUID]coprod.PartyID{}
	for _, a := range accounts {
		owner[a.ID] = a.Owner
	}
	labour := func(method ledger.Valuation, rate coprod.Amount) func(string, uuid.UUID, uuid.UUID, coprod.Amount, time.Time, time.Time) ledger.Transaction {
		return func(name string, from, to uuid.UUID, amount coprod.Amount, eff, rec time.Time) ledger.Transaction {
			h := amount
			if amount.Unit() == coprod.Credits {
				h = coprod.MustParseAmount(amount.String()[:len(amount.String())-len(" credits")], coprod.Hours)
			}
			tx, err := ledger.LabourTransaction(id(name), from, to, ledger.Labour{Hours: h, Method: method, Rate: rate}, eff, rec, owner[from])
			require.NoError(t, err)
			return tx
		}
	}
	return []hpUnit{
		{coprod.GBP, id("hub-cash"), id("temple-cash"), func(name string, from, to uuid.UUID, amount coprod.Amount, eff, rec time.Time) ledger.Transaction {
			return ledger.Transaction{ID: id(name), Kind: ledger.Payment, Effective: eff, Recorded: rec,
				Postings:  []ledger.Posting{{Account: from, Amount: amount.Neg()}, {Account: to, Amount: amount}},
				Formality: ledger.Formality{DecidedBy: owner[from]}}
		}},
		{coprod.Hours, id("temple-hours-given"), id("service-hours-received"), labour(ledger.ReplacementCost, gbp("0"))},
		{coprod.Credits, id("hub-credits"), id("volunteer-credits"), labour(ledger.TimeCreditMethod, coprod.Amount{})},
	}
}

// hpMax is 10^30 less one minor unit of u: the largest amount of u.
func hpMax(u coprod.Unit) coprod.Amount {
	s := strings.Repeat("9", coprod.MaxIntegerDigits)
	if u.Scale() > 0 {
		s += "." + strings.Repeat("9", int(u.Scale()))
	}
	return coprod.MustParseAmount(s, u)
}

// hpRefBalance is account's balance over the transactions keep admits,
// summed in a decimal, and whether it is an amount (|v| < 10^30).
func hpRefBalance(l *ledger.Ledger, account uuid.UUID, keep func(ledger.Transaction) bool) (decimal.Decimal, bool) {
	sum := decimal.Zero
	for tx := range l.Transactions() {
		if !keep(tx) {
			continue
		}
		for _, p := range tx.Postings {
			if p.Account == account {
				sum = sum.Add(p.Amount.Decimal())
			}
		}
	}
	return sum, sum.Abs().LessThan(decimal.New(1, coprod.MaxIntegerDigits))
}

// hpRequireBalance requires got, err to be want if it is an amount, or a
// RecordError matching coprod.ErrOverflow if not.
func hpRequireBalance(t *testing.T, got coprod.Amount, err error, want decimal.Decimal, inRange bool, what string) {
	t.Helper()
	if !inRange {
		require.ErrorIs(t, err, coprod.ErrOverflow, "%s: %s is out of range", what, want)
		var re *ledger.RecordError
		require.ErrorAs(t, err, &re, what)
		return
	}
	require.NoError(t, err, "%s: the answer %s is in range", what, want)
	require.True(t, got.Decimal().Equal(want), "%s: got %s, want %s", what, got, want)
}

// TestAttackWideBalanceCutsNearTheRange: in GBP, hours and credits,
// records of the largest amount, in both directions, effective out of
// their recorded order and recorded up to a second behind the latest
// (within the skew), with small amounts mixed in, leave every live
// balance in range while the postings a cut in effective or recorded
// time admits sum past it partway, and some cuts' answers past it
// either way. BalanceAt and BalanceRecordedAt answer every cut, of both
// accounts, exactly as a decimal sum of the admitted postings, and refuse
// with a RecordError matching coprod.ErrOverflow exactly the answers out
// of range; a replayed ledger answers alike.
func TestAttackWideBalanceCutsNearTheRange(t *testing.T) {
	base := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	eff := func(d int) time.Time { return base.AddDate(0, 0, d) }
	for _, u := range hpUnits(t) {
		t.Run(string(u.unit), func(t *testing.T) {
			var j bytes.Buffer
			l := newLedger(t, ledger.Options{Journal: &j})
			m := hpMax(u.unit)
			six := coprod.MustParseAmount("6"+strings.Repeat("0", 29), u.unit)
			one := coprod.MustParseAmount("1", u.unit)
			if u.unit.Scale() > 0 {
				one = coprod.MustParseAmount("0.01", u.unit)
			}
			type step struct {
				amount   coprod.Amount
				forward  bool // from → to
				eff      int  // day
				recShift time.Duration
			}
			steps := []step{
				{m, true, 1, 0}, {m, false, 5, 0}, {m, true, 2, -time.Second}, {m, false, 2, 0},
				{m, true, 3, 0}, {one, true, 3, -time.Second}, {m, false, 6, 0},
				{six, false, 2, 0}, {m, false, 4, -time.Second}, {six, true, 7, 0}, {one, false, 1, 0},
				{m, true, 8, -time.Second}, {m, true, 4, 0}, {m, false, 9, 0},
			}
			rec := base.Add(time.Hour)
			kept := 0
			for i, s := range steps {
				rec = rec.Add(10 * time.Second)
				from, to := u.from, u.to
				if !s.forward {
					from, to = to, from
				}
				tx := u.move("hp-w-"+string(u.unit)+strconv.Itoa(i), from, to, s.amount, eff(s.eff), rec.Add(s.recShift))
				if _, err := l.Post(tx); err == nil {
					kept++
				} else {
					require.ErrorIs(t, err, coprod.ErrOverflow, "step %d", i)
				}
			}
			require.GreaterOrEqual(t, kept, 10)
			back, err := ledger.Replay(bytes.NewReader(j.Bytes()), ledger.Options{})
			require.NoError(t, err)
			out := 0
			for _, acc := range []uuid.UUID{u.from, u.to} {
				for d := 0; d <= 10; d++ {
					at := eff(d)
					want, ok := hpRefBalance(l, acc, func(tx ledger.Transaction) bool { return !tx.Effective.After(at) })
					if !ok {
						out++
					}
					for _, lg := range []*ledger.Ledger{l, back} {
						got, err := lg.BalanceAt(acc, at)
						hpRequireBalance(t, got, err, want, ok, "BalanceAt day "+strconv.Itoa(d))
					}
				}
				for r := rec.Add(-time.Duration(len(steps)+1) * 10 * time.Second); !r.After(rec.Add(time.Second)); r = r.Add(time.Second) {
					want, ok := hpRefBalance(l, acc, func(tx ledger.Transaction) bool { return !tx.Recorded.After(r) })
					if !ok {
						out++
					}
					for _, lg := range []*ledger.Ledger{l, back} {
						got, err := lg.BalanceRecordedAt(acc, r)
						hpRequireBalance(t, got, err, want, ok, "BalanceRecordedAt "+r.Format(time.TimeOnly))
					}
				}
				// Every live balance is in range, and is the last cut.
				bal, err := l.Balance(acc)
				require.NoError(t, err)
				got, err := l.BalanceAt(acc, eff(400))
				require.NoError(t, err)
				require.True(t, bal.Equal(got))
			}
			require.Positive(t, out, "some cut's answer is out of range")
		})
	}
}

// TestAttackWideBalanceComesBackExactly: a cut whose postings pass the
// range partway and come back to a small answer gives that answer
// exactly, to the minor unit, in every unit; and at the extremes, where
// the wide sum lands on ±(10^30 − one minor unit), the answer is that
// largest amount, not a refusal.
func TestAttackWideBalanceComesBackExactly(t *testing.T) {
	base := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, u := range hpUnits(t) {
		t.Run(string(u.unit), func(t *testing.T) {
			l := newLedger(t, ledger.Options{})
			m := hpMax(u.unit)
			one := coprod.MustParseAmount("1", u.unit)
			if u.unit.Scale() > 0 {
				one = coprod.MustParseAmount("0.01", u.unit)
			}
			rec := base
			post := func(name string, forward bool, a coprod.Amount, day int) {
				t.Helper()
				rec = rec.Add(time.Second)
				from, to := u.from, u.to
				if !forward {
					from, to = to, from
				}
				_, err := l.Post(u.move("hp-x-"+string(u.unit)+name, from, to, a, base.AddDate(0, 0, day), rec))
				require.NoError(t, err, name)
			}
			// Live, to holds m, 0, m, 0; a cut at day 1 admits a and b
			// (2m, past the range) and c (−m): m, the largest amount.
			post("a", true, m, 1)
			post("z", false, m, 9)
			post("b", true, m, 1)
			post("c", false, m, 1)
			got, err := l.BalanceAt(u.to, base.AddDate(0, 0, 1))
			require.NoError(t, err)
			require.True(t, got.Equal(m), "%s, want %s", got, m)
			got, err = l.BalanceAt(u.from, base.AddDate(0, 0, 1))
			require.NoError(t, err)
			require.True(t, got.Equal(m.Neg()), "%s, want %s", got, m.Neg())
			// A further one at day 1 takes the answer past the range.
			post("d", true, one, 1)
			_, err = l.BalanceAt(u.to, base.AddDate(0, 0, 1))
			require.ErrorIs(t, err, coprod.ErrOverflow)
			_, err = l.BalanceAt(u.from, base.AddDate(0, 0, 1))
			require.ErrorIs(t, err, coprod.ErrOverflow)
			// And m back at day 1 brings it to exactly one minor unit.
			post("e", false, m, 1)
			got, err = l.BalanceAt(u.to, base.AddDate(0, 0, 1))
			require.NoError(t, err)
			require.True(t, got.Equal(one), "%s, want %s", got, one)
		})
	}
}
