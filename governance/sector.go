package governance

import "github.com/coprod/coprod"

// Sector returns the sector of the party with the given ID, or the zero
// Sector for a party the register does not hold (which is neither
// statutory nor community-side). Its signature is ledger.Classifier's, so
// the register serves directly as the ledger's classifier:
//
//	m, err := l.Metrics(period, reg.Sector)
//
// It takes the register's read lock for one map lookup and is safe for
// concurrent use.
func (r *Register) Sector(id coprod.PartyID) coprod.Sector {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.parties[id].Sector
}
