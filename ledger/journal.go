package ledger

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// MaxJournalLine bounds one journal line, in bytes. Verify and Replay
// refuse longer lines rather than buffer without limit.
const MaxJournalLine = 1 << 20

// The record types of journal lines.
const (
	recAccount     = "account"
	recTransaction = "transaction"
	recHold        = "hold"
	recResolution  = "resolution"
	recClosing     = "closing"
)

// Head identifies the end of a journal: how many lines it has and the hash
// of the last. Store it apart from the journal to detect a tail cut off at
// a line boundary, which no line can reveal.
type Head struct {
	Seq  int    `json:"seq"`
	Hash string `json:"hash"`
}

// Head returns the ledger's current journal head. Without a journal the
// hash stays that of an empty journal.
func (l *Ledger) Head() Head {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return Head{Seq: l.seq, Hash: hex.EncodeToString(l.head[:])}
}

// appendLine encodes one journal line:
//
//	{"seq":N,"prev":"<hex>","hash":"<hex>","type":"<type>","record":<json>}\n
//
// where hash is the SHA-256 of seq, prev, type and the record's bytes, each
// followed by a newline. Chaining through prev makes removing, reordering
// or changing any line detectable.
func appendLine(dst []byte, seq int, prev [sha256.Size]byte, typ string, record []byte) ([]byte, [sha256.Size]byte) {
	var prevHex [2 * sha256.Size]byte
	hex.Encode(prevHex[:], prev[:])
	sum := lineHash(seq, &prevHex, typ, record)

	dst = append(dst, `{"seq":`...)
	dst = strconv.AppendInt(dst, int64(seq), 10)
	dst = append(dst, `,"prev":"`...)
	dst = append(dst, prevHex[:]...)
	dst = append(dst, `","hash":"`...)
	dst = hex.AppendEncode(dst, sum[:])
	dst = append(dst, `","type":"`...)
	dst = append(dst, typ...)
	dst = append(dst, `","record":`...)
	dst = append(dst, record...)
	dst = append(dst, "}\n"...)
	return dst, sum
}

// lineHash is the SHA-256 of a line's seq, prev, type and record, each
// followed by a newline.
func lineHash(seq int, prevHex *[2 * sha256.Size]byte, typ string, record []byte) [sha256.Size]byte {
	h := sha256.New()
	var buf [2*sha256.Size + 64]byte
	b := strconv.AppendInt(buf[:0], int64(seq), 10)
	b = append(b, '\n')
	b = append(b, prevHex[:]...)
	b = append(b, '\n')
	b = append(b, typ...)
	b = append(b, '\n')
	h.Write(b)
	h.Write(record)
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// commit gives a validated record its place in the sequence: written to
// the journal when journal is true, or, during Replay, already read from
// it. The caller holds the write lock; on error nothing has advanced.
func (l *Ledger) commit(typ string, record any, journal bool) error {
	if !journal {
		l.seq++
		return nil
	}
	return l.journal(typ, record)
}

// journal advances the sequence and, with a journal configured, writes the
// record's line. The caller holds the write lock and has validated the
// record; on error nothing has advanced. A write that fails, or takes
// fewer bytes than the line, stops the ledger: the journal may now end in
// part of a line, after which no line could be read back, so no line is
// written after it.
func (l *Ledger) journal(typ string, record any) error {
	if l.opts.Journal == nil {
		l.seq++
		return nil
	}
	if l.failed != nil {
		return stopped{l.failed}
	}
	var b []byte
	var err error
	if tx, ok := record.(*Transaction); ok {
		l.recBuf, err = appendTransaction(l.recBuf[:0], tx)
		b = l.recBuf
	} else {
		b, err = json.Marshal(record)
	}
	if err != nil {
		return err
	}
	line, sum := appendLine(l.line[:0], l.seq+1, l.head, typ, b)
	l.line = line
	if len(line) > MaxJournalLine {
		// Nothing is written: a line Verify would refuse is not recorded.
		return fmt.Errorf("journal line of %d bytes, more than MaxJournalLine", len(line))
	}
	n, err := l.opts.Journal.Write(line)
	if err == nil && n < len(line) {
		err = io.ErrShortWrite
	}
	if err != nil {
		l.failed = &journalFailure{Line: l.seq + 1, Written: n, Size: len(line), Err: err}
		return l.failed
	}
	l.seq++
	l.head = sum
	return nil
}

// Err returns the journal failure that stopped the ledger, or nil while
// it accepts records. A non-nil error matches ErrJournalFailed and wraps
// the writer's error (io.ErrShortWrite for a short write that reported
// none).
func (l *Ledger) Err() error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.failed == nil {
		return nil
	}
	return l.failed
}

