package ledger_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/allocs"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noPanic runs f and turns a panic into a test failure.
func noPanic(t *testing.T, f func() error) (err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("panic: %v", p)
			err = nil
		}
	}()
	return f()
}

// journalLines builds a journal whose chain and hashes are sound around
// whatever records it is given, so that Replay gets past Verify's checks
// to the record decoders.
func journalLines(records ...[2]string) string {
	var b strings.Builder
	var prev [sha256.Size]byte
	for i, r := range records {
		seq := i + 1
		prevHex := hex.EncodeToString(prev[:])
		h := sha256.New()
		fmt.Fprintf(h, "%d\n%s\n%s\n", seq, prevHex, r[0])
		h.Write([]byte(r[1]))
		copy(prev[:], h.Sum(nil))
		fmt.Fprintf(&b, `{"seq":%d,"prev":"%s","hash":"%s","type":"%s","record":%s}`+"\n", seq, prevHex, hex.EncodeToString(prev[:]), r[0], r[1])
	}
	return b.String()
}

// TestBadInput is the catalogue of bad input the ledger must refuse: each
// row names the sentinel errors.Is must find; no row may panic, and no
// refusal may change a balance, a record, the head or the journal.
func TestBadInput(t *testing.T) {
	const badUTF8 = "caf\xe9"
	year10000 := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	year0 := time.Date(0, 6, 1, 0, 0, 0, 0, time.UTC)
	post := func(edit func(*ledger.Transaction)) func(*ledger.Ledger) error {
		return func(l *ledger.Ledger) error {
			tx := pay("new", "council-budget", "hub-cash", "10", ledger.Grant, officer, uuid.Nil, day(2025, 10, 1))
			edit(&tx)
			_, err := l.Post(tx)
			return err
		}
	}
	labour := func(edit func(*ledger.Labour)) func(*ledger.Ledger) error {
		return func(l *ledger.Ledger) error {
			tx := ledger.Transaction{
				ID: id("new-labour"), Kind: ledger.UnpaidLabour, Effective: day(2025, 10, 1), Recorded: day(2025, 10, 1),
				Postings:  []ledger.Posting{{Account: id("temple-hours-given"), Amount: hours("-10")}, {Account: id("service-hours-received"), Amount: hours("10")}},
				Formality: ledger.Formality{DecidedBy: temple},
				Labour:    &ledger.Labour{Hours: hours("10"), Method: ledger.ReplacementCost, Rate: gbp("14.50")},
			}
			edit(tx.Labour)
			for i := range tx.Postings {
				tx.Postings[i].Amount = tx.Labour.Hours
				if i == 0 {
					tx.Postings[i].Amount = tx.Labour.Hours.Neg()
				}
			}
			_, err := l.Post(tx)
			return err
		}
	}
	open := func(edit func(*ledger.Account)) func(*ledger.Ledger) error {
		return func(l *ledger.Ledger) error {
			a := ledger.Account{ID: id("new-account"), Owner: hub, Name: "Reserve", Kind: ledger.Cash, Unit: coprod.GBP}
			edit(&a)
			return l.Open(a)
		}
	}
	hold := func(edit func(*ledger.Hold)) func(*ledger.Ledger) error {
		return func(l *ledger.Ledger) error {
			h := ledger.Hold{ID: id("new-hold"), Kind: ledger.Grant, From: id("hub-cash"), To: id("temple-cash"), Amount: gbp("10"),
				Recorded: day(2025, 10, 1), Formality: ledger.Formality{DecidedBy: director}}
			edit(&h)
			_, err := l.PlaceHold(h)
			return err
		}
	}
	reverse := func(edit func(*ledger.ReversalRequest)) func(*ledger.Ledger) error {
		return func(l *ledger.Ledger) error {
			req := ledger.ReversalRequest{ID: id("new-rev"), Of: id("grant"), By: council, Effective: day(2025, 10, 1), Recorded: day(2025, 10, 1)}
			edit(&req)
			_, err := l.Reverse(req)
			return err
		}
	}
	replay := func(records ...[2]string) func(*ledger.Ledger) error {
		return func(*ledger.Ledger) error {
			_, err := ledger.Replay(strings.NewReader(journalLines(records...)), ledger.Options{})
			return err
		}
	}
	decode := func(v any, doc string) func(*ledger.Ledger) error {
		return func(*ledger.Ledger) error { return json.Unmarshal([]byte(doc), v) }
	}
	const (
		goodAccount  = `{"id":"ed7a9ce9-cf5e-50cf-8678-7eef575d315b","owner":"33a58f22-e8a8-5b36-a82d-6d00dafedb51","name":"Hub bank","kind":"cash","unit":"GBP"}`
		goodAccount2 = `{"id":"0d7a9ce9-cf5e-50cf-8678-7eef575d315b","owner":"33a58f22-e8a8-5b36-a82d-6d00dafedb51","name":"Temple","kind":"cash","unit":"GBP"}`
		goodTx       = `{"id":"11111111-1111-1111-1111-111111111111","kind":"grant","postings":[{"account":"ed7a9ce9-cf5e-50cf-8678-7eef575d315b","amount":{"value":"-1.00","unit":"GBP"}},{"account":"0d7a9ce9-cf5e-50cf-8678-7eef575d315b","amount":{"value":"1.00","unit":"GBP"}}],"effective":"2025-01-01T00:00:00Z","recorded":"2025-01-01T00:00:00Z","formality":{"decided_by":"33a58f22-e8a8-5b36-a82d-6d00dafedb51"}}`
		goodHold     = `{"id":"22222222-1111-1111-1111-111111111111","kind":"grant","from":"ed7a9ce9-cf5e-50cf-8678-7eef575d315b","to":"0d7a9ce9-cf5e-50cf-8678-7eef575d315b","amount":{"value":"1.00","unit":"GBP"},"formality":{"decided_by":"33a58f22-e8a8-5b36-a82d-6d00dafedb51"},"recorded":"2025-01-01T00:00:00Z"}`
	)
	nullAmount := strings.Replace(goodTx, `{"value":"-1.00","unit":"GBP"}`, `null`, 1)
	tests := []struct {
		name string
		call func(*ledger.Ledger) error
		want error
	}{
		{"Open nil id", open(func(a *ledger.Account) { a.ID = uuid.Nil }), ledger.ErrInvalidAccount},
		{"Open nil owner", open(func(a *ledger.Account) { a.Owner = uuid.Nil }), ledger.ErrInvalidAccount},
		{"Open name bad UTF-8", open(func(a *ledger.Account) { a.Name = badUTF8 }), ledger.ErrInvalidAccount},
		{"Open long name", open(func(a *ledger.Account) { a.Name = strings.Repeat("n", ledger.MaxNameLen+1) }), ledger.ErrInvalidAccount},
		{"Open unknown kind", open(func(a *ledger.Account) { a.Kind = "savings" }), ledger.ErrInvalidAccount},
		{"Open labour book in money", open(func(a *ledger.Account) { a.Kind = ledger.MemoLabour }), ledger.ErrInvalidAccount},
		{"Open duplicate", open(func(a *ledger.Account) { a.ID = id("hub-cash") }), ledger.ErrDuplicateAccount},
		{"Post nil id", post(func(tx *ledger.Transaction) { tx.ID = uuid.Nil }), ledger.ErrInvalidTransaction},
		{"Post unknown kind", post(func(tx *ledger.Transaction) { tx.Kind = "gift" }), ledger.ErrInvalidTransaction},
		{"Post no postings", post(func(tx *ledger.Transaction) { tx.Postings = nil }), ledger.ErrInvalidTransaction},
		{"Post zero amount value", post(func(tx *ledger.Transaction) { tx.Postings[0].Amount = coprod.Amount{} }), ledger.ErrInvalidTransaction},
		{"Post nil account", post(func(tx *ledger.Transaction) { tx.Postings[0].Account = uuid.Nil }), ledger.ErrInvalidTransaction},
		{"Post too many postings", post(func(tx *ledger.Transaction) {
			tx.Postings = make([]ledger.Posting, ledger.MaxPostings+1)
		}), ledger.ErrTooManyPostings},
		{"Post zero time", post(func(tx *ledger.Transaction) { tx.Effective = time.Time{} }), ledger.ErrInvalidTransaction},
		{"Post year 10000", post(func(tx *ledger.Transaction) { tx.Recorded = year10000 }), ledger.ErrInvalidTransaction},
		{"Post no deciding party", post(func(tx *ledger.Transaction) { tx.Formality.DecidedBy = uuid.Nil }), ledger.ErrInvalidTransaction},
		{"Post unknown coverage", post(func(tx *ledger.Transaction) { tx.Coverage = "some" }), ledger.ErrInvalidTransaction},
		{"Post memo bad UTF-8", post(func(tx *ledger.Transaction) { tx.Memo = badUTF8 }), ledger.ErrInvalidTransaction},
		{"Post long memo", post(func(tx *ledger.Transaction) { tx.Memo = strings.Repeat("m", ledger.MaxTextLen+1) }), ledger.ErrInvalidTransaction},
		{"Post scope bad UTF-8", post(func(tx *ledger.Transaction) { tx.Formality.Scope = badUTF8 }), ledger.ErrInvalidTransaction},
		{"Post scope upper case", post(func(tx *ledger.Transaction) { tx.Formality.Scope = "Commission/IAPT" }), coprod.ErrInvalidScope},
		{"Post scope empty segment", post(func(tx *ledger.Transaction) { tx.Formality.Scope = "commission//iapt" }), ledger.ErrInvalidTransaction},
		{"Post metadata key bad UTF-8", post(func(tx *ledger.Transaction) { tx.Metadata = map[string]string{badUTF8: "x"} }), ledger.ErrInvalidTransaction},
		{"Post metadata value bad UTF-8", post(func(tx *ledger.Transaction) { tx.Metadata = map[string]string{"x": badUTF8} }), ledger.ErrInvalidTransaction},
		{"Post too much metadata", post(func(tx *ledger.Transaction) {
			tx.Metadata = map[string]string{}
			for i := range ledger.MaxMetadata + 1 {
				tx.Metadata[fmt.Sprint(i)] = "x"
			}
		}), ledger.ErrInvalidTransaction},
		{"Post labour on a grant", post(func(tx *ledger.Transaction) { tx.Labour = &ledger.Labour{Hours: hours("1")} }), ledger.ErrInvalidTransaction},
		{"Post unknown account", post(func(tx *ledger.Transaction) { tx.Postings[0].Account = id("nowhere") }), ledger.ErrUnknownAccount},
		{"Post unbalanced", post(func(tx *ledger.Transaction) { tx.Postings[0].Amount = gbp("-9") }), ledger.ErrUnbalanced},
		{"Post mixed books", post(func(tx *ledger.Transaction) { tx.Postings[1].Account = id("temple-donated") }), ledger.ErrMixedBooks},
		{"Post hours to money", post(func(tx *ledger.Transaction) { tx.Postings[1].Amount = hours("10") }), ledger.ErrUnitMismatch},
		{"Post a reversal", post(func(tx *ledger.Transaction) { tx.Kind, tx.Reverses = ledger.Reversal, id("grant") }), ledger.ErrInvalidTransaction},
		{"Post idempotency conflict", post(func(tx *ledger.Transaction) { tx.ID = id("grant") }), ledger.ErrIdempotencyConflict},
		{"Post labour value overflow", labour(func(lb *ledger.Labour) {
			lb.Hours = coprod.MustParseAmount("1000000000000000000000000000", coprod.Hours)
			lb.Rate = gbp("10000")
		}), ledger.ErrInvalidLabour},
		{"Post labour high rate overflow", labour(func(lb *ledger.Labour) {
			lb.Hours = coprod.MustParseAmount("100000000000000000000000000", coprod.Hours)
			lb.High = gbp("100000")
		}), ledger.ErrInvalidLabour},
		{"Post labour wage source bad UTF-8", labour(func(lb *ledger.Labour) { lb.WageSource = badUTF8 }), ledger.ErrInvalidLabour},
		{"Post labour low above rate", labour(func(lb *ledger.Labour) { lb.Low = gbp("20") }), ledger.ErrInvalidLabour},
		{"Post labour unknown method", labour(func(lb *ledger.Labour) { lb.Method = "guess" }), ledger.ErrInvalidLabour},
		{"Reverse reason bad UTF-8", reverse(func(r *ledger.ReversalRequest) { r.Reason = badUTF8 }), ledger.ErrInvalidTransaction},
		{"Reverse unknown", reverse(func(r *ledger.ReversalRequest) { r.Of = id("nothing") }), ledger.ErrUnknownTransaction},
		{"Reverse twice", reverse(func(r *ledger.ReversalRequest) { r.Of = id("mistake") }), ledger.ErrAlreadyReversed},
		{"Reverse a reversal", reverse(func(r *ledger.ReversalRequest) { r.Of = id("mistake-rev") }), ledger.ErrNotReversible},
		{"Reverse year 10000", reverse(func(r *ledger.ReversalRequest) { r.Effective = year10000 }), ledger.ErrInvalidTransaction},
		{"PlaceHold nil id", hold(func(h *ledger.Hold) { h.ID = uuid.Nil }), ledger.ErrInvalidTransaction},
		{"PlaceHold bad scope", hold(func(h *ledger.Hold) { h.Formality.Scope = "mental health" }), coprod.ErrInvalidScope},
		{"PlaceHold labour kind", hold(func(h *ledger.Hold) { h.Kind = ledger.UnpaidLabour }), ledger.ErrInvalidTransaction},
		{"PlaceHold hours", hold(func(h *ledger.Hold) { h.Amount = hours("1") }), ledger.ErrInvalidTransaction},
		{"PlaceHold no amount", hold(func(h *ledger.Hold) { h.Amount = coprod.Amount{} }), ledger.ErrInvalidTransaction},
		{"PlaceHold recorded year 10000", hold(func(h *ledger.Hold) { h.Recorded = year10000 }), ledger.ErrInvalidTransaction},
		{"PlaceHold expires year 0", hold(func(h *ledger.Hold) { h.Expires = year0 }), ledger.ErrInvalidTransaction},
		{"PlaceHold expires year 10000", hold(func(h *ledger.Hold) { h.Expires = year10000 }), ledger.ErrInvalidTransaction},
		{"PlaceHold memo bad UTF-8", hold(func(h *ledger.Hold) { h.Memo = badUTF8 }), ledger.ErrInvalidTransaction},
		{"PlaceHold unknown account", hold(func(h *ledger.Hold) { h.To = id("nowhere") }), ledger.ErrUnknownAccount},
		{"PlaceHold memorandum", hold(func(h *ledger.Hold) { h.To = id("temple-donated") }), ledger.ErrMixedBooks},
		{"Capture unknown hold", func(l *ledger.Ledger) error {
			_, err := l.Capture(ledger.CaptureRequest{Hold: id("nothing"), ID: id("cap"), Amount: gbp("1"), Effective: day(2025, 10, 1), Recorded: day(2025, 10, 1), By: director})
			return err
		}, ledger.ErrUnknownHold},
		{"Capture more than held", func(l *ledger.Ledger) error {
			_, err := l.Capture(ledger.CaptureRequest{Hold: id("h4"), ID: id("cap"), Amount: gbp("301"), Effective: day(2025, 10, 1), Recorded: day(2025, 10, 1), By: director})
			return err
		}, ledger.ErrOverHold},
		{"Capture no amount", func(l *ledger.Ledger) error {
			_, err := l.Capture(ledger.CaptureRequest{Hold: id("h4"), ID: id("cap"), Amount: coprod.Amount{}, Effective: day(2025, 10, 1), Recorded: day(2025, 10, 1), By: director})
			return err
		}, ledger.ErrInvalidTransaction},
		{"Capture year 10000", func(l *ledger.Ledger) error {
			_, err := l.Capture(ledger.CaptureRequest{Hold: id("h4"), ID: id("cap"), Amount: gbp("1"), Effective: year10000, Recorded: year10000, By: director})
			return err
		}, ledger.ErrInvalidTransaction},
		{"Capture resolved hold", func(l *ledger.Ledger) error {
			_, err := l.Capture(ledger.CaptureRequest{Hold: id("h2"), ID: id("cap"), Amount: gbp("1"), Effective: day(2025, 10, 1), Recorded: day(2025, 10, 1), By: director})
			return err
		}, ledger.ErrHoldResolved},
		{"Void zero time", func(l *ledger.Ledger) error {
			return l.Void(ledger.VoidRequest{Hold: id("h4"), By: director, At: time.Time{}, Reason: ""})
		}, ledger.ErrInvalidTransaction},
		{"Void year 10000", func(l *ledger.Ledger) error {
			return l.Void(ledger.VoidRequest{Hold: id("h4"), By: director, At: year10000, Reason: ""})
		}, ledger.ErrInvalidTransaction},
		{"Void reason bad UTF-8", func(l *ledger.Ledger) error {
			return l.Void(ledger.VoidRequest{Hold: id("h4"), By: director, At: day(2025, 10, 1), Reason: badUTF8})
		}, ledger.ErrInvalidTransaction},
		{"Void unknown hold", func(l *ledger.Ledger) error {
			return l.Void(ledger.VoidRequest{Hold: id("nothing"), By: director, At: day(2025, 10, 1)})
		}, ledger.ErrUnknownHold},
		{"Expire early", func(l *ledger.Ledger) error { return l.Expire(id("h4"), day(2025, 10, 1)) }, ledger.ErrHoldNotExpired},
		{"Expire year 10000", func(l *ledger.Ledger) error { return l.Expire(id("h4"), year10000) }, ledger.ErrInvalidTransaction},
		{"Allocate zero total", func(*ledger.Ledger) error {
			_, err := ledger.Allocate(coprod.Amount{}, []int64{1}, ledger.LargestRemainder)
			return err
		}, ledger.ErrAllocation},
		{"Allocate no weights", func(*ledger.Ledger) error {
			_, err := ledger.Allocate(gbp("1"), nil, ledger.LargestRemainder)
			return err
		}, ledger.ErrAllocation},
		{"Allocate negative weight", func(*ledger.Ledger) error {
			_, err := ledger.Allocate(gbp("1"), []int64{1, -1}, ledger.LargestRemainder)
			return err
		}, ledger.ErrAllocation},
		{"Allocate zero weights", func(*ledger.Ledger) error {
			_, err := ledger.Allocate(gbp("1"), []int64{0, 0}, ledger.ToFirst)
			return err
		}, ledger.ErrAllocation},
		{"Allocate unknown mode", func(*ledger.Ledger) error {
			_, err := ledger.Allocate(gbp("1"), []int64{1}, ledger.Mode(-1))
			return err
		}, ledger.ErrAllocation},
		{"Labour value overflow", func(*ledger.Ledger) error {
			_, err := ledger.Labour{Hours: coprod.MustParseAmount("1e27", coprod.Hours), Method: ledger.OpportunityCost, Rate: gbp("1000")}.Value()
			return err
		}, ledger.ErrInvalidLabour},
		{"decode transaction null amount", decode(&ledger.Transaction{}, nullAmount), ledger.ErrInvalidTransaction},
		{"decode transaction unknown field", decode(&ledger.Transaction{}, strings.Replace(goodTx, `"kind"`, `"memmo":"x","kind"`, 1)), nil},
		{"decode account unknown field", decode(&ledger.Account{}, strings.Replace(goodAccount, `"kind"`, `"kinds":"x","kind"`, 1)), nil},
		{"decode hold unknown field", decode(&ledger.Hold{}, strings.Replace(goodHold, `"recorded"`, `"expiry":"2026-01-01T00:00:00Z","recorded"`, 1)), nil},
		{"decode hold year 0", decode(&ledger.Hold{}, strings.Replace(goodHold, `"recorded":"2025`, `"recorded":"0000`, 1)), ledger.ErrInvalidTransaction},
		{"Verify not a journal line", func(*ledger.Ledger) error { _, err := ledger.Verify(strings.NewReader("hello\n"), nil); return err }, ledger.ErrCorruptJournal},
		{"Verify truncated", func(*ledger.Ledger) error {
			// A version 1 line (journalLines writes that form) cut short
			// is corruption: only the version 2 lines this version writes
			// are recognised as torn.
			_, err := ledger.Verify(strings.NewReader(strings.TrimSuffix(journalLines([2]string{"account", goodAccount}), "\n")), nil)
			return err
		}, ledger.ErrCorruptJournal},
		{"Replay unknown account field", replay([2]string{"account", strings.Replace(goodAccount, `"kind"`, `"x":1,"kind"`, 1)}), ledger.ErrCorruptJournal},
		{"Replay transaction null amount", replay([2]string{"account", goodAccount}, [2]string{"account", goodAccount2}, [2]string{"transaction", nullAmount}), ledger.ErrInvalidTransaction},
		{"Replay transaction unknown field", replay([2]string{"account", goodAccount}, [2]string{"account", goodAccount2},
			[2]string{"transaction", strings.Replace(goodTx, `}}],`, `}, "x":1}],`, 1)}), ledger.ErrCorruptJournal},
		{"Replay hold year 10000", replay([2]string{"account", goodAccount}, [2]string{"account", goodAccount2},
			[2]string{"hold", strings.Replace(goodHold, `"recorded":"2025`, `"recorded":"10000`, 1)}), ledger.ErrCorruptJournal},
		{"Replay resolution unknown field", replay([2]string{"account", goodAccount}, [2]string{"account", goodAccount2}, [2]string{"hold", goodHold},
			[2]string{"resolution", `{"hold":"22222222-1111-1111-1111-111111111111","resolution":"voided","at":"2025-02-01T00:00:00Z","why":"x"}`}), ledger.ErrCorruptJournal},
		{"Replay resolution year 10000", replay([2]string{"account", goodAccount}, [2]string{"account", goodAccount2}, [2]string{"hold", goodHold},
			[2]string{"resolution", `{"hold":"22222222-1111-1111-1111-111111111111","resolution":"voided","at":"9999-12-31T23:59:59+-1:00"}`}), ledger.ErrCorruptJournal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var j bytes.Buffer
			l := newLedger(t, ledger.Options{Journal: &j})
			history(t, l)
			_, err := l.PlaceHold(ledger.Hold{ID: id("h4"), Kind: ledger.Grant, From: id("hub-cash"), To: id("temple-cash"), Amount: gbp("300"),
				Expires: day(2026, 1, 1), Recorded: day(2025, 9, 1), Formality: ledger.Formality{DecidedBy: director}})
			require.NoError(t, err)
			before, journal := state(t, l), j.String()
			used := allocs.Bytes(func() { err = noPanic(t, func() error { return tt.call(l) }) })
			require.Error(t, err)
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
				assert.NotEmpty(t, coprod.CodeOf(err))
			}
			assert.Less(t, used, uint64(1<<20), "bad input is refused at bounded cost")
			assert.LessOrEqual(t, strings.Count(err.Error(), "ledger: "), 1, err.Error())
			assert.Equal(t, before, state(t, l), "a refusal changes nothing")
			assert.Equal(t, journal, j.String(), "a refusal writes nothing")
		})
	}
}

