package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/reconcile"
	"github.com/woonexo/woonexo/reconcile/threeway"
)

// phase is a part of the cycle a fault is aimed at: the changes made
// before the faulted cycle give it work, and the fault's route and method
// select its requests.
type phase string

const (
	phaseSnapshot phase = "snapshot"
	phaseCreates  phase = "creates"
	phaseUpdates  phase = "updates"
	phaseOrders   phase = "orders"
	phaseStock    phase = "stock"
)

var phases = []phase{phaseSnapshot, phaseCreates, phaseUpdates, phaseOrders, phaseStock}

// work makes the changes that give the phase its work.
func (p phase) work(mk shopMaker, tag string) {
	switch p {
	case phaseCreates:
		mk.creates(tag)
	case phaseUpdates:
		mk.updates(tag, 0)
	case phaseOrders:
		mk.orders(tag)
	case phaseStock:
		mk.stock(tag)
	default:
		mk.creates(tag)
		mk.updates(tag, 1)
		mk.orders(tag)
		mk.stock(tag)
	}
}

// faultRoute is, per system and phase, the route and method (in the
// simulator's fault grammar) of the phase's requests, and whether the
// first of them may be repeated safely (reads, updates) or may create a
// record (creates, orders, stock adjustments).
type faultRoute struct {
	routes []string // each "route:METHOD"
	safe   bool
}

var faultRoutes = map[string]map[phase]faultRoute{
	"woocommerce": {
		phaseSnapshot: {[]string{"*:GET"}, true},
		phaseCreates:  {[]string{"batch:POST"}, false},
		phaseUpdates:  {[]string{"batch:POST"}, true},
		phaseOrders:   {[]string{"orders:POST"}, false},
		phaseStock:    {[]string{"products:POST"}, true},
	},
	"nexopos": {
		phaseSnapshot: {[]string{"*:GET"}, true},
		phaseCreates:  {[]string{"*:POST"}, false},
		phaseUpdates:  {[]string{"*:PUT"}, true},
		phaseOrders:   {[]string{"/api/orders:POST"}, false},
		phaseStock:    {[]string{"/api/products/adjustments:POST", "/api/products/{id}/units:GET"}, false},
	},
}

// faultAction is one thing a simulator can do to a request, as its
// ParseFaults grammar spells it for one hit and for every hit.
type faultAction struct {
	name        string
	once, every string
	kind        faultKind
	writesOnly  bool // meaningful only on writes (batch item errors, business refusals)
}

// faultKind says what the client can make of a fault.
type faultKind int

const (
	kindSlow      faultKind = iota // served late: nothing fails
	kindThrottled                  // refused before any work: always retried
	kindTransient                  // may or may not have been done: retried when safe
	kindRefused                    // the server refused the write: never retried
)

var wooActions = []faultAction{
	{"latency", "latency=150msx1", "latency=50ms", kindSlow, false},
	{"429", "429=1x1", "429=1", kindThrottled, false},
	{"500", "500x1", "500", kindTransient, false},
	{"502", "502x1", "502", kindTransient, false},
	{"503", "503=1x1", "503=1", kindTransient, false},
	{"hang", "hangx1", "hang", kindTransient, false},
	{"reset", "resetx1", "reset", kindTransient, false},
	{"truncate", "truncatex1", "truncate", kindTransient, false},
	{"malformed", "malformedx1", "malformed", kindTransient, false},
	{"item_error", "item_errorx1", "item_error", kindTransient, true},
}

var nexoActions = []faultAction{
	{"slow", "slow/150ms", "slow/50msx*", kindSlow, false},
	{"429", "429/1s", "429/1sx*", kindThrottled, false},
	{"throttle", "throttle", "throttlex*", kindThrottled, false},
	{"500", "500", "500x*", kindTransient, false},
	{"502", "502", "502x*", kindTransient, false},
	{"503", "503", "503x*", kindTransient, false},
	{"hang", "hang", "hangx*", kindTransient, false},
	{"reset", "reset", "resetx*", kindTransient, false},
	{"truncate", "truncate", "truncatex*", kindTransient, false},
	{"malformed", "malformed", "malformedx*", kindTransient, false},
	{"stock", "stock", "stockx*", kindRefused, true},
	{"sku", "sku", "skux*", kindRefused, true},
}

