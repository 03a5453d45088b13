package governance_test

import (
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// id derives a stable UUID from a name, so fixtures and golden files are
// deterministic.
func id(name string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceURL, []byte("coprod-test:"+name)) }

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func gbp(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.GBP) }

var sc = governance.MustParseScope

// checkAt is when the fixture is checked.
var checkAt = date(2026, 6, 1)

// fixture builds a register with a fault of every kind Check knows.
func fixture(t testing.TB) *governance.Register {
	t.Helper()
	r := governance.NewRegister()
	must := func(err error) {
		t.Helper()
		require.NoError(t, err)
	}
	for _, p := range []coprod.Party{
		{ID: id("council"), Name: "Borough Council", Sector: coprod.Statutory},
		{ID: id("ccg"), Name: "Clinical Commissioning Group", Sector: coprod.Statutory},
		{ID: id("hub"), Name: "Community Empowerment Network", Sector: coprod.Hub},
		{ID: id("temple"), Name: "Temple", Sector: coprod.Community},
		{ID: id("church"), Name: "Church", Sector: coprod.Community},
		{ID: id("users"), Name: "Service Users Forum", Sector: coprod.ServiceUsers},
		{ID: id("director"), Name: "Hub Director", Sector: coprod.Individual},
		{ID: id("officer"), Name: "Grants Officer", Sector: coprod.Individual},
		{ID: id("cabinet"), Name: "Cabinet Member", Sector: coprod.Individual},
	} {
		must(r.AddParty(p))
	}
	must(r.AddMandate(governance.Mandate{
		ID: id("m-council"), Holder: id("council"), Scope: sc("commission"),
		Basis:            "Care Act 2014 s.1; scheme of delegation 2025",
		Reserved:         []governance.Scope{sc("commission/budget-setting")},
		TransactionLimit: gbp("100000"), JointThreshold: gbp("25000"),
		Window:   coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2027, 4, 1)},
		MaxDepth: 3,
	}))
	must(r.AddMandate(governance.Mandate{
		ID: id("m-ccg"), Holder: id("ccg"), Scope: sc("commission/mental-health"),
		Basis:  "NHS Act 2006 s.3",
		Window: coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2026, 5, 1)},
	}))
	must(r.Delegate(governance.Delegation{
		ID: id("d-hub"), Parent: id("m-council"), From: id("council"), To: id("hub"),
		Scope: sc("commission/mental-health"), Instrument: "Partnership agreement 2025",
		TransactionLimit: gbp("50000"), JointThreshold: gbp("20000"),
		Window:         coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2026, 7, 15)},
		MaySubDelegate: true, MaxDepth: 1,
	}))
	must(r.Delegate(governance.Delegation{
		ID: id("d-temple"), Parent: id("d-hub"), From: id("hub"), To: id("temple"),
		Scope: sc("commission/mental-health/iapt"), Instrument: "Service level agreement",
		TransactionLimit: gbp("10000"), JointThreshold: gbp("5000"),
		Window: coprod.Window{NotBefore: date(2025, 6, 1), Expires: date(2026, 7, 1)},
	}))
	must(r.Delegate(governance.Delegation{
		ID: id("d-officer"), Parent: id("m-council"), From: id("council"), To: id("officer"),
		Scope: sc("commission/community-grants"), Instrument: "Officer scheme",
		TransactionLimit: gbp("5000"), JointThreshold: gbp("5000"),
		Window:         coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2027, 4, 1)},
		MaySubDelegate: true, MaxDepth: 1,
	}))
	must(r.Delegate(governance.Delegation{
		ID: id("d-officer-hub"), Parent: id("d-officer"), From: id("officer"), To: id("hub"),
		Scope: sc("commission/community-grants/faith"), Instrument: "Email from officer",
		TransactionLimit: gbp("5000"), JointThreshold: gbp("5000"),
		Window: coprod.Window{NotBefore: date(2025, 9, 1), Expires: date(2027, 4, 1)},
	}))
	// The council delegates outreach to the hub's director personally,
	// not to the hub: authority held personally, and by one person alone.
	must(r.Delegate(governance.Delegation{
		ID: id("d-director"), Parent: id("m-council"), From: id("council"), To: id("director"),
		Scope: sc("commission/outreach"), Instrument: "Letter to the director",
		TransactionLimit: gbp("5000"), JointThreshold: gbp("5000"),
		Window: coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2027, 4, 1)},
	}))
	must(r.ActFor(governance.ActingFor{ID: id("act-director"), Person: id("director"), For: id("hub"), Role: governance.RoleDirector,
		Window: coprod.Window{NotBefore: date(2020, 1, 1)}}))
	// The officer acts for the council, which delegated to them: its own
	// scheme of delegation, not authority held personally.
	must(r.ActFor(governance.ActingFor{ID: id("act-officer"), Person: id("officer"), For: id("council"), Role: governance.RoleOfficer}))
	must(r.ActFor(governance.ActingFor{ID: id("act-cabinet"), Person: id("cabinet"), For: id("council"), Role: governance.RoleChampion,
		Window: coprod.Window{NotBefore: date(2025, 1, 1), Expires: date(2027, 1, 1)}}))
	must(r.EndActing(governance.ActingEnd{ActingFor: id("act-cabinet"), At: date(2026, 5, 1), Reason: "moved to another portfolio"}))
	must(r.Revoke(governance.Revocation{Link: id("d-officer"), By: id("council"), At: date(2026, 3, 1), Reason: "officer moved on"}))
	must(r.Reassume(governance.Reassumption{Link: id("d-hub"), By: id("council"), Scope: sc("commission/mental-health/iapt"), At: date(2026, 5, 1), Reason: "contract re-let in house"}))

	for _, a := range []governance.Activity{
		{ID: id("a-iapt"), Name: "IAPT at the temple", Scope: sc("commission/mental-health/iapt"),
			Responsible: []uuid.UUID{id("temple")}, Accountable: []uuid.UUID{id("hub")}, Consulted: []uuid.UUID{id("users")}},
		{ID: id("a-family"), Name: "Family therapy network", Scope: sc("commission/mental-health/family-therapy"),
			Responsible: []uuid.UUID{id("director")}, Accountable: []uuid.UUID{id("director")}},
		{ID: id("a-grants"), Name: "Faith community grants", Scope: sc("commission/community-grants/faith"),
			Responsible: []uuid.UUID{id("officer")}, Accountable: []uuid.UUID{id("hub")}, Deputies: []uuid.UUID{id("director")}},
		{ID: id("a-budget"), Name: "Mental health budget", Scope: sc("commission/budget-setting"),
			Responsible: []uuid.UUID{id("council")}, Accountable: []uuid.UUID{id("council"), id("ccg")}},
		{ID: id("a-reference"), Name: "Coproduction reference group", Scope: sc("commission/mental-health/strategy"),
			Responsible: []uuid.UUID{id("cabinet")}, Consulted: []uuid.UUID{id("users"), id("church")}, Informed: []uuid.UUID{id("temple")}},
		{ID: id("a-review"), Name: "Co-assessment", Scope: sc("commission/mental-health/review"),
			Accountable: []uuid.UUID{id("council")}},
		{ID: id("a-pilot"), Name: "Talking therapy pilot", Scope: sc("commission/mental-health/pilot"),
			Responsible: []uuid.UUID{id("ccg")}, Accountable: []uuid.UUID{id("ccg")}},
	} {
		must(r.AddActivity(a))
	}
	must(r.Declare(governance.Interest{
		ID: id("i-cabinet"), Holder: id("cabinet"), In: id("church"), Category: governance.NonFinancialPersonal,
		Description: "member of the church council", Touches: []governance.Scope{sc("commission/mental-health/strategy")},
		Declared: date(2025, 5, 1),
	}))
	must(r.Declare(governance.Interest{
		ID: id("i-director"), Holder: id("director"), In: id("temple"), Category: governance.Financial,
		Description: "paid trustee", Touches: []governance.Scope{sc("commission/mental-health/family-therapy")},
		Declared: date(2025, 5, 1),
	}))
	must(r.Recuse(governance.Recusal{Interest: id("i-director"), Scope: sc("commission/mental-health"), At: date(2025, 5, 2), Reason: "steps out of mental-health funding decisions"}))
	return r
}

func party(name string, sector coprod.Sector) coprod.Party {
	return coprod.Party{ID: id(name), Name: name, Sector: sector}
}

// snapshot is the register's JSON, for before/after comparisons.
func snapshot(t testing.TB, r *governance.Register) string {
	t.Helper()
	b, err := r.MarshalJSON()
	require.NoError(t, err)
	return string(b)
}
