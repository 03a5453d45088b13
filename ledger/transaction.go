package ledger

import (
	"fmt"
	"maps"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Limits on what grows. Exceeding one is an error, never a panic.
const (
	// MaxPostings bounds the postings of one transaction.
	MaxPostings = 64
	// MaxMetadata bounds the metadata entries of one transaction.
	MaxMetadata = 16
	// MaxTextLen bounds memo, reason, scope, metadata keys and values, in
	// bytes.
	MaxTextLen = 500
	// MaxApprovers bounds the co-signatories of one record.
	MaxApprovers = 8
	// MaxProofLinks bounds the proof path a record carries.
	MaxProofLinks = 16
)

// Kind is what sort of allocation a transaction records (DOMAIN.md §5).
// Kinds are persisted by their code.
type Kind string

// Transaction kinds.
const (
	Grant              Kind = "grant"
	Contract           Kind = "contract"
	SLA                Kind = "sla"
	CoreFunding        Kind = "core-funding"
	ProjectFunding     Kind = "project-funding"
	InKind             Kind = "in-kind"
	UnpaidLabour       Kind = "unpaid-labour"
	TimeCredit         Kind = "time-credit"
	InvolvementPayment Kind = "involvement-payment"
	Payment            Kind = "payment"
	Reversal           Kind = "reversal"
)

// Valid reports whether k is a defined kind.
func (k Kind) Valid() bool {
	switch k {
	case Grant, Contract, SLA, CoreFunding, ProjectFunding, InKind, UnpaidLabour, TimeCredit, InvolvementPayment, Payment, Reversal:
		return true
	}
	return false
}

// canonical returns k as its constant, so that a kind decoded from a
// journal shares the constant's memory rather than holding its own copy.
func (k Kind) canonical() Kind {
	for _, c := range [...]Kind{Payment, Grant, Contract, CoreFunding, UnpaidLabour, Reversal, SLA, ProjectFunding, InKind, TimeCredit, InvolvementPayment} {
		if k == c {
			return c
		}
	}
	return k
}

// Labour reports whether k records contributed time.
func (k Kind) Labour() bool { return k == UnpaidLabour || k == TimeCredit }

// Coverage says how much of the recipient's cost an allocation covers.
// Coverages are persisted by their code.
type Coverage string

// Cost coverage.
const (
	CoverageUnknown Coverage = ""
	FullCost        Coverage = "full-cost-recovery"
	DirectCosts     Coverage = "direct-costs-only"
	Unfunded        Coverage = "unfunded"
)

// canonical returns c as its constant, as Kind.canonical does.
func (c Coverage) canonical() Coverage {
	for _, k := range [...]Coverage{FullCost, DirectCosts, Unfunded} {
		if c == k {
			return k
		}
	}
	return c
}

// Valid reports whether c is a defined coverage (the zero value is
// "unknown" and valid).
func (c Coverage) Valid() bool {
	switch c {
	case CoverageUnknown, FullCost, DirectCosts, Unfunded:
		return true
	}
	return false
}

// Posting moves Amount into (positive, a debit) or out of (negative, a
// credit) an account. Its unit must be the account's, and it is never
// zero: a posting that moves nothing is refused.
type Posting struct {
	Account uuid.UUID     `json:"account"`
	Amount  coprod.Amount `json:"amount"`
}

// Formality says on what authority a transaction was made: under a named
// instrument (a delegation or mandate, a contract, a board decision), or
// at the discretion of the deciding person. Either way DecidedBy names who
// decided, so that money resting on one person's goodwill shows up.
type Formality struct {
	// Instrument is the delegation, mandate or other instrument the
	// transaction was made under; uuid.Nil means discretionary.
	Instrument uuid.UUID `json:"instrument,omitzero"`
	// Scope is the action the instrument must cover and the service the
	// money is for, e.g. "commission/mental-health/iapt": the same
	// segment-aware path the governance register authorises by, so that
	// metrics can group money by service. Required for a formal record
	// with an Authorizer; empty or a valid scope otherwise. Its JSON form
	// is the plain path.
	Scope coprod.Scope `json:"scope,omitempty"`
	// DecidedBy is the party who decided. Required.
	DecidedBy coprod.PartyID `json:"decided_by"`
	// Approvers are the co-signatories' approvals (at most
	// MaxApprovers), each with its time and reference: above a
	// joint-authorisation threshold, or for a payment to the decider, an
	// independent one must approve, and a collective body's members
	// approve by its decision rule.
	Approvers []Approval `json:"approvers,omitempty"`
}

// checkScope accepts no scope or a valid one.
func (f *Formality) checkScope() error {
	if f.Scope == "" || f.Scope.Valid() {
		return nil
	}
	_, err := coprod.ParseScope(string(f.Scope)) // for its reason
	return err
}

// Formal reports whether the transaction was made under an instrument.
func (f Formality) Formal() bool { return f.Instrument != uuid.Nil }

func (f *Formality) equal(o *Formality) bool {
	return f.Instrument == o.Instrument && f.Scope == o.Scope && f.DecidedBy == o.DecidedBy && equalApprovals(f.Approvers, o.Approvers)
}

// Transaction is one balanced entry. Its ID is the idempotency key: the
// same ID with the same content is recorded once; with other content it is
// refused.
//
// Effective is when the entry takes effect in the books; Recorded is when
// it was written down (the caller's clock). A back-dated entry has
// Effective before Recorded: it changes balances as of past effective
// times, but not what the books said at past recorded times.
type Transaction struct {
	ID        uuid.UUID `json:"id"`
	Kind      Kind      `json:"kind"`
	Postings  []Posting `json:"postings"`
	Effective time.Time `json:"effective"`
	Recorded  time.Time `json:"recorded"`
	Formality Formality `json:"formality"`
	Coverage  Coverage  `json:"coverage,omitempty"`
	// Against names the grant or contract transaction this one draws on,
	// for budget against actual.
	Against uuid.UUID `json:"against,omitzero"`
	// Reverses names the transaction a reversal mirrors; set by Reverse.
	Reverses uuid.UUID `json:"reverses,omitzero"`
	// Labour values the time recorded by an unpaid-labour or time-credit
	// transaction. Required for those kinds, refused for others.
	Labour   *Labour           `json:"labour,omitempty"`
	Memo     string            `json:"memo,omitempty"`
	Metadata map[string]string `json:"metadata,omitempty"`
	// Proof is the authority the transaction was made under, as the
	// ledger's Authorizer decided it when the transaction was recorded:
	// set by the ledger and journaled, never by the caller (Post refuses a
	// transaction that carries one). Its Acting names the acting-for
	// records that made a payer's money spendable. Nil on a ledger with no
	// Authorizer and for a discretionary transaction spending only its
	// decider's money; a discretionary transaction spending an
	// organisation's money its decider acts for has a proof with no path
	// and only Acting. In the journal, a transaction whose proof reads as
	// one an earlier transaction line holds in full names that line
	// instead (see the package doc, Journal); MarshalJSON always writes
	// the proof in full.
	Proof *coprod.Proof `json:"proof,omitempty"`
}

// clone returns a deep copy, so that neither the caller nor the ledger can
// change the other's transaction.
func (t Transaction) clone() Transaction {
	t = t.cloneExceptPostings()
	t.Postings = slices.Clone(t.Postings)
	return t
}

// cloneExceptPostings is clone leaving the postings shared, for newEntry,
// which copies them itself.
func (t Transaction) cloneExceptPostings() Transaction {
	if t.Labour != nil {
		l := *t.Labour
		t.Labour = &l
	}
	t.Metadata = maps.Clone(t.Metadata)
	t.Formality.Approvers = slices.Clone(t.Formality.Approvers)
	t.Proof = cloneProof(t.Proof)
	return t
}

func cloneProof(p *coprod.Proof) *coprod.Proof {
	if p == nil {
		return nil
	}
	return &coprod.Proof{Path: slices.Clone(p.Path), Acting: slices.Clone(p.Acting)}
}

// equalProofs compares two proofs link by link.
func equalProofs(a, b *coprod.Proof) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.EqualFunc(a.Path, b.Path, func(x, y coprod.ProofLink) bool {
		return x.ID == y.ID && x.From == y.From && x.To == y.To && x.Scope == y.Scope &&
			x.Limit.Equal(y.Limit) && x.Period.NotBefore.Equal(y.Period.NotBefore) && x.Period.Expires.Equal(y.Period.Expires)
	}) && slices.Equal(a.Acting, b.Acting)
}

