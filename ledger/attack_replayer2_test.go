package ledger_test

// Second round of attacks on the Replayer: the scope a run's decoder
// shares from record to record, through whole re-chained journals; the
// fixes of the first round (head set once, Read stopping after a fault, a
// reader's count out of range, a zero run) under interleavings and the
// race detector; and what an applied run still holds.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rescope returns a transaction record with its formality's scope set to
// raw (a JSON value, written as is).
func rescope(t *testing.T, rec []byte, raw string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(rec, &m))
	var f map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(m["formality"], &f))
	f["scope"] = json.RawMessage(raw)
	fb, err := json.Marshal(f)
	require.NoError(t, err)
	m["formality"] = fb
	// json.Marshal of a map sorts its keys: the fast decoder declines
	// that order. Put the fields back in the encoder's order so the fast
	// path (and its scope sharing) is what reads them.
	order := []string{"id", "kind", "postings", "effective", "recorded", "formality", "coverage", "against", "reverses", "labour", "memo", "metadata", "proof", "proof_ref"}
	var b bytes.Buffer
	b.WriteByte('{')
	for _, k := range order {
		v, ok := m[k]
		if !ok {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		if k == "formality" {
			fo := []string{"instrument", "scope", "decided_by", "approvers"}
			fmt.Fprintf(&b, `%q:{`, k)
			first := true
			for _, fk := range fo {
				if fv, ok := f[fk]; ok {
					if !first {
						b.WriteByte(',')
					}
					first = false
					fmt.Fprintf(&b, `%q:%s`, fk, fv)
				}
			}
			b.WriteByte('}')
			continue
		}
		fmt.Fprintf(&b, `%q:%s`, k, v)
	}
	b.WriteByte('}')
	var back map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b.Bytes(), &back))
	require.Len(t, back, len(m), "every field kept: %s", b.Bytes())
	return b.Bytes()
}

// scopeOf is the scope a raw JSON scope value reads as, and whether it is
// a valid one (what encoding/json and Scope.UnmarshalText accept).
func scopeOf(raw string) (coprod.Scope, bool) {
	var s string
	if json.Unmarshal([]byte(raw), &s) != nil {
		return "", false
	}
	sc, err := coprod.ParseScope(s)
	return sc, err == nil
}

