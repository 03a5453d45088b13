package assessment

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/coprod/coprod"
)

// JSON returns the result as indented JSON with a trailing newline.
// Equal results give identical bytes: the result holds no maps, and its
// slices are in a fixed order.
func (res Result) JSON() ([]byte, error) {
	return indentJSON(res, "result")
}

// indentJSON is the JSON method of every document the package writes:
// v as indented JSON with a trailing newline; what names it in an error.
func indentJSON(v any, what string) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("assessment: encoding %s: %w", what, err)
	}
	return append(b, '\n'), nil
}

// Markdown renders the result as a readable report: the level and what
// locks it, the level on each framework, the four Co's, the scale of
// coproduction, the blockers with the findings behind them, the
// inconclusive criteria apart, the next steps, the recorded evidence,
// questionnaires and divergence between the sides when there are any, and
// every probe's answer.
func (res Result) Markdown() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("# Coproduction assessment\n\n")
	w("- Rubric: %s, version %s (fingerprint `%s`)\n", res.Rubric.Name, res.Rubric.Version, short(res.Rubric.Fingerprint))
	w("- Records as known at: %s\n", res.At.Format(time.RFC3339))
	if res.Period != (coprod.Window{}) {
		w("- Money counted in: %s\n", res.Period)
	}
	w("- Unit assessed: %s\n\n", res.Unit)

	w("## Level\n\n")
	w("**%s** (rung %d of the %s ladder; influence %d, %s).\n\n", nameOf(res.Level), res.Level.Position, res.Level.Framework, res.Level.Influence, res.Level.Influence)
	w("- Ceiling governance permits: %s\n", nameOf(res.Ceiling))
	w("- Level practised: %s\n", nameOf(res.Practice))
	if res.Lock != nil {
		w("- **%s** (blocked by %s)\n", res.Lock.Reason, strings.Join(quote(res.Lock.Criteria), ", "))
	}
	w("\n| Framework | Level | Influence |\n|---|---|---|\n")
	for _, f := range res.Frameworks {
		w("| %s | %s | %d |\n", f.Framework, nameOf(f), f.Influence)
	}

	w("\n## The four Co's\n\n| Co | Score | Community |\n|---|---|---|\n")
	for _, c := range res.Cos {
		w("| %s | %d/%d | %s |\n", c.Co, c.Score, CoScoreMax, c.Label)
	}
	w("\nCo-assessment on its own: %d/%d, %s.\n", res.CoAssessment.Score, CoScoreMax, res.CoAssessment.Label)

	w("\n## Scale of coproduction\n\n")
	if res.Scale == "" {
		w("No scale reached.\n")
	} else {
		w("Largest scale reached: **%s**.\n", res.Scale)
	}
	for _, s := range res.Scales {
		w("- %s: %s\n", s.Scale, s.Status)
	}

	res.writeParties(&b) // parties.go

	blockers := func(title string, bs []Blocker) {
		w("\n## %s\n\n", title)
		if len(bs) == 0 {
			w("None.\n")
			return
		}
		for _, bl := range bs {
			w("- `%s` (%s, blocks %s): %s\n", bl.Criterion, bl.Aspect, bl.Rung, bl.Doc)
			for _, f := range bl.Findings {
				w("  - `%s` %s: %s\n", f.Probe, f.Outcome, f.Reason)
			}
		}
	}
	blockers("Blockers", res.Blockers)
	blockers("Inconclusive", res.Inconclusive)
	// --- next steps (nextsteps.go) ---
	writeNextSteps(&b, res.NextSteps)
	// --- end next steps ---
	res.markdownRecorded(w) // evidence, questionnaires, divergence: ratings.go

	w("\n## Probes\n\n| Probe | Outcome | Reason |\n|---|---|---|\n")
	for _, f := range res.Findings {
		w("| %s | %s | %s |\n", f.Probe, f.Outcome, strings.ReplaceAll(f.Reason, "|", "\\|"))
	}
	return b.String()
}

func short(fp string) string {
	if len(fp) > 12 {
		return fp[:12]
	}
	return fp
}

func quote(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = "`" + s + "`"
	}
	return out
}
