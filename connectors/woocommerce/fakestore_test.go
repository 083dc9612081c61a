package woocommerce

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeStore is a small stateful WooCommerce on loopback for the contract
// suite until the full simulator (wcsim) is available: products,
// categories, customers and orders with paging, the filters the client
// sends, batch endpoints with per-item errors, request counters, latency
// and injected faults. It checks OAuth signatures like the real store.
type fakeStore struct {
	t       testing.TB
	key     string
	secret  string
	srv     *httptest.Server
	mu      sync.Mutex
	nextID  int
	items   map[string][]map[string]any // collection path -> records
	counts  map[string]int
	latency time.Duration
	clock   func() time.Time
	// fault, when set, may answer a request instead of the store.
	fault func(r *http.Request) (status int, header http.Header, body string, ok bool)
}

func newFakeStore(t testing.TB) *fakeStore {
	f := &fakeStore{t: t, key: "ck_fake", secret: "cs_fake_secret", nextID: 10,
		items: map[string][]map[string]any{}, counts: map[string]int{},
		clock: func() time.Time { return time.Now().UTC().Truncate(time.Second) }}
	f.items["/payment_gateways"] = []map[string]any{
		{"id": "bacs", "title": "Direct bank transfer", "enabled": false, "order": ""},
		{"id": "cod", "title": "Cash on delivery", "enabled": true, "order": ""},
	}
	f.items["/customers"] = []map[string]any{{"id": 1, "email": "admin@example.com", "role": "administrator",
		"first_name": "", "last_name": "", "billing": map[string]any{}, "shipping": map[string]any{}, "date_modified_gmt": nil}}
	f.items["/products/categories"] = []map[string]any{{"id": 15, "name": "Uncategorized", "parent": 0, "description": ""}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeStore) counters() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps(f.counts)
}

func maps(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (f *fakeStore) resetCounters() {
	f.mu.Lock()
	f.counts = map[string]int{}
	f.mu.Unlock()
}

func (f *fakeStore) addProducts(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock().Add(-time.Hour).Format(gmtLayout)
	for i := 0; i < n; i++ {
		f.nextID++
		f.items["/products"] = append(f.items["/products"], map[string]any{"id": f.nextID, "name": fmt.Sprintf("Product %d", i),
			"sku": fmt.Sprintf("SKU-%05d", i), "type": "simple", "status": "publish", "description": "",
			"regular_price": "10", "sale_price": "", "categories": []any{}, "manage_stock": true,
			"stock_quantity": 5, "date_modified_gmt": now})
	}
}

func jsonWrite(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func wcError(w http.ResponseWriter, status int, code, msg string, extra map[string]any) {
	data := map[string]any{"status": status}
	for k, v := range extra {
		data[k] = v
	}
	jsonWrite(w, status, map[string]any{"code": code, "message": msg, "data": data})
}

func (f *fakeStore) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, API)
	pattern := path
	if i := strings.LastIndexByte(path, '/'); i > 0 {
		if _, err := strconv.Atoi(path[i+1:]); err == nil {
			pattern = path[:i] + "/<id>"
		}
	}
	f.mu.Lock()
	f.counts[r.Method+" "+pattern]++
	fault := f.fault
	f.mu.Unlock()
	if f.latency > 0 {
		time.Sleep(f.latency) // the store's own latency, not a test wait
	}
	if !f.authorised(r) {
		wcError(w, 401, "woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match.", nil)
		return
	}
	if fault != nil {
		if status, h, body, ok := fault(r); ok {
			for k, v := range h {
				w.Header()[k] = v
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
			return
		}
	}
	if r.Method == "GET" && path != "/system_status" && path != "/payment_gateways" {
		f.list(w, r, path) // encodes outside the lock, as a real store's readers run in parallel
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case path == "/system_status":
		jsonWrite(w, 200, map[string]any{"environment": map[string]any{"version": "7.8.2"},
			"settings": map[string]any{"currency": "USD", "number_of_decimals": 2}})
	case path == "/payment_gateways":
		jsonWrite(w, 200, f.items[path])
	case strings.HasSuffix(path, "/batch") && r.Method == "POST":
		f.batch(w, r, strings.TrimSuffix(path, "/batch"))
	case pattern != path && r.Method == "DELETE":
		f.trash(w, path)
	default:
		wcError(w, 404, "rest_no_route", "No route was found matching the URL and request method.", nil)
	}
}

func (f *fakeStore) authorised(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "OAuth ") {
		return false
	}
	params := url.Values{}
	for _, part := range strings.Split(strings.TrimPrefix(h, "OAuth "), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		v, _ = url.QueryUnescape(strings.Trim(v, `"`))
		params.Set(k, v)
	}
	sig := params.Get("oauth_signature")
	for k, v := range r.URL.Query() {
		params[k] = v
	}
	if params.Get("oauth_consumer_key") != f.key {
		return false
	}
	return oauthSign(f.secret, oauthBaseString(r.Method, "http://"+r.Host+r.URL.Path, params)) == sig
}

