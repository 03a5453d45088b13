package governance

import (
	"fmt"
	"strings"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Usage reports what has already been spent under a mandate or delegation
// (including under every delegation below it) within period. Authorize
// calls it for each link of a path that has a cumulative limit; the
// register never reads spending itself. A ledger can serve it.
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
	// Beneficiary, if set, is the party who gains: a requester or approver
	// with a declared interest in it is refused.
	Beneficiary coprod.PartyID
	// Approvers are co-signatories. Above a joint-authorisation threshold
	// at least one must be authorised for the request in their own right.
	Approvers []coprod.PartyID
	// Via, if set, requires the proof path to end in this mandate or
	// delegation: the instrument the action claims to be made under.
	Via uuid.UUID
	// Usage supplies spending so far, for cumulative limits. A path with a
	// cumulative limit is refused with USAGE_UNAVAILABLE when it is nil.
	Usage Usage
}

// Authority is the effective authority a proof path confers: the leaf's
// scope, the lowest of each limit along the path, and the intersection of
// the windows. Zero limits mean none applies.
type Authority struct {
	Scope            Scope         `json:"scope"`
	TransactionLimit coprod.Amount `json:"transaction_limit,omitzero"`
	CumulativeLimit  coprod.Amount `json:"cumulative_limit,omitzero"`
	JointThreshold   coprod.Amount `json:"joint_threshold,omitzero"`
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
// every reason found, on every path the actor holds, and Path is the
// nearest path: the one that failed for the fewest reasons, i.e. the one
// that would have worked had those reasons not held (nil when the actor
// holds nothing in the scope).
type Decision struct {
	Allowed   bool      `json:"allowed"`
	Path      []Link    `json:"path,omitempty"`
	Effective Authority `json:"effective,omitzero"`
	Reasons   []Reason  `json:"reasons,omitempty"`
}

// Err returns nil for an allowed decision and a *DeniedError otherwise.
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	return &DeniedError{Reasons: d.Reasons}
}

