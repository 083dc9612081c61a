package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/woonexo/woonexo/connectors/nexopos"
	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/connectors/woocommerce"
	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/reconcile"
	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
)

// instantClock is a NexoPOS clock whose waits (retries, Retry-After, the
// request budget) end at once, so faults are retried without delay.
type instantClock struct{}

func (instantClock) Now() time.Time                                   { return time.Now() }
func (instantClock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// faultRig runs cycles in-process, as `reconcile --now` does (openApp,
// Reconciler.Run, exitCode) and as the daemon counts them (observeCycle on
// its metrics), with retries that do not wait and short request timeouts.
type faultRig struct {
	t   *testing.T
	sh  *e2eShop
	reg *prometheus.Registry
	m   *daemonMetrics
	a   *app
}

// Request timeouts: a generous one for every cycle (the machine may be
// busy), a short one for the cycle a hang is injected into.
const (
	clientTimeout = 10 * time.Second
	hangTimeout   = 2 * time.Second
)

func newFaultRig(t *testing.T, sh *e2eShop) *faultRig {
	t.Helper()
	reg := prometheus.NewRegistry()
	r := &faultRig{t: t, sh: sh, reg: reg, m: newMetrics(reg)}
	r.open(clientTimeout)
	t.Cleanup(func() {
		if r.a != nil {
			r.a.Close()
		}
	})
	return r
}

// open (re)opens the app with the given request timeout, as a new
// `reconcile --now` process would; the metrics carry over, as a daemon's.
func (r *faultRig) open(timeout time.Duration) {
	r.t.Helper()
	if r.a != nil {
		r.a.Close()
		r.a = nil
	}
	cfg := r.sh.s.config(r.sh.dir)
	cfg.WooCommerce.Timeout = timeout
	cfg.NexoPOS.Timeout = timeout
	retry := woocommerce.NoRetryDelay
	a, err := openApp(r.t.Context(), cfg, slog.New(slog.DiscardHandler), wiring{hooks: r.m.hooks(), requests: r.m.requestCounts,
		wooRetry: &retry, nexoRetry: nexopos.Retry{Initial: time.Millisecond, Max: time.Millisecond}, nexoClock: instantClock{}})
	if err != nil {
		r.t.Fatal(err)
	}
	r.a = a
}

// cycle runs one cycle and returns its report and the exit code
// `reconcile --now` would end with.
func (r *faultRig) cycle() (*reconcile.Report, int) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.t.Context(), time.Minute)
	defer cancel()
	start := time.Now()
	rep, err := r.a.rec.Run(ctx, reconcile.RunRequest{})
	r.m.observeCycle(rep, time.Since(start))
	if rep == nil {
		r.t.Fatalf("cycle returned no report: %v", err)
	}
	return rep, exitCode(rep.Outcome)
}

// dryPlan plans a cycle without writing anything.
func (r *faultRig) dryPlan() threeway.Plan {
	r.t.Helper()
	rep, err := r.a.rec.Run(r.t.Context(), reconcile.RunRequest{DryRun: true})
	if err != nil {
		r.t.Fatalf("dry run: %v", err)
	}
	return rep.Plan
}

// metric sums the samples of the named metric whose labels include want.
func (r *faultRig) metric(name string, want map[string]string) float64 {
	r.t.Helper()
	families, err := r.reg.Gather()
	if err != nil {
		r.t.Fatal(err)
	}
	total := 0.0
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for k, v := range want {
				if have[k] != v {
					continue next
				}
			}
			total += m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return total
}

// shopMaker seeds a shop and changes it between cycles. Records are named
// with a tag, so each round adds new ones.
type shopMaker struct {
	t  *testing.T
	sh *e2eShop
}

// seedBase fills both systems with what a first sync creates both ways:
// a category tree, stocked products, customers, a paid online order and a
// POS sale on each side.
func (mk shopMaker) seedBase() {
	mk.creates("base")
	mk.orders("base")
}

