package assessment_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hubInstrument has the shape of The Hub's Coproduction Assessment: 20
// items scored 1 to 5 in four domains, banded 20–39 to 80–100. The item
// text stands in for the caller's.
func hubInstrument() assessment.Instrument {
	in := assessment.Instrument{ID: "hub", Name: "Hub-style assessment", Version: "test", MinScore: 1, MaxScore: 5,
		Bands: []assessment.Band{{Min: 20, Max: 39, Label: "not there"}, {Min: 40, Max: 59, Label: "starting out"},
			{Min: 60, Max: 79, Label: "on the way"}, {Min: 80, Max: 100, Label: "going strong"}}}
	for d := range 4 {
		in.Domains = append(in.Domains, assessment.InstrumentDomain{ID: fmt.Sprintf("d%d", d+1), Name: fmt.Sprintf("Domain %d", d+1)})
		for i := range 5 {
			n := d*5 + i + 1
			in.Items = append(in.Items, assessment.Item{ID: fmt.Sprintf("q%02d", n), Domain: fmt.Sprintf("d%d", d+1), Text: fmt.Sprintf("Item %d", n)})
		}
	}
	return in
}

// walesInstrument has the shape of the Co-production Network for Wales
// audit: 15 statements under 5 principles, here scored 1 to 4.
func walesInstrument() assessment.Instrument {
	in := assessment.Instrument{ID: "wales", Name: "Wales-style audit", Version: "test", MinScore: 1, MaxScore: 4,
		Bands: []assessment.Band{{Min: 15, Max: 29, Label: "emerging"}, {Min: 30, Max: 44, Label: "developing"}, {Min: 45, Max: 60, Label: "embedded"}}}
	for p := range 5 {
		in.Domains = append(in.Domains, assessment.InstrumentDomain{ID: fmt.Sprintf("p%d", p+1), Name: fmt.Sprintf("Principle %d", p+1)})
		for i := range 3 {
			in.Items = append(in.Items, assessment.Item{ID: fmt.Sprintf("s%d.%d", p+1, i+1), Domain: fmt.Sprintf("p%d", p+1)})
		}
	}
	return in
}

// response scores every item of in with score.
func response(in assessment.Instrument, i byte, rater uuid.UUID, side assessment.Side, unit assessment.Unit, score int) assessment.Response {
	r := assessment.Response{ID: id(200 + i), Instrument: in.ID, Rater: rater, Side: side, Unit: unit, Date: t0.AddDate(0, 4, int(i))}
	for _, it := range in.Items {
		r.Scores = append(r.Scores, assessment.ItemScore{Item: it.ID, Score: score})
	}
	return r
}

func TestInstrumentValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*assessment.Instrument)
		ok   bool
	}{
		{"hub", func(*assessment.Instrument) {}, true},
		{"one band", func(in *assessment.Instrument) { in.Bands = []assessment.Band{{Min: 20, Max: 100, Label: "all"}} }, true},
		{"no ID", func(in *assessment.Instrument) { in.ID = "" }, false},
		{"no name", func(in *assessment.Instrument) { in.Name = "" }, false},
		{"no version", func(in *assessment.Instrument) { in.Version = "" }, false},
		{"empty range", func(in *assessment.Instrument) { in.MaxScore = in.MinScore }, false},
		{"range too wide", func(in *assessment.Instrument) { in.MaxScore = assessment.MaxItemScore + 1 }, false},
		{"no items", func(in *assessment.Instrument) { in.Items = nil }, false},
		{"too many items", func(in *assessment.Instrument) {
			for len(in.Items) <= assessment.MaxItems {
				in.Items = append(in.Items, assessment.Item{ID: fmt.Sprint(len(in.Items)), Domain: "d1"})
			}
		}, false},
		{"no domains", func(in *assessment.Instrument) { in.Domains = nil }, false},
		{"repeated domain", func(in *assessment.Instrument) { in.Domains[1].ID = in.Domains[0].ID }, false},
		{"item in no domain", func(in *assessment.Instrument) { in.Items[0].Domain = "d9" }, false},
		{"repeated item", func(in *assessment.Instrument) { in.Items[1].ID = in.Items[0].ID }, false},
		{"no bands", func(in *assessment.Instrument) { in.Bands = nil }, false},
		{"band gap", func(in *assessment.Instrument) { in.Bands[1].Min = 41 }, false},
		{"band overlap", func(in *assessment.Instrument) { in.Bands[1].Min = 39 }, false},
		{"bands short of the top", func(in *assessment.Instrument) { in.Bands[3].Max = 99 }, false},
		{"bands past the top", func(in *assessment.Instrument) { in.Bands[3].Max = 101 }, false},
		{"bands above the bottom", func(in *assessment.Instrument) { in.Bands[0].Min = 21 }, false},
		{"band without label", func(in *assessment.Instrument) { in.Bands[0].Label = "" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := hubInstrument()
			tt.edit(&in)
			err := in.Validate()
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, assessment.ErrInvalidInstrument)
			assert.Equal(t, coprod.Code("INVALID_INSTRUMENT"), coprod.CodeOf(err))
		})
	}
	require.NoError(t, walesInstrument().Validate())
}

