package governance_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/internal/allocs"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noPanic runs f and turns a panic into a test failure.
func noPanic(t *testing.T, f func() error) (err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("panic: %v", p)
			err = nil
		}
	}()
	return f()
}

// TestBadInput is the catalogue of bad input the register must refuse:
// each row names the sentinel (and, where a validation error is behind the
// refusal, its cause) that errors.Is must find; no row may panic, and no
// refusal may change the register.
func TestBadInput(t *testing.T) {
	const badUTF8 = "Caf\xe9"
	good, err := json.Marshal(fixture(t))
	require.NoError(t, err)
	doc := func(edit func(string) string) func(*governance.Register) error {
		return func(r *governance.Register) error {
			s := edit(string(good))
			require.NotEqual(t, string(good), s, "the edit applies")
			return json.Unmarshal([]byte(s), r)
		}
	}
	mandate := func(edit func(*governance.Mandate)) func(*governance.Register) error {
		return func(r *governance.Register) error {
			m := governance.Mandate{ID: id("m-new"), Holder: id("ccg"), Scope: sc("commission/public-health"), Basis: "Health Act", MaxDepth: 1}
			edit(&m)
			return r.AddMandate(m)
		}
	}
	delegation := func(edit func(*governance.Delegation)) func(*governance.Register) error {
		return func(r *governance.Register) error {
			d := governance.Delegation{
				ID: id("d-new"), Parent: id("m-council"), From: id("council"), To: id("church"),
				Scope: sc("commission/mental-health/peer-support"), Instrument: "Letter",
				TransactionLimit: gbp("100"), JointThreshold: gbp("100"),
				Window: coprod.Window{NotBefore: date(2025, 5, 1), Expires: date(2026, 1, 1)},
			}
			edit(&d)
			return r.Delegate(d)
		}
	}
	activity := func(edit func(*governance.Activity)) func(*governance.Register) error {
		return func(r *governance.Register) error {
			a := governance.Activity{ID: id("a-new"), Name: "Peer support", Scope: sc("commission/mental-health/peer")}
			edit(&a)
			return r.AddActivity(a)
		}
	}
	interest := func(edit func(*governance.Interest)) func(*governance.Register) error {
		return func(r *governance.Register) error {
			in := governance.Interest{ID: id("i-new"), Holder: id("officer"), In: id("hub"), Category: governance.Financial, Description: "paid", Declared: date(2025, 1, 1)}
			edit(&in)
			return r.Declare(in)
		}
	}
	authorize := func(req governance.Request) func(*governance.Register) error {
		return func(r *governance.Register) error { return r.Authorize(req, checkAt).Err() }
	}
	tests := []struct {
		name  string
		call  func(*governance.Register) error
		want  error
		cause error // also found by errors.Is, when set
	}{
		{"ParseScope empty", func(*governance.Register) error { _, err := governance.ParseScope(""); return err }, governance.ErrInvalidScope, nil},
		{"ParseScope upper case", func(*governance.Register) error { _, err := governance.ParseScope("Commission"); return err }, governance.ErrInvalidScope, nil},
		{"ParseScope empty segment", func(*governance.Register) error { _, err := governance.ParseScope("a//b"); return err }, governance.ErrInvalidScope, nil},
		{"ParseScope bad UTF-8", func(*governance.Register) error { _, err := governance.ParseScope("a/\xff"); return err }, governance.ErrInvalidScope, nil},
		{"ParseScope long", func(*governance.Register) error {
			_, err := governance.ParseScope(strings.Repeat("a/", 200) + "a")
			return err
		}, governance.ErrInvalidScope, nil},
		{"AddParty nil id", func(r *governance.Register) error { return r.AddParty(coprod.Party{Name: "x", Sector: coprod.Hub}) }, governance.ErrInvalidRecord, coprod.ErrInvalidParty},
		{"AddParty bad UTF-8 name", func(r *governance.Register) error {
			return r.AddParty(coprod.Party{ID: id("p-new"), Name: badUTF8, Sector: coprod.Hub})
		}, governance.ErrInvalidRecord, coprod.ErrInvalidParty},
		{"AddParty unknown sector", func(r *governance.Register) error {
			return r.AddParty(coprod.Party{ID: id("p-new"), Name: "x", Sector: "guild"})
		}, governance.ErrInvalidRecord, coprod.ErrUnknownSector},
		{"AddParty duplicate", func(r *governance.Register) error {
			return r.AddParty(coprod.Party{ID: id("hub"), Name: "x", Sector: coprod.Hub})
		}, governance.ErrDuplicateID, nil},
		{"AddMandate nil id", mandate(func(m *governance.Mandate) { m.ID = uuid.Nil }), governance.ErrInvalidRecord, nil},
		{"AddMandate bad scope", mandate(func(m *governance.Mandate) { m.Scope = "Public Health" }), governance.ErrInvalidRecord, governance.ErrInvalidScope},
		{"AddMandate basis bad UTF-8", mandate(func(m *governance.Mandate) { m.Basis = badUTF8 }), governance.ErrInvalidRecord, nil},
		{"AddMandate basis too long", mandate(func(m *governance.Mandate) { m.Basis = strings.Repeat("b", governance.MaxTextLen+1) }), governance.ErrInvalidRecord, nil},
		{"AddMandate reserved outside scope", mandate(func(m *governance.Mandate) { m.Reserved = []governance.Scope{sc("commission/other")} }), governance.ErrInvalidRecord, nil},
		{"AddMandate unknown holder", mandate(func(m *governance.Mandate) { m.Holder = id("nobody") }), governance.ErrUnknownParty, nil},
		{"AddMandate negative limit", mandate(func(m *governance.Mandate) { m.TransactionLimit = gbp("-1") }), governance.ErrInvalidRecord, nil},
		{"AddMandate limits in two units", mandate(func(m *governance.Mandate) {
			m.TransactionLimit, m.JointThreshold = gbp("1"), coprod.MustParseAmount("1", coprod.Hours)
		}), governance.ErrInvalidRecord, nil},
		{"AddMandate period without cumulative", mandate(func(m *governance.Mandate) { m.Period = governance.PeriodMonth }), governance.ErrInvalidRecord, nil},
		{"AddMandate depth", mandate(func(m *governance.Mandate) { m.MaxDepth = governance.MaxChainDepth }), governance.ErrInvalidRecord, nil},
		{"AddMandate backwards window", mandate(func(m *governance.Mandate) {
			m.Window = coprod.Window{NotBefore: date(2026, 1, 1), Expires: date(2025, 1, 1)}
		}), governance.ErrInvalidRecord, coprod.ErrInvalidWindow},
		{"Delegate to itself", delegation(func(d *governance.Delegation) { d.To = id("council") }), governance.ErrSelfDelegation, nil},
		{"Delegate unknown parent", delegation(func(d *governance.Delegation) { d.Parent = id("nothing") }), governance.ErrUnknownParent, nil},
		{"Delegate reserved matter", delegation(func(d *governance.Delegation) { d.Scope = sc("commission/budget-setting") }), governance.ErrReservedMatter, nil},
		{"Delegate wider scope", delegation(func(d *governance.Delegation) { d.Scope = sc("housing") }), governance.ErrScopeExceedsParent, nil},
		{"Delegate instrument bad UTF-8", delegation(func(d *governance.Delegation) { d.Instrument = badUTF8 }), governance.ErrInvalidRecord, nil},
		{"Delegate wider window", delegation(func(d *governance.Delegation) { d.Window.Expires = date(2030, 1, 1) }), governance.ErrWindowExceedsParent, nil},
		{"Delegate no limit under a limit", delegation(func(d *governance.Delegation) { d.TransactionLimit = coprod.Amount{} }), governance.ErrLimitExceedsParent, nil},
		{"Delegate sub-delegation mismatch", delegation(func(d *governance.Delegation) { d.MaxDepth = 1 }), governance.ErrInvalidRecord, nil},
		{"Delegate unknown party", delegation(func(d *governance.Delegation) { d.To = id("nobody") }), governance.ErrUnknownParty, nil},
		{"Revoke zero time", func(r *governance.Register) error {
			return r.Revoke(governance.Revocation{Link: id("d-hub"), By: id("council")})
		}, governance.ErrInvalidRecord, nil},
		{"Revoke reason bad UTF-8", func(r *governance.Register) error {
			return r.Revoke(governance.Revocation{Link: id("d-hub"), By: id("council"), At: checkAt, Reason: badUTF8})
		}, governance.ErrInvalidRecord, nil},
		{"Revoke unknown link", func(r *governance.Register) error {
			return r.Revoke(governance.Revocation{Link: id("nothing"), By: id("council"), At: checkAt})
		}, governance.ErrUnknownLink, nil},
		{"Revoke by the delegate", func(r *governance.Register) error {
			return r.Revoke(governance.Revocation{Link: id("d-hub"), By: id("hub"), At: checkAt})
		}, governance.ErrNotRevoker, nil},
		{"Revoke twice", func(r *governance.Register) error {
			return r.Revoke(governance.Revocation{Link: id("d-officer"), By: id("council"), At: checkAt})
		}, governance.ErrAlreadyRevoked, nil},
		{"Reassume bad scope", func(r *governance.Register) error {
			return r.Reassume(governance.Reassumption{Link: id("d-hub"), By: id("council"), Scope: "x/", At: checkAt})
		}, governance.ErrInvalidRecord, governance.ErrInvalidScope},
		{"Reassume reason bad UTF-8", func(r *governance.Register) error {
			return r.Reassume(governance.Reassumption{Link: id("d-hub"), By: id("council"), Scope: sc("commission/mental-health"), At: checkAt, Reason: badUTF8})
		}, governance.ErrInvalidRecord, nil},
		{"Reassume a mandate", func(r *governance.Register) error {
			return r.Reassume(governance.Reassumption{Link: id("m-council"), By: id("council"), Scope: sc("commission"), At: checkAt})
		}, governance.ErrUnknownLink, nil},
		{"AddActivity nil id", activity(func(a *governance.Activity) { a.ID = uuid.Nil }), governance.ErrInvalidRecord, nil},
		{"AddActivity name bad UTF-8", activity(func(a *governance.Activity) { a.Name = badUTF8 }), governance.ErrInvalidRecord, nil},
		{"AddActivity unknown party", activity(func(a *governance.Activity) { a.Accountable = []uuid.UUID{id("nobody")} }), governance.ErrUnknownParty, nil},
		{"AddActivity duplicate", activity(func(a *governance.Activity) { a.ID = id("a-iapt") }), governance.ErrDuplicateID, nil},
		{"ReviseActivity unknown", func(r *governance.Register) error {
			return r.ReviseActivity(governance.Activity{ID: id("a-none"), Name: "x", Scope: sc("x")})
		}, governance.ErrUnknownActivity, nil},
		{"Declare nil id", interest(func(in *governance.Interest) { in.ID = uuid.Nil }), governance.ErrInvalidRecord, nil},
		{"Declare unknown category", interest(func(in *governance.Interest) { in.Category = "other" }), governance.ErrInvalidRecord, nil},
		{"Declare description bad UTF-8", interest(func(in *governance.Interest) { in.Description = badUTF8 }), governance.ErrInvalidRecord, nil},
		{"Declare interest in oneself", interest(func(in *governance.Interest) { in.In = in.Holder }), governance.ErrInvalidRecord, nil},
		{"Declare bad touched scope", interest(func(in *governance.Interest) { in.Touches = []governance.Scope{"A"} }), governance.ErrInvalidRecord, governance.ErrInvalidScope},
		{"Recuse unknown interest", func(r *governance.Register) error {
			return r.Recuse(governance.Recusal{Interest: id("nothing"), Scope: sc("commission"), At: checkAt})
		}, governance.ErrUnknownInterest, nil},
		{"Recuse reason bad UTF-8", func(r *governance.Register) error {
			return r.Recuse(governance.Recusal{Interest: id("i-director"), Scope: sc("commission"), At: checkAt, Reason: badUTF8})
		}, governance.ErrInvalidRecord, nil},
		{"decode misspelt reserved", doc(func(s string) string { return strings.Replace(s, `"reserved"`, `"reserverd"`, 1) }), nil, nil},
		{"decode unknown top-level field", doc(func(s string) string { return strings.Replace(s, `{"schema"`, `{"extra":1,"schema"`, 1) }), nil, nil},
		{"decode unknown amount field", doc(func(s string) string { return strings.Replace(s, `"unit":"GBP"}`, `"unit":"GBP","x":1}`, 1) }), nil, nil},
		{"decode unknown window field", doc(func(s string) string { return strings.Replace(s, `"not_before"`, `"not_befor"`, 1) }), nil, nil},
		{"decode unknown party field", doc(func(s string) string { return strings.Replace(s, `"sector":"hub"`, `"sector":"hub","x":1`, 1) }), nil, nil},
		{"decode other schema", doc(func(s string) string { return strings.Replace(s, governance.Schema, "coprod.governance/v0", 1) }), governance.ErrSchema, nil},
		{"decode trailing data", doc(func(s string) string { return s + ` {}` }), nil, nil},
		{"decode party empty name", doc(func(s string) string { return strings.Replace(s, `"name":"Temple"`, `"name":""`, 1) }), coprod.ErrInvalidParty, nil},
		{"decode reserved delegated", doc(func(s string) string {
			return strings.Replace(s, `"scope":"commission/community-grants"`, `"scope":"commission/budget-setting"`, 1)
		}), governance.ErrReservedMatter, nil},
		{"Authorize nil actor", authorize(governance.Request{Scope: sc("commission")}), governance.ErrInvalidRequest, nil},
		{"Authorize bad scope", authorize(governance.Request{Actor: id("hub"), Scope: "Commission"}), governance.ErrInvalidRequest, nil},
		{"Authorize negative amount", authorize(governance.Request{Actor: id("hub"), Scope: sc("commission/mental-health"), Amount: gbp("-1")}), governance.ErrInvalidRequest, nil},
		{"Authorize too many approvers", authorize(governance.Request{
			Actor: id("hub"), Scope: sc("commission/mental-health"), Approvers: make([]uuid.UUID, governance.MaxApprovers+1),
		}), governance.ErrInvalidRequest, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixture(t)
			before := snapshot(t, r)
			var err error
			used := allocs.Bytes(func() { err = noPanic(t, func() error { return tt.call(r) }) })
			require.Error(t, err)
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
				assert.NotEmpty(t, governance.CodeOf(err))
			}
			if tt.cause != nil {
				assert.ErrorIs(t, err, tt.cause)
			}
			assert.Less(t, used, uint64(1<<20), "bad input is refused at bounded cost")
			assert.LessOrEqual(t, strings.Count(err.Error(), "governance: "), 1, err.Error())
			assert.Equal(t, before, snapshot(t, r), "a refusal leaves the register as it was")
		})
	}
}

