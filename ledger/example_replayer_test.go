package ledger_test

import (
	"bytes"
	"fmt"
	"runtime"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// A journal replayed with its work spread over goroutines: one reads
// runs of lines, a preparer per core checks and decodes them, and the
// caller applies them in the order they were read.
func ExampleReplayer() {
	var journal bytes.Buffer
	council := uuid.MustParse("00000000-0000-4000-8000-000000000001")
	hub := uuid.MustParse("00000000-0000-4000-8000-000000000002")
	officer := uuid.MustParse("00000000-0000-4000-8000-000000000004")
	budget := uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	hubCash := uuid.MustParse("00000000-0000-4000-8000-0000000000a2")
	l := ledger.New(ledger.Options{Journal: &journal})
	for _, a := range []ledger.Account{
		{ID: budget, Owner: council, Name: "Mental health budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: hubCash, Owner: hub, Name: "Hub bank", Kind: ledger.Cash, Unit: coprod.GBP},
	} {
		if err := l.Open(a); err != nil {
			fmt.Println(err)
			return
		}
	}
	at := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5000 {
		a := coprod.MustParseAmount("12.50", coprod.GBP)
		_, err := l.Post(ledger.Transaction{
			ID: uuid.NewSHA1(uuid.Nil, fmt.Appendf(nil, "session %d", i)), Kind: ledger.Payment,
			Postings:  []ledger.Posting{{Account: budget, Amount: a.Neg()}, {Account: hubCash, Amount: a}},
			Effective: at, Recorded: at,
			Formality: ledger.Formality{DecidedBy: officer},
		})
		if err != nil {
			fmt.Println(err)
			return
		}
	}

	rp := ledger.NewReplayer(bytes.NewReader(journal.Bytes()), ledger.Options{})
	type item struct {
		run      *ledger.ReplayRun
		prepared chan struct{} // closed once the run is prepared
	}
	work := make(chan item, 8)
	ordered := make(chan item, 8)
	for range runtime.GOMAXPROCS(0) {
		go func() {
			for it := range work {
				it.run.Prepare()
				close(it.prepared)
			}
		}()
	}
	go func() {
		defer close(work)
		defer close(ordered)
		for {
			run, err := rp.Read()
			if err != nil { // io.EOF: the last run is read
				return
			}
			it := item{run, make(chan struct{})}
			ordered <- it
			work <- it
		}
	}()
	var err error
	for it := range ordered {
		<-it.prepared
		if err == nil {
			err = rp.Apply(it.run) // in the order read
		}
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	back, err := rp.Ledger()
	if err != nil {
		fmt.Println(err)
		return
	}
	bal, _ := back.Balance(hubCash)
	fmt.Println("hub bank:", bal)
	fmt.Println("same head:", back.Head() == l.Head())
	// Output:
	// hub bank: 62500.00 GBP
	// same head: true
}
