package main

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/woonexo/woonexo/reconcile"
	"github.com/woonexo/woonexo/snapshot"
)

// daemonMetrics are the daemon's Prometheus collectors. They are registered on
// the registry run creates and passes in; nothing is global. Every label is
// bounded: kinds, sides, actions, results, route groups, status codes and
// held-record classes, never a SKU, id, URL or message.
type daemonMetrics struct {
	cycles          *prometheus.CounterVec
	cyclesSkipped   *prometheus.CounterVec
	cycleDuration   prometheus.Histogram
	cycleRunning    prometheus.Gauge
	lastSuccess     prometheus.Gauge
	lastCycle       prometheus.Gauge
	drift           *prometheus.GaugeVec
	conflicts       *prometheus.CounterVec
	conflictsLast   *prometheus.GaugeVec
	held            *prometheus.GaugeVec
	refused         *prometheus.GaugeVec
	writes          *prometheus.CounterVec
	requests        *prometheus.CounterVec
	requestDuration *prometheus.HistogramVec
	retries         *prometheus.CounterVec
	budgetWaits     prometheus.Counter
	budgetWaitSecs  prometheus.Counter
	journalPending  prometheus.Gauge
	journalOldest   prometheus.Gauge
	stateFileBytes  prometheus.Gauge

	mu        sync.Mutex
	perSystem map[string]int // requests sent so far, per system (reconcile.Options.Requests)
}

const metricsNamespace = "woonexo"

func newMetrics(reg prometheus.Registerer) *daemonMetrics {
	ns := metricsNamespace
	m := &daemonMetrics{
		cycles: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "cycles_total",
			Help: "Cycles run, by result: clean, drift, refused or failed."}, []string{"result"}),
		cyclesSkipped: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "cycles_skipped_total",
			Help: "Scheduled cycles not started because the previous one was still running, by schedule: cycle or full."}, []string{"schedule"}),
		cycleDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Name: "cycle_duration_seconds",
			Help:    "How long cycles took.",
			Buckets: []float64{0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 3600}}),
		cycleRunning: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "cycle_running",
			Help: "1 while a cycle runs."}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "last_success_timestamp_seconds",
			Help: "Unix time at which the last successful cycle (clean, or drift only: held records) finished; 0 until one did."}),
		lastCycle: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "last_cycle_timestamp_seconds",
			Help: "Unix time at which the last cycle finished, whatever its result."}),
		drift: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "drift_records",
			Help: "Records that still differ after the last cycle, by kind and the side that has not received the change."},
			[]string{"kind", "side"}),
		conflicts: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "conflicts_total",
			Help: "Fields both sides changed differently, by kind and the side whose value won."}, []string{"kind", "resolution"}),
		conflictsLast: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "conflicts",
			Help: "Conflicts found by the last cycle, by kind."}, []string{"kind"}),
		held: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "held_records",
			Help: "Records held by the last cycle, by kind and reason class."}, []string{"kind", "class"}),
		refused: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "deletions_refused",
			Help: "Deletions the safety check refused in the last cycle, by kind and side."}, []string{"kind", "side"}),
		writes: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "writes_total",
			Help: "Writes, by kind, target side, op and result: done, failed or skipped."}, []string{"kind", "side", "op", "result"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "api_requests_total",
			Help: "HTTP requests to each system, by route group and status code (0: no response)."},
			[]string{"system", "route_group", "status"}),
		requestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "api_request_duration_seconds",
			Help: "HTTP request latency, by system.", Buckets: prometheus.ExponentialBuckets(0.025, 2, 10)}, []string{"system"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "api_retries_total",
			Help: "Requests retried, by system and route group."}, []string{"system", "route_group"}),
		budgetWaits: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "request_budget_waits_total",
			Help: "NexoPOS requests that waited for the request budget."}),
		budgetWaitSecs: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "request_budget_wait_seconds_total",
			Help: "Time NexoPOS requests spent waiting for the request budget."}),
		journalPending: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "journal_pending",
			Help: "Creates sent without a known outcome, waiting to be checked on their target."}),
		journalOldest: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "journal_oldest_pending_timestamp_seconds",
			Help: "Unix time of the oldest pending journal entry (0 when none)."}),
		stateFileBytes: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "state_file_bytes",
			Help: "Size of the state file."}),
		perSystem: map[string]int{},
	}
	reg.MustRegister(m.cycles, m.cyclesSkipped, m.cycleDuration, m.cycleRunning, m.lastSuccess, m.lastCycle,
		m.drift, m.conflicts, m.conflictsLast, m.held, m.refused, m.writes, m.requests, m.requestDuration,
		m.retries, m.budgetWaits, m.budgetWaitSecs, m.journalPending, m.journalOldest, m.stateFileBytes)
	for _, r := range []reconcile.Outcome{reconcile.OutcomeClean, reconcile.OutcomeDrift, reconcile.OutcomeRefused, reconcile.OutcomeFailed} {
		m.cycles.WithLabelValues(string(r))
	}
	for _, s := range []string{"cycle", "full"} {
		m.cyclesSkipped.WithLabelValues(s)
	}
	return m
}

