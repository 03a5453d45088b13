package ledger_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/coprod/coprod/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// replayerJournal is a journal of every record kind, with free text
// (memos, metadata, an erased line), proofs written in full and named by
// line, and three workloads, so that it spans many small runs.
func replayerJournal(t *testing.T) (*ledger.Ledger, []byte, ledger.Authorizer) {
	t.Helper()
	auth := mixedAuth()
	var j bytes.Buffer
	l := newLedger(t, ledger.Options{Authorizer: auth, Journal: &j})
	history(t, l)
	for i, p := range []string{"one-", "two-", "three-"} {
		workload(t, l, p, 200+i) // May 2025 plus 200 days and more: after history
	}
	return l, j.Bytes(), auth
}

// everything is all a ledger shows of what it replayed: state, and each
// transaction and hold in full, free text and proofs included.
func everything(t *testing.T, l *ledger.Ledger) string {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(state(t, l))
	for tx := range l.Transactions() {
		j, err := json.Marshal(tx)
		require.NoError(t, err)
		fmt.Fprintf(&b, "%s\n", j)
	}
	for h := range l.Holds() {
		j, err := json.Marshal(h)
		require.NoError(t, err)
		fmt.Fprintf(&b, "%s\n", j)
	}
	return b.String()
}

// replayConcurrently replays r as a caller spreading the work would: one
// goroutine reads runs of up to size bytes, preparers goroutines prepare
// them, several at once, and this one applies them in order. With
// recover it returns Recovered's answer, otherwise Ledger's.
func replayConcurrently(r io.Reader, opts ledger.Options, size, preparers int, recover bool) (*ledger.Ledger, int64, error) {
	rp := ledger.NewReplayerSize(r, opts, size)
	type item struct {
		run      *ledger.ReplayRun
		prepared chan struct{}
	}
	work := make(chan item, 2*preparers)
	ordered := make(chan item, 2*preparers)
	var wg sync.WaitGroup
	for range preparers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				it.run.Prepare()
				close(it.prepared)
			}
		}()
	}
	go func() {
		defer close(work)
		defer close(ordered)
		for {
			run, err := rp.Read()
			if err != nil {
				return
			}
			it := item{run, make(chan struct{})}
			ordered <- it
			work <- it
		}
	}()
	var err error
	for it := range ordered {
		<-it.prepared
		if err == nil {
			err = rp.Apply(it.run)
		}
	}
	wg.Wait()
	if err != nil {
		return nil, 0, err
	}
	if recover {
		return rp.Recovered()
	}
	l, err := rp.Ledger()
	return l, 0, err
}

// TestReplayerSpreadReplaysAsReplay (holds): a journal replayed with its
// work spread over goroutines, in runs from a byte to the default, with
// one preparer or three at once, gives the ledger Replay gives: the same
// state, free text and proofs, the same head, continuing the same chain.
// Small runs also recycle each run's buffer many times: a record that
// kept a byte of a run it was read from would show here.
func TestReplayerSpreadReplaysAsReplay(t *testing.T) {
	live, j, auth := replayerJournal(t)
	want := everything(t, live)
	seq, err := ledger.Replay(bytes.NewReader(j), ledger.Options{Authorizer: auth})
	require.NoError(t, err)
	require.Equal(t, want, everything(t, seq))
	for _, size := range []int{1, 100, 700, 4096, 1 << 20} {
		for _, preparers := range []int{1, 3} {
			t.Run(fmt.Sprintf("runs of %d bytes, %d preparers", size, preparers), func(t *testing.T) {
				for _, a := range []ledger.Authorizer{auth, nil} {
					l, _, err := replayConcurrently(bytes.NewReader(j), ledger.Options{Authorizer: a}, size, preparers, false)
					require.NoError(t, err)
					require.Equal(t, want, everything(t, l))
				}
				l, n, err := replayConcurrently(bytes.NewReader(j), ledger.Options{Authorizer: auth}, size, preparers, true)
				require.NoError(t, err)
				require.Equal(t, int64(len(j)), n)
				require.Equal(t, want, everything(t, l))

				// The chain continues as after Replay, line for line.
				var spread, one bytes.Buffer
				l, _, err = replayConcurrently(bytes.NewReader(j), ledger.Options{Authorizer: auth, Journal: &spread}, size, preparers, false)
				require.NoError(t, err)
				back, err := ledger.Replay(bytes.NewReader(j), ledger.Options{Authorizer: auth, Journal: &one})
				require.NoError(t, err)
				workload(t, l, "four-", 300)
				workload(t, back, "four-", 300)
				require.NotZero(t, one.Len())
				require.Equal(t, one.String(), spread.String())
			})
		}
	}
}

