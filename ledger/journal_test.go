package ledger_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// history records one of everything: accounts, grants, a payment under a
// grant, unpaid labour, a reversal, and holds captured, voided and expired.
func history(t testing.TB, l *ledger.Ledger) {
	t.Helper()
	for _, s := range historySteps() {
		require.NoError(t, s.do(l), s.name)
	}
}

// step is one record made through the ledger's API; each writes one
// journal line.
type step struct {
	name string
	do   func(*ledger.Ledger) error
}

func receipt(_ ledger.Receipt, err error) error { return err }

// historySteps are history's records, one by one.
func historySteps() []step {
	payment := pay("payment", "hub-cash", "temple-cash", "2500.50", ledger.ProjectFunding, director, uuid.Nil, day(2025, 5, 1))
	payment.Against, payment.Coverage, payment.Memo = id("grant"), ledger.DirectCosts, "IAPT sessions <April>"
	payment.Metadata = map[string]string{"invoice": "T-17"}
	post := func(name string, tx ledger.Transaction) step {
		return step{"post " + name, func(l *ledger.Ledger) error { return receipt(l.Post(tx)) }}
	}
	steps := []step{
		post("grant", pay("grant", "council-budget", "hub-cash", "10000", ledger.Grant, officer, id("d"), day(2025, 4, 1))),
		post("payment", payment),
		post("labour", ledger.Transaction{
			ID: id("labour"), Kind: ledger.UnpaidLabour, Effective: day(2025, 5, 2), Recorded: day(2025, 5, 3),
			Postings:  []ledger.Posting{{Account: id("temple-hours-given"), Amount: hours("-60")}, {Account: id("service-hours-received"), Amount: hours("60")}},
			Formality: ledger.Formality{DecidedBy: temple},
			Labour:    &ledger.Labour{Hours: hours("60"), Method: ledger.ReplacementCost, Rate: gbp("14.50"), Low: gbp("12.21"), High: gbp("18.75"), WageSource: "practitioner"},
		}),
		post("mistake", pay("mistake", "council-budget", "temple-cash", "99", ledger.Payment, officer, uuid.Nil, day(2025, 5, 4))),
		{"reverse mistake", func(l *ledger.Ledger) error {
			return receipt(l.Reverse(ledger.ReversalRequest{ID: id("mistake-rev"), Of: id("mistake"), By: council, Reason: "duplicate", Effective: day(2025, 5, 5), Recorded: day(2025, 5, 5)}))
		}},
	}
	for _, name := range []string{"h1", "h2", "h3"} {
		steps = append(steps, step{"place " + name, func(l *ledger.Ledger) error {
			return receipt(l.PlaceHold(ledger.Hold{ID: id(name), Kind: ledger.Grant, From: id("hub-cash"), To: id("temple-cash"), Amount: gbp("300"),
				Expires: day(2025, 9, 1), Against: id("grant"), Recorded: day(2025, 6, 1), Formality: ledger.Formality{DecidedBy: director}}))
		}})
	}
	return append(steps,
		step{"capture h1", func(l *ledger.Ledger) error {
			return receipt(l.Capture(ledger.CaptureRequest{Hold: id("h1"), ID: id("h1-paid"), Amount: gbp("250"), Effective: day(2025, 7, 1), Recorded: day(2025, 7, 1), By: director}))
		}},
		step{"void h2", func(l *ledger.Ledger) error {
			return l.Void(ledger.VoidRequest{Hold: id("h2"), By: director, At: day(2025, 7, 1), Reason: "not needed"})
		}},
		step{"expire h3", func(l *ledger.Ledger) error { return l.Expire(id("h3"), day(2025, 9, 1)) }},
	)
}

// allSteps opens the test accounts, then records history: the whole life
// of journaled's ledger, one journal line a step.
func allSteps() []step {
	var steps []step
	for _, a := range accounts {
		steps = append(steps, step{"open " + a.Name, func(l *ledger.Ledger) error { return l.Open(a) }})
	}
	return append(steps, historySteps()...)
}

func journaled(t testing.TB) (*ledger.Ledger, []byte) {
	t.Helper()
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Journal: &j})
	history(t, l)
	return l, j.Bytes()
}

