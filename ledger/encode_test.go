package ledger

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// plainTransaction has Transaction's fields and tags but not its
// MarshalJSON: encoding/json's output for it is the reference the fast
// encoder must match byte for byte.
type plainTransaction Transaction

func checkEncoding(t *testing.T, tx *Transaction) {
	t.Helper()
	want, wantErr := json.Marshal((*plainTransaction)(tx))
	got, gotErr := appendTransaction(nil, tx)
	if (wantErr != nil) != (gotErr != nil) {
		t.Fatalf("errors differ: reference %v, fast %v", wantErr, gotErr)
	}
	if wantErr == nil && !bytes.Equal(want, got) {
		t.Fatalf("encodings differ:\nreference %s\nfast      %s", want, got)
	}
}

func TestAppendTransactionMatchesEncodingJSON(t *testing.T) {
	loc := time.FixedZone("BST", 3600)
	txs := []Transaction{
		{ID: uuid.New(), Kind: Grant, Postings: []Posting{{Account: uuid.New(), Amount: coprod.MustParseAmount("-1234.5", coprod.GBP)}, {Account: uuid.New(), Amount: coprod.MustParseAmount("1234.5", coprod.GBP)}},
			Effective: time.Date(2025, 4, 1, 9, 30, 0, 123456789, loc), Recorded: time.Date(2025, 4, 2, 0, 0, 0, 0, time.UTC),
			Formality: Formality{Instrument: uuid.New(), Scope: "commission/mental-health", DecidedBy: uuid.New()},
			Coverage:  FullCost, Against: uuid.New(), Memo: `IAPT "sessions" <April> & café \ tab	end`,
			Metadata: map[string]string{"z": "last", "a": "first", "é": "<b>"}},
		{ID: uuid.New(), Kind: UnpaidLabour, Postings: []Posting{{Account: uuid.New(), Amount: coprod.MustParseAmount("-0.05", coprod.Hours)}, {Account: uuid.New(), Amount: coprod.MustParseAmount("0.05", coprod.Hours)}},
			Effective: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Recorded: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
			Formality: Formality{DecidedBy: uuid.New()},
			Labour:    &Labour{Hours: coprod.MustParseAmount("0.05", coprod.Hours), Method: ReplacementCost, Rate: coprod.MustParseAmount("12", coprod.GBP), WageSource: "x"}},
		{ID: uuid.New(), Kind: Reversal, Reverses: uuid.New(), Postings: []Posting{{Account: uuid.New(), Amount: coprod.MustParseAmount("999999999999999999999999999999.99", coprod.GBP)}, {Account: uuid.New(), Amount: coprod.MustParseAmount("-999999999999999999999999999999.99", coprod.GBP)}},
			Effective: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), Recorded: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
			Formality: Formality{DecidedBy: uuid.New()}},
		{ID: uuid.New(), Kind: TimeCredit, Postings: []Posting{{Account: uuid.New(), Amount: coprod.MustParseAmount("-3", coprod.Credits)}, {Account: uuid.New()}},
			Effective: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Recorded: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{ID: uuid.New(), Kind: Grant, Postings: []Posting{{Account: uuid.New(), Amount: coprod.MustParseAmount("-5", coprod.GBP)}, {Account: uuid.New(), Amount: coprod.MustParseAmount("5", coprod.GBP)}},
			Effective: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Recorded: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
			Formality: Formality{Instrument: uuid.New(), Scope: "c/m", DecidedBy: uuid.New(), Approvers: []Approval{
				{Party: uuid.New(), At: time.Date(2025, 3, 30, 18, 0, 0, 5, loc), Ref: "Board minute 25/114 <b> & café"},
				{Party: uuid.New(), At: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)},
			}},
			Proof: &coprod.Proof{Path: []coprod.ProofLink{
				{ID: uuid.New(), To: uuid.New(), Scope: "c"},
				{ID: uuid.New(), From: uuid.New(), To: uuid.New(), Scope: "c/m <é>", Limit: coprod.MustParseAmount("0", coprod.GBP),
					Period: coprod.Window{NotBefore: time.Date(2025, 3, 31, 23, 0, 0, 0, time.UTC), Expires: time.Date(2026, 3, 31, 23, 0, 0, 0, loc)}},
				{ID: uuid.New(), From: uuid.New(), To: uuid.New(), Scope: "c/m/i", Limit: coprod.MustParseAmount("100", coprod.GBP),
					Period: coprod.Window{Expires: time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC)}},
			}}},
		{ID: uuid.New(), Kind: Grant, Formality: Formality{Approvers: []Approval{}}, Proof: &coprod.Proof{}},
		{ID: uuid.New(), Kind: Grant, Formality: Formality{Approvers: []Approval{{}}}},
		{ID: uuid.New(), Kind: Grant, Formality: Formality{Approvers: []Approval{{Party: uuid.New(), At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}},
		{ID: uuid.New(), Kind: Grant, Postings: []Posting{{Account: uuid.New(), Amount: coprod.MustParseAmount("-10", coprod.GBP)}, {Account: uuid.New(), Amount: coprod.MustParseAmount("10", coprod.GBP)}},
			Effective: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Recorded: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
			Formality: Formality{Instrument: uuid.New(), Scope: "commission/iapt", DecidedBy: uuid.New()},
			Proof: &coprod.Proof{
				Path: []coprod.ProofLink{
					{ID: uuid.New(), To: uuid.New(), Scope: "commission", Limit: coprod.MustParseAmount("5000", coprod.GBP),
						Period: coprod.Window{NotBefore: time.Date(2025, 4, 1, 0, 0, 0, 0, loc), Expires: time.Date(2026, 4, 1, 0, 0, 0, 0, loc)}},
					{ID: uuid.New(), From: uuid.New(), To: uuid.New(), Scope: "commission/iapt"},
				},
				Acting: []coprod.ProofActing{{ID: uuid.New(), Person: uuid.New(), For: uuid.New()}, {ID: uuid.New(), Person: uuid.New(), For: uuid.New()}},
			}},
		{ID: uuid.New(), Kind: Grant, Postings: []Posting{{Account: uuid.New(), Amount: coprod.MustParseAmount("-10", coprod.GBP)}, {Account: uuid.New(), Amount: coprod.MustParseAmount("10", coprod.GBP)}},
			Effective: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Recorded: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
			Formality: Formality{DecidedBy: uuid.New()},
			Proof:     &coprod.Proof{Acting: []coprod.ProofActing{{ID: uuid.New(), Person: uuid.New(), For: uuid.New()}}}},
		{ID: uuid.New(), Kind: Grant, Postings: []Posting{{Account: uuid.New(), Amount: coprod.MustParseAmount("-10", coprod.GBP)}, {Account: uuid.New(), Amount: coprod.MustParseAmount("10", coprod.GBP)}},
			Effective: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Recorded: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
			Formality: Formality{Instrument: uuid.New(), Scope: "commission/iapt", DecidedBy: uuid.New()},
			Proof:     &coprod.Proof{Path: []coprod.ProofLink{{ID: uuid.New(), To: uuid.New(), Scope: "commission"}}}},
		{},
	}
	for i := range txs {
		checkEncoding(t, &txs[i])
	}
}

