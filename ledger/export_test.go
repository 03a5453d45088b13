package ledger

import "io"

// DecodeTransactionFast is the journal's fast transaction decoder, for the
// external tests that hold real journals to it.
func DecodeTransactionFast(b []byte) (Transaction, bool) { return decodeTransactionFast(b) }

// NewReplayerSize is NewReplayer reading runs of up to size bytes.
func NewReplayerSize(r io.Reader, opts Options, size int) *Replayer {
	return newReplayer(r, opts, size)
}
