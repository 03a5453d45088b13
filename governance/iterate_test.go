package governance_test

import (
	"fmt"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/internal/lockcheck"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIteratorsHoldNoLockInTheLoopBody reads the register again inside
// the body of every iterator while another goroutine keeps recording. An
// iterator that held the read lock while its body ran would deadlock as
// soon as the writer waited for the lock.
func TestIteratorsHoldNoLockInTheLoopBody(t *testing.T) {
	request := governance.Request{Actor: id("hub"), Scope: sc("commission/mental-health/iapt"), Amount: gbp("100")}
	// touch reads the register through several entry points, as a loop
	// body might.
	touch := func(r *governance.Register) error {
		if _, ok := r.Party(id("hub")); !ok {
			return fmt.Errorf("hub not found")
		}
		if _, ok := r.Activity(id("a-iapt")); !ok {
			return fmt.Errorf("activity not found")
		}
		_ = r.Authorize(request, checkAt)
		_ = r.Check(checkAt)
		_ = r.Len()
		return nil
	}
	delegation := func(i int) governance.Delegation {
		return governance.Delegation{ID: id(fmt.Sprint("writer-delegation-", i)), Parent: id("m-council"),
			From: id("council"), To: id("writer"), Scope: sc(fmt.Sprint("commission/written-", i)),
			TransactionLimit: gbp("100"), JointThreshold: gbp("100"),
			Window: coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2027, 4, 1)}}
	}
	tests := []struct {
		name string
		// write records one thing; it is called with 0, 1, 2, …
		write func(r *governance.Register, i int) error
		// loop ranges over one iterator, calls body for each element,
		// and ranges over the same iterator again inside the body.
		loop func(r *governance.Register, body func(id uuid.UUID) error) error
	}{
		{
			name: "Parties",
			write: func(r *governance.Register, i int) error {
				return r.AddParty(coprod.Party{ID: id(fmt.Sprint("written-party-", i)), Name: "written", Sector: coprod.Community})
			},
			loop: func(r *governance.Register, body func(uuid.UUID) error) error {
				for p := range r.Parties() {
					if err := body(p.ID); err != nil {
						return err
					}
					for range r.Parties() {
					}
				}
				return nil
			},
		},
		{
			name: "Mandates",
			write: func(r *governance.Register, i int) error {
				return r.AddMandate(governance.Mandate{ID: id(fmt.Sprint("written-mandate-", i)), Holder: id("writer"),
					Scope: sc(fmt.Sprint("written-", i)), Reserved: []governance.Scope{sc(fmt.Sprint("written-", i, "/budget"))}})
			},
			loop: func(r *governance.Register, body func(uuid.UUID) error) error {
				for m := range r.Mandates() {
					if err := body(m.ID); err != nil {
						return err
					}
					for range r.Mandates() {
					}
				}
				return nil
			},
		},
		{
			name:  "Delegations",
			write: func(r *governance.Register, i int) error { return r.Delegate(delegation(i)) },
			loop: func(r *governance.Register, body func(uuid.UUID) error) error {
				for d := range r.Delegations() {
					if err := body(d.ID); err != nil {
						return err
					}
					for range r.Delegations() {
					}
				}
				return nil
			},
		},
		{
			name: "Activities",
			// Revising changes the latest revision of activities the
			// loop has yet to reach.
			write: func(r *governance.Register, i int) error {
				a, _ := r.Activity(id("a-reference"))
				a.Name = fmt.Sprint("revision ", i)
				if err := r.ReviseActivity(a); err != nil {
					return err
				}
				return r.AddActivity(governance.Activity{ID: id(fmt.Sprint("written-activity-", i)), Name: "written",
					Scope: sc("commission/mental-health"), Responsible: []uuid.UUID{id("writer")}, Accountable: []uuid.UUID{id("hub")}})
			},
			loop: func(r *governance.Register, body func(uuid.UUID) error) error {
				for a := range r.Activities() {
					if err := body(a.ID); err != nil {
						return err
					}
					for range r.Activities() {
					}
				}
				return nil
			},
		},
		{
			name: "Interests",
			write: func(r *governance.Register, i int) error {
				return r.Declare(governance.Interest{ID: id(fmt.Sprint("written-interest-", i)), Holder: id("writer"), In: id("temple"),
					Category: governance.Financial, Touches: []governance.Scope{sc("commission/mental-health")}, Declared: date(2025, 1, 1)})
			},
			loop: func(r *governance.Register, body func(uuid.UUID) error) error {
				for in := range r.Interests() {
					if err := body(in.ID); err != nil {
						return err
					}
					for range r.Interests() {
					}
				}
				return nil
			},
		},
		{
			name: "Bodies",
			write: func(r *governance.Register, i int) error {
				p := coprod.Party{ID: id(fmt.Sprint("written-body-", i)), Name: "written body", Sector: coprod.Community}
				if err := r.AddParty(p); err != nil {
					return err
				}
				return r.AddBody(governance.Body{Party: p.ID, Rule: governance.RuleMajority})
			},
			loop: func(r *governance.Register, body func(uuid.UUID) error) error {
				for b := range r.Bodies() {
					if err := body(b.Party); err != nil {
						return err
					}
					for range r.Bodies() {
					}
				}
				return nil
			},
		},
		{
			name: "Memberships",
			write: func(r *governance.Register, i int) error {
				if _, ok := r.Body(id("writers-panel")); !ok {
					if err := r.AddParty(coprod.Party{ID: id("writers-panel"), Name: "Writers' panel", Sector: coprod.Community}); err != nil {
						return err
					}
					if err := r.AddBody(governance.Body{Party: id("writers-panel"), Rule: governance.RuleAny}); err != nil {
						return err
					}
				}
				// One member joins for a day at a time: no two overlap.
				from := date(2025, 1, 1).AddDate(0, 0, i)
				return r.Join(governance.Membership{ID: id(fmt.Sprint("written-membership-", i)), Body: id("writers-panel"),
					Member: id("writer"), Window: coprod.Window{NotBefore: from, Expires: from.AddDate(0, 0, 1)}})
			},
			loop: func(r *governance.Register, body func(uuid.UUID) error) error {
				for m := range r.Memberships() {
					if err := body(m.ID); err != nil {
						return err
					}
					for range r.Memberships() {
					}
				}
				return nil
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixture(t)
			require.NoError(t, r.AddParty(coprod.Party{ID: id("writer"), Name: "Writer", Sector: coprod.Individual}))
			for i := range 3 { // delegations, activities and interests the loops will see
				require.NoError(t, tt.write(r, 1000+i))
			}
			lockcheck.UnderWrites(t,
				func(i int) error { return tt.write(r, i) },
				func(poke func()) error {
					return tt.loop(r, func(uuid.UUID) error {
						poke()
						return touch(r)
					})
				})
		})
	}
}

