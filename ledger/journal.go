package ledger

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/journal"
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
	if k := l.opts.Key; k != nil {
		if err := k.Validate(); err != nil {
			return err // refused, not written: the ledger is not stopped
		}
	}
	b, text, err := l.encodeRecord(record)
	if err != nil {
		return err
	}
	line, sum := journal.AppendLine(l.line[:0], l.seq+1, l.head, journalKey(l.opts.Key), typ, b, text)
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

// types are the record types of the ledger's journal lines.
var types = []string{recAccount, recTransaction, recHold, recResolution, recClosing}

// journalErr turns the journal package's errors into this package's: a
// *JournalError for a bad or refused line, ErrJournalRead for the reader.
func journalErr(err error) error {
	var je *journal.Error
	switch {
	case errors.As(err, &je):
		reason := je.Reason
		if je.Err != nil {
			reason = strings.TrimPrefix(reason, prefix)
		}
		return &JournalError{Line: je.Line, Offset: je.Offset, Torn: je.Torn, Reason: reason, Err: je.Err}
	case errors.Is(err, journal.ErrRead):
		return fmt.Errorf("%w: %w", ErrJournalRead, err)
	}
	return err
}

// Verify reads a journal and checks every line: its form, its sequence
// number, its hash (under its key, for a keyed line) and its link to the
// line before. With keys non-nil every line must be signed with one of
// them: a line written without the key, or forged with another, fails.
// It returns the head of a sound journal, or a *JournalError naming the
// first bad line: any changed byte, a removed line, swapped lines, a line
// over MaxJournalLine or free text that does not match its hash match
// ErrCorruptJournal; a journal that ends partway through a line, as a
// failed write leaves it, matches ErrTornJournal and gives the Offset to
// truncate it at. An error from r is returned wrapped, matching
// ErrJournalRead. A tail cut off exactly at a line boundary leaves a
// sound, shorter journal: compare the head with one stored elsewhere
// (Ledger.Head) to catch that. Erased free text (EraseText) is not a
// fault.
func Verify(r io.Reader, keys coprod.Keyring) (Head, error) {
	end, err := journal.Replay(r, types, journal.Keyring(keys), false, nil)
	if err != nil {
		return Head{}, journalErr(err)
	}
	return Head{Seq: end.Seq, Hash: hex.EncodeToString(end.Head[:])}, nil
}

// Replay rebuilds a ledger from its journal, verifying every line (with
// opts.Keys, if set, as Verify does) and running every record through the
// same validation as when it was first recorded; the authorizer is not
// asked again, as authority was checked when the record was made, and each
// formal record carries its proof. The result has the same accounts,
// balances, holds and idempotency memory, and continues the chain: with
// opts.Journal set, new records are appended after the replayed head.
// Replay refuses what Verify refuses, a torn last line included; use
// Recover for a journal a failed write may have left torn. Free text that
// was erased replays as empty.
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
	rp := NewReplayer(r, opts)
	for {
		run, err := rp.Read()
		if err != nil { // io.EOF: the last run is applied
			break
		}
		if err := rp.Apply(run); err != nil {
			return nil, 0, err
		}
	}
	if acceptTorn {
		return rp.Recovered()
	}
	l, err := rp.Ledger()
	return l, 0, err
}

// EraseText copies a ledger journal from r to w with the free text of
// line seq erased (memo, metadata, names and reasons: the fields that may
// carry personal data), keeping the line's hash of it, so the chain still
// verifies and replays, with that text empty. Other lines are copied byte
// for byte. A ledger replayed from the result refuses a retry of the
// erased record with its text as a different record.
func EraseText(r io.Reader, w io.Writer, seq int) error {
	if err := journal.Erase(r, w, seq, types); err != nil {
		return fmt.Errorf("%sdecode journal: %w", prefix, err)
	}
	return nil
}

// replayTransaction applies a transaction line, which Prepare decoded
// into the entry in p (or failed to decode).
func (l *Ledger) replayTransaction(env journal.Line, p *preparedLine) error {
	if p.err != nil {
		return p.err
	}
	box := &p.slot[:1][0]
	e, tx := &box.entry, &box.tx
	if ref := p.ref; ref != 0 {
		kp, ok := l.proofOnLine(ref)
		if !ok {
			return refuse("transaction", tx.ID, ErrInvalidTransaction, "proof_ref %d names no earlier line with a proof in full", ref)
		}
		tx.Proof, l.proofLast = kp.p, kp
	}
	if err := l.replayedAuthority("transaction", tx); err != nil {
		return err
	}
	// The entry is kept where Prepare decoded it, in the run's boxes,
	// not in the ledger's chunk, which stays as it was for the next.
	boxes := l.boxes
	l.boxes = p.slot
	rc, err := l.record(e, false)
	l.boxes = boxes
	if err != nil || rc.Duplicate {
		if err == nil {
			// A live retry is a duplicate; a journal holds each record once.
			err = refuse("transaction", tx.ID, ErrIdempotencyConflict, "recorded twice")
		}
		return err
	}
	if p.ref == 0 {
		l.provedInFull(l.findProof(e.tx.Proof))
	}
	return nil
}

func (l *Ledger) replayRecord(env journal.Line) error {
	dec := func(v any) error {
		d := json.NewDecoder(bytes.NewReader(env.Record))
		d.DisallowUnknownFields()
		if err := d.Decode(v); err != nil {
			return err
		}
		return mergeText(v, env.Text)
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
		if env.Version == 1 {
			// Version 1 resolutions named no decider and timed a capture
			// by its effective time: read them as this version would
			// have written them. A version 1 void stays with no decider.
			if tx := res.Transaction; tx != nil {
				res.At, res.By = tx.Recorded, tx.Formality.DecidedBy
			}
		}
		if res.Transaction != nil {
			if err := l.replayedAuthority("hold", res.Transaction); err != nil {
				return err
			}
		}
		_, err := l.resolve(s, res, false, env.Version == 1)
		return err
	}
}

// replayedAuthority refuses, on a ledger with an Authorizer, a formal
// financial line that moves money yet carries no proof: replay does not
// decide authority again, so it keeps only what was proved when the record
// was made, and a formal record the authority never proved is not one.
//
// It refuses, as authorize does live, a financial line whose money moved
// is out of range. Two postings that balance move one amount, which is in
// range (two that do not are refused by record), so only a line of more
// is summed for that alone.
func (l *Ledger) replayedAuthority(kind string, tx *Transaction) error {
	if l.opts.Authorizer == nil || bookFor(tx.Kind) != financialBook {
		return nil
	}
	unproved := tx.needsProof() && tx.Proof == nil
	if !unproved && len(tx.Postings) <= 2 {
		return nil
	}
	_, moves, err := moneyValue(tx.Postings)
	if err != nil {
		e := refuse(kind, tx.ID, ErrInvalidTransaction, "value moved")
		e.Cause = err
		return e
	}
	if !unproved || !moves {
		return nil
	}
	return refuse(kind, tx.ID, ErrNotAuthorized, "a formal record with no proof of authority")
}
