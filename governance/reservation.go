package governance

import (
	"fmt"

	"github.com/coprod/coprod"
)

// Reservation reserves the matters in Scope to a mandate's holder when
// their value is above Above: "contract awards above £50,000 are reserved
// to the board". Unlike an outright reservation (Mandate.Reserved), it
// does not stop a delegation from carrying Scope: a delegate may act in
// Scope up to the threshold, and only the mandate's holder, acting on the
// mandate itself, above it.
//
// # What the threshold is compared with
//
// The threshold applies to the value of the commitment, not to each
// payment made under it. A request in Scope states the commitment's whole
// value as its Amount: the contract's whole-life value when the contract is
// awarded, the grant's total when the grant is agreed. Through a ledger the
// commitment is the hold placed for that whole value (or a contract or
// grant posted in one transaction); the payments drawn against it later are
// captures of the hold, which never exceed it, or transactions made in a
// scope of their own (for example "commission/contracts/payments" beside
// "commission/contracts/award"), which the reservation does not cover. So
// a scheme reserves the awarding scope, and delegates the paying one.
//
// A request with no amount moves no money and passes every threshold, as
// it passes every limit. An amount in another unit than the threshold
// cannot be compared and is refused (UNIT_MISMATCH). Awards split to stay
// under a threshold are reported by Register.CheckAwards.
type Reservation struct {
	// Scope is the reserved matter; it lies inside the mandate's scope.
	Scope Scope `json:"scope"`
	// Above is the threshold: a commitment in Scope worth more than it is
	// reserved. It is positive, in the unit of the mandate's limits.
	Above coprod.Amount `json:"above"`
	// Ref names the provision that reserves it, e.g. "Scheme of
	// reservation 2025, s.2.3". At most MaxTextLen bytes.
	Ref string `json:"ref,omitempty"`
}

// Codes of reservations above a threshold: a denial reason (and a Check
// finding for an award above a threshold made by someone other than the
// holder), and the Check finding for awards split to stay under one.
const (
	CodeReservedAbove         Code = "RESERVED_ABOVE_THRESHOLD"
	CodeSplitBelowReservation Code = "SPLIT_BELOW_RESERVATION"
)

// ErrReservedAbove: the request's amount is above the threshold of a
// matter its path's root mandate reserves above an amount, and the path is
// delegated: only the mandate's holder acts above the threshold.
var ErrReservedAbove = coded(CodeReservedAbove, "above a reserved threshold")

// checkReservations validates a mandate's reservations above a threshold
// against the mandate: in its scope, not inside an outright reservation,
// positive, in the unit of its limits, with the reference within its
// limit, and the reservations of both kinds together within MaxReserved.
func checkReservations(m *Mandate) error {
	const kind = "mandate"
	if n := len(m.Reserved) + len(m.ReservedAbove); n > MaxReserved {
		return refuse(kind, m.ID, ErrLimitReached, "%d reserved matters, more than %d", n, MaxReserved)
	}
	var unit coprod.Unit
	for _, a := range [...]coprod.Amount{m.TransactionLimit, m.CumulativeLimit, m.JointThreshold} {
		if a.IsSet() {
			unit = a.Unit()
			break
		}
	}
	for _, res := range m.ReservedAbove {
		if err := checkScope(res.Scope); err != nil {
			return refuse(kind, m.ID, ErrInvalidRecord, "reservation above a threshold: %v", err)
		}
		if !m.Scope.Covers(res.Scope) {
			return refuse(kind, m.ID, ErrInvalidRecord, "reserved matter %s lies outside scope %s", res.Scope, m.Scope)
		}
		for _, out := range m.Reserved {
			if out.Covers(res.Scope) {
				return refuse(kind, m.ID, ErrInvalidRecord, "%s is reserved above %s but lies inside %s, reserved outright", res.Scope, res.Above, out)
			}
		}
		if !res.Above.IsSet() || res.Above.Sign() <= 0 {
			return refuse(kind, m.ID, ErrInvalidRecord, "reservation of %s: threshold %s is not a positive amount", res.Scope, res.Above)
		}
		if unit != "" && res.Above.Unit() != unit {
			return refuse(kind, m.ID, ErrUnitMismatch, "reservation of %s above %s, limits in %s", res.Scope, res.Above, unit)
		}
		if err := checkText("reservation reference", res.Ref); err != nil {
			return refuse(kind, m.ID, ErrInvalidRecord, "%v", err)
		}
	}
	return nil
}

// aboveReserved reports whether amount, in scope, passes a threshold that
// root reserves, failing closed: an amount in another unit passes every
// threshold. It is pathOK's check, allocation-free; reservationReasons is
// pathReasons', and they must agree.
func aboveReserved(root *link, scope Scope, amount coprod.Amount) bool {
	if !amount.IsSet() {
		return false
	}
	for i := range root.reservedAbove {
		res := &root.reservedAbove[i]
		if res.Scope.Overlaps(scope) && exceeds(amount, res.Above) {
			return true
		}
	}
	return false
}

// reservationReasons adds a reason for every threshold of root that the
// request's amount passes, or cannot be compared with, naming the
// reservation. The caller has established that the path is delegated.
func (e *evaluation) reservationReasons(root *link, out *reasonSet) {
	amount := e.req.Amount
	if !amount.IsSet() {
		return
	}
	for i := range root.reservedAbove {
		res := &root.reservedAbove[i]
		if !res.Scope.Overlaps(e.req.Scope) {
			continue
		}
		if res.Above.Unit() != amount.Unit() {
			out.add(Reason{Code: CodeUnitMismatch, Link: root.ID,
				Message: fmt.Sprintf("amount in %s, %s reserved above %s by mandate %s", amount.Unit(), res.Scope, res.Above, root.ID)})
			continue
		}
		if c, _ := amount.Cmp(res.Above); c > 0 {
			out.add(Reason{Code: CodeReservedAbove, Link: root.ID,
				Message: fmt.Sprintf("%s is above %s: %s above it is reserved to %s, holder of mandate %s%s",
					amount, res.Above, res.Scope, e.r.partyName(root.To), root.ID, refSuffix(res.Ref))})
		}
	}
}

// refSuffix renders a reservation's reference for a message.
func refSuffix(ref string) string {
	if ref == "" {
		return ""
	}
	return " (" + ref + ")"
}
