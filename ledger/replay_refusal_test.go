package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/journal"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReplayRefusesWhatLiveRefuses appends to a sound journal one
// correctly hashed line carrying a record that the live call would refuse
// on the ledger's own state, and checks that Replay refuses it, naming
// the line, with the live refusal's sentinel. One validation path serves
// both.
func TestReplayRefusesWhatLiveRefuses(t *testing.T) {
	uid := func(s string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceURL, []byte("replay-refusal:"+s)) }
	at := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }
	gbp := func(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.GBP) }
	council, hub, third := uid("council"), uid("hub"), uid("third")
	budget, hubCash, thirdCash := uid("budget"), uid("hub-cash"), uid("third-cash")
	link := uid("link")
	capped := &coprod.Proof{Path: []coprod.ProofLink{{ID: link, To: council, Scope: "commission", Limit: gbp("1000"),
		Period: coprod.Window{NotBefore: at(4, 1), Expires: at(5, 1)}}}}
	formal := Formality{Instrument: link, Scope: "commission", DecidedBy: council}

	// The sound journal: accounts, a grant of 900 against a cap of 1,000,
	// its reversal's original, a hold, and the books closed through April.
	var written bytes.Buffer
	live := New(Options{Journal: &written})
	for _, a := range []Account{
		{ID: budget, Owner: council, Kind: Budget, Unit: coprod.GBP},
		{ID: hubCash, Owner: hub, Kind: Cash, Unit: coprod.GBP},
		{ID: thirdCash, Owner: third, Kind: Cash, Unit: coprod.GBP},
	} {
		require.NoError(t, live.Open(a))
	}
	grant := Transaction{ID: uid("grant"), Kind: Grant, Effective: at(4, 10), Recorded: at(4, 10), Formality: formal,
		Postings: []Posting{{Account: budget, Amount: gbp("-900")}, {Account: hubCash, Amount: gbp("900")}}}
	// A ledger with an Authorizer records the proof; here it is put on the
	// record directly, as a replayed line carries it.
	live.mu.Lock()
	e := live.newEntry(grant)
	e.tx.Proof = capped
	_, err := live.record(e, true)
	live.mu.Unlock()
	require.NoError(t, err)
	_, err = live.Post(Transaction{ID: uid("second"), Kind: Payment, Effective: at(4, 11), Recorded: at(4, 11),
		Formality: Formality{DecidedBy: council}, Postings: []Posting{{Account: budget, Amount: gbp("-10")}, {Account: hubCash, Amount: gbp("10")}}})
	require.NoError(t, err)
	_, err = live.Reverse(ReversalRequest{ID: uid("second-rev"), Of: uid("second"), By: council, Effective: at(4, 12), Recorded: at(4, 12)})
	require.NoError(t, err)
	_, err = live.PlaceHold(Hold{ID: uid("hold"), Kind: Grant, From: budget, To: hubCash, Amount: gbp("50"),
		Expires: at(6, 1), Recorded: at(4, 13), Formality: Formality{DecidedBy: council}})
	require.NoError(t, err)
	_, err = live.ClosePeriod(Closing{Through: at(5, 1), Recorded: at(5, 2), By: council})
	require.NoError(t, err)
	sound := bytes.Clone(written.Bytes())
	_, err = Replay(bytes.NewReader(sound), Options{})
	require.NoError(t, err, "the base journal replays")

	late := at(5, 3)
	pay := func(name string, amount string, to uuid.UUID) Transaction {
		return Transaction{ID: uid(name), Kind: Payment, Effective: late, Recorded: late, Formality: Formality{DecidedBy: council},
			Postings: []Posting{{Account: budget, Amount: gbp("-" + amount)}, {Account: to, Amount: gbp(amount)}}}
	}
	withTx := func(tx Transaction) (string, []byte) {
		b, err := appendTransaction(nil, &tx)
		require.NoError(t, err)
		return recTransaction, b
	}
	withJSON := func(typ string, v any) (string, []byte) {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return typ, b
	}
	capture := func(amount string, effective, recorded time.Time) HoldResolution {
		tx := Transaction{ID: uid("capture"), Kind: Grant, Effective: effective, Recorded: recorded, Formality: Formality{DecidedBy: council},
			Postings: []Posting{{Account: budget, Amount: gbp("-" + amount)}, {Account: hubCash, Amount: gbp(amount)}}}
		return HoldResolution{Hold: uid("hold"), Resolution: Captured, At: recorded, By: council, Transaction: &tx}
	}

	tests := []struct {
		name   string
		line   func() (string, []byte)
		opts   Options
		want   error
		reason string
	}{
		{name: "a reversal that is not the mirror: paying a third party a million", want: ErrInvalidTransaction, line: func() (string, []byte) {
			return withTx(Transaction{ID: uid("fake-rev"), Kind: Reversal, Reverses: uid("grant"), Effective: late, Recorded: late, Formality: formal,
				Postings: []Posting{{Account: budget, Amount: gbp("-1000000")}, {Account: thirdCash, Amount: gbp("1000000")}}})
		}},
		{name: "a reversal of a reversal", want: ErrNotReversible, line: func() (string, []byte) {
			return withTx(Transaction{ID: uid("rev-rev"), Kind: Reversal, Reverses: uid("second-rev"), Effective: late, Recorded: late,
				Formality: Formality{DecidedBy: council}, Postings: []Posting{{Account: budget, Amount: gbp("-10")}, {Account: hubCash, Amount: gbp("10")}}})
		}},
		{name: "a second reversal", want: ErrAlreadyReversed, line: func() (string, []byte) {
			return withTx(Transaction{ID: uid("rev-2"), Kind: Reversal, Reverses: uid("second"), Effective: late, Recorded: late,
				Formality: Formality{DecidedBy: council}, Postings: []Posting{{Account: budget, Amount: gbp("10")}, {Account: hubCash, Amount: gbp("-10")}}})
		}},
		{name: "a recorded time far behind the latest", want: ErrRecordedTimeBehind, line: func() (string, []byte) {
			tx := pay("behind", "1", hubCash)
			tx.Recorded, tx.Effective = at(5, 1), at(5, 1)
			return withTx(tx)
		}},
		{name: "an effective time in a closed period", want: ErrPeriodClosed, line: func() (string, []byte) {
			tx := pay("closed", "1", hubCash)
			tx.Effective = at(4, 30)
			return withTx(tx)
		}},
		{name: "spending past a cumulative limit its proof carries", want: ErrOverCumulative, line: func() (string, []byte) {
			tx := pay("over-cap", "200", hubCash)
			tx.Formality = formal
			tx.Effective, tx.Recorded = at(5, 3), at(5, 3)
			tx.Proof = capped
			return withTx(tx)
		}},
		{name: "a formal line without a proof on a ledger with an authority", want: ErrNotAuthorized, opts: Options{Authorizer: allowAll{}}, line: func() (string, []byte) {
			tx := pay("no-proof", "1", hubCash)
			tx.Formality = formal
			return withTx(tx)
		}},
		{name: "a line whose money moved is out of range, on a ledger with an authority", want: ErrInvalidTransaction, opts: Options{Authorizer: allowAll{}}, line: func() (string, []byte) {
			// Each posting and each balance after it is in range, and
			// they balance; the two paid in sum past it. Discretionary,
			// so no proof is asked for.
			big := gbp("600000000000000000000000000000")
			tx := pay("too-much", "1", hubCash)
			tx.Postings = []Posting{{Account: budget, Amount: big.Neg()}, {Account: hubCash, Amount: big},
				{Account: thirdCash, Amount: big}, {Account: hubCash, Amount: big.Neg()}}
			return withTx(tx)
		}},
		{name: "an unbalanced transaction", want: ErrUnbalanced, line: func() (string, []byte) {
			tx := pay("unbalanced", "1", hubCash)
			tx.Postings[1].Amount = gbp("2")
			return withTx(tx)
		}},
		{name: "a resolution with a zero time", want: ErrInvalidTransaction, line: func() (string, []byte) {
			return withJSON(recResolution, HoldResolution{Hold: uid("hold"), Resolution: Voided, By: council})
		}},
		{name: "a resolution with an over-long reason", want: ErrInvalidTransaction, line: func() (string, []byte) {
			return withJSON(recResolution, HoldResolution{Hold: uid("hold"), Resolution: Voided, By: council, At: late, Reason: strings.Repeat("x", MaxTextLen+1)})
		}},
		{name: "a void that names no one", want: ErrInvalidTransaction, line: func() (string, []byte) {
			return withJSON(recResolution, HoldResolution{Hold: uid("hold"), Resolution: Voided, At: late})
		}},
		{name: "an expiry before the hold expires", want: ErrHoldNotExpired, line: func() (string, []byte) {
			return withJSON(recResolution, HoldResolution{Hold: uid("hold"), Resolution: Expired, At: late})
		}},
		{name: "a capture above the hold", want: ErrOverHold, line: func() (string, []byte) {
			return withJSON(recResolution, capture("51", late, late))
		}},
		{name: "a capture after the hold expired", want: ErrHoldExpired, line: func() (string, []byte) {
			return withJSON(recResolution, capture("50", at(6, 2), at(6, 2)))
		}},
		{name: "a capture to another account", want: ErrInvalidTransaction, line: func() (string, []byte) {
			r := capture("50", late, late)
			r.Transaction.Postings[1].Account = thirdCash
			return withJSON(recResolution, r)
		}},
		{name: "a capture whose decider differs from the resolution's", want: ErrInvalidTransaction, line: func() (string, []byte) {
			r := capture("50", late, late)
			r.By = hub
			return withJSON(recResolution, r)
		}},
		{name: "a closing that moves backwards", want: ErrPeriodClosed, line: func() (string, []byte) {
			return withJSON(recClosing, Closing{Through: at(4, 1), Recorded: late, By: council})
		}},
		{name: "a closing of the future", want: ErrInvalidTransaction, line: func() (string, []byte) {
			return withJSON(recClosing, Closing{Through: at(7, 1), Recorded: late, By: council})
		}},
		{name: "a hold on an unknown account", want: ErrUnknownAccount, line: func() (string, []byte) {
			return withJSON(recHold, Hold{ID: uid("hold-2"), Kind: Grant, From: uid("nowhere"), To: hubCash, Amount: gbp("5"), Recorded: late, Formality: Formality{DecidedBy: council}})
		}},
		{name: "an account opened twice", want: ErrDuplicateAccount, line: func() (string, []byte) {
			return withJSON(recAccount, Account{ID: budget, Owner: council, Kind: Budget, Unit: coprod.GBP})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, rec := tt.line()
			var head [32]byte
			copy(head[:], live.head[:])
			line, _ := journal.AppendLine(nil, live.seq+1, head, nil, typ, rec, nil)
			j := append(bytes.Clone(sound), line...)
			_, err := Verify(bytes.NewReader(j), nil)
			require.NoError(t, err, "the line is correctly hashed: only replay can refuse it")
			_, err = Replay(bytes.NewReader(j), tt.opts)
			require.Error(t, err)
			var je *JournalError
			require.True(t, errors.As(err, &je), "%v", err)
			assert.Equal(t, live.seq+1, je.Line, "the refused line is named")
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

// allowAll is an authority that permits everything and proves nothing.
type allowAll struct{}

func (allowAll) Permit(coprod.Permission) (coprod.Proof, error) { return coprod.Proof{}, nil }

// TestMoneyMovedOutOfRangeRefusedLiveAndReplayed: a transaction whose
// postings are each in range and balance, but whose money paid in sums
// past the range, is refused live on a ledger with an authority
// (ErrInvalidTransaction, before the authority is asked), and its line,
// forged into a journal, is refused by Replay likewise
// (TestReplayRefusesWhatLiveRefuses); replay once let it through, taking
// the error for "nothing moves".
func TestMoneyMovedOutOfRangeRefusedLiveAndReplayed(t *testing.T) {
	big := coprod.MustParseAmount("600000000000000000000000000000", coprod.GBP)
	uid := func(s string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceURL, []byte("money-range:"+s)) }
	l := New(Options{Authorizer: allowAll{}})
	for _, a := range []string{"budget", "other", "cash"} {
		require.NoError(t, l.Open(Account{ID: uid(a), Owner: uid("owner-" + a), Kind: Cash, Unit: coprod.GBP}))
	}
	at := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	_, err := l.Post(Transaction{ID: uid("tx"), Kind: Payment, Effective: at, Recorded: at, Formality: Formality{DecidedBy: uid("owner-budget")},
		Postings: []Posting{{Account: uid("budget"), Amount: big.Neg()}, {Account: uid("cash"), Amount: big},
			{Account: uid("other"), Amount: big}, {Account: uid("cash"), Amount: big.Neg()}}})
	require.ErrorIs(t, err, ErrInvalidTransaction)
	require.ErrorIs(t, err, coprod.ErrOverflow)
}
