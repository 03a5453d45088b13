package governance

import (
	"fmt"
	"iter"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/journal"
	"github.com/google/uuid"
)

// Register holds a partnership's governance: parties, mandates,
// delegations, revocations and reassumptions, activities with their RACI
// lines, and the register of interests. Records are appended, never edited
// or deleted; corrections are new records that point at what they correct.
//
// Every Add… method validates the record completely before storing it: a
// refused record returns a *RecordError and leaves the register as it was.
//
// The zero Register is empty and ready to use. A Register is safe for
// concurrent use by multiple goroutines; it must not be copied after first
// use.
type Register struct {
	mu   sync.RWMutex
	opts Options
	registerData

	// The journal's state: lines written (or replayed), the last line's
	// hash, the failure that stopped the register, a reused line buffer.
	seq    int
	head   journal.Hash
	failed error
	line   []byte
	// replaying is set while Replay applies lines already in the journal;
	// building while a document or AsOf view is rebuilt.
	replaying, building bool
}

// registerData is everything a Register records, apart from its lock, so
// that a decoded register can replace it in one assignment.
type registerData struct {
	parties    map[coprod.PartyID]coprod.Party
	partyOrder []coprod.PartyID

	links     map[uuid.UUID]*link
	linkOrder []*link
	held      map[coprod.PartyID][]*link

	revocations   []Revocation
	reassumptions []Reassumption

	activities    map[uuid.UUID]int // index into activityLog of the latest revision
	activityOrder []uuid.UUID
	activityLog   []Activity

	interests       map[uuid.UUID]*Interest
	interestOrder   []*Interest
	interestsHolder map[coprod.PartyID][]*Interest
	recusals        []Recusal

	actingData

	// log is every accepted record in the order recorded; lastRecorded
	// the latest recorded time.
	log          []logEntry
	lastRecorded time.Time

	bodies bodyData
}

// link is the register's node for a mandate or a delegation. Its fields
// are fixed at creation except revoked and reassumed, which change only
// under the write lock.
type link struct {
	Link
	Scope    Scope
	seq      int
	parent   *link // nil for a mandate
	root     *link // the mandate at the top; itself for a mandate
	depth    int   // 1 for a mandate
	maySub   bool
	maxDepth int
	tx       coprod.Amount
	cum      coprod.Amount
	period   Period
	joint    coprod.Amount
	window   coprod.Window
	reserved []Scope // root only

	reservedAbove []Reservation // root only

	mandate    *Mandate
	delegation *Delegation

	eff Authority // effective authority of the path ending here

	revoked   *Revocation
	reassumed []Reassumption
	children  []*link
}

// NewRegister returns an empty register. It is the same as new(Register).
func NewRegister() *Register { return new(Register) }

func (r *Register) init() {
	if r.parties == nil {
		r.parties = make(map[coprod.PartyID]coprod.Party)
		r.links = make(map[uuid.UUID]*link)
		r.held = make(map[coprod.PartyID][]*link)
		r.activities = make(map[uuid.UUID]int)
		r.interests = make(map[uuid.UUID]*Interest)
		r.interestsHolder = make(map[coprod.PartyID][]*Interest)
	}
}

// idTaken reports whether id names any record of the register.
func (r *Register) idTaken(id uuid.UUID) bool {
	if _, ok := r.parties[id]; ok {
		return true
	}
	if _, ok := r.links[id]; ok {
		return true
	}
	if _, ok := r.activities[id]; ok {
		return true
	}
	if _, ok := r.acting[id]; ok {
		return true
	}
	if _, ok := r.bodies.memberships[id]; ok {
		return true
	}
	_, ok := r.interests[id]
	return ok
}

