package coprod

import "fmt"

// Unit is what an Amount counts: money in a currency, hours of labour, or
// time credits. Each unit has a fixed scale (decimal places). Units are
// persisted by their code; the zero Unit is not a valid unit.
type Unit string

// The units the library defines.
const (
	// GBP is pounds sterling, scale 2 (pence).
	GBP Unit = "GBP"
	// Hours is hours of labour, scale 2 (hundredths of an hour).
	Hours Unit = "hours"
	// Credits is time credits: one hour of contribution is one credit,
	// whatever the skill. Scale 0. Credits are never converted to money
	// by the library.
	Credits Unit = "credits"
)

// Scale returns the number of decimal places amounts of u carry, or -1 if u
// is not a defined unit.
func (u Unit) Scale() int32 {
	switch u {
	case GBP, Hours:
		return 2
	case Credits:
		return 0
	}
	return -1
}

// canonical returns u as its constant, so that an amount decoded from a
// journal shares the constant's memory rather than holding its own copy
// of the unit's code.
func (u Unit) canonical() Unit {
	switch u {
	case GBP:
		return GBP
	case Hours:
		return Hours
	case Credits:
		return Credits
	}
	return u
}

// Valid reports whether u is a unit the library defines.
func (u Unit) Valid() bool { return u.Scale() >= 0 }

// IsMoney reports whether u is a currency.
func (u Unit) IsMoney() bool { return u == GBP }

// String returns the unit's code.
func (u Unit) String() string { return string(u) }

// ParseUnit returns the unit with code s.
func ParseUnit(s string) (Unit, error) {
	u := Unit(s)
	if !u.Valid() {
		return "", wrap(fmt.Sprintf("parse unit %q", truncate(s)), ErrUnknownUnit)
	}
	return u, nil
}

// MarshalText encodes the unit's code; it fails for an undefined unit.
func (u Unit) MarshalText() ([]byte, error) {
	if !u.Valid() {
		return nil, wrap(fmt.Sprintf("marshal unit %q", truncate(string(u))), ErrUnknownUnit)
	}
	return []byte(u), nil
}

// UnmarshalText decodes a unit code, refusing undefined units.
func (u *Unit) UnmarshalText(b []byte) error {
	v, err := ParseUnit(string(b))
	if err != nil {
		return err
	}
	*u = v
	return nil
}
