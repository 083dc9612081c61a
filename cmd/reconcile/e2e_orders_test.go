package main

import (
	"strconv"
	"testing"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
)

// onlineOrder places a WooCommerce order for qty of product as a shop
// does: pending first, then the gateway's status, which takes the
// quantities out of WooCommerce's stock. It returns the order id.
func onlineOrder(t *testing.T, sh *e2eShop, customerID int, email, gateway, status string, product wcsim.Product, qty int) int {
	t.Helper()
	price, err := strconv.ParseFloat(product.RegularPrice, 64)
	if err != nil {
		t.Fatal(err)
	}
	total := strconv.FormatFloat(price*float64(qty), 'f', 2, 64)
	oid := sh.s.woo.AddOrder(wcsim.Order{Status: "pending", Currency: "EUR", CustomerID: customerID, PaymentMethod: gateway,
		PaymentMethodTitle: gateway, Billing: wcsim.Address{FirstName: "Mary", LastName: "Shelley", Email: email},
		LineItems: []wcsim.LineItem{{Name: product.Name, ProductID: product.ID, Quantity: qty, Subtotal: total, Total: total}}})
	if err := sh.s.woo.SetOrderStatus(oid, status); err != nil {
		t.Fatal(err)
	}
	return oid
}

// linkedProduct syncs a fresh shop holding one WooCommerce product (SKU
// sku, stock qty) and returns it as WooCommerce and NexoPOS now hold it.
func linkedProduct(t *testing.T, sh *e2eShop, sku string, qty int) (wcsim.Product, nexosim.ProductWithUnits) {
	t.Helper()
	sh.s.woo.AddProduct(wcsim.Product{Name: "Lamp " + sku, SKU: sku, RegularPrice: "12.50", ManageStock: true, StockQuantity: e2eIntp(qty)})
	sh.cycle(exitClean)
	w, n := sh.wooProducts()[sku], sh.nexoProducts()[sku]
	if n.ID == 0 || sh.nexoStock(n.ID) != float64(qty) {
		t.Fatalf("NexoPOS product %s: %+v, stock %v", sku, n.Product, sh.nexoStock(n.ID))
	}
	return w, n
}

// TestE2EOnlineOrderImported: an online order by a new customer becomes a
// paid NexoPOS order with that customer, its line, its mapped payment and
// its stock deduction; WooCommerce's stock then equals NexoPOS's.
func TestE2EOnlineOrderImported(t *testing.T) {
	sh := newE2EShop(t, 0, nil)
	w, n := linkedProduct(t, sh, "LAMP-1", 10)
	cust := sh.s.woo.AddCustomer(wcsim.Customer{Email: "mary@example.com", FirstName: "Mary", LastName: "Shelley",
		Role: "customer", Username: "mary"})
	oid := onlineOrder(t, sh, cust, "mary@example.com", "bacs", "processing", w, 3)
	if got := wooStock(sh.wooProducts()["LAMP-1"]); got != 7 {
		t.Fatalf("WooCommerce stock after the sale: %d, want 7", got)
	}

	sh.cycle(exitClean)
	wo, _ := sh.s.woo.Order(oid)
	orders, count := sh.nexoOrdersByReference()
	if count[strconv.Itoa(wo.ID)] != 1 {
		t.Fatalf("NexoPOS holds the online order %d %d times (%v)", wo.ID, count[strconv.Itoa(wo.ID)], count)
	}
	o := orders[strconv.Itoa(wo.ID)]
	nc := sh.nexoCustomers()["mary@example.com"]
	if nc.ID == 0 || o.CustomerID != nc.ID {
		t.Errorf("NexoPOS order customer %d, want the customer created for mary@example.com (%d)", o.CustomerID, nc.ID)
	}
	if o.PaymentStatus != "paid" || len(o.Payments) != 1 || o.Payments[0].Identifier != "bank-payment" || o.Payments[0].Value != 37.5 {
		t.Errorf("NexoPOS order payment: status %q, payments %+v", o.PaymentStatus, o.Payments)
	}
	if len(o.Products) != 1 || o.Products[0].ProductID != n.ID || o.Products[0].Quantity != 3 {
		t.Errorf("NexoPOS order lines: %+v", o.Products)
	}
	if got := sh.nexoStock(n.ID); got != 7 {
		t.Errorf("NexoPOS stock after the import: %v, want 7", got)
	}
	if got := wooStock(sh.wooProducts()["LAMP-1"]); got != 7 {
		t.Errorf("WooCommerce stock after the import: %d, want 7 (NexoPOS's)", got)
	}
	if n := len(sh.s.woo.Orders()); n != 1 {
		t.Errorf("WooCommerce holds %d orders, want 1 (the imported order is not pushed back)", n)
	}
	sh.settled()
}

