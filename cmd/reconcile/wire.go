package main

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/connectors/nexopos"
	"github.com/woonexo/woonexo/connectors/woocommerce"
	"github.com/woonexo/woonexo/reconcile"
	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
	"github.com/woonexo/woonexo/snapshot/store"
)

// app is everything one configured woonexo works with.
type app struct {
	woo   *woocommerce.Client
	nexo  *nexopos.Client
	state *store.Store
	rec   *reconcile.Reconciler
	form  snapshot.Form
}

// wiring holds what tests and the demo may replace.
type wiring struct {
	readOnly   bool         // open the state file read-only (dry runs, status)
	httpClient *http.Client // nil = each client's own
	hooks      clientHooks
	progress   func(phase string, done, total int)
	requests   func() map[string]int // requests sent so far per system, recorded per cycle
	// Retry policies and the NexoPOS clock (retry and budget waits); zero
	// values keep the clients' defaults. Tests retry without waiting.
	wooRetry  *woocommerce.RetryPolicy
	nexoRetry nexopos.Retry
	nexoClock nexopos.Clock
}

// clientHooks are the clients' metrics hooks (nil = none).
type clientHooks struct {
	onRequest    func(system, routeGroup, method string, status int, dur time.Duration)
	onRetry      func(system, routeGroup string)
	onBudgetWait func(d time.Duration)
}

// openApp builds the clients, checks both systems, opens the state file and
// returns a ready Reconciler. It makes requests (the checks) but writes
// nothing.
func openApp(ctx context.Context, cfg *config.Config, log *slog.Logger, w wiring) (*app, error) {
	if w.requests == nil {
		// Count requests per system, so every cycle records its own.
		c := &requestCounter{}
		w.hooks.onRequest, w.requests = c.hook(w.hooks.onRequest), c.counts
	}
	wc, err := woocommerce.New(wooConfig(cfg, log, w))
	if err != nil {
		return nil, fmt.Errorf("woocommerce: %w", err)
	}
	nc, err := nexopos.New(nexoConfig(cfg, log, w))
	if err != nil {
		return nil, fmt.Errorf("nexopos: %w", err)
	}
	info, err := wc.Check(ctx)
	if err != nil {
		return nil, fmt.Errorf("woocommerce: %w", err)
	}
	form := snapshot.Form{MoneyPlaces: info.MoneyPlaces}
	if cfg.WooCommerce.PriceDecimals != nil {
		form.MoneyPlaces = *cfg.WooCommerce.PriceDecimals
	}
	if _, err := nc.Check(ctx); err != nil {
		return nil, fmt.Errorf("nexopos: %w", err)
	}
	checkShippingMethod(ctx, wc, cfg.WooCommerce.ShippingMethod.ID, log)
	st, err := store.Open(cfg.State.Path, store.Options{ReadOnly: w.readOnly,
		Warn: func(msg string) { log.Warn(msg) }})
	if err != nil {
		return nil, err
	}
	rec := reconcile.New(wooSystem{wc}, nexoSystem{nc}, nexoSystem{nc}, stateFile{st}, reconcile.Options{
		Policy: policyFrom(cfg), Form: form, History: cfg.State.History,
		PastOrdersWindow: cfg.Sync.Orders.FirstSyncWindow, Logger: log, Progress: w.progress, Requests: w.requests})
	return &app{woo: wc, nexo: nc, state: st, rec: rec, form: form}, nil
}

// checkShippingMethod warns when the shipping method given to orders sent
// to WooCommerce is not one the store offers (the orders are still created:
// WooCommerce accepts any method id on a shipping line).
func checkShippingMethod(ctx context.Context, wc *woocommerce.Client, id string, log *slog.Logger) {
	if id == "" {
		return
	}
	methods, err := wc.ShippingMethods(ctx)
	if err != nil {
		log.Warn("could not list WooCommerce shipping methods", "err", err)
		return
	}
	ids := make([]string, len(methods))
	for i, m := range methods {
		if string(m.ID) == id {
			return
		}
		ids[i] = string(m.ID)
	}
	log.Warn("woocommerce.shipping_method is not a shipping method of the store", "id", id, "store_methods", ids)
}

func (a *app) Close() error { return a.state.Close() }

func wooConfig(cfg *config.Config, log *slog.Logger, w wiring) woocommerce.Config {
	c := woocommerce.Config{
		BaseURL: cfg.WooCommerce.URL, ConsumerKey: cfg.WooCommerce.ConsumerKey.Reveal(),
		ConsumerSecret: cfg.WooCommerce.ConsumerSecret.Reveal(), CAFile: cfg.WooCommerce.CAFile,
		AllowPlainHTTPLoopback: isLoopbackURL(cfg.WooCommerce.URL), HTTPClient: w.httpClient,
		Timeout: cfg.WooCommerce.Timeout, Concurrency: cfg.WooCommerce.Concurrency, Overlap: cfg.WooCommerce.Overlap,
		Logger: log.With("system", "woocommerce"), Retry: w.wooRetry,
	}
	if cfg.WooCommerce.PriceDecimals != nil {
		c.Form = &snapshot.Form{MoneyPlaces: *cfg.WooCommerce.PriceDecimals}
	}
	c.OnRequest = w.hooks.onRequest
	if h := w.hooks.onRetry; h != nil {
		c.OnRetry = func(group string) { h("woocommerce", group) }
	}
	return c
}

