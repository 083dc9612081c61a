package woocommerce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/snapshot"
)

func batchFault(a wcsim.Action, status, nth int) wcsim.Fault {
	return wcsim.Fault{Route: "batch", Method: "POST", Action: a, Status: status, Nth: nth}
}

func newProduct(sku string) ProductWrite {
	return ProductWrite{Product: snapshot.Product{SKU: sku, Name: sku, Status: snapshot.ProductActive, RegularPrice: snapshot.NewDecimal(1)}}
}

// TestRetries: transient and rate-limited failures injected by the store
// are repeated for reads and updates; a create is repeated only when the
// store certainly did nothing (429), since after a 5xx, a timeout or a
// reset it may exist; auth failures are never repeated.
func TestRetries(t *testing.T) {
	ctx := context.Background()
	create := func(c *Client, _ snapshot.ID) []Result {
		return c.SaveProducts(ctx, []ProductWrite{newProduct("A"), newProduct("B")})
	}
	stock := func(c *Client, id snapshot.ID) []Result {
		return c.SetStock(ctx, []StockWrite{{ID: id, Quantity: snapshot.NewDecimal(4)}})
	}
	tests := []struct {
		name     string
		faults   []wcsim.Fault
		secret   string // a wrong secret, when set
		timeout  time.Duration
		write    func(c *Client, seeded snapshot.ID) []Result
		wantErr  ErrorKind
		requests int // batch requests the store saw
		created  int // products the store holds afterwards, besides the seeded one
		stock    int // the seeded product's stock afterwards (1 before)
	}{
		{name: "create after 500 is not repeated", faults: []wcsim.Fault{batchFault(wcsim.ActionStatus, 500, 1)},
			write: create, wantErr: KindTransient, requests: 1, stock: 1},
		{name: "create after 503 is not repeated", faults: []wcsim.Fault{batchFault(wcsim.ActionStatus, 503, 1)},
			write: create, wantErr: KindTransient, requests: 1, stock: 1},
		{name: "create after a reset is not repeated, and exists", faults: []wcsim.Fault{batchFault(wcsim.ActionReset, 0, 1)},
			write: create, wantErr: KindTransient, requests: 1, created: 2, stock: 1},
		{name: "create after a truncated answer is not repeated, and exists", faults: []wcsim.Fault{batchFault(wcsim.ActionTruncate, 0, 1)},
			write: create, wantErr: KindTransient, requests: 1, created: 2, stock: 1},
		{name: "create after a timeout is not repeated", faults: []wcsim.Fault{batchFault(wcsim.ActionHang, 0, 1)},
			timeout: 300 * time.Millisecond, write: create, wantErr: KindTransient, requests: 1, stock: 1},
		{name: "create after 429 is repeated once", faults: []wcsim.Fault{{Route: "batch", Action: wcsim.ActionStatus, Status: 429,
			RetryAfter: time.Second, Count: 1}}, write: create, requests: 2, created: 2, stock: 1},
		{name: "update after 502, malformed JSON, a reset and a truncated answer is repeated", faults: []wcsim.Fault{
			batchFault(wcsim.ActionStatus, 502, 1), batchFault(wcsim.ActionMalformed, 0, 2),
			batchFault(wcsim.ActionReset, 0, 3), batchFault(wcsim.ActionTruncate, 0, 4)},
			write: stock, requests: 5, stock: 4},
		{name: "update after a timeout is repeated", faults: []wcsim.Fault{batchFault(wcsim.ActionHang, 0, 1)},
			timeout: 300 * time.Millisecond, write: stock, requests: 2, stock: 4},
		{name: "update answered 503 gives up after the retries", faults: []wcsim.Fault{{Route: "batch", Action: wcsim.ActionStatus, Status: 503}},
			write: stock, wantErr: KindTransient, requests: 1 + NoRetryDelay.MaxRetries, stock: 1},
		{name: "auth is not repeated", secret: "cs_wrong", write: stock, wantErr: KindAuth, requests: 1, stock: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var retries atomic.Int32
			sim, c := simStore(t, wcsim.Options{}, func(c *Config) {
				c.OnRetry = func(string) { retries.Add(1) }
				c.Timeout = tt.timeout
				if tt.secret != "" {
					c.ConsumerSecret = tt.secret
				}
			})
			one := 1
			id := sim.AddProduct(wcsim.Product{Name: "seeded", SKU: "SEEDED", RegularPrice: "1", ManageStock: true, StockQuantity: &one})
			sim.SetFaults(tt.faults)
			res := tt.write(c, snapshot.ID(fmt.Sprint(id)))
			for _, r := range res {
				if KindOf(r.Err) != tt.wantErr {
					t.Errorf("item %d: %v, want kind %q", r.Index, r.Err, tt.wantErr)
				}
				if r.Err != nil && strings.Contains(r.Err.Error(), sim.Key().ConsumerSecret) {
					t.Errorf("error leaks the secret: %v", r.Err)
				}
			}
			if got := sim.Counters()["POST /wc/v3/products/batch"]; got != tt.requests {
				t.Errorf("%d batch requests, want %d (%v)", got, tt.requests, sim.Counters())
			}
			if int(retries.Load()) != tt.requests-1 {
				t.Errorf("OnRetry called %d times, want %d", retries.Load(), tt.requests-1)
			}
			if got := len(sim.Products()) - 1; got != tt.created {
				t.Errorf("store holds %d new products, want %d", got, tt.created)
			}
			if p, _ := sim.Product(id); p.StockQuantity == nil || *p.StockQuantity != tt.stock {
				t.Errorf("seeded product's stock %v, want %d", p.StockQuantity, tt.stock)
			}
		})
	}
}

