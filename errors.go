package coprod

import "errors"

// Sentinel errors returned (wrapped) by this package. Test for them with
// errors.Is.
var (
	// ErrAmountSyntax is returned when an amount is not a plain decimal
	// number: an optional sign, digits, an optional fraction and an optional
	// exponent.
	ErrAmountSyntax = errors.New("coprod: invalid amount syntax")
	// ErrAmountTooLong is returned when an amount string is longer than
	// MaxAmountLen characters.
	ErrAmountTooLong = errors.New("coprod: amount too long")
	// ErrExponentRange is returned when an amount's exponent lies outside
	// ±MaxExponent.
	ErrExponentRange = errors.New("coprod: amount exponent out of range")
	// ErrNotFinite is returned for NaN and infinity forms.
	ErrNotFinite = errors.New("coprod: amount is not finite")
	// ErrTooPrecise is returned when an amount has more fraction digits than
	// its unit's scale allows; the library never rounds silently.
	ErrTooPrecise = errors.New("coprod: amount has more fraction digits than its unit allows")
	// ErrOverflow is returned when an amount, parsed or computed, has more
	// than MaxIntegerDigits digits before the point.
	ErrOverflow = errors.New("coprod: amount out of range")
	// ErrUnknownUnit is returned for a unit the library does not define.
	ErrUnknownUnit = errors.New("coprod: unknown unit")
	// ErrUnitMismatch is returned by arithmetic and comparisons on amounts
	// of different units.
	ErrUnitMismatch = errors.New("coprod: unit mismatch")
	// ErrInvalidAmount is returned when an operation is given the zero
	// Amount, which has no unit.
	ErrInvalidAmount = errors.New("coprod: invalid amount")
	// ErrUnknownSector is returned for a sector the library does not define.
	ErrUnknownSector = errors.New("coprod: unknown sector")
	// ErrInvalidParty is returned for a party with a nil ID or an empty or
	// over-long name.
	ErrInvalidParty = errors.New("coprod: invalid party")
	// ErrInvalidWindow is returned for a window whose expiry is not after
	// its start.
	ErrInvalidWindow = errors.New("coprod: invalid window")
)
