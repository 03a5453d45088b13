// Package journal is the one journal path of the module: the
// hash-chained, optionally keyed, JSON-lines journal that the ledger and
// the governance register each write to a caller's io.Writer and read back
// from a caller's io.Reader. It does no I/O of its own.
//
// # Line format
//
// Version 2, written by this package:
//
//	{"v":2,"seq":N,"prev":"<hex>","hash":"<hex>","key":"<id>","type":"<type>","record":{…},"text_hash":"<hex>","text":{…}}\n
//
// "key" is present on keyed lines only; "text_hash" and "text" on lines
// whose record has free text, "text" alone may be erased later. The hash
// is SHA-256 (or, on a keyed line, HMAC-SHA-256 under the named key) of
// the version, seq, prev, key ID, type, record and text hash: it covers the
// free text only through its hash, so the text can be erased without
// breaking the chain, while any other change to any line breaks it.
//
// Version 1, written before keys and erasable text, is read as it was
// written ({"seq":N,"prev":…,"hash":…,"type":…,"record":…}) and can be
// continued by version 2 lines; a version 1 line is never keyed.
package journal

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"

	"github.com/coprod/coprod/internal/hexword"
)

// MaxLine bounds one journal line, in bytes.
const MaxLine = 1 << 20

// Version is the line format this package writes.
const Version = 2

// MaxKeyID bounds a key ID, in bytes.
const MaxKeyID = 64

// Key signs journal lines: HMAC-SHA-256 with Secret, named by ID so that
// keys can rotate. IDs are 1 to MaxKeyID bytes of letters, digits, '.',
// '_' and '-'.
type Key struct {
	ID     string
	Secret []byte
}

