package ledger_test

// A model-based test: a seeded random sequence of ledger operations, most
// of them valid, many refused on purpose, checked after every step
// against a small reference model written apart from the ledger: balances
// in big.Int minor units, the transactions and their content, what was
// reversed, the state of every hold, the closed-through time and the
// latest recorded time.
//
//	go test ./ledger -run TestModel                       # 100,000 steps, a new seed
//	go test ./ledger -run TestModel -short                # 10,000 steps
//	go test ./ledger -run TestModel -model.steps=1000000  # longer
//	go test ./ledger -run TestModel -model.seed=S -model.steps=N  # replay a failure
//
// A failure prints its seed, the shortest failing prefix of the sequence
// (found by bisection on the number of steps) and the last operations of
// that prefix.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"maps"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

var (
	modelSteps = flag.Int("model.steps", 0, "steps of TestModel (0: 100,000, or 10,000 with -short)")
	modelSeed  = flag.Uint64("model.seed", 0, "seed of TestModel (0: the fixed default, so that CI repeats itself)")
	modelFresh = flag.Bool("model.random", false, "seed TestModel from the clock, to explore new sequences")
)

const (
	// modelLife is how many steps one ledger lives before the test starts
	// a fresh ledger and model. A journal round trip replays the whole
	// journal, so round trips every modelRoundTrip steps over one ever
	// growing journal would make the test quadratic in its steps;
	// lifetimes keep it linear while each ledger still sees thousands of
	// records, closings and holds interleave.
	modelLife = 2_000
	// modelRoundTrip is how often the journal is verified and replayed.
	modelRoundTrip = 500
	// modelFullCheck is how often every transaction and hold is compared
	// with the model.
	modelFullCheck = 250
	// modelTrace is how many of the last operations a failure shows.
	modelTrace = 12
)

func TestModel(t *testing.T) {
	steps := 100_000
	if testing.Short() {
		steps = 10_000
	}
	if *modelSteps > 0 {
		steps = *modelSteps
	}
	seed := *modelSeed
	switch {
	case *modelFresh:
		seed = uint64(time.Now().UnixNano())
	case seed == 0:
		seed = 20261126
	}
	t.Logf("seed %d, %d steps", seed, steps)
	stats := map[string]int{}
	f := runModel(seed, steps, stats)
	if testing.Verbose() {
		keys := slices.Sorted(maps.Keys(stats))
		for _, k := range keys {
			t.Logf("%7d %s", stats[k], k)
		}
	}
	if f == nil {
		return
	}
	// Shrink: the shortest prefix of the same sequence that still fails.
	// Every run ends with a journal round trip, so a fault the journal
	// carries is found at its own step, not only at the next round trip.
	lo, hi := 1, f.step
	shortest := f
	if g := runModel(seed, hi, nil); g != nil {
		shortest = g
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if g := runModel(seed, mid, nil); g != nil {
			hi, shortest = mid, g
		} else {
			lo = mid + 1
		}
	}
	t.Fatalf("model: seed %d failed at step %d of %d: %s\n"+
		"shortest failing prefix: %d steps (go test ./ledger -run 'TestModel$' -model.seed=%d -model.steps=%d), failing at step %d: %s\n"+
		"last operations of that prefix:\n%s",
		seed, f.step, steps, f.msg, hi, seed, hi, shortest.step, shortest.msg, strings.Join(shortest.trace, "\n"))
}

// ---------------------------------------------------------------------
// The reference model.

type mbook int

const (
	mFinancial mbook = iota
	mLabour
	mInKind
)

// modelAccounts are the accounts of every ledger the test runs: the test
// partnership's, from helpers_test.go.
func bookOfKind(k ledger.AccountKind) mbook {
	switch k {
	case ledger.MemoLabour:
		return mLabour
	case ledger.MemoInKind:
		return mInKind
	}
	return mFinancial
}

func bookOfTx(k ledger.Kind) mbook {
	switch k {
	case ledger.UnpaidLabour, ledger.TimeCredit:
		return mLabour
	case ledger.InKind:
		return mInKind
	}
	return mFinancial
}

type mAccount struct {
	acc  ledger.Account
	book mbook
	bal  *big.Int // minor units
	held *big.Int // open holds paid from it, minor units
}

type mTx struct {
	tx         ledger.Transaction // what the ledger must hold
	seq        int
	posted     bool                    // made with Post, so retried with Post
	reversal   *ledger.ReversalRequest // the request that made it, for a reversal
	reversedBy uuid.UUID
}

type mHold struct {
	h          ledger.Hold
	seq        int
	state      ledger.Resolution
	capture    *ledger.CaptureRequest
	captureSeq int
}

type model struct {
	accts    []*mAccount
	byID     map[uuid.UUID]*mAccount
	txs      map[uuid.UUID]*mTx
	txIDs    []uuid.UUID // in the order recorded
	posted   []uuid.UUID // made with Post
	revs     []uuid.UUID // reversals
	reversed []uuid.UUID // transactions reversed
	holds    map[uuid.UUID]*mHold
	holdIDs  []uuid.UUID
	closed   time.Time
	closings int
	last     time.Time
	seq      int
}

func newModel() *model {
	m := &model{byID: map[uuid.UUID]*mAccount{}, txs: map[uuid.UUID]*mTx{}, holds: map[uuid.UUID]*mHold{}}
	for _, a := range accounts {
		ma := &mAccount{acc: a, book: bookOfKind(a.Kind), bal: new(big.Int), held: new(big.Int)}
		m.accts = append(m.accts, ma)
		m.byID[a.ID] = ma
		m.seq++ // each account is one journal line
	}
	return m
}

const skew = ledger.DefaultMaxSkew

// behind reports whether a recorded time is further behind the latest
// recorded than the skew allows.
func (m *model) behind(rec time.Time) bool { return rec.Before(m.last.Add(-skew)) }

// inClosed reports whether an effective time falls in the closed books.
func (m *model) inClosed(eff time.Time) bool { return !m.closed.IsZero() && eff.Before(m.closed) }

func (m *model) note(rec time.Time) {
	if rec.After(m.last) {
		m.last = rec
	}
}

// minor returns an amount's value in minor units of its unit.
func minor(a coprod.Amount) *big.Int {
	d := a.Decimal()
	if scale := a.Unit().Scale(); d.Exponent() != -scale {
		d = d.Shift(scale)
		return d.BigInt()
	}
	return d.Coefficient()
}

// want is what the model expects of one operation.
type want struct {
	errs    []error // refused with one of these; empty: accepted
	dup     bool    // an idempotent retry: accepted, nothing recorded
	receipt bool    // the call returns a receipt to check
	id      uuid.UUID
	seq     int
	tx      uuid.UUID // the transaction an acceptance records
	absent  uuid.UUID // a transaction ID a refusal must not leave behind
	revOf   uuid.UUID // the transaction an accepted reversal reverses
	holdOp  bool
}

func (w *want) refuse(errs ...error) { w.errs = append(w.errs, errs...) }

func sameFormality(a, b ledger.Formality) bool {
	return a.Instrument == b.Instrument && a.Scope == b.Scope && a.DecidedBy == b.DecidedBy && slices.Equal(a.Approvers, b.Approvers)
}

func sameAmount(a, b coprod.Amount) bool {
	return a.Equal(b)
}

// sameTx compares two transactions as a caller gives them.
func sameTx(a, b *ledger.Transaction) bool {
	if a.ID != b.ID || a.Kind != b.Kind || !a.Effective.Equal(b.Effective) || !a.Recorded.Equal(b.Recorded) ||
		!sameFormality(a.Formality, b.Formality) || a.Coverage != b.Coverage || a.Against != b.Against ||
		a.Reverses != b.Reverses || a.Memo != b.Memo || len(a.Postings) != len(b.Postings) || len(a.Metadata) != len(b.Metadata) {
		return false
	}
	for k, v := range a.Metadata {
		if w, ok := b.Metadata[k]; !ok || w != v {
			return false
		}
	}
	for i := range a.Postings {
		if a.Postings[i].Account != b.Postings[i].Account || !sameAmount(a.Postings[i].Amount, b.Postings[i].Amount) {
			return false
		}
	}
	if (a.Labour == nil) != (b.Labour == nil) {
		return false
	}
	if a.Labour == nil {
		return true
	}
	x, y := a.Labour, b.Labour
	return sameAmount(x.Hours, y.Hours) && x.Method == y.Method && sameAmount(x.Rate, y.Rate) && sameAmount(x.Low, y.Low) &&
		sameAmount(x.High, y.High) && x.WageSource == y.WageSource && x.Recognised == y.Recognised
}

