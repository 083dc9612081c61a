package config

import (
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// Config is the whole configuration file. Field names follow the YAML keys;
// see config.example.yaml for what each one means.
type Config struct {
	WooCommerce WooCommerce `yaml:"woocommerce" json:"woocommerce"`
	NexoPOS     NexoPOS     `yaml:"nexopos" json:"nexopos"`
	Sync        Sync        `yaml:"sync" json:"sync"`
	Payments    Payments    `yaml:"payments" json:"payments"`
	Policies    Policies    `yaml:"policies" json:"policies"`
	Safety      Safety      `yaml:"safety" json:"safety"`
	Schedule    Schedule    `yaml:"schedule" json:"schedule"`
	State       State       `yaml:"state" json:"state"`
	Metrics     Metrics     `yaml:"metrics" json:"metrics"`
	Log         Log         `yaml:"log" json:"log"`
}

// WooCommerce is how to reach the store (REST wc/v3).
type WooCommerce struct {
	URL            string        `yaml:"url" json:"url"`
	ConsumerKey    Secret        `yaml:"consumer_key" json:"consumer_key"`
	ConsumerSecret Secret        `yaml:"consumer_secret" json:"consumer_secret"`
	CAFile         string        `yaml:"ca_file" json:"ca_file"`
	Timeout        time.Duration `yaml:"timeout" json:"timeout"`
	Concurrency    int           `yaml:"concurrency" json:"concurrency"`
	// Overlap is subtracted from the last read time of incremental reads.
	Overlap time.Duration `yaml:"overlap" json:"overlap"`
	// PriceDecimals overrides the store's price precision; nil = read it
	// from the store.
	PriceDecimals  *int   `yaml:"price_decimals" json:"price_decimals"`
	ShippingMethod Method `yaml:"shipping_method" json:"shipping_method"`
	DefaultPayment Method `yaml:"default_payment" json:"default_payment"`
}

// Method is a WooCommerce shipping or payment method: its id and the title
// written on orders.
type Method struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
}

// NexoPOS is how to reach the point of sale (API prefix /api).
type NexoPOS struct {
	URL     string        `yaml:"url" json:"url"`
	Token   Secret        `yaml:"token" json:"token"`
	CAFile  string        `yaml:"ca_file" json:"ca_file"`
	Timeout time.Duration `yaml:"timeout" json:"timeout"`
	// BudgetPerMinute is the request budget shared by every NexoPOS call.
	BudgetPerMinute int `yaml:"budget_per_minute" json:"budget_per_minute"`
	// ServerLimitPerMinute is the server's own throttle (80 on a standard
	// NexoPOS); the budget must stay at or below it.
	ServerLimitPerMinute int             `yaml:"server_limit_per_minute" json:"server_limit_per_minute"`
	Defaults             NexoPOSDefaults `yaml:"defaults" json:"defaults"`
	// AllowedUnits are unit identifiers in order of preference.
	AllowedUnits []string `yaml:"allowed_units" json:"allowed_units"`
}

// NexoPOSDefaults are NexoPOS ids given to records that lack a reference.
// 0 means not configured.
type NexoPOSDefaults struct {
	Category      int `yaml:"category" json:"category"`
	UnitGroup     int `yaml:"unit_group" json:"unit_group"`
	Unit          int `yaml:"unit" json:"unit"`
	TaxGroup      int `yaml:"tax_group" json:"tax_group"`
	Author        int `yaml:"author" json:"author"`
	CustomerGroup int `yaml:"customer_group" json:"customer_group"`
	Customer      int `yaml:"customer" json:"customer"`
}

// Direction switches one kind's sync on or off per direction.
type Direction struct {
	ToWooCommerce bool `yaml:"to_woocommerce" json:"to_woocommerce"`
	ToNexoPOS     bool `yaml:"to_nexopos" json:"to_nexopos"`
	// Delete propagates deletions confirmed by a full listing.
	Delete bool `yaml:"delete" json:"delete"`
}

// Sync says what flows where.
type Sync struct {
	Categories Direction   `yaml:"categories" json:"categories"`
	Products   ProductSync `yaml:"products" json:"products"`
	Customers  Direction   `yaml:"customers" json:"customers"`
	Orders     OrderSync   `yaml:"orders" json:"orders"`
	Stock      StockSync   `yaml:"stock" json:"stock"`
}

