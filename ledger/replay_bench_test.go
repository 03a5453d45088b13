package ledger_test

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"

	"github.com/coprod/coprod/ledger"
)

// replayJournal posts n transactions, made by next, into a ledger opened
// with opts and a journal, and returns the journal.
func replayJournal(tb testing.TB, opts ledger.Options, n int, next func(i int) ledger.Transaction) []byte {
	tb.Helper()
	var j bytes.Buffer
	opts.Journal = &j
	l := newLedger(tb, opts)
	for i := range n {
		if _, err := l.Post(next(i)); err != nil {
			tb.Fatal(err)
		}
	}
	return j.Bytes()
}

// authorizedPayment is the i-th two-posting payment under the officer's
// delegation: on a ledger with benchRegister as its Authorizer it carries
// a proof of two links, the council's mandate (no limit, no period) and
// the delegation (a limit and a monthly period).
func authorizedPayment(i int) ledger.Transaction {
	return pay(fmt.Sprint("a", i), "council-budget", "hub-cash", "12.34", ledger.Payment, officer, id("d"), day(2025, 5, 1))
}

// labourRecord is the i-th labour record, cycling through the valuation
// methods: replacement cost at a single rate, opportunity cost with a
// low–high band and a wage source, and time credits.
func labourRecord(tb testing.TB, i int) ledger.Transaction {
	var (
		tx  ledger.Transaction
		err error
	)
	switch i % 3 {
	case 0:
		tx, err = ledger.LabourTransaction(id(fmt.Sprint("l", i)), id("temple-hours-given"), id("service-hours-received"),
			ledger.Labour{Hours: hours("3.5"), Method: ledger.ReplacementCost, Rate: gbp("14.50")}, day(2025, 5, 1), day(2025, 5, 1), temple)
	case 1:
		tx, err = ledger.LabourTransaction(id(fmt.Sprint("l", i)), id("temple-hours-given"), id("service-hours-received"),
			ledger.Labour{Hours: hours("2"), Method: ledger.OpportunityCost, Rate: gbp("18.00"), Low: gbp("12.21"), High: gbp("25"),
				WageSource: "ONS ASHE 2024, median", Recognised: true}, day(2025, 5, 1), day(2025, 5, 1), temple)
	default:
		tx, err = ledger.LabourTransaction(id(fmt.Sprint("l", i)), id("volunteer-credits"), id("hub-credits"),
			ledger.Labour{Hours: hours("4"), Method: ledger.TimeCreditMethod}, day(2025, 5, 1), day(2025, 5, 1), hub)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return tx
}

// BenchmarkReplayAuthorized replays journals of 10,000 transactions
// written by a ledger with benchRegister as its Authorizer, into a ledger
// wired to the same register: "proofs" has a two-link proof on every line,
// "labour" a labour record on every line (the three valuation methods in
// turn). It reports transactions per second, as BenchmarkReplay does.
func BenchmarkReplayAuthorized(b *testing.B) {
	const n = 10_000
	for _, variant := range []string{"proofs", "labour", "proofs+memo"} {
		b.Run(variant, func(b *testing.B) {
			reg := benchRegister(b)
			next := authorizedPayment
			switch variant {
			case "labour":
				next = func(i int) ledger.Transaction { return labourRecord(b, i) }
			case "proofs+memo": // free text on every line, journaled apart
				next = func(i int) ledger.Transaction {
					tx := authorizedPayment(i)
					tx.Memo = fmt.Sprint("session fees, week ", i%52+1)
					tx.Metadata = map[string]string{"invoice": fmt.Sprint("INV-", i)}
					return tx
				}
			}
			journal := replayJournal(b, ledger.Options{Authorizer: reg}, n, next)
			b.SetBytes(int64(len(journal)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ledger.Replay(bytes.NewReader(journal), ledger.Options{Authorizer: reg}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
		})
	}
}

// BenchmarkReplaySpread replays one journal of 20,000 authorised
// payments (a two-link proof on every line) with Replay, on one
// goroutine, and with a Replayer spread as replayConcurrently spreads it
// (a reader, one preparer per GOMAXPROCS and the applier), in the same
// run. It reports transactions per second of wall time; on a machine of
// two cores the spread replay's bound is the CPU of both.
func BenchmarkReplaySpread(b *testing.B) {
	const n = 20_000
	reg := benchRegister(b)
	journal := replayJournal(b, ledger.Options{Authorizer: reg}, n, authorizedPayment)
	opts := ledger.Options{Authorizer: reg}
	for _, variant := range []string{"Replay", "spread"} {
		b.Run(variant, func(b *testing.B) {
			b.SetBytes(int64(len(journal)))
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if variant == "Replay" {
					_, err = ledger.Replay(bytes.NewReader(journal), opts)
				} else {
					_, _, err = replayConcurrently(bytes.NewReader(journal), opts, 1<<20, runtime.GOMAXPROCS(0), false)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
		})
	}
}
