package ledger

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"strconv"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/journal"
)

// The free text of ledger records (names, memos, metadata, reasons) may
// carry personal data. The journal keeps it out of the chained record, as
// a separate object chained only through its hash, so that one line's
// text can be erased (EraseText) without breaking the chain. These are
// the fields that go there.
type (
	transactionText struct {
		Salt     string            `json:"salt,omitempty"`
		Memo     string            `json:"memo,omitempty"`
		Metadata map[string]string `json:"metadata,omitempty"`
	}
	accountText struct {
		Salt string `json:"salt,omitempty"`
		Name string `json:"name,omitempty"`
	}
	holdText struct {
		Salt string `json:"salt,omitempty"`
		Memo string `json:"memo,omitempty"`
	}
	resolutionText struct {
		Salt   string `json:"salt,omitempty"`
		Reason string `json:"reason,omitempty"`
		Memo   string `json:"memo,omitempty"` // the capture's
	}
	closingText struct {
		Salt   string `json:"salt,omitempty"`
		Reason string `json:"reason,omitempty"`
	}
)

// journalKey adapts the caller's key to the journal package's.
func journalKey(k *coprod.JournalKey) *journal.Key {
	if k == nil {
		return nil
	}
	return &journal.Key{ID: k.ID, Secret: k.Secret}
}

// salt returns 16 random bytes from opts.Rand, in hex, or "" without one.
// A salt keeps an erased text's hash from being matched by guessing the
// text.
func (l *Ledger) salt() (string, error) {
	if l.opts.Rand == nil {
		return "", nil
	}
	var b [16]byte
	if _, err := io.ReadFull(l.opts.Rand, b[:]); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// txLine is a transaction as its journal line holds it: with its proof
// in full, or, when proofRef is not 0, as the number of the earlier line
// that holds a proof that reads the same.
type txLine struct {
	tx       *Transaction
	proofRef int
}

// appendRecord appends the record of a line for t, which is r.tx or a copy
// of it without its free text.
func (r *txLine) appendRecord(b []byte, t *Transaction) ([]byte, error) {
	if r.proofRef == 0 {
		return appendTransaction(b, t)
	}
	cp := *t
	cp.Proof = nil
	b, err := appendTransaction(b, &cp)
	if err != nil {
		return nil, err
	}
	b = append(b[:len(b)-1], `,"proof_ref":`...) // over the closing brace
	b = strconv.AppendInt(b, int64(r.proofRef), 10)
	return append(b, '}'), nil
}

// encodeRecord encodes a record for the journal: the record without its
// free text, and the free text as its own object, or nil when it has none.
func (l *Ledger) encodeRecord(record any) (rec, text []byte, err error) {
	var t any
	switch r := record.(type) {
	case *txLine:
		if r.tx.Memo == "" && len(r.tx.Metadata) == 0 {
			l.recBuf, err = r.appendRecord(l.recBuf[:0], r.tx)
			return l.recBuf, nil, err
		}
		cp := *r.tx
		cp.Memo, cp.Metadata = "", nil
		if l.recBuf, err = r.appendRecord(l.recBuf[:0], &cp); err != nil {
			return nil, nil, err
		}
		rec = l.recBuf
		t = &transactionText{Memo: r.tx.Memo, Metadata: r.tx.Metadata}
	case Account:
		if r.Name != "" {
			t = &accountText{Name: r.Name}
			r.Name = ""
		}
		rec, err = json.Marshal(r)
	case Hold:
		if r.Memo != "" {
			t = &holdText{Memo: r.Memo}
			r.Memo = ""
		}
		rec, err = json.Marshal(r)
	case HoldResolution:
		memo := ""
		if r.Transaction != nil && r.Transaction.Memo != "" {
			cp := *r.Transaction
			memo, cp.Memo = cp.Memo, ""
			r.Transaction = &cp
		}
		if r.Reason != "" || memo != "" {
			t = &resolutionText{Reason: r.Reason, Memo: memo}
			r.Reason = ""
		}
		rec, err = json.Marshal(r)
	case Closing:
		if r.Reason != "" {
			t = &closingText{Reason: r.Reason}
			r.Reason = ""
		}
		rec, err = json.Marshal(r)
	default:
		return nil, nil, fmt.Errorf("no journal form for %T", record)
	}
	if err != nil || t == nil {
		return rec, nil, err
	}
	salt, err := l.salt()
	if err != nil {
		return nil, nil, err
	}
	switch v := t.(type) {
	case *transactionText:
		v.Salt = salt
	case *accountText:
		v.Salt = salt
	case *holdText:
		v.Salt = salt
	case *resolutionText:
		v.Salt = salt
	case *closingText:
		v.Salt = salt
	}
	text, err = json.Marshal(t)
	return rec, text, err
}

// mergeText puts a journal line's free text back into its decoded record.
// A line without text (none, or erased) leaves the record as it is.
func mergeText(v any, text []byte) error {
	if text == nil {
		return nil
	}
	dec := func(t any) error {
		d := json.NewDecoder(bytes.NewReader(text))
		d.DisallowUnknownFields()
		if err := d.Decode(t); err != nil {
			return fmt.Errorf("free text: %w", err)
		}
		return nil
	}
	switch r := v.(type) {
	case *Transaction:
		return mergeTransactionText(r, text)
	case *Account:
		var t accountText
		if err := dec(&t); err != nil {
			return err
		}
		r.Name = t.Name
	case *Hold:
		var t holdText
		if err := dec(&t); err != nil {
			return err
		}
		r.Memo = t.Memo
	case *HoldResolution:
		var t resolutionText
		if err := dec(&t); err != nil {
			return err
		}
		r.Reason = t.Reason
		if r.Transaction != nil {
			r.Transaction.Memo = t.Memo
		}
	case *Closing:
		var t closingText
		if err := dec(&t); err != nil {
			return err
		}
		r.Reason = t.Reason
	default:
		return fmt.Errorf("free text for %T", v)
	}
	return nil
}

// mergeTransactionText is mergeText for a transaction, typed so that the
// transaction need not move to the heap.
func mergeTransactionText(tx *Transaction, text []byte) error {
	if text == nil {
		return nil
	}
	if memo, metadata, ok := decodeTransactionTextFast(text); ok {
		tx.Memo, tx.Metadata = memo, metadata
		return nil
	}
	var t transactionText
	d := json.NewDecoder(bytes.NewReader(text))
	d.DisallowUnknownFields()
	if err := d.Decode(&t); err != nil {
		return fmt.Errorf("free text: %w", err)
	}
	tx.Memo, tx.Metadata = t.Memo, maps.Clone(t.Metadata)
	return nil
}
