package reconcile

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
)

// Options configure a Reconciler.
type Options struct {
	Policy threeway.Policy
	// Form is the canonical form (the store's price precision).
	Form snapshot.Form
	// History is how many cycle records the state file keeps (default 200).
	History int
	// OrderLookback bounds the search for an order whose create had an
	// unknown outcome (default 48h before the journal entry).
	OrderLookback time.Duration
	// PastOrdersWindow is how far before the first sync orders are still
	// followed (default 24h); older ones are the shop's history.
	PastOrdersWindow time.Duration
	Logger           *slog.Logger
	// Clock returns the current time (default time.Now).
	Clock func() time.Time
	// Progress, when set, is told how each phase advances.
	Progress func(phase string, done, total int)
	// Requests, when set, returns the requests sent so far per system; each
	// cycle records its own share in Report.Requests and the run history.
	Requests func() map[string]int
}

// RunRequest says how to run one cycle.
type RunRequest struct {
	// DryRun plans and reports, writing nothing anywhere (neither system nor
	// the state file).
	DryRun bool
	// Full forces complete listings of every kind (they confirm deletions).
	Full bool
	// ForceDeletions lets deletions above the safety bound through for this
	// run.
	ForceDeletions bool
	// FullDue, when set, is asked with the time of the last full listing;
	// true makes this cycle a full one (a one-shot run on a full-listing
	// schedule).
	FullDue func(last time.Time) bool
}

// Reconciler runs cycles between WooCommerce and NexoPOS.
type Reconciler struct {
	woo, nexo System
	stock     StockReader
	state     State
	opts      Options
	log       *slog.Logger
}

// New returns a Reconciler over the two systems and the state file.
func New(woo, nexo System, stock StockReader, state State, opts Options) *Reconciler {
	if opts.History <= 0 {
		opts.History = 200
	}
	if opts.OrderLookback <= 0 {
		opts.OrderLookback = 48 * time.Hour
	}
	if opts.PastOrdersWindow <= 0 {
		opts.PastOrdersWindow = defaultPastOrdersWindow
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Reconciler{woo: woo, nexo: nexo, stock: stock, state: state, opts: opts, log: opts.Logger}
}

func (r *Reconciler) now() time.Time { return r.opts.Clock().UTC() }

func (r *Reconciler) progress(phase string, done, total int) {
	if r.opts.Progress != nil {
		r.opts.Progress(phase, done, total)
	}
}

func (r *Reconciler) system(side snapshot.Side) System {
	if side == snapshot.WooCommerce {
		return r.woo
	}
	return r.nexo
}

// Run runs one cycle: resolve journaled creates, snapshot both sides,
// persist, link, diff, check safety, apply, record. The error is non-nil
// only when the cycle could not run at all (the state file failed, or a
// journaled create could not be checked); everything else is in the
// report's outcome.
func (r *Reconciler) Run(ctx context.Context, req RunRequest) (rep *Report, err error) {
	rep = &Report{RunID: newRunID(), Started: r.now(), DryRun: req.DryRun}
	log := r.log.With("cycle", rep.RunID)
	var before map[string]int
	if r.opts.Requests != nil {
		before = r.opts.Requests()
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("cycle %s: internal error: %v", rep.RunID, p)
		}
		rep.Finished = r.now()
		rep.Requests = requestsSince(r.opts.Requests, before)
		rep.Outcome = rep.classify()
		if err != nil {
			rep.Outcome = OutcomeFailed
			rep.Errors = append(rep.Errors, err.Error())
		}
		if !req.DryRun {
			if rerr := r.record(rep); rerr != nil && err == nil {
				err = rerr
			}
		}
	}()

	var unresolved map[string]error
	if !req.DryRun {
		if unresolved, err = r.resolveJournal(ctx, rep, log); err != nil {
			return rep, err
		}
	}
	cur, err := r.readBoth(ctx, req, rep)
	if err != nil {
		return rep, err
	}
	in, err := r.input(cur, req)
	if err != nil {
		return rep, err
	}
	rep.Plan = threeway.Build(in)
	if req.DryRun {
		return rep, nil
	}
	if err := r.persist(cur, rep); err != nil {
		return rep, err
	}
	a := newApplier(r, rep, cur, in, log)
	a.unresolved = unresolved
	if err := a.apply(ctx); err != nil {
		return rep, err
	}
	log.Info("cycle finished", "full", rep.Full, "ops", len(rep.Plan.Ops), "held", len(rep.Plan.Held),
		"conflicts", len(rep.Plan.Conflicts), "refusals", len(rep.Plan.Refusals))
	return rep, nil
}

func newRunID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