func sameHold(a, b *ledger.Hold) bool {
	return a.ID == b.ID && a.Kind == b.Kind && a.From == b.From && a.To == b.To && sameAmount(a.Amount, b.Amount) &&
		a.Expires.Equal(b.Expires) && sameFormality(a.Formality, b.Formality) && a.Coverage == b.Coverage &&
		a.Against == b.Against && a.Recorded.Equal(b.Recorded) && a.Memo == b.Memo
}

func sameReversal(a, b *ledger.ReversalRequest) bool {
	return a.ID == b.ID && a.Of == b.Of && a.By == b.By && slices.Equal(a.Approvers, b.Approvers) && a.Reason == b.Reason &&
		a.Effective.Equal(b.Effective) && a.Recorded.Equal(b.Recorded)
}

func sameCapture(a, b *ledger.CaptureRequest) bool {
	return a.Hold == b.Hold && a.ID == b.ID && sameAmount(a.Amount, b.Amount) && a.Effective.Equal(b.Effective) &&
		a.Recorded.Equal(b.Recorded) && a.By == b.By && slices.Equal(a.Approvers, b.Approvers)
}

func validKind(k ledger.Kind) bool {
	switch k {
	case ledger.Grant, ledger.Contract, ledger.SLA, ledger.CoreFunding, ledger.ProjectFunding, ledger.InKind,
		ledger.UnpaidLabour, ledger.TimeCredit, ledger.InvolvementPayment, ledger.Payment, ledger.Reversal:
		return true
	}
	return false
}

func validCoverage(c ledger.Coverage) bool {
	switch c {
	case ledger.CoverageUnknown, ledger.FullCost, ledger.DirectCosts, ledger.Unfunded:
		return true
	}
	return false
}

// contentFaults are the refusals a transaction earns from the ledger's
// state: its accounts, units, books, balance and labour record.
func (m *model) contentFaults(tx *ledger.Transaction, w *want) {
	if tx.Against != uuid.Nil && m.txs[tx.Against] == nil {
		w.refuse(ledger.ErrUnknownTransaction)
	}
	kind := tx.Kind
	if kind == ledger.Reversal {
		kind = m.txs[tx.Reverses].tx.Kind
	}
	book := bookOfTx(kind)
	sums := map[coprod.Unit]*big.Int{}
	for _, p := range tx.Postings {
		a := m.byID[p.Account]
		if a == nil {
			w.refuse(ledger.ErrUnknownAccount)
		} else {
			if p.Amount.Unit() != a.acc.Unit {
				w.refuse(ledger.ErrUnitMismatch)
			}
			if a.book != book {
				w.refuse(ledger.ErrMixedBooks)
			}
			if kind == ledger.UnpaidLabour && a.acc.Unit != coprod.Hours || kind == ledger.TimeCredit && a.acc.Unit != coprod.Credits {
				w.refuse(ledger.ErrUnitMismatch)
			}
		}
		if !p.Amount.IsSet() {
			w.refuse(ledger.ErrUnitMismatch)
			continue
		}
		s := sums[p.Amount.Unit()]
		if s == nil {
			s = new(big.Int)
			sums[p.Amount.Unit()] = s
		}
		s.Add(s, minor(p.Amount))
	}
	for _, s := range sums {
		if s.Sign() != 0 {
			w.refuse(ledger.ErrUnbalanced)
		}
	}
	if tx.Labour != nil {
		u := coprod.Hours
		if tx.Kind == ledger.TimeCredit {
			u = coprod.Credits
		}
		moved := new(big.Int)
		for _, p := range tx.Postings {
			if p.Amount.Unit() == u && p.Amount.Sign() > 0 {
				moved.Add(moved, minor(p.Amount))
			}
		}
		// Hours have scale 2, credits 0: compare whole values.
		hours := minor(tx.Labour.Hours) // hundredths of an hour
		if u == coprod.Credits {
			moved.Mul(moved, big.NewInt(100))
		}
		if moved.Cmp(hours) != 0 {
			w.refuse(ledger.ErrInvalidLabour)
		}
	}
}

// record applies an accepted transaction to the model.
func (m *model) record(t *mTx) {
	m.seq++
	t.seq = m.seq
	for _, p := range t.tx.Postings {
		b := m.byID[p.Account].bal
		b.Add(b, minor(p.Amount))
	}
	m.txs[t.tx.ID] = t
	m.txIDs = append(m.txIDs, t.tx.ID)
	m.note(t.tx.Recorded)
}

func (m *model) post(tx ledger.Transaction) (w want, commit func()) {
	w.receipt, w.id = true, tx.ID
	if old := m.txs[tx.ID]; old == nil {
		w.absent = tx.ID
	}
	if tx.Kind == ledger.Reversal || tx.Proof != nil {
		w.refuse(ledger.ErrInvalidTransaction)
	}
	if len(tx.Postings) > ledger.MaxPostings {
		w.refuse(ledger.ErrTooManyPostings)
	}
	if tx.ID == uuid.Nil || !validKind(tx.Kind) || len(tx.Postings) == 0 || tx.Effective.IsZero() || tx.Recorded.IsZero() ||
		tx.Formality.DecidedBy == uuid.Nil || !validCoverage(tx.Coverage) || len(tx.Metadata) > ledger.MaxMetadata ||
		(tx.Kind == ledger.UnpaidLabour || tx.Kind == ledger.TimeCredit) != (tx.Labour != nil) {
		w.refuse(ledger.ErrInvalidTransaction)
	}
	if len(w.errs) > 0 {
		return w, nil
	}
	if old := m.txs[tx.ID]; old != nil {
		if !sameTx(&old.tx, &tx) {
			w.refuse(ledger.ErrIdempotencyConflict)
			return w, nil
		}
		w.dup, w.seq = true, old.seq
		return w, nil
	}
	if m.behind(tx.Recorded) {
		w.refuse(ledger.ErrRecordedTimeBehind)
	}
	if m.inClosed(tx.Effective) {
		w.refuse(ledger.ErrPeriodClosed)
	}
	m.contentFaults(&tx, &w)
	if len(w.errs) > 0 {
		return w, nil
	}
	w.seq, w.tx = m.seq+1, tx.ID
	return w, func() {
		m.record(&mTx{tx: tx, posted: true})
		m.posted = append(m.posted, tx.ID)
	}
}

func (m *model) reverse(req ledger.ReversalRequest) (w want, commit func()) {
	w.receipt, w.id = true, req.ID
	if m.txs[req.ID] == nil {
		w.absent = req.ID
	}
	orig := m.txs[req.Of]
	switch {
	case orig == nil:
		w.refuse(ledger.ErrUnknownTransaction)
		return w, nil
	case orig.reversal != nil:
		w.refuse(ledger.ErrNotReversible)
		return w, nil
	}
	if req.ID == uuid.Nil || req.Effective.IsZero() || req.Recorded.IsZero() || req.By == uuid.Nil {
		w.refuse(ledger.ErrInvalidTransaction)
		return w, nil
	}
	if old := m.txs[req.ID]; old != nil {
		if old.reversal == nil || !sameReversal(old.reversal, &req) {
			w.refuse(ledger.ErrIdempotencyConflict)
			return w, nil
		}
		w.dup, w.seq = true, old.seq
		return w, nil
	}
	if m.behind(req.Recorded) {
		w.refuse(ledger.ErrRecordedTimeBehind)
	}
	if m.inClosed(req.Effective) {
		w.refuse(ledger.ErrPeriodClosed)
	}
	if orig.reversedBy != uuid.Nil {
		w.refuse(ledger.ErrAlreadyReversed)
	}
	if len(w.errs) > 0 {
		return w, nil
	}
	// The mirror: every posting of the original negated.
	tx := ledger.Transaction{ID: req.ID, Kind: ledger.Reversal, Reverses: req.Of, Effective: req.Effective, Recorded: req.Recorded}
	for _, p := range orig.tx.Postings {
		tx.Postings = append(tx.Postings, ledger.Posting{Account: p.Account, Amount: p.Amount.Neg()})
	}
	w.seq, w.tx, w.revOf = m.seq+1, req.ID, req.Of
	return w, func() {
		r := req
		m.record(&mTx{tx: tx, reversal: &r})
		orig.reversedBy = req.ID
		m.revs = append(m.revs, req.ID)
		m.reversed = append(m.reversed, req.Of)
	}
}

