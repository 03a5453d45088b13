package governance

import (
	"bytes"
	"cmp"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// CheckAwards is Check with the awards the register does not hold: the
// commitments recorded elsewhere, usually in a ledger (ledger.Ledger.Awards
// yields them). To what Check finds it adds, for every matter a mandate
// reserves above a threshold:
//
//   - SPLIT_BELOW_RESERVATION (warning): two or more awards to one party,
//     in scopes overlapping the reserved matter, made within the window,
//     each at or below the threshold but together above it: a commitment
//     that may have been split to stay under the threshold. The subjects
//     are the mandate, the party, then the awards in the order yielded.
//   - RESERVED_ABOVE_THRESHOLD (error): one award above the threshold made
//     by someone other than the mandate's holder, as recorded outside
//     Authorize (a ledger with no authorizer, say). The subjects are the
//     mandate and the award.
//
// Awards decided by the mandate's holder are left out: the holder may act
// above its own thresholds, so its awards split nothing. Awards made after
// at or outside within (by At; the zero Window is all time), with an
// invalid scope or no positive amount, or in another unit than the
// threshold, are not counted.
//
// The awards are read once, with no lock held, so the sequence may read
// the register, or record into it; the reserved matters are those
// recorded when CheckAwards is called. Its cost is Check's plus, per
// award, the reserved matters overlapping its scope.
func (r *Register) CheckAwards(at time.Time, within coprod.Window, awards iter.Seq[coprod.Award]) Report {
	rep := r.Check(at)
	r.mu.RLock()
	idx := r.thresholdIndex()
	r.mu.RUnlock()
	if len(idx) == 0 || awards == nil {
		return rep
	}
	// A link's reservations are fixed when it is stored, so the index is
	// read without the lock while the caller's sequence runs.
	type key struct {
		mandate *link
		index   int
		to      coprod.PartyID
	}
	type group struct {
		key
		total  coprod.Amount
		over   bool // the total overflowed: it passes any threshold
		awards []uuid.UUID
	}
	var (
		groups  []*group
		byKey   = map[key]*group{}
		singles []Finding
		matters []reservedMatter
	)
	for a := range awards {
		if a.At.After(at) || !within.Contains(a.At) || !Scope(a.Scope).Valid() || !a.Amount.IsSet() || a.Amount.Sign() <= 0 {
			continue
		}
		matters = idx.overlapping(matters[:0], Scope(a.Scope))
		for _, m := range matters {
			res := &m.mandate.reservedAbove[m.index]
			if a.Decider == m.mandate.To || a.Amount.Unit() != res.Above.Unit() {
				continue
			}
			if exceeds(a.Amount, res.Above) {
				singles = append(singles, Finding{Code: CodeReservedAbove, Severity: SeverityError,
					Subjects: []uuid.UUID{m.mandate.ID, a.ID},
					Reason:   fmt.Sprintf("award %s of %s in %s is above %s, reserved to the holder of mandate %s%s", a.ID, a.Amount, a.Scope, res.Above, m.mandate.ID, refSuffix(res.Ref))})
				continue
			}
			k := key{m.mandate, m.index, a.To}
			g := byKey[k]
			if g == nil {
				g = &group{key: k, total: a.Amount}
				byKey[k] = g
				groups = append(groups, g)
			} else if !g.over {
				if t, err := g.total.Add(a.Amount); err != nil {
					g.over = true
				} else {
					g.total = t
				}
			}
			g.awards = append(g.awards, a.ID)
		}
	}
	var found []Finding
	r.mu.RLock()
	for _, g := range groups {
		res := &g.mandate.reservedAbove[g.index]
		if len(g.awards) < 2 || !(g.over || exceeds(g.total, res.Above)) {
			continue
		}
		total := g.total.String()
		if g.over {
			total = "more than " + total
		}
		found = append(found, Finding{Code: CodeSplitBelowReservation, Severity: SeverityWarning,
			Subjects: append([]uuid.UUID{g.mandate.ID, g.to}, g.awards...),
			Reason: fmt.Sprintf("%d awards to %s in %s, each at most %s, total %s: above the threshold reserved to %s%s",
				len(g.awards), r.partyName(g.to), res.Scope, res.Above, total, r.partyName(g.mandate.To), refSuffix(res.Ref))})
	}
	r.mu.RUnlock()
	if len(found) == 0 && len(singles) == 0 {
		return rep
	}
	rep.Findings = append(append(rep.Findings, singles...), found...)
	sortFindings(rep.Findings)
	return rep
}

// thresholdIndex indexes every reservation above a threshold, by scope.
// The caller holds the read lock.
func (r *Register) thresholdIndex() reservedIndex {
	var idx reservedIndex
	for _, l := range r.linkOrder {
		for i, res := range l.reservedAbove {
			idx = append(idx, reservedMatter{scope: res.Scope, mandate: l, index: i})
		}
	}
	slices.SortFunc(idx, compareMatters)
	return idx
}

// sortFindings orders findings as Check does: most serious first, then by
// code and subjects. It is stable, so findings with equal keys keep the
// order they were found in.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Severity.rank(), b.Severity.rank()),
			cmp.Compare(a.Code, b.Code),
			slices.CompareFunc(a.Subjects, b.Subjects, func(x, y uuid.UUID) int { return bytes.Compare(x[:], y[:]) }),
		)
	})
}