// outcome is what a replay answered, as text: the error, or the ledger
// with the length Recover reports.
func outcome(t *testing.T, l *ledger.Ledger, n int64, err error) string {
	t.Helper()
	if err != nil {
		require.Nil(t, l)
		return fmt.Sprintf("error %v (torn %v, corrupt %v, read %v)", err,
			errors.Is(err, ledger.ErrTornJournal), errors.Is(err, ledger.ErrCorruptJournal), errors.Is(err, ledger.ErrJournalRead))
	}
	return fmt.Sprintf("ledger at %d:\n%s", n, everything(t, l))
}

// TestReplayerFaultsAsReplay (holds): whatever is wrong with a journal (a
// changed byte anywhere, a line cut short, lines repeated or swapped, a
// reader that fails partway, keys missing), the replay spread over
// goroutines in small runs answers exactly as Replay and Recover do: the
// same first fault, with the same wording, line and offset, or the same
// ledger and length. A fault in a run prepared early is reported only
// when the runs before it are applied, so it never hides an earlier one.
func TestReplayerFaultsAsReplay(t *testing.T) {
	_, j, auth := replayerJournal(t)
	lines := bytes.SplitAfter(j, []byte("\n"))
	lines = lines[:len(lines)-1]
	type journal struct {
		name string
		r    func() io.Reader
	}
	var cases []journal
	bytesOf := func(name string, b []byte) journal {
		return journal{name, func() io.Reader { return bytes.NewReader(b) }}
	}
	for i := 0; i < len(j); i += 173 {
		b := bytes.Clone(j)
		b[i] ^= 0x01
		cases = append(cases, bytesOf(fmt.Sprintf("byte %d changed", i), b))
	}
	for i := 0; i < len(j); i += 211 {
		cases = append(cases, bytesOf(fmt.Sprintf("cut at %d", i), j[:i]))
		cases = append(cases, journal{fmt.Sprintf("reader fails at %d", i), func() io.Reader { return &failingReader{data: j[:i], err: errRead} }})
	}
	for _, k := range []int{0, 5, len(lines) / 2, len(lines) - 2} {
		swapped := bytes.Join(append(append(append([][]byte{}, lines[:k]...), lines[k+1], lines[k]), lines[k+2:]...), nil)
		cases = append(cases, bytesOf(fmt.Sprintf("lines %d and %d swapped", k+1, k+2), swapped))
		repeated := bytes.Join(append(append(append([][]byte{}, lines[:k+1]...), lines[k]), lines[k+1:]...), nil)
		cases = append(cases, bytesOf(fmt.Sprintf("line %d repeated", k+1), repeated))
	}
	cases = append(cases, bytesOf("whole", j), bytesOf("empty", nil), journal{"a line over MaxJournalLine", func() io.Reader {
		return bytes.NewReader(append(bytes.Clone(j), bytes.Repeat([]byte("x"), ledger.MaxJournalLine+1)...))
	}})
	for _, c := range cases {
		for _, opts := range []ledger.Options{{Authorizer: auth}, {Keys: map[string][]byte{"k": []byte("secret")}}} {
			l, err := ledger.Replay(c.r(), opts)
			wantReplay := outcome(t, l, 0, err)
			l, n, err := ledger.Recover(c.r(), opts)
			wantRecover := outcome(t, l, n, err)
			for _, size := range []int{1, 900} {
				l, _, err := replayConcurrently(c.r(), opts, size, 2, false)
				require.Equal(t, wantReplay, outcome(t, l, 0, err), "%s, runs of %d bytes", c.name, size)
				l, n, err := replayConcurrently(c.r(), opts, size, 2, true)
				require.Equal(t, wantRecover, outcome(t, l, n, err), "%s, runs of %d bytes, recovered", c.name, size)
			}
		}
	}
}