// DeniedError carries the reasons of a denial. It matches ErrDenied and
// the sentinel of every reason with errors.Is.
type DeniedError struct {
	Reasons []Reason
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

func validateRequest(req Request) (Reason, bool) {
	bad := func(format string, args ...any) (Reason, bool) {
		return Reason{Code: CodeInvalidRequest, Message: fmt.Sprintf(format, args...)}, false
	}
	switch {
	case req.Actor == uuid.Nil:
		return bad("no actor")
	case !req.Scope.Valid():
		return bad("invalid scope %q", string(req.Scope))
	case req.Amount.IsNegative():
		return bad("negative amount %s", req.Amount)
	case len(req.Approvers) > MaxApprovers:
		return bad("more than %d approvers", MaxApprovers)
	}
	return Reason{}, true
}

// Authorize decides whether req is within authority at time at, and proves
// or refutes it.
//
// A path is valid when every link on it, from the actor's mandate or
// delegation up to the root mandate, is in its window at at, is not revoked
// by at, has not had the requested scope reassumed, admits the amount under
// its transaction limit and, given req.Usage, under its cumulative limit for
// the current period; a delegated path never reaches a reserved matter.
// Revoking or expiring a link breaks only the paths through it: another
// valid path still authorises. Above a joint-authorisation threshold a
// second signatory authorised in their own right must be among the
// approvers. Self-approval, a duplicated signatory and a declared interest
// in the beneficiary are refused whatever the path.
//
// When the actor holds several valid paths, the shortest proves the
// request, and among equals the first recorded. An allowed request
// allocates only the proof path.
func (r *Register) Authorize(req Request, at time.Time) Decision {
	if reason, ok := validateRequest(req); !ok {
		return Decision{Reasons: []Reason{reason}}
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.requestFaults(&req, at, nil) {
		for _, l := range r.held[req.Actor] {
			if !l.Scope.Covers(req.Scope) || (req.Via != uuid.Nil && l.ID != req.Via) {
				continue
			}
			ok, joint := r.pathOK(l, &req, at)
			if ok && (!joint || r.cosigned(&req, at)) {
				return Decision{Allowed: true, Path: proofPath(l), Effective: l.eff}
			}
		}
	}
	return r.deny(&req, at)
}

// requestFaults checks what is wrong with a request whatever the path:
// conflicts of interest, self-approval, duplicate signatories. It reports
// whether the request is free of them; with out non-nil it appends every
// fault.
func (r *Register) requestFaults(req *Request, at time.Time, out *[]Reason) bool {
	ok := true
	add := func(reason Reason) {
		ok = false
		if out != nil {
			*out = append(*out, reason)
		}
	}
	if req.Beneficiary != uuid.Nil {
		if in := r.interestIn(req.Actor, req.Beneficiary, at); in != nil {
			add(Reason{Code: CodeConflictOfInterest, Party: req.Actor,
				Message: fmt.Sprintf("requester declared a %s interest in the beneficiary (%s)", in.Category, in.ID)})
		}
	}
	for i, a := range req.Approvers {
		switch {
		case a == req.Actor:
			add(Reason{Code: CodeSelfApproval, Party: a, Message: "the requester cannot approve their own request"})
		case indexOf(req.Approvers[:i], a) >= 0:
			add(Reason{Code: CodeDuplicateSignatory, Party: a, Message: "the same person cannot sign twice"})
		case req.Beneficiary != uuid.Nil:
			if in := r.interestIn(a, req.Beneficiary, at); in != nil {
				add(Reason{Code: CodeApproverConflict, Party: a,
					Message: fmt.Sprintf("approver declared a %s interest in the beneficiary (%s)", in.Category, in.ID)})
			}
		}
		if !ok && out == nil {
			return false
		}
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

// pathOK is the allocation-free check behind an allowed request. The
// register only holds children no wider than their parents, so the leaf's
// effective authority (precomputed at creation) stands for every link's
// window, transaction limit and joint threshold; only what can change after
// creation (revocations, reassumptions) and what depends on the caller
// (cumulative usage) is checked link by link. It must agree with
// pathReasons, which names the link that broke; a test holds them together.
// It also reports whether the amount is above a joint threshold.
func (r *Register) pathOK(leaf *link, req *Request, at time.Time) (ok, joint bool) {
	e := &leaf.eff
	if !e.Window.Contains(at) {
		return false, false
	}
	amount := req.Amount
	if amount.IsSet() {
		if e.TransactionLimit.IsSet() {
			if c, err := amount.Cmp(e.TransactionLimit); err != nil || c > 0 {
				return false, false
			}
		}
		if e.JointThreshold.IsSet() {
			c, err := amount.Cmp(e.JointThreshold)
			joint = err == nil && c > 0
		}
	}
	for l := leaf; l != nil; l = l.parent {
		if l.revoked != nil && !at.Before(l.revoked.At) {
			return false, false
		}
		for i := range l.reassumed {
			if ra := &l.reassumed[i]; !at.Before(ra.At) && ra.Scope.Overlaps(req.Scope) {
				return false, false
			}
		}
		if amount.IsSet() && l.cum.IsSet() && !r.cumulativeOK(l, req, at, nil) {
			return false, false
		}
	}
	if leaf.depth > 1 {
		for _, res := range leaf.root.reserved {
			if res.Overlaps(req.Scope) {
				return false, false
			}
		}
	}
	return true, joint
}

// pathReasons checks every link from leaf up to its root mandate and
// appends a reason for every fault, naming the link. It returns the link
// nearest the leaf whose joint-authorisation threshold the amount exceeds,
// if any.
func (r *Register) pathReasons(leaf *link, req *Request, at time.Time, out *[]Reason) (joint *link) {
	fail := func(l *link, code Code, format string, args ...any) {
		*out = append(*out, Reason{Code: code, Link: l.ID, Message: fmt.Sprintf(format, args...)})
	}
	amount := req.Amount
	for l := leaf; l != nil; l = l.parent {
		if l.revoked != nil && !at.Before(l.revoked.At) {
			fail(l, CodeRevoked, "%s %s revoked at %s: %s", l.Kind, l.ID, l.revoked.At.Format(time.RFC3339), l.revoked.Reason)
		}
		for i := range l.reassumed {
			ra := &l.reassumed[i]
			if !at.Before(ra.At) && ra.Scope.Overlaps(req.Scope) {
				fail(l, CodeReassumed, "%s reassumed by the delegator at %s", ra.Scope, ra.At.Format(time.RFC3339))
			}
		}
		if !l.window.NotBefore.IsZero() && at.Before(l.window.NotBefore) {
			fail(l, CodeNotYetValid, "%s %s valid from %s", l.Kind, l.ID, l.window.NotBefore.Format(time.RFC3339))
		}
		if l.window.Expired(at) {
			fail(l, CodeExpired, "%s %s expired at %s", l.Kind, l.ID, l.window.Expires.Format(time.RFC3339))
		}
		if l.Kind == KindMandate && leaf != l {
			for _, res := range l.reserved {
				if res.Overlaps(req.Scope) {
					fail(l, CodeReservedMatter, "%s is reserved to the holder of mandate %s", res, l.ID)
				}
			}
		}
		if !amount.IsSet() {
			continue
		}
		if l.tx.IsSet() {
			if c, err := amount.Cmp(l.tx); err != nil {
				fail(l, CodeUnitMismatch, "amount in %s, transaction limit in %s", amount.Unit(), l.tx.Unit())
			} else if c > 0 {
				fail(l, CodeOverLimit, "%s is above the transaction limit %s of %s %s", amount, l.tx, l.Kind, l.ID)
			}
		}
		if l.cum.IsSet() {
			r.cumulativeOK(l, req, at, out)
		}
		if l.joint.IsSet() && joint == nil {
			if c, err := amount.Cmp(l.joint); err == nil && c > 0 {
				joint = l
			}
		}
	}
	return joint
}

// cumulativeOK checks l's cumulative limit against the caller's usage for
// the period containing at. With out non-nil it appends the reason.
func (r *Register) cumulativeOK(l *link, req *Request, at time.Time, out *[]Reason) bool {
	fail := func(code Code, format string, args ...any) bool {
		if out != nil {
			*out = append(*out, Reason{Code: code, Link: l.ID, Message: fmt.Sprintf(format, args...)})
		}
		return false
	}
	if req.Usage == nil {
		return fail(CodeUsageUnavailable, "%s %s has a cumulative limit of %s and the request supplies no usage", l.Kind, l.ID, l.cum)
	}
	span := l.period.Span(at, l.window)
	spent, err := req.Usage.Spent(l.ID, span)
	if err != nil {
		return fail(CodeUsageUnavailable, "usage of %s %s: %v", l.Kind, l.ID, err)
	}
	total, err := spent.Add(req.Amount)
	if err != nil {
		return fail(CodeUnitMismatch, "usage in %s, amount in %s", spent.Unit(), req.Amount.Unit())
	}
	if c, err := total.Cmp(l.cum); err != nil {
		return fail(CodeUnitMismatch, "amount in %s, cumulative limit in %s", total.Unit(), l.cum.Unit())
	} else if c > 0 {
		return fail(CodeOverCumulative, "%s already spent in %s plus %s passes the cumulative limit %s of %s %s",
			spent, span, req.Amount, l.cum, l.Kind, l.ID)
	}
	return true
}

// cosigned reports whether some approver other than the actor is
// authorised for the request in their own right (a second signature does
// not itself need a third).
func (r *Register) cosigned(req *Request, at time.Time) bool {
	for _, a := range req.Approvers {
		if a != req.Actor && r.authorisedAlone(a, req, at) {
			return true
		}
	}
	return false
}

func (r *Register) authorisedAlone(party coprod.PartyID, req *Request, at time.Time) bool {
	for _, l := range r.held[party] {
		if !l.Scope.Covers(req.Scope) {
			continue
		}
		if ok, _ := r.pathOK(l, req, at); ok {
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

// attempt is one candidate path examined by deny.
type attempt struct {
	leaf    *link
	reasons []Reason
}

// deny examines every path the actor holds, collecting every reason, and
// picks the nearest one.
func (r *Register) deny(req *Request, at time.Time) Decision {
	var reasons []Reason
	r.requestFaults(req, at, &reasons)
	var best *attempt
	covering := 0
	cosigned := r.cosigned(req, at)
	for _, l := range r.held[req.Actor] {
		if !l.Scope.Covers(req.Scope) {
			continue
		}
		covering++
		a := attempt{leaf: l}
		if req.Via != uuid.Nil && l.ID != req.Via {
			a.reasons = append(a.reasons, Reason{Code: CodeNotInstrument, Link: l.ID,
				Message: fmt.Sprintf("%s %s is not the named instrument %s", l.Kind, l.ID, req.Via)})
		}
		joint := r.pathReasons(l, req, at, &a.reasons)
		if joint != nil && !cosigned {
			a.reasons = append(a.reasons, Reason{Code: CodeJointRequired, Link: joint.ID,
				Message: fmt.Sprintf("%s is above the joint-authorisation threshold %s of %s %s: a second authorised signatory must approve",
					req.Amount, joint.joint, joint.Kind, joint.ID)})
			for _, p := range req.Approvers {
				if p != req.Actor && !r.authorisedAlone(p, req, at) {
					a.reasons = append(a.reasons, Reason{Code: CodeApproverNoAuthority, Party: p,
						Message: "approver holds no authority for this request in their own right"})
				}
			}
		}
		reasons = appendNew(reasons, a.reasons)
		if best == nil || nearer(&a, best) {
			best = &a
		}
	}
	d := Decision{}
	if covering == 0 {
		reasons = append(reasons, Reason{Code: CodeScopeNotCovered, Party: req.Actor,
			Message: fmt.Sprintf("actor holds no mandate or delegation covering %s", req.Scope)})
		if l := r.closest(req); l != nil {
			d.Path = proofPath(l)
		}
	} else {
		d.Path = proofPath(best.leaf)
	}
	d.Reasons = reasons
	return d
}

func nearer(a, b *attempt) bool {
	if len(a.reasons) != len(b.reasons) {
		return len(a.reasons) < len(b.reasons)
	}
	if a.leaf.depth != b.leaf.depth {
		return a.leaf.depth < b.leaf.depth
	}
	return a.leaf.seq < b.leaf.seq
}

// appendNew appends the reasons not already present.
func appendNew(dst, src []Reason) []Reason {
	for _, s := range src {
		dup := false
		for _, d := range dst {
			if d.Code == s.Code && d.Link == s.Link && d.Party == s.Party {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, s)
		}
	}
	return dst
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

// Permit answers one authority question the way a ledger asks it: may
// actor act in scope, spending amount, under instrument (a mandate or
// delegation ID; uuid.Nil for any path), at time at? It returns nil or the
// *DeniedError of the decision. With it a Register satisfies
// ledger.Authorizer without either package importing the other. Paths
// with cumulative limits are denied for want of usage: use a Permitter to
// supply it.
func (r *Register) Permit(actor coprod.PartyID, scope string, amount coprod.Amount, instrument uuid.UUID, at time.Time) error {
	return Permitter{Register: r}.Permit(actor, scope, amount, instrument, at)
}

// Permitter is a Register with the Usage it needs for cumulative limits,
// for callers that ask one question at a time.
type Permitter struct {
	Register *Register
	Usage    Usage
}

// Permit is Register.Permit with p.Usage supplying spending so far.
func (p Permitter) Permit(actor coprod.PartyID, scope string, amount coprod.Amount, instrument uuid.UUID, at time.Time) error {
	return p.Register.Authorize(Request{Actor: actor, Scope: Scope(scope), Amount: amount, Via: instrument, Usage: p.Usage}, at).Err()
}
