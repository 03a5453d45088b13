package ledger_test

// The attack catalogue: every row is an attempt to move money, or to gain
// authority, that the partnership never granted, made through a
// governance.Register used as the ledger's Authorizer (as README wires it),
// or through the register alone. A refused attack must name its specific
// reason and change nothing: not a balance, a transaction, a hold, the
// journal head, nor the register. The few rows that expect success are the
// controls that show the refusal next to them is for the stated reason.
//
// A row that fails here is a defect, not a flaky test: do not relax it.

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func aid(name string) uuid.UUID { return id("attack:" + name) }

// Parties of the attacked partnership.
var (
	aCouncil   = aid("council")   // holds the root mandate
	aHub       = aid("hub")       // delegate of the council, sub-delegates to its officers
	aTemple    = aid("temple")    // community group, paid by the partnership
	aChurch    = aid("church")    // community group, paid by the partnership
	aDirector  = aid("director")  // council's delegate, capped at £1,000 a month
	aOfficer   = aid("officer")   // director's sub-delegate, recused for the temple
	aClerk     = aid("clerk")     // director's other sub-delegate
	aSuccessor = aid("successor") // holds the director's scope under the same mandate
	aTreasurer = aid("treasurer") // hub's delegate, joint threshold £5,000
	aChair     = aid("chair")     // hub's delegate, interest in the temple
	aDeputy    = aid("deputy")    // treasurer's sub-delegate
	aManager   = aid("manager")   // council's delegate, £1,000 a financial year, no transaction limit
	aStranger  = aid("stranger")  // holds nothing
)

// Links of the attacked register.
var (
	mCouncil   = aid("m-council")
	dDirector  = aid("d-director")
	dOfficer   = aid("d-officer")
	dClerk     = aid("d-clerk")
	dSuccessor = aid("d-successor")
	dHub       = aid("d-hub")
	dTreasurer = aid("d-treasurer")
	dChair     = aid("d-chair")
	dDeputy    = aid("d-deputy")
	dManager   = aid("d-manager")
)

const aScope = "commission/mental-health/iapt"

// at is a working day of 2025 at 10:00 UTC.
func at(m time.Month, d int) time.Time { return time.Date(2025, m, d, 10, 0, 0, 0, time.UTC) }

var aWindow = coprod.Window{NotBefore: day(2025, 4, 1), Expires: day(2026, 4, 1)}

func attackRegister(t testing.TB) *governance.Register {
	t.Helper()
	r := governance.NewRegister()
	for _, p := range []coprod.Party{
		{ID: aCouncil, Name: "Council", Sector: coprod.Statutory},
		{ID: aHub, Name: "Hub", Sector: coprod.Hub},
		{ID: aTemple, Name: "Temple", Sector: coprod.Community},
		{ID: aChurch, Name: "Church", Sector: coprod.Community},
		{ID: aDirector, Name: "Director", Sector: coprod.Individual},
		{ID: aOfficer, Name: "Officer", Sector: coprod.Individual},
		{ID: aClerk, Name: "Clerk", Sector: coprod.Individual},
		{ID: aSuccessor, Name: "Successor", Sector: coprod.Individual},
		{ID: aTreasurer, Name: "Treasurer", Sector: coprod.Individual},
		{ID: aChair, Name: "Chair", Sector: coprod.Individual},
		{ID: aDeputy, Name: "Deputy", Sector: coprod.Individual},
		{ID: aManager, Name: "Manager", Sector: coprod.Individual},
		{ID: aStranger, Name: "Stranger", Sector: coprod.Individual},
	} {
		require.NoError(t, r.AddParty(p))
	}
	require.NoError(t, r.AddMandate(governance.Mandate{ID: mCouncil, Holder: aCouncil, Scope: "commission", Basis: "Care Act 2014",
		Reserved: []governance.Scope{"commission/budget-setting"}, MaxDepth: 3}))
	capped := func(id, parent uuid.UUID, from, to coprod.PartyID, scope governance.Scope, tx string, sub bool, depth int) governance.Delegation {
		return governance.Delegation{ID: id, Parent: parent, From: from, To: to, Scope: scope,
			TransactionLimit: gbp(tx), CumulativeLimit: gbp("1000"), Period: governance.PeriodMonth,
			Window: aWindow, MaySubDelegate: sub, MaxDepth: depth}
	}
	for _, d := range []governance.Delegation{
		capped(dDirector, mCouncil, aCouncil, aDirector, "commission/mental-health", "5000", true, 1),
		capped(dOfficer, dDirector, aDirector, aOfficer, aScope, "1000", false, 0),
		capped(dClerk, dDirector, aDirector, aClerk, aScope, "1000", false, 0),
		capped(dSuccessor, mCouncil, aCouncil, aSuccessor, "commission/mental-health", "500", false, 0),
		{ID: dHub, Parent: mCouncil, From: aCouncil, To: aHub, Scope: "commission/mental-health",
			TransactionLimit: gbp("50000"), JointThreshold: gbp("5000"), MaySubDelegate: true, MaxDepth: 2},
		{ID: dTreasurer, Parent: dHub, From: aHub, To: aTreasurer, Scope: "commission/mental-health",
			TransactionLimit: gbp("10000"), JointThreshold: gbp("5000"), MaySubDelegate: true, MaxDepth: 1},
		{ID: dChair, Parent: dHub, From: aHub, To: aChair, Scope: "commission/mental-health",
			TransactionLimit: gbp("10000"), JointThreshold: gbp("5000")},
		{ID: dDeputy, Parent: dTreasurer, From: aTreasurer, To: aDeputy, Scope: "commission/mental-health",
			TransactionLimit: gbp("10000"), JointThreshold: gbp("5000")},
		{ID: dManager, Parent: mCouncil, From: aCouncil, To: aManager, Scope: "commission/mental-health",
			CumulativeLimit: gbp("1000"), Period: governance.PeriodFinancialYear},
	} {
		require.NoError(t, r.Delegate(d), "%s", d.ID)
	}
	require.NoError(t, r.Declare(governance.Interest{ID: aid("i-chair"), Holder: aChair, In: aTemple, Category: governance.Financial,
		Description: "trustee of the temple", Declared: day(2025, 4, 1)}))
	require.NoError(t, r.Declare(governance.Interest{ID: aid("i-officer"), Holder: aOfficer, In: aTemple, Category: governance.NonFinancialPersonal,
		Description: "member of the temple", Declared: day(2025, 4, 1)}))
	require.NoError(t, r.Recuse(governance.Recusal{Interest: aid("i-officer"), Scope: "commission/mental-health", At: day(2025, 4, 2),
		Reason: "steps out of mental-health funding"}))
	return r
}

var attackAccounts = []ledger.Account{
	{ID: aid("council-budget"), Owner: aCouncil, Name: "Council budget", Kind: ledger.Budget, Unit: coprod.GBP},
	{ID: aid("hub-cash"), Owner: aHub, Name: "Hub bank", Kind: ledger.Cash, Unit: coprod.GBP},
	{ID: aid("temple-cash"), Owner: aTemple, Name: "Temple bank", Kind: ledger.Cash, Unit: coprod.GBP},
	{ID: aid("temple-costs"), Owner: aTemple, Name: "Temple costs", Kind: ledger.Expense, Unit: coprod.GBP},
	{ID: aid("church-cash"), Owner: aChurch, Name: "Church bank", Kind: ledger.Cash, Unit: coprod.GBP},
	{ID: aid("director-cash"), Owner: aDirector, Name: "Director's own account", Kind: ledger.Cash, Unit: coprod.GBP},
	{ID: aid("chair-cash"), Owner: aChair, Name: "Chair's own account", Kind: ledger.Cash, Unit: coprod.GBP},
}

// env is one attacked partnership: its register, its ledger (periods in
// London, as a UK partnership gives) and the ledger's journal.
type env struct {
	t       *testing.T
	reg     *governance.Register
	l       *ledger.Ledger
	journal *bytes.Buffer
}

