package ledger_test

// Attempts to break the ledger's documented promises, each a named test.
// A failing test here is a defect; passing ones are attempts refused.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

func bkID(name string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceURL, []byte("breakit:"+name)) }

func bkGBP(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.GBP) }

var bkT0 = time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)

// within runs f and fails the test if it does not return within d.
// hangAfter is how long within waits before it calls a run a deadlock. It
// is a hang detector, not a timing: a deadlock never finishes, so the
// deadline is set far above the slowest honest run on a loaded machine
// under the race detector.
const hangAfter = 2 * time.Minute

// within fails the test if f has not returned after hangAfter.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	d := hangAfter
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s: did not finish within %v (deadlock?)", what, d)
	}
}

// bkWorld is a council delegating to an officer, who acts for a temple;
// a foundation, a hub, a large provider and a grassroots group.
type bkWorld struct {
	reg                                                  *governance.Register
	council, officer, temple, foundation, hub, large, cg uuid.UUID
	other                                                uuid.UUID // another officer, no acting
	mandate, deleg                                       uuid.UUID
}

func bkRegister(t testing.TB) *bkWorld {
	t.Helper()
	w := &bkWorld{
		reg: governance.NewRegister(), council: bkID("council"), officer: bkID("officer"), temple: bkID("temple"),
		foundation: bkID("foundation"), hub: bkID("hub"), large: bkID("large"), cg: bkID("cg"), other: bkID("other"),
		mandate: bkID("mandate"), deleg: bkID("deleg"),
	}
	for _, p := range []coprod.Party{
		{ID: w.council, Name: "Council", Sector: coprod.Statutory},
		{ID: w.officer, Name: "Officer", Sector: coprod.Individual},
		{ID: w.other, Name: "Other", Sector: coprod.Individual},
		{ID: w.temple, Name: "Temple", Sector: coprod.Community},
		{ID: w.foundation, Name: "Foundation", Sector: coprod.IndependentFunder},
		{ID: w.hub, Name: "Hub", Sector: coprod.Hub},
		{ID: w.large, Name: "Large", Sector: coprod.LargeProvider},
		{ID: w.cg, Name: "Group", Sector: coprod.ServiceUsers},
	} {
		bkMust(t, w.reg.AddParty(p))
	}
	bkMust(t, w.reg.AddMandate(governance.Mandate{ID: w.mandate, Holder: w.council, Scope: "commission", MaxDepth: 2,
		ReservedAbove: []governance.Reservation{{Scope: "commission/contracts/award", Above: bkGBP("50000")}}}))
	bkMust(t, w.reg.Delegate(governance.Delegation{ID: w.deleg, Parent: w.mandate, From: w.council, To: w.officer,
		Scope: "commission", TransactionLimit: bkGBP("100000"), CumulativeLimit: bkGBP("200000"), Period: governance.PeriodMonth,
		MaySubDelegate: true, MaxDepth: 1}))
	bkMust(t, w.reg.Delegate(governance.Delegation{ID: bkID("deleg-other"), Parent: w.mandate, From: w.council, To: w.other,
		Scope: "commission", TransactionLimit: bkGBP("100000")}))
	bkMust(t, w.reg.ActFor(governance.ActingFor{ID: bkID("acting"), Person: w.officer, For: w.temple, Role: governance.RoleDirector,
		Window: coprod.Window{NotBefore: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}}))
	return w
}

func bkMust(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// account IDs: cash of each party.
func bkCash(p uuid.UUID) uuid.UUID { return uuid.NewSHA1(p, []byte("cash")) }

func bkOpenAll(t testing.TB, l *ledger.Ledger, w *bkWorld) {
	t.Helper()
	for _, p := range []uuid.UUID{w.council, w.officer, w.other, w.temple, w.foundation, w.hub, w.large, w.cg} {
		bkMust(t, l.Open(ledger.Account{ID: bkCash(p), Owner: p, Name: "cash", Kind: ledger.Cash, Unit: coprod.GBP}))
	}
}

func bkPay(id uuid.UUID, kind ledger.Kind, from, to uuid.UUID, amount string, by, instrument uuid.UUID, scope coprod.Scope, when time.Time) ledger.Transaction {
	a := bkGBP(amount)
	return ledger.Transaction{ID: id, Kind: kind, Effective: when, Recorded: when,
		Postings:  []ledger.Posting{{Account: bkCash(from), Amount: a.Neg()}, {Account: bkCash(to), Amount: a}},
		Formality: ledger.Formality{Instrument: instrument, Scope: scope, DecidedBy: by},
		Memo:      "memo for " + id.String()[:8]}
}

// ---------------------------------------------------------------- 1. locks

// reentrantAuthorizer calls back into the ledger from Permit, reading and
// (once) writing.
type reentrantAuthorizer struct {
	inner ledger.Authorizer
	l     *ledger.Ledger
	w     *bkWorld
	once  sync.Once
	err   error
}

func (a *reentrantAuthorizer) Permit(p coprod.Permission) (coprod.Proof, error) {
	_, _ = a.l.Balance(bkCash(a.w.council))
	for range a.l.Transactions() {
	}
	a.once.Do(func() {
		// a write from inside the authorizer: a labour record is not asked about
		lt, err := ledger.LabourTransaction(bkID("reentrant-labour"), bkID("memo-temple"), bkID("memo-council"),
			ledger.Labour{Hours: coprod.MustParseAmount("2", coprod.Hours), Method: ledger.ReplacementCost, Rate: bkGBP("10")},
			p.Recorded, p.Recorded, a.w.temple)
		if err == nil {
			_, err = a.l.Post(lt)
		}
		a.err = err
	})
	return a.inner.Permit(p)
}

func TestBreakit_Ledger_CallbacksMayReenterUnderConcurrentWriter(t *testing.T) {
	w := bkRegister(t)
	ra := &reentrantAuthorizer{inner: w.reg, w: w}
	l := ledger.New(ledger.Options{Authorizer: ra, MaxSkew: time.Hour})
	ra.l = l
	bkOpenAll(t, l, w)
	bkMust(t, l.Open(ledger.Account{ID: bkID("memo-temple"), Owner: w.temple, Kind: ledger.MemoLabour, Unit: coprod.Hours}))
	bkMust(t, l.Open(ledger.Account{ID: bkID("memo-council"), Owner: w.council, Kind: ledger.MemoLabour, Unit: coprod.Hours}))
	for i := range 5 {
		_, err := l.Post(bkPay(bkID(fmt.Sprint("seed", i)), ledger.Grant, w.council, w.temple, "10", w.officer, w.deleg, "commission/x", bkT0))
		bkMust(t, err)
	}
	bkMust(t, ra.err)
	_, err := l.PlaceHold(ledger.Hold{ID: bkID("h"), Kind: ledger.Grant, From: bkCash(w.council), To: bkCash(w.temple), Amount: bkGBP("5"),
		Formality: ledger.Formality{Instrument: w.deleg, Scope: "commission/x", DecidedBy: w.officer}, Recorded: bkT0})
	bkMust(t, err)
	_, err = l.ClosePeriod(ledger.Closing{Through: bkT0.Add(-time.Hour), Recorded: bkT0, By: w.council})
	bkMust(t, err)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // a concurrent writer keeps the write lock contended
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			_, _ = l.Post(bkPay(bkID(fmt.Sprint("bg", i)), ledger.Payment, w.council, w.hub, "1", w.officer, w.deleg, "commission/bg", bkT0))
		}
	}()
	defer func() { close(stop); wg.Wait() }()

	n := 0
	write := func() {
		n++
		_, err := l.Post(bkPay(bkID(fmt.Sprint("in-body", n)), ledger.Payment, w.council, w.cg, "1", w.officer, w.deleg, "commission/y", bkT0))
		if err != nil {
			t.Errorf("write from callback: %v", err)
		}
	}
	cases := []struct {
		name string
		run  func()
	}{
		{"Transactions", func() {
			for range l.Transactions() {
				_, _ = l.Balance(bkCash(w.council))
				write()
				break
			}
		}},
		{"Accounts", func() {
			for range l.Accounts() {
				write()
			}
		}},
		{"Holds", func() {
			for range l.Holds() {
				write()
			}
		}},
		{"Closings", func() {
			for range l.Closings() {
				write()
			}
		}},
		{"Awards", func() {
			for range l.Awards() {
				write()
				break
			}
		}},
		{"Metrics classifier", func() {
			_, err := l.Metrics(coprod.Window{}, func(p coprod.PartyID) coprod.Sector {
				_, _ = l.Balance(bkCash(w.council))
				for range l.Holds() {
				}
				write()
				return w.reg.Sector(p)
			})
			if err != nil {
				t.Error(err)
			}
		}},
		{"Authorizer", func() {
			_, err := l.Post(bkPay(bkID("via-authorizer"), ledger.Payment, w.council, w.cg, "1", w.officer, w.deleg, "commission/z", bkT0))
			if err != nil {
				t.Error(err)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { within(t, c.name, c.run) })
	}
}

// ---------------------------------------------------------------- 2. journal failure

type panicWriter struct{ n int }

func (p *panicWriter) Write(b []byte) (int, error) {
	p.n++
	if p.n >= 2 {
		panic("disk on fire")
	}
	return len(b), nil
}

// A writer that panics must not leave the ledger locked, nor apply the
// record it was writing.
func TestBreakit_Ledger_PanickingJournalDoesNotWedgeOrApply(t *testing.T) {
	pw := &panicWriter{}
	l := ledger.New(ledger.Options{Journal: pw})
	bkMust(t, l.Open(ledger.Account{ID: bkID("a"), Owner: bkID("p"), Kind: ledger.Cash, Unit: coprod.GBP}))
	func() {
		defer func() { _ = recover() }()
		_ = l.Open(ledger.Account{ID: bkID("b"), Owner: bkID("p"), Kind: ledger.Cash, Unit: coprod.GBP})
	}()
	within(t, "query after a panicking write", func() {
		if _, ok := l.Account(bkID("b")); ok {
			t.Errorf("account whose journal write panicked was applied")
		}
		_ = l.Head()
	})
	within(t, "record after a panicking write", func() {
		defer func() { _ = recover() }()
		_ = l.Open(ledger.Account{ID: bkID("c"), Owner: bkID("p"), Kind: ledger.Cash, Unit: coprod.GBP})
	})
}

// overWriter claims to have written more than it was given.
type overWriter struct{ buf bytes.Buffer }

func (o *overWriter) Write(b []byte) (int, error) { o.buf.Write(b); return len(b) + 10, nil }

func TestBreakit_Ledger_WriterClaimingTooMuchIsNotAPanic(t *testing.T) {
	l := ledger.New(ledger.Options{Journal: &overWriter{}})
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("panic: %v", r)
			}
		}()
		err = l.Open(ledger.Account{ID: bkID("a"), Owner: bkID("p"), Kind: ledger.Cash, Unit: coprod.GBP})
	}()
	_ = err // either accepted or refused; no panic
}

