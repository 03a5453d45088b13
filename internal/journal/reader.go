package journal

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/coprod/coprod/internal/hexword"
)

// A journal is read in runs of whole lines, in three steps, so that a
// replay can spread its work over its caller's goroutines:
//
//   - Runs.Read reads the next run, in order, on one goroutine at a time;
//   - Run.Check checks each of the run's lines as far as a line can be
//     checked alone (its form, its hash, its text's hash), touching
//     nothing but the run, so that runs can be checked at once on
//     several goroutines;
//   - Chain.Link then checks, in order, that each line follows the last
//     one linked (its number, and its link to that line's hash). Only
//     then is a line verified, and the first fault found in this order
//     is the journal's, whatever later runs hold.
//
// Replay does the three in turn on its caller's goroutine.

// errBadCount is the error of a reader that returned a count out of range.
var errBadCount = errors.New("the reader returned a count out of range")

// maxEmptyReads is how many reads in a row may give no bytes and no
// error before Read gives up, as bufio does.
const maxEmptyReads = 100

// RunSize is how many bytes Runs.Read reads into a run at a time, once
// the first runs, which read less, have shown the journal to be long.
const RunSize = 1 << 20

// Runs reads a journal in runs of whole lines.
type Runs struct {
	r     io.Reader
	types []string
	keys  Keyring
	size  int    // at most how many bytes a run reads
	next  int    // how many the next run reads: it starts small and grows
	carry []byte // the start of the line the last run ended in
	done  bool

	mu   sync.Mutex
	free []*Run // runs given back by Release, for Read to fill again
}

// NewRuns reads a journal from r whose lines have one of types. With keys
// non-nil every line must be signed with a key it knows: an unkeyed line,
// or one signed with an unknown key, is corrupt. With keys nil a keyed
// line cannot be checked and is refused likewise.
func NewRuns(r io.Reader, types []string, keys Keyring) *Runs {
	return NewRunsSize(r, types, keys, RunSize)
}

// NewRunsSize is NewRuns reading runs of up to size bytes (at least 1);
// a longer line makes its run longer, up to MaxLine. Tests make it small.
func NewRunsSize(r io.Reader, types []string, keys Keyring, size int) *Runs {
	size = max(size, 1)
	return &Runs{r: r, types: types, keys: keys, size: size, next: min(size, firstRun)}
}

// firstRun is how many bytes the first run reads: a short journal is read
// without allocating RunSize, and runs double up to it.
const firstRun = 32 << 10

// Run is a run of whole journal lines, and how the journal goes on after
// them if the run is its last.
type Run struct {
	runs    *Runs
	buf     []byte    // the run's whole lines
	lines   []Checked // set by Check
	scratch []byte    // Check's hash input

	// What follows the run's lines in a journal's last run: its end, a
	// line too long to read, or a failure of its reader.
	end     runEnd
	partial []byte // the bytes after the last newline
	err     error  // the reader's error, for endRead
}

type runEnd uint8

const (
	endNone    runEnd = iota
	endEOF            // the journal ends; partial is what follows its last newline
	endTooLong        // the next line is longer than MaxLine
	endRead           // the reader failed, partial bytes into the next line
)

// Checked is a journal line as far as Run.Check could check it alone.
// Once Chain.Link accepts it, its Line is verified.
type Checked struct {
	Line
	size       int    // the line's length, newline included
	prev, hash []byte // the line's prev and hash fields, in hex
	// fault is why the line is not what was written, found alone. It
	// is reported after the line's place in the chain is checked, or
	// before if first is set (a line too long or not a line at all).
	fault string
	first bool
}

// Last reports whether the run is the journal's last: after its lines
// comes the journal's end, or what stopped it being read (see Chain.End).
func (r *Run) Last() bool { return r.end != endNone }

// Lines returns the run's lines, as far as Check has checked them: none
// before Check.
func (r *Run) Lines() []Checked { return r.lines }

