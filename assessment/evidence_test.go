package assessment_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/internal/golden"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// piece is a valid piece of evidence for the tests to change.
func piece(i byte, kind assessment.EvidenceKind, side assessment.Side, supports, contradicts []string) assessment.Evidence {
	rater := officer
	if side == assessment.SideCommunity {
		rater = director
	}
	return assessment.Evidence{ID: id(100 + i), Kind: kind, Side: side, Rater: rater,
		Date: t0.AddDate(0, 3, int(i)), Reference: "ref " + string('A'+rune(i%26)),
		Statement: "what it says", Supports: supports, Contradicts: contradicts}
}

func TestEvidenceValidate(t *testing.T) {
	ok := piece(1, assessment.EvidenceInterview, assessment.SideCommunity, []string{"labour-paid"}, nil)
	tests := []struct {
		name string
		edit func(*assessment.Evidence)
		ok   bool
	}{
		{"valid", func(*assessment.Evidence) {}, true},
		{"valid service unit", func(e *assessment.Evidence) { e.Unit = assessment.UnitService }, true},
		{"valid contradicting only", func(e *assessment.Evidence) { e.Supports, e.Contradicts = nil, []string{"x"} }, true},
		{"no ID", func(e *assessment.Evidence) { e.ID = uuid.Nil }, false},
		{"undefined kind", func(e *assessment.Evidence) { e.Kind = "rumour" }, false},
		{"no kind", func(e *assessment.Evidence) { e.Kind = "" }, false},
		{"undefined side", func(e *assessment.Evidence) { e.Side = "both" }, false},
		{"no rater", func(e *assessment.Evidence) { e.Rater = uuid.Nil }, false},
		{"no date", func(e *assessment.Evidence) { e.Date = time.Time{} }, false},
		{"undefined unit", func(e *assessment.Evidence) { e.Unit = "team" }, false},
		{"no reference", func(e *assessment.Evidence) { e.Reference = "" }, false},
		{"reference too long", func(e *assessment.Evidence) { e.Reference = strings.Repeat("r", assessment.MaxTextLen+1) }, false},
		{"statement too long", func(e *assessment.Evidence) { e.Statement = strings.Repeat("s", assessment.MaxStatementLen+1) }, false},
		{"statement not UTF-8", func(e *assessment.Evidence) { e.Statement = "\xff" }, false},
		{"no criteria", func(e *assessment.Evidence) { e.Supports, e.Contradicts = nil, nil }, false},
		{"empty criterion", func(e *assessment.Evidence) { e.Supports = []string{""} }, false},
		{"both ways", func(e *assessment.Evidence) { e.Contradicts = []string{"labour-paid"} }, false},
		{"named twice", func(e *assessment.Evidence) { e.Supports = []string{"a", "a"} }, false},
		{"too many criteria", func(e *assessment.Evidence) {
			e.Supports = nil
			for i := range assessment.MaxEvidenceCriteria + 1 {
				e.Supports = append(e.Supports, strings.Repeat("c", i+1))
			}
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok
			e.Supports = append([]string(nil), ok.Supports...)
			tt.edit(&e)
			err := e.Validate()
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, assessment.ErrInvalidEvidence)
			assert.Equal(t, coprod.Code("INVALID_EVIDENCE"), coprod.CodeOf(err))
		})
	}
}

func TestSettle(t *testing.T) {
	doc := piece(1, assessment.EvidenceDocument, assessment.SideStatutory, []string{"c"}, nil)
	doc2 := piece(2, assessment.EvidenceDocument, assessment.SideCommunity, []string{"c"}, nil)
	iv := piece(3, assessment.EvidenceInterview, assessment.SideCommunity, []string{"c"}, nil)
	obs := piece(4, assessment.EvidenceObservation, assessment.SideStatutory, nil, []string{"c"})
	fg := piece(5, assessment.EvidenceFocusGroup, assessment.SideCommunity, nil, []string{"c"})
	ev := func(es ...assessment.Evidence) []assessment.Evidence { return es }
	tests := []struct {
		name          string
		records       assessment.Status
		sup, con      []assessment.Evidence
		want          assessment.Status
		wantSettled   bool
		reasonContain string
	}{
		{"document and interview corroborate", assessment.Inconclusive, ev(doc, iv), nil, assessment.Met, true, "corroborating"},
		{"two documents do not", assessment.Inconclusive, ev(doc, doc2), nil, assessment.Inconclusive, false, "not corroborated"},
		{"one interview does not", assessment.Inconclusive, ev(iv), nil, assessment.Inconclusive, false, "not corroborated"},
		{"conflict stays inconclusive", assessment.Inconclusive, ev(doc, iv), ev(obs), assessment.Inconclusive, false, "conflicts"},
		{"corroborated contradiction", assessment.Inconclusive, nil, ev(obs, fg), assessment.NotMet, true, "settled against"},
		{"one contradiction stays inconclusive", assessment.Inconclusive, nil, ev(obs), assessment.Inconclusive, false, "not corroborated"},
		{"records met, contradicted", assessment.Met, nil, ev(obs, fg), assessment.Met, false, "does not overturn"},
		{"records not met, supported", assessment.NotMet, ev(doc, iv), nil, assessment.NotMet, false, "does not overturn"},
		{"records vacuous, contradicted", assessment.Vacuous, nil, ev(obs, fg), assessment.Vacuous, false, "does not overturn"},
		{"no evidence", assessment.Inconclusive, nil, nil, assessment.Inconclusive, false, "not corroborated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, settled, why := assessment.Settle(tt.records, tt.sup, tt.con)
			assert.Equal(t, tt.want, st)
			assert.Equal(t, tt.wantSettled, settled)
			assert.Contains(t, why, tt.reasonContain)
		})
	}
}

