package governance_test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/coprod/coprod/governance"
	goldenfile "github.com/coprod/coprod/internal/golden"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

func TestCheckGolden(t *testing.T) {
	r := fixture(t)
	rep := r.Check(checkAt)
	codes := rep.Codes()
	assert.GreaterOrEqual(t, len(codes), 12, "the fixture exercises at least 12 codes: %v", codes)
	for _, c := range []governance.Code{
		governance.CodeBrokenChain, governance.CodeRevokedReliedOn, governance.CodeExpiredReliedOn,
		governance.CodeScopeExceedsParent, governance.CodeNoAccountable, governance.CodeMultipleAccountable,
		governance.CodeNoResponsible, governance.CodeAccountableNoAuthority, governance.CodeResponsibleNoAuthority,
		governance.CodeReservedMatter, governance.CodeSelfApproval, governance.CodeConflictNotRecused,
		governance.CodeKeyPerson, governance.CodeCommunityNoDecision, governance.CodeLinkExpiring,
	} {
		assert.True(t, rep.Has(c), "expected a %s finding", c)
	}
	golden(t, "check.golden", rep.String())
	j, err := json.MarshalIndent(rep, "", "  ")
	require.NoError(t, err)
	golden(t, "check.golden.json", string(j)+"\n")
}

func TestCheckSpecifics(t *testing.T) {
	r := fixture(t)
	rep := r.Check(checkAt)
	find := func(code governance.Code) []governance.Finding {
		var out []governance.Finding
		for _, f := range rep.Findings {
			if f.Code == code {
				out = append(out, f)
			}
		}
		return out
	}
	broken := find(governance.CodeBrokenChain)
	require.Len(t, broken, 1)
	assert.Equal(t, governance.SeverityError, broken[0].Severity)
	assert.Equal(t, []any{id("d-officer-hub"), id("d-officer")}, []any{broken[0].Subjects[0], broken[0].Subjects[1]})

	// The director's interest is recused; the cabinet member's is not.
	conflicts := find(governance.CodeConflictNotRecused)
	require.Len(t, conflicts, 1)
	assert.Equal(t, id("i-cabinet"), conflicts[0].Subjects[0])

	// The community parties only consulted or informed; the temple holds a
	// delegation, so it is not among them.
	community := find(governance.CodeCommunityNoDecision)
	var who []any
	for _, f := range community {
		who = append(who, f.Subjects[0])
	}
	assert.ElementsMatch(t, []any{id("users"), id("church")}, who)

	// The activity's deputy holds no authority for its scope, so cannot
	// step in: the activity still rests on the officer alone, and the
	// deputy is a finding of its own. (A deputy with authority clears it:
	// TestCheckPersons.)
	var grants []any
	for _, f := range find(governance.CodeKeyPerson) {
		if f.Subjects[0] == id("a-grants") {
			grants = append(grants, f.Subjects[1])
		}
	}
	assert.Equal(t, []any{id("officer")}, grants)
	deputies := find(governance.CodeDeputyNoAuthority)
	require.Len(t, deputies, 1)
	assert.Equal(t, []uuid.UUID{id("a-grants"), id("director")}, deputies[0].Subjects)

	// The director holds outreach personally, though acting for the hub;
	// the officer holds what the council, which they act for, delegated.
	personal := find(governance.CodeHeldPersonally)
	require.Len(t, personal, 1)
	assert.Equal(t, []uuid.UUID{id("d-director"), id("director"), id("act-director")}, personal[0].Subjects)
	holding := find(governance.CodeKeyPersonHolding)
	require.Len(t, holding, 1)
	assert.Equal(t, []uuid.UUID{id("d-director"), id("director")}, holding[0].Subjects)

	// Before the revocation and reassumption, those findings are absent.
	early := r.Check(date(2025, 10, 1))
	assert.False(t, early.Has(governance.CodeBrokenChain))
	assert.False(t, early.Has(governance.CodeScopeExceedsParent))
	assert.False(t, early.Has(governance.CodeExpiredReliedOn))
	assert.True(t, early.Has(governance.CodeNoAccountable), "RACI faults do not depend on time")
}

func TestCheckCleanRegister(t *testing.T) {
	r := governance.NewRegister()
	require.NoError(t, r.AddParty(party("council", "statutory")))
	require.NoError(t, r.AddParty(party("hub", "hub")))
	require.NoError(t, r.AddParty(party("deputy", "individual")))
	require.NoError(t, r.AddMandate(governance.Mandate{ID: id("m"), Holder: id("council"), Scope: sc("commission"), MaxDepth: 1}))
	require.NoError(t, r.Delegate(governance.Delegation{ID: id("d"), Parent: id("m"), From: id("council"), To: id("hub"), Scope: sc("commission/iapt")}))
	require.NoError(t, r.AddActivity(governance.Activity{ID: id("a"), Name: "IAPT", Scope: sc("commission/iapt"),
		Responsible: []uuid.UUID{id("hub")}, Accountable: []uuid.UUID{id("council")}}))
	rep := r.Check(checkAt)
	assert.Empty(t, rep.Findings, rep.String())
}

func TestGraphGolden(t *testing.T) {
	r := fixture(t)
	golden(t, "graph.mmd", r.Mermaid(checkAt))
	golden(t, "graph.dot", r.DOT(checkAt))
	assert.Equal(t, r.Mermaid(checkAt), fixture(t).Mermaid(checkAt), "deterministic")
}
