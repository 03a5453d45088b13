package governance

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Limits on what the register holds. Exceeding one refuses the record with
// ErrLimitReached (or ErrDepthExceedsParent for chain depth).
const (
	// MaxChainDepth is the longest proof path: a mandate and up to
	// MaxChainDepth-1 delegations below it.
	MaxChainDepth = 16
	// MaxHeldPerParty bounds the mandates and delegations one party may
	// hold, which bounds the work of one Authorize.
	MaxHeldPerParty = 1024
	// MaxReserved bounds the reserved matters of one mandate, outright
	// and above a threshold together.
	MaxReserved = 32
	// MaxRoleParties bounds the parties in one RACI role of an activity.
	MaxRoleParties = 64
	// MaxTouches bounds the decision scopes one interest touches.
	MaxTouches = 32
	// MaxApprovers bounds the co-signatories of one request.
	MaxApprovers = 8
	// MaxTextLen bounds free text (basis, instrument, reasons,
	// descriptions), in bytes.
	MaxTextLen = 1000
)

// Mandate is a root authority held by a party: a statutory duty or a board
// resolution. Every delegation chain starts at one. Matters listed as
// Reserved lie inside Scope but can never be delegated: only the holder
// acts on them. Matters listed in ReservedAbove may be delegated, but only
// the holder acts on them above their threshold (see Reservation).
//
// The zero values of the optional fields mean "not set": a zero limit
// Amount is no limit, a zero Window is always valid.
type Mandate struct {
	ID     uuid.UUID      `json:"id"`
	Holder coprod.PartyID `json:"holder"`
	Scope  Scope          `json:"scope"`
	// Basis names the duty or resolution, e.g. "Care Act 2014 s.1".
	Basis    string  `json:"basis"`
	Reserved []Scope `json:"reserved,omitempty"`
	// ReservedAbove reserves matters above an amount. Reserved and
	// ReservedAbove together hold at most MaxReserved matters.
	ReservedAbove []Reservation `json:"reserved_above,omitempty"`
	// TransactionLimit caps one transaction.
	TransactionLimit coprod.Amount `json:"transaction_limit"`
	// CumulativeLimit caps spending per Period.
	CumulativeLimit coprod.Amount `json:"cumulative_limit"`
	Period          Period        `json:"period,omitempty"`
	// JointThreshold: above this amount a second authorised signatory is
	// required.
	JointThreshold coprod.Amount `json:"joint_threshold"`
	Window         coprod.Window `json:"window,omitzero"`
	// MaxDepth is how many levels of delegation may hang below the
	// mandate; 0 means it cannot be delegated at all.
	MaxDepth int `json:"max_depth"`
	// Recorded is when the record was made, as the application's clock
	// says: the register answers "as known at" a recorded time (AsOf) and
	// a journaled register requires it. Zero means known from the start.
	Recorded time.Time `json:"recorded,omitzero"`
}

// Delegation passes part of a parent's authority from one party to
// another. It rests on exactly one parent, a mandate or a delegation held
// by From, and can never be wider than it: not in scope, either limit, the
// joint-authorisation threshold, the window or the remaining depth.
// Delegation moves the doing, never the accountability.
type Delegation struct {
	ID     uuid.UUID      `json:"id"`
	Parent uuid.UUID      `json:"parent"`
	From   coprod.PartyID `json:"from"`
	To     coprod.PartyID `json:"to"`
	Scope  Scope          `json:"scope"`
	// Instrument names the document that makes the delegation, e.g.
	// "Scheme of delegation 2025, s.4.2".
	Instrument       string        `json:"instrument"`
	TransactionLimit coprod.Amount `json:"transaction_limit"`
	CumulativeLimit  coprod.Amount `json:"cumulative_limit"`
	Period           Period        `json:"period,omitempty"`
	JointThreshold   coprod.Amount `json:"joint_threshold"`
	Window           coprod.Window `json:"window,omitzero"`
	// MaySubDelegate allows the delegate to delegate further, at most
	// MaxDepth levels below this one. MaxDepth must be 0 when
	// MaySubDelegate is false and at least 1 when it is true.
	MaySubDelegate bool `json:"may_sub_delegate"`
	MaxDepth       int  `json:"max_depth"`
	// Recorded is when the record was made, as the application's clock
	// says: the register answers "as known at" a recorded time (AsOf) and
	// a journaled register requires it. Zero means known from the start.
	Recorded time.Time `json:"recorded,omitzero"`
}

