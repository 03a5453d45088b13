package governance_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
)

// A board reserves contract awards above £50,000 to itself and delegates
// contracts to an officer: the officer awards £5,000, not £250,000; the
// board awards £250,000 itself; three awards of £20,000 to one provider
// are reported as split.
func ExampleReservation() {
	board := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000011"), Name: "Council Board", Sector: coprod.Statutory}
	officer := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000012"), Name: "Contracts Officer", Sector: coprod.Individual}
	provider := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000013"), Name: "Temple", Sector: coprod.Community}
	mandate := uuid.MustParse("00000000-0000-4000-8000-0000000000c1")
	delegation := uuid.MustParse("00000000-0000-4000-8000-0000000000c2")
	award := governance.MustParseScope("commission/contracts/award")

	r := governance.NewRegister()
	for _, p := range []coprod.Party{board, officer, provider} {
		if err := r.AddParty(p); err != nil {
			panic(err)
		}
	}
	if err := r.AddMandate(governance.Mandate{
		ID: mandate, Holder: board.ID, Scope: governance.MustParseScope("commission"), Basis: "Board resolution 2025/14",
		ReservedAbove: []governance.Reservation{{Scope: award, Above: coprod.MustParseAmount("50000", coprod.GBP), Ref: "Scheme of reservation s.2.3"}},
		MaxDepth:      1,
	}); err != nil {
		panic(err)
	}
	// Unlike an outright reservation, the matter may be delegated.
	if err := r.Delegate(governance.Delegation{
		ID: delegation, Parent: mandate, From: board.ID, To: officer.ID,
		Scope: governance.MustParseScope("commission/contracts"), Instrument: "Scheme of delegation s.4.2",
	}); err != nil {
		panic(err)
	}

	at := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	// The request's amount is the commitment's whole value.
	for _, req := range []governance.Request{
		{Actor: officer.ID, Scope: award, Amount: coprod.MustParseAmount("5000", coprod.GBP)},
		{Actor: officer.ID, Scope: award, Amount: coprod.MustParseAmount("250000", coprod.GBP)},
		{Actor: board.ID, Scope: award, Amount: coprod.MustParseAmount("250000", coprod.GBP)},
	} {
		d := r.Authorize(req, at)
		fmt.Printf("%s, %s: allowed=%t\n", r.PartyName(req.Actor), req.Amount, d.Allowed)
		for _, reason := range d.Reasons {
			fmt.Printf("  %s: %s\n", reason.Code, reason.Message)
		}
	}

	var awards []coprod.Award
	for i := range 3 {
		awards = append(awards, coprod.Award{
			ID:    uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-0000000000d%d", i)),
			Scope: award, To: provider.ID, Decider: officer.ID, Instrument: delegation,
			Amount: coprod.MustParseAmount("20000", coprod.GBP), At: at.AddDate(0, 0, 7*i),
		})
	}
	rep := r.CheckAwards(at.AddDate(0, 3, 0), coprod.Window{}, slices.Values(awards))
	fmt.Print(rep)
	// Output:
	// Contracts Officer, 5000.00 GBP: allowed=true
	// Contracts Officer, 250000.00 GBP: allowed=false
	//   RESERVED_ABOVE_THRESHOLD: 250000.00 GBP is above 50000.00 GBP: commission/contracts/award above it is reserved to Council Board, holder of mandate 00000000-0000-4000-8000-0000000000c1 (Scheme of reservation s.2.3)
	// Council Board, 250000.00 GBP: allowed=true
	// governance check at 2025-10-01T00:00:00Z: 0 errors, 2 warnings, 0 notes
	// warning KEY_PERSON_HOLDING: authority for commission/contracts rests on Contracts Officer alone: no deputy holds it
	// warning SPLIT_BELOW_RESERVATION: 3 awards to Temple in commission/contracts/award, each at most 50000.00 GBP, total 60000.00 GBP: above the threshold reserved to Council Board (Scheme of reservation s.2.3)
}
