package governance_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const awardRef = "Scheme of reservation 2025, s.2.3"

// boardMandate reserves budget setting outright and contract awards above
// £50,000 to the council; it sets no limits of its own, so that only the
// reservation refuses.
func boardMandate() governance.Mandate {
	return governance.Mandate{
		ID: id("m-board"), Holder: id("council"), Scope: sc("commission"), Basis: "Board resolution 2025/14",
		Reserved:      []governance.Scope{sc("commission/budget-setting")},
		ReservedAbove: []governance.Reservation{{Scope: sc("commission/contracts/award"), Above: gbp("50000"), Ref: awardRef}},
		Window:        coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2028, 4, 1)},
		MaxDepth:      2,
	}
}

// reservedRegister holds the board's mandate, the contracts officer's
// delegation (which carries the reserved matter) and the officer's
// sub-delegation of awards to the hub.
func reservedRegister(t testing.TB) *governance.Register {
	t.Helper()
	r := governance.NewRegister()
	for _, p := range []coprod.Party{
		party("council", coprod.Statutory), party("hub", coprod.Hub), party("temple", coprod.Community),
		party("church", coprod.Community), party("officer", coprod.Individual),
	} {
		require.NoError(t, r.AddParty(p))
	}
	require.NoError(t, r.AddMandate(boardMandate()))
	require.NoError(t, r.Delegate(governance.Delegation{
		ID: id("d-contracts"), Parent: id("m-board"), From: id("council"), To: id("officer"),
		Scope: sc("commission/contracts"), Instrument: "Scheme of delegation 2025, s.4.2",
		Window:         coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2027, 4, 1)},
		MaySubDelegate: true, MaxDepth: 1,
	}), "a delegation may carry a matter reserved above a threshold")
	require.NoError(t, r.Delegate(governance.Delegation{
		ID: id("d-awards-hub"), Parent: id("d-contracts"), From: id("officer"), To: id("hub"),
		Scope: sc("commission/contracts/award"), Instrument: "Officer's letter",
		Window: coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2027, 4, 1)},
	}), "so may a delegation of exactly that matter")
	return r
}

func TestMandateReservationRefusals(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*governance.Mandate)
		err    error
	}{
		{"valid", func(*governance.Mandate) {}, nil},
		{"valid with limits in the same unit", func(m *governance.Mandate) { m.TransactionLimit = gbp("1000000") }, nil},
		{"outside the mandate's scope", func(m *governance.Mandate) { m.ReservedAbove[0].Scope = sc("housing/contracts") }, governance.ErrInvalidRecord},
		{"sibling prefix outside", func(m *governance.Mandate) { m.ReservedAbove[0].Scope = sc("commissioning/contracts") }, governance.ErrInvalidRecord},
		{"malformed scope", func(m *governance.Mandate) { m.ReservedAbove[0].Scope = "Commission/Contracts" }, governance.ErrInvalidRecord},
		{"no threshold", func(m *governance.Mandate) { m.ReservedAbove[0].Above = coprod.Amount{} }, governance.ErrInvalidRecord},
		{"zero threshold", func(m *governance.Mandate) { m.ReservedAbove[0].Above = gbp("0") }, governance.ErrInvalidRecord},
		{"negative threshold", func(m *governance.Mandate) { m.ReservedAbove[0].Above = gbp("-1") }, governance.ErrInvalidRecord},
		{"threshold in another unit than the limits", func(m *governance.Mandate) {
			m.TransactionLimit = gbp("1000000")
			m.ReservedAbove[0].Above = coprod.MustParseAmount("50", coprod.Hours)
		}, governance.ErrUnitMismatch},
		{"reference too long", func(m *governance.Mandate) { m.ReservedAbove[0].Ref = strings.Repeat("x", governance.MaxTextLen+1) }, governance.ErrInvalidRecord},
		{"inside an outright reservation", func(m *governance.Mandate) {
			m.ReservedAbove[0].Scope = sc("commission/budget-setting/in-year")
		}, governance.ErrInvalidRecord},
		{"too many reserved matters, both kinds counted", func(m *governance.Mandate) {
			for i := range governance.MaxReserved {
				m.ReservedAbove = append(m.ReservedAbove, governance.Reservation{Scope: sc(fmt.Sprint("commission/r", i)), Above: gbp("1")})
			}
		}, governance.ErrLimitReached},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base(t)
			before := snapshot(t, r)
			m := boardMandate()
			m.ReservedAbove = slices.Clone(m.ReservedAbove)
			tt.mutate(&m)
			err := r.AddMandate(m)
			if tt.err == nil {
				require.NoError(t, err)
				got, ok := mandateByID(r, m.ID)
				require.True(t, ok)
				assert.Equal(t, m.ReservedAbove[0].Scope, got.ReservedAbove[0].Scope)
				assert.True(t, m.ReservedAbove[0].Above.Equal(got.ReservedAbove[0].Above))
				return
			}
			require.ErrorIs(t, err, tt.err)
			var re *governance.RecordError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "mandate", re.Kind)
			assert.Equal(t, before, snapshot(t, r), "a refused mandate changes nothing")
		})
	}
}