// faultCase is one row of the matrix.
type faultCase struct {
	system string
	phase  phase
	action faultAction
	every  bool   // every matching request of the cycle, not only the first
	spec   string // the faults, in the simulator's grammar
	want   reconcile.Outcome
}

func (c faultCase) name() string {
	hits := "once"
	if c.every {
		hits = "every"
	}
	return fmt.Sprintf("%s/%s/%s/%s", c.system, c.phase, c.action.name, hits)
}

// expect is the outcome a faulted cycle must end with: a fault the client
// may retry (a read or an update, or any request refused before it was
// processed) is absorbed when it hits once; a fault on a create that may
// have been processed, a refusal, or a fault on every request fails the
// cycle cleanly (exit 1), and the journal settles the create next time.
func expect(a faultAction, safe, every bool) reconcile.Outcome {
	switch {
	case a.kind == kindSlow:
		return reconcile.OutcomeClean
	case every, a.kind == kindRefused:
		return reconcile.OutcomeFailed
	case a.kind == kindThrottled:
		return reconcile.OutcomeClean
	case a.name == "item_error": // per item: the batch request succeeded
		return reconcile.OutcomeFailed
	case safe:
		return reconcile.OutcomeClean
	}
	return reconcile.OutcomeFailed
}

// everyActions are the actions also injected on every matching request.
var everyActions = map[string]bool{"latency": true, "slow": true, "503": true, "truncate": true, "item_error": true,
	"500": true, "throttle": true, "malformed": true, "reset": true}

func faultCases() []faultCase {
	var out []faultCase
	for _, system := range []string{"woocommerce", "nexopos"} {
		actions := wooActions
		if system == "nexopos" {
			actions = nexoActions
		}
		for _, ph := range phases {
			rt := faultRoutes[system][ph]
			for _, a := range actions {
				if a.writesOnly && ph == phaseSnapshot {
					continue
				}
				for _, every := range []bool{false, true} {
					if every && !everyActions[a.name] {
						continue
					}
					action := a.once
					if every {
						action = a.every
					}
					var specs []string
					for _, r := range rt.routes {
						specs = append(specs, r+":"+action)
					}
					out = append(out, faultCase{system: system, phase: ph, action: a, every: every,
						spec: strings.Join(specs, ","), want: expect(a, rt.safe, every)})
				}
			}
		}
	}
	return out
}

// matrixWorkers is how many rows of the fault matrix run at once.
const matrixWorkers = 4

var outcomeExit = map[reconcile.Outcome]int{reconcile.OutcomeClean: 0, reconcile.OutcomeFailed: 1,
	reconcile.OutcomeRefused: 3, reconcile.OutcomeDrift: 4}

// TestFaultMatrix injects every fault the simulators offer into every
// phase of a cycle (once, and for the common faults on every matching
// request) and checks that the cycle completes or fails cleanly with the
// right outcome, exit code and cycles_total metric, that the invariants
// hold after it, and that once the faults stop the next cycle ends clean
// and a further one plans nothing.
func TestFaultMatrix(t *testing.T) {
	cases := faultCases()
	start := time.Now()
	var ran, fired, cycles, failed atomic.Int64
	// The rows mostly wait (on timeouts, retries, loopback I/O): run a few
	// at once whatever -parallel says (t.Run may be called concurrently).
	next := make(chan faultCase)
	var wg sync.WaitGroup
	for range matrixWorkers {
		wg.Go(func() {
			for c := range next {
				t.Run(c.name(), func(t *testing.T) {
					ran.Add(1)
					n, k := runFaultCase(t, c)
					fired.Add(int64(n))
					cycles.Add(int64(k))
					if t.Failed() {
						failed.Add(1)
					}
				})
			}
		})
	}
	for _, c := range cases {
		next <- c
	}
	close(next)
	wg.Wait()
	t.Cleanup(func() {
		t.Logf("fault matrix: %d cases, %d faulted requests, %d cycles, %d cases with violations, %s",
			ran.Load(), fired.Load(), cycles.Load(), failed.Load(), time.Since(start).Round(time.Millisecond))
	})
}

