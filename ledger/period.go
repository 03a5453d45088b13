package ledger

import (
	"iter"
	"slices"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Closing closes the books: from it on, nothing may be made effective
// before Through. Corrections of a closed period are made in an open one.
type Closing struct {
	// Through is the end of the closed periods: every effective time
	// before it is closed.
	Through time.Time `json:"through"`
	// Recorded is when the books were closed; Through may not be after it.
	Recorded time.Time      `json:"recorded"`
	By       coprod.PartyID `json:"by"`
	Reason   string         `json:"reason,omitempty"`
}

func (c *Closing) validate() error {
	switch {
	case c.Through.IsZero() || c.Recorded.IsZero():
		return errorf("zero through or recorded time")
	case !storable(c.Through) || !storable(c.Recorded):
		return errorf("time outside the years 1 to 9999")
	case c.Through.After(c.Recorded):
		return errorf("closing through %s, after the time it is recorded, %s", c.Through.Format(time.RFC3339), c.Recorded.Format(time.RFC3339))
	case c.By == uuid.Nil:
		return errorf("no closing party")
	case len(c.Reason) > MaxTextLen:
		return errorf("reason longer than %d bytes", MaxTextLen)
	}
	return nil
}

// ClosePeriod closes the books through c.Through: from then on no record
// may take effect before it (ErrPeriodClosed), while records recorded late
// may still take effect in a period that is open. Closings only move
// forward; a closing at or before the current one is refused.
//
// Closing moves no money and makes nothing effective, so the Authorizer is
// not asked: who may close the books is the application's to decide, and
// the closing names who did (c.By) in the journal.
func (l *Ledger) ClosePeriod(c Closing) (Receipt, error) {
	if err := c.validate(); err != nil {
		return Receipt{}, refuse("closing", uuid.Nil, ErrInvalidTransaction, "%v", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closePeriod(c, true)
}

func (l *Ledger) closePeriod(c Closing, journal bool) (Receipt, error) {
	if !c.Through.After(l.closedThrough) {
		return Receipt{}, refuse("closing", uuid.Nil, ErrPeriodClosed, "books already closed through %s", l.closedThrough.Format(time.RFC3339))
	}
	if err := l.checkTimes("closing", uuid.Nil, c.Recorded, time.Time{}); err != nil {
		return Receipt{}, err
	}
	if err := l.commit(recClosing, c, journal); err != nil {
		return Receipt{}, journalRefusal("closing", uuid.Nil, err)
	}
	l.closedThrough = c.Through
	l.closings = append(l.closings, c)
	l.noteRecorded(c.Recorded)
	return Receipt{Seq: l.seq}, nil
}

// ClosedThrough returns the end of the closed periods: the zero time if
// the books were never closed.
func (l *Ledger) ClosedThrough() time.Time {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.closedThrough
}

// Closings yields the closings recorded when iteration starts, in the
// order recorded. It copies them under the lock and yields after
// releasing it, so the loop body may query the ledger or record into it.
func (l *Ledger) Closings() iter.Seq[Closing] {
	return func(yield func(Closing) bool) {
		l.mu.RLock()
		cs := slices.Clone(l.closings)
		l.mu.RUnlock()
		for _, c := range cs {
			if !yield(c) {
				return
			}
		}
	}
}

// checkTimes enforces the time rule on a record: its recorded time is not
// more than the skew behind the latest recorded, and its effective time
// (zero when it has none) is not in a closed period. The caller holds the
// write lock.
func (l *Ledger) checkTimes(kind string, id uuid.UUID, recorded, effective time.Time) error {
	skew := l.opts.MaxSkew
	switch {
	case skew == 0:
		skew = DefaultMaxSkew
	case skew < 0:
		skew = 0
	}
	if recorded.Before(l.lastRecorded.Add(-skew)) {
		return refuse(kind, id, ErrRecordedTimeBehind, "recorded at %s, more than %s before the latest record, %s",
			recorded.Format(time.RFC3339Nano), skew, l.lastRecorded.Format(time.RFC3339Nano))
	}
	if !effective.IsZero() && effective.Before(l.closedThrough) {
		return refuse(kind, id, ErrPeriodClosed, "effective %s, in the books closed through %s",
			effective.Format(time.RFC3339), l.closedThrough.Format(time.RFC3339))
	}
	return nil
}
