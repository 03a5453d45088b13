package governance

import (
	"errors"
	"fmt"
	"strings"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Code is a stable, machine-readable name for a refusal, a denial reason or
// a Check finding, such as "LIMIT_EXCEEDS_PARENT". It is the module's one
// code type, coprod.Code: codes are persisted and compared by tools, and
// are never renamed or reused.
type Code = coprod.Code

// Codes of records the register refuses. Each has a sentinel error below.
const (
	CodeInvalidRecord           Code = "INVALID_RECORD"
	CodeDuplicateID             Code = "DUPLICATE_ID"
	CodeUnknownParty            Code = "UNKNOWN_PARTY"
	CodeUnknownParent           Code = "UNKNOWN_PARENT"
	CodeSelfDelegation          Code = "SELF_DELEGATION"
	CodeNoAuthority             Code = "NO_AUTHORITY"
	CodeReservedMatter          Code = "RESERVED_MATTER_DELEGATED"
	CodeScopeExceedsParent      Code = "SCOPE_EXCEEDS_PARENT"
	CodeLimitExceedsParent      Code = "LIMIT_EXCEEDS_PARENT"
	CodeCumulativeExceedsParent Code = "CUMULATIVE_EXCEEDS_PARENT"
	CodeJointExceedsParent      Code = "JOINT_THRESHOLD_EXCEEDS_PARENT"
	CodeWindowExceedsParent     Code = "WINDOW_EXCEEDS_PARENT"
	CodeDepthExceedsParent      Code = "DEPTH_EXCEEDS_PARENT"
	CodeSubDelegationForbidden  Code = "SUBDELEGATION_FORBIDDEN"
	CodeParentRevoked           Code = "PARENT_REVOKED"
	CodeCycle                   Code = "DELEGATION_CYCLE"
	CodeUnitMismatch            Code = "UNIT_MISMATCH"
	CodeLimitReached            Code = "LIMIT_REACHED"
	CodeUnknownLink             Code = "UNKNOWN_LINK"
	CodeNotRevoker              Code = "NOT_ENTITLED_TO_REVOKE"
	CodeAlreadyRevoked          Code = "ALREADY_REVOKED"
	CodeUnknownActivity         Code = "UNKNOWN_ACTIVITY"
	CodeUnknownInterest         Code = "UNKNOWN_INTEREST"
	CodeSchema                  Code = "SCHEMA_MISMATCH"
)

// Codes of reasons Authorize gives for a denial.
const (
	CodeInvalidRequest      Code = "INVALID_REQUEST"
	CodeScopeNotCovered     Code = "SCOPE_NOT_COVERED"
	CodeNotInstrument       Code = "NOT_THE_NAMED_INSTRUMENT"
	CodeRevoked             Code = "REVOKED"
	CodeReassumed           Code = "REASSUMED"
	CodeNotYetValid         Code = "NOT_YET_VALID"
	CodeExpired             Code = "EXPIRED"
	CodeOverLimit           Code = "OVER_TRANSACTION_LIMIT"
	CodeOverCumulative      Code = "OVER_CUMULATIVE_LIMIT"
	CodeUsageUnavailable    Code = "USAGE_UNAVAILABLE"
	CodeJointRequired       Code = "JOINT_AUTHORISATION_REQUIRED"
	CodeSelfApproval        Code = "SELF_APPROVAL"
	CodeDuplicateSignatory  Code = "DUPLICATE_SIGNATORY"
	CodeApproverNoAuthority Code = "APPROVER_NOT_AUTHORISED"
	CodeConflictOfInterest  Code = "CONFLICT_OF_INTEREST"
	CodeApproverConflict    Code = "APPROVER_CONFLICT_OF_INTEREST"
	CodeForeignAccount      Code = "FOREIGN_ACCOUNT"
	CodeSelfPayment         Code = "SELF_PAYMENT"
	CodeNotEntitled         Code = "NOT_ENTITLED_TO_ACT_ON_RECORD"
)

// codedError is a sentinel that carries its code: the module's one
// mechanism, coprod.Error.
type codedError = coprod.Error

func coded(code Code, msg string) *codedError { return coprod.NewError(code, "governance: "+msg) }

// Sentinel errors. Refusals and denials wrap exactly one of them; branch
// with errors.Is, or read the code with CodeOf.
var (
	// ErrInvalidRecord: a record is malformed (nil ID, bad scope, negative
	// limit, invalid window, text over its limit, inconsistent fields).
	ErrInvalidRecord = coded(CodeInvalidRecord, "invalid record")
	// ErrInvalidScope: a scope string is malformed. It is
	// coprod.ErrInvalidScope, since Scope is coprod's type; a record
	// refused for a bad scope carries the code INVALID_RECORD.
	ErrInvalidScope = coprod.ErrInvalidScope
	// ErrDuplicateID: a record reuses the ID of another record.
	ErrDuplicateID = coded(CodeDuplicateID, "duplicate id")
	// ErrUnknownParty: a record names a party the register does not hold.
	ErrUnknownParty = coded(CodeUnknownParty, "unknown party")
	// ErrUnknownParent: a delegation rests on no known mandate or
	// delegation: a rootless chain.
	ErrUnknownParent = coded(CodeUnknownParent, "unknown parent")
	// ErrSelfDelegation: a party delegates to itself.
	ErrSelfDelegation = coded(CodeSelfDelegation, "self-delegation")
	// ErrNoAuthority: the delegator does not hold the authority it
	// delegates from.
	ErrNoAuthority = coded(CodeNoAuthority, "delegator holds no authority for the scope")
	// ErrReservedMatter: a delegation's scope overlaps a matter its root
	// mandate reserves.
	ErrReservedMatter = coded(CodeReservedMatter, "reserved matter cannot be delegated")
	// ErrScopeExceedsParent: a delegation's scope is not inside its
	// parent's.
	ErrScopeExceedsParent = coded(CodeScopeExceedsParent, "scope wider than parent")
	// ErrLimitExceedsParent: a per-transaction limit above the parent's, or
	// missing where the parent has one.
	ErrLimitExceedsParent = coded(CodeLimitExceedsParent, "transaction limit wider than parent")
	// ErrCumulativeExceedsParent: a cumulative limit above the parent's, or
	// missing where the parent has one.
	ErrCumulativeExceedsParent = coded(CodeCumulativeExceedsParent, "cumulative limit wider than parent")
	// ErrJointExceedsParent: a joint-authorisation threshold above the
	// parent's, or missing where the parent has one.
	ErrJointExceedsParent = coded(CodeJointExceedsParent, "joint-authorisation threshold wider than parent")
	// ErrWindowExceedsParent: a validity window not inside the parent's.
	ErrWindowExceedsParent = coded(CodeWindowExceedsParent, "validity window wider than parent")
	// ErrDepthExceedsParent: more remaining sub-delegation depth than the
	// parent leaves, or a chain longer than MaxChainDepth.
	ErrDepthExceedsParent = coded(CodeDepthExceedsParent, "sub-delegation depth wider than parent")
	// ErrSubDelegationForbidden: the parent delegation may not be
	// sub-delegated.
	ErrSubDelegationForbidden = coded(CodeSubDelegationForbidden, "parent forbids sub-delegation")
	// ErrParentRevoked: the parent has been revoked.
	ErrParentRevoked = coded(CodeParentRevoked, "parent revoked")
	// ErrCycle: authority would return to a party already on its chain.
	ErrCycle = coded(CodeCycle, "delegation cycle")
	// ErrUnitMismatch: a limit's unit differs from its parent's, or a
	// request's amount from a limit or threshold on its path. It is
	// coprod.ErrUnitMismatch, the module's one unit-mismatch error.
	ErrUnitMismatch = coprod.ErrUnitMismatch
	// ErrLimitReached: a record would pass one of the register's limits
	// (MaxHeldPerParty, MaxRoleParties, …).
	ErrLimitReached = coded(CodeLimitReached, "limit reached")
	// ErrUnknownLink: a revocation or reassumption names no known mandate
	// or delegation.
	ErrUnknownLink = coded(CodeUnknownLink, "unknown mandate or delegation")
	// ErrNotRevoker: the party revoking or reassuming is neither the
	// delegator nor a holder further up the chain.
	ErrNotRevoker = coded(CodeNotRevoker, "party is not entitled to revoke or reassume")
	// ErrAlreadyRevoked: the mandate or delegation is already revoked from
	// the same time or earlier.
	ErrAlreadyRevoked = coded(CodeAlreadyRevoked, "already revoked")
	// ErrUnknownActivity: a revision names no known activity.
	ErrUnknownActivity = coded(CodeUnknownActivity, "unknown activity")
	// ErrUnknownInterest: a recusal names no declared interest.
	ErrUnknownInterest = coded(CodeUnknownInterest, "unknown interest")
	// ErrSchema: a register document has another schema version.
	ErrSchema = coded(CodeSchema, "unsupported schema")

	// ErrRecordedTimeBehind: a record's recorded time is further behind
	// the latest recorded time than the register's skew allows. Records
	// are recorded in order; retry with the current time.
	ErrRecordedTimeBehind = coded("RECORDED_TIME_BEHIND", "recorded time behind the latest record")
	// ErrJournal: the record's journal line was not written, so the record
	// was not applied: the writer failed, which stops the register, or
	// Options.Key is invalid (coprod.ErrInvalidKey).
	ErrJournal = coded("JOURNAL_WRITE_FAILED", "journal write failed")
	// ErrJournalFailed: the register is stopped because its journal
	// failed; Recover from the journal to carry on.
	ErrJournalFailed = coded("JOURNAL_FAILED", "journal failed, register stopped")
	// ErrCorruptJournal: a register journal line is not what was written
	// (the *JournalError says which).
	ErrCorruptJournal = coded("CORRUPT_JOURNAL", "corrupt journal")
	// ErrTornJournal: the journal ends partway through a line, as a failed
	// write leaves it.
	ErrTornJournal = coded("TORN_JOURNAL", "journal ends in a torn line")
	// ErrJournalRead: the journal's reader failed.
	ErrJournalRead = coded("JOURNAL_READ_FAILED", "journal read failed")

	// ErrDenied is wrapped by every error from Decision.Err.
	ErrDenied = errors.New("governance: denied")
	// ErrInvalidRequest: the request is malformed.
	ErrInvalidRequest = coded(CodeInvalidRequest, "invalid request")
	// ErrScopeNotCovered: the actor holds nothing covering the scope.
	ErrScopeNotCovered = coded(CodeScopeNotCovered, "scope not covered")
	// ErrNotInstrument: the request names an instrument the actor's path
	// does not end in.
	ErrNotInstrument = coded(CodeNotInstrument, "not the named instrument")
	// ErrRevoked: a link on the path was revoked.
	ErrRevoked = coded(CodeRevoked, "revoked")
	// ErrReassumed: the delegator took the matter back.
	ErrReassumed = coded(CodeReassumed, "reassumed by delegator")
	// ErrNotYetValid: a link's window has not started.
	ErrNotYetValid = coded(CodeNotYetValid, "not yet valid")
	// ErrExpired: a link's window has ended.
	ErrExpired = coded(CodeExpired, "expired")
	// ErrOverLimit: the amount exceeds a per-transaction limit.
	ErrOverLimit = coded(CodeOverLimit, "over transaction limit")
	// ErrOverCumulative: spending in the period would exceed a cumulative
	// limit.
	ErrOverCumulative = coded(CodeOverCumulative, "over cumulative limit")
	// ErrUsageUnavailable: a link has a cumulative limit but the request
	// supplies no usage, or the usage lookup failed.
	ErrUsageUnavailable = coded(CodeUsageUnavailable, "usage unavailable")
	// ErrJointRequired: the amount is above a joint-authorisation threshold
	// and no second authorised signatory approved.
	ErrJointRequired = coded(CodeJointRequired, "second signatory required")
	// ErrSelfApproval: the requester is listed as an approver.
	ErrSelfApproval = coded(CodeSelfApproval, "self-approval")
	// ErrDuplicateSignatory: one person is listed twice as approver.
	ErrDuplicateSignatory = coded(CodeDuplicateSignatory, "duplicate signatory")
	// ErrApproverNoAuthority: an approver holds no authority for the
	// request.
	ErrApproverNoAuthority = coded(CodeApproverNoAuthority, "approver not authorised")
	// ErrConflictOfInterest: the requester has declared an interest in the
	// beneficiary.
	ErrConflictOfInterest = coded(CodeConflictOfInterest, "conflict of interest")
	// ErrApproverConflict: an approver has declared an interest in the
	// beneficiary.
	ErrApproverConflict = coded(CodeApproverConflict, "approver has a conflict of interest")
	// ErrForeignAccount: the action spends the money of a party who holds
	// no link on the proof path (for a discretionary record, anyone but
	// the decider).
	ErrForeignAccount = coded(CodeForeignAccount, "money of a party not on the proof path")
	// ErrSelfPayment: the requester (or an approver counted as signatory)
	// gains from the payment and no independent second signatory approved.
	ErrSelfPayment = coded(CodeSelfPayment, "payment to oneself without an independent signatory")
	// ErrNotEntitled: the party resolving or correcting an earlier record
	// (capturing or voiding a hold, reversing a transaction) is neither its
	// decider, nor a holder above them on its proof path, nor a successor
	// holding the same scope under the same parent.
	ErrNotEntitled = coded(CodeNotEntitled, "not entitled to act on the earlier record")
)

// sentinels lists every coded sentinel, for mapping a code back to its
// error. Append only.
var sentinels = [...]*codedError{
	ErrInvalidRecord, ErrDuplicateID, ErrUnknownParty, ErrUnknownParent,
	ErrSelfDelegation, ErrNoAuthority, ErrReservedMatter, ErrScopeExceedsParent,
	ErrLimitExceedsParent, ErrCumulativeExceedsParent, ErrJointExceedsParent,
	ErrWindowExceedsParent, ErrDepthExceedsParent, ErrSubDelegationForbidden,
	ErrParentRevoked, ErrCycle, ErrUnitMismatch, ErrLimitReached, ErrUnknownLink,
	ErrNotRevoker, ErrAlreadyRevoked, ErrUnknownActivity, ErrUnknownInterest,
	ErrSchema, ErrInvalidRequest, ErrScopeNotCovered, ErrNotInstrument, ErrRevoked,
	ErrReassumed, ErrNotYetValid, ErrExpired, ErrOverLimit, ErrOverCumulative,
	ErrUsageUnavailable, ErrJointRequired, ErrSelfApproval, ErrDuplicateSignatory,
	ErrApproverNoAuthority, ErrConflictOfInterest, ErrApproverConflict,
	ErrForeignAccount, ErrSelfPayment, ErrNotEntitled, ErrReservedAbove,
	ErrNotIndividual, ErrNotOrganisation, ErrUnknownActing,
	ErrUnknownBody, ErrSelfMembership, ErrDuplicateMembership, ErrCollectiveRuleNotMet,
}

func sentinelFor(c Code) error {
	for _, s := range sentinels {
		if s.Code() == c {
			return s
		}
	}
	return nil
}

// CodeOf returns the code of the first coded sentinel err wraps, or "" if
// it wraps none. It is coprod.CodeOf.
func CodeOf(err error) Code { return coprod.CodeOf(err) }

// RecordError is returned when the register refuses a record. It says
// which record and why; Unwrap gives the sentinel to branch on and the
// cause, if any, so that errors.Is finds both (coprod.ErrInvalidParty for
// a party the register refuses as ErrInvalidRecord, say). It has the same
// shape as ledger.RecordError.
type RecordError struct {
	Kind   string    // "party", "mandate", "delegation", "revocation", …
	ID     uuid.UUID // the refused record's ID, or uuid.Nil
	Code   Code
	Reason string // one line for people; may be empty when Cause says it all
	Err    error  // the sentinel
	Cause  error  // the validation error behind the refusal, or nil
}

// Error returns "governance: refused KIND ID: CODE: reason: cause", with
// the package prefix once.
func (e *RecordError) Error() string {
	s := fmt.Sprintf("governance: refused %s %s: %s", e.Kind, e.ID, e.Code)
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

func refuse(kind string, id uuid.UUID, sentinel *codedError, format string, args ...any) error {
	return &RecordError{Kind: kind, ID: id, Code: sentinel.Code(), Reason: fmt.Sprintf(format, args...), Err: sentinel}
}

// refuseCause refuses a record for a validation error, keeping it as the
// cause so that callers can branch on it too.
func refuseCause(kind string, id uuid.UUID, sentinel *codedError, cause error) error {
	return &RecordError{Kind: kind, ID: id, Code: sentinel.Code(), Err: sentinel, Cause: cause}
}

// prefix starts every message of this package.
const prefix = "governance: "

// contextError adds context to an error while keeping the package prefix
// once: wrap("decode register", err) reads "governance: decode register:
// refused party …" and unwraps to err.
type contextError struct {
	msg string
	err error
}

func (e *contextError) Error() string { return e.msg }
func (e *contextError) Unwrap() error { return e.err }

func wrap(context string, err error) error {
	return &contextError{msg: prefix + context + ": " + strings.TrimPrefix(err.Error(), prefix), err: err}
}

// wrapf wraps a sentinel of this package with details after it:
// wrapf(ErrInvalidScope, "parse scope %q: empty segment", s) reads
// "governance: invalid scope: parse scope "a/": empty segment".
func wrapf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