// runFaultCase runs one row; it returns the faults that fired and the
// cycles run.
func runFaultCase(t *testing.T, c faultCase) (fired, cycles int) {
	sh := newE2EShop(t, 0, nil)
	rig := newFaultRig(t, sh)
	mk := shopMaker{t: t, sh: sh}
	mk.seedBase()
	if rep, _ := rig.cycle(); rep.Outcome != reconcile.OutcomeClean {
		t.Fatalf("first sync: %s %v %v", rep.Outcome, rep.Errors, failedResults(rep))
	}
	if v := violations(sh, nil, nil, true); len(v) > 0 {
		t.Fatalf("after the first sync:\n%s", strings.Join(v, "\n"))
	}
	c.phase.work(mk, "f")
	before := takeCensus(sh)

	if c.action.name == "hang" {
		rig.open(hangTimeout)
	}
	if err := setFaults(sh, c); err != nil {
		t.Fatal(err)
	}
	rep, code := rig.cycle()
	fired = faultsFired(sh, c.system)
	if c.action.name == "hang" {
		rig.open(clientTimeout)
	}
	t.Logf("%s %q: %s, exit %d, %d faulted requests", c.system, c.spec, rep.Outcome, code, fired)
	sh.s.woo.ClearFaults()
	sh.s.nexo.SetFaults(nil)
	cycles = 1
	if fired == 0 {
		t.Errorf("fault %q never fired", c.spec)
	}
	if rep.Outcome != c.want || code != outcomeExit[c.want] {
		t.Errorf("faulted cycle: outcome %s, exit %d; want %s, exit %d\nerrors: %v\nfailed: %v",
			rep.Outcome, code, c.want, outcomeExit[c.want], rep.Errors, failedResults(rep))
	}
	if got := rig.metric("woonexo_cycles_total", map[string]string{"result": string(c.want)}); got != 2-boolInt(c.want != reconcile.OutcomeClean) {
		t.Errorf("woonexo_cycles_total{result=%q} = %v after the faulted cycle", c.want, got)
	}
	// Go's transport replays an idempotent request itself when a reused
	// connection breaks before the answer: a reset read may pass unseen.
	transportRetried := c.action.name == "reset" && c.phase == phaseSnapshot
	if c.want == reconcile.OutcomeClean && c.action.kind != kindSlow && !transportRetried {
		if got := rig.metric("woonexo_api_retries_total", map[string]string{"system": c.system}); got == 0 {
			t.Errorf("the fault was absorbed without a retry counted for %s", c.system)
		}
	}
	if c.want == reconcile.OutcomeFailed && len(rep.ReadFailures) == 0 && len(rep.Errors) == 0 &&
		rig.metric("woonexo_writes_total", map[string]string{"result": "failed"}) == 0 {
		t.Errorf("a failed cycle without a read failure, an error or a failed write in the metrics")
	}
	plans := []threeway.Plan{rep.Plan}
	for _, v := range violations(sh, before, plannedDeletes(plans...), rep.Outcome == reconcile.OutcomeClean) {
		t.Errorf("after the faulted cycle: %s", v)
	}

	// The faults have stopped: the next cycle ends clean, a further one
	// plans nothing.
	rep2, code2 := rig.cycle()
	cycles++
	plans = append(plans, rep2.Plan)
	if rep2.Outcome != reconcile.OutcomeClean || code2 != exitClean {
		t.Errorf("cycle after the faults: outcome %s, exit %d\nerrors: %v\nfailed: %v", rep2.Outcome, code2, rep2.Errors, failedResults(rep2))
	}
	if p := rig.dryPlan(); len(p.Ops) > 0 || len(p.Held) > 0 || len(p.Refusals) > 0 {
		t.Errorf("a further cycle still plans %d ops, %d held, %d refusals: %+v", len(p.Ops), len(p.Held), len(p.Refusals), opKeys(p))
	}
	cycles++
	for _, v := range violations(sh, before, plannedDeletes(plans...), true) {
		t.Errorf("after convergence: %s", v)
	}
	return fired, cycles
}

