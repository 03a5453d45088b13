package main

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/coprod/coprod/internal/golden"
	"github.com/coprod/coprod/internal/jsonschema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOutput(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	golden.Check(t, "testdata/output.golden", out.String())
}

// The journal the example writes matches the ledger's journal schema.
func TestJournalMatchesSchema(t *testing.T) {
	var out, journal bytes.Buffer
	require.NoError(t, story(&out, &journal))
	s, err := jsonschema.Load("../../schema")
	require.NoError(t, err)
	sc := bufio.NewScanner(&journal)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		n++
		assert.NoError(t, s.Validate("ledger-journal-line.schema.json", sc.Bytes()), "line %d", n)
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, 11, n)
}
