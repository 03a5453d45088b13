package ledger

import (
	"fmt"
	"time"

	"github.com/coprod/coprod"
)

// MetricsAsOf computes Metrics as the books stood at recorded time
// recorded: over the transactions effective in period and recorded at or
// before recorded, less those reversed by a reversal recorded by then. A
// back-dated record or a reversal recorded later does not change it, so
// an evaluation made at recorded can be repeated later and give the same
// answer (as BalanceRecordedAt does for one account).
//
// The period is by effective time and is not cut at recorded: a
// transaction recorded in advance of its effective time counts if the
// period holds it. classify runs as for Metrics: once per party, with no
// lock held. The work is linear in the number of transactions. A zero
// recorded time is ErrInvalidArgument.
func (l *Ledger) MetricsAsOf(period coprod.Window, recorded time.Time, classify Classifier) (Metrics, error) {
	if recorded.IsZero() {
		return Metrics{}, fmt.Errorf("%w: no recorded time", ErrInvalidArgument)
	}
	return l.metricsIn(period, recorded, classify)
}

// view is which records a computation counts: those in the ledger's
// sequence up to seq (the records made when it began) and, unless
// recorded is zero, recorded at or before recorded.
type view struct {
	seq      int
	recorded time.Time
}

// sees reports whether the view holds e.
func (v view) sees(e *entry) bool {
	return e.seq <= v.seq && (v.recorded.IsZero() || !e.tx.Recorded.After(v.recorded))
}

// countedIn reports whether e counts in v: v holds it, it is not a
// reversal, and v holds no reversal of it. A reversal made after the
// view does not yet take its original out. The caller holds the read
// lock.
func (l *Ledger) countedIn(e *entry, v view) bool {
	if e.tx.Kind == Reversal || !v.sees(e) {
		return false
	}
	return e.rev == nil || !v.sees(e.rev)
}
