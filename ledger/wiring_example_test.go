package ledger_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// One call wires a register into a ledger: the register is the ledger's
// Authorizer (its Permit method), the ledger keeps the cumulative totals
// itself and serves as the register's Usage for a standalone Authorize,
// and the register's Sector method is the Classifier for Metrics.
// LabourTransaction records who gave the hours and who received them.
func Example_wiringARegister() {
	n := func(i byte) uuid.UUID { return uuid.UUID{15: i} }
	council, officer, temple := n(1), n(2), n(3)
	reg := governance.NewRegister()
	_ = reg.AddParty(coprod.Party{ID: council, Name: "Council", Sector: coprod.Statutory})
	_ = reg.AddParty(coprod.Party{ID: officer, Name: "Officer", Sector: coprod.Individual})
	_ = reg.AddParty(coprod.Party{ID: temple, Name: "Temple", Sector: coprod.Community})
	_ = reg.AddMandate(governance.Mandate{ID: n(10), Holder: council, Scope: "commission", MaxDepth: 1})
	_ = reg.Delegate(governance.Delegation{ID: n(11), Parent: n(10), From: council, To: officer,
		Scope: "commission/mental-health", TransactionLimit: coprod.MustParseAmount("1000", coprod.GBP),
		CumulativeLimit: coprod.MustParseAmount("1000", coprod.GBP), Period: governance.PeriodMonth})

	l := ledger.New(ledger.Options{Authorizer: reg}) // the whole wiring
	_ = l.Open(ledger.Account{ID: n(20), Owner: council, Kind: ledger.Budget, Unit: coprod.GBP})
	_ = l.Open(ledger.Account{ID: n(21), Owner: temple, Kind: ledger.Cash, Unit: coprod.GBP})
	_ = l.Open(ledger.Account{ID: n(22), Owner: temple, Kind: ledger.MemoLabour, Unit: coprod.Hours})
	_ = l.Open(ledger.Account{ID: n(23), Owner: council, Kind: ledger.MemoLabour, Unit: coprod.Hours})

	may := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	grant := func(i byte, amount string) error {
		a := coprod.MustParseAmount(amount, coprod.GBP)
		_, err := l.Post(ledger.Transaction{ID: n(i), Kind: ledger.Grant, Effective: may, Recorded: may,
			Postings:  []ledger.Posting{{Account: n(20), Amount: a.Neg()}, {Account: n(21), Amount: a}},
			Formality: ledger.Formality{Instrument: n(11), Scope: "commission/mental-health/iapt", DecidedBy: officer}})
		return err
	}
	fmt.Println("first grant:", grant(30, "600"))
	fmt.Println("second grant over the monthly cap:", errors.Is(grant(31, "500"), ledger.ErrOverCumulative))

	// The same question asked of the register alone, with the ledger's
	// totals as its Usage.
	d := reg.Authorize(governance.Request{Actor: officer, Scope: "commission/mental-health/iapt",
		Amount: coprod.MustParseAmount("500", coprod.GBP), Usage: l}, may)
	fmt.Println("register alone allows 500 more:", d.Allowed)

	// The temple gave 40 hours to the council's service: the giver's
	// account is the first one named.
	hours, _ := ledger.LabourTransaction(n(32), n(22), n(23), ledger.Labour{Hours: coprod.MustParseAmount("40", coprod.Hours),
		Method: ledger.ReplacementCost, Rate: coprod.MustParseAmount("14.50", coprod.GBP)}, may, may, temple)
	_, err := l.Post(hours)
	fmt.Println("hours recorded:", err)

	m, _ := l.Metrics(coprod.Window{}, reg.Sector)
	fmt.Println("statutory money:", m.BySource.Statutory, "formal:", m.FormalToCommunity)
	fmt.Println("unpaid labour:", m.Labour.Hours, "worth", m.Labour.Central, "given by the temple:", m.Parties[0].Labour.Hours)
	fmt.Println("cost coverage:", m.Coverage.Central)
	// Output:
	// first grant: <nil>
	// second grant over the monthly cap: true
	// register alone allows 500 more: false
	// hours recorded: <nil>
	// statutory money: 600.00 GBP formal: 100.0%
	// unpaid labour: 40.00 hours worth 580.00 GBP given by the temple: 40.00 hours
	// cost coverage: 103.4%
}