type failFirst struct{ calls int }

func (f *failFirst) Write(b []byte) (int, error) { f.calls++; return 0, errors.New("no disk") }

func TestBreakit_Ledger_JournalFailingOnFirstWriteIsSticky(t *testing.T) {
	ff := &failFirst{}
	l := ledger.New(ledger.Options{Journal: ff})
	acct := ledger.Account{ID: bkID("a"), Owner: bkID("p"), Kind: ledger.Cash, Unit: coprod.GBP}
	err := l.Open(acct)
	if !errors.Is(err, ledger.ErrJournal) || !errors.Is(err, ledger.ErrJournalFailed) {
		t.Fatalf("first write: %v", err)
	}
	if _, ok := l.Account(acct.ID); ok {
		t.Fatal("unjournaled account applied")
	}
	if !errors.Is(l.Err(), ledger.ErrJournalFailed) {
		t.Fatalf("Err = %v", l.Err())
	}
	calls := ff.calls
	for i := range 3 {
		err := l.Open(ledger.Account{ID: bkID(fmt.Sprint("x", i)), Owner: bkID("p"), Kind: ledger.Cash, Unit: coprod.GBP})
		if !errors.Is(err, ledger.ErrJournalFailed) {
			t.Fatalf("after failure: %v", err)
		}
	}
	if _, err := l.ClosePeriod(ledger.Closing{Through: bkT0, Recorded: bkT0, By: bkID("p")}); !errors.Is(err, ledger.ErrJournalFailed) {
		t.Fatalf("closing after failure: %v", err)
	}
	if ff.calls != calls {
		t.Fatalf("a stopped ledger wrote again to its journal (%d writes)", ff.calls-calls)
	}
	if !l.ClosedThrough().IsZero() {
		t.Fatal("closing applied on a stopped ledger")
	}
	// An invalid record is refused for its own fault, not journal.
	if err := l.Open(ledger.Account{}); !errors.Is(err, ledger.ErrInvalidAccount) {
		t.Fatalf("invalid record on stopped ledger: %v", err)
	}
}