func (m *model) placeHold(h ledger.Hold) (w want, commit func()) {
	w.receipt, w.id, w.holdOp = true, h.ID, true
	k := h.Kind
	if h.ID == uuid.Nil || !validKind(k) || k == ledger.UnpaidLabour || k == ledger.TimeCredit || k == ledger.InKind || k == ledger.Reversal ||
		h.Amount.Unit() != coprod.GBP || h.Amount.Sign() <= 0 || h.From == h.To || h.Recorded.IsZero() ||
		h.Formality.DecidedBy == uuid.Nil || !validCoverage(h.Coverage) || h.Proof != nil {
		w.refuse(ledger.ErrInvalidTransaction)
		return w, nil
	}
	if old := m.holds[h.ID]; old != nil {
		if !sameHold(&old.h, &h) {
			w.refuse(ledger.ErrIdempotencyConflict)
			return w, nil
		}
		w.dup, w.seq = true, old.seq
		return w, nil
	}
	for _, id := range []uuid.UUID{h.From, h.To} {
		a := m.byID[id]
		switch {
		case a == nil:
			w.refuse(ledger.ErrUnknownAccount)
		case a.acc.Unit != h.Amount.Unit():
			w.refuse(ledger.ErrUnitMismatch)
		case a.book != mFinancial:
			w.refuse(ledger.ErrMixedBooks)
		}
	}
	if h.Against != uuid.Nil && m.txs[h.Against] == nil {
		w.refuse(ledger.ErrUnknownTransaction)
	}
	if m.behind(h.Recorded) {
		w.refuse(ledger.ErrRecordedTimeBehind)
	}
	if len(w.errs) > 0 {
		return w, nil
	}
	w.seq = m.seq + 1
	return w, func() {
		m.seq++
		m.holds[h.ID] = &mHold{h: h, seq: m.seq}
		m.holdIDs = append(m.holdIDs, h.ID)
		held := m.byID[h.From].held
		held.Add(held, minor(h.Amount))
		m.note(h.Recorded)
	}
}

// release resolves an open hold in the model.
func (m *model) release(s *mHold, r ledger.Resolution, at time.Time) {
	s.state = r
	held := m.byID[s.h.From].held
	held.Sub(held, minor(s.h.Amount))
	m.note(at)
}

func (m *model) capture(req ledger.CaptureRequest) (w want, commit func()) {
	w.receipt, w.id, w.holdOp = true, req.ID, true
	if m.txs[req.ID] == nil {
		w.absent = req.ID
	}
	s := m.holds[req.Hold]
	if s == nil {
		w.refuse(ledger.ErrUnknownHold)
		return w, nil
	}
	if s.state != ledger.Open {
		if s.state == ledger.Captured && sameCapture(s.capture, &req) {
			w.dup, w.seq = true, s.captureSeq
			return w, nil
		}
		w.refuse(ledger.ErrHoldResolved)
		return w, nil
	}
	if req.ID == uuid.Nil || req.Effective.IsZero() || req.Recorded.IsZero() || req.By == uuid.Nil {
		w.refuse(ledger.ErrInvalidTransaction)
	}
	switch {
	case !req.Amount.IsSet() || req.Amount.Sign() <= 0:
		w.refuse(ledger.ErrInvalidTransaction) // a capture pays something
	case minor(req.Amount).Cmp(minor(s.h.Amount)) > 0:
		w.refuse(ledger.ErrOverHold)
	}
	if !s.h.Expires.IsZero() && (!req.Recorded.Before(s.h.Expires) || !req.Effective.Before(s.h.Expires)) {
		w.refuse(ledger.ErrHoldExpired)
	}
	if m.txs[req.ID] != nil {
		w.refuse(ledger.ErrIdempotencyConflict)
	}
	if m.behind(req.Recorded) {
		w.refuse(ledger.ErrRecordedTimeBehind)
	}
	if m.inClosed(req.Effective) {
		w.refuse(ledger.ErrPeriodClosed)
	}
	if len(w.errs) > 0 {
		return w, nil
	}
	tx := ledger.Transaction{
		ID: req.ID, Kind: s.h.Kind, Effective: req.Effective, Recorded: req.Recorded,
		Postings: []ledger.Posting{{Account: s.h.From, Amount: req.Amount.Neg()}, {Account: s.h.To, Amount: req.Amount}},
	}
	w.seq, w.tx = m.seq+1, req.ID
	return w, func() {
		r := req
		m.record(&mTx{tx: tx})
		s.capture, s.captureSeq = &r, m.seq
		m.release(s, ledger.Captured, req.Recorded)
	}
}

func (m *model) void(req ledger.VoidRequest) (w want, commit func()) {
	w.holdOp = true
	if req.At.IsZero() || req.By == uuid.Nil {
		w.refuse(ledger.ErrInvalidTransaction)
	}
	s := m.holds[req.Hold]
	switch {
	case s == nil:
		w.refuse(ledger.ErrUnknownHold)
	case s.state != ledger.Open:
		w.refuse(ledger.ErrHoldResolved)
	case m.behind(req.At):
		w.refuse(ledger.ErrRecordedTimeBehind)
	}
	if len(w.errs) > 0 {
		return w, nil
	}
	return w, func() {
		m.seq++
		m.release(s, ledger.Voided, req.At)
	}
}

func (m *model) expire(hold uuid.UUID, at time.Time) (w want, commit func()) {
	w.holdOp = true
	if at.IsZero() {
		w.refuse(ledger.ErrInvalidTransaction)
	}
	s := m.holds[hold]
	switch {
	case s == nil:
		w.refuse(ledger.ErrUnknownHold)
	case s.state != ledger.Open:
		w.refuse(ledger.ErrHoldResolved)
	case s.h.Expires.IsZero() || at.Before(s.h.Expires):
		w.refuse(ledger.ErrHoldNotExpired)
	case m.behind(at):
		w.refuse(ledger.ErrRecordedTimeBehind)
	}
	if len(w.errs) > 0 {
		return w, nil
	}
	return w, func() {
		m.seq++
		m.release(s, ledger.Expired, at)
	}
}

func (m *model) closePeriod(c ledger.Closing) (w want, commit func()) {
	w.receipt = true
	if c.Through.IsZero() || c.Recorded.IsZero() || c.Through.After(c.Recorded) || c.By == uuid.Nil {
		w.refuse(ledger.ErrInvalidTransaction)
		return w, nil
	}
	if !c.Through.After(m.closed) {
		w.refuse(ledger.ErrPeriodClosed)
	}
	if m.behind(c.Recorded) {
		w.refuse(ledger.ErrRecordedTimeBehind)
	}
	if len(w.errs) > 0 {
		return w, nil
	}
	w.seq = m.seq + 1
	return w, func() {
		m.seq++
		m.closed = c.Through
		m.closings++
		m.note(c.Recorded)
	}
}

func (m *model) open(a ledger.Account) (w want, commit func()) {
	old := m.byID[a.ID]
	switch {
	case a.ID == uuid.Nil || a.Owner == uuid.Nil:
		w.refuse(ledger.ErrInvalidAccount)
	case old != nil && old.acc != a:
		w.refuse(ledger.ErrDuplicateAccount)
	}
	// Reopening an account identically is a no-op: nothing to commit.
	return w, nil
}

// ---------------------------------------------------------------------
// Operations.

type op interface {
	fmt.Stringer
	predict(m *model) (want, func())
	do(l *ledger.Ledger) (ledger.Receipt, error)
}

type opPost struct {
	what string
	tx   ledger.Transaction
}

func (o opPost) String() string {
	s := fmt.Sprintf("Post (%s) %+v", o.what, o.tx)
	if o.tx.Labour != nil {
		s += fmt.Sprintf(" with labour %+v", *o.tx.Labour)
	}
	return s
}
func (o opPost) predict(m *model) (want, func()) {
	return m.post(o.tx)
}
func (o opPost) do(l *ledger.Ledger) (ledger.Receipt, error) { return l.Post(o.tx) }

type opReverse struct {
	what string
	req  ledger.ReversalRequest
}

func (o opReverse) String() string                              { return fmt.Sprintf("Reverse (%s) %+v", o.what, o.req) }
func (o opReverse) predict(m *model) (want, func())             { return m.reverse(o.req) }
func (o opReverse) do(l *ledger.Ledger) (ledger.Receipt, error) { return l.Reverse(o.req) }

type opPlace struct {
	what string
	h    ledger.Hold
}

func (o opPlace) String() string                              { return fmt.Sprintf("PlaceHold (%s) %+v", o.what, o.h) }
func (o opPlace) predict(m *model) (want, func())             { return m.placeHold(o.h) }
func (o opPlace) do(l *ledger.Ledger) (ledger.Receipt, error) { return l.PlaceHold(o.h) }

type opCapture struct {
	what string
	req  ledger.CaptureRequest
}

func (o opCapture) String() string                              { return fmt.Sprintf("Capture (%s) %+v", o.what, o.req) }
func (o opCapture) predict(m *model) (want, func())             { return m.capture(o.req) }
func (o opCapture) do(l *ledger.Ledger) (ledger.Receipt, error) { return l.Capture(o.req) }

type opVoid struct {
	what string
	req  ledger.VoidRequest
}

func (o opVoid) String() string                  { return fmt.Sprintf("Void (%s) %+v", o.what, o.req) }
func (o opVoid) predict(m *model) (want, func()) { return m.void(o.req) }
func (o opVoid) do(l *ledger.Ledger) (ledger.Receipt, error) {
	return ledger.Receipt{}, l.Void(o.req)
}

