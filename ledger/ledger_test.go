package ledger_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenAccount(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	require.NoError(t, l.Open(accounts[0]), "reopening identically is a no-op")
	for name, tc := range map[string]struct {
		a   ledger.Account
		err error
	}{
		"hours in cash":     {ledger.Account{ID: id("x"), Owner: hub, Kind: ledger.Cash, Unit: coprod.Hours}, ledger.ErrInvalidAccount},
		"money in labour":   {ledger.Account{ID: id("x"), Owner: hub, Kind: ledger.MemoLabour, Unit: coprod.GBP}, ledger.ErrInvalidAccount},
		"credits in budget": {ledger.Account{ID: id("x"), Owner: hub, Kind: ledger.Budget, Unit: coprod.Credits}, ledger.ErrInvalidAccount},
		"unknown kind":      {ledger.Account{ID: id("x"), Owner: hub, Kind: "piggy-bank", Unit: coprod.GBP}, ledger.ErrInvalidAccount},
		"nil owner":         {ledger.Account{ID: id("x"), Kind: ledger.Cash, Unit: coprod.GBP}, ledger.ErrInvalidAccount},
		"nil id":            {ledger.Account{Owner: hub, Kind: ledger.Cash, Unit: coprod.GBP}, ledger.ErrInvalidAccount},
		"same id, other":    {ledger.Account{ID: accounts[0].ID, Owner: hub, Name: "other", Kind: ledger.Cash, Unit: coprod.GBP}, ledger.ErrDuplicateAccount},
	} {
		t.Run(name, func(t *testing.T) {
			before := state(t, l)
			assert.ErrorIs(t, l.Open(tc.a), tc.err)
			assert.Equal(t, before, state(t, l))
		})
	}
}

func TestPostRefusalsChangeNothing(t *testing.T) {
	good := func() ledger.Transaction {
		return pay("t", "council-budget", "hub-cash", "100", ledger.Grant, officer, id("delegation"), day(2025, 5, 1))
	}
	var many []ledger.Posting
	for range ledger.MaxPostings / 2 {
		many = append(many, ledger.Posting{Account: id("hub-cash"), Amount: gbp("1")}, ledger.Posting{Account: id("temple-cash"), Amount: gbp("-1")})
	}
	many = append(many, ledger.Posting{Account: id("hub-cash"), Amount: gbp("0")})
	tests := []struct {
		name   string
		mutate func(*ledger.Transaction)
		err    error
	}{
		{"valid", func(*ledger.Transaction) {}, nil},
		{"unbalanced", func(tx *ledger.Transaction) { tx.Postings[1].Amount = gbp("100.01") }, ledger.ErrUnbalanced},
		{"hours to a cash account", func(tx *ledger.Transaction) {
			tx.Postings = []ledger.Posting{{Account: id("hub-cash"), Amount: hours("-3")}, {Account: id("temple-cash"), Amount: hours("3")}}
		}, ledger.ErrUnitMismatch},
		{"money and memorandum books mixed", func(tx *ledger.Transaction) {
			tx.Postings = []ledger.Posting{{Account: id("council-budget"), Amount: gbp("-5")}, {Account: id("temple-donated"), Amount: gbp("5")}}
		}, ledger.ErrMixedBooks},
		{"unknown account", func(tx *ledger.Transaction) { tx.Postings[1].Account = id("nowhere") }, ledger.ErrUnknownAccount},
		{"too many postings", func(tx *ledger.Transaction) { tx.Postings = many }, ledger.ErrTooManyPostings},
		{"no postings", func(tx *ledger.Transaction) { tx.Postings = nil }, ledger.ErrInvalidTransaction},
		{"nil id", func(tx *ledger.Transaction) { tx.ID = uuid.Nil }, ledger.ErrInvalidTransaction},
		{"zero recorded time", func(tx *ledger.Transaction) { tx.Recorded = time.Time{} }, ledger.ErrInvalidTransaction},
		{"no decider", func(tx *ledger.Transaction) { tx.Formality.DecidedBy = uuid.Nil }, ledger.ErrInvalidTransaction},
		{"unknown kind", func(tx *ledger.Transaction) { tx.Kind = "gift" }, ledger.ErrInvalidTransaction},
		{"posted reversal", func(tx *ledger.Transaction) { tx.Kind = ledger.Reversal; tx.Reverses = id("x") }, ledger.ErrInvalidTransaction},
		{"labour record on a grant", func(tx *ledger.Transaction) {
			tx.Labour = &ledger.Labour{Hours: hours("1"), Method: ledger.ReplacementCost, Rate: gbp("10")}
		}, ledger.ErrInvalidTransaction},
		{"against unknown grant", func(tx *ledger.Transaction) { tx.Against = id("no-grant") }, ledger.ErrUnknownTransaction},
		{"overflowing balance", func(tx *ledger.Transaction) {
			tx.Postings[0].Amount = gbp("-999999999999999999999999999999.99")
			tx.Postings[1].Amount = gbp("999999999999999999999999999999.99")
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var journal bytes.Buffer
			l := newLedger(t, ledger.Options{Journal: &journal})
			before, beforeJournal := state(t, l), journal.String()
			tx := good()
			tt.mutate(&tx)
			_, err := l.Post(tx)
			if tt.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.err)
			var re *ledger.RecordError
			require.True(t, errors.As(err, &re))
			assert.True(t, strings.HasPrefix(err.Error(), "ledger: refused transaction"), err.Error())
			assert.Equal(t, before, state(t, l), "a refused transaction changes nothing")
			assert.Equal(t, beforeJournal, journal.String(), "and writes nothing")
		})
	}
}