// Values of ProductSync.WithoutSKU.
const (
	WithoutSKUCreate = "create" // create the twin anyway (it cannot be linked by SKU later)
	WithoutSKUHold   = "hold"   // hold the product with a reason until it has a SKU
)

// ProductSync is Direction plus the product-only switches.
type ProductSync struct {
	Direction `yaml:",inline"`
	// WithoutSKU is WithoutSKUCreate or WithoutSKUHold.
	WithoutSKU            string `yaml:"without_sku" json:"without_sku"`
	InitialStockToNexoPOS bool   `yaml:"initial_stock_to_nexopos" json:"initial_stock_to_nexopos"`
}

// Values of OrderSync.OnCancel and OrderSync.OnRefund.
const (
	OrderActionVoid   = "void"
	OrderActionRefund = "refund"
	OrderActionNone   = "none"
)

// OrderSync is Direction plus the order-only settings.
type OrderSync struct {
	Direction `yaml:",inline"`
	// ImportStatuses are the WooCommerce status slugs imported into NexoPOS.
	ImportStatuses []string `yaml:"import_statuses" json:"import_statuses"`
	// OnCancel and OnRefund say what a cancelled or refunded online order
	// does to its NexoPOS twin: OrderActionVoid, OrderActionRefund or
	// OrderActionNone.
	OnCancel string `yaml:"on_cancel" json:"on_cancel"`
	OnRefund string `yaml:"on_refund" json:"on_refund"`
	// PushStatuses are the NexoPOS payment statuses pushed to WooCommerce.
	PushStatuses []string `yaml:"push_statuses" json:"push_statuses"`
	// FirstSyncWindow is how far back from the first sync orders are
	// followed; older orders are the shop's history and are left alone.
	FirstSyncWindow time.Duration `yaml:"first_sync_window" json:"first_sync_window"`
}

// StockSync: NexoPOS is the authority for stock; this says whether its
// quantities are written to WooCommerce.
type StockSync struct {
	ToWooCommerce bool `yaml:"to_woocommerce" json:"to_woocommerce"`
}

// Payments maps WooCommerce gateways to NexoPOS payment types.
type Payments struct {
	// Mapping is WooCommerce gateway id -> NexoPOS payment identifier.
	Mapping map[string]string `yaml:"mapping" json:"mapping"`
	// CreateMissing makes a NexoPOS payment type for each unmapped gateway.
	CreateMissing bool `yaml:"create_missing" json:"create_missing"`
}

// Winner says which side's value wins.
type Winner string

// The winners a policy may name.
const (
	WinnerNexoPOS     Winner = "nexopos"
	WinnerWooCommerce Winner = "woocommerce"
	WinnerNewest      Winner = "newest" // the side modified last
)

// Policy decides a field that changed on both sides (Conflict) and a pair
// linked without a baseline (FirstLink).
type Policy struct {
	Conflict  Winner `yaml:"conflict" json:"conflict"`
	FirstLink Winner `yaml:"first_link" json:"first_link"`
}

// Policies are the default policy and per-field overrides keyed
// "kind.field" (e.g. "product.regular_price"); an override's empty member
// falls back to the default.
type Policies struct {
	Default Policy            `yaml:"default" json:"default"`
	Fields  map[string]Policy `yaml:"fields" json:"fields"`
}

// For returns the policy of one field of kind.
func (p Policies) For(kind snapshot.Kind, field string) Policy {
	out := p.Default
	if o, ok := p.Fields[string(kind)+"."+field]; ok {
		if o.Conflict != "" {
			out.Conflict = o.Conflict
		}
		if o.FirstLink != "" {
			out.FirstLink = o.FirstLink
		}
	}
	return out
}

// Safety holds the thresholds of the safety checks.
type Safety struct {
	MaxDelete MaxDelete `yaml:"max_delete" json:"max_delete"`
	// MaxChangePercent flags (never refuses) a cycle that changes more than
	// this share of a kind's records.
	MaxChangePercent int `yaml:"max_change_percent" json:"max_change_percent"`
}

