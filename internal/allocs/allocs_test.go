package allocs

import "testing"

var sink []byte

func TestBytesCountsWhatTheCallAllocates(t *testing.T) {
	if got := Bytes(func() { sink = make([]byte, 1<<20) }); got < 1<<20 {
		t.Fatalf("a 1 MiB allocation counted as %d bytes", got)
	}
	if got := Bytes(func() {}); got > 1<<10 {
		t.Fatalf("an empty call counted as %d bytes", got)
	}
}
