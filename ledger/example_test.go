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

func ExampleLedger_Post() {
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
	l := ledger.New(ledger.Options{})
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
	r, err := l.Post(pay(1, budget, templeCash, "4800", sla, date(5, 1)))
	fmt.Println(r.Seq, r.Duplicate, err)
	bal, _ := l.Balance(templeCash)
	fmt.Println(bal)

	// Postings must balance, and hours never reach a cash account.
	bad := pay(2, budget, templeCash, "100", sla, date(5, 2))
	bad.Postings[1].Amount = coprod.MustParseAmount("99.99", coprod.GBP)
	_, err = l.Post(bad)
	fmt.Println(errors.Is(err, ledger.ErrUnbalanced))
	// Output:
	// 6 false <nil>
	// 4800.00 GBP
	// true
}

func ExampleLedger_Post_idempotentRetry() {
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
	l := ledger.New(ledger.Options{})
	budget := uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	hubCash := uuid.MustParse("00000000-0000-4000-8000-0000000000a2")
	templeCash := uuid.MustParse("00000000-0000-4000-8000-0000000000a3")
	for _, a := range []ledger.Account{
		{ID: budget, Owner: council, Name: "Mental health budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: hubCash, Owner: hub, Name: "Hub bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: templeCash, Owner: temple, Name: "Temple bank", Kind: ledger.Cash, Unit: coprod.GBP},
	} {
		if err := l.Open(a); err != nil {
			fmt.Println(err)
		}
	}
	tx := pay(1, budget, templeCash, "4800", sla, date(5, 1))
	first, _ := l.Post(tx)
	retry, _ := l.Post(tx) // a network retry: same ID, same content
	fmt.Println(first.Seq == retry.Seq, retry.Duplicate)
	bal, _ := l.Balance(templeCash)
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
	council := uuid.MustParse("00000000-0000-4000-8000-000000000001")
	hub := uuid.MustParse("00000000-0000-4000-8000-000000000002")
	temple := uuid.MustParse("00000000-0000-4000-8000-000000000003")
	officer := uuid.MustParse("00000000-0000-4000-8000-000000000004")
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
	l := ledger.New(ledger.Options{})
	budget := uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	hubCash := uuid.MustParse("00000000-0000-4000-8000-0000000000a2")
	templeCash := uuid.MustParse("00000000-0000-4000-8000-0000000000a3")
	for _, a := range []ledger.Account{
		{ID: budget, Owner: council, Name: "Mental health budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: hubCash, Owner: hub, Name: "Hub bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: templeCash, Owner: temple, Name: "Temple bank", Kind: ledger.Cash, Unit: coprod.GBP},
	} {
		if err := l.Open(a); err != nil {
			fmt.Println(err)
		}
	}
	_, _ = l.Post(pay(1, budget, hubCash, "750", uuid.Nil, date(5, 1)))
	req := ledger.ReversalRequest{ID: uuid.MustParse("00000000-0000-4000-8000-0000000000e1"), Of: uuid.MustParse("00000000-0000-4000-8000-000000000001"),
		By: council, Reason: "paid to the wrong account", Effective: date(5, 2), Recorded: date(5, 2)}
	_, err := l.Reverse(req)
	fmt.Println(err)
	bal, _ := l.Balance(hubCash)
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
	council := uuid.MustParse("00000000-0000-4000-8000-000000000001")
	hub := uuid.MustParse("00000000-0000-4000-8000-000000000002")
	temple := uuid.MustParse("00000000-0000-4000-8000-000000000003")
	officer := uuid.MustParse("00000000-0000-4000-8000-000000000004")
	sla := uuid.MustParse("00000000-0000-4000-8000-0000000000d1") // the instrument payments are made under
	date := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }
	l := ledger.New(ledger.Options{})
	budget := uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	hubCash := uuid.MustParse("00000000-0000-4000-8000-0000000000a2")
	templeCash := uuid.MustParse("00000000-0000-4000-8000-0000000000a3")
	for _, a := range []ledger.Account{
		{ID: budget, Owner: council, Name: "Mental health budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: hubCash, Owner: hub, Name: "Hub bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: templeCash, Owner: temple, Name: "Temple bank", Kind: ledger.Cash, Unit: coprod.GBP},
	} {
		if err := l.Open(a); err != nil {
			fmt.Println(err)
		}
	}
	hold := uuid.MustParse("00000000-0000-4000-8000-0000000000f1")
	_, _ = l.PlaceHold(ledger.Hold{ID: hold, Kind: ledger.Grant, From: budget, To: templeCash,
		Amount: coprod.MustParseAmount("3000", coprod.GBP), Expires: date(12, 31), Recorded: date(4, 1),
		Formality: ledger.Formality{Instrument: sla, Scope: "commission/mental-health/iapt", DecidedBy: officer}})
	held, _ := l.Held(budget)
	fmt.Println("held:", held)

	_, err := l.Capture(ledger.CaptureRequest{Hold: hold, ID: uuid.MustParse("00000000-0000-4000-8000-0000000000f2"),
		Amount: coprod.MustParseAmount("2400", coprod.GBP), Effective: date(6, 1), Recorded: date(6, 1), By: officer})
	fmt.Println(err)
	paid, _ := l.Balance(templeCash)
	held, _ = l.Held(budget)
	fmt.Println("paid:", paid, "held:", held)
	fmt.Println(errors.Is(l.Void(ledger.VoidRequest{Hold: hold, By: officer, At: date(6, 2), Reason: "too late"}), ledger.ErrHoldResolved))
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
	l := ledger.New(ledger.Options{})
	budget := uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	hubCash := uuid.MustParse("00000000-0000-4000-8000-0000000000a2")
	templeCash := uuid.MustParse("00000000-0000-4000-8000-0000000000a3")
	for _, a := range []ledger.Account{
		{ID: budget, Owner: council, Name: "Mental health budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: hubCash, Owner: hub, Name: "Hub bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: templeCash, Owner: temple, Name: "Temple bank", Kind: ledger.Cash, Unit: coprod.GBP},
	} {
		if err := l.Open(a); err != nil {
			fmt.Println(err)
		}
	}
	_, _ = l.Post(pay(1, budget, hubCash, "1000", sla, date(4, 1)))
	// Entered on 1 July, effective 1 June: a back-dated payment.
	late := pay(2, budget, hubCash, "250", sla, date(6, 1))
	late.Recorded = date(7, 1)
	_, _ = l.Post(late)

	asOf, _ := l.BalanceAt(hubCash, date(6, 15))
	booksSaid, _ := l.BalanceRecordedAt(hubCash, date(6, 15))
	fmt.Println("balance as of 15 June:", asOf)
	fmt.Println("what the books said on 15 June:", booksSaid)
	// Output:
	// balance as of 15 June: 1250.00 GBP
	// what the books said on 15 June: 1000.00 GBP
}

