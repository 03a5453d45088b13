package ledger

import (
	"fmt"
	"strings"

	"github.com/coprod/coprod"

	"github.com/google/uuid"
)

// Sentinel errors. Every refusal wraps exactly one of them; branch with
// errors.Is, or read its stable code with coprod.CodeOf. Refused records
// change nothing.
var (
	// ErrInvalidAccount: an account is malformed (nil ID or owner, unknown
	// kind, a unit its kind cannot hold, a name over its limit).
	ErrInvalidAccount = coprod.NewError("INVALID_ACCOUNT", "ledger: invalid account")
	// ErrDuplicateAccount: an account ID is already open.
	ErrDuplicateAccount = coprod.NewError("DUPLICATE_ACCOUNT", "ledger: account already open")
	// ErrUnknownAccount: a posting or query names no open account.
	ErrUnknownAccount = coprod.NewError("UNKNOWN_ACCOUNT", "ledger: unknown account")
	// ErrInvalidTransaction: a transaction is malformed (nil ID, no
	// postings, zero times, unknown kind, coverage or formality, metadata
	// over its limits, a missing labour record).
	ErrInvalidTransaction = coprod.NewError("INVALID_TRANSACTION", "ledger: invalid transaction")
	// ErrTooManyPostings: a transaction has more than MaxPostings postings.
	ErrTooManyPostings = coprod.NewError("TOO_MANY_POSTINGS", "ledger: too many postings")
	// ErrUnitMismatch: a posting's amount is not in its account's unit, or
	// an amount's unit differs from a limit's. It is coprod.ErrUnitMismatch,
	// the module's one unit-mismatch error.
	ErrUnitMismatch = coprod.ErrUnitMismatch
	// ErrUnbalanced: a transaction's postings do not sum to zero in every
	// unit.
	ErrUnbalanced = coprod.NewError("UNBALANCED", "ledger: postings do not balance")
	// ErrMixedBooks: a transaction posts to memorandum and financial
	// accounts at once; unpaid labour and in-kind value never mix with
	// cash.
	ErrMixedBooks = coprod.NewError("MIXED_BOOKS", "ledger: memorandum and financial accounts in one transaction")
	// ErrIdempotencyConflict: a transaction ID was used before with
	// different content.
	ErrIdempotencyConflict = coprod.NewError("IDEMPOTENCY_CONFLICT", "ledger: transaction id reused with different content")
	// ErrUnknownTransaction: a reversal or query names no recorded
	// transaction.
	ErrUnknownTransaction = coprod.NewError("UNKNOWN_TRANSACTION", "ledger: unknown transaction")
	// ErrAlreadyReversed: the transaction was reversed before.
	ErrAlreadyReversed = coprod.NewError("ALREADY_REVERSED", "ledger: transaction already reversed")
	// ErrNotReversible: a reversal cannot itself be reversed; post a new
	// transaction instead.
	ErrNotReversible = coprod.NewError("NOT_REVERSIBLE", "ledger: a reversal cannot be reversed")
	// ErrUnknownHold: a hold operation names no recorded hold.
	ErrUnknownHold = coprod.NewError("UNKNOWN_HOLD", "ledger: unknown hold")
	// ErrHoldResolved: the hold was already posted, voided or expired.
	ErrHoldResolved = coprod.NewError("HOLD_RESOLVED", "ledger: hold already resolved")
	// ErrOverHold: a capture asks for more than the hold holds.
	ErrOverHold = coprod.NewError("OVER_HOLD", "ledger: capture exceeds hold")
	// ErrHoldNotExpired: a hold is expired before its expiry time.
	ErrHoldNotExpired = coprod.NewError("HOLD_NOT_EXPIRED", "ledger: hold has not expired")
	// ErrNotAuthorized: the Authorizer refused a formal transaction; the
	// authorizer's own error is wrapped too.
	ErrNotAuthorized = coprod.NewError("NOT_AUTHORIZED", "ledger: not authorized")
	// ErrDiscretionary: a strict ledger refuses a transaction made on one
	// person's discretion rather than under an instrument.
	ErrDiscretionary = coprod.NewError("DISCRETIONARY_REFUSED", "ledger: discretionary transaction refused by strict ledger")
	// ErrAllocation: Allocate was given no weights, a negative weight, only
	// zero weights, too many weights or an unknown mode.
	ErrAllocation = coprod.NewError("INVALID_ALLOCATION", "ledger: invalid allocation")
	// ErrInvalidLabour: a labour record is malformed (hours not in hours,
	// rate or range not in money, low above high, fractional hours for
	// time credits).
	ErrInvalidLabour = coprod.NewError("INVALID_LABOUR", "ledger: invalid labour record")
	// ErrInvalidArgument: a query was given an argument it cannot use,
	// such as a nil Classifier.
	ErrInvalidArgument = coprod.NewError("INVALID_ARGUMENT", "ledger: invalid argument")
	// ErrJournal: the record's journal line was not written (the writer
	// failed, or Options.Key is invalid: coprod.ErrInvalidKey), so the record
	// was not applied. When the writer failed (an error, or a short
	// write), the ledger has stopped and the refusal matches
	// ErrJournalFailed and the writer's error too.
	ErrJournal = coprod.NewError("JOURNAL_WRITE_FAILED", "ledger: journal write failed")
	// ErrRecordedTimeBehind: a record's recorded time is further behind
	// the latest recorded time than the ledger's skew allows. Records are
	// recorded in order; retry with the current time.
	ErrRecordedTimeBehind = coprod.NewError("RECORDED_TIME_BEHIND", "ledger: recorded time behind the latest record")
	// ErrPeriodClosed: a record would take effect in a closed period, or a
	// closing would not move the closed periods forward.
	ErrPeriodClosed = coprod.NewError("PERIOD_CLOSED", "ledger: period closed")
	// ErrOverCumulative: what was spent and held under a link in its
	// period, with this record, would pass the link's cumulative limit.
	ErrOverCumulative = coprod.NewError("OVER_CUMULATIVE_LIMIT", "ledger: over cumulative limit")
	// ErrHoldExpired: a capture is recorded or takes effect at or after
	// the hold's expiry.
	ErrHoldExpired = coprod.NewError("HOLD_EXPIRED", "ledger: hold expired")
	// ErrJournalFailed: the ledger is stopped because its journal writer
	// failed; it is returned for the record whose write failed and for
	// every record after it that would have been written, and wraps the
	// writer's first error. Ledger.Err returns it. Recover from the journal
	// to carry on.
	ErrJournalFailed = coprod.NewError("JOURNAL_FAILED", "ledger: journal failed, ledger stopped")
	// ErrCorruptJournal: Verify or Replay found a line that is not what the
	// ledger wrote. The *JournalError says which.
	ErrCorruptJournal = coprod.NewError("CORRUPT_JOURNAL", "ledger: corrupt journal")
	// ErrTornJournal: the journal ends partway through a line, as a failed
	// or interrupted write leaves it; every line before is sound. The
	// *JournalError gives the Offset to truncate the journal at; Recover
	// replays up to it.
	ErrTornJournal = coprod.NewError("TORN_JOURNAL", "ledger: journal ends in a torn line")
	// ErrJournalRead: Verify or Replay could not read the journal; the
	// reader's error is wrapped too. It says nothing about the journal's
	// soundness.
	ErrJournalRead = coprod.NewError("JOURNAL_READ_FAILED", "ledger: journal read failed")
)