// Whole line written but error reported: recovered ledger has it, and a
// retry answers with the receipt; new lines continue the chain.
func TestBreakit_Ledger_RecoverTruncateContinue(t *testing.T) {
	w := bkRegister(t)
	var buf bytes.Buffer
	fails := false
	jw := writerFunc(func(b []byte) (int, error) {
		if fails {
			buf.Write(b[:len(b)/2])
			return len(b) / 2, errors.New("torn")
		}
		return buf.Write(b)
	})
	l := ledger.New(ledger.Options{Authorizer: w.reg, Journal: jw})
	bkOpenAll(t, l, w)
	tx1 := bkPay(bkID("t1"), ledger.Grant, w.council, w.temple, "100", w.officer, w.deleg, "commission/x", bkT0)
	_, err := l.Post(tx1)
	bkMust(t, err)
	fails = true
	tx2 := bkPay(bkID("t2"), ledger.Grant, w.council, w.temple, "50", w.officer, w.deleg, "commission/x", bkT0.Add(time.Second))
	if _, err := l.Post(tx2); !errors.Is(err, ledger.ErrJournalFailed) {
		t.Fatalf("torn write: %v", err)
	}
	if r, err := l.Post(tx1); err != nil || !r.Duplicate {
		t.Fatalf("idempotent retry on stopped ledger: %v %+v", err, r)
	}
	if _, err := ledger.Replay(bytes.NewReader(buf.Bytes()), ledger.Options{}); !errors.Is(err, ledger.ErrTornJournal) {
		t.Fatalf("replay of torn: %v", err)
	}
	l2, n, err := ledger.Recover(bytes.NewReader(buf.Bytes()), ledger.Options{})
	bkMust(t, err)
	buf.Truncate(int(n))
	fails = false
	l3, _, err := ledger.Recover(bytes.NewReader(buf.Bytes()), ledger.Options{Authorizer: w.reg, Journal: jw})
	bkMust(t, err)
	_ = l2
	if _, err := l3.Post(tx2); err != nil {
		t.Fatalf("continue after recover: %v", err)
	}
	if _, err := ledger.Verify(bytes.NewReader(buf.Bytes()), nil); err != nil {
		t.Fatalf("continued journal does not verify: %v", err)
	}
	l4, err := ledger.Replay(bytes.NewReader(buf.Bytes()), ledger.Options{})
	bkMust(t, err)
	b3, _ := l3.Balance(bkCash(w.temple))
	b4, _ := l4.Balance(bkCash(w.temple))
	if !b3.Equal(b4) || !b4.Equal(bkGBP("150")) {
		t.Fatalf("balances live %v replayed %v", b3, b4)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// ---------------------------------------------------------------- 3. replay equals live

func bkState(t *testing.T, l *ledger.Ledger, w *bkWorld) string {
	t.Helper()
	var sb strings.Builder
	for a := range l.Accounts() {
		b, _ := l.Balance(a.ID)
		h, _ := l.Held(a.ID)
		fmt.Fprintf(&sb, "%s %s %s\n", a.ID, b, h)
	}
	for h := range l.Holds() {
		fmt.Fprintf(&sb, "hold %s %s\n", h.Hold.ID, h.Resolution.Resolution)
	}
	for tx := range l.Transactions() {
		fmt.Fprintf(&sb, "tx %s %s\n", tx.ID, tx.Recorded.Format(time.RFC3339Nano))
	}
	s, err := l.Spent(w.deleg, coprod.Window{NotBefore: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	fmt.Fprintf(&sb, "spent %v %v\n", s, err)
	m, err := l.Metrics(coprod.Window{}, w.reg.Sector)
	mj, _ := json.Marshal(m)
	fmt.Fprintf(&sb, "metrics %s %v\n", mj, err)
	fmt.Fprintf(&sb, "head %+v closed %s\n", l.Head(), l.ClosedThrough())
	return sb.String()
}

func TestBreakit_Ledger_ReplayEqualsLiveUnderConcurrencySkewAndClosings(t *testing.T) {
	w := bkRegister(t)
	var buf syncBuffer
	opts := ledger.Options{Authorizer: w.reg, Journal: &buf}
	l := ledger.New(opts)
	bkOpenAll(t, l, w)
	// recorded times step back within the skew
	_, err := l.Post(bkPay(bkID("late"), ledger.Grant, w.council, w.temple, "100", w.officer, w.deleg, "commission/x", bkT0.Add(50*time.Second)))
	bkMust(t, err)
	_, err = l.Post(bkPay(bkID("early"), ledger.Grant, w.council, w.hub, "100", w.officer, w.deleg, "commission/x", bkT0))
	bkMust(t, err)
	// back-dated effective, in an open period, then close it
	tx := bkPay(bkID("accrual"), ledger.Payment, w.council, w.cg, "7", w.officer, w.deleg, "commission/x", bkT0.Add(time.Minute))
	tx.Effective = bkT0.Add(-24 * time.Hour)
	_, err = l.Post(tx)
	bkMust(t, err)
	_, err = l.ClosePeriod(ledger.Closing{Through: bkT0.Add(-time.Hour), Recorded: bkT0.Add(time.Minute), By: w.council})
	bkMust(t, err)
	// a record recorded behind the closing within the skew, effective in open period
	tx = bkPay(bkID("after-close"), ledger.Payment, w.council, w.cg, "3", w.officer, w.deleg, "commission/x", bkT0.Add(30*time.Second))
	_, err = l.Post(tx)
	bkMust(t, err)
	_, err = l.PlaceHold(ledger.Hold{ID: bkID("hold"), Kind: ledger.Grant, From: bkCash(w.council), To: bkCash(w.large), Amount: bkGBP("40"),
		Formality: ledger.Formality{Instrument: w.deleg, Scope: "commission/x", DecidedBy: w.officer}, Recorded: bkT0.Add(2 * time.Minute)})
	bkMust(t, err)
	// concurrent writers
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				when := bkT0.Add(3*time.Minute + time.Duration(i*g%7)*time.Second)
				_, _ = l.Post(bkPay(bkID(fmt.Sprint("c", g, "-", i)), ledger.Payment, w.council, w.cg, "1", w.officer, w.deleg, "commission/c", when))
			}
		}()
	}
	wg.Wait()
	_, err = l.Capture(ledger.CaptureRequest{Hold: bkID("hold"), ID: bkID("cap"), Amount: bkGBP("30"), Effective: bkT0.Add(5 * time.Minute), Recorded: bkT0.Add(5 * time.Minute), By: w.officer})
	bkMust(t, err)
	_, err = l.Reverse(ledger.ReversalRequest{ID: bkID("rev"), Of: bkID("late"), By: w.officer, Effective: bkT0.Add(5 * time.Minute), Recorded: bkT0.Add(5 * time.Minute)})
	bkMust(t, err)

	live := bkState(t, l, w)
	r, err := ledger.Replay(bytes.NewReader(buf.Bytes()), ledger.Options{})
	bkMust(t, err)
	if got := bkState(t, r, w); got != live {
		t.Fatalf("replay differs from live:\nlive:\n%s\nreplay:\n%s", live, got)
	}
	// A replayed ledger refuses what the live one refused: a record more
	// than the skew behind, and one effective in the closed period.
	late := bkPay(bkID("too-late"), ledger.Payment, w.council, w.cg, "1", w.officer, w.deleg, "commission/x", bkT0)
	for name, led := range map[string]*ledger.Ledger{"live": l, "replay": r} {
		if _, err := led.Post(late); !errors.Is(err, ledger.ErrRecordedTimeBehind) {
			t.Errorf("%s: back-dated beyond skew: %v", name, err)
		}
		closed := bkPay(bkID("closed"), ledger.Payment, w.council, w.cg, "1", w.officer, w.deleg, "commission/x", bkT0.Add(10*time.Minute))
		closed.Effective = bkT0.Add(-2 * time.Hour)
		if _, err := led.Post(closed); !errors.Is(err, ledger.ErrPeriodClosed) {
			t.Errorf("%s: into closed period: %v", name, err)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	bytes.Buffer
}

func (s *syncBuffer) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Buffer.Write(b)
}

// The skew must not let a record be replayed against a journal whose
// order differs: a journal replayed with a stricter skew than the live
// ledger had is refused, with a typed error, rather than silently
// diverging.
func TestBreakit_Ledger_ReplayWithOtherSkewIsTyped(t *testing.T) {
	var buf bytes.Buffer
	l := ledger.New(ledger.Options{Journal: &buf, MaxSkew: time.Hour})
	bkMust(t, l.Open(ledger.Account{ID: bkID("a"), Owner: bkID("p"), Kind: ledger.Cash, Unit: coprod.GBP}))
	bkMust(t, l.Open(ledger.Account{ID: bkID("b"), Owner: bkID("q"), Kind: ledger.Cash, Unit: coprod.GBP}))
	mk := func(n string, at time.Time) ledger.Transaction {
		return ledger.Transaction{ID: bkID(n), Kind: ledger.Payment, Effective: at, Recorded: at,
			Postings:  []ledger.Posting{{Account: bkID("a"), Amount: bkGBP("-1")}, {Account: bkID("b"), Amount: bkGBP("1")}},
			Formality: ledger.Formality{DecidedBy: bkID("p")}}
	}
	_, err := l.Post(mk("1", bkT0.Add(30*time.Minute)))
	bkMust(t, err)
	_, err = l.Post(mk("2", bkT0))
	bkMust(t, err)
	_, err = ledger.Replay(bytes.NewReader(buf.Bytes()), ledger.Options{})
	if err != nil && !errors.Is(err, ledger.ErrCorruptJournal) {
		t.Fatalf("untyped replay error: %v", err)
	}
}

// EraseText, then replay, then retry the erased record with its text.
func TestBreakit_Ledger_EraseThenReplayAndRetry(t *testing.T) {
	w := bkRegister(t)
	for _, salted := range []bool{false, true} {
		t.Run(fmt.Sprint("salted=", salted), func(t *testing.T) {
			var buf bytes.Buffer
			opts := ledger.Options{Authorizer: w.reg, Journal: &buf, Key: &coprod.JournalKey{ID: "k1", Secret: []byte("s3cret")}}
			if salted {
				opts.Rand = strings.NewReader(strings.Repeat("0123456789abcdef", 1000))
			}
			l := ledger.New(opts)
			bkOpenAll(t, l, w)
			tx := bkPay(bkID("erase-me"), ledger.Grant, w.council, w.temple, "100", w.officer, w.deleg, "commission/x", bkT0)
			tx.Metadata = map[string]string{"person": "Jane Doe"}
			r, err := l.Post(tx)
			bkMust(t, err)
			var out bytes.Buffer
			bkMust(t, ledger.EraseText(bytes.NewReader(buf.Bytes()), &out, r.Seq))
			if bytes.Contains(out.Bytes(), []byte("Jane Doe")) || bytes.Contains(out.Bytes(), []byte("memo for")) {
				t.Fatal("erased text still in journal")
			}
			keys := coprod.Keyring{"k1": []byte("s3cret")}
			if _, err := ledger.Verify(bytes.NewReader(out.Bytes()), keys); err != nil {
				t.Fatalf("erased keyed journal does not verify: %v", err)
			}
			rl, err := ledger.Replay(bytes.NewReader(out.Bytes()), ledger.Options{Keys: keys})
			bkMust(t, err)
			if _, err := rl.Post(tx); !errors.Is(err, ledger.ErrIdempotencyConflict) {
				t.Fatalf("retry of the erased record with its text: %v", err)
			}
			got, _ := rl.Transaction(tx.ID)
			if got.Memo != "" || len(got.Metadata) != 0 && got.Metadata["person"] != "" {
				t.Fatalf("erased text replays as %q %v", got.Memo, got.Metadata)
			}
			// Put other text back into the erased line: must not verify.
			lines := bytes.Split(bytes.TrimSuffix(out.Bytes(), []byte("\n")), []byte("\n"))
			line := lines[r.Seq-1]
			forged := bytes.Replace(line, []byte(`"memo":""`), []byte(`"memo":"forged"`), 1)
			if bytes.Equal(forged, line) {
				// erased form unknown: set any empty string field containing memo
				forged = bytes.Replace(line, []byte(`"erased":true`), []byte(`"erased":false`), 1)
			}
			if !bytes.Equal(forged, line) {
				lines[r.Seq-1] = forged
				j := append(bytes.Join(lines, []byte("\n")), '\n')
				if _, err := ledger.Verify(bytes.NewReader(j), keys); !errors.Is(err, ledger.ErrCorruptJournal) {
					t.Fatalf("text put back into an erased line verifies: %v", err)
				}
			}
			// Erasing out of range.
			for _, seq := range []int{0, -1, 1 << 40, len(lines) + 1} {
				if err := ledger.EraseText(bytes.NewReader(buf.Bytes()), io.Discard, seq); err == nil {
					t.Errorf("EraseText seq %d: no error", seq)
				}
			}
		})
	}
}

// ---------------------------------------------------------------- 4. keys

func TestBreakit_Ledger_Keys(t *testing.T) {
	k1 := &coprod.JournalKey{ID: "k1", Secret: []byte("one")}
	k2 := &coprod.JournalKey{ID: "k2", Secret: []byte("two")}
	open := func(l *ledger.Ledger, n string) error {
		return l.Open(ledger.Account{ID: bkID(n), Owner: bkID("p"), Kind: ledger.Cash, Unit: coprod.GBP})
	}
	// keyed journal, rotated to k2 after replay
	var buf bytes.Buffer
	l := ledger.New(ledger.Options{Journal: &buf, Key: k1})
	bkMust(t, open(l, "a"))
	bkMust(t, open(l, "b"))
	l2, err := ledger.Replay(bytes.NewReader(buf.Bytes()), ledger.Options{Keys: coprod.Keyring{"k1": k1.Secret}, Journal: &buf, Key: k2})
	bkMust(t, err)
	bkMust(t, open(l2, "c"))
	if _, err := ledger.Verify(bytes.NewReader(buf.Bytes()), coprod.Keyring{"k1": k1.Secret, "k2": k2.Secret}); err != nil {
		t.Fatalf("rotated journal: %v", err)
	}
	if _, err := ledger.Verify(bytes.NewReader(buf.Bytes()), coprod.Keyring{"k1": k1.Secret}); !errors.Is(err, ledger.ErrCorruptJournal) {
		t.Fatalf("rotated journal without k2: %v", err)
	}
	// a forger without the key appends an unkeyed line by replaying and continuing without a Key
	forged := bytes.NewBuffer(append([]byte(nil), buf.Bytes()...))
	lf, err := ledger.Replay(bytes.NewReader(forged.Bytes()), ledger.Options{Journal: forged})
	if err != nil {
		if !errors.Is(err, ledger.ErrCorruptJournal) {
			t.Fatalf("keyed journal replayed without keys: %v", err)
		}
	} else {
		bkMust(t, open(lf, "forged"))
		if _, err := ledger.Verify(bytes.NewReader(forged.Bytes()), coprod.Keyring{"k1": k1.Secret, "k2": k2.Secret}); !errors.Is(err, ledger.ErrCorruptJournal) {
			t.Fatalf("unkeyed line appended to a keyed journal verifies: %v", err)
		}
		if _, err := ledger.Replay(bytes.NewReader(forged.Bytes()), ledger.Options{Keys: coprod.Keyring{"k1": k1.Secret, "k2": k2.Secret}}); !errors.Is(err, ledger.ErrCorruptJournal) {
			t.Fatalf("unkeyed line replays under keys: %v", err)
		}
	}
	// forged under a different secret with the same ID
	forged2 := bytes.NewBuffer(append([]byte(nil), buf.Bytes()...))
	lf2, err := ledger.Replay(bytes.NewReader(forged2.Bytes()), ledger.Options{Journal: forged2, Key: &coprod.JournalKey{ID: "k2", Secret: []byte("guess")},
		Keys: coprod.Keyring{"k1": k1.Secret, "k2": k2.Secret}})
	bkMust(t, err)
	bkMust(t, open(lf2, "forged2"))
	if _, err := ledger.Verify(bytes.NewReader(forged2.Bytes()), coprod.Keyring{"k1": k1.Secret, "k2": k2.Secret}); !errors.Is(err, ledger.ErrCorruptJournal) {
		t.Fatalf("line forged under a guessed secret verifies: %v", err)
	}
	// whole journal rewritten unkeyed: refused with keys
	var plain bytes.Buffer
	lp := ledger.New(ledger.Options{Journal: &plain})
	bkMust(t, open(lp, "a"))
	if _, err := ledger.Verify(bytes.NewReader(plain.Bytes()), coprod.Keyring{"k1": k1.Secret}); !errors.Is(err, ledger.ErrCorruptJournal) {
		t.Fatalf("unkeyed journal verifies under keys: %v", err)
	}
	// mixed: an unkeyed journal continued under a key verifies under keys only if every line is signed
	lm, err := ledger.Replay(bytes.NewReader(plain.Bytes()), ledger.Options{Journal: &plain, Key: k1})
	bkMust(t, err)
	bkMust(t, open(lm, "b"))
	if _, err := ledger.Verify(bytes.NewReader(plain.Bytes()), coprod.Keyring{"k1": k1.Secret}); !errors.Is(err, ledger.ErrCorruptJournal) {
		t.Fatalf("mixed journal verifies under keys: %v", err)
	}
	if _, err := ledger.Verify(bytes.NewReader(plain.Bytes()), nil); err != nil && !errors.Is(err, ledger.ErrCorruptJournal) {
		t.Fatalf("mixed journal without keys: untyped %v", err)
	}
}

// A key with an ID outside its documented alphabet, or an empty secret
// (which anyone can reproduce), must not produce a journal that passes as
// keyed: records are refused with a typed error, never a panic, or the
// ledger refuses to write under it.
func TestBreakit_Ledger_BadKeys(t *testing.T) {
	cases := []struct {
		name string
		key  coprod.JournalKey
	}{
		{"id with space and quote", coprod.JournalKey{ID: "a b\"\n", Secret: []byte("x")}},
		{"empty id", coprod.JournalKey{ID: "", Secret: []byte("x")}},
		{"id too long", coprod.JournalKey{ID: strings.Repeat("a", 65), Secret: []byte("x")}},
		{"id invalid utf8", coprod.JournalKey{ID: "\xff", Secret: []byte("x")}},
		{"empty secret", coprod.JournalKey{ID: "k", Secret: nil}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic: %v", r)
					}
				}()
				l := ledger.New(ledger.Options{Journal: &buf, Key: &c.key})
				err = l.Open(ledger.Account{ID: bkID("a"), Owner: bkID("p"), Kind: ledger.Cash, Unit: coprod.GBP})
			}()
			if err == nil {
				_, verr := ledger.Verify(bytes.NewReader(buf.Bytes()), coprod.Keyring{c.key.ID: c.key.Secret})
				t.Errorf("record written under an invalid key %q/%q accepted (reading it back with its keyring: %v)", c.key.ID, c.key.Secret, verr)
			} else if coprod.CodeOf(err) == "" {
				t.Errorf("untyped error: %v", err)
			}
		})
	}
}

