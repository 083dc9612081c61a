package woocommerce

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/snapshot"
)

// Hostile and odd input, read over real HTTP from the simulator (or from a
// proxy in front of it that rewrites what the simulator cannot produce).
// Every record ends as a canonical record equal to what the store holds, or
// as a Held record whose reason names the field and the value; a listing
// the client cannot trust fails as a whole. Nothing is dropped silently.

// hostileStore starts a simulator and returns it with a client for it.
func hostileStore(t *testing.T) (*wcsim.Sim, string) {
	t.Helper()
	s := wcsim.New(wcsim.Options{})
	u, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, u
}

func hostileClient(t *testing.T, s *wcsim.Sim, baseURL string) *Client {
	t.Helper()
	k := s.Key()
	c, err := New(Config{BaseURL: baseURL, ConsumerKey: k.ConsumerKey, ConsumerSecret: k.ConsumerSecret,
		AllowPlainHTTPLoopback: true, Retry: &NoRetryDelay})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// rewrite may replace the status and body the simulator answered to a
// request.
type rewrite func(r *http.Request, status int, body []byte) (int, []byte)

// rewriting serves a fresh simulator's handler on loopback, passing each
// answer through fn: what the simulator cannot produce by itself.
func rewriting(t *testing.T, fn rewrite) (*wcsim.Sim, string) {
	t.Helper()
	s := wcsim.New(wcsim.Options{})
	h := s.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		status, body := fn(r, rec.Code, rec.Body.Bytes())
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return s, srv.URL
}

func isList(r *http.Request, path string) bool {
	return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/wc/v3"+path)
}

func readProducts(t *testing.T, c *Client) snapshot.Snapshot {
	t.Helper()
	snap, err := c.ReadSnapshot(t.Context(), ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindProduct}})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func productByID(snap snapshot.Snapshot, id int) (snapshot.Product, bool) {
	for _, p := range snap.Products {
		if p.ID == snapshot.ID(strconv.Itoa(id)) {
			return p, true
		}
	}
	return snapshot.Product{}, false
}

func heldByID(snap snapshot.Snapshot, kind snapshot.Kind, id int) (snapshot.Held, bool) {
	for _, h := range snap.Held {
		if h.Kind == kind && h.ID == snapshot.ID(strconv.Itoa(id)) {
			return h, true
		}
	}
	return snapshot.Held{}, false
}

// TestHostileProductText: names with emoji, RTL text, HTML and SQL-looking
// strings, a 10,000-character description and odd SKUs come back exactly
// as the store holds them (names HTML-unescaped once, as WordPress stores
// them escaped). Duplicate and case-only SKUs are read as they are; the
// engine reports them (reconcile/threeway hostile tests).
func TestHostileProductText(t *testing.T) {
	s, u := hostileStore(t)
	long := strings.Repeat("Ω0123456789", 1000)[:10000]
	q := func(n int) *int { return &n }
	cases := []wcsim.Product{
		{Name: "Tasse ☕ 🇫🇷 👩‍👩‍👧", SKU: "EMOJI-1"},
		{Name: "كوب القهوة", SKU: "RTL-1", Description: "\u202eevil\u202c עברית"},
		{Name: "<b>Bold</b> & <script>alert(1)</script>", SKU: "HTML-1", Description: "<p>a &amp; b</p>"},
		{Name: "Robert'); DROP TABLE wp_posts;--", SKU: "' OR 1=1 --"},
		{Name: "Long", SKU: "LONG-1", Description: long},
		{Name: "Dup A", SKU: "DUP"},
		{Name: "Dup B", SKU: "DUP"},
		{Name: "Case upper", SKU: "CASE-1"},
		{Name: "Case lower", SKU: "case-1"},
		{Name: "Spaced", SKU: "  SPACE-1 "},
		{Name: "No SKU", SKU: ""},
		{Name: "Negative stock", SKU: "NEG-1", ManageStock: true, StockQuantity: q(-3)},
	}
	ids := make([]int, len(cases))
	for i, p := range cases {
		p.RegularPrice = "9.99"
		ids[i] = s.AddProduct(p)
	}
	snap := readProducts(t, hostileClient(t, s, u))
	if len(snap.Held) != 0 {
		t.Fatalf("held: %+v", snap.Held)
	}
	for i, id := range ids {
		want, _ := s.Product(id)
		got, ok := productByID(snap, id)
		if !ok {
			t.Errorf("%q: product %d missing from the snapshot", cases[i].Name, id)
			continue
		}
		if got.Name != cases[i].Name || got.SKU != want.SKU || got.Description != want.Description {
			t.Errorf("product %d: got name %q sku %q (%d-char description), want %q %q (%d)",
				id, got.Name, got.SKU, len(got.Description), cases[i].Name, want.SKU, len(want.Description))
		}
		if cases[i].StockQuantity != nil && got.Stock != snapshot.NewDecimal(int64(*cases[i].StockQuantity)) {
			t.Errorf("product %d: stock %s, want %d", id, got.Stock, *cases[i].StockQuantity)
		}
	}
}

