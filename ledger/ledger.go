package ledger

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/exact"
	"github.com/coprod/coprod/internal/idindex"
	"github.com/google/uuid"
)

// Authorizer decides whether a record may be made: given a
// coprod.Permission filled from the record (who decided and approved, the
// scope, the money moved, whose money it is and who gains, the instrument
// claimed, the recorded and effective times, and the earlier record a
// capture, void or reversal acts on), it returns the proof the record is
// kept with, or an error that refuses it. The ledger calls it without
// holding its lock, for every formal and discretionary financial record
// (labour and in-kind records are not spending). A formal record that
// moves money must come back with a proof that is not empty: one that
// does not is refused with ErrNotAuthorized, as Replay would refuse its
// line. governance.Register satisfies it through its Permit method,
// without this package importing governance.
type Authorizer interface {
	Permit(p coprod.Permission) (coprod.Proof, error)
}

// DefaultMaxSkew is how far a record's recorded time may fall behind the
// latest recorded so far when Options.MaxSkew is zero: enough for
// goroutines racing for the ledger's lock, not enough to back-date.
const DefaultMaxSkew = time.Minute

// Options configure a Ledger. The zero Options give a ledger with no
// authority check and no journal, periods in UTC and the default skew.
type Options struct {
	// Authorizer, if set, must permit every financial record: formal ones
	// against their instrument, discretionary ones against whose money
	// they spend, and corrections against who may make them.
	Authorizer Authorizer
	// Strict refuses discretionary transactions and holds (those made under
	// no instrument) with ErrDiscretionary. Without it they are recorded,
	// with the deciding person, as discretionary.
	Strict bool
	// Journal, if set, receives every accepted record as one JSON line,
	// in a single Write, before the record is applied. A failed write (an
	// error, or fewer bytes written than the line holds) refuses the
	// record with ErrJournal and stops the ledger: from then on every
	// record that would be written is refused with ErrJournalFailed, and
	// Err reports the failure. The journal may then end in a torn line:
	// the package doc says how to recover from it.
	// It is written with the ledger's write lock held, so it must not
	// call back into the ledger; and, as io.Writer requires, it must not
	// keep the slice it is given, which the ledger reuses for the next
	// line.
	Journal io.Writer
	// MaxSkew is how far a record's recorded time may fall behind the
	// latest recorded time the ledger has seen; further is
	// ErrRecordedTimeBehind. Zero means DefaultMaxSkew; a negative value
	// allows no step back at all.
	MaxSkew time.Duration
	// Key, if set, signs every journal line (HMAC-SHA-256): without the
	// key nobody can append a line that verifies. Keys rotate: a new Key
	// signs the lines after it, each line naming its key.
	Key *coprod.JournalKey
	// Keys, if set, are the keys Replay and Recover verify lines with:
	// every line must be signed with one of them.
	Keys coprod.Keyring
	// Rand, if set, salts the hash of each line's free text, so that
	// erased text cannot be recovered by guessing it against its hash
	// (crypto/rand.Reader serves). Without it the hash is unsalted. Like
	// the Journal, it is read with the write lock held, so it must not
	// call back into the ledger.
	Rand io.Reader
	// Location is where calendar periods (months, quarters, financial
	// years) of cumulative limits begin and end; nil means UTC. A UK
	// partnership gives Europe/London.
	Location *time.Location
}

// Receipt acknowledges a recorded transaction, hold or resolution.
type Receipt struct {
	ID uuid.UUID
	// Seq is the record's position in the ledger's sequence, which is also
	// its line number in the journal.
	Seq int
	// Duplicate is true when the call was an idempotent retry: nothing new
	// was recorded, and Seq is the first call's.
	Duplicate bool
}

