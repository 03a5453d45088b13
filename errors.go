package coprod

import "strings"

// Sentinel errors returned (wrapped) by this package. Test for them with
// errors.Is; CodeOf gives each one's stable code.
var (
	// ErrAmountSyntax is returned when an amount is not a plain decimal
	// number: an optional sign, digits, an optional fraction and an optional
	// exponent.
	ErrAmountSyntax = NewError("AMOUNT_SYNTAX", "coprod: invalid amount syntax")
	// ErrAmountTooLong is returned when an amount string is longer than
	// MaxAmountLen characters.
	ErrAmountTooLong = NewError("AMOUNT_TOO_LONG", "coprod: amount too long")
	// ErrExponentRange is returned when an amount string's exponent lies
	// outside ±MaxExponent, or when NewAmount is given a decimal whose
	// exponent lies below -(MaxExponent+MaxAmountLen) and is not refused
	// for its magnitude or precision first.
	ErrExponentRange = NewError("EXPONENT_RANGE", "coprod: amount exponent out of range")
	// ErrNotFinite is returned for NaN and infinity forms.
	ErrNotFinite = NewError("NOT_FINITE", "coprod: amount is not finite")
	// ErrTooPrecise is returned when an amount has more fraction digits than
	// its unit's scale allows; the library never rounds silently.
	ErrTooPrecise = NewError("TOO_PRECISE", "coprod: amount has more fraction digits than its unit allows")
	// ErrOverflow is returned when an amount, parsed or computed, has more
	// than MaxIntegerDigits digits before the point.
	ErrOverflow = NewError("OVERFLOW", "coprod: amount out of range")
	// ErrUnknownUnit is returned for a unit the library does not define.
	ErrUnknownUnit = NewError("UNKNOWN_UNIT", "coprod: unknown unit")
	// ErrUnitMismatch is returned by arithmetic and comparisons on amounts
	// of different units.
	ErrUnitMismatch = NewError("UNIT_MISMATCH", "coprod: unit mismatch")
	// ErrInvalidAmount is returned when an operation is given the zero
	// Amount, which has no unit.
	ErrInvalidAmount = NewError("INVALID_AMOUNT", "coprod: invalid amount")
	// ErrUnknownSector is returned for a sector the library does not define.
	ErrUnknownSector = NewError("UNKNOWN_SECTOR", "coprod: unknown sector")
	// ErrInvalidParty is returned for a party with a nil ID, an empty or
	// over-long name, a name that is not valid UTF-8, or (with
	// ErrUnknownSector) an undefined sector.
	ErrInvalidParty = NewError("INVALID_PARTY", "coprod: invalid party")
	// ErrInvalidScope is returned when a scope is malformed: empty, too
	// long, with too many or too long segments, or a character other than
	// a lowercase letter, a digit, '-' or '/'.
	ErrInvalidScope = NewError("INVALID_SCOPE", "coprod: invalid scope")
	// ErrInvalidWindow is returned for a window whose expiry is not after
	// its start.
	// ErrInvalidKey is returned for a journal key with a malformed ID or
	// an empty secret.
	ErrInvalidKey    = NewError("INVALID_KEY", "coprod: invalid journal key")
	ErrInvalidWindow = NewError("INVALID_WINDOW", "coprod: invalid window")
)

// prefix starts every message of this package.
const prefix = "coprod: "

// contextError adds context to an error of this package while keeping the
// package prefix once: wrap("parse unit \"x\"", ErrUnknownUnit) reads
// "coprod: parse unit "x": unknown unit" and unwraps to ErrUnknownUnit.
type contextError struct {
	msg  string
	errs []error
}

func (e *contextError) Error() string   { return e.msg }
func (e *contextError) Unwrap() []error { return e.errs }

func wrap(context string, err error) error {
	return &contextError{msg: prefix + context + ": " + strings.TrimPrefix(err.Error(), prefix), errs: []error{err}}
}
