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

var (
	exCouncil = uuid.MustParse("00000000-0000-4000-8000-000000000001")
	exHub     = uuid.MustParse("00000000-0000-4000-8000-000000000002")
	exTemple  = uuid.MustParse("00000000-0000-4000-8000-000000000003")
	exOfficer = uuid.MustParse("00000000-0000-4000-8000-000000000004")
	exBudget  = uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	exHubCash = uuid.MustParse("00000000-0000-4000-8000-0000000000a2")
	exTemCash = uuid.MustParse("00000000-0000-4000-8000-0000000000a3")
	exGiven   = uuid.MustParse("00000000-0000-4000-8000-0000000000a4")
	exRecvd   = uuid.MustParse("00000000-0000-4000-8000-0000000000a5")
	exSLA     = uuid.MustParse("00000000-0000-4000-8000-0000000000d1")
)

func exDate(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }

func exLedger(opts ledger.Options) *ledger.Ledger {
	l := ledger.New(opts)
	for _, a := range []ledger.Account{
		{ID: exBudget, Owner: exCouncil, Name: "Mental health budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: exHubCash, Owner: exHub, Name: "Hub bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: exTemCash, Owner: exTemple, Name: "Temple bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: exGiven, Owner: exTemple, Name: "Hours given", Kind: ledger.MemoLabour, Unit: coprod.Hours},
		{ID: exRecvd, Owner: exCouncil, Name: "Hours received", Kind: ledger.MemoLabour, Unit: coprod.Hours},
	} {
		if err := l.Open(a); err != nil {
			panic(err)
		}
	}
	return l
}

func exPay(n int, from, to uuid.UUID, amount string, instrument uuid.UUID, at time.Time) ledger.Transaction {
	a := coprod.MustParseAmount(amount, coprod.GBP)
	return ledger.Transaction{
		ID: uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", n)), Kind: ledger.ProjectFunding,
		Postings:  []ledger.Posting{{Account: from, Amount: a.Neg()}, {Account: to, Amount: a}},
		Effective: at, Recorded: at,
		Formality: ledger.Formality{Instrument: instrument, Scope: "commission/mental-health/iapt", DecidedBy: exOfficer},
	}
}

func ExampleLedger_Post() {
	l := exLedger(ledger.Options{})
	r, err := l.Post(exPay(1, exBudget, exTemCash, "4800", exSLA, exDate(5, 1)))
	fmt.Println(r.Seq, r.Duplicate, err)
	bal, _ := l.Balance(exTemCash)
	fmt.Println(bal)

	// Postings must balance, and hours never reach a cash account.
	bad := exPay(2, exBudget, exTemCash, "100", exSLA, exDate(5, 2))
	bad.Postings[1].Amount = coprod.MustParseAmount("99.99", coprod.GBP)
	_, err = l.Post(bad)
	fmt.Println(errors.Is(err, ledger.ErrUnbalanced))
	// Output:
	// 6 false <nil>
	// 4800.00 GBP
	// true
}

func ExampleLedger_Post_idempotentRetry() {
	l := exLedger(ledger.Options{})
	tx := exPay(1, exBudget, exTemCash, "4800", exSLA, exDate(5, 1))
	first, _ := l.Post(tx)
	retry, _ := l.Post(tx) // a network retry: same ID, same content
	fmt.Println(first.Seq == retry.Seq, retry.Duplicate)
	bal, _ := l.Balance(exTemCash)
	fmt.Println(bal)

	tx.Postings[1].Amount = coprod.MustParseAmount("5000", coprod.GBP)
	tx.Postings[0].Amount = coprod.MustParseAmount("-5000", coprod.GBP)
	_, err := l.Post(tx) // same ID, other content
	fmt.Println(errors.Is(err, ledger.ErrIdempotencyConflict))
	// Output:
	// true true
	// 4800.00 GBP
	// true
}

func ExampleLedger_Reverse() {
	l := exLedger(ledger.Options{})
	_, _ = l.Post(exPay(1, exBudget, exHubCash, "750", uuid.Nil, exDate(5, 1)))
	req := ledger.ReversalRequest{ID: uuid.MustParse("00000000-0000-4000-8000-0000000000e1"), Of: uuid.MustParse("00000000-0000-4000-8000-000000000001"),
		By: exCouncil, Reason: "paid to the wrong account", Effective: exDate(5, 2), Recorded: exDate(5, 2)}
	_, err := l.Reverse(req)
	fmt.Println(err)
	bal, _ := l.Balance(exHubCash)
	fmt.Println(bal)
	req.ID = uuid.MustParse("00000000-0000-4000-8000-0000000000e2")
	_, err = l.Reverse(req)
	fmt.Println(errors.Is(err, ledger.ErrAlreadyReversed))
	// Output:
	// <nil>
	// 0.00 GBP
	// true
}

func ExampleLedger_PlaceHold() {
	l := exLedger(ledger.Options{})
	hold := uuid.MustParse("00000000-0000-4000-8000-0000000000f1")
	_, _ = l.PlaceHold(ledger.Hold{ID: hold, Kind: ledger.Grant, From: exBudget, To: exTemCash,
		Amount: coprod.MustParseAmount("3000", coprod.GBP), Expires: exDate(12, 31), Recorded: exDate(4, 1),
		Formality: ledger.Formality{Instrument: exSLA, Scope: "commission/mental-health/iapt", DecidedBy: exOfficer}})
	held, _ := l.Held(exBudget)
	fmt.Println("held:", held)

	_, err := l.Capture(ledger.CaptureRequest{Hold: hold, ID: uuid.MustParse("00000000-0000-4000-8000-0000000000f2"),
		Amount: coprod.MustParseAmount("2400", coprod.GBP), Effective: exDate(6, 1), Recorded: exDate(6, 1), By: exOfficer})
	fmt.Println(err)
	paid, _ := l.Balance(exTemCash)
	held, _ = l.Held(exBudget)
	fmt.Println("paid:", paid, "held:", held)
	fmt.Println(errors.Is(l.Void(ledger.VoidRequest{Hold: hold, By: exOfficer, At: exDate(6, 2), Reason: "too late"}), ledger.ErrHoldResolved))
	// Output:
	// held: 3000.00 GBP
	// <nil>
	// paid: 2400.00 GBP held: 0.00 GBP
	// true
}

func ExampleAllocate() {
	// £100 between three equal partners: the spare penny goes to the first.
	a, _ := ledger.Allocate(coprod.MustParseAmount("100", coprod.GBP), []int64{1, 1, 1}, ledger.LargestRemainder)
	fmt.Println(a.Parts)
	// Or is kept aside for the caller to place.
	a, _ = ledger.Allocate(coprod.MustParseAmount("100", coprod.GBP), []int64{1, 1, 1}, ledger.KeepRemainder)
	fmt.Println(a.Parts, a.Remainder)
	// Output:
	// [33.34 GBP 33.33 GBP 33.33 GBP]
	// [33.33 GBP 33.33 GBP 33.33 GBP] 0.01 GBP
}

func ExampleLabour_Value() {
	// 60 hours of family-therapy training delivered by faith leaders,
	// valued at the replacement cost of a paid practitioner.
	v, _ := ledger.Labour{
		Hours:      coprod.MustParseAmount("60", coprod.Hours),
		Method:     ledger.ReplacementCost,
		Rate:       coprod.MustParseAmount("14.50", coprod.GBP),
		Low:        coprod.MustParseAmount("12.21", coprod.GBP),
		High:       coprod.MustParseAmount("18.75", coprod.GBP),
		WageSource: "practitioner wage range, 2025",
	}.Value()
	fmt.Println(v.Low, v.Central, v.High)

	// Time credits are counted, never turned into money.
	c, _ := ledger.Labour{Hours: coprod.MustParseAmount("6", coprod.Hours), Method: ledger.TimeCreditMethod}.Value()
	fmt.Println(c.Credits, c.Central.IsSet())
	// Output:
	// 732.60 GBP 870.00 GBP 1125.00 GBP
	// 6 credits false
}

func ExampleLedger_BalanceAt() {
	l := exLedger(ledger.Options{})
	_, _ = l.Post(exPay(1, exBudget, exHubCash, "1000", exSLA, exDate(4, 1)))
	// Entered on 1 July, effective 1 June: a back-dated payment.
	late := exPay(2, exBudget, exHubCash, "250", exSLA, exDate(6, 1))
	late.Recorded = exDate(7, 1)
	_, _ = l.Post(late)

	asOf, _ := l.BalanceAt(exHubCash, exDate(6, 15))
	booksSaid, _ := l.BalanceRecordedAt(exHubCash, exDate(6, 15))
	fmt.Println("balance as of 15 June:", asOf)
	fmt.Println("what the books said on 15 June:", booksSaid)
	// Output:
	// balance as of 15 June: 1250.00 GBP
	// what the books said on 15 June: 1000.00 GBP
}

func ExampleLedger_Metrics() {
	l := exLedger(ledger.Options{})
	_, _ = l.Post(exPay(1, exBudget, exHubCash, "10000", exSLA, exDate(4, 1)))   // formal
	_, _ = l.Post(exPay(2, exBudget, exTemCash, "2000", uuid.Nil, exDate(5, 1))) // one officer's discretion
	_, _ = l.Post(ledger.Transaction{
		ID: uuid.MustParse("00000000-0000-4000-8000-000000000003"), Kind: ledger.UnpaidLabour,
		Postings:  []ledger.Posting{{Account: exGiven, Amount: coprod.MustParseAmount("-120", coprod.Hours)}, {Account: exRecvd, Amount: coprod.MustParseAmount("120", coprod.Hours)}},
		Effective: exDate(5, 31), Recorded: exDate(5, 31), Formality: ledger.Formality{DecidedBy: exTemple},
		Labour: &ledger.Labour{Hours: coprod.MustParseAmount("120", coprod.Hours), Method: ledger.ReplacementCost, Rate: coprod.MustParseAmount("14.50", coprod.GBP)},
	})
	sectors := map[uuid.UUID]coprod.Sector{exCouncil: coprod.Statutory, exHub: coprod.Hub, exTemple: coprod.Community, exOfficer: coprod.Individual}
	m, _ := l.Metrics(coprod.Window{}, func(p coprod.PartyID) coprod.Sector { return sectors[p] })
	fmt.Println("reached community:", m.ToCommunity)
	fmt.Println("formal share:", m.Formal)
	fmt.Println("unpaid labour:", m.Labour.Hours, "worth", m.Labour.Central)
	fmt.Println("decided by one person:", m.KeyPerson.Share)
	// Output:
	// reached community: 100.0%
	// formal share: 83.3%
	// unpaid labour: 120.00 hours worth 1740.00 GBP
	// decided by one person: 100.0%
}

func ExampleReplay() {
	var journal bytes.Buffer
	l := exLedger(ledger.Options{Journal: &journal})
	_, _ = l.Post(exPay(1, exBudget, exTemCash, "4800", exSLA, exDate(5, 1)))

	back, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{})
	fmt.Println(err, back.Head() == l.Head())
	bal, _ := back.Balance(exTemCash)
	fmt.Println(bal)

	tampered := bytes.Replace(journal.Bytes(), []byte(`"4800.00"`), []byte(`"8400.00"`), 1)
	_, err = ledger.Verify(bytes.NewReader(tampered), nil)
	fmt.Println(err)
	// Output:
	// <nil> true
	// 4800.00 GBP
	// ledger: corrupt journal at line 6: hash does not match the line's content
}

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
	l := exLedger(ledger.Options{Journal: &diskFull{n: 5, buf: &journal}}) // five accounts
	_, err := l.Post(exPay(1, exBudget, exTemCash, "4800", exSLA, exDate(5, 1)))
	fmt.Println(errors.Is(err, ledger.ErrJournal), errors.Is(l.Err(), ledger.ErrJournalFailed))
	_, err = l.Post(exPay(2, exBudget, exTemCash, "10", exSLA, exDate(5, 2)))
	fmt.Println(coprod.CodeOf(err))

	_, err = ledger.Verify(bytes.NewReader(journal.Bytes()), nil)
	fmt.Println(err)

	back, n, err := ledger.Recover(bytes.NewReader(journal.Bytes()), ledger.Options{Journal: &journal})
	journal.Truncate(int(n))
	_, err2 := back.Post(exPay(1, exBudget, exTemCash, "4800", exSLA, exDate(5, 1)))
	head, err3 := ledger.Verify(bytes.NewReader(journal.Bytes()), nil)
	fmt.Println(err, err2, err3, head.Seq)
	// Output:
	// true true
	// JOURNAL_FAILED
	// ledger: torn journal at line 6 (byte 2174): the journal ends 346 bytes into the line
	// <nil> <nil> <nil> 6
}
