package nexosim

import (
	"fmt"
	"strings"
	"testing"
)

// at walks a decoded JSON value along a dotted path ("data.order.id",
// "products.0.quantity").
func at(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		switch t := v.(type) {
		case map[string]any:
			v = t[k]
		case []any:
			var i int
			if _, err := fmt.Sscan(k, &i); err != nil || i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
	}
	return v
}

// shop is a simulator with two stocked products (10 each, 12.5 and 4) on
// loopback, without throttle.
type shop struct {
	s          *Sim
	mug, plate int
	mugRow     int
	plateRow   int
}

func newShop(t *testing.T) shop {
	t.Helper()
	s, _ := start(t, Options{NoThrottle: true})
	mug, err := s.AddProduct(NewProduct{Name: "Blue Mug", SKU: "MUG", Price: 12.5, Stock: 10})
	if err != nil {
		t.Fatal(err)
	}
	plate, err := s.AddProduct(NewProduct{Name: "Plate", SKU: "PLATE", Price: 4, Stock: 10})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := s.Product(mug)
	p, _ := s.Product(plate)
	return shop{s: s, mug: mug, plate: plate, mugRow: m.UnitQuantities[0].ID, plateRow: p.UnitQuantities[0].ID}
}

// order places an order over HTTP (2 mugs, 1 plate, shipping) paid with
// pay (0 = unpaid) and returns its id and line ids (mug, plate).
func (sh shop) order(t *testing.T, pay, shipping float64) (id, mugLine, plateLine int) {
	t.Helper()
	in := map[string]any{"customer_id": sh.s.Defaults().CustomerID, "type": map[string]any{"identifier": "takeaway"},
		"shipping": shipping, "title": "WC-1",
		"products": []any{
			map[string]any{"product_id": sh.mug, "unit_quantity_id": sh.mugRow, "quantity": 2, "unit_price": 12.5},
			map[string]any{"product_id": sh.plate, "unit_quantity_id": sh.plateRow, "quantity": 1, "unit_price": 4},
		}}
	if pay > 0 {
		in["payments"] = []any{map[string]any{"identifier": "cash-payment", "value": pay}}
	}
	code, m, raw := do(t, sh.s, "POST", "/api/orders", in)
	if code != 200 {
		t.Fatalf("create order: %d %s", code, raw)
	}
	o := at(m, "data.order")
	return int(at(o, "id").(float64)), int(at(o, "products.0.id").(float64)), int(at(o, "products.1.id").(float64))
}

func (sh shop) stock(t *testing.T, product int) float64 {
	t.Helper()
	q, ok := sh.s.StockOf(product, 0)
	if !ok {
		t.Fatalf("product %d has no default unit row", product)
	}
	return q
}

func refundBody(lines ...map[string]any) map[string]any {
	ps := make([]any, len(lines))
	for i, l := range lines {
		ps[i] = l
	}
	return map[string]any{"payment": map[string]any{"identifier": "cash-payment"}, "refund_shipping": false, "total": 0, "products": ps}
}

func line(id int, qty, price float64, cond string) map[string]any {
	return map[string]any{"id": id, "quantity": qty, "unit_price": price, "condition": cond, "description": ""}
}

