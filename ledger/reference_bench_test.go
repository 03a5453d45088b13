package ledger_test

import (
	"errors"
	"io"
	"runtime"
	"sync"
	"testing"

	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// toyLedger is a reference, not a ledger: the "toy shopspring ledger" of
// the national-scale issue, written from the one-paragraph
// description and never tuned. A mutex, a set of the transaction IDs
// seen, a map of balances, and a Post that refuses a seen ID, checks that
// the postings sum to zero and adds each posting to its account's balance
// with shopspring decimal's Add.
//
// It does far fewer checks than ledger.Post, and BenchmarkPostReference
// compares the two knowing that: no accounts (any ID is an account, of
// no unit, kind or owner), no units (amounts of different currencies
// would be summed together), no check of scale or magnitude, no kinds,
// formality, times, periods, skew or memorandum books, an ID retried with
// other content is refused rather than compared, nothing to read the
// transactions back by account, and no journal or authority. It is the
// floor a Go map, a mutex and decimal arithmetic set for a post, not a
// competitor. Do not tune it: its value as a reference is that nobody
// did.
type toyLedger struct {
	mu       sync.Mutex
	seen     map[uuid.UUID]struct{}
	balances map[uuid.UUID]decimal.Decimal
	txs      []toyTransaction
}

type toyPosting struct {
	Account uuid.UUID
	Amount  decimal.Decimal
}

type toyTransaction struct {
	ID       uuid.UUID
	Postings []toyPosting
}

var (
	errToySeen       = errors.New("toy: transaction ID already posted")
	errToyUnbalanced = errors.New("toy: postings do not sum to zero")
)

func newToyLedger() *toyLedger {
	return &toyLedger{seen: map[uuid.UUID]struct{}{}, balances: map[uuid.UUID]decimal.Decimal{}}
}

// Post records a transaction once: a seen ID is refused, and so are
// postings that do not sum to zero.
func (t *toyLedger) Post(id uuid.UUID, postings []toyPosting) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.seen[id]; ok {
		return errToySeen
	}
	sum := decimal.Zero
	for _, p := range postings {
		sum = sum.Add(p.Amount)
	}
	if !sum.IsZero() {
		return errToyUnbalanced
	}
	for _, p := range postings {
		t.balances[p.Account] = t.balances[p.Account].Add(p.Amount)
	}
	t.seen[id] = struct{}{}
	t.txs = append(t.txs, toyTransaction{ID: id, Postings: append([]toyPosting(nil), postings...)})
	return nil
}

// BenchmarkPostReference runs the toy reference ledger and ledger.Post in
// one process, on the same two postings (the same accounts and amounts as
// BenchmarkPost's postings=2) and the same IDs, generated before the
// timer starts:
//
//   - toy: toyLedger.Post, the reference above;
//   - ledger: ledger.Post with every check that runs without an
//     authorizer (BenchmarkPost's postings=2/none);
//   - ledger+journal: the same with an unkeyed journal to io.Discard;
//   - ledger+register: the governance register as the Authorizer, with a
//     cumulative limit on the path (BenchmarkPost's postings=2/register).
//
// As in BenchmarkPost, each is replaced, with the timer stopped, every
// refBatch posts, so a figure is for a ledger of fewer than refBatch
// transactions whatever b.N the run picks.
func BenchmarkPostReference(b *testing.B) {
	const refBatch = 100_000
	ps := postings(2)
	toyPs := make([]toyPosting, len(ps))
	for i, p := range ps {
		toyPs[i] = toyPosting{Account: p.Account, Amount: p.Amount.Decimal()}
	}
	tx := ledger.Transaction{Kind: ledger.Payment, Postings: ps, Effective: day(2025, 5, 1), Recorded: day(2025, 5, 1),
		Formality: ledger.Formality{Instrument: id("d"), Scope: "commission/mental-health", DecidedBy: officer}}
	ids := make([]uuid.UUID, refBatch)
	for i := range ids {
		ids[i] = uuid.New()
	}

	// run times post over b.N IDs, calling reset, with the timer stopped,
	// before the first and after every refBatch posts.
	run := func(b *testing.B, reset func(), post func(uuid.UUID) error) {
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if i%refBatch == 0 {
				b.StopTimer()
				reset()
				runtime.GC()
				b.StartTimer()
			}
			if err := post(ids[i%refBatch]); err != nil {
				b.Fatal(err)
			}
		}
	}

	b.Run("toy", func(b *testing.B) {
		var t *toyLedger
		run(b, func() { t = newToyLedger() }, func(id uuid.UUID) error {
			return t.Post(id, toyPs)
		})
	})
	for _, mode := range []string{"ledger", "ledger+journal", "ledger+register"} {
		b.Run(mode, func(b *testing.B) {
			opts := ledger.Options{}
			switch mode {
			case "ledger+journal":
				opts.Journal = io.Discard
			case "ledger+register":
				opts.Authorizer = benchRegister(b)
			}
			var l *ledger.Ledger
			run(b, func() { l = newLedger(b, opts) }, func(id uuid.UUID) error {
				tx.ID = id
				_, err := l.Post(tx)
				return err
			})
		})
	}
}
