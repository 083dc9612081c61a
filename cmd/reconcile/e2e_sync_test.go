package main

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
)

// TestE2EDeepCategoryTree: 300 categories nested 6 deep, half made on
// each side, arrive on the other side with the same tree.
func TestE2EDeepCategoryTree(t *testing.T) {
	sh := newE2EShop(t, 0, nil)
	// Each side: 5 trees of 30 categories, every chain 6 deep (a root,
	// then 5 levels of up to 29 children spread over the levels).
	want := map[string]bool{}
	for tree := 0; tree < 5; tree++ {
		wooParents := []int{sh.s.woo.AddCategory(wcsim.Category{Name: fmt.Sprintf("Web %d", tree)})}
		nexoRoot, err := sh.s.nexo.AddCategory(nexosim.NewCategory{Name: fmt.Sprintf("Till %d", tree)})
		if err != nil {
			t.Fatal(err)
		}
		nexoParents := []int{nexoRoot}
		wooPath := []string{fmt.Sprintf("Web %d", tree)}
		nexoPath := []string{fmt.Sprintf("Till %d", tree)}
		want[wooPath[0]], want[nexoPath[0]] = true, true
		for i := 1; i < 30; i++ {
			depth := 1 + (i-1)%5 // 1..5 below the root
			name := fmt.Sprintf("Level %d item %d", depth, i)
			wid := sh.s.woo.AddCategory(wcsim.Category{Name: name, Parent: wooParents[depth-1]})
			nid, err := sh.s.nexo.AddCategory(nexosim.NewCategory{Name: name, ParentID: nexoParents[depth-1]})
			if err != nil {
				t.Fatal(err)
			}
			wooParents = append(wooParents[:depth], wid)
			nexoParents = append(nexoParents[:depth], nid)
			wooPath = append(wooPath[:depth], name)
			nexoPath = append(nexoPath[:depth], name)
			want[strings.Join(wooPath, "/")], want[strings.Join(nexoPath, "/")] = true, true
		}
	}
	if len(want) != 300 {
		t.Fatalf("the test builds %d categories, want 300", len(want))
	}
	sh.cycle(exitClean)
	wcats, ncats := sh.wooCategoryPaths(), sh.nexoCategoryPaths()
	deepest := 0
	for path := range want {
		if wcats[path] == 0 {
			t.Errorf("WooCommerce lacks category %q", path)
		}
		if ncats[path] == 0 {
			t.Errorf("NexoPOS lacks category %q", path)
		}
		deepest = max(deepest, strings.Count(path, "/")+1)
	}
	if deepest != 6 {
		t.Errorf("deepest path has %d levels, want 6", deepest)
	}
	// Both sides hold the 300 plus their own defaults, each once (the
	// path maps report duplicates) and the same set.
	if !maps.Equal(keysOf(wcats), keysOf(ncats)) {
		t.Errorf("category trees differ: WooCommerce %d paths, NexoPOS %d", len(wcats), len(ncats))
	}
	sh.settled()
}

func keysOf(m map[string]int) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// TestE2EAdministratorEmailLinked: a NexoPOS customer whose e-mail
// belongs to a WooCommerce administrator (hidden from the default
// customer listing; WooCommerce refuses to create a customer with it) is
// linked to that user, not duplicated and not failed.
func TestE2EAdministratorEmailLinked(t *testing.T) {
	sh := newE2EShop(t, 0, nil)
	admin := sh.s.woo.SetUserRole("owner@example.com", "administrator")
	if _, err := sh.s.nexo.AddCustomer(nexosim.NewCustomer{FirstName: "Shop", LastName: "Owner", Email: "owner@example.com"}); err != nil {
		t.Fatal(err)
	}
	sh.cycle(exitClean)
	wc := sh.wooCustomers()
	if c, ok := wc["owner@example.com"]; !ok || c.ID != admin || c.Role != "administrator" {
		t.Errorf("WooCommerce user for owner@example.com: %+v, want the administrator %d", c, admin)
	}
	if _, ok := sh.nexoCustomers()["owner@example.com"]; !ok {
		t.Error("NexoPOS lost the customer")
	}
	sh.settled()
}