// TestReadRetries: a listing whose pages meet 429s, 5xx, malformed and
// truncated answers is repeated page by page and comes back whole.
func TestReadRetries(t *testing.T) {
	var retries atomic.Int32
	sim, c, _ := seeded(t, 250, func(c *Config) { c.OnRetry = func(string) { retries.Add(1) } })
	faults, err := wcsim.ParseFaults("products:GET:429=1x2,products:GET:502@4,products:GET:malformed@5,products:GET:truncate@6,products:GET:500@7")
	if err != nil {
		t.Fatal(err)
	}
	sim.SetFaults(faults)
	snap, err := c.ReadSnapshot(context.Background(), ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindProduct}})
	if err != nil || len(snap.Failed) != 0 {
		t.Fatalf("read: %v %v", err, snap.Failed)
	}
	if len(snap.Products) != 250 || !snap.Complete[snapshot.KindProduct] {
		t.Errorf("%d products, complete %v; want 250, complete", len(snap.Products), snap.Complete)
	}
	// 3 pages plus one repeat for each of the 6 faulted answers
	if got := sim.Counters()["GET /wc/v3/products"]; got != 3+6 || retries.Load() != 6 {
		t.Errorf("%d list requests and %d retries, want 9 and 6", got, retries.Load())
	}
}

// logRecords is a slog handler that keeps the records it is given.
type logRecords struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (l *logRecords) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecords) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	l.recs = append(l.recs, r.Clone())
	l.mu.Unlock()
	return nil
}
func (l *logRecords) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecords) WithGroup(string) slog.Handler      { return l }

// waits returns the "wait" of every retry logged.
func (l *logRecords) waits() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []time.Duration
	for _, r := range l.recs {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "wait" {
				out = append(out, a.Value.Duration())
			}
			return true
		})
	}
	return out
}

