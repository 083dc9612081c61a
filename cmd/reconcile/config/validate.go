package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/woonexo/woonexo/snapshot"
)

// WooCommerceStatuses are the core WooCommerce order status slugs.
var wooCommerceStatuses = []string{"pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft"}

// nexoPOSPaymentStatuses are NexoPOS order payment_status values.
var nexoPOSPaymentStatuses = []string{"paid", "partially_paid", "unpaid", "hold", "due", "partially_due", "order_void", "refunded", "partially_refunded"}

type problems []error

func (p *problems) add(key, format string, args ...any) {
	*p = append(*p, &FieldError{Key: key, Msg: fmt.Sprintf(format, args...)})
}

// Validate checks every value and returns all problems at once, joined,
// one *FieldError per key. Messages never contain a secret's value.
func (c *Config) Validate() error {
	var p problems
	c.validateWooCommerce(&p)
	c.validateNexoPOS(&p)
	c.validateSync(&p)
	c.validatePolicies(&p)
	c.validateRest(&p)
	return errors.Join(p...)
}

func (c *Config) validateWooCommerce(p *problems) {
	w := c.WooCommerce
	validateURL(p, "woocommerce.url", w.URL)
	requireSecret(p, "woocommerce.consumer_key", w.ConsumerKey, "the WooCommerce REST API consumer key (ck_...)")
	requireSecret(p, "woocommerce.consumer_secret", w.ConsumerSecret, "the WooCommerce REST API consumer secret (cs_...)")
	if strings.HasPrefix(w.ConsumerKey.Reveal(), "cs_") && strings.HasPrefix(w.ConsumerSecret.Reveal(), "ck_") {
		p.add("woocommerce.consumer_key", "holds a consumer secret (cs_...) and consumer_secret a key (ck_...); swap them")
	}
	positiveDuration(p, "woocommerce.timeout", w.Timeout)
	intRange(p, "woocommerce.concurrency", w.Concurrency, 1, 32)
	if w.Overlap < 0 {
		p.add("woocommerce.overlap", "%s is negative; expected 0 or more, e.g. 10m", w.Overlap)
	}
	if w.PriceDecimals != nil {
		intRange(p, "woocommerce.price_decimals", *w.PriceDecimals, 0, 8)
	}
	validateMethod(p, "woocommerce.shipping_method", w.ShippingMethod)
	validateMethod(p, "woocommerce.default_payment", w.DefaultPayment)
}

func (c *Config) validateNexoPOS(p *problems) {
	n := c.NexoPOS
	validateURL(p, "nexopos.url", n.URL)
	requireSecret(p, "nexopos.token", n.Token, "a NexoPOS API token")
	positiveDuration(p, "nexopos.timeout", n.Timeout)
	if n.ServerLimitPerMinute < 1 {
		p.add("nexopos.server_limit_per_minute", "%d is out of range; expected at least 1 (a standard NexoPOS allows 80)", n.ServerLimitPerMinute)
	} else if n.BudgetPerMinute < 1 || n.BudgetPerMinute > n.ServerLimitPerMinute {
		p.add("nexopos.budget_per_minute", "%d is out of range; expected 1 to %d (NexoPOS throttles clients above %d requests a minute; see server_limit_per_minute)",
			n.BudgetPerMinute, n.ServerLimitPerMinute, n.ServerLimitPerMinute)
	}
	d := n.Defaults
	for _, f := range []struct {
		key string
		v   int
	}{{"category", d.Category}, {"unit_group", d.UnitGroup}, {"unit", d.Unit}, {"tax_group", d.TaxGroup},
		{"author", d.Author}, {"customer_group", d.CustomerGroup}, {"customer", d.Customer}} {
		if f.v < 0 {
			p.add("nexopos.defaults."+f.key, "%d is negative; expected a NexoPOS id (or 0 for none)", f.v)
		}
	}
	if len(n.AllowedUnits) == 0 {
		p.add("nexopos.allowed_units", "is empty; expected at least one NexoPOS unit identifier, e.g. [piece]")
	}
	for i, u := range n.AllowedUnits {
		if strings.TrimSpace(u) == "" {
			p.add(fmt.Sprintf("nexopos.allowed_units[%d]", i), "is empty; expected a NexoPOS unit identifier")
		}
	}
}

