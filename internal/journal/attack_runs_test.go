package journal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// replaySize is Replay reading runs of up to size bytes.
func replaySize(r io.Reader, size int, acceptTorn bool) (Replayed, error) {
	return replayRuns(NewRunsSize(r, types, nil, size), acceptTorn, nil)
}

// longLine returns two short lines then a third of exactly n bytes,
// newline included, and where the third starts.
func longLine(t *testing.T, n int) ([]byte, int, Hash) {
	t.Helper()
	var b []byte
	var prev Hash
	for i := 1; i <= 2; i++ {
		b, prev = AppendLine(b, i, prev, nil, "account", []byte(`{"a":1}`), nil)
	}
	start := len(b)
	probe, _ := AppendLine(nil, 3, prev, nil, "account", []byte(`{"p":""}`), nil)
	b, prev = AppendLine(b, 3, prev, nil, "account", []byte(`{"p":"`+strings.Repeat("x", n-len(probe))+`"}`), nil)
	require.Equal(t, n, len(b)-start)
	return b, start, prev
}

// TestAttackRunsLineLengthBoundaries (holds): a line of MaxLine bytes,
// newline included, is read whatever the run size; one byte more is
// "line longer than MaxLine" at that line's start, as is a tail over
// MaxLine. A tail of MaxLine-1 bytes that is all of a sound line but its
// newline is torn. A tail of exactly MaxLine bytes that is a whole line
// but its newline is corrupt, not torn: that line, with its newline,
// would be over MaxLine, which no writer writes (the implementation at
// a98079f called it torn; this is a change of answer, kept by this test).
func TestAttackRunsLineLengthBoundaries(t *testing.T) {
	tooLong := fmt.Sprintf("line longer than %d bytes", MaxLine)
	for _, n := range []int{MaxLine - 1, MaxLine, MaxLine + 1, MaxLine + 2} {
		j, start, prev := longLine(t, n)
		more, _ := AppendLine(bytes.Clone(j), 4, prev, nil, "account", []byte(`{"a":2}`), nil)
		for _, size := range []int{1, 4096, RunSize, 3 << 20} {
			name := fmt.Sprintf("line of %d, runs of %d", n, size)
			for _, b := range [][]byte{j, more} {
				end, err := replaySize(bytes.NewReader(b), size, false)
				if n <= MaxLine {
					require.NoError(t, err, name)
					require.Equal(t, int64(len(b)), end.Offset, name)
					continue
				}
				var je *Error
				require.ErrorAs(t, err, &je, name)
				assert.Equal(t, Error{Line: 3, Offset: int64(start), Reason: tooLong}, *je, name)
			}
			// The line without its newline.
			_, err := replaySize(bytes.NewReader(j[:len(j)-1]), size, false)
			var je *Error
			require.ErrorAs(t, err, &je, name)
			assert.Equal(t, 3, je.Line, name)
			assert.Equal(t, int64(start), je.Offset, name)
			switch {
			case n <= MaxLine:
				assert.True(t, je.Torn, "%s: %v", name, err)
			case n == MaxLine+1:
				assert.Equal(t, Error{Line: 3, Offset: int64(start), Reason: "the last line has no newline and is not the start of a journal line"}, *je, name)
			default:
				assert.Equal(t, Error{Line: 3, Offset: int64(start), Reason: tooLong}, *je, name)
			}
		}
	}
}

// zeroes gives nothing, without error, zeros times before each read that
// gives data, and io.EOF at the end.
type zeroes struct {
	data        []byte
	zeros, left int
}

func (z *zeroes) Read(p []byte) (int, error) {
	if z.left > 0 {
		z.left--
		return 0, nil
	}
	z.left = z.zeros
	if len(z.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, z.data[:min(len(z.data), 100)])
	z.data = z.data[n:]
	return n, nil
}

