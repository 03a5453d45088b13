package ledger_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/journal"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

func id(name string) uuid.UUID {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("coprod-ledger-test:"+name))
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func gbp(s string) coprod.Amount   { return coprod.MustParseAmount(s, coprod.GBP) }
func hours(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.Hours) }

// Parties of the test partnership.
var (
	council   = id("council")
	hub       = id("hub")
	temple    = id("temple")
	volunteer = id("volunteer")
	officer   = id("officer")
	director  = id("director")
)

func sector(p coprod.PartyID) coprod.Sector {
	switch p {
	case council:
		return coprod.Statutory
	case hub:
		return coprod.Hub
	case temple:
		return coprod.Community
	default:
		return coprod.Individual
	}
}

// Accounts of the test partnership.
var accounts = []ledger.Account{
	{ID: id("council-budget"), Owner: council, Name: "Mental health budget", Kind: ledger.Budget, Unit: coprod.GBP},
	{ID: id("hub-cash"), Owner: hub, Name: "Hub bank", Kind: ledger.Cash, Unit: coprod.GBP},
	{ID: id("temple-cash"), Owner: temple, Name: "Temple bank", Kind: ledger.Cash, Unit: coprod.GBP},
	{ID: id("temple-costs"), Owner: temple, Name: "Temple service costs", Kind: ledger.Expense, Unit: coprod.GBP},
	{ID: id("temple-hours-given"), Owner: temple, Name: "Hours given", Kind: ledger.MemoLabour, Unit: coprod.Hours},
	{ID: id("service-hours-received"), Owner: council, Name: "Hours received by the service", Kind: ledger.MemoLabour, Unit: coprod.Hours},
	{ID: id("volunteer-credits"), Owner: volunteer, Name: "Credits earned", Kind: ledger.MemoLabour, Unit: coprod.Credits},
	{ID: id("hub-credits"), Owner: hub, Name: "Credits issued", Kind: ledger.MemoLabour, Unit: coprod.Credits},
	{ID: id("temple-donated"), Owner: temple, Name: "Donated rooms", Kind: ledger.MemoInKind, Unit: coprod.GBP},
	{ID: id("service-in-kind"), Owner: council, Name: "In-kind received", Kind: ledger.MemoInKind, Unit: coprod.GBP},
}

func newLedger(t testing.TB, opts ledger.Options) *ledger.Ledger {
	t.Helper()
	l := ledger.New(opts)
	for _, a := range accounts {
		require.NoError(t, l.Open(a))
	}
	return l
}

// pay is a two-posting financial transaction.
func pay(name string, from, to string, amount string, kind ledger.Kind, decidedBy uuid.UUID, instrument uuid.UUID, at time.Time) ledger.Transaction {
	return ledger.Transaction{
		ID: id(name), Kind: kind, Effective: at, Recorded: at,
		Postings:  []ledger.Posting{{Account: id(from), Amount: gbp(amount).Neg()}, {Account: id(to), Amount: gbp(amount)}},
		Formality: ledger.Formality{Instrument: instrument, Scope: "commission/mental-health/iapt", DecidedBy: decidedBy},
	}
}

// state is everything observable about a ledger, for before/after
// comparisons: every balance, every transaction, every hold and the head.
func state(t testing.TB, l *ledger.Ledger) string {
	t.Helper()
	var b bytes.Buffer
	for a := range l.Accounts() {
		bal, err := l.Balance(a.ID)
		require.NoError(t, err)
		fmt.Fprintf(&b, "%s %s\n", a.Name, bal)
	}
	for tx := range l.Transactions() {
		fmt.Fprintf(&b, "tx %s %s %v\n", tx.ID, tx.Kind, tx.Postings)
	}
	for h := range l.Holds() {
		fmt.Fprintf(&b, "hold %s %s %s\n", h.Hold.ID, h.Hold.Amount, h.Resolution.Resolution)
	}
	fmt.Fprintf(&b, "head %+v\n", l.Head())
	return b.String()
}

// jline is a journal line taken apart.
type jline struct {
	typ          string
	record, text []byte
}

// splitJournal takes a journal's lines apart (any version).
func splitJournal(t *testing.T, j []byte) []jline {
	t.Helper()
	var out []jline
	for _, raw := range bytes.SplitAfter(j, []byte("\n")) {
		if len(raw) == 0 {
			continue
		}
		var l struct {
			Type   string
			Record json.RawMessage
			Text   json.RawMessage
		}
		require.NoError(t, json.Unmarshal(raw, &l))
		out = append(out, jline{l.Type, l.Record, l.Text})
	}
	return out
}

// chain writes lines as a sound, unkeyed version 2 journal: what anyone
// holding an unkeyed journal can forge.
func chain(lines []jline) []byte { return chainKeyed(lines, nil) }

// chainKeyed is chain with every line signed with key (nil: unkeyed).
func chainKeyed(lines []jline, key *journal.Key) []byte {
	var b []byte
	var prev journal.Hash
	for i, l := range lines {
		b, prev = journal.AppendLine(b, i+1, prev, key, l.typ, l.record, l.text)
	}
	return b
}

// rechain rebuilds every line's prev and hash so that an unkeyed journal
// verifies again after its lines were changed, as anyone holding it can.
func rechain(t *testing.T, journal string) string {
	t.Helper()
	return string(chain(splitJournal(t, []byte(journal))))
}