func ExampleLedger_Metrics() {
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
	l := ledger.New(ledger.Options{})
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
	_, _ = l.Post(pay(1, budget, hubCash, "10000", sla, date(4, 1)))        // formal
	_, _ = l.Post(pay(2, budget, templeCash, "2000", uuid.Nil, date(5, 1))) // one officer's discretion
	_, _ = l.Post(ledger.Transaction{
		ID: uuid.MustParse("00000000-0000-4000-8000-000000000003"), Kind: ledger.UnpaidLabour,
		Postings:  []ledger.Posting{{Account: hoursGiven, Amount: coprod.MustParseAmount("-120", coprod.Hours)}, {Account: hoursReceived, Amount: coprod.MustParseAmount("120", coprod.Hours)}},
		Effective: date(5, 31), Recorded: date(5, 31), Formality: ledger.Formality{DecidedBy: temple},
		Labour: &ledger.Labour{Hours: coprod.MustParseAmount("120", coprod.Hours), Method: ledger.ReplacementCost, Rate: coprod.MustParseAmount("14.50", coprod.GBP)},
	})
	sectors := map[uuid.UUID]coprod.Sector{council: coprod.Statutory, hub: coprod.Hub, temple: coprod.Community, officer: coprod.Individual}
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
	l := ledger.New(ledger.Options{Journal: &journal})
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
	_, _ = l.Post(pay(1, budget, templeCash, "4800", sla, date(5, 1)))

	back, err := ledger.Replay(bytes.NewReader(journal.Bytes()), ledger.Options{})
	fmt.Println(err, back.Head() == l.Head())
	bal, _ := back.Balance(templeCash)
	fmt.Println(bal)

	tampered := bytes.Replace(journal.Bytes(), []byte(`"4800.00"`), []byte(`"8400.00"`), 1)
	_, err = ledger.Verify(bytes.NewReader(tampered), nil)
	fmt.Println(err)
	// Output:
	// <nil> true
	// 4800.00 GBP
	// ledger: corrupt journal at line 6: hash does not match the line's content
}
