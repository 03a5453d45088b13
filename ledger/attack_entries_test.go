package ledger_test

// Attacks on the ledger's entry chunks (newEntry/nextBox/claim), the replay
// decoding a record straight into its entry, record's scratch buffers
// (txLine, capBuf, postedBuf), the accounts' lists of entries (kept
// without reading their tail when they were written, now brought up to
// date when BalanceAt needs them), and the journal reader's hash
// comparisons.
//
// Each test says what it shows. Two attacks succeeded when they were
// written (a concurrent Capture retry refused, Closings read when called
// rather than when iterated); both are fixed, and their tests hold the
// fixes.

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/journal"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// entBase is when every test here begins.
var entBase = time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)

// entInst and entTight are the instruments the tests post under: the
// first with a link whose cap is never reached, the second with a cap of
// one penny, so that a record under it is refused as over the limit
// after it has been validated.
var (
	entInst  = id("ent-instrument")
	entTight = id("ent-tight")
)

// entAuth permits everything: a formal record gets a proof with one
// capped link (its cap set by its instrument), a discretionary one none.
// If gate is set, every Permit waits on it first.
type entAuth struct {
	gate func()
}

func (a entAuth) Permit(p coprod.Permission) (coprod.Proof, error) {
	if a.gate != nil {
		a.gate()
	}
	if p.Instrument == uuid.Nil {
		return coprod.Proof{}, nil
	}
	limit, link := gbp("100000000.00"), id("ent-link")
	if p.Instrument == entTight {
		limit, link = gbp("0.01"), id("ent-tight-link")
	}
	return coprod.Proof{Path: []coprod.ProofLink{{
		ID: link, From: council, To: p.Decider, Scope: "commission", Limit: limit,
		Period: coprod.Window{NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)},
	}}}, nil
}

// entAccounts are six pound accounts of three owners and one of hours.
var entAccounts = func() []ledger.Account {
	var as []ledger.Account
	for i, o := range []coprod.PartyID{council, council, hub, hub, temple, temple} {
		kind := ledger.Cash
		if i == 5 {
			kind = ledger.Expense
		}
		as = append(as, ledger.Account{ID: id(fmt.Sprint("ent-acc-", i)), Owner: o, Name: fmt.Sprint("ent account ", i), Kind: kind, Unit: coprod.GBP})
	}
	return append(as, ledger.Account{ID: id("ent-hours"), Owner: temple, Name: "ent hours", Kind: ledger.MemoLabour, Unit: coprod.Hours})
}()

// switchRand is a salt source that can be made to fail, which refuses a
// record with free text at the journal without stopping the ledger.
type switchRand struct{ fail atomic.Bool }

func (r *switchRand) Read(b []byte) (int, error) {
	if r.fail.Load() {
		return 0, errors.New("no entropy")
	}
	for i := range b {
		b[i] = byte(i)
	}
	return len(b), nil
}

func pence(v int64) coprod.Amount {
	a, err := coprod.FromMinor(v, coprod.GBP)
	if err != nil {
		panic(err)
	}
	return a
}

// entPostings returns n balanced postings (n ≥ 2) over the six pound
// accounts, several to one account when n > 2, with amounts made from
// seed so that postings of different records differ.
func entPostings(n int, seed int64) []ledger.Posting {
	ps := make([]ledger.Posting, n)
	var sum int64
	for j := 0; j < n-1; j++ {
		v := seed*7 + int64(j)*13 + 1
		if j%2 == 1 {
			v = -v
		}
		// accounts repeat: j and j+3 share an account
		ps[j] = ledger.Posting{Account: entAccounts[(int(seed)+j)%3*2+j%2].ID, Amount: pence(v)}
		sum += v
	}
	last := entAccounts[(int(seed)+1)%6].ID
	if n > 2 {
		last = ps[0].Account // the first account again
	}
	ps[n-1] = ledger.Posting{Account: last, Amount: pence(-sum)}
	return ps
}

func entTx(name string, n int, seed int64, at time.Time, formal bool) ledger.Transaction {
	tx := ledger.Transaction{
		ID: id(name), Kind: ledger.Payment, Effective: at, Recorded: at,
		Postings:  entPostings(n, seed),
		Formality: ledger.Formality{Scope: "commission/ent", DecidedBy: officer},
	}
	if formal {
		tx.Formality.Instrument = entInst
	}
	return tx
}

// entModel is what the tests posted and expect to read back.
type entModel struct {
	mu    sync.Mutex
	txs   map[uuid.UUID][]ledger.Posting
	kinds map[uuid.UUID]ledger.Kind
	order []uuid.UUID
}

func newEntModel() *entModel {
	return &entModel{txs: map[uuid.UUID][]ledger.Posting{}, kinds: map[uuid.UUID]ledger.Kind{}}
}

func (m *entModel) add(id uuid.UUID, k ledger.Kind, ps []ledger.Posting) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.txs[id] = append([]ledger.Posting(nil), ps...)
	m.kinds[id] = k
	m.order = append(m.order, id)
}

func (m *entModel) get(id uuid.UUID) ([]ledger.Posting, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ps, ok := m.txs[id]
	return ps, ok
}

func samePostings(a, b []ledger.Posting) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Account != b[i].Account || !a[i].Amount.Equal(b[i].Amount) {
			return false
		}
	}
	return true
}

