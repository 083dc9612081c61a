package nexosim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func start(t *testing.T, opts Options) (*Sim, *fakeClock) {
	t.Helper()
	clk := &fakeClock{t: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)}
	if opts.Clock == nil {
		opts.Clock = clk.now
	}
	s := New(opts)
	if _, err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, clk
}

func do(t *testing.T, s *Sim, method, path string, in any, hdr ...string) (int, map[string]any, []byte) {
	t.Helper()
	var rd io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.URL()+path, rd)
	req.Header.Set("Authorization", "Bearer "+s.Token())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m, raw
}

func productBody(name, sku string, cat int, price float64) map[string]any {
	return map[string]any{"name": name, "variations": []any{map[string]any{
		"$primary":       true,
		"identification": map[string]any{"category_id": cat, "sku": sku, "barcode": "", "barcode_type": "code128", "type": "materialized", "status": "available", "stock_management": "enabled"},
		"expiracy":       map[string]any{"expires": 0, "on_expiration": "prevent_sales"},
		"taxes":          map[string]any{"tax_group_id": nil, "tax_type": "inclusive"},
		"units":          map[string]any{"unit_group": 1, "selling_group": []any{map[string]any{"unit_id": 1, "sale_price_edit": price, "wholesale_price_edit": price}}},
		"images":         []any{}, "groups": map[string]any{"product_subitems": []any{}},
	}}}
}

func TestAuth(t *testing.T) {
	s, _ := start(t, Options{NoThrottle: true})
	if code, m, _ := do(t, s, "GET", "/api/user", nil, "Authorization", "Bearer 1|wrong"); code != 401 || m["message"] != "Unauthenticated." {
		t.Fatalf("bad token: %d %v", code, m)
	}
	if code, _, _ := do(t, s, "GET", "/api/user", nil, "Authorization", "", "Accept", "text/html"); code != 302 {
		t.Fatalf("no Accept: want 302, got %d", code)
	}
	if code, m, _ := do(t, s, "GET", "/api/user", nil); code != 200 || m["username"] != "admin" {
		t.Fatalf("probe: %d %v", code, m)
	}
	if code, _, _ := do(t, s, "POST", "/api/categories", map[string]any{"name": "X"}, "Origin", "http://localhost"); code != 419 {
		t.Fatalf("stateful POST: want 419, got %d", code)
	}
}

func TestThrottle(t *testing.T) {
	for _, debug := range []bool{false, true} {
		s, clk := start(t, Options{ThrottlePerMinute: 3, Debug: debug})
		for i := 0; i < 3; i++ {
			if code, _, _ := do(t, s, "GET", "/api/user", nil); code != 200 {
				t.Fatalf("request %d: %d", i, code)
			}
		}
		code, m, _ := do(t, s, "GET", "/api/user", nil)
		want := 500
		if debug {
			want = 429
		}
		if code != want || m["message"] != "Too Many Attempts." {
			t.Fatalf("debug=%v: got %d %v", debug, code, m)
		}
		clk.add(time.Minute)
		if code, _, _ := do(t, s, "GET", "/api/user", nil); code != 200 {
			t.Fatalf("after the window: %d", code)
		}
	}
}