// Money by source: a foundation's core grant to the hub is its own source,
// counted as core funding and kept out of cost coverage, which measures
// what the council pays for the temple's service.
func ExampleLedger_Metrics_bySource() {
	n := func(i byte) uuid.UUID { return uuid.UUID{15: i} }
	council, foundation, hub, temple, officer := n(1), n(2), n(3), n(4), n(5)
	sectors := map[coprod.PartyID]coprod.Sector{council: coprod.Statutory, foundation: coprod.IndependentFunder,
		hub: coprod.Hub, temple: coprod.Community, officer: coprod.Individual}

	l := ledger.New(ledger.Options{})
	for i, a := range []ledger.Account{
		{Owner: council, Kind: ledger.Budget}, {Owner: foundation, Kind: ledger.Cash}, {Owner: hub, Kind: ledger.Cash},
		{Owner: temple, Kind: ledger.Cash}, {Owner: temple, Kind: ledger.Expense},
	} {
		a.ID, a.Unit = n(byte(20+i)), coprod.GBP
		_ = l.Open(a)
	}
	at := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	pay := func(i byte, from, to byte, amount string, kind ledger.Kind, by uuid.UUID, instrument uuid.UUID, scope coprod.Scope) {
		a := coprod.MustParseAmount(amount, coprod.GBP)
		_, err := l.Post(ledger.Transaction{ID: n(i), Kind: kind, Effective: at, Recorded: at,
			Postings:  []ledger.Posting{{Account: n(from), Amount: a.Neg()}, {Account: n(to), Amount: a}},
			Formality: ledger.Formality{Instrument: instrument, Scope: scope, DecidedBy: by}})
		if err != nil {
			fmt.Println(err)
		}
	}
	pay(30, 21, 22, "40000", ledger.CoreFunding, foundation, n(9), "readiness")                         // foundation → hub
	pay(31, 20, 23, "5000", ledger.Contract, officer, n(10), "commission/mental-health/iapt")           // council → temple
	pay(32, 20, 23, "1000", ledger.Grant, officer, uuid.Nil, "commission/mental-health/family-therapy") // on one officer's word
	pay(33, 23, 24, "7500", ledger.Payment, temple, uuid.Nil, "commission/mental-health/iapt")          // the temple's costs

	m, _ := l.Metrics(coprod.Window{}, func(p coprod.PartyID) coprod.Sector { return sectors[p] })
	fmt.Println("statutory:", m.BySource.Statutory)
	fmt.Println("independent funders:", m.BySource.Independent)
	fmt.Println("core funding:", m.CoreFunding)
	fmt.Println("formal share reaching community:", m.FormalToCommunity)
	fmt.Println("cost coverage:", m.Coverage.Central, "with", m.Coverage.Independent, "from independent funders apart")
	fmt.Println("one officer decided:", m.StatutoryKeyPerson.Share, "of statutory money")
	for _, s := range m.Scopes {
		fmt.Println(s.Scope, s.Moved)
	}
	// Output:
	// statutory: 6000.00 GBP
	// independent funders: 40000.00 GBP
	// core funding: 87.0%
	// formal share reaching community: 97.8%
	// cost coverage: 80.0% with 40000.00 GBP from independent funders apart
	// one officer decided: 100.0% of statutory money
	// commission 6000.00 GBP
	// commission/mental-health 6000.00 GBP
	// commission/mental-health/family-therapy 1000.00 GBP
	// commission/mental-health/iapt 5000.00 GBP
	// readiness 40000.00 GBP
}
