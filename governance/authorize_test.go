package governance_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spent is a Usage that reports a fixed amount for every link.
func spent(s string) governance.Usage {
	return governance.UsageFunc(func(uuid.UUID, coprod.Window) (coprod.Amount, error) { return gbp(s), nil })
}

func codes(d governance.Decision) []governance.Code {
	var out []governance.Code
	for _, r := range d.Reasons {
		out = append(out, r.Code)
	}
	return out
}

func TestAuthorizeProofPath(t *testing.T) {
	r := base(t)
	require.NoError(t, r.Delegate(templeDelegation()))
	d := r.Authorize(governance.Request{
		Actor: id("temple"), Scope: sc("commission/mental-health/iapt/sessions"), Amount: gbp("4000"), Usage: spent("0"),
	}, date(2025, 7, 1))
	require.True(t, d.Allowed, "%v", d.Reasons)
	require.NoError(t, d.Err())
	require.Len(t, d.Path, 3)
	assert.Equal(t, governance.KindMandate, d.Path[0].Kind)
	assert.Equal(t, id("m"), d.Path[0].ID)
	assert.Equal(t, id("d-hub"), d.Path[1].ID)
	assert.Equal(t, id("d-temple"), d.Path[2].ID)
	assert.Equal(t, id("hub"), d.Path[2].From)
	assert.Equal(t, id("temple"), d.Path[2].To)

	e := d.Effective
	assert.Equal(t, sc("commission/mental-health/iapt"), e.Scope)
	assert.Equal(t, "10000.00 GBP", e.TransactionLimit.String(), "minimum along the path")
	assert.Equal(t, "40000.00 GBP", e.CumulativeLimit.String())
	assert.Equal(t, "5000.00 GBP", e.JointThreshold.String())
	assert.Equal(t, coprod.Window{NotBefore: date(2025, 6, 1), Expires: date(2026, 6, 1)}, e.Window, "intersection of windows")

	// The mandate holder acts on its own mandate, reserved matters included.
	d = r.Authorize(governance.Request{Actor: id("council"), Scope: sc("commission/budget-setting")}, date(2025, 7, 1))
	require.True(t, d.Allowed, "%v", d.Reasons)
	assert.Len(t, d.Path, 1)
}

func TestAuthorizeDenials(t *testing.T) {
	at := date(2025, 7, 1)
	tests := []struct {
		name  string
		setup func(*governance.Register)
		req   governance.Request
		at    time.Time
		want  []governance.Code
		link  uuid.UUID // the link the first reason names
	}{
		{name: "over transaction limit", req: governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening"), Amount: gbp("1000.01"), Usage: spent("0")},
			at: at, want: []governance.Code{governance.CodeOverLimit, governance.CodeJointRequired}, link: id("d-leaf")},
		{name: "over cumulative limit of an ancestor", req: governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening"), Amount: gbp("900"), Usage: spent("199500")},
			at: at, want: []governance.Code{governance.CodeOverCumulative, governance.CodeOverCumulative}, link: id("d-leaf")},
		{name: "no usage supplied", req: governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening"), Amount: gbp("10")},
			at: at, want: []governance.Code{governance.CodeUsageUnavailable, governance.CodeUsageUnavailable, governance.CodeUsageUnavailable}, link: id("d-leaf")},
		{name: "expired", req: governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening")},
			at: date(2027, 5, 1), want: []governance.Code{governance.CodeExpired, governance.CodeExpired}, link: id("d-leaf")},
		{name: "not yet valid", req: governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening")},
			at: date(2025, 1, 1), want: []governance.Code{governance.CodeNotYetValid, governance.CodeNotYetValid, governance.CodeNotYetValid}, link: id("d-leaf")},
		{name: "ancestor revoked", setup: func(r *governance.Register) {
			require.NoError(t, r.Revoke(governance.Revocation{Link: id("d-hub"), By: id("council"), At: date(2025, 6, 1), Reason: "review"}))
		}, req: governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening")},
			at: at, want: []governance.Code{governance.CodeRevoked}, link: id("d-hub")},
		{name: "revocation not yet effective", setup: func(r *governance.Register) {
			require.NoError(t, r.Revoke(governance.Revocation{Link: id("d-hub"), By: id("council"), At: date(2025, 8, 1)}))
		}, req: governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening")}, at: at},
		{name: "reassumed", setup: func(r *governance.Register) {
			require.NoError(t, r.Reassume(governance.Reassumption{Link: id("d-hub"), By: id("council"), Scope: sc("commission/mental-health/listening"), At: date(2025, 6, 1)}))
		}, req: governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening")},
			at: at, want: []governance.Code{governance.CodeReassumed}, link: id("d-hub")},
		{name: "scope not covered", req: governance.Request{Actor: id("church"), Scope: sc("commission/housing")},
			at: at, want: []governance.Code{governance.CodeScopeNotCovered}},
		{name: "named instrument", req: governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening"), Via: id("d-hub")},
			at: at, want: []governance.Code{governance.CodeNotInstrument}, link: id("d-leaf")},
		{name: "unit mismatch", req: governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening"), Amount: coprod.MustParseAmount("3", coprod.Hours), Usage: spent("0")},
			at: at, want: []governance.Code{governance.CodeUnitMismatch, governance.CodeUnitMismatch, governance.CodeUnitMismatch}, link: id("d-leaf")},
		{name: "invalid request", req: governance.Request{Actor: id("church"), Scope: "Bad Scope"},
			at: at, want: []governance.Code{governance.CodeInvalidRequest}},
		{name: "negative amount", req: governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening"), Amount: gbp("-1")},
			at: at, want: []governance.Code{governance.CodeInvalidRequest}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base(t)
			if tt.setup != nil {
				tt.setup(r)
			}
			d := r.Authorize(tt.req, tt.at)
			if tt.want == nil {
				assert.True(t, d.Allowed, "%v", d.Reasons)
				return
			}
			require.False(t, d.Allowed)
			got := codes(d)
			assert.Len(t, got, len(tt.want), "%v", d.Reasons)
			assert.Subset(t, tt.want, got)
			assert.Equal(t, tt.link, d.Reasons[0].Link, "%v", d.Reasons)
			err := d.Err()
			require.ErrorIs(t, err, governance.ErrDenied)
			require.ErrorIs(t, err, d.Reasons[0].Err())
			for _, reason := range d.Reasons {
				assert.NotEmpty(t, reason.Message)
			}
		})
	}
}