// balances is what the model's postings sum to, per account.
func (m *entModel) balances() map[uuid.UUID]int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[uuid.UUID]int64{}
	for _, id := range m.order {
		for _, p := range m.txs[id] {
			v, _ := p.Amount.Minor()
			out[p.Account] += v
		}
	}
	return out
}

// checkEntModel reads every transaction back through every query and
// compares it with what was posted.
func checkEntModel(t *testing.T, l *ledger.Ledger, m *entModel) {
	t.Helper()
	m.mu.Lock()
	order := append([]uuid.UUID(nil), m.order...)
	m.mu.Unlock()
	for _, tid := range order {
		want, _ := m.get(tid)
		got, ok := l.Transaction(tid)
		require.True(t, ok, "transaction %s missing", tid)
		require.True(t, samePostings(want, got.Postings), "Transaction(%s): posted %v, reads %v", tid, want, got.Postings)
	}
	i := 0
	for tx := range l.Transactions() {
		require.Less(t, i, len(order))
		require.Equal(t, order[i], tx.ID, "Transactions order")
		want, _ := m.get(tx.ID)
		require.True(t, samePostings(want, tx.Postings), "Transactions %s: posted %v, reads %v", tx.ID, want, tx.Postings)
		i++
	}
	require.Equal(t, len(order), i)
	var accs []uuid.UUID
	for a := range l.Accounts() {
		accs = append(accs, a.ID)
	}
	i = 0
	for v := range l.TransactionViews() {
		require.Equal(t, order[i], v.ID())
		want, _ := m.get(v.ID())
		require.Equal(t, len(want), v.NumPostings())
		for j := range want {
			p := v.Posting(j)
			require.Equal(t, want[j].Account, p.Account)
			require.True(t, want[j].Amount.Equal(p.Amount))
			require.Equal(t, want[j].Account, accs[v.AccountIndex(j)], "AccountIndex of posting %d of %s", j, v.ID())
		}
		require.True(t, samePostings(want, v.Transaction().Postings))
		i++
	}
	require.Equal(t, len(order), i)
	bal := m.balances()
	far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, a := range entAccounts[:6] {
		want := pence(bal[a.ID])
		got, err := l.Balance(a.ID)
		require.NoError(t, err)
		require.True(t, want.Equal(got), "Balance %s: want %s, got %s", a.Name, want, got)
		// BalanceAt and BalanceRecordedAt walk the account's list of
		// entries: a transaction listed twice would count twice.
		got, err = l.BalanceAt(a.ID, far)
		require.NoError(t, err)
		require.True(t, want.Equal(got), "BalanceAt %s: want %s, got %s", a.Name, want, got)
		got, err = l.BalanceRecordedAt(a.ID, far)
		require.NoError(t, err)
		require.True(t, want.Equal(got), "BalanceRecordedAt %s: want %s, got %s", a.Name, want, got)
	}
}

// entState is everything the queries say about a ledger, for comparing a
// live ledger with its replay.
func entState(t *testing.T, l *ledger.Ledger) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(state(t, l))
	for tx := range l.Transactions() {
		js, err := json.Marshal(tx)
		require.NoError(t, err)
		fmt.Fprintf(&b, "%s\n", js)
	}
	for h := range l.Holds() {
		js, err := json.Marshal(h)
		require.NoError(t, err)
		fmt.Fprintf(&b, "%s\n", js)
	}
	far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	for a := range l.Accounts() {
		x, err := l.BalanceAt(a.ID, far)
		require.NoError(t, err)
		y, err := l.BalanceRecordedAt(a.ID, entBase.Add(time.Hour))
		require.NoError(t, err)
		fmt.Fprintf(&b, "%s at %s recorded-at %s\n", a.ID, x, y)
	}
	all := coprod.Window{}
	for _, m := range []func() (ledger.Metrics, error){
		func() (ledger.Metrics, error) { return l.Metrics(all, sector) },
		func() (ledger.Metrics, error) { return l.MetricsAsOf(all, entBase.Add(2*time.Hour), sector) },
	} {
		mt, err := m()
		require.NoError(t, err)
		js, err := json.Marshal(mt)
		require.NoError(t, err)
		fmt.Fprintf(&b, "%s\n", js)
	}
	s, err := l.Sankey(all, nil)
	require.NoError(t, err)
	b.WriteString(s)
	fl, err := l.Flows(all)
	require.NoError(t, err)
	fmt.Fprintf(&b, "%v\n", fl)
	for c := range l.Closings() {
		fmt.Fprintf(&b, "closing %v\n", c)
	}
	return b.String()
}

