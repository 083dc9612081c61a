package main

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/woonexo/woonexo/connectors/nexopos"
	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/snapshot"
)

// benchShop is the shape of the end-to-end benchmark's shop.
type benchShop struct {
	products, categories, customers, pastOrders int
}

func (s benchShop) String() string {
	return fmt.Sprintf("%d products, %d categories, %d customers, %d past orders",
		s.products, s.categories, s.customers, s.pastOrders)
}

// roots is how many top-level categories the tree has; the rest are their
// children, where the products live.
func (s benchShop) roots() int { return max(1, s.categories/15) }

// benchClock is a settable clock shared by both simulators, so the shop's
// past can be seeded weeks before the first sync.
type benchClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *benchClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at.IsZero() {
		return time.Now()
	}
	return c.at
}

func (c *benchClock) set(t time.Time) {
	c.mu.Lock()
	c.at = t
	c.mu.Unlock()
}

// startBenchSims starts both simulators with latency, NexoPOS's throttle
// off, and the shared clock.
func startBenchSims(latency time.Duration, clk *benchClock) (*sims, error) {
	s := &sims{
		woo:  wcsim.New(wcsim.Options{Latency: latency, Clock: clk.now}),
		nexo: nexosim.New(nexosim.Options{NoThrottle: true, Latency: latency, Clock: clk.now}),
	}
	if _, err := s.woo.Listen(orLoopback("")); err != nil {
		return nil, err
	}
	if _, err := s.nexo.Listen(orLoopback("")); err != nil {
		s.woo.Close()
		return nil, err
	}
	return s, nil
}

func benchSKU(i int) string   { return fmt.Sprintf("SKU-%07d", i) }
func benchEmail(i int) string { return fmt.Sprintf("customer%d@example.com", i) }
func benchPrice(i int) int    { return 1 + i%97 }

// seedNexo gives NexoPOS the whole shop: the category tree, the products
// with stock, the customers, and the past orders (paid POS sales created
// before the first sync, at the clock's current time).
func seedNexo(sim *nexosim.Sim, shop benchShop) error {
	var leaves []int
	roots := shop.roots()
	perRoot := (shop.categories - roots) / roots
	for r := 1; r <= roots; r++ {
		root, err := sim.AddCategory(nexosim.NewCategory{Name: fmt.Sprintf("Department %d", r)})
		if err != nil {
			return err
		}
		for c := 1; c <= perRoot; c++ {
			leaf, err := sim.AddCategory(nexosim.NewCategory{Name: fmt.Sprintf("Aisle %d.%d", r, c), ParentID: root})
			if err != nil {
				return err
			}
			leaves = append(leaves, leaf)
		}
	}
	prods := make([]int, 0, shop.products)
	for i := 1; i <= shop.products; i++ {
		id, err := sim.AddProduct(nexosim.NewProduct{Name: fmt.Sprintf("Product %d", i), SKU: benchSKU(i),
			Barcode: fmt.Sprintf("B%09d", i), CategoryID: leaves[i%len(leaves)], Price: float64(benchPrice(i)),
			WholesalePrice: float64(1 + i%50), Stock: float64(100000 + i%100)})
		if err != nil {
			return err
		}
		prods = append(prods, id)
	}
	custs := make([]int, 0, shop.customers)
	for i := 1; i <= shop.customers; i++ {
		id, err := sim.AddCustomer(nexosim.NewCustomer{FirstName: fmt.Sprintf("First%d", i), LastName: fmt.Sprintf("Last%d", i),
			Email: benchEmail(i)})
		if err != nil {
			return err
		}
		custs = append(custs, id)
	}
	for i := 0; i < shop.pastOrders; i++ {
		p := prods[(i*7)%len(prods)]
		if _, err := sim.Sell(custs[i%len(custs)], 1, p); err != nil {
			return err
		}
	}
	return nil
}