func (f *fakeStore) list(w http.ResponseWriter, r *http.Request, path string) {
	q := r.URL.Query()
	perPage, err := strconv.Atoi(q.Get("per_page"))
	if q.Get("per_page") == "" {
		perPage = 10
	} else if err != nil || perPage < 1 || perPage > 100 {
		wcError(w, 400, "rest_invalid_param", "Invalid parameter(s): per_page", nil)
		return
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	var match []map[string]any
	f.mu.Lock()
	for _, it := range f.items[path] {
		if f.keep(it, path, q) {
			match = append(match, it)
		}
	}
	total := len(match)
	pages := (total + perPage - 1) / perPage
	lo, hi := min((page-1)*perPage, total), min(page*perPage, total)
	out := make([]map[string]any, 0, hi-lo)
	for _, it := range match[lo:hi] {
		out = append(out, clone(it))
	}
	f.mu.Unlock()
	w.Header().Set("X-WP-Total", strconv.Itoa(total))
	w.Header().Set("X-WP-TotalPages", strconv.Itoa(pages))
	jsonWrite(w, 200, out)
}

func (f *fakeStore) keep(it map[string]any, path string, q url.Values) bool {
	str := func(k string) string { s, _ := it[k].(string); return s }
	if path == "/products" || path == "/orders" {
		st := q.Get("status")
		if st == "" || st == "any" {
			if str("status") == "trash" {
				return false
			}
		} else if st != str("status") {
			return false
		}
		if ma := q.Get("modified_after"); ma != "" && str("date_modified_gmt") <= ma {
			return false
		}
	}
	if s := q.Get("sku"); s != "" && !strings.EqualFold(s, str("sku")) {
		return false
	}
	if e := q.Get("email"); e != "" && !strings.EqualFold(e, str("email")) {
		return false
	}
	if path == "/customers" && q.Get("role") != "all" && str("role") != "customer" {
		return false
	}
	if s := q.Get("search"); s != "" && !strings.Contains(strings.ToLower(str("name")), strings.ToLower(s)) {
		return false
	}
	if p := q.Get("parent"); p != "" && fmt.Sprint(it["parent"]) != p {
		return false
	}
	return true
}

func (f *fakeStore) find(path string, id int) (int, map[string]any) {
	for i, it := range f.items[path] {
		if n, ok := it["id"].(int); ok && n == id {
			return i, it
		}
	}
	return -1, nil
}

func (f *fakeStore) trash(w http.ResponseWriter, path string) {
	i := strings.LastIndexByte(path, '/')
	id, _ := strconv.Atoi(path[i+1:])
	_, it := f.find(path[:i], id)
	switch {
	case it == nil:
		wcError(w, 404, "woocommerce_rest_product_invalid_id", "Invalid ID.", nil)
	case it["status"] == "trash":
		wcError(w, 410, "woocommerce_rest_already_trashed", "The product has already been deleted.", nil)
	default:
		before := clone(it)
		it["status"] = "trash"
		it["date_modified_gmt"] = f.clock().Format(gmtLayout)
		jsonWrite(w, 200, before)
	}
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (f *fakeStore) batch(w http.ResponseWriter, r *http.Request, path string) {
	var req struct {
		Create []map[string]any `json:"create"`
		Update []map[string]any `json:"update"`
		Delete []int            `json:"delete"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		wcError(w, 400, "rest_invalid_json", "Invalid JSON body passed.", nil)
		return
	}
	if len(req.Create)+len(req.Update)+len(req.Delete) > 100 {
		wcError(w, 413, "woocommerce_rest_request_entity_too_large", "Unable to accept more than 100 items for this request.", nil)
		return
	}
	out := map[string][]any{}
	itemErr := func(id any, status int, code string, extra map[string]any) map[string]any {
		data := map[string]any{"status": status}
		for k, v := range extra {
			data[k] = v
		}
		return map[string]any{"id": id, "error": map[string]any{"code": code, "message": code, "data": data}}
	}
	now := f.clock().Format(gmtLayout)
	for _, c := range req.Create {
		if dup := f.duplicate(path, c, 0); dup != nil {
			out["create"] = append(out["create"], dup)
			continue
		}
		f.nextID++
		c["id"] = f.nextID
		c["date_modified_gmt"] = now
		if path == "/customers" {
			c["role"] = "customer"
		}
		if path == "/orders" {
			if c["set_paid"] == true {
				c["status"] = "processing"
			} else if c["status"] == nil {
				c["status"] = "pending"
			}
			c["number"] = strconv.Itoa(f.nextID)
		}
		f.items[path] = append(f.items[path], c)
		out["create"] = append(out["create"], c)
	}
	for _, u := range req.Update {
		id, _ := u["id"].(float64)
		_, it := f.find(path, int(id))
		if it == nil {
			out["update"] = append(out["update"], itemErr(int(id), 400, "woocommerce_rest_product_invalid_id", nil))
			continue
		}
		if dup := f.duplicate(path, u, int(id)); dup != nil {
			out["update"] = append(out["update"], dup)
			continue
		}
		for k, v := range u {
			if k != "id" {
				it[k] = v
			}
		}
		it["date_modified_gmt"] = now
		out["update"] = append(out["update"], it)
	}
	for _, id := range req.Delete {
		i, it := f.find(path, id)
		if it == nil {
			out["delete"] = append(out["delete"], itemErr(id, 404, "woocommerce_rest_invalid_id", nil))
			continue
		}
		f.items[path] = slices.Delete(f.items[path], i, i+1)
		out["delete"] = append(out["delete"], it)
	}
	jsonWrite(w, 200, out)
}

// duplicate returns the error element for a record that clashes with an
// existing one (SKU, e-mail, category name under the same parent).
func (f *fakeStore) duplicate(path string, c map[string]any, self int) map[string]any {
	key := map[string]string{"/products": "sku", "/customers": "email", "/products/categories": "name"}[path]
	code := map[string]string{"/products": "product_invalid_sku", "/customers": "registration-error-email-exists",
		"/products/categories": "term_exists"}[path]
	v, _ := c[key].(string)
	if key == "" || v == "" {
		return nil
	}
	for _, it := range f.items[path] {
		s, _ := it[key].(string)
		if it["id"] == self || !strings.EqualFold(s, v) || it["status"] == "trash" {
			continue
		}
		if path == "/products/categories" && fmt.Sprint(it["parent"]) != fmt.Sprint(orZero(c["parent"])) {
			continue
		}
		data := map[string]any{"status": 400}
		if path != "/customers" {
			data["resource_id"] = it["id"]
		}
		return map[string]any{"id": 0, "error": map[string]any{"code": code, "message": "duplicate", "data": data}}
	}
	return nil
}

func orZero(v any) any {
	if v == nil {
		return 0
	}
	if f, ok := v.(float64); ok {
		return int(f)
	}
	return v
}
