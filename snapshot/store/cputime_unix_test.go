//go:build unix

package store

import (
	"syscall"
	"time"
)

// cpuTime returns the user plus system CPU time this process has used, so
// that benchmarks can report their cost apart from time spent waiting for
// the disk or for other processes.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
