package ledger_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var errDiskFull = errors.New("disk full")

// brokenWriter passes writes through to buf, except write number failAt
// (1-based), of which it keeps the first keep(len) bytes and reports
// taking them, with err.
type brokenWriter struct {
	failAt int
	keep   func(n int) int
	err    error
	writes int
	buf    bytes.Buffer
}

func (w *brokenWriter) Write(p []byte) (int, error) {
	w.writes++
	if w.writes != w.failAt {
		return w.buf.Write(p)
	}
	k := w.keep(len(p))
	w.buf.Write(p[:k])
	return k, w.err
}

// writeFailure is one way a journal write can fail.
type writeFailure struct {
	name  string
	keep  func(n int) int // bytes of the line the writer takes
	err   error           // what it returns
	cause error           // what the refusals wrap
}

func keep(k int) func(int) int { return func(int) int { return k } }

// writeFailures are the ways a write can fail short of the whole line:
// with an error after any number of bytes, or short without one.
var writeFailures = []writeFailure{
	{"error, nothing written", keep(0), errDiskFull, errDiskFull},
	{"error after 1 byte", keep(1), errDiskFull, errDiskFull},
	{"error after 9 bytes", keep(9), errDiskFull, errDiskFull},
	{"error after half the line", func(n int) int { return n / 2 }, errDiskFull, errDiskFull},
	{"error before the closing brace", func(n int) int { return n - 2 }, errDiskFull, errDiskFull},
	{"error before the newline", func(n int) int { return n - 1 }, errDiskFull, errDiskFull},
	{"short write of nothing, no error", keep(0), nil, io.ErrShortWrite},
	{"short write of 1 byte, no error", keep(1), nil, io.ErrShortWrite},
	{"short write of half the line, no error", func(n int) int { return n / 2 }, nil, io.ErrShortWrite},
	{"short write without the newline, no error", func(n int) int { return n - 1 }, nil, io.ErrShortWrite},
	{"io.ErrShortWrite after 3 bytes", keep(3), io.ErrShortWrite, io.ErrShortWrite},
}

// run makes steps on l, requiring each to succeed.
func run(t testing.TB, l *ledger.Ledger, steps []step) {
	t.Helper()
	for _, s := range steps {
		require.NoError(t, s.do(l), s.name)
	}
}

// TestJournalFailureStopsTheLedger fails the journal at every write of
// the whole history, in every way, and checks that the ledger stops
// there: it keeps exactly the records before the failure, refuses every
// record it would have written with the sticky error, answers everything
// else as a ledger frozen at that point would, and writes nothing more.
func TestJournalFailureStopsTheLedger(t *testing.T) {
	steps := allSteps()
	for _, wf := range writeFailures {
		for failAt := 1; failAt <= len(steps); failAt++ {
			t.Run(fmt.Sprintf("%s/at write %d (%s)", wf.name, failAt, steps[failAt-1].name), func(t *testing.T) {
				var refJournal bytes.Buffer
				ref := ledger.New(ledger.Options{Journal: &refJournal})
				run(t, ref, steps[:failAt-1])

				w := &brokenWriter{failAt: failAt, keep: wf.keep, err: wf.err}
				l := ledger.New(ledger.Options{Journal: w})
				run(t, l, steps[:failAt-1])
				require.NoError(t, l.Err())

				err := steps[failAt-1].do(l)
				require.ErrorIs(t, err, ledger.ErrJournal)
				require.ErrorIs(t, err, ledger.ErrJournalFailed)
				require.ErrorIs(t, err, wf.cause)
				require.ErrorIs(t, l.Err(), ledger.ErrJournalFailed)
				require.ErrorIs(t, l.Err(), wf.cause)
				assert.Equal(t, state(t, ref), state(t, l), "exactly the records before the failure")
				written := bytes.Clone(w.buf.Bytes())
				require.True(t, bytes.HasPrefix(written, refJournal.Bytes()))

				// Every step again, those recorded before the failure
				// included: a record the frozen ledger would write is
				// refused with the sticky error; anything else is
				// answered as the frozen ledger answers it.
				for _, s := range steps {
					frozen, err := ledger.Replay(bytes.NewReader(refJournal.Bytes()), ledger.Options{})
					require.NoError(t, err)
					want := s.do(frozen)
					got := s.do(l)
					switch {
					case want != nil:
						require.Error(t, got, s.name)
						assert.Equal(t, want.Error(), got.Error(), s.name)
					case frozen.Head().Seq > ref.Head().Seq:
						assert.ErrorIs(t, got, ledger.ErrJournalFailed, s.name)
						assert.ErrorIs(t, got, wf.cause, s.name)
						assert.NotErrorIs(t, got, ledger.ErrJournal, s.name)
					default:
						assert.NoError(t, got, "%s: an idempotent retry of a record made before the failure", s.name)
					}
				}
				assert.Equal(t, state(t, ref), state(t, l), "still exactly the records before the failure")
				assert.Equal(t, written, w.buf.Bytes(), "nothing written after the failure")
				assert.Equal(t, failAt, w.writes, "one write a record, none after the failure")

				if len(written) == len(refJournal.Bytes()) {
					head, err := ledger.Verify(bytes.NewReader(written))
					require.NoError(t, err, "a failure that wrote nothing leaves a sound journal")
					assert.Equal(t, l.Head(), head)
				}
			})
		}
	}
}