func TestAssessRejectsEvidence(t *testing.T) {
	good := piece(1, assessment.EvidenceInterview, assessment.SideCommunity, []string{"labour-paid"}, nil)
	tests := []struct {
		name     string
		evidence func() []assessment.Evidence
		want     error
	}{
		{"invalid piece", func() []assessment.Evidence { e := good; e.Kind = ""; return []assessment.Evidence{e} }, assessment.ErrInvalidEvidence},
		{"unknown criterion", func() []assessment.Evidence {
			e := good
			e.Supports = []string{"no-such-criterion"}
			return []assessment.Evidence{e}
		}, assessment.ErrUnknownCriterion},
		{"one ID twice", func() []assessment.Evidence { return []assessment.Evidence{good, good} }, assessment.ErrInvalidEvidence},
		{"too many", func() []assessment.Evidence { return make([]assessment.Evidence, assessment.MaxEvidence+1) }, assessment.ErrInvalidEvidence},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{At: at, Evidence: tt.evidence()})
			assert.ErrorIs(t, err, tt.want)
			assert.ErrorIs(t, err, assessment.ErrInvalidInput)
		})
	}
	_, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{At: at, Evidence: []assessment.Evidence{good}})
	assert.NoError(t, err)
}

// noLedger assesses the fixture without its ledger, so that the money
// criteria are inconclusive and evidence has something to settle.
func noLedger(t *testing.T, ev []assessment.Evidence) assessment.Result {
	t.Helper()
	reg, _ := wandsworth(t).build(t, nil)
	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, At: at, Evidence: ev})
	require.NoError(t, err)
	return res
}

