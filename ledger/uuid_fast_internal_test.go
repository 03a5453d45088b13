package ledger

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

// fastUUID runs the fast decoder's UUID reader on the JSON string s.
func fastUUID(s []byte) (uuid.UUID, bool) {
	var u uuid.UUID
	d := fastDecoder{b: s}
	return u, d.uuid(&u) && len(d.b) == 0
}

// TestFastUUIDAgreesOnEveryByteAtEveryPlace puts each of the 256 byte
// values at each of a UUID's 36 places, in lower, upper and mixed case,
// and holds the fast reader to uuid.ParseBytes: it reads what the encoder
// writes, and whatever it reads, ParseBytes reads to the same UUID.
func TestFastUUIDAgreesOnEveryByteAtEveryPlace(t *testing.T) {
	bases := []string{
		"0a000000-0000-4000-8000-0000004c2357",
		"f47ac10b-58cc-4372-a567-0e02b2c3d479",
		"F47AC10B-58CC-4372-A567-0E02B2C3D479",
		"aBcDeF09-8765-4321-fEdC-ba9876543210",
		"ffffffff-ffff-ffff-ffff-ffffffffffff",
		"00000000-0000-0000-0000-000000000000",
	}
	accepted := 0
	for _, base := range bases {
		for at := range len(base) {
			for c := range 256 {
				s := []byte(base)
				s[at] = byte(c)
				want, err := uuid.ParseBytes(s)
				got, ok := fastUUID([]byte(`"` + string(s) + `"`))
				if ok {
					accepted++
					if err != nil {
						t.Fatalf("%q: the fast reader reads %v; ParseBytes refuses it: %v", s, got, err)
					}
					if got != want {
						t.Fatalf("%q: the fast reader reads %v; ParseBytes reads %v", s, got, want)
					}
				} else if err == nil && c != '"' && c != '\\' {
					// A string ParseBytes reads, with nothing a JSON
					// string would escape, is the encoder's form.
					t.Fatalf("%q: ParseBytes reads %v; the fast reader declines it", s, want)
				}
			}
		}
	}
	if accepted == 0 {
		t.Fatal("the fast reader accepted nothing")
	}
}

// FuzzFastUUID holds the fast reader to uuid.ParseBytes on any string.
func FuzzFastUUID(f *testing.F) {
	for _, s := range []string{
		"0a000000-0000-4000-8000-0000004c2357", "F47AC10B-58CC-4372-A567-0E02B2C3D479",
		"g47ac10b-58cc-4372-a567-0e02b2c3d479", "f47ac10b-58cc-4372-a567-0e02b2c3d47\x80",
		"f47ac10b_58cc-4372-a567-0e02b2c3d479", strings.Repeat("9", 36), "@`GFgf/:",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := fastUUID([]byte(`"` + s + `"`))
		if !ok {
			return // declined: encoding/json and ParseBytes decide
		}
		want, err := uuid.ParseBytes([]byte(s))
		if err != nil || got != want {
			t.Fatalf("%q: the fast reader reads %v; ParseBytes reads %v, %v", s, got, want, err)
		}
	})
}

// TestAppendUUIDAgreesWithTheUUIDPackage holds the encoder's UUIDs to
// uuid.UUID.String: every byte value at every place, and random UUIDs,
// each read back by the fast reader to the same UUID.
func TestAppendUUIDAgreesWithTheUUIDPackage(t *testing.T) {
	check := func(u uuid.UUID) {
		t.Helper()
		got := string(appendUUID([]byte("x"), u))
		if want := `x"` + u.String() + `"`; got != want {
			t.Fatalf("appendUUID(%x) = %s, want %s", u[:], got, want)
		}
		if back, ok := fastUUID([]byte(got[1:])); !ok || back != u {
			t.Fatalf("%s reads back as %v (%v)", got, back, ok)
		}
	}
	for at := range 16 {
		for c := range 256 {
			var u uuid.UUID
			for i := range u {
				u[i] = byte(i * 17)
			}
			u[at] = byte(c)
			check(u)
		}
	}
	for i := range 10_000 {
		check(uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(i), byte(i >> 8)}))
	}
}
