package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/snapshot"
	"github.com/woonexo/woonexo/snapshot/store"
)

// statusView is what `reconcile status` shows and what the daemon serves
// on /status. Its JSON shape is part of the interface (--output json).
type statusView struct {
	// Source is "daemon" (read over HTTP from the running daemon) or
	// "state_file" (read from the file; no daemon holds it).
	Source      string                  `json:"source"`
	StateFile   string                  `json:"state_file"`
	Generated   time.Time               `json:"generated"`
	Daemon      *daemonView             `json:"daemon,omitempty"`
	LastSuccess *time.Time              `json:"last_success,omitempty"`
	Cycles      []cycleView             `json:"cycles"`
	Drift       map[string]int          `json:"drift"` // "kind/side" -> records, after the last cycle
	Conflicts   []snapshot.Conflict     `json:"conflicts"`
	Held        []snapshot.Held         `json:"held"`
	Journal     []snapshot.JournalEntry `json:"journal"`
	Records     []kindCounts            `json:"records"`
	// FirstSync is how far the creates into NexoPOS are, and when they will
	// be done at the request budget; nil when none remain.
	FirstSync *syncProgress `json:"first_sync,omitempty"`
}

// cycleView is one cycle of the history.
type cycleView struct {
	ID              string         `json:"id"`
	Started         time.Time      `json:"started"`
	DurationSeconds float64        `json:"duration_seconds"`
	Result          string         `json:"result"`
	Full            bool           `json:"full,omitempty"`
	Writes          int            `json:"writes"` // writes done
	WritesBy        map[string]int `json:"writes_by,omitempty"`
	Requests        map[string]int `json:"requests,omitempty"`
	Held            int            `json:"held"`
	Conflicts       int            `json:"conflicts"`
	Errors          []string       `json:"errors,omitempty"`
}

// kindCounts is what the state file holds of one kind.
type kindCounts struct {
	Kind        snapshot.Kind `json:"kind"`
	WooCommerce int           `json:"woocommerce"`
	NexoPOS     int           `json:"nexopos"`
	Linked      int           `json:"linked"`
}

// syncProgress is a first sync into NexoPOS, whose writes cannot be
// batched and are bounded by its request budget.
type syncProgress struct {
	Kinds           []kindProgress `json:"kinds"`
	Remaining       int            `json:"remaining"`
	Requests        int            `json:"requests"` // estimated requests left
	BudgetPerMinute int            `json:"budget_per_minute"`
	ETASeconds      float64        `json:"eta_seconds"`
	ETA             time.Time      `json:"eta"`
}

type kindProgress struct {
	Kind      snapshot.Kind `json:"kind"`
	Done      int           `json:"done"`      // linked
	Remaining int           `json:"remaining"` // still to write into NexoPOS
}

// daemonView is what only a running daemon knows.
type daemonView struct {
	Started   time.Time  `json:"started"`
	Cycle     *liveCycle `json:"cycle,omitempty"` // the cycle running now
	NextCycle *time.Time `json:"next_cycle,omitempty"`
	NextFull  *time.Time `json:"next_full,omitempty"`
	Skipped   int        `json:"skipped"` // scheduled cycles skipped as still running
}

// liveCycle is the cycle in progress.
type liveCycle struct {
	Started time.Time `json:"started"`
	Full    bool      `json:"full"`
	Phase   string    `json:"phase,omitempty"`
	Done    int       `json:"done"`
	Total   int       `json:"total"`
	Rate    float64   `json:"rate_per_second"`

	phaseStarted time.Time
}

// statusCycles is how many cycles status shows.
const statusCycles = 10

// cmdStatus prints the last cycles, drift, conflicts, held records and
// pending journal entries, in e.flags.output. It asks the running daemon
// over its /status endpoint (the daemon holds the state file's lock) and
// reads the state file read-only when no daemon answers.
func cmdStatus(ctx context.Context, e *env) int {
	v, err := fetchStatus(ctx, e.config.Metrics.Address)
	if err != nil {
		e.logger.Debug("no daemon answered; reading the state file", "err", err)
		v, err = readStatusFile(e.config, time.Now())
		if errors.Is(err, store.ErrLocked) {
			fmt.Fprintf(e.stderr, "reconcile: %s is held by a running reconcile, whose status endpoint at %s did not answer (%v)\n",
				e.config.State.Path, e.config.Metrics.Address, err)
			return exitFailed
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: %v\n", err)
		return exitFailed
	}
	if e.flags.output == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(v)
	} else {
		err = writeStatus(e.stdout, v, time.Now())
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: %v\n", err)
		return exitFailed
	}
	return exitClean
}

// fetchStatus asks the daemon listening on addr for its status.
func fetchStatus(ctx context.Context, addr string) (*statusView, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/status", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("daemon status: %s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	var v statusView
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return nil, fmt.Errorf("daemon status: %w", err)
	}
	return &v, nil
}

