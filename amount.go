package coprod

import (
	"cmp"
	"fmt"
	"github.com/coprod/coprod/internal/plain"
	"strconv"

	"github.com/shopspring/decimal"
)

// Parsing limits. Inputs beyond them are refused before any arithmetic, so
// hostile input such as "1e-10000000" fails at once instead of allocating.
const (
	// MaxAmountLen is the longest amount string ParseAmount accepts.
	MaxAmountLen = 40
	// MaxExponent bounds the exponent of scientific notation: |exp| ≤ 30.
	MaxExponent = 30
	// MaxIntegerDigits bounds the magnitude of every amount, parsed or
	// computed: |value| < 10^30. It keeps every amount printable within
	// MaxAmountLen characters, so that what the library writes it can
	// read back; a sum beyond it is ErrOverflow, not a silent wrap.
	MaxIntegerDigits = 30
)

// Amount is an exact decimal quantity in a Unit, always held at the unit's
// scale. Amounts are immutable values.
//
// The zero Amount has no unit and is not a valid amount; fields that take an
// optional amount (a limit, a threshold) use it to mean "not set". Amounts
// are not comparable with ==: use Equal or Cmp.
//
// An amount is held in the unit's minor units (pence for GBP) as an int64
// while its magnitude is below 10^18 (maxSmall), the overwhelming case,
// and as an exact decimal only beyond: amounts in the common range need no
// heap memory, and adding, comparing and formatting them need no decimal
// arithmetic. The two forms are never mixed up: an amount is small exactly
// when its magnitude is below maxSmall.
type Amount struct {
	minor int64            // the value in minor units, when big is nil
	big   *decimal.Decimal // the value at the unit's scale, when |value| ≥ maxSmall minor units
	unit  Unit
}

// maxSmall bounds the minor units an amount holds as an int64: the sum or
// difference of two such values cannot overflow, and Minor's callers can
// add a few together without checking.
const maxSmall = 1_000_000_000_000_000_000 // 10^18

// small reports whether |v| < maxSmall.
func small(v int64) bool { return v > -maxSmall && v < maxSmall }

// fromMinor returns v minor units of u, in its canonical form.
func fromMinor(v int64, u Unit) Amount {
	u = u.canonical()
	if small(v) {
		return Amount{minor: v, unit: u}
	}
	d := decimal.New(v, -u.Scale())
	return Amount{big: &d, unit: u}
}

// fromDecimal returns d, exact at u's scale and within MaxIntegerDigits,
// as an amount of u in its canonical form.
func fromDecimal(d decimal.Decimal, u Unit) Amount {
	u = u.canonical()
	scale := u.Scale()
	if numDigits(d)+int(d.Exponent())+int(scale) <= 18 { // |d| < 10^(18-scale)
		if m := d.Shift(scale); m.IsInteger() {
			return Amount{minor: m.IntPart(), unit: u}
		}
	}
	return Amount{big: &d, unit: u}
}

// value returns a's value as a decimal at the unit's scale.
func (a Amount) value() decimal.Decimal {
	if a.big != nil {
		return *a.big
	}
	return decimal.New(a.minor, -a.unit.Scale())
}

// ParseAmount parses a decimal string as an amount of unit u. It accepts an
// optional sign, digits with an optional fraction and an optional exponent
// ("1.5e2"). It refuses strings longer than MaxAmountLen, exponents outside
// ±MaxExponent, NaN and infinity, and values with more fraction digits than
// u's scale (trailing zeros beyond the scale are accepted, as no rounding is
// needed), and values of more than MaxIntegerDigits integer digits: it
// accepts exactly |value| < 10^MaxIntegerDigits, so a 30-digit integer is
// accepted and 10^30 is refused.
func ParseAmount(s string, u Unit) (Amount, error) {
	if !u.Valid() {
		return Amount{}, wrap(fmt.Sprintf("parse amount %q", truncate(s)), ErrUnknownUnit)
	}
	if err := checkAmountSyntax(s); err != nil {
		return Amount{}, wrap(fmt.Sprintf("parse amount %q", truncate(s)), err)
	}
	if v, ok := plain.Minor(s, int(u.Scale())); ok {
		return Amount{minor: v, unit: u.canonical()}, nil
	}
	return parseDecimal(s, u)
}

