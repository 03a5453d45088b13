package ledger_test

// Attacks on the two changes of c1a3aa2: the accounts' lists of
// transactions, no longer appended as each record is applied but brought
// up to date when BalanceAt or BalanceRecordedAt needs them
// (indexAccounts, and balanceWhere's step from the read lock to the write
// lock), and the journal's UUIDs read eight digits at a time (hex8; its
// internal attacks are in attack_lazy_lists_internal_test.go). The
// packages are composed as a user would: a governance register as the
// ledger's Authorizer, a journal to a buffer.
//
// Each test says what it shows. One attack succeeded when it was
// written: TestAttackLazyBalanceAtPartialSumOverflow, a defect in how
// balanceWhere summed (older than the lazy lists), not in the lists; it is
// fixed, and the test holds the fix.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lzBase is when every test here begins; lzClosed is the end of the
// period each ledger closes first.
var (
	lzBase   = time.Date(2025, 5, 10, 9, 0, 0, 0, time.UTC)
	lzClosed = time.Date(2025, 5, 5, 0, 0, 0, 0, time.UTC)
	lzFar    = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
)

// The instruments: lzInst with room for everything the tests post, and
// lzTight with a monthly cap of £50, so that records under it are refused
// as over the limit after newEntry has filled an entry for them.
var (
	lzInst  = id("lz-officer")
	lzTight = id("lz-tight")
	lzScope = coprod.Scope("commission/mental-health/iapt")
	lzLate  = id("lz-late-account")
)

// lzRegister is the council's mandate and the officer's two delegations.
func lzRegister(t testing.TB) *governance.Register {
	t.Helper()
	r := governance.NewRegister()
	for _, p := range []coprod.Party{
		{ID: council, Name: "Council", Sector: coprod.Statutory},
		{ID: hub, Name: "Hub", Sector: coprod.Hub},
		{ID: temple, Name: "Temple", Sector: coprod.Community},
		{ID: volunteer, Name: "Volunteer", Sector: coprod.Individual},
		{ID: officer, Name: "Officer", Sector: coprod.Individual},
	} {
		require.NoError(t, r.AddParty(p))
	}
	require.NoError(t, r.AddMandate(governance.Mandate{ID: id("lz-mandate"), Holder: council, Scope: "commission", MaxDepth: 1,
		TransactionLimit: gbp("1000000")}))
	require.NoError(t, r.Delegate(governance.Delegation{ID: lzInst, Parent: id("lz-mandate"), From: council, To: officer,
		Scope: "commission/mental-health", TransactionLimit: gbp("100000"), CumulativeLimit: gbp("100000000"), Period: governance.PeriodMonth}))
	require.NoError(t, r.Delegate(governance.Delegation{ID: lzTight, Parent: id("lz-mandate"), From: council, To: officer,
		Scope: "commission/mental-health", TransactionLimit: gbp("100000"), CumulativeLimit: gbp("50"), Period: governance.PeriodMonth}))
	return r
}

// lzModel is what a test has recorded, kept apart from the ledger: the
// postings and times of every transaction applied, in the order
// recorded.
type lzModel struct {
	txs      []ledger.Transaction
	reversed map[uuid.UUID]bool
}

func (m *lzModel) add(tx ledger.Transaction) {
	tx.Postings = append([]ledger.Posting(nil), tx.Postings...)
	m.txs = append(m.txs, tx)
}

// sum is what the model's postings to account a in unit u sum to, over
// the transactions keep admits.
func (m *lzModel) sum(a uuid.UUID, u coprod.Unit, keep func(*ledger.Transaction) bool) coprod.Amount {
	return lzSum(m.txs, a, u, keep)
}

func lzSum(txs []ledger.Transaction, a uuid.UUID, u coprod.Unit, keep func(*ledger.Transaction) bool) coprod.Amount {
	s := coprod.Zero(u)
	for i := range txs {
		if !keep(&txs[i]) {
			continue
		}
		for _, p := range txs[i].Postings {
			if p.Account == a {
				var err error
				if s, err = s.Add(p.Amount); err != nil {
					panic(err)
				}
			}
		}
	}
	return s
}

func effectiveBy(at time.Time) func(*ledger.Transaction) bool {
	return func(tx *ledger.Transaction) bool { return !tx.Effective.After(at) }
}

func recordedBy(at time.Time) func(*ledger.Transaction) bool {
	return func(tx *ledger.Transaction) bool { return !tx.Recorded.After(at) }
}

// lzBalances is every answer BalanceAt and BalanceRecordedAt give for
// every open account at every cut, checked against the model when m is
// not nil, as text, so that two ledgers can be compared.
func lzBalances(t *testing.T, l *ledger.Ledger, m *lzModel, cuts []time.Time) string {
	t.Helper()
	var b strings.Builder
	for a := range l.Accounts() {
		for _, at := range cuts {
			got, err := l.BalanceAt(a.ID, at)
			require.NoError(t, err)
			gotRec, err := l.BalanceRecordedAt(a.ID, at)
			require.NoError(t, err)
			if m != nil {
				want := m.sum(a.ID, a.Unit, effectiveBy(at))
				require.True(t, want.Equal(got), "BalanceAt(%s, %s): want %s, got %s", a.Name, at, want, got)
				want = m.sum(a.ID, a.Unit, recordedBy(at))
				require.True(t, want.Equal(gotRec), "BalanceRecordedAt(%s, %s): want %s, got %s", a.Name, at, want, gotRec)
			}
			fmt.Fprintf(&b, "%s %s %s %s\n", a.ID, at.Format(time.RFC3339), got, gotRec)
		}
	}
	return b.String()
}

