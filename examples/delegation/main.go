// Command delegation shows coprod's governance package on one borough's
// mental-health partnership: the council's mandate delegated to a
// community hub and on to a temple that runs a talking-therapy service,
// an action proved against those lines, the same action refused once the
// hub's delegation is revoked, and the accountability check.
//
// Run it with:
//
//	go run ./examples/delegation
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// ids are fixed so that the output is the same on every run.
func id(n int) uuid.UUID { return uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", n)) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func run(w io.Writer) error {
	var (
		council  = coprod.Party{ID: id(1), Name: "Borough Council", Sector: coprod.Statutory}
		hub      = coprod.Party{ID: id(2), Name: "Community Empowerment Network", Sector: coprod.Hub}
		temple   = coprod.Party{ID: id(3), Name: "Temple", Sector: coprod.Community}
		users    = coprod.Party{ID: id(4), Name: "Service Users Forum", Sector: coprod.ServiceUsers}
		director = coprod.Party{ID: id(5), Name: "Hub Director", Sector: coprod.Individual}
	)
	scope := governance.MustParseScope
	gbp := func(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.GBP) }
	window := coprod.Window{NotBefore: day(2025, 4, 1), Expires: day(2027, 4, 1)}

	r := governance.NewRegister()
	for _, p := range []coprod.Party{council, hub, temple, users, director} {
		if err := r.AddParty(p); err != nil {
			return err
		}
	}
	if err := r.AddMandate(governance.Mandate{
		ID: id(101), Holder: council.ID, Scope: scope("commission"), Basis: "Care Act 2014 s.1",
		Reserved:         []governance.Scope{scope("commission/budget-setting")},
		TransactionLimit: gbp("100000"), JointThreshold: gbp("25000"), Window: window, MaxDepth: 2,
	}); err != nil {
		return err
	}
	if err := r.Delegate(governance.Delegation{
		ID: id(201), Parent: id(101), From: council.ID, To: hub.ID,
		Scope: scope("commission/mental-health"), Instrument: "Partnership agreement 2025",
		TransactionLimit: gbp("20000"), JointThreshold: gbp("10000"), Window: window,
		MaySubDelegate: true, MaxDepth: 1,
	}); err != nil {
		return err
	}
	if err := r.Delegate(governance.Delegation{
		ID: id(202), Parent: id(201), From: hub.ID, To: temple.ID,
		Scope: scope("commission/mental-health/iapt"), Instrument: "Service level agreement",
		TransactionLimit: gbp("5000"), JointThreshold: gbp("5000"), Window: window,
	}); err != nil {
		return err
	}
	// A delegation wider than its parent is refused and changes nothing.
	err := r.Delegate(governance.Delegation{
		ID: id(203), Parent: id(201), From: hub.ID, To: temple.ID,
		Scope: scope("commission"), Instrument: "Letter", TransactionLimit: gbp("5000"), JointThreshold: gbp("5000"), Window: window,
	})
	fmt.Fprintf(w, "refused: %s\n\n", governance.CodeOf(err))

	if err := r.AddActivity(governance.Activity{
		ID: id(301), Name: "Talking therapy at the temple", Scope: scope("commission/mental-health/iapt"),
		Responsible: []uuid.UUID{temple.ID}, Accountable: []uuid.UUID{hub.ID}, Consulted: []uuid.UUID{users.ID},
	}); err != nil {
		return err
	}
	if err := r.AddActivity(governance.Activity{
		ID: id(302), Name: "Family therapy network", Scope: scope("commission/mental-health/family-therapy"),
		Responsible: []uuid.UUID{director.ID}, Accountable: []uuid.UUID{director.ID},
	}); err != nil {
		return err
	}

	req := governance.Request{Actor: temple.ID, Scope: scope("commission/mental-health/iapt"), Amount: gbp("4800")}
	d := r.Authorize(req, day(2025, 10, 1))
	fmt.Fprintf(w, "temple spends %s on 2025-10-01: allowed=%t\n%s\n\n", req.Amount, d.Allowed, r.Describe(d.Path))

	if err := r.Revoke(governance.Revocation{Link: id(201), By: council.ID, At: day(2025, 11, 1), Reason: "agreement lapsed unsigned"}); err != nil {
		return err
	}
	d = r.Authorize(req, day(2025, 12, 1))
	fmt.Fprintf(w, "the same on 2025-12-01: allowed=%t\n", d.Allowed)
	for _, reason := range d.Reasons {
		fmt.Fprintf(w, "  %s: %s\n", reason.Code, reason.Message)
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, r.Check(day(2025, 12, 1)))
	return nil
}
