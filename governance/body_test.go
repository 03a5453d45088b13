package governance_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// poolRegister is a joint commissioning board that holds a budget the
// council and the clinical commissioners pool (a section 75 agreement),
// deciding by majority. Four members sit from April 2025; a fifth left at
// the end of 2025; one has recused from IAPT decisions, having a
// financial interest in the temple that delivers IAPT.
func poolRegister(t testing.TB, rule governance.DecisionRule, quorum int) *governance.Register {
	t.Helper()
	r := governance.NewRegister()
	must := func(err error) {
		t.Helper()
		require.NoError(t, err)
	}
	for _, p := range []coprod.Party{
		party("council", coprod.Statutory), party("ccg", coprod.Statutory), party("temple", coprod.Community),
		party("board", coprod.Statutory),
		party("officer-a", coprod.Individual), party("officer-b", coprod.Individual),
		party("rep-c", coprod.Individual), party("rep-d", coprod.Individual), party("former-e", coprod.Individual),
	} {
		must(r.AddParty(p))
	}
	must(r.AddBody(governance.Body{Party: id("board"), Rule: rule, Quorum: quorum}))
	seat := coprod.Window{NotBefore: date(2025, 4, 1)}
	for _, m := range []string{"officer-a", "officer-b", "rep-c", "rep-d"} {
		must(r.Join(governance.Membership{ID: id("seat-" + m), Body: id("board"), Member: id(m), Window: seat}))
	}
	must(r.Join(governance.Membership{ID: id("seat-former-e"), Body: id("board"), Member: id("former-e"),
		Window: coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2026, 1, 1)}}))
	must(r.AddMandate(governance.Mandate{ID: id("m-pool"), Holder: id("board"), Scope: sc("commission/mental-health"),
		Basis: "NHS Act 2006 s.75 pooled budget", TransactionLimit: gbp("100000")}))
	must(r.Declare(governance.Interest{ID: id("i-rep-d"), Holder: id("rep-d"), In: id("temple"), Category: governance.Financial,
		Description: "paid trustee", Touches: []governance.Scope{sc("commission/mental-health/iapt")}, Declared: date(2025, 4, 1)}))
	must(r.Recuse(governance.Recusal{Interest: id("i-rep-d"), Scope: sc("commission/mental-health/iapt"), At: date(2025, 5, 1),
		Reason: "steps out of IAPT decisions"}))
	return r
}

func ids(names ...string) []uuid.UUID {
	out := make([]uuid.UUID, len(names))
	for i, n := range names {
		out[i] = id(n)
	}
	return out
}

func TestCollectiveDecision(t *testing.T) {
	r := poolRegister(t, governance.RuleMajority, 0)
	iapt, family := sc("commission/mental-health/iapt"), sc("commission/mental-health/family-therapy")
	for _, tc := range []struct {
		name      string
		scope     governance.Scope
		approvers []string
		at        time.Time
		allowed   bool
		message   string // for a refusal, part of the COLLECTIVE_RULE_NOT_MET reason
	}{
		{"two of three eligible", iapt, []string{"officer-a", "officer-b"}, date(2026, 1, 15), true, ""},
		{"all three eligible", iapt, []string{"officer-a", "officer-b", "rep-c"}, date(2026, 1, 15), true, ""},
		{"one of three", iapt, []string{"officer-a"}, date(2026, 1, 15), false, "1 of 3 eligible members approved, 2 needed"},
		{"no approvers", iapt, nil, date(2026, 1, 15), false, "0 of 3 eligible members approved, 2 needed"},
		{"a recused member does not count", iapt, []string{"officer-a", "rep-d"}, date(2026, 1, 15), false, "1 of 3 eligible"},
		{"a former member does not count", iapt, []string{"officer-a", "former-e"}, date(2026, 1, 15), false, "1 of 3 eligible"},
		{"an outsider does not count", iapt, []string{"officer-a", "council"}, date(2026, 1, 15), false, "1 of 3 eligible"},
		{"before the recusal five are eligible", iapt, []string{"officer-a", "rep-d"}, date(2025, 4, 15), false, "2 of 5 eligible members approved, 3 needed"},
		{"before the recusal three of five", iapt, []string{"officer-a", "officer-b", "rep-d"}, date(2025, 4, 15), true, ""},
		{"outside the recusal's scope the member counts", family, []string{"officer-a", "officer-b"}, date(2026, 1, 15), false, "2 of 4 eligible members approved, 3 needed"},
		{"outside the recusal's scope three of four", family, []string{"officer-a", "officer-b", "rep-d"}, date(2026, 1, 15), true, ""},
		{"before anyone sat", iapt, []string{"officer-a"}, date(2025, 3, 1), false, "0 of 0 eligible members approved, 1 needed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := governance.Request{Actor: id("board"), Scope: tc.scope, Amount: gbp("5000"), Approvers: ids(tc.approvers...)}
			d := r.Authorize(req, tc.at)
			assert.Equal(t, tc.allowed, d.Allowed, "%+v", d.Reasons)
			if tc.allowed {
				assert.Equal(t, []governance.Link{{ID: id("m-pool"), To: id("board"), Kind: governance.KindMandate}}, d.Path)
				return
			}
			require.ErrorIs(t, d.Err(), governance.ErrCollectiveRuleNotMet)
			var found bool
			for _, reason := range d.Reasons {
				if reason.Code == governance.CodeCollectiveRuleNotMet {
					found = true
					assert.Equal(t, id("board"), reason.Party)
					assert.Contains(t, reason.Message, "board decides by majority")
					assert.Contains(t, reason.Message, tc.message)
				}
			}
			assert.True(t, found)
		})
	}
	t.Run("a conflicted approver is still refused", func(t *testing.T) {
		req := governance.Request{Actor: id("board"), Scope: family, Amount: gbp("5000"), Beneficiaries: ids("temple"),
			Approvers: ids("officer-a", "officer-b", "rep-d")}
		d := r.Authorize(req, date(2026, 1, 15))
		require.False(t, d.Allowed)
		assert.ErrorIs(t, d.Err(), governance.ErrApproverConflict)
	})
}

