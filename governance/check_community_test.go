package governance_test

import (
	"slices"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// partnership is a small partnership with work in every Co: the council
// commissions, consulting the temple and the hub; the temple delivers
// IAPT, the hub accountable and the church informed; a design panel, on
// which the church sits, designs the service; a co-assessment ended last
// year. The hub holds a delegation to commission IAPT. The mosque is a
// community partner named in no activity at all.
func partnership(t testing.TB) *governance.Register {
	t.Helper()
	r := governance.NewRegister()
	must := func(err error) {
		t.Helper()
		require.NoError(t, err)
	}
	for _, p := range []coprod.Party{
		party("council", coprod.Statutory), party("hub", coprod.Hub), party("temple", coprod.Community),
		party("church", coprod.Community), party("mosque", coprod.Community), party("panel", coprod.Statutory),
	} {
		must(r.AddParty(p))
	}
	must(r.AddBody(governance.Body{Party: id("panel"), Rule: governance.RuleMajority}))
	must(r.Join(governance.Membership{ID: id("seat-church"), Body: id("panel"), Member: id("church")}))
	must(r.Join(governance.Membership{ID: id("seat-council"), Body: id("panel"), Member: id("council")}))
	// The mosque sat on the panel only until 2026.
	must(r.Join(governance.Membership{ID: id("seat-mosque"), Body: id("panel"), Member: id("mosque"),
		Window: coprod.Window{Expires: date(2026, 1, 1)}}))
	must(r.AddMandate(governance.Mandate{ID: id("m"), Holder: id("council"), Scope: sc("services"), MaxDepth: 1}))
	must(r.Delegate(governance.Delegation{ID: id("d-hub"), Parent: id("m"), From: id("council"), To: id("hub"),
		Scope: sc("services/commissioning/iapt")}))
	for _, a := range []governance.Activity{
		{ID: id("a-commission"), Name: "Commissioning round", Scope: sc("services/commissioning"), Cos: []governance.Co{governance.CoCommissioning},
			Responsible: ids("council"), Accountable: ids("council"), Consulted: ids("temple", "hub")},
		{ID: id("a-deliver"), Name: "IAPT at the temple", Scope: sc("services/delivery/iapt"), Cos: []governance.Co{governance.CoDelivery},
			Responsible: ids("temple"), Accountable: ids("hub"), Informed: ids("church")},
		{ID: id("a-design"), Name: "Design panel", Scope: sc("services/design"), Cos: []governance.Co{governance.CoDesign},
			Responsible: ids("panel"), Accountable: ids("council")},
		{ID: id("a-review"), Name: "Last year's review", Scope: sc("services/review"), Cos: []governance.Co{governance.CoAssessment},
			Responsible: ids("council"), Accountable: ids("council"), Consulted: ids("temple"),
			Window: coprod.Window{NotBefore: date(2025, 1, 1), Expires: date(2026, 1, 1)}},
	} {
		must(r.AddActivity(a))
	}
	return r
}

// noDecision lists the COMMUNITY_WITHOUT_DECISION_RIGHTS findings as
// "party co" pairs (co "-" for activities naming no Co).
func noDecision(rep governance.Report) []string {
	names := map[uuid.UUID]string{}
	for _, n := range []string{"council", "hub", "temple", "church", "mosque", "panel", "users", "users-forum"} {
		names[id(n)] = n
	}
	for _, co := range governance.AllCos() {
		names[co.ID()] = string(co)
	}
	var out []string
	for _, f := range rep.Findings {
		if f.Code != governance.CodeCommunityNoDecision {
			continue
		}
		s := names[f.Subjects[0]]
		if len(f.Subjects) > 1 {
			s += " " + names[f.Subjects[1]]
		} else {
			s += " -"
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func TestCommunityDecisionRightsPerCo(t *testing.T) {
	r := partnership(t)
	got := noDecision(r.Check(checkAt))
	assert.Equal(t, []string{
		// Consulted on commissioning: deciding IAPT delivery does not clear it.
		"church co-commissioning",
		"church co-delivery", // only Informed
		// The design panel does not hold the hub's commissioning authority.
		"hub co-design",
		// Named in no activity at all; its panel seat ended.
		"mosque co-commissioning",
		"mosque co-delivery",
		"mosque co-design",
		"temple co-commissioning", // delivers, but only advises on commissioning
		"temple co-design",
		// No co-assessment finding: the only such activity has ended.
	}, got)

	t.Run("the hub's delegation clears commissioning", func(t *testing.T) {
		assert.NotContains(t, got, "hub co-commissioning")
	})
	t.Run("a panel seat counts while it lasts", func(t *testing.T) {
		got := noDecision(r.Check(date(2025, 6, 1)))
		assert.NotContains(t, got, "mosque co-design")
		assert.NotContains(t, got, "church co-design")
		assert.Contains(t, got, "temple co-assessment", "the review was live then, and the temple only Consulted")
	})
	t.Run("the findings name the Co", func(t *testing.T) {
		for _, f := range r.Check(checkAt).Findings {
			if f.Code == governance.CodeCommunityNoDecision && f.Subjects[0] == id("temple") && f.Subjects[1] == governance.CoCommissioning.ID() {
				assert.Equal(t, "temple only advises on co-commissioning (Consulted or Informed) and holds no delegated authority there", f.Reason)
				assert.Equal(t, governance.SeverityWarning, f.Severity)
			}
		}
	})
	t.Run("activities without Co's are judged as before", func(t *testing.T) {
		r := governance.NewRegister()
		for _, p := range []coprod.Party{party("council", coprod.Statutory), party("users", coprod.ServiceUsers), party("hub", coprod.Hub)} {
			require.NoError(t, r.AddParty(p))
		}
		require.NoError(t, r.AddActivity(governance.Activity{ID: id("a"), Name: "Strategy", Scope: sc("services"),
			Responsible: ids("council"), Accountable: ids("council"), Consulted: ids("users")}))
		assert.Equal(t, []string{"hub -", "users -"}, noDecision(r.Check(checkAt)))
	})
	t.Run("no live work, no finding", func(t *testing.T) {
		r := governance.NewRegister()
		for _, p := range []coprod.Party{party("council", coprod.Statutory), party("users", coprod.ServiceUsers)} {
			require.NoError(t, r.AddParty(p))
		}
		require.NoError(t, r.AddActivity(governance.Activity{ID: id("a"), Name: "Pilot", Scope: sc("services"), Cos: []governance.Co{governance.CoDelivery},
			Responsible: ids("council"), Accountable: ids("council"), Consulted: ids("users"),
			Window: coprod.Window{NotBefore: date(2027, 1, 1)}}))
		assert.Empty(t, noDecision(r.Check(checkAt)), "work not yet begun is not judged")
		assert.Equal(t, []string{"users co-delivery"}, noDecision(r.Check(date(2027, 2, 1))))
	})
}

func TestCoCodes(t *testing.T) {
	for _, tc := range []struct {
		co    governance.Co
		valid bool
	}{
		{governance.CoCommissioning, true}, {governance.CoDesign, true}, {governance.CoDelivery, true}, {governance.CoAssessment, true},
		{"", false}, {"co-production", false}, {"Co-design", false},
	} {
		assert.Equal(t, tc.valid, tc.co.Valid(), tc.co)
	}
	seen := map[uuid.UUID]bool{}
	for _, co := range governance.AllCos() {
		assert.False(t, seen[co.ID()])
		seen[co.ID()] = true
		assert.Equal(t, co.ID(), co.ID(), "stable")
	}
	a := governance.Activity{Responsible: ids("temple"), Accountable: ids("hub"), Consulted: ids("church", "hub"), Informed: ids("mosque")}
	for _, tc := range []struct {
		who              string
		decides, advises bool
	}{
		{"temple", true, false}, {"hub", true, false}, {"church", false, true}, {"mosque", false, true}, {"council", false, false},
	} {
		assert.Equal(t, tc.decides, a.Decides(id(tc.who)), tc.who)
		assert.Equal(t, tc.advises, a.Advises(id(tc.who)), tc.who)
	}
}
