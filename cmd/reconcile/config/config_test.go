package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/woonexo/woonexo/snapshot"
)

// Values of the test environment; the secret ones must never be printed.
const (
	testKey    = "ck_5f0e3c1a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f"
	testSecret = "cs_0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b"
	testToken  = "7|hT9qLmZ2xVwR4sK8pN3yB6cJ1fD5gA0eU7iO2uY4"
)

func testEnv(name string) (string, bool) {
	v, ok := map[string]string{
		"WC_CONSUMER_KEY":    testKey,
		"WC_CONSUMER_SECRET": testSecret,
		"NEXOPOS_TOKEN":      testToken,
		"WC_TIMEOUT":         "soon",
	}[name]
	return v, ok
}

func TestExampleLoads(t *testing.T) {
	cfg, err := LoadFile(filepath.Join("..", "..", "..", "config.example.yaml"), testEnv)
	if err != nil {
		t.Fatalf("config.example.yaml: %v", err)
	}
	if cfg.WooCommerce.ConsumerKey.Reveal() != testKey || cfg.NexoPOS.Token.Reveal() != testToken {
		t.Errorf("credentials not expanded from the environment")
	}
	// The example shows the defaults: apart from the connection, the
	// example's payment mapping and field policies, it must equal Default().
	want := Default()
	want.WooCommerce.URL, want.NexoPOS.URL = "https://shop.example", "https://pos.example"
	want.WooCommerce.ConsumerKey, want.WooCommerce.ConsumerSecret, want.NexoPOS.Token = testKey, testSecret, testToken
	want.Payments.Mapping = map[string]string{"bacs": "bank-transfers", "cod": "cash-payment"}
	want.Policies.Fields = map[string]Policy{
		"product.description": {Conflict: WinnerWooCommerce, FirstLink: WinnerWooCommerce},
		"customer.email":      {Conflict: WinnerNewest},
	}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("example differs from the defaults (-want +got):\n%s", diff)
	}
}