func nexoConfig(cfg *config.Config, log *slog.Logger, w wiring) nexopos.Config {
	d := cfg.NexoPOS.Defaults
	c := nexopos.Config{
		BaseURL: cfg.NexoPOS.URL, Token: cfg.NexoPOS.Token.Reveal(), CAFile: cfg.NexoPOS.CAFile,
		HTTPClient: w.httpClient, Timeout: cfg.NexoPOS.Timeout, BudgetPerMinute: cfg.NexoPOS.BudgetPerMinute,
		Defaults: nexopos.Defaults{CategoryID: idOf(d.Category), UnitGroupID: idOf(d.UnitGroup), UnitID: idOf(d.Unit),
			TaxGroupID: idOf(d.TaxGroup), CustomerGroupID: idOf(d.CustomerGroup), CustomerID: idOf(d.Customer),
			Author: idOf(d.Author)},
		AllowedUnits:       cfg.NexoPOS.AllowedUnits,
		PaymentIdentifiers: mappedIdentifiers(cfg.Payments.Mapping),
		Logger:             log.With("system", "nexopos"),
		OnRequest:          w.hooks.onRequest,
		OnBudgetWait:       w.hooks.onBudgetWait,
		Retry:              w.nexoRetry,
		Clock:              w.nexoClock,
	}
	if h := w.hooks.onRetry; h != nil {
		c.OnRetry = func(group string) { h("nexopos", group) }
	}
	return c
}

// policyFrom turns the configuration into the engine's policy.
func policyFrom(cfg *config.Config) threeway.Policy {
	s := cfg.Sync
	toggle := func(d config.Direction) threeway.Toggle {
		return threeway.Toggle{ToWoo: d.ToWooCommerce, ToNexo: d.ToNexoPOS, DeleteOnWoo: d.Delete, DeleteOnNexo: d.Delete}
	}
	p := threeway.Policy{
		Toggles: map[snapshot.Kind]threeway.Toggle{
			snapshot.KindCategory:      toggle(s.Categories),
			snapshot.KindProduct:       toggle(s.Products.Direction),
			snapshot.KindCustomer:      toggle(s.Customers),
			snapshot.KindOrder:         toggle(s.Orders.Direction),
			snapshot.KindPaymentMethod: {ToNexo: cfg.Payments.CreateMissing},
		},
		Default:               fieldPolicy(cfg.Policies.Default),
		Fields:                map[string]threeway.FieldPolicy{},
		WithoutSKU:            s.Products.WithoutSKU,
		PaymentMap:            cfg.Payments.Mapping,
		CreateMissingPayments: cfg.Payments.CreateMissing,
		DefaultWooPayment:     threeway.Method(cfg.WooCommerce.DefaultPayment),
		DefaultShipping:       threeway.Method(cfg.WooCommerce.ShippingMethod),
		ImportStatuses:        s.Orders.ImportStatuses,
		PushStatuses:          s.Orders.PushStatuses,
		OnCancel:              s.Orders.OnCancel,
		OnRefund:              s.Orders.OnRefund,
		DefaultCustomer:       idOf(cfg.NexoPOS.Defaults.Customer),
		InitialStockToNexo:    s.Products.InitialStockToNexoPOS,
		StockToWoo:            s.Stock.ToWooCommerce,
		MaxDelete:             threeway.MaxDelete{Count: cfg.Safety.MaxDelete.Count, Percent: float64(cfg.Safety.MaxDelete.Percent)},
		MaxChangePercent:      float64(cfg.Safety.MaxChangePercent),
	}
	for _, k := range snapshot.Kinds {
		for _, f := range snapshot.FieldNames(k) {
			if _, ok := cfg.Policies.Fields[string(k)+"."+f]; ok {
				p.Fields[string(k)+"."+f] = fieldPolicy(cfg.Policies.For(k, f))
			}
		}
	}
	return p
}

func fieldPolicy(p config.Policy) threeway.FieldPolicy {
	return threeway.FieldPolicy{Conflict: threeway.Rule(p.Conflict), FirstLink: threeway.Rule(p.FirstLink)}
}

func idOf(n int) snapshot.ID {
	if n <= 0 {
		return ""
	}
	return snapshot.ID(strconv.Itoa(n))
}

func mappedIdentifiers(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// requestCounter counts requests per system, for runs without the
// daemon's metrics.
type requestCounter struct {
	mu sync.Mutex
	n  map[string]int
}

// hook returns an OnRequest hook that counts, then calls next (if any).
func (c *requestCounter) hook(next func(system, routeGroup, method string, status int, d time.Duration)) func(string, string, string, int, time.Duration) {
	return func(system, routeGroup, method string, status int, d time.Duration) {
		c.mu.Lock()
		if c.n == nil {
			c.n = map[string]int{}
		}
		c.n[system]++
		c.mu.Unlock()
		if next != nil {
			next(system, routeGroup, method, status, d)
		}
	}
}

func (c *requestCounter) counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.n)
}
