package governance_test

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/internal/lockcheck"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
)

func awardsOf(awards ...coprod.Award) iter.Seq[coprod.Award] { return slices.Values(awards) }

func TestCheckAwards(t *testing.T) {
	at := date(2026, 3, 31)
	year := coprod.Window{NotBefore: date(2025, 4, 1), Expires: date(2026, 4, 1)}
	award := func(name, scope, to, decider, amount string, when time.Time) coprod.Award {
		return coprod.Award{ID: id(name), Scope: coprod.Scope(scope), To: id(to), Decider: id(decider), Amount: gbp(amount), Instrument: id("d-contracts"), At: when}
	}
	const in = "commission/contracts/award"
	may, jun, jul := date(2025, 5, 1), date(2025, 6, 1), date(2025, 7, 1)
	tests := []struct {
		name     string
		awards   []coprod.Award
		want     []governance.Code
		subjects []uuid.UUID // of the first new finding
	}{
		{name: "three awards to one party pass the threshold together",
			awards: []coprod.Award{award("a1", in, "temple", "officer", "20000", may), award("a2", in+"/iapt", "temple", "officer", "20000", jun), award("a3", in, "temple", "hub", "15000", jul)},
			want:   []governance.Code{governance.CodeSplitBelowReservation}, subjects: []uuid.UUID{id("m-board"), id("temple"), id("a1"), id("a2"), id("a3")}},
		{name: "below the threshold together",
			awards: []coprod.Award{award("a1", in, "temple", "officer", "20000", may), award("a2", in, "temple", "officer", "30000", jun)}},
		{name: "to different parties",
			awards: []coprod.Award{award("a1", in, "temple", "officer", "40000", may), award("a2", in, "church", "officer", "40000", jun)}},
		{name: "the holder's own awards split nothing",
			awards: []coprod.Award{award("a1", in, "temple", "council", "40000", may), award("a2", in, "temple", "council", "40000", jun)}},
		{name: "outside the window",
			awards: []coprod.Award{award("a1", in, "temple", "officer", "40000", date(2025, 3, 1)), award("a2", in, "temple", "officer", "40000", jun)}},
		{name: "after the time of the check",
			awards: []coprod.Award{award("a1", in, "temple", "officer", "40000", may), award("a2", in, "temple", "officer", "40000", date(2026, 4, 2))}},
		{name: "payments in their own scope are not awards",
			awards: []coprod.Award{award("a1", "commission/contracts/payments", "temple", "officer", "40000", may), award("a2", "commission/contracts/payments", "temple", "officer", "40000", jun)}},
		{name: "an award in another unit is not counted",
			awards: []coprod.Award{award("a1", in, "temple", "officer", "40000", may), {ID: id("a2"), Scope: in, To: id("temple"), Decider: id("officer"), Amount: coprod.MustParseAmount("40000", coprod.Hours), At: jun}}},
		{name: "one award above the threshold, not by the holder",
			awards: []coprod.Award{award("a1", in, "church", "officer", "60000", may)},
			want:   []governance.Code{governance.CodeReservedAbove}, subjects: []uuid.UUID{id("m-board"), id("a1")}},
		{name: "malformed awards are skipped",
			awards: []coprod.Award{award("a1", "Not A Scope", "temple", "officer", "40000", may), {ID: id("a2"), Scope: in, To: id("temple"), At: jun}, award("a3", in, "temple", "officer", "-40000", jun)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reservedRegister(t)
			plain := r.Check(at)
			rep := r.CheckAwards(at, year, awardsOf(tt.awards...))
			var added []governance.Finding
			for _, f := range rep.Findings {
				if !slices.ContainsFunc(plain.Findings, func(g governance.Finding) bool { return g.Code == f.Code && slices.Equal(g.Subjects, f.Subjects) }) {
					added = append(added, f)
				}
			}
			var got []governance.Code
			for _, f := range added {
				got = append(got, f.Code)
			}
			assert.Equal(t, tt.want, got, rep.String())
			if len(tt.want) > 0 {
				assert.Equal(t, tt.subjects, added[0].Subjects)
				assert.NotContains(t, added[0].Reason, "\n")
				if tt.want[0] == governance.CodeSplitBelowReservation {
					assert.Equal(t, governance.SeverityWarning, added[0].Severity)
					assert.Contains(t, added[0].Reason, "3 awards to temple in commission/contracts/award")
					assert.Contains(t, added[0].Reason, "55000.00 GBP")
				} else {
					assert.Equal(t, governance.SeverityError, added[0].Severity)
				}
			}
		})
	}
}

// TestCheckAwardsRunsNoCallerCodeUnderTheLock has the award sequence record
// into the register while a writer waits: under the read lock it would
// deadlock.
func TestCheckAwardsRunsNoCallerCodeUnderTheLock(t *testing.T) {
	r := reservedRegister(t)
	at := date(2026, 3, 31)
	lockcheck.UnderWrites(t,
		func(i int) error {
			return r.AddParty(coprod.Party{ID: id(fmt.Sprint("writer-", i)), Name: "writer", Sector: coprod.Individual})
		},
		func(poke func()) error {
			seq := func(yield func(coprod.Award) bool) {
				for i := range 3 {
					poke()
					_ = r.Len()
					if !yield(coprod.Award{ID: id(fmt.Sprint("a", i)), Scope: "commission/contracts/award", To: id("temple"),
						Decider: id("officer"), Amount: gbp("20000"), At: date(2025, 5, 1)}) {
						return
					}
				}
			}
			if !r.CheckAwards(at, coprod.Window{}, seq).Has(governance.CodeSplitBelowReservation) {
				return errors.New("split not found")
			}
			return nil
		})
}