// TestHostilePrices: prices the store keeps verbatim become a decimal when
// exact, and a held record naming the field and the value otherwise.
func TestHostilePrices(t *testing.T) {
	s, u := hostileStore(t)
	cases := []struct {
		regular, sale string
		want          string // decimal text; "" = held
		reason        string // in the held reason
	}{
		{regular: "12.50", want: "12.5"},
		{regular: "0", want: "0"},
		{regular: "", reason: `"regular_price": "" is not a price`},
		{regular: "abc", reason: `"regular_price": "abc"`},
		{regular: "1e3", reason: `"regular_price": "1e3"`},
		{regular: "-5", want: "-5"},
		{regular: "10", sale: "abc", reason: `"sale_price": "abc"`},
	}
	ids := make([]int, len(cases))
	for i, c := range cases {
		ids[i] = s.AddProduct(wcsim.Product{Name: "Price " + strconv.Itoa(i), SKU: "PRICE-" + strconv.Itoa(i),
			RegularPrice: c.regular, SalePrice: c.sale})
	}
	snap := readProducts(t, hostileClient(t, s, u))
	for i, c := range cases {
		p, ok := productByID(snap, ids[i])
		h, held := heldByID(snap, snapshot.KindProduct, ids[i])
		switch {
		case ok == held:
			t.Errorf("price %q: in products %v, held %v (exactly one expected)", c.regular, ok, held)
		case c.want != "" && (!ok || p.RegularPrice.String() != c.want):
			t.Errorf("price %q: got %s (held %+v), want %s", c.regular, p.RegularPrice, h, c.want)
		case c.want == "" && (!held || !strings.Contains(h.Reason, c.reason) || h.Class != ClassDecode):
			t.Errorf("price %q: held %+v, want a decode reason containing %q", c.regular, h, c.reason)
		}
	}
}