// readStatusFile opens the state file read-only and builds the status.
func readStatusFile(cfg *config.Config, now time.Time) (*statusView, error) {
	if _, err := os.Stat(cfg.State.Path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no state file at %s yet: no cycle has run here (run reconcile --now, or start the daemon)", cfg.State.Path)
	}
	st, err := store.Open(cfg.State.Path, store.Options{ReadOnly: true, LockTimeout: 500 * time.Millisecond})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	v, err := loadStatus(st, cfg, now)
	if err != nil {
		return nil, err
	}
	v.Source = "state_file"
	return v, nil
}

// loadStatus builds the status from the state file in one read
// transaction.
func loadStatus(st *store.Store, cfg *config.Config, now time.Time) (*statusView, error) {
	v := &statusView{StateFile: st.Path(), Generated: now.UTC(), Drift: map[string]int{}}
	err := st.View(func(tx *store.Tx) error {
		runs, err := tx.Runs(statusCycles)
		if err != nil {
			return err
		}
		for _, r := range runs {
			v.Cycles = append(v.Cycles, cycleOf(r))
		}
		if len(runs) > 0 {
			for k, n := range runs[0].Drift {
				v.Drift[k] = n
			}
		}
		if r, ok := tx.LastSuccess(); ok {
			t := r.Finished
			v.LastSuccess = &t
		}
		if v.Conflicts, err = tx.Conflicts(); err != nil {
			return err
		}
		if v.Held, err = tx.Held(); err != nil {
			return err
		}
		if v.Journal, err = tx.JournalPending(); err != nil {
			return err
		}
		for _, k := range snapshot.Kinds {
			c := kindCounts{Kind: k}
			if c.WooCommerce, err = tx.Count(snapshot.WooCommerce, k); err != nil {
				return err
			}
			if c.NexoPOS, err = tx.Count(snapshot.NexoPOS, k); err != nil {
				return err
			}
			links, err := tx.Links(k)
			if err != nil {
				return err
			}
			c.Linked = len(links)
			v.Records = append(v.Records, c)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	v.Cycles = nonNil(v.Cycles)
	v.Conflicts = nonNil(v.Conflicts)
	v.Held = nonNil(v.Held)
	v.Journal = nonNil(v.Journal)
	v.FirstSync = firstSync(v.Records, v.Drift, cfg, now)
	return v, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func cycleOf(r snapshot.Run) cycleView {
	c := cycleView{ID: r.ID, Started: r.Started, DurationSeconds: r.Finished.Sub(r.Started).Seconds(), Result: r.Result,
		Full: r.Full, WritesBy: r.Writes, Requests: r.Requests, Held: r.Held, Conflicts: r.Conflicts, Errors: r.Errors}
	for k, n := range r.Writes {
		if strings.HasSuffix(k, "/done") {
			c.Writes += n
		}
	}
	return c
}

// nexoRequestsPerWrite estimates the NexoPOS requests one create of kind
// takes: one request, and one more for a product's initial stock
// adjustment when that is on.
func nexoRequestsPerWrite(kind snapshot.Kind, cfg *config.Config) int {
	if kind == snapshot.KindProduct && cfg.Sync.Products.InitialStockToNexoPOS {
		return 2
	}
	return 1
}

// firstSync estimates how far the writes into NexoPOS are: per kind the
// linked records (done) and the last cycle's drift towards NexoPOS
// (remaining), and the time the remaining requests take at the configured
// budget. Nil when nothing remains.
func firstSync(records []kindCounts, drift map[string]int, cfg *config.Config, now time.Time) *syncProgress {
	p := &syncProgress{BudgetPerMinute: cfg.NexoPOS.BudgetPerMinute}
	for _, c := range records {
		left := drift[string(c.Kind)+"/"+string(snapshot.NexoPOS)]
		if left == 0 {
			continue
		}
		p.Kinds = append(p.Kinds, kindProgress{Kind: c.Kind, Done: c.Linked, Remaining: left})
		p.Remaining += left
		p.Requests += left * nexoRequestsPerWrite(c.Kind, cfg)
	}
	if p.Remaining == 0 || p.BudgetPerMinute <= 0 {
		return nil
	}
	eta := time.Duration(float64(p.Requests) / float64(p.BudgetPerMinute) * float64(time.Minute))
	p.ETASeconds = eta.Seconds()
	p.ETA = now.Add(eta).UTC().Truncate(time.Second)
	return p
}

// writeStatus prints v as readable tables.
func writeStatus(w io.Writer, v *statusView, now time.Time) error {
	switch v.Source {
	case "daemon":
		fmt.Fprintf(w, "Daemon running since %s; state file %s\n", v.Daemon.Started.Local().Format(time.DateTime), v.StateFile)
		if c := v.Daemon.Cycle; c != nil {
			fmt.Fprintf(w, "Cycle running since %s (full listing: %v)", c.Started.Local().Format(time.TimeOnly), c.Full)
			if c.Phase != "" {
				fmt.Fprintf(w, ": %s %d/%d, %.1f/s", c.Phase, c.Done, c.Total, c.Rate)
			}
			fmt.Fprintln(w)
		}
		if n := v.Daemon.NextCycle; n != nil {
			fmt.Fprintf(w, "Next cycle at %s", n.Local().Format(time.DateTime))
			if f := v.Daemon.NextFull; f != nil {
				fmt.Fprintf(w, "; next full listing at %s", f.Local().Format(time.DateTime))
			}
			fmt.Fprintln(w)
		}
	default:
		fmt.Fprintf(w, "State file %s (no daemon answered)\n", v.StateFile)
	}
	if v.LastSuccess != nil {
		fmt.Fprintf(w, "Last clean cycle: %s (%s ago)\n", v.LastSuccess.Local().Format(time.DateTime), now.Sub(*v.LastSuccess).Round(time.Second))
	} else {
		fmt.Fprintln(w, "Last clean cycle: none yet")
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	section := func(title string) { tw.Flush(); fmt.Fprintf(w, "\n%s\n", title) }

	section("Last cycles")
	fmt.Fprintln(tw, "CYCLE\tSTARTED\tRESULT\tDURATION\tWRITES\tREQUESTS\tHELD\tCONFLICTS")
	for _, c := range v.Cycles {
		full := ""
		if c.Full {
			full = " (full)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s%s\t%s\t%d\t%s\t%d\t%d\n", c.ID, c.Started.Local().Format(time.DateTime), c.Result, full,
			(time.Duration(c.DurationSeconds * float64(time.Second))).Round(time.Millisecond), c.Writes, requestsText(c.Requests), c.Held, c.Conflicts)
	}

	section("Drift after the last cycle (records the named side has not received yet)")
	if len(v.Drift) == 0 {
		fmt.Fprintln(tw, "none")
	} else {
		fmt.Fprintln(tw, "KIND\tSIDE\tRECORDS")
		for _, k := range sortedKeys(v.Drift) {
			kind, side, _ := strings.Cut(k, "/")
			fmt.Fprintf(tw, "%s\t%s\t%d\n", kind, side, v.Drift[k])
		}
	}

	section(fmt.Sprintf("Conflicts in the last cycle: %d", len(v.Conflicts)))
	if len(v.Conflicts) > 0 {
		fmt.Fprintln(tw, "KIND\tWOO ID\tNEXO ID\tFIELD\tWOOCOMMERCE\tNEXOPOS\tBASELINE\tRULE\tWINNER")
		for _, c := range v.Conflicts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%q\t%q\t%q\t%s\t%s\n", c.Kind, c.Woo, c.Nexo, c.Field, c.WooValue, c.NexoValue, c.BaseValue, c.Rule, c.Winner)
		}
	}

	section(fmt.Sprintf("Held records: %d", len(v.Held)))
	if len(v.Held) > 0 {
		fmt.Fprintln(tw, "SIDE\tKIND\tID\tCLASS\tREASON")
		for _, h := range v.Held {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", h.Side, h.Kind, h.ID, h.Class, h.Reason)
		}
	}

	section(fmt.Sprintf("Pending journal entries: %d", len(v.Journal)))
	if len(v.Journal) > 0 {
		fmt.Fprintln(tw, "SEQ\tKIND\tTARGET\tOP\tKEY\tSOURCE ID\tSENT\tATTEMPTS")
		for _, j := range v.Journal {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", j.Seq, j.Kind, j.Target, j.Op, j.Key, j.SourceID,
				j.Created.Local().Format(time.DateTime), j.Attempts)
		}
	}

	section("Records in the state file")
	fmt.Fprintln(tw, "KIND\tWOOCOMMERCE\tNEXOPOS\tLINKED")
	for _, c := range v.Records {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", c.Kind, c.WooCommerce, c.NexoPOS, c.Linked)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if p := v.FirstSync; p != nil {
		fmt.Fprintf(w, "\nWrites into NexoPOS still to do: %d records, about %d requests at %d a minute: about %s (around %s)\n",
			p.Remaining, p.Requests, p.BudgetPerMinute, (time.Duration(p.ETASeconds) * time.Second).Round(time.Minute),
			p.ETA.Local().Format(time.DateTime))
		for _, k := range p.Kinds {
			fmt.Fprintf(w, "  %-16s %d linked, %d to go (%.0f%%)\n", k.Kind, k.Done, k.Remaining, percent(k.Done, k.Done+k.Remaining))
		}
	}
	return nil
}

func percent(n, of int) float64 {
	if of == 0 {
		return 100
	}
	return 100 * float64(n) / float64(of)
}

func requestsText(r map[string]int) string {
	if len(r) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(r))
	for _, k := range sortedKeys(r) {
		parts = append(parts, fmt.Sprintf("%s %d", k, r[k]))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
