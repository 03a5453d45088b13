package ledger_test

import (
	"fmt"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// The money and the unpaid hours of a year as Mermaid Sankey diagrams: the
// council's money reaches the temple formally through the hub, and on an
// officer's say directly; the temple gives hours to the service.
func ExampleLedger_Sankey() {
	id := func(n int) uuid.UUID { return uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", n)) }
	gbp := func(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.GBP) }
	may := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	council, hub, temple, officer := id(1), id(2), id(3), id(4)
	names := map[coprod.PartyID]string{council: "Council", hub: "Hub", temple: "Temple, Tooting"}
	budget, hubCash, templeCash, hoursGiven, hoursReceived := id(11), id(12), id(13), id(14), id(15)

	l := ledger.New(ledger.Options{})
	for _, a := range []ledger.Account{
		{ID: budget, Owner: council, Name: "Budget", Kind: ledger.Budget, Unit: coprod.GBP},
		{ID: hubCash, Owner: hub, Name: "Hub bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: templeCash, Owner: temple, Name: "Temple bank", Kind: ledger.Cash, Unit: coprod.GBP},
		{ID: hoursGiven, Owner: temple, Name: "Hours given", Kind: ledger.MemoLabour, Unit: coprod.Hours},
		{ID: hoursReceived, Owner: council, Name: "Hours received", Kind: ledger.MemoLabour, Unit: coprod.Hours},
	} {
		if err := l.Open(a); err != nil {
			fmt.Println(err)
		}
	}
	pay := func(n int, from, to uuid.UUID, amount string, instrument uuid.UUID, by coprod.PartyID) {
		_, err := l.Post(ledger.Transaction{ID: id(n), Kind: ledger.ProjectFunding, Effective: may, Recorded: may,
			Postings:  []ledger.Posting{{Account: from, Amount: gbp(amount).Neg()}, {Account: to, Amount: gbp(amount)}},
			Formality: ledger.Formality{Instrument: instrument, Scope: "commission/mental-health", DecidedBy: by}})
		if err != nil {
			fmt.Println(err)
		}
	}
	sla := id(20)
	pay(21, budget, hubCash, "12000", sla, officer)
	pay(22, hubCash, templeCash, "9000", sla, hub)
	pay(23, budget, templeCash, "1500", uuid.Nil, officer) // on the officer's say
	hours, _ := ledger.LabourTransaction(id(24), hoursGiven, hoursReceived, ledger.Labour{
		Hours: coprod.MustParseAmount("60", coprod.Hours), Method: ledger.ReplacementCost,
		Rate: gbp("14.50"), Low: gbp("12.21"), High: gbp("18.75")}, may, may, temple)
	if _, err := l.Post(hours); err != nil {
		fmt.Println(err)
	}

	year := coprod.Window{NotBefore: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	name := func(p coprod.PartyID) string { return names[p] } // a register's PartyName serves too
	money, _ := l.Sankey(year, name)
	labour, _ := l.LabourSankey(year, name)
	fmt.Print(money, "\n", labour)
	// Output:
	// sankey-beta
	// %% money moved between owners, effective from 2025-04-01T00:00:00Z until 2026-04-01T00:00:00Z
	// %% values in GBP; formal: made under an instrument; discretionary: on one person's say
	// Council,Council · formal,12000.00
	// Council · formal,Hub,12000.00
	// Council,Council · discretionary,1500.00
	// Council · discretionary,"Temple, Tooting",1500.00
	// Hub,Hub · formal,9000.00
	// Hub · formal,"Temple, Tooting",9000.00
	//
	// sankey-beta
	// %% unpaid labour given, effective from 2025-04-01T00:00:00Z until 2026-04-01T00:00:00Z
	// %% values in hours, not money
	// "Temple, Tooting",Council,60.00
}
