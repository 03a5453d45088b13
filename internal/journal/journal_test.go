package journal

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var types = []string{"account", "transaction"}

// build writes n lines, every other one with free text, signed with key
// if not nil.
func build(t *testing.T, n int, key *Key) []byte {
	t.Helper()
	var out []byte
	var prev Hash
	for i := 1; i <= n; i++ {
		var text []byte
		if i%2 == 0 {
			text = []byte(fmt.Sprintf(`{"memo":"line %d <é>"}`, i))
		}
		out, prev = AppendLine(out, i, prev, key, types[i%2], []byte(fmt.Sprintf(`{"id":%d,"nested":{"s":"}{\""}}`, i)), text)
	}
	return out
}

func readAll(j []byte, keys Keyring) ([]Line, error) {
	var lines []Line
	_, err := Replay(bytes.NewReader(j), types, keys, false, func(l Line) error {
		// A line's bytes are valid until apply returns: keep copies.
		l.Record, l.Text = bytes.Clone(l.Record), bytes.Clone(l.Text)
		lines = append(lines, l)
		return nil
	})
	return lines, err
}

func ring(keys ...Key) Keyring {
	k := Keyring{}
	for _, key := range keys {
		k[key.ID] = key.Secret
	}
	return k
}

func TestRoundTrip(t *testing.T) {
	k1 := Key{ID: "2026-01", Secret: []byte("first secret")}
	for _, tt := range []struct {
		name string
		key  *Key
		keys Keyring
	}{{"unkeyed", nil, nil}, {"keyed", &k1, ring(k1)}} {
		t.Run(tt.name, func(t *testing.T) {
			j := build(t, 6, tt.key)
			lines, err := readAll(j, tt.keys)
			require.NoError(t, err)
			require.Len(t, lines, 6)
			assert.Equal(t, `{"memo":"line 2 <é>"}`, string(lines[1].Text))
			assert.Nil(t, lines[0].Text)
			assert.Equal(t, `{"id":3,"nested":{"s":"}{\""}}`, string(lines[2].Record))
			assert.Equal(t, "transaction", lines[0].Type)
		})
	}
}

func TestKeys(t *testing.T) {
	k1 := Key{ID: "k1", Secret: []byte("one")}
	k2 := Key{ID: "k2", Secret: []byte("two")}
	signed := build(t, 3, &k1)
	unsigned := build(t, 3, nil)
	_, err := readAll(signed, nil)
	assert.ErrorContains(t, err, "keyring", "a keyed journal needs its keys")
	_, err = readAll(unsigned, ring(k1))
	assert.ErrorContains(t, err, "not signed", "lines written without the key fail")
	_, err = readAll(signed, ring(k2))
	assert.ErrorContains(t, err, "does not hold")
	forged := build(t, 3, &Key{ID: "k1", Secret: []byte("guess")})
	_, err = readAll(forged, ring(k1))
	assert.ErrorContains(t, err, "hash does not match", "a line signed with another secret under the same ID is a forgery")

	// Rotation: lines signed with k1, then k2, read with both.
	var j []byte
	var prev Hash
	for i, k := range []*Key{&k1, &k1, &k2} {
		j, prev = AppendLine(j, i+1, prev, k, "account", []byte(`{}`), nil)
	}
	lines, err := readAll(j, ring(k1, k2))
	require.NoError(t, err)
	assert.Equal(t, "k2", lines[2].KeyID)
}

// TestEveryByteMatters flips each byte of a keyed and an unkeyed journal
// and expects the first line it lies in, or an earlier one, to be named,
// never a clean read.
func TestEveryByteMatters(t *testing.T) {
	k := Key{ID: "k", Secret: []byte("s")}
	for _, key := range []*Key{nil, &k} {
		var keys Keyring
		if key != nil {
			keys = ring(k)
		}
		j := build(t, 4, key)
		starts := []int{0}
		for i, c := range j {
			if c == '\n' {
				starts = append(starts, i+1)
			}
		}
		for i := range j {
			for _, flip := range []byte{0x01, 0x20} {
				bad := bytes.Clone(j)
				bad[i] ^= flip
				_, err := readAll(bad, keys)
				var je *Error
				require.True(t, errors.As(err, &je), "flip %#x at byte %d of %q read cleanly", flip, i, j)
				line := 0
				for line < len(starts) && starts[line] <= i {
					line++
				}
				assert.LessOrEqual(t, je.Line, line, "byte %d", i)
			}
		}
	}
}