type opExpire struct {
	what string
	hold uuid.UUID
	at   time.Time
}

func (o opExpire) String() string {
	return fmt.Sprintf("Expire (%s) hold %s at %s", o.what, o.hold, o.at.Format(time.RFC3339Nano))
}
func (o opExpire) predict(m *model) (want, func()) { return m.expire(o.hold, o.at) }
func (o opExpire) do(l *ledger.Ledger) (ledger.Receipt, error) {
	return ledger.Receipt{}, l.Expire(o.hold, o.at)
}

type opClose struct {
	what string
	c    ledger.Closing
}

func (o opClose) String() string                              { return fmt.Sprintf("ClosePeriod (%s) %+v", o.what, o.c) }
func (o opClose) predict(m *model) (want, func())             { return m.closePeriod(o.c) }
func (o opClose) do(l *ledger.Ledger) (ledger.Receipt, error) { return l.ClosePeriod(o.c) }

type opOpen struct {
	what string
	a    ledger.Account
}

func (o opOpen) String() string                  { return fmt.Sprintf("Open (%s) %+v", o.what, o.a) }
func (o opOpen) predict(m *model) (want, func()) { return m.open(o.a) }
func (o opOpen) do(l *ledger.Ledger) (ledger.Receipt, error) {
	return ledger.Receipt{}, l.Open(o.a)
}

// ---------------------------------------------------------------------
// The generator: operations drawn from a seeded source and the model's
// state, never the ledger's, so a seed gives the same sequence whatever
// the ledger does.

var (
	finAccts    = []uuid.UUID{id("council-budget"), id("hub-cash"), id("temple-cash"), id("temple-costs")}
	payerAccts  = []uuid.UUID{id("council-budget"), id("hub-cash")}
	inKindAccts = []uuid.UUID{id("temple-donated"), id("service-in-kind")}
	parties     = []uuid.UUID{council, hub, temple, volunteer, officer, director}
	finKinds    = []ledger.Kind{ledger.Grant, ledger.Contract, ledger.SLA, ledger.CoreFunding, ledger.ProjectFunding, ledger.InvolvementPayment, ledger.Payment}
	holdKinds   = []ledger.Kind{ledger.Grant, ledger.Contract, ledger.SLA, ledger.Payment}
	coverages   = []ledger.Coverage{ledger.CoverageUnknown, ledger.FullCost, ledger.DirectCosts, ledger.Unfunded}
)

type gen struct {
	r   *rand.Rand
	m   *model
	now time.Time
	n   uint64
}

func pick[T any](g *gen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// pickRecent picks one of xs, mostly from the most recent.
func pickRecent(g *gen, xs []uuid.UUID) (uuid.UUID, bool) {
	if len(xs) == 0 {
		return uuid.Nil, false
	}
	if g.r.IntN(4) == 0 {
		return xs[g.r.IntN(len(xs))], true
	}
	n := min(len(xs), 40)
	return xs[len(xs)-1-g.r.IntN(n)], true
}

func (g *gen) chance(percent int) bool { return g.r.IntN(100) < percent }

func (g *gen) newID() uuid.UUID {
	g.n++
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[8:], g.n)
	u[0], u[6], u[8] = 0x6d, 0x40, 0x80 // "m", version 4 and variant bits: never nil
	return u
}

func amountOf(v int64, u coprod.Unit) coprod.Amount {
	a, err := coprod.FromMinor(v, u)
	if err != nil {
		panic(err)
	}
	return a
}

// money is an amount in pence: mostly modest, now and then so large that
// a few together pass an int64 of pence.
func (g *gen) money() int64 {
	if g.chance(1) {
		return 1e17 + g.r.Int64N(2.9e18) // three of them still fit the generator's int64
	}
	return 1 + g.r.Int64N(1_000_000)
}

// tick moves the clock forward, from the latest recorded time.
func (g *gen) tick() {
	if g.now.Before(g.m.last) {
		g.now = g.m.last
	}
	g.now = g.now.Add(time.Duration(g.r.IntN(4*3600)) * time.Second)
}

// recorded is a recorded time: mostly now, sometimes a step back within
// the skew or exactly at it, sometimes just or far beyond it.
func (g *gen) recorded() time.Time {
	if g.m.last.IsZero() {
		return g.now
	}
	switch x := g.r.IntN(100); {
	case x < 3:
		return g.m.last.Add(-time.Duration(1+g.r.IntN(60)) * time.Second)
	case x < 4:
		return g.m.last.Add(-skew)
	case x < 5:
		return g.m.last.Add(-skew - time.Nanosecond)
	case x < 7:
		return g.far()
	}
	return g.now
}

// far is a recorded time far behind the latest.
func (g *gen) far() time.Time {
	return g.m.last.Add(-skew - time.Duration(1+g.r.IntN(30*24*3600))*time.Second)
}

// effective is an effective time for a record recorded at rec: mostly
// rec, sometimes back-dated within the open period (now and then to its
// very start), sometimes in the future.
func (g *gen) effective(rec time.Time) time.Time {
	switch x := g.r.IntN(100); {
	case x < 2 && !g.m.closed.IsZero() && !g.m.closed.After(rec):
		return g.m.closed
	case x < 14:
		lo := rec.Add(-60 * 24 * time.Hour)
		if lo.Before(g.m.closed) {
			lo = g.m.closed
		}
		if !lo.Before(rec) {
			return rec
		}
		return lo.Add(time.Duration(g.r.Int64N(int64(rec.Sub(lo)))))
	case x < 18:
		return rec.Add(time.Duration(g.r.IntN(30*24*3600)) * time.Second)
	}
	return rec
}

// closedEffective is an effective time in the closed books.
func (g *gen) closedEffective() (time.Time, bool) {
	if g.m.closed.IsZero() {
		return time.Time{}, false
	}
	if g.chance(30) {
		return g.m.closed.Add(-time.Nanosecond), true
	}
	return g.m.closed.Add(-time.Duration(1+g.r.IntN(30*24*3600)) * time.Second), true
}

func (g *gen) formality() ledger.Formality {
	f := ledger.Formality{DecidedBy: pick(g, parties)}
	if g.chance(50) {
		f.Instrument, f.Scope = id("delegation"), "commission/mental-health/iapt"
	}
	if g.chance(10) {
		// Approved before any recorded time the model uses.
		f.Approvers = []ledger.Approval{{Party: pick(g, parties), At: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Ref: "minute 7"}}
	}
	return f
}