func TestProductsAndStock(t *testing.T) {
	s, clk := start(t, Options{NoThrottle: true})
	code, m, raw := do(t, s, "POST", "/api/products", productBody("Blue Mug", "MUG-1", 1, 12.5))
	if code != 200 || m["status"] != "success" {
		t.Fatalf("create: %d %s", code, raw)
	}
	id := int(m["data"].(map[string]any)["product"].(map[string]any)["id"].(float64))
	if code, m, _ := do(t, s, "POST", "/api/products", productBody("Other", "MUG-1", 1, 1)); code != 500 || m["message"] != `The provided SKU "MUG-1" is already in use.` {
		t.Fatalf("dup sku: %d %v", code, m)
	}
	if code, m, _ := do(t, s, "POST", "/api/products", productBody("Other", "X", 99, 1)); code != 500 || !strings.Contains(m["message"].(string), "category") {
		t.Fatalf("unknown category: %d %v", code, m)
	}
	if code, _, _ := do(t, s, "PUT", "/api/products/999", productBody("X", "Y", 1, 1)); code != 404 {
		t.Fatalf("update unknown: %d", code)
	}
	before, _ := s.Product(id)
	clk.add(time.Hour)
	adj := func(action string, q float64) (int, map[string]any) {
		c, m, _ := do(t, s, "POST", "/api/products/adjustments", map[string]any{"products": []any{map[string]any{
			"id": id, "name": "Blue Mug", "adjust_action": action, "adjust_quantity": q, "adjust_unit": map[string]any{"unit_id": 1, "sale_price": 12.5}}}})
		return c, m
	}
	if c, m := adj("added", 5); c != 200 || m["message"] != "The stock has been adjustment successfully." {
		t.Fatalf("added: %d %v", c, m)
	}
	if c, m := adj("lost", 6); c != 403 || m["message"] != `The operation will cause a negative stock for the product "Blue Mug" (-1).` {
		t.Fatalf("negative: %d %v", c, m)
	}
	if c, m := adj("set", 5); c != 500 || !strings.Contains(m["message"].(string), "adjustQuantity") {
		t.Fatalf("equal set: %d %v", c, m)
	}
	after, _ := s.Product(id)
	if q, _ := s.StockOf(id, 1); q != 5 || !after.UpdatedAt.Equal(before.UpdatedAt.Time) {
		t.Fatalf("stock %v, updated_at moved %v -> %v", q, before.UpdatedAt, after.UpdatedAt)
	}
	// sell 2: paid order deducts; void returns; insufficient stock is a 500
	order := map[string]any{"customer_id": 2, "type": map[string]any{"identifier": "takeaway"}, "title": "WC-1", "note": "n",
		"products": []any{map[string]any{"product_id": id, "unit_quantity_id": after.UnitQuantities[0].ID, "quantity": 2, "unit_price": 12.5}},
		"payments": []any{map[string]any{"identifier": "cash-payment", "value": 25}}}
	code, m, raw = do(t, s, "POST", "/api/orders", order)
	if code != 200 {
		t.Fatalf("order: %d %s", code, raw)
	}
	o := m["data"].(map[string]any)["order"].(map[string]any)
	if o["payment_status"] != "paid" || o["title"] != "WC-1" || !strings.HasPrefix(o["code"].(string), "250501-") {
		t.Fatalf("order row: %v", o)
	}
	if q, _ := s.StockOf(id, 1); q != 3 {
		t.Fatalf("after sale: %v", q)
	}
	oid := int(o["id"].(float64))
	if code, m, _ := do(t, s, "DELETE", "/api/products/"+itoa(id), nil); code != 403 || !strings.Contains(m["message"].(string), "dependency") {
		t.Fatalf("delete referenced: %d %v", code, m)
	}
	if code, _, _ := do(t, s, "POST", "/api/orders/"+itoa(oid)+"/void", map[string]any{"reason": "x"}); code != 200 {
		t.Fatalf("void: %d", code)
	}
	if q, _ := s.StockOf(id, 1); q != 5 {
		t.Fatalf("after void: %v", q)
	}
	order["products"].([]any)[0].(map[string]any)["quantity"] = 9
	if code, m, _ := do(t, s, "POST", "/api/orders", order); code != 500 || m["message"] != "Unable to proceed, there is not enough stock for Blue Mug using the unit Piece. Requested : 9, available 5" {
		t.Fatalf("shortage: %d %v", code, m)
	}
	// unpaid order deducts only when paid
	delete(order, "payments")
	order["products"].([]any)[0].(map[string]any)["quantity"] = 1
	_, m, _ = do(t, s, "POST", "/api/orders", order)
	oid = int(m["data"].(map[string]any)["order"].(map[string]any)["id"].(float64))
	if q, _ := s.StockOf(id, 1); q != 5 {
		t.Fatalf("unpaid deducted: %v", q)
	}
	if code, _, raw := do(t, s, "POST", "/api/orders/"+itoa(oid)+"/payments", map[string]any{"identifier": "cash-payment", "value": 12.5}); code != 200 {
		t.Fatalf("payment: %d %s", code, raw)
	}
	if q, _ := s.StockOf(id, 1); q != 4 {
		t.Fatalf("after payment: %v", q)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestCrudListAndCustomers(t *testing.T) {
	s, _ := start(t, Options{NoThrottle: true})
	if err := s.Seed("demo"); err != nil {
		t.Fatal(err)
	}
	code, m, _ := do(t, s, "GET", "/api/crud/ns.products-units?per_page=500", nil)
	if code != 200 || m["total"].(float64) != 30 || len(m["data"].([]any)) != 30 || m["next_page_url"] != nil {
		t.Fatalf("units page: %d %v", code, m["total"])
	}
	for _, k := range []string{"current_page", "data", "first_page_url", "from", "last_page", "last_page_url", "links", "next_page_url", "path", "per_page", "prev_page_url", "to", "total"} {
		if _, ok := m[k]; !ok {
			t.Fatalf("paginator lacks %s", k)
		}
	}
	_, m, _ = do(t, s, "GET", "/api/crud/ns.orders?search=POS+sale+3", nil)
	if m["total"].(float64) != 1 {
		t.Fatalf("order search: %v", m["total"])
	}
	cust := map[string]any{"first_name": "Ada", "general": map[string]any{"email": "ada.lovelace@example.com", "group_id": 1}}
	if code, m, _ := do(t, s, "POST", "/api/crud/ns.customers", cust); code != 403 || !strings.Contains(m["message"].(string), "already used for another customer") {
		t.Fatalf("dup email: %d %v", code, m)
	}
	cust["general"].(map[string]any)["email"] = "admin@nexopos.test"
	if code, _, _ := do(t, s, "POST", "/api/crud/ns.customers", cust); code != 500 {
		t.Fatalf("admin email: %d", code)
	}
	if code, m, _ := do(t, s, "POST", "/api/crud/ns.payments-types", map[string]any{"label": "Cash 2", "general": map[string]any{"identifier": "cash-payment"}}); code != 403 || m["message"] != "A payment type having the same identifier already exists." {
		t.Fatalf("dup payment: %d %v", code, m)
	}
	if code, m, _ := do(t, s, "POST", "/api/products/search", map[string]any{"arguments": map[string]any{"sku": map[string]any{"comparison": "=", "value": "DEMO-007"}}}); code != 200 || len(m) != 0 {
		_ = m
	}
}

func TestFaults(t *testing.T) {
	fs, err := ParseFaults("products:GET:429/2sx2,orders:POST:reset@2,*:*:503%50")
	if err != nil || len(fs) != 3 || fs[0].Count != 2 || fs[0].RetryAfter != 2*time.Second || fs[1].Nth != 2 || fs[2].Probability != 0.5 {
		t.Fatalf("parse: %+v %v", fs, err)
	}
	s, _ := start(t, Options{NoThrottle: true})
	s.SetFaults(fs[:1])
	for i, want := range []int{429, 429, 200} {
		if code, _, _ := do(t, s, "GET", "/api/products", nil); code != want {
			t.Fatalf("request %d: %d", i, code)
		}
	}
	if got := s.Counters()["GET /api/products"]; got != 3 {
		t.Fatalf("counter: %d", got)
	}
	s.ResetCounters()
	if len(s.Requests()) != 0 {
		t.Fatal("requests not reset")
	}
}

func TestSeedN(t *testing.T) {
	s := New(Options{NoThrottle: true})
	if err := s.Seed("200"); err != nil {
		t.Fatal(err)
	}
	if len(s.Products()) != 200 || len(s.Orders()) != 400 || len(s.Customers()) != 41 {
		t.Fatalf("seed: %d products %d orders %d customers", len(s.Products()), len(s.Orders()), len(s.Customers()))
	}
}

func BenchmarkCrudProductsPage(b *testing.B) {
	s := New(Options{NoThrottle: true})
	if err := s.Seed("10000"); err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	req, _ := http.NewRequest("GET", "/api/crud/ns.products-units?per_page=500&page=7", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token())
	req.Header.Set("Accept", "application/json")
	b.ResetTimer()
	for b.Loop() {
		w := &discard{h: http.Header{}}
		h.ServeHTTP(w, req)
	}
}

type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}