var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return loc
}()

func newEnv(t *testing.T) *env {
	e := &env{t: t, reg: attackRegister(t), journal: &bytes.Buffer{}}
	e.l = ledger.New(ledger.Options{Authorizer: e.reg, Journal: e.journal, Location: london})
	for _, a := range attackAccounts {
		require.NoError(t, e.l.Open(a))
	}
	return e
}

// leg is one posting: account name and signed amount.
type leg struct {
	acct string
	amt  string
}

func legs(from, to, amount string) []leg { return []leg{{from, "-" + amount}, {to, amount}} }

// tx builds a financial transaction recorded and effective at when, each
// approver approving at when.
func tx(name string, by, instrument uuid.UUID, when time.Time, ls []leg, approvers ...coprod.PartyID) ledger.Transaction {
	t := ledger.Transaction{ID: aid(name), Kind: ledger.ProjectFunding, Effective: when, Recorded: when,
		Formality: ledger.Formality{Instrument: instrument, Scope: aScope, DecidedBy: by}}
	for _, a := range approvers {
		t.Formality.Approvers = append(t.Formality.Approvers, ledger.Approval{Party: a, At: when, Ref: "signed " + name})
	}
	for _, l := range ls {
		t.Postings = append(t.Postings, ledger.Posting{Account: aid(l.acct), Amount: gbp(l.amt)})
	}
	return t
}

func (e *env) post(t ledger.Transaction) error {
	_, err := e.l.Post(t)
	return err
}

// must runs a legitimate step of a row's history.
func (e *env) must(err error) {
	e.t.Helper()
	require.NoError(e.t, err)
}

// spend posts a legitimate payment from the council's budget to the church.
func (e *env) spend(name string, by, instrument uuid.UUID, when time.Time, amount string) {
	e.t.Helper()
	e.must(e.post(tx(name, by, instrument, when, legs("council-budget", "church-cash", amount))))
}

func hold(name string, by, instrument uuid.UUID, when time.Time, amount string, expires time.Time) ledger.Hold {
	return ledger.Hold{ID: aid(name), Kind: ledger.Grant, From: aid("council-budget"), To: aid("church-cash"), Amount: gbp(amount),
		Expires: expires, Recorded: when, Formality: ledger.Formality{Instrument: instrument, Scope: aScope, DecidedBy: by}}
}

func (e *env) place(h ledger.Hold) {
	e.t.Helper()
	_, err := e.l.PlaceHold(h)
	e.must(err)
}

func (e *env) capture(holdName, name string, by coprod.PartyID, when time.Time, amount string) error {
	_, err := e.l.Capture(ledger.CaptureRequest{Hold: aid(holdName), ID: aid(name), Amount: gbp(amount), Effective: when, Recorded: when, By: by})
	return err
}

func (e *env) reverse(of, name string, by coprod.PartyID, when time.Time) error {
	_, err := e.l.Reverse(ledger.ReversalRequest{ID: aid(name), Of: aid(of), By: by, Reason: "attack", Effective: when, Recorded: when})
	return err
}

func (e *env) revoke(link uuid.UUID, by coprod.PartyID, when time.Time) {
	e.t.Helper()
	e.must(e.reg.Revoke(governance.Revocation{Link: link, By: by, At: when, Reason: "review"}))
}

func (e *env) registerJSON() string {
	e.t.Helper()
	b, err := e.reg.MarshalJSON()
	require.NoError(e.t, err)
	return string(b)
}

// sub is a delegation below the director's, valid but for what a row
// changes.
func sub(mutate func(*governance.Delegation)) governance.Delegation {
	d := governance.Delegation{ID: aid("d-new"), Parent: dDirector, From: aDirector, To: aStranger, Scope: aScope,
		TransactionLimit: gbp("500"), CumulativeLimit: gbp("500"), Period: governance.PeriodMonth, Window: aWindow}
	mutate(&d)
	return d
}

type attackCase struct {
	name string
	// setup is the legitimate history before the attack.
	setup func(e *env)
	// attack is the attempt; its error is the refusal.
	attack func(e *env) error
	// want is the specific sentinel the refusal must match; nil for a
	// control that must succeed.
	want error
	// alt, if set, is another sentinel that answers the attack as well
	// (a record refused as malformed rather than as unauthorised).
	alt error
}

