package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/coprod/coprod/internal/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOutput(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, tour(&out))
	golden.Check(t, "testdata/output.golden", out.String())
}

// TestREADMEShowsThisCode keeps README.md's tour the code that compiles
// and runs here: the README's Go block after "<!-- tour -->" must be the
// code between the tour markers of main.go.
func TestREADMEShowsThisCode(t *testing.T) {
	src, err := os.ReadFile("main.go")
	require.NoError(t, err)
	code := between(t, string(src), "// tour:start\n", "\n// tour:end")
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	block := between(t, string(readme), "<!-- tour -->\n```go\n", "```\n")
	assert.Equal(t, strings.TrimSpace(code), strings.TrimSpace(block), "README.md's tour differs from examples/tour/main.go")
}

func between(t *testing.T, s, start, end string) string {
	t.Helper()
	i := strings.Index(s, start)
	require.GreaterOrEqual(t, i, 0, "no %q", start)
	s = s[i+len(start):]
	j := strings.Index(s, end)
	require.GreaterOrEqual(t, j, 0, "no %q", end)
	return s[:j]
}
