package governance_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
)

// linksPerGroup is the number of mandates and delegations in one group of
// scaleRegister: a mandate, nine area delegations and ninety service
// delegations.
const linksPerGroup = 100

// scaleRegister builds a register of about links mandates and
// delegations, checked at checkAt, made of groups shaped like a borough
// partnership: a council's mandate with reserved matters; delegations to
// a hub by area and on to thirty community organisations by service;
// activities naming the organisations Responsible and the hub Accountable,
// and a few resting on individuals or touching reserved matters;
// declared interests, half of them recused; revoked, expired and partly
// reassumed delegations, and links expiring within ExpiryNotice of checkAt.
// Each group has a design panel, a body whose members change over time,
// and its activities are spread over the four Co's, some of them ended.
func scaleRegister(tb testing.TB, links int) *governance.Register {
	tb.Helper()
	r := governance.NewRegister()
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	long := coprod.Window{NotBefore: date(2025, 1, 1), Expires: date(2028, 1, 1)}
	soon := coprod.Window{NotBefore: date(2025, 1, 1), Expires: checkAt.Add(governance.ExpiryNotice / 2)}
	for g := range links / linksPerGroup {
		pid := func(kind string, i int) uuid.UUID { return id(fmt.Sprintf("g%d-%s-%d", g, kind, i)) }
		root := sc(fmt.Sprintf("commission/g%d", g))
		area := func(k int) governance.Scope { return sc(fmt.Sprintf("%s/area-%d", root, k)) }
		service := func(k, j int) governance.Scope { return sc(fmt.Sprintf("%s/area-%d/service-%d", root, k, j)) }
		council, hub, users := pid("council", 0), pid("hub", 0), pid("users", 0)
		must(r.AddParty(coprod.Party{ID: council, Name: fmt.Sprintf("Council %d", g), Sector: coprod.Statutory}))
		must(r.AddParty(coprod.Party{ID: hub, Name: fmt.Sprintf("Hub %d", g), Sector: coprod.Hub}))
		must(r.AddParty(coprod.Party{ID: users, Name: fmt.Sprintf("Users forum %d", g), Sector: coprod.ServiceUsers}))
		for i := range 30 {
			must(r.AddParty(coprod.Party{ID: pid("org", i), Name: fmt.Sprintf("Organisation %d-%d", g, i), Sector: coprod.Community}))
		}
		for i := range 5 {
			must(r.AddParty(coprod.Party{ID: pid("person", i), Name: fmt.Sprintf("Person %d-%d", g, i), Sector: coprod.Individual}))
		}

		panel := pid("panel", 0)
		must(r.AddParty(coprod.Party{ID: panel, Name: fmt.Sprintf("Design panel %d", g), Sector: coprod.Statutory}))
		must(r.AddBody(governance.Body{Party: panel, Rule: governance.RuleMajority, Quorum: 2}))
		for i := range 8 {
			w := coprod.Window{NotBefore: date(2025, 1, 1)}
			if i%4 == 0 {
				w.Expires = date(2026, 1, 1) // left before checkAt
			}
			must(r.Join(governance.Membership{ID: pid("seat", i), Body: panel, Member: pid("org", i*3), Window: w}))
		}
		must(r.Join(governance.Membership{ID: pid("seat", 8), Body: panel, Member: council}))

		mandate := pid("mandate", 0)
		must(r.AddMandate(governance.Mandate{ID: mandate, Holder: council, Scope: root, Basis: "Care Act 2014 s.1",
			Reserved: []governance.Scope{sc(root.String() + "/budget"), sc(root.String() + "/audit")},
			Window:   long, MaxDepth: 2}))
		for k := range 9 {
			w := long
			if k == 0 {
				w = soon
			}
			must(r.Delegate(governance.Delegation{ID: pid("area", k), Parent: mandate, From: council, To: hub,
				Scope: area(k), Instrument: "Partnership agreement", Window: w, MaySubDelegate: true, MaxDepth: 1}))
			for j := range 10 {
				org := (k*10 + j) % 30
				lw := w
				switch {
				case j == 7:
					lw = soon
				case j == 6 && k == 1:
					lw.Expires = date(2026, 5, 1)
				}
				must(r.Delegate(governance.Delegation{ID: pid("service", k*10+j), Parent: pid("area", k), From: hub, To: pid("org", org),
					Scope: service(k, j), Instrument: "Service level agreement", Window: lw}))
			}
		}
		must(r.Revoke(governance.Revocation{Link: pid("service", 43), By: hub, At: date(2026, 3, 1), Reason: "service ended"}))
		must(r.Reassume(governance.Reassumption{Link: pid("area", 2), By: council, Scope: service(2, 1), At: date(2026, 2, 1), Reason: "taken in house"}))
		if g%10 == 0 {
			must(r.Revoke(governance.Revocation{Link: pid("area", 8), By: council, At: date(2026, 4, 1), Reason: "area reorganised"}))
		}

		for k := range 9 {
			for j := range 10 {
				if j%3 != 0 {
					continue
				}
				cos := governance.AllCos()[(k+j)%4 : (k+j)%4+1]
				if k == 4 && cos[0] != governance.CoAssessment {
					cos = append(cos, governance.CoAssessment)
				}
				var w coprod.Window
				if k == 8 {
					w.Expires = date(2026, 1, 1) // ended before checkAt
				}
				must(r.AddActivity(governance.Activity{ID: pid("activity", k*10+j), Name: fmt.Sprintf("Service %d-%d-%d", g, k, j),
					Scope: service(k, j), Responsible: []uuid.UUID{pid("org", (k*10+j)%30)}, Accountable: []uuid.UUID{hub},
					Consulted: []uuid.UUID{users}, Informed: []uuid.UUID{pid("org", (k*10+j+1)%30)}, Cos: slices.Clone(cos), Window: w}))
			}
		}
		for i := range 5 {
			must(r.AddActivity(governance.Activity{ID: pid("outreach", i), Name: fmt.Sprintf("Outreach %d-%d", g, i),
				Scope: service(i, 9), Responsible: []uuid.UUID{pid("person", i)}, Accountable: []uuid.UUID{hub}}))
		}
		must(r.AddActivity(governance.Activity{ID: pid("design", 0), Name: fmt.Sprintf("Design %d", g), Scope: area(3),
			Cos: []governance.Co{governance.CoDesign}, Responsible: []uuid.UUID{panel}, Accountable: []uuid.UUID{hub}}))
		must(r.AddActivity(governance.Activity{ID: pid("budget", 0), Name: fmt.Sprintf("Budget %d", g),
			Scope: sc(root.String() + "/budget"), Responsible: []uuid.UUID{council}, Accountable: []uuid.UUID{hub}}))

		for i := range 10 {
			in := pid("interest", i)
			must(r.Declare(governance.Interest{ID: in, Holder: pid("person", i%5), In: pid("org", i),
				Category: governance.Financial, Description: "trustee",
				Touches: []governance.Scope{area(i % 9), service((i+1)%9, 9)}, Declared: date(2025, 2, 1)}))
			if i%2 == 0 {
				must(r.Recuse(governance.Recusal{Interest: in, Scope: area(i % 9), At: date(2025, 2, 2), Reason: "steps out"}))
			}
		}
	}
	return r
}