// Revocation ends a mandate or delegation from At onwards. It is recorded,
// never deleted, and breaks every path through the revoked link.
type Revocation struct {
	Link   uuid.UUID      `json:"link"`
	By     coprod.PartyID `json:"by"`
	At     time.Time      `json:"at"`
	Reason string         `json:"reason"`
	// Recorded is when the revocation was recorded, which may be after
	// At: a revocation recorded later does not undo what was authorised
	// before it was known (AsOf).
	Recorded time.Time `json:"recorded,omitzero"`
}

// Reassumption records the delegator taking back part (or all) of a
// delegated scope from At onwards: requests inside Scope no longer pass
// through the link, while the rest of the delegation stands.
type Reassumption struct {
	Link   uuid.UUID      `json:"link"`
	By     coprod.PartyID `json:"by"`
	Scope  Scope          `json:"scope"`
	At     time.Time      `json:"at"`
	Reason string         `json:"reason"`
	// Recorded is when the record was made, as the application's clock
	// says: the register answers "as known at" a recorded time (AsOf) and
	// a journaled register requires it. Zero means known from the start.
	Recorded time.Time `json:"recorded,omitzero"`
}

// Activity is a piece of partnership work with its RACI accountability
// line: one or more Responsible, exactly one Accountable, and those
// Consulted and Informed. Scope is the authority the activity needs.
// Deputies can step in for a Responsible or Accountable person.
//
// Cos says which of the four Co's the work belongs to (one or several);
// an activity recorded before Co's were kept names none, and Check
// judges it apart (see Co). Window is when the work runs: Check judges
// only activities whose window contains the time it checks at, so work
// that has ended or not begun raises no findings. The zero Window is
// always. Who decides and who advises follows from the RACI line
// (Activity.Decides).
//
// The register accepts activities that break RACI rules so that Check can
// report them: an accountability framework must be able to describe a
// faulty partnership before it can show how to mend it.
type Activity struct {
	ID          uuid.UUID        `json:"id"`
	Name        string           `json:"name"`
	Scope       Scope            `json:"scope"`
	Responsible []coprod.PartyID `json:"responsible,omitempty"`
	Accountable []coprod.PartyID `json:"accountable,omitempty"`
	Consulted   []coprod.PartyID `json:"consulted,omitempty"`
	Informed    []coprod.PartyID `json:"informed,omitempty"`
	Deputies    []coprod.PartyID `json:"deputies,omitempty"`
	Cos         []Co             `json:"cos,omitempty"`
	Window      coprod.Window    `json:"window,omitzero"`
	// Recorded is when the record was made, as the application's clock
	// says: the register answers "as known at" a recorded time (AsOf) and
	// a journaled register requires it. Zero means known from the start.
	Recorded time.Time `json:"recorded,omitzero"`
}

// InterestCategory is one of the four categories of a register of
// interests. Categories are persisted by their code.
type InterestCategory string

// The four categories of declared interest.
const (
	Financial                InterestCategory = "financial"
	NonFinancialProfessional InterestCategory = "non-financial-professional"
	NonFinancialPersonal     InterestCategory = "non-financial-personal"
	Indirect                 InterestCategory = "indirect"
)

// Valid reports whether c is one of the four categories.
func (c InterestCategory) Valid() bool {
	switch c {
	case Financial, NonFinancialProfessional, NonFinancialPersonal, Indirect:
		return true
	}
	return false
}

// Interest is an entry in the register of interests: Holder has an
// interest of Category in party In (an organisation they lead, are paid
// by, are related to), touching decisions in the Touches scopes.
type Interest struct {
	ID          uuid.UUID        `json:"id"`
	Holder      coprod.PartyID   `json:"holder"`
	In          coprod.PartyID   `json:"in"`
	Category    InterestCategory `json:"category"`
	Description string           `json:"description"`
	Touches     []Scope          `json:"touches,omitempty"`
	Declared    time.Time        `json:"declared"`
	// Recorded is when the record was made, as the application's clock
	// says: the register answers "as known at" a recorded time (AsOf) and
	// a journaled register requires it. Zero means known from the start.
	Recorded time.Time `json:"recorded,omitzero"`
}

