package ledger_test

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// diskFull takes half of every write after the first n, and fails.
type diskFull struct {
	n   int
	buf *bytes.Buffer
}

func (w *diskFull) Write(p []byte) (int, error) {
	if w.n > 0 {
		w.n--
		return w.buf.Write(p)
	}
	k, _ := w.buf.Write(p[:len(p)/2])
	return k, errors.New("disk full")
}

// A journal that fails stops the ledger; Recover, truncate, and carry on.
func ExampleRecover() {
	var journal bytes.Buffer
	council := uuid.MustParse("00000000-0000-4000-8000-000000000001")
	hub := uuid.MustParse("00000000-0000-4000-8000-000000000002")
	temple := uuid.MustParse("00000000-0000-4000-8000-000000000003")
	officer := uuid.MustParse("00000000-0000-4000-8000-000000000004")
	sla := uuid.MustParse("00000000-0000-4000-8000-0000000000d1") // the instrument payments are made under
	date := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }
	// pay is a project-funding payment decided by the officer.
	pay := func(n int, from, to uuid.UUID, amount string, instrument uuid.UUID, at time.Time) ledger.Transaction {
		a := coprod.MustParseAmount(amount, coprod.GBP)
		return ledger.Transaction{
			ID: uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", n)), Kind: ledger.ProjectFunding,
			Postings:  []ledger.Posting{{Account: from, Amount: a.Neg()}, {Account: to, Amount: a}},
			Effective: at, Recorded: at,
			Formality: ledger.Formality{Instrument: instrument, Scope: "commission/mental-health/iapt", DecidedBy: officer},
		}
	}
	l := ledger.New(ledger.Options{Journal: &diskFull{n: 5, buf: &journal}})
	budget := uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	hubCash := uuid.MustParse("00000000-0000-4000-8000-0000000000a2")
	templeCash := uuid.MustParse("00000000-0000-4000-8000-0000000000a3")
	hoursGiven := uuid.MustParse("00000000-0000-4000-8000-0000000000a4")
	hoursReceived := uuid.MustParse("00000000-0000-4000-8000-0000000000a5")
	for _, a := range []ledger.Account{
		{ID: budget, Owner: council, Name: "Mental health budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: hubCash, Owner: hub, Name: "Hub bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: templeCash, Owner: temple, Name: "Temple bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: hoursGiven, Owner: temple, Name: "Hours given", Kind: ledger.MemoLabour, Unit: coprod.Hours},
		{ID: hoursReceived, Owner: council, Name: "Hours received", Kind: ledger.MemoLabour, Unit: coprod.Hours},
	} {
		if err := l.Open(a); err != nil {
			fmt.Println(err)
		}
	}
	_, err := l.Post(pay(1, budget, templeCash, "4800", sla, date(5, 1)))
	fmt.Println(errors.Is(err, ledger.ErrJournal), errors.Is(l.Err(), ledger.ErrJournalFailed))
	_, err = l.Post(pay(2, budget, templeCash, "10", sla, date(5, 2)))
	fmt.Println(coprod.CodeOf(err))

	_, err = ledger.Verify(bytes.NewReader(journal.Bytes()), nil)
	fmt.Println(err)

	back, n, err := ledger.Recover(bytes.NewReader(journal.Bytes()), ledger.Options{Journal: &journal})
	journal.Truncate(int(n))
	_, err2 := back.Post(pay(1, budget, templeCash, "4800", sla, date(5, 1)))
	head, err3 := ledger.Verify(bytes.NewReader(journal.Bytes()), nil)
	fmt.Println(err, err2, err3, head.Seq)
	// Output:
	// true true
	// JOURNAL_FAILED
	// ledger: torn journal at line 6 (byte 2174): the journal ends 346 bytes into the line
	// <nil> <nil> <nil> 6
}
