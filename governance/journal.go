package governance

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/journal"
	"github.com/google/uuid"
)

// DefaultMaxSkew is how far a record's recorded time may fall behind the
// latest recorded so far when Options.MaxSkew is zero.
const DefaultMaxSkew = time.Minute

// Options configure a Register made with New. The zero Options give the
// register NewRegister returns: no journal.
type Options struct {
	// Journal, if set, receives every accepted record as one hash-chained
	// JSON line, written before the record is applied. A failed or short
	// write refuses the record with ErrJournal and stops the register:
	// every later record is refused with ErrJournalFailed. Every record
	// but a party's must then carry its recorded time. It is written with
	// the register's write lock held, so it must not call back into the
	// register.
	Journal io.Writer
	// Key, if set, signs every journal line (HMAC-SHA-256).
	Key *coprod.JournalKey
	// Keys, if set, are the keys Replay and Recover verify lines with:
	// every line must be signed with one of them.
	Keys coprod.Keyring
	// Rand, if set, salts the hash of each line's free text, so that
	// erased text cannot be recovered by guessing it against its hash.
	// Like the Journal, it is read with the write lock held, so it must
	// not call back into the register.
	Rand io.Reader
	// MaxSkew is how far a record's recorded time may fall behind the
	// latest recorded time the register has seen; further is
	// ErrRecordedTimeBehind. Zero means DefaultMaxSkew; a negative value
	// allows no step back at all.
	MaxSkew time.Duration
}

// New returns an empty register configured by opts.
func New(opts Options) *Register { return &Register{opts: opts} }

// The record types of the register's journal lines.
const (
	recParty        = "party"
	recMandate      = "mandate"
	recDelegation   = "delegation"
	recRevocation   = "revocation"
	recReassumption = "reassumption"
	recActivity     = "activity"
	recRevision     = "activity-revision"
	recInterest     = "interest"
	recRecusal      = "recusal"
	recActingFor    = "acting-for"
	recActingEnd    = "acting-end"
	recBody         = "body"
	recMembership   = "membership"
)

var types = []string{recParty, recMandate, recDelegation, recRevocation, recReassumption, recActivity,
	recRevision, recInterest, recRecusal, recActingFor, recActingEnd, recBody, recMembership}

// logEntry is one accepted record, in the order recorded: the register's
// own history, which AsOf replays up to a recorded time.
type logEntry struct {
	typ      string
	recorded time.Time
	record   any
}

// erased stands for a required name whose text was erased from the
// journal.
const erased = "[erased]"

// commit gives a validated record its place: the time rule, the journal
// line (unless replaying) and the history. The caller holds the write
// lock; on error nothing has changed.
func (r *Register) commit(typ string, id uuid.UUID, recorded time.Time, record any) error {
	if err := r.checkRecorded(typ, id, recorded); err != nil {
		return err
	}
	if r.opts.Journal != nil && !r.replaying {
		if r.failed != nil {
			return refuseCause(typ, id, ErrJournalFailed, r.failed)
		}
		if k := r.opts.Key; k != nil {
			if err := k.Validate(); err != nil {
				return refuseCause(typ, id, ErrJournal, err)
			}
		}
		rec, text, err := r.encodeRecord(typ, record)
		if err != nil {
			return refuseCause(typ, id, ErrInvalidRecord, err)
		}
		var key *journal.Key
		if k := r.opts.Key; k != nil {
			key = &journal.Key{ID: k.ID, Secret: k.Secret}
		}
		line, sum := journal.AppendLine(r.line[:0], r.seq+1, r.head, key, typ, rec, text)
		r.line = line
		if len(line) > journal.MaxLine {
			return refuse(typ, id, ErrInvalidRecord, "journal line of %d bytes, more than %d", len(line), journal.MaxLine)
		}
		n, err := r.opts.Journal.Write(line)
		if err == nil && n < len(line) {
			err = io.ErrShortWrite
		}
		if err != nil {
			r.failed = fmt.Errorf("journal line %d: %w", r.seq+1, err)
			e := refuseCause(typ, id, ErrJournal, r.failed)
			return e
		}
		r.head = sum
	}
	r.seq++
	r.log = append(r.log, logEntry{typ: typ, recorded: recorded, record: record})
	if recorded.After(r.lastRecorded) {
		r.lastRecorded = recorded
	}
	return nil
}

