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
// at its unit's scale, so two equal amounts print the same.
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