// withActing adds to each group of a scaleRegister of links people acting
// for organisations: each of the five people acts for an organisation (and
// the first also for the hub), holds a delegation from the hub personally,
// alone, and is named deputy, without authority, on an outreach activity.
// Every person rule of Check has work to do.
func withActing(tb testing.TB, r *governance.Register, links int) {
	tb.Helper()
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	long := coprod.Window{NotBefore: date(2025, 1, 1), Expires: date(2028, 1, 1)}
	for g := range links / linksPerGroup {
		pid := func(kind string, i int) uuid.UUID { return id(fmt.Sprintf("g%d-%s-%d", g, kind, i)) }
		root := fmt.Sprintf("commission/g%d", g)
		must(r.ActFor(governance.ActingFor{ID: pid("acting-hub", 0), Person: pid("person", 0), For: pid("hub", 0), Role: governance.RoleDirector, Window: long}))
		for i := range 5 {
			must(r.ActFor(governance.ActingFor{ID: pid("acting", i), Person: pid("person", i), For: pid("org", i), Role: governance.RoleTrustee, Window: long}))
			must(r.Delegate(governance.Delegation{ID: pid("personal", i), Parent: pid("area", i+1), From: pid("hub", 0), To: pid("person", i),
				Scope: sc(fmt.Sprintf("%s/area-%d/personal", root, i+1)), Instrument: "Letter", Window: long}))
			must(r.ReviseActivity(governance.Activity{ID: pid("outreach", i), Name: fmt.Sprintf("Outreach %d-%d", g, i),
				Scope: sc(fmt.Sprintf("%s/area-%d/service-9", root, i)), Responsible: []uuid.UUID{pid("person", i)}, Accountable: []uuid.UUID{pid("hub", 0)},
				Deputies: []uuid.UUID{pid("person", (i+1)%5)}}))
		}
	}
}

// BenchmarkCheckScale measures Check on registers of growing size, to
// show that its cost grows linearly with the register: without and with
// people acting for organisations (acting=true adds, per hundred links,
// six acting-for records, five personal delegations and five deputies).
func BenchmarkCheckScale(b *testing.B) {
	for _, links := range []int{25_000, 50_000, 100_000} {
		for _, acting := range []bool{false, true} {
			r := scaleRegister(b, links)
			if r.Len() != links {
				b.Fatalf("setup: %d links, want %d", r.Len(), links)
			}
			name := fmt.Sprintf("links=%d", links)
			if acting {
				withActing(b, r, links)
				name += "/acting=true"
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				var findings int
				for b.Loop() {
					findings = len(r.Check(checkAt).Findings)
				}
				b.ReportMetric(float64(findings), "findings")
			})
		}
	}
}

// TestCheckScaleActingFindings holds the benchmark's register to what it
// claims: in one group, each person rule reports.
func TestCheckScaleActingFindings(t *testing.T) {
	r := scaleRegister(t, linksPerGroup)
	before := r.Check(checkAt)
	withActing(t, r, linksPerGroup)
	rep := r.Check(checkAt)
	count := func(rep governance.Report, c governance.Code) int {
		n := 0
		for _, f := range rep.Findings {
			if f.Code == c {
				n++
			}
		}
		return n
	}
	// Person 0 acts for the hub, which delegated to them: only four are
	// held personally.
	assert.Equal(t, 4, count(rep, governance.CodeHeldPersonally))
	assert.Equal(t, 5, count(rep, governance.CodeKeyPersonHolding))
	assert.Equal(t, 5, count(rep, governance.CodeDeputyNoAuthority))
	assert.Equal(t, count(before, governance.CodeKeyPerson), count(rep, governance.CodeKeyPerson), "deputies without authority clear nothing")
}
