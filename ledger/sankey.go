package ledger

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coprod/coprod"
)

// Names gives the display name of a party for a diagram. The ledger keeps
// no party data of its own: a governance register's Name method, or a map
// lookup, serves. An empty name shows the party's ID.
type Names func(coprod.PartyID) string

// Sankey returns the money that moved between owners in period (the flows
// of Flows) as a Mermaid sankey-beta diagram, so that who paid whom can be
// seen at a glance, and whether it moved formally or on one person's
// discretion.
//
// Each payer's money first splits into its formal and its discretionary
// part, drawn as the nodes "<payer> · formal" and "<payer> · discretionary",
// and from those reaches each payee; a party that receives money and pays it
// on keeps one node, so money passed through a hub reads as one stream.
// Values are in the money's unit at its scale, named in a comment line; a
// period with money in more than one financial unit gives the lines of each
// unit in turn. Unpaid labour is not money and is not drawn here: see
// LabourSankey.
//
// The output is deterministic: links are sorted by payer ID, then payee ID.
// Names are written as CSV fields, quoted when they hold a comma or a
// quote; control characters become spaces, and two parties (or a party and
// a split node) that would show the same name are told apart by the start
// of their ID. Mermaid cannot draw money that flows in a circle (A pays B,
// B pays A): such a ledger gives a diagram Mermaid refuses to lay out.
//
// names is the caller's code and runs with no lock held; nil names every
// party by its ID. A period whose expiry is not after its start is
// ErrInvalidArgument.
func (l *Ledger) Sankey(period coprod.Window, names Names) (string, error) {
	flows, err := l.Flows(period)
	if err != nil {
		return "", err
	}
	label := newLabeller(names)
	type link struct {
		from, to string
		v        coprod.Amount
	}
	var links []link
	units := map[coprod.Unit]bool{}
	for _, f := range flows {
		units[f.Amount.Unit()] = true
	}
	// Split nodes are named after every party is, so a party's own name
	// keeps priority over a split node that happens to match it.
	for _, f := range flows {
		label.party(f.From)
		label.party(f.To)
	}
	for _, f := range flows {
		disc, err := f.Amount.Sub(f.Formal)
		if err != nil {
			return "", err
		}
		for _, part := range []struct {
			kind string
			v    coprod.Amount
		}{{"formal", f.Formal}, {"discretionary", disc}} {
			if part.v.Sign() <= 0 {
				continue
			}
			mid := label.split(f.From, part.kind)
			links = append(links, link{label.party(f.From), mid, part.v}, link{mid, label.party(f.To), part.v})
		}
	}
	// A payer's split node leads to several payees: sum the payer-to-split
	// links into one, in order of first appearance.
	var merged []link
	for _, k := range links {
		i := slices.IndexFunc(merged, func(m link) bool {
			return m.from == k.from && m.to == k.to && m.v.Unit() == k.v.Unit()
		})
		if i < 0 {
			merged = append(merged, k)
			continue
		}
		s, err := merged[i].v.Add(k.v)
		if err != nil {
			return "", err
		}
		merged[i].v = s
	}
	var b strings.Builder
	b.WriteString("sankey-beta\n")
	fmt.Fprintf(&b, "%%%% money moved between owners, effective %s\n", periodText(period))
	sorted := make([]coprod.Unit, 0, len(units))
	for u := range units {
		sorted = append(sorted, u)
	}
	slices.Sort(sorted)
	for _, u := range sorted {
		fmt.Fprintf(&b, "%%%% values in %s; formal: made under an instrument; discretionary: on one person's say\n", u)
		for _, k := range merged {
			if k.v.Unit() == u {
				fmt.Fprintf(&b, "%s,%s,%s\n", csvField(k.from), csvField(k.to), k.v.Value())
			}
		}
	}
	return b.String(), nil
}