// equal reports whether two transactions have the same content as the
// caller gave it: the Proof, which the ledger adds, is not compared.
func (t *Transaction) equal(o *Transaction) bool {
	if t.ID != o.ID || t.Kind != o.Kind || !t.Effective.Equal(o.Effective) || !t.Recorded.Equal(o.Recorded) ||
		!t.Formality.equal(&o.Formality) || t.Coverage != o.Coverage || t.Against != o.Against || t.Reverses != o.Reverses ||
		t.Memo != o.Memo || len(t.Postings) != len(o.Postings) || !maps.Equal(t.Metadata, o.Metadata) {
		return false
	}
	for i := range t.Postings {
		if t.Postings[i].Account != o.Postings[i].Account || !t.Postings[i].Amount.Equal(o.Postings[i].Amount) {
			return false
		}
	}
	if (t.Labour == nil) != (o.Labour == nil) {
		return false
	}
	return t.Labour == nil || t.Labour.equal(o.Labour)
}

// storable reports whether t can be written in a journal: RFC 3339 has
// four-digit years.
func storable(t time.Time) bool { return t.Year() >= 1 && t.Year() <= 9999 }

// validateShape checks what needs no ledger state.
func (t *Transaction) validateShape() error {
	switch {
	case t.ID == uuid.Nil:
		return fmt.Errorf("nil id")
	case !t.Kind.Valid():
		return fmt.Errorf("unknown kind %q", string(t.Kind))
	case len(t.Postings) == 0:
		return fmt.Errorf("no postings")
	case t.Effective.IsZero() || t.Recorded.IsZero():
		return fmt.Errorf("zero effective or recorded time")
	case !storable(t.Effective) || !storable(t.Recorded):
		return fmt.Errorf("time outside the years 1 to 9999")
	case t.Formality.DecidedBy == uuid.Nil:
		return fmt.Errorf("no deciding party")
	case !t.Coverage.Valid():
		return fmt.Errorf("unknown coverage %q", string(t.Coverage))
	case len(t.Metadata) > MaxMetadata:
		return fmt.Errorf("more than %d metadata entries", MaxMetadata)
	case t.Proof != nil && len(t.Proof.Path) > MaxProofLinks:
		return fmt.Errorf("proof path longer than %d links", MaxProofLinks)
	case t.Proof != nil && len(t.Proof.Acting) > MaxPostings:
		return fmt.Errorf("proof names more than %d acting-for records", MaxPostings)
	case t.Kind.Labour() != (t.Labour != nil):
		return fmt.Errorf("labour record with kind %s", t.Kind)
	case (t.Kind == Reversal) != (t.Reverses != uuid.Nil):
		return fmt.Errorf("reversal kind and reverses field disagree")
	}
	for i, p := range t.Postings {
		if p.Account == uuid.Nil || !p.Amount.IsSet() {
			return fmt.Errorf("posting %d: nil account or no amount", i)
		}
		if p.Amount.IsZero() {
			// A posting of nothing moves nothing, yet would put a decision
			// in the books that no authority was asked about.
			return fmt.Errorf("posting %d moves nothing", i)
		}
	}
	if err := validateApprovals(t.Formality.Approvers, t.Recorded); err != nil {
		return err
	}
	if err := checkText("memo", t.Memo); err != nil {
		return err
	}
	if err := t.Formality.checkScope(); err != nil {
		return err
	}
	for k, v := range t.Metadata {
		if err := checkText("metadata key", k); err != nil {
			return err
		}
		if err := checkText("metadata value", v); err != nil {
			return err
		}
	}
	if t.Labour != nil {
		if err := t.Labour.validate(t.Kind); err != nil {
			return err
		}
		// A value out of range would break every metric over the
		// transaction's period: refuse it here, once.
		if _, err := t.Labour.value(); err != nil {
			return err
		}
	}
	return nil
}

// checkText bounds free text and requires valid UTF-8, which a JSON round
// trip would otherwise change.
func checkText(what, s string) error {
	if len(s) > MaxTextLen {
		return fmt.Errorf("%s longer than %d bytes", what, MaxTextLen)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", what)
	}
	return nil
}
