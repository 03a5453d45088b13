package governance_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// journaled records a small partnership into a register with a journal,
// every record with its recorded time.
func journaled(t *testing.T, opts governance.Options) (*governance.Register, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	opts.Journal = &buf
	r := governance.New(opts)
	at := func(d int) time.Time { return date(2025, 4, d) }
	must := func(err error) {
		t.Helper()
		require.NoError(t, err)
	}
	for _, p := range []coprod.Party{
		{ID: id("council"), Name: "Borough Council", Sector: coprod.Statutory},
		{ID: id("hub"), Name: "Community Hub", Sector: coprod.Hub},
		{ID: id("director"), Name: "Jane Director", Sector: coprod.Individual},
	} {
		must(r.AddParty(p))
	}
	must(r.AddMandate(governance.Mandate{ID: id("m"), Holder: id("council"), Scope: sc("commission"), Basis: "Care Act 2014 s.1",
		MaxDepth: 2, TransactionLimit: gbp("100000"), Recorded: at(1)}))
	must(r.Delegate(governance.Delegation{ID: id("d"), Parent: id("m"), From: id("council"), To: id("hub"), Scope: sc("commission/mental-health"),
		Instrument: "Scheme s.4", TransactionLimit: gbp("20000"), Recorded: at(2)}))
	must(r.ActFor(governance.ActingFor{ID: id("act"), Person: id("director"), For: id("hub"), Role: governance.RoleDirector, Recorded: at(3)}))
	must(r.AddActivity(governance.Activity{ID: id("a"), Name: "Talking therapy", Scope: sc("commission/mental-health"),
		Responsible: []coprod.PartyID{id("hub")}, Accountable: []coprod.PartyID{id("council")}, Recorded: at(4)}))
	must(r.Declare(governance.Interest{ID: id("i"), Holder: id("director"), In: id("hub"), Category: governance.Financial,
		Description: "Jane is paid by the hub", Declared: at(5), Recorded: at(5)}))
	must(r.Recuse(governance.Recusal{Interest: id("i"), Scope: sc("commission/mental-health"), At: at(6), Reason: "Jane steps out", Recorded: at(6)}))
	must(r.Revoke(governance.Revocation{Link: id("d"), By: id("council"), At: at(7), Reason: "review", Recorded: at(7)}))
	must(r.AddParty(coprod.Party{ID: id("panel"), Name: "Reference group", Sector: coprod.Community}))
	must(r.AddBody(governance.Body{Party: id("panel"), Rule: governance.RuleMajority, Recorded: at(8)}))
	must(r.Join(governance.Membership{ID: id("seat"), Body: id("panel"), Member: id("hub"), Recorded: at(8)}))
	must(r.ReviseActivity(governance.Activity{ID: id("a"), Name: "Talking therapy", Scope: sc("commission/mental-health"),
		Cos: []governance.Co{governance.CoDelivery}, Responsible: []coprod.PartyID{id("hub")}, Accountable: []coprod.PartyID{id("council")},
		Window: coprod.Window{NotBefore: at(1)}, Recorded: at(9)}))
	return r, &buf
}

func document(t *testing.T, r *governance.Register) string {
	t.Helper()
	b, err := json.Marshal(r)
	require.NoError(t, err)
	return string(b)
}

func TestRegisterJournalReplays(t *testing.T) {
	key := &coprod.JournalKey{ID: "2026-a", Secret: []byte("secret")}
	for _, tt := range []struct {
		name string
		opts governance.Options
		keys coprod.Keyring
	}{{"unkeyed", governance.Options{}, nil}, {"keyed", governance.Options{Key: key}, coprod.Keyring{"2026-a": []byte("secret")}}} {
		t.Run(tt.name, func(t *testing.T) {
			r, buf := journaled(t, tt.opts)
			head, err := governance.VerifyJournal(bytes.NewReader(buf.Bytes()), tt.keys)
			require.NoError(t, err)
			assert.Equal(t, r.Head(), head)
			back, err := governance.Replay(bytes.NewReader(buf.Bytes()), governance.Options{Keys: tt.keys})
			require.NoError(t, err)
			assert.Equal(t, document(t, r), document(t, back), "the same register")
			assert.Equal(t, r.Head(), back.Head())
		})
	}
}

