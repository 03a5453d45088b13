package governance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Limits on one request and one denial.
const (
	// MaxRequestParties bounds the beneficiaries and the payers of one
	// request.
	MaxRequestParties = 64
	// MaxReasons bounds the reasons a denial lists; Decision.Omitted
	// counts the distinct reasons left out beyond it.
	MaxReasons = 64
)

// Usage reports what has already been spent under a mandate or delegation
// (including under every delegation below it) within period, the span of
// the link's Period that contains the request's time. Authorize calls it
// for each link of a candidate path that has a cumulative limit, never
// while the register's lock is held, and at most once per link and
// request. A ledger serves it: ledger.Ledger keeps these totals itself.
type Usage interface {
	Spent(link uuid.UUID, period coprod.Window) (coprod.Amount, error)
}

// UsageFunc adapts a function to the Usage interface.
type UsageFunc func(link uuid.UUID, period coprod.Window) (coprod.Amount, error)

// Spent calls f.
func (f UsageFunc) Spent(link uuid.UUID, period coprod.Window) (coprod.Amount, error) {
	return f(link, period)
}

// Request asks whether Actor may act in Scope, spending Amount, at a given
// time.
type Request struct {
	Actor coprod.PartyID
	Scope Scope
	// Amount is what the action spends; the zero Amount means no money is
	// involved, and limits do not apply.
	Amount coprod.Amount
	// Beneficiaries are the parties who gain. A requester or approver with
	// a declared interest in one is refused; a requester who is one needs
	// an independent second signatory (no one approves a payment to
	// themselves), and an approver who is one does not count as a
	// signatory.
	Beneficiaries []coprod.PartyID
	// Payers are the parties whose money the action spends. Each must hold
	// a link on the proof path, or be an organisation that a holder of a
	// link on it (the actor included) acts for at the time of the decision
	// (see ActingFor): nobody spends another party's money on authority
	// that party never gave.
	Payers []coprod.PartyID
	// Approvers are co-signatories. Above a joint-authorisation threshold,
	// and for a payment to the requester, at least one must be authorised
	// for the request in their own right, independently of the requester:
	// by a path on which the requester holds no link. When the actor is a
	// collective Body, the approvers among its eligible members must also
	// meet its decision rule (see Body).
	Approvers []coprod.PartyID
	// Via, if set, requires the proof path to end in this mandate or
	// delegation: the instrument the action claims to be made under.
	Via uuid.UUID
	// Effective, if set, is a second instant at which every link of the
	// path must be in force: when a back-dated or future-dated record
	// takes effect. Authorize's own time argument is when the decision is
	// recorded.
	Effective time.Time
	// Location is where the calendar periods of cumulative limits begin
	// and end (a UK financial year starts at midnight London time); nil
	// means UTC.
	Location *time.Location
	// Usage supplies spending so far, for cumulative limits. A path with a
	// cumulative limit is refused with USAGE_UNAVAILABLE when it is nil.
	Usage Usage

	// capsElsewhere is set by Permit: the ledger enforces cumulative
	// limits itself, under its own lock, as it commits.
	capsElsewhere bool
}

// Authority is the effective authority a proof path confers: the leaf's
// scope, the lowest of each limit along the path, and the intersection of
// the windows. Zero limits mean none applies.
type Authority struct {
	Scope            Scope         `json:"scope"`
	TransactionLimit coprod.Amount `json:"transaction_limit"`
	CumulativeLimit  coprod.Amount `json:"cumulative_limit"`
	JointThreshold   coprod.Amount `json:"joint_threshold"`
	Window           coprod.Window `json:"window,omitzero"`
}

// Reason is one reason for a denial: its code, the link that broke
// (uuid.Nil when the fault is in the request itself), the party concerned
// where it is an approver, and one line for people.
type Reason struct {
	Code    Code           `json:"code"`
	Link    uuid.UUID      `json:"link,omitzero"`
	Party   coprod.PartyID `json:"party,omitzero"`
	Message string         `json:"message"`
}

// Err returns the sentinel error for the reason's code.
func (r Reason) Err() error { return sentinelFor(r.Code) }