func TestRefundPartialThenFull(t *testing.T) {
	sh := newShop(t)
	oid, mugLine, plateLine := sh.order(t, 29, 0)
	if sh.stock(t, sh.mug) != 8 || sh.stock(t, sh.plate) != 9 {
		t.Fatalf("after sale: %v %v", sh.stock(t, sh.mug), sh.stock(t, sh.plate))
	}
	path := fmt.Sprintf("/api/orders/%d/refund", oid)

	code, m, raw := do(t, sh.s, "POST", path, refundBody(line(mugLine, 1, 12.5, "unspoiled")))
	if code != 200 || m["status"] != "success" || m["message"] != "The order has been successfully refunded." {
		t.Fatalf("refund: %d %s", code, raw)
	}
	if got := at(m, "data.results.0.message"); got != "The product Blue Mug has been successfully refunded." {
		t.Fatalf("result message: %v", got)
	}
	if got := at(m, "data.order.payment_status"); got != "paid" {
		t.Fatalf("the response's order is the one before the refresh: %v", got)
	}
	if got := at(m, "data.orderRefund.total"); got != 12.5 {
		t.Fatalf("refund total: %v", got)
	}
	if sh.stock(t, sh.mug) != 9 {
		t.Fatalf("unspoiled return: stock %v, want 9", sh.stock(t, sh.mug))
	}
	_, d, _ := do(t, sh.s, "GET", fmt.Sprintf("/api/orders/%d", oid), nil)
	if d["payment_status"] != "partially_refunded" {
		t.Fatalf("status after a partial refund: %v", d["payment_status"])
	}
	// refundSingleProduct marks the line returned even when some remains.
	if at(d, "products.0.quantity") != 1.0 || at(d, "products.0.status") != "returned" || at(d, "products.1.status") != "sold" {
		t.Fatalf("lines: %v", d["products"])
	}
	if at(d, "refunded_products.0.condition") != "unspoiled" || at(d, "refunded_products.0.quantity") != 1.0 {
		t.Fatalf("refunded products: %v", d["refunded_products"])
	}

	// partially_refunded still accepts refunds; damaged stock comes back
	// and leaves again as defective.
	code, _, raw = do(t, sh.s, "POST", path, refundBody(line(mugLine, 1, 12.5, "damaged"), line(plateLine, 1, 4, "unspoiled")))
	if code != 200 {
		t.Fatalf("second refund: %d %s", code, raw)
	}
	if sh.stock(t, sh.mug) != 9 || sh.stock(t, sh.plate) != 10 {
		t.Fatalf("after damaged+unspoiled: mug %v plate %v", sh.stock(t, sh.mug), sh.stock(t, sh.plate))
	}
	var ops []string
	for _, h := range sh.s.History(sh.mug) {
		ops = append(ops, h.OperationType)
	}
	if got := strings.Join(ops, ","); got != "added,sold,returned,returned,defective" {
		t.Fatalf("mug ledger: %s", got)
	}
	_, d, _ = do(t, sh.s, "GET", fmt.Sprintf("/api/orders/%d", oid), nil)
	if d["payment_status"] != "refunded" || d["total"] != 0.0 {
		t.Fatalf("after refunding everything: %v total %v", d["payment_status"], d["total"])
	}
	// Order::products is a plain hasMany: refunded lines are still listed.
	if n := len(d["products"].([]any)); n != 2 {
		t.Fatalf("lines listed: %d", n)
	}
	// refunded is not a refundable status.
	code, m, _ = do(t, sh.s, "POST", path, refundBody(line(plateLine, 1, 4, "unspoiled")))
	if code != 403 || m["message"] != "Unable to proceed a refund on an unpaid order." || m["status"] != "error" {
		t.Fatalf("refund of a refunded order: %d %v", code, m)
	}
}

func TestRefundShippingDecidesTheStatus(t *testing.T) {
	for _, refundShipping := range []bool{false, true} {
		sh := newShop(t)
		oid, mugLine, plateLine := sh.order(t, 34, 5)
		in := refundBody(line(mugLine, 2, 12.5, "unspoiled"), line(plateLine, 1, 4, "unspoiled"))
		in["refund_shipping"] = refundShipping
		code, m, raw := do(t, sh.s, "POST", fmt.Sprintf("/api/orders/%d/refund", oid), in)
		if code != 200 {
			t.Fatalf("refund: %d %s", code, raw)
		}
		wantTotal, wantStatus := 29.0, "partially_refunded" // the unrefunded shipping keeps a total
		if refundShipping {
			wantTotal, wantStatus = 34, "refunded"
		}
		if at(m, "data.orderRefund.total") != wantTotal {
			t.Fatalf("refund_shipping=%v: refund total %v", refundShipping, at(m, "data.orderRefund.total"))
		}
		o, _ := sh.s.Order(oid)
		if o.PaymentStatus != wantStatus {
			t.Fatalf("refund_shipping=%v: status %s, want %s", refundShipping, o.PaymentStatus, wantStatus)
		}
	}
}

