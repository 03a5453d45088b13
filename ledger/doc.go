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
// A [Hold] is a commitment (a grant agreed) later captured in part or
// whole, voided, or expired: resolved exactly once. [Labour] values
// contributed hours by replacement or opportunity cost with a low–high
// range of wages, or counts time credits, which are never turned into
// money. [Allocate] splits an amount by weights without losing a penny.
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
// A ledger built with an [Authorizer] asks it about every formal
// transaction and hold, and refuses what it denies ([ErrNotAuthorized],
// wrapping the authorizer's reasons). Discretionary records are kept with
// the deciding person, so money resting on one person's goodwill is
// visible; [Options.Strict] refuses them. governance.Register satisfies
// Authorizer through its Permit method; neither package imports the other.
//
// # Journal
//
// With [Options.Journal] set, every accepted record is written as one JSON
// line before it is applied, each line carrying the SHA-256 of the line
// before it and of its own content. [Replay] rebuilds an identical ledger
// (balances, holds and idempotency memory) from the journal; [Verify]
// names the first changed, missing, reordered or truncated line.
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
// ([Ledger.Accounts], [Ledger.Transactions], [Ledger.Holds]) yield what
// was recorded when iteration starts and release the lock before the loop
// body runs: records are append-only, so an iterator captures how many
// there are under the lock, and copies under it what does change, such
// as a hold's resolution. [Ledger.Metrics] calls its [Classifier] between
// two passes under the read lock, once per party, and computes over the
// transactions as they stood at the first. The Authorizer is called before
// the ledger's lock is taken, so it may read the ledger (for cumulative
// usage); enforcing a cumulative limit across concurrent posts under one
// instrument is then the caller's to serialise. The one exception is the
// journal: [Options.Journal] is written under the write lock, so that
// its lines are in the ledger's order and a failed write refuses the
// record; a journal writer must not call back into the ledger.
//
// # Errors
//
// Refusals are *[RecordError] values wrapping one sentinel such as
// [ErrUnbalanced]; branch with errors.Is. Journal faults are
// *[JournalError] values naming the line, matching [ErrCorruptJournal].
package ledger
