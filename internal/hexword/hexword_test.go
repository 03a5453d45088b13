package hexword

import (
	"encoding/binary"
	"encoding/hex"
	"testing"
)

// TestEncodeAgreesWithEncodingHex: every value of each byte, the others
// fixed at several patterns.
func TestEncodeAgreesWithEncodingHex(t *testing.T) {
	for _, base := range []uint32{0, 0xffffffff, 0x12345678, 0x9abcdef0, 0x0a0b0c0d} {
		for at := range 4 {
			for c := range 256 {
				v := base&^(0xff<<(8*at)) | uint32(c)<<(8*at)
				var src [4]byte
				var got [8]byte
				binary.LittleEndian.PutUint32(src[:], v)
				binary.LittleEndian.PutUint64(got[:], Encode(v))
				if want := hex.EncodeToString(src[:]); string(got[:]) != want {
					t.Fatalf("Encode(%08x) = %q, want %q", v, got[:], want)
				}
				if back, ok := Decode(binary.LittleEndian.Uint64(got[:])); !ok || back != v {
					t.Fatalf("Decode(%q) = %08x, %v; want %08x", got[:], back, ok, v)
				}
			}
		}
	}
}

// TestEncodeTo: a hash's 32 bytes, as encoding/hex writes them.
func TestEncodeTo(t *testing.T) {
	src := make([]byte, 32)
	for i := range src {
		src[i] = byte(i*37 + 11)
	}
	dst := make([]byte, 64)
	EncodeTo(dst, src)
	if want := hex.EncodeToString(src); string(dst) != want {
		t.Fatalf("EncodeTo = %s, want %s", dst, want)
	}
}

// FuzzDecode holds Decode to the byte-at-a-time reference on any eight
// bytes.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("0123abcd"))
	f.Add([]byte("ABCDEF0g"))
	f.Add([]byte("\x80\xff:@`/Gg"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var b [8]byte
		copy(b[:], in)
		want, wok := byteAtATime(b)
		got, gok := Decode(binary.LittleEndian.Uint64(b[:]))
		if wok != gok || want != got {
			t.Fatalf("%q: the reference reads %08x, %v; Decode %08x, %v", b, want, wok, got, gok)
		}
	})
}

// hexDigit is a hexadecimal digit's value, in either case, as
// uuid.ParseBytes reads it.
func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// byteAtATime is Decode a byte at a time, as uuid.ParseBytes reads.
func byteAtATime(b [8]byte) (uint32, bool) {
	var out [4]byte
	for i := range out {
		hi, ok1 := hexDigit(b[2*i])
		lo, ok2 := hexDigit(b[2*i+1])
		if !ok1 || !ok2 {
			return 0, false
		}
		out[i] = hi<<4 | lo
	}
	return binary.LittleEndian.Uint32(out[:]), true
}

// TestAttackDecodeEveryPairOfBytes puts every pair of byte values at every
// pair of places of a word of eight digits (in lower, upper and mixed
// case) and holds Decode to a byte-at-a-time reference: a carry or borrow
// from one byte's lane into the next (bytes of 0x80 and above, the
// bounds '/', ':', '@', 'G', '`', 'g' beside each other) would show as a
// pair one reads and the other refuses, or reads otherwise. Two at a time
// suffice: a lane is touched only by its own byte and its lower
// neighbour's carry. It holds.
func TestAttackDecodeEveryPairOfBytes(t *testing.T) {
	for _, base := range []string{"0123abcd", "FfAa9900", "e4C7b2D9"} {
		w := [8]byte([]byte(base))
		for i := range 8 {
			for j := i + 1; j < 8; j++ {
				for x := range 256 {
					for y := range 256 {
						b := w
						b[i], b[j] = byte(x), byte(y)
						want, wok := byteAtATime(b)
						got, gok := Decode(binary.LittleEndian.Uint64(b[:]))
						if wok != gok || want != got {
							t.Fatalf("%q: the reference reads %08x, %v; Decode %08x, %v", b, want, wok, got, gok)
						}
					}
				}
			}
		}
	}
}
