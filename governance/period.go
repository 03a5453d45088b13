package governance

import (
	"time"

	"github.com/coprod/coprod"
)

// Period is the span over which a cumulative limit counts spending. Periods
// are calendar spans in a location the caller gives (UTC by default); they
// are persisted by their code.
type Period string

// The periods the library defines.
const (
	// PeriodWhole counts spending over the whole validity window of the
	// mandate or delegation. It is the zero Period.
	PeriodWhole Period = ""
	// PeriodMonth counts spending per calendar month.
	PeriodMonth Period = "month"
	// PeriodQuarter counts spending per calendar quarter (January, April,
	// July, October).
	PeriodQuarter Period = "quarter"
	// PeriodYear counts spending per calendar year.
	PeriodYear Period = "year"
	// PeriodFinancialYear counts spending per UK public-sector financial
	// year, 1 April to 31 March.
	PeriodFinancialYear Period = "financial-year"
)

// Valid reports whether p is a defined period.
func (p Period) Valid() bool {
	switch p {
	case PeriodWhole, PeriodMonth, PeriodQuarter, PeriodYear, PeriodFinancialYear:
		return true
	}
	return false
}

// UnmarshalText decodes and validates a period code.
func (p *Period) UnmarshalText(b []byte) error {
	v := Period(b)
	if !v.Valid() {
		return wrapf(ErrInvalidRecord, "unknown period %.40q", string(b))
	}
	*p = v
	return nil
}

// Span returns the period containing t, clipped to the validity window w.
// Calendar periods begin and end at midnight in loc (nil means UTC): a UK
// financial year begins at midnight London time on 1 April, which is 23:00
// UTC on 31 March in summer time. For PeriodWhole it is w itself. The
// bounds are returned in UTC.
func (p Period) Span(t time.Time, w coprod.Window, loc *time.Location) coprod.Window {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	var from, to time.Time
	switch p {
	case PeriodMonth:
		from = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
		to = from.AddDate(0, 1, 0)
	case PeriodQuarter:
		from = time.Date(t.Year(), (t.Month()-1)/3*3+1, 1, 0, 0, 0, 0, loc)
		to = from.AddDate(0, 3, 0)
	case PeriodYear:
		from = time.Date(t.Year(), 1, 1, 0, 0, 0, 0, loc)
		to = from.AddDate(1, 0, 0)
	case PeriodFinancialYear:
		y := t.Year()
		if t.Month() < time.April {
			y--
		}
		from = time.Date(y, time.April, 1, 0, 0, 0, 0, loc)
		to = from.AddDate(1, 0, 0)
	default:
		return w
	}
	from, to = from.UTC(), to.UTC()
	span, ok := w.Intersect(coprod.Window{NotBefore: from, Expires: to})
	if !ok {
		return coprod.Window{NotBefore: from, Expires: to}
	}
	return span
}