func boolInt(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func setFaults(sh *e2eShop, c faultCase) error {
	if c.system == "woocommerce" {
		f, err := wcsim.ParseFaults(c.spec)
		if err != nil {
			return err
		}
		sh.s.woo.SetFaults(f)
		return nil
	}
	f, err := nexosim.ParseFaults(c.spec)
	if err != nil {
		return err
	}
	sh.s.nexo.SetFaults(f)
	return nil
}

func faultsFired(sh *e2eShop, system string) int {
	if system == "woocommerce" {
		return sh.s.woo.FaultsFired()
	}
	return sh.s.nexo.FaultsFired()
}

func failedResults(rep *reconcile.Report) []string {
	var out []string
	for _, r := range rep.Results {
		if r.Status != reconcile.StatusDone {
			out = append(out, fmt.Sprintf("%s %s %s %s: %s %s", r.Kind, r.Action, r.Target, r.Key, r.Status, r.Error))
		}
	}
	for side, kinds := range rep.ReadFailures {
		for k, why := range kinds {
			out = append(out, fmt.Sprintf("read %s %s: %s", side, k, why))
		}
	}
	return out
}

func opKeys(p threeway.Plan) []string {
	var out []string
	for _, op := range p.Ops {
		out = append(out, fmt.Sprintf("%s %s %s %s (%s)", op.Kind, op.Action, op.Target, op.Key, op.Reason))
	}
	return out
}

// TestChaosCrashLoop is `make chaos`: one shop, changed every iteration on
// both sides (new categories, products and customers; edits of each;
// online orders and POS sales, a cancelled online order and a voided POS
// sale; stock adjustments and a WooCommerce stock edit), synced by
// `reconcile --now` runs killed with SIGKILL at random moments, then run
// to completion. After every kill no record may exist twice and none may
// be missing; after completion every invariant holds and a further cycle
// plans nothing. CHAOS_ITERATIONS sets the iterations (default 3),
// CHAOS_SEED the random seed (default 1).
func TestChaosCrashLoop(t *testing.T) {
	iterations := 3
	if v := os.Getenv("CHAOS_ITERATIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("CHAOS_ITERATIONS=%q is not a positive number", v)
		}
		iterations = n
	}
	seed := uint64(1)
	if v := os.Getenv("CHAOS_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("CHAOS_SEED=%q: %v", v, err)
		}
		seed = n
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	sh := newE2EShop(t, 3*time.Millisecond, nil)
	mk := shopMaker{t: t, sh: sh}
	mk.seedBase()
	start := time.Now()
	sh.cycle(exitClean)
	// Kills land within the time a run takes: the window grows while
	// every run is killed, and a run that ends before its kill sets it to
	// how long that run took.
	span := time.Since(start)
	var kills, early, found int
	report := func(where string, vs []string) {
		for _, v := range vs {
			found++
			t.Errorf("%s: %s", where, v)
		}
	}
	began := time.Now()
	for it := 1; it <= iterations; it++ {
		tag := fmt.Sprintf("c%d", it)
		mk.creates(tag)
		mk.updates(tag, it)
		mk.orders(tag)
		mk.stock(tag)
		before := takeCensus(sh)
		for k := 0; k < 1+rng.IntN(3); k++ {
			killed, took := sh.killAfter(time.Duration(rng.Int64N(int64(span))))
			if killed {
				kills++
				span += span / 4
			} else {
				early++
				span = max(took, 10*time.Millisecond)
			}
			report(fmt.Sprintf("iteration %d, after kill %d", it, k+1), violations(sh, before, nil, false))
		}
		sh.runToCompletion()
		t.Logf("iteration %d: span %s; products %d/%d, customers %d/%d, orders %d/%d", it, span.Round(time.Millisecond),
			len(sh.s.woo.Products()), len(sh.s.nexo.Products()), len(sh.s.woo.Customers()), len(sh.s.nexo.Customers()),
			len(sh.s.woo.Orders()), len(sh.s.nexo.Orders()))
		report(fmt.Sprintf("iteration %d, after completion", it), violations(sh, before, nil, true))
		sh.settled()
		if t.Failed() {
			break
		}
	}
	t.Logf("chaos: seed %d, %d iterations, %d runs killed, %d ended before their kill, %d violations, %s",
		seed, iterations, kills, early, found, time.Since(began).Round(time.Millisecond))
}

// killAfter starts `reconcile --now` and kills it with SIGKILL after d. It
// reports whether the kill hit a running process, and how long the run
// took when it ended on its own.
func (sh *e2eShop) killAfter(d time.Duration) (bool, time.Duration) {
	sh.t.Helper()
	cmd := sh.command(context.Background(), "--now")
	start := time.Now()
	if err := cmd.Start(); err != nil {
		sh.t.Fatal(err)
	}
	timer := time.AfterFunc(d, func() { _ = cmd.Process.Kill() })
	err := cmd.Wait()
	took := time.Since(start)
	timer.Stop()
	if ee, ok := err.(*exec.ExitError); ok && !ee.Exited() {
		return true, took
	}
	return false, took
}
