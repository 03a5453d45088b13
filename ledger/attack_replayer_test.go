package ledger_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// replaySequential replays r with a Replayer reading runs of up to size
// bytes and applying each as soon as it is read, on this goroutine: the
// one run buffer is recycled for every run, the harshest case for a
// record that kept a byte of the run it was read from.
func replaySequential(r io.Reader, opts ledger.Options, size int, recover bool) (*ledger.Ledger, int64, error) {
	rp := ledger.NewReplayerSize(r, opts, size)
	for {
		run, err := rp.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, err
		}
		if err := rp.Apply(run); err != nil {
			return nil, 0, err
		}
	}
	if recover {
		return rp.Recovered()
	}
	l, err := rp.Ledger()
	return l, 0, err
}

// attackJournals are journals of every kind a replay meets: keyed with a
// key rotated partway, with free text erased from several lines, and
// written by version 1 of the format.
func attackJournals(t *testing.T) map[string]struct {
	j    []byte
	opts ledger.Options
} {
	t.Helper()
	out := map[string]struct {
		j    []byte
		opts ledger.Options
	}{}
	k1 := &coprod.JournalKey{ID: "k1", Secret: bytes.Repeat([]byte{1}, 32)}
	k2 := &coprod.JournalKey{ID: "k2", Secret: bytes.Repeat([]byte{2}, 32)}
	var kj bytes.Buffer
	kl := newLedger(t, ledger.Options{Authorizer: mixedAuth(), Journal: &kj, Key: k1, Rand: bytes.NewReader(bytes.Repeat([]byte("salt"), 1<<12))})
	history(t, kl)
	workload(t, kl, "one-", 200)
	// Rotate: a second ledger replays the first and goes on under k2.
	keys := coprod.Keyring{"k1": k1.Secret, "k2": k2.Secret}
	more := bytes.Buffer{}
	cont, err := ledger.Replay(bytes.NewReader(kj.Bytes()), ledger.Options{Authorizer: mixedAuth(), Journal: &more, Key: k2, Keys: keys})
	require.NoError(t, err)
	workload(t, cont, "two-", 230)
	keyed := append(bytes.Clone(kj.Bytes()), more.Bytes()...)
	out["keyed, rotated"] = struct {
		j    []byte
		opts ledger.Options
	}{keyed, ledger.Options{Keys: keys}}

	_, plain, _ := replayerJournal(t)
	erased := plain
	for _, seq := range []int{3, 9, 10, 20, 40} {
		var w bytes.Buffer
		if ledger.EraseText(bytes.NewReader(erased), &w, seq) == nil {
			erased = bytes.Clone(w.Bytes())
		}
	}
	require.NotEqual(t, plain, erased, "some text was erased")
	out["erased text"] = struct {
		j    []byte
		opts ledger.Options
	}{erased, ledger.Options{}}

	v1, err := os.ReadFile("testdata/journal-v1.jsonl")
	require.NoError(t, err)
	var v2 bytes.Buffer
	vl, err := ledger.Replay(bytes.NewReader(v1), ledger.Options{Journal: &v2})
	require.NoError(t, err)
	_, err = vl.Post(ledger.Transaction{ID: id("v2-refund"), Kind: ledger.Payment, Effective: day(2025, 7, 1), Recorded: day(2025, 7, 1),
		Postings:  []ledger.Posting{{Account: uuidN(11), Amount: gbp("-50")}, {Account: uuidN(10), Amount: gbp("50")}},
		Formality: ledger.Formality{DecidedBy: uuidN(2)}, Memo: "refund <v2>", Metadata: map[string]string{"k": "v"}})
	require.NoError(t, err)
	out["version 1 then 2"] = struct {
		j    []byte
		opts ledger.Options
	}{append(bytes.Clone(v1), v2.Bytes()...), ledger.Options{}}
	return out
}

func uuidN(n int) uuid.UUID { return uuid.MustParse("00000000-0000-4000-8000-" + padded(n)) }

