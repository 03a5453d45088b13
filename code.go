package coprod

import "errors"

// Code is a stable, machine-readable name for a refusal, a denial reason or
// a finding, such as "LIMIT_EXCEEDS_PARENT" or "UNBALANCED". Codes are
// persisted and compared by other tools: they are never renamed or reused.
// Every package of this module gives its sentinel errors codes through the
// one mechanism here, so [CodeOf] answers for any error the library returns.
type Code string

// Error is a sentinel error that carries a Code. The packages of this
// module declare their sentinels as *Error values made by [NewError];
// callers branch on them with errors.Is and read the code with [CodeOf].
// An Error is immutable.
type Error struct {
	code Code
	msg  string
}

// NewError returns a sentinel with the given code and message. The message
// should be lowercase and start with the declaring package's name
// ("ledger: postings do not balance").
func NewError(code Code, msg string) *Error { return &Error{code: code, msg: msg} }

// Error returns the message.
func (e *Error) Error() string { return e.msg }

// Code returns the sentinel's code.
func (e *Error) Code() Code { return e.code }

// CodeOf returns the code of the first *Error that err wraps, searching
// the whole tree of wrapped errors as errors.As does, or "" if it wraps
// none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.code
	}
	return ""
}
