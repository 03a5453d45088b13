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

	"github.com/coprod/coprod/internal/hexword"
)

// Reader reads and verifies journal lines one by one.
type Reader struct {
	r     *bufio.Reader
	types []string
	keys  Keyring

	scratch []byte // reused hash input

	prevHex    [hexLen]byte // prev in hex, once a line is verified
	checkedHex [hexLen]byte // the hash check last computed, in hex

	seq   int   // lines verified
	off   int64 // bytes verified: where the next line starts
	start int64 // where the last verified line starts
	prev  Hash
}

// NewReader reads a journal whose lines have one of types. With keys
// non-nil every line must be signed with a key it knows: an unkeyed line,
// or one signed with an unknown key, is corrupt. With keys nil a keyed
// line cannot be checked and is refused likewise.
func NewReader(r io.Reader, types []string, keys Keyring) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 64<<10), types: types, keys: keys}
}

// Seq returns the number of lines verified so far.
func (lr *Reader) Seq() int { return lr.seq }

// Prev returns the hash of the last verified line (zero before the first).
func (lr *Reader) Prev() Hash { return lr.prev }

// Offset returns the length of the verified lines: where the next starts.
func (lr *Reader) Offset() int64 { return lr.off }

// Next returns the next verified line; io.EOF at a clean end; an *Error
// for the first line that is not what was written, marked Torn if the
// journal ends partway through a line that could have come next; or an
// error wrapping ErrRead if the reader fails.
func (lr *Reader) Next() (Line, error) {
	line, err := lr.readLine()
	if err == io.EOF {
		if len(line) == 0 {
			return Line{}, io.EOF
		}
		if lr.torn(line) {
			return Line{}, &Error{Line: lr.seq + 1, Offset: lr.off, Torn: true,
				Reason: fmt.Sprintf("the journal ends %d bytes into the line", len(line))}
		}
		return Line{}, lr.corrupt("the last line has no newline and is not the start of a journal line")
	}
	if err != nil {
		return Line{}, err
	}
	l, reason := lr.check(line)
	if reason != "" {
		return Line{}, lr.corrupt(reason)
	}
	lr.seq++
	lr.prev = l.Hash
	lr.prevHex = lr.checkedHex
	lr.start = lr.off
	l.Start = lr.off
	lr.off += int64(len(line))
	return l, nil
}

func (lr *Reader) corrupt(reason string) *Error {
	return &Error{Line: lr.seq + 1, Offset: lr.off, Reason: reason}
}

