package assessment

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/coprod/coprod"
)

// ErrInvalidResult is returned by Result.UnmarshalJSON for a document
// that is not a result this package writes: another schema version, an
// undefined unit, outcome, status, aspect or scale, a level off its
// ladder's scale, or a level that is not the lower of the ceiling and
// the practice. Summarize returns it for a result whose readings do not
// fit the rubric it summarises on.
var ErrInvalidResult = coprod.NewError("INVALID_RESULT", "assessment: invalid result")

// MaxDocumentLen bounds the JSON document Rubric.UnmarshalJSON and
// Result.UnmarshalJSON read, in bytes.
const MaxDocumentLen = 64 << 20

// decodeStrict decodes b into v, refusing unknown fields, trailing data
// and documents longer than MaxDocumentLen.
func decodeStrict(b []byte, v any, what string, sentinel error) error {
	if len(b) > MaxDocumentLen {
		return fmt.Errorf("assessment: %s longer than %d bytes: %w", what, MaxDocumentLen, sentinel)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("assessment: decoding %s: %v: %w", what, err, sentinel)
	}
	if d.More() {
		return fmt.Errorf("assessment: decoding %s: data after the document: %w", what, sentinel)
	}
	return nil
}

// UnmarshalJSON decodes a rubric as json.Marshal writes it and validates
// it as Validate does, so a rubric read from a file is one Assess
// accepts. Unknown fields are refused. Failures match ErrInvalidRubric or
// ErrUnknownProbe.
func (r *Rubric) UnmarshalJSON(b []byte) error {
	type plain Rubric // no methods: no recursion
	var p plain
	if err := decodeStrict(b, &p, "rubric", ErrInvalidRubric); err != nil {
		return err
	}
	if err := Rubric(p).Validate(); err != nil {
		return err
	}
	*r = Rubric(p)
	return nil
}

// UnmarshalJSON decodes a result as Result.JSON writes it and checks that
// it is one: the schema version, defined codes throughout, levels on the
// influence scale and Level the lower of Ceiling and Practice. It does
// not re-run the assessment. Unknown fields are refused. Failures match
// ErrInvalidResult.
func (res *Result) UnmarshalJSON(b []byte) error {
	type plain Result
	var p plain
	if err := decodeStrict(b, &p, "result", ErrInvalidResult); err != nil {
		return err
	}
	if err := Result(p).validate(); err != nil {
		return err
	}
	*res = Result(p)
	return nil
}

func invalid(format string, a ...any) error {
	return fmt.Errorf("assessment: result: %s: %w", fmt.Sprintf(format, a...), ErrInvalidResult)
}

func (l Level) validate(what string) error {
	switch {
	case l.Framework == "":
		return invalid("%s: no framework", what)
	case l.Position < 0 || l.Position > MaxRungs:
		return invalid("%s: position %d", what, l.Position)
	case !l.Influence.Valid():
		return invalid("%s: influence %d off the scale", what, l.Influence)
	case (l.Position == 0) != (l.Rung == ""):
		return invalid("%s: position %d with rung %q", what, l.Position, l.Rung)
	}
	return nil
}

func validFindings(what string, fs []Finding) error {
	for _, f := range fs {
		if f.Probe == "" || !f.Outcome.Valid() {
			return invalid("%s: finding %q with outcome %q", what, f.Probe, f.Outcome)
		}
	}
	return nil
}

func validStatus(s Status) bool {
	return s == Met || s == NotMet || s == Inconclusive || s == Vacuous
}

func (res Result) validate() error {
	if res.Schema != Schema {
		return invalid("schema %q, not %q", res.Schema, Schema)
	}
	if _, err := hex.DecodeString(res.Rubric.Fingerprint); err != nil || len(res.Rubric.Fingerprint) != 64 || res.Rubric.Name == "" || res.Rubric.Version == "" {
		return invalid("rubric %q version %q fingerprint %q", res.Rubric.Name, res.Rubric.Version, res.Rubric.Fingerprint)
	}
	if res.At.IsZero() {
		return invalid("no time")
	}
	if err := res.Period.Validate(); err != nil {
		return invalid("period: %v", err)
	}
	if !res.Unit.Valid() {
		return invalid("unit %q", res.Unit)
	}
	for _, x := range []struct {
		what string
		l    Level
	}{{"level", res.Level}, {"ceiling", res.Ceiling}, {"practice", res.Practice}} {
		if err := x.l.validate(x.what); err != nil {
			return err
		}
	}
	if res.Level.Position != min(res.Ceiling.Position, res.Practice.Position) {
		return invalid("level %d is not the lower of ceiling %d and practice %d", res.Level.Position, res.Ceiling.Position, res.Practice.Position)
	}
	if lk := res.Lock; lk != nil {
		if lk.Kind != LockByGovernance && lk.Kind != LockByPractice {
			return invalid("lock kind %q", lk.Kind)
		}
		if err := lk.At.validate("lock"); err != nil {
			return err
		}
	}
	for i, l := range res.Frameworks {
		if err := l.validate(fmt.Sprintf("frameworks[%d]", i)); err != nil {
			return err
		}
	}
	for _, c := range slices.Concat(res.Cos, []CoScore{res.CoAssessment}) {
		if !c.Co.Valid() || c.Score < 0 || c.Score > CoScoreMax || c.Label != coLabels[c.Score] {
			return invalid("co %q scored %d %q", c.Co, c.Score, c.Label)
		}
		if err := validFindings("co "+string(c.Co), c.Findings); err != nil {
			return err
		}
	}
	if res.Scale != "" && !res.Scale.Valid() {
		return invalid("scale %q", res.Scale)
	}
	for _, s := range res.Scales {
		if !s.Scale.Valid() || !validStatus(s.Status) || s.Reached != (s.Status == Met) {
			return invalid("scale %q status %q reached %t", s.Scale, s.Status, s.Reached)
		}
	}
	for _, pl := range res.Parties {
		if !pl.Sector.Valid() {
			return invalid("party %s sector %q", pl.Party, pl.Sector)
		}
		for _, x := range []Level{pl.Level, pl.Ceiling, pl.Practice} {
			if err := x.validate("party " + pl.Party.String()); err != nil {
				return err
			}
		}
		if err := validFindings("party "+pl.Party.String(), pl.Findings); err != nil {
			return err
		}
	}
	for _, b := range slices.Concat(res.Blockers, res.Inconclusive) {
		if !b.Aspect.Valid() {
			return invalid("blocker %q aspect %q", b.Criterion, b.Aspect)
		}
		if err := validFindings("blocker "+b.Criterion, b.Findings); err != nil {
			return err
		}
	}
	for _, c := range res.Criteria {
		if !c.Aspect.Valid() || !validStatus(c.Status) {
			return invalid("criterion %q aspect %q status %q", c.ID, c.Aspect, c.Status)
		}
		if err := validFindings("criterion "+c.ID, c.Findings); err != nil {
			return err
		}
	}
	return validFindings("findings", res.Findings)
}
