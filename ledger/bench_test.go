package ledger_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// postings builds n balanced postings between the test accounts.
func postings(n int) []ledger.Posting {
	targets := []string{"hub-cash", "temple-cash", "temple-costs"}
	ps := []ledger.Posting{{Account: id("council-budget"), Amount: gbp(fmt.Sprint(n - 1)).Neg()}}
	for i := 1; i < n; i++ {
		ps = append(ps, ledger.Posting{Account: id(targets[(i-1)%len(targets)]), Amount: gbp("1")})
	}
	return ps
}

// BenchmarkPost posts transactions into a ledger that is replaced, with
// the timer stopped, every postBatch posts: every figure is for a ledger
// holding fewer than postBatch transactions, whatever b.N the run picks.
// (Without the reset the ledger, and the work of the garbage collector
// over it, grows with b.N.)
//
// The authorizer=register rows post through the governance register as
// the ledger's Authorizer, with a cumulative limit on the path, so each
// post asks the register, keeps the proof and checks the cap as it
// commits.
func BenchmarkPost(b *testing.B) {
	const postBatch = 100_000
	for _, n := range []int{2, 4} {
		for _, mode := range []string{"none", "journal", "register", "register+journal"} {
			if n == 4 && strings.HasPrefix(mode, "register") {
				continue
			}
			b.Run(fmt.Sprintf("postings=%d/%s", n, mode), func(b *testing.B) {
				opts := ledger.Options{}
				if strings.HasSuffix(mode, "journal") {
					opts.Journal = io.Discard
				}
				if strings.HasPrefix(mode, "register") {
					opts.Authorizer = benchRegister(b)
				}
				tx := ledger.Transaction{Kind: ledger.Payment, Postings: postings(n), Effective: day(2025, 5, 1), Recorded: day(2025, 5, 1),
					Formality: ledger.Formality{Instrument: id("d"), Scope: "commission/mental-health", DecidedBy: officer}}
				ids := make([]uuid.UUID, postBatch)
				for i := range ids {
					ids[i] = uuid.New()
				}
				var l *ledger.Ledger
				b.ReportAllocs()
				b.ResetTimer()
				for i := range b.N {
					if i%postBatch == 0 {
						b.StopTimer()
						l = newLedger(b, opts)
						runtime.GC()
						b.StartTimer()
					}
					tx.ID = ids[i%postBatch]
					if _, err := l.Post(tx); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// benchRegister is the council's mandate delegated to the officer for
// mental health, with a monthly cumulative limit no benchmark reaches.
func benchRegister(b testing.TB) *governance.Register {
	r := governance.NewRegister()
	for _, p := range []coprod.Party{
		{ID: council, Name: "Council", Sector: coprod.Statutory},
		{ID: officer, Name: "Officer", Sector: coprod.Individual},
		{ID: hub, Name: "Hub", Sector: coprod.Hub},
		{ID: temple, Name: "Temple", Sector: coprod.Community},
	} {
		if err := r.AddParty(p); err != nil {
			b.Fatal(err)
		}
	}
	if err := r.AddMandate(governance.Mandate{ID: id("mandate"), Holder: council, Scope: "commission", MaxDepth: 2}); err != nil {
		b.Fatal(err)
	}
	if err := r.Delegate(governance.Delegation{ID: id("d"), Parent: id("mandate"), From: council, To: officer,
		Scope: "commission/mental-health", TransactionLimit: gbp("100000"), CumulativeLimit: gbp("1000000000000"),
		Period: governance.PeriodMonth}); err != nil {
		b.Fatal(err)
	}
	return r
}

func BenchmarkAllocate(b *testing.B) {
	for _, n := range []int{3, 12, 1000} {
		weights := make([]int64, n)
		for i := range weights {
			weights[i] = int64(1 + i%7)
		}
		total := gbp("100000.00")
		b.Run(fmt.Sprintf("parts=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ledger.Allocate(total, weights, ledger.LargestRemainder); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReplay replays a journal of 10,000 two-posting transactions;
// it reports transactions per second.
func BenchmarkReplay(b *testing.B) {
	var j bytes.Buffer
	l := newLedger(b, ledger.Options{Journal: &j})
	const n = 10_000
	for i := range n {
		tx := pay(fmt.Sprint("r", i), "council-budget", "hub-cash", "12.34", ledger.Payment, officer, id("d"), day(2025, 5, 1))
		if _, err := l.Post(tx); err != nil {
			b.Fatal(err)
		}
	}
	journal := j.Bytes()
	b.SetBytes(int64(len(journal)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ledger.Replay(bytes.NewReader(journal), ledger.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}

// BenchmarkMetrics computes the metrics over ledgers of 10,000 and 100,000
// transactions spread over four service scopes, with labour and costs:
// the time per transaction (ns/tx) should stay flat as the ledger grows.
func BenchmarkMetrics(b *testing.B) {
	scopes := []coprod.Scope{"commission/mental-health/iapt", "commission/mental-health/family-therapy", "commission/housing", "readiness"}
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("transactions=%d", n), func(b *testing.B) {
			l := newLedger(b, ledger.Options{})
			for i := range n {
				var tx ledger.Transaction
				switch i % 4 {
				case 0, 1:
					tx = pay(fmt.Sprint("m", i), "council-budget", "hub-cash", "12.34", ledger.Grant, officer, id("d"), day(2025, 5, 1))
				case 2:
					tx = pay(fmt.Sprint("m", i), "hub-cash", "temple-cash", "5.00", ledger.ProjectFunding, director, uuid.Nil, day(2025, 5, 1))
				default:
					tx = pay(fmt.Sprint("m", i), "temple-cash", "temple-costs", "4.00", ledger.Payment, temple, uuid.Nil, day(2025, 5, 1))
				}
				tx.Formality.Scope = scopes[i%len(scopes)]
				if _, err := l.Post(tx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := l.Metrics(coprod.Window{}, sector); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/tx")
		})
	}
}
