package assessment

import "github.com/coprod/coprod"

// Sentinel errors. Test for them with errors.Is; coprod.CodeOf gives each
// one's stable code.
var (
	// ErrInvalidRubric is returned by Rubric.Validate and Assess for a
	// rubric that cannot be applied: a missing name or version, a
	// malformed framework, a criterion on no rung of the ladder, a limit
	// passed.
	ErrInvalidRubric = coprod.NewError("INVALID_RUBRIC", "assessment: invalid rubric")
	// ErrUnknownProbe is returned when a criterion or scale rule needs a
	// probe that Probes does not define.
	ErrUnknownProbe = coprod.NewError("UNKNOWN_PROBE", "assessment: unknown probe")
	// ErrInvalidInput is returned by Assess for an input without a time,
	// with an undefined unit, or with a period that begins after the
	// time.
	ErrInvalidInput = coprod.NewError("INVALID_INPUT", "assessment: invalid input")
)
