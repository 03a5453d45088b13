package ledger

// DecodeTransactionFast is the journal's fast transaction decoder, for the
// external tests that hold real journals to it.
func DecodeTransactionFast(b []byte) (Transaction, bool) { return decodeTransactionFast(b) }
