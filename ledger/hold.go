package ledger

import (
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Hold is a commitment: money agreed (a grant awarded, a contract let) but
// not yet paid. It is later captured, in part or whole, voided, or expired:
// resolved exactly once. While open it counts against every cumulative
// limit on its proof path, in the period it was placed.
type Hold struct {
	ID   uuid.UUID `json:"id"`
	Kind Kind      `json:"kind"`
	// From is the paying account and To the receiving one; both financial,
	// in the hold's unit.
	From   uuid.UUID     `json:"from"`
	To     uuid.UUID     `json:"to"`
	Amount coprod.Amount `json:"amount"`
	// Expires, if set, is when the commitment lapses: it cannot be
	// captured from then on, and Expire resolves it.
	Expires   time.Time `json:"expires,omitzero"`
	Formality Formality `json:"formality"`
	Coverage  Coverage  `json:"coverage,omitempty"`
	Against   uuid.UUID `json:"against,omitzero"`
	Recorded  time.Time `json:"recorded"`
	Memo      string    `json:"memo,omitempty"`
	// Proof is the authority the hold was placed under, set by the ledger
	// as for a Transaction; PlaceHold refuses a hold that carries one.
	Proof *coprod.Proof `json:"proof,omitempty"`
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
// transaction it posted; a void names who decided it and the proof of
// their entitlement.
type HoldResolution struct {
	Hold       uuid.UUID  `json:"hold"`
	Resolution Resolution `json:"resolution"`
	// At is when the resolution was recorded.
	At time.Time      `json:"at"`
	By coprod.PartyID `json:"by,omitzero"`
	// Approvers are the co-signatories of a void (a capture's are on its
	// transaction).
	Approvers   []Approval    `json:"approvers,omitempty"`
	Reason      string        `json:"reason,omitempty"`
	Transaction *Transaction  `json:"transaction,omitempty"`
	Proof       *coprod.Proof `json:"proof,omitempty"`
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
	case h.Proof != nil && len(h.Proof.Path) > MaxProofLinks:
		return fmt.Errorf("proof path longer than %d links", MaxProofLinks)
	case h.Proof != nil && len(h.Proof.Acting) > MaxPostings:
		return fmt.Errorf("proof names more than %d acting-for records", MaxPostings)
	}
	if err := validateApprovals(h.Formality.Approvers, h.Recorded); err != nil {
		return err
	}
	if err := checkText("memo", h.Memo); err != nil {
		return err
	}
	return h.Formality.checkScope()
}

// transaction is the posting a capture of amount makes, decided by f.
func (h *Hold) transaction(id uuid.UUID, amount coprod.Amount, effective, recorded time.Time, f Formality) Transaction {
	return Transaction{
		ID: id, Kind: h.Kind, Effective: effective, Recorded: recorded,
		Postings:  []Posting{{Account: h.From, Amount: amount.Neg()}, {Account: h.To, Amount: amount}},
		Formality: f, Coverage: h.Coverage, Against: h.Against, Memo: h.Memo,
	}
}

// PlaceHold records a commitment. It is authorised like a transaction, at
// its Recorded time, for its full amount, and counts against every
// cumulative limit on its proof path until it is resolved. Placing the
// same hold again returns the first receipt.
func (l *Ledger) PlaceHold(h Hold) (Receipt, error) {
	if err := h.validate(); err != nil {
		return Receipt{}, refuseCause("hold", h.ID, ErrInvalidTransaction, err)
	}
	if h.Proof != nil {
		return Receipt{}, refuse("hold", h.ID, ErrInvalidTransaction, "the proof is the ledger's to record, not the caller's")
	}
	h.Formality.Approvers = slices.Clone(h.Formality.Approvers)
	probe := h.transaction(h.ID, h.Amount, h.Recorded, h.Recorded, h.Formality)
	l.mu.RLock()
	old, ok := l.holds[h.ID]
	l.mu.RUnlock()
	if ok {
		return l.holdRetry(old, h)
	}
	proof, err := l.authorize("hold", &probe, nil)
	if err != nil {
		return Receipt{}, err
	}
	h.Proof = proof
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

// equal compares holds as the caller gave them: the Proof is the ledger's.
func (h *Hold) equal(o *Hold) bool {
	return h.ID == o.ID && h.Kind == o.Kind && h.From == o.From && h.To == o.To && h.Amount.Equal(o.Amount) &&
		h.Expires.Equal(o.Expires) && h.Formality.equal(&o.Formality) && h.Coverage == o.Coverage &&
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
		if _, ok := l.entry(h.Against); !ok {
			return Receipt{}, refuse("hold", h.ID, ErrUnknownTransaction, "against unknown transaction %s", h.Against)
		}
	}
	if err := l.checkTimes("hold", h.ID, h.Recorded, time.Time{}); err != nil {
		return Receipt{}, err
	}
	var capBuf [MaxProofLinks]capChange
	caps := capBuf[:0]
	if h.Proof != nil {
		var err error
		if caps, err = l.addCaps(caps, "hold", h.ID, h.Proof, h.Amount, false); err != nil {
			return Receipt{}, err
		}
		if caps, err = l.capChanges(caps, "hold", h.ID, nil, nil); err != nil {
			return Receipt{}, err
		}
	}
	if err := l.commit(recHold, h, journal); err != nil {
		return Receipt{}, journalRefusal("hold", h.ID, err)
	}
	s := &holdState{hold: h, seq: l.seq}
	l.holds[h.ID] = s
	l.holdOrder = append(l.holdOrder, s)
	l.applyCaps(caps)
	l.noteRecorded(h.Recorded)
	return Receipt{ID: h.ID, Seq: l.seq}, nil
}

// CaptureRequest asks for part or all of a hold to be paid.
type CaptureRequest struct {
	Hold uuid.UUID
	// ID is the capture transaction's ID, its idempotency key.
	ID     uuid.UUID
	Amount coprod.Amount
	// Effective and Recorded are the payment's times; both must be before
	// the hold's expiry.
	Effective time.Time
	Recorded  time.Time
	// By decides the capture: with an Authorizer, someone entitled to act
	// on the hold (its decider, a holder above them on its proof path, or
	// a successor in the same post), within their own limits now.
	By coprod.PartyID
	// Approvers are the co-signatories' approvals, at or before Recorded.
	Approvers []Approval
}

// Capture posts req.Amount (at most the amount held) of a hold and
// resolves the hold; whatever is not captured is released. With an
// Authorizer the capture is authorised again at its recorded time, and
// the payment counts against the cumulative limits of its own proof path
// in its own period while the hold's reservation is released, so nothing
// counts twice. Retrying the same capture returns the first receipt; any
// other operation on a resolved hold is ErrHoldResolved.
func (l *Ledger) Capture(req CaptureRequest) (Receipt, error) {
	l.mu.RLock()
	s, ok := l.holds[req.Hold]
	var h Hold
	var res *HoldResolution
	var payers []coprod.PartyID
	if ok {
		h, res = s.hold, s.res
		if acc := l.accounts[h.From]; acc != nil {
			payers = []coprod.PartyID{acc.Owner}
		}
	}
	l.mu.RUnlock()
	if !ok {
		return Receipt{}, refuse("hold", req.Hold, ErrUnknownHold, "no hold %s", req.Hold)
	}
	f := Formality{Instrument: h.Formality.Instrument, Scope: h.Formality.Scope, DecidedBy: req.By, Approvers: slices.Clone(req.Approvers)}
	tx := h.transaction(req.ID, req.Amount, req.Effective, req.Recorded, f)
	if res != nil {
		l.mu.RLock()
		defer l.mu.RUnlock()
		return l.captureRetry(res, &tx)
	}
	if err := checkShape(&tx); err != nil {
		return Receipt{}, err
	}
	if err := checkCapture(&h, &tx); err != nil {
		return Receipt{}, err
	}
	proof, err := l.authorize("hold", &tx, &coprod.Prior{Decider: h.Formality.DecidedBy, Proof: cloneProof(h.Proof), Payers: payers})
	if err != nil {
		return Receipt{}, err
	}
	tx.Proof = proof
	l.mu.Lock()
	defer l.mu.Unlock()
	s = l.holds[req.Hold]
	if s.res != nil {
		// Resolved while this capture was being authorised: by this same
		// capture, retried concurrently, or by another operation.
		return l.captureRetry(s.res, &tx)
	}
	return l.resolve(s, HoldResolution{Hold: req.Hold, Resolution: Captured, At: req.Recorded, By: req.By, Transaction: &tx}, true, false)
}

// captureRetry answers a capture of a hold already resolved as res: the
// first receipt if res is this capture, ErrHoldResolved otherwise. The
// caller holds the lock.
func (l *Ledger) captureRetry(res *HoldResolution, tx *Transaction) (Receipt, error) {
	if res.Transaction != nil && res.Transaction.equal(tx) {
		return Receipt{ID: tx.ID, Seq: l.mustEntry(tx.ID).seq, Duplicate: true}, nil
	}
	return Receipt{}, refuse("hold", res.Hold, ErrHoldResolved, "%s at %s", res.Resolution, res.At.Format(time.RFC3339))
}

// checkCapture checks a capture transaction against its hold: the hold's
// accounts, kind and instrument, an amount above zero and at most the
// hold, and times before its expiry. Live captures and replayed ones run
// it alike.
func checkCapture(h *Hold, tx *Transaction) error {
	amount := coprod.Amount{}
	if len(tx.Postings) == 2 {
		amount = tx.Postings[1].Amount
	}
	want := h.transaction(tx.ID, amount, tx.Effective, tx.Recorded, tx.Formality)
	want.Proof = tx.Proof
	if !want.equal(tx) || tx.Formality.Instrument != h.Formality.Instrument || tx.Formality.Scope != h.Formality.Scope {
		return refuse("hold", h.ID, ErrInvalidTransaction, "capture does not match the hold")
	}
	switch c, err := amount.Cmp(h.Amount); {
	case err != nil:
		return refuse("hold", h.ID, ErrUnitMismatch, "capture %s of a hold of %s", amount, h.Amount)
	case amount.Sign() <= 0:
		return refuse("hold", h.ID, ErrInvalidTransaction, "capture %s: a capture pays something", amount)
	case c > 0:
		return refuse("hold", h.ID, ErrOverHold, "capture %s of a hold of %s", amount, h.Amount)
	}
	if !h.Expires.IsZero() && (!tx.Recorded.Before(h.Expires) || !tx.Effective.Before(h.Expires)) {
		return refuse("hold", h.ID, ErrHoldExpired, "the hold expired at %s", h.Expires.Format(time.RFC3339))
	}
	return nil
}

// VoidRequest asks for a hold to be released without payment.
type VoidRequest struct {
	Hold uuid.UUID
	// By decides the void: with an Authorizer, someone entitled to act on
	// the hold, as for a capture.
	By coprod.PartyID
	// Approvers are the co-signatories' approvals, at or before At. They
	// are put to the authority and kept, journaled, on the resolution.
	Approvers []Approval
	// At is when the void is recorded.
	At     time.Time
	Reason string
}

// Void resolves a hold without payment, releasing what it counted
// against cumulative limits.
func (l *Ledger) Void(req VoidRequest) error {
	r := HoldResolution{Hold: req.Hold, Resolution: Voided, At: req.At, By: req.By, Reason: req.Reason, Approvers: slices.Clone(req.Approvers)}
	if err := checkEnd(&r, false); err != nil {
		return err
	}
	if err := validateApprovals(req.Approvers, req.At); err != nil {
		return refuseCause("hold", req.Hold, ErrInvalidTransaction, err)
	}
	l.mu.RLock()
	s, ok := l.holds[req.Hold]
	var h Hold
	var payers []coprod.PartyID
	if ok {
		h = s.hold
		if acc := l.accounts[h.From]; acc != nil {
			payers = []coprod.PartyID{acc.Owner}
		}
	}
	l.mu.RUnlock()
	if !ok {
		return refuse("hold", req.Hold, ErrUnknownHold, "no hold %s", req.Hold)
	}
	probe := h.transaction(h.ID, h.Amount, req.At, req.At,
		Formality{Instrument: h.Formality.Instrument, Scope: h.Formality.Scope, DecidedBy: req.By, Approvers: req.Approvers})
	probe.Kind = Reversal // gives back: asked with no amount
	proof, err := l.authorize("hold", &probe, &coprod.Prior{Decider: h.Formality.DecidedBy, Proof: cloneProof(h.Proof), Payers: payers})
	if err != nil {
		return err
	}
	r.Proof = proof
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err = l.resolve(s, r, true, false)
	return err
}

// Expire resolves a hold whose expiry time has come (at is not before
// Expires), releasing what it counted against cumulative limits. A hold
// with no expiry never expires. Expiry is a fact, not a decision: it needs
// no authority.
func (l *Ledger) Expire(hold uuid.UUID, at time.Time) error {
	r := HoldResolution{Hold: hold, Resolution: Expired, At: at}
	if err := checkEnd(&r, false); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.holds[hold]
	if !ok {
		return refuse("hold", hold, ErrUnknownHold, "no hold %s", hold)
	}
	_, err := l.resolve(s, r, true, false)
	return err
}

// checkEnd checks what a resolution needs whatever the ledger's state.
// With legacy set (a version 1 journal line), a void may name no decider:
// that version did not record one.
func checkEnd(r *HoldResolution, legacy bool) error {
	if err := checkText("reason", r.Reason); err != nil {
		return refuseCause("hold", r.Hold, ErrInvalidTransaction, err)
	}
	if err := validateApprovals(r.Approvers, r.At); err != nil {
		return refuseCause("hold", r.Hold, ErrInvalidTransaction, err)
	}
	switch {
	case r.At.IsZero() || !storable(r.At):
		return refuse("hold", r.Hold, ErrInvalidTransaction, "zero time or a year outside 1 to 9999")
	case r.Resolution == Captured && (r.Transaction == nil || r.Proof != nil):
		return refuse("hold", r.Hold, ErrInvalidTransaction, "a capture carries its transaction, and its proof there")
	case r.Resolution != Voided && len(r.Approvers) > 0:
		return refuse("hold", r.Hold, ErrInvalidTransaction, "only a void carries approvals of its own")
	case r.Resolution != Captured && r.Transaction != nil:
		return refuse("hold", r.Hold, ErrInvalidTransaction, "only a capture carries a transaction")
	case r.Resolution != Captured && r.Resolution != Voided && r.Resolution != Expired:
		return refuse("hold", r.Hold, ErrInvalidTransaction, "resolution %q", string(r.Resolution))
	case r.Resolution == Voided && r.By == uuid.Nil && !legacy:
		return refuse("hold", r.Hold, ErrInvalidTransaction, "a void names who decided it")
	case r.Resolution == Expired && (r.By != uuid.Nil || r.Proof != nil):
		return refuse("hold", r.Hold, ErrInvalidTransaction, "an expiry is decided by no one")
	case r.Proof != nil && (len(r.Proof.Path) > MaxProofLinks || len(r.Proof.Acting) > MaxPostings):
		return refuse("hold", r.Hold, ErrInvalidTransaction, "proof longer than %d links or %d acting-for records", MaxProofLinks, MaxPostings)
	}
	return nil
}

// resolve validates and applies a resolution; the caller holds the lock.
// Live calls and replay both come through here, so a journal line that a
// live call would refuse is refused at replay.
// legacy says the resolution comes from a version 1 journal line.
func (l *Ledger) resolve(s *holdState, r HoldResolution, journal, legacy bool) (Receipt, error) {
	if err := checkEnd(&r, legacy); err != nil {
		return Receipt{}, err
	}
	if s.res != nil {
		return Receipt{}, refuse("hold", s.hold.ID, ErrHoldResolved, "%s at %s", s.res.Resolution, s.res.At.Format(time.RFC3339))
	}
	if r.Resolution == Expired && (s.hold.Expires.IsZero() || r.At.Before(s.hold.Expires)) {
		return Receipt{}, refuse("hold", s.hold.ID, ErrHoldNotExpired, "expires %s", s.hold.Expires.Format(time.RFC3339))
	}
	var balances []posted
	effective := time.Time{}
	tx := r.Transaction
	if tx != nil {
		if err := checkShape(tx); err != nil {
			return Receipt{}, err
		}
		if err := checkCapture(&s.hold, tx); err != nil {
			return Receipt{}, err
		}
		if !r.At.Equal(tx.Recorded) || r.By != tx.Formality.DecidedBy {
			return Receipt{}, refuse("hold", s.hold.ID, ErrInvalidTransaction, "the capture's time or decider differs from its transaction's")
		}
		if _, ok := l.entry(tx.ID); ok {
			return Receipt{}, refuse("transaction", tx.ID, ErrIdempotencyConflict, "id already recorded")
		}
		effective = tx.Effective
		var buf [8]posted
		var err error
		if balances, err = l.validate(tx, buf[:0]); err != nil {
			return Receipt{}, err
		}
	}
	if err := l.checkTimes("hold", s.hold.ID, r.At, effective); err != nil {
		return Receipt{}, err
	}
	var capBuf [2 * MaxProofLinks]capChange
	var rel *released
	if s.hold.Proof != nil {
		rel = &released{proof: s.hold.Proof, amount: s.hold.Amount}
	}
	caps, err := l.capChanges(capBuf[:0], "hold", s.hold.ID, tx, rel)
	if err != nil {
		return Receipt{}, err
	}
	if err := l.commit(recResolution, r, journal); err != nil {
		return Receipt{}, journalRefusal("hold", s.hold.ID, err)
	}
	s.res = &r
	id := s.hold.ID
	if tx != nil {
		e := l.newEntry(*tx)
		r.Transaction = &e.tx // s.res is &r: the resolution and the ledger share one copy
		l.apply(e, balances)
		id = tx.ID
	}
	l.applyCaps(caps)
	l.noteRecorded(r.At)
	return Receipt{ID: id, Seq: l.seq}, nil
}

// Holds yields the holds placed when iteration starts, each with its
// resolution at that moment, in the order placed. The loop body runs with
// no lock held, so it may query the ledger or record into it.
func (l *Ledger) Holds() iter.Seq[HoldStatus] {
	return func(yield func(HoldStatus) bool) {
		// holdOrder is append-only and a hold is fixed when placed, but
		// its resolution is set later: the resolutions are copied under
		// the lock. A resolution, once set, is never changed.
		l.mu.RLock()
		order := l.holdOrder
		resolved := make([]*HoldResolution, len(order))
		for i, s := range order {
			resolved[i] = s.res
		}
		l.mu.RUnlock()
		for i, s := range order {
			st := HoldStatus{Hold: s.hold}
			// The hold's proof and approvals are the ledger's: it gives
			// back against the proof's links when the hold is resolved.
			st.Hold.Proof = cloneProof(s.hold.Proof)
			st.Hold.Formality.Approvers = slices.Clone(s.hold.Formality.Approvers)
			if res := resolved[i]; res != nil {
				st.Resolution = *res
				st.Resolution.Approvers = slices.Clone(res.Approvers)
				st.Resolution.Proof = cloneProof(res.Proof)
				if res.Transaction != nil {
					tx := res.Transaction.clone()
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