// ---------------------------------------------------------------- 5. as known at

func TestBreakit_Ledger_PermissionAskedAgainAsOf(t *testing.T) {
	w := bkRegister(t)
	l := ledger.New(ledger.Options{Authorizer: w.reg})
	bkOpenAll(t, l, w)
	tx := bkPay(bkID("paid"), ledger.Grant, w.council, w.temple, "100", w.officer, w.deleg, "commission/x", bkT0)
	_, err := l.Post(tx)
	bkMust(t, err)
	// A revocation dated before the payment, recorded after it.
	bkMust(t, w.reg.Revoke(governance.Revocation{Link: w.deleg, By: w.council, At: bkT0.Add(-time.Hour), Reason: "x", Recorded: bkT0.Add(time.Hour)}))
	p, err := l.Permission(tx.ID)
	bkMust(t, err)
	if _, err := w.reg.Permit(p); err == nil {
		t.Error("live register still permits after back-dated revocation")
	}
	if _, err := w.reg.AsOf(tx.Recorded).Permit(p); err != nil {
		t.Errorf("as known when paid, the payment was authorised; AsOf says %v", err)
	}
	// The ledger refuses a new payment dated before the revocation now.
	tx2 := bkPay(bkID("paid2"), ledger.Grant, w.council, w.temple, "1", w.officer, w.deleg, "commission/x", bkT0.Add(2*time.Hour))
	tx2.Effective = bkT0.Add(-2 * time.Hour)
	if _, err := l.Post(tx2); !errors.Is(err, ledger.ErrNotAuthorized) {
		t.Errorf("back-dated payment after revocation: %v", err)
	}
	// Permission of a payment made through acting-for names the acting.
	if _, err := l.Permission(bkID("nope")); !errors.Is(err, ledger.ErrUnknownTransaction) {
		t.Errorf("unknown permission: %v", err)
	}
}