// TestIteratorsYieldTheStateWhenIterationStarts pins what the iterators
// yield when the loop body records into the register: the records, and
// the revisions, there were when iteration started.
func TestIteratorsYieldTheStateWhenIterationStarts(t *testing.T) {
	t.Run("Activities", func(t *testing.T) {
		r := fixture(t)
		var before []string
		for a := range r.Activities() {
			before = append(before, a.Name)
		}
		var during []string
		for a := range r.Activities() {
			if len(during) == 0 {
				// Revise every activity and add one: the loop still
				// sees the revisions current when it started.
				for b := range r.Activities() {
					b.Name = "revised " + b.Name
					require.NoError(t, r.ReviseActivity(b))
				}
				require.NoError(t, r.AddActivity(governance.Activity{ID: id("late"), Name: "late", Scope: sc("commission")}))
			}
			during = append(during, a.Name)
		}
		assert.Equal(t, before, during)
		a, ok := r.Activity(id("a-iapt"))
		require.True(t, ok)
		assert.Equal(t, "revised IAPT at the temple", a.Name)
	})
	t.Run("Parties", func(t *testing.T) {
		// More parties than the iterator copies at a time.
		r := governance.NewRegister()
		var want []uuid.UUID
		for i := range 150 {
			p := party(fmt.Sprint("party-", i), coprod.Community)
			require.NoError(t, r.AddParty(p))
			want = append(want, p.ID)
		}
		var got []uuid.UUID
		for p := range r.Parties() {
			require.NoError(t, r.AddParty(party(fmt.Sprint("late-", len(got)), coprod.Community)))
			got = append(got, p.ID)
		}
		assert.Equal(t, want, got)
		n := 0
		for range r.Parties() {
			if n++; n == 70 {
				break
			}
		}
		assert.Equal(t, 70, n, "stopping early, in the second batch, is honoured")
	})
	t.Run("Mandates, Delegations and Interests", func(t *testing.T) {
		r := fixture(t)
		require.NoError(t, r.AddParty(coprod.Party{ID: id("writer"), Name: "Writer", Sector: coprod.Individual}))
		n := 0
		for range r.Mandates() {
			require.NoError(t, r.AddMandate(governance.Mandate{ID: id(fmt.Sprint("late-mandate-", n)), Holder: id("writer"), Scope: sc("late")}))
			n++
		}
		assert.Equal(t, 2, n)
		n = 0
		for range r.Delegations() {
			require.NoError(t, r.Delegate(governance.Delegation{ID: id(fmt.Sprint("late-delegation-", n)), Parent: id("m-council"),
				From: id("council"), To: id("writer"), Scope: sc("commission/late"), TransactionLimit: gbp("1"), JointThreshold: gbp("1"),
				Window: coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2027, 4, 1)}}))
			n++
		}
		assert.Equal(t, 5, n)
		n = 0
		for range r.Interests() {
			require.NoError(t, r.Declare(governance.Interest{ID: id(fmt.Sprint("late-interest-", n)), Holder: id("writer"), In: id("temple"),
				Category: governance.Financial, Declared: date(2025, 1, 1)}))
			n++
		}
		assert.Equal(t, 2, n)
	})
	t.Run("ActingFor", func(t *testing.T) {
		r := fixture(t)
		require.NoError(t, r.AddParty(coprod.Party{ID: id("writer"), Name: "Writer", Sector: coprod.Individual}))
		n := 0
		for a := range r.ActingFor() {
			// Recording, and reading, from the loop body: no lock is held.
			require.NoError(t, r.ActFor(governance.ActingFor{ID: id(fmt.Sprint("late-acting-", n)), Person: id("writer"), For: a.For, Role: governance.RoleTrustee}))
			_, _ = r.ActsFor(a.Person, a.For, checkAt)
			require.NoError(t, r.EndActing(governance.ActingEnd{ActingFor: a.ID, At: date(2025, 1, 1)}))
			n++
		}
		assert.Equal(t, 3, n)
		n = 0
		for range r.ActingFor() {
			if n++; n == 2 {
				break
			}
		}
		assert.Equal(t, 2, n, "stopping early is honoured")
	})
}