// TestE2EPOSSalePushed: a paid POS sale with a catalogue line and a quick
// product becomes a paid WooCommerce order with the default shipping
// method, the gateway mapped to the NexoPOS payment, a line item for the
// product and a fee line for the quick product; stock agrees after.
func TestE2EPOSSalePushed(t *testing.T) {
	sh := newE2EShop(t, 0, nil)
	w, n := linkedProduct(t, sh, "LAMP-2", 10)
	walkIn := sh.s.nexo.Defaults().CustomerID
	nid, err := sh.s.nexo.AddOrder(nexosim.NewOrder{CustomerID: walkIn, Lines: []nexosim.OrderLine{
		{ProductID: n.ID, Quantity: 2, UnitPrice: 12.5},
		{Name: "Gift wrap", Quantity: 1, UnitPrice: 3},
	}, Payments: map[string]float64{"cash-payment": 28}})
	if err != nil {
		t.Fatal(err)
	}
	if got := sh.nexoStock(n.ID); got != 8 {
		t.Fatalf("NexoPOS stock after the sale: %v", got)
	}

	sh.cycle(exitClean)
	orders, count := sh.wooOrdersByReference()
	ref := strconv.Itoa(nid)
	if count[ref] != 1 {
		t.Fatalf("WooCommerce holds the POS sale %d %d times", nid, count[ref])
	}
	o := orders[ref]
	if o.PaymentMethod != "cod" || o.DatePaid == nil || o.Status != "processing" && o.Status != "completed" {
		t.Errorf("WooCommerce order: gateway %q, paid %v, status %q", o.PaymentMethod, o.DatePaid, o.Status)
	}
	if len(o.ShippingLines) != 1 || o.ShippingLines[0].MethodID != "local_pickup" {
		t.Errorf("WooCommerce order shipping: %+v", o.ShippingLines)
	}
	if len(o.LineItems) != 1 || o.LineItems[0].ProductID != w.ID || o.LineItems[0].Quantity != 2 {
		t.Errorf("WooCommerce order lines: %+v", o.LineItems)
	}
	if len(o.FeeLines) != 1 || o.FeeLines[0].Name != "Gift wrap" || o.FeeLines[0].Total != "3.00" {
		t.Errorf("WooCommerce order fee lines: %+v", o.FeeLines)
	}
	if got := wooStock(sh.wooProducts()["LAMP-2"]); got != 8 {
		t.Errorf("WooCommerce stock: %d, want NexoPOS's 8", got)
	}
	if got := sh.nexoStock(n.ID); got != 8 {
		t.Errorf("NexoPOS stock: %v, want 8 (the pushed order takes nothing twice)", got)
	}
	if len(sh.s.nexo.Orders()) != 1 {
		t.Errorf("NexoPOS holds %d orders, want 1 (the pushed order is not imported back)", len(sh.s.nexo.Orders()))
	}
	sh.settled()
}