// Read returns the next run of lines, or io.EOF after the journal's last
// run, which holds its end (or what stopped its reading: Chain.End
// reports that, after its lines). Read may not be called on two
// goroutines at once; it may be called beside Check, Link and Release.
func (rs *Runs) Read() (*Run, error) {
	if rs.done {
		return nil, io.EOF
	}
	run := rs.take()
	buf := append(run.buf[:0], rs.carry...)
	rs.carry = rs.carry[:0]
	size := max(rs.next, len(buf))
	rs.next = min(2*rs.next, rs.size)
	empty := 0 // reads in a row that gave no bytes
	for {
		if len(buf) == size {
			if cut := bytes.LastIndexByte(buf, '\n') + 1; cut > 0 {
				rs.carry = append(rs.carry, buf[cut:]...)
				run.buf = buf[:cut]
				return run, nil
			}
			if size > MaxLine {
				// No newline in more than MaxLine bytes.
				rs.done = true
				run.buf, run.end = buf[:0], endTooLong
				return run, nil
			}
			size = min(2*size, MaxLine+1)
		}
		if cap(buf) < size {
			buf = append(make([]byte, 0, size), buf...)
		}
		n, err := rs.r.Read(buf[len(buf):size])
		if n < 0 || n > size-len(buf) {
			// A reader that breaks io.Reader's contract: its count
			// cannot be trusted, and bytes beyond what it wrote are
			// an earlier run's.
			n, err = 0, errBadCount
		}
		buf = buf[:len(buf)+n]
		if empty = empty + 1; n > 0 {
			empty = 0
		} else if empty == maxEmptyReads && err == nil {
			err = io.ErrNoProgress // as bufio says of a reader that gives nothing
		}
		if err != nil {
			rs.done = true
			cut := bytes.LastIndexByte(buf, '\n') + 1
			run.buf, run.partial = buf[:cut], buf[cut:]
			switch {
			case len(run.partial) > MaxLine:
				run.end = endTooLong
			case err == io.EOF:
				run.end = endEOF
			default:
				run.end, run.err = endRead, err
			}
			return run, nil
		}
	}
}

// take returns a run to fill: one given back, or a new one.
func (rs *Runs) take() *Run {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if n := len(rs.free); n > 0 {
		run := rs.free[n-1]
		rs.free = rs.free[:n-1]
		return run
	}
	return &Run{runs: rs}
}

// Release gives a run back to be filled again by Read. Its lines' bytes
// are then no longer valid: call it once the run is applied and nothing
// holds them.
func (rs *Runs) Release(run *Run) {
	run.lines = run.lines[:0]
	run.end, run.partial, run.err = endNone, nil, nil
	rs.mu.Lock()
	rs.free = append(rs.free, run)
	rs.mu.Unlock()
}

// Close drops the runs kept for Read to fill again, once no more will be
// read.
func (rs *Runs) Close() {
	rs.mu.Lock()
	rs.free = nil
	rs.mu.Unlock()
}

// Check checks each of the run's lines as far as a line can be checked
// alone: its form, its key, its hash and its text's hash. It touches
// nothing but the run, so runs can be checked on several goroutines at
// once, and beside Read.
func (r *Run) Check() {
	b := r.buf
	for len(b) > 0 {
		n := bytes.IndexByte(b, '\n') + 1
		r.lines = append(r.lines, inspect(b[:n], r.runs.types, r.runs.keys, &r.scratch))
		b = b[n:]
	}
}