func TestDecisionRules(t *testing.T) {
	at := date(2026, 1, 15)
	scope := sc("commission/mental-health/family-therapy") // rep-d is not recused here: four eligible
	for _, tc := range []struct {
		rule      governance.DecisionRule
		quorum    int
		approvers []string
		allowed   bool
	}{
		{governance.RuleAny, 0, []string{"rep-c"}, true},
		{governance.RuleAny, 0, nil, false},
		{governance.RuleAny, 2, []string{"rep-c"}, false},
		{governance.RuleAny, 2, []string{"rep-c", "rep-d"}, true},
		{governance.RuleMajority, 0, []string{"rep-c", "rep-d"}, false},
		{governance.RuleMajority, 0, []string{"rep-c", "rep-d", "officer-a"}, true},
		{governance.RuleMajority, 4, []string{"rep-c", "rep-d", "officer-a"}, false},
		{governance.RuleUnanimity, 0, []string{"rep-c", "rep-d", "officer-a"}, false},
		{governance.RuleUnanimity, 0, []string{"rep-c", "rep-d", "officer-a", "officer-b"}, true},
		{governance.RuleUnanimity, 0, []string{"rep-c", "rep-d", "officer-a", "officer-b", "former-e"}, true},
	} {
		t.Run(fmt.Sprintf("%s quorum %d with %d", tc.rule, tc.quorum, len(tc.approvers)), func(t *testing.T) {
			r := poolRegister(t, tc.rule, tc.quorum)
			d := r.Authorize(governance.Request{Actor: id("board"), Scope: scope, Approvers: ids(tc.approvers...)}, at)
			assert.Equal(t, tc.allowed, d.Allowed, "%+v", d.Reasons)
			if !tc.allowed {
				assert.Equal(t, governance.CodeCollectiveRuleNotMet, governance.CodeOf(d.Err()))
			}
		})
	}
}