// TestAttackEntriesRefusalsBetweenShapes posts transactions of 2, 3, 5,
// 8, 9, 17 and 64 postings (several to one account; 9 and more outgrow
// record's buffer of eight postings' accounts), formal and discretionary,
// reversals and captures, across three chunks of 256 entries, and after
// every one of them a record refused in another way: one posting
// (unbalanced), an unknown account, a posting in another unit, an
// idempotency conflict, a recorded time too far behind, an effective time
// in a closed period, a cumulative limit passed, a journal refusal that
// does not stop the ledger (the salt source fails), a reversal of a
// reversed transaction, a capture over its hold, a capture whose ID is
// taken. Each refused record fills the entry slot the next one takes, with
// postings to the same accounts. The transaction before each refusal must
// still read as posted, everything must read as posted through every
// query, balances must not count a transaction twice, the ledger must not
// be stopped, and Replay must rebuild exactly what every query says.
// It holds.
func TestAttackEntriesRefusalsBetweenShapes(t *testing.T) {
	var journal bytes.Buffer
	rnd := &switchRand{}
	l := ledger.New(ledger.Options{Journal: &journal, Authorizer: entAuth{}, Rand: rnd})
	for _, a := range entAccounts {
		require.NoError(t, l.Open(a))
	}
	m := newEntModel()
	shapes := []int{2, 3, 5, 8, 9, 17, 64, 2, 2, 3}
	at := entBase
	tick := func() time.Time { at = at.Add(time.Second); return at }
	var lastID uuid.UUID
	var reversed, reversals []uuid.UUID
	closed := false
	for i := 0; i < 700; i++ {
		now := tick()
		// A success of some shape.
		switch {
		case i%13 == 7 && len(m.order) > 0:
			// A reversal of an earlier, unreversed, non-reversal transaction.
			var of uuid.UUID
			for _, c := range m.order {
				if m.kinds[c] == ledger.Payment && !containsID(reversed, c) {
					of = c
					break
				}
			}
			rid := id(fmt.Sprint("ent-rev-", i))
			_, err := l.Reverse(ledger.ReversalRequest{ID: rid, Of: of, By: officer, Effective: now, Recorded: now, Reason: "wrong"})
			require.NoError(t, err)
			orig, _ := m.get(of)
			mirror := make([]ledger.Posting, len(orig))
			for j, p := range orig {
				mirror[j] = ledger.Posting{Account: p.Account, Amount: p.Amount.Neg()}
			}
			m.add(rid, ledger.Reversal, mirror)
			reversed = append(reversed, of)
			reversals = append(reversals, rid)
			lastID = rid
		case i%17 == 5:
			hid := id(fmt.Sprint("ent-hold-", i))
			_, err := l.PlaceHold(ledger.Hold{ID: hid, Kind: ledger.Grant, From: entAccounts[0].ID, To: entAccounts[4].ID,
				Amount: pence(10000 + int64(i)), Formality: ledger.Formality{Instrument: entInst, Scope: "commission/ent", DecidedBy: officer}, Recorded: now})
			require.NoError(t, err)
			cid := id(fmt.Sprint("ent-capture-", i))
			// A capture over the hold is refused before the lock; one
			// whose ID is taken, under it.
			_, err = l.Capture(ledger.CaptureRequest{Hold: hid, ID: cid, Amount: pence(20000 + int64(i)), Effective: now, Recorded: now, By: officer})
			require.ErrorIs(t, err, ledger.ErrOverHold)
			if lastID != uuid.Nil {
				_, err = l.Capture(ledger.CaptureRequest{Hold: hid, ID: lastID, Amount: pence(5000), Effective: now, Recorded: now, By: officer})
				require.Error(t, err)
			}
			amt := pence(9000 + int64(i))
			_, err = l.Capture(ledger.CaptureRequest{Hold: hid, ID: cid, Amount: amt, Effective: now, Recorded: now, By: officer})
			require.NoError(t, err)
			m.add(cid, ledger.Grant, []ledger.Posting{{Account: entAccounts[0].ID, Amount: amt.Neg()}, {Account: entAccounts[4].ID, Amount: amt}})
			lastID = cid
		default:
			n := shapes[i%len(shapes)]
			tx := entTx(fmt.Sprint("ent-ok-", i), n, int64(i), now, i%2 == 0)
			if i%5 == 0 {
				tx.Memo = fmt.Sprint("memo ", i)
				tx.Metadata = map[string]string{"k": fmt.Sprint(i)}
			}
			_, err := l.Post(tx)
			require.NoError(t, err, "post %d (%d postings)", i, n)
			m.add(tx.ID, ledger.Payment, tx.Postings)
			lastID = tx.ID
		}
		if i == 40 {
			_, err := l.ClosePeriod(ledger.Closing{Through: entBase.Add(30 * time.Second), Recorded: tick(), By: director})
			require.NoError(t, err)
			closed = true
		}
		before, ok := l.Transaction(lastID)
		require.True(t, ok)
		headBefore := l.Head()

		// A refusal of some kind, with postings into the slot the next
		// record takes.
		now = tick()
		bad := entTx(fmt.Sprint("ent-bad-", i), shapes[(i+3)%len(shapes)], int64(i)+1000, now, i%2 == 1)
		var err error
		switch k := i % 11; k {
		case 0: // one posting: validate fills its buffer, then refuses
			bad.Postings = bad.Postings[:1]
			_, err = l.Post(bad)
			require.ErrorIs(t, err, ledger.ErrUnbalanced)
		case 1: // the last posting's account is unknown
			bad.Postings[len(bad.Postings)-1].Account = id("ent-nowhere")
			_, err = l.Post(bad)
			require.Error(t, err)
		case 2: // hours in a pound account, after other postings
			bad.Postings = append(bad.Postings, ledger.Posting{Account: entAccounts[1].ID, Amount: hours("1")}, ledger.Posting{Account: entAccounts[6].ID, Amount: hours("-1")})
			_, err = l.Post(bad)
			require.Error(t, err)
		case 3: // the last transaction's ID, with other content
			bad.ID = lastID
			_, err = l.Post(bad)
			require.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
		case 4: // recorded an hour behind
			bad.Recorded = now.Add(-time.Hour)
			bad.Effective = bad.Recorded
			_, err = l.Post(bad)
			require.ErrorIs(t, err, ledger.ErrRecordedTimeBehind)
		case 5: // effective in the closed period (or behind, before closing)
			bad.Effective = entBase
			_, err = l.Post(bad)
			if closed {
				require.ErrorIs(t, err, ledger.ErrPeriodClosed)
			} else {
				require.NoError(t, err) // back-dating is fine in an open period
				m.add(bad.ID, ledger.Payment, bad.Postings)
				lastID = bad.ID
				before, _ = l.Transaction(lastID)
				headBefore = l.Head()
			}
		case 6: // over the cumulative limit of its link, after validation
			bad.Formality.Instrument = entTight
			_, err = l.Post(bad)
			require.ErrorIs(t, err, ledger.ErrOverCumulative)
		case 7: // the journal refuses it (the salt source fails), not stopping the ledger
			bad.Memo = "a memo needs a salt"
			rnd.fail.Store(true)
			_, err = l.Post(bad)
			rnd.fail.Store(false)
			require.ErrorIs(t, err, ledger.ErrJournal)
			require.NoError(t, l.Err())
		case 8: // a reversal of a reversed transaction, refused under the lock
			if len(reversed) > 0 {
				_, err = l.Reverse(ledger.ReversalRequest{ID: bad.ID, Of: reversed[len(reversed)-1], By: officer, Effective: now, Recorded: now})
				require.ErrorIs(t, err, ledger.ErrAlreadyReversed)
			}
		case 9: // a reversal of a reversal
			if len(reversals) > 0 {
				_, err = l.Reverse(ledger.ReversalRequest{ID: bad.ID, Of: reversals[len(reversals)-1], By: officer, Effective: now, Recorded: now})
				require.ErrorIs(t, err, ledger.ErrNotReversible)
			}
		case 10: // a posting whose balance would pass the amount limits
			bad.Postings = []ledger.Posting{
				{Account: entAccounts[2].ID, Amount: gbp("900000000000000000000000000000.00")},
				{Account: entAccounts[2].ID, Amount: gbp("900000000000000000000000000000.00")},
				{Account: entAccounts[3].ID, Amount: gbp("-900000000000000000000000000000.00")},
				{Account: entAccounts[3].ID, Amount: gbp("-900000000000000000000000000000.00")},
			}
			_, err = l.Post(bad)
			require.ErrorIs(t, err, ledger.ErrInvalidTransaction)
		}
		if err != nil {
			require.Equal(t, headBefore, l.Head(), "refusal %d moved the head", i%11)
		}
		after, ok := l.Transaction(lastID)
		require.True(t, ok)
		require.True(t, samePostings(before.Postings, after.Postings), "refusal %d changed %s: %v, now %v", i%11, lastID, before.Postings, after.Postings)
		require.Equal(t, before.Memo, after.Memo)
		if i%50 == 49 {
			checkEntModel(t, l, m)
		}
	}
	require.NoError(t, l.Err())
	checkEntModel(t, l, m)
	live := entState(t, l)

	r, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{Authorizer: entAuth{}})
	require.NoError(t, err)
	checkEntModel(t, r, m)
	require.Equal(t, live, entState(t, r), "the replay reads otherwise")
}

