package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/robfig/cron/v3"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/reconcile"
	"github.com/woonexo/woonexo/snapshot"
	"github.com/woonexo/woonexo/snapshot/store"
)

// daemonOptions are what tests replace.
type daemonOptions struct {
	// drain is how long a cycle in flight may run on after a stop signal
	// before its context is cancelled. Within it the cycle finishes, or at
	// least its write in flight does; after it the request in flight is
	// abandoned, the cycle records itself, and a create whose outcome is
	// thereby unknown stays in the journal, checked at the next start.
	drain time.Duration
	// signals, when set, delivers the process's stop signals: the first
	// also cancels ctx (main does that), a second one exits at once.
	signals <-chan os.Signal
	exit    func(code int)
	// firstCycle runs a cycle at start, before the first scheduled one.
	firstCycle bool
	// started, when set, is given the daemon and its metrics address once
	// it serves and its schedule runs.
	started func(d *daemon, addr string)
	// wiring is passed to openApp (tests set the HTTP client); hooks,
	// progress and requests are the daemon's own.
	wiring wiring
	now    func() time.Time
}

// defaultDrain leaves a cycle in flight time to finish before systemd's
// and Kubernetes' default stop timeouts (90 s and 30 s).
const defaultDrain = 20 * time.Second

// cmdDaemon runs cycles on e.config.Schedule until ctx is cancelled and
// serves /metrics, /healthz, /readyz and /status on e.config.Metrics.Address.
//
// Exit codes: 0 after a clean stop (SIGINT or SIGTERM); 1 when it cannot
// start (a system cannot be reached, the listener's port is taken) or on a
// second signal; 2 when another reconcile already holds the state file
// (nothing was done; starting it again will not help until the other one
// stops or this one gets its own state.path).
func cmdDaemon(ctx context.Context, e *env) int {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	return runDaemon(ctx, e, daemonOptions{drain: defaultDrain, signals: sig, exit: os.Exit, firstCycle: true})
}

// daemon is one running daemon.
type daemon struct {
	cfg     *config.Config
	log     *slog.Logger
	app     *app
	metrics *daemonMetrics
	prog    *progress
	now     func() time.Time
	started time.Time

	cycleCtx    context.Context // cycles derive from it; cancelled after the drain
	running     sync.Mutex      // held by the cycle in flight: one at a time, whatever the schedule
	fullPending atomic.Bool     // a full listing was skipped: the next cycle does it
	stopping    atomic.Bool
	stopCycles  chan struct{} // closed on stop: the cycle in flight sends nothing after its current write
	skipped     atomic.Int64

	mu          sync.Mutex // guards what follows
	live        *liveCycle
	lastSuccess time.Time
	sched       *cron.Cron
	cycleEntry  cron.EntryID
	fullEntry   cron.EntryID
}

