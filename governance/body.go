package governance

import (
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// MaxMemberships bounds the membership records of one body over its whole
// life, which bounds the work of deciding whether the body has approved a
// request.
const MaxMemberships = 256

// DecisionRule says how many of a body's members must approve for the
// body to decide. Rules are persisted by their code.
type DecisionRule string

// The decision rules the library defines.
const (
	// RuleAny: one eligible member's approval is the body's decision, as
	// when a board delegates to any one of its members.
	RuleAny DecisionRule = "any"
	// RuleMajority: more than half of the eligible members approve.
	RuleMajority DecisionRule = "majority"
	// RuleUnanimity: every eligible member approves.
	RuleUnanimity DecisionRule = "unanimity"
)

// Valid reports whether r is a defined rule.
func (r DecisionRule) Valid() bool {
	switch r {
	case RuleAny, RuleMajority, RuleUnanimity:
		return true
	}
	return false
}

// needed returns how many approvals of eligible members the rule needs.
func (r DecisionRule) needed(eligible int) int {
	switch r {
	case RuleAny:
		return 1
	case RuleMajority:
		return eligible/2 + 1
	}
	return eligible
}

// Body is a collective party: a reference group, a board, a panel or a
// provider alliance. The body is a coprod.Party of its own (Party names
// it), so it can hold a mandate, such as a budget two commissioners pool,
// or a delegation, and be named in activities; who belongs to it is kept
// in Membership records, which change over time without the body
// changing.
//
// A request whose actor is a body is decided by its members: Authorize
// requires Request.Approvers that meet Rule among the members who are
// eligible at the request's time, those with a membership in force then
// who have not recused themselves (a Recusal on an Interest they hold)
// from a scope covering the request's. A recused member counts neither as
// eligible nor as approving. Quorum, if set, is the fewest eligible
// members' approvals any decision needs whatever the rule: with
// recusals, a majority of a shrunken body can be one person, and the
// quorum stops that. The register records no attendance, so approvals are
// the only evidence of who took part, and the quorum counts them.
//
// Nested bodies are one member each: a body that is a member of another
// approves, as any member does, by being listed among the approvers.
type Body struct {
	Party  coprod.PartyID `json:"party"`
	Rule   DecisionRule   `json:"rule"`
	Quorum int            `json:"quorum,omitempty"`
	// Recorded is when the record was made (see Mandate.Recorded).
	Recorded time.Time `json:"recorded,omitzero"`
}

// Membership records Member belonging to Body within Window, a half-open
// [NotBefore, Expires) interval; a zero bound is open on that side. It is
// never edited: a member who joins again has a new record. Two records of
// the same member of the same body may not overlap in time.
type Membership struct {
	ID     uuid.UUID      `json:"id"`
	Body   coprod.PartyID `json:"body"`
	Member coprod.PartyID `json:"member"`
	Window coprod.Window  `json:"window,omitzero"`
	// Recorded is when the record was made (see Mandate.Recorded).
	Recorded time.Time `json:"recorded,omitzero"`
}

// bodyData is the register's part for collective bodies and the
// recusals indexed by the holder of the interest, which deciding for a
// body needs.
type bodyData struct {
	bodies      map[coprod.PartyID]*bodyState
	bodyOrder   []*bodyState
	memberships map[uuid.UUID]struct{}
	// membershipLog holds every membership in the order recorded; it is
	// append-only and its entries are never rewritten.
	membershipLog []Membership
	// recusedBy lists the recusals of each interest holder.
	recusedBy map[coprod.PartyID][]Recusal
}

// bodyState is one body with its memberships, in the order recorded.
type bodyState struct {
	Body
	members []Membership
}

func (d *bodyData) init() {
	if d.bodies == nil {
		d.bodies = make(map[coprod.PartyID]*bodyState)
		d.memberships = make(map[uuid.UUID]struct{})
		d.recusedBy = make(map[coprod.PartyID][]Recusal)
	}
}

// body returns the body a party is, or nil. It does not allocate.
func (d *bodyData) body(p coprod.PartyID) *bodyState {
	if len(d.bodies) == 0 {
		return nil // no map lookup on the hot path of a register without bodies
	}
	return d.bodies[p]
}

// noteRecusal indexes a recusal by the holder of its interest. The caller
// holds the write lock.
func (d *bodyData) noteRecusal(holder coprod.PartyID, rec Recusal) {
	d.init()
	d.recusedBy[holder] = append(d.recusedBy[holder], rec)
}

func validateBody(b Body) error {
	switch {
	case b.Party == uuid.Nil:
		return fmt.Errorf("nil party")
	case !b.Rule.Valid():
		return fmt.Errorf("unknown decision rule %.40q", string(b.Rule))
	case b.Quorum < 0 || b.Quorum > MaxRoleParties:
		return fmt.Errorf("quorum %d outside 0..%d", b.Quorum, MaxRoleParties)
	}
	return nil
}

// AddBody records that a party of the register is a collective body
// deciding by b.Rule. It is refused for an unknown party
// (ErrUnknownParty), a party already recorded as a body (ErrDuplicateID),
// an undefined rule or a quorum outside 0 to MaxRoleParties
// (ErrInvalidRecord).
func (r *Register) AddBody(b Body) error {
	if err := validateBody(b); err != nil {
		return refuseCause("body", b.Party, ErrInvalidRecord, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.init()
	r.bodies.init()
	if _, ok := r.parties[b.Party]; !ok {
		return refuse("body", b.Party, ErrUnknownParty, "party %s is not in the register", b.Party)
	}
	if r.bodies.bodies[b.Party] != nil {
		return refuse("body", b.Party, ErrDuplicateID, "party %s is already a body", b.Party)
	}
	if err := r.commit(recBody, b.Party, b.Recorded, b); err != nil {
		return err
	}
	s := &bodyState{Body: b}
	r.bodies.bodies[b.Party] = s
	r.bodies.bodyOrder = append(r.bodies.bodyOrder, s)
	return nil
}

// Join records a membership. It is refused for a nil ID or an invalid
// window (ErrInvalidRecord), a body that is no body of the register
// (ErrUnknownBody), a member who is not a party of the register
// (ErrUnknownParty), a body as its own member (ErrSelfMembership), an ID
// already used (ErrDuplicateID), a membership overlapping another of the
// same member in the same body (ErrDuplicateMembership), and more than
// MaxMemberships records for one body (ErrLimitReached).
func (r *Register) Join(m Membership) error {
	const kind = "membership"
	switch {
	case m.ID == uuid.Nil:
		return refuse(kind, m.ID, ErrInvalidRecord, "nil id")
	case m.Body == uuid.Nil || m.Member == uuid.Nil:
		return refuse(kind, m.ID, ErrInvalidRecord, "nil body or member")
	case m.Body == m.Member:
		return refuse(kind, m.ID, ErrSelfMembership, "body %s cannot be a member of itself", m.Body)
	}
	if err := checkWindow(m.Window); err != nil {
		return refuseCause(kind, m.ID, ErrInvalidRecord, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.init()
	r.bodies.init()
	if r.idTaken(m.ID) {
		return refuse(kind, m.ID, ErrDuplicateID, "id already used")
	}
	b := r.bodies.bodies[m.Body]
	if b == nil {
		return refuse(kind, m.ID, ErrUnknownBody, "%s is no body of the register", m.Body)
	}
	if _, ok := r.parties[m.Member]; !ok {
		return refuse(kind, m.ID, ErrUnknownParty, "member %s is not a party of the register", m.Member)
	}
	if len(b.members) >= MaxMemberships {
		return refuse(kind, m.ID, ErrLimitReached, "body %s already has %d memberships", m.Body, MaxMemberships)
	}
	for _, o := range b.members {
		if o.Member == m.Member {
			if _, overlap := o.Window.Intersect(m.Window); overlap {
				return refuse(kind, m.ID, ErrDuplicateMembership, "%s is already a member of %s within %s (%s)", m.Member, m.Body, o.Window, o.ID)
			}
		}
	}
	if err := r.commit(recMembership, m.ID, m.Recorded, m); err != nil {
		return err
	}
	b.members = append(b.members, m)
	r.bodies.memberships[m.ID] = struct{}{}
	r.bodies.membershipLog = append(r.bodies.membershipLog, m)
	return nil
}

// Body returns the body record of a party, if it is one.
func (r *Register) Body(party coprod.PartyID) (Body, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if b := r.bodies.body(party); b != nil {
		return b.Body, true
	}
	return Body{}, false
}

// Bodies yields the bodies recorded when iteration starts, in the order
// recorded. The loop body runs with no lock held, so it may read or record
// anything.
func (r *Register) Bodies() iter.Seq[Body] {
	return func(yield func(Body) bool) {
		r.mu.RLock()
		list := make([]Body, len(r.bodies.bodyOrder))
		for i, b := range r.bodies.bodyOrder {
			list[i] = b.Body
		}
		r.mu.RUnlock()
		for _, b := range list {
			if !yield(b) {
				return
			}
		}
	}
}

// Memberships yields the memberships recorded when iteration starts, of
// every body, in the order recorded. The loop body runs with no lock
// held, so it may read or record anything.
func (r *Register) Memberships() iter.Seq[Membership] {
	return func(yield func(Membership) bool) {
		r.mu.RLock()
		list := slices.Clone(r.bodies.membershipLog)
		r.mu.RUnlock()
		for _, m := range list {
			if !yield(m) {
				return
			}
		}
	}
}

// Members returns the members of body whose membership is in force at
// time at, in the order their memberships were recorded.
func (r *Register) Members(body coprod.PartyID, at time.Time) []coprod.PartyID {
	r.mu.RLock()
	defer r.mu.RUnlock()
	b := r.bodies.body(body)
	if b == nil {
		return nil
	}
	var out []coprod.PartyID
	for _, m := range b.members {
		if m.Window.Contains(at) {
			out = append(out, m.Member)
		}
	}
	return out
}

// export copies the bodies and memberships for a register document. The
// caller holds a lock.
func (d *bodyData) export() ([]Body, []Membership) {
	var bodies []Body
	for _, b := range d.bodyOrder {
		bodies = append(bodies, b.Body)
	}
	return bodies, slices.Clone(d.membershipLog)
}

// replayBodies records a document's bodies and memberships through the
// same validation as AddBody and Join.
func (r *Register) replayBodies(bodies []Body, memberships []Membership) error {
	for _, b := range bodies {
		if err := r.AddBody(b); err != nil {
			return err
		}
	}
	for _, m := range memberships {
		if err := r.Join(m); err != nil {
			return err
		}
	}
	return nil
}
