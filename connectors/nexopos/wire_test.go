package nexopos

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/woonexo/woonexo/snapshot"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		status  int
		message string
		data    bool
		want    ErrorKind
	}{
		{401, "Unauthenticated.", false, KindAuth},
		{302, "", false, KindAuth},
		{403, `Your don't have enough permission ("nexopos.create.products") to perform this action.`, false, KindAuth},
		{403, "The operation will cause a negative stock for the product \"Mug\" (2).", true, KindInvalid},
		{403, "The email \"a@b.c\" is already used for another customer.", true, KindConflict},
		{403, "A payment type having the same identifier already exists.", true, KindConflict},
		{403, "Unable to proceed. One of the submitted payment type is not supported.", true, KindInvalid},
		{403, "something new", true, KindInvalid},
		{403, "something new", false, KindAuth},
		{404, "No query results for model [App\\Models\\Order] 9", false, KindNotFound},
		{422, "The first name field is required.", false, KindInvalid},
		{429, "Too Many Attempts.", false, KindRateLimited},
		{500, "Too Many Attempts.", true, KindRateLimited},
		{500, `The provided SKU "ABC" is already in use.`, false, KindConflict},
		{500, `The provided barcode "123" is already in use.`, false, KindConflict},
		{500, "Unable to proceed, there is not enough stock for Mug using the unit Piece. Requested : 3, available 1", false, KindInvalid},
		{500, `Unable to find the product, as the argument "id" which value is "9", doesn't have any match.`, false, KindNotFound},
		{500, "Unable to find the customer using the provided id 7.", false, KindNotFound},
		{500, "Undefined variable $adjustQuantity", false, KindInvalid},
		{500, "Server Error", false, KindTransient},
		{502, "", false, KindTransient},
		{200, "Unable to delete this variation", false, KindInvalid},
	}
	for _, tt := range tests {
		if got := classify(tt.status, tt.message, tt.data); got != tt.want {
			t.Errorf("classify(%d, %q, %v) = %s, want %s", tt.status, tt.message, tt.data, got, tt.want)
		}
	}
}

func TestErrorNeverShowsToken(t *testing.T) {
	c, err := New(Config{BaseURL: "http://127.0.0.1:1", Token: "7|s3cr3tT0kenValue"})
	if err != nil {
		t.Fatal(err)
	}
	e := &Error{Op: "x", Kind: KindAuth, Message: c.scrub("token 7|s3cr3tT0kenValue and s3cr3tT0kenValue")}
	if strings.Contains(e.Error(), "s3cr3t") {
		t.Fatalf("secret in %q", e.Error())
	}
	if e.ErrorKind() != "auth" {
		t.Fatalf("ErrorKind = %q", e.ErrorKind())
	}
}

func TestNewRequiresHTTPSForRemoteHosts(t *testing.T) {
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true}, {"http://localhost", true}, {"http://[::1]:9", true},
		{"https://pos.example.com", true}, {"http://pos.example.com", false}, {"ftp://x", false}, {"", false},
	} {
		_, err := New(Config{BaseURL: tt.url, Token: "1|x"})
		if (err == nil) != tt.ok {
			t.Errorf("New(%q) err = %v, want ok %v", tt.url, err, tt.ok)
		}
	}
	if _, err := New(Config{BaseURL: "https://pos.example.com"}); err == nil {
		t.Error("New without token: want error")
	}
}