// Ledger is an exact, double-entry, append-only record of money and
// unpaid labour. Every call validates its record completely before
// applying it: a refused record leaves every balance, record and the
// journal as they were.
//
// A Ledger is safe for concurrent use by multiple goroutines. Create one
// with New, Replay or Recover.
type Ledger struct {
	mu   sync.RWMutex
	opts Options

	accounts     map[uuid.UUID]*account
	accountOrder []*account
	accountIdx   idindex.Index // each account's place in accountOrder, for the lookup per posting: a small flat table, where the map missed the cache at scale

	txs        idindex.Index // each transaction's place in txOrder: a flat table of numbers, which the collector need not scan
	txOrder    []*entry
	boxes      []entryBox // the chunk newEntry fills: entries are claimed in order, then never move
	reversedBy map[uuid.UUID]uuid.UUID
	// accountsIndexed is how many of txOrder are in their accounts'
	// entries lists (indexAccounts).
	accountsIndexed int

	holds     map[uuid.UUID]*holdState
	holdOrder []*holdState

	// The time rule: the latest recorded time seen, and the end of the
	// closed periods.
	lastRecorded  time.Time
	closedThrough time.Time
	closings      []Closing

	// scopes are the scopes records were made in, each numbered once with
	// every scope above it, so that a scan sums by scope without hashing
	// a path per record.
	scopes    []scopeNode
	scopeIdx  idindex.Index // each scope's place in scopes, by its path's hash: a flat table, where a map of a hundred thousand scopes missed the cache
	scopeKeys []byte        // the scopes' paths end to end, for scopeIdx's comparisons: in one place, where each path of its own was a miss of its own
	scopeLast scopeHint     // never for "": internScope answers that first

	// deciders are the parties who decided a record, in the order first
	// seen: Metrics classifies them, with the accounts' owners, once.
	deciders    []coprod.PartyID
	deciderIdx  idindex.Index  // each decider's place in deciders: a small flat table, where a map lookup missed the cache at scale
	lastDecider coprod.PartyID // the last one seen, which most records repeat

	// proofs are the distinct proofs records were made under, by
	// proofKey (the last link on their path, or their first record of
	// acting for another): thousands of records made under one
	// delegation in one period share one proof.
	proofs map[uuid.UUID][]*keptProof
	// proofLast is a proof the ledger keeps, last interned, found by
	// record for the line it journals, or resolved from a replayed line's
	// proof_ref: internProof returns it as it is, without a lookup. Kept proofs are never
	// changed, so sharing one is always sound, whether or not it is still
	// among proofs.
	proofLast *keptProof
	// proofLines are the kept proofs written in full on transaction
	// lines, and lineSeqs those lines, in order: a later line whose proof
	// reads the same names one of them (see provedInFull). The lines are
	// searched apart from the proofs, without following a pointer.
	proofLines []*keptProof
	lineSeqs   []int

	// caps are the running totals against cumulative limits, per link and
	// period, open holds included.
	caps map[capKey]*capTotal

	seq    int
	head   [sha256.Size]byte
	line   []byte // reused journal line buffer, guarded by mu
	recBuf []byte // reused record buffer, guarded by mu
	txLine txLine // the transaction record being journaled, guarded by mu: a local would escape to the heap through commit's interface
	// capBuf and postedBuf are record's buffers of cumulative-limit
	// changes and of postings' accounts, guarded by mu: local arrays are
	// zeroed on every call.
	capBuf    [2 * MaxProofLinks]capChange
	postedBuf [8]posted

	failed *journalFailure // the write failure that stopped the ledger, guarded by mu
}

type account struct {
	Account
	ord     int32 // the account's place in accountOrder
	balance exact.Sum
	// entries are the transactions that post to the account, in the order
	// recorded, by their place in txOrder: numbers, not pointers, so that
	// the collector need not scan them. The postings stay in the
	// transactions. They are brought up to date only when a query needs
	// them (indexAccounts): appending to a random account's list on every
	// record missed the cache at scale.
	entries []uint32
}

type entry struct {
	// tx is owned by the ledger: never handed out, only copies. It is
	// held by value, not by a pointer into the same allocation, so that
	// the collector has one pointer fewer to follow per transaction; code
	// that names it takes its address (tx := &e.tx), never a copy.
	tx  Transaction
	seq int
	// rev is the reversal of tx, once one is recorded.
	rev *entry
	// accts are the accounts of tx.Postings, in order, by their place in
	// accountOrder: resolved once when the entry is applied, so that scans
	// need no lookup per posting, and numbers, so that the collector need
	// not follow them. The first two are held inline (most transactions
	// have two postings); moreAccts holds the rest, nil otherwise. Read
	// them with acct.
	accts     [2]int32
	moreAccts []int32
	// scope is tx's scope by its number in the ledger's scopes, or -1.
	scope int32
}

// acct returns the place in accountOrder of the account of e's posting
// i, once e is applied.
func (e *entry) acct(i int) int32 {
	if i < len(e.accts) {
		return e.accts[i]
	}
	return e.moreAccts[i-len(e.accts)]
}

// entryBox keeps a transaction's entry with room for two postings, the
// common case, so that a scan reads one place per transaction.
type entryBox struct {
	entry
	posts [2]Posting
}

// entryChunk is how many entries the ledger allocates at once: one
// allocation for many transactions, not one each, costs less to make and
// gives the collector fewer objects to mark.
const entryChunk = 256

