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
	// ErrJournal: the journal writer failed; the record was not applied.
	ErrJournal = coprod.NewError("JOURNAL_WRITE_FAILED", "ledger: journal write failed")
	// ErrCorruptJournal: Verify or Replay found a line that is not what the
	// ledger wrote. The *JournalError says which.
	ErrCorruptJournal = coprod.NewError("CORRUPT_JOURNAL", "ledger: corrupt journal")
)

// RecordError says which record was refused and why; Unwrap gives the
// sentinel and the cause: the validation error behind the refusal, the
// authorizer's error for ErrNotAuthorized, the writer's for ErrJournal.
type RecordError struct {
	Kind   string    // "account", "transaction", "hold", …
	ID     uuid.UUID // the refused record's ID
	Reason string    // may be empty when Cause says it all
	Err    error     // the sentinel
	Cause  error     // what lies behind the refusal, or nil
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

// JournalError names the first line of a journal that fails verification.
type JournalError struct {
	Line   int // 1-based
	Reason string
	Err    error // the refusal of a record that does not replay, if that is the fault
}

func (e *JournalError) Error() string {
	return fmt.Sprintf("ledger: corrupt journal at line %d: %s", e.Line, e.Reason)
}

// Unwrap returns ErrCorruptJournal and, for a record that does not
// replay, its refusal.
func (e *JournalError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrCorruptJournal, e.Err}
	}
	return []error{ErrCorruptJournal}
}