func TestBalanceOverflowIsRefused(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	big := "999999999999999999999999999999.99"
	_, err := l.Post(pay("a", "council-budget", "hub-cash", big, ledger.Grant, officer, uuid.Nil, day(2025, 5, 1)))
	require.NoError(t, err)
	before := state(t, l)
	_, err = l.Post(pay("b", "council-budget", "hub-cash", "1", ledger.Grant, officer, uuid.Nil, day(2025, 5, 2)))
	require.ErrorIs(t, err, ledger.ErrInvalidTransaction)
	require.ErrorIs(t, err, coprod.ErrOverflow)
	assert.Equal(t, before, state(t, l))
}

func TestMemorandumBooksStayApart(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	_, err := l.Post(pay("grant", "council-budget", "temple-cash", "500", ledger.Grant, officer, id("d"), day(2025, 5, 1)))
	require.NoError(t, err)
	labour := ledger.Transaction{
		ID: id("labour"), Kind: ledger.UnpaidLabour, Effective: day(2025, 5, 2), Recorded: day(2025, 5, 2),
		Postings:  []ledger.Posting{{Account: id("temple-hours-given"), Amount: hours("-60")}, {Account: id("service-hours-received"), Amount: hours("60")}},
		Formality: ledger.Formality{DecidedBy: temple},
		Labour:    &ledger.Labour{Hours: hours("60"), Method: ledger.ReplacementCost, Rate: gbp("14.50"), Low: gbp("12.21"), High: gbp("18.75"), WageSource: "IAPT practitioner, 2025"},
	}
	_, err = l.Post(labour)
	require.NoError(t, err)
	cash, err := l.Balance(id("temple-cash"))
	require.NoError(t, err)
	assert.Equal(t, "500.00 GBP", cash.String(), "labour never reaches cash")
	given, err := l.Balance(id("temple-hours-given"))
	require.NoError(t, err)
	assert.Equal(t, "-60.00 hours", given.String())

	// Labour postings must match the hours on the labour record.
	labour.ID = id("labour-2")
	labour.Labour = &ledger.Labour{Hours: hours("50"), Method: ledger.ReplacementCost, Rate: gbp("14.50")}
	_, err = l.Post(labour)
	assert.ErrorIs(t, err, ledger.ErrInvalidLabour)
	// Time credits post credits, not hours.
	credit := ledger.Transaction{
		ID: id("credit"), Kind: ledger.TimeCredit, Effective: day(2025, 5, 2), Recorded: day(2025, 5, 2),
		Postings:  []ledger.Posting{{Account: id("temple-hours-given"), Amount: hours("-2")}, {Account: id("service-hours-received"), Amount: hours("2")}},
		Formality: ledger.Formality{DecidedBy: hub},
		Labour:    &ledger.Labour{Hours: hours("2"), Method: ledger.TimeCreditMethod},
	}
	_, err = l.Post(credit)
	assert.ErrorIs(t, err, ledger.ErrUnitMismatch)
	credit.Postings = []ledger.Posting{{Account: id("hub-credits"), Amount: coprod.MustParseAmount("-2", coprod.Credits)}, {Account: id("volunteer-credits"), Amount: coprod.MustParseAmount("2", coprod.Credits)}}
	_, err = l.Post(credit)
	require.NoError(t, err)
}

