package woocommerce

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/woonexo/woonexo/snapshot"
)

// fixtureDir finds the recorded WooCommerce responses by walking up from
// the working directory; "" when they are not there.
func fixtureDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "shared", "fixtures", "woocommerce-7.8.2")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	dir := fixtureDir()
	if dir == "" {
		t.Skip("recorded fixtures not found above the working directory")
	}
	b, err := os.ReadFile(filepath.Join(dir, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utc(s string) time.Time {
	t, _ := time.Parse(gmtLayout, s)
	return t
}

func TestDecodeProductFixture(t *testing.T) {
	p, h := DecodeProduct(fixture(t, "product_get_simple"))
	if h != nil {
		t.Fatalf("held: %+v", h)
	}
	want := snapshot.Product{ID: "10", SKU: "BW-001", Name: "Blue Widget", Description: "<p>A blue widget.</p>\n",
		Status: snapshot.ProductActive, RegularPrice: snapshot.MustDecimal("12.5"), SalePrice: snapshot.MustDecimal("9.90"),
		HasSalePrice: true, CategoryIDs: []snapshot.ID{"16", "18"}, ManageStock: true, Stock: snapshot.NewDecimal(25),
		Modified: utc("2026-11-28T03:51:01")}
	if d := cmp.Diff(want, p, cmp.AllowUnexported(snapshot.Decimal{})); d != "" {
		t.Errorf("product (-want +got):\n%s", d)
	}
	tp, h := DecodeProduct(fixture(t, "product_get_trashed"))
	if h != nil || tp.Status != snapshot.ProductTrashed {
		t.Errorf("trashed product = %+v, %+v", tp, h)
	}
}

func TestDecodeOrderFixture(t *testing.T) {
	o, h := DecodeOrder(fixture(t, "order_get_processing"))
	if h != nil {
		t.Fatalf("held: %+v", h)
	}
	if o.ID != "324" || o.Number != "324" || o.Status != snapshot.OrderProcessing || o.RawStatus != "processing" ||
		!o.StockReduced || o.Total != snapshot.MustDecimal("44.80") || o.Shipping != snapshot.NewDecimal(5) ||
		o.CustomerID != "2" || o.PaymentMethod != "bacs" || o.Email != "jane.doe@example.com" || o.Reference != "" {
		t.Errorf("order = %+v", o)
	}
	if len(o.Lines) != 2 || o.Lines[0].ProductID != "10" || o.Lines[0].Quantity != snapshot.NewDecimal(2) ||
		o.Lines[0].Total != snapshot.MustDecimal("19.80") || o.Lines[0].UnitPrice != snapshot.MustDecimal("9.9") {
		t.Errorf("lines = %+v", o.Lines)
	}
	c, h := DecodeOrder(fixture(t, "order_update_cancelled"))
	if h != nil || c.Status != snapshot.OrderCancelled || c.StockReduced {
		t.Errorf("cancelled order = %+v, %+v", c, h)
	}
	g, h := DecodeOrder(fixture(t, "order_create_line_item_unknown_product"))
	if h != nil || len(g.Lines) != 1 || g.Lines[0].Kind != snapshot.LineQuick || g.Lines[0].Name != "Ghost item" {
		t.Errorf("line without product = %+v, %+v", g.Lines, h)
	}
}

func TestDecodeCustomerFixture(t *testing.T) {
	c, h := DecodeCustomer(fixture(t, "customer_get"))
	if h != nil {
		t.Fatalf("held: %+v", h)
	}
	if c.ID != "2" || c.Email != "jane.doe@example.com" || c.Role != "customer" || c.Phone != "555-0100" ||
		c.Shipping.Phone != "555-0101" || c.Billing.City != "Springfield" || !c.Modified.Equal(utc("2026-11-28T03:52:25")) {
		t.Errorf("customer = %+v", c)
	}
}

func TestDecodeListFixtures(t *testing.T) {
	for name, kind := range map[string]snapshot.Kind{
		"category_list": snapshot.KindCategory, "customer_list": snapshot.KindCustomer,
		"payment_gateways_list": snapshot.KindPaymentMethod, "order_list_page2_per_page2": snapshot.KindOrder,
		"product_list_page2_per_page2": snapshot.KindProduct,
	} {
		var items []json.RawMessage
		if err := json.Unmarshal(fixture(t, name), &items); err != nil {
			t.Fatal(err)
		}
		var s snapshot.Snapshot
		for _, it := range items {
			decodeInto(&s, kind, it)
		}
		n := len(s.Categories) + len(s.Customers) + len(s.PaymentMethods) + len(s.Orders) + len(s.Products) + len(s.Held)
		if n != len(items) || len(items) == 0 {
			t.Errorf("%s: %d items gave %d records and held", name, len(items), n)
		}
		for _, h := range s.Held {
			t.Errorf("%s: held %+v", name, h)
		}
	}
}

// TestDecodeTolerance covers the odd values stores send.
func TestDecodeTolerance(t *testing.T) {
	base := map[string]any{"id": 7, "type": "simple", "status": "publish", "name": "A &amp; B", "sku": "X",
		"regular_price": "10", "sale_price": "", "manage_stock": true, "stock_quantity": 3, "categories": []any{},
		"date_modified_gmt": "2026-11-28T03:51:01", "unknown_field": map[string]any{"x": 1}}
	with := func(k string, v any) []byte {
		m := map[string]any{}
		for a, b := range base {
			m[a] = b
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		return b
	}
	held := []struct {
		field string
		value any
		class string
	}{
		{"regular_price", "", ClassDecode}, {"regular_price", "abc", ClassDecode}, {"regular_price", "1,50", ClassDecode},
		{"regular_price", "1e3", ClassDecode}, {"status", "limbo", ClassDecode}, {"type", "variable", ClassUnsupportedType},
		{"type", "grouped", ClassUnsupportedType}, {"type", "external", ClassUnsupportedType}, {"manage_stock", "sometimes", ClassDecode},
		{"date_modified_gmt", "yesterday", ClassDecode}, {"id", "x", ClassDecode},
	}
	for _, tt := range held {
		_, h := DecodeProduct(with(tt.field, tt.value))
		if h == nil || h.Class != tt.class || h.Kind != snapshot.KindProduct {
			t.Errorf("%s=%v: held %+v, want class %s", tt.field, tt.value, h, tt.class)
			continue
		}
		if tt.field != "id" && (h.ID != "7" || !strings.Contains(h.Reason, tt.field)) {
			t.Errorf("%s=%v: reason %q (id %s) must name the field and keep the id", tt.field, tt.value, h.Reason, h.ID)
		}
	}
	ok := []struct {
		field string
		value any
		check func(snapshot.Product) bool
	}{
		{"regular_price", 12.5, func(p snapshot.Product) bool { return p.RegularPrice == snapshot.MustDecimal("12.5") }},
		{"id", "7", func(p snapshot.Product) bool { return p.ID == "7" }},
		{"manage_stock", "parent", func(p snapshot.Product) bool { return !p.ManageStock && p.Stock == snapshot.NewDecimal(3) }},
		{"stock_quantity", -2.5, func(p snapshot.Product) bool { return p.Stock == snapshot.MustDecimal("-2.5") }},
		{"stock_quantity", "4", func(p snapshot.Product) bool { return p.Stock == snapshot.NewDecimal(4) }},
		{"stock_quantity", nil, func(p snapshot.Product) bool { return p.Stock.IsZero() }},
		{"sale_price", nil, func(p snapshot.Product) bool { return !p.HasSalePrice }},
		{"categories", nil, func(p snapshot.Product) bool { return p.CategoryIDs == nil }},
		{"name", "A &amp; B", func(p snapshot.Product) bool { return p.Name == "A & B" }},
		{"date_modified_gmt", nil, func(p snapshot.Product) bool { return p.Modified.IsZero() }},
	}
	for _, tt := range ok {
		p, h := DecodeProduct(with(tt.field, tt.value))
		if h != nil || !tt.check(p) {
			t.Errorf("%s=%v: got %+v held %+v", tt.field, tt.value, p, h)
		}
	}
	o, h := DecodeOrder([]byte(`{"id":"9","status":"wc-shipped","total":"1.00","line_items":[],"meta_data":[{"key":"woonexo_nexopos_order","value":42}],"fee_lines":[{"name":"Fee","total":"2.00","total_tax":"0.20"}]}`))
	if h != nil || o.Status != snapshot.OrderOther || o.RawStatus != "shipped" || o.Reference != "42" ||
		len(o.Lines) != 1 || o.Lines[0].Total != snapshot.MustDecimal("2.2") {
		t.Errorf("order with unknown status = %+v, %+v", o, h)
	}
	if _, h := DecodeOrder([]byte(`{"id":9,"status":"processing","line_items":[{"product_id":1,"quantity":"x"}]}`)); h == nil ||
		!strings.Contains(h.Reason, "line_items[0].quantity") {
		t.Errorf("bad line quantity: held %+v", h)
	}
	if _, h := DecodeCustomer([]byte(`[1,2]`)); h == nil || h.Class != ClassDecode {
		t.Errorf("customer that is not an object: %+v", h)
	}
}

func fuzzSeeds(f *testing.F, names ...string) {
	f.Add([]byte(`{"id":1}`))
	f.Add([]byte(`{"id":"1","status":null,"regular_price":"1,50","manage_stock":"parent"}`))
	dir := fixtureDir()
	if dir == "" {
		return
	}
	for _, n := range names {
		if b, err := os.ReadFile(filepath.Join(dir, n+".json")); err == nil {
			f.Add(b)
		}
	}
}

// checkDecoded asserts the decoder's contract: a record or a Held with a
// reason, never both, never a panic.
func checkDecoded(t *testing.T, id snapshot.ID, h *snapshot.Held) {
	if h == nil && id == "" {
		t.Fatal("record without id and without held reason")
	}
	if h != nil && (h.Reason == "" || h.Class == "" || h.Side != snapshot.WooCommerce) {
		t.Fatalf("held without reason or class: %+v", h)
	}
}

func FuzzDecodeProduct(f *testing.F) {
	fuzzSeeds(f, "product_get_simple", "product_get_trashed", "product_create_simple", "product_delete_trash")
	f.Fuzz(func(t *testing.T, b []byte) {
		p, h := DecodeProduct(b)
		checkDecoded(t, p.ID, h)
	})
}

func FuzzDecodeOrder(f *testing.F) {
	fuzzSeeds(f, "order_get_processing", "order_create_bacs_set_paid", "order_create_cod_set_paid",
		"order_create_line_item_unknown_product", "order_update_cancelled", "order_delete_trash")
	f.Fuzz(func(t *testing.T, b []byte) {
		o, h := DecodeOrder(b)
		checkDecoded(t, o.ID, h)
	})
}

func FuzzDecodeCustomer(f *testing.F) {
	fuzzSeeds(f, "customer_get", "customer_create")
	f.Fuzz(func(t *testing.T, b []byte) {
		c, h := DecodeCustomer(b)
		checkDecoded(t, c.ID, h)
	})
}