// ---------------------------------------------------------------- 6. bounded inputs

func TestBreakit_Ledger_HostileRecords(t *testing.T) {
	w := bkRegister(t)
	var buf bytes.Buffer
	l := ledger.New(ledger.Options{Authorizer: w.reg, Journal: &buf})
	bkOpenAll(t, l, w)
	year := func(y int) time.Time { return time.Date(y, 5, 1, 0, 0, 0, 0, time.UTC) }
	base := func() ledger.Transaction {
		return bkPay(bkID("hostile"), ledger.Grant, w.council, w.temple, "1", w.officer, w.deleg, "commission/x", bkT0)
	}
	cases := []struct {
		name string
		mut  func(*ledger.Transaction)
	}{
		{"recorded year 10000", func(tx *ledger.Transaction) { tx.Recorded = year(10000); tx.Effective = year(10000) }},
		{"effective year 10000", func(tx *ledger.Transaction) { tx.Effective = year(10000) }},
		{"effective year 0", func(tx *ledger.Transaction) { tx.Effective = year(0) }},
		{"effective year -5", func(tx *ledger.Transaction) { tx.Effective = year(-5) }},
		{"approval year 0", func(tx *ledger.Transaction) {
			tx.Formality.Approvers = []ledger.Approval{{Party: w.other, At: year(0)}}
		}},
		{"approval after recorded", func(tx *ledger.Transaction) {
			tx.Formality.Approvers = []ledger.Approval{{Party: w.other, At: bkT0.Add(time.Second)}}
		}},
		{"approval nil party", func(tx *ledger.Transaction) {
			tx.Formality.Approvers = []ledger.Approval{{At: bkT0}}
		}},
		{"approver twice", func(tx *ledger.Transaction) {
			tx.Formality.Approvers = []ledger.Approval{{Party: w.other, At: bkT0}, {Party: w.other, At: bkT0}}
		}},
		{"approval ref invalid utf8", func(tx *ledger.Transaction) {
			tx.Formality.Approvers = []ledger.Approval{{Party: w.other, At: bkT0, Ref: "\xff\xfe"}}
		}},
		{"memo invalid utf8", func(tx *ledger.Transaction) { tx.Memo = "\xff" }},
		{"memo huge", func(tx *ledger.Transaction) { tx.Memo = strings.Repeat("x", 1<<20) }},
		{"metadata key invalid utf8", func(tx *ledger.Transaction) { tx.Metadata = map[string]string{"\xff": "v"} }},
		{"too many metadata", func(tx *ledger.Transaction) {
			tx.Metadata = map[string]string{}
			for i := range ledger.MaxMetadata + 1 {
				tx.Metadata[fmt.Sprint(i)] = "v"
			}
		}},
		{"too many postings", func(tx *ledger.Transaction) {
			for range ledger.MaxPostings {
				tx.Postings = append(tx.Postings, ledger.Posting{Account: bkCash(w.council), Amount: bkGBP("-1")}, ledger.Posting{Account: bkCash(w.temple), Amount: bkGBP("1")})
			}
		}},
		{"zero amount posting", func(tx *ledger.Transaction) {
			tx.Postings = append(tx.Postings, ledger.Posting{Account: bkCash(w.temple), Amount: coprod.Zero(coprod.GBP)})
		}},
		{"unset amount posting", func(tx *ledger.Transaction) {
			tx.Postings = append(tx.Postings, ledger.Posting{Account: bkCash(w.temple)})
		}},
		{"carries a proof", func(tx *ledger.Transaction) { tx.Proof = &coprod.Proof{} }},
		{"reverses set by caller", func(tx *ledger.Transaction) { tx.Reverses = bkID("x") }},
		{"kind reversal via Post", func(tx *ledger.Transaction) { tx.Kind = ledger.Reversal }},
		{"bad scope", func(tx *ledger.Transaction) { tx.Formality.Scope = "Commission/X" }},
		{"labour on grant", func(tx *ledger.Transaction) {
			tx.Labour = &ledger.Labour{Hours: coprod.MustParseAmount("1", coprod.Hours), Method: ledger.ReplacementCost, Rate: bkGBP("1")}
		}},
		{"huge amounts overflow sum", func(tx *ledger.Transaction) {
			big := coprod.MustParseAmount(strings.Repeat("9", 30), coprod.GBP)
			tx.Postings = []ledger.Posting{{Account: bkCash(w.council), Amount: big.Neg()}, {Account: bkCash(w.council), Amount: big.Neg()},
				{Account: bkCash(w.temple), Amount: big}, {Account: bkCash(w.temple), Amount: big}}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx := base()
			tx.ID = bkID("hostile:" + c.name)
			c.mut(&tx)
			before := buf.Len()
			var err error
			within(t, c.name, func() {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("panic: %v", r)
					}
				}()
				_, err = l.Post(tx)
			})
			if err == nil {
				t.Fatalf("accepted")
			}
			if strings.HasPrefix(err.Error(), "panic") {
				t.Fatal(err)
			}
			var re *ledger.RecordError
			if !errors.As(err, &re) || coprod.CodeOf(err) == "" {
				t.Fatalf("untyped refusal: %v", err)
			}
			if errors.Is(err, ledger.ErrJournal) || l.Err() != nil {
				t.Fatalf("a hostile record stopped the ledger: %v / %v", err, l.Err())
			}
			if buf.Len() != before {
				t.Fatalf("refused record journaled")
			}
			if _, ok := l.Transaction(tx.ID); ok {
				t.Fatalf("refused record applied")
			}
		})
	}
	// Hostile holds, closings, reversals and times of other kinds.
	t.Run("hold expiring year 10000", func(t *testing.T) {
		_, err := l.PlaceHold(ledger.Hold{ID: bkID("h10000"), Kind: ledger.Grant, From: bkCash(w.council), To: bkCash(w.temple), Amount: bkGBP("1"),
			Expires: year(10000), Formality: ledger.Formality{Instrument: w.deleg, Scope: "commission/x", DecidedBy: w.officer}, Recorded: bkT0})
		if err == nil || l.Err() != nil {
			t.Fatalf("hold year 10000: %v, ledger err %v", err, l.Err())
		}
	})
	t.Run("closing year 10000", func(t *testing.T) {
		_, err := l.ClosePeriod(ledger.Closing{Through: year(10000), Recorded: year(10000), By: w.council})
		if err == nil || l.Err() != nil {
			t.Fatalf("closing year 10000: %v, ledger err %v", err, l.Err())
		}
	})
	t.Run("void at year 10000", func(t *testing.T) {
		_, err := l.PlaceHold(ledger.Hold{ID: bkID("hv"), Kind: ledger.Grant, From: bkCash(w.council), To: bkCash(w.temple), Amount: bkGBP("1"),
			Formality: ledger.Formality{Instrument: w.deleg, Scope: "commission/x", DecidedBy: w.officer}, Recorded: bkT0})
		bkMust(t, err)
		err = l.Void(ledger.VoidRequest{Hold: bkID("hv"), By: w.officer, At: year(10000)})
		if err == nil || l.Err() != nil {
			t.Fatalf("void year 10000: %v, ledger err %v", err, l.Err())
		}
	})
	t.Run("expire at year 10000", func(t *testing.T) {
		_, err := l.PlaceHold(ledger.Hold{ID: bkID("he"), Kind: ledger.Grant, From: bkCash(w.council), To: bkCash(w.temple), Amount: bkGBP("1"),
			Expires: bkT0.Add(time.Hour), Formality: ledger.Formality{Instrument: w.deleg, Scope: "commission/x", DecidedBy: w.officer}, Recorded: bkT0})
		bkMust(t, err)
		err = l.Expire(bkID("he"), year(10000))
		if err == nil || l.Err() != nil {
			t.Fatalf("expire year 10000: %v, ledger err %v", err, l.Err())
		}
	})
	if _, err := ledger.Verify(bytes.NewReader(buf.Bytes()), nil); err != nil {
		t.Fatalf("journal after hostile inputs: %v", err)
	}
}

