package governance_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chainRegister is the council's mandate delegated to the hub director,
// who delegates to the temple's lead; a second officer holds the same post
// as the director, under the same mandate.
func chainRegister(t *testing.T) *governance.Register {
	t.Helper()
	r := governance.NewRegister()
	for _, p := range []coprod.Party{
		{ID: id("council"), Name: "Council", Sector: coprod.Statutory},
		{ID: id("director"), Name: "Director", Sector: coprod.Individual},
		{ID: id("successor"), Name: "Successor", Sector: coprod.Individual},
		{ID: id("lead"), Name: "Temple lead", Sector: coprod.Individual},
		{ID: id("temple"), Name: "Temple", Sector: coprod.Community},
		{ID: id("stranger"), Name: "Stranger", Sector: coprod.Individual},
	} {
		require.NoError(t, r.AddParty(p))
	}
	require.NoError(t, r.AddMandate(governance.Mandate{ID: id("m"), Holder: id("council"), Scope: sc("commission"),
		TransactionLimit: gbp("50000"), JointThreshold: gbp("10000"), MaxDepth: 3,
		Window: coprod.Window{NotBefore: date(2025, 1, 1)}}))
	for _, who := range []string{"director", "successor"} {
		require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-" + who), Parent: id("m"), From: id("council"), To: id(who),
			Scope: sc("commission/mental-health"), TransactionLimit: gbp("20000"), JointThreshold: gbp("5000"),
			CumulativeLimit: gbp("100000"), Period: governance.PeriodFinancialYear, MaySubDelegate: true, MaxDepth: 1,
			Window: coprod.Window{NotBefore: date(2025, 1, 1)}}))
	}
	require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-lead"), Parent: id("d-director"), From: id("director"), To: id("lead"),
		Scope: sc("commission/mental-health/iapt"), TransactionLimit: gbp("5000"), JointThreshold: gbp("5000"),
		CumulativeLimit: gbp("20000"), Period: governance.PeriodMonth, Window: coprod.Window{NotBefore: date(2025, 1, 1)}}))
	return r
}

func denialCodes(err error) []governance.Code {
	var d *governance.DeniedError
	if !errors.As(err, &d) {
		return nil
	}
	var out []governance.Code
	for _, r := range d.Reasons {
		out = append(out, r.Code)
	}
	return out
}

func TestPermit(t *testing.T) {
	r := chainRegister(t)
	now := date(2025, 6, 10)
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		london = nil // no zone data: periods fall back to UTC, the test still runs
	}
	spend := coprod.Permission{Decider: id("lead"), Scope: "commission/mental-health/iapt", Amount: gbp("1000"),
		Instrument: id("d-lead"), Payers: []coprod.PartyID{id("council")}, Beneficiaries: []coprod.PartyID{id("temple")},
		Recorded: now, Location: london}
	proof, err := r.Permit(spend)
	require.NoError(t, err)
	require.Len(t, proof.Path, 3, "mandate, director, lead")
	assert.Equal(t, id("m"), proof.Path[0].ID)
	assert.False(t, proof.Path[0].Limit.IsSet(), "the mandate has no cumulative limit")
	assert.Equal(t, "100000.00 GBP", proof.Path[1].Limit.String())
	assert.Equal(t, "20000.00 GBP", proof.Path[2].Limit.String())
	if london != nil {
		assert.Equal(t, time.Date(2025, 3, 31, 23, 0, 0, 0, time.UTC), proof.Path[1].Period.NotBefore,
			"the financial year begins at midnight London time, in summer time")
		assert.Equal(t, time.Date(2025, 5, 31, 23, 0, 0, 0, time.UTC), proof.Path[2].Period.NotBefore)
	}
	leaf, ok := proof.Leaf()
	require.True(t, ok)
	assert.Equal(t, id("d-lead"), leaf.ID)
	assert.True(t, proof.Holds(id("council")))

	tests := []struct {
		name string
		edit func(p *coprod.Permission)
		want []governance.Code
	}{
		{"money of a party not on the path", func(p *coprod.Permission) { p.Payers = []coprod.PartyID{id("temple")} },
			[]governance.Code{governance.CodeForeignAccount}},
		{"a payment to the decider without a second signatory", func(p *coprod.Permission) {
			p.Beneficiaries = []coprod.PartyID{id("lead")}
		}, []governance.Code{governance.CodeSelfPayment}},
		{"a second signatory whose authority comes through the decider", func(p *coprod.Permission) {
			p.Decider, p.Instrument, p.Scope = id("director"), id("d-director"), "commission/mental-health/iapt"
			p.Beneficiaries, p.Approvers = []coprod.PartyID{id("director")}, []coprod.PartyID{id("lead")}
		}, []governance.Code{governance.CodeSelfPayment, governance.CodeApproverNoAuthority}},
		{"credits against a pounds threshold", func(p *coprod.Permission) {
			p.Amount = coprod.MustParseAmount("3", coprod.Credits)
		}, []governance.Code{governance.CodeUnitMismatch}},
		{"effective before the delegations existed in force", func(p *coprod.Permission) {
			p.Effective = date(2024, 12, 31)
		}, []governance.Code{governance.CodeNotYetValid}},
		{"a discretionary record spending someone else's money", func(p *coprod.Permission) {
			p.Instrument, p.Scope = uuid.Nil, ""
		}, []governance.Code{governance.CodeForeignAccount}},
		{"no recorded time", func(p *coprod.Permission) { p.Recorded = time.Time{} }, []governance.Code{governance.CodeInvalidRequest}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := spend
			tt.edit(&p)
			_, err := r.Permit(p)
			require.Error(t, err)
			for _, c := range tt.want {
				assert.Contains(t, denialCodes(err), c)
			}
		})
	}

	t.Run("a payment to the decider with an independent signatory", func(t *testing.T) {
		p := spend
		p.Decider, p.Instrument, p.Scope = id("director"), id("d-director"), "commission/mental-health"
		p.Beneficiaries, p.Approvers = []coprod.PartyID{id("director")}, []coprod.PartyID{id("successor")}
		_, err := r.Permit(p)
		assert.NoError(t, err, "the successor's authority does not come through the director")
	})
}

