package main

import (
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows how a cycle advances, so a first sync of thousands of
// records never looks frozen: on a terminal a live bar per phase (count,
// rate, time left) drawn by progressbar; otherwise a log line at most every
// interval, with the count, the rate and the time left.
type progress struct {
	w        io.Writer
	log      *slog.Logger
	tty      bool
	interval time.Duration
	now      func() time.Time

	mu      sync.Mutex
	phase   string
	total   int
	started time.Time
	last    time.Time // last log line
	bar     *progressbar.ProgressBar
}

// progressLogInterval is the least time between two progress log lines.
const progressLogInterval = 5 * time.Second

func newProgress(e *env) *progress {
	return &progress{w: e.stderr, log: e.logger, tty: isTerminal(e.stderr), interval: progressLogInterval, now: time.Now}
}

// newProgressLog returns a progress that only logs (the daemon's: a bar
// would garble its log).
func newProgressLog(log *slog.Logger, interval time.Duration, now func() time.Time) *progress {
	return &progress{log: log, interval: interval, now: now}
}

// update is called by the cycle as a phase advances.
func (p *progress) update(phase string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if phase != p.phase {
		p.finishBar()
		p.phase, p.total, p.started = phase, total, now
		if p.tty {
			p.bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(p.w),
				progressbar.OptionSetDescription(phase),
				progressbar.OptionShowCount(),
				progressbar.OptionShowIts(),
				progressbar.OptionSetItsString("records"),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish(),
				progressbar.OptionSetWidth(30))
		}
	}
	if p.tty {
		if total != p.total {
			p.total = total
			p.bar.ChangeMax(total)
		}
		_ = p.bar.Set(done)
		return
	}
	if !p.last.IsZero() && now.Sub(p.last) < p.interval {
		return
	}
	p.last = now
	args := []any{"phase", phase, "done", done, "total", total}
	if el := now.Sub(p.started).Seconds(); el > 0 && done > 0 {
		rate := float64(done) / el
		args = append(args, "per_second", float64(int(rate*10))/10)
		if total > done {
			args = append(args, "left", (time.Duration(float64(total-done)/rate) * time.Second).Round(time.Second))
		}
	}
	p.log.Info("progress", args...)
}

// finish ends the bar of the last phase.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finishBar()
	p.phase = ""
}

func (p *progress) finishBar() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