func (c *Config) validateSync(p *problems) {
	s := c.Sync
	if s.Products.WithoutSKU != WithoutSKUCreate && s.Products.WithoutSKU != WithoutSKUHold {
		p.add("sync.products.without_sku", "%q is not allowed; expected create or hold", s.Products.WithoutSKU)
	}
	statusList(p, "sync.orders.import_statuses", s.Orders.ImportStatuses, wooCommerceStatuses, "a WooCommerce order status")
	statusList(p, "sync.orders.push_statuses", s.Orders.PushStatuses, nexoPOSPaymentStatuses, "a NexoPOS payment status")
	if s.Orders.FirstSyncWindow < 0 {
		p.add("sync.orders.first_sync_window", "%s is negative; expected a duration such as 24h or 168h", s.Orders.FirstSyncWindow)
	}
	for _, a := range []struct{ key, v string }{{"sync.orders.on_cancel", s.Orders.OnCancel}, {"sync.orders.on_refund", s.Orders.OnRefund}} {
		if a.v != OrderActionVoid && a.v != OrderActionRefund && a.v != OrderActionNone {
			p.add(a.key, "%q is not allowed; expected void, refund or none", a.v)
		}
	}
}

func statusList(p *problems, key string, got, valid []string, what string) {
	if len(got) == 0 {
		p.add(key, "is empty; expected at least one of %s", strings.Join(valid, ", "))
	}
	for i, s := range got {
		k := fmt.Sprintf("%s[%d]", key, i)
		switch {
		case slices.Contains(valid, s):
		case strings.HasPrefix(s, "wc-") && slices.Contains(valid, s[3:]):
			p.add(k, "%q: write the status without the wc- prefix: %q", s, s[3:])
		default:
			p.add(k, "%q is not %s; expected one of %s", s, what, strings.Join(valid, ", "))
		}
	}
}

func (c *Config) validatePolicies(p *problems) {
	winner(p, "policies.default.conflict", c.Policies.Default.Conflict, false)
	winner(p, "policies.default.first_link", c.Policies.Default.FirstLink, false)
	keys := make([]string, 0, len(c.Policies.Fields))
	for k := range c.Policies.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		key := "policies.fields." + k
		kind, field, ok := strings.Cut(k, ".")
		names := snapshot.FieldNames(snapshot.Kind(kind))
		switch {
		case !ok || len(names) == 0:
			p.add(key, "expected kind.field where kind is one of %s", strings.Join(policyKinds(), ", "))
			continue
		case !slices.Contains(names, field):
			p.add(key, "%q is not a %s field; expected one of %s", field, kind, strings.Join(names, ", "))
			continue
		}
		pol := c.Policies.Fields[k]
		winner(p, key+".conflict", pol.Conflict, true)
		winner(p, key+".first_link", pol.FirstLink, true)
	}
}

func policyKinds() []string {
	var out []string
	for _, k := range []snapshot.Kind{snapshot.KindCategory, snapshot.KindProduct, snapshot.KindCustomer, snapshot.KindOrder, snapshot.KindPaymentMethod} {
		if len(snapshot.FieldNames(k)) > 0 {
			out = append(out, string(k))
		}
	}
	return out
}

func winner(p *problems, key string, w Winner, emptyOK bool) {
	switch w {
	case WinnerNexoPOS, WinnerWooCommerce, WinnerNewest:
		return
	case "":
		if emptyOK {
			return
		}
	}
	p.add(key, "%q is not a policy; expected nexopos, woocommerce or newest", w)
}