// MaxDelete refuses a kind's deletions above Count records or Percent of
// that kind's records, whichever is reached first.
type MaxDelete struct {
	Count   int `yaml:"count" json:"count"`
	Percent int `yaml:"percent" json:"percent"`
}

// Schedule is when the daemon works.
type Schedule struct {
	// Cycle and FullListing are cron specs (5 fields, or @every/@daily...).
	Cycle        string        `yaml:"cycle" json:"cycle"`
	FullListing  string        `yaml:"full_listing" json:"full_listing"`
	TimeZone     string        `yaml:"time_zone" json:"time_zone"`
	CycleTimeout time.Duration `yaml:"cycle_timeout" json:"cycle_timeout"`
}

// Location returns the schedule's time zone.
func (s Schedule) Location() (*time.Location, error) { return time.LoadLocation(s.TimeZone) }

// State is the BoltDB state file.
type State struct {
	Path string `yaml:"path" json:"path"`
	// History is how many cycles are kept.
	History int `yaml:"history" json:"history"`
}

// Metrics is the HTTP listener for /metrics, /healthz and /readyz.
type Metrics struct {
	Address string `yaml:"address" json:"address"`
	// ReadyWindow: /readyz fails when no cycle succeeded within it.
	ReadyWindow time.Duration `yaml:"ready_window" json:"ready_window"`
}

// IsLoopback reports whether Address listens on loopback only; the
// daemon warns when it does not.
func (m Metrics) IsLoopback() bool {
	host, _, err := net.SplitHostPort(m.Address)
	return err == nil && isLoopback(host)
}

// Log settings.
type Log struct {
	Level  string `yaml:"level" json:"level"`   // debug, info, warn, error
	Format string `yaml:"format" json:"format"` // auto, pretty, json
}

// SlogLevel returns Level as a slog.Level (info when unknown).
func (l Log) SlogLevel() slog.Level {
	lv, _ := ParseLevel(l.Level)
	return lv
}

// ParseLevel parses debug, info, warn or error.
func ParseLevel(s string) (slog.Level, bool) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, true
	case "info":
		return slog.LevelInfo, true
	case "warn":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	}
	return slog.LevelInfo, false
}

// Default returns the configuration with every default filled in and no
// connection settings; Load decodes the file over it.
func Default() *Config {
	all := Direction{ToWooCommerce: true, ToNexoPOS: true, Delete: true}
	return &Config{
		WooCommerce: WooCommerce{
			Timeout:        30 * time.Second,
			Concurrency:    4,
			Overlap:        10 * time.Minute,
			ShippingMethod: Method{ID: "local_pickup", Title: "Local pickup"},
			DefaultPayment: Method{ID: "nexopos", Title: "Point of sale"},
		},
		NexoPOS: NexoPOS{
			Timeout:         30 * time.Second,
			BudgetPerMinute: 60, ServerLimitPerMinute: 80,
			AllowedUnits: []string{"piece"},
		},
		Sync: Sync{
			Categories: all,
			Products:   ProductSync{Direction: all, WithoutSKU: WithoutSKUHold, InitialStockToNexoPOS: true},
			Customers:  all,
			Orders: OrderSync{
				Direction:       all,
				ImportStatuses:  []string{"processing", "completed"},
				OnCancel:        OrderActionVoid,
				OnRefund:        OrderActionRefund,
				PushStatuses:    []string{"paid"},
				FirstSyncWindow: 24 * time.Hour,
			},
			Stock: StockSync{ToWooCommerce: true},
		},
		Policies: Policies{Default: Policy{Conflict: WinnerNexoPOS, FirstLink: WinnerNexoPOS}},
		Safety:   Safety{MaxDelete: MaxDelete{Count: 10, Percent: 10}, MaxChangePercent: 50},
		Schedule: Schedule{
			Cycle:        "*/5 * * * *",
			FullListing:  "0 3 * * *",
			TimeZone:     "Local",
			CycleTimeout: 10 * time.Minute,
		},
		State:   State{Path: "woonexo.db", History: 200},
		Metrics: Metrics{Address: "127.0.0.1:9464", ReadyWindow: 15 * time.Minute},
		Log:     Log{Level: "info", Format: "auto"},
	}
}
