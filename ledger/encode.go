package ledger

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/hexword"
	"github.com/google/uuid"
)

// The journal encodes a transaction per line, so encoding is on the hot
// path of Post. appendTransaction writes exactly the bytes encoding/json
// writes for the same value (a test holds the two together on every
// transaction the tests make, and a fuzz target on arbitrary ones), without
// reflection and with few allocations.

// MarshalJSON encodes the transaction; the result is byte for byte what
// encoding/json would produce for the struct.
func (t Transaction) MarshalJSON() ([]byte, error) {
	return appendTransaction(nil, &t)
}

func appendTransaction(b []byte, t *Transaction) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = appendUUID(b, t.ID)
	b = append(b, `,"kind":`...)
	b = appendString(b, string(t.Kind))
	b = append(b, `,"postings":`...)
	if t.Postings == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, p := range t.Postings {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"account":`...)
			b = appendUUID(b, p.Account)
			b = append(b, `,"amount":`...)
			b = appendAmount(b, p.Amount)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"effective":`...)
	if b, err = appendTime(b, t.Effective); err != nil {
		return nil, err
	}
	b = append(b, `,"recorded":`...)
	if b, err = appendTime(b, t.Recorded); err != nil {
		return nil, err
	}
	b = append(b, `,"formality":{`...)
	if t.Formality.Instrument != uuid.Nil {
		b = append(b, `"instrument":`...)
		b = appendUUID(b, t.Formality.Instrument)
		b = append(b, ',')
	}
	if t.Formality.Scope != "" {
		b = append(b, `"scope":`...)
		b = appendString(b, string(t.Formality.Scope))
		b = append(b, ',')
	}
	b = append(b, `"decided_by":`...)
	b = appendUUID(b, t.Formality.DecidedBy)
	if len(t.Formality.Approvers) > 0 {
		b = append(b, `,"approvers":[`...)
		for i := range t.Formality.Approvers {
			a := &t.Formality.Approvers[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"party":`...)
			b = appendUUID(b, a.Party)
			b = append(b, `,"at":`...)
			if b, err = appendTime(b, a.At); err != nil {
				return nil, err
			}
			if a.Ref != "" {
				b = append(b, `,"ref":`...)
				b = appendString(b, a.Ref)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, '}')
	if t.Coverage != "" {
		b = append(b, `,"coverage":`...)
		b = appendString(b, string(t.Coverage))
	}
	if t.Against != uuid.Nil {
		b = append(b, `,"against":`...)
		b = appendUUID(b, t.Against)
	}
	if t.Reverses != uuid.Nil {
		b = append(b, `,"reverses":`...)
		b = appendUUID(b, t.Reverses)
	}
	if t.Labour != nil {
		b = append(b, `,"labour":`...)
		b = appendLabour(b, t.Labour)
	}
	if t.Memo != "" {
		b = append(b, `,"memo":`...)
		b = appendString(b, t.Memo)
	}
	if len(t.Metadata) > 0 {
		b = append(b, `,"metadata":{`...)
		keys := make([]string, 0, len(t.Metadata))
		for k := range t.Metadata {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendString(b, t.Metadata[k])
		}
		b = append(b, '}')
	}
	if t.Proof != nil {
		b = append(b, `,"proof":`...)
		if b, err = appendProof(b, t.Proof); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendProof writes a proof as encoding/json writes coprod.Proof.
func appendProof(b []byte, p *coprod.Proof) ([]byte, error) {
	if p.Path == nil {
		return appendActing(append(b, `{"path":null`...), p.Acting), nil
	}
	var err error
	b = append(b, `{"path":[`...)
	for i := range p.Path {
		l := &p.Path[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendUUID(b, l.ID)
		if l.From != uuid.Nil {
			b = append(b, `,"from":`...)
			b = appendUUID(b, l.From)
		}
		b = append(b, `,"to":`...)
		b = appendUUID(b, l.To)
		b = append(b, `,"scope":`...)
		b = appendString(b, string(l.Scope))
		b = append(b, `,"limit":`...)
		b = appendAmount(b, l.Limit)
		if l.Period != (coprod.Window{}) {
			b = append(b, `,"period":{`...)
			comma := false
			if !l.Period.NotBefore.IsZero() {
				b = append(b, `"not_before":`...)
				if b, err = appendTime(b, l.Period.NotBefore); err != nil {
					return nil, err
				}
				comma = true
			}
			if !l.Period.Expires.IsZero() {
				if comma {
					b = append(b, ',')
				}
				b = append(b, `"expires":`...)
				if b, err = appendTime(b, l.Period.Expires); err != nil {
					return nil, err
				}
			}
			b = append(b, '}')
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	return appendActing(b, p.Acting), nil
}

// appendActing writes a proof's acting-for records, if any, and closes the
// proof, as encoding/json writes them.
func appendActing(b []byte, acting []coprod.ProofActing) []byte {
	if len(acting) == 0 {
		return append(b, '}')
	}
	b = append(b, `,"acting":[`...)
	for i := range acting {
		a := &acting[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendUUID(b, a.ID)
		b = append(b, `,"person":`...)
		b = appendUUID(b, a.Person)
		b = append(b, `,"for":`...)
		b = appendUUID(b, a.For)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

func appendUUID(b []byte, u uuid.UUID) []byte {
	// Grown once and written in place: five capacity checks, not 38.
	n := len(b)
	b = slices.Grow(b, 38)[:n+38]
	d := b[n:]
	// Eight digits are made at once; a group of four is half a word.
	le := binary.LittleEndian
	a := hexword.Encode(le.Uint32(u[0:4]))
	bc := hexword.Encode(le.Uint32(u[4:8]))
	de := hexword.Encode(le.Uint32(u[8:12]))
	f := hexword.Encode(le.Uint32(u[12:16]))
	le.PutUint64(d[1:9], a)
	le.PutUint32(d[10:14], uint32(bc))
	le.PutUint32(d[15:19], uint32(bc>>32))
	le.PutUint32(d[20:24], uint32(de))
	le.PutUint32(d[25:29], uint32(de>>32))
	le.PutUint64(d[29:37], f)
	d[0], d[9], d[14], d[19], d[24], d[37] = '"', '-', '-', '-', '-', '"'
	return b
}

// appendAmount writes {"value":"…","unit":"…"}, or null for the zero
// Amount, as coprod.Amount.MarshalJSON does.
func appendAmount(b []byte, a coprod.Amount) []byte {
	if !a.IsSet() {
		return append(b, "null"...)
	}
	b = append(b, `{"value":"`...)
	b = a.AppendValue(b)
	b = append(b, `","unit":`...)
	b = appendString(b, string(a.Unit()))
	return append(b, '}')
}

// appendTime writes t as time.Time.MarshalJSON does, refusing the same
// years it refuses.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("ledger: time %v has a year outside [0,9999]", t)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}

// appendLabour writes a labour record as encoding/json writes Labour.
func appendLabour(b []byte, l *Labour) []byte {
	b = append(b, `{"hours":`...)
	b = appendAmount(b, l.Hours)
	b = append(b, `,"method":`...)
	b = appendString(b, string(l.Method))
	b = append(b, `,"rate":`...)
	b = appendAmount(b, l.Rate)
	b = append(b, `,"low":`...)
	b = appendAmount(b, l.Low)
	b = append(b, `,"high":`...)
	b = appendAmount(b, l.High)
	if l.WageSource != "" {
		b = append(b, `,"wage_source":`...)
		b = appendString(b, l.WageSource)
	}
	b = append(b, `,"recognised":`...)
	b = strconv.AppendBool(b, l.Recognised)
	return append(b, '}')
}

// appendString writes s as a JSON string the way encoding/json does,
// HTML-escaping included. Plain ASCII takes the fast path.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