func containsID(ids []uuid.UUID, x uuid.UUID) bool {
	for _, y := range ids {
		if y == x {
			return true
		}
	}
	return false
}

// TestAttackEntriesReplayRefusedLineMidway replays a journal whose middle
// line (a three-posting transaction, decoded into its entry) is changed to
// be refused (unbalanced, rehashed so the chain holds): Replay refuses it
// and returns no ledger, and Recover does the same (it is no tear). The
// line after a line that fails is never read into the same slot. It holds.
func TestAttackEntriesReplayRefusedLineMidway(t *testing.T) {
	var journal bytes.Buffer
	l := ledger.New(ledger.Options{Journal: &journal})
	for _, a := range entAccounts {
		require.NoError(t, l.Open(a))
	}
	for i := 0; i < 6; i++ {
		_, err := l.Post(entTx(fmt.Sprint("ent-mid-", i), 3, int64(i), entBase.Add(time.Duration(i)*time.Second), false))
		require.NoError(t, err)
	}
	lines := strings.SplitAfter(journal.String(), "\n")
	n := len(entAccounts) + 3 // the third transaction
	// Change one amount: the record no longer balances. Without a key the
	// chain can be rebuilt by anyone, so it is, from that line on.
	bad := strings.Replace(lines[n-1], `"value":"-`, `"value":"-1`, 1)
	require.NotEqual(t, lines[n-1], bad)
	lines[n-1] = bad
	forged := rechain(t, strings.Join(lines, ""))
	_, err := ledger.Replay(strings.NewReader(forged), ledger.Options{})
	require.ErrorIs(t, err, ledger.ErrUnbalanced)
	rl, _, err := ledger.Recover(strings.NewReader(forged), ledger.Options{})
	require.ErrorIs(t, err, ledger.ErrUnbalanced)
	require.Nil(t, rl)
}