// newEntry fills the ledger's next free entry with tx and returns it, for
// record (or a hold's capture) to apply, which claims it. An entry not
// applied is not kept: the next newEntry fills the same place. newEntry
// copies tx's postings, so tx may share them with the caller; its other
// slices and maps must be the ledger's own. The caller holds the write
// lock.
func (l *Ledger) newEntry(tx Transaction) *entry {
	box := l.nextBox()
	box.tx = tx
	if n := len(tx.Postings); n <= len(box.posts) {
		box.tx.Postings = box.posts[:n:n]
		copy(box.posts[:], tx.Postings)
	} else {
		box.tx.Postings = slices.Clone(tx.Postings)
	}
	return &box.entry
}

// nextBox returns the box of the ledger's next free entry, zeroed, for
// newEntry or a replay to fill. The caller holds the write lock.
func (l *Ledger) nextBox() *entryBox {
	if len(l.boxes) == cap(l.boxes) {
		// A full chunk stays where it is, held by the entries in it;
		// entries already handed out never move.
		l.boxes = make([]entryBox, 0, entryChunk)
	}
	box := &l.boxes[:len(l.boxes)+1][len(l.boxes)]
	*box = entryBox{}
	return box
}

// claim keeps e, which newEntry returned and apply is applying.
func (l *Ledger) claim(e *entry) {
	n := len(l.boxes)
	if n == cap(l.boxes) || e != &l.boxes[:n+1][n].entry {
		panic("ledger: applying an entry newEntry did not return last")
	}
	l.boxes = l.boxes[:n+1]
}

// New returns an empty ledger.
func New(opts Options) *Ledger {
	return &Ledger{
		opts:       opts,
		accounts:   make(map[uuid.UUID]*account),
		reversedBy: make(map[uuid.UUID]uuid.UUID),
		holds:      make(map[uuid.UUID]*holdState),
		caps:       make(map[capKey]*capTotal),
		proofs:     make(map[uuid.UUID][]*keptProof),
	}
}