func TestInstrumentFingerprint(t *testing.T) {
	a, b := hubInstrument(), hubInstrument()
	assert.Equal(t, a.Fingerprint(), b.Fingerprint())
	b.Items[0].Text = "changed"
	assert.NotEqual(t, a.Fingerprint(), b.Fingerprint())
	c := a.Clone()
	c.Bands[0].Label = "changed"
	assert.Equal(t, "not there", a.Bands[0].Label, "Clone copies the slices")
}

func TestAssessRejectsResponses(t *testing.T) {
	hub := hubInstrument()
	good := response(hub, 1, officer, assessment.SideStatutory, "", 3)
	tests := []struct {
		name        string
		instruments []assessment.Instrument
		edit        func(*assessment.Response)
		extra       bool
		want        error
	}{
		{"invalid instrument", []assessment.Instrument{{ID: "x"}}, nil, false, assessment.ErrInvalidInstrument},
		{"instrument twice", []assessment.Instrument{hub, hub}, nil, false, assessment.ErrInvalidInstrument},
		{"unknown instrument", []assessment.Instrument{hub}, func(r *assessment.Response) { r.Instrument = "wales" }, false, assessment.ErrInvalidResponse},
		{"no ID", []assessment.Instrument{hub}, func(r *assessment.Response) { r.ID = uuid.Nil }, false, assessment.ErrInvalidResponse},
		{"no rater", []assessment.Instrument{hub}, func(r *assessment.Response) { r.Rater = uuid.Nil }, false, assessment.ErrInvalidResponse},
		{"no date", []assessment.Instrument{hub}, func(r *assessment.Response) { r.Date = time.Time{} }, false, assessment.ErrInvalidResponse},
		{"no side", []assessment.Instrument{hub}, func(r *assessment.Response) { r.Side = "" }, false, assessment.ErrInvalidResponse},
		{"undefined unit", []assessment.Instrument{hub}, func(r *assessment.Response) { r.Unit = "ward" }, false, assessment.ErrInvalidResponse},
		{"item missing", []assessment.Instrument{hub}, func(r *assessment.Response) { r.Scores = r.Scores[1:] }, false, assessment.ErrInvalidResponse},
		{"item twice", []assessment.Instrument{hub}, func(r *assessment.Response) { r.Scores[1].Item = r.Scores[0].Item }, false, assessment.ErrInvalidResponse},
		{"unknown item", []assessment.Instrument{hub}, func(r *assessment.Response) { r.Scores[0].Item = "q99" }, false, assessment.ErrInvalidResponse},
		{"score too high", []assessment.Instrument{hub}, func(r *assessment.Response) { r.Scores[0].Score = 6 }, false, assessment.ErrInvalidResponse},
		{"score too low", []assessment.Instrument{hub}, func(r *assessment.Response) { r.Scores[0].Score = 0 }, false, assessment.ErrInvalidResponse},
		{"response twice", []assessment.Instrument{hub}, nil, true, assessment.ErrInvalidResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good
			r.Scores = append([]assessment.ItemScore(nil), good.Scores...)
			if tt.edit != nil {
				tt.edit(&r)
			}
			rs := []assessment.Response{r}
			if tt.extra {
				rs = append(rs, r)
			}
			_, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{At: at, Instruments: tt.instruments, Responses: rs})
			assert.ErrorIs(t, err, tt.want)
			assert.ErrorIs(t, err, assessment.ErrInvalidInput)
		})
	}
}