// TestRatioBounded is the bug report: Ratio panicked for a negative
// places; it answers false outside 0 to MaxRatioPlaces.
func TestRatioBounded(t *testing.T) {
	s := ledger.Share{Part: gbp("1"), Whole: gbp("3")}
	tests := []struct {
		name   string
		places int32
		ok     bool
		want   string
	}{
		{"none", 0, true, "0"},
		{"three", 3, true, "0.333"},
		{"most", ledger.MaxRatioPlaces, true, "0." + strings.Repeat("3", ledger.MaxRatioPlaces)},
		{"one too many", ledger.MaxRatioPlaces + 1, false, "0"},
		{"negative", -1, false, "0"},
		{"min int32", math.MinInt32, false, "0"},
		{"max int32", math.MaxInt32, false, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := s.Ratio(tt.places)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, r.String())
		})
	}
}

// TestLabourOverflowRefusedAtPost is the bug report: a labour record whose
// money value overflows was accepted and then broke Metrics.
func TestLabourOverflowRefusedAtPost(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	h := coprod.MustParseAmount("1e27", coprod.Hours)
	_, err := l.Post(ledger.Transaction{
		ID: id("huge"), Kind: ledger.UnpaidLabour, Effective: day(2025, 5, 2), Recorded: day(2025, 5, 3),
		Postings:  []ledger.Posting{{Account: id("temple-hours-given"), Amount: h.Neg()}, {Account: id("service-hours-received"), Amount: h}},
		Formality: ledger.Formality{DecidedBy: temple},
		Labour:    &ledger.Labour{Hours: h, Method: ledger.ReplacementCost, Rate: gbp("10000")},
	})
	require.ErrorIs(t, err, ledger.ErrInvalidLabour)
	assert.ErrorIs(t, err, coprod.ErrOverflow, "the cause is kept")
	_, err = l.Metrics(coprod.Window{}, sector)
	assert.NoError(t, err)
}

