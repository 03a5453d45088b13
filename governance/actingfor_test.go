package governance_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// actingRegister is a small partnership: the council delegates to the
// hub, and to the hub's director personally; a champion acts for the
// council.
func actingRegister(t testing.TB) *governance.Register {
	t.Helper()
	r := governance.NewRegister()
	for _, p := range []coprod.Party{
		party("council", coprod.Statutory), party("hub", coprod.Hub), party("temple", coprod.Community),
		party("director", coprod.Individual), party("deputy", coprod.Individual), party("champion", coprod.Individual),
	} {
		require.NoError(t, r.AddParty(p))
	}
	require.NoError(t, r.AddMandate(governance.Mandate{ID: id("m"), Holder: id("council"), Scope: sc("commission"), Basis: "Care Act", MaxDepth: 2}))
	require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-hub"), Parent: id("m"), From: id("council"), To: id("hub"),
		Scope: sc("commission/mental-health"), MaySubDelegate: true, MaxDepth: 1}))
	require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-director"), Parent: id("m"), From: id("council"), To: id("director"),
		Scope: sc("commission/outreach")}))
	require.NoError(t, r.ActFor(governance.ActingFor{ID: id("act-director"), Person: id("director"), For: id("hub"), Role: governance.RoleDirector,
		Window: coprod.Window{NotBefore: date(2025, 1, 1), Expires: date(2027, 1, 1)}}))
	return r
}

func TestActFor(t *testing.T) {
	ok := governance.ActingFor{ID: id("act-new"), Person: id("champion"), For: id("council"), Role: governance.RoleChampion,
		Window: coprod.Window{NotBefore: date(2025, 1, 1)}}
	tests := []struct {
		name   string
		edit   func(*governance.ActingFor)
		want   error
		reason string
	}{
		{name: "valid", edit: func(*governance.ActingFor) {}},
		{name: "every role", edit: func(a *governance.ActingFor) { a.Role = governance.RoleTrustee }},
		{name: "open window", edit: func(a *governance.ActingFor) { a.Window = coprod.Window{} }},
		{name: "for a service-user group", edit: func(a *governance.ActingFor) { a.For = id("temple") }},
		{name: "nil id", edit: func(a *governance.ActingFor) { a.ID = uuid.Nil }, want: governance.ErrInvalidRecord},
		{name: "nil person", edit: func(a *governance.ActingFor) { a.Person = uuid.Nil }, want: governance.ErrInvalidRecord},
		{name: "nil organisation", edit: func(a *governance.ActingFor) { a.For = uuid.Nil }, want: governance.ErrInvalidRecord},
		{name: "no role", edit: func(a *governance.ActingFor) { a.Role = "" }, want: governance.ErrInvalidRecord},
		{name: "unknown role", edit: func(a *governance.ActingFor) { a.Role = "chair" }, want: governance.ErrInvalidRecord},
		{name: "bad window", edit: func(a *governance.ActingFor) {
			a.Window = coprod.Window{NotBefore: date(2026, 1, 1), Expires: date(2025, 1, 1)}
		}, want: governance.ErrInvalidRecord, reason: "window"},
		{name: "empty window", edit: func(a *governance.ActingFor) {
			a.Window = coprod.Window{NotBefore: date(2026, 1, 1), Expires: date(2026, 1, 1)}
		}, want: governance.ErrInvalidRecord},
		{name: "duplicate acting id", edit: func(a *governance.ActingFor) { a.ID = id("act-director") }, want: governance.ErrDuplicateID},
		{name: "id of a delegation", edit: func(a *governance.ActingFor) { a.ID = id("d-hub") }, want: governance.ErrDuplicateID},
		{name: "id of a party", edit: func(a *governance.ActingFor) { a.ID = id("hub") }, want: governance.ErrDuplicateID},
		{name: "unknown person", edit: func(a *governance.ActingFor) { a.Person = id("stranger") }, want: governance.ErrUnknownParty},
		{name: "unknown organisation", edit: func(a *governance.ActingFor) { a.For = id("stranger") }, want: governance.ErrUnknownParty},
		{name: "person is an organisation", edit: func(a *governance.ActingFor) { a.Person = id("hub") }, want: governance.ErrNotIndividual},
		{name: "organisation is a person", edit: func(a *governance.ActingFor) { a.For = id("director") }, want: governance.ErrNotOrganisation},
		{name: "acting for oneself", edit: func(a *governance.ActingFor) { a.For = a.Person }, want: governance.ErrNotOrganisation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := actingRegister(t)
			a := ok
			tc.edit(&a)
			before := snapshot(t, r)
			err := r.ActFor(a)
			if tc.want == nil {
				require.NoError(t, err)
				got, found := r.ActsFor(a.Person, a.For, date(2026, 1, 1))
				require.True(t, found)
				assert.Equal(t, a, got)
				return
			}
			require.ErrorIs(t, err, tc.want)
			var re *governance.RecordError
			require.True(t, errors.As(err, &re))
			assert.Equal(t, "acting-for", re.Kind)
			assert.Equal(t, governance.CodeOf(tc.want), governance.CodeOf(err))
			assert.Contains(t, re.Reason, tc.reason)
			assert.Equal(t, before, snapshot(t, r), "a refused record changes nothing")
		})
	}
}