// TestE2EFirstSyncSharedSKUs: a first sync of two shops that already
// share products by SKU links them (NexoPOS's values win, as configured)
// and creates only what one side lacks.
func TestE2EFirstSyncSharedSKUs(t *testing.T) {
	sh := newE2EShop(t, 0, nil)
	cat := sh.s.woo.AddCategory(wcsim.Category{Name: "Lamps"})
	ncat, err := sh.s.nexo.AddCategory(nexosim.NewCategory{Name: "Lamps"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 20; i++ {
		sku := fmt.Sprintf("SHARED-%02d", i)
		sh.s.woo.AddProduct(wcsim.Product{Name: "Web name " + sku, SKU: sku, RegularPrice: "10.00", ManageStock: true,
			StockQuantity: e2eIntp(3), CategoryIDs: []int{cat}})
		if _, err := sh.s.nexo.AddProduct(nexosim.NewProduct{Name: "Till name " + sku, SKU: sku, CategoryID: ncat,
			Price: float64(10 + i), Stock: float64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	sh.s.woo.AddProduct(wcsim.Product{Name: "Web only", SKU: "WEB-ONLY", RegularPrice: "5.00", CategoryIDs: []int{cat}})
	if _, err := sh.s.nexo.AddProduct(nexosim.NewProduct{Name: "Till only", SKU: "TILL-ONLY", CategoryID: ncat, Price: 7}); err != nil {
		t.Fatal(err)
	}
	sh.cycle(exitClean)
	wp, np := sh.wooProducts(), sh.nexoProducts() // both report a SKU held twice
	if len(wp) != 22 || len(np) != 22 {
		t.Errorf("products: WooCommerce %d, NexoPOS %d, want 22 each", len(wp), len(np))
	}
	for i := 1; i <= 20; i++ {
		sku := fmt.Sprintf("SHARED-%02d", i)
		w, n := wp[sku], np[sku]
		if w.Name != "Till name "+sku || w.RegularPrice != fmt.Sprintf("%d.00", 10+i) {
			t.Errorf("%s on WooCommerce: %q %q, want NexoPOS's values", sku, w.Name, w.RegularPrice)
		}
		if wooStock(w) != i || sh.nexoStock(n.ID) != float64(i) {
			t.Errorf("%s stock: WooCommerce %d, NexoPOS %v, want %d", sku, wooStock(w), sh.nexoStock(n.ID), i)
		}
	}
	if wcats := sh.wooCategoryPaths(); len(wcats) != len(sh.nexoCategoryPaths()) {
		t.Errorf("categories: WooCommerce %v, NexoPOS %v", wcats, sh.nexoCategoryPaths())
	}
	sh.settled()
}

// TestE2EDeletionThreshold: deletions above safety.max_delete are refused
// with exit code 3 and nothing deleted; --force-deletions applies them.
func TestE2EDeletionThreshold(t *testing.T) {
	sh := newE2EShop(t, 0, func(c *config.Config) { c.Safety.MaxDelete = config.MaxDelete{Count: 3, Percent: 100} })
	var ids []int
	for i := 1; i <= 8; i++ {
		id, err := sh.s.nexo.AddProduct(nexosim.NewProduct{Name: fmt.Sprintf("Item %d", i), SKU: fmt.Sprintf("DEL-%d", i), Price: 2})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	sh.cycle(exitClean)
	if n := len(sh.wooProducts()); n != 8 {
		t.Fatalf("WooCommerce holds %d products after the first sync", n)
	}
	for _, id := range ids[:5] {
		if err := sh.nexo.Delete(t.Context(), "product", e2eID(id)); err != nil {
			t.Fatal(err)
		}
	}
	r := sh.cycle(exitRefused)
	if !strings.Contains(r.stdout, "product") {
		t.Errorf("the refusal does not name the kind:\n%s", r.stdout)
	}
	if n := len(sh.wooProducts()); n != 8 {
		t.Errorf("WooCommerce holds %d products after a refused cycle, want 8", n)
	}
	sh.cycle(exitRefused) // refused again, not forgotten
	sh.cycle(exitClean, "--force-deletions")
	if n := len(sh.wooProducts()); n != 3 {
		t.Errorf("WooCommerce holds %d products after --force-deletions, want 3", n)
	}
	sh.settled()
}

// TestE2EDryRunWritesNothing: a dry run with work to do writes to neither
// system (no write request reaches either simulator) nor to the state
// file (same bytes), before the first sync and after it.
func TestE2EDryRunWritesNothing(t *testing.T) {
	sh := newE2EShop(t, 0, nil)
	sh.s.woo.AddProduct(wcsim.Product{Name: "Lamp", SKU: "DRY-1", RegularPrice: "9.00", ManageStock: true, StockQuantity: e2eIntp(4)})
	if _, err := sh.s.nexo.AddProduct(nexosim.NewProduct{Name: "Loaf", SKU: "DRY-2", Price: 3, Stock: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := sh.s.nexo.AddCustomer(nexosim.NewCustomer{FirstName: "Ann", Email: "ann@example.com"}); err != nil {
		t.Fatal(err)
	}
	dry := func() {
		t.Helper()
		before, _ := os.ReadFile(sh.statePath())
		sh.s.woo.ResetCounters()
		sh.s.nexo.ResetCounters()
		if p := sh.plan(); len(p.Ops) == 0 {
			t.Fatal("the dry run plans nothing: the test has no work to leave undone")
		}
		after, _ := os.ReadFile(sh.statePath())
		if !bytes.Equal(before, after) {
			t.Errorf("the dry run changed the state file (%d -> %d bytes)", len(before), len(after))
		}
		if writes := writeRoutes(sh.s.woo.Counters()); len(writes) > 0 {
			t.Errorf("the dry run wrote to WooCommerce: %v", writes)
		}
		if writes := writeRoutes(sh.s.nexo.Counters()); len(writes) > 0 {
			t.Errorf("the dry run wrote to NexoPOS: %v", writes)
		}
	}
	dry()
	if _, err := os.Stat(sh.statePath()); !os.IsNotExist(err) {
		t.Errorf("a dry run before the first sync created the state file: %v", err)
	}
	sh.cycle(exitClean)
	if _, err := sh.s.nexo.Sell(0, 1, sh.nexoProducts()["DRY-2"].ID); err != nil {
		t.Fatal(err)
	}
	sh.s.woo.AddProduct(wcsim.Product{Name: "Shade", SKU: "DRY-3", RegularPrice: "4.00"})
	dry()
	sh.cycle(exitClean)
	sh.settled()
}

// writeRoutes keeps the counters of requests that may write: every
// method but GET and HEAD, except NexoPOS's read-only search.
func writeRoutes(counters map[string]int) map[string]int {
	out := map[string]int{}
	for route, n := range counters {
		method, path, _ := strings.Cut(route, " ")
		if n == 0 || method == "GET" || method == "HEAD" || path == "/api/products/search" {
			continue
		}
		out[route] = n
	}
	return out
}
