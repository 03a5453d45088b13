package governance_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/google/uuid"
)

func leafHolder(depth int) uuid.UUID { return id(fmt.Sprintf("holder-%d", depth-1)) }

// chain builds a register whose one measured chain has depth links (a
// mandate and depth-1 delegations) ending at leafHolder(depth), plus
// filler delegations to other parties until it holds total delegations.
func chain(tb testing.TB, depth, total int) *governance.Register {
	tb.Helper()
	r := governance.NewRegister()
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	for i := range depth {
		must(r.AddParty(coprod.Party{ID: id(fmt.Sprintf("holder-%d", i)), Name: fmt.Sprintf("holder %d", i), Sector: coprod.Community}))
	}
	must(r.AddMandate(governance.Mandate{ID: id("root"), Holder: id("holder-0"), Scope: sc("commission"),
		TransactionLimit: gbp("1000000"), MaxDepth: governance.MaxChainDepth - 1}))
	parent := id("root")
	for i := 1; i < depth; i++ {
		d := governance.Delegation{ID: id(fmt.Sprintf("link-%d", i)), Parent: parent,
			From: id(fmt.Sprintf("holder-%d", i-1)), To: id(fmt.Sprintf("holder-%d", i)),
			Scope: sc("commission/mental-health"), TransactionLimit: gbp(fmt.Sprint(1000000 - i)),
			MaySubDelegate: true, MaxDepth: governance.MaxChainDepth - 1 - i}
		if i == depth-1 {
			d.Scope = sc("commission/mental-health/iapt")
		}
		must(r.Delegate(d))
		parent = d.ID
	}
	// Filler: delegations from the root holder to many other parties, so
	// the register's size grows while the measured chain does not.
	for i := 0; r.Len() < total+1; i++ {
		p := coprod.Party{ID: uuid.New(), Name: "filler", Sector: coprod.Community}
		must(r.AddParty(p))
		must(r.Delegate(governance.Delegation{ID: uuid.New(), Parent: id("root"), From: id("holder-0"), To: p.ID,
			Scope: sc("commission/housing"), TransactionLimit: gbp("1000")}))
	}
	return r
}

func BenchmarkAuthorize(b *testing.B) {
	at := date(2026, 1, 1)
	for _, total := range []int{1_000, 100_000} {
		for _, depth := range []int{1, 5, 10} {
			r := chain(b, depth, total)
			scope := sc("commission/mental-health/iapt")
			req := governance.Request{Actor: leafHolder(depth), Scope: scope, Amount: gbp("100")}
			if !r.Authorize(req, at).Allowed {
				b.Fatal("setup: not allowed")
			}
			b.Run(fmt.Sprintf("delegations=%d/depth=%d", total, depth), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if !r.Authorize(req, at).Allowed {
						b.Fatal("denied")
					}
				}
			})
		}
	}
}

// BenchmarkAuthorizeDenied measures the slow path, which collects every
// reason on every path.
func BenchmarkAuthorizeDenied(b *testing.B) {
	r := chain(b, 10, 1_000)
	req := governance.Request{Actor: leafHolder(10), Scope: sc("commission/mental-health/iapt"), Amount: gbp("2000000")}
	at := date(2026, 1, 1)
	b.ReportAllocs()
	for b.Loop() {
		if r.Authorize(req, at).Allowed {
			b.Fatal("allowed")
		}
	}
}

// BenchmarkDenialAtLimits is the worst denial the limits allow: an actor
// and MaxApprovers approvers each holding MaxHeldPerParty paths
// MaxChainDepth deep, every link with a cumulative limit, the amount above
// the joint threshold, every path of the actor over its transaction limit
// and every approver's path expired. Each party's authority is worked out
// once and each capped link's usage asked once.
func BenchmarkDenialAtLimits(b *testing.B) {
	r, req, at, calls := denialAtLimits(b)
	b.ReportAllocs()
	for b.Loop() {
		d := r.Authorize(req, at)
		if d.Allowed || len(d.Reasons) > governance.MaxReasons {
			b.Fatal("allowed, or too many reasons")
		}
	}
	b.ReportMetric(float64(*calls)/float64(b.N), "usage-calls/op")
}

func denialAtLimits(tb testing.TB) (*governance.Register, governance.Request, time.Time, *int) {
	tb.Helper()
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	r := governance.NewRegister()
	party := func(name string) uuid.UUID {
		p := coprod.Party{ID: id(name), Name: name, Sector: coprod.Individual}
		must(r.AddParty(p))
		return p.ID
	}
	root := party("root")
	actor := party("actor")
	approvers := make([]uuid.UUID, governance.MaxApprovers)
	for i := range approvers {
		approvers[i] = party(fmt.Sprintf("approver-%d", i))
	}
	must(r.AddMandate(governance.Mandate{ID: id("m"), Holder: root, Scope: sc("commission"), TransactionLimit: gbp("100000"),
		CumulativeLimit: gbp("1000000"), JointThreshold: gbp("100"), MaxDepth: governance.MaxChainDepth - 1}))
	parent, from := id("m"), root
	for i := 1; i < governance.MaxChainDepth-1; i++ {
		to := party(fmt.Sprintf("middle-%d", i))
		d := governance.Delegation{ID: id(fmt.Sprintf("middle-link-%d", i)), Parent: parent, From: from, To: to, Scope: sc("commission"),
			TransactionLimit: gbp("100000"), CumulativeLimit: gbp("1000000"), JointThreshold: gbp("100"),
			MaySubDelegate: true, MaxDepth: governance.MaxChainDepth - 1 - i}
		must(r.Delegate(d))
		parent, from = d.ID, to
	}
	expired := coprod.Window{NotBefore: date(2024, 1, 1), Expires: date(2025, 1, 1)}
	for _, holder := range append([]uuid.UUID{actor}, approvers...) {
		for j := range governance.MaxHeldPerParty {
			d := governance.Delegation{ID: uuid.New(), Parent: parent, From: from, To: holder, Scope: sc("commission/mental-health"),
				TransactionLimit: gbp("500"), CumulativeLimit: gbp("1000000"), JointThreshold: gbp("100")}
			if holder != actor {
				d.TransactionLimit, d.Window = gbp("100000"), expired
			}
			_ = j
			must(r.Delegate(d))
		}
	}
	calls := new(int)
	zero := gbp("0")
	req := governance.Request{Actor: actor, Scope: sc("commission/mental-health"), Amount: gbp("1000"), Approvers: approvers,
		Usage: governance.UsageFunc(func(uuid.UUID, coprod.Window) (coprod.Amount, error) {
			*calls++
			return zero, nil
		})}
	return r, req, date(2026, 1, 1), calls
}
