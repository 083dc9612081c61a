package wcsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const api = "/wp-json/wc/v3/"

func TestOAuthOnPlainHTTP(t *testing.T) {
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	c := newTestSim(t, Options{Clock: func() time.Time { return now }})
	c.hc = http.DefaultClient
	get := func(nonce string, mutate func(*http.Request)) (int, string) {
		req, _ := http.NewRequest("GET", c.base+api+"products?per_page=1&_fields=id,sku", nil)
		SignOAuth(req, c.sim.Key(), now, nonce)
		if mutate != nil {
			mutate(req)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var e struct{ Code string }
		_ = json.NewDecoder(res.Body).Decode(&e)
		return res.StatusCode, e.Code
	}
	if st, code := get("n1", nil); st != 200 {
		t.Fatalf("signed request: %d %s", st, code)
	}
	if st, code := get("n1", nil); st != 401 || code != "woocommerce_rest_authentication_error" {
		t.Errorf("reused nonce: %d %s", st, code)
	}
	if st, _ := get("n2", func(r *http.Request) { r.URL.RawQuery += "&extra=1" }); st != 401 {
		t.Errorf("tampered query accepted: %d", st)
	}
	if st, _, _ := c.do("GET", api+"products", nil, ""); st != 401 {
		t.Errorf("Basic auth over plain HTTP: %d", st)
	}
}

// The signatures were computed by WooCommerce 7.8.2's own
// check_oauth_signature code, which a real 7.8.2 store runs: keys and values
// are encoded twice in the base string (id,name signs as id%252Cname), an
// array's sub-key once. A signature over singly encoded pairs is refused.
func TestOAuthSignatureAsWooCommerce(t *testing.T) {
	var now time.Time
	sim := New(Options{Clock: func() time.Time { return now }, Keys: []Key{{ConsumerKey: "ck_test", ConsumerSecret: "cs_secret", Permissions: "read_write"}}})
	h := sim.Handler()
	for _, tt := range []struct {
		query, nonce, ts, sig string
		status                int
	}{
		{"per_page=100&_fields=id,name&modified_after=2026-11-28T03:51:01&search=A%20b%2Bc~", "abc123", "1700000000",
			"cOD0moGfuv+lkhReaQ1bBYeXl35YacbkVOgFtOS+9cI=", 200},
		{"filter%5Bperiod%5D=we%20ek&filter%5Bx%2Cy%5D=1%3A2&include%5B%5D=3&include%5B%5D=4", "n", "1",
			"zTGu6WnqqLXhUMOqQu0tQdGE4Rmk5cVtq70qnMpPgI4=", 200},
		// The first request signed over singly encoded pairs.
		{"per_page=100&_fields=id,name&modified_after=2026-11-28T03:51:01&search=A%20b%2Bc~", "abc124", "1700000000",
			"fAIYPAa1ANxs/WIgPk+5bX3nxyhb227rUGT29SpqSuY=", 401},
	} {
		sec, _ := strconv.ParseInt(tt.ts, 10, 64)
		now = time.Unix(sec, 0)
		req := httptest.NewRequest("GET", "http://127.0.0.1:8080"+api+"products?"+tt.query, nil)
		req.Header.Set("Authorization", `OAuth oauth_consumer_key="ck_test", oauth_nonce="`+tt.nonce+
			`", oauth_signature_method="HMAC-SHA256", oauth_timestamp="`+tt.ts+`", oauth_signature="`+url.QueryEscape(tt.sig)+`"`)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.status {
			t.Errorf("GET products?%s signed %s: %d %s, want %d", tt.query, tt.sig, rec.Code, rec.Body.String(), tt.status)
		}
	}
}

func TestReadOnlyKeyCannotWrite(t *testing.T) {
	c := newTestSim(t, Options{HTTPS: true, Keys: []Key{{ConsumerKey: "ck_r", ConsumerSecret: "cs_r", Permissions: "read"}}})
	st, body, _ := c.do("POST", api+"products", map[string]any{"name": "x"}, "")
	if st != 401 || !json.Valid(body) {
		t.Fatalf("status %d", st)
	}
	var e struct{ Code string }
	_ = json.Unmarshal(body, &e)
	if e.Code != "woocommerce_rest_authentication_error" {
		t.Errorf("code %q", e.Code)
	}
	if st, _, _ := c.do("GET", api+"products", nil, ""); st != 200 {
		t.Errorf("read: %d", st)
	}
}

func TestOrderStockReducedOnceAndRestored(t *testing.T) {
	c := newTestSim(t, Options{HTTPS: true})
	pid := c.id("POST", api+"products", map[string]any{"name": "W", "sku": "W", "regular_price": "9.90", "manage_stock": true, "stock_quantity": 5})
	stock := func() int {
		p, _ := c.sim.Product(pid)
		return *p.StockQuantity
	}
	oid := c.id("POST", api+"orders", map[string]any{"status": "processing", "set_paid": true, "line_items": []any{map[string]any{"product_id": pid, "quantity": 2}}})
	if got := stock(); got != 3 {
		t.Fatalf("after paid order stock %d, want 3", got)
	}
	c.id("PUT", fmt.Sprintf("%sorders/%d", api, oid), map[string]any{"status": "completed"})
	if got := stock(); got != 3 {
		t.Fatalf("after completed stock %d, want 3 (reduced once)", got)
	}
	c.id("PUT", fmt.Sprintf("%sorders/%d", api, oid), map[string]any{"status": "cancelled"})
	if got := stock(); got != 5 {
		t.Fatalf("after cancel stock %d, want 5", got)
	}
	o, _ := c.sim.Order(oid)
	if o.StockReduced || o.LineItems[0].ReducedStock != 0 {
		t.Errorf("flags not cleared: %+v", o.LineItems[0])
	}
	cod := c.id("POST", api+"orders", map[string]any{"payment_method": "cod", "set_paid": true, "line_items": []any{map[string]any{"sku": "W", "quantity": 7}}})
	o, _ = c.sim.Order(cod)
	p, _ := c.sim.Product(pid)
	if o.Status != "completed" || *p.StockQuantity != -2 || p.StockStatus != "outofstock" {
		t.Errorf("cod order %s, stock %d %s", o.Status, *p.StockQuantity, p.StockStatus)
	}
}

func TestStockRulesAndModifiedBump(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newTestSim(t, Options{HTTPS: true, Clock: func() time.Time { return now }})
	pid := c.id("POST", api+"products", map[string]any{"name": "P", "regular_price": "1,500", "stock_quantity": 4})
	p, _ := c.sim.Product(pid)
	if p.StockQuantity != nil || p.RegularPrice != "1500" {
		t.Errorf("unmanaged quantity %v, price %q", p.StockQuantity, p.RegularPrice)
	}
	now = now.Add(time.Minute)
	c.id("PUT", fmt.Sprintf("%sproducts/%d", api, pid), map[string]any{"manage_stock": true, "stock_quantity": 3, "stock_status": "outofstock"})
	p, _ = c.sim.Product(pid)
	if p.StockStatus != "instock" || !p.DateModified.Equal(now) {
		t.Errorf("status %s modified %v", p.StockStatus, p.DateModified)
	}
	st, _, _ := c.do("PUT", fmt.Sprintf("%sproducts/%d", api, pid), map[string]any{"stock_quantity": 2.9}, "")
	if st != 400 {
		t.Errorf("fractional quantity: %d", st)
	}
	now = now.Add(time.Minute)
	c.id("PUT", fmt.Sprintf("%sproducts/%d", api, pid), map[string]any{})
	p, _ = c.sim.Product(pid)
	if !p.DateModified.Equal(now) {
		t.Errorf("empty PUT did not bump date_modified")
	}
	st, body, _ := c.do("GET", api+"products?modified_after="+now.Add(-time.Second).Format(wpLayout)+"&dates_are_gmt=true&_fields=id", nil, "")
	if st != 200 || string(body) != fmt.Sprintf(`[{"id":%d}]`, pid) {
		t.Errorf("modified_after: %d %s", st, body)
	}
}

func TestFaultsAndCounters(t *testing.T) {
	c := newTestSim(t, Options{HTTPS: true})
	faults, err := ParseFaults("products:GET:429x2,orders:POST:reset@1,batch:item_error")
	if err != nil {
		t.Fatal(err)
	}
	c.sim.SetFaults(faults)
	for i, want := range []int{429, 429, 200} {
		if st, _, h := c.do("GET", api+"products", nil, ""); st != want || (want == 429 && h.Get("Retry-After") != "1") {
			t.Errorf("request %d: %d", i, st)
		}
	}
	req, _ := http.NewRequest("POST", c.base+api+"orders", nil)
	k := c.sim.Key()
	req.SetBasicAuth(k.ConsumerKey, k.ConsumerSecret)
	if _, err := c.hc.Do(req); err == nil {
		t.Errorf("reset: no error")
	}
	if n := len(c.sim.Orders()); n != 1 {
		t.Errorf("reset after processing: %d orders, want 1", n)
	}
	_, body, _ := c.do("POST", api+"products/batch", map[string]any{"create": []any{map[string]any{"name": "a"}}}, "")
	var b struct {
		Create []struct {
			ID    int
			Error *struct{ Code string }
		}
	}
	_ = json.Unmarshal(body, &b)
	if len(b.Create) != 1 || b.Create[0].Error == nil {
		t.Errorf("item error missing: %s", body)
	}
	want := map[string]int{"GET /wc/v3/products": 3, "POST /wc/v3/orders": 1, "POST /wc/v3/products/batch": 1}
	if diff := cmp.Diff(want, c.sim.Counters()); diff != "" {
		t.Errorf("counters (-want +got):\n%s", diff)
	}
	if c.sim.Requests() != 5 {
		t.Errorf("requests %d", c.sim.Requests())
	}
}

func TestParseFaultsRejectsNonsense(t *testing.T) {
	for _, bad := range []string{"products", "products:GET:teapot", "x:latency=abc", "x:429:2", "x:500@0"} {
		if _, err := ParseFaults(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	got, err := ParseFaults("*:*:latency=200ms:0.5, products:503=3x1")
	if err != nil {
		t.Fatal(err)
	}
	want := []Fault{{Route: "*", Method: "*", Action: ActionLatency, Latency: 200 * time.Millisecond, Probability: 0.5},
		{Route: "products", Action: ActionStatus, Status: 503, RetryAfter: 3 * time.Second, Count: 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

func TestSeedLargeAndPaging(t *testing.T) {
	c := newTestSim(t, Options{HTTPS: true})
	if err := c.sim.Seed("10000"); err != nil {
		t.Fatal(err)
	}
	if err := c.sim.Seed("demo"); err != nil {
		t.Fatal(err)
	}
	if err := c.sim.Seed("1000"); err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for page := 1; ; page++ {
		st, body, h := c.do("GET", api+"products?per_page=100&orderby=id&order=asc&_fields=id&page="+strconv.Itoa(page), nil, "")
		var ids []struct{ ID int }
		if st != 200 || json.Unmarshal(body, &ids) != nil {
			t.Fatalf("page %d: %d", page, st)
		}
		if len(ids) == 0 {
			break
		}
		if h.Get("X-WP-Total") != "1000" || h.Get("X-WP-TotalPages") != "10" {
			t.Fatalf("headers %v", h)
		}
		for _, x := range ids {
			seen[x.ID] = true
		}
	}
	if len(seen) != 1000 || len(c.sim.Customers()) != 201 || len(c.sim.Orders()) != 2000 {
		t.Errorf("products %d customers %d orders %d", len(seen), len(c.sim.Customers()), len(c.sim.Orders()))
	}
}

// TestReadsInParallelWithWrites runs every read route concurrently with
// stock and status writes; reads share the store lock, so under -race this
// checks that serving a read changes nothing. Lists keep their totals.
func TestReadsInParallelWithWrites(t *testing.T) {
	s := New(Options{AllowBasicOverHTTP: true})
	if err := s.Seed("200"); err != nil {
		t.Fatal(err)
	}
	h, k := s.Handler(), s.Key()
	serve := func(method, path, body string) (int, http.Header, []byte) {
		req := httptest.NewRequest(method, "http://127.0.0.1"+api+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth(k.ConsumerKey, k.ConsumerSecret)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Header(), rec.Body.Bytes()
	}
	prod, order := s.Products()[0].ID, s.Orders()[0].ID
	totals := map[string]string{"products?status=any": "200", "orders?per_page=100": "400", "customers?role=all": "41",
		"products/categories": "", "payment_gateways": "", "shipping_methods": "", "system_status?_fields=environment": "",
		"products/" + itoa(prod) + "?context=edit": "", "orders/" + itoa(order) + "/notes": "",
		"orders?_fields=id,line_items.name,meta_data.key&page=2&per_page=50": "400"}
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for range 4 {
		wg.Go(func() {
			for range 5 {
				for path, total := range totals {
					st, hd, b := serve("GET", path, "")
					if st != 200 || !json.Valid(b) || total != "" && hd.Get("X-WP-Total") != total {
						errs <- fmt.Sprintf("GET %s: %d total %s: %.100s", path, st, hd.Get("X-WP-Total"), b)
					}
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 20 {
			if st, _, b := serve("PUT", "products/"+itoa(prod), `{"manage_stock":true,"stock_quantity":`+itoa(i)+`}`); st != 200 {
				errs <- fmt.Sprintf("PUT product: %d %s", st, b)
			}
			status := []string{"on-hold", "processing"}[i%2]
			if st, _, b := serve("PUT", "orders/"+itoa(order), `{"status":"`+status+`"}`); st != 200 {
				errs <- fmt.Sprintf("PUT order: %d %s", st, b)
			}
		}
	})
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if p, _ := s.Product(prod); p.StockQuantity == nil || *p.StockQuantity != 19 {
		t.Errorf("stock after the writes: %v, want 19", p.StockQuantity)
	}
}

func BenchmarkListPage100Of100k(b *testing.B) {
	s := New(Options{})
	if err := s.Seed("100000"); err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	req, _ := http.NewRequest("GET", "http://127.0.0.1"+api+"products?per_page=100&page=500&orderby=id&order=asc", nil)
	k := s.Key()
	s.opts.AllowBasicOverHTTP = true
	req.SetBasicAuth(k.ConsumerKey, k.ConsumerSecret)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := &discard{h: http.Header{}}
		h.ServeHTTP(w, req)
		if w.status != 200 {
			b.Fatalf("status %d", w.status)
		}
	}
}

// BenchmarkListPage serves one page of 100 of each list the client reads
// in a full snapshot of a 10,000-product shop (2,000 customers, 20,000
// orders), with the client's _fields.
func BenchmarkListPage(b *testing.B) {
	s := New(Options{AllowBasicOverHTTP: true})
	if err := s.Seed("10000"); err != nil {
		b.Fatal(err)
	}
	h, k := s.Handler(), s.Key()
	for _, l := range []struct{ name, query string }{
		{"products", "products?context=edit&_fields=id,name,sku,type,status,description,regular_price,sale_price,categories," +
			"manage_stock,stock_quantity,date_modified_gmt"},
		{"customers", "customers?role=all&_fields=id,email,first_name,last_name,role,billing,shipping,date_modified_gmt"},
		{"orders", "orders?_fields=id,number,status,currency,total,shipping_total,shipping_tax,customer_id,billing,shipping," +
			"payment_method,payment_method_title,customer_note,meta_data,line_items,fee_lines,date_created_gmt,date_modified_gmt"},
	} {
		req := httptest.NewRequest("GET", "http://127.0.0.1"+api+l.query+"&per_page=100&page=7&orderby=id&order=asc", nil)
		req.SetBasicAuth(k.ConsumerKey, k.ConsumerSecret)
		b.Run(l.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w := &discard{h: http.Header{}}
				h.ServeHTTP(w, req)
				if w.status != 200 {
					b.Fatalf("status %d", w.status)
				}
			}
		})
	}
}

func BenchmarkSeed100k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if err := New(Options{}).Seed("100000"); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct {
	h      http.Header
	status int
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) Write(b []byte) (int, error) {
	if d.status == 0 {
		d.status = 200
	}
	return len(b), nil
}
func (d *discard) WriteHeader(s int) { d.status = s }
