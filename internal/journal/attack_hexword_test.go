package journal

// Attacks on the journal's move from encoding/hex to internal/hexword for
// the hex it writes (prev, hash, text_hash) and the hex it compares a
// line's stated hashes against (check, torn). The reference throughout is
// encoding/hex: refAppendLine writes a line as the format in journal.go
// says, with crypto/sha256, crypto/hmac and encoding/hex only, and every
// verdict is held to what a reader comparing against encoding/hex's
// lower-case digits must say.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/coprod/coprod/internal/journaltest"
	"github.com/stretchr/testify/require"
)

// refAppendLine is AppendLine written from the format alone, with
// encoding/hex (journaltest.Line).
func refAppendLine(dst []byte, seq int, prev Hash, key *Key, typ string, record, text []byte) ([]byte, Hash) {
	var line string
	var h Hash
	if key == nil {
		line, h = journaltest.Line(seq, prev, "", nil, typ, record, text, "")
	} else {
		line, h = journaltest.Line(seq, prev, key.ID, key.Secret, typ, record, text, "")
	}
	return append(dst, line...), h
}

// hwJournal writes n lines with AppendLine and with refAppendLine, chained
// from prev, every other one with free text, and returns both. The
// records and texts are chosen so that their hashes, and so every hex
// digit the line holds, range over all sixteen values.
func hwJournal(n int, prev Hash, key *Key) (got, want []byte) {
	pg, pw := prev, prev
	for i := 1; i <= n; i++ {
		rec := []byte(fmt.Sprintf(`{"id":%d,"s":"%x"}`, i, i*7919))
		var text []byte
		if i%2 == 0 {
			text = []byte(fmt.Sprintf(`{"memo":"line %d é \u00ff"}`, i))
		}
		got, pg = AppendLine(got, i, pg, key, types[i%2], rec, text)
		want, pw = refAppendLine(want, i, pw, key, types[i%2], rec, text)
	}
	return got, want
}

// hwKeys are the journals the attacks run over: unkeyed, and keyed.
var hwKeys = []*Key{nil, {ID: "k-1", Secret: []byte("secret")}}

func hwRing(key *Key) Keyring {
	if key == nil {
		return nil
	}
	return Keyring{key.ID: key.Secret}
}

// TestAttackHexwordJournalByteIdenticalToEncodingHex: AppendLine writes,
// byte for byte, the line encoding/hex writes, for chains started from a
// zero prev, an all-0xff prev and random prevs, keyed and not, with and
// without free text; and the hash it returns is the reference's.
func TestAttackHexwordJournalByteIdenticalToEncodingHex(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var ff Hash
	for i := range ff {
		ff[i] = 0xff
	}
	prevs := []Hash{{}, ff}
	for range 20 {
		var p Hash
		for i := range p {
			p[i] = byte(rng.Uint32())
		}
		prevs = append(prevs, p)
	}
	for _, key := range hwKeys {
		for _, prev := range prevs {
			got, want := hwJournal(40, prev, key)
			require.Equal(t, string(want), string(got))
		}
	}
	// AppendLine appending to a buffer already holding lines, with spare
	// room the hash's input is laid out in first.
	for _, key := range hwKeys {
		buf := make([]byte, 3, 4096)
		copy(buf, "xyz")
		got, hg := AppendLine(buf, 1, prevs[3], key, "account", []byte(`{"a":1}`), []byte(`{"t":"x"}`))
		want, hw := refAppendLine([]byte("xyz"), 1, prevs[3], key, "account", []byte(`{"a":1}`), []byte(`{"t":"x"}`))
		require.Equal(t, string(want), string(got))
		require.Equal(t, hw, hg)
	}
}

// hexFields returns the offsets of the hex digits of a line's prev, hash
// and text_hash (absent: -1).
func hexFields(line []byte) (prev, hash, text int) {
	prev = bytes.Index(line, []byte(`"prev":"`)) + len(`"prev":"`)
	hash = bytes.Index(line, []byte(`"hash":"`)) + len(`"hash":"`)
	text = bytes.Index(line, []byte(`"text_hash":"`))
	if text >= 0 {
		text += len(`"text_hash":"`)
	}
	return prev, hash, text
}