// ValidKeyID reports whether id can name a key.
func ValidKeyID(id string) bool {
	if len(id) == 0 || len(id) > MaxKeyID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Hash is a line's hash, the link the next line carries.
type Hash = [sha256.Size]byte

const hexLen = 2 * sha256.Size

// sum computes a version 2 line's hash.
func sum(scratch *[]byte, key []byte, seq int, prevHex *[hexLen]byte, keyID, typ string, record []byte, textHash []byte) Hash {
	// The input is laid out in one reusable buffer and hashed in one
	// call: SHA-256 of a slice allocates nothing, where a hash.Hash fed
	// piece by piece allocates for each piece.
	b := append((*scratch)[:0], "coprod-journal/2\n"...)
	b = strconv.AppendInt(b, int64(seq), 10)
	b = append(b, '\n')
	b = append(b, prevHex[:]...)
	b = append(b, '\n')
	b = append(b, keyID...)
	b = append(b, '\n')
	b = append(b, typ...)
	b = append(b, '\n')
	b = append(b, record...)
	b = append(b, '\n')
	b = append(b, textHash...)
	*scratch = b
	if key != nil {
		h := hmac.New(sha256.New, key)
		h.Write(b)
		var s Hash
		h.Sum(s[:0])
		return s
	}
	return sha256.Sum256(b)
}

// sumV1 is the hash of a version 1 line: SHA-256 of seq, prev, type and
// the record, each followed by a newline but the last.
func sumV1(scratch *[]byte, seq int, prevHex *[hexLen]byte, typ string, record []byte) Hash {
	b := strconv.AppendInt((*scratch)[:0], int64(seq), 10)
	b = append(b, '\n')
	b = append(b, prevHex[:]...)
	b = append(b, '\n')
	b = append(b, typ...)
	b = append(b, '\n')
	b = append(b, record...)
	*scratch = b
	return sha256.Sum256(b)
}

// AppendLine appends line seq, linked to prev, to dst and returns it with
// the line's hash. text is the record's free text as a JSON object, or nil
// for none. key, if not nil, signs the line.
func AppendLine(dst []byte, seq int, prev Hash, key *Key, typ string, record, text []byte) ([]byte, Hash) {
	var prevHex [hexLen]byte
	hexword.EncodeTo(prevHex[:], prev[:])
	var textHash []byte
	var textHex [hexLen]byte
	if text != nil {
		th := sha256.Sum256(text)
		hexword.EncodeTo(textHex[:], th[:])
		textHash = textHex[:]
	}
	var secret []byte
	keyID := ""
	if key != nil {
		secret, keyID = key.Secret, key.ID
	}
	// The hash's input goes, for a moment, in dst's spare room, where the
	// line will go next.
	scratch := dst[len(dst):]
	s := sum(&scratch, secret, seq, &prevHex, keyID, typ, record, textHash)
	if cap(scratch) > cap(dst)-len(dst) {
		// The input outgrew dst: keep the larger buffer for the line.
		dst = append(scratch[:0], dst...)
	}
	dst = append(dst, `{"v":2,"seq":`...)
	dst = strconv.AppendInt(dst, int64(seq), 10)
	dst = append(dst, `,"prev":"`...)
	dst = append(dst, prevHex[:]...)
	dst = append(dst, `","hash":"`...)
	n := len(dst)
	dst = append(dst, make([]byte, hexLen)...)
	hexword.EncodeTo(dst[n:], s[:])
	dst = append(dst, '"')
	if key != nil {
		dst = append(dst, `,"key":"`...)
		dst = append(dst, keyID...)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"type":"`...)
	dst = append(dst, typ...)
	dst = append(dst, `","record":`...)
	dst = append(dst, record...)
	if text != nil {
		dst = append(dst, `,"text_hash":"`...)
		dst = append(dst, textHex[:]...)
		dst = append(dst, `","text":`...)
		dst = append(dst, text...)
	}
	dst = append(dst, "}\n"...)
	return dst, s
}

// Line is one verified journal line. Its Record and Text may share the
// reader's buffer: they are valid until the next call to Next, so decode
// or copy them first.
type Line struct {
	Version int
	Seq     int
	Type    string
	// KeyID names the key that signed the line; "" for an unkeyed line.
	KeyID  string
	Record []byte
	// Text is the record's free text, or nil when it has none or it was
	// erased (Erased tells which).
	Text   []byte
	Erased bool
	// Start is the line's offset in the journal, Hash its hash.
	Start int64
	Hash  Hash
}

// Error says why a journal is not what was written: the first line that
// fails, and where it starts. Torn marks a journal that ends partway
// through a line that could have been the next one, as a failed write
// leaves it: truncate the journal at Offset.
type Error struct {
	Line   int   // 1-based
	Offset int64 // where the line starts
	Torn   bool
	Reason string
	// Err is the refusal of a sound line that Replay's apply refused.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("journal line %d refused: %s", e.Line, e.Reason)
	}
	if e.Torn {
		return fmt.Sprintf("torn journal at line %d (byte %d): %s", e.Line, e.Offset, e.Reason)
	}
	return fmt.Sprintf("corrupt journal at line %d: %s", e.Line, e.Reason)
}

// ErrRead wraps an error from the journal's reader.
var ErrRead = errors.New("journal read failed")

// Keyring holds the secrets of the keys a journal may be signed with, by
// key ID. A key with an empty secret proves nothing: it counts as unknown.
type Keyring map[string][]byte

func (k Keyring) secret(id string) ([]byte, bool) {
	s, ok := k[id]
	return s, ok && len(s) > 0
}

// parsed is a line split into its parts, not yet verified.
type parsed struct {
	version  int
	seq      int
	prev     []byte // hex
	hash     []byte // hex
	keyID    string
	typ      string
	record   []byte
	textHash []byte // hex, or nil
	text     []byte // nil when absent
}

// lit consumes prefix p from *b.
func lit(b *[]byte, p string) bool {
	if !bytes.HasPrefix(*b, []byte(p)) {
		return false
	}
	*b = (*b)[len(p):]
	return true
}

// ParseSeq reads a line number as a line writes it: a positive decimal
// integer of at most 18 digits, with no sign and no leading zero.
func ParseSeq(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 18 || b[0] == '0' {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func hexField(b *[]byte) ([]byte, bool) {
	if len(*b) < hexLen {
		return nil, false
	}
	v := (*b)[:hexLen]
	for _, c := range v {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return nil, false
		}
	}
	*b = (*b)[hexLen:]
	return v, true
}

// objectEnd returns the length of the JSON object at the start of b, or
// -1 if b does not start with a complete object. It checks the nesting
// and strings, not the values; encoding/json decodes the record later.
func objectEnd(b []byte) int {
	if len(b) == 0 || b[0] != '{' {
		return -1
	}
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			if i >= len(b) {
				return -1
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// parse splits a whole line, newline included, in either version's form.
func parse(line []byte, types []string) (parsed, bool) {
	var p parsed
	b := line
	if !bytes.HasSuffix(b, []byte("}\n")) {
		return p, false
	}
	b = b[:len(b)-1] // the newline; the closing brace is checked below
	p.version = 1
	if lit(&b, `{"v":2,"seq":`) {
		p.version = 2
	} else if !lit(&b, `{"seq":`) {
		return p, false
	}
	i := bytes.IndexByte(b, ',')
	if i < 0 {
		return p, false
	}
	seq, ok := ParseSeq(b[:i])
	if !ok {
		return p, false
	}
	p.seq, b = seq, b[i:]
	if !lit(&b, `,"prev":"`) {
		return p, false
	}
	// prev and hash are compared with hashes the reader computes, so any
	// byte that is not what was written fails there: only their length is
	// checked here.
	if p.prev, ok = field(&b, hexLen); !ok || !lit(&b, `","hash":"`) {
		return p, false
	}
	if p.hash, ok = field(&b, hexLen); !ok || !lit(&b, `"`) {
		return p, false
	}
	if p.version == 2 && lit(&b, `,"key":"`) {
		j := bytes.IndexByte(b, '"')
		if j < 0 || !ValidKeyID(string(b[:j])) {
			return p, false
		}
		p.keyID, b = string(b[:j]), b[j+1:]
	}
	if !lit(&b, `,"type":"`) {
		return p, false
	}
	found := false
	const recordKey = `","record":`
	for _, t := range types {
		if len(b) >= len(t)+len(recordKey) && string(b[:len(t)]) == t && string(b[len(t):len(t)+len(recordKey)]) == recordKey {
			p.typ, found, b = t, true, b[len(t)+len(recordKey):]
			break
		}
	}
	if !found {
		return p, false
	}
	// The record runs to the text hash, if there is one, or to the line's
	// closing brace. A raw `,"text_hash":"` cannot stand inside a JSON
	// string (its quotes would be escaped), and no record has a field of
	// that name or a map with caller-chosen keys (those go in the text),
	// so its first occurrence, if any, ends the record: no scan of the
	// record is needed. Decoding the record checks its syntax.
	if len(b) == 0 || b[len(b)-1] != '}' {
		return p, false
	}
	b = b[:len(b)-1]
	i = -1
	if p.version == 2 {
		i = textHashAt(b)
	}
	if i < 0 {
		p.record = b
		return p, len(b) > 1 && b[0] == '{' && b[len(b)-1] == '}'
	}
	p.record, b = b[:i], b[i+len(textKey):]
	if p.textHash, ok = hexField(&b); !ok || !lit(&b, `"`) {
		return p, false
	}
	if lit(&b, `,"text":`) {
		if objectEnd(b) != len(b) {
			return p, false
		}
		p.text, b = b, nil
	}
	return p, len(b) == 0 && len(p.record) > 1 && p.record[0] == '{' && p.record[len(p.record)-1] == '}'
}

// textKey is the key that follows a record with free text.
const textKey = `,"text_hash":"`

// textHashAt returns the index of the first textKey in b, or -1: as
// bytes.Index, searching on the key's underscore, which a record holds
// once or twice (decided_by), where its comma starts every field.
func textHashAt(b []byte) int {
	const from = len(`,"text`) // the underscore's place in textKey
	for off := from; off < len(b); {
		j := bytes.IndexByte(b[off:], '_')
		if j < 0 {
			return -1
		}
		k := off + j - from
		if k >= 0 && len(b)-k >= len(textKey) && string(b[k:k+len(textKey)]) == textKey {
			return k
		}
		off += j + 1
	}
	return -1
}

// field consumes n bytes.
func field(b *[]byte, n int) ([]byte, bool) {
	if len(*b) < n {
		return nil, false
	}
	v := (*b)[:n]
	*b = (*b)[n:]
	return v, true
}