func runDaemon(ctx context.Context, e *env, o daemonOptions) int {
	if o.now == nil {
		o.now = time.Now
	}
	cfg := e.config
	loc, err := cfg.Schedule.Location()
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: schedule.time_zone: %v\n", err)
		return exitUsage
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	d := &daemon{cfg: cfg, log: e.logger, metrics: newMetrics(reg), now: o.now, started: o.now().UTC()}
	d.prog = newProgressLog(e.logger, 10*time.Second, o.now)

	w := o.wiring
	w.hooks, w.requests = d.metrics.hooks(), d.metrics.requestCounts
	w.progress = d.progress
	a, err := openApp(ctx, cfg, e.logger, w)
	if errors.Is(err, store.ErrLocked) {
		fmt.Fprintf(e.stderr, "reconcile: another reconcile is running on the state file %s (%v); stop it first, or give this one its own state.path\n",
			cfg.State.Path, err)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: %v\n", err)
		return exitFailed
	}
	defer a.Close() // last: after the cycle in flight and the listener
	d.app = a
	d.loadLastSuccess()
	d.observeState()

	srv, err := newServer(cfg.Metrics.Address, serverHandlers{gatherer: reg, ready: d.ready, status: d.status}, e.logger)
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: %v\n", err)
		return exitFailed
	}
	if !cfg.Metrics.IsLoopback() {
		e.logger.Warn("metrics listener is not on loopback: /metrics, /healthz and /readyz answer anyone who can reach it (/status only loopback)",
			"address", srv.Addr())
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.serve() }()
	defer srv.shutdown()

	if o.signals != nil {
		go d.watchSignals(o.signals, o.exit)
	}
	var cancelCycles context.CancelFunc
	d.stopCycles = make(chan struct{})
	d.cycleCtx, cancelCycles = context.WithCancel(reconcile.WithStop(context.WithoutCancel(ctx), d.stopCycles))
	defer cancelCycles()

	cl := cronLogger{e.logger.With("component", "scheduler")}
	c := cron.New(cron.WithLocation(loc), cron.WithLogger(cl), cron.WithChain(cron.Recover(cl)))
	d.sched = c
	if d.cycleEntry, err = c.AddFunc(cfg.Schedule.Cycle, func() { d.tick(false) }); err != nil {
		fmt.Fprintf(e.stderr, "reconcile: schedule.cycle: %v\n", err)
		return exitUsage
	}
	if d.fullEntry, err = c.AddFunc(cfg.Schedule.FullListing, func() { d.tick(true) }); err != nil {
		fmt.Fprintf(e.stderr, "reconcile: schedule.full_listing: %v\n", err)
		return exitUsage
	}
	c.Start()
	e.logger.Info("daemon started", "metrics", srv.Addr(), "cycle", cfg.Schedule.Cycle, "full_listing", cfg.Schedule.FullListing,
		"time_zone", loc.String(), "state", cfg.State.Path)
	if o.firstCycle {
		go d.tick(false) // a first cycle now, not at the first scheduled time
	}
	if o.started != nil {
		o.started(d, srv.Addr())
	}

	code := exitClean
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		e.logger.Error("metrics listener failed", "err", err)
		code = exitFailed // a supervisor restarts it
	}
	d.stop(c, cancelCycles, o.drain)
	e.logger.Info("daemon stopped")
	return code
}

// stop stops starting cycles and tells the cycle in flight to send
// nothing after its current write; it then has drain to finish that write
// and record itself, after which it is cancelled (an interrupted create
// stays in the journal and is looked up at the next start).
func (d *daemon) stop(c *cron.Cron, cancelCycles context.CancelFunc, drain time.Duration) {
	d.stopping.Store(true)
	close(d.stopCycles)
	d.log.Info("stopping: no new cycles; waiting for the write in flight", "drain", drain)
	c.Stop() // no new scheduled jobs; jobs in flight go on
	done := make(chan struct{})
	go func() {
		d.running.Lock() // the cycle in flight holds it until it has recorded itself
		d.running.Unlock()
		close(done)
	}()
	select {
	case <-done:
		return
	case <-time.After(drain):
	}
	d.log.Warn("cycle still running after the drain period; cancelling it after the write in flight")
	cancelCycles()
	<-done
}

// watchSignals exits at once on the second stop signal.
func (d *daemon) watchSignals(sig <-chan os.Signal, exit func(int)) {
	n := 0
	for s := range sig {
		n++
		if n >= 2 {
			d.log.Error("second signal: exiting at once", "signal", s.String())
			exit(exitFailed)
			return
		}
	}
}

// tick is one scheduled cycle. A cycle never starts while another runs,
// whichever schedule started it: it is skipped and counted (a skipped full
// listing is done by the next cycle instead).
func (d *daemon) tick(full bool) {
	if d.stopping.Load() {
		return
	}
	if !d.running.TryLock() {
		schedule := "cycle"
		if full {
			schedule = "full"
			d.fullPending.Store(true)
		}
		d.skipped.Add(1)
		d.metrics.cyclesSkipped.WithLabelValues(schedule).Inc()
		d.log.Warn("previous cycle still running; skipping this one", "schedule", schedule)
		return
	}
	defer d.running.Unlock()
	if d.stopping.Load() {
		return
	}
	if d.fullPending.Swap(false) {
		full = true
	}
	d.runCycle(full)
}

