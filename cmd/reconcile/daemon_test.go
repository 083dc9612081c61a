package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/snapshot/store"
)

// testDaemon is a daemon running in-process against the simulators.
type testDaemon struct {
	t      *testing.T
	d      *daemon
	addr   string
	cancel context.CancelFunc
	done   chan int
	stderr *syncBuffer
	code   int
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startDaemon runs runDaemon with cfg until the test stops it; it returns
// once the daemon serves.
func startDaemon(t *testing.T, cfg *config.Config, o daemonOptions) *testDaemon {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	td := &testDaemon{t: t, cancel: cancel, done: make(chan int, 1), stderr: &syncBuffer{}}
	started := make(chan struct{})
	o.started = func(d *daemon, addr string) { td.d, td.addr = d, addr; close(started) }
	if o.exit == nil {
		o.exit = func(code int) { t.Errorf("daemon exited at once with %d", code) }
	}
	e := &env{stdout: io.Discard, stderr: td.stderr, config: cfg,
		logger: slog.New(slog.NewJSONHandler(td.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	go func() { td.done <- runDaemon(ctx, e, o) }()
	select {
	case <-started:
	case code := <-td.done:
		t.Fatalf("daemon exited with %d before serving:\n%s", code, td.stderr.String())
	}
	t.Cleanup(func() { td.stop() })
	return td
}

// stop cancels the daemon's context (what the first SIGINT or SIGTERM
// does) and returns its exit code.
func (td *testDaemon) stop() int {
	td.t.Helper()
	if td.cancel == nil {
		return td.code
	}
	td.cancel()
	td.cancel = nil
	select {
	case td.code = <-td.done:
	case <-time.After(30 * time.Second):
		td.t.Fatalf("daemon did not stop within 30 s:\n%s", td.stderr.String())
	}
	return td.code
}

// scrape reads /metrics over HTTP.
func (td *testDaemon) scrape() map[string]*dto.MetricFamily {
	td.t.Helper()
	resp, err := http.Get("http://" + td.addr + "/metrics")
	if err != nil {
		td.t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		td.t.Fatal(err)
	}
	return fams
}

// metricValue is the value of family name's series with exactly labels
// (name=value pairs); -1 when there is none.
func metricValue(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	f := fams[name]
	if f == nil {
		return -1
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		if len(have) != len(labels)/2 {
			continue
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return -1
}

// metricSum sums every series of family name.
func metricSum(fams map[string]*dto.MetricFamily, name string) float64 {
	total := 0.0
	if f := fams[name]; f != nil {
		for _, m := range f.GetMetric() {
			switch {
			case m.Counter != nil:
				total += m.Counter.GetValue()
			case m.Gauge != nil:
				total += m.Gauge.GetValue()
			}
		}
	}
	return total
}

// waitFor polls cond until it holds; the daemon runs real cycles on a real
// schedule, so a deadline bounds the wait.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkStateFile opens the state file the daemon left and checks it.
func checkStateFile(t *testing.T, path string) []store.Run {
	t.Helper()
	st, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Errorf("state file inconsistent: %v", err)
	}
	var runs []store.Run
	if err := st.View(func(tx *store.Tx) error {
		var err error
		runs, err = tx.Runs(0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return runs
}

func demoConfig(t *testing.T, o simOptions) (*sims, *config.Config) {
	t.Helper()
	s, err := startSims(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := seedDemoShop(s); err != nil {
		t.Fatal(err)
	}
	cfg := s.config(t.TempDir())
	cfg.Metrics.Address = "127.0.0.1:0"
	cfg.Schedule.Cycle = "@every 1h"
	cfg.Schedule.FullListing = "@every 1h"
	cfg.Schedule.TimeZone = "UTC"
	return s, cfg
}

// The daemon runs cycles on a fast schedule against the simulators, and a
// stop signal in the middle of a cycle leaves a consistent state file with
// the interrupted cycle recorded.
func TestDaemonRunsOnScheduleAndStopsMidCycle(t *testing.T) {
	s, cfg := demoConfig(t, simOptions{})
	cfg.Schedule.Cycle = "@every 1s"
	td := startDaemon(t, cfg, daemonOptions{firstCycle: true, drain: 0})

	waitFor(t, "two cycles", func() bool { return metricSum(td.scrape(), "woonexo_cycles_total") >= 2 })
	fams := td.scrape()
	if v := metricValue(fams, "woonexo_cycle_duration_seconds"); v < 2 {
		t.Errorf("cycle duration histogram counts %v cycles, want >= 2", v)
	}
	if v := metricValue(fams, "woonexo_last_success_timestamp_seconds"); v <= 0 {
		t.Errorf("last success timestamp = %v", v)
	}
	resp, err := http.Get("http://" + td.addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz = %s after successful cycles", resp.Status)
	}

	// Slow every request down so the next cycle is caught in the middle.
	s.woo.SetLatency(30 * time.Millisecond)
	s.nexo.SetLatency(30 * time.Millisecond)
	waitFor(t, "a cycle in flight", func() bool { return metricValue(td.scrape(), "woonexo_cycle_running") == 1 })
	if code := td.stop(); code != exitClean {
		t.Fatalf("exit %d after the stop signal, want %d:\n%s", code, exitClean, td.stderr.String())
	}
	runs := checkStateFile(t, cfg.State.Path)
	cycles := int(metricSum(fams, "woonexo_cycles_total"))
	if len(runs) < cycles+1 {
		t.Errorf("%d runs recorded, want the %d scraped plus the interrupted one", len(runs), cycles)
	}
	if !strings.Contains(td.stderr.String(), `"msg":"daemon stopped"`) {
		t.Errorf("no clean stop in the log:\n%s", td.stderr.String())
	}
}

// A cycle never starts while another runs, whichever schedule fires: it is
// skipped and counted, and a skipped full listing is done by the next cycle.
func TestDaemonSkipsOverlappingCycles(t *testing.T) {
	s, cfg := demoConfig(t, simOptions{})
	td := startDaemon(t, cfg, daemonOptions{})
	s.woo.SetLatency(20 * time.Millisecond)
	s.nexo.SetLatency(20 * time.Millisecond)
	first := make(chan struct{})
	go func() { td.d.tick(false); close(first) }()
	waitFor(t, "the first cycle in flight", func() bool { return metricValue(td.scrape(), "woonexo_cycle_running") == 1 })
	td.d.tick(true)  // the full-listing schedule fires
	td.d.tick(false) // and the cycle schedule
	fams := td.scrape()
	if got := metricValue(fams, "woonexo_cycles_skipped_total", "schedule", "full"); got != 1 {
		t.Errorf("skipped full listings = %v, want 1", got)
	}
	if got := metricValue(fams, "woonexo_cycles_skipped_total", "schedule", "cycle"); got != 1 {
		t.Errorf("skipped cycles = %v, want 1", got)
	}
	<-first
	s.woo.SetLatency(0)
	s.nexo.SetLatency(0)
	td.d.tick(false) // does the skipped full listing
	td.stop()
	runs := checkStateFile(t, cfg.State.Path)
	if len(runs) != 2 {
		t.Fatalf("%d runs, want 2 (nothing stacked)", len(runs))
	}
	if !runs[0].Full {
		t.Errorf("the cycle after a skipped full listing was not full: %+v", runs[0])
	}
}

// A second daemon on the same state file refuses to start, saying why.
func TestSecondDaemonRefused(t *testing.T) {
	_, cfg := demoConfig(t, simOptions{})
	startDaemon(t, cfg, daemonOptions{})
	var stderr bytes.Buffer
	e := &env{stdout: io.Discard, stderr: &stderr, config: cfg, logger: slog.New(slog.DiscardHandler)}
	code := runDaemon(context.Background(), e, daemonOptions{})
	if code != exitUsage {
		t.Errorf("second daemon: exit %d, want %d", code, exitUsage)
	}
	if want := "another reconcile is running on the state file " + cfg.State.Path; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
	}
}

// A second stop signal exits at once.
func TestDaemonSecondSignalExits(t *testing.T) {
	_, cfg := demoConfig(t, simOptions{})
	sig := make(chan os.Signal, 2)
	exited := make(chan int, 1)
	td := startDaemon(t, cfg, daemonOptions{signals: sig, exit: func(code int) { exited <- code }})
	_ = td
	sig <- syscall.SIGTERM
	sig <- syscall.SIGTERM
	select {
	case code := <-exited:
		if code != exitFailed {
			t.Errorf("exit %d on the second signal, want %d", code, exitFailed)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit on the second signal")
	}
}