// Open records an account. Opening the same account again, identically,
// is an idempotent no-op; another account with the same ID is refused.
func (l *Ledger) Open(a Account) error {
	if err := a.validate(); err != nil {
		return refuseCause("account", a.ID, ErrInvalidAccount, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open(a, true)
}

func (l *Ledger) open(a Account, journal bool) error {
	if old, ok := l.accounts[a.ID]; ok {
		if old.Account == a {
			return nil
		}
		return refuse("account", a.ID, ErrDuplicateAccount, "already open as %q", old.Name)
	}
	if err := l.commit(recAccount, a, journal); err != nil {
		return journalRefusal("account", a.ID, err)
	}
	a.Kind, a.Unit = a.Kind.canonical(), canonicalUnit(a.Unit)
	acc := &account{Account: a, ord: int32(len(l.accountOrder)), balance: exact.New(a.Unit)}
	l.accounts[a.ID] = acc
	l.accountIdx.Insert(a.ID, len(l.accountOrder))
	l.accountOrder = append(l.accountOrder, acc)
	return nil
}

// Post records a transaction: validated completely (shape, accounts,
// units, books, balance per unit, the time rule, authority and the
// cumulative limits on its proof path), journaled, then applied
// atomically. Posting the same transaction again returns the first
// receipt with Duplicate set; the same ID with other content is
// ErrIdempotencyConflict. Reversals are made with Reverse, not Post.
func (l *Ledger) Post(tx Transaction) (Receipt, error) {
	if tx.Kind == Reversal {
		return Receipt{}, refuse("transaction", tx.ID, ErrInvalidTransaction, "reversals are made with Reverse")
	}
	if tx.Proof != nil {
		return Receipt{}, refuse("transaction", tx.ID, ErrInvalidTransaction, "the proof is the ledger's to record, not the caller's")
	}
	if err := checkShape(&tx); err != nil {
		return Receipt{}, err
	}
	if r, done, err := l.retry(&tx); done {
		return r, err
	}
	proof, err := l.authorize("transaction", &tx, nil)
	if err != nil {
		return Receipt{}, err
	}
	tx = tx.cloneExceptPostings()
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.newEntry(tx)
	e.tx.Proof = proof
	return l.record(e, true)
}

func checkShape(tx *Transaction) error {
	if len(tx.Postings) > MaxPostings {
		return refuse("transaction", tx.ID, ErrTooManyPostings, "%d postings, at most %d", len(tx.Postings), MaxPostings)
	}
	if err := tx.validateShape(); err != nil {
		sentinel := ErrInvalidTransaction
		if errors.Is(err, ErrInvalidLabour) {
			sentinel = ErrInvalidLabour
		}
		return refuseCause("transaction", tx.ID, sentinel, err)
	}
	return nil
}

// retry answers an idempotent retry without asking the authorizer again.
func (l *Ledger) retry(tx *Transaction) (Receipt, bool, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	e, ok := l.entry(tx.ID)
	if !ok {
		return Receipt{}, false, nil
	}
	if !e.tx.equal(tx) {
		return Receipt{}, true, refuse("transaction", tx.ID, ErrIdempotencyConflict, "recorded at seq %d with other content", e.seq)
	}
	return Receipt{ID: tx.ID, Seq: e.seq, Duplicate: true}, true, nil
}

// moneyValue is what a financial transaction moves: the sum of its
// positive postings in money. It reports false for a transaction with no
// money postings, and an error if the sum is out of range.
func moneyValue(ps []Posting) (coprod.Amount, bool, error) {
	var v coprod.Amount
	for _, p := range ps {
		if p.Amount.Sign() <= 0 || !p.Amount.Unit().IsMoney() {
			continue
		}
		if !v.IsSet() {
			v = p.Amount
			continue
		}
		s, err := v.Add(p.Amount)
		if err != nil {
			return coprod.Amount{}, false, err
		}
		v = s
	}
	return v, v.IsSet(), nil
}

// record validates e's transaction against the ledger's state and applies
// it. The caller holds the write lock and has checked the shape.
func (l *Ledger) record(e *entry, journal bool) (Receipt, error) {
	tx := &e.tx
	if e, ok := l.entry(tx.ID); ok {
		if !e.tx.equal(tx) {
			return Receipt{}, refuse("transaction", tx.ID, ErrIdempotencyConflict, "recorded at seq %d with other content", e.seq)
		}
		return Receipt{ID: tx.ID, Seq: e.seq, Duplicate: true}, nil
	}
	if err := l.checkTimes("transaction", tx.ID, tx.Recorded, tx.Effective); err != nil {
		return Receipt{}, err
	}
	balances, err := l.validate(tx, l.postedBuf[:0])
	if err != nil {
		return Receipt{}, err
	}
	var caps []capChange
	if tx.Proof != nil || tx.Kind == Reversal {
		if caps, err = l.capChanges(l.capBuf[:0], "transaction", tx.ID, tx, nil); err != nil {
			return Receipt{}, err
		}
	}
	// A proof written in full on an earlier line is written as that
	// line's number.
	line := &l.txLine
	*line = txLine{tx: tx}
	if journal && l.opts.Journal != nil {
		if kp := l.findProof(tx.Proof); kp != nil {
			// The kept proof reads, and is written, as tx's: sharing it
			// now spares apply the lookup.
			line.proofRef = kp.line
			tx.Proof, l.proofLast = kp.p, kp
		}
	}
	if err := l.commit(recTransaction, line, journal); err != nil {
		return Receipt{}, journalRefusal("transaction", tx.ID, err)
	}
	kp := l.apply(e, balances)
	if journal && l.opts.Journal != nil && line.proofRef == 0 {
		l.provedInFull(kp)
	}
	l.applyCaps(caps)
	l.noteRecorded(tx.Recorded)
	return Receipt{ID: tx.ID, Seq: l.seq}, nil
}

// posted is a posting's account, with its balance after the transaction.
type posted struct {
	acc     *account
	balance exact.Sum
}

// validate checks postings against accounts and returns each posting's
// account and its balance after the transaction, appended to balances,
// so that apply cannot fail and need not look the accounts up again.
func (l *Ledger) validate(tx *Transaction, balances []posted) ([]posted, error) {
	reject := func(sentinel error, format string, args ...any) ([]posted, error) {
		return nil, refuse("transaction", tx.ID, sentinel, format, args...)
	}
	if tx.Reverses != uuid.Nil {
		orig, ok := l.entry(tx.Reverses)
		if !ok {
			return reject(ErrUnknownTransaction, "reverses unknown transaction %s", tx.Reverses)
		}
		if orig.tx.Kind == Reversal {
			return reject(ErrNotReversible, "%s is itself a reversal", tx.Reverses)
		}
		if by, ok := l.reversedBy[tx.Reverses]; ok {
			return reject(ErrAlreadyReversed, "%s was reversed by %s", tx.Reverses, by)
		}
		if !isMirror(tx, &orig.tx) {
			return reject(ErrInvalidTransaction, "not the exact mirror of %s", tx.Reverses)
		}
	}
	if tx.Against != uuid.Nil {
		if _, ok := l.entry(tx.Against); !ok {
			return reject(ErrUnknownTransaction, "against unknown transaction %s", tx.Against)
		}
	}
	kind := tx.Kind
	if kind == Reversal {
		kind = l.mustEntry(tx.Reverses).tx.Kind // a mirror posts to the original's books
	}
	book := bookFor(kind)
	for i, p := range tx.Postings {
		k, ok := l.accountIdx.Find(p.Account, l.accountID)
		if !ok {
			return reject(ErrUnknownAccount, "posting %d: no account %s", i, p.Account)
		}
		acc := l.accountOrder[k]
		if p.Amount.Unit() != acc.Unit {
			return reject(ErrUnitMismatch, "posting %d: %s to a %s account", i, p.Amount, acc.Unit)
		}
		if bookOf(acc.Kind) != book {
			return reject(ErrMixedBooks, "posting %d: a %s transaction cannot post to %s account %s", i, tx.Kind, acc.Kind, acc.ID)
		}
		if kind.Labour() && acc.Unit != labourUnit(kind) {
			return reject(ErrUnitMismatch, "posting %d: a %s transaction posts %s, not %s", i, kind, labourUnit(kind), acc.Unit)
		}
		// The balance after this posting, counting earlier postings to the
		// same account in this transaction.
		prev := acc.balance
		for j := i - 1; j >= 0; j-- {
			if tx.Postings[j].Account == p.Account {
				prev = balances[j].balance
				break
			}
		}
		if err := prev.Add(p.Amount); err != nil {
			e := refuse("transaction", tx.ID, ErrInvalidTransaction, "posting %d: balance of %s", i, acc.ID)
			e.Cause = err
			return nil, e
		}
		balances = append(balances, posted{acc, prev})
	}
	if err := balanced(tx.Postings); err != nil {
		return reject(ErrUnbalanced, "%v", err)
	}
	if tx.Labour != nil {
		if err := labourMatches(tx); err != nil {
			return reject(ErrInvalidLabour, "%v", err)
		}
	}
	return balances, nil
}

type book int

const (
	financialBook book = iota
	labourBook
	inKindBook
)

func bookFor(k Kind) book {
	switch {
	case k.Labour():
		return labourBook
	case k == InKind:
		return inKindBook
	}
	return financialBook
}

func bookOf(k AccountKind) book {
	switch k {
	case MemoLabour:
		return labourBook
	case MemoInKind:
		return inKindBook
	}
	return financialBook
}

func labourUnit(k Kind) coprod.Unit {
	if k == TimeCredit {
		return coprod.Credits
	}
	return coprod.Hours
}

// balanced checks that postings sum to zero in every unit. Every posting
// has been checked to be in a defined unit, of which there are few.
func balanced(ps []Posting) error {
	var sums [4]exact.Sum
	n := 0
	for _, p := range ps {
		i := 0
		for i < n && sums[i].Unit() != p.Amount.Unit() {
			i++
		}
		if i == n {
			if n == len(sums) {
				return fmt.Errorf("more than %d units in one transaction", len(sums))
			}
			sums[n] = exact.New(p.Amount.Unit())
			n++
		}
		if err := sums[i].Add(p.Amount); err != nil {
			return err
		}
	}
	for i := range n {
		if !sums[i].IsZero() {
			sum, _ := sums[i].Amount()
			return fmt.Errorf("postings in %s sum to %s", sums[i].Unit(), sum)
		}
	}
	return nil
}

// labourMatches checks that a labour transaction posts the hours (or
// credits) its Labour record values.
func labourMatches(tx *Transaction) error {
	moved, _ := positive(tx.Postings, labourUnit(tx.Kind))
	if !sameValue(moved, tx.Labour.Hours) {
		return fmt.Errorf("postings move %s, the labour record says %s", moved, tx.Labour.Hours)
	}
	return nil
}

// positive sums the positive postings in unit u.
func positive(ps []Posting, u coprod.Unit) (coprod.Amount, error) {
	sum := coprod.Zero(u)
	for _, p := range ps {
		if p.Amount.Unit() == u && p.Amount.Sign() > 0 {
			s, err := sum.Add(p.Amount)
			if err != nil {
				return coprod.Amount{}, err
			}
			sum = s
		}
	}
	return sum, nil
}

// entry returns the transaction recorded with ID id. The caller holds the
// lock.
func (l *Ledger) entry(id uuid.UUID) (*entry, bool) {
	i, ok := l.txs.Find(id, l.txID)
	if !ok {
		return nil, false
	}
	return l.txOrder[i], true
}

// txID returns the ID of the transaction at place i in txOrder, for
// l.txs. The caller holds the lock.
func (l *Ledger) txID(i int) uuid.UUID { return l.txOrder[i].tx.ID }

// accountID returns the ID of the account at place i in accountOrder, for
// l.accountIdx. The caller holds the lock.
func (l *Ledger) accountID(i int) uuid.UUID { return l.accountOrder[i].ID }

// deciderAt returns the decider at place i in deciders, for l.deciderIdx.
// The caller holds the lock.
func (l *Ledger) deciderAt(i int) uuid.UUID { return l.deciders[i] }

// acct returns the account of e's posting i. The caller holds the lock.
func (l *Ledger) acct(e *entry, i int) *account { return l.accountOrder[e.acct(i)] }

// mustEntry is entry for an ID validation has found.
func (l *Ledger) mustEntry(id uuid.UUID) *entry {
	e, _ := l.entry(id)
	return e
}

// apply applies e, which validate has checked, with the balances it
// returned, and returns the proof kept for e's (nil for none).
func (l *Ledger) apply(e *entry, balances []posted) *keptProof {
	tx := &e.tx
	l.claim(e)
	e.seq = l.seq
	l.txs.Insert(tx.ID, len(l.txOrder))
	l.txOrder = append(l.txOrder, e)
	tx.Kind, tx.Coverage = tx.Kind.canonical(), tx.Coverage.canonical()
	if d := tx.Formality.DecidedBy; d != l.lastDecider {
		if _, ok := l.deciderIdx.Find(d, l.deciderAt); !ok {
			l.deciderIdx.Insert(d, len(l.deciders))
			l.deciders = append(l.deciders, d)
		}
		l.lastDecider = d
	}
	kp := l.internProof(tx.Proof)
	if kp != nil {
		tx.Proof = kp.p
	}
	e.scope = l.internScope(tx.Formality.Scope)
	if e.scope >= 0 {
		tx.Formality.Scope = l.scopes[e.scope].scope // one copy of each path
	}
	e.moreAccts = nil
	if n := len(tx.Postings); n > len(e.accts) {
		e.moreAccts = make([]int32, n-len(e.accts))
	}
	for i := range tx.Postings {
		acc := balances[i].acc
		acc.balance = balances[i].balance
		if i < len(e.accts) {
			e.accts[i] = acc.ord
		} else {
			e.moreAccts[i-len(e.accts)] = acc.ord
		}
	}
	if tx.Reverses != uuid.Nil {
		l.reversedBy[tx.Reverses] = tx.ID
		l.mustEntry(tx.Reverses).rev = e
	}
	return kp
}

// indexAccounts brings every account's entries list up to date with
// txOrder. Done in one pass when a query needs the lists, it costs a
// fraction of an append per posting as each record is applied, which
// missed the cache on a random account's list at scale. The caller holds
// the write lock.
func (l *Ledger) indexAccounts() {
	for j := l.accountsIndexed; j < len(l.txOrder); j++ {
		e := l.txOrder[j]
		for i := range e.tx.Postings {
			k := e.acct(i)
			if !acctEarlier(e, i, k) {
				acc := l.accountOrder[k]
				acc.entries = append(acc.entries, uint32(j))
			}
		}
	}
	l.accountsIndexed = len(l.txOrder)
}

// acctEarlier reports whether a posting of e before posting i is to
// account k, the account of posting i.
func acctEarlier(e *entry, i int, k int32) bool {
	for j := range i {
		if e.acct(j) == k {
			return true
		}
	}
	return false
}

// keptProof is a proof the ledger keeps, shared by the records made
// under it.
type keptProof struct {
	p *coprod.Proof
	// line is the journal line of the first transaction record that
	// carried p in full, once one has; 0 before.
	line int
}

// findProof returns the kept proof that reads the same as p (sameProof),
// or nil. The caller holds the lock.
func (l *Ledger) findProof(p *coprod.Proof) *keptProof {
	if p == nil {
		return nil
	}
	if kp := l.proofLast; kp != nil && kp.p == p {
		return kp
	}
	for _, q := range l.proofs[proofKey(p)] {
		if q.p == p || sameProof(p, q.p) {
			return q
		}
	}
	return nil
}

// internProof returns the kept proof that reads the same as p
// (sameProof), or keeps p; nil for a nil p. Proofs kept are never
// changed: every proof handed out is a copy. The caller holds the write
// lock.
func (l *Ledger) internProof(p *coprod.Proof) *keptProof {
	if p == nil {
		return nil
	}
	if q := l.findProof(p); q != nil {
		l.proofLast = q
		return q
	}
	key := proofKey(p)
	kept := l.proofs[key]
	if len(kept) == maxProofsPerLink {
		// Keep the newest: records come in time order, and a link's
		// proofs change with each period span.
		kept = append(kept[:0], kept[1:]...)
	}
	q := &keptProof{p: p}
	l.proofs[key] = append(kept, q)
	l.proofLast = q
	return q
}

// provedInFull notes that the transaction just applied, under the kept
// proof kp, carried its proof in full on journal line l.seq. A later line
// may name any line noted; the ledger names the first noted for kp. The
// caller holds the write lock.
//
// A replay notes every line that holds a proof in full, not only the
// first for each proof it keeps: the ledger that wrote the journal may
// have written a proof in full again (after it stopped keeping the proof,
// or for a proof that reads the same as one it kept but differed in a
// zone's name), and named that line.
func (l *Ledger) provedInFull(kp *keptProof) {
	if kp == nil {
		return
	}
	if kp.line == 0 {
		kp.line = l.seq
	}
	l.proofLines = append(l.proofLines, kp)
	l.lineSeqs = append(l.lineSeqs, l.seq)
}

// proofOnLine returns the proof written in full on journal line seq, as
// provedInFull noted it. The caller holds the lock.
func (l *Ledger) proofOnLine(seq int) (*keptProof, bool) {
	i, ok := slices.BinarySearch(l.lineSeqs, seq)
	if !ok {
		return nil, false
	}
	return l.proofLines[i], true
}

// proofKey is what the ledger keeps proof p under: the last link on its
// path, the decider's own; for a proof with no path, the first record of
// acting for another it holds (a discretionary record made for an
// organisation); uuid.Nil for neither. Acting proofs kept all under one
// key would pass maxProofsPerLink as soon as a partnership had more than
// a few officers acting for organisations, and each record of theirs
// would write its proof in full again.
func proofKey(p *coprod.Proof) uuid.UUID {
	if n := len(p.Path); n > 0 {
		return p.Path[n-1].ID
	}
	if len(p.Acting) > 0 {
		return p.Acting[0].ID
	}
	return uuid.Nil
}

// maxProofsPerLink bounds the proofs internProof compares a new one with:
// a link's proofs differ by period span and by the path above it, a few
// at a time in practice. Older ones stay with their records, unshared
// with new ones.
const maxProofsPerLink = 16

// sameProof reports whether a and b are equal and would be written the
// same: equal times in the same zone offset, and nil lists where the other
// has nil lists.
func sameProof(a, b *coprod.Proof) bool {
	if !equalProofs(a, b) {
		return false
	}
	if a == nil {
		return true
	}
	// A nil path or list of acting-for records reads as null, an empty
	// one as []: equal, but not written the same.
	if (a.Path == nil) != (b.Path == nil) || (a.Acting == nil) != (b.Acting == nil) {
		return false
	}
	for i := range a.Path {
		x, y := a.Path[i].Period, b.Path[i].Period
		// The journal writes a period that is not the zero Window, even
		// one whose bounds are both unset.
		if (x == coprod.Window{}) != (y == coprod.Window{}) || !sameZone(x.NotBefore, y.NotBefore) || !sameZone(x.Expires, y.Expires) {
			return false
		}
	}
	return true
}

func sameZone(a, b time.Time) bool {
	na, oa := a.Zone()
	nb, ob := b.Zone()
	return oa == ob && na == nb
}

// scopeHint is the scope last numbered or looked up, with its number:
// the next record most often repeats it (and a replay's decoder has just
// looked it up), so internScope tries it before the index.
type scopeHint struct {
	scope coprod.Scope
	id    int32
}

// scopeNode is one numbered scope: its path, the number of the scope
// above it, or -1, and where its path starts in scopeKeys.
type scopeNode struct {
	scope  coprod.Scope
	parent int32
	key    int
}

// internScope returns the number of scope s, numbering it and every
// scope above it on first sight; -1 for no scope. The caller holds the
// write lock.
func (l *Ledger) internScope(s coprod.Scope) int32 {
	if s == "" {
		return -1
	}
	if _, ok := l.knownScope(s); ok {
		return l.scopeLast.id
	}
	parent := int32(-1)
	if p, ok := s.Parent(); ok {
		parent = l.internScope(p)
	}
	id := int32(len(l.scopes))
	l.scopes = append(l.scopes, scopeNode{scope: s, parent: parent, key: len(l.scopeKeys)})
	l.scopeKeys = append(l.scopeKeys, s...)
	l.scopeIdx.InsertHashed(l.scopeIdx.HashString(string(s)), int(id))
	l.scopeLast = scopeHint{s, id}
	return id
}

// knownScope returns the ledger's own copy of scope s, if s is numbered,
// leaving it as scopeLast. The caller holds the write lock.
func (l *Ledger) knownScope(s coprod.Scope) (coprod.Scope, bool) {
	if s == "" {
		return "", false
	}
	if s == l.scopeLast.scope {
		return l.scopeLast.scope, true
	}
	return findScope(l, l.scopeIdx.HashString(string(s)), s)
}

// findScope looks up the scope s, hashed to h by scopeIdx, and leaves it
// as scopeLast.
func findScope(l *Ledger, h uint32, s coprod.Scope) (coprod.Scope, bool) {
	i, ok := l.scopeIdx.FindHashed(h, func(i int) bool {
		n := &l.scopes[i]
		return len(n.scope) == len(s) && string(l.scopeKeys[n.key:n.key+len(s)]) == string(s)
	})
	if !ok {
		return "", false
	}
	l.scopeLast = scopeHint{l.scopes[i].scope, int32(i)}
	return l.scopeLast.scope, true
}

// ReversalRequest asks for the exact mirror of a recorded transaction.
type ReversalRequest struct {
	// ID is the reversal's own transaction ID, its idempotency key.
	ID uuid.UUID
	// Of is the transaction to reverse.
	Of uuid.UUID
	// By is who decided the reversal: with an Authorizer, someone entitled
	// to act on the original (its decider, a holder above them on its
	// proof path, or a successor in the same post).
	By coprod.PartyID
	// Approvers are the co-signatories' approvals, if any, at or before
	// Recorded.
	Approvers []Approval
	Reason    string
	Effective time.Time
	Recorded  time.Time
}

// Reverse posts the exact mirror of a transaction: every posting negated,
// the same instrument, coverage and grant, Kind Reversal. A transaction is
// reversed at most once (ErrAlreadyReversed); a reversal is not reversed
// (ErrNotReversible). Retrying the same request returns the first receipt.
//
// A correction is a decision too: with an Authorizer, req.By must be
// entitled to act on the original, and the reversal keeps the proof of
// that entitlement. The reversal releases, in the original's period, what
// the original counted against cumulative limits. A strict ledger accepts
// the reversal of a discretionary transaction. The reversal's effective
// time must lie in an open period: corrections of a closed period are made
// in an open one.
func (l *Ledger) Reverse(req ReversalRequest) (Receipt, error) {
	if err := checkText("reason", req.Reason); err != nil {
		return Receipt{}, refuseCause("transaction", req.ID, ErrInvalidTransaction, err)
	}
	l.mu.RLock()
	orig, ok := l.entry(req.Of)
	var tx Transaction
	var prior coprod.Prior
	if ok {
		tx = mirror(&orig.tx, req)
		prior = coprod.Prior{Decider: orig.tx.Formality.DecidedBy, Proof: cloneProof(orig.tx.Proof), Payers: l.payersOf(&orig.tx)}
	}
	l.mu.RUnlock()
	if !ok {
		return Receipt{}, refuse("transaction", req.ID, ErrUnknownTransaction, "no transaction %s to reverse", req.Of)
	}
	if orig.tx.Kind == Reversal {
		return Receipt{}, refuse("transaction", req.ID, ErrNotReversible, "%s is itself a reversal", req.Of)
	}
	if err := checkShape(&tx); err != nil {
		return Receipt{}, err
	}
	if r, done, err := l.retry(&tx); done {
		return r, err
	}
	proof, err := l.authorize("transaction", &tx, &prior)
	if err != nil {
		return Receipt{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.newEntry(tx)
	e.tx.Proof = proof
	return l.record(e, true)
}

func mirror(o *Transaction, req ReversalRequest) Transaction {
	tx := Transaction{
		ID: req.ID, Kind: Reversal, Reverses: o.ID, Effective: req.Effective, Recorded: req.Recorded,
		Formality: Formality{Instrument: o.Formality.Instrument, Scope: o.Formality.Scope, DecidedBy: req.By,
			Approvers: slices.Clone(req.Approvers)},
		Coverage: o.Coverage, Against: o.Against, Memo: req.Reason,
		Postings: make([]Posting, len(o.Postings)),
	}
	for i, p := range o.Postings {
		tx.Postings[i] = Posting{Account: p.Account, Amount: p.Amount.Neg()}
	}
	return tx
}

// isMirror reports whether tx is the exact mirror of o that Reverse
// makes: the same accounts in the same order with every amount negated,
// the same instrument, scope, coverage and grant.
func isMirror(tx, o *Transaction) bool {
	if len(tx.Postings) != len(o.Postings) || tx.Formality.Instrument != o.Formality.Instrument ||
		tx.Formality.Scope != o.Formality.Scope || tx.Coverage != o.Coverage || tx.Against != o.Against ||
		tx.Labour != nil || len(tx.Metadata) > 0 {
		return false
	}
	for i, p := range o.Postings {
		q := tx.Postings[i]
		if q.Account != p.Account || !q.Amount.Equal(p.Amount.Neg()) {
			return false
		}
	}
	return true
}
