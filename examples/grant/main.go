// Command grant follows one grant through the ledger: the hub splits a
// council grant between three community organisations by the sessions each
// runs, without losing a penny (ledger.Allocate); the unpaid hours one of
// them gives are recorded in memorandum books (ledger.LabourTransaction)
// and then paid for; the journal, written to a buffer, is verified; a line
// whose memo names a person is erased (ledger.EraseText); and the erased
// journal still verifies and replays to the same balances.
//
// Run it with:
//
//	go run ./examples/grant
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func id(n int) uuid.UUID { return uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", n)) }

func day(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }

func gbp(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.GBP) }

func run(w io.Writer) error {
	var journal bytes.Buffer
	return story(w, &journal)
}

// story tells the grant's story to w, writing the ledger's journal to
// journal.
func story(w io.Writer, journal *bytes.Buffer) error {
	council, hub, officer, director := id(1), id(2), id(5), id(6)
	partners := []struct {
		name     string
		party    uuid.UUID
		cash     uuid.UUID
		sessions int64
	}{
		{"Temple", id(3), id(23), 26},
		{"Mosque", id(4), id(24), 12},
		{"Church", id(7), id(27), 12},
	}
	sla := id(90) // the service level agreement the money moves under

	l := ledger.New(ledger.Options{Journal: journal})
	accounts := []ledger.Account{
		{ID: id(20), Owner: council, Name: "Mental health budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: id(21), Owner: hub, Name: "Hub grants account", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: id(30), Owner: id(3), Name: "Temple volunteer hours", Kind: ledger.MemoLabour, Unit: coprod.Hours},
		{ID: id(31), Owner: hub, Name: "Hours received by the network", Kind: ledger.MemoLabour, Unit: coprod.Hours},
	}
	for _, p := range partners {
		accounts = append(accounts, ledger.Account{ID: p.cash, Owner: p.party, Name: p.name + " bank", Kind: ledger.Cash, Unit: coprod.GBP})
	}
	for _, a := range accounts {
		if err := l.Open(a); err != nil {
			return err
		}
	}

	// The council's grant to the hub, for the family-therapy network.
	grant := ledger.Transaction{ID: id(100), Kind: ledger.Grant, Effective: day(5, 1), Recorded: day(5, 1),
		Postings:  []ledger.Posting{{Account: id(20), Amount: gbp("-25000")}, {Account: id(21), Amount: gbp("25000")}},
		Formality: ledger.Formality{Instrument: sla, Scope: "commission/mental-health/family-therapy", DecidedBy: officer},
		Coverage:  ledger.FullCost}
	if _, err := l.Post(grant); err != nil {
		return err
	}

	// Split it by sessions run: 26, 12 and 12 of 50. 25000 × 12 ÷ 50 is
	// exact here; a grant of 10000.01 would leave a penny that the
	// largest remainder places, and the parts still sum to the whole.
	weights := make([]int64, len(partners))
	for i, p := range partners {
		weights[i] = p.sessions
	}
	for _, total := range []string{"25000", "10000.01"} {
		a, err := ledger.Allocate(gbp(total), weights, ledger.LargestRemainder)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s GBP split 26:12:12 → %v\n", total, a.Parts)
	}
	split, err := ledger.Allocate(gbp("25000"), weights, ledger.LargestRemainder)
	if err != nil {
		return err
	}
	pass := ledger.Transaction{ID: id(101), Kind: ledger.ProjectFunding, Effective: day(5, 2), Recorded: day(5, 2),
		Postings:  []ledger.Posting{{Account: id(21), Amount: gbp("-25000")}},
		Formality: ledger.Formality{Instrument: sla, Scope: "commission/mental-health/family-therapy", DecidedBy: director},
		Against:   id(100), Coverage: ledger.FullCost,
		Memo: "split agreed with Mrs A. Patel, temple treasurer, by phone"}
	for i, p := range partners {
		pass.Postings = append(pass.Postings, ledger.Posting{Account: p.cash, Amount: split.Parts[i]})
	}
	passed, err := l.Post(pass)
	if err != nil {
		return err
	}
	budget, err := l.BudgetVsActual(id(100))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "grant %s, passed on %s, remaining %s\n", budget.Budget, budget.Actual, budget.Remaining)

	// The temple's faith leaders give 60 hours of family-therapy training,
	// valued at a practitioner's wage; then the hub pays for them.
	labour := ledger.Labour{Hours: coprod.MustParseAmount("60", coprod.Hours), Method: ledger.ReplacementCost,
		Rate: gbp("14.50"), Low: gbp("12.21"), High: gbp("18.75"), WageSource: "practitioner wage range, 2025"}
	given, err := ledger.LabourTransaction(id(102), id(30), id(31), labour, day(6, 30), day(6, 30), id(3))
	if err != nil {
		return err
	}
	if _, err := l.Post(given); err != nil {
		return err
	}
	value, err := labour.Value()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "60 hours given, worth %s (range %s to %s)\n", value.Central, value.Low, value.High)
	// Hours never reach a cash balance.
	wrong, err := ledger.LabourTransaction(id(103), id(30), id(23), labour, day(6, 30), day(6, 30), id(3))
	if err != nil {
		return err
	}
	_, err = l.Post(wrong)
	fmt.Fprintf(w, "the same hours into the temple's bank account: refused, %s\n", coprod.CodeOf(err))
	payment := ledger.Transaction{ID: id(104), Kind: ledger.InvolvementPayment, Effective: day(7, 1), Recorded: day(7, 1),
		Postings:  []ledger.Posting{{Account: id(20), Amount: value.Central.Neg()}, {Account: id(23), Amount: value.Central}},
		Formality: ledger.Formality{Instrument: sla, Scope: "commission/mental-health/family-therapy", DecidedBy: officer},
		Against:   id(100)}
	if _, err := l.Post(payment); err != nil {
		return err
	}
	temple, err := l.Balance(id(23))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "the temple's bank: %s\n", temple)

	// The journal: one hash-chained line per record.
	head, err := ledger.Verify(bytes.NewReader(journal.Bytes()), nil)
	fmt.Fprintf(w, "journal: %d lines, verified: %v\n", head.Seq, err)
	fmt.Fprintf(w, "line %d names a person: %t\n", passed.Seq, bytes.Contains(journal.Bytes(), []byte("Mrs A. Patel")))

	// Erase that line's free text: the chain keeps only its hash.
	var erased bytes.Buffer
	if err := ledger.EraseText(bytes.NewReader(journal.Bytes()), &erased, passed.Seq); err != nil {
		return err
	}
	eHead, err := ledger.Verify(bytes.NewReader(erased.Bytes()), nil)
	fmt.Fprintf(w, "after erasing line %d: names a person: %t, verified: %v, same head: %t\n",
		passed.Seq, bytes.Contains(erased.Bytes(), []byte("Mrs A. Patel")), err, eHead == head)
	back, err := ledger.Replay(bytes.NewReader(erased.Bytes()), ledger.Options{})
	if err != nil {
		return err
	}
	tx, _ := back.Transaction(id(101))
	fmt.Fprintf(w, "replayed: memo %q\n", tx.Memo)
	for _, p := range partners {
		a, err := l.Balance(p.cash)
		if err != nil {
			return err
		}
		b, err := back.Balance(p.cash)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s bank: %s, replayed %s\n", p.name, a, b)
	}
	return nil
}