// financial is a valid financial transaction of 2 to 4 postings.
func (g *gen) financial() ledger.Transaction {
	n := 2 + g.r.IntN(3)
	ps := make([]ledger.Posting, n)
	var sum int64
	for i := 1; i < n; i++ {
		v := g.money()
		sum += v
		ps[i] = ledger.Posting{Account: pick(g, finAccts), Amount: amountOf(v, coprod.GBP)}
	}
	ps[0] = ledger.Posting{Account: pick(g, finAccts), Amount: amountOf(-sum, coprod.GBP)}
	g.r.Shuffle(n, func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
	rec := g.recorded()
	tx := ledger.Transaction{
		ID: g.newID(), Kind: pick(g, finKinds), Postings: ps, Recorded: rec, Effective: g.effective(rec),
		Formality: g.formality(), Coverage: pick(g, coverages),
	}
	if g.chance(20) {
		tx.Against, _ = pickRecent(g, g.m.txIDs)
	}
	if g.chance(20) {
		tx.Memo = "invoice <" + tx.ID.String()[:8] + ">"
	}
	if g.chance(10) {
		tx.Metadata = map[string]string{"invoice": fmt.Sprint(g.n), "ref": "R-" + fmt.Sprint(g.r.IntN(100))}
	}
	if g.chance(5) {
		// The same instants, written in another zone.
		zone := time.FixedZone("UTC-5", -5*3600)
		tx.Recorded, tx.Effective = tx.Recorded.In(zone), tx.Effective.In(zone)
	}
	return tx
}

// labour is a valid unpaid-labour or time-credit transaction.
func (g *gen) labour() ledger.Transaction {
	rec := g.recorded()
	tx := ledger.Transaction{ID: g.newID(), Recorded: rec, Effective: g.effective(rec), Formality: ledger.Formality{DecidedBy: pick(g, parties)}}
	if g.chance(60) {
		h := 1 + g.r.Int64N(2000)
		tx.Kind = ledger.UnpaidLabour
		tx.Postings = []ledger.Posting{{Account: id("temple-hours-given"), Amount: amountOf(-h, coprod.Hours)}, {Account: id("service-hours-received"), Amount: amountOf(h, coprod.Hours)}}
		tx.Labour = &ledger.Labour{Hours: amountOf(h, coprod.Hours), Method: pick(g, []ledger.Valuation{ledger.ReplacementCost, ledger.OpportunityCost}),
			Rate: gbp("14.50"), Low: gbp("12.21"), High: gbp("18.75"), WageSource: "practitioner"}
	} else {
		c := 1 + g.r.Int64N(10)
		tx.Kind = ledger.TimeCredit
		tx.Postings = []ledger.Posting{{Account: id("hub-credits"), Amount: amountOf(-c, coprod.Credits)}, {Account: id("volunteer-credits"), Amount: amountOf(c, coprod.Credits)}}
		tx.Labour = &ledger.Labour{Hours: amountOf(100*c, coprod.Hours), Method: ledger.TimeCreditMethod}
	}
	if g.chance(50) {
		tx.Postings[0], tx.Postings[1] = tx.Postings[1], tx.Postings[0]
	}
	return tx
}

func (g *gen) inKind() ledger.Transaction {
	rec := g.recorded()
	v := 1 + g.r.Int64N(100_000)
	return ledger.Transaction{
		ID: g.newID(), Kind: ledger.InKind, Recorded: rec, Effective: g.effective(rec), Formality: ledger.Formality{DecidedBy: temple},
		Postings: []ledger.Posting{{Account: id("temple-donated"), Amount: amountOf(-v, coprod.GBP)}, {Account: id("service-in-kind"), Amount: amountOf(v, coprod.GBP)}},
	}
}

func clonePostings(ps []ledger.Posting) []ledger.Posting { return slices.Clone(ps) }

// badPost is a transaction with one fault.
func (g *gen) badPost() opPost {
	tx := g.financial()
	tx.Recorded, tx.Effective = g.now, g.now
	switch g.r.IntN(21) {
	case 0:
		tx.Postings[0].Amount = amountOf(minor(tx.Postings[0].Amount).Int64()+1, coprod.GBP)
		return opPost{"unbalanced", tx}
	case 1:
		tx.Postings[g.r.IntN(len(tx.Postings))].Account = g.newID()
		return opPost{"unknown account", tx}
	case 2:
		for i, p := range tx.Postings {
			tx.Postings[i].Amount = amountOf(minor(p.Amount).Int64()%1_000_000, coprod.Hours)
		}
		tx.Postings[0].Amount = amountOf(0, coprod.Hours)
		var s int64
		for _, p := range tx.Postings[1:] {
			s += minor(p.Amount).Int64()
		}
		tx.Postings[0].Amount = amountOf(-s, coprod.Hours)
		return opPost{"hours to financial accounts", tx}
	case 3:
		tx.Postings[g.r.IntN(len(tx.Postings))].Account = pick(g, inKindAccts)
		return opPost{"memorandum mixed with cash", tx}
	case 4:
		tx = g.inKind()
		tx.Postings[g.r.IntN(2)].Account = pick(g, finAccts)
		return opPost{"in-kind posted to cash", tx}
	case 5:
		tx = g.labour()
		tx.Postings[0].Account = pick(g, finAccts)
		return opPost{"labour posted to cash", tx}
	case 6:
		tx.Effective = time.Time{}
		return opPost{"zero effective time", tx}
	case 7:
		tx.Recorded = time.Time{}
		return opPost{"zero recorded time", tx}
	case 8:
		if !g.m.last.IsZero() {
			tx.Recorded = g.far()
			tx.Effective = tx.Recorded
			if g.m.inClosed(tx.Effective) {
				tx.Effective = g.now
			}
			return opPost{"recorded far behind", tx}
		}
		tx.ID = uuid.Nil
		return opPost{"nil id", tx}
	case 9:
		if eff, ok := g.closedEffective(); ok {
			tx.Effective = eff
			return opPost{"effective in a closed period", tx}
		}
		tx.Postings = nil
		return opPost{"no postings", tx}
	case 10:
		tx.Kind = "bribe"
		return opPost{"unknown kind", tx}
	case 11:
		if of, ok := pickRecent(g, g.m.txIDs); ok {
			tx.Kind, tx.Reverses = ledger.Reversal, of
			return opPost{"a reversal through Post", tx}
		}
		tx.Kind = ledger.Reversal
		return opPost{"reversal kind", tx}
	case 12:
		tx.Formality.DecidedBy = uuid.Nil
		return opPost{"no decider", tx}
	case 13:
		tx = g.labour()
		tx.Labour = nil
		return opPost{"labour without its record", tx}
	case 14:
		tx = g.labour()
		l := *tx.Labour
		l.Hours = amountOf(minor(l.Hours).Int64()+100, coprod.Hours)
		tx.Labour = &l
		return opPost{"labour record disagrees with its postings", tx}
	case 15:
		tx.Postings = nil
		for range ledger.MaxPostings/2 + 1 {
			v := amountOf(1+g.r.Int64N(100), coprod.GBP)
			tx.Postings = append(tx.Postings, ledger.Posting{Account: pick(g, finAccts), Amount: v}, ledger.Posting{Account: pick(g, finAccts), Amount: v.Neg()})
		}
		return opPost{"too many postings", tx}
	case 16:
		tx.Against = g.newID()
		return opPost{"against an unknown transaction", tx}
	case 17:
		tx.Coverage = "most-of-it"
		return opPost{"unknown coverage", tx}
	case 18:
		tx.Proof = &coprod.Proof{}
		return opPost{"caller's proof", tx}
	case 19:
		tx.Metadata = map[string]string{}
		for i := range ledger.MaxMetadata + 1 {
			tx.Metadata[fmt.Sprint("k", i)] = "v"
		}
		return opPost{"too much metadata", tx}
	default:
		tx = g.labour()
		if tx.Kind == ledger.TimeCredit {
			for i := range tx.Postings {
				if tx.Postings[i].Account == id("hub-credits") {
					tx.Postings[i].Account = id("temple-hours-given")
				} else {
					tx.Postings[i].Account = id("service-hours-received")
				}
				tx.Postings[i].Amount = amountOf(minor(tx.Postings[i].Amount).Int64()*100, coprod.Hours)
			}
			return opPost{"time credits posted as hours", tx}
		}
		tx.Postings[0].Account, tx.Postings[1].Account = id("hub-credits"), id("volunteer-credits")
		return opPost{"hours posted to credit books", tx}
	}
}

// retry posts a transaction made before again: identically, as an equal
// copy, or with other content.
func (g *gen) retry(conflict bool) op {
	txID, ok := pickRecent(g, g.m.posted)
	if !ok {
		return opPost{"valid", g.financial()}
	}
	tx := g.m.txs[txID].tx
	if !conflict {
		if g.chance(50) {
			return opPost{"idempotent retry", tx}
		}
		// An equal copy: new slices and amounts, times in another zone.
		zone := time.FixedZone("UTC+2", 2*3600)
		tx.Postings = clonePostings(tx.Postings)
		for i, p := range tx.Postings {
			tx.Postings[i].Amount = amountOf(0, p.Amount.Unit())
			tx.Postings[i].Amount, _ = tx.Postings[i].Amount.Add(p.Amount)
		}
		tx.Effective, tx.Recorded = tx.Effective.In(zone), tx.Recorded.In(zone)
		return opPost{"idempotent retry, an equal copy", tx}
	}
	if other, ok := pickRecent(g, g.m.txIDs); ok && g.chance(20) {
		// A new transaction under the ID of any recorded one: a capture or
		// a reversal, say.
		tx = g.financial()
		tx.ID = other
		return opPost{"under the ID of another record", tx}
	}
	switch g.r.IntN(4) {
	case 0:
		tx.Memo += " (amended)"
	case 1:
		tx.Effective = tx.Effective.Add(time.Second)
	case 2:
		tx.Formality.DecidedBy = g.newID()
	default:
		tx.Postings = clonePostings(tx.Postings)
		tx.Postings[0].Account, tx.Postings[1].Account = tx.Postings[1].Account, tx.Postings[0].Account
		if tx.Postings[0].Account == tx.Postings[1].Account {
			tx.Memo += " (swapped)"
		}
	}
	return opPost{"retry with other content", tx}
}

func (g *gen) reversal() op {
	rec := g.recorded()
	req := ledger.ReversalRequest{ID: g.newID(), By: pick(g, parties), Recorded: rec, Effective: g.effective(rec)}
	if g.chance(50) {
		req.Reason = "entered in error"
	}
	x := g.r.IntN(100)
	switch {
	case x < 55:
		// Of a transaction not yet reversed, if one is found soon.
		for range 5 {
			of, ok := pickRecent(g, g.m.txIDs)
			if !ok {
				break
			}
			if t := g.m.txs[of]; t.reversal == nil && t.reversedBy == uuid.Nil {
				req.Of = of
				return opReverse{"valid", req}
			}
		}
		req.Of = g.newID()
		return opReverse{"of an unknown transaction", req}
	case x < 65:
		if of, ok := pickRecent(g, g.m.reversed); ok {
			req.Of = of
			return opReverse{"a second time", req}
		}
	case x < 72:
		if of, ok := pickRecent(g, g.m.revs); ok {
			req.Of = of
			return opReverse{"of a reversal", req}
		}
	case x < 82:
		if rid, ok := pickRecent(g, g.m.revs); ok {
			req = *g.m.txs[rid].reversal
			if g.chance(25) {
				req.Reason += " (again)"
				return opReverse{"retry with other content", req}
			}
			return opReverse{"idempotent retry", req}
		}
	case x < 87:
		if of, ok := pickRecent(g, g.m.txIDs); ok {
			req.Of = of
			req.ID, _ = pickRecent(g, g.m.txIDs)
			return opReverse{"under the ID of another transaction", req}
		}
	case x < 92:
		if eff, ok := g.closedEffective(); ok {
			req.Of, _ = pickRecent(g, g.m.txIDs)
			req.Effective = eff
			return opReverse{"effective in a closed period", req}
		}
	case x < 95:
		req.Of, _ = pickRecent(g, g.m.txIDs)
		req.Effective = time.Time{}
		return opReverse{"zero effective time", req}
	}
	req.Of = g.newID()
	return opReverse{"of an unknown transaction", req}
}

func (g *gen) hold() op {
	rec := g.recorded()
	from := pick(g, payerAccts)
	to := pick(g, finAccts)
	for to == from {
		to = pick(g, finAccts)
	}
	h := ledger.Hold{
		ID: g.newID(), Kind: pick(g, holdKinds), From: from, To: to, Amount: amountOf(g.money(), coprod.GBP),
		Formality: g.formality(), Coverage: pick(g, coverages), Recorded: rec,
	}
	if g.chance(60) {
		h.Expires = rec.Add(time.Hour + time.Duration(g.r.IntN(20*24*3600))*time.Second)
	}
	if g.chance(20) {
		h.Against, _ = pickRecent(g, g.m.txIDs)
	}
	if g.chance(70) {
		return opPlace{"valid", h}
	}
	h.Recorded = g.now
	switch g.r.IntN(12) {
	case 0:
		h.To = h.From
		return opPlace{"from and to the same account", h}
	case 1:
		h.Amount = amountOf(0, coprod.GBP)
		return opPlace{"zero amount", h}
	case 2:
		h.Amount = amountOf(100, coprod.Hours)
		return opPlace{"hours", h}
	case 3:
		h.To = pick(g, inKindAccts)
		return opPlace{"to a memorandum book", h}
	case 4:
		h.From = id("temple-hours-given")
		return opPlace{"from an hours book", h}
	case 5:
		h.To = g.newID()
		return opPlace{"to an unknown account", h}
	case 6:
		h.Kind = ledger.UnpaidLabour
		return opPlace{"of labour", h}
	case 7:
		h.Recorded = time.Time{}
		return opPlace{"zero recorded time", h}
	case 8:
		h.Against = g.newID()
		return opPlace{"against an unknown transaction", h}
	case 9:
		if !g.m.last.IsZero() {
			h.Recorded = g.far()
			return opPlace{"recorded far behind", h}
		}
		h.Formality.DecidedBy = uuid.Nil
		return opPlace{"no decider", h}
	}
	hid, ok := pickRecent(g, g.m.holdIDs)
	if !ok {
		return opPlace{"valid", h}
	}
	h = g.m.holds[hid].h
	if g.chance(30) {
		h.Amount = amountOf(minor(h.Amount).Int64()+1, coprod.GBP)
		return opPlace{"retry with other content", h}
	}
	return opPlace{"idempotent retry", h}
}

func (g *gen) capture() op {
	hid, ok := pickRecent(g, g.m.holdIDs)
	if !ok || g.chance(3) {
		return opCapture{"of an unknown hold", ledger.CaptureRequest{Hold: g.newID(), ID: g.newID(), Amount: gbp("1"), Effective: g.now, Recorded: g.now, By: director}}
	}
	s := g.m.holds[hid]
	if s.state == ledger.Captured && g.chance(40) {
		return opCapture{"idempotent retry", *s.capture}
	}
	rec := g.recorded()
	req := ledger.CaptureRequest{Hold: hid, ID: g.newID(), Recorded: rec, Effective: g.effective(rec), By: pick(g, parties)}
	held := minor(s.h.Amount).Int64()
	what := "in full"
	switch x := g.r.IntN(100); {
	case x < 40:
		req.Amount = s.h.Amount
	case x < 80:
		req.Amount, what = amountOf(1+g.r.Int64N(held), coprod.GBP), "in part"
	case x < 88:
		req.Amount, what = amountOf(held+1+g.r.Int64N(1000), coprod.GBP), "over the hold"
	case x < 91:
		req.Amount, what = amountOf(0, coprod.GBP), "of nothing"
	case x < 94:
		req.Amount = s.h.Amount
		req.ID, _ = pickRecent(g, g.m.txIDs)
		what = "under the ID of a transaction"
		if req.ID == uuid.Nil {
			req.ID = g.newID()
		}
	case x < 97:
		req.Amount = s.h.Amount
		if eff, ok := g.closedEffective(); ok {
			req.Effective, what = eff, "effective in a closed period"
		}
	default:
		req.Amount = s.h.Amount
		if !s.h.Expires.IsZero() {
			req.Effective, what = s.h.Expires, "effective at the expiry"
		}
	}
	return opCapture{what, req}
}

func (g *gen) void() op {
	req := ledger.VoidRequest{By: pick(g, parties), At: g.recorded(), Reason: "not needed"}
	hid, ok := pickRecent(g, g.m.holdIDs)
	if !ok || g.chance(5) {
		req.Hold = g.newID()
		return opVoid{"of an unknown hold", req}
	}
	req.Hold = hid
	if g.chance(5) {
		req.By = uuid.Nil
		return opVoid{"no decider", req}
	}
	return opVoid{"", req}
}

func (g *gen) expire() op {
	// Prefer a hold with an expiry.
	var hid uuid.UUID
	for range 4 {
		h, ok := pickRecent(g, g.m.holdIDs)
		if !ok {
			break
		}
		hid = h
		if !g.m.holds[h].h.Expires.IsZero() {
			break
		}
	}
	if hid == uuid.Nil || g.chance(3) {
		return opExpire{"an unknown hold", g.newID(), g.now}
	}
	exp := g.m.holds[hid].h.Expires
	switch x := g.r.IntN(10); {
	case x < 2 && !exp.IsZero():
		return opExpire{"at its expiry", hid, exp}
	case x < 3 && !exp.IsZero():
		return opExpire{"just before its expiry", hid, exp.Add(-time.Nanosecond)}
	}
	return opExpire{"now", hid, g.recorded()}
}

func (g *gen) closing() op {
	rec := g.recorded()
	through := rec.Add(-time.Duration(g.r.IntN(20*24*3600)) * time.Second).Truncate(24 * time.Hour)
	c := ledger.Closing{Through: through, Recorded: rec, By: council, Reason: "month end"}
	switch g.r.IntN(10) {
	case 0:
		if !g.m.closed.IsZero() {
			c.Through = g.m.closed
			return opClose{"again through the same time", c}
		}
	case 1:
		c.Through = rec.Add(time.Hour)
		return opClose{"through a time after it is recorded", c}
	case 2:
		c.By = uuid.Nil
		return opClose{"by no one", c}
	case 3:
		c.Through = rec
		return opClose{"through its own recorded time", c}
	}
	return opClose{"", c}
}

// next draws the next operation.
func (g *gen) next() op {
	g.tick()
	switch x := g.r.IntN(1000); {
	case x < 300:
		return opPost{"valid", g.financial()}
	case x < 380:
		return opPost{"valid labour", g.labour()}
	case x < 420:
		return opPost{"valid in-kind", g.inKind()}
	case x < 540:
		return g.badPost()
	case x < 600:
		return g.retry(false)
	case x < 630:
		return g.retry(true)
	case x < 710:
		return g.reversal()
	case x < 800:
		return g.hold()
	case x < 870:
		return g.capture()
	case x < 910:
		return g.void()
	case x < 950:
		return g.expire()
	case x < 960:
		return g.closing()
	case x < 965:
		a := pick(g, accounts)
		if g.chance(50) {
			return opOpen{"again, identically", a}
		}
		a.Name += " (renamed)"
		return opOpen{"again, other content", a}
	default:
		return opPost{"valid", g.financial()}
	}
}

// ---------------------------------------------------------------------
// The runner.

type modelFailure struct {
	step  int
	msg   string
	trace []string
}

type runner struct {
	g       *gen
	m       *model
	l       *ledger.Ledger
	journal *bytes.Buffer
	trips   int
	names   *strings.Replacer
}

// runModel runs the first steps operations of seed's sequence, checking
// the ledger against the model after each, and reports the first
// disagreement.
//
// With stats set, it counts the operations by kind and outcome.
func runModel(seed uint64, steps int, stats map[string]int) (f *modelFailure) {
	var pairs []string
	for _, a := range accounts {
		pairs = append(pairs, a.ID.String(), a.Name)
	}
	for name, p := range map[string]uuid.UUID{"council": council, "hub": hub, "temple": temple, "volunteer": volunteer, "officer": officer, "director": director} {
		pairs = append(pairs, p.String(), name)
	}
	r := &runner{g: &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: day(2025, 4, 1)}, names: strings.NewReplacer(pairs...)}
	var trace []op
	step := 0
	fail := func(format string, args ...any) *modelFailure {
		var lines []string
		first := step - len(trace) + 1
		for i, o := range trace {
			lines = append(lines, fmt.Sprintf("  step %d: %s", first+i, r.names.Replace(o.String())))
		}
		return &modelFailure{step: step, msg: r.names.Replace(fmt.Sprintf(format, args...)), trace: lines}
	}
	defer func() {
		if p := recover(); p != nil {
			f = fail("panic: %v", p)
		}
	}()
	for step = 1; step <= steps; step++ {
		if (step-1)%modelLife == 0 {
			if err := r.newLife(); err != nil {
				return fail("opening the accounts: %v", err)
			}
		}
		o := r.g.next()
		if len(trace) == modelTrace {
			trace = slices.Delete(trace, 0, 1)
		}
		trace = append(trace, o)
		outcome, err := r.step(o)
		if err != nil {
			return fail("%s", err)
		}
		if stats != nil {
			stats[kindOf(o)+": "+outcome]++
		}
		if step%modelFullCheck == 0 {
			if err := r.full(r.l); err != nil {
				return fail("full check: %s", err)
			}
		}
		if step%modelRoundTrip == 0 || step%modelLife == 0 || step == steps {
			if err := r.roundTrip(); err != nil {
				return fail("journal round trip: %s", err)
			}
		}
	}
	return nil
}