func TestMinimalGetsDefaults(t *testing.T) {
	cfg, err := LoadFile(filepath.Join("testdata", "good_minimal.yaml"), testEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.NexoPOS.BudgetPerMinute != 60 || cfg.WooCommerce.Concurrency != 4 || cfg.Schedule.Cycle != "*/5 * * * *" ||
		!cfg.Sync.Orders.ToNexoPOS || cfg.Sync.Products.WithoutSKU != WithoutSKUHold {
		t.Errorf("defaults not applied: %+v", cfg)
	}
}

func TestPartialSectionKeepsDefaults(t *testing.T) {
	data := []byte("woocommerce: {url: 'https://s.example', consumer_key: k, consumer_secret: s}\n" +
		"nexopos: {url: 'http://127.0.0.1:8080', token: t}\n" +
		"sync:\n  products:\n    to_nexopos: false\n  orders:\n    import_statuses: [completed]\n")
	cfg, err := Load(data, testEnv)
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Sync.Products
	if p.ToNexoPOS || !p.ToWooCommerce || !p.Delete || p.WithoutSKU != WithoutSKUHold {
		t.Errorf("products = %+v; want only to_nexopos off", p)
	}
	if diff := cmp.Diff([]string{"completed"}, cfg.Sync.Orders.ImportStatuses); diff != "" {
		t.Errorf("import_statuses replaced wrongly: %s", diff)
	}
}

func TestBadFiles(t *testing.T) {
	cases := map[string]string{
		"bad_unknown_key.yaml":         `bad_unknown_key.yaml:8: colour: unknown key; expected at the top level: log, metrics, nexopos, payments, policies, safety, schedule, state, sync, woocommerce`,
		"bad_misspelled_key.yaml":      `bad_misspelled_key.yaml:4: woocommerce.consumer_secert: unknown key; did you mean "consumer_secret"?`,
		"bad_url_scheme.yaml":          `bad_url_scheme.yaml:2: woocommerce.url: "ftp://shop.example" is not an http(s) URL; expected e.g. https://shop.example`,
		"bad_http_remote.yaml":         `bad_http_remote.yaml:2: woocommerce.url: "http://shop.example" is not https; plain HTTP is only allowed for loopback`,
		"bad_http_lan.yaml":            `bad_http_lan.yaml:6: nexopos.url: "http://192.168.1.20:8080" is not https; plain HTTP is only allowed for loopback`,
		"bad_missing_credentials.yaml": "bad_missing_credentials.yaml: woocommerce.consumer_key: is missing; expected the WooCommerce REST API consumer key (ck_...), e.g. ${WC_CONSUMER_KEY}\nbad_missing_credentials.yaml: nexopos.token: is missing; expected a NexoPOS API token, e.g. ${NEXOPOS_TOKEN}",
		"bad_duration.yaml":            `bad_duration.yaml:8: nexopos.timeout: "30 seconds" is not a duration; expected e.g. 30s, 10m or 1h30m`,
		"bad_duration_from_env.yaml":   `bad_duration_from_env.yaml:8: nexopos.timeout: the value of ${WC_TIMEOUT} is not a duration; expected e.g. 30s, 10m or 1h30m`,
		"bad_cron.yaml":                `bad_cron.yaml:9: schedule.cycle: "*/5 * * *" is not a cron schedule (expected exactly 5 fields, found 4: [*/5 * * *]); expected 5 fields`,
		"bad_time_zone.yaml":           `bad_time_zone.yaml:9: schedule.time_zone: "Europe/Atlantis" is not a known time zone; expected an IANA name such as Europe/Paris, UTC or Local`,
		"bad_budget.yaml":              `bad_budget.yaml:8: nexopos.budget_per_minute: 120 is out of range; expected 1 to 80 (NexoPOS throttles clients above 80 requests a minute; see server_limit_per_minute)`,
		"bad_policy.yaml":              `bad_policy.yaml:10: policies.default.conflict: "latest" is not a policy; expected nexopos, woocommerce or newest`,
		"bad_policy_field.yaml":        `bad_policy_field.yaml:10: policies.fields.product.price: "price" is not a product field; expected one of sku, name, description, status, regular_price, category_ids, manage_stock`,
		"bad_policy_kind.yaml":         `bad_policy_kind.yaml:10: policies.fields.invoice.total: expected kind.field where kind is one of category, product, customer, order, payment_method`,
		"bad_policy_key.yaml":          `bad_policy_key.yaml:11: policies.fields.product.sku.winner: unknown key; expected under policies.fields.product.sku: conflict, first_link`,
		"bad_status_slug.yaml":         `bad_status_slug.yaml:10: sync.orders.import_statuses[1]: "complete" is not a WooCommerce order status; expected one of pending, processing, on-hold, completed, cancelled, refunded, failed, checkout-draft`,
		"bad_status_prefix.yaml":       `bad_status_prefix.yaml:10: sync.orders.import_statuses[0]: "wc-processing": write the status without the wc- prefix: "processing"`,
		"bad_push_status.yaml":         `bad_push_status.yaml:10: sync.orders.push_statuses[0]: "completed" is not a NexoPOS payment status; expected one of paid,`,
		"bad_allowed_units_empty.yaml": `bad_allowed_units_empty.yaml:8: nexopos.allowed_units: is empty; expected at least one NexoPOS unit identifier, e.g. [piece]`,
		"bad_max_delete_negative.yaml": `bad_max_delete_negative.yaml:10: safety.max_delete.count: -1 is negative; expected 0 or more`,
		"bad_max_delete_percent.yaml":  `bad_max_delete_percent.yaml:10: safety.max_delete.percent: 150 is out of range; expected 0 to 100`,
		"bad_env_unset.yaml":           `bad_env_unset.yaml:7: nexopos.token: environment variable NEXOPOS_TOKN is not set`,
		"bad_env_name.yaml":            `bad_env_name.yaml:7: nexopos.token: "NEXOPOS TOKEN" is not a valid environment variable name`,
		"bad_on_cancel.yaml":           `bad_on_cancel.yaml:10: sync.orders.on_cancel: "delete" is not allowed; expected void, refund or none`,
		"bad_without_sku.yaml":         `bad_without_sku.yaml:10: sync.products.without_sku: "skip" is not allowed; expected create or hold`,
		"bad_stock_to_nexopos.yaml":    `bad_stock_to_nexopos.yaml:10: sync.stock.to_nexopos: unknown key; expected under sync.stock: to_woocommerce`,
		"bad_bool.yaml":                `bad_bool.yaml:10: sync.customers.delete: "sometimes" is not true or false`,
		"bad_concurrency.yaml":         `bad_concurrency.yaml:5: woocommerce.concurrency: 0 is out of range; expected 1 to 32`,
		"bad_log.yaml":                 "bad_log.yaml:9: log.level: \"verbose\" is not a level; expected debug, info, warn or error\nbad_log.yaml:10: log.format: \"xml\" is not a format; expected auto, pretty or json",
		"bad_metrics_address.yaml":     `bad_metrics_address.yaml:9: metrics.address: "9464" is not host:port; expected e.g. 127.0.0.1:9464`,
		"bad_history.yaml":             `bad_history.yaml:9: state.history: 0 is too small; expected the number of cycles to keep (1 or more)`,
		"bad_url_userinfo.yaml":        `bad_url_userinfo.yaml:2: woocommerce.url: must not contain credentials; use the credential keys instead`,
		"bad_default_negative.yaml":    `bad_default_negative.yaml:9: nexopos.defaults.unit: -3 is negative; expected a NexoPOS id (or 0 for none)`,
		"bad_price_decimals.yaml":      `bad_price_decimals.yaml:5: woocommerce.price_decimals: 12 is out of range; expected 0 to 8`,
		"bad_duplicate_key.yaml":       `bad_duplicate_key.yaml:8: mapping key "woocommerce" already defined at line 1`,
		"bad_mapping_shape.yaml":       `bad_mapping_shape.yaml:9: payments.mapping: expected a mapping`,
		"bad_syntax.yaml":              `bad_syntax.yaml:3: mapping values are not allowed in this context`,
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "bad_*.yaml"))
	for _, f := range files {
		if _, ok := cases[filepath.Base(f)]; !ok {
			t.Errorf("%s has no expected message in the table", f)
		}
	}
	for file, want := range cases {
		t.Run(file, func(t *testing.T) {
			t.Chdir("testdata")
			_, err := LoadFile(file, testEnv)
			if err == nil {
				t.Fatalf("loaded without error; want %q", want)
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, want)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, file) {
					t.Errorf("line %q does not name the file", line)
				}
			}
			for _, s := range []string{testKey, testSecret, testToken} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error contains a secret value: %v", err)
				}
			}
		})
	}
}

