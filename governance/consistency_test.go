package governance

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// TestFastPathAgreesWithReasons holds pathOK (the allocation-free check
// behind an allow) to pathReasons (the slow check that names every broken
// link) on random registers, times, amounts and scopes.
func TestFastPathAgreesWithReasons(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	scopes := []Scope{"c", "c/m", "c/m/i", "c/m/i/s", "c/m/f", "c/h"}
	day := func(n int) time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n) }
	gbp := func(n int) coprod.Amount { return coprod.MustParseAmount(fmt.Sprint(n), coprod.GBP) }
	checked, deep, thresholds := 0, 0, 0
	for round := range 50 {
		r := NewRegister()
		var parties []coprod.PartyID
		for i := range 8 {
			p := coprod.Party{ID: uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprint(round, i))), Name: "p", Sector: coprod.Community}
			if err := r.AddParty(p); err != nil {
				t.Fatal(err)
			}
			parties = append(parties, p.ID)
		}
		must := func(err error) {
			if err != nil {
				t.Fatal(err)
			}
		}
		m := Mandate{ID: uuid.New(), Holder: parties[0], Scope: "c", TransactionLimit: gbp(1000), CumulativeLimit: gbp(5000),
			JointThreshold: gbp(800), Window: coprod.Window{NotBefore: day(0), Expires: day(400)}, MaxDepth: 6}
		if round%2 == 1 {
			// Matters reserved above a threshold, which delegations may
			// carry: every other round, so that paths without them are
			// compared too.
			m.ReservedAbove = []Reservation{{Scope: "c/m/i", Above: gbp(300)}, {Scope: "c/h", Above: gbp(600)}, {Scope: "c/m/i/s", Above: gbp(100)}}
		}
		must(r.AddMandate(m))
		// Random children: most attempts are refused; the register keeps
		// only valid ones, which is what the fast path relies on.
		for range 150 {
			parent := r.linkOrder[rng.IntN(len(r.linkOrder))]
			to := parties[rng.IntN(len(parties))]
			from := parent.To
			// Mostly narrower than the parent, sometimes not.
			within := func(a coprod.Amount) coprod.Amount {
				n := int(a.Decimal().IntPart())
				if rng.IntN(5) == 0 {
					n += 100
				}
				return gbp(rng.IntN(n + 1))
			}
			nb := int(parent.window.NotBefore.Sub(day(0)).Hours()/24) + rng.IntN(30)
			end := int(parent.window.Expires.Sub(day(0)).Hours()/24) - rng.IntN(30)
			if end <= nb {
				end = nb + 1
			}
			d := Delegation{ID: uuid.New(), Parent: parent.ID, From: from, To: to, Scope: scopes[rng.IntN(len(scopes))],
				TransactionLimit: within(parent.tx), CumulativeLimit: within(parent.cum), JointThreshold: within(parent.joint),
				Window: coprod.Window{NotBefore: day(nb), Expires: day(end)}}
			if depth := rng.IntN(3); depth > 0 {
				d.MaySubDelegate, d.MaxDepth = true, depth
			}
			_ = r.Delegate(d)
		}
		for _, l := range r.linkOrder {
			switch rng.IntN(6) {
			case 0:
				must(r.Revoke(Revocation{Link: l.ID, By: holderAbove(l), At: day(rng.IntN(400))}))
			case 1:
				if l.Kind == KindDelegation {
					_ = r.Reassume(Reassumption{Link: l.ID, By: holderAbove(l), Scope: scopes[rng.IntN(len(scopes))], At: day(rng.IntN(400))})
				}
			}
		}
		for range 200 {
			l := r.linkOrder[rng.IntN(len(r.linkOrder))]
			req := Request{Actor: l.To, Scope: scopes[rng.IntN(len(scopes))], Amount: gbp(rng.IntN(1300))}
			if rng.IntN(4) == 0 {
				req.Amount = coprod.Amount{}
			}
			if !l.Scope.Covers(req.Scope) {
				continue
			}
			at := day(rng.IntN(420) - 10)
			// The same usage answers for both checks.
			seed := rng.Uint64()
			req.Usage = UsageFunc(func(id uuid.UUID, _ coprod.Window) (coprod.Amount, error) {
				return gbp(int((seed ^ uint64(id[0])) % 5000)), nil
			})
			// A second instant, payers on and off the path, and amounts
			// in a unit no limit is in.
			if rng.IntN(3) == 0 {
				req.Effective = day(rng.IntN(420) - 10)
			}
			for range rng.IntN(3) {
				req.Payers = append(req.Payers, parties[rng.IntN(len(parties))])
			}
			if rng.IntN(8) == 0 && req.Amount.IsSet() {
				req.Amount = coprod.MustParseAmount("1", coprod.Hours)
			}
			e := evaluation{r: r, req: &req, at: at}
			e.usage = fetchUsage(&req, at, e.cappedLinks())
			fast, fastJoint, _ := e.pathOK(l, uuid.Nil)
			var reasons reasonSet
			joint := e.pathReasons(l, &reasons)
			if fast != (len(reasons.list) == 0) {
				t.Fatalf("round %d: fast=%t but reasons %v", round, fast, reasons.list)
			}
			if fast && fastJoint != (joint != nil) {
				t.Fatalf("round %d: joint fast=%t slow=%v", round, fastJoint, joint)
			}
			checked++
			if l.depth > 1 && aboveReserved(l.root, req.Scope, req.Amount) {
				thresholds++
			}
			if l.depth >= 3 {
				deep++
			}
		}
	}
	if deep < 100 {
		t.Fatalf("only %d comparisons on paths of depth 3 or more", deep)
	}
	if thresholds < 100 {
		t.Fatalf("only %d comparisons on delegated paths above a reserved threshold", thresholds)
	}
	if checked < 1000 {
		t.Fatalf("only %d comparisons made", checked)
	}
}

func holderAbove(l *link) coprod.PartyID {
	if l.parent == nil {
		return l.To
	}
	return l.parent.To
}
