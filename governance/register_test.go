package governance_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// base is a small register to delegate from: council holds "commission"
// (reserving budget-setting) with limits, and has delegated
// "commission/mental-health" to the hub, which may sub-delegate once.
func base(t testing.TB) *governance.Register {
	t.Helper()
	r := governance.NewRegister()
	for _, p := range []coprod.Party{
		party("council", coprod.Statutory), party("hub", coprod.Hub),
		party("temple", coprod.Community), party("church", coprod.Community),
	} {
		require.NoError(t, r.AddParty(p))
	}
	require.NoError(t, r.AddMandate(governance.Mandate{
		ID: id("m"), Holder: id("council"), Scope: sc("commission"),
		Reserved:         []governance.Scope{sc("commission/budget-setting")},
		TransactionLimit: gbp("100000"), CumulativeLimit: gbp("500000"), Period: governance.PeriodFinancialYear,
		JointThreshold: gbp("25000"),
		Window:         coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2028, 4, 1)},
		MaxDepth:       3,
	}))
	require.NoError(t, r.Delegate(hubDelegation()))
	require.NoError(t, r.Delegate(governance.Delegation{
		ID: id("d-leaf"), Parent: id("d-hub"), From: id("hub"), To: id("church"),
		Scope: sc("commission/mental-health/listening"), TransactionLimit: gbp("1000"),
		CumulativeLimit: gbp("5000"), JointThreshold: gbp("1000"),
		Window: coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2027, 4, 1)},
	}))
	return r
}

func hubDelegation() governance.Delegation {
	return governance.Delegation{
		ID: id("d-hub"), Parent: id("m"), From: id("council"), To: id("hub"),
		Scope: sc("commission/mental-health"), Instrument: "Partnership agreement",
		TransactionLimit: gbp("50000"), CumulativeLimit: gbp("200000"), Period: governance.PeriodFinancialYear,
		JointThreshold: gbp("20000"),
		Window:         coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2027, 4, 1)},
		MaySubDelegate: true, MaxDepth: 1,
	}
}

// templeDelegation is a valid delegation from the hub to the temple; the
// refusal rows each break one thing.
func templeDelegation() governance.Delegation {
	return governance.Delegation{
		ID: id("d-temple"), Parent: id("d-hub"), From: id("hub"), To: id("temple"),
		Scope: sc("commission/mental-health/iapt"), Instrument: "SLA",
		TransactionLimit: gbp("10000"), CumulativeLimit: gbp("40000"), JointThreshold: gbp("5000"),
		Window: coprod.Window{NotBefore: date(2025, 6, 1), Expires: date(2026, 6, 1)},
	}
}

