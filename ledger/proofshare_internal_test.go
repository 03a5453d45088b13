package ledger

import (
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// TestInternProofKeepsTheNewest: a link whose proof changes every month
// (a monthly cap) still shares each new month's proof among that month's
// records after more months than the index keeps.
func TestInternProofKeepsTheNewest(t *testing.T) {
	l := New(Options{})
	link := uuid.UUID{1}
	proof := func(month int) *coprod.Proof {
		start := time.Date(2025, time.Month(1+month), 1, 0, 0, 0, 0, time.UTC)
		return &coprod.Proof{Path: []coprod.ProofLink{{ID: link, To: uuid.UUID{2}, Scope: "commission",
			Period: coprod.Window{NotBefore: start, Expires: start.AddDate(0, 1, 0)}}}}
	}
	for month := range 3 * maxProofsPerLink {
		first := l.internProof(proof(month))
		if again := l.internProof(proof(month)); again != first {
			t.Fatalf("month %d: a second record's proof is not shared", month)
		}
	}
	if n := len(l.proofs[link]); n != maxProofsPerLink {
		t.Fatalf("the index keeps %d proofs for the link, want %d", n, maxProofsPerLink)
	}
}