// lzDriver records into a ledger at random (from a fixed seed), keeping
// the model, with every kind of record the ledger makes and refuses.
type lzDriver struct {
	t     *testing.T
	l     *ledger.Ledger
	m     *lzModel
	rng   *rand.Rand
	now   time.Time
	n     int
	holds []ledger.Hold // open holds, oldest first
	late  bool          // lzLate is open

	lastPost *ledger.Transaction // the last transaction Post accepted
	did      map[string]int      // how many of each kind of record, and of refusal, were made
}

// newLzLedger is a ledger with lzRegister as its authority, journaling
// to journal, a period closed through lzClosed, and a driver from seed.
func newLzLedger(t *testing.T, journal *bytes.Buffer, seed uint64) (*governance.Register, *ledger.Ledger, *lzDriver) {
	t.Helper()
	reg := lzRegister(t)
	l := newLedger(t, ledger.Options{Authorizer: reg, Journal: journal})
	_, err := l.ClosePeriod(ledger.Closing{Through: lzClosed, Recorded: lzBase, By: council})
	require.NoError(t, err)
	return reg, l, newLzDriver(t, l, seed)
}

func newLzDriver(t *testing.T, l *ledger.Ledger, seed uint64) *lzDriver {
	return &lzDriver{t: t, l: l, m: &lzModel{reversed: map[uuid.UUID]bool{}}, rng: rand.New(rand.NewPCG(seed, 1)), now: lzBase, did: map[string]int{}}
}

func (d *lzDriver) id(what string) uuid.UUID {
	d.n++
	return id(fmt.Sprintf("lz-%s-%d", what, d.n))
}

// tick moves the recorded time on a minute.
func (d *lzDriver) tick() { d.now = d.now.Add(time.Minute) }

// effective is an effective time from three days back to a day ahead, in
// the open period.
func (d *lzDriver) effective() time.Time {
	return d.now.Add(time.Duration(d.rng.IntN(4*24*60)-3*24*60) * time.Minute)
}

func (d *lzDriver) pence() coprod.Amount { return pence(int64(1 + d.rng.IntN(5000))) }

// payees are the accounts a formal record pays into.
func (d *lzDriver) payee() uuid.UUID {
	ps := []uuid.UUID{id("temple-cash"), id("hub-cash"), id("temple-costs")}
	if d.late {
		ps = append(ps, lzLate)
	}
	return ps[d.rng.IntN(len(ps))]
}

// formal is a formal record of n postings (n ≥ 2) out of the council's
// budget into the payees, in random order: a third of them (at least
// one) from the budget, the rest to the payees, several to one account
// when n > 2.
func (d *lzDriver) formal(n int, inst uuid.UUID) ledger.Transaction {
	k := max(1, n/3)
	ps := make([]ledger.Posting, 0, n)
	var in int64
	for range n - k {
		v := int64(1 + d.rng.IntN(900))
		ps = append(ps, ledger.Posting{Account: d.payee(), Amount: pence(v)})
		in += v
	}
	for j := range k {
		v := in / int64(k)
		if j == k-1 {
			v = in - v*int64(k-1)
		}
		ps = append(ps, ledger.Posting{Account: id("council-budget"), Amount: pence(-v)})
	}
	d.rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
	return ledger.Transaction{ID: d.id("formal"), Kind: ledger.Grant, Effective: d.effective(), Recorded: d.now, Postings: ps,
		Formality: ledger.Formality{Instrument: inst, Scope: lzScope, DecidedBy: officer}}
}

// lzPlus is a + b, which must be in range.
func lzPlus(a, b coprod.Amount) coprod.Amount {
	s, err := a.Add(b)
	if err != nil {
		panic(err)
	}
	return s
}

// post records tx and adds it to the model; it must be accepted.
func (d *lzDriver) post(tx ledger.Transaction) {
	d.t.Helper()
	_, err := d.l.Post(tx)
	require.NoError(d.t, err, "post %d postings", len(tx.Postings))
	d.m.add(tx)
	d.lastPost = &tx
	d.did[fmt.Sprint(tx.Kind, " ", min(len(tx.Postings), 9), " postings")]++
}

// refused posts tx, which must be refused with sentinel.
func (d *lzDriver) refused(tx ledger.Transaction, sentinel error) {
	d.t.Helper()
	_, err := d.l.Post(tx)
	require.ErrorIs(d.t, err, sentinel)
	d.did[sentinel.Error()]++
}

