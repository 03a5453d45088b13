package ledger

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

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
		if a%3 != 0 { // a labour record, some of its amounts unset
			hours, _ := coprod.NewAmount(decimal.New(b%100000, -2), coprod.Hours)
			tx.Labour = &Labour{Hours: hours, Method: Valuation(key), Rate: amount(a), WageSource: memo, Recognised: nanos%2 == 0}
			if a%2 == 0 {
				tx.Labour.Low, tx.Labour.High = amount(a/2), amount(b)
			}
		}
		checkEncoding(t, &tx)
	})
}

// fastDecodeSeeds are transactions in the forms journals carry, for the
// fast decoder's tests and fuzz seeds: proofs of several links, with
// limits and periods set and unset, and with acting-for records; labour
// by each method; approvals; metadata; times at offsets; amounts beyond
// the fast paths.
func fastDecodeSeeds() []Transaction {
	n := func(i byte) uuid.UUID { return uuid.UUID{0: 0xa0, 6: 0x40, 8: 0x80, 15: i} }
	bst, odd := time.FixedZone("BST", 3600), time.FixedZone("", -(3*3600+30*60))
	at := time.Date(2025, 4, 1, 9, 30, 0, 0, time.UTC)
	pay := func(id byte, value string, u coprod.Unit) Transaction {
		a := coprod.MustParseAmount(value, u)
		return Transaction{ID: n(id), Kind: Payment, Postings: []Posting{{Account: n(100), Amount: a.Neg()}, {Account: n(101), Amount: a}},
			Effective: at, Recorded: at, Formality: Formality{Instrument: n(102), Scope: "commission/mental-health/iapt", DecidedBy: n(103)}}
	}
	labour := func(id byte, l Labour) Transaction {
		tx, err := LabourTransaction(n(id), n(110), n(111), l, at.In(bst), at, n(112))
		if err != nil {
			panic(err)
		}
		return tx
	}
	link := func(i byte, from uuid.UUID, scope coprod.Scope, limit string, period coprod.Window) coprod.ProofLink {
		l := coprod.ProofLink{ID: n(i), From: from, To: n(i + 1), Scope: scope, Period: period}
		if limit != "" {
			l.Limit = coprod.MustParseAmount(limit, coprod.GBP)
		}
		return l
	}
	month := coprod.Window{NotBefore: time.Date(2025, 4, 1, 0, 0, 0, 0, bst), Expires: time.Date(2025, 5, 1, 0, 0, 0, 0, bst)}

	var txs []Transaction
	add := func(tx Transaction, edit func(*Transaction)) {
		if edit != nil {
			edit(&tx)
		}
		txs = append(txs, tx)
	}
	add(pay(1, "12.5", coprod.GBP), func(tx *Transaction) {
		tx.Effective = time.Date(2025, 4, 1, 9, 30, 0, 5, bst)
		tx.Coverage, tx.Against, tx.Memo = FullCost, n(104), "April"
	})
	add(pay(2, "3", coprod.Credits), func(tx *Transaction) {
		tx.Kind, tx.Reverses, tx.Formality.Instrument, tx.Formality.Scope = Reversal, n(105), uuid.Nil, ""
	})
	// A proof of three links: no limit and no period, a limit with a
	// period, a zero limit with only an expiry.
	add(pay(3, "1000000", coprod.GBP), func(tx *Transaction) {
		tx.Proof = &coprod.Proof{Path: []coprod.ProofLink{
			link(20, uuid.Nil, "commission", "", coprod.Window{}),
			link(22, n(21), "commission/mental-health", "1000000000000.00", month),
			link(24, n(23), "commission/mental-health/iapt", "0", coprod.Window{Expires: time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC)}),
		}}
	})
	// A limit with only a start, in another zone; acting-for records.
	add(pay(4, "0.01", coprod.GBP), func(tx *Transaction) {
		tx.Proof = &coprod.Proof{
			Path:   []coprod.ProofLink{link(30, n(29), "commission", "999999999999999999999999999999.99", coprod.Window{NotBefore: time.Date(2025, 1, 1, 0, 0, 0, 0, odd)})},
			Acting: []coprod.ProofActing{{ID: n(31), Person: n(32), For: n(33)}, {ID: n(34), Person: n(35), For: n(36)}},
		}
	})
	// Discretionary, spending money its decider acts for: no path.
	add(pay(5, "-7.25", coprod.GBP), func(tx *Transaction) {
		tx.Formality.Instrument, tx.Formality.Scope = uuid.Nil, ""
		tx.Proof = &coprod.Proof{Acting: []coprod.ProofActing{{ID: n(40), Person: n(41), For: n(42)}}}
	})
	// An empty (non-nil) path, and the zero proof.
	add(pay(6, "1", coprod.GBP), func(tx *Transaction) { tx.Proof = &coprod.Proof{Path: []coprod.ProofLink{}} })
	add(pay(7, "1", coprod.GBP), func(tx *Transaction) { tx.Proof = &coprod.Proof{} })
	// Approvals, with and without a reference, at offsets; metadata.
	add(pay(8, "20000", coprod.GBP), func(tx *Transaction) {
		tx.Formality.Approvers = []Approval{
			{Party: n(50), At: time.Date(2025, 3, 30, 18, 0, 0, 5, bst), Ref: "Board minute 25/114 — café"},
			{Party: n(51), At: time.Date(2025, 3, 31, 0, 0, 0, 0, odd)},
			{Party: n(52), At: at, Ref: "m"},
		}
		tx.Metadata = map[string]string{"a": "first", "z": "last", "invoice": "INV-0042", "": ""}
		tx.Proof = &coprod.Proof{Path: []coprod.ProofLink{link(53, uuid.Nil, "commission", "", coprod.Window{})}}
	})
	// A large posting, beyond the int64 fast path, and many postings.
	add(pay(9, "12345678901234567.89", coprod.GBP), func(tx *Transaction) {
		tx.Postings = append(tx.Postings, Posting{Account: n(106), Amount: coprod.MustParseAmount("-0.5", coprod.GBP)},
			Posting{Account: n(107), Amount: coprod.MustParseAmount("0.5", coprod.GBP)})
	})
	// Labour by each method.
	add(labour(10, Labour{Hours: coprod.MustParseAmount("3.5", coprod.Hours), Method: ReplacementCost, Rate: coprod.MustParseAmount("14.50", coprod.GBP)}), nil)
	add(labour(11, Labour{Hours: coprod.MustParseAmount("0.05", coprod.Hours), Method: OpportunityCost, Rate: coprod.MustParseAmount("18", coprod.GBP),
		Low: coprod.MustParseAmount("12.21", coprod.GBP), High: coprod.MustParseAmount("25", coprod.GBP), WageSource: "ONS ASHE 2024, médian", Recognised: true}), nil)
	add(labour(12, Labour{Hours: coprod.MustParseAmount("4", coprod.Hours), Method: TimeCreditMethod}), func(tx *Transaction) {
		tx.Memo, tx.Metadata = "gardening", map[string]string{"session": "7"}
	})
	return txs
}

