// Command tour is the short tour of coprod in README.md, as a program
// that runs: the code between the tour markers below is the README's, and
// a test keeps the two the same.
//
// Run it with:
//
//	go run ./examples/tour
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

func main() {
	if err := tour(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// tour:start
func tour(w io.Writer) error {
	id := func(n int) uuid.UUID { return uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", n)) }
	gbp := func(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.GBP) }
	june := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

	council := coprod.Party{ID: id(1), Name: "Borough Council", Sector: coprod.Statutory}
	hub := coprod.Party{ID: id(2), Name: "Community Hub", Sector: coprod.Hub}
	temple := coprod.Party{ID: id(3), Name: "Temple", Sector: coprod.Community}

	// The register: the council's mandate, delegated to the hub.
	r := governance.NewRegister()
	for _, p := range []coprod.Party{council, hub, temple} {
		if err := r.AddParty(p); err != nil {
			return err
		}
	}
	mandate, delegation := id(10), id(11)
	if err := r.AddMandate(governance.Mandate{ID: mandate, Holder: council.ID, Scope: "commission", MaxDepth: 2,
		Basis: "Care Act 2014 s.1", TransactionLimit: gbp("100000")}); err != nil {
		return err
	}
	if err := r.Delegate(governance.Delegation{ID: delegation, Parent: mandate, From: council.ID, To: hub.ID,
		Scope: "commission/mental-health", TransactionLimit: gbp("20000"),
		CumulativeLimit: gbp("30000"), Period: governance.PeriodFinancialYear}); err != nil {
		return err
	}

	// The ledger asks the register about every payment, keeps the proof
	// and writes a hash-chained journal.
	var journal bytes.Buffer
	l := ledger.New(ledger.Options{Authorizer: r, Journal: &journal})
	budget, templeCash := id(20), id(21)
	for _, a := range []ledger.Account{
		{ID: budget, Owner: council.ID, Name: "Mental health budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: templeCash, Owner: temple.ID, Name: "Temple bank", Kind: ledger.Cash, Unit: coprod.GBP},
	} {
		if err := l.Open(a); err != nil {
			return err
		}
	}
	// Authorize proves or refutes an action, with the full path; the
	// ledger supplies what was spent against cumulative limits.
	d := r.Authorize(governance.Request{Actor: hub.ID, Scope: "commission/mental-health/iapt", Amount: gbp("4800"), Usage: l}, june)
	fmt.Fprintf(w, "allowed: %t\n%s\n", d.Allowed, r.Describe(d.Path))
	d = r.Authorize(governance.Request{Actor: hub.ID, Scope: "commission/housing", Amount: gbp("10")}, june)
	fmt.Fprintf(w, "allowed: %t, because %s\n", d.Allowed, d.Reasons[0].Code)

	grant := func(n int, amount string) ledger.Transaction {
		return ledger.Transaction{ID: id(n), Kind: ledger.Grant, Effective: june, Recorded: june,
			Postings:  []ledger.Posting{{Account: budget, Amount: gbp(amount).Neg()}, {Account: templeCash, Amount: gbp(amount)}},
			Formality: ledger.Formality{Instrument: delegation, Scope: "commission/mental-health/iapt", DecidedBy: hub.ID}}
	}
	if _, err := l.Post(grant(30, "18000")); err != nil {
		return err
	}
	got, _ := l.Transaction(id(30))
	fmt.Fprintf(w, "grant recorded under a proof path of %d links\n", len(got.Proof.Path))
	_, err := l.Post(grant(31, "19000"))
	fmt.Fprintf(w, "a second grant of 19000: %s\n", coprod.CodeOf(err))
	_, err = l.Post(grant(32, "25000"))
	fmt.Fprintf(w, "a grant of 25000: %s, over the transaction limit: %t\n", coprod.CodeOf(err), errors.Is(err, governance.ErrOverLimit))

	head, err := ledger.Verify(bytes.NewReader(journal.Bytes()), nil)
	fmt.Fprintf(w, "journal: %d lines, verified: %t\n", head.Seq, err == nil)

	// Check lists every accountability fault, with stable codes.
	fmt.Fprint(w, r.Check(june))
	return nil
}

// tour:end