// TestHostileProductJSON: what the simulator cannot produce, sent through
// a proxy that replaces the product listing: a comma price, fractional and
// negative stock, null and missing fields, unknown enum values, numbers
// where strings are expected, and an item that is not an object.
func TestHostileProductJSON(t *testing.T) {
	items := []string{
		`{"id":101,"name":"Comma","sku":"C1","type":"simple","status":"publish","regular_price":"1,50"}`,
		`{"id":102,"name":"Fraction","sku":"F1","type":"simple","status":"publish","regular_price":"2","manage_stock":true,"stock_quantity":2.5}`,
		`{"id":103,"name":"Negative","sku":"N1","type":"simple","status":"publish","regular_price":"2","manage_stock":true,"stock_quantity":-4}`,
		`{"id":104,"name":null,"sku":null,"type":null,"status":"publish","regular_price":"3","sale_price":null,"categories":null,"manage_stock":null,"stock_quantity":null,"date_modified_gmt":null}`,
		`{"id":105,"status":"publish","regular_price":"3"}`,
		`{"id":106,"name":"Odd status","type":"simple","status":"archived","regular_price":"3"}`,
		`{"id":107,"name":"Odd type","type":"bundle","status":"publish","regular_price":"3"}`,
		`{"id":108,"name":12345,"sku":678,"type":"simple","status":"publish","regular_price":4.25}`,
		`{"id":109,"name":"Price 1e3 number","type":"simple","status":"publish","regular_price":1e3}`,
		`{"id":110,"name":"Object name","name2":1,"type":"simple","status":"publish","regular_price":"1","sku":{"a":1}}`,
		`{"id":111,"name":"Bad stock","type":"simple","status":"publish","regular_price":"1","manage_stock":true,"stock_quantity":"lots"}`,
		`{"id":112,"name":"Bad manage","type":"simple","status":"publish","regular_price":"1","manage_stock":"maybe"}`,
		`{"id":"abc","name":"Bad id"}`,
		`{"name":"No id"}`,
		`"just a string"`,
	}
	want := map[int]struct {
		ok     bool   // decoded
		reason string // else in the held reason
		check  func(p snapshot.Product) string
	}{
		101: {reason: `field "regular_price": "1,50"`},
		102: {ok: true, check: func(p snapshot.Product) string { return p.Stock.String() + " " + strconv.FormatBool(p.ManageStock) }},
		103: {ok: true, check: func(p snapshot.Product) string { return p.Stock.String() }},
		104: {ok: true, check: func(p snapshot.Product) string { return p.Name + "|" + p.SKU + "|" + p.Stock.String() }},
		105: {ok: true, check: func(p snapshot.Product) string { return p.Name + "|" + p.SKU }},
		106: {reason: `unknown product status "archived"`},
		107: {reason: `product type "bundle"`},
		108: {ok: true, check: func(p snapshot.Product) string { return p.Name + "|" + p.SKU + "|" + p.RegularPrice.String() }},
		109: {ok: true, check: func(p snapshot.Product) string { return p.RegularPrice.String() }},
		110: {reason: `field "sku": {"a":1}`},
		111: {reason: `field "stock_quantity": "lots"`},
		112: {reason: `field "manage_stock": "maybe"`},
	}
	checks := map[int]string{102: "2.5 true", 103: "-4", 104: "||0", 105: "|", 108: "12345|678|4.25", 109: "1000"}

	body := []byte("[" + strings.Join(items, ",") + "]")
	s, pu := rewriting(t, func(r *http.Request, status int, b []byte) (int, []byte) {
		if isList(r, "/products") {
			return 200, body
		}
		return status, b
	})
	snap := readProducts(t, hostileClient(t, s, pu))
	for id, w := range want {
		p, ok := productByID(snap, id)
		h, held := heldByID(snap, snapshot.KindProduct, id)
		if ok == held {
			t.Errorf("item %d: decoded %v, held %v (exactly one expected)", id, ok, held)
			continue
		}
		if w.ok {
			if !ok {
				t.Errorf("item %d held: %+v", id, h)
			} else if got := w.check(p); got != checks[id] {
				t.Errorf("item %d: got %q, want %q", id, got, checks[id])
			}
			continue
		}
		if !held || !strings.Contains(h.Reason, w.reason) {
			t.Errorf("item %d: held %+v, want a reason containing %q", id, h, w.reason)
		}
	}
	// Items without a usable id are held too (with no id): counted, not dropped.
	if n := len(snap.Products) + len(snap.Held); n != len(items) {
		t.Errorf("%d products + %d held for %d items: %+v", len(snap.Products), len(snap.Held), len(items), snap.Held)
	}
	for _, h := range snap.Held {
		if h.Reason == "" || h.Class == "" {
			t.Errorf("held without reason or class: %+v", h)
		}
	}
}

