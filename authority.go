package coprod

import (
	"fmt"
	"time"

	"github.com/coprod/coprod/internal/journal"
	"github.com/google/uuid"
)

// Permission is the question a ledger puts to an authority before it
// records money moving: may Decider, with Approvers co-signing, make this
// record, in Scope, moving Amount out of the Payers' accounts into the
// Beneficiaries', under Instrument, recorded at Recorded and taking effect
// at Effective? The ledger fills it from the record; an authority (the
// governance register) answers with a [Proof] or an error.
//
// It lives in this package because both sides need it and neither imports
// the other. The parties named as deciders and approvers are the caller's
// assertions: the library authorises, it does not authenticate.
type Permission struct {
	// Decider is the party who decided.
	Decider PartyID
	// Approvers are co-signatories, in the order given.
	Approvers []PartyID
	// Scope is the action, e.g. "commission/mental-health/iapt"; empty for
	// a discretionary record made in no scope.
	Scope Scope
	// Amount is the money the record moves; the zero Amount when it moves
	// none (a reversal or a void, which give money back).
	Amount Amount
	// Instrument is the mandate or delegation the record claims to be made
	// under; uuid.Nil for a discretionary record.
	Instrument uuid.UUID
	// Payers are the owners of the accounts money leaves.
	Payers []PartyID
	// Beneficiaries are the owners whose accounts gain on balance: a
	// transfer between one owner's own accounts makes no beneficiary.
	Beneficiaries []PartyID
	// Recorded is when the decision is recorded: authority is decided as
	// it stands then.
	Recorded time.Time
	// Effective is when the record takes effect in the books; authority
	// must stand then too. The zero time means Recorded.
	Effective time.Time
	// Location is where calendar periods (months, quarters, financial
	// years) begin and end; nil means UTC.
	Location *time.Location
	// Prior, when set, is the earlier record this one resolves or corrects:
	// a hold captured or voided, a transaction reversed.
	Prior *Prior
}

// Prior describes an earlier record that a new one resolves or corrects,
// so that an authority can tell who may act on it: its decider, a holder
// above them on its proof path, or a successor holding the same scope
// under the same parent.
type Prior struct {
	// Decider is who decided the earlier record.
	Decider PartyID
	// Proof is the authority it was made under; nil for a discretionary
	// record.
	Proof *Proof
	// Payers are the owners of the accounts it took money from.
	Payers []PartyID
}

// Proof is the authority a record was made under, as decided when it was
// recorded: the proof path from the root mandate down to the decider's own
// mandate or delegation, each link with the cumulative limit it carries.
// A ledger keeps it with the record and journals it, so an auditor can see
// on what authority each payment was made, and counts spending against
// each limit on it. A discretionary record's proof has no path: it is the
// zero Proof, or, when it spends the money of an organisation its decider
// acts for, carries only Acting.
type Proof struct {
	Path []ProofLink `json:"path"`
	// Acting lists, for each payer who holds no link on Path, the record
	// that made its money spendable: a person deciding, or holding a link
	// on the path, acts for the payer at the recorded time. A
	// discretionary record spending an organisation's money carries only
	// these. Empty when every payer is on the path or is the decider.
	Acting []ProofActing `json:"acting,omitempty"`
}

// ProofActing is one acting-for record a proof relies on: Person (the
// decider, or a holder of a link on the proof path) acts for For, whose
// money the record spends, under the authority's record ID.
type ProofActing struct {
	ID     uuid.UUID `json:"id"`
	Person PartyID   `json:"person"`
	For    PartyID   `json:"for"`
}

// Empty reports whether the proof records nothing: a discretionary
// record that spends only its decider's own money.
func (p *Proof) Empty() bool {
	return p == nil || (len(p.Path) == 0 && len(p.Acting) == 0)
}

// Leaf returns the last link of the path, the decider's own, and false for
// an empty path.
func (p *Proof) Leaf() (ProofLink, bool) {
	if p == nil || len(p.Path) == 0 {
		return ProofLink{}, false
	}
	return p.Path[len(p.Path)-1], true
}

// Holds reports whether party holds a link on the path.
func (p *Proof) Holds(party PartyID) bool {
	if p == nil {
		return false
	}
	for _, l := range p.Path {
		if l.To == party {
			return true
		}
	}
	return false
}

// ProofLink is one mandate or delegation on a proof path. When the link
// carries a cumulative limit, Limit is that limit and Period the span of
// the period (month, quarter, year) in which the record counts against it;
// a ledger adds the record's value to the link's total for that span.
type ProofLink struct {
	ID   uuid.UUID `json:"id"`
	From PartyID   `json:"from,omitzero"`
	To   PartyID   `json:"to"`
	// Scope is the link's own scope.
	Scope Scope `json:"scope"`
	// Limit is the link's cumulative limit; the zero Amount (encoded as
	// null) when it has none.
	Limit  Amount `json:"limit"`
	Period Window `json:"period,omitzero"`
}

// JournalKey signs the lines of a journal: HMAC-SHA-256 with Secret, named
// by ID (1 to 64 letters, digits, '.', '_' or '-') so that keys can
// rotate. A journal written with a key can be verified only with it, and
// lines written without it fail. Secret must not be empty; use at least
// 32 random bytes.
type JournalKey struct {
	ID     string
	Secret []byte
}

// Validate reports, as ErrInvalidKey, a key whose ID is not 1 to 64
// letters, digits, '.', '_' or '-', or whose secret is empty: lines signed
// with it could not be read back, or could be signed by anyone.
func (k JournalKey) Validate() error {
	switch {
	case !journal.ValidKeyID(k.ID):
		return fmt.Errorf("%w: id %.70q is not 1 to %d letters, digits, '.', '_' or '-'", ErrInvalidKey, k.ID, journal.MaxKeyID)
	case len(k.Secret) == 0:
		return fmt.Errorf("%w: empty secret", ErrInvalidKey)
	}
	return nil
}

// Keyring holds the secrets of the keys a journal may be signed with, by
// key ID, for reading it back.
type Keyring map[string][]byte
