package assessment

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// DivergenceKind says how the two sides' ratings part. Kinds are persisted
// by their code.
type DivergenceKind string

// The kinds of divergence between the statutory and the community side.
const (
	// DivergenceBands: both sides answered an instrument about the same
	// unit, and their mean sums fall in different bands.
	DivergenceBands DivergenceKind = "bands-apart"
	// DivergenceStances: at the same unit, one side's evidence only
	// supports a criterion and the other side's only contradicts it.
	DivergenceStances DivergenceKind = "opposite-stances"
)

// Divergence is a finding that the statutory and the community side rate
// the same thing apart, as WCEN's evaluation found: the subject (an
// instrument or criterion ID) at a unit, what each side says (a band
// label, or "supports" and "contradicts"), how many bands apart, the
// responses or evidence behind it, and a one-line reason. A divergence is
// reported, never resolved: neither side's rating overrides the other's.
type Divergence struct {
	Kind      DivergenceKind `json:"kind"`
	Unit      Unit           `json:"unit"`
	Subject   string         `json:"subject"`
	Statutory string         `json:"statutory"`
	Community string         `json:"community"`
	// Apart is how many bands separate the sides (DivergenceBands only).
	Apart   int         `json:"apart,omitempty"`
	Records []uuid.UUID `json:"records"`
	Reason  string      `json:"reason"`
}

// diverge compares the two sides: bands on every instrument, per unit, and
// stances on every criterion with evidence, per unit; by unit, then
// instruments by ID, then criteria in the rubric's order.
func diverge(r Rubric, rec *recorded, instruments []InstrumentResult) []Divergence {
	var out []Divergence
	for _, u := range []Unit{UnitProfessional, UnitService, UnitOrganisation} {
		for _, ir := range instruments {
			var st, co *SideRating
			for i := range ir.Ratings {
				sr := &ir.Ratings[i]
				switch {
				case sr.Unit != u:
				case sr.Side == SideStatutory:
					st = sr
				case sr.Side == SideCommunity:
					co = sr
				}
			}
			if st == nil || co == nil || st.Band == co.Band {
				continue
			}
			apart := max(st.Band-co.Band, co.Band-st.Band)
			out = append(out, Divergence{Kind: DivergenceBands, Unit: u, Subject: ir.Instrument,
				Statutory: st.Label, Community: co.Label, Apart: apart,
				Records: ids(append(append([]uuid.UUID(nil), st.Responses...), co.Responses...)...),
				Reason: fmt.Sprintf("on %s the statutory side rates %s %q (mean %s), the community side %q (mean %s): %d band(s) apart",
					ir.Name, u, st.Label, st.Mean, co.Label, co.Mean, apart)})
		}
		s := rec.forUnit(u)
		if s == nil {
			continue
		}
		for _, c := range r.Criteria {
			sst, sIDs := stance(s, c.ID, SideStatutory)
			cst, cIDs := stance(s, c.ID, SideCommunity)
			if sst == "" || cst == "" || sst == cst {
				continue
			}
			out = append(out, Divergence{Kind: DivergenceStances, Unit: u, Subject: c.ID,
				Statutory: sst, Community: cst, Records: ids(append(sIDs, cIDs...)...),
				Reason: fmt.Sprintf("at the %s, the statutory side's evidence %s %q and the community side's %s it",
					u, sst, c.ID, cst)})
		}
	}
	return out
}

// stance returns "supports" when a side's evidence on a criterion only
// supports it, "contradicts" when it only contradicts it, and "" when it
// has none or both; with the evidence IDs.
func stance(s *evidenceSet, criterion string, side Side) (string, []uuid.UUID) {
	var sup, con []uuid.UUID
	for _, e := range s.supporting[criterion] {
		if e.Side == side {
			sup = append(sup, e.ID)
		}
	}
	for _, e := range s.contradicting[criterion] {
		if e.Side == side {
			con = append(con, e.ID)
		}
	}
	switch {
	case len(sup) > 0 && len(con) == 0:
		return "supports", sup
	case len(con) > 0 && len(sup) == 0:
		return "contradicts", con
	}
	return "", nil
}

// markdownRecorded writes the sections on recorded evidence, the units,
// the questionnaires and the divergence between the sides; nothing when
// the input had none.
func (res Result) markdownRecorded(w func(string, ...any)) {
	if e := res.Evidence; e != nil {
		w("\n## Recorded evidence\n\n")
		if len(e.Items) > 0 {
			w("| Evidence | Date | Kind | Side | Unit | Reference | Supports | Contradicts |\n|---|---|---|---|---|---|---|---|\n")
			for _, it := range e.Items {
				w("| %s | %s | %s | %s | %s | %s | %s | %s |\n", shortID(it.ID), it.Date.Format(time.DateOnly), it.Kind, it.Side,
					it.unit(), cell(it.Reference), strings.Join(quote(it.Supports), ", "), strings.Join(quote(it.Contradicts), ", "))
			}
		}
		if len(e.Later) > 0 {
			w("\n%d piece(s) dated after the time assessed left out.\n", len(e.Later))
		}
		w("\nAt the unit assessed (%s):\n\n", res.Unit)
		if len(e.Criteria) == 0 {
			w("No evidence on the rubric's criteria.\n")
		}
		for _, c := range e.Criteria {
			verb := "kept"
			if c.Settled {
				verb = "settled"
			}
			w("- `%s`: records %s, %s **%s**: %s\n", c.Criterion, c.Records, verb, c.Status, c.Reason)
		}
		if len(e.Units) > 0 {
			w("\n| Unit | Level | Ceiling | Practice | Settled by evidence |\n|---|---|---|---|---|\n")
			for _, u := range e.Units {
				w("| %s | %s | %s | %s | %s |\n", u.Unit, nameOf(u.Level), nameOf(u.Ceiling), nameOf(u.Practice), strings.Join(quote(u.Settled), ", "))
			}
		}
	}
	if len(res.Instruments) > 0 {
		w("\n## Questionnaires\n")
		for _, ir := range res.Instruments {
			w("\n%s, version %s (fingerprint `%s`)\n\n", ir.Name, ir.Version, short(ir.Fingerprint))
			if len(ir.Ratings) == 0 {
				w("No responses.\n")
				continue
			}
			w("| Unit | Side | Raters | Mean | Range | Band |\n|---|---|---|---|---|---|\n")
			for _, sr := range ir.Ratings {
				w("| %s | %s | %d | %s | %d–%d | %d, %s |\n", sr.Unit, sr.Side, len(sr.Responses), sr.Mean, sr.Lowest, sr.Highest, sr.Band, sr.Label)
			}
		}
	}
	if len(res.Instruments) > 0 || res.Evidence != nil {
		w("\n## Statutory and community ratings\n\n")
		if len(res.Divergence) == 0 {
			w("No divergence found.\n")
		}
		for _, d := range res.Divergence {
			w("- **%s** (%s, `%s`): %s\n", d.Kind, d.Unit, d.Subject, d.Reason)
		}
	}
}

func shortID(id uuid.UUID) string { return id.String()[:8] + "…" + id.String()[32:] }

func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ")
}