// Decision is the answer to a Request.
//
// On allow, Path is the proof path from the root mandate to the actor's
// link and Effective is the authority it confers. On deny, Reasons lists
// every distinct reason found (by code, link and party), on every path the
// actor holds, up to MaxReasons, with Omitted counting the rest; Path is
// the nearest path: the one that failed for the fewest reasons, i.e. the
// one that would have worked had those reasons not held (nil when the
// actor holds nothing in the scope).
type Decision struct {
	Allowed   bool      `json:"allowed"`
	Path      []Link    `json:"path,omitempty"`
	Effective Authority `json:"effective,omitzero"`
	Reasons   []Reason  `json:"reasons,omitempty"`
	Omitted   int       `json:"omitted,omitempty"`
}

// Err returns nil for an allowed decision and a *DeniedError otherwise.
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	return &DeniedError{Reasons: d.Reasons, Omitted: d.Omitted}
}

// DeniedError carries the reasons of a denial. It matches ErrDenied and
// the sentinel of every reason with errors.Is.
type DeniedError struct {
	Reasons []Reason
	Omitted int
}

func (e *DeniedError) Error() string {
	var b strings.Builder
	b.WriteString("governance: denied")
	for i, r := range e.Reasons {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(string(r.Code))
		b.WriteString(": ")
		b.WriteString(r.Message)
	}
	if e.Omitted > 0 {
		fmt.Fprintf(&b, "; and %d more", e.Omitted)
	}
	return b.String()
}

// Unwrap returns ErrDenied and each reason's sentinel.
func (e *DeniedError) Unwrap() []error {
	errs := []error{ErrDenied}
	for _, r := range e.Reasons {
		if s := r.Err(); s != nil {
			errs = append(errs, s)
		}
	}
	return errs
}

func validateRequest(req *Request) (Reason, bool) {
	bad := func(format string, args ...any) (Reason, bool) {
		return Reason{Code: CodeInvalidRequest, Message: fmt.Sprintf(format, args...)}, false
	}
	switch {
	case req.Actor == uuid.Nil:
		return bad("no actor")
	case !req.Scope.Valid():
		return bad("invalid scope %q", truncate(string(req.Scope)))
	case req.Amount.IsNegative():
		return bad("negative amount %s", req.Amount)
	case len(req.Approvers) > MaxApprovers:
		return bad("more than %d approvers", MaxApprovers)
	case len(req.Beneficiaries) > MaxRequestParties || len(req.Payers) > MaxRequestParties:
		return bad("more than %d beneficiaries or payers", MaxRequestParties)
	}
	return Reason{}, true
}

