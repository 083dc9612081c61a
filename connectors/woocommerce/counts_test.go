package woocommerce

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/snapshot"
)

// seeded starts a store seeded with n products (over 161 categories, n/5
// customers plus the administrator, 2n orders) on a test clock, and moves
// the clock an hour past the seeding so that a cursor taken now is beyond
// every record even with the read overlap.
func seeded(t testing.TB, n int, edit func(*Config)) (*wcsim.Sim, *Client, *testClock) {
	t.Helper()
	clk := &testClock{at: time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC)}
	sim, c := simStore(t, wcsim.Options{Clock: clk.now}, edit)
	if err := sim.Seed(fmt.Sprint(n)); err != nil {
		t.Fatal(err)
	}
	clk.add(time.Hour)
	sim.ResetCounters()
	return sim, c, clk
}

func pages(n int) int { return max(1, (n+PageSize-1)/PageSize) }

// TestRequestCounts is the rule at full size: a full snapshot of
// 10,000 products is 100 product-list requests, an unchanged incremental
// read is one request per incrementally read kind, 10,000 stock updates
// are 100 batch requests. With -short it runs at 1,000 products.
func TestRequestCounts(t *testing.T) {
	n := 10_000
	if testing.Short() {
		n = 1_000
	}
	ctx := context.Background()
	sim, c, clk := seeded(t, n, nil)

	snap, err := c.ReadSnapshot(ctx, ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindProduct}})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Products) != n || !snap.Complete[snapshot.KindProduct] || len(snap.Held) != 0 {
		t.Fatalf("full read: %d products, complete %v, %d held", len(snap.Products), snap.Complete, len(snap.Held))
	}
	if got := sim.Counters(); got["GET /wc/v3/products"] != n/PageSize || len(got) != 1 {
		t.Errorf("full snapshot of %d products: %v, want %d product-list requests", n, got, n/PageSize)
	}

	sim.ResetCounters()
	cursor := clk.now()
	incremental := []snapshot.Kind{snapshot.KindProduct, snapshot.KindOrder, snapshot.KindCustomer}
	since := map[snapshot.Kind]time.Time{}
	for _, k := range incremental {
		since[k] = cursor
	}
	inc, err := c.ReadSnapshot(ctx, ReadOptions{Since: since, Kinds: incremental})
	if err != nil || len(inc.Failed) != 0 {
		t.Fatalf("incremental read: %v %v", err, inc.Failed)
	}
	// customers come back as the newest page (they have no date filter)
	if len(inc.Products)+len(inc.Orders) != 0 || len(inc.Complete) != 0 {
		t.Errorf("unchanged incremental read: %d products, %d orders, complete %v",
			len(inc.Products), len(inc.Orders), inc.Complete)
	}
	want := map[string]int{"GET /wc/v3/products": 1, "GET /wc/v3/orders": 1, "GET /wc/v3/customers": 1}
	if got := sim.Counters(); !sameCounts(got, want) {
		t.Errorf("unchanged incremental read: %v, want %v", got, want)
	}

	sim.ResetCounters()
	ws := make([]StockWrite, 0, n)
	for _, p := range snap.Products {
		ws = append(ws, StockWrite{ID: p.ID, Quantity: snapshot.NewDecimal(9)})
	}
	for _, r := range c.SetStock(ctx, ws) {
		if r.Err != nil {
			t.Fatalf("set stock %d: %v", r.Index, r.Err)
		}
	}
	if got := sim.Counters(); got["POST /wc/v3/products/batch"] != n/BatchLimit || len(got) != 1 {
		t.Errorf("%d stock updates: %v, want %d batch requests", n, got, n/BatchLimit)
	}
	for _, p := range sim.Products() {
		if p.StockQuantity == nil || *p.StockQuantity != 9 {
			t.Fatalf("product %d: stock %v after the update, want 9", p.ID, p.StockQuantity)
		}
	}
}

func sameCounts(got, want map[string]int) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// TestRequestCountsScale checks the same rules around page and batch
// boundaries, for every kind of a full snapshot: ceil(records/100)
// requests per paged kind, one for the unpaged gateways.
func TestRequestCountsScale(t *testing.T) {
	for _, n := range []int{0, 1, 99, 100, 101, 250} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			ctx := context.Background()
			sim, c, _ := seeded(t, n, nil)
			snap, err := c.ReadSnapshot(ctx, ReadOptions{Full: true})
			if err != nil || len(snap.Failed) != 0 {
				t.Fatalf("full read: %v %v", err, snap.Failed)
			}
			for _, k := range snapshot.Kinds {
				if !snap.Complete[k] {
					t.Errorf("kind %s not complete", k)
				}
			}
			customers := len(sim.Customers()) // every role: the administrator too
			want := map[string]int{
				"GET /wc/v3/products":            pages(n),
				"GET /wc/v3/orders":              pages(2 * n),
				"GET /wc/v3/customers":           pages(customers),
				"GET /wc/v3/products/categories": pages(len(sim.Categories())),
				"GET /wc/v3/payment_gateways":    1,
			}
			if got := sim.Counters(); !sameCounts(got, want) {
				t.Errorf("full snapshot: %v, want %v", got, want)
			}
			if len(snap.Products) != n || len(snap.Orders) != 2*n || len(snap.Customers) != customers {
				t.Errorf("read %d products, %d orders, %d customers; store has %d, %d, %d",
					len(snap.Products), len(snap.Orders), len(snap.Customers), n, 2*n, customers)
			}

			sim.ResetCounters()
			ws := make([]StockWrite, 0, n)
			for _, p := range snap.Products {
				ws = append(ws, StockWrite{ID: p.ID, Quantity: snapshot.NewDecimal(3)})
			}
			for _, r := range c.SetStock(ctx, ws) {
				if r.Err != nil {
					t.Fatalf("set stock %d: %v", r.Index, r.Err)
				}
			}
			wantBatches := (n + BatchLimit - 1) / BatchLimit
			if got := sim.Counters()["POST /wc/v3/products/batch"]; got != wantBatches || sim.Requests() != wantBatches {
				t.Errorf("%d stock updates: %v, want %d batch requests", n, sim.Counters(), wantBatches)
			}
		})
	}
}

