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

				// The journal is sound, or torn right after the last
				// record applied.
				sound := int64(refJournal.Len())
				head, err := ledger.Verify(bytes.NewReader(written), nil)
				if int64(len(written)) == sound {
					require.NoError(t, err, "a failure that wrote nothing leaves a sound journal")
					assert.Equal(t, l.Head(), head)
				} else {
					var je *ledger.JournalError
					require.ErrorAs(t, err, &je)
					require.ErrorIs(t, err, ledger.ErrTornJournal)
					assert.NotErrorIs(t, err, ledger.ErrCorruptJournal)
					assert.True(t, je.Torn)
					assert.Equal(t, failAt, je.Line)
					assert.Equal(t, sound, je.Offset, "truncate at the end of the last complete line")
					_, err = ledger.Replay(bytes.NewReader(written), ledger.Options{})
					assert.ErrorIs(t, err, ledger.ErrTornJournal, "Replay refuses a torn journal")
				}

				// Recover, truncate, carry on: the failed record and the
				// rest go through, and the journal is byte for byte the
				// one an unbroken writer would have written.
				journal := bytes.NewBuffer(bytes.Clone(written))
				back, n, err := ledger.Recover(bytes.NewReader(written), ledger.Options{Journal: journal})
				require.NoError(t, err)
				assert.Equal(t, sound, n)
				assert.Equal(t, state(t, l), state(t, back), "the recovered ledger is the live one")
				assert.Equal(t, written, journal.Bytes(), "Recover writes nothing")
				journal.Truncate(int(n))
				run(t, back, steps[failAt-1:])
				head, err = ledger.Verify(bytes.NewReader(journal.Bytes()), nil)
				require.NoError(t, err)
				assert.Equal(t, back.Head(), head)
				whole, want := journaled(t)
				assert.Equal(t, want, journal.Bytes())
				assert.Equal(t, state(t, whole), state(t, back))
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
			return l.Capture(ledger.CaptureRequest{Hold: id("h1"), ID: id("h1-paid"), Amount: gbp("250"), Effective: day(2025, 7, 1), Recorded: day(2025, 7, 1), By: director})
		}, ledger.ErrJournalFailed, false},
		{"void", func(l *ledger.Ledger) (ledger.Receipt, error) {
			return ledger.Receipt{}, l.Void(ledger.VoidRequest{Hold: id("h2"), By: director, At: day(2025, 7, 1), Reason: "not needed"})
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

	head, err := ledger.Verify(bytes.NewReader(w.buf.Bytes()), nil)
	require.NoError(t, err)
	assert.Equal(t, l.Head().Seq+1, head.Seq, "the line is in the journal")
	back, err := ledger.Replay(bytes.NewReader(w.buf.Bytes()), ledger.Options{})
	require.NoError(t, err)
	r, err := back.Post(grant)
	require.NoError(t, err)
	assert.True(t, r.Duplicate)
	assert.Equal(t, head.Seq, r.Seq)
}

// TestTornTail cuts the journal inside every line and checks that each
// cut is told apart from corruption, with the offset to truncate at, and
// that Recover replays every line before it.
func TestTornTail(t *testing.T) {
	_, journal := journaled(t)
	lines := bytes.SplitAfter(journal, []byte("\n"))
	lines = lines[:len(lines)-1]
	var off int
	for i, line := range lines {
		for k := 1; k < len(line); k++ {
			doc := append(bytes.Clone(journal[:off]), line[:k]...)
			_, err := ledger.Verify(bytes.NewReader(doc), nil)
			var je *ledger.JournalError
			require.ErrorAs(t, err, &je, "line %d cut after %d bytes", i+1, k)
			require.True(t, je.Torn, "line %d cut after %d bytes: %v", i+1, k, err)
			require.ErrorIs(t, err, ledger.ErrTornJournal)
			require.NotErrorIs(t, err, ledger.ErrCorruptJournal)
			require.Equal(t, i+1, je.Line)
			require.Equal(t, int64(off), je.Offset)

			back, n, err := ledger.Recover(bytes.NewReader(doc), ledger.Options{})
			require.NoError(t, err)
			require.Equal(t, int64(off), n)
			require.Equal(t, i, back.Head().Seq)
		}
		off += len(line)
	}
	back, n, err := ledger.Recover(bytes.NewReader(journal), ledger.Options{})
	require.NoError(t, err, "a sound journal recovers whole")
	assert.Equal(t, int64(len(journal)), n)
	assert.Equal(t, len(lines), back.Head().Seq)
}

// TestTornTailOrCorrupt: only what a write cut short can leave is torn.
func TestTornTailOrCorrupt(t *testing.T) {
	_, journal := journaled(t)
	lines := bytes.SplitAfter(journal, []byte("\n"))
	lines = lines[:len(lines)-1]
	last := lines[len(lines)-1]
	body := journal[:len(journal)-len(last)]
	cat := func(tail ...[]byte) []byte { return append(bytes.Clone(body), bytes.Join(tail, nil)...) }
	for _, tc := range []struct {
		name string
		doc  []byte
		torn bool
	}{
		{"the line's first byte", cat(last[:1]), true},
		{"all but the newline", cat(last[:len(last)-1]), true},
		{"all but the closing brace and newline", cat(last[:len(last)-2]), true},
		{"cut inside the hash", cat(last[:100]), true},
		{"a changed byte, newline dropped", cat([]byte("X"), last[1:len(last)-1]), false},
		{"a changed byte before the cut", cat(bytes.Replace(last[:len(last)/2], []byte(`"hash":"`), []byte(`"hash":"X`), 1)), false},
		{"a changed byte, all but the newline", cat(bytes.Replace(last[:len(last)-1], []byte(`"record":{`), []byte(`"record":{ `), 1)), false},
		{"something after the whole line", cat(last[:len(last)-1], []byte("}")), false},
		{"the newline changed", cat(last[:len(last)-1], []byte("\r")), false},
		{"the next line's start, out of sequence", cat([]byte(`{"seq":99`)), false},
		{"the line before again, cut", cat(lines[len(lines)-2][:50]), false},
		{"an unknown record type", cat(last[:bytes.Index(last, []byte(`"type":"`))+8], []byte("xresolution")), false},
		{"a record type cut short", cat(last[:bytes.Index(last, []byte(`"type":"`))+10]), true},
		{"garbage", cat([]byte("garbage")), false},
		{"a record that is not JSON", cat(last[:bytes.Index(last, []byte(`"record":`))+9], []byte("[nul")), false},
		{"a record that is not an object", cat(last[:bytes.Index(last, []byte(`"record":`))+9], []byte("12")), false},
		{"broken JSON in the record", cat(last[:bytes.Index(last, []byte(`"record":`))+9], []byte(`{"id":x`)), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ledger.Verify(bytes.NewReader(tc.doc), nil)
			var je *ledger.JournalError
			require.ErrorAs(t, err, &je)
			assert.Equal(t, len(lines), je.Line)
			assert.Equal(t, int64(len(body)), je.Offset)
			assert.Equal(t, tc.torn, je.Torn, "%v", err)
			_, _, err = ledger.Recover(bytes.NewReader(tc.doc), ledger.Options{})
			if tc.torn {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ledger.ErrCorruptJournal)
				assert.NotErrorIs(t, err, ledger.ErrTornJournal)
			}
		})
	}
}