func TestPermitOnPrior(t *testing.T) {
	r := chainRegister(t)
	now := date(2025, 6, 10)
	original, err := r.Permit(coprod.Permission{Decider: id("lead"), Scope: "commission/mental-health/iapt", Amount: gbp("1000"),
		Instrument: id("d-lead"), Payers: []coprod.PartyID{id("council")}, Recorded: now})
	require.NoError(t, err)
	prior := &coprod.Prior{Decider: id("lead"), Proof: &original, Payers: []coprod.PartyID{id("council")}}
	correct := func(by string, amount coprod.Amount) error {
		_, err := r.Permit(coprod.Permission{Decider: id(by), Scope: "commission/mental-health/iapt", Amount: amount,
			Instrument: id("d-lead"), Payers: []coprod.PartyID{id("council")}, Recorded: now.AddDate(0, 0, 1), Prior: prior})
		return err
	}
	for _, by := range []string{"lead", "director", "council"} {
		assert.NoError(t, correct(by, coprod.Amount{}), "%s is on the proof path", by)
	}
	assert.ErrorIs(t, correct("stranger", coprod.Amount{}), governance.ErrNotEntitled)
	assert.ErrorIs(t, correct("temple", coprod.Amount{}), governance.ErrNotEntitled, "the beneficiary cannot undo its own grant")
	// A capture decided above the leaf is held to the superior's own
	// limits now.
	assert.NoError(t, correct("director", gbp("4000")))
	assert.ErrorIs(t, correct("director", gbp("25000")), governance.ErrOverLimit)

	// The director leaves; the successor in the same post acts on the
	// director's commitments.
	directorsOwn, err := r.Permit(coprod.Permission{Decider: id("director"), Scope: "commission/mental-health", Amount: gbp("1000"),
		Instrument: id("d-director"), Payers: []coprod.PartyID{id("council")}, Recorded: now})
	require.NoError(t, err)
	require.NoError(t, r.Revoke(governance.Revocation{Link: id("d-director"), By: id("council"), At: date(2025, 6, 11), Reason: "left"}))
	_, err = r.Permit(coprod.Permission{Decider: id("successor"), Scope: "commission/mental-health", Instrument: id("d-director"),
		Recorded: date(2025, 6, 12), Prior: &coprod.Prior{Decider: id("director"), Proof: &directorsOwn}})
	assert.NoError(t, err, "a successor holding the same scope under the same parent")
	_, err = r.Permit(coprod.Permission{Decider: id("director"), Scope: "commission/mental-health", Instrument: id("d-director"),
		Recorded: date(2025, 6, 12), Prior: &coprod.Prior{Decider: id("director"), Proof: &directorsOwn}})
	assert.ErrorIs(t, err, governance.ErrRevoked, "the decider's own link no longer stands")

	// A discretionary record: its decider or a party whose money it spent.
	disc := &coprod.Prior{Decider: id("council"), Payers: []coprod.PartyID{id("council")}}
	_, err = r.Permit(coprod.Permission{Decider: id("council"), Recorded: now, Prior: disc})
	assert.NoError(t, err)
	_, err = r.Permit(coprod.Permission{Decider: id("stranger"), Recorded: now, Prior: disc})
	assert.ErrorIs(t, err, governance.ErrNotEntitled)
	// A person acting for the payer corrects it for them.
	templeGrant := &coprod.Prior{Decider: id("temple"), Payers: []coprod.PartyID{id("temple")}}
	_, err = r.Permit(coprod.Permission{Decider: id("lead"), Recorded: now, Prior: templeGrant})
	assert.ErrorIs(t, err, governance.ErrNotEntitled, "the lead does not act for the temple yet")
	require.NoError(t, r.ActFor(governance.ActingFor{ID: id("lead-for-temple"), Person: id("lead"), For: id("temple"), Role: governance.RoleOfficer}))
	_, err = r.Permit(coprod.Permission{Decider: id("lead"), Recorded: now, Prior: templeGrant})
	assert.NoError(t, err)
}

