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

	"github.com/coprod/coprod"
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
// record; on error nothing has advanced.
func (l *Ledger) journal(typ string, record any) error {
	if l.opts.Journal == nil {
		l.seq++
		return nil
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
	if _, err := l.opts.Journal.Write(line); err != nil {
		return err
	}
	l.seq++
	l.head = sum
	return nil
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
	r    *bufio.Reader
	n    int
	prev [sha256.Size]byte
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next verified line, io.EOF at a clean end, or a
// *JournalError for the first line that is not what the ledger wrote.
func (lr *lineReader) next() (envelope, error) {
	lr.n++
	bad := func(format string, args ...any) (envelope, error) {
		return envelope{}, &JournalError{Line: lr.n, Reason: fmt.Sprintf(format, args...)}
	}
	line, err := lr.readLine()
	if err == io.EOF && len(line) == 0 {
		return envelope{}, io.EOF
	}
	if err == io.EOF {
		return bad("truncated: the last line has no newline")
	}
	if err != nil {
		return bad("%v", err)
	}
	env, ok := parseLine(line)
	if !ok {
		return bad("not a journal line")
	}
	if env.Seq != lr.n {
		return bad("sequence %d, expected %d: a line is missing or out of order", env.Seq, lr.n)
	}
	var prevHex, sumHex [2 * sha256.Size]byte
	hex.Encode(prevHex[:], lr.prev[:])
	if !bytes.Equal(env.Prev, prevHex[:]) {
		return bad("previous hash does not match line %d: a line is missing, out of order or changed", lr.n-1)
	}
	sum := lineHash(env.Seq, &prevHex, env.Type, env.Record)
	hex.Encode(sumHex[:], sum[:])
	if !bytes.Equal(env.Hash, sumHex[:]) {
		return bad("hash does not match the line's content")
	}
	// The line has the one form appendLine writes, with this hash: it is
	// byte for byte what the ledger wrote.
	lr.prev = sum
	return env, nil
}

// readLine returns one line including its newline, refusing lines over
// MaxJournalLine.
func (lr *lineReader) readLine() ([]byte, error) {
	var line []byte
	for {
		chunk, err := lr.r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > MaxJournalLine {
			return nil, fmt.Errorf("line longer than %d bytes", MaxJournalLine)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return line, err
	}
}

// Verify reads a journal and checks every line: its form, its sequence
// number, its hash and its link to the line before. It returns the head
// of a sound journal, or a *JournalError naming the first bad line: any
// changed byte, a removed line, swapped lines or a truncated last line. A
// tail cut off exactly at a line boundary leaves a sound, shorter journal:
// compare the head with one stored elsewhere (Ledger.Head) to catch that.
func Verify(r io.Reader) (Head, error) {
	lr := newLineReader(r)
	for {
		if _, err := lr.next(); err == io.EOF {
			return Head{Seq: lr.n - 1, Hash: hex.EncodeToString(lr.prev[:])}, nil
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
func Replay(r io.Reader, opts Options) (*Ledger, error) {
	l := New(opts)
	lr := newLineReader(r)
	for {
		env, err := lr.next()
		if err == io.EOF {
			return l, nil
		}
		if err != nil {
			return nil, err
		}
		if err := l.replayRecord(env); err != nil {
			return nil, &JournalError{Line: env.Seq, Reason: strings.TrimPrefix(err.Error(), prefix), Err: err}
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
		_, err := l.placeHold(h, false)
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
			amount := positiveOf(res.Transaction)
			want := s.hold.transaction(res.Transaction.ID, amount, res.Transaction.Effective, res.Transaction.Recorded)
			if c, err := amount.Cmp(s.hold.Amount); err != nil || c > 0 {
				return refuse("hold", res.Hold, ErrOverHold, "capture %s of a hold of %s", amount, s.hold.Amount)
			}
			if !want.equal(res.Transaction) || res.Resolution != Captured {
				return refuse("hold", res.Hold, ErrInvalidTransaction, "capture does not match the hold")
			}
		} else if res.Resolution != Voided && res.Resolution != Expired {
			return refuse("hold", res.Hold, ErrInvalidTransaction, "resolution %q", string(res.Resolution))
		}
		_, err := l.resolve(s, res, false)
		return err
	}
}

// positiveOf returns the amount a two-posting capture moves.
func positiveOf(tx *Transaction) coprod.Amount {
	for _, p := range tx.Postings {
		if p.Amount.Sign() > 0 {
			return p.Amount
		}
	}
	return coprod.Amount{}
}

// parseSeq reads a canonical positive decimal: no sign, no leading zero.
func parseSeq(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 18 || b[0] == '0' {
		return 0, false
	}
	n, err := strconv.Atoi(string(b))
	return n, err == nil
}