// checkFastDecode holds decodeTransactionFast to encoding/json on b: if
// the fast path takes b, encoding/json (as Transaction.UnmarshalJSON runs
// it, before the shape checks) must decode it to the same transaction,
// deeply: the same amounts, times in the same locations, nil where it
// leaves nil and empty where it makes empty. It reports whether the fast
// path took b.
func checkFastDecode(t *testing.T, b []byte) bool {
	t.Helper()
	fast, ok := decodeTransactionFast(b)
	if !ok {
		return false
	}
	var slow plainTransaction
	if err := decodeStrict(b, &slow); err != nil {
		t.Fatalf("fast path accepted what encoding/json refuses: %v\n%s", err, b)
	}
	if ref := Transaction(slow); !reflect.DeepEqual(fast, ref) {
		t.Fatalf("decodings differ:\n%s\nfast %#v\njson %#v", b, fast, ref)
	}
	return true
}

// FuzzDecodeTransactionFast holds the journal's fast decoder to
// encoding/json: whatever the fast path accepts, encoding/json decodes to
// the same transaction.
func FuzzDecodeTransactionFast(f *testing.F) {
	for _, tx := range fastDecodeSeeds() {
		b, err := appendTransaction(nil, &tx)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkFastDecode(t, b) })
}

// TestDecodeTransactionFastTakesTheJournalForm: every field the encoder
// writes is read on the fast path, to what encoding/json reads.
func TestDecodeTransactionFastTakesTheJournalForm(t *testing.T) {
	for i, tx := range fastDecodeSeeds() {
		b, err := appendTransaction(nil, &tx)
		if err != nil {
			t.Fatal(err)
		}
		if !checkFastDecode(t, b) {
			t.Fatalf("seed %d: fast path did not take %s", i, b)
		}
		got, _ := decodeTransactionFast(b)
		if !got.equal(&tx) || !equalProofs(got.Proof, tx.Proof) {
			t.Fatalf("seed %d: fast path read %s as %+v", i, b, got)
		}
		if back, err := decodeTransaction(b); err != nil || !back.equal(&tx) {
			t.Fatalf("seed %d: decodeTransaction: %v", i, err)
		}
	}
}