// TestMisspeltReservedDoesNotLoad is the bug report: a register whose
// reservation is misspelt used to load without it, after which the
// reserved matter could be delegated.
func TestMisspeltReservedDoesNotLoad(t *testing.T) {
	b, err := json.Marshal(fixture(t))
	require.NoError(t, err)
	bad := strings.Replace(string(b), `"reserved":`, `"reserve":`, 1)
	require.NotEqual(t, string(b), bad)
	var r governance.Register
	err = json.Unmarshal([]byte(bad), &r)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown field "reserve"`)
	assert.Equal(t, 0, r.Len(), "nothing loaded")
}

// TestRecordErrorUnwrapsCause checks the one error convention: a refusal
// wraps its sentinel and its cause, with the package prefix once.
func TestRecordErrorUnwrapsCause(t *testing.T) {
	r := governance.NewRegister()
	err := r.AddParty(coprod.Party{ID: id("x"), Name: "", Sector: coprod.Hub})
	var re *governance.RecordError
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, governance.ErrInvalidRecord)
	assert.ErrorIs(t, err, coprod.ErrInvalidParty)
	assert.ErrorIs(t, re.Cause, coprod.ErrInvalidParty)
	assert.Equal(t, governance.CodeInvalidRecord, governance.CodeOf(err))
	assert.True(t, errors.Is(err, governance.ErrInvalidRecord) && !errors.Is(err, governance.ErrDuplicateID))
}

// TestPrefixOnce checks a sample of errors from the package: each
// message carries the package prefix exactly once.
func TestPrefixOnce(t *testing.T) {
	r := fixture(t)
	_, scopeErr := governance.ParseScope("a//b")
	var kind governance.LinkKind
	var period governance.Period
	errs := map[string]error{
		"parse scope":    scopeErr,
		"link kind":      kind.UnmarshalText([]byte("x")),
		"period":         period.UnmarshalText([]byte("week")),
		"record":         r.AddParty(coprod.Party{ID: id("hub"), Name: "x", Sector: coprod.Hub}),
		"record cause":   r.AddMandate(governance.Mandate{ID: id("m-x"), Holder: id("hub"), Scope: "a//b"}),
		"decode":         json.Unmarshal([]byte(`{"schema":"x"}`), r),
		"decode record":  json.Unmarshal([]byte(`{"schema":"`+governance.Schema+`","parties":[{"id":"`+id("a").String()+`","name":"a","sector":"hub"},{"id":"`+id("a").String()+`","name":"a","sector":"hub"}]}`), r),
		"decode json":    json.Unmarshal([]byte(`{"schema":1}`), r),
		"denied":         r.Authorize(governance.Request{Actor: id("church"), Scope: sc("commission")}, checkAt).Err(),
		"invalid period": json.Unmarshal([]byte(`"week"`), &period),
	}
	for name, err := range errs {
		t.Run(name, func(t *testing.T) {
			require.Error(t, err)
			assert.Equal(t, 1, strings.Count(err.Error(), "governance: "), err.Error())
		})
	}
}