// AddParty records a party.
func (r *Register) AddParty(p coprod.Party) error {
	if err := p.Validate(); err != nil {
		return refuseCause("party", p.ID, ErrInvalidRecord, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.init()
	if r.idTaken(p.ID) {
		return refuse("party", p.ID, ErrDuplicateID, "id already used")
	}
	if err := r.commit(recParty, p.ID, time.Time{}, p); err != nil {
		return err
	}
	r.parties[p.ID] = p
	r.partyOrder = append(r.partyOrder, p.ID)
	return nil
}

// Party returns the party with the given ID.
func (r *Register) Party(id coprod.PartyID) (coprod.Party, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, ok := r.parties[id]
	return p, ok
}

// Parties yields the parties recorded when iteration starts, in the
// order they were added. The loop body runs with no lock held, so it may
// read or record anything.
func (r *Register) Parties() iter.Seq[coprod.Party] {
	return func(yield func(coprod.Party) bool) {
		// The map is written under the write lock, so the parties are
		// copied under the read lock, a batch at a time, and yielded
		// after it is released. A party is never changed once added, and
		// partyOrder is append-only, so the batches add up to one
		// snapshot.
		r.mu.RLock()
		order := r.partyOrder
		parties := r.parties
		r.mu.RUnlock()
		var batch [64]coprod.Party
		for len(order) > 0 {
			n := min(len(order), len(batch))
			r.mu.RLock()
			for i, id := range order[:n] {
				batch[i] = parties[id]
			}
			r.mu.RUnlock()
			for _, p := range batch[:n] {
				if !yield(p) {
					return
				}
			}
			order = order[n:]
		}
	}
}

func (r *Register) checkHolding(kind string, id uuid.UUID, holder coprod.PartyID) error {
	if len(r.held[holder]) >= MaxHeldPerParty {
		return refuse(kind, id, ErrLimitReached, "party %s already holds %d mandates and delegations", holder, MaxHeldPerParty)
	}
	return nil
}

// AddMandate records a root authority.
func (r *Register) AddMandate(m Mandate) error {
	if err := validateMandate(m); err != nil {
		return refuseCause("mandate", m.ID, ErrInvalidRecord, err)
	}
	for _, res := range m.Reserved {
		if !m.Scope.Covers(res) {
			return refuse("mandate", m.ID, ErrInvalidRecord, "reserved matter %s lies outside scope %s", res, m.Scope)
		}
	}
	if err := checkReservations(&m); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.init()
	if r.idTaken(m.ID) {
		return refuse("mandate", m.ID, ErrDuplicateID, "id already used")
	}
	if _, ok := r.parties[m.Holder]; !ok {
		return refuse("mandate", m.ID, ErrUnknownParty, "holder %s is not in the register", m.Holder)
	}
	if err := r.checkHolding("mandate", m.ID, m.Holder); err != nil {
		return err
	}
	if err := r.commit(recMandate, m.ID, m.Recorded, cloneMandate(m)); err != nil {
		return err
	}
	m.Reserved = slices.Clone(m.Reserved)
	m.ReservedAbove = slices.Clone(m.ReservedAbove)
	l := &link{
		Link:     Link{Kind: KindMandate, ID: m.ID, To: m.Holder},
		Scope:    m.Scope,
		depth:    1,
		maySub:   m.MaxDepth > 0,
		maxDepth: m.MaxDepth,
		tx:       m.TransactionLimit, cum: m.CumulativeLimit, period: m.Period,
		joint: m.JointThreshold, window: m.Window,
		reserved: m.Reserved,
		mandate:  &m,

		reservedAbove: m.ReservedAbove,
	}
	l.root = l
	r.store(l)
	return nil
}

func validateMandate(m Mandate) error {
	switch {
	case m.ID == uuid.Nil:
		return fmt.Errorf("nil id")
	case m.Holder == uuid.Nil:
		return fmt.Errorf("nil holder")
	case m.MaxDepth < 0 || m.MaxDepth >= MaxChainDepth:
		return fmt.Errorf("max depth %d outside 0..%d", m.MaxDepth, MaxChainDepth-1)
	case len(m.Reserved) > MaxReserved:
		return fmt.Errorf("more than %d reserved matters", MaxReserved)
	}
	if err := checkScope(m.Scope); err != nil {
		return err
	}
	for _, s := range m.Reserved {
		if err := checkScope(s); err != nil {
			return err
		}
	}
	if err := checkText("basis", m.Basis); err != nil {
		return err
	}
	if err := checkLimits(m.TransactionLimit, m.CumulativeLimit, m.JointThreshold, m.Period); err != nil {
		return err
	}
	return checkWindow(m.Window)
}

func (r *Register) store(l *link) {
	l.eff = effective(l)
	l.seq = len(r.linkOrder)
	r.links[l.ID] = l
	r.linkOrder = append(r.linkOrder, l)
	// A holder's links are kept shortest path first, in the order recorded
	// among equals, so Authorize proves with the shortest path and a
	// register decoded from JSON (mandates replayed first) chooses the
	// same one.
	held := r.held[l.To]
	i := len(held)
	for i > 0 && held[i-1].depth > l.depth {
		i--
	}
	r.held[l.To] = slices.Insert(held, i, l)
	if l.parent != nil {
		l.parent.children = append(l.parent.children, l)
	}
}

// Delegate records a delegation. It is refused, with its own code, for
// self-delegation, unknown parties or parent, a delegator that does not
// hold the parent, a reserved matter, anything wider than the parent (scope,
// transaction limit, cumulative limit, joint threshold, window, depth), a
// parent that forbids sub-delegation or has been revoked, and cycles.
func (r *Register) Delegate(d Delegation) error {
	if err := validateDelegation(d); err != nil {
		return refuseCause("delegation", d.ID, ErrInvalidRecord, err)
	}
	if d.From == d.To {
		return refuse("delegation", d.ID, ErrSelfDelegation, "%s delegates to itself", d.From)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.init()
	if r.idTaken(d.ID) {
		return refuse("delegation", d.ID, ErrDuplicateID, "id already used")
	}
	for _, p := range [...]coprod.PartyID{d.From, d.To} {
		if _, ok := r.parties[p]; !ok {
			return refuse("delegation", d.ID, ErrUnknownParty, "party %s is not in the register", p)
		}
	}
	parent, ok := r.links[d.Parent]
	if !ok {
		return refuse("delegation", d.ID, ErrUnknownParent, "parent %s is no mandate or delegation in the register", d.Parent)
	}
	if err := checkChild(d, parent); err != nil {
		return err
	}
	if err := r.checkHolding("delegation", d.ID, d.To); err != nil {
		return err
	}
	if err := r.commit(recDelegation, d.ID, d.Recorded, d); err != nil {
		return err
	}
	r.store(&link{
		Link:     Link{Kind: KindDelegation, ID: d.ID, From: d.From, To: d.To},
		Scope:    d.Scope,
		parent:   parent,
		root:     parent.root,
		depth:    parent.depth + 1,
		maySub:   d.MaySubDelegate,
		maxDepth: d.MaxDepth,
		tx:       d.TransactionLimit, cum: d.CumulativeLimit, period: d.Period,
		joint: d.JointThreshold, window: d.Window,
		delegation: &d,
	})
	return nil
}

func validateDelegation(d Delegation) error {
	switch {
	case d.ID == uuid.Nil:
		return fmt.Errorf("nil id")
	case d.From == uuid.Nil || d.To == uuid.Nil:
		return fmt.Errorf("nil party")
	case d.MaxDepth < 0:
		return fmt.Errorf("negative max depth")
	case d.MaySubDelegate != (d.MaxDepth > 0):
		return fmt.Errorf("may-sub-delegate %t does not fit max depth %d", d.MaySubDelegate, d.MaxDepth)
	}
	if err := checkScope(d.Scope); err != nil {
		return err
	}
	if err := checkText("instrument", d.Instrument); err != nil {
		return err
	}
	if err := checkLimits(d.TransactionLimit, d.CumulativeLimit, d.JointThreshold, d.Period); err != nil {
		return err
	}
	return checkWindow(d.Window)
}

// checkChild enforces that a delegation is no wider than its parent and
// that the chain stays acyclic and within the depth limit.
func checkChild(d Delegation, p *link) error {
	const kind = "delegation"
	if p.To != d.From {
		return refuse(kind, d.ID, ErrNoAuthority, "%s does not hold %s %s (held by %s)", d.From, p.Kind, p.ID, p.To)
	}
	if p.revoked != nil {
		return refuse(kind, d.ID, ErrParentRevoked, "parent %s was revoked at %s", p.ID, p.revoked.At.Format(time.RFC3339))
	}
	if p.Kind == KindDelegation && !p.maySub {
		return refuse(kind, d.ID, ErrSubDelegationForbidden, "parent %s may not be sub-delegated", p.ID)
	}
	if !p.Scope.Covers(d.Scope) {
		return refuse(kind, d.ID, ErrScopeExceedsParent, "scope %s is not inside parent scope %s", d.Scope, p.Scope)
	}
	for _, res := range p.root.reserved {
		if res.Overlaps(d.Scope) {
			return refuse(kind, d.ID, ErrReservedMatter, "scope %s overlaps %s, reserved by mandate %s", d.Scope, res, p.root.ID)
		}
	}
	if err := narrower(kind, d.ID, d.TransactionLimit, p.tx, ErrLimitExceedsParent, "transaction limit"); err != nil {
		return err
	}
	if err := narrower(kind, d.ID, d.CumulativeLimit, p.cum, ErrCumulativeExceedsParent, "cumulative limit"); err != nil {
		return err
	}
	if err := narrower(kind, d.ID, d.JointThreshold, p.joint, ErrJointExceedsParent, "joint-authorisation threshold"); err != nil {
		return err
	}
	if !p.window.Covers(d.Window) {
		return refuse(kind, d.ID, ErrWindowExceedsParent, "window %s is not inside parent window %s", d.Window, p.window)
	}
	if p.maxDepth < 1 || d.MaxDepth > p.maxDepth-1 || p.depth+1 > MaxChainDepth {
		return refuse(kind, d.ID, ErrDepthExceedsParent, "parent leaves %d levels below it; this delegation asks for 1+%d", p.maxDepth, d.MaxDepth)
	}
	for a := p; a != nil; a = a.parent {
		if a.To == d.To || a.From == d.To {
			return refuse(kind, d.ID, ErrCycle, "authority would return to %s, already on the chain at %s", d.To, a.ID)
		}
	}
	return nil
}

// narrower checks that a child's optional amount is set wherever the
// parent's is, in the same unit, and not above it.
func narrower(kind string, id uuid.UUID, child, parent coprod.Amount, sentinel *codedError, what string) error {
	if !parent.IsSet() {
		return nil
	}
	if !child.IsSet() {
		return refuse(kind, id, sentinel, "no %s where the parent has %s", what, parent)
	}
	if child.Unit() != parent.Unit() {
		return refuse(kind, id, ErrUnitMismatch, "%s in %s, parent's in %s", what, child.Unit(), parent.Unit())
	}
	if c, _ := child.Cmp(parent); c > 0 {
		return refuse(kind, id, sentinel, "%s %s is above the parent's %s", what, child, parent)
	}
	return nil
}

// entitled reports whether party may revoke or reassume l: its delegator or
// any holder further up the chain (for a mandate, its holder).
func entitled(l *link, party coprod.PartyID) bool {
	if l.Kind == KindMandate {
		return l.To == party
	}
	for a := l.parent; a != nil; a = a.parent {
		if a.To == party {
			return true
		}
	}
	return false
}

// Revoke records the revocation of a mandate or delegation from rev.At.
// rev.By must be the delegator or a holder further up the chain (for a
// mandate, its holder). A link is revoked from its earliest revocation:
// a revocation dated before one already recorded is accepted and brings
// the end forward (a delegator's revocation dated far ahead must not keep
// a superior from revoking today); one dated at or after it is refused
// with ErrAlreadyRevoked, as it would change nothing.
func (r *Register) Revoke(rev Revocation) error {
	if err := checkText("reason", rev.Reason); err != nil {
		return refuseCause("revocation", rev.Link, ErrInvalidRecord, err)
	}
	if rev.At.IsZero() || !storable(rev.At) {
		return refuse("revocation", rev.Link, ErrInvalidRecord, "zero time, or a year outside 1 to 9999")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.init()
	l, ok := r.links[rev.Link]
	if !ok {
		return refuse("revocation", rev.Link, ErrUnknownLink, "no mandate or delegation %s", rev.Link)
	}
	if !entitled(l, rev.By) {
		return refuse("revocation", rev.Link, ErrNotRevoker, "%s is not the delegator of %s nor above it", rev.By, l.ID)
	}
	if l.revoked != nil && !rev.At.Before(l.revoked.At) {
		return refuse("revocation", rev.Link, ErrAlreadyRevoked, "revoked from %s", l.revoked.At.Format(time.RFC3339))
	}
	if err := r.commit(recRevocation, rev.Link, rev.Recorded, rev); err != nil {
		return err
	}
	r.revocations = append(r.revocations, rev)
	l.revoked = &rev
	return nil
}

// Reassume records the delegator taking back a.Scope (inside the
// delegation's scope) from a.At. Only delegations can be reassumed.
func (r *Register) Reassume(a Reassumption) error {
	if err := checkScope(a.Scope); err != nil {
		return refuseCause("reassumption", a.Link, ErrInvalidRecord, err)
	}
	if err := checkText("reason", a.Reason); err != nil {
		return refuseCause("reassumption", a.Link, ErrInvalidRecord, err)
	}
	if a.At.IsZero() || !storable(a.At) {
		return refuse("reassumption", a.Link, ErrInvalidRecord, "zero time, or a year outside 1 to 9999")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.init()
	l, ok := r.links[a.Link]
	if !ok || l.Kind != KindDelegation {
		return refuse("reassumption", a.Link, ErrUnknownLink, "no delegation %s", a.Link)
	}
	if !entitled(l, a.By) {
		return refuse("reassumption", a.Link, ErrNotRevoker, "%s is not the delegator of %s nor above it", a.By, l.ID)
	}
	if !l.Scope.Covers(a.Scope) {
		return refuse("reassumption", a.Link, ErrScopeExceedsParent, "scope %s is not inside delegated scope %s", a.Scope, l.Scope)
	}
	if err := r.commit(recReassumption, a.Link, a.Recorded, a); err != nil {
		return err
	}
	r.reassumptions = append(r.reassumptions, a)
	l.reassumed = append(l.reassumed, a)
	return nil
}

// Mandates yields every mandate recorded when iteration starts, in the
// order added. The loop body runs with no lock held, so it may read or
// record anything.
func (r *Register) Mandates() iter.Seq[Mandate] {
	return func(yield func(Mandate) bool) {
		for _, l := range r.linkSnapshot() {
			if l.mandate != nil && !yield(cloneMandate(*l.mandate)) {
				return
			}
		}
	}
}

// Delegations yields every delegation recorded when iteration starts, in
// the order added. The loop body runs with no lock held, so it may read
// or record anything.
func (r *Register) Delegations() iter.Seq[Delegation] {
	return func(yield func(Delegation) bool) {
		for _, l := range r.linkSnapshot() {
			if l.delegation != nil && !yield(*l.delegation) {
				return
			}
		}
	}
}

// linkSnapshot returns the mandates and delegations recorded so far, for an
// iterator to read without the lock: linkOrder is append-only, so the
// elements below its captured length are never rewritten, and a link's
// mandate or delegation record is fixed when the link is stored.
func (r *Register) linkSnapshot() []*link {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.linkOrder
}

func cloneMandate(m Mandate) Mandate {
	m.Reserved = slices.Clone(m.Reserved)
	m.ReservedAbove = slices.Clone(m.ReservedAbove)
	return m
}

// Len returns the number of mandates and delegations recorded.
func (r *Register) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.linkOrder)
}

// Revocations returns a copy of the revocations in the order recorded.
func (r *Register) Revocations() []Revocation {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.revocations)
}

// Reassumptions returns a copy of the reassumptions in the order recorded.
func (r *Register) Reassumptions() []Reassumption {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.reassumptions)
}

func (r *Register) checkParties(kind string, id uuid.UUID, ids ...[]coprod.PartyID) error {
	for _, list := range ids {
		if len(list) > MaxRoleParties {
			return refuse(kind, id, ErrLimitReached, "more than %d parties in one role", MaxRoleParties)
		}
		for _, p := range list {
			if _, ok := r.parties[p]; !ok {
				return refuse(kind, id, ErrUnknownParty, "party %s is not in the register", p)
			}
		}
	}
	return nil
}

func validateActivity(a Activity) error {
	if a.ID == uuid.Nil {
		return fmt.Errorf("nil id")
	}
	if a.Name == "" || len(a.Name) > coprod.MaxNameLen {
		return fmt.Errorf("name must be 1 to %d bytes", coprod.MaxNameLen)
	}
	if !utf8.ValidString(a.Name) {
		return fmt.Errorf("name is not valid UTF-8")
	}
	if err := validateCos(a.Cos); err != nil {
		return err
	}
	if err := checkWindow(a.Window); err != nil {
		return err
	}
	return checkScope(a.Scope)
}

func cloneActivity(a Activity) Activity {
	a.Responsible = slices.Clone(a.Responsible)
	a.Accountable = slices.Clone(a.Accountable)
	a.Consulted = slices.Clone(a.Consulted)
	a.Informed = slices.Clone(a.Informed)
	a.Deputies = slices.Clone(a.Deputies)
	a.Cos = slices.Clone(a.Cos)
	return a
}

// AddActivity records an activity and its RACI line. RACI faults (no
// Accountable, several, none Responsible) are accepted and reported by
// Check; unknown parties are refused.
func (r *Register) AddActivity(a Activity) error {
	return r.putActivity(a, false)
}

// ReviseActivity records a new revision of an existing activity's RACI
// line. The earlier revisions are kept and exported; queries and Check see
// the latest.
func (r *Register) ReviseActivity(a Activity) error {
	return r.putActivity(a, true)
}

func (r *Register) putActivity(a Activity, revise bool) error {
	if err := validateActivity(a); err != nil {
		return refuseCause("activity", a.ID, ErrInvalidRecord, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.init()
	_, exists := r.activities[a.ID]
	switch {
	case revise && !exists:
		return refuse("activity", a.ID, ErrUnknownActivity, "no activity %s to revise", a.ID)
	case !revise && r.idTaken(a.ID):
		return refuse("activity", a.ID, ErrDuplicateID, "id already used")
	}
	if err := r.checkParties("activity", a.ID, a.Responsible, a.Accountable, a.Consulted, a.Informed, a.Deputies); err != nil {
		return err
	}
	typ := recActivity
	if revise {
		typ = recRevision
	}
	if err := r.commit(typ, a.ID, a.Recorded, cloneActivity(a)); err != nil {
		return err
	}
	if !exists {
		r.activityOrder = append(r.activityOrder, a.ID)
	}
	r.activities[a.ID] = len(r.activityLog)
	r.activityLog = append(r.activityLog, cloneActivity(a))
	return nil
}

// Activity returns the latest revision of an activity.
func (r *Register) Activity(id uuid.UUID) (Activity, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	i, ok := r.activities[id]
	if !ok {
		return Activity{}, false
	}
	return cloneActivity(r.activityLog[i]), true
}

// Activities yields every activity recorded when iteration starts, at
// its latest revision at that moment, in the order the activities were
// first added. The loop body runs with no lock held, so it may read or
// record anything, revisions included.
func (r *Register) Activities() iter.Seq[Activity] {
	return func(yield func(Activity) bool) {
		// Which revision is the latest changes with every revision, so
		// the indexes are copied under the lock; the log itself is
		// append-only and its entries are never rewritten.
		r.mu.RLock()
		latest := make([]int, len(r.activityOrder))
		for i, id := range r.activityOrder {
			latest[i] = r.activities[id]
		}
		log := r.activityLog
		r.mu.RUnlock()
		for _, i := range latest {
			if !yield(cloneActivity(log[i])) {
				return
			}
		}
	}
}

// Declare records an interest in the register of interests.
func (r *Register) Declare(in Interest) error {
	switch {
	case in.ID == uuid.Nil:
		return refuse("interest", in.ID, ErrInvalidRecord, "nil id")
	case !in.Category.Valid():
		return refuse("interest", in.ID, ErrInvalidRecord, "unknown category %q", string(in.Category))
	case len(in.Touches) > MaxTouches:
		return refuse("interest", in.ID, ErrLimitReached, "touches more than %d scopes", MaxTouches)
	case in.Declared.IsZero() || !storable(in.Declared):
		return refuse("interest", in.ID, ErrInvalidRecord, "zero declaration time")
	case in.Holder == in.In:
		return refuse("interest", in.ID, ErrInvalidRecord, "an interest in oneself")
	}
	if err := checkText("description", in.Description); err != nil {
		return refuseCause("interest", in.ID, ErrInvalidRecord, err)
	}
	for _, s := range in.Touches {
		if err := checkScope(s); err != nil {
			return refuseCause("interest", in.ID, ErrInvalidRecord, err)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.init()
	if r.idTaken(in.ID) {
		return refuse("interest", in.ID, ErrDuplicateID, "id already used")
	}
	if err := r.checkParties("interest", in.ID, []coprod.PartyID{in.Holder, in.In}); err != nil {
		return err
	}
	if err := r.commit(recInterest, in.ID, in.Recorded, cloneInterest(in)); err != nil {
		return err
	}
	in.Touches = slices.Clone(in.Touches)
	p := &in
	r.interests[in.ID] = p
	r.interestOrder = append(r.interestOrder, p)
	r.interestsHolder[in.Holder] = append(r.interestsHolder[in.Holder], p)
	return nil
}

// Interests yields the interests declared when iteration starts, in the
// order declared. The loop body runs with no lock held, so it may read or
// record anything.
func (r *Register) Interests() iter.Seq[Interest] {
	return func(yield func(Interest) bool) {
		// interestOrder is append-only and an interest is never changed
		// once declared.
		r.mu.RLock()
		order := r.interestOrder
		r.mu.RUnlock()
		for _, in := range order {
			v := *in
			v.Touches = slices.Clone(v.Touches)
			if !yield(v) {
				return
			}
		}
	}
}

// Recuse records the holder of an interest stepping out of decisions in
// rec.Scope.
func (r *Register) Recuse(rec Recusal) error {
	if err := checkScope(rec.Scope); err != nil {
		return refuseCause("recusal", rec.Interest, ErrInvalidRecord, err)
	}
	if err := checkText("reason", rec.Reason); err != nil {
		return refuseCause("recusal", rec.Interest, ErrInvalidRecord, err)
	}
	if rec.At.IsZero() || !storable(rec.At) {
		return refuse("recusal", rec.Interest, ErrInvalidRecord, "zero time, or a year outside 1 to 9999")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.init()
	in, ok := r.interests[rec.Interest]
	if !ok {
		return refuse("recusal", rec.Interest, ErrUnknownInterest, "no interest %s", rec.Interest)
	}
	if err := r.commit(recRecusal, rec.Interest, rec.Recorded, rec); err != nil {
		return err
	}
	r.recusals = append(r.recusals, rec)
	r.bodies.noteRecusal(in.Holder, rec)
	return nil
}

// Recusals returns a copy of the recusals in the order recorded.
func (r *Register) Recusals() []Recusal {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.recusals)
}

// stateAt says whether l itself (not its ancestors) is in force at time
// at: "" if it is, otherwise "revoked", "expired" or "not yet valid".
func (l *link) stateAt(at time.Time) string {
	switch {
	case l.revoked != nil && !at.Before(l.revoked.At):
		return "revoked"
	case l.window.Expired(at):
		return "expired"
	case !l.window.Contains(at):
		return "not yet valid"
	}
	return ""
}

// partyName returns a party's name, or its ID if it is unknown.
func (r *Register) partyName(id coprod.PartyID) string {
	if p, ok := r.parties[id]; ok {
		return p.Name
	}
	return id.String()
}

// describe names a link for people: "delegation commission/iapt from Hub
// to Temple" or "mandate commission held by Council".
func (r *Register) describe(l *link) string {
	if l.Kind == KindMandate {
		return fmt.Sprintf("mandate %s held by %s", l.Scope, r.partyName(l.To))
	}
	return fmt.Sprintf("delegation %s from %s to %s", l.Scope, r.partyName(l.From), r.partyName(l.To))
}

func cloneInterest(in Interest) Interest {
	in.Touches = slices.Clone(in.Touches)
	return in
}