// TestE2EUnmappedGatewayHeldThenReleased: an online order paid through a
// gateway without a payment mapping is held (exit code 4, nothing written
// to NexoPOS) until the mapping is added, then imported once.
func TestE2EUnmappedGatewayHeldThenReleased(t *testing.T) {
	sh := newE2EShop(t, 0, nil)
	w, n := linkedProduct(t, sh, "LAMP-3", 10)
	oid := onlineOrder(t, sh, 0, "guest@example.com", "cheque", "processing", w, 1)

	sh.cycle(exitDrift)
	sh.cycle(exitDrift)
	p := sh.plan()
	if len(p.Held) != 1 || p.Held[0].Class != "unmapped_payment" || p.Held[0].ID != strconv.Itoa(oid) {
		t.Fatalf("held: %+v", p.Held)
	}
	if len(sh.s.nexo.Orders()) != 0 {
		t.Fatalf("NexoPOS holds %d orders while the online order is held", len(sh.s.nexo.Orders()))
	}
	if got := wooStock(sh.wooProducts()["LAMP-3"]); got != 9 {
		t.Errorf("WooCommerce stock while held: %d, want 9 (the held order keeps its quantity)", got)
	}

	sh.writeConfig(func(c *config.Config) { c.Payments.Mapping["cheque"] = "bank-payment" })
	sh.cycle(exitClean)
	orders, count := sh.nexoOrdersByReference()
	if count[strconv.Itoa(oid)] != 1 {
		t.Fatalf("NexoPOS holds the released order %d times", count[strconv.Itoa(oid)])
	}
	o := orders[strconv.Itoa(oid)]
	if len(o.Payments) != 1 || o.Payments[0].Identifier != "bank-payment" || o.CustomerID != sh.s.nexo.Defaults().CustomerID {
		t.Errorf("released order: customer %d, payments %+v", o.CustomerID, o.Payments)
	}
	if sh.nexoStock(n.ID) != 9 || wooStock(sh.wooProducts()["LAMP-3"]) != 9 {
		t.Errorf("stock after the release: NexoPOS %v, WooCommerce %d, want 9", sh.nexoStock(n.ID), wooStock(sh.wooProducts()["LAMP-3"]))
	}
	sh.settled()
}

// TestE2EWooStockEditIgnored: a stock edit made in WooCommerce never
// reaches NexoPOS, and WooCommerce is set back to NexoPOS's quantity.
func TestE2EWooStockEditIgnored(t *testing.T) {
	sh := newE2EShop(t, 0, nil)
	w, n := linkedProduct(t, sh, "LAMP-4", 10)
	if err := sh.s.woo.UpdateProduct(w.ID, func(p *wcsim.Product) { p.StockQuantity = e2eIntp(99) }); err != nil {
		t.Fatal(err)
	}
	sh.cycle(exitClean)
	if got := sh.nexoStock(n.ID); got != 10 {
		t.Errorf("NexoPOS stock after a WooCommerce stock edit: %v, want 10", got)
	}
	if got := wooStock(sh.wooProducts()["LAMP-4"]); got != 10 {
		t.Errorf("WooCommerce stock: %d, want NexoPOS's 10", got)
	}
	if h := sh.s.nexo.History(n.ID); len(h) != 1 {
		t.Errorf("NexoPOS stock ledger: %d moves, want only the initial one", len(h))
	}
	sh.settled()
}

// TestE2ECancelledOrderVoided: an imported online order cancelled in
// WooCommerce voids its NexoPOS twin, which returns the stock.
func TestE2ECancelledOrderVoided(t *testing.T) {
	sh := newE2EShop(t, 0, nil)
	w, n := linkedProduct(t, sh, "LAMP-5", 10)
	oid := onlineOrder(t, sh, 0, "guest@example.com", "bacs", "processing", w, 4)
	sh.cycle(exitClean)
	if got := sh.nexoStock(n.ID); got != 6 {
		t.Fatalf("NexoPOS stock after the import: %v, want 6", got)
	}

	if err := sh.s.woo.SetOrderStatus(oid, "cancelled"); err != nil {
		t.Fatal(err)
	}
	sh.cycle(exitClean)
	orders, count := sh.nexoOrdersByReference()
	if count[strconv.Itoa(oid)] != 1 {
		t.Fatalf("NexoPOS holds the order %d times", count[strconv.Itoa(oid)])
	}
	if o := orders[strconv.Itoa(oid)]; o.PaymentStatus != "order_void" {
		t.Errorf("NexoPOS order after the cancellation: %q, want order_void", o.PaymentStatus)
	}
	if got := sh.nexoStock(n.ID); got != 10 {
		t.Errorf("NexoPOS stock after the void: %v, want 10", got)
	}
	if got := wooStock(sh.wooProducts()["LAMP-5"]); got != 10 {
		t.Errorf("WooCommerce stock after the void: %d, want 10", got)
	}
	sh.settled()
}
