package assessment_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// Size of the synthetic partnership BenchmarkAssess assesses.
const (
	benchParties      = 1_000
	benchDelegations  = 10_000
	benchActivities   = 1_000
	benchTransactions = 1_000_000
)

func benchID(kind byte, i int) uuid.UUID {
	return uuid.UUID{0: kind, 12: byte(i >> 24), 13: byte(i >> 16), 14: byte(i >> 8), 15: byte(i)}
}

// benchPartnership builds a register of benchParties parties (a council,
// officers and community-side parties of each sector), benchDelegations
// delegations from the council's mandate, benchActivities activities
// across the four Co's, and a ledger of benchTransactions payments from
// the council to community parties (half under an instrument, one in ten
// core funding, each decided by a named individual) and unpaid labour. It returns the heap the ledger holds,
// in bytes.
func benchPartnership(b *testing.B) (*governance.Register, *ledger.Ledger, uint64) {
	b.Helper()
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	reg := governance.NewRegister()
	council := benchID(1, 0)
	must(reg.AddParty(coprod.Party{ID: council, Name: "Council", Sector: coprod.Statutory}))
	sectors := []coprod.Sector{coprod.Community, coprod.Hub, coprod.ServiceUsers, coprod.LargeProvider, coprod.Individual}
	parties := make([]uuid.UUID, 0, benchParties-1)
	for i := 1; i < benchParties; i++ {
		p := coprod.Party{ID: benchID(1, i), Name: fmt.Sprint("Party ", i), Sector: sectors[i%len(sectors)]}
		must(reg.AddParty(p))
		parties = append(parties, p.ID)
	}
	mandate := benchID(2, 0)
	must(reg.AddMandate(governance.Mandate{ID: mandate, Holder: council, Scope: "commission", Basis: "Care Act 2014", MaxDepth: 2}))
	for i := range benchDelegations {
		must(reg.Delegate(governance.Delegation{ID: benchID(3, i), Parent: mandate, From: council, To: parties[i%len(parties)],
			Scope: coprod.Scope(fmt.Sprintf("commission/s%d/d%d", i%100, i)), Instrument: "Agreement"}))
	}
	cos := governance.AllCos()
	for i := range benchActivities {
		must(reg.AddActivity(governance.Activity{ID: benchID(4, i), Name: fmt.Sprint("Activity ", i),
			Scope: coprod.Scope(fmt.Sprintf("commission/s%d", i%100)), Cos: []governance.Co{cos[i%len(cos)]},
			Responsible: []uuid.UUID{parties[i%len(parties)]}, Accountable: []uuid.UUID{council},
			Consulted: []uuid.UUID{parties[(i+7)%len(parties)]}}))
	}

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	l := ledger.New(ledger.Options{})
	budget := benchID(5, 0)
	must(l.Open(ledger.Account{ID: budget, Owner: council, Kind: ledger.Budget, Unit: coprod.GBP}))
	must(l.Open(ledger.Account{ID: benchID(7, 0), Owner: council, Kind: ledger.MemoLabour, Unit: coprod.Hours}))
	for i, p := range parties {
		must(l.Open(ledger.Account{ID: benchID(5, i+1), Owner: p, Kind: ledger.Cash, Unit: coprod.GBP}))
		must(l.Open(ledger.Account{ID: benchID(6, i+1), Owner: p, Kind: ledger.MemoLabour, Unit: coprod.Hours}))
	}
	t0 := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	amount := coprod.MustParseAmount("125.50", coprod.GBP)
	hours := coprod.MustParseAmount("3", coprod.Hours)
	labour := &ledger.Labour{Hours: hours, Method: ledger.ReplacementCost, Rate: coprod.MustParseAmount("15.00", coprod.GBP),
		Low: coprod.MustParseAmount("12.00", coprod.GBP), High: coprod.MustParseAmount("20.00", coprod.GBP)}
	for i := range benchTransactions {
		at := t0.Add(time.Duration(i) * 15 * time.Second)
		j := i % len(parties)
		tx := ledger.Transaction{ID: benchID(8, i), Effective: at, Recorded: at}
		if i%20 == 19 {
			tx.Kind = ledger.UnpaidLabour
			tx.Postings = []ledger.Posting{{Account: benchID(6, j+1), Amount: hours.Neg()}, {Account: benchID(7, 0), Amount: hours}}
			tx.Formality = ledger.Formality{DecidedBy: parties[j]}
			tx.Labour = labour
		} else {
			tx.Kind = ledger.Grant
			if i%10 == 0 {
				tx.Kind = ledger.CoreFunding
			}
			tx.Postings = []ledger.Posting{{Account: budget, Amount: amount.Neg()}, {Account: benchID(5, j+1), Amount: amount}}
			tx.Formality = ledger.Formality{DecidedBy: parties[(j/5)*5+3], Scope: coprod.Scope(fmt.Sprintf("commission/s%d", i%100))}
			if i%2 == 0 {
				tx.Formality.Instrument = benchID(3, i%benchDelegations)
			}
		}
		_, err := l.Post(tx)
		must(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	return reg, l, after.HeapAlloc - before.HeapAlloc
}

// BenchmarkAssess assesses a partnership of 1,000 parties, 10,000
// delegations, 1,000 activities and 1,000,000 transactions, built once
// outside the timer. It reports the heap the ledger holds per
// transaction. Skipped with -short.
func BenchmarkAssess(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a million transactions")
	}
	reg, l, held := benchPartnership(b)
	in := assessment.Input{Register: reg, Ledger: l, At: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	r := assessment.DefaultRubric()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := assessment.Assess(r, in)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Parties) == 0 {
			b.Fatal("no party levels")
		}
	}
	// After the loop: ResetTimer clears metrics reported before it.
	b.ReportMetric(float64(held)/benchTransactions, "ledger-B/tx")
}
