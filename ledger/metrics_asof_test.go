package ledger_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMetricsAsOf(t *testing.T) {
	l, _ := journaled(t)
	// Costs effective in May but recorded on 2 September; a reversal of
	// the grant recorded on 3 September.
	costs := pay("costs", "temple-cash", "temple-costs", "1200", ledger.Payment, temple, uuid.Nil, day(2025, 5, 10))
	costs.Recorded = day(2025, 9, 2)
	_, err := l.Post(costs)
	require.NoError(t, err)
	_, err = l.Reverse(ledger.ReversalRequest{ID: id("grant-rev"), Of: id("grant"), By: council, Reason: "withdrawn",
		Effective: day(2025, 9, 3), Recorded: day(2025, 9, 3)})
	require.NoError(t, err)

	tests := []struct {
		name     string
		recorded time.Time
		moved    string
		costs    string
	}{
		{"before anything", day(2025, 3, 1), "0.00 GBP", "0.00 GBP"},
		{"the grant only", day(2025, 4, 1), "10000.00 GBP", "0.00 GBP"},
		{"the mistake, not yet reversed", day(2025, 5, 4), "12599.50 GBP", "0.00 GBP"},
		{"the mistake reversed", day(2025, 5, 5), "12500.50 GBP", "0.00 GBP"},
		{"before the late costs", day(2025, 9, 1), "12750.50 GBP", "0.00 GBP"},
		{"the late costs, before the reversal", day(2025, 9, 2), "12750.50 GBP", "1200.00 GBP"},
		{"the grant reversed", day(2025, 9, 3), "2750.50 GBP", "1200.00 GBP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := l.MetricsAsOf(coprod.Window{}, tt.recorded, sector)
			require.NoError(t, err)
			assert.Equal(t, tt.moved, m.Moved.String())
			assert.Equal(t, tt.costs, m.Coverage.Costs.String())
		})
	}

	t.Run("now is Metrics", func(t *testing.T) {
		want, err := l.Metrics(coprod.Window{}, sector)
		require.NoError(t, err)
		got, err := l.MetricsAsOf(coprod.Window{}, day(2030, 1, 1), sector)
		require.NoError(t, err)
		assert.JSONEq(t, metricsJSON(t, want), metricsJSON(t, got))
	})

	rejections := []struct {
		name     string
		period   coprod.Window
		recorded time.Time
		classify ledger.Classifier
	}{
		{"no recorded time", coprod.Window{}, time.Time{}, sector},
		{"no classifier", coprod.Window{}, day(2025, 9, 1), nil},
		{"inverted period", coprod.Window{NotBefore: day(2025, 9, 1), Expires: day(2025, 4, 1)}, day(2025, 9, 1), sector},
	}
	for _, tt := range rejections {
		t.Run("rejects "+tt.name, func(t *testing.T) {
			_, err := l.MetricsAsOf(tt.period, tt.recorded, tt.classify)
			assert.ErrorIs(t, err, ledger.ErrInvalidArgument)
		})
	}
}

// asOfOp is one record of a random history, with the time it is recorded
// at.
type asOfOp struct {
	recorded time.Time
	do       func(*ledger.Ledger) error
}

// made is a record a later one may act on, with its recorded time.
type made struct {
	id       uuid.UUID
	recorded time.Time
}

