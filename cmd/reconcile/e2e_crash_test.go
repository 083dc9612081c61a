package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
)

// crashShop seeds a shop whose first sync creates products, customers,
// categories and orders on both sides: WooCommerce has 12 products, 6
// customers and 8 online orders (processing or completed, registered and
// guest buyers); NexoPOS has 8 products, 4 customers and 4 paid POS
// sales, one with a quick product. It returns the NexoPOS stock each
// product must end with, by SKU.
func crashShop(t *testing.T, sh *e2eShop) map[string]float64 {
	t.Helper()
	want := map[string]float64{}
	cat := sh.s.woo.AddCategory(wcsim.Category{Name: "Web"})
	sub := sh.s.woo.AddCategory(wcsim.Category{Name: "Lamps", Parent: cat})
	var wooProducts []wcsim.Product
	for i := 1; i <= 12; i++ {
		sku := fmt.Sprintf("W-%02d", i)
		id := sh.s.woo.AddProduct(wcsim.Product{Name: "Lamp " + sku, SKU: sku, RegularPrice: fmt.Sprintf("%d.00", 10+i),
			ManageStock: true, StockQuantity: e2eIntp(20 + i), CategoryIDs: []int{sub}})
		p, _ := sh.s.woo.Product(id)
		wooProducts = append(wooProducts, p)
		want[sku] = float64(20 + i)
	}
	var wooCustomers []int
	for i := 1; i <= 6; i++ {
		wooCustomers = append(wooCustomers, sh.s.woo.AddCustomer(wcsim.Customer{Email: fmt.Sprintf("web%d@example.com", i),
			FirstName: "Web", LastName: strconv.Itoa(i), Role: "customer", Username: fmt.Sprintf("web%d", i)}))
	}
	for i := 0; i < 8; i++ {
		p := wooProducts[i%len(wooProducts)]
		customer, email := 0, fmt.Sprintf("guest%d@example.com", i)
		if i%2 == 0 {
			customer, email = wooCustomers[i%len(wooCustomers)], fmt.Sprintf("web%d@example.com", i%len(wooCustomers)+1)
		}
		status := []string{"processing", "completed"}[i%2]
		gateway := []string{"bacs", "cod"}[i%2]
		onlineOrder(t, sh, customer, email, gateway, status, p, 1+i%3)
		want[p.SKU] -= float64(1 + i%3)
	}

	till, err := sh.s.nexo.AddCategory(nexosim.NewCategory{Name: "Till"})
	if err != nil {
		t.Fatal(err)
	}
	var nexoProducts []int
	for i := 1; i <= 8; i++ {
		sku := fmt.Sprintf("N-%02d", i)
		id, err := sh.s.nexo.AddProduct(nexosim.NewProduct{Name: "Loaf " + sku, SKU: sku, CategoryID: till, Price: float64(2 + i), Stock: float64(30 + i)})
		if err != nil {
			t.Fatal(err)
		}
		nexoProducts = append(nexoProducts, id)
		want[sku] = float64(30 + i)
	}
	var nexoCustomers []int
	for i := 1; i <= 4; i++ {
		id, err := sh.s.nexo.AddCustomer(nexosim.NewCustomer{FirstName: "Till", LastName: strconv.Itoa(i), Email: fmt.Sprintf("till%d@example.com", i)})
		if err != nil {
			t.Fatal(err)
		}
		nexoCustomers = append(nexoCustomers, id)
	}
	for i := 0; i < 4; i++ {
		if _, err := sh.s.nexo.Sell(nexoCustomers[i], 2, nexoProducts[i]); err != nil {
			t.Fatal(err)
		}
		want[fmt.Sprintf("N-%02d", i+1)] -= 2
	}
	if _, err := sh.s.nexo.AddOrder(nexosim.NewOrder{Lines: []nexosim.OrderLine{{ProductID: nexoProducts[5], Quantity: 1},
		{Name: "Gift wrap", Quantity: 1, UnitPrice: 2}}, Payments: map[string]float64{"cash-payment": 10}}); err != nil {
		t.Fatal(err)
	}
	want["N-06"]--
	return want
}