func TestBreakit_Ledger_HostileJSON(t *testing.T) {
	deep := strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000)
	inputs := map[string]string{
		"deep":          deep,
		"deep object":   `{"memo":` + deep + `}`,
		"null":          `null`,
		"unknown field": `{"id":"` + bkID("x").String() + `","bogus":1}`,
		"nan amount":    `{"postings":[{"account":"` + bkID("x").String() + `","amount":{"value":"NaN","unit":"GBP"}}]}`,
		"inf amount":    `{"postings":[{"account":"` + bkID("x").String() + `","amount":{"value":"-Infinity","unit":"GBP"}}]}`,
		"huge exponent": `{"postings":[{"account":"` + bkID("x").String() + `","amount":{"value":"1e999999999","unit":"GBP"}}]}`,
		"number amount": `{"postings":[{"account":"` + bkID("x").String() + `","amount":{"value":1,"unit":"GBP"}}]}`,
		"year 10000":    `{"effective":"10000-01-01T00:00:00Z"}`,
		"bad utf8":      "{\"memo\":\"\xff\"}",
		"huge string":   `{"memo":"` + strings.Repeat("a", 10<<20) + `"}`,
		"dup keys":      `{"memo":"a","memo":"b"}`,
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			within(t, name, func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("panic: %v", r)
					}
				}()
				var tx ledger.Transaction
				if err := json.Unmarshal([]byte(in), &tx); err == nil {
					t.Errorf("transaction decoded from %.40q", in)
				}
				var h ledger.Hold
				if err := json.Unmarshal([]byte(in), &h); err == nil {
					t.Errorf("hold decoded from %.40q", in)
				}
				var a ledger.Account
				if err := json.Unmarshal([]byte(in), &a); err == nil {
					t.Errorf("account decoded from %.40q", in)
				}
			})
		})
	}
}