// check verifies a whole line, newline included, as the next one.
func (lr *Reader) check(line []byte) (Line, string) {
	p, ok := parse(line, lr.types)
	if !ok {
		return Line{}, "not a journal line"
	}
	if want := lr.seq + 1; p.seq != want {
		return Line{}, fmt.Sprintf("sequence %d, expected %d: a line is missing or out of order", p.seq, want)
	}
	var sumHex [hexLen]byte
	prevHex := &lr.prevHex
	if lr.seq == 0 {
		hexword.EncodeTo(prevHex[:], lr.prev[:])
	}
	if !bytes.Equal(p.prev, prevHex[:]) {
		return Line{}, fmt.Sprintf("previous hash does not match line %d: a line is missing, out of order or changed", lr.seq)
	}
	var secret []byte
	switch {
	case lr.keys != nil && p.keyID == "":
		return Line{}, "the line is not signed, and the journal is read with keys"
	case lr.keys != nil:
		s, known := lr.keys.secret(p.keyID)
		if !known {
			return Line{}, fmt.Sprintf("signed with key %q, which the keyring does not hold", p.keyID)
		}
		secret = s
	case p.keyID != "":
		return Line{}, fmt.Sprintf("signed with key %q: read the journal with its keyring", p.keyID)
	}
	var s Hash
	if p.version == 1 {
		s = sumV1(&lr.scratch, p.seq, prevHex, p.typ, p.record)
	} else {
		s = sum(&lr.scratch, secret, p.seq, prevHex, p.keyID, p.typ, p.record, p.textHash)
	}
	hexword.EncodeTo(sumHex[:], s[:])
	// A signature is compared in constant time, so that the time taken
	// tells a forger nothing; an unkeyed hash is no secret.
	if secret != nil && !hmacEqual(p.hash, sumHex[:]) || secret == nil && !bytes.Equal(p.hash, sumHex[:]) {
		return Line{}, "hash does not match the line's content"
	}
	lr.checkedHex = sumHex
	l := Line{Version: p.version, Seq: p.seq, Type: p.typ, KeyID: p.keyID, Record: p.record, Hash: s}
	if p.textHash != nil {
		if p.text == nil {
			l.Erased = true
		} else {
			th := sha256.Sum256(p.text)
			var thHex [hexLen]byte
			hexword.EncodeTo(thHex[:], th[:])
			if !bytes.Equal(thHex[:], p.textHash) {
				return Line{}, "the free text does not match its hash"
			}
			l.Text = p.text
		}
	}
	return l, ""
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

// readLine returns one line including its newline; the bytes after the
// last newline with io.EOF; an *Error for a line over MaxLine; or the
// reader's error, wrapping ErrRead.
func (lr *Reader) readLine() ([]byte, error) {
	var line []byte
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if line == nil && (err == nil || err == io.EOF) {
			// The whole line is in the reader's buffer: use it there.
			// It stays valid until the next read, and every caller is
			// done with a line before it asks for the next.
			if len(chunk) > MaxLine {
				return nil, lr.corrupt(fmt.Sprintf("line longer than %d bytes", MaxLine))
			}
			return chunk, err
		}
		line = append(line, chunk...)
		if len(line) > MaxLine {
			return nil, lr.corrupt(fmt.Sprintf("line longer than %d bytes", MaxLine))
		}
		switch {
		case err == nil, err == io.EOF:
			return line, err
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		}
		return nil, fmt.Errorf("%w at line %d (byte %d): %w", ErrRead, lr.seq+1, lr.off+int64(len(line)), err)
	}
}

// torn reports whether tail, the bytes after the journal's last newline,
// is a proper prefix of a version 2 line that could come next: what a
// write cut short leaves. A tail no such write could leave (a changed
// byte, a line with something after it) is corruption, not a tear.
func (lr *Reader) torn(tail []byte) bool {
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
	var prevHex [hexLen]byte
	hexword.EncodeTo(prevHex[:], lr.prev[:])
	if end, ok := within(`{"v":2,"seq":` + strconv.Itoa(lr.seq+1) + `,"prev":"` + string(prevHex[:]) + `","hash":"`); end {
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
	for _, t := range lr.types {
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
		_, reason := lr.check(append(bytes.Clone(whole), '\n'))
		return reason == ""
	}
	return false
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

// Replayed says where a replay ended: the lines read, the hash of the
// last, and the length in bytes of the complete lines.
type Replayed struct {
	Seq    int
	Head   Hash
	Offset int64
}

// Replay reads a journal line by line, verifying each (see NewReader),
// and hands each sound line to apply, if not nil. It is the one loop
// behind both packages' Verify, Replay and Recover. It stops at the
// first fault: an *Error naming a bad line (with acceptTorn, a torn last
// line ends the replay without error, at its Offset), an *Error with Err
// set for a line apply refused, or an error wrapping ErrRead.
func Replay(r io.Reader, types []string, keys Keyring, acceptTorn bool, apply func(Line) error) (Replayed, error) {
	lr := NewReader(r, types, keys)
	for {
		line, err := lr.Next()
		if err != nil {
			// je is declared here, not per line: errors.As takes its
			// address, which puts it on the heap.
			var je *Error
			switch {
			case err == io.EOF:
				return Replayed{Seq: lr.seq, Head: lr.prev, Offset: lr.off}, nil
			case acceptTorn && errors.As(err, &je) && je.Torn:
				return Replayed{Seq: lr.seq, Head: lr.prev, Offset: je.Offset}, nil
			}
			return Replayed{}, err
		}
		if apply != nil {
			if err := apply(line); err != nil {
				return Replayed{}, &Error{Line: line.Seq, Offset: line.Start, Reason: err.Error(), Err: err}
			}
		}
	}
}