func criterion(t *testing.T, res assessment.Result, id string) assessment.CriterionResult {
	t.Helper()
	for _, c := range res.Criteria {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no criterion %q", id)
	return assessment.CriterionResult{}
}

func TestEvidenceSettlesWhatTheRecordsCannotAnswer(t *testing.T) {
	before := noLedger(t, nil)
	require.Equal(t, assessment.Inconclusive, criterion(t, before, "money-reaches-community").Status)
	require.Equal(t, assessment.NotMet, criterion(t, before, "community-decides-commissioning").Status)
	require.Equal(t, "consultation", before.Level.Rung)
	assert.Nil(t, before.Evidence)

	money := []string{"money-reaches-community"}
	commissioning := []string{"community-decides-commissioning"}
	after := noLedger(t, []assessment.Evidence{
		piece(1, assessment.EvidenceDocument, assessment.SideStatutory, money, nil),
		piece(2, assessment.EvidenceInterview, assessment.SideCommunity, slices.Concat(money, commissioning), nil),
		piece(3, assessment.EvidenceFocusGroup, assessment.SideCommunity, commissioning, nil),
	})
	settled := criterion(t, after, "money-reaches-community")
	assert.Equal(t, assessment.Met, settled.Status)
	require.NotNil(t, settled.Evidence)
	assert.True(t, settled.Evidence.Settled)
	assert.Equal(t, assessment.Inconclusive, settled.Evidence.Records)
	assert.Equal(t, []uuid.UUID{id(101), id(102)}, settled.Evidence.Supporting)

	// A self-rating does not override the register: the criterion keeps
	// its status, and the evidence is listed beside it.
	kept := criterion(t, after, "community-decides-commissioning")
	assert.Equal(t, assessment.NotMet, kept.Status)
	require.NotNil(t, kept.Evidence)
	assert.False(t, kept.Evidence.Settled)
	assert.Contains(t, kept.Evidence.Reason, "does not overturn")

	assert.Equal(t, "engagement", after.Level.Rung, "practice rises to co-design; the ceiling holds it at engagement")
	assert.Equal(t, "co-design", after.Practice.Rung)
	require.NotNil(t, after.Evidence)
	assert.Len(t, after.Evidence.Items, 3)
	assert.Len(t, after.Evidence.Criteria, 2)
}

func TestEvidenceDatedLaterIsLeftOut(t *testing.T) {
	money := []string{"money-reaches-community"}
	late := piece(2, assessment.EvidenceInterview, assessment.SideCommunity, money, nil)
	late.Date = at.Add(1)
	res := noLedger(t, []assessment.Evidence{piece(1, assessment.EvidenceDocument, assessment.SideStatutory, money, nil), late})
	assert.Equal(t, assessment.Inconclusive, criterion(t, res, "money-reaches-community").Status)
	require.NotNil(t, res.Evidence)
	assert.Equal(t, []uuid.UUID{late.ID}, res.Evidence.Later)
	assert.Len(t, res.Evidence.Items, 1)
}

func TestEvidencePerUnit(t *testing.T) {
	money := []string{"money-reaches-community"}
	var ev []assessment.Evidence
	for i, k := range []assessment.EvidenceKind{assessment.EvidenceDocument, assessment.EvidenceObservation} {
		e := piece(byte(i), k, assessment.SideStatutory, money, nil)
		e.Unit = assessment.UnitService
		ev = append(ev, e)
	}
	res := noLedger(t, ev)
	// The organisation is assessed; the evidence is about one service.
	assert.Equal(t, assessment.Inconclusive, criterion(t, res, "money-reaches-community").Status)
	assert.Equal(t, "consultation", res.Level.Rung)
	require.NotNil(t, res.Evidence)
	require.Len(t, res.Evidence.Units, 3)
	assert.Equal(t, assessment.UnitProfessional, res.Evidence.Units[0].Unit)
	assert.Equal(t, res.Level, res.Evidence.Units[0].Level)
	svc, org := res.Evidence.Units[1], res.Evidence.Units[2]
	assert.Equal(t, assessment.UnitService, svc.Unit)
	assert.Equal(t, []string{"money-reaches-community"}, svc.Settled)
	assert.Equal(t, "co-design", svc.Practice.Rung)
	assert.Equal(t, "engagement", svc.Level.Rung)
	assert.Equal(t, assessment.UnitOrganisation, org.Unit)
	assert.Empty(t, org.Settled)
	assert.Equal(t, res.Level, org.Level)
}

// randomEvidence returns n pieces of random kind, side, unit and stance on
// random criteria of the default rubric.
func randomEvidence(rng *rand.Rand, n int, first byte) []assessment.Evidence {
	crit := assessment.DefaultRubric().Criteria
	kinds := assessment.EvidenceKinds()
	units := []assessment.Unit{"", assessment.UnitService, assessment.UnitProfessional}
	var out []assessment.Evidence
	for i := range n {
		side := assessment.SideStatutory
		if rng.IntN(2) == 0 {
			side = assessment.SideCommunity
		}
		c := crit[rng.IntN(len(crit))].ID
		var sup, con []string
		if rng.IntN(2) == 0 {
			sup = []string{c}
		} else {
			con = []string{c}
		}
		e := piece(first+byte(i), kinds[rng.IntN(len(kinds))], side, sup, con)
		e.Unit = units[rng.IntN(len(units))]
		out = append(out, e)
	}
	return out
}

// positions are the level, ceiling and practice at the unit assessed and
// at every unit reported.
func positions(res assessment.Result) map[string]int {
	p := map[string]int{"level": res.Level.Position, "ceiling": res.Ceiling.Position, "practice": res.Practice.Position}
	for _, u := range assessment.Units() {
		// Without evidence every unit reads as the records.
		p["level/"+string(u.Unit)] = res.Level.Position
		p["ceiling/"+string(u.Unit)] = res.Ceiling.Position
		p["practice/"+string(u.Unit)] = res.Practice.Position
	}
	if res.Evidence != nil {
		for _, u := range res.Evidence.Units {
			p["level/"+string(u.Unit)] = u.Level.Position
			p["ceiling/"+string(u.Unit)] = u.Ceiling.Position
			p["practice/"+string(u.Unit)] = u.Practice.Position
		}
	}
	return p
}

func TestPropertySupportNeverLowersContradictionNeverRaises(t *testing.T) {
	reg, l := wandsworth(t).build(t, nil)
	inputs := map[string]assessment.Input{
		"no ledger": {Register: reg, At: at},
		"full":      {Register: reg, Ledger: l, At: at},
		"nothing":   {At: at},
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			for seed := range uint64(200) {
				rng := rand.New(rand.NewPCG(seed, 7))
				base := randomEvidence(rng, rng.IntN(8), 0)
				in.Evidence = base
				before, err := assessment.Assess(assessment.DefaultRubric(), in)
				require.NoError(t, err)
				extra := randomEvidence(rng, 1+rng.IntN(3), 50)
				supporting := rng.IntN(2) == 0
				for i := range extra {
					all := slices.Concat(extra[i].Supports, extra[i].Contradicts)
					if supporting {
						extra[i].Supports, extra[i].Contradicts = all, nil
					} else {
						extra[i].Supports, extra[i].Contradicts = nil, all
					}
				}
				in.Evidence = slices.Concat(base, extra)
				after, err := assessment.Assess(assessment.DefaultRubric(), in)
				require.NoError(t, err)
				pb, pa := positions(before), positions(after)
				for k := range pa {
					if supporting {
						require.GreaterOrEqual(t, pa[k], pb[k], "seed %d: supporting evidence lowered %s", seed, k)
					} else {
						require.LessOrEqual(t, pa[k], pb[k], "seed %d: contradicting evidence raised %s", seed, k)
					}
				}
				// What the records answer, evidence never changes.
				for i, c := range after.Criteria {
					if c.Evidence != nil && c.Evidence.Records != assessment.Inconclusive {
						require.Equal(t, c.Evidence.Records, c.Status, "seed %d: %s", seed, c.ID)
					}
					if bc := before.Criteria[i]; bc.Evidence == nil && bc.Status != assessment.Inconclusive {
						require.Equal(t, bc.Status, c.Status, "seed %d: %s", seed, c.ID)
					}
				}
			}
		})
	}
}

