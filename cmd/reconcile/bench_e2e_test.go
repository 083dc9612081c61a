package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/woonexo/woonexo/reconcile"
)

// The end-to-end benchmark runs real cycles against both simulators on
// loopback, with latency injected in every request, and reports per case:
// requests per system (from the simulators' counters), wall time, peak
// memory of the reconcile process, and the lower bound the data imposes.
// Run it with
//
//	go test -run '^$' -bench E2E -benchtime 1x ./cmd/reconcile
//
// The simulators run in a helper process (see TestBenchShopServer) and
// each cycle is `reconcile --now` in a process of its own, so the peak
// memory is the reconcile process's alone (its peak resident set, from
// the child's rusage) and the requests include its start-up checks
// (WooCommerce system status and shipping methods, the NexoPOS user).
// WOONEXO_BENCH_INPROCESS=1 runs the simulators and the cycles in the
// benchmark's own process instead, for go test -cpuprofile/-memprofile;
// it reports the heap, which then holds both simulators too.
//
// Environment: WOONEXO_BENCH_LATENCY (default 20ms), WOONEXO_BENCH_PRODUCTS
// (default 10000; WOONEXO_BENCH_LARGE=1 makes it 100000 and skips case 1),
// WOONEXO_BENCH_CUSTOMERS (default products/5), WOONEXO_BENCH_ORDERS
// (default 2×products), WOONEXO_BENCH_CATEGORIES (default 300).
//
// Cases 3 and 4 continue from case 2's state, as a daemon would.

// The concurrency the lower bound divides by: WooCommerce's configured
// concurrency (default 4) for its reads and batches, the NexoPOS client's
// page concurrency for its reads, and one for NexoPOS writes, which go one
// at a time.
const (
	boundWooConc      = 4
	boundNexoReadConc = 4
	boundNexoWrite    = 1
	boundPerPage      = 100
)

func benchEnvInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		b.Fatalf("%s=%q: want a number", name, v)
	}
	return n
}

func benchSetup(b *testing.B) (benchShop, time.Duration, bool) {
	large := os.Getenv("WOONEXO_BENCH_LARGE") != ""
	def := 10000
	if large {
		def = 100000
	}
	shop := benchShop{products: benchEnvInt(b, "WOONEXO_BENCH_PRODUCTS", def)}
	shop.customers = benchEnvInt(b, "WOONEXO_BENCH_CUSTOMERS", shop.products/5)
	shop.pastOrders = benchEnvInt(b, "WOONEXO_BENCH_ORDERS", 2*shop.products)
	shop.categories = benchEnvInt(b, "WOONEXO_BENCH_CATEGORIES", 300)
	latency := 20 * time.Millisecond
	if v := os.Getenv("WOONEXO_BENCH_LATENCY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatalf("WOONEXO_BENCH_LATENCY=%q: %v", v, err)
		}
		latency = d
	}
	return shop, latency, large
}

// BenchmarkE2E is the end-to-end benchmark (see the file comment).
func BenchmarkE2E(b *testing.B) {
	shop, latency, large := benchSetup(b)
	b.Logf("shop: %s; latency %s a request; NexoPOS throttle off, client budget lifted", shop, latency)
	if !large {
		b.Run("1_first_sync_into_empty_woocommerce", func(b *testing.B) {
			e := newBenchEnv(b, shop, latency, false)
			e.measure(b, "1", shop.boundFirstSyncEmpty())
		})
	}
	var e *benchEnv
	parent := b
	b.Run("2_first_sync_link_only", func(b *testing.B) {
		e = newBenchEnv(parent, shop, latency, true) // cases 3 and 4 go on with it
		e.measure(b, "2", shop.boundFirstSyncLink())
	})
	if e == nil || b.Failed() {
		return
	}
	b.Run("3_cycle_nothing_changed", func(b *testing.B) {
		e.measure(b, "3", shop.boundUnchanged())
	})
	b.Run("4_cycle_1pct_changed_50_online_50_pos", func(b *testing.B) {
		if err := e.shop.change(context.Background()); err != nil {
			b.Fatal(err)
		}
		e.measure(b, "4", shop.boundChanged())
	})
	b.Run("5_cycle_after_changes", func(b *testing.B) {
		e.measure(b, "5", shop.boundUnchanged())
	})
}