// TestReplayerMisuse (holds): runs applied out of Read's order, twice, or
// by another Replayer are refused with ErrInvalidArgument and change
// nothing: the replay goes on when the right run comes. Asking for the
// ledger before the last run is applied is refused likewise; after a
// fault, Apply, Ledger and Recovered all answer with that fault.
func TestReplayerMisuse(t *testing.T) {
	live, j, auth := replayerJournal(t)
	opts := ledger.Options{Authorizer: auth}
	rp := ledger.NewReplayerSize(bytes.NewReader(j), opts, 2000)
	other := ledger.NewReplayerSize(bytes.NewReader(j), opts, 2000)
	first, err := rp.Read()
	require.NoError(t, err)
	second, err := rp.Read()
	require.NoError(t, err)
	foreign, err := other.Read()
	require.NoError(t, err)
	second.Prepare()
	require.ErrorIs(t, rp.Apply(second), ledger.ErrInvalidArgument, "the second run before the first")
	require.ErrorIs(t, rp.Apply(foreign), ledger.ErrInvalidArgument, "a run of another replayer")
	require.ErrorIs(t, rp.Apply(nil), ledger.ErrInvalidArgument)
	_, err = rp.Ledger()
	require.ErrorIs(t, err, ledger.ErrInvalidArgument, "the ledger before every run is applied")
	require.NoError(t, rp.Apply(first))
	require.ErrorIs(t, rp.Apply(first), ledger.ErrInvalidArgument, "a run applied twice")
	require.NoError(t, rp.Apply(second))
	for {
		run, err := rp.Read()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		require.NoError(t, rp.Apply(run)) // unprepared: Apply prepares it
	}
	_, err = rp.Read()
	require.Equal(t, io.EOF, err, "Read keeps answering io.EOF")
	l, err := rp.Ledger()
	require.NoError(t, err)
	require.Equal(t, everything(t, live), everything(t, l))

	// After a fault, every answer is that fault.
	bad := bytes.Clone(j)
	bad[len(bad)/2] ^= 0x01
	rp = ledger.NewReplayerSize(bytes.NewReader(bad), opts, 2000)
	var fault error
	for {
		run, err := rp.Read()
		if err == io.EOF {
			break
		}
		if err := rp.Apply(run); err != nil {
			if fault == nil {
				fault = err
			}
			require.Equal(t, fault, err)
		}
	}
	require.ErrorIs(t, fault, ledger.ErrCorruptJournal)
	_, err = rp.Ledger()
	require.Equal(t, fault, err)
	_, _, err = rp.Recovered()
	require.Equal(t, fault, err)
	assert.Equal(t, fault, rp.Apply(nil), "a fault answers before the argument is looked at")
}

// liar returns its data with a count out of io.Reader's range.
type liar struct {
	data []byte
	n    int // the count it claims, once the data is given
}

func (r *liar) Read(p []byte) (int, error) {
	if len(r.data) > 0 {
		n := copy(p, r.data)
		r.data = r.data[n:]
		return n, nil
	}
	return r.n, nil
}

// TestReplayerOutOfContract (holds): a reader that returns a count out of
// range (negative, or more than it was asked for) is a failed read,
// matching ErrJournalRead, after the lines before it, never bytes taken
// from an earlier run's buffer; a ReplayRun not made by Read is refused
// by Apply and ignored by Prepare; a zero Replayer's Read is refused.
func TestReplayerOutOfContract(t *testing.T) {
	_, j, auth := replayerJournal(t)
	opts := ledger.Options{Authorizer: auth}
	for _, n := range []int{-1, 1 << 30} {
		_, err := ledger.Replay(&liar{data: j, n: n}, opts)
		require.ErrorIs(t, err, ledger.ErrJournalRead)
		require.NotErrorIs(t, err, ledger.ErrCorruptJournal)
		_, _, err = replayConcurrently(&liar{data: j, n: n}, opts, 500, 2, true)
		require.ErrorIs(t, err, ledger.ErrJournalRead)
	}
	rp := ledger.NewReplayer(bytes.NewReader(j), opts)
	var zero ledger.ReplayRun
	zero.Prepare()
	require.ErrorIs(t, rp.Apply(&zero), ledger.ErrInvalidArgument)
	var none ledger.Replayer
	_, err := none.Read()
	require.ErrorIs(t, err, ledger.ErrInvalidArgument, "a Replayer not made by NewReplayer")
}