// front serves sim's handler on a loopback test server behind fn, which
// answers a request itself or passes it to next, and returns a client for
// that server. It is for what the simulator cannot produce.
func front(t testing.TB, sim *wcsim.Sim, fn func(w http.ResponseWriter, r *http.Request, next http.Handler), edit func(*Config)) *Client {
	t.Helper()
	h := sim.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fn(w, r, h) }))
	t.Cleanup(srv.Close)
	return simClient(t, sim, srv.URL, edit)
}

// recorder keeps the URL of every request a store received.
type recorder struct {
	mu   sync.Mutex
	urls []*url.URL
}

// recorded puts a recorder in front of sim and returns it with a client.
func recorded(t testing.TB, sim *wcsim.Sim, edit func(*Config)) (*recorder, *Client) {
	t.Helper()
	rec := &recorder{}
	c := front(t, sim, func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		rec.mu.Lock()
		rec.urls = append(rec.urls, r.URL)
		rec.mu.Unlock()
		next.ServeHTTP(w, r)
	}, edit)
	return rec, c
}

// queries returns the queries of the requests to an API path.
func (r *recorder) queries(path string) []url.Values {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []url.Values
	for _, u := range r.urls {
		if u.Path == API+path {
			out = append(out, u.Query())
		}
	}
	return out
}

// TestIncrementalWindow checks the cursor format: naive UTC minus the
// overlap, with dates_are_gmt, in id order, 100 a page, narrowed fields.
func TestIncrementalWindow(t *testing.T) {
	sim := wcsim.New(wcsim.Options{})
	rec, c := recorded(t, sim, func(c *Config) { c.Overlap = 5 * time.Minute })
	since := time.Date(2026, 11, 28, 5, 0, 0, 0, time.FixedZone("CET", 3600))
	_, err := c.ReadSnapshot(context.Background(), ReadOptions{Since: map[snapshot.Kind]time.Time{snapshot.KindProduct: since},
		Kinds: []snapshot.Kind{snapshot.KindProduct}})
	if err != nil {
		t.Fatal(err)
	}
	qs := rec.queries("/products")
	if len(qs) != 1 {
		t.Fatalf("%d product requests, want 1", len(qs))
	}
	q := qs[0]
	want := url.Values{"modified_after": {"2026-11-28T03:55:00"}, "dates_are_gmt": {"true"}, "orderby": {"id"},
		"order": {"asc"}, "per_page": {"100"}, "page": {"1"}, "context": {"edit"}}
	for k, v := range want {
		if q.Get(k) != v[0] {
			t.Errorf("query %s=%q, want %q (query %v)", k, q.Get(k), v[0], q)
		}
	}
	if !strings.Contains(q.Get("_fields"), "date_modified_gmt") {
		t.Errorf("_fields=%q lacks date_modified_gmt", q.Get("_fields"))
	}
}

// BenchmarkFullSnapshot10k reads 10,000 products from a store answering
// each request after 20 ms (WOO_BENCH_LATENCY); the bound is
// 100 requests × 20 ms ÷ 4 concurrent = 0.5 s.
func BenchmarkFullSnapshot10k(b *testing.B) {
	const n = 10_000
	sim, c, _ := seeded(b, n, nil)
	sim.SetLatency(benchLatency)
	bound := (time.Duration(pages(n)) * benchLatency / DefaultConcurrency).Seconds()
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		snap, err := c.ReadSnapshot(ctx, ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindProduct}})
		if err != nil || len(snap.Products) != n {
			b.Fatalf("read: %v, %d products", err, len(snap.Products))
		}
	}
	wall := time.Since(start).Seconds() / float64(b.N)
	b.StopTimer()
	if got, want := sim.Counters()["GET /wc/v3/products"], pages(n)*b.N; got != want {
		b.Fatalf("%d product-list requests for %d reads, want %d", got, b.N, want)
	}
	b.ReportMetric(wall, "wall-s/op")
	b.ReportMetric(bound, "bound-s")
	b.ReportMetric(wall/bound, "x-bound")
	b.ReportMetric(float64(pages(n)), "requests/op")
}

var benchLatency = func() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("WOO_BENCH_LATENCY")); err == nil {
		return d
	}
	return 20 * time.Millisecond
}()