// journalFailure is the failed write that stopped a ledger.
type journalFailure struct {
	Line    int   // the line being written
	Written int   // how many of its bytes the writer reported taking
	Size    int   // the line's length
	Err     error // the writer's error, or io.ErrShortWrite
}

func (f *journalFailure) Error() string {
	return fmt.Sprintf("ledger: journal failed writing line %d (%d of %d bytes written), ledger stopped: %v", f.Line, f.Written, f.Size, f.Err)
}

func (f *journalFailure) Unwrap() []error { return []error{ErrJournalFailed, f.Err} }

// stopped is journal's answer on a ledger an earlier failure stopped.
type stopped struct{ *journalFailure }

// journalRefusal is the refusal of a record commit did not take: the
// record whose write failed matches ErrJournal and, through the failure,
// ErrJournalFailed; a record after the failure matches ErrJournalFailed.
// Both wrap the writer's error.
func journalRefusal(kind string, id uuid.UUID, err error) *RecordError {
	if s, ok := err.(stopped); ok {
		e := refuse(kind, id, ErrJournalFailed, "ledger stopped since journal line %d failed", s.Line)
		e.Cause = s.Err
		return e
	}
	e := refuse(kind, id, ErrJournal, "not applied")
	e.Cause = err
	return e
}

// envelope is a parsed journal line.
type envelope struct {
	Seq    int
	Prev   []byte // hex
	Hash   []byte // hex
	Type   string
	Record []byte
}

// parseLine splits a line in the one form appendLine writes. Anything
// else, however it differs, is not a journal line.
func parseLine(line []byte) (envelope, bool) {
	var env envelope
	const hexLen = 2 * sha256.Size
	d := fastDecoder{b: line}
	if !d.lit(`{"seq":`) {
		return env, false
	}
	i := bytes.IndexByte(d.b, ',')
	if i < 0 {
		return env, false
	}
	seq, ok := parseSeq(d.b[:i])
	if !ok {
		return env, false
	}
	env.Seq, d.b = seq, d.b[i:]
	if !d.lit(`,"prev":"`) || len(d.b) < hexLen {
		return env, false
	}
	env.Prev, d.b = d.b[:hexLen], d.b[hexLen:]
	if !d.lit(`","hash":"`) || len(d.b) < hexLen {
		return env, false
	}
	env.Hash, d.b = d.b[:hexLen], d.b[hexLen:]
	if !d.lit(`","type":"`) {
		return env, false
	}
	switch {
	case d.lit(recAccount):
		env.Type = recAccount
	case d.lit(recTransaction):
		env.Type = recTransaction
	case d.lit(recHold):
		env.Type = recHold
	case d.lit(recResolution):
		env.Type = recResolution
	case d.lit(recClosing):
		env.Type = recClosing
	default:
		return env, false
	}
	if !d.lit(`","record":`) || !bytes.HasSuffix(d.b, []byte("}\n")) {
		return env, false
	}
	env.Record = d.b[:len(d.b)-2]
	return env, len(env.Record) > 0
}