// TestAttack2RescopedJournalKeepsEachLinesScope (holds): the journal's
// transactions rewritten to scopes that differ from the one before by
// case, a trailing slash, a prefix, an extension, an escape, non-ASCII,
// or that are empty, and re-chained. Where every scope is valid the
// replay (runs large and tiny, spread or not) keeps each transaction's
// own scope, as encoding/json reads it, and the Metrics per scope are
// the same whatever the runs; where one is invalid it refuses that line,
// the first such, and no other.
func TestAttack2RescopedJournalKeepsEachLinesScope(t *testing.T) {
	_, j, _ := replayerJournal(t)
	lines := splitJournal(t, j)
	valid := []string{`"commission/mental-health/iapt"`, `"commission/mental-health/iapt"`, `"commission/mental-health/iap"`,
		`"commission/mental-health/iapt"`, `"commission/mental-health"`, `"commission/mental-health/iapt/x"`,
		`"commission\/mental-health\/iapt"`, `"commission/mental-health/iapt"`, `"commission/mental-health/iapt"`,
		`"commission/mental-health/iap\u0074"`, `"commission"`, `"commission/mental-health/iapt"`}
	invalid := []string{`"Commission/mental-health/iapt"`, `"commission/mental-health/iapt/"`, `""`, `"commission/mental-health/iapté"`,
		`"commission/mental-health/iapT"`, `"/commission/mental-health/iapt"`, `"commission//mental-health/iapt"`, `null`}
	// A reversal mirrors its original, scope included: both are left be.
	mirrored := map[string]bool{}
	for _, l := range lines {
		var tx struct{ ID, Reverses string }
		if l.typ == "transaction" && json.Unmarshal(l.record, &tx) == nil && tx.Reverses != "" {
			mirrored[tx.ID], mirrored[tx.Reverses] = true, true
		}
	}
	var txLines []int // indexes of transaction lines with a formality scope
	for i, l := range lines {
		var tx struct{ ID string }
		if l.typ == "transaction" && json.Unmarshal(l.record, &tx) == nil && !mirrored[tx.ID] &&
			bytes.Contains(l.record, []byte(`"scope":"commission/mental-health/iapt"`)) {
			txLines = append(txLines, i)
		}
	}
	require.Greater(t, len(txLines), 20)
	rescoped := append([]jline{}, lines...)
	want := map[string]coprod.Scope{} // transaction ID -> scope
	for k, i := range txLines {
		raw := valid[k%len(valid)]
		rescoped[i].record = rescope(t, lines[i].record, raw)
		sc, ok := scopeOf(raw)
		require.True(t, ok, raw)
		var tx struct{ ID string }
		require.NoError(t, json.Unmarshal(lines[i].record, &tx))
		want[tx.ID] = sc
	}
	b := chain(rescoped)
	opts := ledger.Options{}
	l, err := ledger.Replay(bytes.NewReader(b), opts)
	require.NoError(t, err, "a journal of valid scopes")
	got := map[string]coprod.Scope{}
	for tx := range l.Transactions() {
		if _, ok := want[tx.ID.String()]; ok {
			got[tx.ID.String()] = tx.Formality.Scope
		}
	}
	require.Equal(t, want, got, "each transaction keeps its own line's scope")
	classify := ledger.Classifier(sector)
	m, err := l.Metrics(coprod.Window{}, classify)
	require.NoError(t, err)
	wantM, _ := json.Marshal(m.Scopes)
	require.Greater(t, len(m.Scopes), 3, "several scopes")
	for _, size := range []int{1, 777} {
		l1, _, err := replaySequential(bytes.NewReader(b), opts, size, false)
		require.NoError(t, err)
		l2, _, err := replayConcurrently(bytes.NewReader(b), opts, size, 3, false)
		require.NoError(t, err)
		for _, o := range []*ledger.Ledger{l1, l2} {
			require.Equal(t, everything(t, l), everything(t, o), "runs of %d", size)
			m2, err := o.Metrics(coprod.Window{}, classify)
			require.NoError(t, err)
			gotM, _ := json.Marshal(m2.Scopes)
			require.Equal(t, string(wantM), string(gotM), "metrics per scope, runs of %d", size)
		}
	}

	// An invalid scope on one line, after lines with the valid scope it
	// most resembles: refused on that line, whatever the runs.
	for k := 3; k < len(txLines); k += 7 {
		bad := invalid[k%len(invalid)]
		c := append([]jline{}, rescoped...)
		c[txLines[k]].record = rescope(t, lines[txLines[k]].record, bad)
		b := chain(c)
		_, err := ledger.Replay(bytes.NewReader(b), opts)
		var je *ledger.JournalError
		require.ErrorAs(t, err, &je, "scope %s on line %d", bad, txLines[k]+1)
		assert.Equal(t, txLines[k]+1, je.Line, "scope %s refused on its own line", bad)
		for _, size := range []int{1, 777, 1 << 20} {
			_, _, err2 := replaySequential(bytes.NewReader(b), opts, size, false)
			require.Equal(t, err.Error(), fmt.Sprint(err2), "runs of %d", size)
			_, _, err3 := replayConcurrently(bytes.NewReader(b), opts, size, 2, false)
			require.Equal(t, err.Error(), fmt.Sprint(err3), "runs of %d, spread", size)
		}
	}
}

// TestAttack2RaceReadApplyLedgerRecord (holds under -race): Read and
// Prepare on one goroutine, Apply on another; once the replay is done,
// Ledger and Recovered asked again and again on several goroutines while
// others record through the ledger they returned. The head is the one
// the records made, and the journal continued verifies.
func TestAttack2RaceReadApplyLedgerRecord(t *testing.T) {
	_, j, auth := replayerJournal(t)
	var more a2SyncBuffer
	rp := ledger.NewReplayerSize(bytes.NewReader(j), ledger.Options{Authorizer: auth, Journal: &more}, 2000)
	runs := make(chan *ledger.ReplayRun, 3)
	go func() {
		defer close(runs)
		for {
			run, err := rp.Read()
			if err != nil {
				return
			}
			run.Prepare()
			runs <- run
		}
	}()
	applied := make(chan error)
	go func() {
		var err error
		for run := range runs {
			if err == nil {
				err = rp.Apply(run)
			}
		}
		applied <- err
	}()
	require.NoError(t, <-applied)
	l, err := rp.Ledger()
	require.NoError(t, err)
	var wg sync.WaitGroup
	var asked atomic.Int64
	stop := make(chan struct{})
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				l2, err := rp.Ledger()
				if err != nil || l2 != l {
					t.Errorf("Ledger asked again: %p, %v", l2, err)
					return
				}
				l3, n, err := rp.Recovered()
				if err != nil || l3 != l || n != int64(len(j)) {
					t.Errorf("Recovered asked again: %p, %d, %v", l3, n, err)
					return
				}
				asked.Add(1)
				select {
				case <-stop:
					return
				default:
				}
			}
		}()
	}
	workload(t, l, "race-", 300)
	close(stop)
	wg.Wait()
	require.Positive(t, asked.Load())
	whole := append(bytes.Clone(j), more.Bytes()...)
	head, err := ledger.Verify(bytes.NewReader(whole), nil)
	require.NoError(t, err)
	assert.Equal(t, l.Head(), head)
}

// a2SyncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type a2SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *a2SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *a2SyncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