// TestE2ECrashNeverDuplicates kills `reconcile --now` with SIGKILL at
// random moments of a first sync that creates products, customers,
// categories and orders both ways, then runs it to completion, and checks
// that no record exists twice on either side, that every online order in
// an import status exists in NexoPOS exactly once and every POS sale in
// WooCommerce exactly once, and that stock agrees with the sales.
// E2E_CRASH_ITERATIONS sets the number of shops (default 30, 5 with
// -short); E2E_CRASH_SEED the random seed.
func TestE2ECrashNeverDuplicates(t *testing.T) {
	iterations := 30
	if testing.Short() {
		iterations = 5
	}
	if v := os.Getenv("E2E_CRASH_ITERATIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("E2E_CRASH_ITERATIONS=%q is not a positive number", v)
		}
		iterations = n
	}
	seed := uint64(1)
	if v := os.Getenv("E2E_CRASH_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("E2E_CRASH_SEED=%q: %v", v, err)
		}
		seed = n
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	const latency = 3 * time.Millisecond

	// How long an uninterrupted first sync of this shop takes: the kills
	// are spread over that span.
	ref := newE2EShop(t, latency, nil)
	crashShop(t, ref)
	start := time.Now()
	ref.cycle(exitClean)
	span := time.Since(start)
	t.Logf("seed %d, %d iterations; an uninterrupted first sync takes %s", seed, iterations, span.Round(time.Millisecond))

	kills := 0
	for it := 1; it <= iterations; it++ {
		t.Run(fmt.Sprintf("shop%02d", it), func(t *testing.T) {
			sh := newE2EShop(t, latency, nil)
			want := crashShop(t, sh)
			// One to three kills, each at a random moment of a run.
			for k := 0; k < 1+rng.IntN(3); k++ {
				if sh.runKilledAfter(time.Duration(rng.Int64N(int64(span)))) {
					kills++
				}
			}
			sh.runToCompletion()
			sh.checkNoDuplicates(want)
			sh.settled()
		})
	}
	t.Logf("%d runs killed mid-cycle", kills)
}

// runKilledAfter starts `reconcile --now` and kills it with SIGKILL after
// d; it reports whether the process was still running then.
func (sh *e2eShop) runKilledAfter(d time.Duration) bool {
	sh.t.Helper()
	cmd := sh.command(context.Background(), "--now")
	if err := cmd.Start(); err != nil {
		sh.t.Fatal(err)
	}
	timer := time.AfterFunc(d, func() { _ = cmd.Process.Kill() })
	err := cmd.Wait()
	stopped := timer.Stop()
	if ee, ok := err.(*exec.ExitError); ok && !ee.Exited() {
		return true // killed
	}
	_ = stopped
	return false
}

// runToCompletion runs cycles until one exits clean.
func (sh *e2eShop) runToCompletion() {
	sh.t.Helper()
	var last runResult
	for i := 0; i < 4; i++ {
		if last = sh.reconcile("--now"); last.code == exitClean {
			return
		}
	}
	sh.t.Fatalf("no clean cycle after the kills: %s", last)
}

// checkNoDuplicates checks the crash test's invariants.
func (sh *e2eShop) checkNoDuplicates(wantStock map[string]float64) {
	t := sh.t
	t.Helper()
	// The helpers report any SKU, e-mail or category path held twice.
	wp, np := sh.wooProducts(), sh.nexoProducts()
	sh.wooCustomers()
	sh.nexoCustomers()
	sh.wooCategoryPaths()
	sh.nexoCategoryPaths()
	for sku, q := range wantStock {
		w, n := wp[sku], np[sku]
		if w.ID == 0 || n.ID == 0 {
			t.Errorf("product %s: WooCommerce %d, NexoPOS %d", sku, w.ID, n.ID)
			continue
		}
		if got := sh.nexoStock(n.ID); got != q {
			t.Errorf("product %s: NexoPOS stock %v, want %v", sku, got, q)
		}
		if got := wooStock(w); float64(got) != q {
			t.Errorf("product %s: WooCommerce stock %d, want %v", sku, got, q)
		}
	}
	_, nexoCount := sh.nexoOrdersByReference()
	for _, o := range sh.s.woo.Orders() {
		if o.Status != "processing" && o.Status != "completed" {
			continue
		}
		if isPushed(o) {
			continue
		}
		if n := nexoCount[strconv.Itoa(o.ID)]; n != 1 {
			t.Errorf("online order %d is in NexoPOS %d times", o.ID, n)
		}
	}
	for ref, n := range nexoCount {
		if n != 1 {
			t.Errorf("NexoPOS holds online order %s %d times", ref, n)
		}
	}
	_, wooCount := sh.wooOrdersByReference()
	for _, o := range sh.s.nexo.Orders() {
		if o.Title != nil && *o.Title != "" || o.PaymentStatus != "paid" {
			continue
		}
		if n := wooCount[strconv.Itoa(o.ID)]; n != 1 {
			t.Errorf("POS sale %d is in WooCommerce %d times", o.ID, n)
		}
	}
	for ref, n := range wooCount {
		if n != 1 {
			t.Errorf("WooCommerce holds POS sale %s %d times", ref, n)
		}
	}
}

// isPushed reports whether a WooCommerce order was created from a POS sale.
func isPushed(o wcsim.Order) bool {
	for _, m := range o.MetaData {
		if m.Key == "woonexo_nexopos_order" {
			return true
		}
	}
	return false
}
