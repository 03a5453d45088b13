package ledger

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"testing"
)

// FuzzTransactionTextFast holds the fast reading of a transaction's free
// text to encoding/json: whatever it accepts, encoding/json accepts and
// reads the same.
func FuzzTransactionTextFast(f *testing.F) {
	for _, t := range []transactionText{
		{}, {Salt: "00ff"}, {Memo: "rent for May"}, {Salt: "ab", Memo: "séance <b>", Metadata: map[string]string{"po": "123", "": "x"}},
		{Metadata: map[string]string{"a": "1"}}, {Salt: "s", Metadata: map[string]string{"k": "v", "j": "w"}},
	} {
		b, err := json.Marshal(t)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"memo":"a","memo":"b"}`))
	f.Add([]byte(`{"metadata":{}}`))
	f.Add([]byte(`{"memo":"x"} `))
	f.Fuzz(func(t *testing.T, b []byte) {
		memo, metadata, ok := decodeTransactionTextFast(b)
		if !ok {
			return
		}
		var want transactionText
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		if err := d.Decode(&want); err != nil {
			t.Fatalf("fast accepted %q, encoding/json refuses it: %v", b, err)
		}
		if memo != want.Memo || !reflect.DeepEqual(metadata, maps.Clone(want.Metadata)) {
			t.Fatalf("%q: fast %q %v, encoding/json %q %v", b, memo, metadata, want.Memo, want.Metadata)
		}
	})
}

// TestTransactionTextTakesTheFastPath: the free text the journal writes
// for a transaction is read on the fast path.
func TestTransactionTextTakesTheFastPath(t *testing.T) {
	for _, tt := range []transactionText{
		{Salt: "0123456789abcdef0123456789abcdef", Memo: "room hire, May"},
		{Memo: "séance", Metadata: map[string]string{"invoice": "INV-7", "cost centre": "42"}},
		{Metadata: map[string]string{"po": "1"}},
	} {
		b, err := json.Marshal(tt)
		if err != nil {
			t.Fatal(err)
		}
		memo, metadata, ok := decodeTransactionTextFast(b)
		if !ok || memo != tt.Memo || !reflect.DeepEqual(metadata, tt.Metadata) {
			t.Fatalf("%s: fast path %v gives %q %v", b, ok, memo, metadata)
		}
	}
}
