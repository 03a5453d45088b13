package governance_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
)

func ExampleRegister_Delegate() {
	// The council's mandate, delegated to the hub and on to the temple.
	council := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000001"), Name: "Borough Council", Sector: coprod.Statutory}
	hub := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000002"), Name: "Community Hub", Sector: coprod.Hub}
	temple := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000003"), Name: "Temple", Sector: coprod.Community}
	mandate := uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	toHub := uuid.MustParse("00000000-0000-4000-8000-0000000000b1")
	toTemple := uuid.MustParse("00000000-0000-4000-8000-0000000000b2")
	r := governance.NewRegister()
	if err := errors.Join(
		r.AddParty(council), r.AddParty(hub), r.AddParty(temple),
		r.AddMandate(governance.Mandate{
			ID: mandate, Holder: council.ID, Scope: governance.MustParseScope("commission"),
			Basis:            "Care Act 2014 s.1",
			Reserved:         []governance.Scope{governance.MustParseScope("commission/budget-setting")},
			TransactionLimit: coprod.MustParseAmount("100000", coprod.GBP),
			MaxDepth:         2,
		}),
		r.Delegate(governance.Delegation{
			ID: toHub, Parent: mandate, From: council.ID, To: hub.ID,
			Scope:            governance.MustParseScope("commission/mental-health"),
			Instrument:       "Partnership agreement 2025",
			TransactionLimit: coprod.MustParseAmount("20000", coprod.GBP),
			Window:           coprod.Window{NotBefore: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)},
			MaySubDelegate:   true, MaxDepth: 1,
		}),
		r.Delegate(governance.Delegation{
			ID: toTemple, Parent: toHub, From: hub.ID, To: temple.ID,
			Scope:            governance.MustParseScope("commission/mental-health/iapt"),
			Instrument:       "Service level agreement",
			TransactionLimit: coprod.MustParseAmount("5000", coprod.GBP),
			Window:           coprod.Window{NotBefore: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
		}),
	); err != nil {
		fmt.Println(err)
		return
	}

	// The temple may not pass its authority on, and nobody may delegate
	// more than they hold.
	err := r.Delegate(governance.Delegation{
		ID: uuid.MustParse("00000000-0000-4000-8000-0000000000b3"), Parent: toHub, From: hub.ID, To: temple.ID,
		Scope:            governance.MustParseScope("commission/mental-health/iapt"),
		TransactionLimit: coprod.MustParseAmount("25000", coprod.GBP),
		Window:           coprod.Window{NotBefore: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
	})
	fmt.Println(errors.Is(err, governance.ErrLimitExceedsParent), governance.CodeOf(err))

	err = r.Delegate(governance.Delegation{
		ID: uuid.MustParse("00000000-0000-4000-8000-0000000000b4"), Parent: mandate, From: council.ID, To: hub.ID,
		Scope:            governance.MustParseScope("commission/budget-setting"),
		TransactionLimit: coprod.MustParseAmount("1000", coprod.GBP),
	})
	fmt.Println(governance.CodeOf(err))
	fmt.Println(r.Len(), "mandates and delegations")
	// Output:
	// true LIMIT_EXCEEDS_PARENT
	// RESERVED_MATTER_DELEGATED
	// 3 mandates and delegations
}

func ExampleRegister_Authorize() {
	// The council's mandate, delegated to the hub and on to the temple.
	council := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000001"), Name: "Borough Council", Sector: coprod.Statutory}
	hub := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000002"), Name: "Community Hub", Sector: coprod.Hub}
	temple := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000003"), Name: "Temple", Sector: coprod.Community}
	mandate := uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	toHub := uuid.MustParse("00000000-0000-4000-8000-0000000000b1")
	toTemple := uuid.MustParse("00000000-0000-4000-8000-0000000000b2")
	r := governance.NewRegister()
	if err := errors.Join(
		r.AddParty(council), r.AddParty(hub), r.AddParty(temple),
		r.AddMandate(governance.Mandate{
			ID: mandate, Holder: council.ID, Scope: governance.MustParseScope("commission"),
			Basis:            "Care Act 2014 s.1",
			Reserved:         []governance.Scope{governance.MustParseScope("commission/budget-setting")},
			TransactionLimit: coprod.MustParseAmount("100000", coprod.GBP),
			MaxDepth:         2,
		}),
		r.Delegate(governance.Delegation{
			ID: toHub, Parent: mandate, From: council.ID, To: hub.ID,
			Scope:            governance.MustParseScope("commission/mental-health"),
			Instrument:       "Partnership agreement 2025",
			TransactionLimit: coprod.MustParseAmount("20000", coprod.GBP),
			Window:           coprod.Window{NotBefore: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)},
			MaySubDelegate:   true, MaxDepth: 1,
		}),
		r.Delegate(governance.Delegation{
			ID: toTemple, Parent: toHub, From: hub.ID, To: temple.ID,
			Scope:            governance.MustParseScope("commission/mental-health/iapt"),
			Instrument:       "Service level agreement",
			TransactionLimit: coprod.MustParseAmount("5000", coprod.GBP),
			Window:           coprod.Window{NotBefore: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
		}),
	); err != nil {
		fmt.Println(err)
		return
	}
	d := r.Authorize(governance.Request{
		Actor:  temple.ID,
		Scope:  governance.MustParseScope("commission/mental-health/iapt"),
		Amount: coprod.MustParseAmount("4500", coprod.GBP),
	}, time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println("allowed:", d.Allowed)
	fmt.Println(r.Describe(d.Path))
	fmt.Println("limit:", d.Effective.TransactionLimit, "window:", d.Effective.Window)
	// Output:
	// allowed: true
	// mandate commission held by Borough Council
	// delegation commission/mental-health from Borough Council to Community Hub
	// delegation commission/mental-health/iapt from Community Hub to Temple
	// limit: 5000.00 GBP window: [2025-06-01T00:00:00Z, 2026-06-01T00:00:00Z)
}

func ExampleRegister_Authorize_denied() {
	// The council's mandate, delegated to the hub and on to the temple.
	council := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000001"), Name: "Borough Council", Sector: coprod.Statutory}
	hub := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000002"), Name: "Community Hub", Sector: coprod.Hub}
	temple := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000003"), Name: "Temple", Sector: coprod.Community}
	mandate := uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	toHub := uuid.MustParse("00000000-0000-4000-8000-0000000000b1")
	toTemple := uuid.MustParse("00000000-0000-4000-8000-0000000000b2")
	r := governance.NewRegister()
	if err := errors.Join(
		r.AddParty(council), r.AddParty(hub), r.AddParty(temple),
		r.AddMandate(governance.Mandate{
			ID: mandate, Holder: council.ID, Scope: governance.MustParseScope("commission"),
			Basis:            "Care Act 2014 s.1",
			Reserved:         []governance.Scope{governance.MustParseScope("commission/budget-setting")},
			TransactionLimit: coprod.MustParseAmount("100000", coprod.GBP),
			MaxDepth:         2,
		}),
		r.Delegate(governance.Delegation{
			ID: toHub, Parent: mandate, From: council.ID, To: hub.ID,
			Scope:            governance.MustParseScope("commission/mental-health"),
			Instrument:       "Partnership agreement 2025",
			TransactionLimit: coprod.MustParseAmount("20000", coprod.GBP),
			Window:           coprod.Window{NotBefore: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)},
			MaySubDelegate:   true, MaxDepth: 1,
		}),
		r.Delegate(governance.Delegation{
			ID: toTemple, Parent: toHub, From: hub.ID, To: temple.ID,
			Scope:            governance.MustParseScope("commission/mental-health/iapt"),
			Instrument:       "Service level agreement",
			TransactionLimit: coprod.MustParseAmount("5000", coprod.GBP),
			Window:           coprod.Window{NotBefore: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
		}),
	); err != nil {
		fmt.Println(err)
		return
	}
	if err := r.Revoke(governance.Revocation{
		Link: toHub, By: council.ID, At: time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC), Reason: "partnership agreement under review",
	}); err != nil {
		panic(err)
	}
	d := r.Authorize(governance.Request{
		Actor:  temple.ID,
		Scope:  governance.MustParseScope("commission/mental-health/iapt"),
		Amount: coprod.MustParseAmount("6000", coprod.GBP),
	}, time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println("allowed:", d.Allowed)
	for _, reason := range d.Reasons {
		fmt.Println(reason.Code, "at", reason.Link == toHub, reason.Link == toTemple)
	}
	fmt.Println(errors.Is(d.Err(), governance.ErrRevoked))
	// Output:
	// allowed: false
	// OVER_TRANSACTION_LIMIT at false true
	// REVOKED at true false
	// true
}

func ExampleRegister_Check() {
	// The council's mandate, delegated to the hub and on to the temple.
	council := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000001"), Name: "Borough Council", Sector: coprod.Statutory}
	hub := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000002"), Name: "Community Hub", Sector: coprod.Hub}
	temple := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000003"), Name: "Temple", Sector: coprod.Community}
	mandate := uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	toHub := uuid.MustParse("00000000-0000-4000-8000-0000000000b1")
	toTemple := uuid.MustParse("00000000-0000-4000-8000-0000000000b2")
	r := governance.NewRegister()
	if err := errors.Join(
		r.AddParty(council), r.AddParty(hub), r.AddParty(temple),
		r.AddMandate(governance.Mandate{
			ID: mandate, Holder: council.ID, Scope: governance.MustParseScope("commission"),
			Basis:            "Care Act 2014 s.1",
			Reserved:         []governance.Scope{governance.MustParseScope("commission/budget-setting")},
			TransactionLimit: coprod.MustParseAmount("100000", coprod.GBP),
			MaxDepth:         2,
		}),
		r.Delegate(governance.Delegation{
			ID: toHub, Parent: mandate, From: council.ID, To: hub.ID,
			Scope:            governance.MustParseScope("commission/mental-health"),
			Instrument:       "Partnership agreement 2025",
			TransactionLimit: coprod.MustParseAmount("20000", coprod.GBP),
			Window:           coprod.Window{NotBefore: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)},
			MaySubDelegate:   true, MaxDepth: 1,
		}),
		r.Delegate(governance.Delegation{
			ID: toTemple, Parent: toHub, From: hub.ID, To: temple.ID,
			Scope:            governance.MustParseScope("commission/mental-health/iapt"),
			Instrument:       "Service level agreement",
			TransactionLimit: coprod.MustParseAmount("5000", coprod.GBP),
			Window:           coprod.Window{NotBefore: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
		}),
	); err != nil {
		fmt.Println(err)
		return
	}
	steps := []error{
		r.AddParty(coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000004"), Name: "Service Users Forum", Sector: coprod.ServiceUsers}),
		r.AddParty(coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000005"), Name: "Hub Director", Sector: coprod.Individual}),
		r.AddActivity(governance.Activity{
			ID: uuid.MustParse("00000000-0000-4000-8000-0000000000c1"), Name: "Family therapy network",
			Scope:       governance.MustParseScope("commission/mental-health/family-therapy"),
			Responsible: []uuid.UUID{uuid.MustParse("00000000-0000-4000-8000-000000000005")},
			Accountable: []uuid.UUID{hub.ID},
			Consulted:   []uuid.UUID{uuid.MustParse("00000000-0000-4000-8000-000000000004")},
		}),
	}
	if err := errors.Join(steps...); err != nil {
		panic(err)
	}
	fmt.Print(r.Check(time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)))
	// Output:
	// governance check at 2025-09-01T00:00:00Z: 0 errors, 4 warnings, 0 notes
	// warning COMMUNITY_WITHOUT_DECISION_RIGHTS: Temple takes part in no live activity and holds no delegated authority for one
	// warning COMMUNITY_WITHOUT_DECISION_RIGHTS: Service Users Forum is only ever Consulted or Informed and holds no delegated authority
	// warning KEY_PERSON_DEPENDENCY: "Family therapy network" rests on Hub Director alone, with no deputy
	// warning RESPONSIBLE_WITHOUT_AUTHORITY: Hub Director is Responsible for "Family therapy network" but holds no valid authority for commission/mental-health/family-therapy
}

func ExampleRegister_Mermaid() {
	// The council's mandate, delegated to the hub and on to the temple.
	council := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000001"), Name: "Borough Council", Sector: coprod.Statutory}
	hub := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000002"), Name: "Community Hub", Sector: coprod.Hub}
	temple := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000003"), Name: "Temple", Sector: coprod.Community}
	mandate := uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	toHub := uuid.MustParse("00000000-0000-4000-8000-0000000000b1")
	toTemple := uuid.MustParse("00000000-0000-4000-8000-0000000000b2")
	r := governance.NewRegister()
	if err := errors.Join(
		r.AddParty(council), r.AddParty(hub), r.AddParty(temple),
		r.AddMandate(governance.Mandate{
			ID: mandate, Holder: council.ID, Scope: governance.MustParseScope("commission"),
			Basis:            "Care Act 2014 s.1",
			Reserved:         []governance.Scope{governance.MustParseScope("commission/budget-setting")},
			TransactionLimit: coprod.MustParseAmount("100000", coprod.GBP),
			MaxDepth:         2,
		}),
		r.Delegate(governance.Delegation{
			ID: toHub, Parent: mandate, From: council.ID, To: hub.ID,
			Scope:            governance.MustParseScope("commission/mental-health"),
			Instrument:       "Partnership agreement 2025",
			TransactionLimit: coprod.MustParseAmount("20000", coprod.GBP),
			Window:           coprod.Window{NotBefore: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)},
			MaySubDelegate:   true, MaxDepth: 1,
		}),
		r.Delegate(governance.Delegation{
			ID: toTemple, Parent: toHub, From: hub.ID, To: temple.ID,
			Scope:            governance.MustParseScope("commission/mental-health/iapt"),
			Instrument:       "Service level agreement",
			TransactionLimit: coprod.MustParseAmount("5000", coprod.GBP),
			Window:           coprod.Window{NotBefore: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
		}),
	); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(r.Mermaid(time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)))
	// Output:
	// flowchart TD
	//   P1["Borough Council<br/>statutory"]
	//   P2["Community Hub<br/>hub"]
	//   P3["Temple<br/>community"]
	//   M1(["mandate commission<br/>Care Act 2014 s.1"])
	//   M1 -->|"holds"| P1
	//   P1 -->|"commission/mental-health<br/>≤ 20000.00 GBP"| P2
	//   P2 -->|"commission/mental-health/iapt<br/>≤ 5000.00 GBP"| P3
	//   classDef community fill:#e6f4ea,stroke:#2e7d32
	//   class P2,P3 community
}

// Decision rights are judged per Co: the temple decides how IAPT is
// delivered, but is only consulted on what is commissioned, so it has no
// decision right in commissioning. The mosque, named in no activity, has
// none anywhere. Each finding names the Co among its subjects (Co.ID).
func ExampleRegister_Check_perCo() {
	council := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000101"), Name: "Council", Sector: coprod.Statutory}
	temple := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000102"), Name: "Temple", Sector: coprod.Community}
	mosque := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000103"), Name: "Mosque", Sector: coprod.Community}
	r := governance.NewRegister()
	steps := []error{
		r.AddParty(council), r.AddParty(temple), r.AddParty(mosque),
		r.AddActivity(governance.Activity{
			ID: uuid.MustParse("00000000-0000-4000-8000-0000000001a1"), Name: "Commissioning round",
			Scope: governance.MustParseScope("services/commissioning"), Cos: []governance.Co{governance.CoCommissioning},
			Responsible: []uuid.UUID{council.ID}, Accountable: []uuid.UUID{council.ID}, Consulted: []uuid.UUID{temple.ID},
		}),
		r.AddActivity(governance.Activity{
			ID: uuid.MustParse("00000000-0000-4000-8000-0000000001a2"), Name: "IAPT at the temple",
			Scope: governance.MustParseScope("services/delivery"), Cos: []governance.Co{governance.CoDelivery},
			Responsible: []uuid.UUID{temple.ID}, Accountable: []uuid.UUID{council.ID},
		}),
	}
	if err := errors.Join(steps...); err != nil {
		panic(err)
	}
	for _, f := range r.Check(time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)).Findings {
		if f.Code != governance.CodeCommunityNoDecision {
			continue
		}
		for _, co := range governance.AllCos() {
			if f.Subjects[1] == co.ID() {
				fmt.Printf("%s: %s\n", co, f.Reason)
			}
		}
	}
	// Output:
	// co-commissioning: Temple only advises on co-commissioning (Consulted or Informed) and holds no delegated authority there
	// co-delivery: Mosque has no part in any live co-delivery activity and holds no delegated authority there
	// co-commissioning: Mosque has no part in any live co-commissioning activity and holds no delegated authority there
}