// newLife starts a fresh ledger, journal and model.
func (r *runner) newLife() error {
	r.m = newModel()
	r.g.m = r.m
	r.journal = new(bytes.Buffer)
	r.l = ledger.New(ledger.Options{Journal: r.journal})
	for _, a := range accounts {
		if err := r.l.Open(a); err != nil {
			return err
		}
	}
	return nil
}

// step runs one operation on the ledger and the model and compares them.
// It reports the outcome: accepted, a duplicate, or the refusal's code.
func (r *runner) step(o op) (string, error) {
	l, m := r.l, r.m
	headBefore := l.Head()
	balBefore, err := balances(l)
	if err != nil {
		return "", err
	}
	w, commit := o.predict(m)
	rc, err := o.do(l)
	accepted := err == nil
	switch {
	case len(w.errs) > 0 && accepted:
		return "", fmt.Errorf("%s: accepted (receipt %+v), the model refuses it with one of %v", kindOf(o), rc, w.errs)
	case len(w.errs) > 0:
		if !isAny(err, w.errs) {
			return "", fmt.Errorf("%s: refused with %v, the model refuses it with one of %v", kindOf(o), err, w.errs)
		}
		var re *ledger.RecordError
		if !errors.As(err, &re) {
			return "", fmt.Errorf("%s: refused with %T %v, not a *ledger.RecordError", kindOf(o), err, err)
		}
	case !accepted:
		return "", fmt.Errorf("%s: refused with %v, the model accepts it", kindOf(o), err)
	}
	if accepted && w.receipt {
		if rc.ID != w.id || rc.Seq != w.seq || rc.Duplicate != w.dup {
			return "", fmt.Errorf("%s: receipt %+v, the model expects {ID:%s Seq:%d Duplicate:%t}", kindOf(o), rc, w.id, w.seq, w.dup)
		}
	}
	changed := accepted && !w.dup && (commit != nil || w.receipt)
	if changed && commit != nil {
		commit()
	}
	if !changed {
		// A refusal, an idempotent retry or a reopening changes nothing.
		if h := l.Head(); h != headBefore {
			return "", fmt.Errorf("%s: the head moved from %+v to %+v, and nothing was to be recorded", kindOf(o), headBefore, h)
		}
		after, err := balances(l)
		if err != nil {
			return "", err
		}
		for i := range after {
			if after[i].Cmp(balBefore[i]) != 0 {
				return "", fmt.Errorf("%s: the balance of %s moved from %s to %s, and nothing was to be recorded", kindOf(o), accounts[i].Name, balBefore[i], after[i])
			}
		}
		if w.absent != uuid.Nil {
			if _, ok := l.Transaction(w.absent); ok {
				return "", fmt.Errorf("%s: refused, yet transaction %s is recorded", kindOf(o), w.absent)
			}
		}
	}
	if changed && w.tx != uuid.Nil {
		if err := r.checkRecorded(w.tx, balBefore); err != nil {
			return "", fmt.Errorf("%s: %w", kindOf(o), err)
		}
	}
	if changed && w.revOf != uuid.Nil {
		if by, ok := l.ReversedBy(w.revOf); !ok || by != w.tx {
			return "", fmt.Errorf("reversal: ReversedBy(%s) = %s, %t; want %s", w.revOf, by, ok, w.tx)
		}
	}
	outcome := "accepted"
	switch {
	case err != nil:
		outcome = "refused " + string(coprod.CodeOf(err))
	case w.dup:
		outcome = "duplicate"
	}
	return outcome, r.quick(l, w.holdOp)
}