// hooks returns the clients' metrics hooks.
func (m *daemonMetrics) hooks() clientHooks {
	return clientHooks{
		onRequest: func(system, group, _ string, status int, dur time.Duration) {
			m.requests.WithLabelValues(system, group, strconv.Itoa(status)).Inc()
			m.requestDuration.WithLabelValues(system).Observe(dur.Seconds())
			m.mu.Lock()
			m.perSystem[system]++
			m.mu.Unlock()
		},
		onRetry: func(system, group string) { m.retries.WithLabelValues(system, group).Inc() },
		onBudgetWait: func(d time.Duration) {
			m.budgetWaits.Inc()
			m.budgetWaitSecs.Add(d.Seconds())
		},
	}
}

// requestCounts returns the requests sent so far per system.
func (m *daemonMetrics) requestCounts() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]int, len(m.perSystem))
	for k, v := range m.perSystem {
		out[k] = v
	}
	return out
}

// observeCycle counts a finished cycle: its result and duration, its
// writes and conflicts, and replaces the gauges that describe the state it
// left (drift, held records, refused deletions). A cycle that could not
// produce a report counts as failed.
func (m *daemonMetrics) observeCycle(rep *reconcile.Report, took time.Duration) {
	result := reconcile.OutcomeFailed
	if rep != nil && rep.Outcome != "" {
		result = rep.Outcome
	}
	m.cycles.WithLabelValues(string(result)).Inc()
	m.cycleDuration.Observe(took.Seconds())
	if rep == nil {
		return
	}
	finished := rep.Finished
	if finished.IsZero() {
		finished = rep.Started.Add(took)
	}
	m.lastCycle.Set(float64(finished.UnixNano()) / 1e9)
	if succeeded(result) {
		m.lastSuccess.Set(float64(finished.UnixNano()) / 1e9)
	}
	for key, n := range rep.Writes {
		parts := strings.SplitN(key, "/", 4)
		if len(parts) == 4 {
			m.writes.WithLabelValues(parts[0], parts[1], parts[2], parts[3]).Add(float64(n))
		}
	}
	m.conflictsLast.Reset()
	for _, k := range snapshot.Kinds {
		m.conflictsLast.WithLabelValues(string(k))
	}
	for _, c := range rep.Plan.Conflicts {
		m.conflicts.WithLabelValues(string(c.Kind), winnerLabel(c.Winner)).Inc()
		m.conflictsLast.WithLabelValues(string(c.Kind)).Inc()
	}
	m.drift.Reset()
	for _, k := range snapshot.Kinds {
		for _, s := range []snapshot.Side{snapshot.WooCommerce, snapshot.NexoPOS} {
			m.drift.WithLabelValues(string(k), string(s))
		}
	}
	for key, n := range rep.Drift() {
		if kind, side, ok := strings.Cut(key, "/"); ok {
			m.drift.WithLabelValues(kind, side).Set(float64(n))
		}
	}
	m.held.Reset()
	for _, h := range rep.Plan.Held {
		m.held.WithLabelValues(string(h.Kind), classLabel(h.Class)).Inc()
	}
	m.refused.Reset()
	for _, r := range rep.Plan.Refusals {
		if r.Side != "" && r.Count > 0 {
			m.refused.WithLabelValues(string(r.Kind), string(r.Side)).Add(float64(r.Count))
		}
	}
}

// observeState sets the gauges read from the state file.
func (m *daemonMetrics) observeState(size int64, pending []snapshot.JournalEntry) {
	m.stateFileBytes.Set(float64(size))
	m.journalPending.Set(float64(len(pending)))
	oldest := 0.0
	for _, e := range pending {
		if t := float64(e.Created.UnixNano()) / 1e9; oldest == 0 || t < oldest {
			oldest = t
		}
	}
	m.journalOldest.Set(oldest)
}

// succeeded reports whether a cycle ran to its end without a failed read
// or write and without a safety refusal. Drift (held records, ambiguous
// keys) is success: it has its own metrics and alerts.
func succeeded(o reconcile.Outcome) bool {
	return o == reconcile.OutcomeClean || o == reconcile.OutcomeDrift
}

// winnerLabel bounds a conflict's winner to the two sides (or "other").
func winnerLabel(w string) string {
	switch w {
	case string(snapshot.WooCommerce), string(snapshot.NexoPOS):
		return w
	}
	return "other"
}

// classLabel keeps a held record's class short and bounded: classes are
// lower-case words from the code; anything else becomes "other".
func classLabel(c string) string {
	if c == "" || len(c) > 40 {
		return "other"
	}
	for _, r := range c {
		if (r < 'a' || r > 'z') && r != '_' {
			return "other"
		}
	}
	return c
}