// randomHistory makes n records with recorded times that step back by up
// to ten days (so back-dated records are common), effective times
// anywhere from April to September, reversals of earlier transactions,
// unpaid labour, and holds of two years, some captured. A reversal or a
// capture is recorded no earlier than what it acts on, and each is made
// at most once.
func randomHistory(rng *rand.Rand, n int) []asOfOp {
	type route struct{ from, to string }
	routes := []route{
		{"council-budget", "hub-cash"}, {"council-budget", "temple-cash"}, {"hub-cash", "temple-cash"},
		{"temple-cash", "temple-costs"}, {"temple-cash", "hub-cash"},
	}
	kinds := []ledger.Kind{ledger.Grant, ledger.CoreFunding, ledger.Payment, ledger.ProjectFunding}
	deciders := []uuid.UUID{officer, director, council, temple}
	latest := day(2025, 4, 1)
	var ops []asOfOp
	var posted, holds []made
	pick := func(from *[]made) made {
		j := rng.IntN(len(*from))
		m := (*from)[j]
		*from = append((*from)[:j], (*from)[j+1:]...)
		return m
	}
	for i := range n {
		rec := latest.Add(time.Duration(rng.IntN(12*24)-10*24) * time.Hour)
		if rec.After(latest) {
			latest = rec
		}
		eff := day(2025, 4, 1).Add(time.Duration(rng.IntN(180*24)) * time.Hour)
		name := fmt.Sprint("asof-", i)
		switch k := rng.IntN(10); {
		case k < 5:
			r := routes[rng.IntN(len(routes))]
			tx := pay(name, r.from, r.to, fmt.Sprint(1+rng.IntN(500)), kinds[rng.IntN(len(kinds))], deciders[rng.IntN(len(deciders))], uuid.Nil, eff)
			if rng.IntN(2) == 0 {
				tx.Formality.Instrument = id("d")
			}
			tx.Recorded = rec
			posted = append(posted, made{tx.ID, rec})
			ops = append(ops, asOfOp{rec, func(l *ledger.Ledger) error { return receipt(l.Post(tx)) }})
		case k < 7 && len(posted) > 0:
			of := pick(&posted)
			rec = latestOf(rec, of.recorded)
			req := ledger.ReversalRequest{ID: id(name), Of: of.id, By: council, Reason: "correction", Effective: eff, Recorded: rec}
			ops = append(ops, asOfOp{rec, func(l *ledger.Ledger) error { return receipt(l.Reverse(req)) }})
		case k < 8:
			tx := ledger.Transaction{
				ID: id(name), Kind: ledger.UnpaidLabour, Effective: eff, Recorded: rec,
				Postings:  []ledger.Posting{{Account: id("temple-hours-given"), Amount: hours("-3")}, {Account: id("service-hours-received"), Amount: hours("3")}},
				Formality: ledger.Formality{DecidedBy: temple},
				Labour:    &ledger.Labour{Hours: hours("3"), Method: ledger.ReplacementCost, Rate: gbp("14.50"), Low: gbp("12.21"), High: gbp("18.75")},
			}
			ops = append(ops, asOfOp{rec, func(l *ledger.Ledger) error { return receipt(l.Post(tx)) }})
		case k < 9:
			h := ledger.Hold{ID: id(name), Kind: ledger.Grant, From: id("council-budget"), To: id("temple-cash"), Amount: gbp("300"),
				Expires: day(2027, 9, 1), Recorded: rec, Formality: ledger.Formality{Instrument: id("d"), DecidedBy: officer}}
			holds = append(holds, made{h.ID, rec})
			ops = append(ops, asOfOp{rec, func(l *ledger.Ledger) error { return receipt(l.PlaceHold(h)) }})
		case len(holds) > 0:
			h := pick(&holds)
			rec = latestOf(rec, h.recorded)
			req := ledger.CaptureRequest{Hold: h.id, ID: id(name), Amount: gbp("120"), Effective: latestOf(eff, h.recorded), Recorded: rec, By: officer}
			ops = append(ops, asOfOp{rec, func(l *ledger.Ledger) error { return receipt(l.Capture(req)) }})
		}
	}
	return ops
}

func latestOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// TestMetricsAsOfMatchesTheBooksThen holds MetricsAsOf against a slow
// exact reference: a fresh ledger given only the records recorded by the
// time asked, whose Metrics are what the books said then.
func TestMetricsAsOfMatchesTheBooksThen(t *testing.T) {
	opts := ledger.Options{MaxSkew: 30 * 24 * time.Hour}
	periods := []coprod.Window{{}, {NotBefore: day(2025, 5, 1), Expires: day(2025, 8, 1)}}
	differs := 0 // cuts whose answer is not today's, so the test tells the two apart
	for seed := range uint64(10) {
		rng := rand.New(rand.NewPCG(seed, 7))
		ops := randomHistory(rng, 120)
		l := newLedger(t, opts)
		for i, op := range ops {
			require.NoError(t, op.do(l), "seed %d op %d", seed, i)
		}
		for range 8 {
			cut := ops[rng.IntN(len(ops))].recorded.Add(time.Duration(rng.IntN(3)-1) * time.Hour)
			ref := newLedger(t, opts)
			for i, op := range ops {
				if !op.recorded.After(cut) {
					require.NoError(t, op.do(ref), "seed %d op %d (reference)", seed, i)
				}
			}
			for _, period := range periods {
				want, err := ref.Metrics(period, sector)
				require.NoError(t, err)
				got, err := l.MetricsAsOf(period, cut, sector)
				require.NoError(t, err)
				require.JSONEq(t, metricsJSON(t, want), metricsJSON(t, got), "seed %d, as of %s, period %s", seed, cut, period)
				now, err := l.Metrics(period, sector)
				require.NoError(t, err)
				if metricsJSON(t, now) != metricsJSON(t, got) {
					differs++
				}
			}
		}
	}
	assert.Greater(t, differs, 100, "of 160 cuts")
}
