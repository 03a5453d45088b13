package coprod

import (
	"time"

	"github.com/google/uuid"
)

// Award is a commitment made to one party: a contract let, a grant
// awarded, a hold placed for a contract's whole value. Its Amount is the
// value of the commitment (a contract's whole-life value), not a payment
// drawn under it. A ledger yields its awards and a governance register
// checks them against the matters its mandates reserve above a threshold,
// so that awards split to stay under a threshold show up; the type lives
// here because both packages need it and neither imports the other.
type Award struct {
	// ID is the record that made the award: a hold or a transaction.
	ID uuid.UUID `json:"id"`
	// Scope is the action the award was made in, e.g.
	// "commission/contracts/award".
	Scope Scope `json:"scope"`
	// To is the party awarded.
	To PartyID `json:"to"`
	// Amount is the value committed.
	Amount Amount `json:"amount"`
	// Decider is the party who decided the award.
	Decider PartyID `json:"decider"`
	// Instrument is the mandate or delegation it was made under; uuid.Nil
	// for a discretionary award.
	Instrument uuid.UUID `json:"instrument,omitzero"`
	// At is when the award was decided (recorded).
	At time.Time `json:"at"`
}