func FuzzAppendTransaction(f *testing.F) {
	f.Add(int64(123456), int64(-5), "commission/iapt", "memo <b>", "key", "välue", int64(1735689600), int32(0), int32(3600))
	f.Add(int64(0), int64(1<<62), "", "", "", "", int64(-62135596800), int32(999999999), int32(-18000))
	f.Fuzz(func(t *testing.T, a, b int64, scope, memo, key, value string, unix int64, nanos, offset int32) {
		amount := func(v int64) coprod.Amount {
			x, err := coprod.NewAmount(decimal.New(v, -2), coprod.GBP)
			if err != nil {
				return coprod.Amount{}
			}
			return x
		}
		at := time.Unix(unix, int64(nanos)%1e9).In(time.FixedZone("z", int(offset%86400)))
		tx := Transaction{
			ID: uuid.New(), Kind: Kind(key), Postings: []Posting{{Account: uuid.New(), Amount: amount(a)}, {Account: uuid.New(), Amount: amount(b)}},
			Effective: at, Recorded: at.Add(time.Hour), Formality: Formality{Scope: coprod.Scope(scope), DecidedBy: uuid.New(),
				Approvers: []Approval{{Party: uuid.New(), At: at.Add(-time.Duration(nanos)), Ref: memo}, {Party: uuid.New(), At: at}}},
			Coverage: Coverage(value), Memo: memo, Metadata: map[string]string{key: value, value: memo},
		}
		checkEncoding(t, &tx)
	})
}