func TestDelegateRefusals(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*governance.Delegation)
		err    error
	}{
		{"valid", func(*governance.Delegation) {}, nil},
		{"self-delegation", func(d *governance.Delegation) { d.To = d.From }, governance.ErrSelfDelegation},
		{"reserved matter", func(d *governance.Delegation) {
			d.Parent, d.From, d.Scope = id("m"), id("council"), sc("commission/budget-setting/mental-health")
			d.Window = coprod.Window{NotBefore: date(2025, 6, 1), Expires: date(2026, 6, 1)}
		}, governance.ErrReservedMatter},
		{"scope wider than parent", func(d *governance.Delegation) { d.Scope = sc("commission") }, governance.ErrScopeExceedsParent},
		{"scope sibling prefix", func(d *governance.Delegation) { d.Scope = sc("commission/mental") }, governance.ErrScopeExceedsParent},
		{"transaction limit above parent", func(d *governance.Delegation) { d.TransactionLimit = gbp("50000.01") }, governance.ErrLimitExceedsParent},
		{"transaction limit missing", func(d *governance.Delegation) { d.TransactionLimit = coprod.Amount{} }, governance.ErrLimitExceedsParent},
		{"cumulative above parent", func(d *governance.Delegation) { d.CumulativeLimit = gbp("200001") }, governance.ErrCumulativeExceedsParent},
		{"joint threshold above parent", func(d *governance.Delegation) { d.JointThreshold = gbp("30000") }, governance.ErrJointExceedsParent},
		{"window starts before parent", func(d *governance.Delegation) { d.Window.NotBefore = date(2025, 1, 1) }, governance.ErrWindowExceedsParent},
		{"window open-ended", func(d *governance.Delegation) { d.Window.Expires = coprod.Window{}.Expires }, governance.ErrWindowExceedsParent},
		{"depth beyond parent", func(d *governance.Delegation) { d.MaySubDelegate, d.MaxDepth = true, 1 }, governance.ErrDepthExceedsParent},
		{"parent forbids sub-delegation", func(d *governance.Delegation) {
			d.Parent, d.From, d.Scope = id("d-leaf"), id("church"), sc("commission/mental-health/listening")
			d.TransactionLimit, d.CumulativeLimit, d.JointThreshold = gbp("100"), gbp("100"), gbp("100")
		}, governance.ErrSubDelegationForbidden},
		{"delegator does not hold parent", func(d *governance.Delegation) { d.From = id("church") }, governance.ErrNoAuthority},
		{"unknown delegate", func(d *governance.Delegation) { d.To = id("nobody") }, governance.ErrUnknownParty},
		{"unknown parent (rootless)", func(d *governance.Delegation) { d.Parent = id("nothing") }, governance.ErrUnknownParent},
		{"cycle back to the council", func(d *governance.Delegation) { d.To = id("council") }, governance.ErrCycle},
		{"duplicate id", func(d *governance.Delegation) { d.ID = id("d-hub") }, governance.ErrDuplicateID},
		{"unit mismatch", func(d *governance.Delegation) {
			d.TransactionLimit, d.CumulativeLimit, d.JointThreshold = coprod.MustParseAmount("10", coprod.Hours), coprod.MustParseAmount("10", coprod.Hours), coprod.MustParseAmount("5", coprod.Hours)
		}, governance.ErrUnitMismatch},
		{"nil id", func(d *governance.Delegation) { d.ID = uuid.Nil }, governance.ErrInvalidRecord},
		{"invalid scope", func(d *governance.Delegation) { d.Scope = "Commission//IAPT" }, governance.ErrInvalidRecord},
		{"negative limit", func(d *governance.Delegation) { d.TransactionLimit = gbp("-1") }, governance.ErrInvalidRecord},
		{"inverted window", func(d *governance.Delegation) { d.Window.Expires = date(2025, 5, 1) }, governance.ErrInvalidRecord},
		{"sub-delegate without depth", func(d *governance.Delegation) { d.MaySubDelegate = true }, governance.ErrInvalidRecord},
		{"period without cumulative", func(d *governance.Delegation) { d.Period = governance.PeriodMonth; d.CumulativeLimit = coprod.Amount{} }, governance.ErrInvalidRecord},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base(t)
			before := snapshot(t, r)
			d := templeDelegation()
			tt.mutate(&d)
			err := r.Delegate(d)
			if tt.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.err)
			var re *governance.RecordError
			require.True(t, errors.As(err, &re))
			assert.Equal(t, governance.CodeOf(tt.err), re.Code)
			assert.Equal(t, re.Code, governance.CodeOf(err))
			assert.Contains(t, err.Error(), "governance: refused delegation")
			assert.Equal(t, before, snapshot(t, r), "a refused delegation changes nothing")
		})
	}
}

func TestRevokeAndReassumeRefusals(t *testing.T) {
	r := base(t)
	before := snapshot(t, r)
	for name, tc := range map[string]struct {
		err error
		do  func() error
	}{
		"unknown link": {governance.ErrUnknownLink, func() error {
			return r.Revoke(governance.Revocation{Link: id("nope"), By: id("council"), At: date(2026, 1, 1)})
		}},
		"delegate cannot revoke its own delegation": {governance.ErrNotRevoker, func() error {
			return r.Revoke(governance.Revocation{Link: id("d-hub"), By: id("hub"), At: date(2026, 1, 1)})
		}},
		"zero time": {governance.ErrInvalidRecord, func() error {
			return r.Revoke(governance.Revocation{Link: id("d-hub"), By: id("council")})
		}},
		"reassume outside scope": {governance.ErrScopeExceedsParent, func() error {
			return r.Reassume(governance.Reassumption{Link: id("d-hub"), By: id("council"), Scope: sc("commission/housing"), At: date(2026, 1, 1)})
		}},
		"reassume a mandate": {governance.ErrUnknownLink, func() error {
			return r.Reassume(governance.Reassumption{Link: id("m"), By: id("council"), Scope: sc("commission"), At: date(2026, 1, 1)})
		}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, tc.do(), tc.err)
			assert.Equal(t, before, snapshot(t, r))
		})
	}

	// The council, two levels up, may revoke the hub's sub-delegation.
	require.NoError(t, r.Revoke(governance.Revocation{Link: id("d-leaf"), By: id("council"), At: date(2026, 1, 1), Reason: "review"}))
	err := r.Revoke(governance.Revocation{Link: id("d-leaf"), By: id("hub"), At: date(2026, 2, 1)})
	assert.ErrorIs(t, err, governance.ErrAlreadyRevoked)
	// A revoked parent takes no new children.
	require.NoError(t, r.Revoke(governance.Revocation{Link: id("d-hub"), By: id("council"), At: date(2026, 1, 1)}))
	assert.ErrorIs(t, r.Delegate(templeDelegation()), governance.ErrParentRevoked)
	assert.Len(t, r.Revocations(), 2)
}