// step makes one record (or one refusal) of a kind chosen at random.
func (d *lzDriver) step() {
	d.t.Helper()
	d.tick()
	t, l := d.t, d.l
	switch d.rng.IntN(16) {
	case 0, 1:
		d.post(d.formal(2, lzInst))
	case 2:
		d.post(d.formal([]int{3, 4, 5, 8, 9, 12, 17, 64}[d.rng.IntN(8)], lzInst))
	case 3: // the temple spends its own money on its own decision
		a := d.pence()
		d.post(ledger.Transaction{ID: d.id("disc"), Kind: ledger.Payment, Effective: d.effective(), Recorded: d.now,
			Postings:  []ledger.Posting{{Account: id("temple-cash"), Amount: a.Neg()}, {Account: id("temple-costs"), Amount: a}, {Account: id("temple-cash"), Amount: a}, {Account: id("temple-cash"), Amount: a.Neg()}},
			Formality: ledger.Formality{DecidedBy: temple}})
	case 4: // unpaid labour and time credits, on the memorandum books
		lab := ledger.Labour{Hours: hours(fmt.Sprint(1 + d.rng.IntN(9))), Method: ledger.ReplacementCost, Rate: gbp("14.50")}
		giver, receiver := id("temple-hours-given"), id("service-hours-received")
		if d.rng.IntN(2) == 0 {
			lab = ledger.Labour{Hours: lab.Hours, Method: ledger.TimeCreditMethod}
			giver, receiver = id("volunteer-credits"), id("hub-credits")
		}
		tx, err := ledger.LabourTransaction(d.id("labour"), giver, receiver, lab, d.effective(), d.now, temple)
		require.NoError(t, err)
		d.post(tx)
	case 5: // in-kind, with the donor's account named twice
		a := d.pence()
		d.post(ledger.Transaction{ID: d.id("inkind"), Kind: ledger.InKind, Effective: d.effective(), Recorded: d.now,
			Postings:  []ledger.Posting{{Account: id("temple-donated"), Amount: a.Neg()}, {Account: id("service-in-kind"), Amount: lzPlus(a, a)}, {Account: id("temple-donated"), Amount: a.Neg()}},
			Formality: ledger.Formality{DecidedBy: temple}})
	case 6: // a hold, captured, voided or expired later
		h := ledger.Hold{ID: d.id("hold"), Kind: ledger.Grant, From: id("council-budget"), To: d.payee(), Amount: d.pence(),
			Expires: d.now.Add(40 * time.Minute), Recorded: d.now,
			Formality: ledger.Formality{Instrument: lzInst, Scope: lzScope, DecidedBy: officer}}
		_, err := l.PlaceHold(h)
		require.NoError(t, err)
		d.holds = append(d.holds, h)
	case 7:
		d.resolve()
	case 8: // a reversal of an earlier transaction
		d.reverse()
	case 9: // refused after newEntry filled an entry: over the cumulative cap
		tx := d.formal(3, lzTight)
		tx.Postings = []ledger.Posting{{Account: id("council-budget"), Amount: gbp("-60")}, {Account: d.payee(), Amount: gbp("60")}}
		d.refused(tx, ledger.ErrOverCumulative)
	case 10: // refused after newEntry: unbalanced, unknown account, closed period, time behind
		tx := d.formal(5, lzInst)
		switch d.rng.IntN(4) {
		case 0:
			tx.Postings = append(tx.Postings, ledger.Posting{Account: id("temple-cash"), Amount: pence(1)})
			d.refused(tx, ledger.ErrUnbalanced)
		case 1: // in kind: the Authorizer is not asked, so validate finds it
			a := d.pence()
			d.refused(ledger.Transaction{ID: d.id("nowhere"), Kind: ledger.InKind, Effective: d.effective(), Recorded: d.now,
				Postings:  []ledger.Posting{{Account: id("temple-donated"), Amount: a.Neg()}, {Account: id("service-in-kind"), Amount: a}, {Account: id("lz-nowhere"), Amount: a}, {Account: id("temple-donated"), Amount: a.Neg()}},
				Formality: ledger.Formality{DecidedBy: temple}}, ledger.ErrUnknownAccount)
		case 2:
			tx.Effective = lzClosed.Add(-time.Hour)
			d.refused(tx, ledger.ErrPeriodClosed)
		default: // recorded further behind the latest than the skew allows
			d.post(d.formal(2, lzInst))
			tx.Recorded = d.now.Add(-ledger.DefaultMaxSkew - time.Second)
			d.refused(tx, ledger.ErrRecordedTimeBehind)
		}
	case 11: // a retry of the last Post, and its ID reused with other content
		if d.lastPost == nil {
			return
		}
		rc, err := l.Post(*d.lastPost)
		require.NoError(t, err)
		require.True(t, rc.Duplicate)
		d.did["retry"]++
		other := *d.lastPost
		other.Memo = "other"
		d.refused(other, ledger.ErrIdempotencyConflict)
	case 12: // an account opened partway, then paid into
		if !d.late {
			require.NoError(t, l.Open(ledger.Account{ID: lzLate, Owner: temple, Name: "Opened late", Kind: ledger.Cash, Unit: coprod.GBP}))
			d.late = true
		}
		d.post(d.formal(3, lzInst))
	default:
		d.post(d.formal(2, lzInst))
	}
}