// stoppedLedger has accounts, two transactions and three open holds, and
// is stopped by a journal that failed writing the transaction "lost".
func stoppedLedger(t *testing.T) (*ledger.Ledger, *brokenWriter) {
	t.Helper()
	w := &brokenWriter{failAt: -1, keep: keep(5), err: errDiskFull}
	l := newLedger(t, ledger.Options{Journal: w})
	run(t, l, historySteps()[:1]) // the grant
	_, err := l.Post(pay("mistake", "council-budget", "temple-cash", "99", ledger.Payment, officer, uuid.Nil, day(2025, 5, 4)))
	require.NoError(t, err)
	for _, name := range []string{"h1", "h2", "h3"} {
		_, err := l.PlaceHold(ledger.Hold{ID: id(name), Kind: ledger.Grant, From: id("hub-cash"), To: id("temple-cash"), Amount: gbp("300"),
			Expires: day(2025, 9, 1), Against: id("grant"), Recorded: day(2025, 6, 1), Formality: ledger.Formality{DecidedBy: director}})
		require.NoError(t, err)
	}
	w.failAt = w.writes + 1
	_, err = l.Post(pay("lost", "council-budget", "hub-cash", "1", ledger.Grant, officer, uuid.Nil, day(2025, 6, 2)))
	require.ErrorIs(t, err, ledger.ErrJournal)
	require.ErrorIs(t, l.Err(), ledger.ErrJournalFailed)
	return l, w
}