func TestOtherRecordRefusals(t *testing.T) {
	r := base(t)
	before := snapshot(t, r)
	for name, tc := range map[string]struct {
		err error
		do  func() error
	}{
		"duplicate party":     {governance.ErrDuplicateID, func() error { return r.AddParty(party("hub", coprod.Hub)) }},
		"invalid party":       {governance.ErrInvalidRecord, func() error { return r.AddParty(coprod.Party{ID: id("x")}) }},
		"mandate for unknown": {governance.ErrUnknownParty, func() error { return r.AddMandate(governance.Mandate{ID: id("m2"), Holder: id("x"), Scope: sc("a")}) }},
		"reserved outside scope": {governance.ErrInvalidRecord, func() error {
			return r.AddMandate(governance.Mandate{ID: id("m2"), Holder: id("hub"), Scope: sc("a"), Reserved: []governance.Scope{sc("b")}})
		}},
		"mandate depth over limit": {governance.ErrInvalidRecord, func() error {
			return r.AddMandate(governance.Mandate{ID: id("m2"), Holder: id("hub"), Scope: sc("a"), MaxDepth: governance.MaxChainDepth})
		}},
		"activity unknown party": {governance.ErrUnknownParty, func() error {
			return r.AddActivity(governance.Activity{ID: id("a"), Name: "x", Scope: sc("a"), Responsible: []uuid.UUID{id("x")}})
		}},
		"activity unknown co": {governance.ErrInvalidRecord, func() error {
			return r.AddActivity(governance.Activity{ID: id("a"), Name: "x", Scope: sc("a"), Cos: []governance.Co{"co-production"}})
		}},
		"activity co twice": {governance.ErrInvalidRecord, func() error {
			return r.AddActivity(governance.Activity{ID: id("a"), Name: "x", Scope: sc("a"), Cos: []governance.Co{governance.CoDesign, governance.CoDesign}})
		}},
		"activity bad window": {governance.ErrInvalidRecord, func() error {
			return r.AddActivity(governance.Activity{ID: id("a"), Name: "x", Scope: sc("a"),
				Window: coprod.Window{NotBefore: date(2026, 1, 1), Expires: date(2026, 1, 1)}})
		}},
		"revise unknown activity": {governance.ErrUnknownActivity, func() error {
			return r.ReviseActivity(governance.Activity{ID: id("a"), Name: "x", Scope: sc("a")})
		}},
		"interest bad category": {governance.ErrInvalidRecord, func() error {
			return r.Declare(governance.Interest{ID: id("i"), Holder: id("hub"), In: id("temple"), Category: "vague", Declared: date(2025, 1, 1)})
		}},
		"recusal unknown interest": {governance.ErrUnknownInterest, func() error {
			return r.Recuse(governance.Recusal{Interest: id("i"), Scope: sc("a"), At: date(2025, 1, 1)})
		}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, tc.do(), tc.err)
			assert.Equal(t, before, snapshot(t, r))
		})
	}
}