// resolve captures (part of), voids or expires the oldest open hold, or
// refuses a capture over it.
func (d *lzDriver) resolve() {
	t := d.t
	if len(d.holds) == 0 {
		return
	}
	h := d.holds[0]
	if !d.now.Before(h.Expires) {
		require.NoError(t, d.l.Expire(h.ID, d.now))
		d.did["expire"]++
		d.holds = d.holds[1:]
		return
	}
	switch d.rng.IntN(4) {
	case 0:
		require.NoError(t, d.l.Void(ledger.VoidRequest{Hold: h.ID, By: officer, At: d.now, Reason: "not needed"}))
		d.did["void"]++
	case 1:
		_, err := d.l.Capture(ledger.CaptureRequest{Hold: h.ID, ID: d.id("over"), Amount: lzPlus(h.Amount, pence(1)), Effective: d.now, Recorded: d.now, By: officer})
		require.ErrorIs(t, err, ledger.ErrOverHold)
		d.did["over hold"]++
		return // still open
	default:
		amount := h.Amount
		if d.rng.IntN(2) == 0 {
			amount = pence(1)
		}
		eff := d.now.Add(-time.Duration(d.rng.IntN(30)) * time.Minute)
		cid := d.id("capture")
		_, err := d.l.Capture(ledger.CaptureRequest{Hold: h.ID, ID: cid, Amount: amount, Effective: eff, Recorded: d.now, By: officer})
		require.NoError(t, err)
		d.did["capture"]++
		d.m.add(ledger.Transaction{ID: cid, Kind: h.Kind, Effective: eff, Recorded: d.now,
			Postings: []ledger.Posting{{Account: h.From, Amount: amount.Neg()}, {Account: h.To, Amount: amount}}})
	}
	d.holds = d.holds[1:]
}

// reverse reverses an earlier transaction the model holds, or refuses the
// reversal of one already reversed.
func (d *lzDriver) reverse() {
	t := d.t
	if len(d.m.txs) == 0 {
		return
	}
	o := d.m.txs[d.rng.IntN(len(d.m.txs))]
	if o.Kind == ledger.Reversal {
		return
	}
	recorded, ok := d.l.Transaction(o.ID)
	require.True(t, ok)
	req := ledger.ReversalRequest{ID: d.id("rev"), Of: o.ID, By: recorded.Formality.DecidedBy, Effective: d.now, Recorded: d.now, Reason: "wrong"}
	_, err := d.l.Reverse(req)
	if d.m.reversed[o.ID] {
		require.ErrorIs(t, err, ledger.ErrAlreadyReversed)
		d.did["reversed again"]++
		return
	}
	require.NoError(t, err)
	d.m.reversed[o.ID] = true
	d.did["reversal"]++
	mirror := ledger.Transaction{ID: req.ID, Kind: ledger.Reversal, Effective: d.now, Recorded: d.now, Reverses: o.ID}
	for _, p := range o.Postings {
		mirror.Postings = append(mirror.Postings, ledger.Posting{Account: p.Account, Amount: p.Amount.Neg()})
	}
	d.m.add(mirror)
}

// cuts are the times balances are asked at: before everything, now,
// after everything, and the effective and recorded times of transactions
// the model holds (exactly at them: a posting at the cut counts).
func (d *lzDriver) cuts() []time.Time {
	cs := []time.Time{lzBase.Add(-30 * 24 * time.Hour), d.now, lzFar}
	for range 3 {
		if len(d.m.txs) > 0 {
			tx := d.m.txs[d.rng.IntN(len(d.m.txs))]
			cs = append(cs, tx.Effective, tx.Recorded)
		}
	}
	return cs
}

// TestAttackLazyListsEveryRecordKind records, from a fixed seed, every
// kind of record the ledger makes through a register-authorised ledger
// with a journal: formal records of 2 to 64 postings with the budget and
// payees named several times, discretionary ones naming one account four
// times, unpaid labour and time credits, in-kind value, holds captured in
// full or in part, voided and expired, reversals, an account opened
// partway, and between them records refused after newEntry filled an
// entry for them (over the cap, unbalanced, an unknown account, a closed
// period, a recorded time too far behind, an ID reused, a capture over
// its hold, a reversal of one reversed). Balances are asked at random
// moments, so that the lists lag by none to dozens of records, at cuts on
// and around the records' own times, and for an account that does not
// exist; each answer is held to a model kept apart from the ledger. Then
// the journal is replayed and recovered, both are asked before and after
// records continue, and they must answer as the live ledger does. It
// holds.
func TestAttackLazyListsEveryRecordKind(t *testing.T) {
	var journal bytes.Buffer
	reg, l, d := newLzLedger(t, &journal, 20)
	asked := 0
	for i := range 700 {
		d.step()
		if d.rng.IntN(6) == 0 || i == 699 {
			if d.rng.IntN(3) == 0 {
				_, err := l.BalanceAt(id("lz-never-opened"), lzFar)
				require.ErrorIs(t, err, ledger.ErrUnknownAccount)
			}
			lzBalances(t, l, d.m, d.cuts())
			asked++
		}
	}
	require.Greater(t, asked, 50)
	require.Greater(t, len(d.m.txs), 400)
	for _, k := range []string{"grant 2 postings", "grant 3 postings", "grant 9 postings", "payment 4 postings", "unpaid-labour 2 postings",
		"time-credit 2 postings", "in-kind 3 postings", "capture", "void", "expire", "over hold", "reversal", "reversed again", "retry",
		ledger.ErrOverCumulative.Error(), ledger.ErrUnbalanced.Error(), ledger.ErrUnknownAccount.Error(), ledger.ErrPeriodClosed.Error(),
		ledger.ErrRecordedTimeBehind.Error(), ledger.ErrIdempotencyConflict.Error()} {
		require.NotZero(t, d.did[k], "no %s in the run: %v", k, d.did)
	}
	// The ledger holds what the model holds, in order: no record the
	// model missed (a capture, a reversal) counts where it should not.
	i := 0
	for tx := range l.Transactions() {
		require.Equal(t, d.m.txs[i].ID, tx.ID, "transaction %d", i)
		i++
	}
	require.Equal(t, len(d.m.txs), i)

	// A replay and a recovery answer as the live ledger does: first asked
	// with every list to build, then after records continue in all three.
	cuts := d.cuts()
	live := lzBalances(t, l, d.m, cuts)
	replayed, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{Authorizer: reg})
	require.NoError(t, err)
	recovered, end, err := ledger.Recover(bytes.NewReader(journal.Bytes()), ledger.Options{Authorizer: reg})
	require.NoError(t, err)
	require.Equal(t, int64(journal.Len()), end)
	require.Equal(t, live, lzBalances(t, replayed, d.m, cuts), "replayed")
	// The recovered ledger is continued before it is first asked.
	ledgers := []*ledger.Ledger{l, replayed, recovered}
	for i := range 60 {
		d.tick()
		tx := d.formal(2+i%7, lzInst)
		for _, x := range ledgers {
			_, err := x.Post(tx)
			require.NoError(t, err)
		}
		d.m.add(tx)
		if i%20 == 19 {
			cuts := d.cuts()
			want := lzBalances(t, l, d.m, cuts)
			for _, x := range ledgers[1:] {
				require.Equal(t, want, lzBalances(t, x, d.m, cuts))
			}
		}
	}
}