// benchEnv is one seeded shop and one woonexo on it.
type benchEnv struct {
	latency time.Duration
	shop    benchShopControl
	// cycle runs one cycle: `reconcile --now` as a child process, or
	// (WOONEXO_BENCH_INPROCESS) a Run of a Reconciler in this process.
	cycle     func() (benchCycle, error)
	inProcess bool
}

// benchCycle is what one cycle did.
type benchCycle struct {
	Outcome string                          `json:"outcome"`
	Writes  map[string]int                  `json:"writes"`
	Plan    struct{ Ops []json.RawMessage } `json:"plan"`
	// The reconcile process's peak resident set and CPU time, user and
	// system (child process only).
	rssKB int64
	cpu   time.Duration
}

// benchShopControl is what the benchmark asks of the simulators.
type benchShopControl interface {
	counters() (benchCounters, error)
	resetCounters() error
	change(ctx context.Context) error
}

func newBenchEnv(b *testing.B, shop benchShop, latency time.Duration, wooToo bool) *benchEnv {
	b.Helper()
	start := time.Now()
	var e *benchEnv
	if os.Getenv("WOONEXO_BENCH_INPROCESS") != "" {
		e = newInProcessEnv(b, shop, latency, wooToo)
	} else {
		e = newChildEnv(b, shop, latency, wooToo)
	}
	b.Logf("seeded in %s", time.Since(start).Round(time.Millisecond))
	return e
}

