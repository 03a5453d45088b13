package ledger

import (
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/coprod/coprod/internal/journal"
)

// A Replayer rebuilds a ledger from its journal exactly as Replay and
// Recover do, in steps that its caller may run on different goroutines,
// so that reading, checking and decoding lines, about half of a replay's
// work, goes on beside applying them. The library starts no goroutine of
// its own; a caller that wants none calls Replay.
//
// Read returns the journal's runs of lines in order, Prepare checks and
// decodes one run, touching nothing but the run, and Apply applies runs
// in the order Read returned them. Ledger (for Replay) or Recovered (for
// Recover) then returns the result. Every line is checked as Verify checks
// it and every record validated as Replay validates it, and the first
// fault in the journal's order is the one reported, however the steps
// were spread: a fault in a run prepared early is only reported when Apply
// reaches it.
//
// A typical use has one goroutine read and prepare while another applies:
//
//	rp := ledger.NewReplayer(r, opts)
//	runs := make(chan *ledger.ReplayRun, 4)
//	go func() {
//		defer close(runs)
//		for {
//			run, err := rp.Read()
//			if err != nil { // io.EOF: the journal's last run was read
//				return
//			}
//			run.Prepare()
//			runs <- run
//		}
//	}()
//	var err error
//	for run := range runs {
//		if err == nil {
//			err = rp.Apply(run)
//		}
//	}
//	if err != nil { … }
//	l, err := rp.Ledger()
//
// Several goroutines may Prepare different runs at once, as long as the
// runs reach Apply in Read's order.
type Replayer struct {
	l     *Ledger
	runs  *journal.Runs
	chain *journal.Chain
	read  int   // runs Read has returned
	next  int   // the number of the run Apply expects next
	eof   bool  // Read has returned the journal's last run
	done  bool  // Apply has applied the journal's last run
	err   error // the first fault Apply met: every later Apply returns it
	// failed is err != nil, for Read, which may run on another goroutine.
	failed atomic.Bool
	end    error // what followed the last run's lines, for Ledger and Recovered
}

// ReplayRun is a run of a journal's lines, from Replayer.Read, to be
// prepared and then applied, once. Once applied it holds nothing, not
// even its Replayer: its buffer goes back to the Replayer for a later run.
type ReplayRun struct {
	rp       *Replayer
	n        int // its place in Read's order
	run      *journal.Run
	prepared bool
	// boxes keep the run's transactions, decoded where the ledger will
	// keep them, and lines says, line by line, what Prepare decoded.
	boxes []entryBox
	lines []preparedLine
}

// preparedLine is what Prepare made of a transaction line: the entry it
// decoded it into, in slot, a slice of the run's boxes with room for that
// one (for claim, which keeps it there); the earlier line it named for
// its proof (0 for none); or why it could not be decoded.
type preparedLine struct {
	slot []entryBox
	ref  int
	err  error
}

// NewReplayer reads a ledger's journal from r, with opts as Replay takes
// them.
func NewReplayer(r io.Reader, opts Options) *Replayer {
	return newReplayer(r, opts, journal.RunSize)
}

// newReplayer is NewReplayer reading size bytes at a time.
func newReplayer(r io.Reader, opts Options, size int) *Replayer {
	keys := journal.Keyring(opts.Keys)
	return &Replayer{
		l:     New(opts),
		runs:  journal.NewRunsSize(r, types, keys, size),
		chain: journal.NewChain(types, keys),
	}
}

// Read returns the next run of the journal's lines, or io.EOF once it has
// returned the last, or once Apply has met a fault (nothing read after it
// could be applied). A failure of r is not returned here but reported in
// its place in the journal, by Ledger or Recovered. Read must not be
// called on two goroutines at once; it may be called beside Prepare and
// Apply.
func (rp *Replayer) Read() (*ReplayRun, error) {
	if rp.runs == nil {
		return nil, refuseArgument("a Replayer not made by NewReplayer")
	}
	if rp.eof || rp.failed.Load() {
		return nil, io.EOF
	}
	run, err := rp.runs.Read()
	if err != nil { // io.EOF: the last run ended the journal
		rp.eof = true
		return nil, err
	}
	rr := &ReplayRun{rp: rp, n: rp.read, run: run}
	rp.read++
	return rr, nil
}