// TestAttackLazyListsAfterVersion1Journal replays the journal the
// version before keyed lines wrote (testdata/journal-v1.jsonl: grants, a
// reversal, holds captured and voided, unpaid labour), asks BalanceAt and
// BalanceRecordedAt of every account at every time the journal names and
// holds them to sums over its transactions, then continues it with
// records and asks again. It holds.
func TestAttackLazyListsAfterVersion1Journal(t *testing.T) {
	v1, err := os.ReadFile("testdata/journal-v1.jsonl")
	require.NoError(t, err)
	l, err := ledger.Replay(bytes.NewReader(v1), ledger.Options{})
	require.NoError(t, err)
	m := &lzModel{}
	for tx := range l.Transactions() {
		m.add(tx)
	}
	require.NotEmpty(t, m.txs)
	var cuts []time.Time
	for _, tx := range m.txs {
		cuts = append(cuts, tx.Effective, tx.Recorded, tx.Effective.Add(-time.Nanosecond))
	}
	cuts = append(cuts, lzFar)
	lzBalances(t, l, m, cuts)
	num := func(n int) uuid.UUID { return uuid.MustParse("00000000-0000-4000-8000-" + padded(n)) }
	for i := range 5 {
		at := day(2025, 7, 1+i)
		tx := ledger.Transaction{ID: num(60 + i), Kind: ledger.Payment, Effective: at.Add(-48 * time.Hour), Recorded: at,
			Postings:  []ledger.Posting{{Account: num(11), Amount: gbp("-5")}, {Account: num(10), Amount: gbp("3")}, {Account: num(11), Amount: gbp("2")}, {Account: num(10), Amount: gbp("0.01")}, {Account: num(11), Amount: gbp("-0.01")}},
			Formality: ledger.Formality{DecidedBy: num(2)}}
		_, err := l.Post(tx)
		require.NoError(t, err)
		m.add(tx)
		cuts = append(cuts, tx.Effective, tx.Recorded)
		lzBalances(t, l, m, cuts)
	}
}

// lzPeek is an Authorizer that asks the ledger for balances before it
// answers, as an application's policy might, then defers to the register:
// the ledger calls it with no lock held, so asking cannot deadlock, even
// when the accounts' lists lag and BalanceAt must take the write lock.
type lzPeek struct {
	reg   *governance.Register
	l     atomic.Pointer[ledger.Ledger]
	peeks atomic.Int64
}

func (p *lzPeek) Permit(q coprod.Permission) (coprod.Proof, error) {
	if l := p.l.Load(); l != nil {
		if _, err := l.BalanceAt(id("council-budget"), q.Effective); err != nil {
			return coprod.Proof{}, err
		}
		if _, err := l.BalanceRecordedAt(id("temple-cash"), q.Recorded); err != nil {
			return coprod.Proof{}, err
		}
		p.peeks.Add(1)
	}
	return p.reg.Permit(q)
}

// lzWatch is an account and a cut the concurrent readers watch.
type lzWatch struct {
	acct uuid.UUID
	at   time.Time
	rec  bool // BalanceRecordedAt, not BalanceAt
}

func (w lzWatch) ask(l *ledger.Ledger) (coprod.Amount, error) {
	if w.rec {
		return l.BalanceRecordedAt(w.acct, w.at)
	}
	return l.BalanceAt(w.acct, w.at)
}

func (w lzWatch) keep() func(*ledger.Transaction) bool {
	if w.rec {
		return recordedBy(w.at)
	}
	return effectiveBy(w.at)
}