// checkRecorded enforces the time rule: with a journal every record but a
// party's has a recorded time, and no recorded time falls more than the
// skew behind the latest.
func (r *Register) checkRecorded(typ string, id uuid.UUID, recorded time.Time) error {
	if recorded.IsZero() {
		if r.opts.Journal != nil && typ != recParty {
			return refuse(typ, id, ErrInvalidRecord, "a journaled register needs the record's recorded time")
		}
		return nil
	}
	if recorded.Year() < 1 || recorded.Year() > 9999 {
		return refuse(typ, id, ErrInvalidRecord, "recorded time outside the years 1 to 9999")
	}
	if r.building {
		return nil
	}
	skew := r.opts.MaxSkew
	switch {
	case skew == 0:
		skew = DefaultMaxSkew
	case skew < 0:
		skew = 0
	}
	if recorded.Before(r.lastRecorded.Add(-skew)) {
		return refuse(typ, id, ErrRecordedTimeBehind, "recorded at %s, more than %s before the latest record, %s",
			recorded.Format(time.RFC3339Nano), skew, r.lastRecorded.Format(time.RFC3339Nano))
	}
	return nil
}

// Err returns the journal failure that stopped the register, or nil.
func (r *Register) Err() error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.failed == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrJournalFailed, r.failed)
}

// JournalHead identifies the end of a register journal: how many lines it
// has and the hash of the last. Store it apart from the journal to detect
// a tail cut off at a line boundary.
type JournalHead struct {
	Seq  int    `json:"seq"`
	Hash string `json:"hash"`
}

// Head returns the register's journal head.
func (r *Register) Head() JournalHead {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return JournalHead{Seq: r.seq, Hash: hex.EncodeToString(r.head[:])}
}

// textOf splits a record into the part the chain covers and its free
// text, which may carry personal data (names, reasons, descriptions) and
// is chained only through its hash so that it can be erased.
func textOf(record any) (any, map[string]string) {
	text := map[string]string{}
	put := func(k, v string) {
		if v != "" {
			text[k] = v
		}
	}
	switch v := record.(type) {
	case coprod.Party:
		put("name", v.Name)
		return partyRecord{ID: v.ID, Sector: v.Sector}, text
	case Mandate:
		put("basis", v.Basis)
		v.Basis = ""
		return v, text
	case Delegation:
		put("instrument", v.Instrument)
		v.Instrument = ""
		return v, text
	case Revocation:
		put("reason", v.Reason)
		v.Reason = ""
		return v, text
	case Reassumption:
		put("reason", v.Reason)
		v.Reason = ""
		return v, text
	case Activity:
		put("name", v.Name)
		v.Name = ""
		return v, text
	case Interest:
		put("description", v.Description)
		v.Description = ""
		return v, text
	case Recusal:
		put("reason", v.Reason)
		v.Reason = ""
		return v, text
	case ActingEnd:
		put("reason", v.Reason)
		v.Reason = ""
		return v, text
	}
	return record, text
}

// partyRecord is a party's chained line: its ID and sector, never its
// name.
type partyRecord struct {
	ID     coprod.PartyID `json:"id"`
	Sector coprod.Sector  `json:"sector"`
}

func (r *Register) encodeRecord(typ string, record any) (rec, text []byte, err error) {
	chained, t := textOf(record)
	if rec, err = json.Marshal(chained); err != nil {
		return nil, nil, err
	}
	if len(t) == 0 {
		return rec, nil, nil
	}
	if r.opts.Rand != nil {
		var b [16]byte
		if _, err := io.ReadFull(r.opts.Rand, b[:]); err != nil {
			return nil, nil, fmt.Errorf("salt: %w", err)
		}
		t["salt"] = hex.EncodeToString(b[:])
	}
	text, err = json.Marshal(t)
	return rec, text, err
}