func TestAllErrorsAtOnce(t *testing.T) {
	data := []byte("woocommerce:\n  url: http://shop.example\nnexopos:\n  url: https://pos.example\n  budget_per_minute: 0\n")
	_, err := Load(data, testEnv)
	var fes []*FieldError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("%T is not a *FieldError", e)
		}
		fes = append(fes, fe)
	}
	var keys []string
	for _, fe := range fes {
		keys = append(keys, fe.Key)
	}
	want := []string{"woocommerce.url", "woocommerce.consumer_key", "woocommerce.consumer_secret", "nexopos.token", "nexopos.budget_per_minute"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if got := strings.Count(err.Error(), "\n") + 1; got != len(want) {
		t.Errorf("%d lines, want one per problem:\n%v", got, err)
	}
}

func TestMetricsIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:9464": true, "[::1]:9464": true, "localhost:1": true, ":9464": false, "0.0.0.0:9464": false, "10.1.2.3:80": false} {
		if got := (Metrics{Address: addr}).IsLoopback(); got != want {
			t.Errorf("IsLoopback(%q) = %v", addr, got)
		}
	}
}

func TestURLCredentialsNeverPrinted(t *testing.T) {
	for _, raw := range []string{"ftp://u:hunter2@h", "http://u:hunter2@example.com", "https://u:hunter2@[::1", "%zzhunter2"} {
		var p problems
		validateURL(&p, "nexopos.url", raw)
		if len(p) != 1 || strings.Contains(p[0].Error(), "hunter2") {
			t.Errorf("%q: %v", raw, p)
		}
	}
}

