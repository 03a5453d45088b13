// Package ledger is the exact, double-entry record of the money and the
// unpaid labour that move in a coproduction partnership: the record that
// shows whether money reached community organisations formally, under a
// delegated instrument, or informally on one official's goodwill, and
// whether the groups delivering services were paid for their labour.
//
// # Model
//
// An [Account] is a book owned by a party, in one unit, of a kind: cash,
// budget, commitment, income, expense, or one of the memorandum books for
// unpaid labour (hours or time credits) and in-kind value. A
// [Transaction] is a set of postings that balance exactly in every unit,
// with an effective time and a recorded time, a [Kind] (grant, contract,
// SLA, core or project funding, in-kind, unpaid labour, time credit,
// involvement payment, payment, reversal), a [Formality] (the instrument
// it was made under, or discretionary, and always who decided), a
// [Coverage] and metadata.
//
// [Ledger.Metrics] gives the measures of DOMAIN.md §5: money by source
// (statutory, independent funder, community, other), the share reaching
// community-side and grassroots parties, the formal share, core and
// multi-year funding, cost coverage with independent funders' money kept
// apart, unpaid labour and in-kind value, key-person exposure, and money
// and coverage per community party and per service scope
// (Formality.Scope, a [coprod.Scope]). [Ledger.MetricsAsOf] gives the
// same measures as the books stood at an earlier recorded time, leaving
// out back-dated records and reversals recorded since, so an evaluation
// can be repeated later and give the same answer.
//
// [LabourTransaction] records contributed time from the giver's
// memorandum account to the receiver's: the giver's account takes the
// negative posting, and its owner is who the metrics count as giving.
//
// A [Hold] is a commitment (a grant agreed) later captured in part or
// whole, voided, or expired: resolved exactly once. [Labour] values
// contributed hours by replacement or opportunity cost with a low–high
// range of wages, or counts time credits, which are never turned into
// money. [Allocate] splits an amount by weights without losing a penny.
//
// [Ledger.Flows] sums who paid whom over a period, formal and
// discretionary apart; [Ledger.Sankey] draws the same as a Mermaid Sankey
// diagram, and [Ledger.LabourSankey] draws the unpaid hours beside it, in
// hours, never on the money's scale.
//
// # Invariants
//
//   - Postings balance per unit, exactly; each posting is in its account's
//     unit. Memorandum books never mix with financial ones: no transaction
//     posts to both, so cash balances never include unpaid labour.
//   - Every record is validated completely before anything is applied: a
//     refused record leaves every balance, record and the journal as they
//     were.
//   - A transaction's ID is its idempotency key: the same ID and content
//     posts once and returns the first receipt; other content is
//     [ErrIdempotencyConflict].
//   - Nothing recorded is edited or deleted. [Ledger.Reverse] posts the
//     exact mirror, once; a reversed transaction and its reversal are left
//     out of flows and metrics.
//   - Amounts are exact: [coprod.Amount] at its unit's scale. Division
//     happens only in [Allocate] (which places every leftover minor unit)
//     and in [Share.Ratio] (which rounds where the caller says);
//     multiplication only in [Labour.Value], rounded once to the penny.
//
// # Authority
//
// A ledger built with an [Authorizer] (governance.Register serves, through
// its Permit method; neither package imports the other) asks it a
// [coprod.Permission] for every financial record and keeps the
// [coprod.Proof] it returns with the record, journaled, so that an auditor
// can see on what authority each payment was made as it was decided. It
// refuses what the authority denies ([ErrNotAuthorized], wrapping the
// authority's reasons). Discretionary records are kept with the deciding
// person, so money resting on one person's goodwill is visible;
// [Options.Strict] refuses them. Labour and in-kind records are not
// spending and are not asked about.
//
// Wiring a register is one call: ledger.New(ledger.Options{Authorizer:
// reg}). Nothing else is needed. The register answers from its own
// records and puts each cumulative limit on the proof; the ledger keeps
// the running totals and enforces them as it commits, so no Usage is
// wired in. The ledger's [Ledger.Spent] serves as the governance.Usage of
// a standalone Authorize, and the register's Sector method is the
// [Classifier] for [Ledger.Metrics] (see the wiring example).
//
// The time rule. A record is authorised at its recorded time, the moment
// the application records the decision, and must stand at its effective
// time too. Recorded times never go back by more than [Options.MaxSkew]
// (default [DefaultMaxSkew], so goroutines racing for the lock are not
// refused); further is [ErrRecordedTimeBehind], which the caller retries
// with the current time. The effective time may precede the recorded time
// only inside an open accounting period: after [Ledger.ClosePeriod]
// nothing may take effect before the closing ([ErrPeriodClosed]), and
// corrections go into an open period. So a delegate revoked on 1 June
// cannot record on 1 July a payment dated 31 May, an expired delegate
// cannot back-date into its window, and a year-end accrual recorded on 2
// April, effective 31 March, stands while March is open. To import
// history, record it in order with the recorded times of the original
// decisions, against a register that holds the authority as it stood
// then (revocations with their own dates).
//
// Whose money. A record may take money only out of accounts whose owner
// holds a link on its proof path (for a discretionary record, the
// decider's own), or that the authority finds another way to spend at the
// recorded time: with governance, an organisation the decider, or a
// holder on the path, acts for (governance.ActingFor). The proof names
// what made such a payer's money spendable ([coprod.Proof].Acting), and
// the ledger journals it; a discretionary record that spends an
// organisation's money keeps a proof with no path and only those. The owners of the accounts money goes into are passed as
// beneficiaries: a declared interest in one refuses the record, and a
// decider who gains needs an independent second signatory among
// Formality.Approvers. A transfer between one owner's own accounts makes
// no beneficiary. Each approval is kept beside who decided, with its time
// and a reference (a minute number), and the approving parties are put
// to the authority: a second signatory, or the members of a collective
// body deciding by its rule, are recorded through the ledger.
//
// The subtree rule. A cumulative limit on a mandate or delegation bounds
// everything spent under it and under every delegation below it, in the
// period (month, quarter, financial year from 1 April, in
// [Options.Location]) of each record's recorded time, whatever order the
// records come in: every link with a cumulative limit is on the proof path
// of every record made below it, and the ledger adds each record's value
// to each such link's running total. Open holds count from the moment they
// are placed, in the period they were placed, until captured (which
// converts them without counting twice), voided or expired; a reversal
// gives its original's value back in the original's period. [Ledger.Spent]
// reads the totals.
//
// Corrections are decisions too. A reversal, a capture and a void each
// name who decides them; with an Authorizer that party must be entitled
// to act on the earlier record: its decider, a holder above them on its
// proof path, or a successor holding the same scope under the same parent.
// A capture is authorised again at its own time, never above the hold
// ([ErrOverHold]) and never after its expiry ([ErrHoldExpired]).
//
// The parties named as deciders and approvers are the caller's
// assertions: the library authorises, it does not authenticate.
//
// # Journal
//
// With [Options.Journal] set, every accepted record is written as one JSON
// line, in one Write, before it is applied, each line carrying its format
// version, the hash of the line before it and its own hash (SHA-256, or
// HMAC-SHA-256 under [Options.Key], the line naming the key). [Replay]
// rebuilds an identical ledger (balances, holds and idempotency memory)
// from the journal; [Verify] names the first changed, missing, reordered,
// forged or truncated line. A transaction's proof is written in full on
// the first transaction line made under it; a later transaction line whose
// proof reads the same names that line ("proof_ref", the line's seq) in
// place of the proof, so a journal of many records made under few
// delegations stays small, and Replay reads each proof once. (The ledger
// remembers the last sixteen distinct proofs ending at each delegation,
// or acting under each record of acting for another; an older one is
// written in full again, and named from then on.) A line names
// only an earlier transaction line that holds its proof in full; Replay
// refuses any other. Neither keeps a line over [MaxJournalLine],
// and an error from the reader is returned as it is, matching
// [ErrJournalRead], never taken for a fault in the journal. Journals
// written before lines carried a version still replay, and can be
// continued.
//
// A large journal replays faster spread over goroutines: a [Replayer]
// does what Replay and Recover do in steps its caller may run apart,
// reading runs of lines, checking and decoding each run (several at once)
// and applying them in order, and reports the same first fault. The
// package starts no goroutine of its own; its godoc shows the loop.
//
// Free text that may carry personal data (account names, memos, metadata,
// reasons) is written beside the chained record and chained only through
// its hash (salted with [Options.Rand]), so that [EraseText] can erase one
// line's text without breaking the chain. The root package's doc says, in
// one place for both journals, what a journal proves and what it does
// not.
//
// A journal that fails stops the ledger. When the writer returns an error,
// or takes fewer bytes than the line (io.ErrShortWrite), the record is
// refused with [ErrJournal] and not applied, and from then on every record
// that would be written is refused with [ErrJournalFailed], which wraps
// the writer's error; [Ledger.Err] reports it. The failed record, retried,
// is refused too. A record refused for its own fault is refused as
// before, and an idempotent retry of a record made before the failure
// still answers with its receipt, as neither writes anything. Queries
// keep working, on the records before the failure.
//
// The journal may then end in a torn line: the part of the line the
// writer took. Verify and Replay report it apart from corruption, as a
// *[JournalError] with Torn set, matching [ErrTornJournal], whose Offset
// is the length of the complete lines before it. To carry on:
//
//  1. [Recover] from the journal: it replays every complete line and
//     returns the ledger and that length. It writes nothing.
//  2. Truncate the journal to that length, dropping the torn line.
//  3. Record through the recovered ledger, with a working writer that
//     appends to the truncated journal: its lines continue the chain.
//
// The failed record's fate is whatever the journal says. It is normally
// absent, and can be made again; if the writer took the whole line and
// still reported an error, the recovered ledger has it, and making it
// again answers with its receipt. Corruption anywhere else is never
// skipped: it stays [ErrCorruptJournal], for Recover as for Replay.
//
// # Concurrency
//
// A [Ledger] is safe for concurrent use: records are serialised by a
// mutex, queries share a read lock. The package has no clock, no I/O of
// its own (the journal is the caller's writer) and no global state.
//
// No caller function runs while the ledger holds its lock, so each may
// query the ledger, or record into it, without deadlock (Go's
// sync.RWMutex is not reentrant: a callback run under the read lock would
// deadlock as soon as a writer waited). The iterators
// ([Ledger.Accounts], [Ledger.Transactions], [Ledger.Holds],
// [Ledger.Closings]) yield what was recorded when iteration starts and
// release the lock before the loop body runs: records are append-only, so
// an iterator captures how many there are under the lock, and copies
// under it what does change, such as a hold's resolution.
// [Ledger.Metrics] and [Ledger.MetricsAsOf] call their [Classifier]
// with no lock held, once per party, and then compute under the read
// lock over the transactions recorded when the parties were named. The
// Authorizer is asked before the lock is taken,
// and checking authority and committing are still one step: the authority
// decides from its own register and returns the proof with its limits,
// and the ledger checks the limits against its own running totals under
// its lock as it commits. However many goroutines post under one capped
// instrument, the total never passes the cap. The exceptions are the
// journal's own I/O: [Options.Journal] is written, and [Options.Rand]
// read, under the write lock, so that lines are in the ledger's order and
// a failed write refuses the record; neither may call back into the
// ledger.
//
// # Errors
//
// Refusals are *[RecordError] values wrapping one sentinel such as
// [ErrUnbalanced], each with a stable code (coprod.CodeOf); branch with
// errors.Is. A stopped ledger's refusals match [ErrJournalFailed]. Journal
// faults are *[JournalError] values naming the line, matching
// [ErrCorruptJournal], or [ErrTornJournal] for a torn last line; a
// failing reader gives [ErrJournalRead].
package ledger