// TestAttackEntriesTornRecoverContinue makes the journal fail partway
// through a transaction of five postings (two to one account), recovers,
// truncates, continues with transactions of 3, 9 and 2 postings and a
// refused one between them, and replays the continued journal: both read
// as posted, and the same. It holds.
func TestAttackEntriesTornRecoverContinue(t *testing.T) {
	var journal bytes.Buffer
	w := &tearAfter{w: &journal, left: -1}
	l := ledger.New(ledger.Options{Journal: w, Authorizer: entAuth{}})
	for _, a := range entAccounts {
		require.NoError(t, l.Open(a))
	}
	m := newEntModel()
	for i := 0; i < 5; i++ {
		tx := entTx(fmt.Sprint("ent-torn-", i), 3+i, int64(i), entBase.Add(time.Duration(i)*time.Second), true)
		_, err := l.Post(tx)
		require.NoError(t, err)
		m.add(tx.ID, ledger.Payment, tx.Postings)
	}
	w.left = 40 // the next line is torn after 40 bytes
	torn := entTx("ent-torn-x", 5, 99, entBase.Add(10*time.Second), true)
	_, err := l.Post(torn)
	require.ErrorIs(t, err, ledger.ErrJournal)
	checkEntModel(t, l, m)

	r, n, err := ledger.Recover(bytes.NewReader(journal.Bytes()), ledger.Options{Authorizer: entAuth{}})
	require.NoError(t, err)
	checkEntModel(t, r, m)
	journal.Truncate(int(n))
	var cont bytes.Buffer
	cont.Write(journal.Bytes())
	r2, _, err := ledger.Recover(bytes.NewReader(cont.Bytes()), ledger.Options{Authorizer: entAuth{}, Journal: &cont})
	require.NoError(t, err)
	for i, k := range []int{3, 9, 2} {
		at := entBase.Add(time.Duration(20+i) * time.Second)
		bad := entTx(fmt.Sprint("ent-torn-bad-", i), k, int64(500+i), at, true)
		bad.Postings = bad.Postings[:len(bad.Postings)-1]
		_, err := r2.Post(bad)
		require.ErrorIs(t, err, ledger.ErrUnbalanced)
		tx := entTx(fmt.Sprint("ent-torn-more-", i), k, int64(100+i), at, i != 1)
		_, err = r2.Post(tx)
		require.NoError(t, err)
		m.add(tx.ID, ledger.Payment, tx.Postings)
	}
	_, err = r2.Post(torn)
	require.NoError(t, err, "the torn record can be made again")
	m.add(torn.ID, ledger.Payment, torn.Postings)
	checkEntModel(t, r2, m)
	r3, err := ledger.Replay(bytes.NewReader(cont.Bytes()), ledger.Options{Authorizer: entAuth{}})
	require.NoError(t, err)
	checkEntModel(t, r3, m)
	require.Equal(t, entState(t, r2), entState(t, r3))
}

// tearAfter passes writes through until left is set (≥ 0): then the next
// write takes left bytes and fails.
type tearAfter struct {
	w    io.Writer
	left int
}

func (t *tearAfter) Write(b []byte) (int, error) {
	if t.left < 0 {
		return t.w.Write(b)
	}
	n, _ := t.w.Write(b[:t.left])
	t.left = -1
	return n, errors.New("disk full")
}

