// Package idindex maps UUIDs to positions in a caller's slice with one
// flat open-addressing table: a lookup that misses, the common case when a
// new record is checked for a retry, reads one cache line of the table,
// where a Go map of ten million entries follows a directory, a table and a
// group, each a miss of its own. The table holds numbers only, so the
// garbage collector never scans it.
//
// The table keeps a 32-bit hash of each ID, not the ID: the caller
// confirms a candidate by comparing the ID held at the position, so a
// lookup costs one read of the caller's record only when the hashes agree
// (for a retry, or about one lookup in several hundred by chance).
// Hashes are seeded per index, so that IDs chosen to collide in one
// process do not collide in another.
//
// Other keys (a scope's path, say) are held the same way: the caller
// hashes them with the index's seed and confirms a candidate itself
// (FindHashed, InsertHashed).
package idindex

import (
	"hash/maphash"

	"github.com/google/uuid"
)

// MaxLen is the most IDs an Index holds: positions are kept in 32 bits.
const MaxLen = 1<<32 - 2

// Index maps IDs to positions. The zero Index is empty and ready to use.
// It is not safe for concurrent use: the caller's lock guards it.
type Index struct {
	seed  maphash.Seed
	slots []uint64 // hash<<32 | position+1; 0 is an empty slot
	n     int
	bits  uint // len(slots) == 1<<bits
}

// Len returns the number of IDs held.
func (x *Index) Len() int { return x.n }

func (x *Index) hash(id uuid.UUID) uint32 {
	return uint32(maphash.Bytes(x.seed, id[:]) >> 32)
}

// home is where a probe for hash h begins: the top bits of h, so that a
// table twice the size splits each run in two.
func (x *Index) home(h uint32) uint64 { return uint64(h) >> (32 - x.bits) }

// Find returns the position of id, given idAt, which returns the ID held
// at a position; ok is false if id is not held.
func (x *Index) Find(id uuid.UUID, idAt func(pos int) uuid.UUID) (pos int, ok bool) {
	if x.n == 0 {
		return 0, false
	}
	return x.FindHashed(x.hash(id), func(p int) bool { return idAt(p) == id })
}

// Insert records that id is at pos. The caller must know id is not held
// (Find said so under the same lock) and that pos is in [0, MaxLen).
func (x *Index) Insert(id uuid.UUID, pos int) {
	x.init()
	x.InsertHashed(x.hash(id), pos)
}

// HashString returns the index's hash of s, for FindHashed and
// InsertHashed.
func (x *Index) HashString(s string) uint32 {
	x.init()
	return uint32(maphash.String(x.seed, s) >> 32)
}

// FindHashed returns the first position held under hash h for which
// match reports true; ok is false if there is none. match is called only
// for positions held under h.
func (x *Index) FindHashed(h uint32, match func(pos int) bool) (pos int, ok bool) {
	if x.n == 0 {
		return 0, false
	}
	mask := uint64(len(x.slots) - 1)
	for i := x.home(h); ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			return 0, false
		}
		if uint32(s>>32) == h {
			if p := int(uint32(s)) - 1; match(p) {
				return p, true
			}
		}
	}
}

// InsertHashed records that the key hashed to h is at pos. The caller
// must know the key is not held (FindHashed said so under the same lock)
// and that pos is in [0, MaxLen).
func (x *Index) InsertHashed(h uint32, pos int) {
	if pos < 0 || pos >= MaxLen {
		panic("idindex: position out of range")
	}
	x.init()
	// Grow at five eighths full: linear probes stay short, and within a
	// cache line or two.
	if (x.n+1)*8 > len(x.slots)*5 {
		x.grow()
	}
	x.put(uint64(h)<<32 | uint64(pos+1))
	x.n++
}

// init makes the seed and the first table, once.
func (x *Index) init() {
	if x.slots == nil {
		x.seed = maphash.MakeSeed()
		x.bits = 3
		x.slots = make([]uint64, 1<<x.bits)
	}
}

func (x *Index) put(s uint64) {
	mask := uint64(len(x.slots) - 1)
	i := x.home(uint32(s >> 32))
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = s
}

// grow doubles the table, placing each slot by the hash it holds: no ID
// is read again.
func (x *Index) grow() {
	if x.bits == 32 {
		panic("idindex: table full")
	}
	old := x.slots
	x.bits++
	x.slots = make([]uint64, 1<<x.bits)
	for _, s := range old {
		if s != 0 {
			x.put(s)
		}
	}
}