// decodeLine rebuilds a record from a journal line: the chained record
// and, unless erased, its free text.
func decodeLine(l journal.Line) (any, error) {
	dec := func(v any) error {
		d := json.NewDecoder(bytes.NewReader(l.Record))
		d.DisallowUnknownFields()
		return d.Decode(v)
	}
	text := map[string]string{}
	if l.Text != nil {
		d := json.NewDecoder(bytes.NewReader(l.Text))
		d.DisallowUnknownFields()
		if err := d.Decode(&text); err != nil {
			return nil, fmt.Errorf("free text: %w", err)
		}
	}
	name := func() string {
		if l.Erased {
			return erased
		}
		return text["name"]
	}
	var err error
	switch l.Type {
	case recParty:
		var p partyRecord
		if err = dec(&p); err == nil {
			return coprod.Party{ID: p.ID, Sector: p.Sector, Name: name()}, nil
		}
	case recMandate:
		var m Mandate
		if err = dec(&m); err == nil {
			m.Basis = text["basis"]
			return m, nil
		}
	case recDelegation:
		var d Delegation
		if err = dec(&d); err == nil {
			d.Instrument = text["instrument"]
			return d, nil
		}
	case recRevocation:
		var v Revocation
		if err = dec(&v); err == nil {
			v.Reason = text["reason"]
			return v, nil
		}
	case recReassumption:
		var v Reassumption
		if err = dec(&v); err == nil {
			v.Reason = text["reason"]
			return v, nil
		}
	case recActivity, recRevision:
		var v Activity
		if err = dec(&v); err == nil {
			v.Name = name()
			return v, nil
		}
	case recInterest:
		var v Interest
		if err = dec(&v); err == nil {
			v.Description = text["description"]
			return v, nil
		}
	case recRecusal:
		var v Recusal
		if err = dec(&v); err == nil {
			v.Reason = text["reason"]
			return v, nil
		}
	case recActingFor:
		var v ActingFor
		if err = dec(&v); err == nil {
			return v, nil
		}
	case recActingEnd:
		var v ActingEnd
		if err = dec(&v); err == nil {
			v.Reason = text["reason"]
			return v, nil
		}
	case recBody:
		var v Body
		if err = dec(&v); err == nil {
			return v, nil
		}
	case recMembership:
		var v Membership
		if err = dec(&v); err == nil {
			return v, nil
		}
	default:
		return nil, fmt.Errorf("record type %q", l.Type)
	}
	return nil, err
}

// apply records one decoded record through the same method, and so the
// same validation, as when it was first made.
func (r *Register) apply(typ string, record any) error {
	switch v := record.(type) {
	case coprod.Party:
		return r.AddParty(v)
	case Mandate:
		return r.AddMandate(v)
	case Delegation:
		return r.Delegate(v)
	case Revocation:
		return r.Revoke(v)
	case Reassumption:
		return r.Reassume(v)
	case Activity:
		if typ == recRevision {
			return r.ReviseActivity(v)
		}
		return r.AddActivity(v)
	case Interest:
		return r.Declare(v)
	case Recusal:
		return r.Recuse(v)
	case ActingFor:
		return r.ActFor(v)
	case ActingEnd:
		return r.EndActing(v)
	case Body:
		return r.AddBody(v)
	case Membership:
		return r.Join(v)
	}
	return fmt.Errorf("governance: no record of type %T", record)
}

// JournalError names the first line of a register journal that fails
// verification or replay: a corrupt line (ErrCorruptJournal), a torn last
// line (ErrTornJournal, with the Offset to truncate at), or a record the
// register refuses (Err).
type JournalError struct {
	Line   int
	Offset int64
	Torn   bool
	Reason string
	Err    error
}

func (e *JournalError) Error() string {
	if e.Torn {
		return fmt.Sprintf("governance: torn journal at line %d (byte %d): %s", e.Line, e.Offset, e.Reason)
	}
	return fmt.Sprintf("governance: corrupt journal at line %d: %s", e.Line, e.Reason)
}

