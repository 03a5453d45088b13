// Command authority explains authority decisions: an allow with the proof
// path it rests on, and a deny with every reason the register found, each
// with its stable code and a line for people. It asks twice: directly,
// through governance.Register.Authorize, and as a ledger asks before it
// records a payment, through the register's Permit, where a refusal
// reaches the caller as an error that unwraps to the same reasons.
//
// Run it with:
//
//	go run ./examples/authority
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
	council := coprod.Party{ID: id(1), Name: "Borough Council", Sector: coprod.Statutory}
	hub := coprod.Party{ID: id(2), Name: "Community Hub", Sector: coprod.Hub}
	temple := coprod.Party{ID: id(3), Name: "Temple", Sector: coprod.Community}
	mandate, toHub, toTemple := id(101), id(102), id(103)

	// The council's mandate, delegated to the hub, and by the hub on to
	// the temple for the talking-therapy service.
	reg := governance.NewRegister()
	if err := errors.Join(
		reg.AddParty(council), reg.AddParty(hub), reg.AddParty(temple),
		reg.AddMandate(governance.Mandate{ID: mandate, Holder: council.ID, Scope: "commission", Basis: "Care Act 2014 s.1",
			Reserved: []governance.Scope{"commission/budget-setting"}, TransactionLimit: gbp("100000"), MaxDepth: 2}),
		reg.Delegate(governance.Delegation{ID: toHub, Parent: mandate, From: council.ID, To: hub.ID,
			Scope: "commission/mental-health", Instrument: "Partnership agreement 2025", TransactionLimit: gbp("20000"),
			MaySubDelegate: true, MaxDepth: 1}),
		reg.Delegate(governance.Delegation{ID: toTemple, Parent: toHub, From: hub.ID, To: temple.ID,
			Scope: "commission/mental-health/iapt", Instrument: "Service level agreement", TransactionLimit: gbp("5000")}),
	); err != nil {
		return err
	}

	fmt.Fprintln(w, "== Authorize")
	d := reg.Authorize(governance.Request{Actor: temple.ID, Scope: "commission/mental-health/iapt", Amount: gbp("4500")}, day(6, 10))
	fmt.Fprintf(w, "the temple spends 4500.00 GBP on IAPT on 10 June: allowed %t, on the proof path\n", d.Allowed)
	fmt.Fprintln(w, indent(reg.Describe(d.Path)))
	fmt.Fprintf(w, "effective limit %s\n", d.Effective.TransactionLimit)

	// The council suspends the hub's delegation; everything resting on it
	// breaks, and the temple asks for more than its own limit too.
	if err := reg.Revoke(governance.Revocation{Link: toHub, By: council.ID, At: day(8, 1),
		Reason: "partnership agreement under review"}); err != nil {
		return err
	}
	d = reg.Authorize(governance.Request{Actor: temple.ID, Scope: "commission/mental-health/iapt", Amount: gbp("6000")}, day(9, 1))
	fmt.Fprintf(w, "\nthe temple spends 6000.00 GBP on IAPT on 1 September: allowed %t, reasons found: %d\n", d.Allowed, len(d.Reasons))
	printReasons(w, reg, d.Reasons)
	fmt.Fprintln(w, "the nearest path, which would have served but for those reasons:")
	fmt.Fprintln(w, indent(reg.Describe(d.Path)))
	fmt.Fprintf(w, "as an error: %v\n", d.Err())
	fmt.Fprintf(w, "errors.Is revoked: %t, over the transaction limit: %t\n",
		errors.Is(d.Err(), governance.ErrRevoked), errors.Is(d.Err(), governance.ErrOverLimit))

	d = reg.Authorize(governance.Request{Actor: hub.ID, Scope: "commission/budget-setting", Amount: gbp("10")}, day(6, 10))
	fmt.Fprintf(w, "\nthe hub sets the budget: allowed %t, reasons found: %d\n", d.Allowed, len(d.Reasons))
	printReasons(w, reg, d.Reasons)

	// The same questions, as a ledger asks them before recording money.
	fmt.Fprintln(w, "\n== through the ledger (Permit)")
	l := ledger.New(ledger.Options{Authorizer: reg})
	budget, templeCash := id(201), id(202)
	if err := errors.Join(
		l.Open(ledger.Account{ID: budget, Owner: council.ID, Name: "Mental health budget", Kind: ledger.Budget, Unit: coprod.GBP}),
		l.Open(ledger.Account{ID: templeCash, Owner: temple.ID, Name: "Temple bank", Kind: ledger.Cash, Unit: coprod.GBP}),
	); err != nil {
		return err
	}
	pay := func(n int, amount string, decider coprod.PartyID, via uuid.UUID, at time.Time) ledger.Transaction {
		return ledger.Transaction{ID: id(n), Kind: ledger.Grant, Effective: at, Recorded: at,
			Postings:  []ledger.Posting{{Account: budget, Amount: gbp(amount).Neg()}, {Account: templeCash, Amount: gbp(amount)}},
			Formality: ledger.Formality{Instrument: via, Scope: "commission/mental-health/iapt", DecidedBy: decider}}
	}
	// Before the revocation: the hub grants the temple 4000.00 GBP of
	// the council's budget under its delegation.
	if _, err := l.Post(pay(301, "4000", hub.ID, toHub, day(7, 1))); err != nil {
		return err
	}
	tx, _ := l.Transaction(id(301))
	fmt.Fprintf(w, "grant of 4000.00 GBP on 1 July recorded, on the proof path kept with it\n")
	for _, p := range tx.Proof.Path {
		from := "held by " + reg.PartyName(p.To)
		if p.From != uuid.Nil {
			from = "from " + reg.PartyName(p.From) + " to " + reg.PartyName(p.To)
		}
		fmt.Fprintf(w, "  %s %s\n", p.Scope, from)
	}

	// After it: the temple grants itself 6000.00 GBP under its own
	// delegation.
	_, err := l.Post(pay(302, "6000", temple.ID, toTemple, day(9, 1)))
	fmt.Fprintf(w, "\nthe temple grants itself 6000.00 GBP on 1 September: %s\n", coprod.CodeOf(err))
	var denied *governance.DeniedError
	if !errors.As(err, &denied) {
		return fmt.Errorf("expected a denial, got %v", err)
	}
	printReasons(w, reg, denied.Reasons)
	bal, err := l.Balance(templeCash)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "the temple's balance is unchanged: %s\n", bal)
	return nil
}

// printReasons prints every reason with its code, the link that broke
// and its message.
func printReasons(w io.Writer, reg *governance.Register, reasons []governance.Reason) {
	for _, r := range reasons {
		at := "the request itself"
		if r.Link != uuid.Nil {
			at = "link " + linkName(reg, r.Link)
		}
		fmt.Fprintf(w, "  %s (at %s): %s\n", r.Code, at, r.Message)
	}
}

// linkName names a mandate or delegation by the parties it joins.
func linkName(reg *governance.Register, link uuid.UUID) string {
	for d := range reg.Delegations() {
		if d.ID == link {
			return reg.PartyName(d.From) + " → " + reg.PartyName(d.To)
		}
	}
	for m := range reg.Mandates() {
		if m.ID == link {
			return "mandate of " + reg.PartyName(m.Holder)
		}
	}
	return link.String()
}

func indent(s string) string {
	out := "  "
	for i, c := range s {
		out += string(c)
		if c == '\n' && i < len(s)-1 {
			out += "  "
		}
	}
	return out
}