// TestAttackRunsEmptyReads (holds): 99 empty reads in a row between reads
// that give data are waited out; the 100th is io.ErrNoProgress, a read
// error at the line and byte reached, as bufio gives it.
func TestAttackRunsEmptyReads(t *testing.T) {
	j := build(t, 12, nil)
	for _, size := range []int{1, 64, RunSize} {
		end, err := replaySize(&zeroes{data: j, zeros: 99, left: 99}, size, false)
		require.NoError(t, err)
		assert.Equal(t, 12, end.Seq)
		_, err = replaySize(&zeroes{data: j, zeros: 100, left: 0}, size, false)
		require.ErrorIs(t, err, ErrRead)
		require.ErrorIs(t, err, io.ErrNoProgress)
		// The byte reached: what the reader gave before it stalled.
		assert.Contains(t, err.Error(), fmt.Sprintf("at line 1 (byte %d)", min(size, 100)), "size %d", size)
	}
}

// lastWithErr gives data in reads of up to step bytes, the last of them
// together with err.
type lastWithErr struct {
	data []byte
	step int
	err  error
}

func (r *lastWithErr) Read(p []byte) (int, error) {
	n := copy(p, r.data[:min(len(r.data), r.step)])
	r.data = r.data[n:]
	if len(r.data) == 0 {
		return n, r.err
	}
	return n, nil
}

// TestAttackRunsDataWithError (holds): a reader that returns its last
// bytes together with its error, cut at every byte of a journal, in any
// run size: with io.EOF the journal reads as the bytes it gave (torn or
// whole, as Replay answers for them); with another error, the lines
// before the cut are linked and the error is a read error at the byte of
// the cut.
func TestAttackRunsDataWithError(t *testing.T) {
	j := build(t, 6, nil)
	boom := errors.New("boom")
	for cut := 0; cut <= len(j); cut++ {
		want, wantErr := Replay(bytes.NewReader(j[:cut]), types, nil, true, nil)
		for _, size := range []int{1, 50, RunSize} {
			for _, step := range []int{1, 7, 1 << 20} {
				got, err := replaySize(&lastWithErr{data: j[:cut], step: step, err: io.EOF}, size, true)
				require.Equal(t, fmt.Sprint(want, wantErr), fmt.Sprint(got, err), "cut %d, size %d, step %d", cut, size, step)
				_, err = replaySize(&lastWithErr{data: j[:cut], step: step, err: boom}, size, true)
				require.ErrorIs(t, err, boom)
				require.ErrorIs(t, err, ErrRead)
				assert.Contains(t, err.Error(), fmt.Sprintf("(byte %d)", cut))
			}
		}
	}
}

// TestAttackRunsOddLines (holds): a CRLF line, an empty line, a journal
// without its last newline, a journal of one line, and one of a lone
// newline are answered alike in every run size, as Replay answers them:
// corrupt at the odd line, torn at the last, or sound.
func TestAttackRunsOddLines(t *testing.T) {
	j := build(t, 5, nil)
	lines := bytes.SplitAfter(j, []byte("\n"))
	crlf := bytes.Join([][]byte{lines[0], lines[1], append(bytes.Clone(lines[2][:len(lines[2])-1]), '\r', '\n'), lines[3], lines[4]}, nil)
	empty := bytes.Join([][]byte{lines[0], lines[1], []byte("\n"), lines[2], lines[3], lines[4]}, nil)
	for name, c := range map[string]struct {
		b    []byte
		want string
	}{
		"crlf":                 {crlf, "corrupt journal at line 3: not a journal line"},
		"empty":                {empty, "corrupt journal at line 3: not a journal line"},
		"no newline":           {j[:len(j)-1], "torn journal at line 5"},
		"one line":             {lines[0], "<nil>"},
		"one line, no newline": {lines[0][:len(lines[0])-1], "torn journal at line 1 (byte 0)"},
		"a newline":            {[]byte("\n"), "corrupt journal at line 1: not a journal line"},
	} {
		_, wantErr := Replay(bytes.NewReader(c.b), types, nil, false, nil)
		assert.Contains(t, fmt.Sprint(wantErr), c.want, name)
		for _, size := range []int{1, 2, 3, 64, RunSize} {
			_, err := replaySize(bytes.NewReader(c.b), size, false)
			assert.Equal(t, fmt.Sprint(wantErr), fmt.Sprint(err), "%s, size %d", name, size)
		}
	}
}
