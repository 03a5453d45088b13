package ledger

import (
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/exact"
	"github.com/google/uuid"
)

// authorize asks the configured Authorizer about a financial record, and
// refuses a discretionary one in strict mode. It runs without the
// ledger's lock (taking the read lock only to read account owners), so
// the Authorizer never runs under it. It returns the proof to keep with
// the record: nil with no Authorizer, or for a discretionary record that
// spends only its decider's money; a discretionary record spending an
// organisation's money keeps the acting-for records the authority relied
// on (a proof with no path).
//
// prior is the earlier record a reversal or capture acts on. A reversal
// moves no new money (it gives back), so it is asked with no amount.
func (l *Ledger) authorize(kind string, tx *Transaction, prior *coprod.Prior) (*coprod.Proof, error) {
	f := &tx.Formality
	if !f.Formal() && l.opts.Strict && tx.Kind != Reversal {
		return nil, refuse(kind, tx.ID, ErrDiscretionary, "decided by %s under no instrument", f.DecidedBy)
	}
	if l.opts.Authorizer == nil || bookFor(tx.Kind) != financialBook {
		return nil, nil
	}
	if f.Formal() && f.Scope == "" {
		return nil, refuse(kind, tx.ID, ErrInvalidTransaction, "formal record without a scope for the authority check")
	}
	value, ok, err := moneyValue(tx.Postings)
	if err != nil {
		e := refuse(kind, tx.ID, ErrInvalidTransaction, "value moved")
		e.Cause = err
		return nil, e
	}
	if !ok && prior == nil {
		return nil, nil // nothing moves: nothing to authorise
	}
	l.mu.RLock()
	p, unknown := l.permission(tx, prior)
	l.mu.RUnlock()
	if unknown != uuid.Nil {
		// Refused now, not at commit: an account opened in between would
		// have an owner the authority was never asked about.
		return nil, refuse(kind, tx.ID, ErrUnknownAccount, "no account %s", unknown)
	}
	proof, err := l.opts.Authorizer.Permit(p)
	if err != nil {
		e := refuse(kind, tx.ID, ErrNotAuthorized, "%s decided by %s under instrument %s", value, f.DecidedBy, f.Instrument)
		e.Cause = err
		return nil, e
	}
	if proof.Empty() {
		if ok && tx.needsProof() {
			// Replay keeps only what was proved (replayedAuthority): a
			// formal record kept with no proof could not be rebuilt
			// from the journal, nor told from one the authority never
			// saw.
			return nil, refuse(kind, tx.ID, ErrNotAuthorized, "the authority permitted %s under instrument %s with an empty proof", value, f.Instrument)
		}
		return nil, nil
	}
	if len(proof.Path) > MaxProofLinks {
		return nil, refuse(kind, tx.ID, ErrNotAuthorized, "the authority's proof path has %d links, more than %d", len(proof.Path), MaxProofLinks)
	}
	if len(proof.Acting) > MaxPostings {
		// One acting-for record per payer, and a payer per posting.
		return nil, refuse(kind, tx.ID, ErrNotAuthorized, "the authority's proof names %d acting-for records, more than %d", len(proof.Acting), MaxPostings)
	}
	// The ledger keeps its own copy: an authority may reuse or change its
	// slices after answering, and a kept proof is shared by every record
	// made under the same authority.
	kept := cloneProof(&proof)
	zeroUnsetTimes(kept)
	return kept, nil
}

// needsProof reports whether a financial record that moves money must be
// kept with a proof on a ledger with an Authorizer: a formal record other
// than a reversal (which is authorised on the record it reverses, and may
// carry no proof of its own). authorize refuses one answered with an
// empty proof, and replay one whose line holds none: one rule for both.
func (tx *Transaction) needsProof() bool {
	return tx.Formality.Formal() && tx.Kind != Reversal
}

// zeroUnsetTimes makes each period time of p that is the zero instant the
// zero time.Time, whatever its location, so that a period with neither
// bound is the zero Window. The journal writes neither such a time nor
// such a period, so without this a record would read back one way live
// and another after replay.
func zeroUnsetTimes(p *coprod.Proof) {
	for i := range p.Path {
		w := &p.Path[i].Period
		if w.NotBefore.IsZero() {
			w.NotBefore = time.Time{}
		}
		if w.Expires.IsZero() {
			w.Expires = time.Time{}
		}
	}
}