func TestRefundRefusals(t *testing.T) {
	for _, debug := range []bool{false, true} {
		t.Run(fmt.Sprintf("debug=%v", debug), func(t *testing.T) {
			s, _ := start(t, Options{NoThrottle: true, Debug: debug})
			sh := shop{s: s}
			var err error
			if sh.mug, err = s.AddProduct(NewProduct{Name: "Blue Mug", Price: 12.5, Stock: 10}); err != nil {
				t.Fatal(err)
			}
			sh.plate, _ = s.AddProduct(NewProduct{Name: "Plate", Price: 4, Stock: 10})
			m, _ := s.Product(sh.mug)
			p, _ := s.Product(sh.plate)
			sh.mugRow, sh.plateRow = m.UnitQuantities[0].ID, p.UnitQuantities[0].ID
			oid, mugLine, _ := sh.order(t, 29, 0)
			path := fmt.Sprintf("/api/orders/%d/refund", oid)

			code, body, _ := do(t, s, "POST", path, refundBody(line(mugLine, 1, 12.5, "broken")))
			if code != 403 || body["message"] != "unable to proceed to a refund as the provided status is not supported." {
				t.Fatalf("bad condition: %d %v", code, body)
			}
			// An unknown line id reaches refundSingleProduct as null: a TypeError,
			// which the production renderer does not catch.
			code, body, _ = do(t, s, "POST", path, refundBody(line(9999, 1, 12.5, "unspoiled")))
			want := map[string]any{"message": "Server Error"}
			if debug {
				want = map[string]any{"exception": "TypeError"}
			}
			for k, v := range want {
				if code != 500 || body[k] != v {
					t.Fatalf("unknown line: %d %v", code, body)
				}
			}
			if code, _, _ := do(t, s, "POST", "/api/orders/999/refund", refundBody()); code != 404 {
				t.Fatalf("unknown order: %d", code)
			}
			if q := sh.stock(t, sh.mug); q != 8 {
				t.Fatalf("refusals moved stock: %v", q)
			}
		})
	}
}

func TestRefundAllowedStatuses(t *testing.T) {
	for _, tc := range []struct {
		pay      float64
		hold     bool
		void     bool
		accepted bool
	}{
		{pay: 29, accepted: true}, // paid
		{pay: 10, accepted: true}, // partially_paid
		{pay: 0, accepted: true},  // unpaid
		{pay: 0, hold: true},      // hold
		{pay: 29, void: true},     // order_void
	} {
		sh := newShop(t)
		in := map[string]any{"customer_id": sh.s.Defaults().CustomerID, "type": map[string]any{"identifier": "takeaway"},
			"products": []any{map[string]any{"product_id": sh.mug, "unit_quantity_id": sh.mugRow, "quantity": 1, "unit_price": 12.5}}}
		if tc.pay > 0 {
			in["payments"] = []any{map[string]any{"identifier": "cash-payment", "value": tc.pay}}
		}
		if tc.hold {
			in["payment_status"] = "hold"
		}
		_, m, _ := do(t, sh.s, "POST", "/api/orders", in)
		oid, lid := int(at(m, "data.order.id").(float64)), int(at(m, "data.order.products.0.id").(float64))
		status := at(m, "data.order.payment_status")
		if tc.void {
			do(t, sh.s, "POST", fmt.Sprintf("/api/orders/%d/void", oid), map[string]any{"reason": "x"})
			status = "order_void"
		}
		code, _, raw := do(t, sh.s, "POST", fmt.Sprintf("/api/orders/%d/refund", oid), refundBody(line(lid, 1, 12.5, "unspoiled")))
		if (code == 200) != tc.accepted {
			t.Fatalf("refund of a %v order: %d %s", status, code, raw)
		}
	}
}