// consistent reports whether seen, read in order by one goroutine, are
// the answers w gives after a non-decreasing run of prefixes of txs, the
// order the ledger recorded; it returns the first that is not.
func (w lzWatch) consistent(txs []ledger.Transaction, seen []string) (string, bool) {
	keep := w.keep()
	prefix := make([]string, len(txs)+1) // the answer after k records
	s := coprod.Zero(coprod.GBP)
	prefix[0] = s.String()
	for k := range txs {
		if keep(&txs[k]) {
			for _, p := range txs[k].Postings {
				if p.Account == w.acct {
					s, _ = s.Add(p.Amount)
				}
			}
		}
		prefix[k+1] = s.String()
	}
	k := 0
	for _, v := range seen {
		for k < len(prefix) && prefix[k] != v {
			k++
		}
		if k == len(prefix) {
			return v, false
		}
	}
	return "", true
}

// lzHammer records from three goroutines (formal records of 2 to 12
// postings; holds placed and captured; reversals of the first
// goroutine's records) while others ask balances, iterate the
// transactions asking a balance in the loop body, and ask Metrics and
// Sankey with a classifier and names that ask a balance; the Authorizer
// asks balances too. It returns how many records it made.
func lzHammer(t *testing.T, l *ledger.Ledger, seed uint64, start time.Time, watches []lzWatch) int {
	var wg sync.WaitGroup
	var done atomic.Bool
	var made atomic.Int64
	errs := make(chan error, 64)
	fail := func(err error) {
		select {
		case errs <- err:
		default:
		}
	}
	posted := make(chan uuid.UUID, 1024)
	const perWriter = 150
	var writers sync.WaitGroup
	writers.Add(3)
	go func() { // formal records
		defer writers.Done()
		defer close(posted)
		d := newLzDriver(t, l, seed)
		for i := range perWriter {
			tx := d.formal(2+i%11, lzInst)
			tx.ID = id(fmt.Sprint("lz-hammer-", seed, "-", i))
			tx.Recorded, tx.Effective = start, start.Add(time.Duration(i%5-2)*time.Hour)
			if _, err := l.Post(tx); err != nil {
				fail(err)
				return
			}
			made.Add(1)
			posted <- tx.ID
		}
	}()
	go func() { // holds placed and captured
		defer writers.Done()
		for i := range perWriter / 2 {
			h := ledger.Hold{ID: id(fmt.Sprint("lz-hammer-hold-", seed, "-", i)), Kind: ledger.Grant, From: id("council-budget"), To: id("temple-cash"),
				Amount: pence(int64(100 + i)), Expires: start.Add(time.Hour), Recorded: start,
				Formality: ledger.Formality{Instrument: lzInst, Scope: lzScope, DecidedBy: officer}}
			if _, err := l.PlaceHold(h); err != nil {
				fail(err)
				return
			}
			if _, err := l.Capture(ledger.CaptureRequest{Hold: h.ID, ID: id(fmt.Sprint("lz-hammer-cap-", seed, "-", i)), Amount: pence(int64(50 + i)),
				Effective: start.Add(-time.Duration(i%3) * time.Hour), Recorded: start, By: officer}); err != nil {
				fail(err)
				return
			}
			made.Add(1)
		}
	}()
	go func() { // reversals of every third formal record
		defer writers.Done()
		i := 0
		for tid := range posted {
			if i++; i%3 != 0 {
				continue
			}
			if _, err := l.Reverse(ledger.ReversalRequest{ID: id(fmt.Sprint("lz-hammer-rev-", tid)), Of: tid, By: officer,
				Effective: start, Recorded: start}); err != nil {
				fail(err)
				return
			}
			made.Add(1)
		}
	}()
	seen := make([][]string, len(watches))
	for w := range watches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !done.Load() {
				v, err := watches[w].ask(l)
				if err != nil {
					fail(err)
					return
				}
				if n := len(seen[w]); n == 0 || seen[w][n-1] != v.String() {
					seen[w] = append(seen[w], v.String())
				}
			}
		}()
	}
	wg.Add(2)
	go func() { // iterating, asking a balance in the loop body
		defer wg.Done()
		for !done.Load() {
			n := 0
			for tx := range l.Transactions() {
				if n++; n%16 == 0 {
					if _, err := l.BalanceAt(tx.Postings[0].Account, tx.Effective); err != nil {
						fail(err)
						return
					}
				}
			}
		}
	}()
	go func() { // Metrics and Sankey, with a classifier and names that ask a balance
		defer wg.Done()
		for !done.Load() {
			_, err := l.Metrics(coprod.Window{}, func(p coprod.PartyID) coprod.Sector {
				if _, err := l.BalanceRecordedAt(id("hub-cash"), lzFar); err != nil {
					fail(err)
				}
				return sector(p)
			})
			if err != nil {
				fail(err)
				return
			}
			_, err = l.Sankey(coprod.Window{}, func(p coprod.PartyID) string {
				if _, err := l.BalanceAt(id("temple-cash"), lzFar); err != nil {
					fail(err)
				}
				return p.String()
			})
			if err != nil {
				fail(err)
				return
			}
		}
	}()
	writers.Wait()
	done.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	var txs []ledger.Transaction
	for tx := range l.Transactions() {
		txs = append(txs, tx)
	}
	for w, watch := range watches {
		require.NotEmpty(t, seen[w])
		v, ok := watch.consistent(txs, seen[w])
		require.True(t, ok, "watch %d read %s, the answer after no prefix of the records at or after its last answer", w, v)
		// Asked now, the answer is the one after every record.
		final, err := watch.ask(l)
		require.NoError(t, err)
		require.True(t, lzSum(txs, watch.acct, coprod.GBP, watch.keep()).Equal(final), "watch %d at the end", w)
	}
	return int(made.Load())
}

