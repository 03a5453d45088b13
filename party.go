package coprod

import (
	"fmt"
	"unicode/utf8"

	"github.com/google/uuid"
)

// MaxNameLen is the longest party name accepted, in bytes.
const MaxNameLen = 200

// PartyID identifies a party. It is a UUID chosen by the caller, so that the
// same party has the same ID in every record and tool.
type PartyID = uuid.UUID

// Sector says which side of a partnership a party stands on, and for
// money where it comes from. Sectors are persisted by their string code;
// the list is append-only: codes are never renamed or reused.
type Sector string

// The sectors the library defines.
const (
	// Statutory is a public body with statutory duties: a council, an NHS
	// commissioner, a trust, public health.
	Statutory Sector = "statutory"
	// Community is a grassroots community or faith organisation.
	Community Sector = "community"
	// Hub is an organisation that links community groups with statutory
	// agencies and may act as accountable body for them.
	Hub Sector = "hub"
	// ServiceUsers is a group of people who use the services: a user-led
	// group.
	ServiceUsers Sector = "service-user-group"
	// Individual is a named person: a director, an officer, a champion,
	// a volunteer.
	Individual Sector = "individual"
	// IndependentFunder is a funder independent of the statutory bodies:
	// a charitable trust or foundation, a lottery distributor. Its money is
	// neither statutory nor the community's own.
	IndependentFunder Sector = "independent-funder"
	// Supplier is a private business selling goods or services to the
	// partnership.
	Supplier Sector = "private-supplier"
	// LargeProvider is a large voluntary-sector provider: a regional or
	// national charity that bids for and delivers contracts at scale.
	LargeProvider Sector = "large-voluntary-provider"
)

// Valid reports whether s is a defined sector.
func (s Sector) Valid() bool {
	switch s {
	case Statutory, Community, Hub, ServiceUsers, Individual, IndependentFunder, Supplier, LargeProvider:
		return true
	}
	return false
}

// IsCommunity reports whether s is on the community side of a partnership:
// a community organisation, a hub, a service-user group or a large
// voluntary provider. Individuals are neither side on their own account;
// independent funders and private suppliers are outside the partnership's
// two sides.
//
// A large provider counts as community-side because it is voluntary
// sector, not statutory: money paid to it has left the statutory bodies,
// and the Compact's full cost recovery applies to it as to any charity.
// It is not grassroots, and the report's question is whether money and
// power reach grassroots and user-led groups: ask [Sector.IsGrassroots]
// for that.
func (s Sector) IsCommunity() bool {
	return s == Community || s == Hub || s == ServiceUsers || s == LargeProvider
}

// IsGrassroots reports whether s is a grassroots community or faith
// organisation or a user-led group: the community side less its
// intermediaries (hubs) and large providers.
func (s Sector) IsGrassroots() bool {
	return s == Community || s == ServiceUsers
}

// String returns the sector's code.
func (s Sector) String() string { return string(s) }

// ParseSector returns the sector with code s.
func ParseSector(s string) (Sector, error) {
	v := Sector(s)
	if !v.Valid() {
		return "", wrap(fmt.Sprintf("parse sector %q", truncate(s)), ErrUnknownSector)
	}
	return v, nil
}

// UnmarshalText decodes a sector code, refusing undefined sectors.
func (s *Sector) UnmarshalText(b []byte) error {
	v, err := ParseSector(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Party is anyone who can hold authority, money or a role in a partnership.
// People are parties too (Sector Individual), so that authority resting on
// one named person is visible.
type Party struct {
	ID     PartyID `json:"id"`
	Name   string  `json:"name"`
	Sector Sector  `json:"sector"`
}

// Validate reports whether p has a non-nil ID, a name of 1 to MaxNameLen
// bytes of valid UTF-8 and a defined sector.
func (p Party) Validate() error {
	switch {
	case p.ID == uuid.Nil:
		return fmt.Errorf("%w: nil id", ErrInvalidParty)
	case p.Name == "" || len(p.Name) > MaxNameLen:
		return fmt.Errorf("%w: name must be 1 to %d bytes", ErrInvalidParty, MaxNameLen)
	case !utf8.ValidString(p.Name):
		return fmt.Errorf("%w: name is not valid UTF-8", ErrInvalidParty)
	case !p.Sector.Valid():
		return &contextError{
			msg:  fmt.Sprintf("%s: unknown sector %q", ErrInvalidParty, truncate(string(p.Sector))),
			errs: []error{ErrInvalidParty, ErrUnknownSector},
		}
	}
	return nil
}

// UnmarshalJSON decodes a party, refusing unknown fields, and validates it
// as Validate does.
func (p *Party) UnmarshalJSON(b []byte) error {
	type plain Party
	var v plain
	if err := decodeStrict(b, &v); err != nil {
		return wrap("decode party", err)
	}
	if err := Party(v).Validate(); err != nil {
		return wrap("decode party", err)
	}
	*p = Party(v)
	return nil
}
