package ledger_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// scaleBig runs the AtSize benchmarks at 10 million transactions as well.
// Each such run builds a ledger of about 5.3 GB (530 bytes a transaction)
// and takes minutes: give -benchtime as a count (-benchtime 200000x for
// Post, 1x for Replay and Metrics). They are never run with -short.
var scaleBig = flag.Bool("scale.big", false, "also run the AtSize benchmarks at 10,000,000 transactions (about 5 GB of heap each; not with -short)")

// scaleSizes are the ledger sizes of the AtSize benchmarks.
var scaleSizes = []struct {
	name string
	n    int
	big  bool
}{
	{"100k", 100_000, false},
	{"10M", 10_000_000, true},
}

func skipBig(b *testing.B, big bool) {
	b.Helper()
	switch {
	case !big:
	case testing.Short():
		b.Skip("a 10,000,000-transaction ledger; not with -short")
	case !*scaleBig:
		b.Skip("a 10,000,000-transaction ledger; run with -scale.big")
	}
}

// scaleIDs draws transaction IDs from a fixed seed: random-looking
// version-4 UUIDs, without crypto/rand's cost.
type scaleIDs struct{ r *rand.PCG }

func newScaleIDs(seed uint64) scaleIDs { return scaleIDs{rand.NewPCG(seed, 0x636f70726f64)} }