// TestPrefixOnce checks a sample of errors from the package: each message
// carries the package prefix exactly once.
func TestPrefixOnce(t *testing.T) {
	l := newLedger(t, ledger.Options{})
	_, postErr := l.Post(ledger.Transaction{ID: id("x")})
	var tx ledger.Transaction
	var a ledger.Account
	var h ledger.Hold
	_, replayErr := ledger.Replay(strings.NewReader(journalLines([2]string{"account", `{"id":"00000000-0000-0000-0000-000000000000"}`})), ledger.Options{})
	_, allocErr := ledger.Allocate(gbp("1"), nil, ledger.ToFirst)
	errs := map[string]error{
		"post":               postErr,
		"open":               l.Open(ledger.Account{}),
		"decode transaction": json.Unmarshal([]byte(`{"id":1}`), &tx),
		"decode account":     json.Unmarshal([]byte(`{"id":"00000000-0000-0000-0000-000000000000"}`), &a),
		"decode hold":        json.Unmarshal([]byte(`{"x":1}`), &h),
		"replay":             replayErr,
		"allocate":           allocErr,
		"void":               l.Void(ledger.VoidRequest{Hold: id("x"), By: director, At: day(2025, 1, 1)}),
	}
	for name, err := range errs {
		t.Run(name, func(t *testing.T) {
			require.Error(t, err)
			assert.Equal(t, 1, strings.Count(err.Error(), "ledger: "), err.Error())
		})
	}
}