// TestAttackLazyListsConcurrent runs lzHammer (run it with -race) on a
// new ledger, then on the ledger replayed from its journal, whose lists
// are all to build: every balance a reader sees is the answer after a
// prefix of the records, never going back; the loop bodies, classifier
// and Authorizer that ask balances mid-record do not deadlock; and at
// the end every balance agrees with the transactions. It holds.
func TestAttackLazyListsConcurrent(t *testing.T) {
	var journal bytes.Buffer
	peek := &lzPeek{reg: lzRegister(t)}
	l := newLedger(t, ledger.Options{Authorizer: peek, Journal: &journal})
	peek.l.Store(l)
	start := lzBase
	watches := []lzWatch{
		{acct: id("temple-cash"), at: lzFar}, {acct: id("council-budget"), at: start},
		{acct: id("hub-cash"), at: start.Add(-time.Hour), rec: false}, {acct: id("temple-cash"), at: start, rec: true},
	}
	made := lzHammer(t, l, 1, start, watches)
	require.Equal(t, 150+75+50, made)
	require.Greater(t, peek.peeks.Load(), int64(made))

	check := func(x *ledger.Ledger) string {
		m := &lzModel{}
		for tx := range x.Transactions() {
			m.add(tx)
		}
		return lzBalances(t, x, m, []time.Time{start.Add(-3 * time.Hour), start.Add(-time.Hour), start, lzFar})
	}
	check(l)
	peek2 := &lzPeek{reg: peek.reg}
	replayed, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{Authorizer: peek2, Journal: &journal})
	require.NoError(t, err)
	peek2.l.Store(replayed)
	// The replay continued from many goroutines before any list is built.
	lzHammer(t, replayed, 2, start.Add(time.Minute), []lzWatch{{acct: id("temple-cash"), at: lzFar}, {acct: id("hub-cash"), at: start, rec: true}})
	after := check(replayed)
	again, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{})
	require.NoError(t, err)
	require.Equal(t, after, check(again), "a replay of the continued journal")
}

// TestAttackLazyBalanceAtPartialSumOverflow: BalanceAt and
// BalanceRecordedAt sum an account's postings one by one with
// coprod.Amount.Add, in the order recorded, over the transactions the
// cut admits, so a partial sum can pass the amount range (|v| < 10^30)
// though the answer is in range. The account's balance never leaves the
// range (every record is checked), but a cut can skip the record that
// brought it back. Here the hub's cash receives M = 6×10^29 (record 1),
// pays it back (record 2, effective a month later and recorded a minute
// after the others, which the skew allows), receives it again (3) and
// pays it back (4). As of the early date, and as recorded before record
// 2, the postings admitted are +M +M −M: the balance then was M. Both
// refused with "amount out of range" (a bare coprod error) when this was
// written; the sum now goes on in a decimal once it passes the range, and
// only an answer out of range is refused, as a *ledger.RecordError
// matching coprod.ErrOverflow.
func TestAttackLazyBalanceAtPartialSumOverflow(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	m := gbp("600000000000000000000000000000")
	early, late := lzBase, lzBase.Add(30*24*time.Hour)
	for i, r := range []struct {
		v        coprod.Amount
		eff, rec time.Time
	}{
		{m, early, lzBase.Add(time.Second)},
		{m.Neg(), late, lzBase.Add(time.Minute)},
		{m, early, lzBase.Add(2 * time.Second)},
		{m.Neg(), early, lzBase.Add(3 * time.Second)},
	} {
		_, err := l.Post(ledger.Transaction{ID: id(fmt.Sprint("lz-huge-", i)), Kind: ledger.Payment, Effective: r.eff, Recorded: r.rec,
			Postings:  []ledger.Posting{{Account: id("hub-cash"), Amount: r.v}, {Account: id("council-budget"), Amount: r.v.Neg()}},
			Formality: ledger.Formality{DecidedBy: officer}})
		require.NoError(t, err)
	}
	bal, err := l.Balance(id("hub-cash"))
	require.NoError(t, err)
	require.True(t, bal.IsZero())
	for name, ask := range map[string]func() (coprod.Amount, error){
		"BalanceAt as of the early date":        func() (coprod.Amount, error) { return l.BalanceAt(id("hub-cash"), early) },
		"BalanceRecordedAt before record 2 was": func() (coprod.Amount, error) { return l.BalanceRecordedAt(id("hub-cash"), lzBase.Add(30*time.Second)) },
	} {
		got, err := ask()
		if assert.NoError(t, err, "%s: the answer, %s, is in range", name, m) {
			assert.True(t, m.Equal(got), "%s: want %s, got %s", name, m, got)
		}
	}
	// Between records 3 and 4 as recorded, the books held records 1 and
	// 3 only: twice m, which no amount can hold. The refusal is typed.
	_, err = l.BalanceRecordedAt(id("hub-cash"), lzBase.Add(2500*time.Millisecond))
	var re *ledger.RecordError
	require.ErrorAs(t, err, &re)
	require.ErrorIs(t, err, coprod.ErrOverflow)
}

// uuidInJSON matches a UUID as the encoder writes it, in a JSON string.
var uuidInJSON = regexp.MustCompile(`"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"`)