func TestStoppedLedgerRefusesEveryRecord(t *testing.T) {
	newAccount := ledger.Account{ID: id("new"), Owner: hub, Name: "New", Kind: ledger.Cash, Unit: accounts[1].Unit}
	for _, tc := range []struct {
		name      string
		do        func(*ledger.Ledger) (ledger.Receipt, error)
		want      error // nil: answered, as a duplicate
		duplicate bool
	}{
		{"open", func(l *ledger.Ledger) (ledger.Receipt, error) { return ledger.Receipt{}, l.Open(newAccount) }, ledger.ErrJournalFailed, false},
		{"post", func(l *ledger.Ledger) (ledger.Receipt, error) {
			return l.Post(pay("new", "council-budget", "hub-cash", "5", ledger.Grant, officer, uuid.Nil, day(2025, 6, 3)))
		}, ledger.ErrJournalFailed, false},
		{"post the failed record again", func(l *ledger.Ledger) (ledger.Receipt, error) {
			return l.Post(pay("lost", "council-budget", "hub-cash", "1", ledger.Grant, officer, uuid.Nil, day(2025, 6, 2)))
		}, ledger.ErrJournalFailed, false},
		{"reverse", func(l *ledger.Ledger) (ledger.Receipt, error) {
			return l.Reverse(ledger.ReversalRequest{ID: id("rev"), Of: id("mistake"), By: council, Effective: day(2025, 6, 3), Recorded: day(2025, 6, 3)})
		}, ledger.ErrJournalFailed, false},
		{"place hold", func(l *ledger.Ledger) (ledger.Receipt, error) {
			return l.PlaceHold(ledger.Hold{ID: id("h4"), Kind: ledger.Grant, From: id("hub-cash"), To: id("temple-cash"), Amount: gbp("1"),
				Recorded: day(2025, 6, 3), Formality: ledger.Formality{DecidedBy: director}})
		}, ledger.ErrJournalFailed, false},
		{"capture", func(l *ledger.Ledger) (ledger.Receipt, error) {
			return l.Capture(id("h1"), id("h1-paid"), gbp("250"), day(2025, 7, 1), day(2025, 7, 1))
		}, ledger.ErrJournalFailed, false},
		{"void", func(l *ledger.Ledger) (ledger.Receipt, error) {
			return ledger.Receipt{}, l.Void(id("h2"), day(2025, 7, 1), "not needed")
		}, ledger.ErrJournalFailed, false},
		{"expire", func(l *ledger.Ledger) (ledger.Receipt, error) {
			return ledger.Receipt{}, l.Expire(id("h3"), day(2025, 9, 1))
		}, ledger.ErrJournalFailed, false},
		{"a record refused for its own fault", func(l *ledger.Ledger) (ledger.Receipt, error) {
			return l.Post(pay("unknown", "council-budget", "nowhere", "5", ledger.Grant, officer, uuid.Nil, day(2025, 6, 3)))
		}, ledger.ErrUnknownAccount, false},
		{"retry of a transaction recorded before the failure", func(l *ledger.Ledger) (ledger.Receipt, error) {
			return l.Post(pay("mistake", "council-budget", "temple-cash", "99", ledger.Payment, officer, uuid.Nil, day(2025, 5, 4)))
		}, nil, true},
		{"retry of a hold placed before the failure", func(l *ledger.Ledger) (ledger.Receipt, error) {
			return l.PlaceHold(ledger.Hold{ID: id("h1"), Kind: ledger.Grant, From: id("hub-cash"), To: id("temple-cash"), Amount: gbp("300"),
				Expires: day(2025, 9, 1), Against: id("grant"), Recorded: day(2025, 6, 1), Formality: ledger.Formality{DecidedBy: director}})
		}, nil, true},
		{"reopening an account opened before the failure", func(l *ledger.Ledger) (ledger.Receipt, error) {
			return ledger.Receipt{}, l.Open(accounts[0])
		}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, w := stoppedLedger(t)
			before, written := state(t, l), bytes.Clone(w.buf.Bytes())
			r, err := tc.do(l)
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, tc.duplicate, r.Duplicate)
			} else {
				require.ErrorIs(t, err, tc.want)
			}
			if tc.want == ledger.ErrJournalFailed {
				assert.ErrorIs(t, err, errDiskFull, "the writer's error is the cause")
				assert.Equal(t, "JOURNAL_FAILED", string(coprod.CodeOf(err)))
			}
			assert.Equal(t, before, state(t, l), "nothing applied; queries still answer")
			assert.Equal(t, written, w.buf.Bytes(), "nothing written")
		})
	}
}

// TestJournalFailureAfterTheWholeLine: a writer that takes the whole line
// but reports an error leaves the record in the journal though the live
// ledger refused it. The journal decides: the recovered ledger has the
// record, and retrying it there answers with its receipt.
func TestJournalFailureAfterTheWholeLine(t *testing.T) {
	w := &brokenWriter{failAt: len(accounts) + 1, keep: func(n int) int { return n }, err: errDiskFull}
	l := newLedger(t, ledger.Options{Journal: w})
	grant := pay("grant", "council-budget", "hub-cash", "10000", ledger.Grant, officer, id("d"), day(2025, 4, 1))
	_, err := l.Post(grant)
	require.ErrorIs(t, err, ledger.ErrJournal)
	require.ErrorIs(t, l.Err(), ledger.ErrJournalFailed)

	head, err := ledger.Verify(bytes.NewReader(w.buf.Bytes()))
	require.NoError(t, err)
	assert.Equal(t, l.Head().Seq+1, head.Seq, "the line is in the journal")
	back, err := ledger.Replay(bytes.NewReader(w.buf.Bytes()), ledger.Options{})
	require.NoError(t, err)
	r, err := back.Post(grant)
	require.NoError(t, err)
	assert.True(t, r.Duplicate)
	assert.Equal(t, head.Seq, r.Seq)
}
