// Package lockcheck catches a library that runs caller code while it
// holds a lock. It is for tests only.
//
// Go's sync.RWMutex is not reentrant: once a writer waits for the lock,
// new readers wait behind it. An iterator that held the read lock while
// its loop body ran would deadlock as soon as the body read the same
// structure again while another goroutine waited to write. UnderWrites
// arranges exactly that and turns the hang into a test failure.
package lockcheck

import (
	"testing"
	"time"
)

// Timeout is how long UnderWrites waits for the reader before it reports
// a deadlock. It is a deadlock detector, not a timing assertion: a reader
// that does not deadlock finishes in milliseconds.
const Timeout = 10 * time.Second

// pause is how long poke waits after handing the writer a write, so that
// the writer reaches the lock while the reader is still in its loop body.
const pause = 200 * time.Microsecond

// UnderWrites runs read in one goroutine and write in another. Each call
// read makes to poke hands the writer one call of write (with a counter
// starting at 0) and gives it time to reach the library's lock; read
// should poke from inside the loop body, classifier or other callback it
// tests, and then read the same structure again. UnderWrites fails t if
// read has not returned within Timeout (the goroutines of a deadlocked
// run are left behind), or if read or write returned an error.
func UnderWrites(t testing.TB, write func(i int) error, read func(poke func()) error) {
	t.Helper()
	pokes := make(chan struct{})
	stop := make(chan struct{})
	writeErr := make(chan error, 1)
	go func() {
		var err error
		for i := 0; ; i++ {
			select {
			case <-stop:
				writeErr <- err
				return
			case <-pokes:
				if err == nil {
					err = write(i)
				}
			}
		}
	}()
	poke := func() {
		pokes <- struct{}{}
		time.Sleep(pause)
	}
	readErr := make(chan error, 1)
	go func() { readErr <- read(poke) }()
	select {
	case err := <-readErr:
		close(stop)
		if err != nil {
			t.Errorf("read: %v", err)
		}
		if err := <-writeErr; err != nil {
			t.Errorf("write: %v", err)
		}
	case <-time.After(Timeout):
		t.Fatalf("deadlock: the reader did not finish within %s while a writer waited; is caller code running under a lock?", Timeout)
	}
}
