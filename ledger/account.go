package ledger

import (
	"fmt"
	"unicode/utf8"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// AccountKind says what an account records. Kinds are persisted by their
// code.
type AccountKind string

// Account kinds. The memorandum kinds record value that is not money in
// the bank, unpaid labour and in-kind goods and services, and are kept
// apart from the financial books: no transaction posts to both.
const (
	Cash       AccountKind = "cash"
	Budget     AccountKind = "budget"
	Commitment AccountKind = "commitment"
	Income     AccountKind = "income"
	Expense    AccountKind = "expense"
	// MemoLabour records hours or time credits given without pay.
	MemoLabour AccountKind = "memo-labour"
	// MemoInKind records donated goods and services at fair value.
	MemoInKind AccountKind = "memo-in-kind"
)

// canonical returns k as its constant, so that an account decoded from a
// journal shares the constant's memory: checking a posting against the
// account then reads no memory of the account's own.
func (k AccountKind) canonical() AccountKind {
	for _, c := range [...]AccountKind{Cash, Budget, Commitment, Income, Expense, MemoLabour, MemoInKind} {
		if k == c {
			return c
		}
	}
	return k
}

// canonicalUnit is AccountKind.canonical for a unit.
func canonicalUnit(u coprod.Unit) coprod.Unit {
	for _, c := range [...]coprod.Unit{coprod.GBP, coprod.Hours, coprod.Credits} {
		if u == c {
			return c
		}
	}
	return u
}

// Memorandum reports whether k is a memorandum book.
func (k AccountKind) Memorandum() bool { return k == MemoLabour || k == MemoInKind }

// Valid reports whether k is a defined kind.
func (k AccountKind) Valid() bool {
	switch k {
	case Cash, Budget, Commitment, Income, Expense, MemoLabour, MemoInKind:
		return true
	}
	return false
}

// accepts reports whether an account of kind k may be kept in unit u:
// labour books hold hours or time credits (their money value lives on the
// Labour record, as a range); every other book holds money.
func (k AccountKind) accepts(u coprod.Unit) bool {
	if k == MemoLabour {
		return u == coprod.Hours || u == coprod.Credits
	}
	return u.IsMoney()
}

// MaxNameLen bounds account names and free text, in bytes.
const MaxNameLen = 200

// Account is a book owned by a party, in one unit.
type Account struct {
	ID    uuid.UUID      `json:"id"`
	Owner coprod.PartyID `json:"owner"`
	Name  string         `json:"name"`
	Kind  AccountKind    `json:"kind"`
	Unit  coprod.Unit    `json:"unit"`
}

func (a Account) validate() error {
	switch {
	case a.ID == uuid.Nil:
		return fmt.Errorf("nil id")
	case a.Owner == uuid.Nil:
		return fmt.Errorf("nil owner")
	case len(a.Name) > MaxNameLen:
		return fmt.Errorf("name longer than %d bytes", MaxNameLen)
	case !utf8.ValidString(a.Name):
		return fmt.Errorf("name is not valid UTF-8")
	case !a.Kind.Valid():
		return fmt.Errorf("unknown kind %q", string(a.Kind))
	case !a.Unit.Valid():
		return fmt.Errorf("unknown unit %q", string(a.Unit))
	case !a.Kind.accepts(a.Unit):
		return fmt.Errorf("a %s account cannot be kept in %s", a.Kind, a.Unit)
	}
	return nil
}
