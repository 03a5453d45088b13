package idindex

// Attacks on the flat table: IDs whose 32-bit hashes are equal (found by
// brute force under the index's own seed), IDs whose probes all start in
// the table's last slot and wrap around its end, uuid.Nil, and lookups of
// IDs never inserted that share a held ID's hash or home slot.

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"
)

func randomID(rng *rand.Rand) uuid.UUID {
	var id uuid.UUID
	binary.LittleEndian.PutUint64(id[:8], rng.Uint64())
	binary.LittleEndian.PutUint64(id[8:], rng.Uint64())
	return id
}

// TestAttackFullHashCollisions: IDs with the same 32-bit hash as one
// another are each found at their own position, and an ID never inserted
// that shares a held ID's hash is not found (the position is confirmed by
// the ID, not taken on the hash's word).
func TestAttackFullHashCollisions(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	var x Index
	var ids []uuid.UUID
	idAt := func(p int) uuid.UUID { return ids[p] }
	// The first insert chooses the seed; then find colliding IDs under it.
	ids = append(ids, uuid.Nil)
	x.Insert(uuid.Nil, 0)
	byHash := map[uint32]uuid.UUID{}
	var pairs [][2]uuid.UUID
	for len(pairs) < 8 {
		id := randomID(rng)
		h := x.hash(id)
		if other, ok := byHash[h]; ok && other != id {
			pairs = append(pairs, [2]uuid.UUID{other, id})
			delete(byHash, h)
			continue
		}
		byHash[h] = id
	}
	// Insert the first of each pair (and filler, so the table grows many
	// times around them), then look up both of each.
	for _, p := range pairs {
		ids = append(ids, p[0])
		x.Insert(p[0], len(ids)-1)
	}
	for range 50_000 {
		id := randomID(rng)
		ids = append(ids, id)
		x.Insert(id, len(ids)-1)
	}
	for i, p := range pairs {
		if got, ok := x.Find(p[0], idAt); !ok || ids[got] != p[0] {
			t.Fatalf("pair %d: held ID not found (%d, %v)", i, got, ok)
		}
		if got, ok := x.Find(p[1], idAt); ok {
			t.Fatalf("pair %d: an ID never inserted, with a held ID's hash, found at %d", i, got)
		}
	}
	// Now insert the second of each pair: both found, each at its own.
	for _, p := range pairs {
		ids = append(ids, p[1])
		x.Insert(p[1], len(ids)-1)
	}
	for i, p := range pairs {
		for _, id := range p {
			if got, ok := x.Find(id, idAt); !ok || ids[got] != id {
				t.Fatalf("pair %d: %v found at %d (%v), which holds %v", i, id, got, ok, ids[got])
			}
		}
	}
	if got, ok := x.Find(uuid.Nil, idAt); !ok || got != 0 {
		t.Fatalf("uuid.Nil: %d, %v", got, ok)
	}
	if x.Len() != len(ids) {
		t.Fatalf("Len %d, want %d", x.Len(), len(ids))
	}
}

// TestAttackProbesWrapAround: IDs chosen so that every probe starts at
// the table's last slot, at every size the table grows through, make a
// run that wraps around the end; each is found, and lookups of absent IDs
// with the same home end.
func TestAttackProbesWrapAround(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	var x Index
	var ids []uuid.UUID
	idAt := func(p int) uuid.UUID { return ids[p] }
	// The first insert chooses the seed; the IDs are chosen under it.
	first := randomID(rng)
	ids = append(ids, first)
	x.Insert(first, 0)
	var last []uuid.UUID
	for len(last) < 400 {
		id := randomID(rng)
		if x.hash(id)>>22 == 1<<10-1 { // top ten bits set: the last slot of any table up to 1,024 slots
			last = append(last, id)
		}
	}
	for i, id := range last[:300] {
		ids = append(ids, id)
		x.Insert(id, len(ids)-1)
		for _, held := range last[:i+1] {
			if got, ok := x.Find(held, idAt); !ok || ids[got] != held {
				t.Fatalf("after %d inserts: held ID not found (%d, %v)", i+1, got, ok)
			}
		}
	}
	for _, absent := range last[300:] {
		if got, ok := x.Find(absent, idAt); ok {
			t.Fatalf("absent ID found at %d", got)
		}
	}
	if got, ok := x.Find(first, idAt); !ok || got != 0 {
		t.Fatalf("first ID: %d, %v", got, ok)
	}
	if len(x.slots) > 1<<10 || x.slots[0] == 0 {
		t.Fatalf("the run did not wrap around a table of %d slots", len(x.slots))
	}
}