func attackCatalogue() []attackCase {
	return []attackCase{
		// ----- Register: authority that was never granted -----
		{name: "self-delegation", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.To = aDirector }))
		}, want: governance.ErrSelfDelegation},
		{name: "child scope wider than parent", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.Scope = "commission" }))
		}, want: governance.ErrScopeExceedsParent},
		{name: "child scope sharing a string prefix, not a segment", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.Scope = "commission/mental-health-services" }))
		}, want: governance.ErrScopeExceedsParent},
		{name: "child transaction limit above parent", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.TransactionLimit = gbp("5000.01") }))
		}, want: governance.ErrLimitExceedsParent},
		{name: "child without the parent's transaction limit", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.TransactionLimit = coprod.Amount{} }))
		}, want: governance.ErrLimitExceedsParent},
		{name: "child cumulative limit above parent", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.CumulativeLimit = gbp("1000.01") }))
		}, want: governance.ErrCumulativeExceedsParent},
		{name: "child without the parent's cumulative limit", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.CumulativeLimit, d.Period = coprod.Amount{}, "" }))
		}, want: governance.ErrCumulativeExceedsParent},
		{name: "child joint threshold above parent", attack: func(e *env) error {
			return e.reg.Delegate(governance.Delegation{ID: aid("d-new"), Parent: dTreasurer, From: aTreasurer, To: aStranger, Scope: aScope,
				TransactionLimit: gbp("10000"), JointThreshold: gbp("5000.01")})
		}, want: governance.ErrJointExceedsParent},
		{name: "child without the parent's joint threshold", attack: func(e *env) error {
			return e.reg.Delegate(governance.Delegation{ID: aid("d-new"), Parent: dTreasurer, From: aTreasurer, To: aStranger, Scope: aScope,
				TransactionLimit: gbp("10000")})
		}, want: governance.ErrJointExceedsParent},
		{name: "child window outlasting parent", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.Window.Expires = day(2026, 4, 2) }))
		}, want: governance.ErrWindowExceedsParent},
		{name: "child with no window under a windowed parent", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.Window = coprod.Window{} }))
		}, want: governance.ErrWindowExceedsParent},
		{name: "child deeper than parent allows", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.MaySubDelegate, d.MaxDepth = true, 1 }))
		}, want: governance.ErrDepthExceedsParent},
		{name: "sub-delegation where parent forbids it", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.Parent, d.From = dOfficer, aOfficer }))
		}, want: governance.ErrSubDelegationForbidden},
		{name: "reserved matter delegated", attack: func(e *env) error {
			return e.reg.Delegate(governance.Delegation{ID: aid("d-new"), Parent: mCouncil, From: aCouncil, To: aStranger, Scope: "commission/budget-setting"})
		}, want: governance.ErrReservedMatter},
		{name: "reserved matter inside a wider delegation", attack: func(e *env) error {
			return e.reg.Delegate(governance.Delegation{ID: aid("d-new"), Parent: mCouncil, From: aCouncil, To: aStranger, Scope: "commission"})
		}, want: governance.ErrReservedMatter},
		{name: "part of a reserved matter delegated", attack: func(e *env) error {
			return e.reg.Delegate(governance.Delegation{ID: aid("d-new"), Parent: mCouncil, From: aCouncil, To: aStranger, Scope: "commission/budget-setting/capital"})
		}, want: governance.ErrReservedMatter},
		{name: "delegation cycle back to the mandate holder", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.To = aCouncil }))
		}, want: governance.ErrCycle},
		{name: "delegating from a revoked parent", setup: func(e *env) {
			e.revoke(dDirector, aCouncil, at(6, 1))
		}, attack: func(e *env) error {
			return e.reg.Delegate(sub(func(*governance.Delegation) {}))
		}, want: governance.ErrParentRevoked},
		{name: "delegating from an unknown parent", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.Parent = aid("forged-link") }))
		}, want: governance.ErrUnknownParent},
		{name: "delegating a parent one does not hold", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.Parent, d.From = dHub, aOfficer }))
		}, want: governance.ErrNoAuthority},
		{name: "delegating to an unregistered party", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.To = aid("nobody") }))
		}, want: governance.ErrUnknownParty},
		{name: "child limit in hours under a pound limit", attack: func(e *env) error {
			return e.reg.Delegate(sub(func(d *governance.Delegation) { d.TransactionLimit, d.CumulativeLimit = hours("5"), hours("5") }))
		}, want: governance.ErrUnitMismatch},
		{name: "revoke by the revoked link's own sub-delegate", attack: func(e *env) error {
			return e.reg.Revoke(governance.Revocation{Link: dDirector, By: aOfficer, At: at(6, 1)})
		}, want: governance.ErrNotRevoker},
		{name: "revoke by a stranger", attack: func(e *env) error {
			return e.reg.Revoke(governance.Revocation{Link: dHub, By: aStranger, At: at(6, 1)})
		}, want: governance.ErrNotRevoker},
		{name: "revoke by a sibling delegate", attack: func(e *env) error {
			return e.reg.Revoke(governance.Revocation{Link: dOfficer, By: aClerk, At: at(6, 1)})
		}, want: governance.ErrNotRevoker},
		{name: "reassume by a stranger", attack: func(e *env) error {
			return e.reg.Reassume(governance.Reassumption{Link: dDirector, By: aStranger, Scope: aScope, At: at(6, 1)})
		}, want: governance.ErrNotRevoker},
		{name: "later revocation to push a revocation back", setup: func(e *env) {
			e.revoke(dOfficer, aDirector, at(7, 1))
		}, attack: func(e *env) error {
			return e.reg.Revoke(governance.Revocation{Link: dOfficer, By: aDirector, At: day(2026, 1, 1)})
		}, want: governance.ErrAlreadyRevoked},
		{name: "decoded document with a child wider than its parent", attack: func(e *env) error {
			doc := e.registerJSON()
			i := strings.Index(doc, `"id":"`+dOfficer.String()+`"`)
			require.Positive(e.t, i)
			cap := `"cumulative_limit":{"value":"1000.00"`
			require.Contains(e.t, doc[i:], cap)
			doc = doc[:i] + strings.Replace(doc[i:], cap, `"cumulative_limit":{"value":"1000.01"`, 1) // the officer's cap above the director's
			return e.reg.UnmarshalJSON([]byte(doc))
		}, want: governance.ErrCumulativeExceedsParent},

		// ----- The time rule -----
		{name: "back-dating after revocation", setup: func(e *env) {
			e.revoke(dDirector, aCouncil, day(2025, 6, 1))
		}, attack: func(e *env) error {
			t := tx("backdated", aDirector, dDirector, day(2025, 7, 1), legs("council-budget", "church-cash", "100"))
			t.Effective = day(2025, 5, 31)
			return e.post(t)
		}, want: governance.ErrRevoked},
		{name: "expired delegate back-dating into its window", attack: func(e *env) error {
			t := tx("backdated", aDirector, dDirector, day(2026, 4, 15), legs("council-budget", "church-cash", "100"))
			t.Effective = day(2026, 3, 20)
			return e.post(t)
		}, want: governance.ErrExpired},
		{name: "back-dating before the window opened", attack: func(e *env) error {
			t := tx("backdated", aDirector, dDirector, at(6, 2), legs("council-budget", "church-cash", "100"))
			t.Effective = day(2025, 3, 15)
			return e.post(t)
		}, want: governance.ErrNotYetValid},
		{name: "forward-dating past expiry", attack: func(e *env) error {
			t := tx("forward", aDirector, dDirector, day(2026, 3, 1), legs("council-budget", "church-cash", "100"))
			t.Effective = day(2026, 5, 1)
			return e.post(t)
		}, want: governance.ErrExpired},
		{name: "recorded time stepped back beyond skew to before a revocation", setup: func(e *env) {
			e.revoke(dDirector, aCouncil, at(6, 15))
			e.spend("later", aTreasurer, dTreasurer, at(7, 1), "10")
		}, attack: func(e *env) error {
			return e.post(tx("lie", aDirector, dDirector, at(6, 14), legs("council-budget", "church-cash", "100")))
		}, want: ledger.ErrRecordedTimeBehind},
		{name: "recorded time stepped back just beyond skew", setup: func(e *env) {
			e.spend("later", aTreasurer, dTreasurer, at(7, 1), "10")
		}, attack: func(e *env) error {
			return e.post(tx("lie", aTreasurer, dTreasurer, at(7, 1).Add(-ledger.DefaultMaxSkew-time.Second), legs("council-budget", "church-cash", "10")))
		}, want: ledger.ErrRecordedTimeBehind},
		{name: "control: year-end accrual while March is open", attack: func(e *env) error {
			t := tx("accrual", aTreasurer, dTreasurer, time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC), legs("hub-cash", "church-cash", "500"))
			t.Effective = time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
			return e.post(t)
		}},
		{name: "year-end accrual after March is closed", setup: func(e *env) {
			_, err := e.l.ClosePeriod(ledger.Closing{Through: time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC), // midnight London, 1 April
				Recorded: time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC), By: aCouncil, Reason: "year end"})
			e.must(err)
		}, attack: func(e *env) error {
			t := tx("accrual", aTreasurer, dTreasurer, time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC), legs("hub-cash", "church-cash", "500"))
			t.Effective = time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
			return e.post(t)
		}, want: ledger.ErrPeriodClosed},
		{name: "reversal effective in a closed period", setup: func(e *env) {
			e.spend("march", aTreasurer, dTreasurer, time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC), "500")
			_, err := e.l.ClosePeriod(ledger.Closing{Through: time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC),
				Recorded: time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC), By: aCouncil, Reason: "year end"})
			e.must(err)
		}, attack: func(e *env) error {
			_, err := e.l.Reverse(ledger.ReversalRequest{ID: aid("rev"), Of: aid("march"), By: aTreasurer,
				Effective: time.Date(2026, 3, 25, 10, 0, 0, 0, time.UTC), Recorded: time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC)})
			return err
		}, want: ledger.ErrPeriodClosed},

		// ----- Cumulative caps -----
		{name: "open hold counts against the cap", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
		}, attack: func(e *env) error {
			return e.post(tx("p", aDirector, dDirector, at(6, 3), legs("council-budget", "church-cash", "300")))
		}, want: ledger.ErrOverCumulative},
		{name: "control: a voided hold releases the cap", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
			e.must(e.l.Void(ledger.VoidRequest{Hold: aid("h"), By: aDirector, At: at(6, 3), Reason: "cancelled"}))
		}, attack: func(e *env) error {
			return e.post(tx("p", aDirector, dDirector, at(6, 3), legs("council-budget", "church-cash", "300")))
		}},
		{name: "a captured hold keeps counting as spending", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
			e.must(e.capture("h", "c", aDirector, at(6, 3), "800"))
		}, attack: func(e *env) error {
			return e.post(tx("p", aDirector, dDirector, at(6, 4), legs("council-budget", "church-cash", "300")))
		}, want: ledger.ErrOverCumulative},
		{name: "an expired hold releases the cap only once expired", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", at(6, 20)))
			require.ErrorIs(e.t, e.l.Expire(aid("h"), at(6, 10)), ledger.ErrHoldNotExpired)
		}, attack: func(e *env) error {
			return e.post(tx("p", aDirector, dDirector, at(6, 10), legs("council-budget", "church-cash", "300")))
		}, want: ledger.ErrOverCumulative},
		{name: "child-first spending past the parent's cap", setup: func(e *env) {
			e.spend("child", aOfficer, dOfficer, at(6, 2), "600")
		}, attack: func(e *env) error {
			return e.post(tx("parent", aDirector, dDirector, at(6, 3), legs("council-budget", "church-cash", "600")))
		}, want: ledger.ErrOverCumulative},
		{name: "parent-first spending past the parent's cap", setup: func(e *env) {
			e.spend("parent", aDirector, dDirector, at(6, 2), "600")
		}, attack: func(e *env) error {
			return e.post(tx("child", aOfficer, dOfficer, at(6, 3), legs("council-budget", "church-cash", "600")))
		}, want: ledger.ErrOverCumulative},
		{name: "two siblings together past the parent's cap", setup: func(e *env) {
			e.spend("officer", aOfficer, dOfficer, at(6, 2), "600")
		}, attack: func(e *env) error {
			return e.post(tx("clerk", aClerk, dClerk, at(6, 3), legs("council-budget", "church-cash", "600")))
		}, want: ledger.ErrOverCumulative},
		{name: "forward-dating into a fresh month does not escape a full cap", setup: func(e *env) {
			e.spend("june", aDirector, dDirector, at(6, 5), "1000")
		}, attack: func(e *env) error {
			t := tx("july", aDirector, dDirector, at(6, 20), legs("council-budget", "church-cash", "100"))
			t.Effective = at(7, 2)
			return e.post(t)
		}, want: ledger.ErrOverCumulative},
		{name: "control: a reversal releases the cap", setup: func(e *env) {
			e.spend("first", aDirector, dDirector, at(6, 2), "1000")
			e.must(e.reverse("first", "rev", aDirector, at(6, 3)))
		}, attack: func(e *env) error {
			return e.post(tx("again", aDirector, dDirector, at(6, 4), legs("council-budget", "church-cash", "1000")))
		}},
		{name: "a reversal in a later month does not credit that month", setup: func(e *env) {
			e.spend("june", aDirector, dDirector, at(6, 2), "1000")
			e.spend("july", aDirector, dDirector, at(7, 2), "1000")
			e.must(e.reverse("june", "rev", aDirector, at(7, 3)))
		}, attack: func(e *env) error {
			return e.post(tx("more", aDirector, dDirector, at(7, 4), legs("council-budget", "church-cash", "1")))
		}, want: ledger.ErrOverCumulative},
		{name: "spending at 23:30 London on 31 March counts in the old financial year", setup: func(e *env) {
			e.spend("march", aManager, dManager, time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC), "1000")
		}, attack: func(e *env) error {
			return e.post(tx("late", aManager, dManager, time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC), legs("council-budget", "church-cash", "1")))
		}, want: ledger.ErrOverCumulative},
		{name: "control: at midnight London on 1 April the new financial year opens", setup: func(e *env) {
			e.spend("march", aManager, dManager, time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC), "1000")
		}, attack: func(e *env) error {
			return e.post(tx("april", aManager, dManager, time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC), legs("council-budget", "church-cash", "1000")))
		}},
		{name: "a huge amount under a cap without a transaction limit", attack: func(e *env) error {
			return e.post(tx("huge", aManager, dManager, at(6, 2), legs("council-budget", "church-cash", "99999999999999999999999999999")))
		}, want: ledger.ErrOverCumulative},
		{name: "a cap split across many postings of one transaction", attack: func(e *env) error {
			var ls []leg
			for range 6 {
				ls = append(ls, legs("council-budget", "church-cash", "200")...)
			}
			return e.post(tx("split", aManager, dManager, at(6, 2), ls))
		}, want: ledger.ErrOverCumulative},

		// ----- Holds: capture and void -----
		{name: "capture above the hold", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
		}, attack: func(e *env) error {
			return e.capture("h", "c", aDirector, at(6, 3), "800.01")
		}, want: ledger.ErrOverHold},
		{name: "capture at expiry", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", at(6, 10)))
		}, attack: func(e *env) error {
			return e.capture("h", "c", aDirector, at(6, 10), "800")
		}, want: ledger.ErrHoldExpired},
		{name: "capture after expiry back-dated into the hold's life", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", at(6, 10)))
		}, attack: func(e *env) error {
			_, err := e.l.Capture(ledger.CaptureRequest{Hold: aid("h"), ID: aid("c"), Amount: gbp("800"), Effective: at(6, 9), Recorded: at(6, 11), By: aDirector})
			return err
		}, want: ledger.ErrHoldExpired},
		{name: "capture by a stranger", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
		}, attack: func(e *env) error {
			return e.capture("h", "c", aStranger, at(6, 3), "800")
		}, want: governance.ErrNotEntitled},
		{name: "capture by the decider's own sub-delegate", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "500", day(2025, 12, 1)))
		}, attack: func(e *env) error {
			return e.capture("h", "c", aOfficer, at(6, 3), "500")
		}, want: governance.ErrNotEntitled},
		{name: "zero capture by a stranger (a void in disguise)", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
		}, attack: func(e *env) error {
			_, err := e.l.Capture(ledger.CaptureRequest{Hold: aid("h"), ID: aid("c"), Amount: gbp("0"), Effective: at(6, 3), Recorded: at(6, 3), By: aStranger})
			return err
		}, want: governance.ErrNotEntitled, alt: ledger.ErrInvalidTransaction},
		{name: "void by a stranger", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
		}, attack: func(e *env) error {
			return e.l.Void(ledger.VoidRequest{Hold: aid("h"), By: aStranger, At: at(6, 3), Reason: "attack"})
		}, want: governance.ErrNotEntitled},
		{name: "capture by the decider after their delegation was revoked", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
			e.revoke(dDirector, aCouncil, at(6, 5))
		}, attack: func(e *env) error {
			return e.capture("h", "c", aDirector, at(6, 6), "800")
		}, want: governance.ErrRevoked},
		{name: "control: capture by the successor in the post", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
			e.revoke(dDirector, aCouncil, at(6, 5))
		}, attack: func(e *env) error {
			return e.capture("h", "c", aSuccessor, at(6, 6), "400")
		}},
		{name: "capture by the successor above the successor's own limit", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
			e.revoke(dDirector, aCouncil, at(6, 5))
		}, attack: func(e *env) error {
			return e.capture("h", "c", aSuccessor, at(6, 6), "800")
		}, want: governance.ErrOverLimit},
		{name: "control: capture by a holder above the decider", setup: func(e *env) {
			e.place(hold("h", aOfficer, dOfficer, at(6, 2), "500", day(2025, 12, 1)))
		}, attack: func(e *env) error {
			return e.capture("h", "c", aDirector, at(6, 3), "500")
		}},
		{name: "capture of a discretionary hold by a stranger", setup: func(e *env) {
			e.place(hold("h", aCouncil, uuid.Nil, at(6, 2), "800", day(2025, 12, 1)))
		}, attack: func(e *env) error {
			return e.capture("h", "c", aStranger, at(6, 3), "800")
		}, want: governance.ErrNotEntitled},
		{name: "a June hold captured in a July that is already full", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
			e.spend("june", aDirector, dDirector, at(6, 3), "200")
			e.spend("july", aDirector, dDirector, at(7, 2), "1000")
		}, attack: func(e *env) error {
			return e.capture("h", "c", aDirector, at(7, 3), "800")
		}, want: ledger.ErrOverCumulative},
		{name: "capture above the joint threshold alone, the hold having had a signatory", setup: func(e *env) {
			h := hold("h", aTreasurer, dTreasurer, at(6, 2), "6000", day(2025, 12, 1))
			h.From, h.Formality.Approvers = aid("hub-cash"), []ledger.Approval{{Party: aChair, At: at(6, 2)}}
			e.place(h)
		}, attack: func(e *env) error {
			return e.capture("h", "c", aTreasurer, at(6, 3), "6000")
		}, want: governance.ErrJointRequired},
		{name: "negative capture (money flowing back from the payee)", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
		}, attack: func(e *env) error {
			return e.capture("h", "c", aDirector, at(6, 3), "-100")
		}, want: ledger.ErrOverHold, alt: ledger.ErrInvalidTransaction},
		{name: "capture in hours of a pound hold", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
		}, attack: func(e *env) error {
			_, err := e.l.Capture(ledger.CaptureRequest{Hold: aid("h"), ID: aid("c"), Amount: hours("100"), Effective: at(6, 3), Recorded: at(6, 3), By: aDirector})
			return err
		}, want: ledger.ErrUnitMismatch},
		{name: "capture effective in a closed period", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
			_, err := e.l.ClosePeriod(ledger.Closing{Through: day(2025, 6, 30).Add(23 * time.Hour), Recorded: at(7, 2), By: aCouncil, Reason: "June closed"})
			e.must(err)
		}, attack: func(e *env) error {
			_, err := e.l.Capture(ledger.CaptureRequest{Hold: aid("h"), ID: aid("c"), Amount: gbp("800"), Effective: at(6, 20), Recorded: at(7, 3), By: aDirector})
			return err
		}, want: ledger.ErrPeriodClosed},
		{name: "capture under an ID already used by a payment", setup: func(e *env) {
			e.spend("p", aDirector, dDirector, at(6, 2), "100")
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
		}, attack: func(e *env) error {
			return e.capture("h", "p", aDirector, at(6, 3), "100")
		}, want: ledger.ErrIdempotencyConflict},
		{name: "void by the decider after their delegation was revoked", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
			e.revoke(dDirector, aCouncil, at(6, 5))
		}, attack: func(e *env) error {
			return e.l.Void(ledger.VoidRequest{Hold: aid("h"), By: aDirector, At: at(6, 6), Reason: "spite"})
		}, want: governance.ErrRevoked, alt: governance.ErrNotEntitled},
		{name: "void recorded behind the latest record", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
			e.spend("later", aTreasurer, dTreasurer, at(6, 10), "10")
		}, attack: func(e *env) error {
			return e.l.Void(ledger.VoidRequest{Hold: aid("h"), By: aDirector, At: at(6, 3), Reason: "back-dated"})
		}, want: ledger.ErrRecordedTimeBehind},
		{name: "capture of a hold whose ancestor link was revoked since", setup: func(e *env) {
			e.place(hold("h", aOfficer, dOfficer, at(6, 2), "500", day(2025, 12, 1)))
			e.revoke(dDirector, aCouncil, at(6, 5))
		}, attack: func(e *env) error {
			return e.capture("h", "c", aOfficer, at(6, 6), "500")
		}, want: governance.ErrRevoked, alt: governance.ErrNotEntitled},
		{name: "capture by the decider after their window closed", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, day(2026, 3, 20), "800", time.Time{}))
		}, attack: func(e *env) error {
			return e.capture("h", "c", aDirector, day(2026, 4, 2), "800")
		}, want: governance.ErrExpired, alt: governance.ErrNotEntitled},
		{name: "control: reversing a capture releases the cap", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
			e.must(e.capture("h", "c", aDirector, at(6, 3), "800"))
			e.must(e.reverse("c", "rev", aDirector, at(6, 4)))
		}, attack: func(e *env) error {
			return e.post(tx("p", aDirector, dDirector, at(6, 5), legs("council-budget", "church-cash", "1000")))
		}},
		{name: "second capture of a resolved hold", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
			e.must(e.capture("h", "c", aDirector, at(6, 3), "300"))
		}, attack: func(e *env) error {
			return e.capture("h", "c2", aDirector, at(6, 4), "500")
		}, want: ledger.ErrHoldResolved},
		{name: "self-payment placed with a signatory, captured alone", setup: func(e *env) {
			h := hold("h", aDirector, dDirector, at(6, 2), "500", day(2025, 12, 1))
			h.To, h.Formality.Approvers = aid("director-cash"), []ledger.Approval{{Party: aCouncil, At: at(6, 2), Ref: "minute 7"}}
			e.place(h)
		}, attack: func(e *env) error {
			return e.capture("h", "c", aDirector, at(6, 3), "500")
		}, want: governance.ErrSelfPayment},

		// ----- Corrections -----
		{name: "reversal by a stranger", setup: func(e *env) {
			e.spend("p", aDirector, dDirector, at(6, 2), "500")
		}, attack: func(e *env) error {
			return e.reverse("p", "rev", aStranger, at(6, 3))
		}, want: governance.ErrNotEntitled},
		{name: "reversal by the decider's sub-delegate", setup: func(e *env) {
			e.spend("p", aDirector, dDirector, at(6, 2), "500")
		}, attack: func(e *env) error {
			return e.reverse("p", "rev", aOfficer, at(6, 3))
		}, want: governance.ErrNotEntitled},
		{name: "control: reversal by the decider", setup: func(e *env) {
			e.spend("p", aDirector, dDirector, at(6, 2), "500")
		}, attack: func(e *env) error {
			return e.reverse("p", "rev", aDirector, at(6, 3))
		}},
		{name: "control: reversal by a holder above the decider", setup: func(e *env) {
			e.spend("p", aDirector, dDirector, at(6, 2), "500")
		}, attack: func(e *env) error {
			return e.reverse("p", "rev", aCouncil, at(6, 3))
		}},
		{name: "reversal of a capture by a stranger", setup: func(e *env) {
			e.place(hold("h", aDirector, dDirector, at(6, 2), "800", day(2025, 12, 1)))
			e.must(e.capture("h", "c", aDirector, at(6, 3), "800"))
		}, attack: func(e *env) error {
			return e.reverse("c", "rev", aStranger, at(6, 4))
		}, want: governance.ErrNotEntitled},
		{name: "reversal of a discretionary payment by a stranger", setup: func(e *env) {
			e.must(e.post(tx("p", aCouncil, uuid.Nil, at(6, 2), legs("council-budget", "church-cash", "500"))))
		}, attack: func(e *env) error {
			return e.reverse("p", "rev", aStranger, at(6, 3))
		}, want: governance.ErrNotEntitled},
		{name: "reversal by the decider after their delegation was revoked", setup: func(e *env) {
			e.spend("p", aDirector, dDirector, at(6, 2), "500")
			e.revoke(dDirector, aCouncil, at(6, 5))
		}, attack: func(e *env) error {
			return e.reverse("p", "rev", aDirector, at(6, 6))
		}, want: governance.ErrRevoked, alt: governance.ErrNotEntitled},
		{name: "control: reversal by the successor in the post", setup: func(e *env) {
			e.spend("p", aDirector, dDirector, at(6, 2), "500")
			e.revoke(dDirector, aCouncil, at(6, 5))
		}, attack: func(e *env) error {
			return e.reverse("p", "rev", aSuccessor, at(6, 6))
		}},
		{name: "reversal under an ID already used by a payment", setup: func(e *env) {
			e.spend("p", aDirector, dDirector, at(6, 2), "500")
			e.spend("q", aDirector, dDirector, at(6, 2), "100")
		}, attack: func(e *env) error {
			return e.reverse("p", "q", aDirector, at(6, 3))
		}, want: ledger.ErrIdempotencyConflict},
		{name: "second reversal", setup: func(e *env) {
			e.spend("p", aDirector, dDirector, at(6, 2), "500")
			e.must(e.reverse("p", "rev", aDirector, at(6, 3)))
		}, attack: func(e *env) error {
			return e.reverse("p", "rev2", aCouncil, at(6, 4))
		}, want: ledger.ErrAlreadyReversed},
		{name: "reversal of a reversal", setup: func(e *env) {
			e.spend("p", aDirector, dDirector, at(6, 2), "500")
			e.must(e.reverse("p", "rev", aDirector, at(6, 3)))
		}, attack: func(e *env) error {
			return e.reverse("rev", "rev2", aCouncil, at(6, 4))
		}, want: ledger.ErrNotReversible},
		{name: "posting a reversal by hand", setup: func(e *env) {
			e.spend("p", aDirector, dDirector, at(6, 2), "500")
		}, attack: func(e *env) error {
			t := tx("rev", aStranger, dDirector, at(6, 3), legs("church-cash", "council-budget", "500"))
			t.Kind, t.Reverses = ledger.Reversal, aid("p")
			return e.post(t)
		}, want: ledger.ErrInvalidTransaction},

		// ----- Whose money -----
		{name: "paying from another party's account under one's own delegation", attack: func(e *env) error {
			return e.post(tx("p", aDirector, dDirector, at(6, 2), legs("temple-cash", "church-cash", "100")))
		}, want: governance.ErrForeignAccount},
		{name: "discretionary payment from another party's account", attack: func(e *env) error {
			return e.post(tx("p", aOfficer, uuid.Nil, at(6, 2), legs("council-budget", "church-cash", "100")))
		}, want: governance.ErrForeignAccount},
		{name: "a foreign payer hidden among many postings", attack: func(e *env) error {
			var ls []leg
			for range 9 {
				ls = append(ls, legs("council-budget", "church-cash", "10")...)
			}
			ls = append(ls, legs("temple-cash", "church-cash", "0.01")...)
			return e.post(tx("p", aDirector, dDirector, at(6, 2), ls))
		}, want: governance.ErrForeignAccount},
		{name: "moving money within another party's own books", attack: func(e *env) error {
			return e.post(tx("p", aDirector, dDirector, at(6, 2), legs("temple-cash", "temple-costs", "900")))
		}, want: governance.ErrForeignAccount},
		{name: "owner on both sides, gaining on balance while its bank is drained", attack: func(e *env) error {
			return e.post(tx("p", aDirector, dDirector, at(6, 2), []leg{{"council-budget", "-100"}, {"temple-cash", "-900"}, {"temple-costs", "1000"}}))
		}, want: governance.ErrForeignAccount},
		{name: "hold on another party's account", attack: func(e *env) error {
			h := hold("h", aDirector, dDirector, at(6, 2), "100", day(2025, 12, 1))
			h.From = aid("temple-cash")
			_, err := e.l.PlaceHold(h)
			return err
		}, want: governance.ErrForeignAccount},

		// ----- Who gains: conflicts and self-payment -----
		{name: "paying oneself without a second signatory", attack: func(e *env) error {
			return e.post(tx("p", aDirector, dDirector, at(6, 2), legs("council-budget", "director-cash", "100")))
		}, want: governance.ErrSelfPayment},
		{name: "paying oneself with one's own sub-delegate as second signatory", attack: func(e *env) error {
			return e.post(tx("p", aDirector, dDirector, at(6, 2), legs("council-budget", "director-cash", "100"), aOfficer))
		}, want: governance.ErrSelfPayment},
		{name: "control: paying oneself with an independent second signatory", attack: func(e *env) error {
			return e.post(tx("p", aDirector, dDirector, at(6, 2), legs("council-budget", "director-cash", "100"), aCouncil))
		}},
		{name: "paying oneself through a split of beneficiaries", attack: func(e *env) error {
			return e.post(tx("p", aDirector, dDirector, at(6, 2), []leg{{"council-budget", "-100"}, {"church-cash", "99"}, {"director-cash", "1"}}))
		}, want: governance.ErrSelfPayment},
		{name: "approver who is the beneficiary above the joint threshold", attack: func(e *env) error {
			return e.post(tx("p", aTreasurer, dTreasurer, at(6, 2), legs("hub-cash", "chair-cash", "6000"), aChair))
		}, want: governance.ErrJointRequired},
		{name: "conflict of interest without recusal", attack: func(e *env) error {
			return e.post(tx("p", aChair, dChair, at(6, 2), legs("hub-cash", "temple-cash", "100")))
		}, want: governance.ErrConflictOfInterest},
		{name: "deciding in a matter one has recused from", attack: func(e *env) error {
			return e.post(tx("p", aOfficer, dOfficer, at(6, 2), legs("council-budget", "temple-cash", "100")))
		}, want: governance.ErrConflictOfInterest},
		{name: "approver with a conflict of interest", attack: func(e *env) error {
			return e.post(tx("p", aTreasurer, dTreasurer, at(6, 2), legs("hub-cash", "temple-cash", "6000"), aChair))
		}, want: governance.ErrApproverConflict},

		// ----- Joint authorisation -----
		{name: "above the joint threshold alone", attack: func(e *env) error {
			return e.post(tx("p", aTreasurer, dTreasurer, at(6, 2), legs("hub-cash", "church-cash", "6000")))
		}, want: governance.ErrJointRequired},
		{name: "joint threshold split across postings", attack: func(e *env) error {
			var ls []leg
			for range 6 {
				ls = append(ls, legs("hub-cash", "church-cash", "1000")...)
			}
			return e.post(tx("p", aTreasurer, dTreasurer, at(6, 2), ls))
		}, want: governance.ErrJointRequired},
		{name: "second signatory is the requester's own sub-delegate", attack: func(e *env) error {
			return e.post(tx("p", aTreasurer, dTreasurer, at(6, 2), legs("hub-cash", "church-cash", "6000"), aDeputy))
		}, want: governance.ErrJointRequired},
		// A record's approvals are validated with its shape, so a
		// duplicate is refused before the authority is asked.
		{name: "the same signatory twice", attack: func(e *env) error {
			return e.post(tx("p", aTreasurer, dTreasurer, at(6, 2), legs("hub-cash", "church-cash", "6000"), aChair, aChair))
		}, want: ledger.ErrInvalidTransaction},
		{name: "self-approval", attack: func(e *env) error {
			return e.post(tx("p", aTreasurer, dTreasurer, at(6, 2), legs("hub-cash", "church-cash", "6000"), aTreasurer))
		}, want: governance.ErrSelfApproval},
		{name: "signatory without authority", attack: func(e *env) error {
			return e.post(tx("p", aTreasurer, dTreasurer, at(6, 2), legs("hub-cash", "church-cash", "6000"), aStranger))
		}, want: governance.ErrApproverNoAuthority},
		{name: "control: above the joint threshold with a peer signatory", attack: func(e *env) error {
			return e.post(tx("p", aTreasurer, dTreasurer, at(6, 2), legs("hub-cash", "church-cash", "6000"), aChair))
		}},
		{name: "credits measured against a pound joint threshold", attack: func(e *env) error {
			_, err := e.reg.Permit(coprod.Permission{Decider: aTreasurer, Scope: aScope, Amount: coprod.MustParseAmount("6000", coprod.Credits),
				Instrument: dTreasurer, Payers: []coprod.PartyID{aHub}, Beneficiaries: []coprod.PartyID{aChurch}, Recorded: at(6, 2)})
			return err
		}, want: governance.ErrUnitMismatch},
		{name: "hours measured against a pound transaction limit", attack: func(e *env) error {
			_, err := e.reg.Permit(coprod.Permission{Decider: aDirector, Scope: aScope, Amount: hours("6000"),
				Instrument: dDirector, Payers: []coprod.PartyID{aCouncil}, Beneficiaries: []coprod.PartyID{aChurch}, Recorded: at(6, 2)})
			return err
		}, want: governance.ErrUnitMismatch},

		// ----- Scope, instrument and revocation -----
		{name: "spending on a reserved matter under a delegation", attack: func(e *env) error {
			t := tx("p", aDirector, dDirector, at(6, 2), legs("council-budget", "church-cash", "100"))
			t.Formality.Scope = "commission/budget-setting"
			return e.post(t)
		}, want: governance.ErrScopeNotCovered},
		{name: "claiming another's instrument", attack: func(e *env) error {
			return e.post(tx("p", aOfficer, dDirector, at(6, 2), legs("council-budget", "church-cash", "100")))
		}, want: governance.ErrNotInstrument},
		{name: "a stranger's zero-value record under a real instrument", attack: func(e *env) error {
			return e.post(tx("p", aStranger, dDirector, at(6, 2), legs("council-budget", "church-cash", "0")))
		}, want: ledger.ErrNotAuthorized, alt: ledger.ErrInvalidTransaction},
		{name: "a stranger's zero-value discretionary record on another's budget", attack: func(e *env) error {
			return e.post(tx("p", aStranger, uuid.Nil, at(6, 2), legs("council-budget", "church-cash", "0")))
		}, want: governance.ErrForeignAccount, alt: ledger.ErrInvalidTransaction},
		{name: "a delegator's future-dated revocation does not block the superior's", setup: func(e *env) {
			e.revoke(dOfficer, aDirector, day(2026, 1, 1))
			e.revoke(dOfficer, aCouncil, at(6, 15))
		}, attack: func(e *env) error {
			return e.post(tx("p", aOfficer, dOfficer, at(7, 1), legs("council-budget", "church-cash", "100")))
		}, want: governance.ErrRevoked},
		{name: "spending in a reassumed scope through the link below", setup: func(e *env) {
			e.must(e.reg.Reassume(governance.Reassumption{Link: dDirector, By: aCouncil, Scope: aScope, At: at(6, 10), Reason: "in house"}))
		}, attack: func(e *env) error {
			return e.post(tx("p", aOfficer, dOfficer, at(6, 11), legs("council-budget", "church-cash", "100")))
		}, want: governance.ErrReassumed},
		{name: "cash moved as if it were unpaid labour", attack: func(e *env) error {
			t := tx("p", aStranger, uuid.Nil, at(6, 2), legs("council-budget", "church-cash", "900"))
			t.Kind, t.Labour = ledger.UnpaidLabour, &ledger.Labour{Hours: hours("60"), Method: ledger.ReplacementCost, Rate: gbp("15")}
			return e.post(t)
		}, want: ledger.ErrMixedBooks},
		{name: "cash moved as if it were an in-kind gift", attack: func(e *env) error {
			t := tx("p", aStranger, uuid.Nil, at(6, 2), legs("council-budget", "church-cash", "900"))
			t.Kind = ledger.InKind
			return e.post(t)
		}, want: ledger.ErrMixedBooks},
		{name: "more signatories than a record may carry", attack: func(e *env) error {
			return e.post(tx("p", aTreasurer, dTreasurer, at(6, 2), legs("hub-cash", "church-cash", "6000"),
				aChair, aCouncil, aHub, aDirector, aSuccessor, aManager, aClerk, aDeputy, aOfficer))
		}, want: ledger.ErrInvalidTransaction},
		{name: "claiming the root mandate as one's instrument", attack: func(e *env) error {
			return e.post(tx("p", aDirector, mCouncil, at(6, 2), legs("council-budget", "church-cash", "100")))
		}, want: governance.ErrNotInstrument},
		{name: "a self-made mandate spending the council's money", setup: func(e *env) {
			e.must(e.reg.AddMandate(governance.Mandate{ID: aid("m-stranger"), Holder: aStranger, Scope: "commission", Basis: "says so", MaxDepth: 1}))
		}, attack: func(e *env) error {
			return e.post(tx("p", aStranger, aid("m-stranger"), at(6, 2), legs("council-budget", "church-cash", "100")))
		}, want: governance.ErrForeignAccount},
		{name: "an uncapped second path granted by a self-made mandate", setup: func(e *env) {
			e.must(e.reg.AddMandate(governance.Mandate{ID: aid("m-stranger"), Holder: aStranger, Scope: "commission", Basis: "says so", MaxDepth: 1}))
			e.must(e.reg.Delegate(governance.Delegation{ID: aid("d-stranger"), Parent: aid("m-stranger"), From: aStranger, To: aDirector, Scope: "commission"}))
			e.spend("june", aDirector, dDirector, at(6, 2), "1000")
		}, attack: func(e *env) error {
			return e.post(tx("p", aDirector, aid("d-stranger"), at(6, 3), legs("council-budget", "church-cash", "100")))
		}, want: governance.ErrForeignAccount},
		{name: "forward-dating past a known revocation", setup: func(e *env) {
			e.revoke(dDirector, aCouncil, day(2025, 6, 1))
		}, attack: func(e *env) error {
			t := tx("p", aDirector, dDirector, at(5, 30), legs("council-budget", "church-cash", "100"))
			t.Effective = at(6, 2)
			return e.post(t)
		}, want: governance.ErrRevoked},
		{name: "spending at 23:30 London on 30 June counts in June", setup: func(e *env) {
			e.spend("june", aDirector, dDirector, at(6, 5), "1000")
		}, attack: func(e *env) error {
			return e.post(tx("late", aDirector, dDirector, time.Date(2025, 6, 30, 22, 30, 0, 0, time.UTC), legs("council-budget", "church-cash", "1")))
		}, want: ledger.ErrOverCumulative},
		{name: "control: at midnight London on 1 July a new month opens", setup: func(e *env) {
			e.spend("june", aDirector, dDirector, at(6, 5), "1000")
		}, attack: func(e *env) error {
			return e.post(tx("july", aDirector, dDirector, time.Date(2025, 6, 30, 23, 0, 0, 0, time.UTC), legs("council-budget", "church-cash", "1000")))
		}},
		{name: "a conflicted beneficiary hidden among many", attack: func(e *env) error {
			return e.post(tx("p", aChair, dChair, at(6, 2), []leg{{"hub-cash", "-100"}, {"church-cash", "99.99"}, {"temple-cash", "0.01"}}))
		}, want: governance.ErrConflictOfInterest},
		{name: "paying oneself with a second signatory who gains too", attack: func(e *env) error {
			return e.post(tx("p", aDirector, dDirector, at(6, 2), []leg{{"council-budget", "-100"}, {"director-cash", "50"}, {"chair-cash", "50"}}, aChair))
		}, want: governance.ErrSelfPayment},
		{name: "discretionary hold on another party's account", attack: func(e *env) error {
			_, err := e.l.PlaceHold(hold("h", aOfficer, uuid.Nil, at(6, 2), "100", day(2025, 12, 1)))
			return err
		}, want: governance.ErrForeignAccount},
		{name: "a forged proof carried on a transaction", attack: func(e *env) error {
			t := tx("p", aStranger, uuid.Nil, at(6, 2), legs("council-budget", "church-cash", "100"))
			t.Proof = &coprod.Proof{Path: []coprod.ProofLink{{ID: mCouncil, To: aStranger, Scope: "commission"}}}
			return e.post(t)
		}, want: ledger.ErrInvalidTransaction},
		{name: "a forged proof carried on a hold", attack: func(e *env) error {
			h := hold("h", aStranger, uuid.Nil, at(6, 2), "100", day(2025, 12, 1))
			h.Proof = &coprod.Proof{Path: []coprod.ProofLink{{ID: mCouncil, To: aStranger, Scope: "commission"}}}
			_, err := e.l.PlaceHold(h)
			return err
		}, want: ledger.ErrInvalidTransaction},
		{name: "reusing a transaction's ID with other content", setup: func(e *env) {
			e.spend("p", aDirector, dDirector, at(6, 2), "100")
		}, attack: func(e *env) error {
			return e.post(tx("p", aStranger, dDirector, at(6, 2), legs("council-budget", "church-cash", "100")))
		}, want: ledger.ErrIdempotencyConflict},
		{name: "a strict ledger refuses discretion", attack: func(e *env) error {
			strict := ledger.New(ledger.Options{Authorizer: e.reg, Strict: true})
			for _, a := range attackAccounts {
				e.must(strict.Open(a))
			}
			_, err := strict.Post(tx("p", aCouncil, uuid.Nil, at(6, 2), legs("council-budget", "church-cash", "100")))
			return err
		}, want: ledger.ErrDiscretionary},
	}
}