// runCycle runs one cycle with the configured timeout and a recover, then
// updates the metrics.
func (d *daemon) runCycle(full bool) {
	ctx, cancel := context.WithTimeout(d.cycleCtx, d.cfg.Schedule.CycleTimeout)
	defer cancel()
	start := d.now()
	d.setLive(&liveCycle{Started: start.UTC(), Full: full})
	d.metrics.cycleRunning.Set(1)
	rep, err := d.runRecovered(ctx, full)
	took := d.now().Sub(start)
	d.metrics.cycleRunning.Set(0)
	d.setLive(nil)
	d.metrics.observeCycle(rep, took)
	d.observeState()
	log := d.log
	if rep != nil {
		log = log.With("cycle", rep.RunID)
		if succeeded(rep.Outcome) {
			d.mu.Lock()
			d.lastSuccess = rep.Finished
			d.mu.Unlock()
		}
	}
	if err != nil {
		log.Error("cycle failed", "err", err, "duration", took.Round(time.Millisecond))
		return
	}
	done := 0
	for _, r := range rep.Results {
		if r.Status == reconcile.StatusDone {
			done++
		}
	}
	log.Info("cycle", "result", rep.Outcome, "full", rep.Full, "duration", took.Round(time.Millisecond), "writes", done,
		"held", len(rep.Plan.Held), "conflicts", len(rep.Plan.Conflicts), "requests", rep.Requests)
}

func (d *daemon) runRecovered(ctx context.Context, full bool) (rep *reconcile.Report, err error) {
	defer func() {
		if p := recover(); p != nil {
			d.log.Error("cycle panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = fmt.Errorf("cycle panicked: %v", p)
		}
	}()
	return d.app.rec.Run(ctx, reconcile.RunRequest{Full: full})
}

// progress is the cycle's progress callback: it keeps the live view for
// /status and logs a line now and then.
func (d *daemon) progress(phase string, done, total int) {
	d.mu.Lock()
	if c := d.live; c != nil {
		now := d.now()
		if c.Phase != phase {
			c.Phase, c.Done = phase, 0
			c.phaseStarted = now
		}
		c.Done, c.Total = done, total
		if el := now.Sub(c.phaseStarted).Seconds(); el >= 1 {
			c.Rate = float64(done) / el
		}
	}
	d.mu.Unlock()
	d.prog.update(phase, done, total)
}

func (d *daemon) setLive(c *liveCycle) {
	d.mu.Lock()
	d.live = c
	d.mu.Unlock()
}

// loadLastSuccess starts readiness from the newest cycle in the state file
// that ran to the end without failing (clean, or drift only).
func (d *daemon) loadLastSuccess() {
	_ = d.app.state.View(func(tx *store.Tx) error {
		runs, err := tx.Runs(0)
		if err != nil {
			return err
		}
		for _, r := range runs {
			if r.Result == snapshot.RunOK || r.Result == string(reconcile.OutcomeDrift) {
				d.lastSuccess = r.Finished
				d.metrics.lastSuccess.Set(float64(r.Finished.UnixNano()) / 1e9)
				return nil
			}
		}
		return nil
	})
}

// observeState sets the state file's gauges.
func (d *daemon) observeState() {
	var pending []snapshot.JournalEntry
	err := d.app.state.View(func(tx *store.Tx) error {
		var err error
		pending, err = tx.JournalPending()
		return err
	})
	if err != nil {
		d.log.Warn("read the journal for metrics", "err", err)
		return
	}
	d.metrics.observeState(d.app.state.Size(), pending)
}

// ready reports whether a cycle succeeded within metrics.ready_window.
func (d *daemon) ready() error {
	d.mu.Lock()
	last := d.lastSuccess
	d.mu.Unlock()
	if last.IsZero() {
		return errors.New("no cycle has succeeded yet")
	}
	if age := d.now().Sub(last); age > d.cfg.Metrics.ReadyWindow {
		return fmt.Errorf("last successful cycle %s ago (window %s)", age.Round(time.Second), d.cfg.Metrics.ReadyWindow)
	}
	return nil
}

// status is the /status view: the state file's, plus what only the
// daemon knows.
func (d *daemon) status(context.Context) (*statusView, error) {
	v, err := loadStatus(d.app.state, d.cfg, d.now())
	if err != nil {
		return nil, err
	}
	v.Source = "daemon"
	dv := &daemonView{Started: d.started, Skipped: int(d.skipped.Load())}
	d.mu.Lock()
	if d.live != nil {
		c := *d.live
		dv.Cycle = &c
	}
	if d.sched != nil {
		if t := d.sched.Entry(d.cycleEntry).Next; !t.IsZero() {
			dv.NextCycle = &t
		}
		if t := d.sched.Entry(d.fullEntry).Next; !t.IsZero() {
			dv.NextFull = &t
		}
	}
	d.mu.Unlock()
	v.Daemon = dv
	return v, nil
}

// cronLogger routes the scheduler's messages to the logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug(msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error(msg, append([]any{"err", err}, kv...)...)
}
