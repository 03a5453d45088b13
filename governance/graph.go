package governance

import (
	"fmt"
	"strings"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// graph is the register's delegation and accountability graph as plain
// data, in the order records were added, so that both renderers are
// deterministic.
type graph struct {
	nodes []node
	edges []edge
}

type node struct {
	id, label, shape string
	community        bool
}

type edge struct {
	from, to, label string
	dashed          bool
}

func (r *Register) graph(at time.Time) graph {
	var g graph
	ids := map[uuid.UUID]string{}
	for i, id := range r.partyOrder {
		p := r.parties[id]
		ids[id] = fmt.Sprintf("P%d", i+1)
		g.nodes = append(g.nodes, node{id: ids[id], label: p.Name + "\n" + string(p.Sector), shape: "party", community: p.Sector.IsCommunity()})
	}
	m := 0
	for _, l := range r.linkOrder {
		if l.Kind == KindMandate {
			m++
			mid := fmt.Sprintf("M%d", m)
			label := "mandate " + string(l.Scope)
			if l.mandate.Basis != "" {
				label += "\n" + l.mandate.Basis
			}
			g.nodes = append(g.nodes, node{id: mid, label: label, shape: "mandate"})
			g.edges = append(g.edges, edge{from: mid, to: ids[l.To], label: "holds", dashed: l.stateAt(at) != ""})
			continue
		}
		label := string(l.Scope)
		if l.tx.IsSet() {
			label += "\n≤ " + l.tx.String()
		}
		state := l.stateAt(at)
		if state != "" {
			label += "\n(" + state + ")"
		}
		g.edges = append(g.edges, edge{from: ids[l.From], to: ids[l.To], label: label, dashed: state != ""})
	}
	for i, id := range r.activityOrder {
		a := r.activityLog[r.activities[id]]
		aid := fmt.Sprintf("A%d", i+1)
		g.nodes = append(g.nodes, node{id: aid, label: a.Name + "\n" + string(a.Scope), shape: "activity"})
		for _, role := range []struct {
			name    string
			parties []coprod.PartyID
		}{{"A", a.Accountable}, {"R", a.Responsible}, {"C", a.Consulted}, {"I", a.Informed}, {"deputy", a.Deputies}} {
			for _, p := range role.parties {
				g.edges = append(g.edges, edge{from: ids[p], to: aid, label: role.name, dashed: role.name == "C" || role.name == "I"})
			}
		}
	}
	return g
}

// Mermaid renders the delegation and accountability graph at time at as
// a Mermaid flowchart: parties as boxes (community parties shaded),
// mandates as stadiums, activities as hexagons; delegations as labelled
// arrows, dashed once revoked or expired; RACI roles as edges to activities.
// Equal registers give identical text.
func (r *Register) Mermaid(at time.Time) string {
	r.mu.RLock()
	g := r.graph(at)
	r.mu.RUnlock()
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	for _, n := range g.nodes {
		open, close := "[", "]"
		switch n.shape {
		case "mandate":
			open, close = "([", "])"
		case "activity":
			open, close = "{{", "}}"
		}
		fmt.Fprintf(&b, "  %s%s\"%s\"%s\n", n.id, open, mermaidText(n.label), close)
	}
	for _, e := range g.edges {
		arrow := "-->"
		if e.dashed {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", e.from, arrow, mermaidText(e.label), e.to)
	}
	b.WriteString("  classDef community fill:#e6f4ea,stroke:#2e7d32\n")
	var community []string
	for _, n := range g.nodes {
		if n.community {
			community = append(community, n.id)
		}
	}
	if len(community) > 0 {
		fmt.Fprintf(&b, "  class %s community\n", strings.Join(community, ","))
	}
	return b.String()
}

func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "\n", "<br/>").Replace(s)
}

// DOT renders the same graph as Mermaid in Graphviz DOT.
func (r *Register) DOT(at time.Time) string {
	r.mu.RLock()
	g := r.graph(at)
	r.mu.RUnlock()
	var b strings.Builder
	b.WriteString("digraph governance {\n  rankdir=TB;\n")
	for _, n := range g.nodes {
		attrs := "shape=box"
		switch n.shape {
		case "mandate":
			attrs = "shape=box, style=rounded"
		case "activity":
			attrs = "shape=hexagon"
		}
		if n.community {
			attrs += `, style=filled, fillcolor="#e6f4ea"`
		}
		fmt.Fprintf(&b, "  %s [label=%s, %s];\n", n.id, dotText(n.label), attrs)
	}
	for _, e := range g.edges {
		style := ""
		if e.dashed {
			style = ", style=dashed"
		}
		fmt.Fprintf(&b, "  %s -> %s [label=%s%s];\n", e.from, e.to, dotText(e.label), style)
	}
	b.WriteString("}\n")
	return b.String()
}

func dotText(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