// TestAttackReplayerTinyRunsEveryJournalKind (holds): a keyed journal
// whose key was rotated, a journal with erased text and a version 1
// journal continued by version 2 replay, in runs of 1 to 7 bytes, applied
// as read (one buffer recycled for every run) or spread over 4 preparers,
// to exactly what Replay and Recover give: no record keeps a byte of a
// recycled run.
func TestAttackReplayerTinyRunsEveryJournalKind(t *testing.T) {
	for name, c := range attackJournals(t) {
		t.Run(name, func(t *testing.T) {
			l, err := ledger.Replay(bytes.NewReader(c.j), c.opts)
			require.NoError(t, err)
			want := everything(t, l)
			for _, size := range []int{1, 2, 7} {
				got, _, err := replaySequential(bytes.NewReader(c.j), c.opts, size, false)
				require.NoError(t, err, "runs of %d", size)
				require.Equal(t, want, everything(t, got), "runs of %d, applied as read", size)
				got, n, err := replaySequential(bytes.NewReader(c.j), c.opts, size, true)
				require.NoError(t, err)
				require.Equal(t, int64(len(c.j)), n)
				require.Equal(t, want, everything(t, got))
				got, n, err = replayConcurrently(bytes.NewReader(c.j), c.opts, size, 4, true)
				require.NoError(t, err)
				require.Equal(t, int64(len(c.j)), n)
				require.Equal(t, want, everything(t, got), "runs of %d, 4 preparers", size)
			}
		})
	}
}

// TestAttackReplayerLedgerTwiceKeepsHead (DEFECT): Ledger (and Recovered)
// set the replayed ledger's head every time they are called, without its
// lock. A caller that asks twice (say, once to start and once to log)
// after recording through the ledger rewinds its head to the replayed
// one: the next line written links to the wrong hash, and the journal no
// longer verifies. A second call should change nothing.
func TestAttackReplayerLedgerTwiceKeepsHead(t *testing.T) {
	_, j, auth := replayerJournal(t)
	for _, recovered := range []bool{false, true} {
		t.Run(fmt.Sprintf("recovered %v", recovered), func(t *testing.T) {
			var more bytes.Buffer
			rp := ledger.NewReplayerSize(bytes.NewReader(j), ledger.Options{Authorizer: auth, Journal: &more}, 4096)
			for {
				run, err := rp.Read()
				if err == io.EOF {
					break
				}
				require.NoError(t, rp.Apply(run))
			}
			again := func() *ledger.Ledger {
				if recovered {
					l, _, err := rp.Recovered()
					require.NoError(t, err)
					return l
				}
				l, err := rp.Ledger()
				require.NoError(t, err)
				return l
			}
			l := again()
			workload(t, l, "four-", 300)
			head := l.Head()
			same := again()
			assert.Same(t, l, same)
			assert.Equal(t, head, l.Head(), "asking for the ledger again changes its head")
			workload(t, l, "five-", 330)
			whole := append(bytes.Clone(j), more.Bytes()...)
			got, err := ledger.Verify(bytes.NewReader(whole), nil)
			require.NoError(t, err, "the journal continued after the second call verifies")
			assert.Equal(t, l.Head(), got)
		})
	}
}

