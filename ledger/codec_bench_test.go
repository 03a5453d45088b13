package ledger

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

func benchTransaction() Transaction {
	return Transaction{ID: uuid.New(), Kind: Payment,
		Postings:  []Posting{{Account: uuid.New(), Amount: coprod.MustParseAmount("-12.34", coprod.GBP)}, {Account: uuid.New(), Amount: coprod.MustParseAmount("12.34", coprod.GBP)}},
		Effective: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), Recorded: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC),
		Formality: Formality{Instrument: uuid.New(), Scope: "commission/mental-health", DecidedBy: uuid.New()}}
}

// BenchmarkEncodeTransaction compares, in one run, the journal's encoder
// with encoding/json on the same two-posting transaction.
func BenchmarkEncodeTransaction(b *testing.B) {
	tx := benchTransaction()
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf, _ = appendTransaction(buf[:0], &tx)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal((*plainTransaction)(&tx)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecodeTransaction compares, in one run, the journal's fast
// decoder with encoding/json.
func BenchmarkDecodeTransaction(b *testing.B) {
	tx := benchTransaction()
	data, _ := appendTransaction(nil, &tx)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := decodeTransactionFast(data); !ok {
				b.Fatal("not taken")
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var p plainTransaction
			if err := json.Unmarshal(data, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecodeAuthorizedTransaction compares, in one run, the fast
// decoder with encoding/json on what a ledger with an Authorizer
// journals: a payment with a proof of two links (one with a limit and a
// period), and a labour record.
func BenchmarkDecodeAuthorizedTransaction(b *testing.B) {
	proof := benchTransaction()
	proof.Proof = &coprod.Proof{Path: []coprod.ProofLink{
		{ID: uuid.New(), To: uuid.New(), Scope: "commission"},
		{ID: uuid.New(), From: uuid.New(), To: uuid.New(), Scope: "commission/mental-health", Limit: coprod.MustParseAmount("1000000", coprod.GBP),
			Period: coprod.Window{NotBefore: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}},
	}}
	labour, err := LabourTransaction(uuid.New(), uuid.New(), uuid.New(), Labour{Hours: coprod.MustParseAmount("2", coprod.Hours), Method: OpportunityCost,
		Rate: coprod.MustParseAmount("18", coprod.GBP), Low: coprod.MustParseAmount("12.21", coprod.GBP), High: coprod.MustParseAmount("25", coprod.GBP),
		WageSource: "ONS ASHE 2024"}, proof.Effective, proof.Recorded, uuid.New())
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		tx   Transaction
	}{{"proof", proof}, {"labour", labour}} {
		data, _ := appendTransaction(nil, &c.tx)
		b.Run(c.name+"/fast", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := decodeTransactionFast(data); !ok {
					b.Fatal("not taken")
				}
			}
		})
		b.Run(c.name+"/encoding-json", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var p plainTransaction
				if err := json.Unmarshal(data, &p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