// TestRetryAfter: a 429's Retry-After is read and waited for, up to the
// policy's MaxRetryAfter (kept at milliseconds here so the test does not
// wait the store's seconds); when retries run out the error carries it.
func TestRetryAfter(t *testing.T) {
	logs := &logRecords{}
	policy := RetryPolicy{MaxRetries: 2, MaxRetryAfter: 3 * time.Millisecond}
	sim, c := simStore(t, wcsim.Options{}, func(c *Config) { c.Retry = &policy; c.Logger = slog.New(logs) })
	sim.SetFaults([]wcsim.Fault{{Route: "products", Action: wcsim.ActionStatus, Status: 429, RetryAfter: 7 * time.Second}})
	_, err := c.ReadSnapshot(context.Background(), ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindProduct}})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindRateLimited || e.RetryAfter != 7*time.Second {
		t.Fatalf("read under 429: %#v, want a rate-limited error with Retry-After 7s", err)
	}
	if got := sim.Counters()["GET /wc/v3/products"]; got != 3 {
		t.Errorf("%d requests, want 3 (2 retries)", got)
	}
	if w := logs.waits(); len(w) != 2 || w[0] != policy.MaxRetryAfter || w[1] != policy.MaxRetryAfter {
		t.Errorf("retry waits %v, want 2 × %v (Retry-After capped)", w, policy.MaxRetryAfter)
	}
}

// TestBatchItemErrorsMapToIndex: each element of a batch answer, record or
// error object, goes back to the write it answers.
func TestBatchItemErrorsMapToIndex(t *testing.T) {
	ctx := context.Background()
	sim, c := simStore(t, wcsim.Options{}, nil)
	old := sim.AddProduct(wcsim.Product{Name: "old", SKU: "SKU-00000", RegularPrice: "1"})
	oldID := snapshot.ID(fmt.Sprint(old))
	res := c.SaveProducts(ctx, []ProductWrite{
		newProduct("NEW-1"),
		newProduct("SKU-00000"),
		{Product: snapshot.Product{ID: "99999", Name: "gone"}, Fields: []string{"name"}},
		{Product: snapshot.Product{ID: oldID}, Fields: nil}, // nothing changed: no request item
		{Product: snapshot.Product{ID: oldID, Name: "renamed"}, Fields: []string{"name"}},
	})
	if res[0].Err != nil || res[0].ID == "" || res[0].ID == oldID {
		t.Errorf("create: %+v", res[0])
	}
	if e, ok := res[1].Err.(*Error); !ok || e.Kind != KindConflict || e.ResourceID != oldID || e.Code != "product_invalid_sku" {
		t.Errorf("duplicate: %+v, want conflict naming %s", res[1], oldID)
	}
	if KindOf(res[2].Err) != KindInvalid || res[2].ID != "99999" {
		t.Errorf("unknown id: %+v", res[2])
	}
	if res[3].Err != nil || res[3].ID != oldID || res[4].Err != nil || res[4].ID != oldID {
		t.Errorf("updates: %+v %+v", res[3], res[4])
	}
	if p, _ := sim.Product(old); p.Name != "renamed" {
		t.Errorf("store has name %q, want renamed", p.Name)
	}
	if got := sim.Counters()["POST /wc/v3/products/batch"]; got != 1 {
		t.Errorf("%d batch requests, want 1", got)
	}
}

// TestBatchInjectedItemErrors: items the store fails inside a 200 answer
// (db_update_error) report a transient error at their own index and leave
// the store unchanged; the others are written.
func TestBatchInjectedItemErrors(t *testing.T) {
	ctx := context.Background()
	sim, c := simStore(t, wcsim.Options{FaultSeed: 7}, nil)
	var ws []StockWrite
	for i := range 40 {
		id := sim.AddProduct(wcsim.Product{Name: fmt.Sprint(i), SKU: fmt.Sprint("S", i), ManageStock: true})
		ws = append(ws, StockWrite{ID: snapshot.ID(fmt.Sprint(id)), Quantity: snapshot.NewDecimal(5)})
	}
	sim.SetFaults([]wcsim.Fault{{Route: "batch", Action: wcsim.ActionItemError, Probability: 0.5}})
	var failed, written int
	for i, r := range c.SetStock(ctx, ws) {
		var id int
		_, _ = fmt.Sscan(string(ws[i].ID), &id)
		p, _ := sim.Product(id)
		stock := 0
		if p.StockQuantity != nil {
			stock = *p.StockQuantity
		}
		switch {
		case r.Index != i || r.ID != ws[i].ID:
			t.Errorf("result %d: %+v, want index %d id %s", i, r, i, ws[i].ID)
		case r.Err == nil && stock == 5:
			written++
		case KindOf(r.Err) == KindTransient && stock == 0 && strings.Contains(r.Err.Error(), "Could not update post"):
			failed++
		default:
			t.Errorf("item %d: %v, store stock %d", i, r.Err, stock)
		}
	}
	if failed == 0 || written == 0 || sim.Counters()["POST /wc/v3/products/batch"] != 1 {
		t.Errorf("%d failed, %d written, counters %v; want both kinds in one batch request", failed, written, sim.Counters())
	}
}