func TestActivityRevision(t *testing.T) {
	r := base(t)
	a := governance.Activity{ID: id("a"), Name: "IAPT", Scope: sc("commission/mental-health"), Responsible: []uuid.UUID{id("hub")}}
	require.NoError(t, r.AddActivity(a))
	require.ErrorIs(t, r.AddActivity(a), governance.ErrDuplicateID)
	a.Accountable = []uuid.UUID{id("council")}
	require.NoError(t, r.ReviseActivity(a))
	got, ok := r.Activity(id("a"))
	require.True(t, ok)
	assert.Equal(t, []uuid.UUID{id("council")}, got.Accountable)
	got.Accountable[0] = id("hub") // copies: the register is not changed through them
	again, _ := r.Activity(id("a"))
	assert.Equal(t, id("council"), again.Accountable[0])
	n := 0
	for range r.Activities() {
		n++
	}
	assert.Equal(t, 1, n, "revisions do not multiply activities")
}

var scopeTests = []struct {
	in string
	ok bool
}{
	{"commission", true}, {"commission/mental-health/iapt", true}, {"a/b-c/0", true},
	{"", false}, {"/a", false}, {"a/", false}, {"a//b", false}, {"A", false}, {"a b", false}, {"a_b", false},
	{strings.Repeat("a/", governance.MaxScopeSegments) + "a", false}, {strings.Repeat("a", 65), false},
}

func TestScope(t *testing.T) {
	for _, tt := range scopeTests {
		_, err := governance.ParseScope(tt.in)
		if tt.ok {
			assert.NoError(t, err, tt.in)
		} else {
			assert.ErrorIs(t, err, governance.ErrInvalidScope, tt.in)
		}
	}
	parent := sc("commission/mental-health")
	assert.True(t, parent.Covers(sc("commission/mental-health/iapt")))
	assert.True(t, parent.Covers(parent))
	assert.False(t, sc("commission/mental").Covers(parent))
	assert.False(t, sc("commission/mental-health/iapt").Covers(parent))
	assert.True(t, sc("commission/mental-health/iapt").Overlaps(parent))
	assert.False(t, governance.Scope("").Covers(parent))
}

func FuzzParseScope(f *testing.F) {
	for _, tt := range scopeTests {
		f.Add(tt.in, "commission/mental-health")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		s, err := governance.ParseScope(a)
		if valid := governance.Scope(a).Valid(); valid != (err == nil) {
			t.Fatalf("Valid(%q) = %t, ParseScope says %v", a, valid, err)
		}
		if err != nil {
			return
		}
		var back governance.Scope
		if err := back.UnmarshalText([]byte(s.String())); err != nil || back != s {
			t.Fatalf("round trip %q: %v", a, err)
		}
		if !s.Covers(s) {
			t.Fatalf("%q does not cover itself", s)
		}
		o, err := governance.ParseScope(b)
		if err != nil {
			return
		}
		// Covers is segment-aware: it agrees with comparing segments.
		ss, os := s.Segments(), o.Segments()
		want := len(os) >= len(ss)
		for i := 0; want && i < len(ss); i++ {
			want = ss[i] == os[i]
		}
		if s.Covers(o) != want {
			t.Fatalf("%q covers %q = %t, segments say %t", s, o, s.Covers(o), want)
		}
	})
}

func TestRecordsReadBack(t *testing.T) {
	r := fixture(t)
	var parties, mandates, delegations, interests int
	for range r.Parties() {
		parties++
	}
	for m := range r.Mandates() {
		mandates++
		if m.ID == id("m-council") {
			m.Reserved[0] = sc("commission/other") // a copy: the register keeps its own
		}
	}
	for range r.Delegations() {
		delegations++
	}
	for in := range r.Interests() {
		interests++
		assert.NotEmpty(t, in.Touches)
	}
	acting := 0
	for range r.ActingFor() {
		acting++
	}
	assert.Equal(t, []int{9, 2, 5, 2, 3}, []int{parties, mandates, delegations, interests, acting})
	assert.Len(t, r.ActingEnds(), 1)
	for m := range r.Mandates() {
		if m.ID == id("m-council") {
			assert.Equal(t, sc("commission/budget-setting"), m.Reserved[0])
		}
	}
	assert.Len(t, r.Revocations(), 1)
	assert.Len(t, r.Reassumptions(), 1)
	assert.Len(t, r.Recusals(), 1)
	p, ok := r.Party(id("temple"))
	assert.True(t, ok)
	assert.Equal(t, "Temple", p.Name)
	// Stopping early is honoured.
	n := 0
	for range r.Parties() {
		n++
		break
	}
	assert.Equal(t, 1, n)
}