// TestAttackEntriesConcurrentWritersAndIterators runs writers that post
// transactions of 2 to 12 postings (several to one account), each followed
// by a refused record of another kind, reverse their own transactions and
// capture holds, while readers iterate Transactions, TransactionViews and
// Holds and read balances, checking every transaction yielded against what
// was posted and that no refused record ever shows. Run with -race. Then
// the replay must read as the live ledger. It holds.
func TestAttackEntriesConcurrentWritersAndIterators(t *testing.T) {
	var journal bytes.Buffer
	l := ledger.New(ledger.Options{Journal: &journal, Authorizer: entAuth{}, MaxSkew: time.Hour})
	for _, a := range entAccounts {
		require.NoError(t, l.Open(a))
	}
	m := newEntModel()
	var clock atomic.Int64
	now := func() time.Time { return entBase.Add(time.Duration(clock.Add(1)) * time.Millisecond) }
	const writers, per = 4, 120
	var wg sync.WaitGroup
	var done atomic.Bool
	errs := make(chan error, 64)
	report := func(err error) {
		select {
		case errs <- err:
		default:
		}
	}
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var mine []uuid.UUID
			for i := 0; i < per; i++ {
				at := now()
				n := 2 + (i*5+w)%11
				tx := entTx(fmt.Sprintf("ent-cc-%d-%d", w, i), n, int64(w*1000+i), at, i%2 == 0)
				m.add(tx.ID, ledger.Payment, tx.Postings) // before it is posted: a reader may see it at once
				if _, err := l.Post(tx); err != nil {
					report(fmt.Errorf("post: %w", err))
					return
				}
				mine = append(mine, tx.ID)
				bad := entTx(fmt.Sprintf("ent-cc-bad-%d-%d", w, i), n, int64(w*1000+i+500), at, true)
				switch i % 3 {
				case 0:
					bad.Postings = bad.Postings[1:]
				case 1:
					bad.Postings[len(bad.Postings)-1].Account = id("ent-nowhere")
				case 2:
					bad.Formality.Instrument = entTight
				}
				if _, err := l.Post(bad); err == nil {
					report(fmt.Errorf("refused record %s accepted", bad.ID))
					return
				}
				if i%7 == 3 {
					of := mine[len(mine)/2]
					rid := id(fmt.Sprintf("ent-cc-rev-%d-%d", w, i))
					orig, _ := m.get(of)
					mirror := make([]ledger.Posting, len(orig))
					for j, p := range orig {
						mirror[j] = ledger.Posting{Account: p.Account, Amount: p.Amount.Neg()}
					}
					m.add(rid, ledger.Reversal, mirror)
					at := now()
					_, err := l.Reverse(ledger.ReversalRequest{ID: rid, Of: of, By: officer, Effective: at, Recorded: at})
					if err != nil && !errors.Is(err, ledger.ErrAlreadyReversed) {
						report(fmt.Errorf("reverse: %w", err))
						return
					}
				}
				if i%9 == 4 {
					hid := id(fmt.Sprintf("ent-cc-hold-%d-%d", w, i))
					at := now()
					if _, err := l.PlaceHold(ledger.Hold{ID: hid, Kind: ledger.Grant, From: entAccounts[0].ID, To: entAccounts[4].ID,
						Amount: pence(5000), Formality: ledger.Formality{Instrument: entInst, Scope: "commission/ent", DecidedBy: officer}, Recorded: at}); err != nil {
						report(fmt.Errorf("hold: %w", err))
						return
					}
					cid := id(fmt.Sprintf("ent-cc-cap-%d-%d", w, i))
					amt := pence(int64(100 + w*10 + i))
					m.add(cid, ledger.Grant, []ledger.Posting{{Account: entAccounts[0].ID, Amount: amt.Neg()}, {Account: entAccounts[4].ID, Amount: amt}})
					at = now()
					if _, err := l.Capture(ledger.CaptureRequest{Hold: hid, ID: mine[0], Amount: amt, Effective: at, Recorded: at, By: officer}); err == nil {
						report(errors.New("a capture with a taken ID was accepted"))
						return
					}
					if _, err := l.Capture(ledger.CaptureRequest{Hold: hid, ID: cid, Amount: amt, Effective: at, Recorded: at, By: officer}); err != nil {
						report(fmt.Errorf("capture: %w", err))
						return
					}
				}
			}
		}(w)
	}
	var readers sync.WaitGroup
	for r := 0; r < 3; r++ {
		readers.Add(1)
		go func(r int) {
			defer readers.Done()
			for !done.Load() {
				prev := 0
				n := 0
				for tx := range l.Transactions() {
					want, ok := m.get(tx.ID)
					if !ok || !samePostings(want, tx.Postings) {
						report(fmt.Errorf("Transactions yielded %s as %v, posted %v (%v)", tx.ID, tx.Postings, want, ok))
						return
					}
					n++
				}
				if n < prev {
					report(errors.New("fewer transactions than before"))
					return
				}
				prev = n
				var views []ledger.TxView
				for v := range l.TransactionViews() {
					views = append(views, v)
					want, ok := m.get(v.ID())
					if !ok || v.NumPostings() != len(want) {
						report(fmt.Errorf("TransactionViews yielded %s with %d postings", v.ID(), v.NumPostings()))
						return
					}
					for j := range want {
						if p := v.Posting(j); p.Account != want[j].Account || !p.Amount.Equal(want[j].Amount) {
							report(fmt.Errorf("view %s posting %d is %v, posted %v", v.ID(), j, p, want[j]))
							return
						}
					}
				}
				// A view stays valid and unchanged after the loop, while
				// writers fill the chunk around it.
				for _, v := range views {
					want, _ := m.get(v.ID())
					if !samePostings(want, v.Transaction().Postings) {
						report(fmt.Errorf("view %s changed after the loop", v.ID()))
						return
					}
				}
				for h := range l.Holds() {
					if tx := h.Resolution.Transaction; tx != nil {
						want, ok := m.get(tx.ID)
						if !ok || !samePostings(want, tx.Postings) {
							report(fmt.Errorf("capture %s reads %v, posted %v", tx.ID, tx.Postings, want))
							return
						}
					}
				}
				if _, err := l.Metrics(coprod.Window{}, sector); err != nil {
					report(err)
					return
				}
			}
		}(r)
	}
	wg.Wait()
	done.Store(true)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	// The model holds every posted ID; drop the reversals refused as
	// already reversed (another writer's).
	m.mu.Lock()
	kept := m.order[:0]
	for _, x := range m.order {
		if _, ok := l.Transaction(x); ok {
			kept = append(kept, x)
		}
	}
	m.order = kept
	// Order as the ledger recorded them.
	m.order = m.order[:0]
	for tx := range l.Transactions() {
		m.order = append(m.order, tx.ID)
	}
	m.mu.Unlock()
	checkEntModel(t, l, m)
	r, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{Authorizer: entAuth{}, MaxSkew: time.Hour})
	require.NoError(t, err)
	checkEntModel(t, r, m)
	require.Equal(t, entState(t, l), entState(t, r))
}

