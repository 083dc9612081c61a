package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/connectors/nexopos"
	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/connectors/woocommerce"
	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/snapshot"
)

// reconcileBin is the reconcile binary the end-to-end tests run, built
// once by TestMain.
var reconcileBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "woonexo-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin := filepath.Join(dir, "reconcile")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build reconcile: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	reconcileBin = bin
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Environment variables the end-to-end configuration reads its secrets
// from, as a real deployment should.
const (
	envWooKey    = "E2E_WOO_CONSUMER_KEY"
	envWooSecret = "E2E_WOO_CONSUMER_SECRET"
	envNexoToken = "E2E_NEXOPOS_TOKEN"
)

// e2eShop is both simulators on loopback, a configuration file pointing at
// them, a state file, and clients to look at (and change) both systems
// through their HTTP APIs.
type e2eShop struct {
	t       *testing.T
	s       *sims
	dir     string
	cfgPath string
	env     []string
	woo     *woocommerce.Client
	nexo    *nexopos.Client
}

// newE2EShop starts both simulators (empty, as freshly installed) with the
// given latency and writes a configuration for them; edit, when set,
// adjusts it.
func newE2EShop(t *testing.T, latency time.Duration, edit func(*config.Config)) *e2eShop {
	t.Helper()
	s, err := startSims(simOptions{latency: latency})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	sh := &e2eShop{t: t, s: s, dir: t.TempDir()}
	key := s.woo.Key()
	sh.env = append(os.Environ(), envWooKey+"="+key.ConsumerKey, envWooSecret+"="+key.ConsumerSecret,
		envNexoToken+"="+s.nexo.Token())
	sh.cfgPath = filepath.Join(sh.dir, "config.yaml")
	sh.writeConfig(edit)
	sh.woo, err = woocommerce.New(woocommerce.Config{BaseURL: s.woo.URL(), ConsumerKey: key.ConsumerKey,
		ConsumerSecret: key.ConsumerSecret, AllowPlainHTTPLoopback: true, Retry: &woocommerce.NoRetryDelay})
	if err != nil {
		t.Fatal(err)
	}
	d := s.nexo.Defaults()
	sh.nexo, err = nexopos.New(nexopos.Config{BaseURL: s.nexo.URL(), Token: s.nexo.Token(), BudgetPerMinute: 100000,
		Defaults: nexopos.Defaults{CategoryID: e2eID(d.CategoryID), UnitGroupID: e2eID(d.UnitGroupID), UnitID: e2eID(d.UnitID),
			CustomerGroupID: e2eID(d.CustomerGroupID), CustomerID: e2eID(d.CustomerID), Author: e2eID(nexosim.AdminID)}})
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

// writeConfig writes the simulators' configuration (see (*sims).config)
// as YAML, its secrets as ${ENV} references.
func (sh *e2eShop) writeConfig(edit func(*config.Config)) {
	sh.t.Helper()
	cfg := sh.s.config(sh.dir)
	cfg.Log.Format = "json"
	cfg.Log.Level = "warn"
	if edit != nil {
		edit(cfg)
	}
	data, err := yaml.Marshal(cfg)
	if err != nil {
		sh.t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		sh.t.Fatal(err)
	}
	m["woocommerce"].(map[string]any)["consumer_key"] = "${" + envWooKey + "}"
	m["woocommerce"].(map[string]any)["consumer_secret"] = "${" + envWooSecret + "}"
	m["nexopos"].(map[string]any)["token"] = "${" + envNexoToken + "}"
	if data, err = yaml.Marshal(m); err != nil {
		sh.t.Fatal(err)
	}
	if err := os.WriteFile(sh.cfgPath, data, 0o600); err != nil {
		sh.t.Fatal(err)
	}
}

func (sh *e2eShop) statePath() string { return filepath.Join(sh.dir, "woonexo.db") }

// runResult is what one run of the binary did.
type runResult struct {
	code           int
	stdout, stderr string
}

func (r runResult) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// reconcile runs the binary with the shop's configuration and args.
func (sh *e2eShop) reconcile(args ...string) runResult {
	sh.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := sh.command(ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := runResult{stdout: stdout.String(), stderr: stderr.String()}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			sh.t.Fatalf("reconcile %v: %v", args, err)
		}
		r.code = ee.ExitCode()
	}
	return r
}

func (sh *e2eShop) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, reconcileBin, append(args, "--config", sh.cfgPath)...)
	cmd.Env = sh.env
	cmd.Dir = sh.dir
	return cmd
}

// cycle runs `reconcile --now` and wants exit code want.
func (sh *e2eShop) cycle(want int, extra ...string) runResult {
	sh.t.Helper()
	r := sh.reconcile(append([]string{"--now"}, extra...)...)
	if r.code != want {
		sh.t.Fatalf("reconcile --now %v: want exit %d, got %s", extra, want, r)
	}
	return r
}

// dryPlan is the part of a plan (reconcile --now --dry-run --output json)
// the tests look at.
type dryPlan struct {
	Ops []struct {
		Seq    int    `json:"seq"`
		Kind   string `json:"kind"`
		Action string `json:"action"`
		Target string `json:"target"`
		Key    string `json:"key"`
		Reason string `json:"reason"`
	} `json:"ops"`
	Held []struct {
		Side   string `json:"side"`
		Kind   string `json:"kind"`
		ID     string `json:"id"`
		Class  string `json:"class"`
		Reason string `json:"reason"`
	} `json:"held"`
	Refusals []struct {
		Kind   string `json:"kind"`
		Reason string `json:"reason"`
	} `json:"refusals"`
}