// lineReader reads and checks journal lines one by one.
type lineReader struct {
	r     *bufio.Reader
	seq   int   // lines verified
	off   int64 // bytes verified: where the next line starts
	start int64 // where the last verified line starts
	prev  [sha256.Size]byte
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next verified line; io.EOF at a clean end; a
// *JournalError for the first line that is not what the ledger wrote,
// marked Torn if the journal ends partway through the line the ledger
// would write next; or an error matching ErrJournalRead if the reader
// fails.
func (lr *lineReader) next() (envelope, error) {
	line, err := lr.readLine()
	if err == io.EOF {
		if len(line) == 0 {
			return envelope{}, io.EOF
		}
		if lr.torn(line) {
			return envelope{}, &JournalError{Line: lr.seq + 1, Offset: lr.off, Torn: true,
				Reason: fmt.Sprintf("the journal ends %d bytes into the line", len(line))}
		}
		return envelope{}, lr.corrupt("the last line has no newline and is not the start of a journal line")
	}
	if err != nil {
		return envelope{}, err
	}
	env, sum, reason := lr.check(line)
	if reason != "" {
		return envelope{}, lr.corrupt(reason)
	}
	// The line has the one form appendLine writes, with this hash: it is
	// byte for byte what the ledger wrote.
	lr.seq++
	lr.prev = sum
	lr.start = lr.off
	lr.off += int64(len(line))
	return env, nil
}

func (lr *lineReader) corrupt(reason string) *JournalError {
	return &JournalError{Line: lr.seq + 1, Offset: lr.off, Reason: reason}
}

// check verifies a whole line, newline included, as the next one,
// returning its hash, or why it is not the next line.
func (lr *lineReader) check(line []byte) (envelope, [sha256.Size]byte, string) {
	var sum [sha256.Size]byte
	env, ok := parseLine(line)
	if !ok {
		return env, sum, "not a journal line"
	}
	if want := lr.seq + 1; env.Seq != want {
		return env, sum, fmt.Sprintf("sequence %d, expected %d: a line is missing or out of order", env.Seq, want)
	}
	var prevHex, sumHex [2 * sha256.Size]byte
	hex.Encode(prevHex[:], lr.prev[:])
	if !bytes.Equal(env.Prev, prevHex[:]) {
		return env, sum, fmt.Sprintf("previous hash does not match line %d: a line is missing, out of order or changed", lr.seq)
	}
	sum = lineHash(env.Seq, &prevHex, env.Type, env.Record)
	hex.Encode(sumHex[:], sum[:])
	if !bytes.Equal(env.Hash, sumHex[:]) {
		return env, sum, "hash does not match the line's content"
	}
	return env, sum, ""
}

// torn reports whether tail, the bytes after the journal's last newline,
// is a proper prefix of a line the ledger could write next: what a write
// cut short leaves. A tail that no such write could leave (a changed
// byte, a line with something after it) is corruption, not a tear.
func (lr *lineReader) torn(tail []byte) bool {
	const hexLen = 2 * sha256.Size
	whole := tail
	// within reports whether the rest of the tail lies within (or
	// equals) the prefix p, and otherwise consumes p.
	within := func(p string) (bool, bool) {
		if len(tail) <= len(p) {
			return true, p[:len(tail)] == string(tail)
		}
		if !bytes.HasPrefix(tail, []byte(p)) {
			return true, false
		}
		tail = tail[len(p):]
		return false, true
	}
	var prevHex [hexLen]byte
	hex.Encode(prevHex[:], lr.prev[:])
	if end, ok := within(`{"seq":` + strconv.Itoa(lr.seq+1) + `,"prev":"` + string(prevHex[:]) + `","hash":"`); end || !ok {
		return ok
	}
	for i, c := range tail[:min(hexLen, len(tail))] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
		if i == len(tail)-1 {
			return true // the tail ends in the hash
		}
	}
	tail = tail[hexLen:]
	if end, ok := within(`","type":"`); end || !ok {
		return ok
	}
	found := false
	for _, typ := range []string{recAccount, recTransaction, recHold, recResolution, recClosing} {
		p := typ + `","record":`
		if len(tail) <= len(p) && p[:len(tail)] == string(tail) {
			return true
		}
		if bytes.HasPrefix(tail, []byte(p)) {
			tail, found = tail[len(p):], true
			break
		}
	}
	if !found || tail[0] != '{' {
		return false
	}
	// The record: a prefix of a JSON object, or the whole object
	// followed by at most the line's closing brace.
	dec := json.NewDecoder(bytes.NewReader(tail))
	var record json.RawMessage
	if err := dec.Decode(&record); err != nil {
		return err == io.ErrUnexpectedEOF
	}
	switch string(tail[dec.InputOffset():]) {
	case "":
		return true
	case "}":
		// All but the newline: torn only if the line is otherwise sound.
		_, _, reason := lr.check(append(bytes.Clone(whole), '\n'))
		return reason == ""
	}
	return false
}