func TestVoid(t *testing.T) {
	sh := newShop(t)
	oid, _, _ := sh.order(t, 29, 0)
	path := fmt.Sprintf("/api/orders/%d/void", oid)
	before, _ := sh.s.Order(oid)
	code, m, _ := do(t, sh.s, "POST", path, map[string]any{"reason": "cancelled"})
	if code != 200 || m["message"] != "The order has been correctly voided." {
		t.Fatalf("void: %d %v", code, m)
	}
	if sh.stock(t, sh.mug) != 10 || sh.stock(t, sh.plate) != 10 {
		t.Fatalf("void did not return the stock: %v %v", sh.stock(t, sh.mug), sh.stock(t, sh.plate))
	}
	// OrdersService::void refuses nothing; the status does not change, so no
	// stock moves a second time.
	code, m, _ = do(t, sh.s, "POST", path, map[string]any{"reason": "again"})
	if code != 200 || m["status"] != "success" {
		t.Fatalf("second void: %d %v", code, m)
	}
	after, _ := sh.s.Order(oid)
	if sh.stock(t, sh.mug) != 10 || after.PaymentStatus != "order_void" || deref(after.VoidanceReason) != "again" || after.UpdatedAt != before.UpdatedAt {
		t.Fatalf("after the second void: stock %v, %+v", sh.stock(t, sh.mug), after.Order)
	}
}

func TestDeleteOrder(t *testing.T) {
	sh := newShop(t)
	paid, _, _ := sh.order(t, 29, 0)
	voided, _, _ := sh.order(t, 29, 0)
	do(t, sh.s, "POST", fmt.Sprintf("/api/orders/%d/void", voided), map[string]any{"reason": "x"})
	if sh.stock(t, sh.mug) != 8 {
		t.Fatalf("before deletes: %v", sh.stock(t, sh.mug))
	}
	code, m, _ := do(t, sh.s, "DELETE", fmt.Sprintf("/api/orders/%d", paid), nil)
	if code != 200 || m["message"] != "The order has been deleted." {
		t.Fatalf("delete paid: %d %v", code, m)
	}
	if sh.stock(t, sh.mug) != 10 || sh.stock(t, sh.plate) != 10 {
		t.Fatalf("deleting a paid order returns its stock: %v %v", sh.stock(t, sh.mug), sh.stock(t, sh.plate))
	}
	if code, _, _ := do(t, sh.s, "DELETE", fmt.Sprintf("/api/orders/%d", voided), nil); code != 200 {
		t.Fatalf("delete voided: %d", code)
	}
	if sh.stock(t, sh.mug) != 10 {
		t.Fatalf("deleting a voided order moved stock again: %v", sh.stock(t, sh.mug))
	}
	if code, m, _ := do(t, sh.s, "GET", fmt.Sprintf("/api/orders/%d", voided), nil); code != 404 || m["message"] != fmt.Sprintf("No query results for model [App\\Models\\Order] %d", voided) {
		t.Fatalf("deleted order: %d %v", code, m)
	}
	// The voided order's lines survive as orphans: its products stay undeletable.
	code, m, _ = do(t, sh.s, "DELETE", fmt.Sprintf("/api/products/%d", sh.mug), nil)
	if code != 403 || m["message"] != `Unable to delete "Blue Mug" as it's a dependency for "Non-existent Item".` {
		t.Fatalf("product of an orphan line: %d %v", code, m)
	}
	// Through the CRUD route too, with its own messages.
	third, _, _ := sh.order(t, 29, 0)
	if code, m, _ := do(t, sh.s, "DELETE", fmt.Sprintf("/api/crud/ns.orders/%d", third), nil); code != 200 || m["message"] != "The entry has been successfully deleted." {
		t.Fatalf("crud delete: %d %v", code, m)
	}
	if code, m, _ := do(t, sh.s, "DELETE", fmt.Sprintf("/api/crud/ns.orders/%d", third), nil); code != 404 || m["message"] != "Unable to delete an entry that no longer exists." {
		t.Fatalf("crud delete again: %d %v", code, m)
	}
	if code, _, _ := do(t, sh.s, "DELETE", fmt.Sprintf("/api/orders/%d", third), nil); code != 404 {
		t.Fatalf("delete unknown: %d", code)
	}
}

func TestProductDependencyCount(t *testing.T) {
	sh := newShop(t)
	for range 3 {
		sh.order(t, 29, 0)
	}
	code, m, _ := do(t, sh.s, "DELETE", fmt.Sprintf("/api/products/%d", sh.mug), nil)
	// Three lines reference the mug; the order whose id equals the product
	// id exists, so the trait's lookup finds an order without a name.
	if code != 403 || m["message"] != `Unable to delete "Blue Mug" as it's a dependency for "Undefined Item" and 2 more items.` {
		t.Fatalf("delete: %d %v", code, m)
	}
}
