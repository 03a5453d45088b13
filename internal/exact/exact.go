// Package exact keeps exact running totals of coprod amounts: an int64 of
// minor units while the total fits, a decimal beyond. Adding an amount
// that fits allocates nothing, and a total too large for int64 stays
// exact. The ledger keeps balances and cumulative-limit totals in it, and
// the assessment its money sums.
package exact

import (
	"cmp"
	"math"

	"github.com/coprod/coprod"
	"github.com/shopspring/decimal"
)

// Sum is an exact running total in one unit. The zero Sum has no unit;
// make one with New or Of.
type Sum struct {
	unit  coprod.Unit
	small int64
	wide  bool
	big   decimal.Decimal // the total, when wide
}

// New returns a zero total in unit u.
func New(u coprod.Unit) Sum { return Sum{unit: u} }

// Minor returns a total of v minor units of u.
func Minor(u coprod.Unit, v int64) Sum { return Sum{unit: u, small: v} }

// Unit returns the total's unit.
func (r Sum) Unit() coprod.Unit { return r.unit }

// Add adds a (in r's unit) and fails, leaving r unchanged, if the total
// would pass coprod.MaxIntegerDigits.
func (r *Sum) Add(a coprod.Amount) error {
	if !r.wide {
		if v, ok := a.Minor(); ok {
			s := r.small + v
			if (v >= 0) == (s >= r.small) { // no int64 overflow
				r.small = s
				return nil
			}
		}
	}
	current, err := r.Amount()
	if err != nil {
		return err
	}
	total, err := current.Add(a)
	if err != nil {
		return err
	}
	r.wide, r.big = true, total.Decimal()
	return nil
}

// AddAmount is Add that, as coprod.Amount.Add does, also refuses an
// amount that is not set or is of another unit.
func (r *Sum) AddAmount(a coprod.Amount) error {
	if a.Unit() != r.unit {
		current, err := r.Amount()
		if err != nil {
			return err
		}
		_, err = current.Add(a)
		return err
	}
	return r.Add(a)
}

// Of returns a total holding a, which must be valid.
func Of(a coprod.Amount) Sum {
	r := New(a.Unit())
	_ = r.Add(a) // a zero total plus a valid amount is in range
	return r
}

// AddSum adds x, as Add adds x.Amount(), without allocating while
// both fit in int64.
func (r *Sum) AddSum(x Sum) error {
	if !r.wide && !x.wide && x.unit == r.unit {
		s := r.small + x.small
		if (x.small >= 0) == (s >= r.small) { // no int64 overflow
			r.small = s
			return nil
		}
	}
	a, err := x.Amount()
	if err != nil {
		return err
	}
	return r.Add(a)
}

// Settle moves min(-r, p) from p to r, where r is negative and p
// positive in the same unit, and returns the amount moved: one payer's
// net matched against one payee's in transfers.
func (r *Sum) Settle(p *Sum) (Sum, error) {
	if !r.wide && !p.wide && r.small != math.MinInt64 {
		amt := min(-r.small, p.small)
		r.small += amt
		p.small -= amt
		return Sum{unit: r.unit, small: amt}, nil
	}
	payer, err := r.Amount()
	if err != nil {
		return Sum{}, err
	}
	payee, err := p.Amount()
	if err != nil {
		return Sum{}, err
	}
	amt := payee
	if c, _ := payer.Neg().Cmp(payee); c < 0 {
		amt = payer.Neg()
	}
	if payer, err = payer.Add(amt); err != nil {
		return Sum{}, err
	}
	if payee, err = payee.Sub(amt); err != nil {
		return Sum{}, err
	}
	*r, *p = Of(payer), Of(payee)
	return Of(amt), nil
}

// Cmp compares r and o, which must be of the same unit, as
// coprod.Amount.Cmp does.
func (r Sum) Cmp(o Sum) (int, error) {
	if r.unit == o.unit && !r.wide && !o.wide {
		return cmp.Compare(r.small, o.small), nil
	}
	a, err := r.Amount()
	if err != nil {
		return 0, err
	}
	b, err := o.Amount()
	if err != nil {
		return 0, err
	}
	return a.Cmp(b)
}

// Sign returns -1, 0 or +1.
func (r Sum) Sign() int {
	if r.wide {
		return r.big.Sign()
	}
	switch {
	case r.small < 0:
		return -1
	case r.small > 0:
		return 1
	}
	return 0
}

// IsZero reports whether the total is zero.
func (r Sum) IsZero() bool {
	if r.wide {
		return r.big.IsZero()
	}
	return r.small == 0
}

// Amount returns the total as an Amount. Add keeps every total within
// range, so the error is only a guard.
func (r Sum) Amount() (coprod.Amount, error) {
	if !r.wide {
		return coprod.FromMinor(r.small, r.unit) // no decimal for an int64 total
	}
	return coprod.NewAmount(r.big, r.unit)
}