func TestReplayRebuildsTheLedger(t *testing.T) {
	l, journal := journaled(t)
	head, err := ledger.Verify(bytes.NewReader(journal), nil)
	require.NoError(t, err)
	assert.Equal(t, l.Head(), head)
	assert.Equal(t, len(accounts)+11, head.Seq, "10 accounts, 5 transactions, 3 holds, 3 resolutions")

	var cont bytes.Buffer
	back, err := ledger.Replay(bytes.NewReader(journal), ledger.Options{Journal: &cont})
	require.NoError(t, err)
	assert.Equal(t, state(t, l), state(t, back), "same balances, transactions, holds and head")

	// Idempotency memory survives.
	r, err := back.Post(pay("grant", "council-budget", "hub-cash", "10000", ledger.Grant, officer, id("d"), day(2025, 4, 1)))
	require.NoError(t, err)
	assert.True(t, r.Duplicate)
	_, err = back.Post(pay("grant", "council-budget", "hub-cash", "1", ledger.Grant, officer, id("d"), day(2025, 4, 1)))
	assert.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
	_, err = back.Reverse(ledger.ReversalRequest{ID: id("again"), Of: id("mistake"), By: council, Effective: day(2025, 10, 1), Recorded: day(2025, 10, 1)})
	assert.ErrorIs(t, err, ledger.ErrAlreadyReversed)
	assert.ErrorIs(t, back.Void(ledger.VoidRequest{Hold: id("h3"), By: director, At: day(2025, 10, 1)}), ledger.ErrHoldResolved)

	// The replayed ledger continues the chain.
	_, err = back.Post(pay("more", "council-budget", "hub-cash", "5", ledger.Grant, officer, id("d"), day(2025, 10, 1)))
	require.NoError(t, err)
	whole := append(append([]byte{}, journal...), cont.Bytes()...)
	head, err = ledger.Verify(bytes.NewReader(whole), nil)
	require.NoError(t, err)
	assert.Equal(t, back.Head(), head)
}

func lineOf(journal []byte, offset int) int {
	return bytes.Count(journal[:offset], []byte("\n")) + 1
}

func TestVerifyFindsEveryChangedByte(t *testing.T) {
	_, journal := journaled(t)
	for i := range journal {
		for _, flip := range []byte{0x01, 0x20} {
			bad := bytes.Clone(journal)
			bad[i] ^= flip
			_, err := ledger.Verify(bytes.NewReader(bad), nil)
			var je *ledger.JournalError
			if !errors.As(err, &je) {
				t.Fatalf("byte %d ^ %#x (%q): not detected", i, flip, journal[i])
			}
			if want := lineOf(journal, i); je.Line != want {
				t.Fatalf("byte %d ^ %#x: reported line %d, changed line %d: %v", i, flip, je.Line, want, err)
			}
			require.ErrorIs(t, err, ledger.ErrCorruptJournal)
		}
	}
}

func TestVerifyFindsRemovedSwappedAndTruncatedLines(t *testing.T) {
	_, journal := journaled(t)
	lines := strings.SplitAfter(string(journal), "\n")
	lines = lines[:len(lines)-1] // the empty string after the last newline
	join := func(ls []string) []byte { return []byte(strings.Join(ls, "")) }
	for name, tc := range map[string]struct {
		doc  []byte
		line int
		want error
	}{
		"first line removed":  {join(lines[1:]), 1, ledger.ErrCorruptJournal},
		"middle line removed": {join(append(append([]string{}, lines[:5]...), lines[6:]...)), 6, ledger.ErrCorruptJournal},
		"two lines swapped":   {join(append(append(append([]string{}, lines[:3]...), lines[4], lines[3]), lines[5:]...)), 4, ledger.ErrCorruptJournal},
		"truncated tail":      {journal[:len(journal)-7], len(lines), ledger.ErrTornJournal},
		"newline dropped":     {journal[:len(journal)-1], len(lines), ledger.ErrTornJournal},
		"line duplicated":     {join(append(append([]string{}, lines[:4]...), lines[3:]...)), 5, ledger.ErrCorruptJournal},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ledger.Verify(bytes.NewReader(tc.doc), nil)
			var je *ledger.JournalError
			require.True(t, errors.As(err, &je), "%v", err)
			assert.Equal(t, tc.line, je.Line, je.Reason)
			assert.ErrorIs(t, err, tc.want)
			assert.Equal(t, tc.want == ledger.ErrTornJournal, je.Torn)
			_, err = ledger.Replay(bytes.NewReader(tc.doc), ledger.Options{})
			assert.ErrorIs(t, err, tc.want)
			if tc.want == ledger.ErrTornJournal {
				assert.NotErrorIs(t, err, ledger.ErrCorruptJournal, "a torn tail is told apart from corruption")
			}
		})
	}
	// A tail cut at a line boundary is a sound shorter journal: the head
	// tells.
	short := join(lines[:len(lines)-1])
	head, err := ledger.Verify(bytes.NewReader(short), nil)
	require.NoError(t, err)
	assert.Equal(t, len(lines)-1, head.Seq)

	empty, err := ledger.Verify(bytes.NewReader(nil), nil)
	require.NoError(t, err)
	assert.Equal(t, 0, empty.Seq)
}