// plan runs a dry run and returns its plan.
func (sh *e2eShop) plan() dryPlan {
	sh.t.Helper()
	r := sh.reconcile("--now", "--dry-run", "--output", "json")
	if r.code != exitClean && r.code != exitDrift && r.code != exitRefused {
		sh.t.Fatalf("dry run: %s", r)
	}
	var p dryPlan
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
		sh.t.Fatalf("dry run output: %v\n%s", err, r)
	}
	return p
}

// settled checks that a second cycle has nothing left to do: the dry run
// plans no op, and a real cycle exits clean.
func (sh *e2eShop) settled() {
	sh.t.Helper()
	if p := sh.plan(); len(p.Ops) > 0 || len(p.Held) > 0 || len(p.Refusals) > 0 {
		b, _ := json.MarshalIndent(p, "", "  ")
		sh.t.Fatalf("the next cycle still plans work:\n%s", b)
	}
	sh.cycle(exitClean)
}

// wooProducts returns WooCommerce's products that are not in the trash,
// by SKU.
func (sh *e2eShop) wooProducts() map[string]wcsim.Product {
	out := map[string]wcsim.Product{}
	for _, p := range sh.s.woo.Products() {
		if p.Status == "trash" {
			continue
		}
		if _, dup := out[p.SKU]; dup {
			sh.t.Errorf("WooCommerce holds SKU %q twice", p.SKU)
		}
		out[p.SKU] = p
	}
	return out
}

// nexoProducts returns NexoPOS's products with their unit rows, by SKU.
func (sh *e2eShop) nexoProducts() map[string]nexosim.ProductWithUnits {
	out := map[string]nexosim.ProductWithUnits{}
	for _, row := range sh.s.nexo.Products() {
		p, _ := sh.s.nexo.Product(row.ID)
		if _, dup := out[p.SKU]; dup {
			sh.t.Errorf("NexoPOS holds SKU %q twice", p.SKU)
		}
		out[p.SKU] = p
	}
	return out
}

// nexoStock returns the NexoPOS quantity of a product in its default unit.
func (sh *e2eShop) nexoStock(productID int) float64 {
	q, _ := sh.s.nexo.StockOf(productID, 0)
	return q
}

// wooStock returns the WooCommerce quantity of a product (-1 when stock
// is not managed).
func wooStock(p wcsim.Product) int {
	if !p.ManageStock || p.StockQuantity == nil {
		return -1
	}
	return *p.StockQuantity
}

// wooCategoryPaths returns WooCommerce's categories by name path
// ("Garden/Tools"); a path held twice is an error.
func (sh *e2eShop) wooCategoryPaths() map[string]int { return wooCategoryPaths(sh, sh.t.Errorf) }

// nexoCategoryPaths returns NexoPOS's categories by name path.
func (sh *e2eShop) nexoCategoryPaths() map[string]int { return nexoCategoryPaths(sh, sh.t.Errorf) }

// wooCustomers returns WooCommerce's users by lower-case e-mail.
func (sh *e2eShop) wooCustomers() map[string]wcsim.Customer {
	out := map[string]wcsim.Customer{}
	for _, c := range sh.s.woo.Customers() {
		k := strings.ToLower(c.Email)
		if _, dup := out[k]; dup {
			sh.t.Errorf("WooCommerce holds e-mail %q twice", k)
		}
		out[k] = c
	}
	return out
}

// nexoCustomers returns NexoPOS's customers by lower-case e-mail.
func (sh *e2eShop) nexoCustomers() map[string]nexosim.CustomerDetail {
	out := map[string]nexosim.CustomerDetail{}
	for _, c := range sh.s.nexo.Customers() {
		k := strings.ToLower(c.Email)
		if _, dup := out[k]; dup {
			sh.t.Errorf("NexoPOS holds e-mail %q twice", k)
		}
		out[k] = c
	}
	return out
}

// nexoOrdersByReference returns NexoPOS's orders carrying a WooCommerce
// number in their title, by that number, counting each.
func (sh *e2eShop) nexoOrdersByReference() (map[string]nexosim.OrderDetail, map[string]int) {
	out, n := map[string]nexosim.OrderDetail{}, map[string]int{}
	for _, o := range sh.s.nexo.Orders() {
		if o.Title == nil {
			continue
		}
		if ref := nexopos.ReferenceFromTitle(*o.Title); ref != "" {
			out[ref] = o
			n[ref]++
		}
	}
	return out, n
}

// wooOrdersByReference returns WooCommerce's orders carrying a NexoPOS
// order id in their meta, by that id, counting each.
func (sh *e2eShop) wooOrdersByReference() (map[string]wcsim.Order, map[string]int) {
	out, n := map[string]wcsim.Order{}, map[string]int{}
	for _, o := range sh.s.woo.Orders() {
		for _, m := range o.MetaData {
			if m.Key != woocommerce.ReferenceMetaKey {
				continue
			}
			var ref string
			if err := json.Unmarshal(m.Value, &ref); err != nil {
				var num json.Number
				if json.Unmarshal(m.Value, &num) == nil {
					ref = num.String()
				}
			}
			out[ref] = o
			n[ref]++
		}
	}
	return out, n
}

func e2eID(n int) snapshot.ID {
	if n == 0 {
		return ""
	}
	return snapshot.ID(fmt.Sprint(n))
}

func e2eIntp(n int) *int { return &n }

// dec parses a decimal for the tests.
func e2eDec(t *testing.T, s string) snapshot.Decimal {
	t.Helper()
	d, err := snapshot.ParseDecimal(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