// TestDecodeTransactionFastDeclines: forms the encoder never writes are
// left to encoding/json, which decides them.
func TestDecodeTransactionFastDeclines(t *testing.T) {
	tx := Transaction{ID: uuid.New(), Kind: Payment, Postings: []Posting{{Account: uuid.New(), Amount: coprod.MustParseAmount("-1", coprod.GBP)}, {Account: uuid.New(), Amount: coprod.MustParseAmount("1", coprod.GBP)}},
		Effective: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Recorded: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		Formality: Formality{DecidedBy: uuid.New()}}
	b, err := appendTransaction(nil, &tx)
	if err != nil {
		t.Fatal(err)
	}
	tail := func(s string) []byte { return append(bytes.Clone(b[:len(b)-1]), s+"}"...) }
	for _, in := range [][]byte{
		tail(`,"memo":"a\"b"`),     // an escape
		tail(",\"memo\":\"\xff\""), // invalid UTF-8, which encoding/json replaces
		tail(`,"metadata":{}`),     // an empty object
		tail(`,"labour":null`),     // null for an omitted field
		tail(`,"proof":null`),
		tail(`,"proof":{"path":null,"acting":[]}`), // an empty list
		tail(`,"proof":{"acting":[]}`),             // no path
		tail(`,"memo":"x","labour":{}`),            // another field order
		// A period with no bounds, an empty scope, a period that does not
		// validate.
		tail(`,"proof":{"path":[{"id":"` + uuid.NewString() + `","to":"` + uuid.NewString() + `","scope":"c","limit":null,"period":{}}]}`),
		tail(`,"proof":{"path":[{"id":"` + uuid.NewString() + `","to":"` + uuid.NewString() + `","scope":"","limit":null}]}`),
		tail(`,"proof":{"path":[{"id":"` + uuid.NewString() + `","to":"` + uuid.NewString() + `","scope":"c","limit":null,"period":{"not_before":"2025-02-01T00:00:00Z","expires":"2025-01-01T00:00:00Z"}}]}`),
		bytes.Replace(b, []byte(`"value":"-1.00"`), []byte(`"value":"-1.001"`), 1), // too precise: ParseAmount refuses it
		bytes.Replace(b, []byte(`"unit":"GBP"`), []byte(`"unit":"EUR"`), 1),
	} {
		if bytes.Equal(in, b) {
			t.Fatalf("no change")
		}
		if _, ok := decodeTransactionFast(in); ok {
			t.Errorf("fast path took %s", in)
		}
	}
	// What it declines, decodeTransaction still decodes (or refuses) with
	// encoding/json.
	tx.Metadata = map[string]string{"k": "v"}
	if back, err := decodeTransaction(tail(`,"metadata":{"k":"v"}`)); err != nil || !back.equal(&tx) {
		t.Fatalf("fallback: %v", err)
	}
}

// FuzzFastAmount holds the fast decoder's amounts to coprod.ParseAmount:
// the same answer, or a refusal where it refuses.
func FuzzFastAmount(f *testing.F) {
	for _, s := range []string{"12.34", "-0.05", "4", "-0", "007.50", "1234567890123456", "12345678901234567", "9999999999999999.99",
		"1.", ".5", "+1", "1e2", "1.001", "1.000", "--1", "", "-", "1.2.3", "٣"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(2))
	}
	units := []string{"GBP", "hours", "credits", "EUR", ""}
	f.Fuzz(func(t *testing.T, s string, unit uint8) {
		u := units[int(unit)%len(units)]
		got, ok := parseAmount([]byte(s), []byte(u))
		want, err := coprod.ParseAmount(s, coprod.Unit(u))
		if ok != (err == nil) || !reflect.DeepEqual(got, want) {
			t.Fatalf("parseAmount(%q, %q) = %#v, %v; ParseAmount: %#v, %v", s, u, got, ok, want, err)
		}
	})
}