// TestAttackEntriesConcurrentCaptureRetry: Capture promises that
// "retrying the same capture returns the first receipt", as a concurrent
// Post or Reverse retry does (record answers a duplicate under the lock).
// A Capture retried while the first is being authorised sees the hold
// open before the lock; under the lock it must answer with the first
// receipt, not ErrHoldResolved (it did, before the fix: an application
// that retried a capture whose answer it lost got an error for a capture
// that was made).
//
// Two goroutines call l.Capture with the same request; the Authorizer
// lets both through only once both have asked.
func TestAttackEntriesConcurrentCaptureRetry(t *testing.T) {
	var g gatedPair
	l := ledger.New(ledger.Options{Authorizer: entAuth{gate: g.gate}})
	for _, a := range entAccounts {
		require.NoError(t, l.Open(a))
	}
	hid := id("ent-retry-hold")
	_, err := l.PlaceHold(ledger.Hold{ID: hid, Kind: ledger.Grant, From: entAccounts[0].ID, To: entAccounts[4].ID,
		Amount: gbp("100.00"), Formality: ledger.Formality{Instrument: entInst, Scope: "commission/ent", DecidedBy: officer}, Recorded: entBase})
	require.NoError(t, err)
	req := ledger.CaptureRequest{Hold: hid, ID: id("ent-retry-capture"), Amount: gbp("60.00"), Effective: entBase.Add(time.Minute), Recorded: entBase.Add(time.Minute), By: officer}
	rcs, errs := g.run(func() (ledger.Receipt, error) { return l.Capture(req) })
	// The same request once more, after both: a duplicate, as promised.
	rc, err := l.Capture(req)
	require.NoError(t, err)
	require.True(t, rc.Duplicate)
	for i := range 2 {
		require.NoError(t, errs[i], "capture %d: the same capture, retried concurrently, is refused", i)
		require.Equal(t, rc.Seq, rcs[i].Seq)
	}
	require.True(t, rcs[0].Duplicate != rcs[1].Duplicate, "exactly one is the first")
}

// gatedPair holds two calls in an entAuth gate until both have asked, so
// that each sees the ledger as it was before either records.
type gatedPair struct {
	asked sync.WaitGroup
	on    atomic.Bool
}

func (g *gatedPair) gate() {
	if g.on.Load() {
		g.asked.Done()
		g.asked.Wait()
	}
}

// run calls do from two goroutines at once, through the gate, and
// returns both answers.
func (g *gatedPair) run(do func() (ledger.Receipt, error)) (rcs [2]ledger.Receipt, errs [2]error) {
	g.on.Store(true)
	g.asked.Add(2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rcs[i], errs[i] = do()
		}()
	}
	wg.Wait()
	g.on.Store(false)
	return rcs, errs
}

// TestAttackEntriesClosingsSnapshot: the package doc promises that the
// iterators, Closings among them, "yield what was recorded when iteration
// starts". A sequence taken before a ClosePeriod and ranged over after it
// yields that closing, and each loop reads the ledger afresh, as
// Transactions, Accounts and Holds do. (Closings copied the closings when
// it was called, before the fix.)
func TestAttackEntriesClosingsSnapshot(t *testing.T) {
	l := ledger.New(ledger.Options{})
	for _, a := range entAccounts {
		require.NoError(t, l.Open(a))
	}
	txs, closings := l.Transactions(), l.Closings()
	_, err := l.Post(entTx("ent-closing-tx", 2, 1, entBase, false))
	require.NoError(t, err)
	_, err = l.ClosePeriod(ledger.Closing{Through: entBase, Recorded: entBase.Add(time.Second), By: director})
	require.NoError(t, err)
	n := 0
	for range txs {
		n++
	}
	require.Equal(t, 1, n, "Transactions reads the ledger when the loop starts")
	n = 0
	for range closings {
		n++
	}
	require.Equal(t, 1, n, "Closings yields what was recorded when it was called, not when iteration starts")
}

