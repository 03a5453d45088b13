package governance_test

import (
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/stretchr/testify/assert"
)

func TestPeriodSpan(t *testing.T) {
	at := date(2026, 2, 14)
	validity := coprod.Window{NotBefore: date(2025, 6, 1), Expires: date(2027, 6, 1)}
	for _, tt := range []struct {
		period governance.Period
		want   coprod.Window
	}{
		{governance.PeriodWhole, validity},
		{governance.PeriodMonth, coprod.Window{NotBefore: date(2026, 2, 1), Expires: date(2026, 3, 1)}},
		{governance.PeriodQuarter, coprod.Window{NotBefore: date(2026, 1, 1), Expires: date(2026, 4, 1)}},
		{governance.PeriodYear, coprod.Window{NotBefore: date(2026, 1, 1), Expires: date(2027, 1, 1)}},
		{governance.PeriodFinancialYear, coprod.Window{NotBefore: date(2025, 6, 1), Expires: date(2026, 4, 1)}}, // clipped to the validity window
	} {
		assert.Equal(t, tt.want, tt.period.Span(at, validity, nil), "period %q", tt.period)
	}
	// The financial year turns on 1 April.
	assert.Equal(t, date(2026, 4, 1), governance.PeriodFinancialYear.Span(date(2026, 4, 1), coprod.Window{}, nil).NotBefore)
	assert.Equal(t, date(2025, 4, 1), governance.PeriodFinancialYear.Span(date(2026, 3, 31), coprod.Window{}, nil).NotBefore)
	assert.Equal(t, date(2026, 10, 1), governance.PeriodQuarter.Span(date(2026, 12, 31), coprod.Window{}, nil).NotBefore)
	for _, p := range []governance.Period{governance.PeriodWhole, governance.PeriodMonth, governance.PeriodQuarter, governance.PeriodYear, governance.PeriodFinancialYear} {
		assert.True(t, p.Valid())
	}
	assert.False(t, governance.Period("fortnight").Valid())
}