// TestAttack2FaultStopsAnEndlessReader (holds): a journal whose second
// line is changed and whose reader then never ends (sound lines' worth
// of bytes forever): once Apply meets the fault, the goroutine reading
// ahead is told io.EOF and stops, rather than reading for ever, and the
// fault is the answer of every later call.
func TestAttack2FaultStopsAnEndlessReader(t *testing.T) {
	_, j, auth := replayerJournal(t)
	bad := bytes.Clone(j[:bytes.IndexByte(j, '\n')+1])
	second := bytes.IndexByte(j[len(bad):], '\n') + 1
	bad = append(bad, j[len(bad):len(bad)+second]...)
	bad[len(bad)-20] ^= 1
	r := io.MultiReader(bytes.NewReader(bad), &endlessLines{line: j[:len(bad)]})
	rp := ledger.NewReplayerSize(r, ledger.Options{Authorizer: auth}, 512)
	runs := make(chan *ledger.ReplayRun, 2)
	readerDone := make(chan int)
	go func() {
		n := 0
		defer func() { close(runs); readerDone <- n }()
		for {
			run, err := rp.Read()
			if err != nil {
				require.Equal(t, io.EOF, err)
				return
			}
			n++
			run.Prepare()
			runs <- run
		}
	}()
	var fault error
	for run := range runs {
		if err := rp.Apply(run); err != nil && fault == nil {
			fault = err
		}
	}
	select {
	case n := <-readerDone:
		t.Logf("the reader stopped after %d runs", n)
	case <-time.After(10 * time.Second):
		t.Fatal("Read went on reading after the fault")
	}
	require.ErrorIs(t, fault, ledger.ErrCorruptJournal)
	var je *ledger.JournalError
	require.ErrorAs(t, fault, &je)
	assert.Equal(t, 2, je.Line)
	_, err := rp.Ledger()
	assert.Equal(t, fault, err)
	_, _, err = rp.Recovered()
	assert.Equal(t, fault, err)
}

// endlessLines yields line over and over, for ever.
type endlessLines struct {
	line []byte
	off  int
}

func (r *endlessLines) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.line[r.off:])
		n += c
		r.off = (r.off + c) % len(r.line)
	}
	return n, nil
}

// countReader yields data, then answers with count and err.
type countReader struct {
	data  []byte
	count int
	err   error
}

func (r *countReader) Read(p []byte) (int, error) {
	if len(r.data) > 0 {
		n := copy(p, r.data)
		r.data = r.data[n:]
		return n, nil
	}
	return r.count, r.err
}

// TestAttack2CountOutOfRangeAtTheEnd (holds): a reader that, after a
// whole sound journal, answers io.EOF with a count out of range (more
// than it was given, or negative) has failed: the replay is a failed
// read, not a clean end at the last line, for Replay, Recover and the
// Replayer alike, and Verify says the same. With a count of 0 it is the
// clean end.
func TestAttack2CountOutOfRangeAtTheEnd(t *testing.T) {
	_, j, auth := replayerJournal(t)
	opts := ledger.Options{Authorizer: auth}
	for _, count := range []int{-1, 1 << 30, 1 << 21} {
		for _, e := range []error{io.EOF, nil} {
			mk := func() io.Reader { return &countReader{data: bytes.Clone(j), count: count, err: e} }
			_, err := ledger.Replay(mk(), opts)
			require.ErrorIs(t, err, ledger.ErrJournalRead, "count %d, %v", count, e)
			_, _, err = ledger.Recover(mk(), opts)
			require.ErrorIs(t, err, ledger.ErrJournalRead, "count %d, %v", count, e)
			_, err = ledger.Verify(mk(), nil)
			require.ErrorIs(t, err, ledger.ErrJournalRead, "count %d, %v", count, e)
			_, _, err = replayConcurrently(mk(), opts, 333, 2, true)
			require.ErrorIs(t, err, ledger.ErrJournalRead, "count %d, %v", count, e)
		}
	}
	_, err := ledger.Replay(&countReader{data: bytes.Clone(j), err: io.EOF}, opts)
	require.NoError(t, err)
}

// TestAttack2ReaderFailsMidRunThenRecovers (holds): a reader that fails
// partway into a line, in the middle of what would be a run, and would
// then give the rest if asked again: the replay stops at the failure
// (ErrJournalRead, for Ledger and Recovered alike, never a torn line to
// truncate at) and Read asks the reader no more.
func TestAttack2ReaderFailsMidRunThenRecovers(t *testing.T) {
	_, j, auth := replayerJournal(t)
	cut := len(j)/2 + 17
	for _, size := range []int{64, 5000, 1 << 20} {
		r := &flakyReader{data: j, failAt: cut}
		rp := ledger.NewReplayerSize(r, ledger.Options{Authorizer: auth}, size)
		for {
			run, err := rp.Read()
			if err == io.EOF {
				break
			}
			require.NoError(t, rp.Apply(run))
		}
		reads := r.reads
		_, err := rp.Read()
		assert.Equal(t, io.EOF, err)
		assert.Equal(t, reads, r.reads, "Read asked the reader again after it failed")
		_, err = rp.Ledger()
		require.ErrorIs(t, err, ledger.ErrJournalRead)
		l, n, err := rp.Recovered()
		require.ErrorIs(t, err, ledger.ErrJournalRead, "a failed read is no torn line (length %d)", n)
		assert.Nil(t, l)
	}
}