// lineStarts returns the offset at which each line of j starts.
func lineStarts(j []byte) []int {
	starts := []int{0}
	for i, c := range j {
		if c == '\n' && i+1 < len(j) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// hwMutations are the replacements tried for one hex digit: its upper
// case, every other hex digit in either case, and non-hex bytes next to
// the digit ranges, a quote, a NUL and bytes at and above 0x80 (those
// that hexword.Decode's word arithmetic treats specially).
func hwMutations(c byte) []byte {
	var out []byte
	for _, d := range []byte("0123456789abcdefABCDEF/:@G`g\"\\ \x00\x7f\x80\xb0\xc1\xe6\xff") {
		if d != c {
			out = append(out, d)
		}
	}
	return out
}

// TestAttackHexwordEveryHexDigitChangedIsRefused: changing any one hex
// digit of any line's prev, hash or text_hash, to its upper case, to
// another digit (one nibble off), or to any non-hex byte (bytes ≥ 0x80
// included), is refused by the reader, keyed and not, as an *Error naming
// that line and not as a tear; and Replay, with acceptTorn, refuses it
// too. A reader that compared case-insensitively, or through a decoder
// that let a byte ≥ 0x80 through, would accept the upper-case changes.
func TestAttackHexwordEveryHexDigitChangedIsRefused(t *testing.T) {
	for _, key := range hwKeys {
		j, want := hwJournal(6, Hash{}, key)
		require.Equal(t, string(want), string(j))
		lines, err := readAll(j, hwRing(key))
		require.NoError(t, err)
		require.Len(t, lines, 6)
		starts := lineStarts(j)
		for n, start := range starts {
			end := len(j)
			if n+1 < len(starts) {
				end = starts[n+1]
			}
			p, h, tx := hexFields(j[start:end])
			fields := map[string]int{"prev": p, "hash": h}
			if tx >= 0 {
				fields["text_hash"] = tx
			}
			for name, off := range fields {
				// Every third digit: each of the eight places in a word.
				for i := 0; i < 2*sha256.Size; i += 3 {
					at := start + off + i
					for _, c := range hwMutations(j[at]) {
						bad := bytes.Clone(j)
						bad[at] = c
						_, err := readAll(bad, hwRing(key))
						var je *Error
						require.True(t, errors.As(err, &je), "key %v line %d %s digit %d to %q: accepted", key != nil, n+1, name, i, c)
						require.Equal(t, n+1, je.Line)
						require.False(t, je.Torn)
						_, err = Replay(bytes.NewReader(bad), types, hwRing(key), true, nil)
						require.Error(t, err)
					}
				}
			}
		}
	}
}

// TestAttackHexwordCaseOfAWholeLine: a line whose prev and hash are all
// upper case, or whose digits alternate in case, is refused, even when
// its hash is computed over the upper-case prev it states (the chain
// links the hex encoding/hex writes, in lower case).
func TestAttackHexwordCaseOfAWholeLine(t *testing.T) {
	for _, key := range hwKeys {
		j, _ := hwJournal(3, Hash{}, key)
		starts := lineStarts(j)
		second := j[starts[1]:starts[2]]
		p, h, _ := hexFields(second)
		for _, mode := range []string{"upper", "mixed"} {
			bad := bytes.Clone(j)
			line := bad[starts[1]:starts[2]]
			for i := 0; i < 2*sha256.Size; i++ {
				for _, off := range []int{p, h} {
					if c := line[off+i]; 'a' <= c && c <= 'f' && (mode == "upper" || i%2 == 0) {
						line[off+i] = c - 'a' + 'A'
					}
				}
			}
			if bytes.Equal(bad, j) {
				continue // no letters at all: nothing to change
			}
			_, err := readAll(bad, hwRing(key))
			var je *Error
			require.True(t, errors.As(err, &je), "%s case accepted", mode)
			require.Equal(t, 2, je.Line)
		}
		// Line 2 rewritten with its hash computed over an upper-case prev.
		lines, err := readAll(j, hwRing(key))
		require.NoError(t, err)
		upperPrev := bytes.ToUpper([]byte(hex.EncodeToString(lines[0].Hash[:])))
		var sk []byte
		if key != nil {
			sk = key.Secret
		}
		var ph [hexLen]byte
		copy(ph[:], upperPrev)
		var scratch []byte
		kid := ""
		if key != nil {
			kid = key.ID
		}
		s := sum(&scratch, sk, 2, &ph, kid, lines[1].Type, lines[1].Record, nil)
		forged := bytes.Clone(second)
		copy(forged[p:], upperPrev)
		copy(forged[h:], hex.EncodeToString(s[:]))
		bad := append(append(bytes.Clone(j[:starts[1]]), forged...), j[starts[2]:]...)
		if !bytes.Equal(upperPrev, bytes.ToLower(upperPrev)) {
			_, err = readAll(bad, hwRing(key))
			var je *Error
			require.True(t, errors.As(err, &je), "a line linked through an upper-case prev was accepted")
			require.Equal(t, 2, je.Line)
		}
	}
}

// TestAttackHexwordTornFinalLine: a journal cut at any byte of its last
// line is torn (Replay with acceptTorn ends at the last whole line) when
// the cut leaves the line's bytes as written; if the cut-off line's hash
// or text_hash digits left standing are changed to upper case or to a
// byte ≥ 0x80, it is corrupt, not torn, as the lower-case reference says.
func TestAttackHexwordTornFinalLine(t *testing.T) {
	for _, key := range hwKeys {
		j, _ := hwJournal(4, Hash{}, key) // line 4 has text
		starts := lineStarts(j)
		last := starts[len(starts)-1]
		_, h, tx := hexFields(j[last:])
		require.Positive(t, tx)
		for cut := last + 1; cut < len(j); cut++ {
			got, err := Replay(bytes.NewReader(j[:cut]), types, hwRing(key), true, nil)
			require.NoError(t, err, "cut at %d", cut)
			require.Equal(t, 3, got.Seq)
			require.Equal(t, int64(last), got.Offset)
		}
		for _, off := range []int{h, tx} {
			for i := 0; i < 2*sha256.Size; i += 5 {
				at := last + off + i
				for _, c := range []byte{'A', 'F', 0x80, 0xe6, 'g'} {
					if c == j[at] {
						continue
					}
					bad := bytes.Clone(j[:at+1+i%3])
					bad[at] = c
					_, err := Replay(bytes.NewReader(bad), types, hwRing(key), true, nil)
					var je *Error
					require.True(t, errors.As(err, &je), "digit %d of the torn line to %q read as a tear", i, c)
					require.False(t, je.Torn)
					require.Equal(t, 4, je.Line)
				}
			}
		}
		// A cut inside the prev of the last line, with one prev digit
		// upper-cased, is corrupt too.
		p, _, _ := hexFields(j[last:])
		for i := 0; i < 2*sha256.Size; i++ {
			if c := j[last+p+i]; 'a' <= c && c <= 'f' {
				bad := bytes.Clone(j[:last+p+i+1])
				bad[last+p+i] = c - 'a' + 'A'
				_, err := Replay(bytes.NewReader(bad), types, hwRing(key), true, nil)
				var je *Error
				require.True(t, errors.As(err, &je))
				require.False(t, je.Torn, "an upper-case prev digit read as a tear")
				break
			}
		}
	}
}

// TestAttackHexwordEraseKeepsTheChain: erasing a line's text keeps every
// hash and text_hash as encoding/hex wrote them; the erased journal
// verifies, keyed and not, and is byte for byte the reference journal
// with that text cut.
func TestAttackHexwordEraseKeepsTheChain(t *testing.T) {
	for _, key := range hwKeys {
		j, want := hwJournal(6, Hash{}, key)
		require.Equal(t, string(want), string(j))
		var out bytes.Buffer
		require.NoError(t, Erase(bytes.NewReader(j), &out, 4, types))
		lines, err := readAll(out.Bytes(), hwRing(key))
		require.NoError(t, err)
		require.True(t, lines[3].Erased)
		ref := lineStarts(want)
		l4 := want[ref[3]:ref[4]]
		cut := bytes.Index(l4, []byte(`,"text":`))
		erased := append(append(append(bytes.Clone(want[:ref[3]]), l4[:cut]...), "}\n"...), want[ref[4]:]...)
		require.Equal(t, string(erased), out.String())
		// The erased line's text_hash upper-cased is refused.
		bad := out.Bytes()
		s := lineStarts(bad)
		_, _, tx := hexFields(bad[s[3]:])
		bad[s[3]+tx] = byte(bytes.ToUpper([]byte{bad[s[3]+tx]})[0])
		if bad[s[3]+tx] >= 'A' && bad[s[3]+tx] <= 'F' {
			_, err = readAll(bad, hwRing(key))
			require.Error(t, err)
		}
	}
}
