package governance

import (
	"fmt"
	"slices"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Permit answers the question a ledger puts before it records money
// moving (a coprod.Permission), and returns the proof the ledger keeps
// with the record. With it a Register satisfies ledger.Authorizer without
// either package importing the other.
//
// A record under an instrument is authorised as Authorize authorises a
// request, at p.Recorded and p.Effective, with the payers' money and the
// beneficiaries' interests checked, except for cumulative limits: the
// returned proof carries each limit on the path with the span of its
// period at p.Recorded (in p.Location), and the ledger, which keeps the
// running totals, enforces them under its own lock as it commits, so that
// checking and committing are one step.
//
// A discretionary record (no instrument) may spend only the decider's own
// money, or that of an organisation the decider acts for at p.Recorded
// (see ActingFor); conflicts of interest and self-approval are refused as
// for any request. Its proof has no path, and lists in Acting the
// acting-for records it relied on.
//
// A record under an instrument may likewise spend the money of an
// organisation that a holder of a link on its proof path (the decider
// included) acts for at p.Recorded; the proof's Acting names the record,
// so the ledger journals what made the payer's money spendable.
//
// A record that resolves or corrects an earlier one (p.Prior: a hold
// captured or voided, a transaction reversed) must be decided by someone
// entitled to act on it: its decider, a holder above them on its proof
// path, or a successor holding the same scope under the same parent,
// each with that link in force now (commitments are the body's, not one
// person's, so staff turnover does not strand them). A colleague holding
// the same scope under the same parent counts as a successor even while
// the decider is still in post: both act for the same body. For a
// discretionary earlier record, its decider, a party whose money it spent,
// or a person acting for such a party when the correction is recorded. A
// capture (p.Amount set) must also be within the entitled path's limits
// now.
//
// Permit returns nil and the proof, or a *DeniedError.
func (r *Register) Permit(p coprod.Permission) (coprod.Proof, error) {
	req := Request{
		Actor: p.Decider, Scope: Scope(p.Scope), Amount: p.Amount, Beneficiaries: p.Beneficiaries,
		Payers: p.Payers, Approvers: p.Approvers, Via: p.Instrument, Effective: p.Effective,
		Location: p.Location, capsElsewhere: true,
	}
	deny := func(code Code, party coprod.PartyID, format string, args ...any) (coprod.Proof, error) {
		return coprod.Proof{}, &DeniedError{Reasons: []Reason{{Code: code, Party: party, Message: fmt.Sprintf(format, args...)}}}
	}
	if p.Recorded.IsZero() {
		return deny(CodeInvalidRequest, uuid.Nil, "no recorded time")
	}
	if p.Prior != nil {
		return r.permitOnPrior(&req, p)
	}
	if p.Instrument == uuid.Nil {
		if reason, ok := validateDiscretionary(&req); !ok {
			return coprod.Proof{}, &DeniedError{Reasons: []Reason{reason}}
		}
		acting, payer, ok := r.discretionaryActing(p.Decider, p.Payers, p.Recorded)
		if !ok {
			return deny(CodeForeignAccount, payer, "a discretionary record spends only the decider's own money or that of an organisation the decider acts for, not %s's", r.PartyName(payer))
		}
		var faults reasonSet
		r.mu.RLock()
		ok = r.requestFaults(&req, p.Recorded, &faults)
		r.mu.RUnlock()
		if !ok {
			return coprod.Proof{}, &DeniedError{Reasons: faults.list, Omitted: faults.omitted}
		}
		return coprod.Proof{Acting: acting}, nil
	}
	d := r.Authorize(req, p.Recorded)
	if !d.Allowed {
		return coprod.Proof{}, d.Err()
	}
	return r.provenProof(d.Path, req.Payers, p)
}

// provenProof is proof with, for each payer holding no link on the path,
// the acting-for record that made its money spendable at p.Recorded.
func (r *Register) provenProof(path []Link, payers []coprod.PartyID, p coprod.Permission) (coprod.Proof, error) {
	out := r.proof(path, p.Recorded, p.Location)
	if payer, ok := r.actingProof(&out, path, payers, p.Recorded); !ok {
		return coprod.Proof{}, &DeniedError{Reasons: []Reason{{Code: CodeForeignAccount, Party: payer,
			Message: fmt.Sprintf("the money is %s's, who is no longer on the proof path nor acted for by a holder on it", r.PartyName(payer))}}}
	}
	return out, nil
}

// validateDiscretionary checks a request with no instrument, whose scope
// may be empty.
func validateDiscretionary(req *Request) (Reason, bool) {
	if req.Scope == "" {
		v := *req
		v.Scope = "discretionary"
		return validateRequest(&v)
	}
	return validateRequest(req)
}

// proof turns a proof path into the ledger's record of it: each link with
// its own scope and, where it has one, its cumulative limit and the span
// of its period at t.
func (r *Register) proof(path []Link, t time.Time, loc *time.Location) coprod.Proof {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := coprod.Proof{Path: make([]coprod.ProofLink, len(path))}
	for i, pl := range path {
		l := r.links[pl.ID]
		out.Path[i] = coprod.ProofLink{ID: l.ID, From: l.From, To: l.To, Scope: l.Scope}
		if l.cum.IsSet() {
			out.Path[i].Limit = l.cum
			out.Path[i].Period = l.period.Span(t, l.window, loc)
		}
	}
	return out
}

// permitOnPrior decides a record that acts on an earlier one.
func (r *Register) permitOnPrior(req *Request, p coprod.Permission) (coprod.Proof, error) {
	prior := p.Prior
	denied := func(format string, args ...any) (coprod.Proof, error) {
		return coprod.Proof{}, &DeniedError{Reasons: []Reason{{Code: CodeNotEntitled, Party: p.Decider, Message: fmt.Sprintf(format, args...)}}}
	}
	leaf, formal := prior.Proof.Leaf()
	if !formal {
		if p.Decider != prior.Decider && !slices.Contains(prior.Payers, p.Decider) && !r.actsForAny(p.Decider, prior.Payers, p.Recorded) {
			return denied("%s neither decided the discretionary record nor paid it, nor acts for a payer", r.PartyName(p.Decider))
		}
		req.Via = uuid.Nil
		if reason, ok := validateDiscretionary(req); !ok {
			return coprod.Proof{}, &DeniedError{Reasons: []Reason{reason}}
		}
		return coprod.Proof{}, nil
	}
	// Whoever acts on the record does so under their own link: one on the
	// earlier proof path (the decider's or one above it), or a successor's.
	req.Via = uuid.Nil
	if req.Scope == "" {
		req.Scope = Scope(leaf.Scope)
	}
	if reason, ok := validateRequest(req); !ok {
		return coprod.Proof{}, &DeniedError{Reasons: []Reason{reason}}
	}
	if !req.Amount.IsSet() {
		// Giving money back, or releasing a commitment: the money leaves
		// the earlier record's beneficiaries by that record's own
		// authority, and nobody gains from it.
		req.Payers, req.Beneficiaries = nil, nil
	}
	onPrior := make(map[uuid.UUID]bool, len(prior.Proof.Path))
	for _, l := range prior.Proof.Path {
		onPrior[l.ID] = true
	}
	r.mu.RLock()
	candidates := r.entitledLinks(p.Decider, leaf, onPrior)
	r.mu.RUnlock()
	if len(candidates) == 0 {
		return denied("%s holds no link on the earlier record's proof path and succeeds to none", r.PartyName(p.Decider))
	}
	var last Decision
	for _, id := range candidates {
		req.Via = id
		d := r.Authorize(*req, p.Recorded)
		if d.Allowed {
			return r.provenProof(d.Path, req.Payers, p)
		}
		last = d
	}
	return coprod.Proof{}, last.Err()
}

// entitledLinks lists the links party holds that entitle it to act on a
// record made under leaf: links on its proof path, or links under the same
// parent as leaf covering leaf's scope.
func (r *Register) entitledLinks(party coprod.PartyID, leaf coprod.ProofLink, onPrior map[uuid.UUID]bool) []uuid.UUID {
	var parent uuid.UUID
	if l, ok := r.links[leaf.ID]; ok && l.parent != nil {
		parent = l.parent.ID
	}
	var out []uuid.UUID
	for _, l := range r.held[party] {
		successor := parent != uuid.Nil && l.parent != nil && l.parent.ID == parent && l.Scope.Covers(Scope(leaf.Scope))
		if onPrior[l.ID] || successor {
			out = append(out, l.ID)
		}
	}
	return out
}

// PartyName returns a party's name, or its ID if the register does not
// hold it.
func (r *Register) PartyName(id coprod.PartyID) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.partyName(id)
}

// actsForAny reports whether person acts for one of orgs at t.
func (r *Register) actsForAny(person coprod.PartyID, orgs []coprod.PartyID, t time.Time) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, o := range orgs {
		if r.actingAt(person, o, t) != nil {
			return true
		}
	}
	return false
}