func TestEarliestRevocationWins(t *testing.T) {
	r := chainRegister(t)
	// The director revokes the lead's delegation a year ahead; the council
	// revokes it from today, and the earlier one stands.
	require.NoError(t, r.Revoke(governance.Revocation{Link: id("d-lead"), By: id("director"), At: date(2026, 6, 1), Reason: "planned"}))
	require.NoError(t, r.Revoke(governance.Revocation{Link: id("d-lead"), By: id("council"), At: date(2025, 6, 1), Reason: "now"}))
	err := r.Revoke(governance.Revocation{Link: id("d-lead"), By: id("council"), At: date(2025, 7, 1), Reason: "later"})
	assert.ErrorIs(t, err, governance.ErrAlreadyRevoked)
	d := r.Authorize(governance.Request{Actor: id("lead"), Scope: sc("commission/mental-health/iapt")}, date(2025, 6, 2))
	assert.False(t, d.Allowed)
	assert.Contains(t, codes(d), governance.CodeRevoked)
	assert.Len(t, r.Revocations(), 2, "both are kept")
}

// TestUsageRunsWithoutTheLock calls back into the register from the
// caller's Usage, which would deadlock if Authorize held its lock.
func TestUsageRunsWithoutTheLock(t *testing.T) {
	r := chainRegister(t)
	done := make(chan governance.Decision)
	go func() {
		n := 0
		usage := governance.UsageFunc(func(uuid.UUID, coprod.Window) (coprod.Amount, error) {
			n++
			_ = r.AddParty(coprod.Party{ID: uuid.New(), Name: "added from usage", Sector: coprod.Community})
			return gbp("0"), nil
		})
		done <- r.Authorize(governance.Request{Actor: id("lead"), Scope: sc("commission/mental-health/iapt"), Amount: gbp("100"), Usage: usage}, date(2025, 6, 2))
	}()
	select {
	case d := <-done:
		assert.True(t, d.Allowed, "%v", d.Reasons)
	case <-time.After(2 * time.Minute): // a hang detector, not a timing
		t.Fatal("Authorize deadlocked: the caller's Usage ran under the register's lock")
	}
}

// TestDenialAtLimits checks the shape of the worst denial: reasons capped
// with a count of the rest, and each capped link's usage asked once.
func TestDenialAtLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds nine thousand delegations")
	}
	r, req, at, calls := denialAtLimits(t)
	d := r.Authorize(req, at)
	require.False(t, d.Allowed)
	assert.Len(t, d.Reasons, governance.MaxReasons)
	assert.Positive(t, d.Omitted)
	assert.LessOrEqual(t, *calls, (governance.MaxApprovers+1)*governance.MaxHeldPerParty+governance.MaxChainDepth,
		"usage is asked once per distinct capped link")
	assert.Contains(t, d.Err().Error(), "more")
}