func TestIdempotency(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	tx := pay("grant", "council-budget", "hub-cash", "1000", ledger.Grant, officer, id("d"), day(2025, 5, 1))
	tx.Metadata = map[string]string{"ref": "G-1"}
	first, err := l.Post(tx)
	require.NoError(t, err)
	assert.False(t, first.Duplicate)
	again, err := l.Post(tx)
	require.NoError(t, err)
	assert.True(t, again.Duplicate)
	assert.Equal(t, first.Seq, again.Seq)
	bal, _ := l.Balance(id("hub-cash"))
	assert.Equal(t, "1000.00 GBP", bal.String(), "posted once")

	tx.Metadata["ref"] = "G-2" // the caller's map: the ledger kept its own copy
	_, err = l.Post(tx)
	assert.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
	stored, _ := l.Transaction(tx.ID)
	assert.Equal(t, "G-1", stored.Metadata["ref"])

	changed := pay("grant", "council-budget", "hub-cash", "1000.01", ledger.Grant, officer, id("d"), day(2025, 5, 1))
	_, err = l.Post(changed)
	assert.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
}

func TestReverse(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	_, err := l.Post(pay("grant", "council-budget", "hub-cash", "1000", ledger.Grant, officer, id("d"), day(2025, 5, 1)))
	require.NoError(t, err)
	req := ledger.ReversalRequest{ID: id("rev"), Of: id("grant"), By: council, Reason: "paid to the wrong body", Effective: day(2025, 5, 3), Recorded: day(2025, 5, 3)}
	r, err := l.Reverse(req)
	require.NoError(t, err)
	assert.False(t, r.Duplicate)
	for _, a := range []string{"council-budget", "hub-cash"} {
		bal, _ := l.Balance(id(a))
		assert.True(t, bal.IsZero(), a)
	}
	rev, ok := l.Transaction(id("rev"))
	require.True(t, ok)
	assert.Equal(t, ledger.Reversal, rev.Kind)
	assert.Equal(t, id("grant"), rev.Reverses)
	assert.Equal(t, id("d"), rev.Formality.Instrument)
	by, ok := l.ReversedBy(id("grant"))
	assert.True(t, ok)
	assert.Equal(t, id("rev"), by)

	again, err := l.Reverse(req)
	require.NoError(t, err)
	assert.True(t, again.Duplicate, "retrying the same reversal is idempotent")

	before := state(t, l)
	req.ID = id("rev-2")
	_, err = l.Reverse(req)
	assert.ErrorIs(t, err, ledger.ErrAlreadyReversed)
	_, err = l.Reverse(ledger.ReversalRequest{ID: id("rev-3"), Of: id("rev"), By: council, Effective: day(2025, 5, 4), Recorded: day(2025, 5, 4)})
	assert.ErrorIs(t, err, ledger.ErrNotReversible)
	_, err = l.Reverse(ledger.ReversalRequest{ID: id("rev-4"), Of: id("nothing"), By: council, Effective: day(2025, 5, 4), Recorded: day(2025, 5, 4)})
	assert.ErrorIs(t, err, ledger.ErrUnknownTransaction)
	assert.Equal(t, before, state(t, l))
}

