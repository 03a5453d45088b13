// Package governance turns a partnership's lines of delegation and
// accountability into data that can be checked: who may decide and spend
// what, on whose authority, and who answers for each piece of work.
//
// Statutory partners are reluctant to share power and money with community
// organisations when there are no "clear lines of delegation" and "clear
// lines of accountability". A Register holds those lines; Authorize proves
// or refutes a given action against them; Check lists everything wrong
// with them.
//
// # Model
//
// A [Mandate] is a root authority held by a party: a statutory duty or a
// board resolution, with a [Scope] and optional limits. Matters it lists as
// reserved can never be delegated. Matters it reserves above an amount (a
// [Reservation]: "contract awards above £50,000 are reserved to the board")
// can be, but only the holder, acting on the mandate itself, decides them
// above the threshold; the threshold is compared with the commitment's whole
// value, not with each payment under it. A [Delegation] passes part of a
// mandate's (or another delegation's) authority to another party, with its
// own scope, per-transaction limit, cumulative limit per [Period],
// joint-authorisation threshold, validity window and remaining
// sub-delegation depth. Every delegation rests on exactly one parent, so
// each holder's authority is a path up to a mandate; a party holding
// several delegations has several paths.
//
// [Revocation] and [Reassumption] records end a link, or take part of its
// scope back, from a given time. An [Activity] carries a RACI line;
// [Interest] and [Recusal] records form the register of interests. Parties
// are [coprod.Party] values.
//
// People act for organisations: an [ActingFor] record says that a named
// individual acts for an organisation as its director, officer, champion
// or trustee within a window, until an [ActingEnd]. Authority delegated to
// such a person rather than to the body they act for rests on them and
// leaves with them; Check says so. They may spend the body's money where
// their authority allows.
//
// A [Body] is a party that decides collectively (a reference group, a
// board, a panel, a provider alliance): [Membership] records say who
// belongs to it and when, and its [DecisionRule] (any member, a majority,
// unanimity, with an optional quorum) says how many eligible members must
// approve a request it makes. Members recused from the request's scope are
// not eligible.
//
// Every Activity says which of the four Co's ([Co]: co-commissioning,
// co-design, co-delivery, co-assessment) it belongs to and when it runs;
// Responsible and Accountable parties decide in it, Consulted and Informed
// ones advise. Check judges community decision rights per Co.
//
// Scopes are segment-aware paths: "commission/mental-health/iapt" lies
// inside "commission/mental-health"; "commission/mental" does not cover
// "commission/mental-health".
//
// # Invariants
//
// The register refuses at creation, each with its own sentinel and code,
// what can never be valid: self-delegation, a reserved matter, a child
// wider than its parent in scope, either limit, joint threshold, window or
// depth, a parent that forbids sub-delegation or was revoked, a delegator
// that does not hold the parent, unknown parties or parent, and cycles.
// A refused record changes nothing. Decoding a register from JSON replays
// every record through the same checks.
//
// Because children are never wider than parents, a path's effective
// authority (lowest limit, intersected window) is the leaf's, computed once
// when the link is made. Authorize checks per link only what can change
// later (revocation, reassumption) and what the caller supplies (spending
// against cumulative limits, through [Usage]; whose money is spent).
// Every comparison that cannot be made, such as an amount in another unit
// than a limit, denies. A link is revoked from its earliest revocation.
// Nothing recorded is edited or deleted.
//
// # Authority through a ledger
//
// [Register.Permit] answers a ledger's [coprod.Permission] and returns the
// [coprod.Proof] the ledger keeps with the record: the proof path, each
// link with its cumulative limit and the span of its period at the
// recorded time. The ledger enforces those limits itself, under its own
// lock, as it commits, so that checking and committing are one step; the
// ledger package documents the time rule and the subtree rule. A record
// is authorised at its recorded time and its effective time; it may spend
// only the money of parties on its proof path, or of an organisation that
// a holder on it (the decider included) acts for at the recorded time, and
// the proof names that acting-for record; a decider who gains needs
// an independent second signatory; a correction (reversal, capture, void)
// is decided by the earlier record's decider, a holder above them, or a
// successor in the same post.
//
// The parties named as actors, deciders and approvers are the caller's
// assertions: the library authorises, it does not authenticate.
//
// What the register accepts but a partnership should not live with (an
// activity with no Accountable, a community party only ever consulted,
// a chain broken by a revocation) is reported by [Register.Check], each
// [Finding] with a stable [Code], a [Severity], the subjects' IDs and one
// line of reason. [Register.CheckAwards] adds what only the awards can show,
// given by the caller (a ledger yields them): awards split to stay under a
// reserved threshold.
//
// # Journal
//
// A register made with [New] and [Options.Journal] writes every record as
// a hash-chained JSON line, as the ledger does (the same format, the same
// optional keys): [Replay], [Recover] and [VerifyJournal] read it back
// through the same validation, and [EraseText] erases one line's free
// text without breaking the chain. Names stay out of the chained record.
// Each record carries its Recorded time, which never goes back by more
// than [Options.MaxSkew]; [Register.AsOf] answers as the register was
// known at a recorded time, so that an auditor can see what authority was
// known when each payment was made. The root package's doc says what a
// journal proves and what it does not.
//
// # Concurrency
//
// A [Register] is safe for concurrent use: Authorize, Check and the
// exporters take a read lock; recording takes the write lock. Authorize
// asks the caller's [Usage] only after releasing the lock, once per capped
// link. Records, decisions and reports are
// values, and slices handed out are copies. The package has no clock, no
// I/O and no global mutable state: times are arguments and spending comes
// from the caller's Usage.
//
// No caller code runs while the register holds its lock. The iterators
// ([Register.Parties], [Register.Mandates], [Register.Delegations],
// [Register.Activities], [Register.Interests], [Register.ActingFor],
// [Register.Bodies], [Register.Memberships]) yield the records present
// when iteration starts and release the lock before the loop body runs,
// so a body may read the register again or record into it. (Go's
// sync.RWMutex is not reentrant: a body run under the read lock would
// deadlock as soon as a writer waited.) Records are append-only, so an
// iterator captures the length of what it walks under the lock and reads
// records that are never rewritten; what does change, such as which
// revision of an activity is the latest, is copied under the lock. The
// exceptions are the journal's own I/O: [Options.Journal] is written, and
// [Options.Rand] read, under the write lock, so that lines are in the
// register's order; neither may call back into the register.
//
// # Errors
//
// A refused record returns a *[RecordError] wrapping one sentinel (for
// example [ErrLimitExceedsParent]); branch with errors.Is, or read the
// stable code with [CodeOf]. A denial is a [Decision] with every [Reason];
// [Decision.Err] turns it into a *[DeniedError] that matches [ErrDenied]
// and each reason's sentinel.
//
// # Performance
//
// An allowed Authorize makes one allocation, the proof path, which holds
// no pointers; it costs about 300 ns at chain depth 10 whether the register
// holds a thousand delegations or a hundred thousand (BENCHMARKS.md).
// Denials walk every path and collect every distinct reason, up to
// [MaxReasons]; they cost in proportion to the paths of the actor and the
// approvers times their depth, each party's authority worked out once.
//
// Check builds its indexes once per call (each party's activity scopes,
// sorted; the reserved matters by scope; the recusals by interest), so
// that its cost grows in proportion to the register rather than with its
// square: twice the register costs about twice as much (BENCHMARKS.md).
package governance