// Unwrap returns ErrTornJournal or ErrCorruptJournal, and the refusal of a
// record that does not replay.
func (e *JournalError) Unwrap() []error {
	s := ErrCorruptJournal
	if e.Torn {
		s = ErrTornJournal
	}
	if e.Err != nil {
		return []error{s, e.Err}
	}
	return []error{s}
}

// journalErr turns the journal package's errors into this package's.
func journalErr(err error) error {
	var je *journal.Error
	switch {
	case errors.As(err, &je):
		return &JournalError{Line: je.Line, Offset: je.Offset, Torn: je.Torn, Reason: je.Reason, Err: je.Err}
	case errors.Is(err, journal.ErrRead):
		return fmt.Errorf("%w: %w", ErrJournalRead, err)
	}
	return err
}

// VerifyJournal reads a register journal and checks every line as the
// ledger's Verify does: form, sequence, hash (under its key, with keys
// non-nil every line must be signed with one of them), link to the line
// before, and free text against its hash. It returns the head of a sound
// journal, or a *JournalError naming the first bad line.
func VerifyJournal(rd io.Reader, keys coprod.Keyring) (JournalHead, error) {
	end, err := journal.Replay(rd, types, journal.Keyring(keys), false, nil)
	if err != nil {
		return JournalHead{}, journalErr(err)
	}
	return JournalHead{Seq: end.Seq, Hash: hex.EncodeToString(end.Head[:])}, nil
}

// Replay rebuilds a register from its journal, verifying every line (with
// opts.Keys, if set) and running every record through the same method and
// validation as when it was made. With opts.Journal set, new records are
// appended after the replayed head. Erased names replay as "[erased]",
// other erased text as empty. A torn last line is refused: use Recover.
func Replay(rd io.Reader, opts Options) (*Register, error) {
	r, _, err := replay(rd, opts, false)
	return r, err
}

// Recover is Replay for a journal that may end in a torn line: it replays
// every complete line and returns the length in bytes of those lines,
// where the journal must be truncated before anything is appended to it.
func Recover(rd io.Reader, opts Options) (*Register, int64, error) {
	return replay(rd, opts, true)
}

func replay(rd io.Reader, opts Options, acceptTorn bool) (*Register, int64, error) {
	r := New(opts)
	r.replaying = true
	end, err := journal.Replay(rd, types, journal.Keyring(opts.Keys), acceptTorn, func(line journal.Line) error {
		rec, err := decodeLine(line)
		if err != nil {
			return err
		}
		return r.apply(line.Type, rec)
	})
	if err != nil {
		return nil, 0, journalErr(err)
	}
	r.replaying = false
	r.head = end.Head
	return r, end.Offset, nil
}

// EraseText copies a register journal from r to w with the free text of
// line seq erased (a party's name, a reason, a description), keeping the
// line's hash of it, so the chain still verifies and replays.
func EraseText(rd io.Reader, w io.Writer, seq int) error {
	if err := journal.Erase(rd, w, seq, types); err != nil {
		return fmt.Errorf("governance: erase text: %w", err)
	}
	return nil
}

// AsOf returns the register as it was known at recorded time t: a new,
// unjournaled register holding every record recorded at or before t (and
// those with no recorded time), in the order they were made. Authorize and
// Check on it answer as the partnership knew its authority then: a
// payment made under a delegation later revoked, by a revocation recorded
// after the payment, was authorised when made. It costs a replay of the
// records it keeps.
func (r *Register) AsOf(t time.Time) *Register {
	r.mu.RLock()
	log := r.log
	r.mu.RUnlock()
	v := New(Options{})
	v.building = true
	for _, e := range log {
		if e.recorded.After(t) {
			continue
		}
		// A record resting on one recorded later than t (possible only
		// within the skew) was not known either: it is left out.
		_ = v.apply(e.typ, e.record)
	}
	v.building = false
	return v
}