func TestBreakit_Ledger_HostileArgs(t *testing.T) {
	w := bkRegister(t)
	l := ledger.New(ledger.Options{})
	bkOpenAll(t, l, w)
	// Allocate
	for _, c := range []struct {
		name string
		w    []int64
		mode ledger.Mode
	}{
		{"nil", nil, ledger.LargestRemainder},
		{"negative", []int64{-1, 2}, ledger.LargestRemainder},
		{"zeros", []int64{0, 0}, ledger.LargestRemainder},
		{"max int64 sum overflow", []int64{1<<63 - 1, 1<<63 - 1}, ledger.LargestRemainder},
		{"too many", make([]int64, ledger.MaxAllocationParts+1), ledger.LargestRemainder},
		{"bad mode", []int64{1}, ledger.Mode(99)},
		{"negative mode", []int64{1}, ledger.Mode(-1)},
	} {
		t.Run("Allocate "+c.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			a, err := ledger.Allocate(bkGBP("100"), c.w, c.mode)
			if err != nil {
				if !errors.Is(err, ledger.ErrAllocation) {
					t.Fatalf("untyped: %v", err)
				}
				return
			}
			sum := coprod.Zero(coprod.GBP)
			for _, p := range a.Parts {
				sum, _ = sum.Add(p)
			}
			sum, _ = sum.Add(a.Remainder)
			if !sum.Equal(bkGBP("100")) {
				t.Fatalf("allocation loses money: %v", sum)
			}
		})
	}
	t.Run("Allocate zero amount", func(t *testing.T) {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("panic: %v", r)
			}
		}()
		if _, err := ledger.Allocate(coprod.Amount{}, []int64{1}, ledger.ToFirst); err == nil {
			t.Fatal("unset amount allocated")
		}
	})
	t.Run("Ratio places", func(t *testing.T) {
		s := ledger.Share{Part: bkGBP("1"), Whole: bkGBP("3")}
		for _, p := range []int32{-1, -1 << 31, ledger.MaxRatioPlaces + 1, 1<<31 - 1} {
			if _, ok := s.Ratio(p); ok {
				t.Errorf("Ratio(%d) ok", p)
			}
		}
		if _, ok := (ledger.Share{Part: bkGBP("1"), Whole: coprod.Amount{}}).Ratio(2); ok {
			t.Error("ratio of unset whole")
		}
	})
	t.Run("Metrics nil classifier and bad window", func(t *testing.T) {
		if _, err := l.Metrics(coprod.Window{}, nil); !errors.Is(err, ledger.ErrInvalidArgument) {
			t.Errorf("nil classifier: %v", err)
		}
		if _, err := l.Metrics(coprod.Window{NotBefore: bkT0, Expires: bkT0.Add(-1)}, w.reg.Sector); err == nil {
			t.Error("inverted window accepted")
		}
		if _, err := l.Flows(coprod.Window{NotBefore: bkT0, Expires: bkT0.Add(-1)}); err == nil {
			t.Error("inverted window accepted by Flows")
		}
	})
	t.Run("Labour hostile", func(t *testing.T) {
		for name, lab := range map[string]ledger.Labour{
			"rate in hours":   {Hours: coprod.MustParseAmount("1", coprod.Hours), Method: ledger.ReplacementCost, Rate: coprod.MustParseAmount("1", coprod.Hours)},
			"low above high":  {Hours: coprod.MustParseAmount("1", coprod.Hours), Method: ledger.ReplacementCost, Rate: bkGBP("5"), Low: bkGBP("9"), High: bkGBP("1")},
			"negative hours":  {Hours: coprod.MustParseAmount("-1", coprod.Hours), Method: ledger.ReplacementCost, Rate: bkGBP("5")},
			"negative rate":   {Hours: coprod.MustParseAmount("1", coprod.Hours), Method: ledger.ReplacementCost, Rate: bkGBP("-5")},
			"credits frac":    {Hours: coprod.MustParseAmount("1.5", coprod.Hours), Method: ledger.TimeCreditMethod},
			"unknown method":  {Hours: coprod.MustParseAmount("1", coprod.Hours), Method: "x", Rate: bkGBP("5")},
			"overflow value":  {Hours: coprod.MustParseAmount(strings.Repeat("9", 28), coprod.Hours), Method: ledger.ReplacementCost, Rate: bkGBP(strings.Repeat("9", 28))},
			"unset hours":     {Method: ledger.ReplacementCost, Rate: bkGBP("5")},
			"credits w/ rate": {Hours: coprod.MustParseAmount("1", coprod.Hours), Method: ledger.TimeCreditMethod, Rate: bkGBP("5")},
		} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s: panic: %v", name, r)
					}
				}()
				if _, err := lab.Value(); !errors.Is(err, ledger.ErrInvalidLabour) {
					t.Errorf("%s: %v", name, err)
				}
			}()
		}
	})
}

// ---------------------------------------------------------------- 7. fidelity

func TestBreakit_Ledger_WhoseMoney(t *testing.T) {
	w := bkRegister(t)
	l := ledger.New(ledger.Options{Authorizer: w.reg, MaxSkew: -1})
	bkOpenAll(t, l, w)
	june := time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)
	july := time.Date(2025, 7, 10, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		tx    ledger.Transaction
		allow bool
	}{
		{"officer spends temple's money while acting", bkPay(bkID("w1"), ledger.Payment, w.temple, w.cg, "10", w.officer, w.deleg, "commission/x", june), true},
		{"officer spends hub's money (acts not for it)", bkPay(bkID("w2"), ledger.Payment, w.hub, w.cg, "10", w.officer, w.deleg, "commission/x", june), false},
		{"other officer spends temple's money", bkPay(bkID("w3"), ledger.Payment, w.temple, w.cg, "10", w.other, bkID("deleg-other"), "commission/x", june), false},
		{"discretionary: officer spends temple's money while acting", bkPay(bkID("w4"), ledger.Payment, w.temple, w.cg, "10", w.officer, uuid.Nil, "", june), true},
		{"discretionary: officer spends council money", bkPay(bkID("w5"), ledger.Payment, w.council, w.cg, "10", w.officer, uuid.Nil, "", june), false},
		{"after acting ended: officer spends temple's money", bkPay(bkID("w6"), ledger.Payment, w.temple, w.cg, "10", w.officer, w.deleg, "commission/x", july), false},
		{"after acting ended, back-dated effective", func() ledger.Transaction {
			tx := bkPay(bkID("w7"), ledger.Payment, w.temple, w.cg, "10", w.officer, w.deleg, "commission/x", july.Add(time.Hour))
			tx.Effective = june
			return tx
		}(), false},
		{"officer pays temple's money to himself", bkPay(bkID("w8"), ledger.Payment, w.temple, w.officer, "10", w.officer, w.deleg, "commission/x", july.Add(2*time.Hour)), false},
		{"delegate awards above reservation", bkPay(bkID("w9"), ledger.Contract, w.council, w.large, "60000", w.officer, w.deleg, "commission/contracts/award", july.Add(3*time.Hour)), false},
		{"delegate awards above reservation under wider scope", bkPay(bkID("w10"), ledger.Contract, w.council, w.large, "60000", w.officer, w.deleg, "commission/contracts", july.Add(4*time.Hour)), false},
		{"delegate awards above reservation under root scope", bkPay(bkID("w11"), ledger.Contract, w.council, w.large, "60000", w.officer, w.deleg, "commission", july.Add(5*time.Hour)), false},
		{"holder awards above reservation", bkPay(bkID("w12"), ledger.Contract, w.council, w.large, "60000", w.council, w.mandate, "commission/contracts/award", july.Add(6*time.Hour)), true},
		{"delegate names the mandate as instrument", bkPay(bkID("w13"), ledger.Contract, w.council, w.large, "60000", w.officer, w.mandate, "commission/contracts/award", july.Add(7*time.Hour)), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := l.Post(c.tx)
			if c.allow && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !c.allow && err == nil {
				t.Fatalf("allowed: money moved that was never granted")
			}
			if !c.allow && !errors.Is(err, ledger.ErrNotAuthorized) {
				t.Fatalf("refused for another reason: %v", err)
			}
		})
	}
	// A hold placed by the delegate in the reserved scope above the threshold,
	// or captures by someone not entitled.
	_, err := l.PlaceHold(ledger.Hold{ID: bkID("big-hold"), Kind: ledger.Contract, From: bkCash(w.council), To: bkCash(w.large), Amount: bkGBP("60000"),
		Formality: ledger.Formality{Instrument: w.deleg, Scope: "commission/contracts/award", DecidedBy: w.officer}, Recorded: july.Add(8 * time.Hour)})
	if !errors.Is(err, ledger.ErrNotAuthorized) {
		t.Errorf("delegate's hold above the reservation: %v", err)
	}
	_, err = l.PlaceHold(ledger.Hold{ID: bkID("board-hold"), Kind: ledger.Contract, From: bkCash(w.council), To: bkCash(w.large), Amount: bkGBP("60000"),
		Formality: ledger.Formality{Instrument: w.mandate, Scope: "commission/contracts/award", DecidedBy: w.council}, Recorded: july.Add(9 * time.Hour)})
	bkMust(t, err)
	_, err = l.Capture(ledger.CaptureRequest{Hold: bkID("board-hold"), ID: bkID("cap-by-officer"), Amount: bkGBP("60000"),
		Effective: july.Add(10 * time.Hour), Recorded: july.Add(10 * time.Hour), By: w.officer})
	if !errors.Is(err, ledger.ErrNotAuthorized) {
		t.Errorf("delegate below captures the board's hold: %v", err)
	}
	// Split awards show up.
	for i := range 2 {
		_, err := l.PlaceHold(ledger.Hold{ID: bkID(fmt.Sprint("split", i)), Kind: ledger.Contract, From: bkCash(w.council), To: bkCash(w.large), Amount: bkGBP("30000"),
			Formality: ledger.Formality{Instrument: w.deleg, Scope: "commission/contracts/award", DecidedBy: w.officer}, Recorded: july.Add(time.Duration(11+i) * time.Hour)})
		bkMust(t, err)
	}
	rep := w.reg.CheckAwards(july.Add(24*time.Hour), coprod.Window{}, l.Awards())
	if !rep.Has(governance.CodeSplitBelowReservation) {
		t.Errorf("split awards not found: %v", rep)
	}
}