// seedWoo gives WooCommerce the same catalogue: categories by name path,
// products by SKU with NexoPOS's names, prices and stock, customers by
// e-mail, and stock holds NexoPOS's quantity of each SKU (after the past
// sales). Nothing differs, so a first sync only links.
func seedWoo(sim *wcsim.Sim, shop benchShop, stock map[string]int) {
	var leaves []int
	roots := shop.roots()
	perRoot := (shop.categories - roots) / roots
	for r := 1; r <= roots; r++ {
		root := sim.AddCategory(wcsim.Category{Name: fmt.Sprintf("Department %d", r)})
		for c := 1; c <= perRoot; c++ {
			leaves = append(leaves, sim.AddCategory(wcsim.Category{Name: fmt.Sprintf("Aisle %d.%d", r, c), Parent: root}))
		}
	}
	for i := 1; i <= shop.products; i++ {
		q := stock[benchSKU(i)]
		sim.AddProduct(wcsim.Product{Name: fmt.Sprintf("Product %d", i), SKU: benchSKU(i),
			RegularPrice: strconv.Itoa(benchPrice(i)), ManageStock: true, StockQuantity: &q,
			CategoryIDs: []int{leaves[i%len(leaves)]}})
	}
	for i := 1; i <= shop.customers; i++ {
		sim.AddCustomer(wcsim.Customer{Email: benchEmail(i), FirstName: fmt.Sprintf("First%d", i), LastName: fmt.Sprintf("Last%d", i),
			Username: fmt.Sprintf("customer%d", i)})
	}
}

// nexoStock returns NexoPOS's quantity of every product by SKU.
func nexoStock(sim *nexosim.Sim) map[string]int {
	out := map[string]int{}
	for _, p := range sim.Products() {
		q, _ := sim.StockOf(p.ID, 0)
		out[p.SKU] = int(q)
	}
	return out
}

// changeShop applies case 4's changes: 1% of the products renamed on each
// side (different products), 50 online orders and 50 POS sales. NexoPOS
// changes go through its API (the simulator has no Go accessor for them);
// the caller resets the counters afterwards.
func changeShop(ctx context.Context, s *sims, shop benchShop) error {
	n := max(1, shop.products/100)
	wooBySKU := map[string]wcsim.Product{}
	for _, p := range s.woo.Products() {
		wooBySKU[p.SKU] = p
	}
	for i := 1; i <= n; i++ {
		p := wooBySKU[benchSKU(i*7)]
		if err := s.woo.UpdateProduct(p.ID, func(p *wcsim.Product) { p.Name += " (web)" }); err != nil {
			return err
		}
	}
	nc, err := nexopos.New(nexopos.Config{BaseURL: s.nexo.URL(), Token: s.nexo.Token(), BudgetPerMinute: 100000, Burst: 100})
	if err != nil {
		return err
	}
	nexoBySKU := map[string]int{}
	for _, p := range s.nexo.Products() {
		nexoBySKU[p.SKU] = p.ID
	}
	for i := 1; i <= n; i++ {
		id := nexoBySKU[benchSKU(i*7+3)]
		p := snapshot.Product{ID: snapshot.ID(strconv.Itoa(id)), Name: fmt.Sprintf("Product %d (pos)", i*7+3)}
		if _, err := nc.SaveProduct(ctx, p, []string{"name"}); err != nil {
			return fmt.Errorf("rename NexoPOS product %d: %w", id, err)
		}
	}
	custs := s.woo.Customers()
	for i := 0; i < 50; i++ {
		p := wooBySKU[benchSKU(1+(i*37)%shop.products)]
		c := custs[1+i%(len(custs)-1)] // user 1 is the administrator
		s.woo.AddOrder(wcsim.Order{Status: "processing", Currency: "EUR", PaymentMethod: "bacs",
			PaymentMethodTitle: "Direct bank transfer", CustomerID: c.ID,
			Billing:   wcsim.Address{FirstName: c.FirstName, LastName: c.LastName, Email: c.Email},
			LineItems: []wcsim.LineItem{{Name: p.Name, ProductID: p.ID, Quantity: 1, Subtotal: p.RegularPrice, Total: p.RegularPrice}}})
	}
	ncusts := s.nexo.Customers()
	for i := 0; i < 50; i++ {
		if _, err := s.nexo.Sell(ncusts[i%len(ncusts)].ID, 1, nexoBySKU[benchSKU(1+(i*53)%shop.products)]); err != nil {
			return err
		}
	}
	return nil
}