// inspect checks what of a whole line, newline included, can be checked
// apart from its place in the journal.
func inspect(line []byte, types []string, keys Keyring, scratch *[]byte) Checked {
	if len(line) > MaxLine {
		return Checked{size: len(line), first: true, fault: fmt.Sprintf("line longer than %d bytes", MaxLine)}
	}
	p, ok := parse(line, types)
	if !ok {
		return Checked{size: len(line), first: true, fault: "not a journal line"}
	}
	ck := Checked{
		Line: Line{Version: p.version, Seq: p.seq, Type: p.typ, KeyID: p.keyID, Record: p.record},
		size: len(line), prev: p.prev, hash: p.hash,
	}
	var secret []byte
	switch {
	case keys != nil && p.keyID == "":
		ck.fault = "the line is not signed, and the journal is read with keys"
		return ck
	case keys != nil:
		s, known := keys.secret(p.keyID)
		if !known {
			ck.fault = fmt.Sprintf("signed with key %q, which the keyring does not hold", p.keyID)
			return ck
		}
		secret = s
	case p.keyID != "":
		ck.fault = fmt.Sprintf("signed with key %q: read the journal with its keyring", p.keyID)
		return ck
	}
	// The hash covers the line's own prev field, which Link holds to the
	// hash of the line before: one that differs is refused there first.
	prevHex := (*[hexLen]byte)(p.prev)
	var s Hash
	if p.version == 1 {
		s = sumV1(scratch, p.seq, prevHex, p.typ, p.record)
	} else {
		s = sum(scratch, secret, p.seq, prevHex, p.keyID, p.typ, p.record, p.textHash)
	}
	var sumHex [hexLen]byte
	hexword.EncodeTo(sumHex[:], s[:])
	// A signature is compared in constant time, so that the time taken
	// tells a forger nothing; an unkeyed hash is no secret.
	if secret != nil && !hmacEqual(p.hash, sumHex[:]) || secret == nil && !bytes.Equal(p.hash, sumHex[:]) {
		ck.fault = "hash does not match the line's content"
		return ck
	}
	ck.Hash = s
	if p.textHash != nil {
		if p.text == nil {
			ck.Erased = true
		} else {
			th := sha256.Sum256(p.text)
			var thHex [hexLen]byte
			hexword.EncodeTo(thHex[:], th[:])
			if !bytes.Equal(thHex[:], p.textHash) {
				ck.fault = "the free text does not match its hash"
				return ck
			}
			ck.Text = p.text
		}
	}
	return ck
}

// hmacEqual compares two hex hashes in constant time.
func hmacEqual(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	var d byte
	for i := range a {
		d |= a[i] ^ b[i]
	}
	return d == 0
}

// Chain links checked lines, in order, into a verified journal.
type Chain struct {
	types   []string
	keys    Keyring
	seq     int   // lines linked
	off     int64 // bytes linked: where the next line starts
	prev    Hash
	prevHex [hexLen]byte
}

// NewChain starts a journal whose lines have one of types, read with
// keys (see NewRuns).
func NewChain(types []string, keys Keyring) *Chain {
	c := &Chain{types: types, keys: keys}
	hexword.EncodeTo(c.prevHex[:], c.prev[:])
	return c
}

// Head returns the hash of the last line linked, zero before the first.
func (c *Chain) Head() Hash { return c.prev }

// Offset returns the length in bytes of the lines linked.
func (c *Chain) Offset() int64 { return c.off }

// Link verifies ck as the journal's next line and, if it is, sets its
// Start and advances past it. It returns an *Error for the line's first
// fault: as found by Check, if it is not a line; then a number out of
// sequence; then a link to a hash that is not the last line's; then the
// rest of what Check found.
func (c *Chain) Link(ck *Checked) error {
	if reason := c.fault(ck); reason != "" {
		return c.corrupt(reason)
	}
	c.seq++
	c.prev = ck.Hash
	copy(c.prevHex[:], ck.hash)
	ck.Start = c.off
	c.off += int64(ck.size)
	return nil
}

// Apply links run's checked lines in turn (see Link) and hands each
// sound one, with its place in the run, to apply, if not nil, before it
// links the next. It stops at the first line that does not link (an
// *Error) or that apply refuses (an *Error with Err set). It leaves what
// follows the lines to End.
func (c *Chain) Apply(run *Run, apply func(i int, line Line) error) error {
	for i := range run.lines {
		ck := &run.lines[i]
		if err := c.Link(ck); err != nil {
			return err
		}
		if apply != nil {
			if err := apply(i, ck.Line); err != nil {
				return refused(ck.Line, err)
			}
		}
	}
	return nil
}

