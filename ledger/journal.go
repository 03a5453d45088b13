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
	h := sha256.New()
	var num [20]byte
	h.Write(strconv.AppendInt(num[:0], int64(seq), 10))
	h.Write([]byte{'\n'})
	h.Write(prevHex[:])
	h.Write([]byte{'\n'})
	h.Write([]byte(typ))
	h.Write([]byte{'\n'})
	h.Write(record)
	var sum [sha256.Size]byte
	h.Sum(sum[:0])

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

// journal advances the sequence and, with a journal configured, writes the
// record's line. The caller holds the write lock and has validated the
// record; on error nothing has advanced.
func (l *Ledger) journal(typ string, record any) error {
	if l.opts.Journal == nil {
		l.seq++
		return nil
	}
	b, err := json.Marshal(record)
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

type envelope struct {
	Seq    int             `json:"seq"`
	Prev   string          `json:"prev"`
	Hash   string          `json:"hash"`
	Type   string          `json:"type"`
	Record json.RawMessage `json:"record"`
}

// lineReader reads and checks journal lines one by one.
type lineReader struct {
	r    *bufio.Reader
	n    int
	prev [sha256.Size]byte
	buf  []byte
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
	var env envelope
	if err := json.Unmarshal(line, &env); err != nil {
		return bad("not a journal line: %v", err)
	}
	if env.Seq != lr.n {
		return bad("sequence %d, expected %d: a line is missing or out of order", env.Seq, lr.n)
	}
	if env.Prev != hex.EncodeToString(lr.prev[:]) {
		return bad("previous hash does not match line %d: a line is missing, out of order or changed", lr.n-1)
	}
	switch env.Type {
	case recAccount, recTransaction, recHold, recResolution:
	default:
		return bad("unknown record type %q", env.Type)
	}
	again, sum := appendLine(lr.buf[:0], env.Seq, lr.prev, env.Type, env.Record)
	lr.buf = again
	if env.Hash != hex.EncodeToString(sum[:]) {
		return bad("hash does not match the line's content")
	}
	if !bytes.Equal(again, line) {
		return bad("line is not in the form the ledger writes")
	}
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
			return nil, &JournalError{Line: env.Seq, Reason: err.Error(), Err: err}
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
		if err := l.open(a, false); err != nil {
			return err
		}
		l.seq++
		return nil
	case recTransaction:
		var tx Transaction
		if err := dec(&tx); err != nil {
			return err
		}
		if _, ok := l.txs[tx.ID]; ok {
			return refuse("transaction", tx.ID, ErrIdempotencyConflict, "recorded twice")
		}
		_, err := l.record(&tx, false)
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