func TestJournalWriteFailureChangesNothing(t *testing.T) {
	w := &failingWriter{}
	l := newLedger(t, ledger.Options{Journal: w})
	before := state(t, l)
	w.fail = true
	_, err := l.Post(pay("x", "council-budget", "hub-cash", "1", ledger.Grant, officer, uuid.Nil, day(2025, 5, 1)))
	require.ErrorIs(t, err, ledger.ErrJournal)
	assert.Equal(t, before, state(t, l))
	w.fail = false
	_, err = l.Post(pay("x", "council-budget", "hub-cash", "1", ledger.Grant, officer, uuid.Nil, day(2025, 5, 1)))
	require.ErrorIs(t, err, ledger.ErrJournalFailed, "the stopped ledger refuses the retry even though the writer works again")
	assert.Equal(t, before, state(t, l))

	back, err := ledger.Replay(bytes.NewReader(w.buf.Bytes()), ledger.Options{Journal: &w.buf})
	require.NoError(t, err)
	_, err = back.Post(pay("x", "council-budget", "hub-cash", "1", ledger.Grant, officer, uuid.Nil, day(2025, 5, 1)))
	require.NoError(t, err, "the same transaction goes through on the ledger replayed from the journal")
}

type failingWriter struct {
	fail bool
	buf  bytes.Buffer
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.fail {
		return 0, errors.New("disk full")
	}
	return w.buf.Write(p)
}

func FuzzReplay(f *testing.F) {
	_, journal := journaled(f)
	f.Add(journal)
	lines := bytes.SplitAfter(journal, []byte("\n"))
	f.Add(bytes.Join(lines[:3], nil))
	f.Add([]byte(`{"seq":1}` + "\n"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		l, err := ledger.Replay(bytes.NewReader(doc), ledger.Options{})
		var je *ledger.JournalError
		if errors.As(err, &je) && je.Torn {
			// Everything before the tear replays, and verifies.
			if !errors.Is(err, ledger.ErrTornJournal) || errors.Is(err, ledger.ErrCorruptJournal) {
				t.Fatalf("torn journal error matches the wrong sentinel: %v", err)
			}
			l, n, err := ledger.Recover(bytes.NewReader(doc), ledger.Options{})
			if err != nil || n != je.Offset {
				t.Fatalf("recover: %v, length %d, torn at %d", err, n, je.Offset)
			}
			head, err := ledger.Verify(bytes.NewReader(doc[:n]), nil)
			if err != nil || head != l.Head() {
				t.Fatalf("recovered, but the complete lines verify as %v, %+v vs %+v", err, head, l.Head())
			}
			return
		}
		if err != nil {
			if !errors.Is(err, ledger.ErrCorruptJournal) {
				t.Fatalf("replay error does not match ErrCorruptJournal: %v", err)
			}
			return
		}
		head, err := ledger.Verify(bytes.NewReader(doc), nil)
		if err != nil || head != l.Head() {
			t.Fatalf("replayed, but verify says %v, %+v vs %+v", err, head, l.Head())
		}
	})
}