// creates adds a category (a child of an existing one on WooCommerce), a
// stocked product in it and a customer on each side.
func (mk shopMaker) creates(tag string) {
	t, s := mk.t, mk.sh.s
	t.Helper()
	root := 0
	for _, c := range s.woo.Categories() {
		if c.Name == "Web" && c.Parent == 0 {
			root = c.ID
		}
	}
	if root == 0 {
		root = s.woo.AddCategory(wcsim.Category{Name: "Web"})
	}
	cat := s.woo.AddCategory(wcsim.Category{Name: "Web " + tag, Parent: root})
	for i := 1; i <= 2; i++ {
		s.woo.AddProduct(wcsim.Product{Name: "Lamp " + tag, SKU: fmt.Sprintf("W-%s-%d", tag, i), RegularPrice: "12.00",
			ManageStock: true, StockQuantity: e2eIntp(20 + i), CategoryIDs: []int{cat}})
	}
	s.woo.AddCustomer(wcsim.Customer{Email: "web-" + tag + "@example.com", FirstName: "Web", LastName: tag, Role: "customer",
		Username: "web-" + tag})
	ncat, err := s.nexo.AddCategory(nexosim.NewCategory{Name: "Till " + tag})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		if _, err := s.nexo.AddProduct(nexosim.NewProduct{Name: "Loaf " + tag, SKU: fmt.Sprintf("N-%s-%d", tag, i), CategoryID: ncat,
			Price: 4, Stock: float64(30 + i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.nexo.AddCustomer(nexosim.NewCustomer{FirstName: "Till", LastName: tag, Email: "till-" + tag + "@example.com"}); err != nil {
		t.Fatal(err)
	}
}

// orders places online orders (a registered buyer by bank transfer, a guest
// paying on delivery) and POS sales (one with a quick product line).
func (mk shopMaker) orders(tag string) {
	t, sh := mk.t, mk.sh
	t.Helper()
	wp := mk.wooProducts()
	if len(wp) < 2 {
		t.Fatalf("orders %s: WooCommerce holds %d products", tag, len(wp))
	}
	var cust wcsim.Customer
	for _, c := range sh.s.woo.Customers() {
		if c.Role == "customer" {
			cust = c
		}
	}
	onlineOrder(t, sh, cust.ID, cust.Email, "bacs", "processing", wp[0], 2)
	onlineOrder(t, sh, 0, "guest-"+tag+"@example.com", "cod", "completed", wp[len(wp)-1], 1)
	np := mk.nexoProducts()
	customers := sh.s.nexo.Customers()
	if _, err := sh.s.nexo.Sell(customers[len(customers)-1].ID, 2, np[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := sh.s.nexo.AddOrder(nexosim.NewOrder{Lines: []nexosim.OrderLine{{ProductID: np[len(np)-1], Quantity: 1},
		{Name: "Gift wrap " + tag, Quantity: 1, UnitPrice: 2}}, Payments: map[string]float64{"cash-payment": 10}}); err != nil {
		t.Fatal(err)
	}
}

// updates edits a product, a category and a customer on each side
// (different records on each, so no conflict), cancels an imported online
// order and voids a POS sale pushed to WooCommerce.
func (mk shopMaker) updates(tag string, pick int) {
	t, sh := mk.t, mk.sh
	t.Helper()
	ctx := t.Context()
	ws, err := sh.woo.ReadSnapshot(ctx, woocommerce.ReadOptions{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := sh.nexo.ReadSnapshot(ctx, nexopos.ReadOptions{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	// WooCommerce edits records whose SKU or e-mail starts with "W"/"web",
	// NexoPOS those starting with "N"/"till".
	if p, ok := pickOf(ws.Products, pick, func(p snapshot.Product) bool { return strings.HasPrefix(p.SKU, "W-") }); ok {
		if err := sh.s.woo.UpdateProduct(atoi(t, p.ID), func(w *wcsim.Product) {
			w.Name = "Lamp edited " + tag
			w.RegularPrice = "13.50"
		}); err != nil {
			t.Fatal(err)
		}
	}
	if c, ok := pickOf(ws.Customers, pick, func(c snapshot.Customer) bool { return strings.HasPrefix(c.Email, "web-") }); ok {
		c.LastName = "Edited " + tag
		wantOK(t, sh.woo.SaveCustomers(ctx, []woocommerce.CustomerWrite{{Customer: c, Fields: []string{"last_name"}}}))
	}
	if c, ok := pickOf(ws.Categories, pick, func(c snapshot.Category) bool { return strings.HasPrefix(c.Name, "Web ") }); ok {
		c.Description = "Edited " + tag
		wantOK(t, sh.woo.SaveCategories(ctx, []woocommerce.CategoryWrite{{Category: c, Fields: []string{"description"}}}))
	}
	if p, ok := pickOf(ns.Products, pick, func(p snapshot.Product) bool { return strings.HasPrefix(p.SKU, "N-") }); ok {
		p.Name = "Loaf edited " + tag
		if _, err := sh.nexo.SaveProduct(ctx, p, []string{"name"}); err != nil {
			t.Fatal(err)
		}
	}
	if c, ok := pickOf(ns.Customers, pick, func(c snapshot.Customer) bool { return strings.HasPrefix(c.Email, "till-") }); ok {
		c.LastName = "Edited " + tag
		if _, err := sh.nexo.SaveCustomer(ctx, c, []string{"last_name"}); err != nil {
			t.Fatal(err)
		}
	}
	if c, ok := pickOf(ns.Categories, pick, func(c snapshot.Category) bool { return strings.HasPrefix(c.Name, "Till ") }); ok {
		c.Description = "Edited " + tag
		if _, err := sh.nexo.SaveCategory(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	// An imported online order cancelled online (voids its NexoPOS twin),
	// and a POS sale already in WooCommerce voided at the till.
	imported, _ := sh.nexoOrdersByReference()
	for _, o := range sh.s.woo.Orders() {
		if o.Status == "processing" && !isPushed(o) && imported[strconv.Itoa(o.ID)].ID != 0 {
			if err := sh.s.woo.SetOrderStatus(o.ID, "cancelled"); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	pushed, _ := sh.wooOrdersByReference()
	for _, o := range sh.s.nexo.Orders() {
		if o.PaymentStatus == "paid" && (o.Title == nil || *o.Title == "") && pushed[strconv.Itoa(o.ID)].ID != 0 {
			if err := sh.nexo.VoidOrder(ctx, snapshot.ID(strconv.Itoa(o.ID)), "void "+tag); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
}

// stock moves stock without a catalogue change: a NexoPOS adjustment, a
// WooCommerce stock edit (ignored, then set back), a new WooCommerce
// product whose quantity NexoPOS takes in, and an online order.
func (mk shopMaker) stock(tag string) {
	t, s := mk.t, mk.sh.s
	t.Helper()
	np := mk.nexoProducts()
	if err := s.nexo.AdjustStock(np[0], 0, "added", 5); err != nil {
		t.Fatal(err)
	}
	wp := mk.wooProducts()
	if err := s.woo.UpdateProduct(wp[0].ID, func(p *wcsim.Product) { p.StockQuantity = e2eIntp(99) }); err != nil {
		t.Fatal(err)
	}
	s.woo.AddProduct(wcsim.Product{Name: "Shade " + tag, SKU: "W-stock-" + tag, RegularPrice: "7.00", ManageStock: true,
		StockQuantity: e2eIntp(6)})
	onlineOrder(t, mk.sh, 0, "stock-"+tag+"@example.com", "bacs", "processing", wp[len(wp)-1], 1)
}

// wooProducts returns WooCommerce's products (not trashed) with managed
// stock left, by id.
func (mk shopMaker) wooProducts() []wcsim.Product {
	var out []wcsim.Product
	for _, p := range mk.sh.s.woo.Products() {
		if p.Status != "trash" && p.SKU != "" && wooStock(p) > 3 {
			out = append(out, p)
		}
	}
	return out
}

// nexoProducts returns the ids of NexoPOS products with stock left.
func (mk shopMaker) nexoProducts() []int {
	var out []int
	for _, p := range mk.sh.s.nexo.Products() {
		if p.SKU != "" && mk.sh.nexoStock(p.ID) > 3 {
			out = append(out, p.ID)
		}
	}
	return out
}

func pickOf[R any](rs []R, pick int, ok func(R) bool) (R, bool) {
	var match []R
	for _, r := range rs {
		if ok(r) {
			match = append(match, r)
		}
	}
	if len(match) == 0 {
		var zero R
		return zero, false
	}
	return match[pick%len(match)], true
}

func wantOK(t *testing.T, rs []woocommerce.Result) {
	t.Helper()
	for _, r := range rs {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
}

func atoi(t *testing.T, id snapshot.ID) int {
	t.Helper()
	n, err := strconv.Atoi(string(id))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// census lists the records each side holds, by side, kind and id, to find
// records that went missing.
type census map[string]bool

func takeCensus(sh *e2eShop) census {
	c := census{}
	for _, p := range sh.s.woo.Products() {
		if p.Status != "trash" {
			c["woocommerce/product/"+strconv.Itoa(p.ID)] = true
		}
	}
	for _, x := range sh.s.woo.Categories() {
		c["woocommerce/category/"+strconv.Itoa(x.ID)] = true
	}
	for _, x := range sh.s.woo.Customers() {
		c["woocommerce/customer/"+strconv.Itoa(x.ID)] = true
	}
	for _, o := range sh.s.woo.Orders() {
		if o.Status != "trash" {
			c["woocommerce/order/"+strconv.Itoa(o.ID)] = true
		}
	}
	for _, p := range sh.s.nexo.Products() {
		c["nexopos/product/"+strconv.Itoa(p.ID)] = true
	}
	for _, x := range sh.s.nexo.Categories() {
		c["nexopos/category/"+strconv.Itoa(x.ID)] = true
	}
	for _, x := range sh.s.nexo.Customers() {
		c["nexopos/customer/"+strconv.Itoa(x.ID)] = true
	}
	for _, o := range sh.s.nexo.Orders() {
		c["nexopos/order/"+strconv.Itoa(o.ID)] = true
	}
	return c
}

// plannedDeletes returns the census keys of the deletions plans ordered.
func plannedDeletes(plans ...threeway.Plan) census {
	c := census{}
	for _, p := range plans {
		for _, op := range p.Ops {
			if op.Action != threeway.ActionDelete {
				continue
			}
			id := op.WooID
			if op.Target == snapshot.NexoPOS {
				id = op.NexoID
			}
			c[string(op.Target)+"/"+string(op.Kind)+"/"+string(id)] = true
		}
	}
	return c
}

// violations checks the invariants against both systems as they are now:
// no record twice on either side (SKU, e-mail, category path, order
// reference), no online order imported twice nor POS sale pushed twice,
// and no record of before missing unless a plan deleted it. complete adds
// what must hold once a cycle ended clean: every online order in an import
// status in NexoPOS exactly once, every paid POS sale in WooCommerce
// exactly once, the same products, categories and customers on both sides,
// and WooCommerce stock equal to NexoPOS stock minus the online orders not
// yet imported.
func violations(sh *e2eShop, before census, deleted census, complete bool) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	after := takeCensus(sh)
	for k := range before {
		if !after[k] && !deleted[k] {
			bad("%s is gone and no plan deleted it", k)
		}
	}

	wooSKU, nexoSKU := map[string]wcsim.Product{}, map[string]int{}
	for _, p := range sh.s.woo.Products() {
		if p.Status == "trash" || p.SKU == "" {
			continue
		}
		if _, dup := wooSKU[p.SKU]; dup {
			bad("WooCommerce holds SKU %q twice", p.SKU)
		}
		wooSKU[p.SKU] = p
	}
	for _, p := range sh.s.nexo.Products() {
		if _, dup := nexoSKU[p.SKU]; dup {
			bad("NexoPOS holds SKU %q twice", p.SKU)
		}
		nexoSKU[p.SKU] = p.ID
	}
	wooMail, nexoMail := map[string]bool{}, map[string]bool{}
	for _, c := range sh.s.woo.Customers() {
		k := strings.ToLower(c.Email)
		if wooMail[k] {
			bad("WooCommerce holds e-mail %q twice", k)
		}
		wooMail[k] = c.Role == "customer"
	}
	for _, c := range sh.s.nexo.Customers() {
		k := strings.ToLower(c.Email)
		if _, dup := nexoMail[k]; dup {
			bad("NexoPOS holds e-mail %q twice", k)
		}
		nexoMail[k] = true
	}
	wooCats, nexoCats := wooCategoryPaths(sh, bad), nexoCategoryPaths(sh, bad)

	imported := map[string]int{}
	for _, o := range sh.s.nexo.Orders() {
		if o.Title != nil {
			if ref := nexopos.ReferenceFromTitle(*o.Title); ref != "" {
				imported[ref]++
			}
		}
	}
	pushed := map[string]int{}
	for _, o := range sh.s.woo.Orders() {
		if ref := pushedRef(o); ref != "" {
			pushed[ref]++
		}
	}
	for ref, n := range imported {
		if n > 1 {
			bad("NexoPOS holds online order %s %d times", ref, n)
		}
	}
	for ref, n := range pushed {
		if n > 1 {
			bad("WooCommerce holds POS sale %s %d times", ref, n)
		}
	}
	if !complete {
		return out
	}

	pending := map[int]int{} // WooCommerce product id -> quantity of online orders not in NexoPOS
	for _, o := range sh.s.woo.Orders() {
		if pushedRef(o) != "" || (o.Status != "processing" && o.Status != "completed") {
			continue
		}
		if n := imported[strconv.Itoa(o.ID)]; n != 1 {
			bad("online order %d (%s) is in NexoPOS %d times", o.ID, o.Status, n)
			for _, l := range o.LineItems {
				pending[l.ProductID] += l.Quantity
			}
		}
	}
	for _, o := range sh.s.nexo.Orders() {
		if o.PaymentStatus != "paid" || o.Title != nil && *o.Title != "" {
			continue
		}
		if n := pushed[strconv.Itoa(o.ID)]; n != 1 {
			bad("POS sale %d is in WooCommerce %d times", o.ID, n)
		}
	}
	for sku, w := range wooSKU {
		nid, ok := nexoSKU[sku]
		if !ok {
			bad("product %s is on WooCommerce only", sku)
			continue
		}
		if !w.ManageStock {
			continue
		}
		if want := sh.nexoStock(nid) - float64(pending[w.ID]); float64(wooStock(w)) != want {
			bad("product %s: WooCommerce stock %d, want NexoPOS's %v minus pending %d", sku, wooStock(w), sh.nexoStock(nid), pending[w.ID])
		}
	}
	for sku := range nexoSKU {
		if _, ok := wooSKU[sku]; !ok {
			bad("product %s is on NexoPOS only", sku)
		}
	}
	for path := range wooCats {
		if nexoCats[path] == 0 {
			bad("category %q is on WooCommerce only", path)
		}
	}
	for path := range nexoCats {
		if wooCats[path] == 0 {
			bad("category %q is on NexoPOS only", path)
		}
	}
	for mail, customer := range wooMail {
		if customer && !nexoMail[mail] {
			bad("customer %s is on WooCommerce only", mail)
		}
	}
	for mail := range nexoMail {
		if _, ok := wooMail[mail]; !ok {
			bad("customer %s is on NexoPOS only", mail)
		}
	}
	slices.Sort(out)
	return out
}

func pushedRef(o wcsim.Order) string {
	for _, m := range o.MetaData {
		if m.Key == woocommerce.ReferenceMetaKey {
			return strings.Trim(string(m.Value), `"`)
		}
	}
	return ""
}

func wooCategoryPaths(sh *e2eShop, bad func(string, ...any)) map[string]int {
	cats := sh.s.woo.Categories()
	byID := map[int]wcsim.Category{}
	for _, c := range cats {
		byID[c.ID] = c
	}
	out := map[string]int{}
	for _, c := range cats {
		path := c.Name
		for p := c.Parent; p != 0; p = byID[p].Parent {
			path = byID[p].Name + "/" + path
		}
		if _, dup := out[path]; dup {
			bad("WooCommerce holds category %q twice", path)
		}
		out[path] = c.ID
	}
	return out
}

func nexoCategoryPaths(sh *e2eShop, bad func(string, ...any)) map[string]int {
	cats := sh.s.nexo.Categories()
	byID := map[int]nexosim.Category{}
	for _, c := range cats {
		byID[c.ID] = c
	}
	out := map[string]int{}
	for _, c := range cats {
		path := c.Name
		for p := c.ParentID; p != nil && *p != 0; p = byID[*p].ParentID {
			path = byID[*p].Name + "/" + path
		}
		if _, dup := out[path]; dup {
			bad("NexoPOS holds category %q twice", path)
		}
		out[path] = c.ID
	}
	return out
}