func TestBodyRefusals(t *testing.T) {
	r := poolRegister(t, governance.RuleMajority, 0)
	require.NoError(t, r.AddParty(party("panel", coprod.Community)))
	before := snapshot(t, r)
	for _, tc := range []struct {
		name string
		err  error
		do   func() error
	}{
		{"body of an unknown party", governance.ErrUnknownParty, func() error {
			return r.AddBody(governance.Body{Party: id("nobody"), Rule: governance.RuleAny})
		}},
		{"body recorded twice", governance.ErrDuplicateID, func() error {
			return r.AddBody(governance.Body{Party: id("board"), Rule: governance.RuleAny})
		}},
		{"nil body", governance.ErrInvalidRecord, func() error { return r.AddBody(governance.Body{Rule: governance.RuleAny}) }},
		{"undefined rule", governance.ErrInvalidRecord, func() error {
			return r.AddBody(governance.Body{Party: id("panel"), Rule: "consensus"})
		}},
		{"no rule", governance.ErrInvalidRecord, func() error { return r.AddBody(governance.Body{Party: id("panel")}) }},
		{"negative quorum", governance.ErrInvalidRecord, func() error {
			return r.AddBody(governance.Body{Party: id("panel"), Rule: governance.RuleAny, Quorum: -1})
		}},
		{"quorum over the limit", governance.ErrInvalidRecord, func() error {
			return r.AddBody(governance.Body{Party: id("panel"), Rule: governance.RuleAny, Quorum: governance.MaxRoleParties + 1})
		}},
		{"member not a party", governance.ErrUnknownParty, func() error {
			return r.Join(governance.Membership{ID: id("x"), Body: id("board"), Member: id("nobody")})
		}},
		{"membership of no body", governance.ErrUnknownBody, func() error {
			return r.Join(governance.Membership{ID: id("x"), Body: id("panel"), Member: id("rep-c")})
		}},
		{"body as its own member", governance.ErrSelfMembership, func() error {
			return r.Join(governance.Membership{ID: id("x"), Body: id("board"), Member: id("board")})
		}},
		{"bad window", governance.ErrInvalidRecord, func() error {
			return r.Join(governance.Membership{ID: id("x"), Body: id("board"), Member: id("council"),
				Window: coprod.Window{NotBefore: date(2026, 1, 1), Expires: date(2025, 1, 1)}})
		}},
		{"nil membership id", governance.ErrInvalidRecord, func() error {
			return r.Join(governance.Membership{Body: id("board"), Member: id("council")})
		}},
		{"membership id reused", governance.ErrDuplicateID, func() error {
			return r.Join(governance.Membership{ID: id("seat-rep-c"), Body: id("board"), Member: id("council")})
		}},
		{"membership id of a party", governance.ErrDuplicateID, func() error {
			return r.Join(governance.Membership{ID: id("council"), Body: id("board"), Member: id("council")})
		}},
		{"overlapping membership", governance.ErrDuplicateMembership, func() error {
			return r.Join(governance.Membership{ID: id("x"), Body: id("board"), Member: id("former-e"),
				Window: coprod.Window{NotBefore: date(2025, 12, 1)}})
		}},
		{"mandate with a membership's id", governance.ErrDuplicateID, func() error {
			return r.AddMandate(governance.Mandate{ID: id("seat-rep-c"), Holder: id("council"), Scope: sc("commission")})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			require.ErrorIs(t, err, tc.err)
			var re *governance.RecordError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, governance.CodeOf(tc.err), re.Code)
			assert.Equal(t, before, snapshot(t, r), "a refused record changes nothing")
		})
	}
	t.Run("a member may join again after leaving", func(t *testing.T) {
		require.NoError(t, r.Join(governance.Membership{ID: id("seat-former-e-again"), Body: id("board"), Member: id("former-e"),
			Window: coprod.Window{NotBefore: date(2026, 1, 1)}}))
		assert.Contains(t, r.Members(id("board"), date(2026, 2, 1)), id("former-e"))
		assert.NotContains(t, r.Members(id("board"), date(2025, 3, 1)), id("former-e"))
	})
	t.Run("membership limit", func(t *testing.T) {
		r := poolRegister(t, governance.RuleAny, 0)
		var err error
		for i := 0; err == nil && i <= governance.MaxMemberships; i++ {
			from := date(2030, 1, 1).AddDate(0, 0, i)
			err = r.Join(governance.Membership{ID: id(fmt.Sprint("day-", i)), Body: id("board"), Member: id("council"),
				Window: coprod.Window{NotBefore: from, Expires: from.AddDate(0, 0, 1)}})
		}
		assert.ErrorIs(t, err, governance.ErrLimitReached)
	})
}

func TestBodiesRoundTrip(t *testing.T) {
	r := poolRegister(t, governance.RuleUnanimity, 2)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var back governance.Register
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, snapshot(t, r), snapshot(t, &back))
	body, ok := back.Body(id("board"))
	require.True(t, ok)
	assert.Equal(t, governance.Body{Party: id("board"), Rule: governance.RuleUnanimity, Quorum: 2}, body)
	assert.Len(t, back.Members(id("board"), date(2025, 6, 1)), 5)
	req := governance.Request{Actor: id("board"), Scope: sc("commission/mental-health/iapt"), Approvers: ids("officer-a", "officer-b", "rep-c")}
	assert.Equal(t, r.Authorize(req, date(2026, 1, 15)), back.Authorize(req, date(2026, 1, 15)))

	t.Run("a document without bodies decodes", func(t *testing.T) {
		doc := `{"schema":"coprod.governance/v1","parties":[],"mandates":[],"delegations":[],"revocations":[],` +
			`"reassumptions":[],"activities":[],"interests":[],"recusals":[]}`
		var r governance.Register
		require.NoError(t, json.Unmarshal([]byte(doc), &r))
	})
	t.Run("replay refuses what the register refuses", func(t *testing.T) {
		for name, edit := range map[string]func(map[string]any){
			"membership of no body": func(doc map[string]any) { doc["bodies"] = []any{} },
			"undefined rule": func(doc map[string]any) {
				doc["bodies"].([]any)[0].(map[string]any)["rule"] = "consensus"
			},
			"misspelt field": func(doc map[string]any) {
				doc["bodies"].([]any)[0].(map[string]any)["quorom"] = 2
			},
		} {
			t.Run(name, func(t *testing.T) {
				var doc map[string]any
				require.NoError(t, json.Unmarshal(b, &doc))
				edit(doc)
				bad, err := json.Marshal(doc)
				require.NoError(t, err)
				target := fixture(t)
				before := snapshot(t, target)
				assert.Error(t, json.Unmarshal(bad, target))
				assert.Equal(t, before, snapshot(t, target))
			})
		}
	})
}

func TestCollectiveDecisionAllocatesOnlyTheProofPath(t *testing.T) {
	r := poolRegister(t, governance.RuleMajority, 0)
	req := governance.Request{Actor: id("board"), Scope: sc("commission/mental-health/iapt"), Amount: gbp("5000"),
		Approvers: ids("officer-a", "officer-b")}
	at := date(2026, 1, 15)
	require.True(t, r.Authorize(req, at).Allowed)
	allocs := testing.AllocsPerRun(100, func() { r.Authorize(req, at) })
	assert.LessOrEqual(t, allocs, 1.0, "counting a body's approvals allocates nothing")
}
