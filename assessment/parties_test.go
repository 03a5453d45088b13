package assessment_test

import (
	"slices"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var users = id(7)

func partyLevel(t *testing.T, res assessment.Result, party uuid.UUID) assessment.PartyLevel {
	t.Helper()
	i := slices.IndexFunc(res.Parties, func(pl assessment.PartyLevel) bool { return pl.Party == party })
	require.GreaterOrEqual(t, i, 0, "party %s has no level", party)
	return res.Parties[i]
}

func partyFinding(pl assessment.PartyLevel, probe string) assessment.Finding {
	for _, f := range pl.Findings {
		if f.Probe == probe {
			return f
		}
	}
	return assessment.Finding{}
}

func TestPartyLevels(t *testing.T) {
	// A service-user group consulted by the reference group, beside the
	// hub and the temple.
	withUsers := func(p *partnership) {
		p.parties = append(p.parties, coprod.Party{ID: users, Name: "Service users' group", Sector: coprod.ServiceUsers})
		p.activities[0].Consulted = append(p.activities[0].Consulted, users)
	}
	tests := []struct {
		name  string
		edit  func(*partnership)
		party uuid.UUID
		level string
		// blocking is a criterion that must block the party's next rung.
		blocking string
	}{
		{"hub: deciding in design, funded formally", nil, hub, "co-design", "delivery-authority-delegated"},
		{"temple: funded at the officer's discretion", nil, temple, "engagement", "money-formal"},
		{"service users: consulted only", withUsers, users, "consultation", "money-reaches-community"},
		{"hub beside the service users", withUsers, hub, "co-design", "community-decides-delivery"},
		{"temple, its money made formal", noTx(id(40)), temple, "consultation", "money-reaches-community"},
		{"temple, with no live activity", func(p *partnership) {
			p.activities = p.activities[:1]
			p.activities[0].Consulted = []uuid.UUID{hub}
		}, temple, "educating", "community-informed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := wandsworth(t)
			if tt.edit != nil {
				tt.edit(&p)
			}
			res := assess(t, p, assessment.DefaultRubric())
			pl := partyLevel(t, res, tt.party)
			assert.Equal(t, tt.level, pl.Level.Rung)
			assert.Equal(t, min(pl.Ceiling.Position, pl.Practice.Position), pl.Level.Position)
			assert.Contains(t, pl.Blocking, tt.blocking)
			assert.True(t, slices.IsSorted(pl.Blocking))
		})
	}

	t.Run("levels differ where parties do", func(t *testing.T) {
		p := wandsworth(t)
		withUsers(&p)
		res := assess(t, p, assessment.DefaultRubric())
		require.Len(t, res.Parties, 3, "the hub, the temple and the service users; not the council nor individuals")
		assert.Equal(t, []string{"Community hub", "Service users' group", "Temple"},
			[]string{res.Parties[0].Name, res.Parties[1].Name, res.Parties[2].Name}, "sorted by name")
		assert.Greater(t, partyLevel(t, res, hub).Level.Position, partyLevel(t, res, users).Level.Position)
	})

	t.Run("findings are the party's own", func(t *testing.T) {
		res := assess(t, wandsworth(t), assessment.DefaultRubric())
		temple := partyLevel(t, res, temple)
		f := partyFinding(temple, "informal-money-to-community")
		assert.Equal(t, assessment.True, f.Outcome, f.Reason)
		assert.Contains(t, f.Records, id(40))
		f = partyFinding(partyLevel(t, res, hub), "informal-money-to-community")
		assert.Equal(t, assessment.False, f.Outcome, f.Reason)
		f = partyFinding(temple, "cost-coverage")
		assert.Equal(t, assessment.False, f.Outcome, f.Reason)
		f = partyFinding(partyLevel(t, res, hub), "cost-coverage")
		assert.Equal(t, assessment.NotApplicable, f.Outcome, "the hub recorded no costs: %s", f.Reason)
		f = partyFinding(partyLevel(t, res, hub), "community-authority/"+string(governance.CoDesign))
		assert.Equal(t, assessment.True, f.Outcome, f.Reason)
		assert.Contains(t, f.Records, id(12))
	})

	t.Run("every party answers every party probe", func(t *testing.T) {
		all := map[string]bool{}
		for _, p := range assessment.Probes() {
			all[p.Name] = true
		}
		names := assessment.PartyProbes()
		for _, n := range names {
			assert.True(t, all[n], "party probe %s is not a probe", n)
		}
		res := assess(t, wandsworth(t), assessment.DefaultRubric())
		for _, pl := range res.Parties {
			got := make([]string, len(pl.Findings))
			for i, f := range pl.Findings {
				got[i] = f.Probe
				assert.True(t, f.Outcome.Valid(), f.Probe)
				assert.NotEmpty(t, f.Reason, f.Probe)
				assert.Contains(t, f.Records, pl.Party, f.Probe)
			}
			assert.Equal(t, names, got, pl.Name)
		}
	})

	t.Run("without a register or a ledger", func(t *testing.T) {
		res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{At: at})
		require.NoError(t, err)
		assert.NotNil(t, res.Parties)
		assert.Empty(t, res.Parties)
		reg, _ := wandsworth(t).build(t, nil)
		res, err = assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, At: at})
		require.NoError(t, err)
		pl := partyLevel(t, res, hub)
		assert.Equal(t, assessment.NotAvailable, partyFinding(pl, "money-to-community").Outcome)
		assert.Contains(t, pl.Blocking, "money-reaches-community", "inconclusive criteria block too")
	})
}