// TestNamesStayOutOfTheChain checks that no name or free text is in a
// chained record, and that erasing one line's text keeps the chain.
func TestNamesStayOutOfTheChain(t *testing.T) {
	r, buf := journaled(t, governance.Options{})
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	for _, l := range lines {
		rec := l[strings.Index(l, `"record":`):]
		if i := strings.Index(rec, `,"text_hash"`); i >= 0 {
			rec = rec[:i]
		}
		for _, personal := range []string{"Jane", "Borough Council", "Care Act", "review"} {
			assert.NotContains(t, rec, personal, "the chained record of %s", l)
		}
	}
	// Erase Jane's name (line 3), the interest's description (line 8) and
	// the recusal's reason (line 9).
	var once, twice, thrice bytes.Buffer
	require.NoError(t, governance.EraseText(bytes.NewReader(buf.Bytes()), &once, 3))
	require.NoError(t, governance.EraseText(bytes.NewReader(once.Bytes()), &thrice, 8))
	require.NoError(t, governance.EraseText(bytes.NewReader(thrice.Bytes()), &twice, 9))
	assert.NotContains(t, twice.String(), "Jane")
	_, err := governance.VerifyJournal(bytes.NewReader(twice.Bytes()), nil)
	require.NoError(t, err, "erasing text does not break the chain")
	back, err := governance.Replay(bytes.NewReader(twice.Bytes()), governance.Options{})
	require.NoError(t, err)
	p, _ := back.Party(id("director"))
	assert.Equal(t, "[erased]", p.Name)
	assert.Equal(t, r.Head(), back.Head())
	assert.Error(t, governance.EraseText(bytes.NewReader(buf.Bytes()), &bytes.Buffer{}, 6), "the acting-for line has no text")
	assert.Error(t, governance.EraseText(bytes.NewReader(buf.Bytes()), &bytes.Buffer{}, 99), "there is no line 99")
}

func TestRegisterJournalVerify(t *testing.T) {
	key := &coprod.JournalKey{ID: "k", Secret: []byte("s")}
	keys := coprod.Keyring{"k": []byte("s")}
	for _, keyed := range []bool{false, true} {
		opts, ring := governance.Options{}, coprod.Keyring(nil)
		if keyed {
			opts, ring = governance.Options{Key: key}, keys
		}
		_, buf := journaled(t, opts)
		j := buf.Bytes()
		lines := bytes.SplitAfter(j, []byte("\n"))
		lines = lines[:len(lines)-1]
		firstBad := func(doc []byte) int {
			_, err := governance.VerifyJournal(bytes.NewReader(doc), ring)
			var je *governance.JournalError
			require.True(t, errors.As(err, &je), "keyed=%t: %v", keyed, err)
			assert.ErrorIs(t, err, governance.ErrCorruptJournal)
			return je.Line
		}
		// Every changed byte is caught at its line or before.
		start := 0
		for n, l := range lines {
			for i := range l {
				bad := bytes.Clone(j)
				bad[start+i] ^= 0x01
				assert.LessOrEqual(t, firstBad(bad), n+1)
			}
			start += len(l)
		}
		removed := bytes.Join(append(append([][]byte{}, lines[:2]...), lines[3:]...), nil)
		assert.Equal(t, 3, firstBad(removed), "a removed line")
		swapped := bytes.Join([][]byte{lines[0], lines[2], lines[1], bytes.Join(lines[3:], nil)}, nil)
		assert.Equal(t, 2, firstBad(swapped), "swapped lines")
		torn := j[:len(j)-10]
		_, err := governance.VerifyJournal(bytes.NewReader(torn), ring)
		assert.ErrorIs(t, err, governance.ErrTornJournal, "a truncated tail")
	}
	// A forged line appended to a keyed journal by someone without the
	// key: the forger replays the journal's records into an unkeyed
	// register writing the same lines, which continue the same chain.
	_, buf := journaled(t, governance.Options{Key: key})
	_, err := governance.VerifyJournal(bytes.NewReader(buf.Bytes()), nil)
	assert.ErrorIs(t, err, governance.ErrCorruptJournal, "a keyed journal read without its keys")
	var plain bytes.Buffer
	_, err = journaledTo(t, &plain)
	require.NoError(t, err)
	_, err = governance.VerifyJournal(bytes.NewReader(plain.Bytes()), keys)
	assert.ErrorIs(t, err, governance.ErrCorruptJournal, "lines written without the key fail")
}