func TestHolds(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	_, err := l.Post(pay("grant", "council-budget", "hub-cash", "10000", ledger.Grant, officer, id("d"), day(2025, 4, 1)))
	require.NoError(t, err)
	hold := ledger.Hold{ID: id("hold"), Kind: ledger.ProjectFunding, From: id("hub-cash"), To: id("temple-cash"),
		Amount: gbp("3000"), Expires: day(2026, 4, 1), Against: id("grant"), Recorded: day(2025, 5, 1),
		Formality: ledger.Formality{Instrument: id("d"), Scope: "commission/mental-health/iapt", DecidedBy: director}}
	_, err = l.PlaceHold(hold)
	require.NoError(t, err)
	r, err := l.PlaceHold(hold)
	require.NoError(t, err)
	assert.True(t, r.Duplicate)
	held, _ := l.Held(id("hub-cash"))
	assert.Equal(t, "3000.00 GBP", held.String())
	report, err := l.BudgetVsActual(id("grant"))
	require.NoError(t, err)
	assert.Equal(t, "3000.00 GBP", report.Committed.String())

	before := state(t, l)
	_, err = l.Capture(ledger.CaptureRequest{Hold: id("hold"), ID: id("capture"), Amount: gbp("3000.01"), Effective: day(2025, 6, 1), Recorded: day(2025, 6, 1), By: director})
	assert.ErrorIs(t, err, ledger.ErrOverHold, "posting more than is held is refused")
	assert.ErrorIs(t, l.Expire(id("hold"), day(2025, 6, 1)), ledger.ErrHoldNotExpired)
	assert.Equal(t, before, state(t, l))

	c, err := l.Capture(ledger.CaptureRequest{Hold: id("hold"), ID: id("capture"), Amount: gbp("2500"), Effective: day(2025, 6, 1), Recorded: day(2025, 6, 1), By: director})
	require.NoError(t, err)
	assert.Equal(t, id("capture"), c.ID)
	again, err := l.Capture(ledger.CaptureRequest{Hold: id("hold"), ID: id("capture"), Amount: gbp("2500"), Effective: day(2025, 6, 1), Recorded: day(2025, 6, 1), By: director})
	require.NoError(t, err)
	assert.True(t, again.Duplicate)
	bal, _ := l.Balance(id("temple-cash"))
	assert.Equal(t, "2500.00 GBP", bal.String(), "part captured; the rest released")
	held, _ = l.Held(id("hub-cash"))
	assert.True(t, held.IsZero())

	_, err = l.Capture(ledger.CaptureRequest{Hold: id("hold"), ID: id("capture-2"), Amount: gbp("500"), Effective: day(2025, 6, 2), Recorded: day(2025, 6, 2), By: director})
	assert.ErrorIs(t, err, ledger.ErrHoldResolved)
	assert.ErrorIs(t, l.Void(ledger.VoidRequest{Hold: id("hold"), By: director, At: day(2025, 6, 2), Reason: "changed mind"}), ledger.ErrHoldResolved)
	assert.ErrorIs(t, l.Expire(id("hold"), day(2026, 5, 1)), ledger.ErrHoldResolved)

	report, err = l.BudgetVsActual(id("grant"))
	require.NoError(t, err)
	assert.Equal(t, "10000.00 GBP", report.Budget.String())
	assert.Equal(t, "2500.00 GBP", report.Actual.String())
	assert.Equal(t, "7500.00 GBP", report.Remaining.String())

	// Void and expire, each once.
	for _, name := range []string{"h-void", "h-expire"} {
		h := hold
		h.ID, h.Recorded = id(name), day(2025, 6, 3)
		_, err = l.PlaceHold(h)
		require.NoError(t, err)
	}
	require.NoError(t, l.Void(ledger.VoidRequest{Hold: id("h-void"), By: director, At: day(2025, 7, 1), Reason: "project cancelled"}))
	require.NoError(t, l.Expire(id("h-expire"), day(2026, 4, 1)))
	assert.ErrorIs(t, l.Void(ledger.VoidRequest{Hold: id("h-expire"), By: director, At: day(2026, 4, 2), Reason: ""}), ledger.ErrHoldResolved)
	assert.ErrorIs(t, l.Void(ledger.VoidRequest{Hold: id("no-hold"), By: director, At: day(2026, 4, 2), Reason: ""}), ledger.ErrUnknownHold)
	var resolutions []ledger.Resolution
	for h := range l.Holds() {
		resolutions = append(resolutions, h.Resolution.Resolution)
	}
	assert.Equal(t, []ledger.Resolution{ledger.Captured, ledger.Voided, ledger.Expired}, resolutions)

	bad := hold
	bad.ID, bad.To = id("h-memo"), id("temple-donated")
	_, err = l.PlaceHold(bad)
	assert.ErrorIs(t, err, ledger.ErrMixedBooks)
}