func TestAttackCatalogue(t *testing.T) {
	cases := attackCatalogue()
	require.GreaterOrEqual(t, len(cases), 45)
	seen := map[string]bool{}
	for _, c := range cases {
		require.False(t, seen[c.name], "duplicate case %q", c.name)
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			if c.setup != nil {
				c.setup(e)
			}
			ledgerBefore, registerBefore, journalBefore := state(t, e.l), e.registerJSON(), e.journal.String()
			err := c.attack(e)
			if c.want == nil {
				require.NoError(t, err, "control: a legitimate record must pass")
				return
			}
			require.Error(t, err, "ATTACK SUCCEEDED: expected %v", c.want)
			if c.alt == nil || !errors.Is(err, c.alt) {
				assert.ErrorIs(t, err, c.want, "refused, but for another reason: %v", err)
			}
			var denied *governance.DeniedError
			if errors.As(err, &denied) && errors.As(err, new(*ledger.RecordError)) {
				assert.ErrorIs(t, err, ledger.ErrNotAuthorized, "a governance denial through the ledger is NOT_AUTHORIZED")
			}
			assert.Equal(t, ledgerBefore, state(t, e.l), "a refused attack changes no balance, transaction, hold or head")
			assert.Equal(t, registerBefore, e.registerJSON(), "a refused attack changes nothing in the register")
			assert.Equal(t, journalBefore, e.journal.String(), "a refused attack writes no journal line")
		})
	}
}