// permission is the question tx puts to the authority, with the first
// account it names that the ledger does not hold, if any. A reversal
// moves no new money (it gives back), so it asks with no amount. The
// caller holds a lock.
func (l *Ledger) permission(tx *Transaction, prior *coprod.Prior) (p coprod.Permission, unknown uuid.UUID) {
	f := &tx.Formality
	p = coprod.Permission{
		Decider: f.DecidedBy, Approvers: approverParties(f.Approvers), Scope: f.Scope, Instrument: f.Instrument,
		Recorded: tx.Recorded, Effective: tx.Effective, Location: l.opts.Location, Prior: prior,
	}
	if tx.Kind != Reversal {
		if v, moves, err := moneyValue(tx.Postings); err == nil && moves {
			p.Amount = v
		}
	}
	p.Payers, p.Beneficiaries, unknown = l.owners(tx.Postings)
	return p, unknown
}

// owners returns the owners of the accounts money leaves (payers) and the
// owners whose accounts gain on balance (beneficiaries): a transfer
// between one owner's own accounts makes no beneficiary. It returns too
// the first account the ledger does not hold, which it skips. The caller
// holds a lock.
func (l *Ledger) owners(ps []Posting) (payers, beneficiaries []coprod.PartyID, unknown uuid.UUID) {
	type net struct {
		owner coprod.PartyID
		sum   exact.Sum
	}
	var buf [8]net
	nets := buf[:0]
	for _, p := range ps {
		acc, ok := l.accounts[p.Account]
		if !ok && unknown == uuid.Nil {
			unknown = p.Account
		}
		if !ok || !p.Amount.Unit().IsMoney() {
			continue
		}
		if p.Amount.Sign() < 0 && !containsParty(payers, acc.Owner) {
			payers = append(payers, acc.Owner)
		}
		i := 0
		for i < len(nets) && nets[i].owner != acc.Owner {
			i++
		}
		if i == len(nets) {
			nets = append(nets, net{owner: acc.Owner, sum: exact.New(p.Amount.Unit())})
		}
		if nets[i].sum.Add(p.Amount) != nil {
			// Beyond range: count the owner as gaining, the cautious answer.
			nets[i].sum = exact.Minor(p.Amount.Unit(), 1)
		}
	}
	for _, n := range nets {
		if n.sum.Sign() > 0 {
			beneficiaries = append(beneficiaries, n.owner)
		}
	}
	return payers, beneficiaries, unknown
}

// payersOf returns the owners of the accounts a recorded transaction took
// money from. The caller holds a lock.
func (l *Ledger) payersOf(tx *Transaction) []coprod.PartyID {
	payers, _, _ := l.owners(tx.Postings)
	return payers
}

func containsParty(ps []coprod.PartyID, p coprod.PartyID) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// capKey names one running total: a link's spending in one period span.
// Times are kept as seconds and nanoseconds so that equal instants are
// equal keys whatever their location.
type capKey struct {
	link             uuid.UUID
	fromSec, toSec   int64
	fromNsec, toNsec int32
}

func keyOf(pl *coprod.ProofLink) capKey {
	k := capKey{link: pl.ID}
	if t := pl.Period.NotBefore; !t.IsZero() {
		k.fromSec, k.fromNsec = t.Unix(), int32(t.Nanosecond())
	}
	if t := pl.Period.Expires; !t.IsZero() {
		k.toSec, k.toNsec = t.Unix(), int32(t.Nanosecond())
	}
	return k
}

// capTotal is what has been spent, open holds included, against one
// link's cumulative limit in one period.
type capTotal struct {
	limit coprod.Amount
	spent exact.Sum
}

// capChange is one total's value after a record, computed before the
// record is applied so that applying cannot fail.
type capChange struct {
	key    capKey
	limit  coprod.Amount
	after  exact.Sum
	raised bool      // the record adds to this total
	total  *capTotal // the total kept for key, or nil for one the record starts
}

// capChanges works out what a record does to the running totals of the
// cumulative limits on its proof paths, and refuses it if any total it
// raises would pass its limit. add is the record's own proof, counting
// its value; release is an earlier record's proof whose value it gives
// back (a reversal's original, a resolved hold). For a reversal the
// original is found from tx. The caller holds the write lock.
func (l *Ledger) capChanges(dst []capChange, kind string, id uuid.UUID, tx *Transaction, release *released) ([]capChange, error) {
	if tx != nil {
		if tx.Kind == Reversal {
			if orig, _ := l.entry(tx.Reverses); orig != nil && orig.tx.Proof != nil {
				v, ok, err := moneyValue(orig.tx.Postings)
				if err != nil {
					return nil, refuse(kind, id, ErrInvalidTransaction, "value of the original: %v", err)
				}
				if ok {
					release = &released{proof: orig.tx.Proof, amount: v}
				}
			}
		} else if tx.Proof != nil {
			v, ok, err := moneyValue(tx.Postings)
			if err != nil {
				return nil, refuse(kind, id, ErrInvalidTransaction, "value moved: %v", err)
			}
			if ok {
				var err error
				if dst, err = l.addCaps(dst, kind, id, tx.Proof, v, false); err != nil {
					return nil, err
				}
			}
		}
	}
	if release != nil {
		var err error
		if dst, err = l.addCaps(dst, kind, id, release.proof, release.amount, true); err != nil {
			return nil, err
		}
	}
	// Only totals that rise can pass a limit; giving back never fails.
	for i := range dst {
		c := &dst[i]
		if !c.raised {
			continue
		}
		after, err := c.after.Amount()
		if err != nil {
			return nil, refuse(kind, id, ErrOverCumulative, "total out of range against link %s", c.key.link)
		}
		cmp, err := after.Cmp(c.limit)
		if err != nil {
			return nil, refuse(kind, id, ErrUnitMismatch, "%s against the cumulative limit %s of link %s", after, c.limit, c.key.link)
		}
		if cmp > 0 {
			return nil, refuse(kind, id, ErrOverCumulative, "%s spent and held would pass the cumulative limit %s of link %s", after, c.limit, c.key.link)
		}
	}
	return dst, nil
}