// flakyReader gives data up to failAt, fails once, then gives the rest.
type flakyReader struct {
	data   []byte
	off    int
	failAt int
	failed bool
	reads  int
}

func (r *flakyReader) Read(p []byte) (int, error) {
	r.reads++
	if r.off == r.failAt && !r.failed {
		r.failed = true
		return 0, errRead
	}
	end := len(r.data)
	if !r.failed {
		end = r.failAt
	}
	if r.off == len(r.data) {
		return 0, io.EOF
	}
	n := copy(p, r.data[r.off:end])
	r.off += n
	return n, nil
}

// TestAttack2AppliedRunHoldsNothing (holds; it failed before an applied
// run let go of its Replayer): the godoc says of a ReplayRun "Once
// applied it holds nothing", and an applied run kept its rp field.
// A caller that reads every run ahead (as the godoc allows) and keeps an
// applied run, say in the slice it read them into, keeps through it the
// whole Replayer: the ledger it replayed, and the buffers of every run,
// that Release put back on the Replayer's free list, so the journal's
// bytes. Here the caller has let go of the Replayer and of the ledger
// and keeps only one applied run.
func TestAttack2AppliedRunHoldsNothing(t *testing.T) {
	_, j, auth := replayerJournal(t)
	// Control: with nothing kept, the Replayer goes.
	func() {
		rp := ledger.NewReplayerSize(bytes.NewReader(j), ledger.Options{Authorizer: auth}, 1024)
		for {
			run, err := rp.Read()
			if err == io.EOF {
				break
			}
			require.NoError(t, rp.Apply(run))
		}
		freed := make(chan struct{})
		runtime.SetFinalizer(rp, func(*ledger.Replayer) { close(freed) })
		rp = nil
		_ = rp
		for range 5 {
			runtime.GC()
		}
		select {
		case <-freed:
		case <-time.After(2 * time.Second):
			t.Fatal("control: a Replayer nothing refers to is not collected")
		}
	}()
	rp := ledger.NewReplayerSize(bytes.NewReader(j), ledger.Options{Authorizer: auth}, 1024)
	var runs []*ledger.ReplayRun
	for {
		run, err := rp.Read()
		if err == io.EOF {
			break
		}
		runs = append(runs, run)
	}
	for _, run := range runs {
		require.NoError(t, rp.Apply(run))
	}
	l, err := rp.Ledger()
	require.NoError(t, err)
	require.NotNil(t, l)
	freed := make(chan struct{})
	runtime.SetFinalizer(rp, func(*ledger.Replayer) { close(freed) })
	kept := runs[len(runs)-1]
	rp, l, runs = nil, nil, nil
	_, _ = rp, l
	for range 5 {
		runtime.GC()
	}
	select {
	case <-freed:
	case <-time.After(2 * time.Second):
		t.Errorf("an applied run keeps its Replayer, the replayed ledger and %d bytes of released run buffers alive", len(j))
	}
	runtime.KeepAlive(kept)
}

// TestAttack2ZeroValues (holds, apart from the zero Replayer): a zero
// ReplayRun is prepared and refused without a panic, however often; a
// zero Replayer, which the godoc never offers (NewReplayer makes one),
// answers Ledger and Recovered with a refusal.
func TestAttack2ZeroValues(t *testing.T) {
	var run ledger.ReplayRun
	for range 3 {
		run.Prepare()
	}
	_, j, auth := replayerJournal(t)
	rp := ledger.NewReplayer(bytes.NewReader(j), ledger.Options{Authorizer: auth})
	require.ErrorIs(t, rp.Apply(&run), ledger.ErrInvalidArgument)
	var zero ledger.Replayer
	_, err := zero.Ledger()
	require.ErrorIs(t, err, ledger.ErrInvalidArgument)
	_, _, err = zero.Recovered()
	require.ErrorIs(t, err, ledger.ErrInvalidArgument)
	require.ErrorIs(t, zero.Apply(&run), ledger.ErrInvalidArgument)
	// The replay goes on as if none of this had happened.
	for {
		r, err := rp.Read()
		if err == io.EOF {
			break
		}
		require.NoError(t, rp.Apply(r))
	}
	_, err = rp.Ledger()
	require.NoError(t, err)
}