// TestAttackConcurrentSpendingPastCap races fifty records of £600 against a
// £1,000 monthly cap: exactly one may succeed, every time, whether all are
// posts by one delegate, posts and holds mixed, or posts by a delegate and
// the two sub-delegates under its cap.
func TestAttackConcurrentSpendingPastCap(t *testing.T) {
	rounds := 300
	if testing.Short() {
		rounds = 20
	}
	reg := attackRegister(t)
	type racer struct {
		by   coprod.PartyID
		via  uuid.UUID
		hold bool
	}
	variants := map[string]func(g int) racer{
		"posts by one delegate": func(int) racer { return racer{aDirector, dDirector, false} },
		"posts and holds mixed": func(g int) racer { return racer{aDirector, dDirector, g%2 == 1} },
		"a delegate and its sub-delegates": func(g int) racer {
			return []racer{{aDirector, dDirector, false}, {aOfficer, dOfficer, g%2 == 0}, {aClerk, dClerk, false}}[g%3]
		},
	}
	for name, racerFor := range variants {
		t.Run(name, func(t *testing.T) {
			for round := range rounds {
				l := ledger.New(ledger.Options{Authorizer: reg, Location: london})
				for _, a := range attackAccounts {
					require.NoError(t, l.Open(a))
				}
				var ok, over atomic.Int32
				var wg sync.WaitGroup
				start := make(chan struct{})
				for g := range 50 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						r := racerFor(g)
						name := fmt.Sprintf("race-%d-%d", round, g)
						<-start
						var err error
						if r.hold {
							_, err = l.PlaceHold(hold(name, r.by, r.via, at(6, 2), "600", day(2025, 12, 1)))
						} else {
							_, err = l.Post(tx(name, r.by, r.via, at(6, 2), legs("council-budget", "church-cash", "600")))
						}
						switch {
						case err == nil:
							ok.Add(1)
						case errors.Is(err, ledger.ErrOverCumulative):
							over.Add(1)
						default:
							t.Errorf("round %d: unexpected refusal: %v", round, err)
						}
					}()
				}
				close(start)
				wg.Wait()
				require.Equal(t, int32(1), ok.Load(), "round %d: exactly one record of £600 fits a £1,000 cap", round)
				require.Equal(t, int32(49), over.Load(), "round %d", round)
				june := coprod.Window{NotBefore: day(2025, 5, 31).Add(23 * time.Hour), Expires: day(2025, 6, 30).Add(23 * time.Hour)}
				spent, err := l.Spent(dDirector, june)
				require.NoError(t, err)
				assert.Equal(t, "600.00 GBP", spent.String(), "round %d: the month in London", round)
			}
		})
	}
}

