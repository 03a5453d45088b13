//go:build !unix

package main

import "time"

// cpuTimes is not measured here: getrusage is Unix's.
func cpuTimes() (user, sys time.Duration) { return 0, 0 }

// maxRSS is unknown here.
func maxRSS() uint64 { return 0 }
