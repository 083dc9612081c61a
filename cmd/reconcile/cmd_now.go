package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/reconcile"
	"github.com/woonexo/woonexo/snapshot/store"
)

// cmdNow runs one cycle and returns its exit code: exitClean, exitDrift,
// exitRefused or exitFailed. With e.flags.dryRun it prints the plan in
// e.flags.output and writes nothing; e.flags.forceDeletions lifts the
// deletion limits for this run.
func cmdNow(ctx context.Context, e *env) int {
	cfg := *e.config
	if e.flags.dryRun {
		path, cleanup, err := dryRunState(cfg.State.Path)
		if err != nil {
			fmt.Fprintf(e.stderr, "reconcile: %v\n", err)
			return exitFailed
		}
		defer cleanup()
		cfg.State.Path = path
	}
	prog := newProgress(e)
	defer prog.finish()
	a, err := openApp(ctx, &cfg, e.logger, wiring{readOnly: e.flags.dryRun, progress: prog.update})
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: %v\n", err)
		return exitFailed
	}
	defer a.Close()
	return runCycle(ctx, e, a, cfg.Schedule.CycleTimeout)
}

// runCycle runs one cycle of a and prints its report.
func runCycle(ctx context.Context, e *env, a *app, timeout time.Duration) int {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	req := reconcile.RunRequest{DryRun: e.flags.dryRun, Full: e.flags.full, ForceDeletions: e.flags.forceDeletions}
	if e.config != nil {
		req.FullDue = fullListingDue(e.config.Schedule, time.Now())
	}
	rep, err := a.rec.Run(ctx, req)
	if err != nil {
		e.logger.Error("cycle failed", "err", err)
	}
	if perr := printReport(e, rep); perr != nil {
		fmt.Fprintf(e.stderr, "reconcile: %v\n", perr)
	}
	return exitCode(rep.Outcome)
}

// fullListingDue says whether schedule.full_listing fired since the last
// full listing, so a one-shot run (cron, Kubernetes CronJob) confirms
// deletions on the same schedule as the daemon.
func fullListingDue(s config.Schedule, now time.Time) func(time.Time) bool {
	loc, err := s.Location()
	if err != nil {
		return nil
	}
	sched, err := cron.ParseStandard(s.FullListing)
	if err != nil {
		return nil
	}
	return func(last time.Time) bool { return !sched.Next(last.In(loc)).After(now) }
}

// dryRunState returns a state file a dry run may open read-only: the real
// one when it exists, else an empty one in a temporary directory (a dry
// run never creates the real one).
func dryRunState(path string) (string, func(), error) {
	if _, err := os.Stat(path); err == nil {
		return path, func() {}, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", nil, fmt.Errorf("state file: %w", err)
	}
	dir, err := os.MkdirTemp("", "woonexo-dry-run-")
	if err != nil {
		return "", nil, err
	}
	tmp := filepath.Join(dir, "state.db")
	s, err := store.Open(tmp, store.Options{})
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	s.Close()
	return tmp, func() { os.RemoveAll(dir) }, nil
}

func exitCode(o reconcile.Outcome) int {
	switch o {
	case reconcile.OutcomeClean:
		return exitClean
	case reconcile.OutcomeDrift:
		return exitDrift
	case reconcile.OutcomeRefused:
		return exitRefused
	}
	return exitFailed
}

// printReport writes the cycle's report: for a dry run the plan, else what
// was done; as a table or as JSON.
func printReport(e *env, rep *reconcile.Report) error {
	if e.flags.output == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if e.flags.dryRun {
			return enc.Encode(rep.Plan)
		}
		return enc.Encode(rep)
	}
	if err := rep.Plan.WriteTable(e.stdout); err != nil {
		return err
	}
	if e.flags.dryRun {
		fmt.Fprintf(e.stdout, "\nDry run: nothing was written.\n")
		return nil
	}
	return writeResults(e.stdout, rep)
}