func TestAuthorizeNearestPath(t *testing.T) {
	r := base(t)
	// The church holds a second, narrower delegation directly from the
	// council, for a different scope.
	require.NoError(t, r.Delegate(governance.Delegation{
		ID: id("d-direct"), Parent: id("m"), From: id("council"), To: id("church"),
		Scope: sc("commission/mental-health/listening/outreach"), TransactionLimit: gbp("500"), CumulativeLimit: gbp("500"), JointThreshold: gbp("500"),
		Window: coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2026, 4, 1)},
	}))
	require.NoError(t, r.Revoke(governance.Revocation{Link: id("d-hub"), By: id("council"), At: date(2025, 6, 1)}))
	d := r.Authorize(governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening/outreach"), Amount: gbp("600"), Usage: spent("0")}, date(2025, 7, 1))
	require.False(t, d.Allowed)
	// Every reason on both paths is listed: the revoked hub link, and the
	// direct link's limits. The nearest path is the one through the hub,
	// which fails only for its revocation.
	assert.ElementsMatch(t, []governance.Code{governance.CodeRevoked, governance.CodeOverLimit, governance.CodeOverCumulative, governance.CodeJointRequired}, codes(d))
	require.Len(t, d.Path, 3)
	assert.Equal(t, id("d-leaf"), d.Path[2].ID)

	// Out of scope entirely: the nearest path is the closest scope held.
	d = r.Authorize(governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/prevention")}, date(2025, 7, 1))
	require.False(t, d.Allowed)
	assert.Equal(t, []governance.Code{governance.CodeScopeNotCovered}, codes(d))
	assert.NotEmpty(t, d.Path)
}

func TestRevocationBreaksOnlyPathsThroughIt(t *testing.T) {
	r := base(t)
	require.NoError(t, r.AddParty(party("ccg", coprod.Statutory)))
	require.NoError(t, r.AddMandate(governance.Mandate{ID: id("m-ccg"), Holder: id("ccg"), Scope: sc("commission/mental-health"), MaxDepth: 1}))
	require.NoError(t, r.Delegate(governance.Delegation{ID: id("d-ccg-church"), Parent: id("m-ccg"), From: id("ccg"), To: id("church"), Scope: sc("commission/mental-health/listening")}))
	req := governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening")}
	at := date(2025, 7, 1)

	d := r.Authorize(req, at)
	require.True(t, d.Allowed)
	assert.Equal(t, []uuid.UUID{id("m-ccg"), id("d-ccg-church")}, []uuid.UUID{d.Path[0].ID, d.Path[1].ID}, "the shortest path proves it")

	require.NoError(t, r.Revoke(governance.Revocation{Link: id("m-ccg"), By: id("ccg"), At: date(2025, 6, 15), Reason: "merged into the ICB"}))
	d = r.Authorize(req, at)
	require.True(t, d.Allowed, "the council's path still authorises: %v", d.Reasons)
	assert.Equal(t, []uuid.UUID{id("m"), id("d-hub"), id("d-leaf")}, []uuid.UUID{d.Path[0].ID, d.Path[1].ID, d.Path[2].ID})
	assert.True(t, r.Authorize(req, date(2025, 6, 1)).Allowed, "before the revocation, either path")

	require.NoError(t, r.Revoke(governance.Revocation{Link: id("d-hub"), By: id("council"), At: date(2025, 6, 1), Reason: "review"}))
	d = r.Authorize(req, at)
	require.False(t, d.Allowed)
	assert.ElementsMatch(t, []governance.Code{governance.CodeRevoked, governance.CodeRevoked}, codes(d))
	assert.True(t, errors.Is(d.Err(), governance.ErrRevoked))
}

func TestJointAuthorisationAndSeparationOfDuties(t *testing.T) {
	r := base(t)
	require.NoError(t, r.AddParty(party("treasurer", coprod.Individual)))
	require.NoError(t, r.AddParty(party("chair", coprod.Individual)))
	require.NoError(t, r.AddParty(party("clerk", coprod.Individual)))
	for _, who := range []string{"treasurer", "chair"} {
		require.NoError(t, r.Delegate(governance.Delegation{
			ID: id("d-" + who), Parent: id("d-hub"), From: id("hub"), To: id(who),
			Scope: sc("commission/mental-health/iapt"), TransactionLimit: gbp("10000"), CumulativeLimit: gbp("50000"), JointThreshold: gbp("5000"),
			Window: coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2027, 4, 1)},
		}))
	}
	require.NoError(t, r.Declare(governance.Interest{ID: id("i-chair"), Holder: id("chair"), In: id("temple"), Category: governance.Financial, Declared: date(2025, 5, 1)}))
	at := date(2025, 7, 1)
	req := func(amount string, approvers ...string) governance.Request {
		q := governance.Request{Actor: id("treasurer"), Scope: sc("commission/mental-health/iapt"), Amount: gbp(amount), Usage: spent("0")}
		for _, a := range approvers {
			q.Approvers = append(q.Approvers, id(a))
		}
		return q
	}
	tests := []struct {
		name        string
		req         governance.Request
		beneficiary string
		want        []governance.Code
	}{
		{"at threshold needs no second signature", req("5000"), "church", nil},
		{"above threshold alone", req("5000.01"), "church", []governance.Code{governance.CodeJointRequired}},
		{"above threshold with authorised co-signatory", req("6000", "chair"), "church", nil},
		{"co-signatory without authority", req("6000", "clerk"), "church", []governance.Code{governance.CodeJointRequired, governance.CodeApproverNoAuthority}},
		{"self-approval", req("6000", "treasurer"), "church", []governance.Code{governance.CodeSelfApproval, governance.CodeJointRequired}},
		{"one person signs twice", req("6000", "chair", "chair"), "church", []governance.Code{governance.CodeDuplicateSignatory}},
		{"approver with an interest in the beneficiary", req("6000", "chair"), "temple", []governance.Code{governance.CodeApproverConflict}},
		{"requester with an interest in the beneficiary", governance.Request{Actor: id("chair"), Scope: sc("commission/mental-health/iapt"), Amount: gbp("10"), Usage: spent("0")}, "temple", []governance.Code{governance.CodeConflictOfInterest}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.req
			q.Beneficiaries = []coprod.PartyID{id(tt.beneficiary)}
			d := r.Authorize(q, at)
			if tt.want == nil {
				require.True(t, d.Allowed, "%v", d.Reasons)
				return
			}
			require.False(t, d.Allowed)
			assert.ElementsMatch(t, tt.want, codes(d), "%v", d.Reasons)
			assert.NotEmpty(t, d.Path, "the nearest path is shown even when the fault is in the request")
		})
	}
}