func TestBalancesAtEffectiveAndRecordedTime(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	_, err := l.Post(pay("may", "council-budget", "hub-cash", "100", ledger.Grant, officer, id("d"), day(2025, 5, 1)))
	require.NoError(t, err)
	// Recorded in July, effective in June: back-dated.
	late := pay("june", "council-budget", "hub-cash", "40", ledger.Grant, officer, id("d"), day(2025, 6, 1))
	late.Recorded = day(2025, 7, 1)
	_, err = l.Post(late)
	require.NoError(t, err)

	at := day(2025, 6, 15)
	eff, err := l.BalanceAt(id("hub-cash"), at)
	require.NoError(t, err)
	rec, err := l.BalanceRecordedAt(id("hub-cash"), at)
	require.NoError(t, err)
	assert.Equal(t, "140.00 GBP", eff.String(), "the back-dated entry counts as of its effective time")
	assert.Equal(t, "100.00 GBP", rec.String(), "but the books on 15 June did not yet show it")
	_, err = l.BalanceAt(id("nowhere"), at)
	assert.ErrorIs(t, err, ledger.ErrUnknownAccount)
}

func TestConcurrentPosting(t *testing.T) {
	l := newLedger(t, ledger.Options{Journal: &bytes.Buffer{}})
	const workers, each = 8, 10_000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				tx := pay(fmt.Sprint("w", w, "-", i), "council-budget", "hub-cash", "0.01", ledger.Payment, officer, uuid.Nil, day(2025, 5, 1))
				if _, err := l.Post(tx); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	// Concurrent retries of one ID post it once.
	retry := pay("retried", "council-budget", "temple-cash", "7", ledger.Payment, officer, uuid.Nil, day(2025, 5, 1))
	var fresh sync.Map
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				r, err := l.Post(retry)
				if err != nil {
					t.Error(err)
					return
				}
				if !r.Duplicate {
					fresh.Store(r.Seq, true)
				}
			}
		}()
	}
	wg.Wait()
	hubBal, _ := l.Balance(id("hub-cash"))
	assert.Equal(t, "800.00 GBP", hubBal.String(), "8 × 10,000 × £0.01 exactly")
	templeBal, _ := l.Balance(id("temple-cash"))
	assert.Equal(t, "7.00 GBP", templeBal.String(), "the retried transaction posted once")
	n := 0
	fresh.Range(func(any, any) bool { n++; return true })
	assert.Equal(t, 1, n)
	assert.Equal(t, workers*each+1+len(accounts), l.Head().Seq)
}