// TestHostileOrderJSON: orders with unknown statuses, null and missing
// fields, odd quantities and amounts.
func TestHostileOrderJSON(t *testing.T) {
	items := []string{
		`{"id":201,"status":"wc-awaiting-pickup","total":"10.00","line_items":[{"product_id":5,"quantity":1,"total":"10.00","total_tax":"0"}]}`,
		`{"id":202,"status":"processing","total":null,"billing":null,"shipping":null,"line_items":null,"fee_lines":null,"meta_data":null}`,
		`{"id":203,"status":"processing","total":"abc","line_items":[]}`,
		`{"id":204,"status":"processing","total":"5","line_items":[{"product_id":5,"total":"5"}]}`,
		`{"id":205,"status":"processing","total":"5","line_items":[{"product_id":5,"quantity":1.5,"total":"7.5","total_tax":null}]}`,
		`{"id":206,"status":"processing","total":"5","line_items":"none"}`,
		`{"id":207,"status":"processing","total":"5","billing":{"email":["x"]}}`,
	}
	decoded := map[int]string{201: "other awaiting-pickup 1", 202: "processing processing 0", 205: "processing processing 1"}
	heldWith := map[int]string{203: `field "total": "abc"`, 204: `field "line_items[0].quantity" missing`,
		206: `field "line_items": "none"`, 207: `field "billing.email": ["x"]`}

	body := []byte("[" + strings.Join(items, ",") + "]")
	s, pu := rewriting(t, func(r *http.Request, status int, b []byte) (int, []byte) {
		if isList(r, "/orders") {
			return 200, body
		}
		return status, b
	})
	snap, err := hostileClient(t, s, pu).ReadSnapshot(t.Context(), ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindOrder}})
	if err != nil {
		t.Fatal(err)
	}
	for id, w := range decoded {
		var got string
		for _, o := range snap.Orders {
			if o.ID == snapshot.ID(strconv.Itoa(id)) {
				got = fmt.Sprintf("%s %s %d", o.Status, o.RawStatus, len(o.Lines))
			}
		}
		if got != w {
			h, _ := heldByID(snap, snapshot.KindOrder, id)
			t.Errorf("order %d: got %q (held %+v), want %q", id, got, h, w)
		}
	}
	for id, w := range heldWith {
		if h, ok := heldByID(snap, snapshot.KindOrder, id); !ok || !strings.Contains(h.Reason, w) {
			t.Errorf("order %d: held %+v, want a reason containing %q", id, h, w)
		}
	}
	if n := len(snap.Orders) + len(snap.Held); n != len(items) {
		t.Errorf("%d orders + %d held for %d items", len(snap.Orders), len(snap.Held), len(items))
	}
}

// TestHostileErrorBody200: a list answered 200 with an error object (a
// security plugin, a PHP notice page) fails that kind; nothing is taken
// for an empty listing and the other kinds still come back.
func TestHostileErrorBody200(t *testing.T) {
	for _, body := range []string{
		`{"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.","data":{"status":403}}`,
		`<html><body>Fatal error: Allowed memory size exhausted</body></html>`,
		``,
		`null`,
	} {
		s, pu := rewriting(t, func(r *http.Request, status int, b []byte) (int, []byte) {
			if isList(r, "/products") {
				return 200, []byte(body)
			}
			return status, b
		})
		s.AddProduct(wcsim.Product{Name: "Kept", SKU: "K", RegularPrice: "1"})
		snap, err := hostileClient(t, s, pu).ReadSnapshot(t.Context(), ReadOptions{Full: true,
			Kinds: []snapshot.Kind{snapshot.KindProduct, snapshot.KindCategory}})
		if err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		if snap.Failed[snapshot.KindProduct] == "" || snap.Complete[snapshot.KindProduct] || len(snap.Products) != 0 {
			t.Errorf("%q: products failed %q, complete %v, %d read", body, snap.Failed[snapshot.KindProduct],
				snap.Complete[snapshot.KindProduct], len(snap.Products))
		}
		if !snap.Complete[snapshot.KindCategory] {
			t.Errorf("%q: categories not read: %v", body, snap.Failed)
		}
	}
}