// released is an earlier record's counted value, given back.
type released struct {
	proof  *coprod.Proof
	amount coprod.Amount
}

// addCaps adds amount (or takes it away, with back) to the total of every
// capped link on proof, accumulating in dst when a link appears twice.
func (l *Ledger) addCaps(dst []capChange, kind string, id uuid.UUID, proof *coprod.Proof, amount coprod.Amount, back bool) ([]capChange, error) {
	for i := range proof.Path {
		pl := &proof.Path[i]
		if !pl.Limit.IsSet() {
			continue
		}
		if pl.Limit.Unit() != amount.Unit() {
			return nil, refuse(kind, id, ErrUnitMismatch, "%s against the cumulative limit %s of link %s", amount, pl.Limit, pl.ID)
		}
		k := keyOf(pl)
		j := 0
		for j < len(dst) && dst[j].key != k {
			j++
		}
		if j == len(dst) {
			c := capChange{key: k, limit: pl.Limit, after: exact.New(amount.Unit())}
			if t := l.caps[k]; t != nil {
				c.after, c.total = t.spent, t
			}
			dst = append(dst, c)
		}
		delta := amount
		if back {
			delta = amount.Neg()
		}
		if err := dst[j].after.Add(delta); err != nil {
			return nil, refuse(kind, id, ErrOverCumulative, "total out of range against link %s", pl.ID)
		}
		if !back {
			dst[j].raised = true
		}
	}
	return dst, nil
}

// applyCaps stores the totals capChanges worked out, under the same hold
// of the write lock: the totals they found are still the ones kept.
func (l *Ledger) applyCaps(changes []capChange) {
	for i := range changes {
		c := &changes[i]
		if c.total != nil {
			c.total.spent = c.after
			continue
		}
		l.caps[c.key] = &capTotal{limit: c.limit, spent: c.after}
	}
}

// Spent reports what has been spent, open holds included, under a
// mandate or delegation and every delegation below it, in period: the
// span of the link's cumulative-limit period, as the authority put it on
// the proofs of the records counted. It is the running total the ledger
// enforces the limit with, so a Ledger serves as the governance.Usage of
// a standalone Authorize. A link nothing has been counted against in
// period has spent zero pounds.
func (l *Ledger) Spent(link uuid.UUID, period coprod.Window) (coprod.Amount, error) {
	k := keyOf(&coprod.ProofLink{ID: link, Period: period})
	l.mu.RLock()
	t := l.caps[k]
	var total exact.Sum
	if t != nil {
		total = t.spent
	}
	l.mu.RUnlock()
	if t == nil {
		return coprod.Zero(coprod.GBP), nil
	}
	return total.Amount()
}

// noteRecorded advances the latest recorded time. The caller holds the
// write lock.
func (l *Ledger) noteRecorded(t time.Time) {
	if t.After(l.lastRecorded) {
		l.lastRecorded = t
	}
}

// Permission rebuilds the question the ledger put to its Authorizer when
// it recorded transaction id: who decided and approved, the scope, the
// money moved, whose it was and who gained, the instrument, the recorded
// and effective times, and, for a reversal, the original it corrects. An
// auditor asks it again of the register as it was known when the record
// was made (governance.Register.AsOf), to see that it was authorised when
// made, whatever was recorded since.
func (l *Ledger) Permission(id uuid.UUID) (coprod.Permission, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	e, ok := l.entry(id)
	if !ok {
		return coprod.Permission{}, refuse("transaction", id, ErrUnknownTransaction, "no transaction %s", id)
	}
	tx := &e.tx
	var prior *coprod.Prior
	if tx.Kind == Reversal {
		orig := &l.mustEntry(tx.Reverses).tx
		prior = &coprod.Prior{Decider: orig.Formality.DecidedBy, Proof: cloneProof(orig.Proof), Payers: l.payersOf(orig)}
	}
	p, _ := l.permission(tx, prior)
	return p, nil
}
