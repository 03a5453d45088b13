// Package assessment reads the level of coproduction a partnership's
// records support, and explains itself like a linter: which probe found
// what, in which records, and which criterion that blocks.
//
// Partnerships score themselves on forms and questionnaires; none of those
// looks at who holds authority or where the money went. This package reads
// a governance.Register and a ledger.Ledger instead.
//
// # Model
//
// The pipeline is that of golang.org/x/tools/go/analysis and OpenSSF
// Scorecard: records → probes → criteria per rung → a gated level →
// blockers.
//
// A Probe is a plain value (Name, Doc, Run) that puts one question to the
// records and answers with a Finding: True, False, NotApplicable or
// NotAvailable, a reason, and the IDs of the records behind it. Probes
// lists them all: community parties present, taking part, consulted,
// deciding, only advising, holding delegated authority (overall and per
// Co), authority held personally and key-person dependency, the money
// probes over ledger.Metrics (money reaching the community, informal
// money, the formal share, unpaid labour, cost coverage, core funding, one
// officer's share of statutory money), and one probe per governance Check
// code ("check/KEY_PERSON_DEPENDENCY").
//
// A Rubric is a plain value the caller may copy (Clone) and change: a name
// and version, the ladder it gates on (a Framework: TLAP by default,
// Arnstein or IAP2 as data), the frameworks its level is read on, its
// criteria, the rules for the scale of coproduction, and thresholds.
// A Criterion names a rung of the ladder, an Aspect (governance or
// practice) and the probe answers it needs. Rubric.Fingerprint hashes the
// content, so an edited copy is never mistaken for the original; every
// Result carries the rubric's name, version and fingerprint.
//
// Three words are kept apart: a rung of a ladder (Rung, Level), the scale
// of coproduction (Scale: individual, group, collective), and the unit
// assessed (Unit: professional, service, organisation). Each rung has a
// place on the common influence scale of DOMAIN.md §2 (Influence, 0 to 6):
// that is the crosswalk, and a caller overrides it by changing the rungs
// of a framework in its rubric.
//
// The result gives the level on the ladder and on every framework of the
// crosswalk; the ceiling governance permits and the level practised, and
// the "locked at" finding when they differ, either way round (practice
// held below what governance allows, or practice running above what it
// protects, resting on goodwill); a score per Co, co-assessment shown on
// its own; the scale reached; and the blockers with their findings.
//
// The partnership's level asks whether any community-side party does each
// thing. Parties differ: a provider alliance can reach partnership while
// service users beside it stay at consultation. So the result also gives
// a level per community-side party (PartyLevel): the same rubric, with
// the probes that can be scoped to a party (PartyProbes: takes part,
// decides, holds authority, money reaching it, its cost coverage from
// ledger.Metrics.Parties) answered about that party alone.
//
// # Next steps and change over time
//
// Each blocker comes with next steps (Result.NextSteps) worked out from
// the same records, never canned: the activity to delegate to the
// community party taking part in it and the live mandate or delegation
// that may delegate it; the unpaid hours and the full-cost funding that
// would pay for them at replacement cost, as a range, flagged where paying
// individuals could affect their benefits; the co-assessment activity to
// create and who decides in it; the deputy to appoint and who already
// holds the same authority; the instrument that could cover money paid at
// discretion. Each NextStep has a stable StepCode, the blocker it lifts,
// the records it names and exact amounts.
//
// Compare reports what changed between two results: readings that moved,
// blockers lifted and appeared, probes that changed. Results of different
// rubrics are refused (ErrRubricMismatch) unless the caller allows it.
//
// # Many partnerships
//
// A national programme or a funder holds many partnerships' results.
// Summarize merges results made with one rubric into a Summary of
// distributions: for each framework, how many partnerships stand on each
// rung (every rung listed) and the median rung; the same for the ceiling
// and the practice; the partnerships locked each way round; the scales
// reached; and how often each criterion blocks or is inconclusive. Rungs
// are ordinal, so a summary never averages them: its median is the lower
// median, a rung. Results of another rubric are refused
// (ErrRubricMismatch), not grouped: the caller groups by Result.Rubric.
//
// # Invariants
//
// A rung is reached only when every criterion at and below it holds. A
// criterion holds when each probe it needs gives the answer wanted or is
// not applicable; a probe that is not available makes it inconclusive,
// which does not hold and is listed apart, never scored as zero. So an
// empty partnership stands on the lowest rung, with blockers; it is not
// an error. The ceiling is the same gate over governance criteria only, the
// practice over practice criteria only, and the level is the lower of the
// two.
//
// The records are read as known at Input.At: the register through
// governance.Register.AsOf and the ledger through ledger.Ledger.MetricsAsOf
// over the period cut at At, so an assessment repeated later gives the
// same answer: a back-dated record or a reversal recorded after At changes
// nothing in it.
//
// Results are deterministic: the same records, made in any order, give the
// same Result and the same JSON and Markdown, byte for byte.
//
// # Recorded evidence and questionnaires
//
// Beside the records an Input may carry recorded evidence (Evidence: a
// document, observation, interview, focus group, survey or questionnaire
// item, from the statutory or the community side, by a rater, dated, with
// a reference, about a Unit) supporting or contradicting criteria by ID,
// and questionnaires (Instrument: items scored on a range, in domains,
// summed and banded, their text supplied by the caller) with the Responses
// given on them. Pieces and responses dated after Input.At are left out.
//
// Evidence settles only what the records cannot answer; Settle is the
// rule. A criterion the probes leave Inconclusive is settled Met by
// supporting evidence of at least CorroboratingKinds kinds with none
// contradicting (a document and an interview, not one affirmation), and
// NotMet by contradicting evidence of as many kinds with none supporting;
// otherwise it stays Inconclusive. A criterion the records answer keeps
// its status whatever the evidence says (a self-rating never overrides a
// measurement); the evidence is listed beside it. So supporting evidence
// never lowers a level, contradicting evidence never raises one, and the
// order evidence is given in does not matter.
//
// The records speak for the whole partnership; evidence names the unit it
// is about (professional, service, organisation). The criteria of the
// result are gated with the evidence about Input.Unit; the result's
// EvidenceReport gives the level at each of the three units with the
// evidence about it. Questionnaires are scored per unit and side: the
// mean sum and its band. Where the statutory and community sides part (a
// questionnaire's bands apart, or one side's evidence supporting a
// criterion the other's contradicts) the result lists a Divergence.
//
// # Concurrency
//
// Assess has no clock, no I/O, no goroutines and no global mutable state;
// it reads the register and ledger through their own concurrency-safe
// methods and copies. Compare and Summarize only read the results they
// are given. Frameworks, rubrics and probe lists are returned as
// fresh copies on every call. Results are values.
//
// # Errors
//
// Assess fails only for a rubric that does not validate (ErrInvalidRubric,
// ErrUnknownProbe) or an input it cannot read (ErrInvalidInput, wrapped
// together with ErrInvalidEvidence, ErrUnknownCriterion,
// ErrInvalidInstrument or ErrInvalidResponse when the evidence or the
// questionnaires are at fault). Compare and Summarize refuse results of
// another rubric (ErrRubricMismatch); Summarize refuses a result that does
// not fit its rubric (ErrInvalidResult). Branch with errors.Is;
// coprod.CodeOf gives each sentinel's stable code. What the records cannot
// answer is a finding, not an error.
package assessment