func TestPropertyEvidenceOrderDoesNotMatter(t *testing.T) {
	reg, _ := wandsworth(t).build(t, nil)
	for seed := range uint64(50) {
		rng := rand.New(rand.NewPCG(seed, 11))
		ev := randomEvidence(rng, 1+rng.IntN(12), 0)
		in := assessment.Input{Register: reg, At: at, Evidence: ev}
		want, err := assessment.Assess(assessment.DefaultRubric(), in)
		require.NoError(t, err)
		wantJS, err := want.JSON()
		require.NoError(t, err)
		shuffled := slices.Clone(ev)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		in.Evidence = shuffled
		got, err := assessment.Assess(assessment.DefaultRubric(), in)
		require.NoError(t, err)
		gotJS, err := got.JSON()
		require.NoError(t, err)
		require.Equal(t, string(wantJS), string(gotJS), "seed %d", seed)
		require.Equal(t, want.Markdown(), got.Markdown(), "seed %d", seed)
	}
}

func TestAssessWithEvidenceGolden(t *testing.T) {
	money := []string{"money-reaches-community"}
	formal := []string{"money-formal"}
	commissioning := []string{"community-decides-commissioning"}
	ev := []assessment.Evidence{
		piece(1, assessment.EvidenceDocument, assessment.SideStatutory, slices.Concat(money, formal), nil),
		piece(2, assessment.EvidenceInterview, assessment.SideCommunity, money, formal),
		piece(3, assessment.EvidenceObservation, assessment.SideStatutory, formal, nil),
		piece(4, assessment.EvidenceFocusGroup, assessment.SideCommunity, commissioning, nil),
		piece(5, assessment.EvidenceSurvey, assessment.SideStatutory, nil, commissioning),
	}
	ev[3].Unit, ev[4].Unit = assessment.UnitService, assessment.UnitService
	reg, _ := wandsworth(t).build(t, nil)
	hub := hubInstrument()
	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: reg, At: at, Evidence: ev,
		Instruments: []assessment.Instrument{hub},
		Responses: []assessment.Response{
			response(hub, 1, officer, assessment.SideStatutory, "", 4),
			response(hub, 2, council, assessment.SideStatutory, "", 3),
			response(hub, 3, temple, assessment.SideCommunity, "", 2),
			response(hub, 4, director, assessment.SideCommunity, "", 2),
		}})
	require.NoError(t, err)
	assert.Equal(t, assessment.Met, criterion(t, res, "money-reaches-community").Status)
	assert.Equal(t, assessment.Inconclusive, criterion(t, res, "money-formal").Status, "the sides disagree")
	require.Len(t, res.Divergence, 3)
	assert.Equal(t, assessment.DivergenceStances, res.Divergence[0].Kind)
	assert.Equal(t, assessment.UnitService, res.Divergence[0].Unit)
	assert.Equal(t, "community-decides-commissioning", res.Divergence[0].Subject)
	assert.Equal(t, assessment.DivergenceBands, res.Divergence[1].Kind)
	assert.Equal(t, 1, res.Divergence[1].Apart)
	assert.Equal(t, assessment.DivergenceStances, res.Divergence[2].Kind)
	assert.Equal(t, "money-formal", res.Divergence[2].Subject)
	js, err := res.JSON()
	require.NoError(t, err)
	golden.Check(t, "testdata/evidence.json", string(js))
	golden.Check(t, "testdata/evidence.md", res.Markdown())
}
