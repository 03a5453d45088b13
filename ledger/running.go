package ledger

import (
	"math"

	"github.com/coprod/coprod"
	"github.com/shopspring/decimal"
)

// running is an exact running total in one unit: an int64 of minor units
// while it fits, a decimal beyond. Posting adds to balances and checks
// that postings balance on every transaction; in int64 that costs no
// allocation, and totals too large for it stay exact.
type running struct {
	unit  coprod.Unit
	small int64
	wide  bool
	big   decimal.Decimal // the total, when wide
}

func newRunning(u coprod.Unit) running { return running{unit: u} }

// add adds a (in r's unit) and fails, leaving r unchanged, if the total
// would pass coprod.MaxIntegerDigits.
func (r *running) add(a coprod.Amount) error {
	if !r.wide {
		if v, ok := a.Minor(); ok {
			s := r.small + v
			if (v >= 0) == (s >= r.small) { // no int64 overflow
				r.small = s
				return nil
			}
		}
	}
	current, err := r.amount()
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

// addAmount is add that, as coprod.Amount.Add does, also refuses an
// amount that is not set or is of another unit.
func (r *running) addAmount(a coprod.Amount) error {
	if a.Unit() != r.unit {
		current, err := r.amount()
		if err != nil {
			return err
		}
		_, err = current.Add(a)
		return err
	}
	return r.add(a)
}

// runningOf returns a running total holding a, which must be valid.
func runningOf(a coprod.Amount) running {
	r := newRunning(a.Unit())
	_ = r.add(a) // a zero total plus a valid amount is in range
	return r
}

// addRunning adds x, as add adds x.amount(), without allocating while
// both fit in int64.
func (r *running) addRunning(x running) error {
	if !r.wide && !x.wide && x.unit == r.unit {
		s := r.small + x.small
		if (x.small >= 0) == (s >= r.small) { // no int64 overflow
			r.small = s
			return nil
		}
	}
	a, err := x.amount()
	if err != nil {
		return err
	}
	return r.add(a)
}

// settle moves min(-r, p) from p to r, where r is negative and p
// positive in the same unit, and returns the amount moved: one payer's
// net matched against one payee's in transfers.
func (r *running) settle(p *running) (running, error) {
	if !r.wide && !p.wide && r.small != math.MinInt64 {
		amt := min(-r.small, p.small)
		r.small += amt
		p.small -= amt
		return running{unit: r.unit, small: amt}, nil
	}
	payer, err := r.amount()
	if err != nil {
		return running{}, err
	}
	payee, err := p.amount()
	if err != nil {
		return running{}, err
	}
	amt := payee
	if c, _ := payer.Neg().Cmp(payee); c < 0 {
		amt = payer.Neg()
	}
	if payer, err = payer.Add(amt); err != nil {
		return running{}, err
	}
	if payee, err = payee.Sub(amt); err != nil {
		return running{}, err
	}
	*r, *p = runningOf(payer), runningOf(payee)
	return runningOf(amt), nil
}

// sign returns -1, 0 or +1.
func (r running) sign() int {
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

func (r running) isZero() bool {
	if r.wide {
		return r.big.IsZero()
	}
	return r.small == 0
}

// amount returns the total as an Amount. add keeps every total within
// range, so the error is only a guard.
func (r running) amount() (coprod.Amount, error) {
	d := r.big
	if !r.wide {
		d = decimal.New(r.small, -r.unit.Scale())
	}
	return coprod.NewAmount(d, r.unit)
}
