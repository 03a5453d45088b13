package main

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// diagrams draws year one as the library draws it: the delegation and
// accountability graph, and who paid whom.
func diagrams(t *testing.T) (graph, money, labour string) {
	t.Helper()
	p := &partnership{}
	p.reg = newRegister(p)
	p.l = newLedger(p)
	require.NoError(t, p.yearOne(io.Discard))
	graph = p.reg.Mermaid(day(2026, 3, 31))
	money, err := p.l.Sankey(year1, p.reg.PartyName)
	require.NoError(t, err)
	labour, err = p.l.LabourSankey(year1, p.reg.PartyName)
	require.NoError(t, err)
	return graph, money, labour
}

// TestREADMEDiagrams keeps README.md's diagrams of the example the ones
// the library draws from its records.
func TestREADMEDiagrams(t *testing.T) {
	graph, money, labour := diagrams(t)
	if os.Getenv("PRINT_DIAGRAMS") != "" {
		os.Stdout.WriteString(graph + "\n=====\n" + money + "\n=====\n" + labour + "\n=====\n")
	}
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	for marker, want := range map[string]string{"<!-- wandsworth-graph -->": graph, "<!-- wandsworth-money -->": money, "<!-- wandsworth-labour -->": labour} {
		s := string(readme)
		i := strings.Index(s, marker+"\n```mermaid\n")
		require.GreaterOrEqual(t, i, 0, "README.md has no %s block", marker)
		s = s[i+len(marker)+len("\n```mermaid\n"):]
		j := strings.Index(s, "```\n")
		require.GreaterOrEqual(t, j, 0)
		assert.Equal(t, strings.TrimSpace(want), strings.TrimSpace(s[:j]), "README.md's %s differs from what the library draws", marker)
	}
}