var errRead = errors.New("device gone")

// failingReader yields data, then fails with err on every read after it,
// counting the reads.
type failingReader struct {
	data  []byte
	err   error
	reads int
}

func (r *failingReader) Read(p []byte) (int, error) {
	r.reads++
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// endless yields b forever.
type endless struct {
	b     byte
	reads int
}

func (r *endless) Read(p []byte) (int, error) {
	r.reads++
	for i := range p {
		p[i] = r.b
	}
	return len(p), nil
}

// stalled returns nothing, and no error, forever.
type stalled struct{ reads int }

func (r *stalled) Read([]byte) (int, error) { r.reads++; return 0, nil }

// TestJournalReaderFaults: a reader that fails is an I/O error, neither
// torn nor corrupt, wherever it fails; nothing makes Verify or Replay
// read without end or keep a line over MaxJournalLine.
func TestJournalReaderFaults(t *testing.T) {
	_, journal := journaled(t)
	firstLine := bytes.IndexByte(journal, '\n') + 1
	long := append(bytes.Clone(journal[:firstLine]), bytes.Repeat([]byte("x"), ledger.MaxJournalLine)...)
	for _, tc := range []struct {
		name  string
		r     func() io.Reader
		want  error // what the error matches besides ErrJournalRead, or the sentinel
		reads int   // at most this many reads
	}{
		{"fails at once", func() io.Reader { return &failingReader{err: errRead} }, errRead, 2},
		{"fails after the first line", func() io.Reader { return &failingReader{data: journal[:firstLine], err: errRead} }, errRead, 3},
		{"fails mid-line", func() io.Reader { return &failingReader{data: journal[:firstLine+40], err: errRead} }, errRead, 3},
		{"fails before the last newline", func() io.Reader { return &failingReader{data: journal[:len(journal)-1], err: errRead} }, errRead, 3},
		{"fails with io.ErrUnexpectedEOF", func() io.Reader { return &failingReader{data: journal[:firstLine+40], err: io.ErrUnexpectedEOF} }, io.ErrUnexpectedEOF, 3},
		{"never makes progress", func() io.Reader { return &stalled{} }, io.ErrNoProgress, 200},
		{"a line over MaxJournalLine", func() io.Reader {
			return bytes.NewReader(append(bytes.Clone(long), '\n'))
		}, ledger.ErrCorruptJournal, 1 << 20},
		{"a tail over MaxJournalLine", func() io.Reader { return bytes.NewReader(long) }, ledger.ErrCorruptJournal, 1 << 20},
		{"a line without end", func() io.Reader { return &endless{b: '{'} }, ledger.ErrCorruptJournal, 1 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := func(err error) {
				t.Helper()
				require.ErrorIs(t, err, tc.want)
				assert.NotErrorIs(t, err, ledger.ErrTornJournal)
				if tc.want == ledger.ErrCorruptJournal {
					var je *ledger.JournalError
					require.ErrorAs(t, err, &je)
					assert.NotErrorIs(t, err, ledger.ErrJournalRead)
				} else {
					assert.ErrorIs(t, err, ledger.ErrJournalRead)
					assert.NotErrorIs(t, err, ledger.ErrCorruptJournal)
				}
			}
			r := tc.r()
			_, err := ledger.Verify(r, nil)
			check(err)
			_, err = ledger.Replay(tc.r(), ledger.Options{})
			check(err)
			l, n, err := ledger.Recover(tc.r(), ledger.Options{})
			check(err)
			assert.Nil(t, l)
			assert.Zero(t, n)
			switch r := r.(type) {
			case *failingReader:
				assert.LessOrEqual(t, r.reads, tc.reads)
			case *stalled:
				assert.LessOrEqual(t, r.reads, tc.reads)
			case *endless:
				assert.LessOrEqual(t, r.reads*(64<<10), 2*ledger.MaxJournalLine, "reads stop soon after the limit")
			}
		})
	}
}