// readLine returns one line including its newline; the bytes after the
// last newline with io.EOF; a *JournalError for a line over
// MaxJournalLine; or the reader's error, matching ErrJournalRead.
func (lr *lineReader) readLine() ([]byte, error) {
	var line []byte
	for {
		chunk, err := lr.r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > MaxJournalLine {
			return nil, lr.corrupt(fmt.Sprintf("line longer than %d bytes", MaxJournalLine))
		}
		switch {
		case err == nil, err == io.EOF:
			return line, err
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		}
		return nil, fmt.Errorf("%w at line %d (byte %d): %w", ErrJournalRead, lr.seq+1, lr.off+int64(len(line)), err)
	}
}

// Verify reads a journal and checks every line: its form, its sequence
// number, its hash and its link to the line before. It returns the head
// of a sound journal, or a *JournalError naming the first bad line: any
// changed byte, a removed line, swapped lines or a line over
// MaxJournalLine match ErrCorruptJournal; a journal that ends partway
// through a line, as a failed write leaves it, matches ErrTornJournal and
// gives the Offset to truncate it at. An error from r is returned
// wrapped, matching ErrJournalRead. A tail cut off exactly at a line
// boundary leaves a sound, shorter journal: compare the head with one
// stored elsewhere (Ledger.Head) to catch that.
func Verify(r io.Reader) (Head, error) {
	lr := newLineReader(r)
	for {
		if _, err := lr.next(); err == io.EOF {
			return Head{Seq: lr.seq, Hash: hex.EncodeToString(lr.prev[:])}, nil
		} else if err != nil {
			return Head{}, err
		}
	}
}

// Replay rebuilds a ledger from its journal, verifying every line and
// running every record through the same validation as when it was first
// recorded; the authorizer is not asked again, as authority was checked
// when the record was made. The result has the same accounts, balances,
// holds and idempotency memory, and continues the chain: with
// opts.Journal set, new records are appended after the replayed head.
// Replay refuses what Verify refuses, a torn last line included; use
// Recover for a journal a failed write may have left torn.
func Replay(r io.Reader, opts Options) (*Ledger, error) {
	l, _, err := replay(r, opts, false)
	return l, err
}

// Recover is Replay for a journal that may end in a torn line, as a failed
// write or a crash leaves it: it replays every complete line and returns
// the ledger with the length in bytes of those lines, where the journal
// must be truncated before anything is appended to it. For a sound
// journal that length is the whole journal. Corruption before the end,
// and reader errors, are refused as by Replay.
//
// Recover writes nothing, even with opts.Journal set: truncate the
// journal to the returned length, then record through the returned
// ledger, whose new lines continue the chain from the last complete line.
func Recover(r io.Reader, opts Options) (*Ledger, int64, error) {
	return replay(r, opts, true)
}