// TestAttackReplayerPrepareAnyOrder (holds): every run read before any is
// applied, prepared in reverse order each on its own goroutine, and
// applied on yet another goroutine, replays as Replay does, for sound and
// damaged journals alike; the fault reported is the first in the
// journal, never one in a run prepared earlier.
func TestAttackReplayerPrepareAnyOrder(t *testing.T) {
	_, j, auth := replayerJournal(t)
	opts := ledger.Options{Authorizer: auth}
	lines := bytes.SplitAfter(j, []byte("\n"))
	early, late := bytes.Clone(j), bytes.Clone(j)
	early[len(lines[0])+len(lines[1])+30] ^= 1 // line 3 changed
	late[len(j)-40] ^= 1                       // the last line changed
	both := bytes.Clone(early)
	both[len(j)-40] ^= 1
	for name, b := range map[string][]byte{"sound": j, "line 3 changed": early, "last line changed": late, "both": both,
		"torn": j[:len(j)-20], "read fails": j[:len(j)/2]} {
		t.Run(name, func(t *testing.T) {
			r := func() io.Reader { return bytes.NewReader(b) }
			if name == "read fails" {
				r = func() io.Reader { return &failingReader{data: b, err: errRead} }
			}
			l, err := ledger.Replay(r(), opts)
			want := outcome(t, l, 0, err)
			l, n, err := ledger.Recover(r(), opts)
			wantRecover := outcome(t, l, n, err)
			for _, size := range []int{1, 500, 8000} {
				for _, recover := range []bool{false, true} {
					rp := ledger.NewReplayerSize(r(), opts, size)
					var runs []*ledger.ReplayRun
					for {
						run, err := rp.Read()
						if err == io.EOF {
							break
						}
						runs = append(runs, run)
					}
					var wg sync.WaitGroup
					for i := len(runs) - 1; i >= 0; i-- {
						wg.Add(1)
						go func(run *ledger.ReplayRun) { defer wg.Done(); run.Prepare() }(runs[i])
					}
					wg.Wait()
					type res struct {
						l   *ledger.Ledger
						n   int64
						err error
					}
					done := make(chan res)
					go func() {
						for _, run := range runs {
							if err := rp.Apply(run); err != nil {
								done <- res{nil, 0, err}
								return
							}
						}
						if recover {
							l, n, err := rp.Recovered()
							done <- res{l, n, err}
							return
						}
						l, err := rp.Ledger()
						done <- res{l, 0, err}
					}()
					got := <-done
					if recover {
						require.Equal(t, wantRecover, outcome(t, got.l, got.n, got.err), "runs of %d, recovered", size)
					} else {
						require.Equal(t, want, outcome(t, got.l, got.n, got.err), "runs of %d", size)
					}
				}
			}
		})
	}
}

// TestAttackReplayerRechainedRefusals (holds): lines whose records are
// changed, repeated, dropped or swapped and the chain rebuilt (as anyone
// holding an unkeyed journal can) pass the chain and are refused by
// validation, some at decoding, now done ahead by Prepare: the spread
// replay refuses the same first line with the same words as Replay.
func TestAttackReplayerRechainedRefusals(t *testing.T) {
	_, j, auth := replayerJournal(t)
	lines := splitJournal(t, j)
	var cases [][]jline
	for k := 0; k < len(lines); k += 11 {
		dup := append(append(append([]jline{}, lines[:k+1]...), lines[k]), lines[k+1:]...)
		rm := append(append([]jline{}, lines[:k]...), lines[k+1:]...)
		cases = append(cases, dup, rm)
		if k+1 < len(lines) {
			sw := append([]jline{}, lines...)
			sw[k], sw[k+1] = sw[k+1], sw[k]
			cases = append(cases, sw)
		}
		for i := 0; i < len(lines[k].record); i += 37 {
			ch := append([]jline{}, lines...)
			rec := bytes.Clone(ch[k].record)
			rec[i] ^= 1
			ch[k].record = rec
			cases = append(cases, ch)
		}
		if lines[k].text != nil {
			ch := append([]jline{}, lines...)
			ch[k].text = []byte(`{"memo":1}`)
			cases = append(cases, ch)
		}
	}
	refused := 0
	for i, c := range cases {
		b := chain(c)
		for _, opts := range []ledger.Options{{Authorizer: auth}, {}} {
			l, err := ledger.Replay(bytes.NewReader(b), opts)
			if err != nil {
				refused++
			}
			want := outcome(t, l, 0, err)
			for _, size := range []int{1, 900} {
				l, _, err := replaySequential(bytes.NewReader(b), opts, size, false)
				require.Equal(t, want, outcome(t, l, 0, err), "case %d, runs of %d", i, size)
				l, _, err = replayConcurrently(bytes.NewReader(b), opts, size, 3, false)
				require.Equal(t, want, outcome(t, l, 0, err), "case %d, runs of %d, spread", i, size)
			}
		}
	}
	require.Greater(t, refused, len(cases), "most cases are refused")
}