func TestActForLimit(t *testing.T) {
	r := actingRegister(t)
	for i := range governance.MaxActingPerParty - 1 { // the director already acts once
		require.NoError(t, r.ActFor(governance.ActingFor{ID: id("bulk-" + string(rune('a'+i%26)) + strings.Repeat("x", i/26)),
			Person: id("director"), For: id("hub"), Role: governance.RoleOfficer}))
	}
	err := r.ActFor(governance.ActingFor{ID: id("one-too-many"), Person: id("director"), For: id("hub"), Role: governance.RoleOfficer})
	require.ErrorIs(t, err, governance.ErrLimitReached)
}

func TestEndActing(t *testing.T) {
	tests := []struct {
		name string
		end  governance.ActingEnd
		want error
	}{
		{name: "ends early", end: governance.ActingEnd{ActingFor: id("act-director"), At: date(2026, 3, 1), Reason: "left"}},
		{name: "unknown record", end: governance.ActingEnd{ActingFor: id("nothing"), At: date(2026, 3, 1)}, want: governance.ErrUnknownActing},
		{name: "zero time", end: governance.ActingEnd{ActingFor: id("act-director")}, want: governance.ErrInvalidRecord},
		{name: "reason too long", end: governance.ActingEnd{ActingFor: id("act-director"), At: date(2026, 3, 1), Reason: strings.Repeat("x", governance.MaxTextLen+1)},
			want: governance.ErrInvalidRecord},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := actingRegister(t)
			before := snapshot(t, r)
			err := r.EndActing(tc.end)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
				assert.Equal(t, before, snapshot(t, r))
				return
			}
			require.NoError(t, err)
			_, found := r.ActsFor(id("director"), id("hub"), date(2026, 2, 28))
			assert.True(t, found, "in force before the end")
			_, found = r.ActsFor(id("director"), id("hub"), date(2026, 3, 1))
			assert.False(t, found, "ended from its end")
		})
	}
	t.Run("earliest end wins", func(t *testing.T) {
		r := actingRegister(t)
		require.NoError(t, r.EndActing(governance.ActingEnd{ActingFor: id("act-director"), At: date(2026, 3, 1)}))
		require.ErrorIs(t, r.EndActing(governance.ActingEnd{ActingFor: id("act-director"), At: date(2026, 4, 1)}), governance.ErrAlreadyRevoked)
		require.ErrorIs(t, r.EndActing(governance.ActingEnd{ActingFor: id("act-director"), At: date(2026, 3, 1)}), governance.ErrAlreadyRevoked)
		require.NoError(t, r.EndActing(governance.ActingEnd{ActingFor: id("act-director"), At: date(2026, 2, 1)}))
		_, found := r.ActsFor(id("director"), id("hub"), date(2026, 2, 15))
		assert.False(t, found)
		assert.Len(t, r.ActingEnds(), 2)
	})
}

func TestActingRoleText(t *testing.T) {
	for _, r := range []governance.ActingRole{governance.RoleDirector, governance.RoleOfficer, governance.RoleChampion, governance.RoleTrustee} {
		b, err := r.MarshalText()
		require.NoError(t, err)
		var back governance.ActingRole
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, r, back)
		assert.Equal(t, string(b), r.String())
	}
	for _, bad := range []string{"", "chair", "Director", strings.Repeat("x", 500)} {
		r := governance.ActingRole(bad)
		assert.False(t, r.Valid())
		assert.True(t, strings.HasPrefix(r.String(), "ActingRole("), "String is total")
		_, err := r.MarshalText()
		assert.ErrorIs(t, err, governance.ErrInvalidRecord)
		var back governance.ActingRole
		assert.ErrorIs(t, back.UnmarshalText([]byte(bad)), governance.ErrInvalidRecord)
	}
}

