package governance

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomScope draws from few, similar segments ("a", "a-b", "ab", "a0",
// "b"), so that scopes are often prefixes of one another as strings but
// not as paths.
func randomScope(rng *rand.Rand) Scope {
	segments := []string{"a", "a-b", "ab", "a0", "b"}
	n := 1 + rng.IntN(3)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = segments[rng.IntN(len(segments))]
	}
	return MustParseScope(strings.Join(parts, "/"))
}

// TestScopeSetMatchesScan holds the sorted set to a scan of its members.
func TestScopeSetMatchesScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		members := make([]Scope, rng.IntN(8))
		for i := range members {
			members[i] = randomScope(rng)
		}
		set := newScopeSet(append([]Scope(nil), members...))
		for range 20 {
			s := randomScope(rng)
			var inside, overlapping bool
			for _, m := range members {
				inside = inside || s.Covers(m)
				overlapping = overlapping || s.Overlaps(m)
			}
			require.Equal(t, inside, set.anyInside(s), "members %v, inside %s", members, s)
			require.Equal(t, overlapping, set.anyOverlapping(s), "members %v, overlapping %s", members, s)
		}
	}
	assert.False(t, scopeSet(nil).anyOverlapping("a"))
}

// TestReservedIndexMatchesScan holds the index to a scan of every
// mandate's reserved matters, order included.
func TestReservedIndexMatchesScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		mandates := make([]*link, rng.IntN(5))
		for i := range mandates {
			l := &link{seq: i}
			for range rng.IntN(4) {
				l.reserved = append(l.reserved, randomScope(rng))
			}
			mandates[i] = l
		}
		idx := newReservedIndex(mandates)
		for range 20 {
			s := randomScope(rng)
			var want []reservedMatter
			for _, l := range mandates {
				for i, res := range l.reserved {
					if res.Overlaps(s) {
						want = append(want, reservedMatter{scope: res, mandate: l, index: i})
					}
				}
			}
			got := idx.overlapping([]reservedMatter{{scope: "kept"}}, s)
			require.Equal(t, Scope("kept"), got[0].scope, "dst is appended to")
			require.Equal(t, len(want), len(got)-1, "scope %s", s)
			for i := range want {
				assert.Equal(t, want[i].scope, got[i+1].scope)
				assert.Same(t, want[i].mandate, got[i+1].mandate)
				assert.Equal(t, want[i].index, got[i+1].index)
			}
		}
	}
}
