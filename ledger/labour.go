package ledger

import (
	"fmt"
	"math"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Valuation is the method used to put a money value on contributed time.
// Methods are persisted by their code.
type Valuation string

// Valuation methods (DOMAIN.md §5).
const (
	// ReplacementCost values hours at the wage of the equivalent paid job.
	ReplacementCost Valuation = "replacement-cost"
	// OpportunityCost values hours at the contributor's own wage.
	OpportunityCost Valuation = "opportunity-cost"
	// TimeCreditMethod counts one credit an hour, whatever the skill, and
	// puts no money value on it.
	TimeCreditMethod Valuation = "time-credit"
)

// Labour records contributed time and how it is valued. Results depend
// heavily on the wage chosen, so it keeps the quantity, the method, the
// central rate, a low–high range of rates and where the wage came from,
// not a single product.
type Labour struct {
	// Hours contributed, in coprod.Hours.
	Hours  coprod.Amount `json:"hours"`
	Method Valuation     `json:"method"`
	// Rate is the central hourly wage in money; unset for time credits.
	Rate coprod.Amount `json:"rate"`
	// Low and High bound the hourly wage; unset means Rate.
	Low  coprod.Amount `json:"low"`
	High coprod.Amount `json:"high"`
	// WageSource names where the wage comes from, e.g. "NHS AfC band 5,
	// 2025/26".
	WageSource string `json:"wage_source,omitempty"`
	// Recognised says whether the value is recognised in the accounts (as a
	// donated service at fair value). General volunteers' time never is.
	Recognised bool `json:"recognised"`
}

// LabourValue is what Labour.Value computes. For time credits only Credits
// is set: credits are never converted to money.
type LabourValue struct {
	Hours   coprod.Amount `json:"hours"`
	Credits coprod.Amount `json:"credits"`
	Low     coprod.Amount `json:"low"`
	Central coprod.Amount `json:"central"`
	High    coprod.Amount `json:"high"`
}

func (l *Labour) equal(o *Labour) bool {
	return l.Hours.Equal(o.Hours) && l.Method == o.Method && l.Rate.Equal(o.Rate) && l.Low.Equal(o.Low) &&
		l.High.Equal(o.High) && l.WageSource == o.WageSource && l.Recognised == o.Recognised
}

func (l *Labour) validate(kind Kind) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidLabour, fmt.Sprintf(format, args...))
	}
	if l.Hours.Unit() != coprod.Hours || l.Hours.Sign() <= 0 {
		return bad("hours must be a positive amount of hours, not %s", l.Hours)
	}
	if err := checkText("wage source", l.WageSource); err != nil {
		return bad("%v", err)
	}
	switch l.Method {
	case TimeCreditMethod:
		if kind != TimeCredit {
			return bad("time-credit valuation on a %s transaction", kind)
		}
		if l.Rate.IsSet() || l.Low.IsSet() || l.High.IsSet() {
			return bad("time credits are never given a money rate")
		}
		if !isInteger(l.Hours) {
			return bad("time credits count whole hours, not %s", l.Hours)
		}
		return nil
	case ReplacementCost, OpportunityCost:
		if kind != UnpaidLabour {
			return bad("%s valuation on a %s transaction", l.Method, kind)
		}
	default:
		return bad("unknown valuation method %q", string(l.Method))
	}
	low, high := l.band()
	for _, r := range []coprod.Amount{l.Rate, low, high} {
		if !r.Unit().IsMoney() || r.IsNegative() {
			return bad("rates must be non-negative money, not %s", r)
		}
	}
	if c1, err := low.Cmp(l.Rate); err != nil || c1 > 0 {
		return bad("low rate %s above rate %s", low, l.Rate)
	}
	if c2, err := l.Rate.Cmp(high); err != nil || c2 > 0 {
		return bad("rate %s above high rate %s", l.Rate, high)
	}
	return nil
}

// band returns the low and high rates, defaulting to the central rate.
func (l *Labour) band() (low, high coprod.Amount) {
	low, high = l.Low, l.High
	if !low.IsSet() {
		low = l.Rate
	}
	if !high.IsSet() {
		high = l.Rate
	}
	return low, high
}

// Value computes the labour's value: hours × rate for the low, central and
// high rates, each rounded once, half away from zero, to the money unit's
// scale; or, for time credits, one credit an hour and no money at all.
func (l Labour) Value() (LabourValue, error) {
	kind := UnpaidLabour
	if l.Method == TimeCreditMethod {
		kind = TimeCredit
	}
	if err := l.validate(kind); err != nil {
		return LabourValue{}, err
	}
	return l.value()
}

// value is Value for a record already validated.
func (l Labour) value() (LabourValue, error) {
	v := LabourValue{Hours: l.Hours}
	if l.Method == TimeCreditMethod {
		c, err := asCredits(l.Hours)
		if err != nil {
			return LabourValue{}, fmt.Errorf("%w: %w", ErrInvalidLabour, err)
		}
		v.Credits = c
		return v, nil
	}
	low, high := l.band()
	var err error
	if v.Low, err = times(l.Hours, low); err != nil {
		return LabourValue{}, err
	}
	if v.Central, err = times(l.Hours, l.Rate); err != nil {
		return LabourValue{}, err
	}
	if v.High, err = times(l.Hours, high); err != nil {
		return LabourValue{}, err
	}
	return v, nil
}

