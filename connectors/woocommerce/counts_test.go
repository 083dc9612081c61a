package woocommerce

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

func TestRequestCounts(t *testing.T) {
	ctx := context.Background()
	sim := newFakeStore(t)
	sim.addProducts(10_000)
	c := simClient(t, sim, nil)

	snap, err := c.ReadSnapshot(ctx, ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindProduct}})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Products) != 10_000 || !snap.Complete[snapshot.KindProduct] || len(snap.Held) != 0 {
		t.Fatalf("full read: %d products, complete %v, %d held", len(snap.Products), snap.Complete, len(snap.Held))
	}
	if got := sim.counters()["GET /products"]; got != 100 {
		t.Errorf("full snapshot of 10,000 products took %d list requests, want 100", got)
	}

	sim.resetCounters()
	since := map[snapshot.Kind]time.Time{snapshot.KindProduct: time.Now(), snapshot.KindOrder: time.Now()}
	snap, err = c.ReadSnapshot(ctx, ReadOptions{Since: since, Kinds: []snapshot.Kind{snapshot.KindProduct, snapshot.KindOrder}})
	if err != nil {
		t.Fatal(err)
	}
	if snap.Complete[snapshot.KindProduct] || snap.Complete[snapshot.KindOrder] || len(snap.Products) != 0 {
		t.Errorf("incremental read: complete %v, %d products", snap.Complete, len(snap.Products))
	}
	if got := sim.counters(); got["GET /products"] != 1 || got["GET /orders"] != 1 || len(got) != 2 {
		t.Errorf("unchanged incremental read: %v, want 1 request per kind", got)
	}

	sim.resetCounters()
	ws := make([]StockWrite, len(snap.Products))
	full, _ := c.ReadSnapshot(ctx, ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindProduct}})
	sim.resetCounters()
	ws = ws[:0]
	for _, p := range full.Products {
		ws = append(ws, StockWrite{ID: p.ID, Quantity: snapshot.NewDecimal(9)})
	}
	for _, r := range c.SetStock(ctx, ws) {
		if r.Err != nil {
			t.Fatalf("set stock %d: %v", r.Index, r.Err)
		}
	}
	if got := sim.counters(); got["POST /products/batch"] != 100 || len(got) != 1 {
		t.Errorf("10,000 stock updates: %v, want 100 batch requests", got)
	}
}

// TestIncrementalWindow checks the cursor format: naive UTC minus the
// overlap, with dates_are_gmt.
func TestIncrementalWindow(t *testing.T) {
	sim := newFakeStore(t)
	var seen atomic.Value
	sim.fault = func(r *http.Request) (int, http.Header, string, bool) {
		if r.URL.Path == API+"/products" {
			seen.Store(r.URL.Query().Encode())
		}
		return 0, nil, "", false
	}
	c := simClient(t, sim, func(c *Config) { c.Overlap = 5 * time.Minute })
	since := time.Date(2026, 11, 28, 5, 0, 0, 0, time.FixedZone("CET", 3600))
	_, err := c.ReadSnapshot(context.Background(), ReadOptions{Since: map[snapshot.Kind]time.Time{snapshot.KindProduct: since},
		Kinds: []snapshot.Kind{snapshot.KindProduct}})
	if err != nil {
		t.Fatal(err)
	}
	q, _ := seen.Load().(string)
	for _, want := range []string{"modified_after=2026-11-28T03%3A55%3A00", "dates_are_gmt=true", "orderby=id", "order=asc",
		"per_page=100", "context=edit", "_fields="} {
		if !strings.Contains(q, want) {
			t.Errorf("query %s lacks %s", q, want)
		}
	}
}

// TestPagesOverlap: a page that repeats records, or is longer than asked,
// never duplicates them.
func TestPagesOverlap(t *testing.T) {
	sim := newFakeStore(t)
	sim.addProducts(250)
	sim.fault = func(r *http.Request) (int, http.Header, string, bool) {
		if r.URL.Query().Get("page") != "3" {
			return 0, nil, "", false
		}
		// page 3 answers with ids 211..260 (overlapping page 2's 211..220... and beyond)
		var items []string
		for id := 200; id <= 260; id++ {
			items = append(items, fmt.Sprintf(`{"id":%d,"type":"simple","status":"publish","name":"p","regular_price":"1"}`, id))
		}
		h := http.Header{"X-Wp-Total": {"250"}, "X-Wp-Totalpages": {"3"}}
		return 200, h, "[" + strings.Join(items, ",") + "]", true
	}
	c := simClient(t, sim, nil)
	snap, err := c.ReadSnapshot(context.Background(), ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindProduct}})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[snapshot.ID]int{}
	for _, p := range snap.Products {
		ids[p.ID]++
		if ids[p.ID] > 1 {
			t.Fatalf("product %s read twice", p.ID)
		}
	}
	if len(ids) != 250 {
		t.Errorf("%d distinct products, want 250 (ids 11..260)", len(ids))
	}
}

// BenchmarkFullSnapshot10k reads 10,000 products from a store answering
// each request after 20 ms; the bound is 100 requests × 20 ms ÷ 4 = 0.5 s.
func BenchmarkFullSnapshot10k(b *testing.B) {
	sim := newFakeStore(b)
	sim.addProducts(10_000)
	sim.latency = benchLatency
	c := simClient(b, sim, nil)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		snap, err := c.ReadSnapshot(ctx, ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindProduct}})
		if err != nil || len(snap.Products) != 10_000 {
			b.Fatalf("read: %v, %d products", err, len(snap.Products))
		}
	}
	wall := time.Since(start).Seconds() / float64(b.N)
	b.ReportMetric(wall, "wall-s/op")
	b.ReportMetric(0.5, "bound-s")
	b.ReportMetric(wall/0.5, "x-bound")
}

var benchLatency = func() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("WOO_BENCH_LATENCY")); err == nil {
		return d
	}
	return 20 * time.Millisecond
}()
