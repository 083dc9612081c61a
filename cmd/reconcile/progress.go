package main

import (
	"fmt"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress shows how a cycle advances: a line per phase rewritten in place
// on a terminal, else a log line at most every few seconds, so a first
// sync of thousands of records never looks frozen.
type progress struct {
	e        *env
	tty      bool
	mu       sync.Mutex
	phase    string
	last     time.Time
	started  time.Time
	interval time.Duration
}

func newProgress(e *env) *progress {
	tty := false
	if f, ok := e.stderr.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &progress{e: e, tty: tty, interval: 5 * time.Second}
}

// update is called by the cycle as a phase advances.
func (p *progress) update(phase string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if phase != p.phase {
		if p.tty && p.phase != "" {
			fmt.Fprintln(p.e.stderr)
		}
		p.phase, p.started, p.last = phase, now, time.Time{}
	}
	if p.tty {
		rate := 0.0
		if el := now.Sub(p.started).Seconds(); el > 0 {
			rate = float64(done) / el
		}
		fmt.Fprintf(p.e.stderr, "\r%-16s %6d/%-6d %6.1f/s", phase, done, total, rate)
		return
	}
	if now.Sub(p.last) >= p.interval {
		p.last = now
		p.e.logger.Info("progress", "phase", phase, "done", done, "total", total)
	}
}