// fault returns why ck cannot be the next line, or "".
func (c *Chain) fault(ck *Checked) string {
	if ck.first {
		return ck.fault
	}
	if want := c.seq + 1; ck.Seq != want {
		return fmt.Sprintf("sequence %d, expected %d: a line is missing or out of order", ck.Seq, want)
	}
	if !bytes.Equal(ck.prev, c.prevHex[:]) {
		return fmt.Sprintf("previous hash does not match line %d: a line is missing, out of order or changed", c.seq)
	}
	return ck.fault
}

func (c *Chain) corrupt(reason string) *Error {
	return &Error{Line: c.seq + 1, Offset: c.off, Reason: reason}
}

// End reports what follows run's lines, once they are all linked: nil if
// the journal goes on, or ends cleanly after them; an *Error for a line
// too long, or for a tail after the last newline, marked Torn if it could
// be the start of the next line (as a failed write leaves it); an error
// wrapping ErrRead if the reader failed.
func (c *Chain) End(run *Run) error {
	switch run.end {
	case endTooLong:
		return c.corrupt(fmt.Sprintf("line longer than %d bytes", MaxLine))
	case endRead:
		return fmt.Errorf("%w at line %d (byte %d): %w", ErrRead, c.seq+1, c.off+int64(len(run.partial)), run.err)
	case endEOF:
		tail := run.partial
		if len(tail) == 0 {
			return nil
		}
		if c.torn(tail) {
			return &Error{Line: c.seq + 1, Offset: c.off, Torn: true,
				Reason: fmt.Sprintf("the journal ends %d bytes into the line", len(tail))}
		}
		return c.corrupt("the last line has no newline and is not the start of a journal line")
	}
	return nil
}

// torn reports whether tail, the bytes after the journal's last newline,
// is a proper prefix of a version 2 line that could come next: what a
// write cut short leaves. A tail no such write could leave (a changed
// byte, a line with something after it) is corruption, not a tear.
func (c *Chain) torn(tail []byte) bool {
	whole := tail
	// within reports whether the tail ends within (or at the end of) p,
	// and whether it agrees with p so far; otherwise it consumes p.
	within := func(p string) (end, ok bool) {
		if len(tail) <= len(p) {
			return true, p[:len(tail)] == string(tail)
		}
		if !bytes.HasPrefix(tail, []byte(p)) {
			return true, false
		}
		tail = tail[len(p):]
		return false, true
	}
	// hexRun consumes up to n lowercase hex digits, reporting whether the
	// tail ended among them.
	hexRun := func(n int) (end, ok bool) {
		for i := 0; i < n; i++ {
			if i == len(tail) {
				return true, true
			}
			if c := tail[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return true, false
			}
		}
		tail = tail[n:]
		return false, true
	}
	// object consumes a JSON object, reporting whether the tail ended in
	// it.
	object := func() (end, ok bool) {
		if len(tail) == 0 {
			return true, true
		}
		if tail[0] != '{' {
			return true, false
		}
		dec := json.NewDecoder(bytes.NewReader(tail))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return true, err == io.ErrUnexpectedEOF
		}
		tail = tail[dec.InputOffset():]
		return false, true
	}
	prevHex := c.prevHex
	if end, ok := within(`{"v":2,"seq":` + strconv.Itoa(c.seq+1) + `,"prev":"` + string(prevHex[:]) + `","hash":"`); end {
		return ok
	}
	if end, ok := hexRun(hexLen); end {
		return ok
	}
	if end, ok := within(`"`); end {
		return ok
	}
	switch {
	case len(tail) < len(`,"k`):
		return bytes.HasPrefix([]byte(`,"key":"`), tail) || bytes.HasPrefix([]byte(`,"type":"`), tail)
	case bytes.HasPrefix(tail, []byte(`,"k`)):
		if end, ok := within(`,"key":"`); end {
			return ok
		}
		j := bytes.IndexByte(tail, '"')
		if j < 0 {
			return len(tail) == 0 || ValidKeyID(string(tail))
		}
		if !ValidKeyID(string(tail[:j])) {
			return false
		}
		tail = tail[j+1:]
	}
	if end, ok := within(`,"type":"`); end {
		return ok
	}
	found := false
	for _, t := range c.types {
		p := t + `","record":`
		if len(tail) <= len(p) && p[:len(tail)] == string(tail) {
			return true
		}
		if bytes.HasPrefix(tail, []byte(p)) {
			tail, found = tail[len(p):], true
			break
		}
	}
	if !found {
		return false
	}
	if end, ok := object(); end {
		return ok
	}
	if len(tail) > 0 && tail[0] == ',' {
		if end, ok := within(`,"text_hash":"`); end {
			return ok
		}
		if end, ok := hexRun(hexLen); end {
			return ok
		}
		if end, ok := within(`","text":`); end {
			return ok
		}
		if end, ok := object(); end {
			return ok
		}
	}
	switch string(tail) {
	case "":
		return true
	case "}":
		// All but the newline: torn only if the line is otherwise sound.
		var scratch []byte
		ck := inspect(append(bytes.Clone(whole), '\n'), c.types, c.keys, &scratch)
		return c.fault(&ck) == ""
	}
	return false
}