// TestAttackEntriesKeyedJournalTampering writes a keyed journal with a
// rotation between two keys, then: a hash changed in one hex digit (a
// keyed line, compared in constant time) or in case only; a keyed line
// read without keys, or with the wrong secret; an unkeyed line spliced in
// and rechained. Verify and Replay refuse each as corrupt, naming the
// line; the untouched journal verifies and replays identically. It holds.
func TestAttackEntriesKeyedJournalTampering(t *testing.T) {
	k1 := &coprod.JournalKey{ID: "k1", Secret: bytes.Repeat([]byte{1}, 32)}
	k2 := &coprod.JournalKey{ID: "k2", Secret: bytes.Repeat([]byte{2}, 32)}
	var j1 bytes.Buffer
	opts := ledger.Options{Journal: &j1, Key: k1, Authorizer: entAuth{}}
	l := ledger.New(opts)
	for _, a := range entAccounts {
		require.NoError(t, l.Open(a))
	}
	for i := 0; i < 3; i++ {
		_, err := l.Post(entTx(fmt.Sprint("ent-key-", i), 2+i, int64(i), entBase.Add(time.Duration(i)*time.Second), true))
		require.NoError(t, err)
	}
	keys := coprod.Keyring{"k1": k1.Secret, "k2": k2.Secret}
	// Rotate: continue the journal under k2.
	var j2 bytes.Buffer
	j2.Write(j1.Bytes())
	r, err := ledger.Replay(bytes.NewReader(j1.Bytes()), ledger.Options{Journal: &j2, Key: k2, Keys: keys, Authorizer: entAuth{}})
	require.NoError(t, err)
	for i := 3; i < 6; i++ {
		_, err := r.Post(entTx(fmt.Sprint("ent-key-", i), 2+i, int64(i), entBase.Add(time.Duration(i)*time.Second), true))
		require.NoError(t, err)
	}
	good := j2.String()
	head, err := ledger.Verify(strings.NewReader(good), keys)
	require.NoError(t, err)
	require.Equal(t, r.Head(), head)
	back, err := ledger.Replay(strings.NewReader(good), ledger.Options{Keys: keys, Authorizer: entAuth{}})
	require.NoError(t, err)
	require.Equal(t, entState(t, r), entState(t, back))

	lines := strings.SplitAfter(good, "\n")
	hashAt := func(line string) int { return strings.LastIndex(line, `"hash":"`) + len(`"hash":"`) }
	for _, target := range []int{len(entAccounts), len(lines) - 2} { // a k1 line and a k2 line
		for name, change := range map[string]func(byte) byte{
			"digit": func(c byte) byte {
				if c == '0' {
					return '1'
				}
				return '0'
			},
			"case": func(c byte) byte {
				if c >= 'a' && c <= 'f' {
					return c - 'a' + 'A'
				}
				return c
			},
		} {
			ls := append([]string(nil), lines...)
			line := []byte(ls[target])
			at := hashAt(ls[target])
			for i := at; i < at+64; i++ {
				if c := change(line[i]); c != line[i] {
					line[i] = c
					break
				}
			}
			ls[target] = string(line)
			bad := strings.Join(ls, "")
			_, err := ledger.Verify(strings.NewReader(bad), keys)
			var je *ledger.JournalError
			require.ErrorAs(t, err, &je, "%s of line %d", name, target+1)
			require.ErrorIs(t, err, ledger.ErrCorruptJournal)
			require.Equal(t, target+1, je.Line)
			_, err = ledger.Replay(strings.NewReader(bad), ledger.Options{Keys: keys})
			require.ErrorIs(t, err, ledger.ErrCorruptJournal)
		}
	}
	// Keyed lines read without keys, or with a wrong secret for k2.
	_, err = ledger.Verify(strings.NewReader(good), nil)
	require.ErrorIs(t, err, ledger.ErrCorruptJournal)
	_, err = ledger.Verify(strings.NewReader(good), coprod.Keyring{"k1": k1.Secret, "k2": k1.Secret})
	var je *ledger.JournalError
	require.ErrorAs(t, err, &je)
	require.Equal(t, strings.Count(j1.String(), "\n")+1, je.Line, "the first k2 line fails")
	// An unkeyed line spliced in for the last one: the chain is sound
	// without keys, but not signed.
	ls := append([]string(nil), lines...)
	ls = ls[:len(ls)-1]
	last := len(ls) - 1
	var env map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(ls[last]), &env))
	var typ string
	require.NoError(t, json.Unmarshal(env["type"], &typ))
	prevHex := strings.Trim(string(env["prev"]), `"`)
	var prev [32]byte
	pb, err := hex.DecodeString(prevHex)
	require.NoError(t, err)
	copy(prev[:], pb)
	var text []byte
	if tx, ok := env["text"]; ok {
		text = tx
	}
	unkeyed, _ := journal.AppendLine(nil, last+1, prev, nil, typ, env["record"], text)
	ls[last] = string(unkeyed)
	_, err = ledger.Verify(strings.NewReader(strings.Join(ls, "")), keys)
	require.ErrorAs(t, err, &je)
	require.Equal(t, last+1, je.Line)
}

// TestAttackEntriesConcurrentRetriesOfPostReverseHold is the contrast to
// the capture above: a Post, a Reverse and a PlaceHold retried while the
// first is being authorised each answer with the first receipt
// (Duplicate), and the ledger holds each record once. It holds.
func TestAttackEntriesConcurrentRetriesOfPostReverseHold(t *testing.T) {
	var g gatedPair
	var journal bytes.Buffer
	l := ledger.New(ledger.Options{Authorizer: entAuth{gate: g.gate}, Journal: &journal})
	for _, a := range entAccounts {
		require.NoError(t, l.Open(a))
	}
	tx := entTx("ent-retry-post", 3, 7, entBase, true)
	twice := func(do func() (ledger.Receipt, error)) {
		t.Helper()
		rcs, errs := g.run(do)
		require.NoError(t, errs[0])
		require.NoError(t, errs[1])
		require.Equal(t, rcs[0].Seq, rcs[1].Seq)
		require.True(t, rcs[0].Duplicate != rcs[1].Duplicate, "exactly one is the first")
	}
	twice(func() (ledger.Receipt, error) { return l.Post(tx) })
	at := entBase.Add(time.Minute)
	twice(func() (ledger.Receipt, error) {
		return l.Reverse(ledger.ReversalRequest{ID: id("ent-retry-rev"), Of: tx.ID, By: officer, Effective: at, Recorded: at})
	})
	h := ledger.Hold{ID: id("ent-retry-hold2"), Kind: ledger.Grant, From: entAccounts[0].ID, To: entAccounts[4].ID,
		Amount: gbp("10.00"), Formality: ledger.Formality{Instrument: entInst, Scope: "commission/ent", DecidedBy: officer}, Recorded: at}
	twice(func() (ledger.Receipt, error) { return l.PlaceHold(h) })
	n := 0
	for range l.Transactions() {
		n++
	}
	require.Equal(t, 2, n)
	r, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{Authorizer: entAuth{}})
	require.NoError(t, err)
	require.Equal(t, entState(t, l), entState(t, r))
}