func kindOf(o op) string {
	s := o.String()
	if i := strings.Index(s, ")"); i >= 0 {
		return s[:i+1]
	}
	return s
}

func isAny(err error, targets []error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// balances reads every account's balance, in minor units, in the order of
// accounts.
func balances(l *ledger.Ledger) ([]*big.Int, error) {
	out := make([]*big.Int, len(accounts))
	for i, a := range accounts {
		b, err := l.Balance(a.ID)
		if err != nil {
			return nil, fmt.Errorf("balance of %s: %w", a.Name, err)
		}
		if b.Unit() != a.Unit {
			return nil, fmt.Errorf("balance of %s is %s, not in %s", a.Name, b, a.Unit)
		}
		out[i] = minor(b)
	}
	return out, nil
}

// checkRecorded checks a transaction the ledger has just recorded: the
// postings the model expects, in one book, and no financial balance moved
// by a memorandum record.
func (r *runner) checkRecorded(txID uuid.UUID, before []*big.Int) error {
	got, ok := r.l.Transaction(txID)
	if !ok {
		return fmt.Errorf("accepted, yet transaction %s is not recorded", txID)
	}
	want := r.m.txs[txID].tx
	if got.Kind != want.Kind || got.Reverses != want.Reverses || len(got.Postings) != len(want.Postings) {
		return fmt.Errorf("recorded %s %v reversing %s, the model expects %s %v reversing %s", got.Kind, got.Postings, got.Reverses, want.Kind, want.Postings, want.Reverses)
	}
	for i := range got.Postings {
		if got.Postings[i].Account != want.Postings[i].Account || !sameAmount(got.Postings[i].Amount, want.Postings[i].Amount) {
			return fmt.Errorf("recorded postings %v, the model expects %v", got.Postings, want.Postings)
		}
	}
	book := r.m.byID[got.Postings[0].Account].book
	for _, p := range got.Postings {
		if r.m.byID[p.Account].book != book {
			return fmt.Errorf("transaction %s posts to memorandum and financial books: %v", txID, got.Postings)
		}
	}
	if book != mFinancial {
		after, err := balances(r.l)
		if err != nil {
			return err
		}
		for i, a := range accounts {
			if bookOfKind(a.Kind) == mFinancial && after[i].Cmp(before[i]) != 0 {
				return fmt.Errorf("memorandum transaction %s moved the financial balance of %s from %s to %s", txID, a.Name, before[i], after[i])
			}
		}
	}
	return nil
}

// quick checks, after every step, what is cheap to check: every balance,
// money conserved per unit and per book, the head's sequence, the closed
// periods and, around holds, what every account holds.
func (r *runner) quick(l *ledger.Ledger, holds bool) error {
	m := r.m
	got, err := balances(l)
	if err != nil {
		return err
	}
	perUnit := map[coprod.Unit]*big.Int{}
	perBook := map[mbook]*big.Int{}
	for i, a := range m.accts {
		if got[i].Cmp(a.bal) != 0 {
			return fmt.Errorf("balance of %s is %s minor units, the model's %s", a.acc.Name, got[i], a.bal)
		}
		if perUnit[a.acc.Unit] == nil {
			perUnit[a.acc.Unit] = new(big.Int)
		}
		if perBook[a.book] == nil {
			perBook[a.book] = new(big.Int)
		}
		perUnit[a.acc.Unit].Add(perUnit[a.acc.Unit], got[i])
		perBook[a.book].Add(perBook[a.book], got[i])
	}
	for u, s := range perUnit {
		if s.Sign() != 0 {
			return fmt.Errorf("balances in %s sum to %s minor units, not zero", u, s)
		}
	}
	for b, s := range perBook {
		if s.Sign() != 0 {
			return fmt.Errorf("balances in book %d sum to %s minor units, not zero", b, s)
		}
	}
	if h := l.Head(); h.Seq != m.seq {
		return fmt.Errorf("head at seq %d, the model's at %d", h.Seq, m.seq)
	}
	if c := l.ClosedThrough(); !c.Equal(m.closed) {
		return fmt.Errorf("closed through %s, the model through %s", c, m.closed)
	}
	if holds {
		for _, a := range m.accts {
			if a.book != mFinancial {
				continue
			}
			h, err := l.Held(a.acc.ID)
			if err != nil {
				return err
			}
			if minor(h).Cmp(a.held) != 0 {
				return fmt.Errorf("%s holds %s, the model %s minor units", a.acc.Name, h, a.held)
			}
		}
	}
	return nil
}

// full compares every transaction, reversal, hold and held amount of l
// with the model.
func (r *runner) full(l *ledger.Ledger) error {
	m := r.m
	if err := r.quick(l, true); err != nil {
		return err
	}
	for _, a := range m.accts {
		h, err := l.Held(a.acc.ID)
		if err != nil {
			return err
		}
		if minor(h).Cmp(a.held) != 0 {
			return fmt.Errorf("%s holds %s, the model %s minor units", a.acc.Name, h, a.held)
		}
	}
	i := 0
	for tx := range l.Transactions() {
		if i >= len(m.txIDs) {
			return fmt.Errorf("transaction %d, %s, the model has only %d", i+1, tx.ID, len(m.txIDs))
		}
		mt := m.txs[m.txIDs[i]]
		if tx.ID != mt.tx.ID || tx.Kind != mt.tx.Kind || len(tx.Postings) != len(mt.tx.Postings) {
			return fmt.Errorf("transaction %d is %s %s, the model's %s %s", i+1, tx.ID, tx.Kind, mt.tx.ID, mt.tx.Kind)
		}
		for j := range tx.Postings {
			if tx.Postings[j].Account != mt.tx.Postings[j].Account || !sameAmount(tx.Postings[j].Amount, mt.tx.Postings[j].Amount) {
				return fmt.Errorf("transaction %s posts %v, the model %v", tx.ID, tx.Postings, mt.tx.Postings)
			}
		}
		if mt.posted && !sameTx(&tx, &mt.tx) {
			return fmt.Errorf("transaction %s is recorded as %+v, posted as %+v", tx.ID, tx, mt.tx)
		}
		by, ok := l.ReversedBy(tx.ID)
		if by != mt.reversedBy || ok != (mt.reversedBy != uuid.Nil) {
			return fmt.Errorf("transaction %s reversed by %s (%t), the model says %s", tx.ID, by, ok, mt.reversedBy)
		}
		i++
	}
	if i != len(m.txIDs) {
		return fmt.Errorf("%d transactions, the model has %d", i, len(m.txIDs))
	}
	i = 0
	for hs := range l.Holds() {
		if i >= len(m.holdIDs) {
			return fmt.Errorf("hold %d, %s, the model has only %d", i+1, hs.Hold.ID, len(m.holdIDs))
		}
		s := m.holds[m.holdIDs[i]]
		if !sameHold(&hs.Hold, &s.h) {
			return fmt.Errorf("hold %d is %+v, the model's %+v", i+1, hs.Hold, s.h)
		}
		if hs.Resolution.Resolution != s.state {
			return fmt.Errorf("hold %s is %q, the model's %q", s.h.ID, hs.Resolution.Resolution, s.state)
		}
		if s.state == ledger.Captured && (hs.Resolution.Transaction == nil || hs.Resolution.Transaction.ID != s.capture.ID) {
			return fmt.Errorf("hold %s captured by %+v, the model by %s", s.h.ID, hs.Resolution.Transaction, s.capture.ID)
		}
		i++
	}
	if i != len(m.holdIDs) {
		return fmt.Errorf("%d holds, the model has %d", i, len(m.holdIDs))
	}
	n := 0
	for range l.Closings() {
		n++
	}
	if n != m.closings {
		return fmt.Errorf("%d closings, the model has %d", n, m.closings)
	}
	return nil
}

// roundTrip verifies the journal, replays it, and checks that the
// replayed ledger is the live one. Every other time the test carries on
// with the replayed ledger, appending to the same journal.
func (r *runner) roundTrip() error {
	head, err := ledger.Verify(bytes.NewReader(r.journal.Bytes()), nil)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	if live := r.l.Head(); head != live {
		return fmt.Errorf("the journal's head is %+v, the ledger's %+v", head, live)
	}
	r.trips++
	opts := ledger.Options{}
	if r.trips%2 == 0 {
		opts.Journal = r.journal
	}
	replayed, err := ledger.Replay(bytes.NewReader(r.journal.Bytes()), opts)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if err := sameLedger(r.l, replayed); err != nil {
		return fmt.Errorf("the replayed ledger differs from the live one: %w", err)
	}
	if opts.Journal != nil {
		r.l = replayed
	}
	return nil
}

// sameLedger compares everything observable about two ledgers: accounts,
// balances and held amounts, every transaction and what reversed it,
// every hold and its resolution, the closings and the head.
func sameLedger(a, b *ledger.Ledger) error {
	if ha, hb := a.Head(), b.Head(); ha != hb {
		return fmt.Errorf("head %+v, replayed %+v", ha, hb)
	}
	if ca, cb := a.ClosedThrough(), b.ClosedThrough(); !ca.Equal(cb) {
		return fmt.Errorf("closed through %s, replayed %s", ca, cb)
	}
	accsA, accsB := slices.Collect(a.Accounts()), slices.Collect(b.Accounts())
	if !slices.Equal(accsA, accsB) {
		return fmt.Errorf("accounts %+v, replayed %+v", accsA, accsB)
	}
	for _, acc := range accsA {
		for _, f := range []func(*ledger.Ledger, uuid.UUID) (coprod.Amount, error){(*ledger.Ledger).Balance, (*ledger.Ledger).Held} {
			x, err := f(a, acc.ID)
			if err != nil {
				return err
			}
			y, err := f(b, acc.ID)
			if err != nil {
				return err
			}
			if !sameAmount(x, y) {
				return fmt.Errorf("%s: balance or held %s, replayed %s", acc.Name, x, y)
			}
		}
	}
	txsA, txsB := slices.Collect(a.Transactions()), slices.Collect(b.Transactions())
	if len(txsA) != len(txsB) {
		return fmt.Errorf("%d transactions, replayed %d", len(txsA), len(txsB))
	}
	for i := range txsA {
		x, y := &txsA[i], &txsB[i]
		if !sameTx(x, y) || (x.Proof == nil) != (y.Proof == nil) {
			return fmt.Errorf("transaction %d: %+v, replayed %+v", i+1, *x, *y)
		}
		ra, oka := a.ReversedBy(x.ID)
		rb, okb := b.ReversedBy(x.ID)
		if ra != rb || oka != okb {
			return fmt.Errorf("transaction %s reversed by %s, replayed by %s", x.ID, ra, rb)
		}
	}
	holdsA, holdsB := slices.Collect(a.Holds()), slices.Collect(b.Holds())
	if len(holdsA) != len(holdsB) {
		return fmt.Errorf("%d holds, replayed %d", len(holdsA), len(holdsB))
	}
	for i := range holdsA {
		x, y := &holdsA[i], &holdsB[i]
		rx, ry := &x.Resolution, &y.Resolution
		same := sameHold(&x.Hold, &y.Hold) && rx.Hold == ry.Hold && rx.Resolution == ry.Resolution && rx.At.Equal(ry.At) &&
			rx.By == ry.By && rx.Reason == ry.Reason && (rx.Transaction == nil) == (ry.Transaction == nil) &&
			(rx.Transaction == nil || sameTx(rx.Transaction, ry.Transaction))
		if !same {
			return fmt.Errorf("hold %d: %+v, replayed %+v", i+1, *x, *y)
		}
	}
	closA, closB := slices.Collect(a.Closings()), slices.Collect(b.Closings())
	if len(closA) != len(closB) {
		return fmt.Errorf("%d closings, replayed %d", len(closA), len(closB))
	}
	for i := range closA {
		x, y := closA[i], closB[i]
		if !x.Through.Equal(y.Through) || !x.Recorded.Equal(y.Recorded) || x.By != y.By || x.Reason != y.Reason {
			return fmt.Errorf("closing %d: %+v, replayed %+v", i+1, x, y)
		}
	}
	return nil
}
