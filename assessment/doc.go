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
// # Concurrency
//
// Assess has no clock, no I/O, no goroutines and no global mutable state;
// it reads the register and ledger through their own concurrency-safe
// methods and copies. Frameworks, rubrics and probe lists are returned as
// fresh copies on every call. Results are values.
//
// # Errors
//
// Assess fails only for a rubric that does not validate (ErrInvalidRubric,
// ErrUnknownProbe) or an input it cannot read (ErrInvalidInput). Branch
// with errors.Is; coprod.CodeOf gives each sentinel's stable code. What the
// records cannot answer is a finding, not an error.
package assessment