func TestTornAtEveryCut(t *testing.T) {
	k := Key{ID: "k", Secret: []byte("s")}
	for _, key := range []*Key{nil, &k} {
		var keys Keyring
		if key != nil {
			keys = ring(k)
		}
		whole := build(t, 3, key)
		last := bytes.LastIndexByte(whole[:len(whole)-1], '\n') + 1
		for cut := last + 1; cut < len(whole); cut++ {
			_, err := readAll(whole[:cut], keys)
			var je *Error
			require.True(t, errors.As(err, &je), "cut at %d", cut)
			assert.True(t, je.Torn, "cut at %d: %v", cut, err)
			assert.Equal(t, int64(last), je.Offset)
		}
		// A tail that is not the start of the next line is corruption.
		_, err := readAll(append(bytes.Clone(whole), `{"v":2,"seq":9`...), keys)
		var je *Error
		require.True(t, errors.As(err, &je))
		assert.False(t, je.Torn)
	}
}

func TestVersion1LinesStillRead(t *testing.T) {
	// A journal written before version 2, continued by version 2 lines.
	var j []byte
	var prev Hash
	for i := 1; i <= 2; i++ {
		var prevHex [hexLen]byte
		hex.Encode(prevHex[:], prev[:])
		rec := []byte(fmt.Sprintf(`{"n":%d}`, i))
		var scratch []byte
		s := sumV1(&scratch, i, &prevHex, "account", rec)
		j = append(j, fmt.Sprintf(`{"seq":%d,"prev":"%s","hash":"%x","type":"account","record":%s}`+"\n", i, prevHex, s, rec)...)
		prev = s
	}
	j, _ = AppendLine(j, 3, prev, nil, "transaction", []byte(`{}`), []byte(`{"memo":"m"}`))
	lines, err := readAll(j, nil)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 1, 2}, []int{lines[0].Version, lines[1].Version, lines[2].Version})
}

func TestErase(t *testing.T) {
	j := build(t, 4, nil)
	var out bytes.Buffer
	require.NoError(t, Erase(bytes.NewReader(j), &out, 2, types))
	assert.NotContains(t, out.String(), "line 2 <é>")
	assert.Contains(t, out.String(), "line 4 <é>")
	lines, err := readAll(out.Bytes(), nil)
	require.NoError(t, err, "the chain still verifies")
	assert.True(t, lines[1].Erased)
	assert.Nil(t, lines[1].Text)
	assert.Equal(t, lines[1].Hash, func() Hash { l, _ := readAll(j, nil); return l[1].Hash }())
	assert.Error(t, Erase(bytes.NewReader(j), io.Discard, 1, types), "line 1 has no text")
	assert.Error(t, Erase(bytes.NewReader(j), io.Discard, 9, types))
	// Changing the text instead of erasing it is caught.
	changed := strings.Replace(string(j), "line 2 <é>", "line 2 <e>", 1)
	_, err = readAll([]byte(changed), nil)
	assert.ErrorContains(t, err, "free text does not match")
}

// TestTextMayHoldTheTextHashKey keeps a caller's metadata key named like
// the line's own field from confusing the reader.
func TestTextMayHoldTheTextHashKey(t *testing.T) {
	j, _ := AppendLine(nil, 1, Hash{}, nil, "transaction", []byte(`{"id":1}`), []byte(`{"metadata":{"a":"b","text_hash":"x","text":"y"}}`))
	lines, err := readAll(j, nil)
	require.NoError(t, err)
	assert.Equal(t, `{"id":1}`, string(lines[0].Record))
	assert.Equal(t, `{"metadata":{"a":"b","text_hash":"x","text":"y"}}`, string(lines[0].Text))
}

// TestTextHashAtIsBytesIndex holds textHashAt to bytes.Index on records
// built of the pieces that matter: underscores, commas, quotes and the key
// itself, at every place.
func TestTextHashAtIsBytesIndex(t *testing.T) {
	pieces := []string{`_`, `,`, `"`, `,"text`, `_hash":"`, textKey, `decided_by`, `x`, `{`, `}`}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200_000 {
		var b []byte
		for range rng.IntN(12) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		if got, want := textHashAt(b), bytes.Index(b, []byte(textKey)); got != want {
			t.Fatalf("textHashAt(%q) = %d, bytes.Index gives %d", b, got, want)
		}
	}
}
