package assessment

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// TestCommunityOverlappingMatchesScan checks the scope index against the
// plain scan it replaces: every live community-side holding whose scope
// overlaps the activity's, over random trees of scopes with shared
// prefixes that are not segment boundaries ("a/b" and "a/bc").
func TestCommunityOverlappingMatchesScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	segs := []string{"a", "b", "bc", "c", "b-c"}
	scope := func() coprod.Scope {
		n := 1 + rng.IntN(4)
		s := "commission"
		for range n {
			s += "/" + segs[rng.IntN(len(segs))]
		}
		return coprod.Scope(s)
	}
	for round := range 50 {
		p := &Pass{parties: map[coprod.PartyID]coprod.Party{}}
		for i := range 40 {
			holder := uuid.UUID{0: byte(round), 1: byte(i)}
			sector := coprod.Community
			if i%3 == 0 {
				sector = coprod.Statutory
			}
			p.parties[holder] = coprod.Party{ID: holder, Sector: sector}
			p.links = append(p.links, holding{id: uuid.UUID{0: byte(round), 1: byte(i), 2: 1}, holder: holder, scope: scope()})
		}
		for range 40 {
			s := scope()
			if rng.IntN(10) == 0 {
				s = "commission"
			}
			var want []uuid.UUID
			for _, h := range p.links {
				if p.community(h.holder) && h.scope.Overlaps(s) {
					want = append(want, h.id)
				}
			}
			var got []uuid.UUID
			for _, h := range p.communityOverlapping(s) {
				got = append(got, h.id)
			}
			if w, g := ids(want...), ids(got...); !slices.Equal(w, g) || len(got) != len(want) {
				t.Fatalf("round %d, scope %s: index gives %d holdings %v, the scan %d %v", round, s, len(got), g, len(want), w)
			}
		}
		if got := p.communityOverlapping(""); len(got) != 0 {
			t.Fatal(fmt.Sprint("the zero scope overlaps ", got))
		}
	}
}

// TestWithIDMatchesIDs checks withID against the sort it saves.
func TestWithIDMatchesIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	for range 2_000 {
		var in []uuid.UUID
		for range rng.IntN(20) {
			in = append(in, uuid.UUID{0: byte(rng.IntN(30))})
		}
		sorted := ids(in...)
		id := uuid.UUID{0: byte(rng.IntN(30))}
		if got, want := withID(sorted, id), ids(append(slices.Clone(sorted), id)...); !slices.Equal(got, want) {
			t.Fatalf("withID(%v, %v) = %v, want %v", sorted, id, got, want)
		}
	}
}