// lzRewriteUUIDs rewrites every UUID in the journal's records with f,
// given the line's type, the UUID's place in the line (from 1) and how
// many the line holds, and rechains
// the journal (it is unkeyed, so anyone can). Nothing else on a line has
// the form of a UUID.
func lzRewriteUUIDs(t *testing.T, journal []byte, f func(typ string, n, of int, u string) string) string {
	t.Helper()
	lines := strings.SplitAfter(string(journal), "\n")
	rewritten := 0
	for i, line := range lines {
		if line == "" {
			continue
		}
		var env struct{ Type string }
		require.NoError(t, json.Unmarshal([]byte(line), &env))
		n, of := 0, len(uuidInJSON.FindAllString(line, -1))
		lines[i] = uuidInJSON.ReplaceAllStringFunc(line, func(q string) string {
			n++
			u := f(env.Type, n, of, q[1:len(q)-1])
			if u != q[1:len(q)-1] {
				rewritten++
			}
			return `"` + u + `"`
		})
	}
	require.NotZero(t, rewritten)
	return rechain(t, strings.Join(lines, ""))
}

// TestAttackLazyReplayUUIDForms writes a journal with UUIDs in every
// field a transaction line holds (IDs, accounts, instruments, deciders,
// reversals, proof links, captures), rewrites them, rechains it and
// replays it. Forms uuid.ParseBytes reads as the same UUID (upper case,
// mixed case, braces, a urn: prefix, no hyphens, hex digits written as
// JSON escapes, which the fast reader must leave to encoding/json) must
// replay to the same ledger; a UUID with a byte of 0x80 or above, or a
// character that is not a hex digit, in a place of the 36-character form
// (first, in a posting, last on a transaction line) must refuse the
// journal, not read as some other UUID. It holds.
func TestAttackLazyReplayUUIDForms(t *testing.T) {
	var journal bytes.Buffer
	reg, l, d := newLzLedger(t, &journal, 7)
	for range 150 {
		d.step()
	}
	cuts := d.cuts()
	snapshot := func(x *ledger.Ledger) string {
		var b strings.Builder
		b.WriteString(lzBalances(t, x, nil, cuts))
		for tx := range x.Transactions() {
			js, err := json.Marshal(tx)
			require.NoError(t, err)
			b.Write(js)
		}
		for h := range x.Holds() {
			js, err := json.Marshal(h)
			require.NoError(t, err)
			b.Write(js)
		}
		return b.String()
	}
	want := snapshot(l)
	for name, f := range map[string]func(typ string, n, of int, u string) string{
		"upper": func(_ string, _, _ int, u string) string { return strings.ToUpper(u) },
		"mixed": func(_ string, n, _ int, u string) string {
			b := []byte(u)
			for i := range b {
				if (i+n)%2 == 0 && b[i] >= 'a' {
					b[i] -= 'a' - 'A'
				}
			}
			return string(b)
		},
		"forms": func(_ string, n, _ int, u string) string {
			switch n % 5 {
			case 0:
				return "{" + u + "}"
			case 1:
				return "urn:uuid:" + u
			case 2:
				return strings.ReplaceAll(u, "-", "")
			case 3:
				return fmt.Sprintf(`\u%04x`, u[0]) + u[1:] // the first digit escaped
			}
			return u[:35] + fmt.Sprintf(`\u%04X`, u[35]) // the last digit escaped
		},
	} {
		t.Run(name, func(t *testing.T) {
			r, err := ledger.Replay(strings.NewReader(lzRewriteUUIDs(t, journal.Bytes(), f)), ledger.Options{Authorizer: reg})
			require.NoError(t, err)
			require.Equal(t, want, snapshot(r))
		})
	}
	// One bad UUID, on the first transaction line.
	for _, bad := range []struct {
		name string
		f    func(u string) string
	}{
		{"byte 0x80 first", func(u string) string { return "\x80" + u[1:] }},
		{"byte 0xff in the fourth group", func(u string) string { return u[:20] + "\xff" + u[21:] }},
		{"é for two digits", func(u string) string { return u[:30] + "é" + u[32:] }},
		{"g last", func(u string) string { return u[:35] + "g" }},
		{"G in the second group", func(u string) string { return u[:10] + "G" + u[11:] }},
		{"space", func(u string) string { return u[:3] + " " + u[4:] }},
		{"colon after 9", func(u string) string { return u[:27] + ":" + u[28:] }},
		{"at before A", func(u string) string { return u[:28] + "@" + u[29:] }},
		{"backtick before a", func(u string) string { return u[:7] + "`" + u[8:] }},
		{"slash before 0", func(u string) string { return u[:14] + "/" + u[15:] }},
		{"hyphen moved", func(u string) string { return u[:8] + u[9:10] + "-" + u[10:] }},
	} {
		for _, at := range []int{1, 2, -1} { // the ID, the first posting's account, the line's last UUID
			t.Run(fmt.Sprint(bad.name, " at ", at), func(t *testing.T) {
				done := false
				forged := lzRewriteUUIDs(t, journal.Bytes(), func(typ string, n, of int, u string) string {
					if done || typ != "transaction" || (n != at && !(at == -1 && n == of)) {
						return u
					}
					done = true
					return bad.f(u)
				})
				_, err := ledger.Replay(strings.NewReader(forged), ledger.Options{Authorizer: reg})
				require.ErrorIs(t, err, ledger.ErrCorruptJournal)
			})
		}
	}
}
