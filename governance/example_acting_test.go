package governance_test

import (
	"fmt"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
)

// The council delegated outreach to the hub's director personally, not to
// the hub: Check says so, and says that outreach rests on the director
// alone. The director may still spend the hub's money at their own
// discretion, and the proof names the record that allowed it.
func ExampleRegister_ActFor() {
	council := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000011"), Name: "Borough Council", Sector: coprod.Statutory}
	hub := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000012"), Name: "Community Hub", Sector: coprod.Hub}
	director := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000013"), Name: "Hub Director", Sector: coprod.Individual}
	mandate := uuid.MustParse("00000000-0000-4000-8000-0000000000c1")
	toDirector := uuid.MustParse("00000000-0000-4000-8000-0000000000c2")
	acting := uuid.MustParse("00000000-0000-4000-8000-0000000000c3")
	at := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)

	r := governance.NewRegister()
	for _, err := range []error{
		r.AddParty(council), r.AddParty(hub), r.AddParty(director),
		r.AddMandate(governance.Mandate{ID: mandate, Holder: council.ID, Scope: governance.MustParseScope("commission"), Basis: "Care Act 2014 s.1", MaxDepth: 1}),
		r.Delegate(governance.Delegation{ID: toDirector, Parent: mandate, From: council.ID, To: director.ID,
			Scope: governance.MustParseScope("commission/outreach"), Instrument: "Letter to the director"}),
		r.ActFor(governance.ActingFor{ID: acting, Person: director.ID, For: hub.ID, Role: governance.RoleDirector}),
	} {
		if err != nil {
			panic(err)
		}
	}
	fmt.Print(r.Check(at))

	// The hub's director acts for the hub, so may spend its money.
	proof, err := r.Permit(coprod.Permission{Decider: director.ID, Amount: coprod.MustParseAmount("250", coprod.GBP),
		Payers: []coprod.PartyID{hub.ID}, Recorded: at})
	fmt.Println(err, proof.Acting[0].ID == acting)

	// The hub cannot act for anyone: only people act for organisations.
	err = r.ActFor(governance.ActingFor{ID: uuid.New(), Person: hub.ID, For: council.ID, Role: governance.RoleOfficer})
	fmt.Println(governance.CodeOf(err))
	// Output:
	// governance check at 2026-01-10T00:00:00Z: 0 errors, 2 warnings, 0 notes
	// warning AUTHORITY_HELD_PERSONALLY: delegation commission/outreach from Borough Council to Hub Director rests on Hub Director personally, who acts for Community Hub (director): it leaves with them
	// warning KEY_PERSON_HOLDING: authority for commission/outreach rests on Hub Director alone: no deputy holds it
	// <nil> true
	// NOT_AN_INDIVIDUAL
}

// A deputy clears a key-person dependency only with valid authority for
// the activity's scope: the first deputy named holds none, the second is
// given it.
func ExampleRegister_Check_deputies() {
	council := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000021"), Name: "Borough Council", Sector: coprod.Statutory}
	champion := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000022"), Name: "Council Champion", Sector: coprod.Individual}
	deputy := coprod.Party{ID: uuid.MustParse("00000000-0000-4000-8000-000000000023"), Name: "Deputy Champion", Sector: coprod.Individual}
	mandate := uuid.MustParse("00000000-0000-4000-8000-0000000000d1")
	activity := uuid.MustParse("00000000-0000-4000-8000-0000000000d2")
	scope := governance.MustParseScope("commission/faith-forum")
	at := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)

	r := governance.NewRegister()
	for _, err := range []error{
		r.AddParty(council), r.AddParty(champion), r.AddParty(deputy),
		r.AddMandate(governance.Mandate{ID: mandate, Holder: council.ID, Scope: governance.MustParseScope("commission"), Basis: "Care Act 2014 s.1", MaxDepth: 1}),
		r.Delegate(governance.Delegation{ID: uuid.MustParse("00000000-0000-4000-8000-0000000000d3"), Parent: mandate, From: council.ID, To: champion.ID, Scope: scope}),
		r.ActFor(governance.ActingFor{ID: uuid.MustParse("00000000-0000-4000-8000-0000000000d4"), Person: champion.ID, For: council.ID, Role: governance.RoleChampion}),
		r.AddActivity(governance.Activity{ID: activity, Name: "Faith forum", Scope: scope,
			Responsible: []uuid.UUID{champion.ID}, Accountable: []uuid.UUID{council.ID}, Deputies: []uuid.UUID{deputy.ID}}),
	} {
		if err != nil {
			panic(err)
		}
	}
	fmt.Print(r.Check(at))

	// The council delegates the forum to the deputy too.
	if err := r.Delegate(governance.Delegation{ID: uuid.MustParse("00000000-0000-4000-8000-0000000000d5"), Parent: mandate, From: council.ID, To: deputy.ID, Scope: scope}); err != nil {
		panic(err)
	}
	fmt.Print(r.Check(at))
	// Output:
	// governance check at 2026-01-10T00:00:00Z: 0 errors, 3 warnings, 0 notes
	// warning DEPUTY_WITHOUT_AUTHORITY: Deputy Champion is a deputy for "Faith forum" but holds no valid authority for commission/faith-forum
	// warning KEY_PERSON_DEPENDENCY: "Faith forum" rests on Council Champion alone: no deputy holds authority for commission/faith-forum
	// warning KEY_PERSON_HOLDING: authority for commission/faith-forum rests on Council Champion alone: no deputy holds it
	// governance check at 2026-01-10T00:00:00Z: 0 errors, 0 warnings, 0 notes
}