// Recusal records the holder of an interest stepping out of decisions in
// Scope.
type Recusal struct {
	Interest uuid.UUID `json:"interest"`
	Scope    Scope     `json:"scope"`
	At       time.Time `json:"at"`
	Reason   string    `json:"reason"`
	// Recorded is when the record was made, as the application's clock
	// says: the register answers "as known at" a recorded time (AsOf) and
	// a journaled register requires it. Zero means known from the start.
	Recorded time.Time `json:"recorded,omitzero"`
}

// LinkKind says whether a link of a proof path is a mandate or a
// delegation. It is a small integer so that a proof path holds no pointers
// but its scopes; it is persisted by its name ("mandate", "delegation").
// Append only: values are never renumbered.
type LinkKind uint8

// Link kinds.
const (
	KindMandate LinkKind = iota + 1
	KindDelegation
)

// String returns "mandate", "delegation", or "LinkKind(n)" for any other
// value.
func (k LinkKind) String() string {
	switch k {
	case KindMandate:
		return "mandate"
	case KindDelegation:
		return "delegation"
	}
	return fmt.Sprintf("LinkKind(%d)", uint8(k))
}

// MarshalText encodes the kind's name.
func (k LinkKind) MarshalText() ([]byte, error) {
	if k != KindMandate && k != KindDelegation {
		return nil, wrapf(ErrInvalidRecord, "link kind %d", uint8(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText decodes a kind's name.
func (k *LinkKind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "mandate":
		*k = KindMandate
	case "delegation":
		*k = KindDelegation
	default:
		return wrapf(ErrInvalidRecord, "link kind %.40q", string(b))
	}
	return nil
}

// Link is one step of a proof path: a mandate (From is uuid.Nil, To is the
// holder) or a delegation from From to To. It holds no pointers, so that a
// proof path is one pointer-free allocation the garbage collector never
// scans (BENCHMARKS.md has the measurement); Register.Describe renders a
// path with names and scopes.
type Link struct {
	ID   uuid.UUID      `json:"id"`
	From coprod.PartyID `json:"from,omitzero"`
	To   coprod.PartyID `json:"to"`
	Kind LinkKind       `json:"kind"`
}

// checkText bounds free text and requires valid UTF-8, which a JSON
// round trip would otherwise change.
func checkText(what, s string) error {
	if len(s) > MaxTextLen {
		return fmt.Errorf("%s longer than %d bytes", what, MaxTextLen)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", what)
	}
	return nil
}

// checkLimits validates the optional amounts of a mandate or delegation:
// non-negative, one unit across them, and a period only with a cumulative
// limit.
func checkLimits(tx, cum, joint coprod.Amount, p Period) error {
	var unit coprod.Unit
	for _, a := range []coprod.Amount{tx, cum, joint} {
		if !a.IsSet() {
			continue
		}
		if a.IsNegative() {
			return fmt.Errorf("negative limit %s", a)
		}
		if unit != "" && a.Unit() != unit {
			return fmt.Errorf("limits in %s and %s", unit, a.Unit())
		}
		unit = a.Unit()
	}
	if !p.Valid() {
		return fmt.Errorf("unknown period %q", string(p))
	}
	if p != PeriodWhole && !cum.IsSet() {
		return fmt.Errorf("period %q without a cumulative limit", p)
	}
	return nil
}

func checkScope(s Scope) error {
	_, err := ParseScope(string(s))
	return err
}

// storable reports whether t lies in the years 1 to 9999, which every
// document and journal line can write.
func storable(t time.Time) bool { return t.Year() >= 1 && t.Year() <= 9999 }

// checkWindow validates a window and its bounds' years.
func checkWindow(w coprod.Window) error {
	for _, t := range [...]time.Time{w.NotBefore, w.Expires} {
		if !t.IsZero() && !storable(t) {
			return fmt.Errorf("window bound %s outside the years 1 to 9999", t.Format(time.RFC3339))
		}
	}
	return w.Validate()
}