func replay(r io.Reader, opts Options, acceptTorn bool) (*Ledger, int64, error) {
	l := New(opts)
	lr := newLineReader(r)
	for {
		env, err := lr.next()
		var je *JournalError
		switch {
		case err == io.EOF:
			return l, lr.off, nil
		case acceptTorn && errors.As(err, &je) && je.Torn:
			return l, je.Offset, nil
		case err != nil:
			return nil, 0, err
		}
		if err := l.replayRecord(env); err != nil {
			return nil, 0, &JournalError{Line: env.Seq, Offset: lr.start, Reason: strings.TrimPrefix(err.Error(), prefix), Err: err}
		}
		l.head = lr.prev
	}
}

func (l *Ledger) replayRecord(env envelope) error {
	dec := func(v any) error {
		d := json.NewDecoder(bytes.NewReader(env.Record))
		d.DisallowUnknownFields()
		return d.Decode(v)
	}
	switch env.Type {
	case recAccount:
		var a Account
		if err := dec(&a); err != nil {
			return err
		}
		if _, ok := l.accounts[a.ID]; ok {
			return refuse("account", a.ID, ErrDuplicateAccount, "opened twice")
		}
		return l.open(a, false)
	case recTransaction:
		tx, err := decodeTransaction(env.Record)
		if err != nil {
			return err
		}
		if _, ok := l.txs[tx.ID]; ok {
			return refuse("transaction", tx.ID, ErrIdempotencyConflict, "recorded twice")
		}
		if err := l.replayedAuthority("transaction", &tx); err != nil {
			return err
		}
		_, err = l.record(newEntry(tx), false)
		return err
	case recHold:
		var h Hold
		if err := dec(&h); err != nil {
			return err
		}
		if _, ok := l.holds[h.ID]; ok {
			return refuse("hold", h.ID, ErrIdempotencyConflict, "placed twice")
		}
		probe := h.transaction(h.ID, h.Amount, h.Recorded, h.Recorded, h.Formality)
		probe.Proof = h.Proof
		if err := l.replayedAuthority("hold", &probe); err != nil {
			return err
		}
		_, err := l.placeHold(h, false)
		return err
	case recClosing:
		var c Closing
		if err := dec(&c); err != nil {
			return err
		}
		if err := c.validate(); err != nil {
			return refuse("closing", uuid.Nil, ErrInvalidTransaction, "%v", err)
		}
		_, err := l.closePeriod(c, false)
		return err
	default: // recResolution; next has checked the type
		var res HoldResolution
		if err := dec(&res); err != nil {
			return err
		}
		s, ok := l.holds[res.Hold]
		if !ok {
			return refuse("hold", res.Hold, ErrUnknownHold, "no hold %s", res.Hold)
		}
		if res.Transaction != nil {
			if err := l.replayedAuthority("hold", res.Transaction); err != nil {
				return err
			}
		}
		_, err := l.resolve(s, res, false)
		return err
	}
}

// replayedAuthority refuses, on a ledger with an Authorizer, a formal
// financial line that moves money yet carries no proof: replay does not
// decide authority again, so it keeps only what was proved when the record
// was made, and a formal record the authority never proved is not one.
func (l *Ledger) replayedAuthority(kind string, tx *Transaction) error {
	if l.opts.Authorizer == nil || !tx.Formality.Formal() || tx.Kind == Reversal || bookFor(tx.Kind) != financialBook || tx.Proof != nil {
		return nil
	}
	if _, moves, _ := moneyValue(tx.Postings); !moves {
		return nil
	}
	return refuse(kind, tx.ID, ErrNotAuthorized, "a formal record with no proof of authority")
}

// parseSeq reads a canonical positive decimal: no sign, no leading zero.
func parseSeq(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 18 || b[0] == '0' {
		return 0, false
	}
	n, err := strconv.Atoi(string(b))
	return n, err == nil
}
