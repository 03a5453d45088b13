package governance_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegisterJSONRoundTrip(t *testing.T) {
	r := fixture(t)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"schema":"`+governance.Schema+`"`)
	assert.Contains(t, string(b), `"transaction_limit":{"value":"100000.00","unit":"GBP"}`, "decimals as strings")

	var back governance.Register
	require.NoError(t, json.Unmarshal(b, &back))
	again, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(again), "lossless")
	assert.Equal(t, r.Check(checkAt), back.Check(checkAt), "the decoded register behaves the same")
	assert.Equal(t, r.Mermaid(checkAt), back.Mermaid(checkAt))
}

func TestRegisterJSONRefusals(t *testing.T) {
	good, err := json.Marshal(fixture(t))
	require.NoError(t, err)
	tests := []struct {
		name string
		edit func(string) string
		err  error
	}{
		{"schema version", func(s string) string { return strings.Replace(s, governance.Schema, "coprod.governance/v0", 1) }, governance.ErrSchema},
		{"child wider than parent", func(s string) string {
			return strings.Replace(s, `"scope":"commission/mental-health/iapt","instrument":"Service level agreement"`, `"scope":"commission/housing","instrument":"Service level agreement"`, 1)
		}, governance.ErrScopeExceedsParent},
		{"limit above parent", func(s string) string {
			return strings.Replace(s, `"transaction_limit":{"value":"10000.00","unit":"GBP"}`, `"transaction_limit":{"value":"99999.00","unit":"GBP"}`, 1)
		}, governance.ErrLimitExceedsParent},
		{"amount too precise", func(s string) string {
			return strings.Replace(s, `"value":"10000.00"`, `"value":"10000.001"`, 1)
		}, nil},
		{"bad scope", func(s string) string { return strings.Replace(s, `"scope":"commission"`, `"scope":"Commission"`, 1) }, governance.ErrInvalidScope},
		{"unknown sector", func(s string) string { return strings.Replace(s, `"sector":"hub"`, `"sector":"guild"`, 1) }, nil},
		{"not json", func(string) string { return `{"schema":` }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.edit(string(good))
			require.NotEqual(t, string(good), doc, "the edit applies")
			r := base(t)
			before := snapshot(t, r)
			err := json.Unmarshal([]byte(doc), r)
			require.Error(t, err)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
			}
			assert.Equal(t, before, snapshot(t, r), "a refused document leaves the register as it was")
		})
	}
}

func FuzzRegisterJSON(f *testing.F) {
	good, err := json.Marshal(fixture(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	small, _ := json.Marshal(base(f))
	f.Add(small)
	f.Add([]byte(`{"schema":"coprod.governance/v1"}`))
	f.Add([]byte(`{"schema":"coprod.governance/v1","parties":[{"id":"00000000-0000-0000-0000-000000000001","name":"x","sector":"hub"}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var r governance.Register
		if err := json.Unmarshal(doc, &r); err != nil {
			return
		}
		// Whatever decodes re-encodes to a document that decodes to the
		// same register.
		b, err := json.Marshal(&r)
		if err != nil {
			t.Fatal(err)
		}
		var back governance.Register
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("re-encoded register refused: %v", err)
		}
		b2, _ := json.Marshal(&back)
		if string(b) != string(b2) {
			t.Fatalf("not stable:\n%s\n%s", b, b2)
		}
		r.Check(checkAt)
	})
}

func TestRoundTripKeepsTheProofPath(t *testing.T) {
	r := base(t)
	// The hub holds a delegation first and, later, a mandate of its own
	// covering the same scope. Decoding replays mandates first; the proof
	// must not change.
	require.NoError(t, r.AddMandate(governance.Mandate{ID: id("m-hub"), Holder: id("hub"), Scope: sc("commission/mental-health")}))
	req := governance.Request{Actor: id("hub"), Scope: sc("commission/mental-health/iapt")}
	at := date(2025, 7, 1)
	before := r.Authorize(req, at)
	require.True(t, before.Allowed)
	assert.Equal(t, id("m-hub"), before.Path[0].ID, "the shortest path")

	b, err := json.Marshal(r)
	require.NoError(t, err)
	var back governance.Register
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, before, back.Authorize(req, at))
}

func TestDecisionJSON(t *testing.T) {
	r := base(t)
	d := r.Authorize(governance.Request{Actor: id("church"), Scope: sc("commission/mental-health/listening")}, date(2025, 7, 1))
	require.True(t, d.Allowed)
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"kind":"mandate"`)
	assert.Contains(t, string(b), `"kind":"delegation"`)
	var back governance.Decision
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, d.Path, back.Path)
	assert.True(t, d.Effective.TransactionLimit.Equal(back.Effective.TransactionLimit))

	var k governance.LinkKind
	assert.ErrorIs(t, k.UnmarshalText([]byte("grant")), governance.ErrInvalidRecord)
	_, err = governance.LinkKind(9).MarshalText()
	assert.ErrorIs(t, err, governance.ErrInvalidRecord)
	assert.Equal(t, "LinkKind(9)", governance.LinkKind(9).String())
}

// TestZeroLimitRoundTrips keeps a zero limit, which forbids spending, from
// turning into no limit at all on a JSON round trip: Amount's IsZero must
// not let encoding/json omit it.
func TestZeroLimitRoundTrips(t *testing.T) {
	r := governance.NewRegister()
	require.NoError(t, r.AddParty(coprod.Party{ID: id("council"), Name: "Council", Sector: coprod.Statutory}))
	require.NoError(t, r.AddParty(coprod.Party{ID: id("hub"), Name: "Hub", Sector: coprod.Hub}))
	require.NoError(t, r.AddMandate(governance.Mandate{ID: id("m"), Holder: id("council"), Scope: sc("commission"), MaxDepth: 1,
		TransactionLimit: gbp("0"), CumulativeLimit: gbp("0"), JointThreshold: gbp("0")}))
	b, err := json.Marshal(r)
	require.NoError(t, err)
	back := governance.NewRegister()
	require.NoError(t, json.Unmarshal(b, back))
	for m := range back.Mandates() {
		assert.Equal(t, "0.00 GBP", m.TransactionLimit.String())
		assert.Equal(t, "0.00 GBP", m.CumulativeLimit.String())
		assert.Equal(t, "0.00 GBP", m.JointThreshold.String())
	}
	err = back.Delegate(governance.Delegation{ID: id("d"), Parent: id("m"), From: id("council"), To: id("hub"), Scope: sc("commission/x"),
		TransactionLimit: gbp("1")})
	assert.ErrorIs(t, err, governance.ErrLimitExceedsParent, "the decoded zero limit still binds")
}
