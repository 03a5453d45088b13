package main

import (
	"bytes"
	"testing"

	"github.com/coprod/coprod/internal/golden"
	"github.com/stretchr/testify/require"
)

func TestOutput(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	golden.Check(t, "testdata/output.golden", out.String())
}