// FuzzDecodeTransactionFast holds the journal's fast decoder to
// encoding/json: whatever the fast path accepts, encoding/json decodes to
// the same transaction.
func FuzzDecodeTransactionFast(f *testing.F) {
	for _, tx := range []Transaction{
		{ID: uuid.New(), Kind: Grant, Postings: []Posting{{Account: uuid.New(), Amount: coprod.MustParseAmount("-12.5", coprod.GBP)}, {Account: uuid.New(), Amount: coprod.MustParseAmount("12.5", coprod.GBP)}},
			Effective: time.Date(2025, 4, 1, 9, 30, 0, 5, time.FixedZone("x", 3600)), Recorded: time.Date(2025, 4, 2, 0, 0, 0, 0, time.UTC),
			Formality: Formality{Instrument: uuid.New(), Scope: "commission/iapt", DecidedBy: uuid.New()}, Coverage: FullCost, Against: uuid.New(), Memo: "April"},
		{ID: uuid.New(), Kind: Reversal, Reverses: uuid.New(), Postings: []Posting{{Account: uuid.New(), Amount: coprod.MustParseAmount("3", coprod.Credits)}},
			Effective: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Recorded: time.Date(2025, 4, 2, 0, 0, 0, 0, time.UTC), Formality: Formality{DecidedBy: uuid.New()}},
	} {
		b, err := appendTransaction(nil, &tx)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fast, ok := decodeTransactionFast(b)
		if !ok {
			return
		}
		var slow plainTransaction
		if err := json.Unmarshal(b, &slow); err != nil {
			t.Fatalf("fast path accepted what encoding/json refuses: %v\n%s", err, b)
		}
		ref := Transaction(slow)
		if !fast.equal(&ref) || !fast.Effective.Equal(ref.Effective) || fast.Effective.Location().String() != ref.Effective.Location().String() {
			t.Fatalf("decodings differ:\nfast %+v\njson %+v", fast, ref)
		}
	})
}

func TestDecodeTransactionFastTakesTheJournalForm(t *testing.T) {
	tx := Transaction{ID: uuid.New(), Kind: Payment, Postings: []Posting{{Account: uuid.New(), Amount: coprod.MustParseAmount("-1", coprod.GBP)}, {Account: uuid.New(), Amount: coprod.MustParseAmount("1", coprod.GBP)}},
		Effective: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Recorded: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		Formality: Formality{DecidedBy: uuid.New()}}
	b, err := appendTransaction(nil, &tx)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := decodeTransactionFast(b)
	if !ok || !got.equal(&tx) {
		t.Fatalf("fast path did not take %s", b)
	}
	tx.Metadata = map[string]string{"k": "v"}
	b, _ = appendTransaction(nil, &tx)
	if _, ok := decodeTransactionFast(b); ok {
		t.Fatal("metadata is left to encoding/json")
	}
	if back, err := decodeTransaction(b); err != nil || !back.equal(&tx) {
		t.Fatalf("fallback: %v", err)
	}
}
