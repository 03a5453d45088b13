package idindex

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"
)

// seqID is an ID of the structured kind callers make (a prefix and a
// counter), the worst case for a hash that takes bits as they come.
func seqID(i int) uuid.UUID {
	var id uuid.UUID
	id[0] = 0x0a
	binary.BigEndian.PutUint64(id[8:], uint64(i))
	return id
}

func TestIndexAgreesWithAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var x Index
	var ids []uuid.UUID
	want := map[uuid.UUID]int{}
	idAt := func(p int) uuid.UUID { return ids[p] }
	for i := range 200_000 {
		var id uuid.UUID
		if i%2 == 0 {
			id = seqID(i)
		} else {
			binary.LittleEndian.PutUint64(id[:8], rng.Uint64())
			binary.LittleEndian.PutUint64(id[8:], rng.Uint64())
		}
		if _, ok := x.Find(id, idAt); ok {
			t.Fatalf("Find(%v) before Insert: found", id)
		}
		x.Insert(id, len(ids))
		want[id] = len(ids)
		ids = append(ids, id)
		// Every so often, look up a held ID and an absent one.
		if i%97 == 0 {
			j := rng.IntN(len(ids))
			if p, ok := x.Find(ids[j], idAt); !ok || p != j {
				t.Fatalf("Find(ids[%d]) = %d, %v", j, p, ok)
			}
			if _, ok := x.Find(seqID(-1-i), idAt); ok {
				t.Fatalf("Find of an absent ID: found")
			}
		}
	}
	if x.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", x.Len(), len(want))
	}
	for id, p := range want {
		if got, ok := x.Find(id, idAt); !ok || got != p {
			t.Fatalf("Find(%v) = %d, %v; want %d", id, got, ok, p)
		}
	}
	// Load stays at most five eighths.
	if x.n*8 > len(x.slots)*5 {
		t.Fatalf("%d IDs in %d slots", x.n, len(x.slots))
	}
}

// TestIndexReadsRecordsOnlyOnHashMatch checks the point of the table: a
// lookup that misses almost never reads the caller's records.
func TestIndexReadsRecordsOnlyOnHashMatch(t *testing.T) {
	var x Index
	var ids []uuid.UUID
	reads := 0
	idAt := func(p int) uuid.UUID { reads++; return ids[p] }
	const n = 100_000
	for i := range n {
		x.Insert(seqID(i), i)
		ids = append(ids, seqID(i))
	}
	for i := range n {
		if _, ok := x.Find(seqID(n+i), idAt); ok {
			t.Fatal("absent ID found")
		}
	}
	if reads > n/100 {
		t.Fatalf("%d misses read %d records; want at most %d", n, reads, n/100)
	}
}

func TestIndexZeroValue(t *testing.T) {
	var x Index
	if _, ok := x.Find(uuid.Nil, func(int) uuid.UUID { panic("read on an empty index") }); ok {
		t.Fatal("empty index found an ID")
	}
	x.Insert(uuid.Nil, 0)
	if p, ok := x.Find(uuid.Nil, func(int) uuid.UUID { return uuid.Nil }); !ok || p != 0 {
		t.Fatalf("Find(Nil) = %d, %v", p, ok)
	}
}

func TestIndexRefusesBadPositions(t *testing.T) {
	for _, pos := range []int{-1, MaxLen} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Insert at %d did not panic", pos)
				}
			}()
			var x Index
			x.Insert(seqID(1), pos)
		}()
	}
}

// BenchmarkFindMiss looks up absent IDs in indexes of 100,000 and
// 10,000,000, against a Go map of the same IDs: the miss is what every
// new record pays.
func BenchmarkFindMiss(b *testing.B) {
	for _, n := range []int{100_000, 10_000_000} {
		if n > 1_000_000 && testing.Short() {
			continue
		}
		var x Index
		m := make(map[uuid.UUID]int)
		ids := make([]uuid.UUID, n)
		for i := range ids {
			ids[i] = seqID(i)
			x.Insert(ids[i], i)
			m[ids[i]] = i
		}
		idAt := func(p int) uuid.UUID { return ids[p] }
		probe := make([]uuid.UUID, 1<<16)
		for i := range probe {
			probe[i] = seqID(n + i*7919)
		}
		name := "n=100k"
		if n > 100_000 {
			name = "n=10M"
		}
		b.Run(name+"/index", func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, ok := x.Find(probe[i&(len(probe)-1)], idAt); ok {
					b.Fatal("found")
				}
				i++
			}
		})
		b.Run(name+"/map", func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, ok := m[probe[i&(len(probe)-1)]]; ok {
					b.Fatal("found")
				}
				i++
			}
		})
	}
}

// BenchmarkBuild checks then inserts each of 10,000,000 new IDs, as a
// ledger growing from empty does, against a Go map: ns/op is per ID.
func BenchmarkBuild(b *testing.B) {
	if testing.Short() {
		b.Skip("10,000,000 IDs")
	}
	const n = 10_000_000
	ids := make([]uuid.UUID, n)
	for i := range ids {
		ids[i] = seqID(i * 31)
	}
	idAt := func(p int) uuid.UUID { return ids[p] }
	b.Run("index", func(b *testing.B) {
		for range b.N {
			var x Index
			for i, id := range ids {
				if _, ok := x.Find(id, idAt); ok {
					b.Fatal("found")
				}
				x.Insert(id, i)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/id")
	})
	b.Run("map", func(b *testing.B) {
		for range b.N {
			m := make(map[uuid.UUID]int)
			for i, id := range ids {
				if _, ok := m[id]; ok {
					b.Fatal("found")
				}
				m[id] = i
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/id")
	})
}

// TestIndexHoldsStringsByHash keeps paths by their hashes (as the ledger
// keeps scopes): every path held is found, paths never inserted are not, and two paths
// inserted under one hash (a collision, forced here) are told apart by
// match alone.
func TestIndexHoldsStringsByHash(t *testing.T) {
	var x Index
	var keys []string
	match := func(s string) func(int) bool { return func(p int) bool { return keys[p] == s } }
	for i := range 50_000 {
		s := "commission/s" + string(rune('a'+i%26)) + "/d" + string(rune('0'+i%10)) + "-" + uuid.NewSHA1(uuid.Nil, []byte{byte(i), byte(i >> 8)}).String()
		if _, ok := x.FindHashed(x.HashString(s), match(s)); ok {
			continue // a repeat of the generator's
		}
		keys = append(keys, s)
		x.InsertHashed(x.HashString(s), len(keys)-1)
	}
	for p, s := range keys {
		if got, ok := x.FindHashed(x.HashString(s), match(s)); !ok || got != p {
			t.Fatalf("%q: found at %d (%v), held at %d", s, got, ok, p)
		}
		if _, ok := x.FindHashed(x.HashString(s+"/x"), match(s+"/x")); ok {
			t.Fatalf("%q: found, never inserted", s+"/x")
		}
	}
	// Two paths under one hash: each is found by its own match only.
	h := x.HashString(keys[0])
	keys = append(keys, "a path of another hash")
	x.InsertHashed(h, len(keys)-1)
	for _, s := range []string{keys[0], keys[len(keys)-1]} {
		if got, ok := x.FindHashed(h, match(s)); !ok || keys[got] != s {
			t.Fatalf("%q under a shared hash: found at %d (%v)", s, got, ok)
		}
	}
	if x.Len() != len(keys) {
		t.Fatalf("Len %d, want %d", x.Len(), len(keys))
	}
}