// TestHostileLongPage: a page longer than per_page (a plugin ignoring
// per_page) is read whole; every record comes back once.
func TestHostileLongPage(t *testing.T) {
	var items []string
	for i := 1; i <= PageSize+50; i++ {
		items = append(items, fmt.Sprintf(`{"id":%d,"name":"P%d","sku":"S%d","type":"simple","status":"publish","regular_price":"1"}`, i, i, i))
	}
	body := []byte("[" + strings.Join(items, ",") + "]")
	s, pu := rewriting(t, func(r *http.Request, status int, b []byte) (int, []byte) {
		if isList(r, "/products") {
			return 200, body
		}
		return status, b
	})
	snap := readProducts(t, hostileClient(t, s, pu))
	if len(snap.Products) != PageSize+50 || len(snap.Held) != 0 || !snap.Complete[snapshot.KindProduct] {
		t.Fatalf("%d products, %d held, complete %v", len(snap.Products), len(snap.Held), snap.Complete[snapshot.KindProduct])
	}
}

// TestHostileRepeatedPage: a store that answers page 2 with page 1 again
// (a caching plugin ignoring the query) must not produce a complete
// listing missing the second page's records, which the engine would take
// for deletions. The listing fails, or is marked incomplete.
func TestHostileRepeatedPage(t *testing.T) {
	var first atomic.Value
	s, pu := rewriting(t, func(r *http.Request, status int, b []byte) (int, []byte) {
		if !isList(r, "/products") {
			return status, b
		}
		if r.URL.Query().Get("page") == "1" {
			first.Store(b)
			return status, b
		}
		if p, ok := first.Load().([]byte); ok {
			return status, p
		}
		return status, b
	})
	for i := 1; i <= PageSize+30; i++ {
		s.AddProduct(wcsim.Product{Name: fmt.Sprintf("P%d", i), SKU: fmt.Sprintf("S%d", i), RegularPrice: "1"})
	}
	c := hostileClient(t, s, pu)
	c.conc = 1 // page 1 is answered before page 2 is asked
	snap, err := c.ReadSnapshot(t.Context(), ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindProduct, snapshot.KindCategory}})
	if err != nil {
		t.Fatal(err)
	}
	if snap.Complete[snapshot.KindProduct] && len(snap.Products)+len(snap.Held) < PageSize+30 {
		t.Fatalf("complete listing of %d products (%d held) while the store holds %d: the missing ones would look deleted",
			len(snap.Products), len(snap.Held), PageSize+30)
	}
	if f := snap.Failed[snapshot.KindProduct]; !strings.Contains(f, "listing short: 100 distinct records of 130") {
		t.Errorf("repeated page not reported: %+v", snap.Failed)
	}
}

// TestHostileGateways: a gateway list with odd values and a missing id.
func TestHostileGateways(t *testing.T) {
	body := []byte(`[{"id":"bacs","title":"Bank <em>transfer</em> &amp; co","enabled":"yes"},` +
		`{"id":"","title":"no id","enabled":true},{"id":"cod","title":null,"enabled":"perhaps"},{"id":"x","enabled":null}]`)
	s, pu := rewriting(t, func(r *http.Request, status int, b []byte) (int, []byte) {
		if isList(r, "/payment_gateways") {
			return 200, body
		}
		return status, b
	})
	snap, err := hostileClient(t, s, pu).ReadSnapshot(t.Context(), ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindPaymentMethod}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(snap.PaymentMethods)
	if len(snap.PaymentMethods) != 2 || snap.PaymentMethods[0].Title != "Bank <em>transfer</em> & co" || !snap.PaymentMethods[0].Enabled {
		t.Errorf("gateways %s", got)
	}
	if len(snap.Held) != 2 || !strings.Contains(snap.Held[0].Reason+snap.Held[1].Reason, `field "enabled": "perhaps"`) {
		t.Errorf("held %+v", snap.Held)
	}
}
