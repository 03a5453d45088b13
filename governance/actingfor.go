package governance

import (
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// MaxActingPerParty bounds the acting-for records naming one person, which
// bounds the work of one whose-money check.
const MaxActingPerParty = 64

// ActingRole is the capacity in which a person acts for an organisation.
// Roles are persisted by their string code. The zero ActingRole is not a
// valid role.
type ActingRole string

// The roles the library defines.
const (
	// RoleDirector is a director or chief officer of the organisation.
	RoleDirector ActingRole = "director"
	// RoleOfficer is an employed officer with delegated duties.
	RoleOfficer ActingRole = "officer"
	// RoleChampion is a named champion of the partnership inside the
	// organisation (a statutory "champion", a faith leader).
	RoleChampion ActingRole = "champion"
	// RoleTrustee is a trustee or board member.
	RoleTrustee ActingRole = "trustee"
)

// Valid reports whether r is a role the library defines.
func (r ActingRole) Valid() bool {
	switch r {
	case RoleDirector, RoleOfficer, RoleChampion, RoleTrustee:
		return true
	}
	return false
}

// String returns the role's code, or ActingRole("…") for a value the
// library does not define.
func (r ActingRole) String() string {
	if r.Valid() {
		return string(r)
	}
	return fmt.Sprintf("ActingRole(%q)", string(r))
}

// MarshalText encodes the role's code; it fails for an undefined role.
func (r ActingRole) MarshalText() ([]byte, error) {
	if !r.Valid() {
		return nil, fmt.Errorf("governance: %w: acting role %q", ErrInvalidRecord, truncate(string(r)))
	}
	return []byte(r), nil
}

// UnmarshalText decodes a role's code, refusing undefined roles.
func (r *ActingRole) UnmarshalText(b []byte) error {
	v := ActingRole(b)
	if !v.Valid() {
		return fmt.Errorf("governance: %w: acting role %q", ErrInvalidRecord, truncate(string(b)))
	}
	*r = v
	return nil
}

// ActingFor records that Person, a named individual, acts for For, an
// organisation (any party that is not an individual), in Role, within
// Window. Authority delegated to the person is then visibly the
// person's, not the organisation's (Check reports it), and the person may
// spend the organisation's money where the organisation's own link would
// allow it (Permit and Authorize count the organisation as on the path).
//
// A record is never edited: an ActingEnd ends it early.
type ActingFor struct {
	ID     uuid.UUID      `json:"id"`
	Person coprod.PartyID `json:"person"`
	For    coprod.PartyID `json:"for"`
	Role   ActingRole     `json:"role"`
	Window coprod.Window  `json:"window,omitzero"`
	// Recorded is when the record was made, as the application's clock
	// says: the register answers "as known at" a recorded time (AsOf) and
	// a journaled register requires it. Zero means known from the start.
	Recorded time.Time `json:"recorded,omitzero"`
}

// ActingEnd ends an acting-for record from At onwards: the director left,
// the champion moved on. A record is ended from its earliest end.
type ActingEnd struct {
	ActingFor uuid.UUID `json:"acting_for"`
	At        time.Time `json:"at"`
	Reason    string    `json:"reason"`
	// Recorded is when the record was made, as the application's clock
	// says: the register answers "as known at" a recorded time (AsOf) and
	// a journaled register requires it. Zero means known from the start.
	Recorded time.Time `json:"recorded,omitzero"`
}

// acting is the register's node for an acting-for record. Only end
// changes after creation, under the write lock.
type acting struct {
	ActingFor
	end *ActingEnd
}

// inForce reports whether the record stands at t.
func (a *acting) inForce(t time.Time) bool {
	return a.Window.Contains(t) && (a.end == nil || t.Before(a.end.At))
}

// actingData is the register's acting-for records. Its maps are made on
// first use, so the zero value is ready.
type actingData struct {
	acting      map[uuid.UUID]*acting
	actingOrder []*acting
	actingBy    map[coprod.PartyID][]*acting // by person
	actingEnds  []ActingEnd
}

// ActFor records that a person acts for an organisation. It is refused
// for a malformed record or window (ErrInvalidRecord), a reused ID
// (ErrDuplicateID), unknown parties (ErrUnknownParty), a person who is not
// an individual (ErrNotIndividual), an organisation that is one
// (ErrNotOrganisation), and a person already named in MaxActingPerParty
// records (ErrLimitReached).
func (r *Register) ActFor(a ActingFor) error {
	const kind = "acting-for"
	switch {
	case a.ID == uuid.Nil:
		return refuse(kind, a.ID, ErrInvalidRecord, "nil id")
	case a.Person == uuid.Nil || a.For == uuid.Nil:
		return refuse(kind, a.ID, ErrInvalidRecord, "nil party")
	case !a.Role.Valid():
		return refuse(kind, a.ID, ErrInvalidRecord, "unknown role %q", truncate(string(a.Role)))
	}
	if err := checkWindow(a.Window); err != nil {
		return refuse(kind, a.ID, ErrInvalidRecord, "%v", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.init()
	if r.idTaken(a.ID) {
		return refuse(kind, a.ID, ErrDuplicateID, "id already used")
	}
	person, ok := r.parties[a.Person]
	if !ok {
		return refuse(kind, a.ID, ErrUnknownParty, "person %s is not in the register", a.Person)
	}
	org, ok := r.parties[a.For]
	if !ok {
		return refuse(kind, a.ID, ErrUnknownParty, "organisation %s is not in the register", a.For)
	}
	if person.Sector != coprod.Individual {
		return refuse(kind, a.ID, ErrNotIndividual, "%s is a %s, not an individual", person.Name, person.Sector)
	}
	if org.Sector == coprod.Individual {
		return refuse(kind, a.ID, ErrNotOrganisation, "%s is an individual; a person acts for an organisation", org.Name)
	}
	if len(r.actingBy[a.Person]) >= MaxActingPerParty {
		return refuse(kind, a.ID, ErrLimitReached, "%s already acts under %d records", person.Name, MaxActingPerParty)
	}
	if err := r.commit(recActingFor, a.ID, a.Recorded, a); err != nil {
		return err
	}
	if r.acting == nil {
		r.acting = make(map[uuid.UUID]*acting)
		r.actingBy = make(map[coprod.PartyID][]*acting)
	}
	n := &acting{ActingFor: a}
	r.acting[a.ID] = n
	r.actingOrder = append(r.actingOrder, n)
	r.actingBy[a.Person] = append(r.actingBy[a.Person], n)
	return nil
}

// EndActing records an acting-for record ending at e.At. An end dated
// before one already recorded brings the end forward; one at or after it
// is refused with ErrAlreadyRevoked, as it would change nothing. An
// unknown record is ErrUnknownActing.
func (r *Register) EndActing(e ActingEnd) error {
	const kind = "acting-end"
	if e.At.IsZero() || !storable(e.At) {
		return refuse(kind, e.ActingFor, ErrInvalidRecord, "zero time, or a year outside 1 to 9999")
	}
	if err := checkText("reason", e.Reason); err != nil {
		return refuse(kind, e.ActingFor, ErrInvalidRecord, "%v", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.acting[e.ActingFor]
	if !ok {
		return refuse(kind, e.ActingFor, ErrUnknownActing, "no acting-for record %s", e.ActingFor)
	}
	if a.end != nil && !e.At.Before(a.end.At) {
		return refuse(kind, e.ActingFor, ErrAlreadyRevoked, "ended from %s", a.end.At.Format(time.RFC3339))
	}
	if err := r.commit(recActingEnd, e.ActingFor, e.Recorded, e); err != nil {
		return err
	}
	r.actingEnds = append(r.actingEnds, e)
	a.end = &e
	return nil
}

// ActingFor yields the acting-for records made when iteration starts, in
// the order recorded. They are copied under the lock and yielded after it
// is released, so the loop body may read or record anything.
func (r *Register) ActingFor() iter.Seq[ActingFor] {
	return func(yield func(ActingFor) bool) {
		r.mu.RLock()
		recs := make([]ActingFor, len(r.actingOrder))
		for i, a := range r.actingOrder {
			recs[i] = a.ActingFor
		}
		r.mu.RUnlock()
		for _, a := range recs {
			if !yield(a) {
				return
			}
		}
	}
}

// ActingEnds returns a copy of the acting-for ends in the order recorded.
func (r *Register) ActingEnds() []ActingEnd {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.actingEnds)
}

// ActsFor returns the first record, in the order recorded, by which person
// acts for org at time at, and whether there is one.
func (r *Register) ActsFor(person, org coprod.PartyID, at time.Time) (ActingFor, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if a := r.actingAt(person, org, at); a != nil {
		return a.ActingFor, true
	}
	return ActingFor{}, false
}

// actingAt returns the first record by which person acts for org at t,
// or nil. The caller holds a lock. It does not allocate.
func (r *Register) actingAt(person, org coprod.PartyID, t time.Time) *acting {
	for _, a := range r.actingBy[person] {
		if a.For == org && a.inForce(t) {
			return a
		}
	}
	return nil
}

// payerCovered reports whether payer's money may be spent on the path
// ending at leaf at time at: the payer holds a link on it, or a holder of
// a link on it (the decider included) acts for the payer then. It returns
// the acting-for record relied on, nil when the payer holds a link. The
// caller holds a lock.
func (r *Register) payerCovered(leaf *link, payer coprod.PartyID, at time.Time) (bool, *acting) {
	if onPath(leaf, payer) {
		return true, nil
	}
	for l := leaf; l != nil; l = l.parent {
		if a := r.actingAt(l.To, payer, at); a != nil {
			return true, a
		}
	}
	return false, nil
}

// actingProof adds to proof, for every payer holding no link on path, the
// acting-for record by which a holder on the path acts for it at t. It
// reports false, naming the payer, when a payer is covered neither way:
// the register changed since the path was proved.
func (r *Register) actingProof(proof *coprod.Proof, path []Link, payers []coprod.PartyID, t time.Time) (coprod.PartyID, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if len(path) == 0 {
		return uuid.Nil, len(payers) == 0
	}
	leaf, ok := r.links[path[len(path)-1].ID]
	if !ok {
		return uuid.Nil, false
	}
	for _, p := range payers {
		ok, a := r.payerCovered(leaf, p, t)
		if !ok {
			return p, false
		}
		if a != nil && !slices.ContainsFunc(proof.Acting, func(x coprod.ProofActing) bool { return x.For == p }) {
			proof.Acting = append(proof.Acting, coprod.ProofActing{ID: a.ID, Person: a.Person, For: a.For})
		}
	}
	return uuid.Nil, true
}

// discretionaryActing checks the payers of a discretionary record: each
// must be the decider or an organisation the decider acts for at t. It
// returns the acting-for records relied on, or the first payer that is
// neither.
func (r *Register) discretionaryActing(decider coprod.PartyID, payers []coprod.PartyID, t time.Time) ([]coprod.ProofActing, coprod.PartyID, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []coprod.ProofActing
	for _, p := range payers {
		if p == decider || slices.ContainsFunc(out, func(x coprod.ProofActing) bool { return x.For == p }) {
			continue
		}
		a := r.actingAt(decider, p, t)
		if a == nil {
			return nil, p, false
		}
		out = append(out, coprod.ProofActing{ID: a.ID, Person: a.Person, For: a.For})
	}
	return out, uuid.Nil, true
}

// Codes of acting-for records the register refuses.
const (
	CodeNotIndividual   Code = "NOT_AN_INDIVIDUAL"
	CodeNotOrganisation Code = "NOT_AN_ORGANISATION"
	CodeUnknownActing   Code = "UNKNOWN_ACTING_FOR"
)

// Sentinel errors of acting-for records.
var (
	// ErrNotIndividual: an acting-for record names as its person a party
	// that is not an individual.
	ErrNotIndividual = coded(CodeNotIndividual, "acting person is not an individual")
	// ErrNotOrganisation: an acting-for record names an individual as the
	// organisation acted for.
	ErrNotOrganisation = coded(CodeNotOrganisation, "acting for an individual, not an organisation")
	// ErrUnknownActing: an acting-for end names no known acting-for
	// record.
	ErrUnknownActing = coded(CodeUnknownActing, "unknown acting-for record")
)