func journaledTo(t *testing.T, w *bytes.Buffer) (*governance.Register, error) {
	t.Helper()
	r := governance.New(governance.Options{Journal: w})
	return r, r.AddParty(coprod.Party{ID: id("x"), Name: "X", Sector: coprod.Community})
}

type failAfter struct {
	n   int
	buf bytes.Buffer
}

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return f.buf.Write(p[:len(p)/2])
	}
	f.n--
	return f.buf.Write(p)
}

func TestRegisterJournalFailsStop(t *testing.T) {
	w := &failAfter{n: 1}
	r := governance.New(governance.Options{Journal: w})
	require.NoError(t, r.AddParty(coprod.Party{ID: id("a"), Name: "A", Sector: coprod.Community}))
	err := r.AddParty(coprod.Party{ID: id("b"), Name: "B", Sector: coprod.Community})
	assert.ErrorIs(t, err, governance.ErrJournal)
	err = r.AddParty(coprod.Party{ID: id("c"), Name: "C", Sector: coprod.Community})
	assert.ErrorIs(t, err, governance.ErrJournalFailed, "sticky")
	assert.ErrorIs(t, r.Err(), governance.ErrJournalFailed)
	_, ok := r.Party(id("b"))
	assert.False(t, ok, "nothing unjournaled is applied")
	rec, n, err := governance.Recover(bytes.NewReader(w.buf.Bytes()), governance.Options{})
	require.NoError(t, err)
	assert.Equal(t, 1, rec.Head().Seq)
	assert.Less(t, n, int64(w.buf.Len()))
}

func TestRegisterTimeRule(t *testing.T) {
	r := governance.New(governance.Options{Journal: &bytes.Buffer{}})
	require.NoError(t, r.AddParty(coprod.Party{ID: id("c"), Name: "C", Sector: coprod.Statutory}))
	err := r.AddMandate(governance.Mandate{ID: id("m"), Holder: id("c"), Scope: sc("x")})
	assert.ErrorIs(t, err, governance.ErrInvalidRecord, "a journaled register needs the recorded time")
	require.NoError(t, r.AddMandate(governance.Mandate{ID: id("m"), Holder: id("c"), Scope: sc("x"), Recorded: date(2025, 5, 1)}))
	err = r.AddMandate(governance.Mandate{ID: id("m2"), Holder: id("c"), Scope: sc("y"), Recorded: date(2025, 4, 30)})
	assert.ErrorIs(t, err, governance.ErrRecordedTimeBehind)
	require.NoError(t, r.AddMandate(governance.Mandate{ID: id("m3"), Holder: id("c"), Scope: sc("z"), Recorded: date(2025, 5, 1).Add(-30 * time.Second)}),
		"within the skew")
}

// TestAsOf answers as known at a recorded time: a revocation back-dated
// before a decision, but recorded after it, did not stand when the
// decision was made.
func TestAsOf(t *testing.T) {
	r, _ := journaled(t, governance.Options{})
	// A revocation recorded on 20 April, effective from 3 April: the
	// revocation in the fixture (7 April) is later, so revoke from earlier.
	require.NoError(t, r.Revoke(governance.Revocation{Link: id("d"), By: id("council"), At: date(2025, 4, 3), Reason: "found late",
		Recorded: date(2025, 4, 20)}))
	req := governance.Request{Actor: id("hub"), Scope: sc("commission/mental-health"), Amount: gbp("100"), Via: id("d")}
	decided := date(2025, 4, 5)
	assert.False(t, r.Authorize(req, decided).Allowed, "as known now, the hub was revoked from 3 April")
	assert.True(t, r.AsOf(decided).Authorize(req, decided).Allowed, "as known on 5 April, it held authority")
	assert.False(t, r.AsOf(date(2025, 4, 20)).Authorize(req, decided).Allowed)
	assert.Empty(t, r.AsOf(date(2025, 3, 1)).Check(decided).Findings, "nothing recorded yet but the parties")
}