func mandateByID(r *governance.Register, mid uuid.UUID) (governance.Mandate, bool) {
	for m := range r.Mandates() {
		if m.ID == mid {
			return m, true
		}
	}
	return governance.Mandate{}, false
}

func TestOutrightReservationStillRefusesDelegation(t *testing.T) {
	r := reservedRegister(t)
	err := r.Delegate(governance.Delegation{ID: id("d-budget"), Parent: id("m-board"), From: id("council"), To: id("hub"),
		Scope: sc("commission/budget-setting")})
	require.ErrorIs(t, err, governance.ErrReservedMatter)
}

func TestAuthorizeReservedAbove(t *testing.T) {
	at := date(2025, 7, 1)
	award := sc("commission/contracts/award")
	tests := []struct {
		name   string
		req    governance.Request
		want   []governance.Code // nil: allowed
		path   int               // proof path length when allowed
		naming []string          // what the first reason's message names
	}{
		{name: "£5,000 award through the delegate", req: governance.Request{Actor: id("officer"), Scope: award, Amount: gbp("5000")}, path: 2},
		{name: "award at the threshold", req: governance.Request{Actor: id("officer"), Scope: award, Amount: gbp("50000")}, path: 2},
		{name: "£250,000 award through the delegate", req: governance.Request{Actor: id("officer"), Scope: award, Amount: gbp("250000")},
			want: []governance.Code{governance.CodeReservedAbove}, naming: []string{"commission/contracts/award", "50000.00 GBP", awardRef, "council"}},
		{name: "a penny over, through a sub-delegation", req: governance.Request{Actor: id("hub"), Scope: sc("commission/contracts/award/iapt"), Amount: gbp("50000.01")},
			want: []governance.Code{governance.CodeReservedAbove}, naming: []string{awardRef}},
		{name: "sub-delegate below the threshold", req: governance.Request{Actor: id("hub"), Scope: award, Amount: gbp("40000")}, path: 3},
		{name: "the holder above the threshold", req: governance.Request{Actor: id("council"), Scope: award, Amount: gbp("250000")}, path: 1},
		{name: "a wider request overlapping the reserved matter", req: governance.Request{Actor: id("officer"), Scope: sc("commission/contracts"), Amount: gbp("250000")},
			want: []governance.Code{governance.CodeReservedAbove}},
		{name: "payments are made in their own scope", req: governance.Request{Actor: id("officer"), Scope: sc("commission/contracts/payments"), Amount: gbp("250000")}, path: 2},
		{name: "no money involved", req: governance.Request{Actor: id("officer"), Scope: award}, path: 2},
		{name: "amount in another unit", req: governance.Request{Actor: id("officer"), Scope: award, Amount: coprod.MustParseAmount("10", coprod.Hours)},
			want: []governance.Code{governance.CodeUnitMismatch}, naming: []string{"commission/contracts/award"}},
		{name: "named instrument cannot escape the threshold", req: governance.Request{Actor: id("officer"), Scope: award, Amount: gbp("250000"), Via: id("d-contracts")},
			want: []governance.Code{governance.CodeReservedAbove}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reservedRegister(t)
			d := r.Authorize(tt.req, at)
			if tt.want == nil {
				require.True(t, d.Allowed, "%v", d.Reasons)
				assert.Len(t, d.Path, tt.path)
				return
			}
			require.False(t, d.Allowed)
			assert.Equal(t, tt.want, codes(d))
			assert.Equal(t, id("m-board"), d.Reasons[0].Link, "the reason names the reserving mandate")
			for _, s := range tt.naming {
				assert.Contains(t, d.Reasons[0].Message, s)
			}
			err := d.Err()
			assert.ErrorIs(t, err, governance.ErrDenied)
			if tt.want[0] == governance.CodeReservedAbove {
				assert.ErrorIs(t, err, governance.ErrReservedAbove)
				assert.Equal(t, governance.CodeReservedAbove, governance.CodeOf(err))
			}
			assert.NotEmpty(t, d.Path, "the nearest path is the delegated one")
		})
	}
}