func (c *Config) validateRest(p *problems) {
	if c.Safety.MaxDelete.Count < 0 {
		p.add("safety.max_delete.count", "%d is negative; expected 0 or more", c.Safety.MaxDelete.Count)
	}
	intRange(p, "safety.max_delete.percent", c.Safety.MaxDelete.Percent, 0, 100)
	intRange(p, "safety.max_change_percent", c.Safety.MaxChangePercent, 0, 100)

	cronSpec(p, "schedule.cycle", c.Schedule.Cycle)
	cronSpec(p, "schedule.full_listing", c.Schedule.FullListing)
	if _, err := time.LoadLocation(c.Schedule.TimeZone); err != nil || c.Schedule.TimeZone == "" {
		p.add("schedule.time_zone", "%q is not a known time zone; expected an IANA name such as Europe/Paris, UTC or Local", c.Schedule.TimeZone)
	}
	positiveDuration(p, "schedule.cycle_timeout", c.Schedule.CycleTimeout)

	if strings.TrimSpace(c.State.Path) == "" {
		p.add("state.path", "is empty; expected the path of the state file, e.g. woonexo.db")
	}
	if c.State.History < 1 {
		p.add("state.history", "%d is too small; expected the number of cycles to keep (1 or more)", c.State.History)
	}

	if _, port, err := net.SplitHostPort(c.Metrics.Address); err != nil {
		p.add("metrics.address", "%q is not host:port; expected e.g. 127.0.0.1:9464", c.Metrics.Address)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		p.add("metrics.address", "%q has no valid port; expected e.g. 127.0.0.1:9464", c.Metrics.Address)
	}
	positiveDuration(p, "metrics.ready_window", c.Metrics.ReadyWindow)

	if _, ok := ParseLevel(c.Log.Level); !ok {
		p.add("log.level", "%q is not a level; expected debug, info, warn or error", c.Log.Level)
	}
	if !ValidFormat(c.Log.Format) {
		p.add("log.format", "%q is not a format; expected auto, pretty or json", c.Log.Format)
	}
}

// ValidFormat reports whether s is a log format: auto, pretty or json.
func ValidFormat(s string) bool { return s == "auto" || s == "pretty" || s == "json" }

func cronSpec(p *problems, key, spec string) {
	if _, err := cron.ParseStandard(spec); err != nil {
		p.add(key, "%q is not a cron schedule (%v); expected 5 fields such as \"*/5 * * * *\" or a descriptor such as @hourly or \"@every 10m\"", spec, err)
	}
}

func validateURL(p *problems, key, raw string) {
	if raw == "" {
		p.add(key, "is missing; expected the base URL, e.g. https://shop.example")
		return
	}
	u, err := url.Parse(raw)
	if err != nil {
		p.add(key, "is not a valid URL; expected e.g. https://shop.example")
		return
	}
	if u.User != nil {
		p.add(key, "must not contain credentials; use the credential keys instead")
		return
	}
	if u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		p.add(key, "%q is not an http(s) URL; expected e.g. https://shop.example", raw)
		return
	}
	if u.RawQuery != "" || u.Fragment != "" {
		p.add(key, "%q has a query or fragment; expected the base URL only", raw)
		return
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		p.add(key, "%q is not https; plain HTTP is only allowed for loopback", raw)
	}
}

// isLoopback reports whether host is localhost or a loopback address
// (127.0.0.0/8, ::1).
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func requireSecret(p *problems, key string, s Secret, what string) {
	if strings.TrimSpace(s.Reveal()) == "" {
		p.add(key, "is missing; expected %s, e.g. ${%s}", what, envHint(key))
	}
}

func envHint(key string) string {
	return strings.ToUpper(strings.NewReplacer(".", "_", "woocommerce", "wc").Replace(key))
}

func positiveDuration(p *problems, key string, d time.Duration) {
	if d <= 0 {
		p.add(key, "%s is not positive; expected a duration such as 30s or 10m", d)
	}
}

func intRange(p *problems, key string, v, lo, hi int) {
	if v < lo || v > hi {
		p.add(key, "%d is out of range; expected %d to %d", v, lo, hi)
	}
}

func validateMethod(p *problems, key string, m Method) {
	if strings.TrimSpace(m.ID) == "" {
		p.add(key+".id", "is empty; expected a WooCommerce method id, e.g. local_pickup")
	} else if strings.ContainsAny(m.ID, " \t") {
		p.add(key+".id", "%q contains spaces; expected a WooCommerce method id, e.g. local_pickup", m.ID)
	}
	if strings.TrimSpace(m.Title) == "" {
		p.add(key+".title", "is empty; expected the title written on orders")
	}
}
