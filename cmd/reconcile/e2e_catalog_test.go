package main

import (
	"context"
	"testing"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/connectors/woocommerce"
	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/snapshot"
)

// TestE2ECatalogBothWays creates, updates and deletes categories, products
// and customers on each side and checks, through the simulators, that the
// other side follows each time and that the next cycle has nothing to do.
func TestE2ECatalogBothWays(t *testing.T) {
	sh := newE2EShop(t, 0, func(c *config.Config) {
		c.Safety.MaxDelete = config.MaxDelete{Count: 10, Percent: 100}
	})
	ctx := context.Background()

	// Each side starts with its own small catalogue.
	garden := sh.s.woo.AddCategory(wcsim.Category{Name: "Garden"})
	tools := sh.s.woo.AddCategory(wcsim.Category{Name: "Tools", Parent: garden})
	wooOld := sh.s.woo.AddCategory(wcsim.Category{Name: "Web clearance"})
	wooSpade := sh.s.woo.AddProduct(wcsim.Product{Name: "Spade", SKU: "W-1", RegularPrice: "24.50", ManageStock: true,
		StockQuantity: e2eIntp(5), CategoryIDs: []int{tools}})
	sh.s.woo.AddProduct(wcsim.Product{Name: "Rake", SKU: "W-2", RegularPrice: "19.00", ManageStock: true,
		StockQuantity: e2eIntp(3), CategoryIDs: []int{tools}})
	wooAda := sh.s.woo.AddCustomer(wcsim.Customer{Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace",
		Role: "customer", Username: "ada"})
	sh.s.woo.AddCustomer(wcsim.Customer{Email: "alan@example.com", FirstName: "Alan", LastName: "Turing",
		Role: "customer", Username: "alan"})

	bakery, err := sh.s.nexo.AddCategory(nexosim.NewCategory{Name: "Bakery"})
	if err != nil {
		t.Fatal(err)
	}
	bread, err := sh.s.nexo.AddCategory(nexosim.NewCategory{Name: "Bread", ParentID: bakery})
	if err != nil {
		t.Fatal(err)
	}
	posOld, err := sh.s.nexo.AddCategory(nexosim.NewCategory{Name: "Till clearance"})
	if err != nil {
		t.Fatal(err)
	}
	loaf, err := sh.s.nexo.AddProduct(nexosim.NewProduct{Name: "Loaf", SKU: "N-1", CategoryID: bread, Price: 3.2, Stock: 7})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sh.s.nexo.AddProduct(nexosim.NewProduct{Name: "Bun", SKU: "N-2", CategoryID: bread, Price: 1.1, Stock: 30}); err != nil {
		t.Fatal(err)
	}
	grace, err := sh.s.nexo.AddCustomer(nexosim.NewCustomer{FirstName: "Grace", LastName: "Hopper", Email: "grace@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sh.s.nexo.AddCustomer(nexosim.NewCustomer{FirstName: "Edsger", LastName: "Dijkstra", Email: "edsger@example.com"}); err != nil {
		t.Fatal(err)
	}

	// Created on each side.
	sh.cycle(exitClean)
	wp, np := sh.wooProducts(), sh.nexoProducts()
	wcats, ncats := sh.wooCategoryPaths(), sh.nexoCategoryPaths()
	for _, path := range []string{"Garden", "Garden/Tools", "Web clearance", "Bakery", "Bakery/Bread", "Till clearance"} {
		if wcats[path] == 0 || ncats[path] == 0 {
			t.Errorf("category %q: WooCommerce id %d, NexoPOS id %d", path, wcats[path], ncats[path])
		}
	}
	if p := np["W-1"]; p.Name != "Spade" || p.CategoryID != ncats["Garden/Tools"] || unitPrice(p) != 24.5 || sh.nexoStock(p.ID) != 5 {
		t.Errorf("NexoPOS W-1: %+v (price %v, stock %v)", p.Product, unitPrice(p), sh.nexoStock(p.ID))
	}
	if p := wp["N-1"]; p.Name != "Loaf" || len(p.CategoryIDs) != 1 || p.CategoryIDs[0] != wcats["Bakery/Bread"] ||
		p.RegularPrice != "3.20" && p.RegularPrice != "3.2" || wooStock(p) != 7 {
		t.Errorf("WooCommerce N-1: %+v (stock %d)", p, wooStock(p))
	}
	wc, nc := sh.wooCustomers(), sh.nexoCustomers()
	for _, email := range []string{"ada@example.com", "alan@example.com", "grace@example.com", "edsger@example.com"} {
		if _, ok := wc[email]; !ok {
			t.Errorf("WooCommerce lacks customer %s", email)
		}
		if _, ok := nc[email]; !ok {
			t.Errorf("NexoPOS lacks customer %s", email)
		}
	}
	if c := nc["ada@example.com"]; c.FirstName == nil || *c.FirstName != "Ada" {
		t.Errorf("NexoPOS ada: first name %v", c.FirstName)
	}
	if c := wc["grace@example.com"]; c.FirstName != "Grace" || c.LastName != "Hopper" {
		t.Errorf("WooCommerce grace: %q %q", c.FirstName, c.LastName)
	}
	sh.settled()

	// Updated on each side.
	if err := sh.s.woo.UpdateProduct(wooSpade, func(p *wcsim.Product) { p.Name = "Garden spade"; p.RegularPrice = "26.00" }); err != nil {
		t.Fatal(err)
	}
	if _, err := sh.nexo.SaveProduct(ctx, snapshot.Product{ID: e2eID(loaf), Name: "Sourdough loaf", RegularPrice: e2eDec(t, "4.5")},
		[]string{"name", "regular_price"}); err != nil {
		t.Fatal(err)
	}
	saveWooCustomer(t, sh, wooAda, "Augusta Ada")
	if _, err := sh.nexo.SaveCustomer(ctx, snapshot.Customer{ID: e2eID(grace), Email: "grace@example.com", LastName: "Murray Hopper"},
		[]string{"last_name"}); err != nil {
		t.Fatal(err)
	}
	renameWooCategory(t, sh, tools, "Hand tools")
	if _, err := sh.nexo.SaveCategory(ctx, snapshot.Category{ID: e2eID(bread), Name: "Breads", ParentID: e2eID(bakery)}); err != nil {
		t.Fatal(err)
	}
	sh.cycle(exitClean)
	wp, np = sh.wooProducts(), sh.nexoProducts()
	if p := np["W-1"]; p.Name != "Garden spade" || unitPrice(p) != 26 {
		t.Errorf("NexoPOS W-1 after the WooCommerce edit: %q %v", p.Name, unitPrice(p))
	}
	if p := wp["N-1"]; p.Name != "Sourdough loaf" || p.RegularPrice != "4.50" && p.RegularPrice != "4.5" {
		t.Errorf("WooCommerce N-1 after the NexoPOS edit: %q %q", p.Name, p.RegularPrice)
	}
	wc, nc = sh.wooCustomers(), sh.nexoCustomers()
	if c := nc["ada@example.com"]; c.FirstName == nil || *c.FirstName != "Augusta Ada" {
		t.Errorf("NexoPOS ada after the WooCommerce edit: %v", c.FirstName)
	}
	if c := wc["grace@example.com"]; c.LastName != "Murray Hopper" {
		t.Errorf("WooCommerce grace after the NexoPOS edit: %q", c.LastName)
	}
	wcats, ncats = sh.wooCategoryPaths(), sh.nexoCategoryPaths()
	for _, path := range []string{"Garden/Hand tools", "Bakery/Breads"} {
		if wcats[path] == 0 || ncats[path] == 0 {
			t.Errorf("renamed category %q: WooCommerce id %d, NexoPOS id %d", path, wcats[path], ncats[path])
		}
	}
	sh.settled()

	// Deleted on each side: a product, a customer and an empty category.
	ncats = sh.nexoCategoryPaths()
	for _, r := range sh.woo.Delete(ctx, snapshot.KindProduct, []snapshot.ID{e2eID(wooSpade)}) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	for _, r := range sh.woo.Delete(ctx, snapshot.KindCustomer, []snapshot.ID{e2eID(wooAda)}) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	for _, r := range sh.woo.Delete(ctx, snapshot.KindCategory, []snapshot.ID{e2eID(wooOld)}) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if err := sh.nexo.Delete(ctx, snapshot.KindProduct, e2eID(loaf)); err != nil {
		t.Fatal(err)
	}
	if err := sh.nexo.Delete(ctx, snapshot.KindCustomer, e2eID(grace)); err != nil {
		t.Fatal(err)
	}
	if err := sh.nexo.Delete(ctx, snapshot.KindCategory, e2eID(posOld)); err != nil {
		t.Fatal(err)
	}
	sh.cycle(exitClean, "--full") // a trashed WooCommerce product is confirmed gone by a full listing
	wp, np = sh.wooProducts(), sh.nexoProducts()
	wc, nc = sh.wooCustomers(), sh.nexoCustomers()
	wcats, ncats = sh.wooCategoryPaths(), sh.nexoCategoryPaths()
	for _, sku := range []string{"W-1", "N-1"} {
		if _, ok := wp[sku]; ok {
			t.Errorf("WooCommerce still holds product %s", sku)
		}
		if _, ok := np[sku]; ok {
			t.Errorf("NexoPOS still holds product %s", sku)
		}
	}
	for _, sku := range []string{"W-2", "N-2"} {
		if _, ok := wp[sku]; !ok {
			t.Errorf("WooCommerce lost product %s", sku)
		}
		if _, ok := np[sku]; !ok {
			t.Errorf("NexoPOS lost product %s", sku)
		}
	}
	for _, email := range []string{"ada@example.com", "grace@example.com"} {
		if _, ok := wc[email]; ok {
			t.Errorf("WooCommerce still holds customer %s", email)
		}
		if _, ok := nc[email]; ok {
			t.Errorf("NexoPOS still holds customer %s", email)
		}
	}
	for _, path := range []string{"Web clearance", "Till clearance"} {
		if wcats[path] != 0 || ncats[path] != 0 {
			t.Errorf("deleted category %q: WooCommerce id %d, NexoPOS id %d", path, wcats[path], ncats[path])
		}
	}
	sh.settled()
}

// unitPrice is the sale price of a NexoPOS product's first unit row.
func unitPrice(p nexosim.ProductWithUnits) float64 {
	if len(p.UnitQuantities) == 0 {
		return -1
	}
	return p.UnitQuantities[0].SalePrice
}

func saveWooCustomer(t *testing.T, sh *e2eShop, wooID int, firstName string) {
	t.Helper()
	for _, r := range sh.woo.SaveCustomers(context.Background(), []woocommerce.CustomerWrite{{
		Customer: snapshot.Customer{ID: e2eID(wooID), FirstName: firstName}, Fields: []string{"first_name"}}}) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
}

func renameWooCategory(t *testing.T, sh *e2eShop, wooID int, name string) {
	t.Helper()
	var parent int
	for _, c := range sh.s.woo.Categories() {
		if c.ID == wooID {
			parent = c.Parent
		}
	}
	for _, r := range sh.woo.SaveCategories(context.Background(), []woocommerce.CategoryWrite{{
		Category: snapshot.Category{ID: e2eID(wooID), Name: name, ParentID: e2eID(parent)}, Fields: []string{"name"}}}) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
}