// TestAttackReplayerMisuseChangesNothing (holds): a zero ReplayRun, a
// run of another replayer after this one finished, and asking for the
// ledger before anything was read are refused with ErrInvalidArgument;
// the replay then finishes as if they had not been made. After a fault
// Apply, Ledger and Recovered answer with it, a run of another replayer
// included.
func TestAttackReplayerMisuseChangesNothing(t *testing.T) {
	live, j, auth := replayerJournal(t)
	opts := ledger.Options{Authorizer: auth}
	rp := ledger.NewReplayerSize(bytes.NewReader(j), opts, 3000)
	other := ledger.NewReplayerSize(bytes.NewReader(j), opts, 3000)
	_, err := rp.Ledger()
	require.ErrorIs(t, err, ledger.ErrInvalidArgument)
	_, _, err = rp.Recovered()
	require.ErrorIs(t, err, ledger.ErrInvalidArgument)
	require.ErrorIs(t, rp.Apply(&ledger.ReplayRun{}), ledger.ErrInvalidArgument, "a zero run")
	foreign, err := other.Read()
	require.NoError(t, err)
	for {
		run, err := rp.Read()
		if err == io.EOF {
			break
		}
		require.ErrorIs(t, rp.Apply(foreign), ledger.ErrInvalidArgument)
		require.NoError(t, rp.Apply(run))
		require.ErrorIs(t, rp.Apply(run), ledger.ErrInvalidArgument, "applied twice")
	}
	require.ErrorIs(t, rp.Apply(foreign), ledger.ErrInvalidArgument, "after the last run")
	l, err := rp.Ledger()
	require.NoError(t, err)
	require.Equal(t, everything(t, live), everything(t, l))

	// A fault in the first run: every answer after it is that fault.
	bad := bytes.Clone(j)
	bad[10] ^= 1
	rp = ledger.NewReplayerSize(bytes.NewReader(bad), opts, 3000)
	run, err := rp.Read()
	require.NoError(t, err)
	next, err := rp.Read()
	require.NoError(t, err)
	fault := rp.Apply(run)
	require.ErrorIs(t, fault, ledger.ErrCorruptJournal)
	_, err = rp.Read()
	assert.Equal(t, io.EOF, err, "after a fault, Read reads no more")
	assert.Equal(t, fault, rp.Apply(next))
	assert.Equal(t, fault, rp.Apply(foreign))
	assert.Equal(t, fault, rp.Apply(run))
	_, err = rp.Ledger()
	assert.Equal(t, fault, err)
	_, _, err = rp.Recovered()
	assert.Equal(t, fault, err)
}

// TestAttackReplayerEmptyAndOneLine (holds): an empty journal, a journal
// of one line with and without its newline, and a lone newline replay as
// Replay and Recover do, in runs of any size.
func TestAttackReplayerEmptyAndOneLine(t *testing.T) {
	_, j, auth := replayerJournal(t)
	first := j[:bytes.IndexByte(j, '\n')+1]
	for name, b := range map[string][]byte{"empty": nil, "one line": first, "one line, no newline": first[:len(first)-1],
		"a newline": []byte("\n"), "one line, CRLF": append(bytes.Clone(first[:len(first)-1]), '\r', '\n'),
		"one line, then an empty one": append(bytes.Clone(first), '\n')} {
		opts := ledger.Options{Authorizer: auth}
		l, err := ledger.Replay(bytes.NewReader(b), opts)
		want := outcome(t, l, 0, err)
		l, n, err := ledger.Recover(bytes.NewReader(b), opts)
		wantRecover := outcome(t, l, n, err)
		for _, size := range []int{1, 2, 64, 1 << 20} {
			l, _, err := replaySequential(bytes.NewReader(b), opts, size, false)
			require.Equal(t, want, outcome(t, l, 0, err), "%s, runs of %d", name, size)
			l, n, err := replayConcurrently(bytes.NewReader(b), opts, size, 2, true)
			require.Equal(t, wantRecover, outcome(t, l, n, err), "%s, runs of %d", name, size)
		}
	}
}