// parseDecimal is ParseAmount's general path, through a decimal.
func parseDecimal(s string, u Unit) (Amount, error) {
	d, err := decimal.NewFromString(s)
	if err != nil { // unreachable after checkAmountSyntax; kept as a guard
		return Amount{}, wrap(fmt.Sprintf("parse amount %q", truncate(s)), ErrAmountSyntax)
	}
	return NewAmount(d, u)
}

// MustParseAmount is like ParseAmount but panics on error. It is intended
// for use in tests and examples with constant input.
func MustParseAmount(s string, u Unit) Amount {
	a, err := ParseAmount(s, u)
	if err != nil {
		panic(err)
	}
	return a
}

// NewAmount returns d as an amount of unit u. It refuses a value that is not
// exact at u's scale rather than rounding it (ErrTooPrecise), and one of
// |value| ≥ 10^MaxIntegerDigits (ErrOverflow).
//
// Its cost is bounded whatever d is: the range is checked from d's
// exponent and coefficient size before any arithmetic. A non-zero d whose
// exponent lies below -(MaxExponent+MaxAmountLen) and which is not refused
// for its magnitude or precision is ErrExponentRange; ParseAmount never
// produces one. Zero, with any exponent, is the zero amount of u.
func NewAmount(d decimal.Decimal, u Unit) (Amount, error) {
	scale := u.Scale()
	if scale < 0 {
		return Amount{}, wrap("new amount", ErrUnknownUnit)
	}
	if d.Sign() == 0 {
		return Zero(u), nil
	}
	if err := checkRange(d, scale); err != nil {
		return Amount{}, wrap(fmt.Sprintf("new amount %s %s", describe(d), u), err)
	}
	r := d.Round(scale)
	if !r.Equal(d) {
		return Amount{}, wrap(fmt.Sprintf("new amount %s %s", describe(d), u), ErrTooPrecise)
	}
	if err := checkMagnitude(r); err != nil {
		return Amount{}, wrap(fmt.Sprintf("new amount %s %s", describe(d), u), err)
	}
	return fromDecimal(r, u), nil
}

const (
	// minExponent is the lowest exponent NewAmount rounds: a value in
	// range has at most MaxIntegerDigits-minExponent coefficient digits.
	minExponent = -(MaxExponent + MaxAmountLen)
	// maxCoefficientBits bounds the coefficient NewAmount counts the
	// digits of; 2^400 has 121 digits, more than any value in range at an
	// exponent of at least minExponent can have.
	maxCoefficientBits = 400
)

// checkRange refuses a non-zero d that cannot be an amount at scale,
// looking only at its exponent and the size of its coefficient, so that it
// costs microseconds whatever d is.
func checkRange(d decimal.Decimal, scale int32) error {
	exp := int64(d.Exponent())
	if exp > MaxIntegerDigits {
		return ErrOverflow
	}
	huge := d.Coefficient().BitLen() > maxCoefficientBits
	if !huge {
		n := int64(numDigits(d))
		if n+exp > MaxIntegerDigits {
			return ErrOverflow
		}
		// More fraction digits beyond the scale than the coefficient has
		// digits: they cannot all be zeros.
		if -exp-int64(scale) >= n {
			return ErrTooPrecise
		}
	}
	if exp < minExponent {
		return ErrExponentRange
	}
	if huge { // at least 121 digits at an exponent of at least minExponent
		return ErrOverflow
	}
	return nil
}

// describe prints d for an error message, briefly: a decimal too long to
// print is described by its size instead.
func describe(d decimal.Decimal) string {
	bits := d.Coefficient().BitLen()
	if exp := d.Exponent(); bits > 128 || exp < -MaxAmountLen || exp > MaxExponent {
		return fmt.Sprintf("(a %d-bit coefficient with exponent %d)", bits, exp)
	}
	return truncate(d.String())
}

// checkMagnitude refuses a canonical value with more than
// MaxIntegerDigits digits before the point: it accepts exactly
// |value| < 10^MaxIntegerDigits.
func checkMagnitude(d decimal.Decimal) error {
	if d.Sign() != 0 && numDigits(d)+int(d.Exponent()) > MaxIntegerDigits {
		return ErrOverflow
	}
	return nil
}

// numDigits returns the number of digits of d's coefficient, exactly.
// decimal.NumDigits takes a float logarithm for a coefficient of up to
// 2^53, which counts 10^15 as fifteen digits; that range, and the few
// digits above it, are counted here in integers instead.
func numDigits(d decimal.Decimal) int {
	n := d.NumDigits() // exact beyond 2^53, and off by at most one below
	if n <= 17 {       // |coefficient| < 10^17: it fits an int64
		c := d.CoefficientInt64()
		if c < 0 {
			c = -c
		}
		for n = 1; c >= 10; n++ {
			c /= 10
		}
	}
	return n
}