func TestLoopbackHTTP(t *testing.T) {
	for _, host := range []string{"localhost", "127.0.0.1", "127.8.9.10:8080", "[::1]:80", "LOCALHOST"} {
		c := Default()
		var p problems
		validateURL(&p, "nexopos.url", "http://"+host)
		if len(p) != 0 {
			t.Errorf("http://%s refused: %v", host, p)
		}
		_ = c
	}
	for _, host := range []string{"10.0.0.1", "localhost.example", "[::2]", "128.0.0.1"} {
		var p problems
		validateURL(&p, "nexopos.url", "http://"+host)
		if len(p) != 1 {
			t.Errorf("http://%s accepted", host)
		}
	}
}

func TestExpandEnv(t *testing.T) {
	env := func(n string) (string, bool) {
		v, ok := map[string]string{"A": "x: #y", "EMPTY": ""}[n]
		return v, ok
	}
	for in, want := range map[string]string{
		"${A}":        "x: #y",
		"pre-${A}-$$": "pre-x: #y-$",
		"$${A}":       "${A}",
		"a$b":         "a$b",
		"end$":        "end$",
		"${EMPTY}":    "",
	} {
		got, err := expandEnv(in, env)
		if err != nil || got != want {
			t.Errorf("expandEnv(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"${B}", "${A", "${}", "${1A}"} {
		if _, err := expandEnv(in, env); err == nil {
			t.Errorf("expandEnv(%q): no error", in)
		}
	}
}

// A value from the environment is text, never YAML: it cannot change the
// document's structure however it is written.
func TestEnvValueIsNotYAML(t *testing.T) {
	env := func(n string) (string, bool) {
		return map[string]string{"K": "a: b\n#c", "T": "8", "U": "'q'"}[n], true
	}
	data := []byte("woocommerce: {url: 'https://s.example', consumer_key: '${K}', consumer_secret: \"${K}\"}\n" +
		"nexopos:\n  url: https://p.example\n  token: ${U}\n  budget_per_minute: ${T}\n")
	cfg, err := Load(data, env)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.WooCommerce.ConsumerKey.Reveal() != "a: b\n#c" || cfg.WooCommerce.ConsumerSecret.Reveal() != "a: b\n#c" ||
		cfg.NexoPOS.Token.Reveal() != "'q'" || cfg.NexoPOS.BudgetPerMinute != 8 {
		t.Errorf("expanded wrongly: key %q token %q budget %d", cfg.WooCommerce.ConsumerKey.Reveal(), cfg.NexoPOS.Token.Reveal(), cfg.NexoPOS.BudgetPerMinute)
	}
}

func TestPoliciesFor(t *testing.T) {
	p := Policies{
		Default: Policy{Conflict: WinnerNexoPOS, FirstLink: WinnerNexoPOS},
		Fields:  map[string]Policy{"product.name": {Conflict: WinnerNewest}},
	}
	if got := p.For(snapshot.KindProduct, "name"); got != (Policy{Conflict: WinnerNewest, FirstLink: WinnerNexoPOS}) {
		t.Errorf("product.name: %+v", got)
	}
	if got := p.For(snapshot.KindProduct, "sku"); got != p.Default {
		t.Errorf("product.sku: %+v", got)
	}
}

func TestScheduleLocation(t *testing.T) {
	s := Default().Schedule
	s.TimeZone = "UTC"
	if loc, err := s.Location(); err != nil || loc != time.UTC {
		t.Errorf("Location() = %v, %v", loc, err)
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile(filepath.Join(t.TempDir(), "none.yaml"), testEnv)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v; want not exist", err)
	}
}
