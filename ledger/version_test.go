package ledger_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVersion1JournalStillReplays replays testdata/journal-v1.jsonl, a
// journal written by the version before keyed and versioned lines (format
// version 1: accounts, grants with memo and metadata, a reversal, holds
// captured and voided, unpaid labour), and continues it with version 2
// lines: the whole verifies and replays.
func TestVersion1JournalStillReplays(t *testing.T) {
	v1, err := os.ReadFile("testdata/journal-v1.jsonl")
	require.NoError(t, err)
	head, err := ledger.Verify(bytes.NewReader(v1), nil)
	require.NoError(t, err)
	assert.Equal(t, 12, head.Seq)

	var more bytes.Buffer
	l, err := ledger.Replay(bytes.NewReader(v1), ledger.Options{Journal: &more})
	require.NoError(t, err)
	num := func(n int) uuid.UUID { return uuid.MustParse("00000000-0000-4000-8000-" + padded(n)) }
	bal, _ := l.Balance(num(11))
	assert.Equal(t, "1750.00 GBP", bal.String(), "the grant and the capture reached the temple; the reversed one did not")
	tx, _ := l.Transaction(num(20))
	assert.Equal(t, "grant <1>", tx.Memo)
	assert.Equal(t, "G-1", tx.Metadata["ref"])

	// Continued by this version: version 2 lines after version 1 lines.
	_, err = l.Post(ledger.Transaction{ID: num(50), Kind: ledger.Payment, Effective: day(2025, 7, 1), Recorded: day(2025, 7, 1),
		Postings:  []ledger.Posting{{Account: num(11), Amount: gbp("-50")}, {Account: num(10), Amount: gbp("50")}},
		Formality: ledger.Formality{DecidedBy: num(2)}, Memo: "refund"})
	require.NoError(t, err)
	assert.Contains(t, more.String(), `{"v":2,"seq":13,`)
	whole := append(bytes.Clone(v1), more.Bytes()...)
	head, err = ledger.Verify(bytes.NewReader(whole), nil)
	require.NoError(t, err)
	assert.Equal(t, l.Head(), head)
	back, err := ledger.Replay(bytes.NewReader(whole), ledger.Options{})
	require.NoError(t, err)
	bal, _ = back.Balance(num(11))
	assert.Equal(t, "1700.00 GBP", bal.String())
}

func padded(n int) string {
	s := "000000000000"
	d := []byte(s)
	for i := len(d) - 1; n > 0; i-- {
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return string(d)
}
