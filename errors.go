package coprod

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
	// ErrExponentRange is returned when an amount's exponent lies outside
	// ±MaxExponent.
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
	// ErrInvalidParty is returned for a party with a nil ID or an empty or
	// over-long name.
	ErrInvalidParty = NewError("INVALID_PARTY", "coprod: invalid party")
	// ErrInvalidWindow is returned for a window whose expiry is not after
	// its start.
	ErrInvalidWindow = NewError("INVALID_WINDOW", "coprod: invalid window")
)
