// Package allocs measures the heap memory a call allocates, for tests
// that bound the cost of refusing bad input without timing it on a
// shared machine.
package allocs

import "runtime"

// Bytes reports the bytes f allocated on the heap (with anything else the
// process allocated meanwhile: call it where nothing else runs).
func Bytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