func TestInstrumentBandsPerSideAndUnit(t *testing.T) {
	hub, wales := hubInstrument(), walesInstrument()
	mixed := response(hub, 5, temple, assessment.SideCommunity, "", 3)
	mixed.Scores[0].Score = 2 // 59: the top of "starting out"
	later := response(hub, 6, user, assessment.SideCommunity, "", 1)
	later.Date = at.Add(time.Hour)
	replaced := response(hub, 7, officer, assessment.SideStatutory, "", 1)
	replaced.Date = t0 // an earlier response of the same rater: replaced
	res, err := assessment.Assess(assessment.DefaultRubric(), assessment.Input{At: at,
		Instruments: []assessment.Instrument{wales, hub},
		Responses: []assessment.Response{
			response(hub, 1, officer, assessment.SideStatutory, "", 4), // 80
			replaced,
			response(hub, 2, council, assessment.SideStatutory, "", 3), // 60: mean 70
			mixed, // 59
			response(hub, 4, director, assessment.SideCommunity, "", 3), // 60: mean 59.5
			later,
			response(wales, 8, officer, assessment.SideStatutory, assessment.UnitService, 4), // 60
			response(wales, 9, temple, assessment.SideCommunity, assessment.UnitService, 1),  // 15
		}})
	require.NoError(t, err)
	require.Len(t, res.Instruments, 2)
	h, w := res.Instruments[0], res.Instruments[1]
	require.Equal(t, "hub", h.Instrument, "by ID")
	require.Len(t, h.Ratings, 2)
	st, co := h.Ratings[0], h.Ratings[1]
	assert.Equal(t, assessment.SideStatutory, st.Side)
	assert.Equal(t, "70.00", st.Mean)
	assert.Equal(t, 60, st.Lowest)
	assert.Equal(t, 80, st.Highest)
	assert.Equal(t, "on the way", st.Label)
	assert.Equal(t, []uuid.UUID{id(201), id(202)}, st.Responses)
	assert.Equal(t, "59.50", co.Mean)
	assert.Equal(t, 2, co.Band, "59.5 is below 60")
	assert.Equal(t, "starting out", co.Label)
	require.Len(t, co.Domains, 4)
	assert.Equal(t, "14.50", co.Domains[0].Mean)
	assert.Equal(t, 25, co.Domains[0].Max)

	require.Len(t, w.Ratings, 2)
	assert.Equal(t, assessment.UnitService, w.Ratings[0].Unit)
	assert.Equal(t, "embedded", w.Ratings[0].Label)
	assert.Equal(t, "emerging", w.Ratings[1].Label)
	require.Len(t, w.Ratings[0].Domains, 5)

	require.Len(t, res.Divergence, 2)
	assert.Equal(t, assessment.Divergence{Kind: assessment.DivergenceBands, Unit: assessment.UnitService, Subject: "wales",
		Statutory: "embedded", Community: "emerging", Apart: 2, Records: []uuid.UUID{id(208), id(209)},
		Reason: `on Wales-style audit the statutory side rates service "embedded" (mean 60.00), the community side "emerging" (mean 15.00): 2 band(s) apart`},
		res.Divergence[0])
	assert.Equal(t, 1, res.Divergence[1].Apart)
	assert.Nil(t, res.Evidence, "no recorded evidence")
	assert.Contains(t, res.Markdown(), "## Questionnaires")
}