// Replayed says where a replay ended: the lines read, the hash of the
// last, and the length in bytes of the complete lines.
type Replayed struct {
	Seq    int
	Head   Hash
	Offset int64
}

// Replay reads a journal, verifying each line (see NewRuns), and hands
// each sound line to apply, if not nil, before it reads the next. It is
// the one loop behind both packages' Verify, and the governance
// register's Replay and Recover. It stops at the first fault: an *Error
// naming a bad line (with acceptTorn, a torn last line ends the replay
// without error, at its Offset), an *Error with Err set for a line apply
// refused, or an error wrapping ErrRead. A line's Record and Text are
// valid only until apply returns.
func Replay(r io.Reader, types []string, keys Keyring, acceptTorn bool, apply func(Line) error) (Replayed, error) {
	return replayRuns(NewRuns(r, types, keys), acceptTorn, apply)
}

// replayRuns is Replay reading from rs.
func replayRuns(rs *Runs, acceptTorn bool, apply func(Line) error) (Replayed, error) {
	c := NewChain(rs.types, rs.keys)
	for {
		run, err := rs.Read()
		if err == io.EOF {
			return Replayed{Seq: c.seq, Head: c.prev, Offset: c.off}, nil
		}
		run.Check()
		var each func(int, Line) error
		if apply != nil {
			each = func(_ int, l Line) error { return apply(l) }
		}
		if err := c.Apply(run, each); err != nil {
			return Replayed{}, err
		}
		if err := c.End(run); err != nil {
			if je, ok := err.(*Error); ok && acceptTorn && je.Torn {
				return Replayed{Seq: c.seq, Head: c.prev, Offset: je.Offset}, nil
			}
			return Replayed{}, err
		}
		rs.Release(run)
	}
}

// refused is the *Error for a verified line whose record was refused.
func refused(line Line, err error) *Error {
	return &Error{Line: line.Seq, Offset: line.Start, Reason: err.Error(), Err: err}
}

// Erase copies a journal from r to w with the free text of line seq
// removed, keeping its hash: the chain still verifies, and the line reads
// back as erased. The other lines are copied byte for byte; nothing is
// verified (Verify the result). It refuses a line seq that has no text.
func Erase(r io.Reader, w io.Writer, seq int, types []string) error {
	br := bufio.NewReaderSize(r, 64<<10)
	n := 0
	done := false
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			n++
			if n == seq {
				p, ok := parse(line, types)
				if !ok || p.seq != seq {
					return fmt.Errorf("line %d is not a journal line", seq)
				}
				if p.text == nil {
					return fmt.Errorf("line %d has no free text to erase", seq)
				}
				cut := len(line) - len("}\n") - len(p.text) - len(`,"text":`)
				line = append(bytes.Clone(line[:cut]), "}\n"...)
				done = true
			}
			if _, werr := w.Write(line); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrRead, err)
		}
	}
	if !done {
		return fmt.Errorf("the journal has no line %d", seq)
	}
	return nil
}