func TestPermitReservedAbove(t *testing.T) {
	r := reservedRegister(t)
	at := date(2025, 7, 1)
	_, err := r.Permit(coprod.Permission{Decider: id("officer"), Scope: "commission/contracts/award", Amount: gbp("250000"),
		Instrument: id("d-contracts"), Recorded: at})
	require.ErrorIs(t, err, governance.ErrReservedAbove)
	proof, err := r.Permit(coprod.Permission{Decider: id("council"), Scope: "commission/contracts/award", Amount: gbp("250000"),
		Instrument: id("m-board"), Recorded: at})
	require.NoError(t, err)
	assert.Len(t, proof.Path, 1)
}

func TestReservationJSON(t *testing.T) {
	r := reservedRegister(t)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"schema":"coprod.governance/v2"`)
	assert.Contains(t, string(b), `"reserved_above":[{"scope":"commission/contracts/award","above":{"value":"50000.00","unit":"GBP"},"ref":"`+awardRef+`"}]`)
	var back governance.Register
	require.NoError(t, json.Unmarshal(b, &back))
	again, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(again), "lossless")
	req := governance.Request{Actor: id("officer"), Scope: sc("commission/contracts/award"), Amount: gbp("250000")}
	assert.Equal(t, r.Authorize(req, date(2025, 7, 1)), back.Authorize(req, date(2025, 7, 1)), "the decoded register refuses alike")

	tests := []struct {
		name string
		doc  func() string
		err  error
	}{
		{"a version 1 document still decodes", func() string {
			b, err := json.Marshal(fixture(t))
			require.NoError(t, err)
			return strings.Replace(string(b), governance.Schema, governance.SchemaV1, 1)
		}, nil},
		{"a version 1 document cannot carry thresholds", func() string {
			return strings.Replace(string(b), governance.Schema, governance.SchemaV1, 1)
		}, governance.ErrSchema},
		{"a zero threshold is refused on decode", func() string {
			return strings.Replace(string(b), `"above":{"value":"50000.00"`, `"above":{"value":"0.00"`, 1)
		}, governance.ErrInvalidRecord},
		{"a threshold outside the scope is refused on decode", func() string {
			return strings.Replace(string(b), `"reserved_above":[{"scope":"commission/contracts/award"`, `"reserved_above":[{"scope":"housing"`, 1)
		}, governance.ErrInvalidRecord},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got governance.Register
			err := json.Unmarshal([]byte(tt.doc()), &got)
			if tt.err == nil {
				require.NoError(t, err)
				assert.Positive(t, got.Len())
				return
			}
			require.ErrorIs(t, err, tt.err)
			assert.Zero(t, got.Len(), "a refused document changes nothing")
		})
	}
}

func TestAuthorizeReservedAboveAllocatesOnlyTheProofPath(t *testing.T) {
	r := reservedRegister(t)
	req := governance.Request{Actor: id("hub"), Scope: sc("commission/contracts/award"), Amount: gbp("40000")}
	at := date(2025, 7, 1)
	require.True(t, r.Authorize(req, at).Allowed)
	assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { r.Authorize(req, at) }), 1.0)
}
