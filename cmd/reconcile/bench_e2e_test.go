package main

import (
	"context"
	"log/slog"
	"os"
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
// heap, and the lower bound the data imposes. Run it with
//
//	go test -run '^$' -bench E2E -benchtime 1x ./cmd/reconcile
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
			e.measure(b, "1", shop.boundFirstSyncEmpty(), e.cycle)
		})
	}
	var e *benchEnv
	parent := b
	b.Run("2_first_sync_link_only", func(b *testing.B) {
		e = newBenchEnv(parent, shop, latency, true) // cases 3 and 4 go on with it
		e.measure(b, "2", shop.boundFirstSyncLink(), e.cycle)
	})
	if e == nil || b.Failed() {
		return
	}
	b.Run("3_cycle_nothing_changed", func(b *testing.B) {
		e.measure(b, "3", shop.boundUnchanged(), e.cycle)
	})
	b.Run("4_cycle_1pct_changed_50_online_50_pos", func(b *testing.B) {
		if err := changeShop(context.Background(), e.sims, shop); err != nil {
			b.Fatal(err)
		}
		e.measure(b, "4", shop.boundChanged(), e.cycle)
	})
	b.Run("5_cycle_after_changes", func(b *testing.B) {
		e.measure(b, "5", shop.boundUnchanged(), e.cycle)
	})
}

// benchEnv is one pair of seeded simulators and one woonexo on them.
type benchEnv struct {
	sims    *sims
	app     *app
	latency time.Duration
	last    *reconcile.Report
}

func newBenchEnv(b *testing.B, shop benchShop, latency time.Duration, wooToo bool) *benchEnv {
	b.Helper()
	clk := &benchClock{}
	clk.set(time.Now().Add(-60 * 24 * time.Hour)) // the shop's past
	s, err := startBenchSims(latency, clk)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	start := time.Now()
	if err := seedNexo(s.nexo, shop); err != nil {
		b.Fatal(err)
	}
	if wooToo {
		seedWoo(s.woo, shop, nexoStock(s.nexo))
	}
	clk.set(time.Time{}) // real time from here on
	b.Logf("seeded in %s", time.Since(start).Round(time.Millisecond))
	a, err := openApp(context.Background(), s.config(b.TempDir()), slog.New(slog.DiscardHandler), wiring{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	return &benchEnv{sims: s, app: a, latency: latency}
}

func (e *benchEnv) cycle() error {
	rep, err := e.app.rec.Run(context.Background(), reconcile.RunRequest{})
	e.last = rep
	return err
}

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

// measure runs f once (b.N times for a repeatable case) and reports.
func (e *benchEnv) measure(b *testing.B, name string, bd bound, f func() error) {
	runtime.GC()
	base := heapObjects()
	e.sims.woo.ResetCounters()
	e.sims.nexo.ResetCounters()
	hp := startHeapPeak()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
	wall := time.Since(start) / time.Duration(b.N)
	b.StopTimer()
	peak := hp.end()
	wooReq, wooW := split(e.sims.woo.Counters(), nil)
	nexoReq, nexoW := split(e.sims.nexo.Counters(), map[string]bool{"POST /api/products/search": true, "POST /api/customers/search": true})
	wooReq, wooW, nexoReq, nexoW = wooReq/b.N, wooW/b.N, nexoReq/b.N, nexoW/b.N
	lb := bd.wall(e.latency)
	b.ReportMetric(float64(wooReq), "woo-req")
	b.ReportMetric(float64(wooW), "woo-writes")
	b.ReportMetric(float64(nexoReq), "nexo-req")
	b.ReportMetric(float64(nexoW), "nexo-writes")
	b.ReportMetric(wall.Seconds(), "wall-s")
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(peak-min(peak, base))/1e6, "cycle-heap-MB")
	b.ReportMetric(float64(bd.woo()), "bound-woo-req")
	b.ReportMetric(float64(bd.nexo()), "bound-nexo-req")
	b.ReportMetric(lb.Seconds(), "bound-s")
	b.Logf("case %s: requests woo %d (writes %d) nexo %d (writes %d); wall %s; heap peak %.0f MB (+%.0f MB over %.0f MB before); "+
		"bound woo %d nexo %d requests, %s (requests ×%.2f, wall ×%.2f); NexoPOS at 60/min: %.1f min; outcome %s, %d ops",
		name, wooReq, wooW, nexoReq, nexoW, wall.Round(time.Millisecond), float64(peak)/1e6, float64(peak-min(peak, base))/1e6,
		float64(base)/1e6, bd.woo(), bd.nexo(), lb, float64(wooReq+nexoReq)/float64(bd.woo()+bd.nexo()),
		wall.Seconds()/lb.Seconds(), float64(nexoReq)/60, e.last.Outcome, len(e.last.Plan.Ops))
	if os.Getenv("WOONEXO_BENCH_ROUTES") != "" {
		b.Logf("woocommerce routes: %v", e.sims.woo.Counters())
		b.Logf("nexopos routes: %v", e.sims.nexo.Counters())
		b.Logf("writes: %v", e.last.Writes)
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