func TestProductFromDTO(t *testing.T) {
	raw := `{"id":12,"name":"Blue Mug","sku":"MUG","barcode":"123","status":"available","stock_management":"enabled",
		"product_type":"product","type":"materialized","category_id":"3","updated_at":"2025-05-01T09:11:12.000000Z"}`
	p, err := decodeProduct([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	row, err := decodeUnitRow([]byte(`{"id":31,"product_id":"12","unit_id":2,"quantity":"4.5","sale_price":12.5,
		"sale_price_edit":12.5,"updated_at":"2025-05-02T00:00:00.000000Z"}`))
	if err != nil {
		t.Fatal(err)
	}
	got, held := productFromDTO(p, &row, time.UTC)
	if held != nil {
		t.Fatalf("held: %+v", held)
	}
	want := snapshot.Product{ID: "12", SKU: "MUG", Barcode: "123", Name: "Blue Mug", Status: snapshot.ProductActive,
		RegularPrice: snapshot.MustDecimal("12.5"), CategoryIDs: []snapshot.ID{"3"}, ManageStock: true,
		Stock: snapshot.MustDecimal("4.5"), UnitID: "2", Modified: time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC)}
	if d := cmp.Diff(want, got, decimalEq); d != "" {
		t.Fatalf("product (-want +got):\n%s", d)
	}
	if _, held := productFromDTO(p, nil, time.UTC); held == nil || held.Class != "no_unit" {
		t.Fatalf("no row: held = %+v", held)
	}
	p.ProductType = "variable"
	if _, held := productFromDTO(p, &row, time.UTC); held == nil || held.Class != "unsupported_type" {
		t.Fatalf("variable: held = %+v", held)
	}
}

func TestOrderFromDTO(t *testing.T) {
	raw := `{"id":5,"code":"250501-001","title":"WC #1234","payment_status":"paid","total":28.0,"shipping":0,
		"customer_id":7,"customer":{"id":7,"email":"ada@example.com"},"note":"n","created_at":"2025-05-01 10:11:12",
		"products":[{"id":1,"product_id":12,"name":"Mug","quantity":2,"unit_price":12.5,"total_price":25},
		{"id":2,"product_id":0,"name":"Gift wrap","quantity":1,"unit_price":3,"total_price":3}],
		"payments":[{"identifier":"cash-payment","value":28}]}`
	o, err := decodeOrder([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	got := orderFromDTO(o, time.UTC)
	if got.Reference != "1234" || got.Status != snapshot.OrderCompleted || !got.StockReduced ||
		got.PaymentMethod != "cash-payment" || got.Email != "ada@example.com" || got.Number != "250501-001" {
		t.Fatalf("order = %+v", got)
	}
	if len(got.Lines) != 2 || got.Lines[0].Kind != snapshot.LineProduct || got.Lines[1].Kind != snapshot.LineQuick {
		t.Fatalf("lines = %+v", got.Lines)
	}
	if !got.Created.Equal(time.Date(2025, 5, 1, 10, 11, 12, 0, time.UTC)) {
		t.Fatalf("created = %v", got.Created)
	}
	for ps, want := range map[string]snapshot.OrderStatus{"order_void": snapshot.OrderCancelled, "partially_paid": snapshot.OrderPartial,
		"hold": snapshot.OrderPending, "partially_refunded": snapshot.OrderRefunded, "weird": snapshot.OrderOther} {
		if st, _ := orderStatus(ps); st != want {
			t.Errorf("orderStatus(%q) = %s, want %s", ps, st, want)
		}
	}
}

func TestReferenceFromTitle(t *testing.T) {
	for title, want := range map[string]string{"WC #1234": "1234", "wc-77": "77", "Woo #9": "9",
		"WooCommerce order #12": "12", "POS sale": "", "": "", "WC #": ""} {
		if got := ReferenceFromTitle(title); got != want {
			t.Errorf("ReferenceFromTitle(%q) = %q, want %q", title, got, want)
		}
	}
	if ReferenceFromTitle(TitleFor("1234")) != "1234" {
		t.Error("TitleFor does not round-trip")
	}
}

func TestFlexValues(t *testing.T) {
	row, err := decodeUnitRow([]byte(`{"id":"1","product_id":2,"unit_id":3,"quantity":1e2,"sale_price":"","visible":"1","stock_alert_enabled":true}`))
	if err != nil {
		t.Fatal(err)
	}
	if row.Quantity.String() != "100" || !row.SalePrice.IsZero() || !bool(row.Visible) || !bool(row.StockAlertEnabled) {
		t.Fatalf("row = %+v", row)
	}
	if _, err := decodeUnitRow([]byte(`{"id":1,"product_id":2,"unit_id":3,"quantity":"$10.00"}`)); err == nil {
		t.Fatal("currency text accepted as a quantity")
	}
	p, err := decodePaginator([]byte(`{"current_page":"1","last_page":3,"per_page":500,"total":1001,"data":[{}]}`))
	if err != nil || p.LastPage != 3 || p.Total != 1001 {
		t.Fatalf("paginator = %+v, %v", p, err)
	}
}

func FuzzDecodeProduct(f *testing.F) {
	f.Add([]byte(`{"id":12,"name":"Mug","sku":"M","status":"available","product_type":"product","category_id":3,"updated_at":"2025-05-01T09:11:12.000000Z"}`))
	f.Add([]byte(`{"id":"1","unit_quantities":[{"id":1,"product_id":1,"unit_id":1,"quantity":"2"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodeProduct(b)
		if err != nil {
			return
		}
		row := pickRow(p.UnitQuantities, []snapshot.ID{"1"})
		prod, held := productFromDTO(p, row, time.UTC)
		if held == nil && prod.ID == "" {
			t.Fatal("product without id and not held")
		}
	})
}

func FuzzDecodeUnitRow(f *testing.F) {
	f.Add([]byte(`{"id":31,"product_id":12,"unit_id":2,"quantity":4.5,"sale_price":"12.50","visible":1}`))
	f.Add([]byte(`{"id":1,"product_id":1,"unit_id":1,"quantity":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeUnitRow(b)
		if err != nil {
			return
		}
		if r.ID == "" || r.ProductID == "" || r.UnitID == "" {
			t.Fatal("decoded a row without ids")
		}
		_ = rowOf(&r, "x")
	})
}

func FuzzDecodeOrder(f *testing.F) {
	f.Add([]byte(`{"id":5,"title":"WC #1","payment_status":"paid","total":"28","products":[{"product_id":0,"quantity":1}],"payments":[{"identifier":"x"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := decodeOrder(b)
		if err != nil {
			return
		}
		got := orderFromDTO(o, time.UTC)
		if got.ID == "" || len(got.Lines) != len(o.Products) {
			t.Fatalf("order %+v from %+v", got, o)
		}
	})
}

func FuzzDecodePaginator(f *testing.F) {
	f.Add([]byte(`{"current_page":1,"data":[{"id":1}],"last_page":3,"per_page":500,"total":1001}`))
	f.Add([]byte(`{"current_page":4,"data":[],"last_page":3}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodePaginator(b)
		if err != nil {
			return
		}
		if p.Data == nil {
			t.Fatal("paginator without data accepted")
		}
	})
}

var decimalEq = cmp.Comparer(func(a, b snapshot.Decimal) bool { return a == b })