// Zero returns the zero amount of unit u. It panics if u is not a defined
// unit, which is a programming error.
func Zero(u Unit) Amount {
	if !u.Valid() {
		panic("coprod: Zero of unknown unit " + string(u))
	}
	return Amount{unit: u.canonical()}
}

// checkAmountSyntax validates the grammar and the limits without doing any
// arithmetic: sign? digits ('.' digits?)? | '.' digits, then ([eE] sign? digits)?.
func checkAmountSyntax(s string) error {
	if len(s) > MaxAmountLen {
		return ErrAmountTooLong
	}
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		if looksInfinite(s) {
			return ErrNotFinite
		}
		return ErrAmountSyntax
	}
	if i == len(s) {
		return nil
	}
	if s[i] != 'e' && s[i] != 'E' {
		return ErrAmountSyntax
	}
	i++
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++ // the bound is symmetric, so the sign does not matter
	}
	if i == len(s) {
		return ErrAmountSyntax
	}
	exp := 0
	for ; i < len(s); i++ {
		if !isDigit(s[i]) {
			return ErrAmountSyntax
		}
		exp = exp*10 + int(s[i]-'0')
		if exp > MaxExponent {
			return ErrExponentRange
		}
	}
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// looksInfinite recognises the NaN and infinity spellings so that they get
// their own error.
func looksInfinite(s string) bool {
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	switch lower(s) {
	case "nan", "inf", "infinity", "snan", "qnan":
		return true
	}
	return false
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func truncate(s string) string {
	if len(s) > MaxAmountLen {
		return s[:MaxAmountLen] + "…"
	}
	return s
}

// Unit returns a's unit; the zero Amount has the zero Unit.
func (a Amount) Unit() Unit { return a.unit }

// IsSet reports whether a is a valid amount rather than the zero Amount.
func (a Amount) IsSet() bool { return a.unit != "" }

// Decimal returns a's value as a decimal at the unit's scale.
func (a Amount) Decimal() decimal.Decimal {
	if !a.IsSet() {
		return decimal.Zero
	}
	return a.value()
}

// Minor returns a's value in minor units of its unit (pence for GBP,
// hundredths for hours, whole credits) and true, if it fits in an int64
// with room to add a few together; otherwise 0 and false. It lets hot
// paths sum amounts without allocating, falling back to decimals beyond.
func (a Amount) Minor() (int64, bool) {
	if !a.IsSet() || a.big != nil {
		return 0, false
	}
	return a.minor, true
}

// FromMinor returns v minor units of u (pence for GBP): FromMinor(1234,
// GBP) is 12.34 GBP. Every int64 is in range, so it needs no checks beyond
// the unit.
func FromMinor(v int64, u Unit) (Amount, error) {
	if !u.Valid() {
		return Amount{}, wrap("from minor", ErrUnknownUnit)
	}
	return fromMinor(v, u), nil
}

// Sign returns -1, 0 or +1.
func (a Amount) Sign() int {
	switch {
	case a.big != nil:
		return a.big.Sign()
	case a.minor < 0:
		return -1
	case a.minor > 0:
		return 1
	}
	return 0
}

// IsZero reports whether a's value is zero (or a is the zero Amount).
func (a Amount) IsZero() bool { return a.Sign() == 0 }

// IsNegative reports whether a is below zero.
func (a Amount) IsNegative() bool { return a.Sign() < 0 }

// Neg returns -a.
func (a Amount) Neg() Amount {
	if a.big != nil {
		n := a.big.Neg()
		return Amount{big: &n, unit: a.unit}
	}
	return Amount{minor: -a.minor, unit: a.unit}
}

// Abs returns |a|.
func (a Amount) Abs() Amount {
	if a.Sign() >= 0 {
		return a
	}
	return a.Neg()
}

func (a Amount) check(b Amount) error {
	if !a.IsSet() || !b.IsSet() {
		return ErrInvalidAmount
	}
	if a.unit != b.unit {
		return fmt.Errorf("%w: %s and %s", ErrUnitMismatch, a.unit, b.unit)
	}
	return nil
}

// Add returns a+b. Both must be valid amounts of the same unit, and the sum
// within MaxIntegerDigits.
func (a Amount) Add(b Amount) (Amount, error) {
	if err := a.check(b); err != nil {
		return Amount{}, wrap("add", err)
	}
	if a.big == nil && b.big == nil {
		return fromMinor(a.minor+b.minor, a.unit), nil // below 2·10^18: no overflow
	}
	v := a.value().Add(b.value())
	if err := checkMagnitude(v); err != nil {
		return Amount{}, wrap("add", err)
	}
	return fromDecimal(v, a.unit), nil
}

// Sub returns a-b. Both must be valid amounts of the same unit, and the
// difference within MaxIntegerDigits.
func (a Amount) Sub(b Amount) (Amount, error) {
	if err := a.check(b); err != nil {
		return Amount{}, wrap("sub", err)
	}
	if a.big == nil && b.big == nil {
		return fromMinor(a.minor-b.minor, a.unit), nil
	}
	v := a.value().Sub(b.value())
	if err := checkMagnitude(v); err != nil {
		return Amount{}, wrap("sub", err)
	}
	return fromDecimal(v, a.unit), nil
}

// Cmp compares a and b, returning -1, 0 or +1. Both must be valid amounts of
// the same unit. Comparing two canonical amounts does not allocate.
func (a Amount) Cmp(b Amount) (int, error) {
	if err := a.check(b); err != nil {
		return 0, wrap("compare", err)
	}
	return a.cmp(b), nil
}

// cmp compares the values of a and b, of the same unit.
func (a Amount) cmp(b Amount) int {
	if a.big == nil && b.big == nil {
		return cmp.Compare(a.minor, b.minor)
	}
	return a.value().Cmp(b.value())
}

// Equal reports whether a and b have the same unit and value. Two zero
// Amounts are equal.
func (a Amount) Equal(b Amount) bool {
	if a.unit != b.unit {
		return false
	}
	if !a.IsSet() {
		return true
	}
	return a.cmp(b) == 0
}

// String formats a as its value at the unit's scale followed by the unit,
// e.g. "1250.00 GBP". The zero Amount prints as "none".
func (a Amount) String() string {
	if !a.IsSet() {
		return "none"
	}
	b := make([]byte, 0, 24+len(a.unit))
	b = append(a.AppendValue(b), ' ')
	return string(append(b, a.unit...))
}

// Value returns a's value as a string at the unit's scale ("1250.00"), or ""
// for the zero Amount.
func (a Amount) Value() string {
	if !a.IsSet() {
		return ""
	}
	return string(a.AppendValue(make([]byte, 0, 24)))
}

// AppendValue appends Value to b and returns the extended buffer: for
// encoders that write many amounts, it prints one in minor units without
// allocating.
func (a Amount) AppendValue(b []byte) []byte {
	if !a.IsSet() {
		return b
	}
	scale := int(a.unit.Scale())
	if a.big != nil {
		return append(b, a.big.StringFixed(int32(scale))...)
	}
	v := a.minor
	if v < 0 {
		b = append(b, '-')
		v = -v // |v| < 10^18: no overflow
	}
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], v, 10)
	for len(d) <= scale { // at least one digit before the point
		d = append([]byte{'0'}, d...)
	}
	b = append(b, d[:len(d)-scale]...)
	if scale > 0 {
		b = append(append(b, '.'), d[len(d)-scale:]...)
	}
	return b
}

type amountJSON struct {
	Value string `json:"value"`
	Unit  Unit   `json:"unit"`
}

// MarshalJSON encodes a as {"value":"1250.00","unit":"GBP"}, the value as a
// string so that no decoder turns it into a float. The zero Amount encodes
// as null.
func (a Amount) MarshalJSON() ([]byte, error) {
	if !a.IsSet() {
		return []byte("null"), nil
	}
	// Written by hand: journals encode an amount per posting, and the
	// value and unit code never need escaping.
	b := make([]byte, 0, len(`{"value":"","unit":""}`)+24+len(a.unit))
	b = append(b, `{"value":"`...)
	b = a.AppendValue(b)
	b = append(b, `","unit":"`...)
	b = append(b, a.unit...)
	return append(b, `"}`...), nil
}

// UnmarshalJSON decodes what MarshalJSON produces, running the same
// validation as ParseAmount, and refuses unknown fields. null decodes to
// the zero Amount.
func (a *Amount) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*a = Amount{}
		return nil
	}
	var j amountJSON
	if err := decodeStrict(b, &j); err != nil {
		return wrap("decode amount", err)
	}
	v, err := ParseAmount(j.Value, j.Unit)
	if err != nil {
		return err
	}
	*a = v
	return nil
}
