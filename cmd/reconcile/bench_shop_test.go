package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

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

// The end-to-end benchmark runs the simulators in a helper process (this
// test binary again, running TestBenchShopServer), so that the reconcile
// process it measures holds nothing but woonexo. The benchmark passes the
// shop in envBenchServe as JSON; the helper seeds it, writes a
// configuration for it into the given directory, serves a small control
// API on loopback, prints benchReadyPrefix and the control API's URL on a
// line of its own, and stops when its standard input closes.
const (
	envBenchServe    = "WOONEXO_BENCH_SERVE"
	benchReadyPrefix = "woonexo bench shop ready: "
)

// benchServeSpec is what the helper process serves.
type benchServeSpec struct {
	Products   int           `json:"products"`
	Categories int           `json:"categories"`
	Customers  int           `json:"customers"`
	PastOrders int           `json:"past_orders"`
	Latency    time.Duration `json:"latency"`
	WooToo     bool          `json:"woo_too"` // WooCommerce holds the catalogue too
	Dir        string        `json:"dir"`     // configuration and state file
}

func (sp benchServeSpec) shop() benchShop {
	return benchShop{products: sp.Products, categories: sp.Categories, customers: sp.Customers, pastOrders: sp.PastOrders}
}

// benchCounters is the control API's answer to GET /counters.
type benchCounters struct {
	WooCommerce map[string]int `json:"woocommerce"`
	NexoPOS     map[string]int `json:"nexopos"`
}

// seedBenchSims starts both simulators and seeds the shop: NexoPOS with
// everything, WooCommerce with the same catalogue when wooToo.
func seedBenchSims(shop benchShop, latency time.Duration, wooToo bool) (*sims, error) {
	clk := &benchClock{}
	clk.set(time.Now().Add(-60 * 24 * time.Hour)) // the shop's past
	s, err := startBenchSims(latency, clk)
	if err != nil {
		return nil, err
	}
	if err := seedNexo(s.nexo, shop); err != nil {
		s.Close()
		return nil, err
	}
	if wooToo {
		seedWoo(s.woo, shop, nexoStock(s.nexo))
	}
	clk.set(time.Time{}) // real time from here on
	return s, nil
}

// TestBenchShopServer is the end-to-end benchmark's helper process; it is
// skipped unless the benchmark started it.
func TestBenchShopServer(t *testing.T) {
	raw := os.Getenv(envBenchServe)
	if raw == "" {
		t.Skip("the end-to-end benchmark's helper process")
	}
	var sp benchServeSpec
	if err := json.Unmarshal([]byte(raw), &sp); err != nil {
		t.Fatal(err)
	}
	s, err := seedBenchSims(sp.shop(), sp.Latency, sp.WooToo)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := writeBenchConfig(s, sp.Dir); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: benchControl(s, sp.shop()), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	fmt.Printf("%shttp://%s\n", benchReadyPrefix, ln.Addr())
	_, _ = io.Copy(io.Discard, os.Stdin) // until the benchmark is done
}

// benchControl is the helper's control API: GET /counters, POST /reset
// (the counters), POST /change (case 4's changes, see changeShop).
func benchControl(s *sims, shop benchShop) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /counters", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(benchCounters{WooCommerce: s.woo.Counters(), NexoPOS: s.nexo.Counters()})
	})
	mux.HandleFunc("POST /reset", func(w http.ResponseWriter, _ *http.Request) {
		s.woo.ResetCounters()
		s.nexo.ResetCounters()
	})
	mux.HandleFunc("POST /change", func(w http.ResponseWriter, r *http.Request) {
		if err := changeShop(r.Context(), s, shop); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	return mux
}

// writeBenchConfig writes dir/config.yaml: the simulators' configuration
// (see (*sims).config) with its secrets in clear (the file is the
// benchmark's own, mode 0600), logging warnings only.
func writeBenchConfig(s *sims, dir string) error {
	cfg := s.config(dir)
	cfg.Log.Format, cfg.Log.Level = "json", "warn"
	data, err := yaml.Marshal(cfg)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		return err
	}
	m["woocommerce"].(map[string]any)["consumer_key"] = cfg.WooCommerce.ConsumerKey.Reveal()
	m["woocommerce"].(map[string]any)["consumer_secret"] = cfg.WooCommerce.ConsumerSecret.Reveal()
	m["nexopos"].(map[string]any)["token"] = cfg.NexoPOS.Token.Reveal()
	if data, err = yaml.Marshal(m); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "config.yaml"), data, 0o600)
}