// TestReadSnapshotPartialFailure: a kind that keeps failing is named in
// Failed while the others come back; refused keys fail the whole read.
func TestReadSnapshotPartialFailure(t *testing.T) {
	sim, c := simStore(t, wcsim.Options{}, func(c *Config) { r := NoRetryDelay; r.MaxRetries = 1; c.Retry = &r })
	for i := range 3 {
		sim.AddProduct(wcsim.Product{Name: fmt.Sprint(i), SKU: fmt.Sprint("P", i), RegularPrice: "1"})
	}
	sim.SetFaults([]wcsim.Fault{{Route: "orders", Method: "GET", Action: wcsim.ActionStatus, Status: 503}})
	snap, err := c.ReadSnapshot(context.Background(), ReadOptions{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(snap.Failed[snapshot.KindOrder], "transient") || snap.Complete[snapshot.KindOrder] ||
		len(snap.Products) != 3 || !snap.Complete[snapshot.KindProduct] || len(snap.Failed) != 1 {
		t.Errorf("failed %v complete %v products %d", snap.Failed, snap.Complete, len(snap.Products))
	}
	if got := sim.Counters()["GET /wc/v3/orders"]; got != 2 {
		t.Errorf("%d order requests, want 2 (one retry)", got)
	}

	_, wrong := simStore(t, wcsim.Options{}, func(c *Config) { c.ConsumerSecret = "cs_wrong" })
	if _, err := wrong.ReadSnapshot(context.Background(), ReadOptions{Full: true}); !IsKind(err, KindAuth) {
		t.Errorf("wrong secret: %v, want kind auth", err)
	}
}

// TestReadSnapshotOneKindRefused: a store that refuses one route only (a
// security plugin; the simulator refuses all routes or none) fails the
// whole read with the auth error, though the other kinds were read.
func TestReadSnapshotOneKindRefused(t *testing.T) {
	sim := wcsim.New(wcsim.Options{})
	refused := []byte(`{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}`)
	c := front(t, sim, func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path != API+"/products" {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write(refused)
	}, nil)
	snap, err := c.ReadSnapshot(context.Background(), ReadOptions{Full: true})
	if !IsKind(err, KindAuth) || !snap.Complete[snapshot.KindCategory] {
		t.Errorf("read with products refused: %v (complete %v), want kind auth", err, snap.Complete)
	}
}

// TestPagesOverlap: a page that repeats records of the one before (a
// record restored from the trash while paging shifts the pages) never
// duplicates them.
func TestPagesOverlap(t *testing.T) {
	sim := wcsim.New(wcsim.Options{})
	if err := sim.Seed("250"); err != nil {
		t.Fatal(err)
	}
	var page2 atomic.Value
	var spliced atomic.Bool
	c := front(t, sim, func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		page := r.URL.Query().Get("page")
		if r.URL.Path != API+"/products" || page == "1" {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var items []json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &items); err != nil {
			t.Errorf("page %s: %v", page, err)
		}
		if page == "2" {
			page2.Store(items)
		} else if prev, ok := page2.Load().([]json.RawMessage); ok {
			items = append(prev[len(prev)-10:], items...) // page 3 starts 10 records early
			spliced.Store(true)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		body, _ := json.Marshal(items)
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		_, _ = w.Write(body)
	}, func(c *Config) { c.Concurrency = 1 })
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
	if len(ids) != 250 || !snap.Complete[snapshot.KindProduct] || !spliced.Load() {
		t.Errorf("%d distinct products, complete %v, page 3 overlapping %v; want 250", len(ids), snap.Complete, spliced.Load())
	}
}
