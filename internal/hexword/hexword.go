// Package hexword reads and writes hexadecimal digits eight at a time,
// in one 64-bit word, where encoding/hex and the uuid package go a byte at
// a time through a table. The journal writes and reads two hashes and
// several UUIDs a line: at ten million lines, a table lookup per digit
// was a fifth of decoding a record.
//
// A word holds its digits as they lie in memory, the first in its low
// byte (encoding/binary.LittleEndian reads and writes it).
package hexword

import "encoding/binary"

const (
	ones = 0x0101010101010101
	high = 0x8080808080808080
)

// Encode writes the four bytes of v (the first in its low byte) as eight
// lower-case hexadecimal digits, as encoding/hex does.
func Encode(v uint32) uint64 {
	// Spread the bytes to every other byte: byte i to byte 2i.
	t := uint64(v)
	t = (t | t<<16) & 0x0000ffff0000ffff
	t = (t | t<<8) & 0x00ff00ff00ff00ff
	// Each byte's high digit in its own place, its low digit in the next.
	n := (t>>4)&0x000f000f000f000f | (t&0x000f000f000f000f)<<8
	// '0'-'9' for 0-9, 'a'-'f' for 10-15: adding 0x76 sets a byte's top
	// bit when it is 10 or more, and carries into no other byte.
	letters := (n + 0x76*ones) >> 7 & ones
	return n + '0'*ones + letters*('a'-'0'-10)
}

// Decode reads eight hexadecimal digits, in either case as
// uuid.ParseBytes reads them, and returns the four bytes they spell, the
// first in its low byte. It reports false if any byte of v is not a
// hexadecimal digit.
func Decode(v uint64) (uint32, bool) {
	// For bytes below 0x80, adding 0x80-lo sets a byte's top bit when
	// it is at least lo, adding 0x7f-hi when it is above hi, and neither
	// carries into the next byte.
	digit := (v + (0x80-'0')*ones) &^ (v + (0x7f-'9')*ones)
	lower := v | 0x20*ones // 'A'-'F' to 'a'-'f'; only they and 'a'-'f' land there
	letter := (lower + (0x80-'a')*ones) &^ (lower + (0x7f-'f')*ones)
	if v&high != 0 || (digit|letter)&high != high {
		return 0, false
	}
	// A digit's value is its low four bits; a letter's, those plus 9.
	n := v&(0x0f*ones) + (letter&high)>>7*9
	// Each pair of digits to a byte, then the four bytes together.
	n = (n&0x000f000f000f000f)<<4 | (n>>8)&0x000f000f000f000f
	n = (n | n>>8) & 0x0000ffff0000ffff
	return uint32(n | n>>16), true
}

// EncodeTo writes src as lower-case hexadecimal digits to dst, as
// encoding/hex.Encode does. len(src) must be a multiple of 4 and
// len(dst) at least twice it.
func EncodeTo(dst, src []byte) {
	le := binary.LittleEndian
	_ = dst[2*len(src)-1]
	for i := 0; i+4 <= len(src); i += 4 {
		le.PutUint64(dst[2*i:], Encode(le.Uint32(src[i:])))
	}
}