// LabourSankey returns the unpaid labour given between owners in period as
// a Mermaid sankey-beta diagram in hours: from the party that gave the time
// (the owner of the memorandum account with the negative posting) to the
// party that received it, summed per pair over the labour and time-credit
// transactions effective in period and not reversed. Time credits count
// their hours (one credit an hour). It is drawn apart from Sankey because
// hours are not money: the two must never be read on one scale.
//
// Output, names and ordering follow Sankey.
func (l *Ledger) LabourSankey(period coprod.Window, names Names) (string, error) {
	if err := period.Validate(); err != nil {
		return "", fmt.Errorf("%w: period: %w", ErrInvalidArgument, err)
	}
	type pair struct{ from, to coprod.PartyID }
	sums := map[pair]coprod.Amount{}
	l.mu.RLock()
	for _, e := range l.txOrder {
		tx := &e.tx
		if !tx.Kind.Labour() || tx.Labour == nil || !period.Contains(tx.Effective) || !l.counted(e) {
			continue
		}
		var p pair
		for _, po := range tx.Postings {
			if po.Amount.Sign() < 0 {
				p.from = l.accounts[po.Account].Owner
			} else {
				p.to = l.accounts[po.Account].Owner
			}
		}
		s, ok := sums[p]
		if !ok {
			s = coprod.Zero(coprod.Hours)
		}
		s, err := s.Add(tx.Labour.Hours)
		if err != nil {
			l.mu.RUnlock()
			return "", err
		}
		sums[p] = s
	}
	l.mu.RUnlock()
	pairs := make([]pair, 0, len(sums))
	for p := range sums {
		pairs = append(pairs, p)
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(a.from.String(), b.from.String()), cmp.Compare(a.to.String(), b.to.String()))
	})
	label := newLabeller(names)
	for _, p := range pairs {
		label.party(p.from)
		label.party(p.to)
	}
	var b strings.Builder
	b.WriteString("sankey-beta\n")
	fmt.Fprintf(&b, "%%%% unpaid labour given, effective %s\n", periodText(period))
	b.WriteString("%% values in hours, not money\n")
	for _, p := range pairs {
		fmt.Fprintf(&b, "%s,%s,%s\n", csvField(label.party(p.from)), csvField(label.party(p.to)), sums[p].Value())
	}
	return b.String(), nil
}

// labeller gives every node of a diagram a distinct display name.
type labeller struct {
	names Names
	byKey map[string]string
	taken map[string]bool
}

func newLabeller(names Names) *labeller {
	return &labeller{names: names, byKey: map[string]string{}, taken: map[string]bool{}}
}

func (lb *labeller) party(p coprod.PartyID) string {
	return lb.node(p.String(), p, func(n string) string { return n })
}

func (lb *labeller) split(p coprod.PartyID, kind string) string {
	return lb.node(p.String()+"/"+kind, p, func(n string) string { return n + " · " + kind })
}

// node names the node with key once: the party's name (or its ID), shaped
// by form, with the start of its ID added if another node has it already.
func (lb *labeller) node(key string, p coprod.PartyID, form func(string) string) string {
	if s, ok := lb.byKey[key]; ok {
		return s
	}
	base := ""
	if lb.names != nil {
		base = clean(lb.names(p))
	}
	if base == "" {
		base = p.String()
	}
	s := form(base)
	if lb.taken[s] {
		s = form(base + " [" + p.String()[:8] + "]")
	}
	for n := 2; lb.taken[s]; n++ {
		s = form(fmt.Sprintf("%s [%s] %d", base, p.String()[:8], n))
	}
	lb.taken[s] = true
	lb.byKey[key] = s
	return s
}

// clean replaces control characters, which would break a CSV line, with
// spaces, and trims the result.
func clean(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s))
}

// csvField quotes s as RFC 4180 does when it holds a comma or a quote.
func csvField(s string) string {
	if !strings.ContainsAny(s, ",\"") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func periodText(w coprod.Window) string {
	from, to := "the beginning", "now"
	if !w.NotBefore.IsZero() {
		from = w.NotBefore.Format(time.RFC3339)
	}
	if !w.Expires.IsZero() {
		to = w.Expires.Format(time.RFC3339)
	}
	return "from " + from + " until " + to
}