func TestAuthorizeAllocatesOnlyTheProofPath(t *testing.T) {
	r := chain(t, 10, 0)
	req := governance.Request{Actor: leafHolder(10), Scope: sc("commission/mental-health/iapt"), Amount: gbp("100")}
	at := date(2026, 1, 1)
	require.True(t, r.Authorize(req, at).Allowed)
	allocs := testing.AllocsPerRun(100, func() { r.Authorize(req, at) })
	assert.LessOrEqual(t, allocs, 1.0)
}

func TestConcurrentAuthorizeWhileChanging(t *testing.T) {
	r := base(t)
	at := date(2025, 7, 1)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening"), Amount: gbp("10"), Usage: spent("0")}
			for {
				select {
				case <-stop:
					return
				default:
				}
				d := r.Authorize(req, at)
				if d.Allowed && len(d.Path) != 3 {
					t.Errorf("allowed with path %v", d.Path)
					return
				}
				_ = r.Check(at)
			}
		}()
	}
	for i := range 200 {
		p := coprod.Party{ID: id(fmt.Sprint("volunteer-", i)), Name: "volunteer", Sector: coprod.Community}
		require.NoError(t, r.AddParty(p))
		d := governance.Delegation{ID: uuid.New(), Parent: id("d-hub"), From: id("hub"), To: p.ID,
			Scope: sc("commission/mental-health/listening"), TransactionLimit: gbp("10"), CumulativeLimit: gbp("10"), JointThreshold: gbp("10"),
			Window: coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2027, 4, 1)}}
		require.NoError(t, r.Delegate(d))
		require.NoError(t, r.Revoke(governance.Revocation{Link: d.ID, By: id("council"), At: date(2025, 5, 1)}))
	}
	require.NoError(t, r.Revoke(governance.Revocation{Link: id("d-leaf"), By: id("hub"), At: date(2025, 5, 1)}))
	close(stop)
	wg.Wait()
	assert.False(t, r.Authorize(governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening")}, at).Allowed)
}