// Prepare checks each of the run's lines as far as a line can be checked
// alone (its form, its key and hash, its free text's hash) and decodes
// its transactions. It touches nothing but the run: runs may be prepared
// on several goroutines at once, beside Read and Apply, as long as each
// run's Prepare returns before that run is applied. Apply prepares a run
// that was not. Faults are not reported here but when Apply reaches them.
func (run *ReplayRun) Prepare() {
	if run.prepared || run.run == nil { // prepared, applied, or not from Read
		return
	}
	run.prepared = true
	run.run.Check()
	lines := run.run.Lines()
	n := 0
	for i := range lines {
		if lines[i].Type == recTransaction {
			n++
		}
	}
	run.boxes = make([]entryBox, n)
	run.lines = make([]preparedLine, len(lines))
	k := 0
	var r decodeReuse
	for i := range lines {
		ln := &lines[i]
		if ln.Type != recTransaction {
			continue
		}
		slot := run.boxes[k : k : k+1]
		box := &slot[:1][0]
		k++
		r.posts = box.posts[:0]
		err := decodeTransactionInto(&box.tx, ln.Record, &r)
		if err == nil {
			err = mergeTransactionText(&box.tx, ln.Text)
		}
		run.lines[i] = preparedLine{slot: slot, ref: r.proofRef, err: err}
	}
}

// Apply links the run's lines to those applied before it, verifying
// each, and applies their records, in order. Runs must be applied in the
// order Read returned them, each once: another run is refused, matching
// ErrInvalidArgument, and changes nothing. Apply returns the journal's
// first fault, as Replay would (a *JournalError, or an error matching
// ErrJournalRead), and from then on returns it again. What follows the
// journal's last line (a clean end, a torn line, a failure of the reader)
// is reported by Ledger and Recovered.
func (rp *Replayer) Apply(run *ReplayRun) error {
	switch {
	case rp.err != nil:
		return rp.err
	case run == nil || run.rp != rp:
		return refuseArgument("a run this replayer did not read, or one already applied")
	case run.n != rp.next:
		return refuseArgument("run %d applied, where run %d comes next", run.n+1, rp.next+1)
	}
	run.Prepare()
	if err := rp.apply(run); err != nil {
		rp.err = journalErr(err)
		rp.failed.Store(true)
		return rp.err
	}
	rp.next++
	return nil
}

func (rp *Replayer) apply(run *ReplayRun) error {
	l, c := rp.l, rp.chain
	err := c.Apply(run.run, func(i int, line journal.Line) error {
		if line.Type == recTransaction {
			return l.replayTransaction(line, &run.lines[i])
		}
		return l.replayRecord(line)
	})
	if err != nil {
		return err
	}
	if run.run.Last() {
		// The ledger's head is set once, here, before Ledger or
		// Recovered can hand the ledger out: asking again changes
		// nothing of a ledger that may since have recorded more.
		rp.done = true
		rp.end = c.End(run.run)
		l.head = c.Head()
		rp.runs.Close() // no run is read after the last: drop the buffers kept for one
	} else {
		rp.runs.Release(run.run)
	}
	// An applied run holds nothing, not even its Replayer.
	*run = ReplayRun{n: -1}
	return nil
}

// Ledger returns the replayed ledger, once every run is applied, as
// Replay would: or the journal's first fault, a torn last line included.
// Asked again, it returns the same ledger and changes nothing of it.
func (rp *Replayer) Ledger() (*Ledger, error) {
	l, _, err := rp.result(false)
	return l, err
}

// Recovered returns the replayed ledger, once every run is applied, as
// Recover would: a torn last line is not a fault, and the length in bytes
// of the complete lines says where to truncate the journal.
func (rp *Replayer) Recovered() (*Ledger, int64, error) {
	return rp.result(true)
}

func (rp *Replayer) result(acceptTorn bool) (*Ledger, int64, error) {
	switch {
	case rp.err != nil:
		return nil, 0, rp.err
	case !rp.done:
		return nil, 0, refuseArgument("the replay has runs still to read or apply")
	}
	off := rp.chain.Offset()
	if rp.end != nil {
		var je *journal.Error
		if !acceptTorn || !errors.As(rp.end, &je) || !je.Torn {
			return nil, 0, journalErr(rp.end)
		}
		off = je.Offset
	}
	return rp.l, off, nil
}

// refuseArgument is the refusal of a misuse of the Replayer.
func refuseArgument(format string, args ...any) error {
	return fmt.Errorf("%w: replay: %s", ErrInvalidArgument, fmt.Sprintf(format, args...))
}
