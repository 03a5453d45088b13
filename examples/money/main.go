// Command money shows coprod's ledger on one borough's mental-health
// partnership: a grant made under a delegated instrument and checked
// against the governance register, a transfer an officer may not make out
// of the council's money on their own say and the council makes at its
// discretion, a payment the register refuses, unpaid delivery hours kept
// in a memorandum book, and the redistribution metrics an evaluation
// asks for.
//
// Run it with:
//
//	go run ./examples/money
package main

import (
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
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func id(n int) uuid.UUID { return uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", n)) }

func day(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }

func gbp(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.GBP) }

func run(w io.Writer) error {
	parties := []coprod.Party{
		{ID: id(1), Name: "Borough Council", Sector: coprod.Statutory},
		{ID: id(2), Name: "Community Empowerment Network", Sector: coprod.Hub},
		{ID: id(3), Name: "Temple", Sector: coprod.Community},
		{ID: id(4), Name: "Commissioning Manager", Sector: coprod.Individual},
		{ID: id(5), Name: "Grants Officer", Sector: coprod.Individual},
	}
	council, hub, temple, manager, officer := parties[0].ID, parties[1].ID, parties[2].ID, parties[3].ID, parties[4].ID

	// Governance: the council's mandate, delegated to the commissioning
	// manager up to £20,000 a transaction.
	reg := governance.NewRegister()
	for _, p := range parties {
		if err := reg.AddParty(p); err != nil {
			return err
		}
	}
	if err := reg.AddMandate(governance.Mandate{ID: id(101), Holder: council, Scope: "commission", Basis: "Care Act 2014 s.1", MaxDepth: 1}); err != nil {
		return err
	}
	if err := reg.Delegate(governance.Delegation{ID: id(201), Parent: id(101), From: council, To: manager,
		Scope: "commission/mental-health", Instrument: "Scheme of delegation 2025, s.4", TransactionLimit: gbp("20000")}); err != nil {
		return err
	}
	sector := func(p coprod.PartyID) coprod.Sector {
		party, _ := reg.Party(p)
		return party.Sector
	}

	// The ledger asks the register about every formal transaction.
	l := ledger.New(ledger.Options{Authorizer: reg})
	for _, a := range []ledger.Account{
		{ID: id(301), Owner: council, Name: "Mental health budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: id(302), Owner: hub, Name: "Hub bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: id(303), Owner: temple, Name: "Temple bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: id(304), Owner: temple, Name: "Temple service costs", Kind: ledger.Expense, Unit: coprod.GBP},
		{ID: id(307), Owner: hub, Name: "Hub staff and running costs", Kind: ledger.Expense, Unit: coprod.GBP},
		{ID: id(305), Owner: temple, Name: "Hours given", Kind: ledger.MemoLabour, Unit: coprod.Hours},
		{ID: id(306), Owner: council, Name: "Hours received by the service", Kind: ledger.MemoLabour, Unit: coprod.Hours},
	} {
		if err := l.Open(a); err != nil {
			return err
		}
	}
	move := func(n int, from, to uuid.UUID, amount string, kind ledger.Kind, f ledger.Formality, at time.Time) ledger.Transaction {
		a := gbp(amount)
		return ledger.Transaction{ID: id(n), Kind: kind, Effective: at, Recorded: at, Formality: f,
			Postings: []ledger.Posting{{Account: from, Amount: a.Neg()}, {Account: to, Amount: a}}}
	}
	formal := ledger.Formality{Instrument: id(201), Scope: "commission/mental-health/iapt", DecidedBy: manager}
	onGoodwill := ledger.Formality{DecidedBy: officer}
	atDiscretion := ledger.Formality{DecidedBy: council}

	steps := []struct {
		what string
		tx   ledger.Transaction
	}{
		{"grant to the hub under the scheme of delegation", move(401, id(301), id(302), "15000", ledger.Grant, formal, day(4, 1))},
		{"a second grant above the manager's limit", move(402, id(301), id(302), "25000", ledger.Grant, formal, day(4, 2))},
		{"transfer to the temple on the officer's goodwill", move(408, id(301), id(303), "1500", ledger.ProjectFunding, onGoodwill, day(5, 1))},
		{"the same transfer at the council's discretion", move(403, id(301), id(303), "1500", ledger.ProjectFunding, atDiscretion, day(5, 1))},
		{"temple pays for rooms and supervision", move(404, id(303), id(304), "1400", ledger.Payment, ledger.Formality{DecidedBy: temple}, day(5, 20))},
		{"hub pays its staff and running costs", move(406, id(302), id(307), "14000", ledger.Payment, ledger.Formality{DecidedBy: hub}, day(6, 1))},
	}
	for _, s := range steps {
		_, err := l.Post(s.tx)
		status := "recorded"
		if err != nil {
			status = "refused: " + string(coprod.CodeOf(err))
			var denied *governance.DeniedError
			if errors.As(err, &denied) {
				status += " (" + string(denied.Reasons[0].Code) + ")"
			}
		}
		fmt.Fprintf(w, "%-52s %s\n", s.what, status)
	}
	hours := coprod.MustParseAmount("260", coprod.Hours)
	if _, err := l.Post(ledger.Transaction{ID: id(405), Kind: ledger.UnpaidLabour, Effective: day(6, 30), Recorded: day(6, 30),
		Postings:  []ledger.Posting{{Account: id(305), Amount: hours.Neg()}, {Account: id(306), Amount: hours}},
		Formality: ledger.Formality{DecidedBy: temple},
		Labour: &ledger.Labour{Hours: hours, Method: ledger.ReplacementCost, Rate: gbp("16.20"), Low: gbp("12.21"), High: gbp("21.00"),
			WageSource: "IAPT practitioner pay range"}}); err != nil {
		return err
	}
	fmt.Fprintf(w, "%-52s %s\n\n", "260 unpaid hours of talking therapy at the temple", "recorded (memorandum)")

	cash, err := l.Balance(id(303))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "temple bank balance: %s (unpaid hours never reach cash)\n\n", cash)

	m, err := l.Metrics(coprod.Window{}, sector)
	if err != nil {
		return err
	}
	person, _ := reg.Party(m.KeyPerson.Party)
	fmt.Fprintf(w, "money moved:                 %s\n", m.Moved)
	fmt.Fprintf(w, "reached community groups:    %s\n", m.ToCommunity)
	fmt.Fprintf(w, "made under an instrument:    %s\n", m.Formal)
	fmt.Fprintf(w, "unpaid labour:               %s, worth %s (range %s to %s)\n", m.Labour.Hours, m.Labour.Central, m.Labour.Low, m.Labour.High)
	fmt.Fprintf(w, "cost coverage (community):   %s (range %s to %s)\n", m.Coverage.Central, m.Coverage.Low, m.Coverage.High)
	fmt.Fprintf(w, "largest single decider:      %s, %s of money moved\n", person.Name, m.KeyPerson.Share)
	return nil
}
