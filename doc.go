// Package coprod is the shared vocabulary of the coprod library: who the
// parties to a coproduction partnership are, exact amounts of money, hours
// and time credits, and time windows.
//
// The library models coproduction governance: how statutory agencies
// (councils, NHS commissioners, trusts) and community organisations share
// power, money and accountability when they run services together. The
// packages below this one do the work:
//
//   - governance: mandates, delegation chains, accountability (RACI),
//     interests, an Authorize that proves or refutes authority, and a Check
//     that lists every accountability fault.
//   - ledger: the exact, double-entry record of money and unpaid labour.
//   - assessment: the level of coproduction the evidence supports.
//
// This package holds only what two or more of them need, and is small
// enough to read in five minutes.
//
// # Model
//
// A [Party] is anyone who can hold authority, money or a role: a statutory
// body, a community organisation, a hub, a service-user group, a large
// voluntary provider, an independent funder, a private supplier or a named
// individual. Its [Sector] says which side of the partnership it stands on
// ([Sector.IsCommunity]), whether it is grassroots ([Sector.IsGrassroots]),
// and so where money it pays comes from.
//
// An [Amount] is an exact decimal in a [Unit]. Every unit has a fixed scale
// (GBP and hours 2 decimal places, time credits 0) and every Amount is held
// at its unit's scale, so two equal amounts print the same. Below 10^18
// minor units (pence, hundredths of an hour), which is every amount a
// partnership records, it is an int64 of minor units and needs no heap
// memory; beyond, an exact decimal.
//
// A [Window] is a half-open interval of time [NotBefore, Expires); a zero
// bound is open on that side.
//
// # Invariants
//
// Amounts never round silently: parsing refuses more fraction digits than
// the unit allows, and arithmetic across units is an error. Parsing refuses,
// before any arithmetic, inputs longer than [MaxAmountLen] characters,
// exponents outside ±[MaxExponent], and NaN or infinity forms. No amount,
// parsed or computed, reaches 10^[MaxIntegerDigits]: a sum that would is
// [ErrOverflow], so everything the library writes it can read back.
//
// # Journals: what they prove and what they do not
//
// The ledger and the governance register each write every accepted record
// as one JSON line to a writer the caller gives (ledger.Options.Journal,
// governance.Options.Journal), through one journal format: each line
// carries a format version, its sequence number, the hash of the line
// before it and its own hash over all of that and its record. Both are read
// back with Verify (governance.VerifyJournal), Replay and Recover, which
// run every record through the same validation as when it was made.
//
// An unkeyed journal proves that it is internally whole: any changed byte,
// a removed, duplicated or swapped line, and a torn last line are found,
// naming the first bad line. It does not prove who wrote it: anyone who
// can write the file can write a new, self-consistent chain, or cut lines
// off its end. Against that, store the head (Ledger.Head, Register.Head)
// somewhere the writer cannot change, or sign the journal.
//
// A keyed journal (Options.Key, HMAC-SHA-256, the key named by its ID so
// keys can rotate) proves in addition that every line was written by a
// holder of the key: verified with the keys (Options.Keys, Verify's
// keyring), a line written without the key, or forged under another, is
// refused. It still does not prove the tail is complete without a stored
// head, and it proves nothing to someone who does not hold the key.
//
// Neither proves that the records are true: the parties named as deciders
// and approvers are the caller's assertions, and the times are the
// caller's clock. What they prove is what was recorded, in what order, and
// on what authority: each formal ledger record carries the proof path it
// was authorised with, and each register record its recorded time, so
// governance.Register.AsOf answers what authority was known when each
// payment was made.
//
// Free text that may carry personal data (names of parties and accounts,
// memos, metadata, reasons, descriptions, a mandate's basis, a
// delegation's instrument) is kept out of the chained record: the chain
// covers only its hash, so ledger.EraseText and governance.EraseText can
// erase one line's text and the journal still verifies and replays (names
// as "[erased]"). Without Options.Rand the hash is unsalted, and a short
// erased text could be found again by guessing; with it, it cannot. IDs,
// amounts, times and codes stay in the chain.
//
// # Concurrency
//
// Every value in this package is immutable and safe to share between
// goroutines. The package has no global mutable state, no clock and no I/O.
//
// # Errors
//
// Failures wrap one of the Err… sentinels, which callers test with
// errors.Is. Messages are lowercase and start with "coprod:".
package coprod
