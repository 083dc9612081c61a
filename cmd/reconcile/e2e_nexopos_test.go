package main

import (
	"strconv"
	"testing"

	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
)

// End-to-end behaviour of the NexoPOS side of a cycle: what the client
// notices between cycles and what it sends.

// TestE2EPOSVoidFollowedOnWooCommerce: a POS sale pushed to WooCommerce
// and then voided in NexoPOS cancels its WooCommerce copy.
func TestE2EPOSVoidFollowedOnWooCommerce(t *testing.T) {
	sh := newE2EShop(t, 0, nil)
	_, n := linkedProduct(t, sh, "LAMP-6", 10)
	nid, err := sh.s.nexo.Sell(0, 1, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	sh.cycle(exitClean)
	if err := sh.nexo.VoidOrder(t.Context(), e2eID(nid), "customer changed their mind"); err != nil {
		t.Fatal(err)
	}
	sh.cycle(exitClean)
	orders, count := sh.wooOrdersByReference()
	if count[strconv.Itoa(nid)] != 1 || orders[strconv.Itoa(nid)].Status != "cancelled" {
		t.Errorf("WooCommerce copy of the voided sale: %d copies, status %q", count[strconv.Itoa(nid)], orders[strconv.Itoa(nid)].Status)
	}
	if got := wooStock(sh.wooProducts()["LAMP-6"]); float64(got) != sh.nexoStock(n.ID) || got != 10 {
		t.Errorf("stock after the void: WooCommerce %d, NexoPOS %v, want 10", got, sh.nexoStock(n.ID))
	}
	sh.settled()
}

// TestE2EImportedOrderNotReadAgain: an online order woonexo places in
// NexoPOS as a paid order is settled from the start: no later cycle reads
// its detail again.
func TestE2EImportedOrderNotReadAgain(t *testing.T) {
	sh := newE2EShop(t, 0, nil)
	w, _ := linkedProduct(t, sh, "LAMP-7", 10)
	cust := sh.s.woo.AddCustomer(wcsim.Customer{Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace",
		Role: "customer", Username: "ada"})
	onlineOrder(t, sh, cust, "ada@example.com", "bacs", "processing", w, 2)
	sh.cycle(exitClean)
	if _, count := sh.nexoOrdersByReference(); len(count) != 1 {
		t.Fatalf("NexoPOS orders carrying a WooCommerce number: %v", count)
	}
	for i := range 2 {
		sh.s.nexo.ResetCounters()
		sh.cycle(exitClean)
		if n := sh.s.nexo.Counters()["GET /api/orders/{id}"]; n != 0 {
			t.Errorf("cycle %d after the import read %d order details, want 0", i+1, n)
		}
	}
	sh.settled()
}

// TestE2EProductUpdateOneRequest: a product renamed in WooCommerce reaches
// NexoPOS with one request, the PUT, its form built from the rows the
// cycle has just read.
func TestE2EProductUpdateOneRequest(t *testing.T) {
	sh := newE2EShop(t, 0, nil)
	w, n := linkedProduct(t, sh, "LAMP-8", 10)
	if err := sh.s.woo.UpdateProduct(w.ID, func(p *wcsim.Product) { p.Name = "Reading lamp" }); err != nil {
		t.Fatal(err)
	}
	sh.s.nexo.ResetCounters()
	sh.cycle(exitClean)
	got := sh.s.nexo.Counters()
	if got["PUT /api/products/{id}"] != 1 || got["GET /api/products/{id}"] != 0 || got["GET /api/products/{id}/units"] != 0 {
		t.Errorf("NexoPOS requests of the cycle: %v; want one PUT and no product or unit read of its own", got)
	}
	if p, _ := sh.s.nexo.Product(n.ID); p.Name != "Reading lamp" || sh.nexoStock(n.ID) != 10 {
		t.Errorf("NexoPOS product after the update: %q, stock %v", p.Name, sh.nexoStock(n.ID))
	}
	sh.settled()
}