// newChildEnv starts the simulators in a helper process (see
// TestBenchShopServer) and runs each cycle as `reconcile --now`.
func newChildEnv(b *testing.B, shop benchShop, latency time.Duration, wooToo bool) *benchEnv {
	b.Helper()
	dir := b.TempDir()
	spec, err := json.Marshal(benchServeSpec{Products: shop.products, Categories: shop.categories, Customers: shop.customers,
		PastOrders: shop.pastOrders, Latency: latency, WooToo: wooToo, Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	p, err := startShopProcess(string(spec))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(p.stop)
	cfgPath := filepath.Join(dir, "config.yaml")
	return &benchEnv{latency: latency, shop: p, cycle: func() (benchCycle, error) { return reconcileChild(dir, cfgPath) }}
}

// reconcileChild runs `reconcile --now --output json` and returns its
// report and peak resident set.
func reconcileChild(dir, cfgPath string) (benchCycle, error) {
	cmd := exec.Command(reconcileBin, "--now", "--output", "json", "--config", cfgPath)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var c benchCycle
	if ee, ok := err.(*exec.ExitError); ok && (ee.ExitCode() == exitDrift || ee.ExitCode() == exitRefused) {
		err = nil
	}
	if err != nil {
		return c, fmt.Errorf("reconcile --now: %v\n%s", err, stderr.Bytes())
	}
	if err := json.Unmarshal(stdout.Bytes(), &c); err != nil {
		return c, fmt.Errorf("reconcile --now: report: %v\n%s", err, stderr.Bytes())
	}
	c.rssKB = maxRSSKB(cmd.ProcessState)
	c.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return c, nil
}

// shopProcess is the helper process serving the seeded simulators.
type shopProcess struct {
	cmd   *exec.Cmd
	stdin io.Closer
	ctl   string
}

func startShopProcess(spec string) (*shopProcess, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchShopServer$", "-test.count=1", "-test.timeout=0")
	cmd.Env = append(os.Environ(), envBenchServe+"="+spec)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &shopProcess{cmd: cmd, stdin: stdin}
	sc := bufio.NewScanner(out)
	var said []string
	for sc.Scan() {
		if url, ok := strings.CutPrefix(sc.Text(), benchReadyPrefix); ok {
			p.ctl = url
			break
		}
		said = append(said, sc.Text())
	}
	if p.ctl == "" {
		p.stop()
		return nil, fmt.Errorf("shop process ended before serving:\n%s", strings.Join(said, "\n"))
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return p, nil
}

func (p *shopProcess) stop() {
	p.stdin.Close()
	_ = p.cmd.Wait()
}

func (p *shopProcess) post(path string) error {
	resp, err := http.Post(p.ctl+path, "text/plain", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %s", path, resp.Status, body)
	}
	return nil
}

func (p *shopProcess) counters() (benchCounters, error) {
	var c benchCounters
	resp, err := http.Get(p.ctl + "/counters")
	if err != nil {
		return c, err
	}
	defer resp.Body.Close()
	return c, json.NewDecoder(resp.Body).Decode(&c)
}

func (p *shopProcess) resetCounters() error         { return p.post("/reset") }
func (p *shopProcess) change(context.Context) error { return p.post("/change") }

// newInProcessEnv runs the simulators and the Reconciler in this process
// (for go test -cpuprofile and -memprofile; the heap then holds both
// simulators too).
func newInProcessEnv(b *testing.B, shop benchShop, latency time.Duration, wooToo bool) *benchEnv {
	b.Helper()
	s, err := seedBenchSims(shop, latency, wooToo)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	a, err := openApp(context.Background(), s.config(b.TempDir()), slog.New(slog.DiscardHandler), wiring{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	cycle := func() (benchCycle, error) {
		rep, err := a.rec.Run(context.Background(), reconcile.RunRequest{})
		c := benchCycle{Outcome: string(rep.Outcome), Writes: rep.Writes}
		c.Plan.Ops = make([]json.RawMessage, len(rep.Plan.Ops))
		return c, err
	}
	return &benchEnv{latency: latency, shop: inProcessShop{s, shop}, cycle: cycle, inProcess: true}
}

// inProcessShop is benchShopControl over simulators in this process.
type inProcessShop struct {
	s    *sims
	shop benchShop
}

func (p inProcessShop) counters() (benchCounters, error) {
	return benchCounters{WooCommerce: p.s.woo.Counters(), NexoPOS: p.s.nexo.Counters()}, nil
}

func (p inProcessShop) resetCounters() error {
	p.s.woo.ResetCounters()
	p.s.nexo.ResetCounters()
	return nil
}

func (p inProcessShop) change(ctx context.Context) error { return changeShop(ctx, p.s, p.shop) }

// bound is what the data needs at 100 items a page or batch.
type bound struct{ wooRead, wooWrite, nexoRead, nexoWrite int }

func pages(n int) int { return max(1, (n+boundPerPage-1)/boundPerPage) }

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func (bd bound) woo() int  { return bd.wooRead + bd.wooWrite }
func (bd bound) nexo() int { return bd.nexoRead + bd.nexoWrite }

// wall: both reads run at once, then WooCommerce batches, then NexoPOS
// writes one at a time.
func (bd bound) wall(latency time.Duration) time.Duration {
	steps := max(ceilDiv(bd.wooRead, boundWooConc), ceilDiv(bd.nexoRead, boundNexoReadConc)) +
		ceilDiv(bd.wooWrite, boundWooConc) + ceilDiv(bd.nexoWrite, boundNexoWrite)
	return time.Duration(steps) * latency
}

// nexoReadAll: NexoPOS has no change filter, so every cycle lists
// products with their stock, categories, customers and payment types; one
// page of orders (newest first) finds the new ones.
func (s benchShop) nexoReadAll() int {
	return pages(s.products) + pages(s.categories) + pages(s.customers) + 1 + 1
}

func (s benchShop) categoryBatches() int {
	r := s.roots()
	return pages(r) + pages(s.categories-r)
}

func (s benchShop) boundFirstSyncEmpty() bound {
	return bound{wooRead: 5, wooWrite: s.categoryBatches() + pages(s.products) + pages(s.customers), nexoRead: s.nexoReadAll()}
}

func (s benchShop) boundFirstSyncLink() bound {
	return bound{wooRead: pages(s.wooCategories()) + pages(s.products) + pages(s.customers) + 1 + 1, nexoRead: s.nexoReadAll()}
}

func (s benchShop) boundUnchanged() bound {
	return bound{wooRead: 1 + 1 + pages(s.wooCategories()) + 1 + 1, nexoRead: s.nexoReadAll()}
}

// wooCategories counts WooCommerce's own "Uncategorized" too.
func (s benchShop) wooCategories() int { return s.categories + 1 }

// boundChanged: 1% renamed on each side travels to the other (one batch
// on WooCommerce, one request each on NexoPOS); 50 online orders become 50
// NexoPOS orders (their customers looked up in one request), 50 POS sales
// one WooCommerce batch, each read in detail first (no NexoPOS listing
// carries order lines); the stock of the products both moved is read
// fresh and set in one batch.
func (s benchShop) boundChanged() bound {
	c := max(1, s.products/100)
	b := s.boundUnchanged()
	b.wooRead += pages(c) - 1 + 1
	b.wooWrite = pages(c) + pages(50) + pages(100)
	b.nexoRead += pages(100) + 50
	b.nexoWrite = c + 50
	return b
}

// heapPeak samples the heap's object bytes (runtime/metrics
// /memory/classes/heap/objects:bytes, what HeapAlloc reports) every 5 ms.
type heapPeak struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startHeapPeak() *heapPeak {
	h := &heapPeak{stop: make(chan struct{})}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			h.peak = max(h.peak, heapObjects())
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapPeak) end() uint64 {
	close(h.stop)
	h.done.Wait()
	return max(h.peak, heapObjects())
}

// measure runs a cycle once (b.N times for a repeatable case) and
// reports.
func (e *benchEnv) measure(b *testing.B, name string, bd bound) {
	var base uint64
	var hp *heapPeak
	if e.inProcess {
		runtime.GC()
		base = heapObjects()
		hp = startHeapPeak()
	}
	if err := e.shop.resetCounters(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	var last benchCycle
	var rssKB int64
	var cpu time.Duration
	for range b.N {
		c, err := e.cycle()
		if err != nil {
			b.Fatal(err)
		}
		last, rssKB, cpu = c, max(rssKB, c.rssKB), cpu+c.cpu
	}
	cpu /= time.Duration(b.N)
	wall := time.Since(start) / time.Duration(b.N)
	b.StopTimer()
	counters, err := e.shop.counters()
	if err != nil {
		b.Fatal(err)
	}
	wooReq, wooW := split(counters.WooCommerce, nil)
	nexoReq, nexoW := split(counters.NexoPOS, map[string]bool{"POST /api/products/search": true, "POST /api/customers/search": true})
	wooReq, wooW, nexoReq, nexoW = wooReq/b.N, wooW/b.N, nexoReq/b.N, nexoW/b.N
	lb := bd.wall(e.latency)
	b.ReportMetric(float64(wooReq), "woo-req")
	b.ReportMetric(float64(wooW), "woo-writes")
	b.ReportMetric(float64(nexoReq), "nexo-req")
	b.ReportMetric(float64(nexoW), "nexo-writes")
	b.ReportMetric(wall.Seconds(), "wall-s")
	var mem string
	if e.inProcess {
		peak := hp.end()
		b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
		b.ReportMetric(float64(peak-min(peak, base))/1e6, "cycle-heap-MB")
		mem = fmt.Sprintf("heap peak %.0f MB with both simulators (+%.0f MB over %.0f MB before)",
			float64(peak)/1e6, float64(peak-min(peak, base))/1e6, float64(base)/1e6)
	} else {
		b.ReportMetric(float64(rssKB)/1024, "reconcile-rss-MB")
		b.ReportMetric(cpu.Seconds(), "reconcile-cpu-s")
		mem = fmt.Sprintf("reconcile peak RSS %.0f MB, CPU %s", float64(rssKB)/1024, cpu.Round(10*time.Millisecond))
	}
	b.ReportMetric(float64(bd.woo()), "bound-woo-req")
	b.ReportMetric(float64(bd.nexo()), "bound-nexo-req")
	b.ReportMetric(lb.Seconds(), "bound-s")
	b.Logf("case %s: requests woo %d (writes %d) nexo %d (writes %d); wall %s; %s; "+
		"bound woo %d nexo %d requests, %s (requests ×%.2f, wall ×%.2f); NexoPOS at 60/min: %.1f min; outcome %s, %d ops",
		name, wooReq, wooW, nexoReq, nexoW, wall.Round(time.Millisecond), mem,
		bd.woo(), bd.nexo(), lb, float64(wooReq+nexoReq)/float64(bd.woo()+bd.nexo()),
		wall.Seconds()/lb.Seconds(), float64(nexoReq)/60, last.Outcome, len(last.Plan.Ops))
	if os.Getenv("WOONEXO_BENCH_ROUTES") != "" {
		b.Logf("woocommerce routes: %v", counters.WooCommerce)
		b.Logf("nexopos routes: %v", counters.NexoPOS)
		b.Logf("writes: %v", last.Writes)
	}
}

// split totals a simulator's counters and the writes among them: methods
// other than GET and HEAD, except the searches named in reads.
func split(counters map[string]int, reads map[string]bool) (total, writes int) {
	for k, n := range counters {
		total += n
		method, _, _ := strings.Cut(k, " ")
		if method != "GET" && method != "HEAD" && !reads[k] {
			writes += n
		}
	}
	return total, writes
}