func (g scaleIDs) next() uuid.UUID {
	var u uuid.UUID
	binary.LittleEndian.PutUint64(u[:8], g.r.Uint64())
	binary.LittleEndian.PutUint64(u[8:], g.r.Uint64())
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

// built is a ledger made by buildAtSize, with what it cost.
type built struct {
	l *ledger.Ledger
	// heldPerTx is the heap the ledger holds per transaction:
	// runtime.MemStats.HeapAlloc after a GC, after the build less before.
	heldPerTx float64
	// nsPerTx is the build's wall time per transaction: posting into a
	// ledger growing from empty to n, garbage collection included.
	nsPerTx float64
}

// buildAtSize posts n two-posting payments (council budget to hub cash,
// one shape, IDs drawn from seed, amounts 0.01 to 99.99 made afresh for
// each transaction, as a caller or a replay makes them) into a new ledger.
// CPU profiles label its samples phase=build.
func buildAtSize(b *testing.B, n int, seed uint64, opts ledger.Options) built {
	b.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	l := newLedger(b, opts)
	pprof.Do(context.Background(), pprof.Labels("phase", "build"), func(context.Context) {
		ids := newScaleIDs(seed)
		from, to := id("council-budget"), id("hub-cash")
		ps := make([]ledger.Posting, 2)
		tx := ledger.Transaction{Kind: ledger.Payment, Effective: day(2025, 5, 1), Recorded: day(2025, 5, 1),
			Formality: ledger.Formality{Instrument: id("d"), Scope: "commission/mental-health", DecidedBy: officer}}
		for i := range n {
			amount, err := coprod.FromMinor(int64(1+i%9999), coprod.GBP)
			if err != nil {
				b.Fatal(err)
			}
			ps[0] = ledger.Posting{Account: from, Amount: amount.Neg()}
			ps[1] = ledger.Posting{Account: to, Amount: amount}
			tx.ID, tx.Postings = ids.next(), ps
			if _, err := l.Post(tx); err != nil {
				b.Fatal(err)
			}
		}
	})
	elapsed := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	return built{
		l:         l,
		heldPerTx: (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / float64(n),
		nsPerTx:   float64(elapsed.Nanoseconds()) / float64(n),
	}
}

// gcCycles is how many garbage collections have completed.
func gcCycles() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// BenchmarkPostAtSize times Post of two-posting payments into a ledger
// already holding held transactions, built outside the timer, to show
// whether the cost of a record grows with what the ledger holds. The
// timed posts are BenchmarkPost's postings=2/none, with IDs generated
// before the timer starts.
//
// The ledger is built once for all of a sub-benchmark's rounds and
// rebuilt, with the timer stopped, after every held/10 timed posts, so
// it holds between held and 1.1×held transactions while timed.
//
// Metrics: B/tx, the heap held per transaction built; build-ns/tx, the
// build's wall time per transaction (a ledger growing from empty, its
// garbage collections included); gc-cycles, the collections completed
// while the last round's posts were timed (rebuilds left out). A
// collection's cost grows with the heap and one comes each time the heap
// doubles, so a short timed window at 10M usually sees none, where the
// build saw them all: ns/op is the cost of a post at that size less the
// collections it will later share in. CPU profiles label the timed posts
// phase=post and the builds phase=build.
func BenchmarkPostAtSize(b *testing.B) {
	for _, size := range scaleSizes {
		var cur built
		posted := 0 // timed posts since cur was built
		b.Run("held="+size.name, func(b *testing.B) {
			skipBig(b, size.big)
			allowance := size.n / 10
			ids := make([]uuid.UUID, allowance)
			g := newScaleIDs(2)
			for i := range ids {
				ids[i] = g.next()
			}
			if cur.l == nil {
				cur = buildAtSize(b, size.n, 1, ledger.Options{})
			}
			tx := ledger.Transaction{Kind: ledger.Payment, Postings: postings(2), Effective: day(2025, 5, 1), Recorded: day(2025, 5, 1),
				Formality: ledger.Formality{Instrument: id("d"), Scope: "commission/mental-health", DecidedBy: officer}}
			cycles := gcCycles()
			b.ReportAllocs()
			b.ResetTimer()
			pprof.Do(context.Background(), pprof.Labels("phase", "post"), func(context.Context) {
				for range b.N {
					if posted == allowance {
						b.StopTimer()
						c := gcCycles()
						cur = built{}
						cur = buildAtSize(b, size.n, 1, ledger.Options{})
						posted = 0
						cycles += gcCycles() - c // not timed
						b.StartTimer()
					}
					tx.ID = ids[posted]
					posted++
					if _, err := cur.l.Post(tx); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(gcCycles()-cycles), "gc-cycles")
			b.ReportMetric(cur.heldPerTx, "B/tx")
			b.ReportMetric(cur.nsPerTx, "build-ns/tx")
		})
		cur = built{}
		runtime.GC()
	}
}

// BenchmarkReplayAtSize replays a journal of n two-posting payments,
// written outside the timer to a temporary file (a 10M journal is about
// 7 GB: too much to hold beside the ledgers), and reports the time per
// record (ns/tx), transactions a second (tx/s), the journal's bytes per
// transaction (journal-B/tx), the heap the replayed ledger holds per
// transaction (B/tx), and the first BalanceAt's time per transaction
// (catch-up-ns/tx), which brings the accounts' lists up to date.
func BenchmarkReplayAtSize(b *testing.B) {
	for _, size := range scaleSizes {
		path := "" // the journal, written once for all rounds
		b.Run("transactions="+size.name, func(b *testing.B) {
			skipBig(b, size.big)
			if path == "" {
				path = writeScaleJournal(b, size.n)
			}
			info, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			var l *ledger.Ledger
			b.SetBytes(info.Size())
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				l = nil
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				l, err = ledger.Replay(f, ledger.Options{})
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			perTx := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(size.n)
			b.ReportMetric(perTx, "ns/tx")
			b.ReportMetric(1e9/perTx, "tx/s")
			b.ReportMetric(float64(info.Size())/float64(size.n), "journal-B/tx")
			// The first BalanceAt after a replay brings every account's
			// list of transactions up to date, once (the lists are kept
			// only when a query needs them). Its cost, and the lists' heap
			// in B/tx below, belong to the replayed ledger.
			start := time.Now()
			if _, err := l.BalanceAt(id("hub-cash"), day(2100, 1, 1)); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(size.n), "catch-up-ns/tx")
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric((float64(after.HeapAlloc)-float64(before.HeapAlloc))/float64(size.n), "B/tx")
			runtime.KeepAlive(l)
		})
		if path != "" {
			os.RemoveAll(filepath.Dir(path))
		}
		runtime.GC()
	}
}

// writeScaleJournal builds a ledger of n payments journaling to a file in
// a new temporary directory, and returns the file's path. The ledger is
// dropped.
func writeScaleJournal(b *testing.B, n int) string {
	b.Helper()
	dir, err := os.MkdirTemp("", "coprod-scale-")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "journal")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	buildAtSize(b, n, 3, ledger.Options{Journal: w})
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkMetricsAtSize computes Metrics over a ledger of n payments
// built outside the timer, and reports the time per transaction (ns/tx)
// and the heap held per transaction (B/tx).
func BenchmarkMetricsAtSize(b *testing.B) {
	for _, size := range scaleSizes {
		var cur built
		b.Run("transactions="+size.name, func(b *testing.B) {
			skipBig(b, size.big)
			if cur.l == nil {
				cur = buildAtSize(b, size.n, 1, ledger.Options{})
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := cur.l.Metrics(coprod.Window{}, sector); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(size.n), "ns/tx")
			b.ReportMetric(cur.heldPerTx, "B/tx")
		})
		cur = built{}
		runtime.GC()
	}
}
