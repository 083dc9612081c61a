package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/reconcile"
)

// cmdDemo runs a full cycle, then a second one, against both simulators
// in-process, seeded with a small shop. It needs no configuration.
func cmdDemo(ctx context.Context, e *env) int {
	dir, err := os.MkdirTemp("", "woonexo-demo-")
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: %v\n", err)
		return exitFailed
	}
	defer os.RemoveAll(dir)
	s, err := startSims(simOptions{})
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: %v\n", err)
		return exitFailed
	}
	defer s.Close()
	if err := seedDemoShop(s); err != nil {
		fmt.Fprintf(e.stderr, "reconcile: seed the demo shop: %v\n", err)
		return exitFailed
	}
	cfg := s.config(dir)
	cfg.Sync.Orders.FirstSyncWindow = 7 * 24 * time.Hour // the seeded orders are two days old
	out := e.stdout
	fmt.Fprintf(out, "woonexo demo: a WooCommerce simulator at %s and a NexoPOS simulator at %s,\n", s.woo.URL(), s.nexo.URL())
	fmt.Fprintf(out, "seeded with %d and %d products; cheque payments are deliberately left unmapped.\n\n",
		len(s.woo.Products()), len(s.nexo.Products()))
	cycles := []struct {
		title string
		setup func()
	}{
		{"First cycle: link by SKU, create what is missing on each side, import orders", nil},
		{"Second cycle: nothing left to do, except what is held", nil},
		{"Third cycle, after adding the mapping cheque -> bank-payment: the held order is imported",
			func() { cfg.Payments.Mapping["cheque"] = "bank-payment" }},
	}
	var last *reconcile.Report
	for i, c := range cycles {
		if c.setup != nil {
			c.setup()
		}
		rep, took, err := demoCycle(ctx, e, cfg)
		if err != nil {
			fmt.Fprintf(e.stderr, "reconcile: cycle %d: %v\n", i+1, err)
			return exitFailed
		}
		fmt.Fprintf(out, "== %s\n", c.title)
		writeDemoCycle(out, rep, took)
		last = rep
	}
	fmt.Fprintf(out, "Both sides now hold %d and %d products, %d and %d orders.\n",
		len(s.woo.Products()), len(s.nexo.Products()), len(s.woo.Orders()), len(s.nexo.Orders()))
	return exitCode(last.Outcome)
}

// demoCycle runs one cycle with cfg, as `reconcile --now` would: the
// configuration is read afresh each time.
func demoCycle(ctx context.Context, e *env, cfg *config.Config) (*reconcile.Report, time.Duration, error) {
	a, err := openApp(ctx, cfg, e.logger, wiring{})
	if err != nil {
		return nil, 0, err
	}
	defer a.Close()
	start := time.Now()
	rep, err := a.rec.Run(ctx, reconcile.RunRequest{})
	return rep, time.Since(start), err
}

// writeDemoCycle prints a compact account of one cycle: ops per kind,
// target, action and outcome, then held records and failures.
func writeDemoCycle(w io.Writer, rep *reconcile.Report, took time.Duration) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	keys := make([]string, 0, len(rep.Writes))
	for k := range rep.Writes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(tw, "  planned %d writes, %d new links by natural key, %d conflicts; took %s\n",
		len(rep.Plan.Ops), len(rep.Plan.Links), len(rep.Plan.Conflicts), took.Round(time.Millisecond))
	if len(keys) > 0 {
		fmt.Fprintln(tw, "  KIND\tTARGET\tACTION\tSTATUS\tCOUNT")
		for _, k := range keys {
			fmt.Fprintf(tw, "  %s\t%d\n", strings.ReplaceAll(k, "/", "\t"), rep.Writes[k])
		}
	}
	tw.Flush()
	for _, h := range rep.Plan.Held {
		fmt.Fprintf(w, "  held: %s %s %s: %s\n", h.Side, h.Kind, h.ID, h.Reason)
	}
	for _, r := range rep.Results {
		if r.Status != reconcile.StatusDone {
			fmt.Fprintf(w, "  %s: %s %s %q on %s: %s\n", r.Status, r.Action, r.Kind, r.Key, r.Target, r.Error)
		}
	}
	fmt.Fprintf(w, "  outcome: %s\n\n", rep.Outcome)
}

// seedDemoShop gives both simulators a small shop that shares 30 SKUs
// (with different names and prices on each side), plus 25 products only
// WooCommerce has and 25 only NexoPOS has, in nested categories, with
// customers and orders on both sides.
func seedDemoShop(s *sims) error {
	if err := s.woo.Seed("demo"); err != nil {
		return err
	}
	if err := s.nexo.Seed("demo"); err != nil {
		return err
	}
	home := s.woo.AddCategory(wcsim.Category{Name: "Home"})
	lamps := s.woo.AddCategory(wcsim.Category{Name: "Lamps", Parent: home})
	desk := s.woo.AddCategory(wcsim.Category{Name: "Desk lamps", Parent: lamps})
	for i := 1; i <= 25; i++ {
		q := 5 + i
		cat := []int{lamps, desk}[i%2]
		s.woo.AddProduct(wcsim.Product{Name: fmt.Sprintf("Lamp %d", i), SKU: fmt.Sprintf("WEB-%03d", i),
			RegularPrice: fmt.Sprintf("%d.90", 20+i), ManageStock: true, StockQuantity: &q, CategoryIDs: []int{cat}})
	}
	// An online order paid by cheque, which the demo leaves unmapped: it is
	// held with its reason until a mapping is added.
	for _, p := range s.woo.Products() {
		if p.SKU == "DEMO-002" {
			s.woo.AddOrder(wcsim.Order{Status: "processing", Currency: "EUR", PaymentMethod: "cheque",
				PaymentMethodTitle: "Check payments", StockReduced: true,
				Billing:   wcsim.Address{FirstName: "Rosa", LastName: "Park", Email: "rosa.park@example.com"},
				LineItems: []wcsim.LineItem{{Name: p.Name, ProductID: p.ID, Quantity: 1, Subtotal: p.RegularPrice, Total: p.RegularPrice}}})
		}
	}
	bakery, err := s.nexo.AddCategory(nexosim.NewCategory{Name: "Bakery"})
	if err != nil {
		return err
	}
	bread, err := s.nexo.AddCategory(nexosim.NewCategory{Name: "Bread", ParentID: bakery})
	if err != nil {
		return err
	}
	for i := 1; i <= 25; i++ {
		_, err := s.nexo.AddProduct(nexosim.NewProduct{Name: fmt.Sprintf("Loaf %d", i), SKU: fmt.Sprintf("POS-%03d", i),
			CategoryID: bread, Price: float64(2 + i), Stock: float64(40 + i)})
		if err != nil {
			return err
		}
	}
	return nil
}