func TestActingForJSON(t *testing.T) {
	r := actingRegister(t)
	require.NoError(t, r.EndActing(governance.ActingEnd{ActingFor: id("act-director"), At: date(2026, 3, 1), Reason: "left"}))
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"acting_for":[{"id":`)
	assert.Contains(t, string(b), `"role":"director"`)
	back := governance.NewRegister()
	require.NoError(t, json.Unmarshal(b, back))
	assert.Equal(t, snapshot(t, r), snapshot(t, back))
	_, found := back.ActsFor(id("director"), id("hub"), date(2026, 3, 1))
	assert.False(t, found, "the end is replayed")

	// A register with no acting-for records writes no such fields.
	plain := governance.NewRegister()
	require.NoError(t, plain.AddParty(party("council", coprod.Statutory)))
	pb, err := json.Marshal(plain)
	require.NoError(t, err)
	assert.NotContains(t, string(pb), "acting")

	// Decoding replays through the same validation.
	tests := []struct {
		name string
		from string
		to   string
		want error
	}{
		{name: "person not an individual", from: `"person":"` + id("director").String(), to: `"person":"` + id("temple").String(), want: governance.ErrNotIndividual},
		{name: "unknown role", from: `"role":"director"`, to: `"role":"chair"`, want: governance.ErrInvalidRecord},
		{name: "end of an unknown record", from: `"acting_for":"` + id("act-director").String(), to: `"acting_for":"` + id("nothing").String(), want: governance.ErrUnknownActing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(string(b), tc.from, tc.to, 1)
			require.NotEqual(t, string(b), doc, "the row edits the document")
			target := actingRegister(t)
			before := snapshot(t, target)
			err := json.Unmarshal([]byte(doc), target)
			require.ErrorIs(t, err, tc.want)
			assert.Equal(t, before, snapshot(t, target), "a refused document changes nothing")
		})
	}
}

// TestPermitActingFor holds the whose-money rule: a payer counts as on the
// path when a holder on it acts for the payer at the recorded time.
func TestPermitActingFor(t *testing.T) {
	at := date(2026, 1, 10)
	tests := []struct {
		name       string
		setup      func(*governance.Register)
		permission coprod.Permission
		want       error
		acting     []coprod.ProofActing
	}{
		{
			name:       "director spends the hub's money under their own delegation",
			permission: coprod.Permission{Decider: id("director"), Scope: "commission/outreach", Amount: gbp("100"), Instrument: id("d-director"), Payers: []coprod.PartyID{id("hub")}, Recorded: at},
			acting:     []coprod.ProofActing{{ID: id("act-director"), Person: id("director"), For: id("hub")}},
		},
		{
			name:       "the council's money needs no acting-for: it holds a link",
			permission: coprod.Permission{Decider: id("director"), Scope: "commission/outreach", Amount: gbp("100"), Instrument: id("d-director"), Payers: []coprod.PartyID{id("council")}, Recorded: at},
		},
		{
			name: "a holder above the decider acts for the payer",
			setup: func(r *governance.Register) {
				require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-temple"), Parent: id("d-hub"), From: id("hub"), To: id("temple"), Scope: sc("commission/mental-health/iapt")}))
				require.NoError(t, r.ActFor(governance.ActingFor{ID: id("act-champion"), Person: id("champion"), For: id("hub"), Role: governance.RoleChampion}))
				require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-champion"), Parent: id("m"), From: id("council"), To: id("champion"), Scope: sc("commission/grants"), MaySubDelegate: true, MaxDepth: 1}))
				require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-champion-temple"), Parent: id("d-champion"), From: id("champion"), To: id("temple"), Scope: sc("commission/grants/faith")}))
			},
			permission: coprod.Permission{Decider: id("temple"), Scope: "commission/grants/faith", Amount: gbp("100"), Instrument: id("d-champion-temple"), Payers: []coprod.PartyID{id("hub"), id("temple")}, Recorded: at},
			acting:     []coprod.ProofActing{{ID: id("act-champion"), Person: id("champion"), For: id("hub")}},
		},
		{
			name:       "a discretionary record decided for the hub by its director",
			permission: coprod.Permission{Decider: id("director"), Amount: gbp("100"), Payers: []coprod.PartyID{id("hub"), id("director")}, Recorded: at},
			acting:     []coprod.ProofActing{{ID: id("act-director"), Person: id("director"), For: id("hub")}},
		},
		{
			name:       "rejected: a discretionary record from an organisation the decider does not act for",
			permission: coprod.Permission{Decider: id("director"), Amount: gbp("100"), Payers: []coprod.PartyID{id("council")}, Recorded: at},
			want:       governance.ErrForeignAccount,
		},
		{
			name:       "rejected: the temple's money, which no one on the path acts for",
			permission: coprod.Permission{Decider: id("director"), Scope: "commission/outreach", Amount: gbp("100"), Instrument: id("d-director"), Payers: []coprod.PartyID{id("temple")}, Recorded: at},
			want:       governance.ErrForeignAccount,
		},
		{
			name:       "rejected: recorded before the acting-for starts",
			permission: coprod.Permission{Decider: id("director"), Scope: "commission/outreach", Amount: gbp("100"), Instrument: id("d-director"), Payers: []coprod.PartyID{id("hub")}, Recorded: date(2024, 12, 31)},
			want:       governance.ErrForeignAccount,
		},
		{
			name: "rejected: recorded after the director left",
			setup: func(r *governance.Register) {
				require.NoError(t, r.EndActing(governance.ActingEnd{ActingFor: id("act-director"), At: date(2026, 1, 1), Reason: "left"}))
			},
			permission: coprod.Permission{Decider: id("director"), Amount: gbp("100"), Payers: []coprod.PartyID{id("hub")}, Recorded: at},
			want:       governance.ErrForeignAccount,
		},
		{
			name:       "rejected: recorded after the window",
			permission: coprod.Permission{Decider: id("director"), Amount: gbp("100"), Payers: []coprod.PartyID{id("hub")}, Recorded: date(2027, 1, 1)},
			want:       governance.ErrForeignAccount,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := actingRegister(t)
			if tc.setup != nil {
				tc.setup(r)
			}
			proof, err := r.Permit(tc.permission)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
				assert.Equal(t, governance.CodeOf(tc.want), governance.CodeOf(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.acting, proof.Acting)
			if tc.permission.Instrument == uuid.Nil {
				assert.Empty(t, proof.Path, "a discretionary record has no path")
			} else {
				leaf, ok := proof.Leaf()
				require.True(t, ok)
				assert.Equal(t, tc.permission.Instrument, leaf.ID)
			}

			// Authorize applies the same rule to Request.Payers.
			if tc.permission.Instrument != uuid.Nil {
				d := r.Authorize(governance.Request{Actor: tc.permission.Decider, Scope: tc.permission.Scope, Amount: tc.permission.Amount,
					Payers: tc.permission.Payers, Via: tc.permission.Instrument}, tc.permission.Recorded)
				assert.True(t, d.Allowed, "%v", d.Reasons)
			}
		})
	}
	t.Run("Authorize names the payer no one acts for", func(t *testing.T) {
		r := actingRegister(t)
		d := r.Authorize(governance.Request{Actor: id("director"), Scope: sc("commission/outreach"), Amount: gbp("1"),
			Payers: []coprod.PartyID{id("hub"), id("temple")}}, at)
		require.False(t, d.Allowed)
		require.Len(t, d.Reasons, 1)
		assert.Equal(t, governance.CodeForeignAccount, d.Reasons[0].Code)
		assert.Equal(t, id("temple"), d.Reasons[0].Party)
	})
}

// TestCheckPersons asserts each person finding on a small partnership,
// and its absence once mended.
func TestCheckPersons(t *testing.T) {
	at := date(2026, 1, 10)
	outreach := governance.Activity{ID: id("a-outreach"), Name: "Outreach", Scope: sc("commission/outreach"),
		Responsible: []uuid.UUID{id("director")}, Accountable: []uuid.UUID{id("hub")}}
	type finding struct {
		code     governance.Code
		subjects []uuid.UUID
	}
	tests := []struct {
		name    string
		setup   func(*governance.Register)
		present []finding
		absent  []governance.Code
	}{
		{
			name: "authority held personally, and by one person alone",
			present: []finding{
				{governance.CodeHeldPersonally, []uuid.UUID{id("d-director"), id("director"), id("act-director")}},
				{governance.CodeKeyPersonHolding, []uuid.UUID{id("d-director"), id("director")}},
			},
			absent: []governance.Code{governance.CodeDeputyNoAuthority},
		},
		{
			name: "held through the hub's own scheme of delegation is not personal",
			setup: func(r *governance.Register) {
				require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-hub-director"), Parent: id("d-hub"), From: id("hub"), To: id("director"), Scope: sc("commission/mental-health/iapt")}))
			},
			present: []finding{{governance.CodeHeldPersonally, []uuid.UUID{id("d-director"), id("director"), id("act-director")}}},
		},
		{
			name: "no longer acting: not personal",
			setup: func(r *governance.Register) {
				require.NoError(t, r.EndActing(governance.ActingEnd{ActingFor: id("act-director"), At: date(2026, 1, 1)}))
			},
			present: []finding{{governance.CodeKeyPersonHolding, []uuid.UUID{id("d-director"), id("director")}}},
			absent:  []governance.Code{governance.CodeHeldPersonally},
		},
		{
			name: "a deputy holding the same authority clears the sole holding",
			setup: func(r *governance.Register) {
				require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-deputy"), Parent: id("m"), From: id("council"), To: id("deputy"), Scope: sc("commission/outreach")}))
			},
			absent: []governance.Code{governance.CodeKeyPersonHolding},
		},
		{
			name: "a wider holder off the chain is a deputy too",
			setup: func(r *governance.Register) {
				require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-deputy"), Parent: id("m"), From: id("council"), To: id("temple"), Scope: sc("commission")}))
			},
			absent: []governance.Code{governance.CodeKeyPersonHolding},
		},
		{
			name: "a revoked deputy's holding clears nothing",
			setup: func(r *governance.Register) {
				require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-deputy"), Parent: id("m"), From: id("council"), To: id("deputy"), Scope: sc("commission/outreach")}))
				require.NoError(t, r.Revoke(governance.Revocation{Link: id("d-deputy"), By: id("council"), At: date(2026, 1, 1)}))
			},
			present: []finding{{governance.CodeKeyPersonHolding, []uuid.UUID{id("d-director"), id("director")}}},
		},
		{
			name: "two holders: not a sole holding",
			setup: func(r *governance.Register) {
				require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-hub-outreach"), Parent: id("m"), From: id("council"), To: id("hub"), Scope: sc("commission/outreach")}))
			},
			absent: []governance.Code{governance.CodeKeyPersonHolding},
		},
		{
			name: "an activity on one person with no deputy",
			setup: func(r *governance.Register) {
				require.NoError(t, r.AddActivity(outreach))
			},
			present: []finding{{governance.CodeKeyPerson, []uuid.UUID{id("a-outreach"), id("director")}}},
			absent:  []governance.Code{governance.CodeDeputyNoAuthority},
		},
		{
			name: "a deputy without authority is a finding and clears nothing",
			setup: func(r *governance.Register) {
				a := outreach
				a.Deputies = []uuid.UUID{id("deputy"), id("deputy")}
				require.NoError(t, r.AddActivity(a))
			},
			present: []finding{
				{governance.CodeKeyPerson, []uuid.UUID{id("a-outreach"), id("director")}},
				{governance.CodeDeputyNoAuthority, []uuid.UUID{id("a-outreach"), id("deputy")}},
			},
		},
		{
			name: "a deputy refused for the very scope: authority elsewhere does not count",
			setup: func(r *governance.Register) {
				require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-deputy"), Parent: id("m"), From: id("council"), To: id("deputy"), Scope: sc("commission/other")}))
				a := outreach
				a.Deputies = []uuid.UUID{id("deputy")}
				require.NoError(t, r.AddActivity(a))
			},
			present: []finding{
				{governance.CodeKeyPerson, []uuid.UUID{id("a-outreach"), id("director")}},
				{governance.CodeDeputyNoAuthority, []uuid.UUID{id("a-outreach"), id("deputy")}},
			},
		},
		{
			name: "a deputy with valid authority clears the activity and the holding",
			setup: func(r *governance.Register) {
				require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-deputy"), Parent: id("m"), From: id("council"), To: id("deputy"), Scope: sc("commission/outreach")}))
				a := outreach
				a.Deputies = []uuid.UUID{id("deputy")}
				require.NoError(t, r.AddActivity(a))
			},
			absent: []governance.Code{governance.CodeKeyPerson, governance.CodeDeputyNoAuthority, governance.CodeKeyPersonHolding},
		},
		{
			name: "the key person as their own deputy clears nothing",
			setup: func(r *governance.Register) {
				a := outreach
				a.Deputies = []uuid.UUID{id("director")}
				require.NoError(t, r.AddActivity(a))
			},
			present: []finding{{governance.CodeKeyPerson, []uuid.UUID{id("a-outreach"), id("director")}}},
			absent:  []governance.Code{governance.CodeDeputyNoAuthority},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := actingRegister(t)
			if tc.setup != nil {
				tc.setup(r)
			}
			rep := r.Check(at)
			for _, want := range tc.present {
				var got [][]uuid.UUID
				for _, f := range rep.Findings {
					if f.Code == want.code {
						got = append(got, f.Subjects)
						assert.Equal(t, governance.SeverityWarning, f.Severity)
						assert.NotEmpty(t, f.Reason)
						assert.NotContains(t, f.Reason, "\n")
					}
				}
				assert.Equal(t, [][]uuid.UUID{want.subjects}, got, "%s", want.code)
			}
			for _, code := range tc.absent {
				assert.False(t, rep.Has(code), "%s in\n%s", code, rep)
			}
		})
	}
}
