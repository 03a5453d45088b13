package governance

import (
	"fmt"
	"slices"
	"time"

	"github.com/coprod/coprod"
)

// Codes of the refusals and the denial that concern collective bodies.
const (
	CodeUnknownBody          Code = "UNKNOWN_BODY"
	CodeSelfMembership       Code = "SELF_MEMBERSHIP"
	CodeDuplicateMembership  Code = "DUPLICATE_MEMBERSHIP"
	CodeCollectiveRuleNotMet Code = "COLLECTIVE_RULE_NOT_MET"
)

// Sentinel errors of collective bodies.
var (
	// ErrUnknownBody: a membership names a party that is not recorded as
	// a body.
	ErrUnknownBody = coded(CodeUnknownBody, "unknown body")
	// ErrSelfMembership: a body is named as its own member.
	ErrSelfMembership = coded(CodeSelfMembership, "body as its own member")
	// ErrDuplicateMembership: a membership overlaps in time another of the
	// same member in the same body.
	ErrDuplicateMembership = coded(CodeDuplicateMembership, "overlapping membership")
	// ErrCollectiveRuleNotMet: the actor is a body and the approvers among
	// its eligible members do not meet its decision rule or quorum.
	ErrCollectiveRuleNotMet = coded(CodeCollectiveRuleNotMet, "collective decision rule not met")
)

// tally counts, at time at, the members of b eligible to decide req (a
// membership in force, no recusal from a scope covering req.Scope) and
// those of them among req.Approvers, and reports whether they meet b's
// rule and quorum. A body with no eligible member cannot decide. The
// caller holds the read lock; tally does not allocate.
func (r *Register) tally(b *bodyState, req *Request, at time.Time) (approved, eligible, needed int, met bool) {
	for i := range b.members {
		m := &b.members[i]
		if !m.Window.Contains(at) || r.bodies.recused(m.Member, req.Scope, at) {
			continue
		}
		eligible++
		// A member has at most one membership in force at a time, so
		// each is counted once however often the approvers name them.
		if slices.Contains(req.Approvers, m.Member) {
			approved++
		}
	}
	needed = max(b.Rule.needed(eligible), b.Quorum, 1)
	return approved, eligible, needed, approved >= needed
}

// recused reports whether holder has recused, by at, from a scope that
// covers scope.
func (d *bodyData) recused(holder coprod.PartyID, scope Scope, at time.Time) bool {
	for i := range d.recusedBy[holder] {
		rec := &d.recusedBy[holder][i]
		if rec.Scope.Covers(scope) && !rec.At.After(at) {
			return true
		}
	}
	return false
}

// collectiveFault checks a request whose actor may be a body: if it is,
// the approvers must meet its rule at at. It reports whether the request
// passes; with describe set it also returns the reason, saying how many
// approved of how many eligible, and the rule. The caller holds the read
// lock. For an actor that is no body it is one map lookup.
func (r *Register) collectiveFault(req *Request, at time.Time, describe bool) (Reason, bool) {
	b := r.bodies.body(req.Actor)
	if b == nil {
		return Reason{}, true
	}
	approved, eligible, needed, met := r.tally(b, req, at)
	if met || !describe {
		return Reason{}, met
	}
	quorum := ""
	if b.Quorum > 0 {
		quorum = fmt.Sprintf(", quorum %d", b.Quorum)
	}
	return Reason{Code: CodeCollectiveRuleNotMet, Party: req.Actor,
		Message: fmt.Sprintf("%s decides by %s%s: %d of %d eligible members approved, %d needed",
			r.partyName(req.Actor), b.Rule, quorum, approved, eligible, needed)}, false
}