func TestBreakit_Ledger_MetricsBySource(t *testing.T) {
	w := bkRegister(t)
	l := ledger.New(ledger.Options{})
	bkOpenAll(t, l, w)
	post := func(n string, from, to uuid.UUID, amount string, by uuid.UUID, kind ledger.Kind) {
		t.Helper()
		tx := bkPay(bkID(n), kind, from, to, amount, by, uuid.Nil, "commission/x", bkT0)
		_, err := l.Post(tx)
		bkMust(t, err)
	}
	post("m1", w.council, w.temple, "100", w.officer, ledger.Grant)     // statutory → grassroots
	post("m2", w.foundation, w.hub, "1000", w.foundation, ledger.Grant) // independent → hub
	post("m3", w.hub, w.cg, "50", w.hub, ledger.Grant)                  // community → grassroots, passed on
	post("m4", w.council, w.large, "200", w.officer, ledger.Contract)   // statutory → large provider
	post("m5", w.large, w.temple, "20", w.large, ledger.Payment)        // large → grassroots
	bkMust(t, l.Open(ledger.Account{ID: bkCash(bkID("stranger")), Owner: bkID("stranger"), Kind: ledger.Cash, Unit: coprod.GBP}))
	post("m6", bkID("stranger"), w.temple, "5", bkID("stranger"), ledger.Payment) // unknown party → other
	post("m7", w.council, w.council, "999", w.officer, ledger.Payment)            // own accounts: moves nothing
	// reversed in a later period: both out of metrics, whatever the window
	tx := bkPay(bkID("m8"), ledger.Grant, w.council, w.cg, "400", w.officer, uuid.Nil, "commission/x", bkT0)
	_, err := l.Post(tx)
	bkMust(t, err)
	_, err = l.Reverse(ledger.ReversalRequest{ID: bkID("m8r"), Of: tx.ID, By: w.officer, Effective: bkT0.AddDate(0, 2, 0), Recorded: bkT0.AddDate(0, 2, 0)})
	bkMust(t, err)
	may := coprod.Window{NotBefore: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	for name, win := range map[string]coprod.Window{"all": {}, "may": may} {
		t.Run(name, func(t *testing.T) {
			m, err := l.Metrics(win, w.reg.Sector)
			bkMust(t, err)
			eq := func(what string, got coprod.Amount, want string) {
				t.Helper()
				if !got.Equal(bkGBP(want)) {
					t.Errorf("%s = %v, want %s", what, got, want)
				}
			}
			eq("Moved", m.Moved, "1375")
			eq("Statutory", m.BySource.Statutory, "300")
			eq("Independent", m.BySource.Independent, "1000")
			eq("Community", m.BySource.Community, "70")
			eq("Other", m.BySource.Other, "5")
			eq("PaidOut", m.PaidOut, "1305")
			eq("ToCommunity", m.ToCommunity.Part, "1305")
			eq("ToGrassroots", m.ToGrassroots.Part, "105")
			eq("Coverage.Independent", m.Coverage.Independent, "1000")
			eq("Coverage.Paid", m.Coverage.Paid, "305")
			if m.StatutoryKeyPerson.Party != w.officer {
				t.Errorf("statutory key person %v", m.StatutoryKeyPerson.Party)
			}
		})
	}
	// A classifier answering an undefined sector must not count it on any side.
	m, err := l.Metrics(coprod.Window{}, func(coprod.PartyID) coprod.Sector { return "bogus" })
	if err == nil && !m.ToCommunity.Part.IsZero() {
		t.Errorf("undefined sector counted as community: %v", m.ToCommunity)
	}
}

// An approver who acts for an organisation does not make its money
// spendable by a decider who does not; an acting-for end back-dated and
// recorded later leaves the earlier payment authorised as known then.
func TestBreakit_Ledger_ApproverActingForPayerGrantsNothing(t *testing.T) {
	w := bkRegister(t)
	l := ledger.New(ledger.Options{Authorizer: w.reg})
	bkOpenAll(t, l, w)
	june := time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)
	tx := bkPay(bkID("ap1"), ledger.Payment, w.temple, w.cg, "10", w.other, bkID("deleg-other"), "commission/x", june)
	tx.Formality.Approvers = []ledger.Approval{{Party: w.officer, At: june, Ref: "min 1"}}
	if _, err := l.Post(tx); !errors.Is(err, ledger.ErrNotAuthorized) {
		t.Fatalf("temple's money spent by a decider whose approver acts for it: %v", err)
	}
	paid := bkPay(bkID("ap2"), ledger.Payment, w.temple, w.cg, "10", w.officer, w.deleg, "commission/x", june)
	_, err := l.Post(paid)
	bkMust(t, err)
	got, _ := l.Transaction(paid.ID)
	if got.Proof == nil || len(got.Proof.Acting) != 1 || got.Proof.Acting[0].ID != bkID("acting") {
		t.Fatalf("proof does not name the acting-for record: %+v", got.Proof)
	}
	bkMust(t, w.reg.EndActing(governance.ActingEnd{ActingFor: bkID("acting"), At: june.Add(-24 * time.Hour), Reason: "left", Recorded: june.Add(time.Hour)}))
	p, err := l.Permission(paid.ID)
	bkMust(t, err)
	if _, err := w.reg.Permit(p); err == nil {
		t.Error("live register still permits after back-dated end")
	}
	if _, err := w.reg.AsOf(paid.Recorded).Permit(p); err != nil {
		t.Errorf("as known when paid: %v", err)
	}
}
