package ledger_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/coprod/coprod/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTransactionJSON(t *testing.T) {
	l, _ := journaled(t)
	for tx := range l.Transactions() {
		b, err := json.Marshal(tx)
		require.NoError(t, err)
		var back ledger.Transaction
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		again, err := json.Marshal(back)
		require.NoError(t, err)
		assert.JSONEq(t, string(b), string(again))
	}
	tx, _ := l.Transaction(id("payment"))
	b, _ := json.Marshal(tx)
	assert.Contains(t, string(b), `"amount":{"value":"2500.50","unit":"GBP"}`, "decimals as strings")

	for name, doc := range map[string]string{
		"no id":        `{"kind":"grant","postings":[{"account":"00000000-0000-0000-0000-000000000001","amount":{"value":"1","unit":"GBP"}}],"effective":"2025-01-01T00:00:00Z","recorded":"2025-01-01T00:00:00Z","formality":{"decided_by":"00000000-0000-0000-0000-000000000002"}}`,
		"bad amount":   `{"id":"00000000-0000-0000-0000-000000000009","kind":"grant","postings":[{"account":"00000000-0000-0000-0000-000000000001","amount":{"value":"1.001","unit":"GBP"}}]}`,
		"unknown kind": `{"id":"00000000-0000-0000-0000-000000000009","kind":"gift","postings":[{"account":"00000000-0000-0000-0000-000000000001","amount":{"value":"1","unit":"GBP"}}],"effective":"2025-01-01T00:00:00Z","recorded":"2025-01-01T00:00:00Z","formality":{"decided_by":"00000000-0000-0000-0000-000000000002"}}`,
	} {
		var tx ledger.Transaction
		assert.Error(t, json.Unmarshal([]byte(doc), &tx), name)
	}
}

func FuzzTransactionJSON(f *testing.F) {
	l, _ := journaled(f)
	for tx := range l.Transactions() {
		b, _ := json.Marshal(tx)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var tx ledger.Transaction
		if err := json.Unmarshal(doc, &tx); err != nil {
			return
		}
		b, err := json.Marshal(tx)
		if err != nil {
			t.Fatal(err)
		}
		var back ledger.Transaction
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("re-encoded transaction refused: %v\n%s", err, b)
		}
		again, _ := json.Marshal(back)
		if string(again) != string(b) {
			t.Fatalf("not stable:\n%s\n%s", b, again)
		}
		// Posting a decoded transaction never panics; it is recorded or
		// refused with a typed error.
		fresh := newLedger(t, ledger.Options{})
		if tx.Kind == ledger.Reversal {
			return
		}
		if _, err := fresh.Post(tx); err != nil {
			var re *ledger.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("untyped error %v", err)
			}
		}
	})
}
