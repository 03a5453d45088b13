package ledger

import (
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
