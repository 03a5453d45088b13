package ledger

import (
	"fmt"
	"slices"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Approval is one co-signatory's approval of a formal record, kept beside
// who decided it: who approved, when, and a reference to where the
// approval is minuted (a minute number, a signed form). A collective body
// deciding by its rule, or a second signatory above a joint threshold,
// approves this way; the authority is asked about the approving parties
// (coprod.Permission.Approvers).
//
// An approval names a non-nil party, a time in the years 1 to 9999 not
// after the record's recorded time (the record is made on the approvals it
// carries, so they come first), and a reference of at most MaxTextLen
// bytes of valid UTF-8. A record carries at most MaxApprovers
// approvals, one per party.
type Approval struct {
	Party coprod.PartyID `json:"party"`
	At    time.Time      `json:"at"`
	Ref   string         `json:"ref,omitempty"`
}

// validateApprovals checks a record's approvals against its recorded
// time.
func validateApprovals(as []Approval, recorded time.Time) error {
	if len(as) > MaxApprovers {
		return fmt.Errorf("more than %d approvers", MaxApprovers)
	}
	for i, a := range as {
		switch {
		case a.Party == uuid.Nil:
			return fmt.Errorf("approval %d: nil party", i)
		case a.At.IsZero() || !storable(a.At):
			return fmt.Errorf("approval %d: zero time or a year outside 1 to 9999", i)
		case a.At.After(recorded):
			return fmt.Errorf("approval %d: approved at %s, after the record's recorded time %s", i,
				a.At.Format(time.RFC3339), recorded.Format(time.RFC3339))
		case slices.ContainsFunc(as[:i], func(b Approval) bool { return b.Party == a.Party }):
			return fmt.Errorf("approval %d: %s approves twice", i, a.Party)
		}
		if err := checkText("approval reference", a.Ref); err != nil {
			return fmt.Errorf("approval %d: %w", i, err)
		}
	}
	return nil
}

// approverParties returns the parties of the approvals, in order, for the
// authority.
func approverParties(as []Approval) []coprod.PartyID {
	if len(as) == 0 {
		return nil
	}
	out := make([]coprod.PartyID, len(as))
	for i, a := range as {
		out[i] = a.Party
	}
	return out
}

// equalApprovals compares approvals, times by instant.
func equalApprovals(a, b []Approval) bool {
	return slices.EqualFunc(a, b, func(x, y Approval) bool {
		return x.Party == y.Party && x.At.Equal(y.At) && x.Ref == y.Ref
	})
}
