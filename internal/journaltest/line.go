// Package journaltest writes journal lines as the format in
// internal/journal describes them, with crypto/sha256, crypto/hmac and
// encoding/hex alone: an oracle, for tests, that the journal's own writer
// and readers are held to byte for byte.
package journaltest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Line returns version 2 journal line seq, linked to prev, and its hash.
// keyID and secret sign it, unless secret is nil. text is the record's
// free text, or nil; textHash is the text's hash in hex, for a line whose
// text is nil (erased, or never written), "" for one with none; it is
// computed from text when text is given.
func Line(seq int, prev [32]byte, keyID string, secret []byte, typ string, record, text []byte, textHash string) (string, [32]byte) {
	prevHex := hex.EncodeToString(prev[:])
	if text != nil {
		th := sha256.Sum256(text)
		textHash = hex.EncodeToString(th[:])
	}
	if secret == nil {
		keyID = ""
	}
	in := "coprod-journal/2\n" + strconv.Itoa(seq) + "\n" + prevHex + "\n" + keyID + "\n" + typ + "\n" + string(record) + "\n" + textHash
	var s [32]byte
	if secret != nil {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(in))
		copy(s[:], m.Sum(nil))
	} else {
		s = sha256.Sum256([]byte(in))
	}
	line := `{"v":2,"seq":` + strconv.Itoa(seq) + `,"prev":"` + prevHex + `","hash":"` + hex.EncodeToString(s[:]) + `"`
	if secret != nil {
		line += `,"key":"` + keyID + `"`
	}
	line += `,"type":"` + typ + `","record":` + string(record)
	if textHash != "" {
		line += `,"text_hash":"` + textHash + `"`
		if text != nil {
			line += `,"text":` + string(text)
		}
	}
	return line + "}\n", s
}