// truncate shortens hostile input before it goes into a message.
func truncate(s string) string {
	const n = 64
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Authorize decides whether req is within authority at time at, the time
// the decision is recorded, and proves or refutes it.
//
// A path is valid when every link on it, from the actor's mandate or
// delegation up to the root mandate, is in its window at at (and at
// req.Effective, if set), is not revoked by then, has not had the
// requested scope reassumed, admits the amount under its transaction limit
// and, given req.Usage, under its cumulative limit for the period
// containing at; a delegated path never reaches a reserved matter, nor
// passes the threshold of a matter reserved above an amount
// (RESERVED_ABOVE_THRESHOLD: only the mandate's holder, on a path of the
// mandate alone, acts above it; Reservation says what the amount is
// compared with), and every payer holds a link on it (or is an
// organisation a holder of one acts for at at). An amount in another unit than a limit
// or threshold on the path is refused (UNIT_MISMATCH): every comparison
// that cannot be made denies. Revoking or expiring a link breaks only the
// paths through it: another valid path still authorises.
//
// Above a joint-authorisation threshold, and when the actor is a
// beneficiary, an independent second signatory must be among the
// approvers: one authorised alone, by a path on which the actor holds no
// link, who is not a beneficiary. Self-approval, a duplicated signatory
// and a declared interest in a beneficiary are refused whatever the path.
//
// When the actor holds several valid paths, the shortest proves the
// request, and among equals the first recorded. An allowed request
// allocates only the proof path. req.Usage is called without the
// register's lock held, once per capped link.
func (r *Register) Authorize(req Request, at time.Time) Decision {
	if reason, ok := validateRequest(&req); !ok {
		return Decision{Reasons: []Reason{reason}}
	}
	e := evaluation{r: r, req: &req, at: at}
	r.mu.RLock()
	d, needUsage := e.allow()
	r.mu.RUnlock()
	if d.Allowed {
		return d
	}
	var usage map[uuid.UUID]spent
	if req.Usage != nil && req.Amount.IsSet() && !req.capsElsewhere {
		// Some path has a cumulative limit: find what was spent without
		// holding the lock, then decide again with the answers.
		r.mu.RLock()
		links := e.cappedLinks()
		r.mu.RUnlock()
		usage = fetchUsage(&req, at, links)
		e.usage = usage
		if needUsage {
			r.mu.RLock()
			d, _ = e.allow()
			r.mu.RUnlock()
			if d.Allowed {
				return d
			}
		}
	}
	// A denial allocates freely; its own copy keeps the request of an
	// allowed call on the stack.
	dreq := req
	de := evaluation{r: r, req: &dreq, at: at, usage: usage}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return de.deny()
}

// spent is one answer from the caller's Usage.
type spent struct {
	amount coprod.Amount
	err    error
}

// fetchUsage asks the caller's Usage about each capped link once. It runs
// without the register's lock; the links' limits and periods never change
// after creation, so reading them needs none.
func fetchUsage(req *Request, at time.Time, links []*link) map[uuid.UUID]spent {
	out := make(map[uuid.UUID]spent, len(links))
	for _, l := range links {
		a, err := req.Usage.Spent(l.ID, l.period.Span(at, l.window, req.Location))
		out[l.ID] = spent{a, err}
	}
	return out
}

// evaluation is one Authorize call's working state. Each party's own
// authority is worked out at most once.
type evaluation struct {
	r     *Register
	req   *Request
	at    time.Time
	usage map[uuid.UUID]spent // nil until fetched

	cosignDone bool
	cosign     bool
}

// allow looks for a valid path, allocation-free but for the proof path.
// It reports whether some path failed only for want of usage figures.
func (e *evaluation) allow() (Decision, bool) {
	r, req := e.r, e.req
	if !r.requestFaults(req, e.at, nil) {
		return Decision{}, false
	}
	selfPay := slices.Contains(req.Beneficiaries, req.Actor)
	needUsage := false
	for _, l := range r.held[req.Actor] {
		if !l.Scope.Covers(req.Scope) || (req.Via != uuid.Nil && l.ID != req.Via) {
			continue
		}
		ok, joint, wait := e.pathOK(l, uuid.Nil)
		needUsage = needUsage || wait
		if ok && ((!joint && !selfPay) || e.cosigned()) {
			return Decision{Allowed: true, Path: proofPath(l), Effective: l.eff}, false
		}
	}
	return Decision{}, needUsage && e.usage == nil
}

// cappedLinks lists the links with cumulative limits on every path the
// actor and the approvers hold in the scope.
func (e *evaluation) cappedLinks() []*link {
	var out []*link
	seen := make(map[*link]bool)
	for _, p := range append([]coprod.PartyID{e.req.Actor}, e.req.Approvers...) {
		for _, leaf := range e.r.held[p] {
			if !leaf.Scope.Covers(e.req.Scope) {
				continue
			}
			// Paths share ancestors: stop where an earlier walk passed.
			for l := leaf; l != nil && !seen[l]; l = l.parent {
				seen[l] = true
				if l.cum.IsSet() {
					out = append(out, l)
				}
			}
		}
	}
	return out
}

// requestFaults checks what is wrong with a request whatever the path:
// conflicts of interest, self-approval, duplicate signatories, a body's
// decision rule not met (collective.go). It reports
// whether the request is free of them; with out non-nil it adds every
// fault.
func (r *Register) requestFaults(req *Request, at time.Time, out *reasonSet) bool {
	ok := true
	add := func(reason Reason) {
		ok = false
		if out != nil {
			out.add(reason)
		}
	}
	for _, b := range req.Beneficiaries {
		if in := r.interestIn(req.Actor, b, at); in != nil {
			add(Reason{Code: CodeConflictOfInterest, Party: req.Actor,
				Message: fmt.Sprintf("requester declared a %s interest in beneficiary %s (%s)", in.Category, r.partyName(b), in.ID)})
		}
		if !ok && out == nil {
			return false
		}
	}
	for i, a := range req.Approvers {
		switch {
		case a == req.Actor:
			add(Reason{Code: CodeSelfApproval, Party: a, Message: "the requester cannot approve their own request"})
		case indexOf(req.Approvers[:i], a) >= 0:
			add(Reason{Code: CodeDuplicateSignatory, Party: a, Message: "the same person cannot sign twice"})
		default:
			for _, b := range req.Beneficiaries {
				if in := r.interestIn(a, b, at); in != nil {
					add(Reason{Code: CodeApproverConflict, Party: a,
						Message: fmt.Sprintf("approver declared a %s interest in beneficiary %s (%s)", in.Category, r.partyName(b), in.ID)})
				}
			}
		}
		if !ok && out == nil {
			return false
		}
	}
	if reason, met := r.collectiveFault(req, at, out != nil); !met {
		add(reason)
	}
	return ok
}

func indexOf(ids []coprod.PartyID, id coprod.PartyID) int {
	for i, v := range ids {
		if v == id {
			return i
		}
	}
	return -1
}

// interestIn returns an interest holder declared in party by at, if any.
func (r *Register) interestIn(holder, party coprod.PartyID, at time.Time) *Interest {
	for _, in := range r.interestsHolder[holder] {
		if in.In == party && !in.Declared.After(at) {
			return in
		}
	}
	return nil
}

// inForce reports whether l itself is unrevoked and has not had scope
// reassumed at t.
func (l *link) inForce(t time.Time, scope Scope) bool {
	if l.revoked != nil && !t.Before(l.revoked.At) {
		return false
	}
	for i := range l.reassumed {
		if ra := &l.reassumed[i]; !t.Before(ra.At) && ra.Scope.Overlaps(scope) {
			return false
		}
	}
	return true
}

// exceeds compares an amount with an optional limit, failing closed: an
// amount in another unit exceeds every limit.
func exceeds(amount, limit coprod.Amount) bool {
	if !limit.IsSet() {
		return false
	}
	c, err := amount.Cmp(limit)
	return err != nil || c > 0
}

// pathOK is the allocation-free check behind an allowed request. The
// register only holds children no wider than their parents, so the leaf's
// effective authority (precomputed at creation) stands for every link's
// window, transaction limit and joint threshold; only what can change after
// creation (revocations, reassumptions) and what depends on the request
// (usage, payers) is checked link by link. It must agree with pathReasons,
// which names the link that broke; a test holds them together.
//
// It reports whether the amount is above a joint threshold, and whether
// the path failed only for want of usage figures not yet fetched. With
// excluded set, a path on which that party holds a link is invalid: the
// test of a signatory's independence.
func (e *evaluation) pathOK(leaf *link, excluded coprod.PartyID) (ok, joint, wait bool) {
	req, at := e.req, e.at
	eff := &leaf.eff
	if !eff.Window.Contains(at) || (!req.Effective.IsZero() && !eff.Window.Contains(req.Effective)) {
		return false, false, false
	}
	amount := req.Amount
	if amount.IsSet() {
		if exceeds(amount, eff.TransactionLimit) {
			return false, false, false
		}
		if eff.JointThreshold.IsSet() {
			c, err := amount.Cmp(eff.JointThreshold)
			if err != nil {
				return false, false, false
			}
			joint = c > 0
		}
		if eff.CumulativeLimit.IsSet() && eff.CumulativeLimit.Unit() != amount.Unit() {
			return false, false, false
		}
	}
	payers := 0
	twice := !req.Effective.IsZero()
	exclude := excluded != uuid.Nil
	countPayers := len(req.Payers) > 0
	capped := amount.IsSet() && !req.capsElsewhere
	for l := leaf; l != nil; l = l.parent {
		if (l.revoked != nil || len(l.reassumed) > 0) &&
			(!l.inForce(at, req.Scope) || (twice && !l.inForce(req.Effective, req.Scope))) {
			return false, false, false
		}
		if exclude && l.To == excluded {
			return false, false, false
		}
		if countPayers && slices.Contains(req.Payers, l.To) {
			payers++
		}
		if capped && l.cum.IsSet() {
			if req.Usage == nil {
				return false, false, false
			}
			if e.usage == nil {
				wait = true
				continue
			}
			if !e.cumulativeOK(l, nil) {
				return false, false, false
			}
		}
	}
	if wait {
		return false, false, true
	}
	if payers < len(req.Payers) && !e.payersOnPath(leaf) {
		return false, false, false
	}
	if leaf.depth > 1 {
		for _, res := range leaf.root.reserved {
			if res.Overlaps(req.Scope) {
				return false, false, false
			}
		}
		if aboveReserved(leaf.root, req.Scope, amount) {
			return false, false, false
		}
	}
	return true, joint, false
}

// payersOnPath reports whether every payer holds a link on the path, or
// is an organisation a holder on it acts for at the recorded time; the
// count in pathOK is only a fast pre-check (a party may hold two links).
func (e *evaluation) payersOnPath(leaf *link) bool {
	for _, p := range e.req.Payers {
		if ok, _ := e.r.payerCovered(leaf, p, e.at); !ok {
			return false
		}
	}
	return true
}

func onPath(leaf *link, party coprod.PartyID) bool {
	for l := leaf; l != nil; l = l.parent {
		if l.To == party {
			return true
		}
	}
	return false
}

// pathReasons checks every link from leaf up to its root mandate and
// adds a reason for every fault, naming the link. It returns the link
// nearest the leaf whose joint-authorisation threshold the amount exceeds,
// if any.
func (e *evaluation) pathReasons(leaf *link, out *reasonSet) (joint *link) {
	req, at := e.req, e.at
	fail := func(l *link, code Code, format string, args ...any) {
		out.add(Reason{Code: code, Link: l.ID, Message: fmt.Sprintf(format, args...)})
	}
	amount := req.Amount
	instants := []time.Time{at}
	if !req.Effective.IsZero() && !req.Effective.Equal(at) {
		instants = append(instants, req.Effective)
	}
	for l := leaf; l != nil; l = l.parent {
		for _, t := range instants {
			if l.revoked != nil && !t.Before(l.revoked.At) {
				fail(l, CodeRevoked, "%s %s revoked at %s: %s", l.Kind, l.ID, l.revoked.At.Format(time.RFC3339), l.revoked.Reason)
			}
			for i := range l.reassumed {
				ra := &l.reassumed[i]
				if !t.Before(ra.At) && ra.Scope.Overlaps(req.Scope) {
					fail(l, CodeReassumed, "%s reassumed by the delegator at %s", ra.Scope, ra.At.Format(time.RFC3339))
				}
			}
			if !l.window.NotBefore.IsZero() && t.Before(l.window.NotBefore) {
				fail(l, CodeNotYetValid, "%s %s valid from %s", l.Kind, l.ID, l.window.NotBefore.Format(time.RFC3339))
			}
			if l.window.Expired(t) {
				fail(l, CodeExpired, "%s %s expired at %s", l.Kind, l.ID, l.window.Expires.Format(time.RFC3339))
			}
		}
		if l.Kind == KindMandate && leaf != l {
			for _, res := range l.reserved {
				if res.Overlaps(req.Scope) {
					fail(l, CodeReservedMatter, "%s is reserved to the holder of mandate %s", res, l.ID)
				}
			}
			e.reservationReasons(l, out)
		}
		if !amount.IsSet() {
			continue
		}
		for _, lim := range [...]struct {
			limit coprod.Amount
			what  string
		}{{l.tx, "transaction limit"}, {l.cum, "cumulative limit"}, {l.joint, "joint-authorisation threshold"}} {
			if lim.limit.IsSet() && lim.limit.Unit() != amount.Unit() {
				fail(l, CodeUnitMismatch, "amount in %s, %s of %s %s in %s", amount.Unit(), lim.what, l.Kind, l.ID, lim.limit.Unit())
			}
		}
		if exceeds(amount, l.tx) && l.tx.Unit() == amount.Unit() {
			fail(l, CodeOverLimit, "%s is above the transaction limit %s of %s %s", amount, l.tx, l.Kind, l.ID)
		}
		if l.cum.IsSet() && l.cum.Unit() == amount.Unit() && !req.capsElsewhere {
			e.cumulativeOK(l, out)
		}
		if l.joint.IsSet() && joint == nil && l.joint.Unit() == amount.Unit() {
			if c, _ := amount.Cmp(l.joint); c > 0 {
				joint = l
			}
		}
	}
	for _, p := range req.Payers {
		if ok, _ := e.r.payerCovered(leaf, p, at); !ok {
			out.add(Reason{Code: CodeForeignAccount, Link: leaf.ID, Party: p,
				Message: fmt.Sprintf("the money is %s's, who holds no link on the path through %s %s and whom no holder on it acts for", e.r.partyName(p), leaf.Kind, leaf.ID)})
		}
	}
	return joint
}

// cumulativeOK checks l's cumulative limit against the usage fetched for
// it. With out non-nil it adds the reason.
func (e *evaluation) cumulativeOK(l *link, out *reasonSet) bool {
	req := e.req
	fail := func(code Code, format string, args ...any) bool {
		if out != nil {
			out.add(Reason{Code: code, Link: l.ID, Message: fmt.Sprintf(format, args...)})
		}
		return false
	}
	if req.Usage == nil {
		return fail(CodeUsageUnavailable, "%s %s has a cumulative limit of %s and the request supplies no usage", l.Kind, l.ID, l.cum)
	}
	u, ok := e.usage[l.ID]
	if !ok {
		return fail(CodeUsageUnavailable, "no usage figure for %s %s", l.Kind, l.ID)
	}
	if u.err != nil {
		return fail(CodeUsageUnavailable, "usage of %s %s: %v", l.Kind, l.ID, u.err)
	}
	total, err := u.amount.Add(req.Amount)
	if err != nil {
		return fail(CodeUnitMismatch, "usage in %s, amount in %s", u.amount.Unit(), req.Amount.Unit())
	}
	if c, err := total.Cmp(l.cum); err != nil {
		return fail(CodeUnitMismatch, "amount in %s, cumulative limit in %s", total.Unit(), l.cum.Unit())
	} else if c > 0 {
		return fail(CodeOverCumulative, "%s already spent in %s plus %s passes the cumulative limit %s of %s %s",
			u.amount, l.period.Span(e.at, l.window, req.Location), req.Amount, l.cum, l.Kind, l.ID)
	}
	return true
}

// cosigned reports, working it out once, whether an independent second
// signatory approved: an approver other than the actor, not a
// beneficiary, authorised alone by a path on which the actor holds no
// link.
func (e *evaluation) cosigned() bool {
	if !e.cosignDone {
		e.cosignDone = true
		for _, a := range e.req.Approvers {
			if e.independent(a) {
				e.cosign = true
				break
			}
		}
	}
	return e.cosign
}

// independent reports whether approver a counts as a second signatory.
func (e *evaluation) independent(a coprod.PartyID) bool {
	if a == e.req.Actor || slices.Contains(e.req.Beneficiaries, a) {
		return false
	}
	for _, l := range e.r.held[a] {
		if !l.Scope.Covers(e.req.Scope) {
			continue
		}
		if ok, _, _ := e.pathOK(l, e.req.Actor); ok {
			return true
		}
	}
	return false
}

func proofPath(leaf *link) []Link {
	path := make([]Link, leaf.depth)
	for l := leaf; l != nil; l = l.parent {
		path[l.depth-1] = l.Link
	}
	return path
}

// effective computes a link's effective authority from its parent's: the
// lowest of each limit and the intersection of the windows.
func effective(l *link) Authority {
	a := Authority{Scope: l.Scope, TransactionLimit: l.tx, CumulativeLimit: l.cum, JointThreshold: l.joint, Window: l.window}
	if p := l.parent; p != nil {
		a.TransactionLimit = lower(a.TransactionLimit, p.eff.TransactionLimit)
		a.CumulativeLimit = lower(a.CumulativeLimit, p.eff.CumulativeLimit)
		a.JointThreshold = lower(a.JointThreshold, p.eff.JointThreshold)
		if w, ok := a.Window.Intersect(p.eff.Window); ok {
			a.Window = w
		}
	}
	return a
}

// lower returns the lower of two optional amounts; an unset one is no
// limit.
func lower(a, b coprod.Amount) coprod.Amount {
	if !a.IsSet() {
		return b
	}
	if !b.IsSet() {
		return a
	}
	if c, err := b.Cmp(a); err == nil && c < 0 {
		return b
	}
	return a
}

// reasonSet collects distinct reasons (by code, link and party) up to
// MaxReasons and counts the distinct ones left out. An uncapped set holds
// one path's reasons, all of them.
type reasonSet struct {
	list     []Reason
	seen     map[reasonKey]struct{}
	omitted  int
	uncapped bool
}

type reasonKey struct {
	code  Code
	link  uuid.UUID
	party coprod.PartyID
}

func (s *reasonSet) add(r Reason) {
	k := reasonKey{r.Code, r.Link, r.Party}
	if s.uncapped {
		// One path's reasons: few, so a scan beats a map.
		for _, x := range s.list {
			if x.Code == r.Code && x.Link == r.Link && x.Party == r.Party {
				return
			}
		}
		s.list = append(s.list, r)
		return
	}
	if s.seen == nil {
		s.seen = make(map[reasonKey]struct{})
	}
	if _, dup := s.seen[k]; dup {
		return
	}
	s.seen[k] = struct{}{}
	if len(s.list) < MaxReasons {
		s.list = append(s.list, r)
	} else {
		s.omitted++
	}
}

// deny examines every path the actor holds, collecting every distinct
// reason, and picks the nearest one. Its cost is in proportion to the
// paths of the actor and of each approver times their depth.
func (e *evaluation) deny() Decision {
	r, req := e.r, e.req
	var reasons reasonSet
	r.requestFaults(req, e.at, &reasons)
	var best *link
	bestN := 0
	covering := 0
	selfPay := slices.Contains(req.Beneficiaries, req.Actor)
	var independent []bool // per approver, worked out once when needed
	for _, l := range r.held[req.Actor] {
		if !l.Scope.Covers(req.Scope) {
			continue
		}
		covering++
		own := reasonSet{uncapped: true}
		if req.Via != uuid.Nil && l.ID != req.Via {
			own.add(Reason{Code: CodeNotInstrument, Link: l.ID,
				Message: fmt.Sprintf("%s %s is not the named instrument %s", l.Kind, l.ID, req.Via)})
		}
		joint := e.pathReasons(l, &own)
		if (joint != nil || selfPay) && !e.cosigned() {
			if joint != nil {
				own.add(Reason{Code: CodeJointRequired, Link: joint.ID,
					Message: fmt.Sprintf("%s is above the joint-authorisation threshold %s of %s %s: an independent second signatory must approve",
						req.Amount, joint.joint, joint.Kind, joint.ID)})
			}
			if selfPay {
				own.add(Reason{Code: CodeSelfPayment, Party: req.Actor,
					Message: "the requester gains from the payment: an independent second signatory must approve"})
			}
			if independent == nil {
				independent = make([]bool, len(req.Approvers))
				for i, p := range req.Approvers {
					independent[i] = e.independent(p)
				}
			}
			for i, p := range req.Approvers {
				switch {
				case p == req.Actor || independent[i]:
				case slices.Contains(req.Beneficiaries, p):
					own.add(Reason{Code: CodeSelfPayment, Party: p, Message: "an approver who gains from the payment does not count as a signatory"})
				default:
					own.add(Reason{Code: CodeApproverNoAuthority, Party: p,
						Message: "approver holds no authority for this request in their own right, independently of the requester"})
				}
			}
		}
		n := len(own.list)
		for _, x := range own.list {
			reasons.add(x)
		}
		if best == nil || n < bestN || (n == bestN && (l.depth < best.depth || (l.depth == best.depth && l.seq < best.seq))) {
			best, bestN = l, n
		}
	}
	d := Decision{}
	if covering == 0 {
		reasons.add(Reason{Code: CodeScopeNotCovered, Party: req.Actor,
			Message: fmt.Sprintf("actor holds no mandate or delegation covering %s", req.Scope)})
		if l := r.closest(req); l != nil {
			d.Path = proofPath(l)
		}
	} else {
		d.Path = proofPath(best)
	}
	if len(reasons.list) == 0 {
		// Every path is sound yet none allowed: the register changed
		// between the looks, or usage figures were missing.
		reasons.add(Reason{Code: CodeUsageUnavailable, Party: req.Actor, Message: "no path could be confirmed"})
	}
	d.Reasons, d.Omitted = reasons.list, reasons.omitted
	return d
}

// closest returns the link held by the actor whose scope shares the
// longest leading segments with the request, if any.
func (r *Register) closest(req *Request) *link {
	var best *link
	bestN := 0
	for _, l := range r.held[req.Actor] {
		if n := commonSegments(l.Scope, req.Scope); n > bestN {
			best, bestN = l, n
		}
	}
	return best
}

func commonSegments(a, b Scope) int {
	as, bs := a.Segments(), b.Segments()
	n := 0
	for n < len(as) && n < len(bs) && as[n] == bs[n] {
		n++
	}
	return n
}

// Describe renders a proof path for people, one link a line, with party
// names and scopes.
func (r *Register) Describe(path []Link) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	lines := make([]string, len(path))
	for i, l := range path {
		if n, ok := r.links[l.ID]; ok {
			lines[i] = r.describe(n)
		} else {
			lines[i] = fmt.Sprintf("unknown %s %s", l.Kind, l.ID)
		}
	}
	return strings.Join(lines, "\n")
}