// TestAttackJournal tampers with a journal of formal records: a changed
// amount, a duplicated line and a line spliced in from another ledger are
// each refused, and no ledger is rebuilt from them. A correctly hashed line
// cannot be forged without the ledger's internals, so forging is not tried.
func TestAttackJournal(t *testing.T) {
	e := newEnv(t)
	e.spend("p1", aDirector, dDirector, at(6, 2), "400")
	e.spend("p2", aTreasurer, dTreasurer, at(6, 3), "300")
	journal := e.journal.Bytes()
	lines := bytes.SplitAfter(journal, []byte("\n"))
	lines = lines[:len(lines)-1] // the empty tail after the last newline
	last := len(lines) - 1
	require.Contains(t, string(lines[last]), `"300.00"`)

	other := newEnv(t)
	other.spend("p9", aDirector, dDirector, at(6, 3), "999")
	otherLines := bytes.SplitAfter(other.journal.Bytes(), []byte("\n"))

	cases := map[string][]byte{
		"amount changed in a formal line": bytes.Join(append(append([][]byte{}, lines[:last]...),
			bytes.Replace(lines[last], []byte(`"300.00"`), []byte(`"3000.00"`), -1)), nil),
		"formal line duplicated":           bytes.Join(append(append([][]byte{}, lines...), lines[last]), nil),
		"line spliced from another ledger": bytes.Join(append(append([][]byte{}, lines[:last]...), otherLines[len(otherLines)-2]), nil),
		"proof stripped from a formal line": bytes.Join(append(append([][]byte{}, lines[:last]...),
			[]byte(stripProof(string(lines[last])))), nil),
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			require.NotEqual(t, journal, doc, "the attack changes the journal")
			_, err := ledger.Verify(bytes.NewReader(doc), nil)
			assert.ErrorIs(t, err, ledger.ErrCorruptJournal)
			back, err := ledger.Replay(bytes.NewReader(doc), ledger.Options{Authorizer: e.reg})
			assert.ErrorIs(t, err, ledger.ErrCorruptJournal)
			assert.Nil(t, back)
		})
	}

	// The sound journal replays to the same books, proofs included.
	back, err := ledger.Replay(bytes.NewReader(journal), ledger.Options{Authorizer: e.reg, Location: london})
	require.NoError(t, err)
	assert.Equal(t, state(t, e.l), state(t, back))
	p1, ok := back.Transaction(aid("p1"))
	require.True(t, ok)
	require.NotNil(t, p1.Proof)
	leaf, ok := p1.Proof.Leaf()
	require.True(t, ok)
	assert.Equal(t, dDirector, leaf.ID)
	// And the replayed ledger still enforces the cap with what it replayed.
	_, err = back.Post(tx("p3", aDirector, dDirector, at(6, 4), legs("council-budget", "church-cash", "600.01")))
	assert.ErrorIs(t, err, ledger.ErrOverCumulative)
}

func stripProof(line string) string {
	i := strings.Index(line, `,"proof":`)
	if i < 0 {
		return line
	}
	j := strings.Index(line[i:], `]}`)
	if j < 0 {
		return line
	}
	return line[:i] + line[i+j+2:]
}

// TestAttackRegisterDecoderReservedMisspelt loads a register document whose
// mandate lists its reserved matters under a misspelt key. A decoder that
// ignores unknown fields would load the mandate with nothing reserved, and
// the reserved matter could then be delegated.
func TestAttackRegisterDecoderReservedMisspelt(t *testing.T) {
	t.Skip("known defect, awaiting the strict-decoding fix: Register.UnmarshalJSON ignores unknown fields, so a mandate whose \"reserved\" key is misspelt loads with no reserved matters")
	e := newEnv(t)
	doc := e.registerJSON()
	require.Contains(t, doc, `"reserved":`)
	bad := strings.Replace(doc, `"reserved":`, `"reseved":`, 1)
	r := governance.NewRegister()
	err := r.UnmarshalJSON([]byte(bad))
	require.Error(t, err, "a register with a misspelt field must not load: its mandate would lose its reserved matters")
	assert.Zero(t, r.Len(), "a refused document leaves the register as it was")
}
