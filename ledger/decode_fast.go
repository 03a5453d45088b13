package ledger

import (
	"bytes"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Replay decodes a transaction per journal line, so decoding is on its hot
// path. decodeTransactionFast reads the form appendTransaction writes,
// field by field, and reports false at the first thing it does not expect
// (an escape, a byte outside printable ASCII, a labour record, metadata,
// approvals, another field order), leaving the input to encoding/json. Whatever it
// does accept it decodes exactly as encoding/json would: a fuzz target
// holds the two together.
func decodeTransactionFast(b []byte) (Transaction, bool) {
	d := fastDecoder{b: b}
	var t Transaction
	ok := d.lit(`{"id":`) && d.uuid(&t.ID) &&
		d.lit(`,"kind":`) && d.str((*string)(&t.Kind)) &&
		d.lit(`,"postings":[`) && d.postings(&t.Postings) &&
		d.lit(`,"effective":`) && d.time(&t.Effective) &&
		d.lit(`,"recorded":`) && d.time(&t.Recorded) &&
		d.lit(`,"formality":{`) &&
		d.optUUID(`"instrument":`, `,`, &t.Formality.Instrument) &&
		d.optScope(`"scope":`, `,`, &t.Formality.Scope) &&
		d.lit(`"decided_by":`) && d.uuid(&t.Formality.DecidedBy) && d.lit(`}`) &&
		d.optStr(`,"coverage":`, ``, (*string)(&t.Coverage)) &&
		d.optUUID(`,"against":`, ``, &t.Against) &&
		d.optUUID(`,"reverses":`, ``, &t.Reverses) &&
		d.optStr(`,"memo":`, ``, &t.Memo) &&
		d.lit(`}`) && len(d.b) == 0
	return t, ok
}

type fastDecoder struct{ b []byte }

func (d *fastDecoder) lit(s string) bool {
	if !bytes.HasPrefix(d.b, []byte(s)) {
		return false
	}
	d.b = d.b[len(s):]
	return true
}

// raw returns the contents of a JSON string made only of printable ASCII
// with no escapes: exactly the bytes encoding/json would decode it to.
func (d *fastDecoder) raw() ([]byte, bool) {
	if len(d.b) == 0 || d.b[0] != '"' {
		return nil, false
	}
	for i := 1; i < len(d.b); i++ {
		switch c := d.b[i]; {
		case c == '"':
			s := d.b[1:i]
			d.b = d.b[i+1:]
			return s, true
		case c < 0x20 || c >= 0x7f || c == '\\':
			return nil, false
		}
	}
	return nil, false
}

func (d *fastDecoder) str(dst *string) bool {
	s, ok := d.raw()
	if ok {
		*dst = string(s)
	}
	return ok
}

func (d *fastDecoder) uuid(dst *uuid.UUID) bool {
	s, ok := d.raw()
	if !ok {
		return false
	}
	u, err := uuid.ParseBytes(s) // what uuid.UUID.UnmarshalText does
	*dst = u
	return err == nil
}

func (d *fastDecoder) optUUID(key, sep string, dst *uuid.UUID) bool {
	if !d.lit(key) {
		return true
	}
	return d.uuid(dst) && d.lit(sep)
}

func (d *fastDecoder) optStr(key, sep string, dst *string) bool {
	if !d.lit(key) {
		return true
	}
	return d.str(dst) && d.lit(sep)
}

// optScope reads a scope as encoding/json would through its
// UnmarshalText: present, it must be a valid (so non-empty) scope.
func (d *fastDecoder) optScope(key, sep string, dst *coprod.Scope) bool {
	if !d.lit(key) {
		return true
	}
	var s string
	if !d.str(&s) || !coprod.Scope(s).Valid() {
		return false
	}
	*dst = coprod.Scope(s)
	return d.lit(sep)
}

func (d *fastDecoder) time(dst *time.Time) bool {
	if len(d.b) == 0 || d.b[0] != '"' {
		return false
	}
	start := d.b
	if _, ok := d.raw(); !ok {
		return false
	}
	// time.Time.UnmarshalJSON parses exactly as encoding/json would.
	return dst.UnmarshalJSON(start[:len(start)-len(d.b)]) == nil
}

func (d *fastDecoder) postings(dst *[]Posting) bool {
	for {
		var p Posting
		if !d.lit(`{"account":`) || !d.uuid(&p.Account) || !d.lit(`,"amount":{"value":`) {
			return false
		}
		value, ok := d.raw()
		if !ok || !d.lit(`,"unit":`) {
			return false
		}
		unit, ok := d.raw()
		if !ok || !d.lit(`}}`) {
			return false
		}
		a, err := coprod.ParseAmount(string(value), coprod.Unit(unit))
		if err != nil {
			return false
		}
		p.Amount = a
		*dst = append(*dst, p)
		if d.lit(`]`) {
			return true
		}
		if !d.lit(`,`) {
			return false
		}
	}
}

// decodeTransaction decodes a journal record: the fast path when it
// applies, encoding/json (through Transaction.UnmarshalJSON) otherwise.
// Both run the same shape checks.
func decodeTransaction(b []byte) (Transaction, error) {
	if t, ok := decodeTransactionFast(b); ok {
		if err := checkShape(&t); err != nil {
			return Transaction{}, err
		}
		return t, nil
	}
	var t Transaction
	err := t.UnmarshalJSON(b)
	return t, err
}
