package woocommerce

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/woonexo/woonexo/snapshot"
)

// failN answers the first n requests matching method and path with status.
func failN(n int32, method, path string, status int, body string, h http.Header) func(*http.Request) (int, http.Header, string, bool) {
	var left atomic.Int32
	left.Store(n)
	return func(r *http.Request) (int, http.Header, string, bool) {
		if r.Method == method && r.URL.Path == API+path && left.Add(-1) >= 0 {
			return status, h, body, true
		}
		return 0, nil, "", false
	}
}

func TestRetries(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		fault    func(*http.Request) (int, http.Header, string, bool)
		write    func(c *Client) []Result
		wantErr  ErrorKind
		requests int // batch requests seen by the store
	}{
		{"create after 500 is not repeated", failN(1, "POST", "/products/batch", 500, `{"code":"x","message":"boom","data":{"status":500}}`, nil),
			func(c *Client) []Result {
				return c.SaveProducts(ctx, []ProductWrite{{Product: snapshot.Product{SKU: "A", Name: "a", Status: snapshot.ProductActive}},
					{Product: snapshot.Product{SKU: "B", Name: "b", Status: snapshot.ProductActive}}})
			}, KindTransient, 1},
		{"create after 429 is repeated", failN(1, "POST", "/products/batch", 429, ``, http.Header{"Retry-After": {"0"}}),
			func(c *Client) []Result {
				return c.SaveProducts(ctx, []ProductWrite{{Product: snapshot.Product{SKU: "C", Name: "c", Status: snapshot.ProductActive}}})
			}, "", 2},
		{"update after 502 and malformed JSON is repeated", func() func(*http.Request) (int, http.Header, string, bool) {
			a := failN(1, "POST", "/products/batch", 502, "<html>bad gateway</html>", nil)
			b := failN(1, "POST", "/products/batch", 200, `{"update":[{"id":`, nil)
			return func(r *http.Request) (int, http.Header, string, bool) {
				if s, h, body, ok := a(r); ok {
					return s, h, body, ok
				}
				return b(r)
			}
		}(), func(c *Client) []Result {
			return c.SetStock(ctx, []StockWrite{{ID: "11", Quantity: snapshot.NewDecimal(1)}})
		}, "", 3},
		{"auth is not repeated", failN(5, "POST", "/products/batch", 401, `{"code":"woocommerce_rest_authentication_error","message":"Consumer secret is invalid.","data":{"status":401}}`, nil),
			func(c *Client) []Result {
				return c.SetStock(ctx, []StockWrite{{ID: "11", Quantity: snapshot.NewDecimal(1)}})
			}, KindAuth, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := newFakeStore(t)
			sim.addProducts(1)
			sim.fault = tt.fault
			var retries atomic.Int32
			c := simClient(t, sim, func(c *Config) { c.OnRetry = func(string) { retries.Add(1) } })
			res := tt.write(c)
			for _, r := range res {
				if KindOf(r.Err) != tt.wantErr {
					t.Errorf("item %d: %v, want kind %q", r.Index, r.Err, tt.wantErr)
				}
				if r.Err != nil && strings.Contains(r.Err.Error(), sim.secret) {
					t.Errorf("error leaks the secret: %v", r.Err)
				}
			}
			if got := sim.counters()["POST /products/batch"]; got != tt.requests {
				t.Errorf("%d batch requests, want %d", got, tt.requests)
			}
			if int(retries.Load()) != tt.requests-1 {
				t.Errorf("OnRetry called %d times, want %d", retries.Load(), tt.requests-1)
			}
		})
	}
}

func TestBatchItemErrorsMapToIndex(t *testing.T) {
	ctx := context.Background()
	sim := newFakeStore(t)
	sim.addProducts(1) // id 11, SKU-00000
	c := simClient(t, sim, nil)
	res := c.SaveProducts(ctx, []ProductWrite{
		{Product: snapshot.Product{SKU: "NEW-1", Name: "n", Status: snapshot.ProductActive, RegularPrice: snapshot.NewDecimal(1)}},
		{Product: snapshot.Product{SKU: "SKU-00000", Name: "dup", Status: snapshot.ProductActive}},
		{Product: snapshot.Product{ID: "999", Name: "gone"}, Fields: []string{"name"}},
		{Product: snapshot.Product{ID: "11"}, Fields: nil}, // nothing changed: no request item
	})
	if res[0].Err != nil || res[0].ID == "" {
		t.Errorf("create: %+v", res[0])
	}
	if e, ok := res[1].Err.(*Error); !ok || e.Kind != KindConflict || e.ResourceID != "11" || e.Code != "product_invalid_sku" {
		t.Errorf("duplicate: %+v", res[1])
	}
	if KindOf(res[2].Err) != KindInvalid || res[2].ID != "999" {
		t.Errorf("unknown id: %+v", res[2])
	}
	if res[3].Err != nil || res[3].ID != "11" {
		t.Errorf("no-op update: %+v", res[3])
	}
}

func TestReadSnapshotPartialFailure(t *testing.T) {
	sim := newFakeStore(t)
	sim.addProducts(3)
	sim.fault = failN(100, "GET", "/orders", 503, "", nil)
	c := simClient(t, sim, func(c *Config) { r := NoRetryDelay; r.MaxRetries = 1; c.Retry = &r })
	snap, err := c.ReadSnapshot(context.Background(), ReadOptions{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(snap.Failed[snapshot.KindOrder], "transient") || snap.Complete[snapshot.KindOrder] ||
		len(snap.Products) != 3 || !snap.Complete[snapshot.KindProduct] {
		t.Errorf("failed %v complete %v products %d", snap.Failed, snap.Complete, len(snap.Products))
	}
	sim.fault = failN(100, "GET", "/products", 401, `{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}`, nil)
	if _, err := c.ReadSnapshot(context.Background(), ReadOptions{Full: true}); !IsKind(err, KindAuth) {
		t.Errorf("auth failure: %v, want kind auth", err)
	}
}
