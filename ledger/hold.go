package ledger

import (
	"fmt"
	"iter"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Hold is a commitment: money agreed (a grant awarded, a contract let) but
// not yet paid. It is later captured, in part or whole, voided, or expired:
// resolved exactly once.
type Hold struct {
	ID   uuid.UUID `json:"id"`
	Kind Kind      `json:"kind"`
	// From is the paying account and To the receiving one; both financial,
	// in the hold's unit.
	From   uuid.UUID     `json:"from"`
	To     uuid.UUID     `json:"to"`
	Amount coprod.Amount `json:"amount"`
	// Expires, if set, is when the commitment lapses; Expire resolves the
	// hold from then on.
	Expires   time.Time `json:"expires,omitzero"`
	Formality Formality `json:"formality"`
	Coverage  Coverage  `json:"coverage,omitempty"`
	Against   uuid.UUID `json:"against,omitzero"`
	Recorded  time.Time `json:"recorded"`
	Memo      string    `json:"memo,omitempty"`
}

// Resolution says how a hold ended.
type Resolution string

// Resolutions.
const (
	Open     Resolution = ""
	Captured Resolution = "captured"
	Voided   Resolution = "voided"
	Expired  Resolution = "expired"
)

// HoldResolution is the record of a hold's end. A capture carries the
// transaction it posted.
type HoldResolution struct {
	Hold        uuid.UUID    `json:"hold"`
	Resolution  Resolution   `json:"resolution"`
	At          time.Time    `json:"at"`
	Reason      string       `json:"reason,omitempty"`
	Transaction *Transaction `json:"transaction,omitempty"`
}

// HoldStatus is a hold with its resolution, if any.
type HoldStatus struct {
	Hold       Hold
	Resolution HoldResolution
}

type holdState struct {
	hold Hold
	seq  int
	res  *HoldResolution
}

func (h *Hold) validate() error {
	switch {
	case h.ID == uuid.Nil:
		return fmt.Errorf("nil id")
	case !h.Kind.Valid() || h.Kind.Labour() || h.Kind == InKind || h.Kind == Reversal:
		return fmt.Errorf("a hold cannot be of kind %q", string(h.Kind))
	case !h.Amount.Unit().IsMoney() || h.Amount.Sign() <= 0:
		return fmt.Errorf("amount must be positive money, not %s", h.Amount)
	case h.From == h.To:
		return fmt.Errorf("from and to are the same account")
	case h.Recorded.IsZero():
		return fmt.Errorf("zero recorded time")
	case !storable(h.Recorded) || (!h.Expires.IsZero() && !storable(h.Expires)):
		return fmt.Errorf("time outside the years 1 to 9999")
	case h.Formality.DecidedBy == uuid.Nil:
		return fmt.Errorf("no deciding party")
	case !h.Coverage.Valid():
		return fmt.Errorf("unknown coverage %q", string(h.Coverage))
	}
	if err := checkText("memo", h.Memo); err != nil {
		return err
	}
	return checkText("scope", h.Formality.Scope)
}

// transaction is the posting a capture of amount makes.
func (h *Hold) transaction(id uuid.UUID, amount coprod.Amount, effective, recorded time.Time) Transaction {
	return Transaction{
		ID: id, Kind: h.Kind, Effective: effective, Recorded: recorded,
		Postings:  []Posting{{Account: h.From, Amount: amount.Neg()}, {Account: h.To, Amount: amount}},
		Formality: h.Formality, Coverage: h.Coverage, Against: h.Against, Memo: h.Memo,
	}
}

// PlaceHold records a commitment. It is authorised like a transaction, at
// its Recorded time, for its full amount. Placing the same hold again
// returns the first receipt.
func (l *Ledger) PlaceHold(h Hold) (Receipt, error) {
	if err := h.validate(); err != nil {
		return Receipt{}, refuseCause("hold", h.ID, ErrInvalidTransaction, err)
	}
	probe := h.transaction(h.ID, h.Amount, h.Recorded, h.Recorded)
	l.mu.RLock()
	old, ok := l.holds[h.ID]
	l.mu.RUnlock()
	if ok {
		return l.holdRetry(old, h)
	}
	if err := l.authorize(&probe, h.Formality, h.Recorded); err != nil {
		return Receipt{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.placeHold(h, true)
}

func (l *Ledger) holdRetry(old *holdState, h Hold) (Receipt, error) {
	if old.hold.equal(&h) {
		return Receipt{ID: h.ID, Seq: old.seq, Duplicate: true}, nil
	}
	return Receipt{}, refuse("hold", h.ID, ErrIdempotencyConflict, "recorded at seq %d with other content", old.seq)
}

func (h *Hold) equal(o *Hold) bool {
	return h.ID == o.ID && h.Kind == o.Kind && h.From == o.From && h.To == o.To && h.Amount.Equal(o.Amount) &&
		h.Expires.Equal(o.Expires) && h.Formality == o.Formality && h.Coverage == o.Coverage &&
		h.Against == o.Against && h.Recorded.Equal(o.Recorded) && h.Memo == o.Memo
}

func (l *Ledger) placeHold(h Hold, journal bool) (Receipt, error) {
	if old, ok := l.holds[h.ID]; ok {
		return l.holdRetry(old, h)
	}
	for _, id := range []uuid.UUID{h.From, h.To} {
		acc, ok := l.accounts[id]
		if !ok {
			return Receipt{}, refuse("hold", h.ID, ErrUnknownAccount, "no account %s", id)
		}
		if acc.Unit != h.Amount.Unit() {
			return Receipt{}, refuse("hold", h.ID, ErrUnitMismatch, "%s on a %s account", h.Amount, acc.Unit)
		}
		if acc.Kind.Memorandum() {
			return Receipt{}, refuse("hold", h.ID, ErrMixedBooks, "a hold cannot commit memorandum account %s", id)
		}
	}
	if h.Against != uuid.Nil {
		if _, ok := l.txs[h.Against]; !ok {
			return Receipt{}, refuse("hold", h.ID, ErrUnknownTransaction, "against unknown transaction %s", h.Against)
		}
	}
	if err := l.commit(recHold, h, journal); err != nil {
		return Receipt{}, refuseCause("hold", h.ID, ErrJournal, err)
	}
	s := &holdState{hold: h, seq: l.seq}
	l.holds[h.ID] = s
	l.holdOrder = append(l.holdOrder, s)
	return Receipt{ID: h.ID, Seq: l.seq}, nil
}

// Capture posts amount (at most the amount held) of a hold as transaction
// txID and resolves the hold; whatever is not captured is released. The
// transaction was authorised when the hold was placed. Retrying the same
// capture returns the first receipt; any other operation on a resolved
// hold is ErrHoldResolved.
func (l *Ledger) Capture(hold, txID uuid.UUID, amount coprod.Amount, effective, recorded time.Time) (Receipt, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.holds[hold]
	if !ok {
		return Receipt{}, refuse("hold", hold, ErrUnknownHold, "no hold %s", hold)
	}
	tx := s.hold.transaction(txID, amount, effective, recorded)
	if s.res != nil {
		if s.res.Transaction != nil && s.res.Transaction.equal(&tx) {
			return Receipt{ID: txID, Seq: l.txs[txID].seq, Duplicate: true}, nil
		}
		return Receipt{}, refuse("hold", hold, ErrHoldResolved, "%s at %s", s.res.Resolution, s.res.At.Format(time.RFC3339))
	}
	if c, err := amount.Cmp(s.hold.Amount); err != nil || c > 0 || amount.Sign() <= 0 {
		return Receipt{}, refuse("hold", hold, ErrOverHold, "capture %s of a hold of %s", amount, s.hold.Amount)
	}
	if err := checkShape(&tx); err != nil {
		return Receipt{}, err
	}
	return l.resolve(s, HoldResolution{Hold: hold, Resolution: Captured, At: effective, Transaction: &tx}, true)
}

// Void resolves a hold without payment.
func (l *Ledger) Void(hold uuid.UUID, at time.Time, reason string) error {
	return l.end(hold, HoldResolution{Hold: hold, Resolution: Voided, At: at, Reason: reason})
}

// Expire resolves a hold whose expiry time has come (at is not before
// Expires). A hold with no expiry never expires.
func (l *Ledger) Expire(hold uuid.UUID, at time.Time) error {
	return l.end(hold, HoldResolution{Hold: hold, Resolution: Expired, At: at})
}

func (l *Ledger) end(hold uuid.UUID, r HoldResolution) error {
	if r.At.IsZero() || !storable(r.At) {
		return refuse("hold", hold, ErrInvalidTransaction, "resolution time zero or outside the years 1 to 9999")
	}
	if err := checkText("reason", r.Reason); err != nil {
		return refuseCause("hold", hold, ErrInvalidTransaction, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.holds[hold]
	if !ok {
		return refuse("hold", hold, ErrUnknownHold, "no hold %s", hold)
	}
	_, err := l.resolve(s, r, true)
	return err
}

// resolve validates and applies a resolution; the caller holds the lock.
func (l *Ledger) resolve(s *holdState, r HoldResolution, journal bool) (Receipt, error) {
	if s.res != nil {
		return Receipt{}, refuse("hold", s.hold.ID, ErrHoldResolved, "%s at %s", s.res.Resolution, s.res.At.Format(time.RFC3339))
	}
	if r.Resolution == Expired && (s.hold.Expires.IsZero() || r.At.Before(s.hold.Expires)) {
		return Receipt{}, refuse("hold", s.hold.ID, ErrHoldNotExpired, "expires %s", s.hold.Expires.Format(time.RFC3339))
	}
	var balances []running
	if r.Transaction != nil {
		if _, ok := l.txs[r.Transaction.ID]; ok {
			return Receipt{}, refuse("transaction", r.Transaction.ID, ErrIdempotencyConflict, "id already recorded")
		}
		var buf [8]running
		var err error
		if balances, err = l.validate(r.Transaction, buf[:0]); err != nil {
			return Receipt{}, err
		}
	}
	if err := l.commit(recResolution, r, journal); err != nil {
		return Receipt{}, refuseCause("hold", s.hold.ID, ErrJournal, err)
	}
	s.res = &r
	id := s.hold.ID
	if r.Transaction != nil {
		e := newEntry(*r.Transaction)
		r.Transaction = e.tx // s.res is &r: the resolution and the ledger share one copy
		l.apply(e, balances)
		id = r.Transaction.ID
	}
	return Receipt{ID: id, Seq: l.seq}, nil
}

// Holds yields every hold with its resolution, in the order placed. It
// holds the read lock while iterating.
func (l *Ledger) Holds() iter.Seq[HoldStatus] {
	return func(yield func(HoldStatus) bool) {
		l.mu.RLock()
		defer l.mu.RUnlock()
		for _, s := range l.holdOrder {
			st := HoldStatus{Hold: s.hold}
			if s.res != nil {
				st.Resolution = *s.res
				if s.res.Transaction != nil {
					tx := s.res.Transaction.clone()
					st.Resolution.Transaction = &tx
				}
			}
			if !yield(st) {
				return
			}
		}
	}
}

// Held returns the total of open holds paid from account.
func (l *Ledger) Held(account uuid.UUID) (coprod.Amount, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	acc, ok := l.accounts[account]
	if !ok {
		return coprod.Amount{}, refuse("account", account, ErrUnknownAccount, "no account %s", account)
	}
	sum := coprod.Zero(acc.Unit)
	for _, s := range l.holdOrder {
		if s.res == nil && s.hold.From == account {
			v, err := sum.Add(s.hold.Amount)
			if err != nil {
				return coprod.Amount{}, err
			}
			sum = v
		}
	}
	return sum, nil
}