// isInteger reports whether a's value is a whole number: in minor units
// when it has them, without a decimal.
func isInteger(a coprod.Amount) bool {
	if m, ok := a.Minor(); ok {
		return m%int64(math.Pow10(int(a.Unit().Scale()))) == 0
	}
	return a.Decimal().IsInteger()
}

// asCredits returns a's value as an amount of credits, as NewAmount does
// from its decimal (refusing a value that is not a whole number): in
// minor units when a has them, without a decimal.
func asCredits(a coprod.Amount) (coprod.Amount, error) {
	if m, ok := a.Minor(); ok {
		if p := int64(math.Pow10(int(a.Unit().Scale()))); m%p == 0 {
			return coprod.FromMinor(m/p, coprod.Credits)
		}
	}
	return coprod.NewAmount(a.Decimal(), coprod.Credits)
}

// sameValue reports whether a and b, perhaps of different units (hours
// and credits), have the same value, as their decimals compare: in minor
// units, brought to one scale, when both have them and that cannot
// overflow.
func sameValue(a, b coprod.Amount) bool {
	x, xok := a.Minor()
	y, yok := b.Minor()
	if xok && yok {
		sa, sb := a.Unit().Scale(), b.Unit().Scale()
		for ; sa < sb && abs64(x) < 1e16; sa++ {
			x *= 10
		}
		for ; sb < sa && abs64(y) < 1e16; sb++ {
			y *= 10
		}
		if sa == sb {
			return x == y
		}
	}
	return a.Decimal().Equal(b.Decimal())
}

// times multiplies hours by an hourly rate, rounding half away from zero
// to the rate's scale.
func times(hours, rate coprod.Amount) (coprod.Amount, error) {
	// In minor units: h/10^hs hours at r/10^rs a hour is h·r/10^hs minor
	// units of the rate. Exact in int64 while both are below 10^9.
	h, hok := hours.Minor()
	r, rok := rate.Minor()
	if hs := hours.Unit().Scale(); hok && rok && hs >= 0 && hs <= 9 && abs64(h) < 1e9 && abs64(r) < 1e9 {
		div := int64(math.Pow10(int(hs)))
		p := h * r
		q, rem := p/div, p%div
		if 2*abs64(rem) >= div { // half away from zero
			if p < 0 {
				q--
			} else {
				q++
			}
		}
		a, err := coprod.FromMinor(q, rate.Unit())
		if err != nil {
			return coprod.Amount{}, fmt.Errorf("%w: %w", ErrInvalidLabour, err)
		}
		return a, nil
	}
	p := hours.Decimal().Mul(rate.Decimal()).Round(rate.Unit().Scale())
	a, err := coprod.NewAmount(p, rate.Unit())
	if err != nil {
		return coprod.Amount{}, fmt.Errorf("%w: %w", ErrInvalidLabour, err)
	}
	return a, nil
}

// Postings returns the two postings that record the labour between two
// memorandum labour accounts: the time leaves the giver's account (a
// negative posting, a credit) and reaches the receiver's (a positive
// posting). The owner of the account with the negative posting is the
// party the ledger counts as having given the time, in metrics as
// everywhere. The amount is Hours, or for time credits the same number of
// credits (one credit an hour); it is the zero Amount, which Post refuses,
// if the hours are not a whole number of credits.
func (l Labour) Postings(giver, receiver uuid.UUID) []Posting {
	amount := l.Hours
	if l.Method == TimeCreditMethod && l.Hours.IsSet() {
		amount, _ = asCredits(l.Hours)
	}
	return []Posting{{Account: giver, Amount: amount.Neg()}, {Account: receiver, Amount: amount}}
}

// LabourTransaction returns the transaction that records labour given
// from the giver's memorandum labour account to the receiver's: of kind
// UnpaidLabour, or TimeCredit for the time-credit method, with
// labour.Postings(giver, receiver) and decided by decidedBy (usually the
// giver). It refuses, with ErrInvalidLabour, labour that Labour.Value
// refuses, so a mistake shows where the record is made; Post checks the
// rest (the accounts, their units and owners).
func LabourTransaction(id, giver, receiver uuid.UUID, labour Labour, effective, recorded time.Time, decidedBy coprod.PartyID) (Transaction, error) {
	if _, err := labour.Value(); err != nil {
		return Transaction{}, err
	}
	kind := UnpaidLabour
	if labour.Method == TimeCreditMethod {
		kind = TimeCredit
	}
	return Transaction{
		ID: id, Kind: kind, Postings: labour.Postings(giver, receiver),
		Effective: effective, Recorded: recorded, Formality: Formality{DecidedBy: decidedBy}, Labour: &labour,
	}, nil
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