// RecordError says which record was refused and why; Unwrap gives the
// sentinel and the cause: the validation error behind the refusal, the
// authorizer's error for ErrNotAuthorized, the writer's for ErrJournal.
type RecordError struct {
	Kind   string    // "account", "transaction", "hold", …
	ID     uuid.UUID // the refused record's ID
	Reason string    // may be empty when Cause says it all
	Err    error     // the sentinel
	// Cause is what lies behind the refusal, or nil: the authorizer's
	// error for ErrNotAuthorized, the journal writer's for ErrJournal and
	// ErrJournalFailed, a validation error otherwise.
	Cause error
}

func (e *RecordError) Error() string {
	s := fmt.Sprintf("ledger: refused %s %s", e.Kind, e.ID)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	if e.Cause != nil {
		s += ": " + strings.TrimPrefix(e.Cause.Error(), prefix)
	}
	return s
}

// Unwrap returns the sentinel and the cause, if any.
func (e *RecordError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

// errorf makes an unexported validation error, wrapped by a refusal.
func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

func refuse(kind string, id uuid.UUID, sentinel error, format string, args ...any) *RecordError {
	return &RecordError{Kind: kind, ID: id, Reason: fmt.Sprintf(format, args...), Err: sentinel}
}

// refuseCause refuses a record for err, keeping it as the cause so that
// callers can branch on it too.
func refuseCause(kind string, id uuid.UUID, sentinel, err error) *RecordError {
	return &RecordError{Kind: kind, ID: id, Err: sentinel, Cause: err}
}

// prefix starts every message of this package.
const prefix = "ledger: "

// contextError adds context to an error while keeping the package prefix
// once: wrap("decode hold", err) reads "ledger: decode hold: refused hold
// …" and unwraps to err.
type contextError struct {
	msg string
	err error
}

func (e *contextError) Error() string { return e.msg }
func (e *contextError) Unwrap() error { return e.err }

func wrap(context string, err error) error {
	return &contextError{msg: prefix + context + ": " + strings.TrimPrefix(err.Error(), prefix), err: err}
}

// JournalError names the first line of a journal that fails
// verification: a corrupt line (ErrCorruptJournal), or a torn last line
// (ErrTornJournal).
type JournalError struct {
	Line int // 1-based
	// Offset is where the line starts, in bytes from the start of the
	// journal: the length of the sound lines before it. Truncate a torn
	// journal here.
	Offset int64
	// Torn is true when the journal ends partway through the line the
	// ledger would write next, as a failed write leaves it, rather than
	// holding a line the ledger did not write.
	Torn   bool
	Reason string
	Err    error // the refusal of a record that does not replay, if that is the fault
}

func (e *JournalError) Error() string {
	if e.Torn {
		return fmt.Sprintf("ledger: torn journal at line %d (byte %d): %s", e.Line, e.Offset, e.Reason)
	}
	return fmt.Sprintf("ledger: corrupt journal at line %d: %s", e.Line, e.Reason)
}

// Unwrap returns ErrTornJournal for a torn line, ErrCorruptJournal
// otherwise, and, for a record that does not replay, its refusal.
func (e *JournalError) Unwrap() []error {
	sentinel := ErrCorruptJournal
	if e.Torn {
		sentinel = ErrTornJournal
	}
	if e.Err != nil {
		return []error{sentinel, e.Err}
	}
	return []error{sentinel}
}
