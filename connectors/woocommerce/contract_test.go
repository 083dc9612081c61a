package woocommerce

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/snapshot"
)

// backend is a WooCommerce the contract suite runs against: the simulator
// always (on plain HTTP with OAuth 1.0a, and on HTTPS with Basic auth and
// its certificate as CA file), a real store when WOO_URL,
// WOO_CONSUMER_KEY and WOO_CONSUMER_SECRET are set (WOO_CA_FILE for a
// self-signed certificate).
type backend struct {
	name   string
	client *Client
	prefix string // every record the suite creates starts with it
	skip   string // why this backend is not tested
}

func backends(t *testing.T) []backend {
	t.Helper()
	_, wc := simStore(t, wcsim.Options{}, nil)
	out := []backend{{name: "wcsim", client: wc, prefix: "wnx-test-"}}

	sim := wcsim.New(wcsim.Options{HTTPS: true})
	u, err := sim.Start()
	if err != nil {
		t.Fatalf("wcsim: %v", err)
	}
	t.Cleanup(sim.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: sim.Certificate()}), 0o600); err != nil {
		t.Fatal(err)
	}
	out = append(out, backend{name: "wcsim-https", client: simClient(t, sim, u, func(c *Config) { c.CAFile = ca }), prefix: "wnx-test-"})

	out = append(out, realBackend(t))
	return out
}

// realBackend is the store named by the environment, or a backend to skip
// saying what is missing.
func realBackend(t *testing.T) backend {
	t.Helper()
	b := backend{name: "real"}
	env := map[string]string{}
	var missing []string
	for _, k := range []string{"WOO_URL", "WOO_CONSUMER_KEY", "WOO_CONSUMER_SECRET"} {
		if env[k] = os.Getenv(k); env[k] == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		b.skip = "real WooCommerce not tested: " + strings.Join(missing, ", ") + " unset; set WOO_URL, WOO_CONSUMER_KEY and " +
			"WOO_CONSUMER_SECRET (and WOO_CA_FILE for a self-signed certificate) to run the suite against a store"
		return b
	}
	c, err := New(Config{BaseURL: env["WOO_URL"], ConsumerKey: env["WOO_CONSUMER_KEY"], ConsumerSecret: env["WOO_CONSUMER_SECRET"],
		CAFile: os.Getenv("WOO_CA_FILE"), AllowPlainHTTPLoopback: true, Retry: &NoRetryDelay})
	if err != nil {
		t.Fatalf("real store: %v", err)
	}
	var r [4]byte
	_, _ = rand.Read(r[:])
	b.client, b.prefix = c, "wnx-test-"+hex.EncodeToString(r[:])+"-"
	return b
}

// simStore starts a simulated store on loopback and returns it with a
// client for it (plain HTTP, OAuth 1.0a, retries without delay, the
// store's clock); edit changes the client's configuration first.
func simStore(t testing.TB, opts wcsim.Options, edit func(*Config)) (*wcsim.Sim, *Client) {
	t.Helper()
	sim := wcsim.New(opts)
	u, err := sim.Start()
	if err != nil {
		t.Fatalf("wcsim: %v", err)
	}
	t.Cleanup(sim.Close)
	return sim, simClient(t, sim, u, func(c *Config) {
		c.Clock = opts.Clock // OAuth timestamps must be near the store's time
		if edit != nil {
			edit(c)
		}
	})
}

// simClient returns a client for sim served at baseURL (its own listener,
// or a test server in front of its handler).
func simClient(t testing.TB, sim *wcsim.Sim, baseURL string, edit func(*Config)) *Client {
	t.Helper()
	k := sim.Key()
	cfg := Config{BaseURL: baseURL, ConsumerKey: k.ConsumerKey, ConsumerSecret: k.ConsumerSecret,
		AllowPlainHTTPLoopback: true, Retry: &NoRetryDelay}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestContract(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			if b.skip != "" {
				t.Skip(b.skip)
			}
			t.Run("Check", func(t *testing.T) { contractCheck(t, b) })
			t.Run("Lifecycle", func(t *testing.T) { contractLifecycle(t, b) })
		})
	}
}

func contractCheck(t *testing.T, b backend) {
	info, err := b.client.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Version == "" || !info.ModifiedAfter || info.Currency == "" {
		t.Errorf("Check = %+v, want a version ≥ 5.8 and a currency", info)
	}
	if got := b.client.Form().MoneyPlaces; got != info.MoneyPlaces {
		t.Errorf("form money places %d, Check said %d", got, info.MoneyPlaces)
	}
}

func one(t *testing.T, what string, res []Result) snapshot.ID {
	t.Helper()
	if len(res) != 1 {
		t.Fatalf("%s: %d results, want 1", what, len(res))
	}
	if res[0].Err != nil || res[0].ID == "" {
		t.Fatalf("%s: %+v", what, res[0])
	}
	return res[0].ID
}

// contractLifecycle creates a category, a product, a customer and an
// order, reads and finds them, updates them and deletes them again.
func contractLifecycle(t *testing.T, b backend) {
	ctx := context.Background()
	c := b.client
	var cleanup []func()
	t.Cleanup(func() {
		for i := len(cleanup) - 1; i >= 0; i-- {
			cleanup[i]()
		}
	})
	catName := b.prefix + "Widgets"
	catID := one(t, "create category", c.SaveCategories(ctx, []CategoryWrite{{Category: snapshot.Category{Name: catName, Description: "d"}}}))
	cleanup = append(cleanup, func() { c.Delete(ctx, snapshot.KindCategory, []snapshot.ID{catID}) })

	dup := c.SaveCategories(ctx, []CategoryWrite{{Category: snapshot.Category{Name: catName}}})
	if !IsKind(dup[0].Err, KindConflict) {
		t.Errorf("duplicate category: %v, want conflict", dup[0].Err)
	}
	found, err := c.FindCategory(ctx, catName, "")
	if err != nil || found == nil || found.ID != catID {
		t.Errorf("FindCategory = %+v, %v; want id %s", found, err, catID)
	}

	sku := b.prefix + "SKU-1"
	stock := snapshot.NewDecimal(7)
	p := snapshot.Product{SKU: sku, Name: b.prefix + "Blue Widget", Status: snapshot.ProductActive,
		RegularPrice: snapshot.MustDecimal("12.5"), CategoryIDs: []snapshot.ID{catID}, ManageStock: true}
	pid := one(t, "create product", c.SaveProducts(ctx, []ProductWrite{{Product: p, Stock: &stock}}))
	cleanup = append(cleanup, func() { c.Delete(ctx, snapshot.KindProduct, []snapshot.ID{pid}) })

	res := c.SaveProducts(ctx, []ProductWrite{{Product: snapshot.Product{SKU: sku, Name: "again", Status: snapshot.ProductActive}}})
	if e, ok := res[0].Err.(*Error); !ok || e.Kind != KindConflict || e.ResourceID != pid {
		t.Errorf("duplicate SKU: %v, want conflict naming %s", res[0].Err, pid)
	}

	got, err := c.FindProductBySKU(ctx, sku)
	if err != nil || got == nil {
		t.Fatalf("FindProductBySKU = %v, %v", got, err)
	}
	if got.ID != pid || got.RegularPrice != p.RegularPrice || got.Stock != stock || !got.ManageStock ||
		len(got.CategoryIDs) != 1 || got.CategoryIDs[0] != catID || got.Status != snapshot.ProductActive {
		t.Errorf("product read back = %+v", got)
	}
	if none, err := c.FindProductBySKU(ctx, b.prefix+"no-such-sku"); none != nil || err != nil {
		t.Errorf("FindProductBySKU(unknown) = %v, %v; want nil, nil", none, err)
	}

	p.ID, p.RegularPrice = pid, snapshot.MustDecimal("13")
	one(t, "update price", c.SaveProducts(ctx, []ProductWrite{{Product: p, Fields: []string{"regular_price"}}}))
	one(t, "set stock", c.SetStock(ctx, []StockWrite{{ID: pid, Quantity: snapshot.NewDecimal(3)}}))
	got, _ = c.FindProductBySKU(ctx, sku)
	if got == nil || got.RegularPrice != snapshot.NewDecimal(13) || got.Stock != snapshot.NewDecimal(3) {
		t.Errorf("after update: %+v", got)
	}

	email := b.prefix + "jane@example.com"
	cu := snapshot.Customer{Email: email, FirstName: "Jane", LastName: "Doe", Billing: snapshot.Address{City: "Springfield", Phone: "555"}}
	cid := one(t, "create customer", c.SaveCustomers(ctx, []CustomerWrite{{Customer: cu}}))
	cleanup = append(cleanup, func() { c.Delete(ctx, snapshot.KindCustomer, []snapshot.ID{cid}) })
	dupc := c.SaveCustomers(ctx, []CustomerWrite{{Customer: cu}})
	if e, ok := dupc[0].Err.(*Error); !ok || e.Kind != KindConflict || e.Code != "registration-error-email-exists" {
		t.Errorf("duplicate e-mail: %v, want conflict registration-error-email-exists", dupc[0].Err)
	}
	fc, err := c.FindCustomerByEmail(ctx, email)
	if err != nil || fc == nil || fc.ID != cid || fc.Phone != "555" || fc.Role != "customer" {
		t.Errorf("FindCustomerByEmail = %+v, %v", fc, err)
	}

	before := time.Now().Add(-time.Minute)
	ref := b.prefix + "NX-1"
	o := snapshot.Order{Reference: ref, PaymentMethod: "bacs", PaymentTitle: "Direct bank transfer", CustomerID: cid,
		Billing: snapshot.Address{Email: email}, Lines: []snapshot.OrderLine{
			{Kind: snapshot.LineProduct, ProductID: pid, Name: p.Name, Quantity: snapshot.NewDecimal(2), Total: snapshot.NewDecimal(26)},
			{Kind: snapshot.LineQuick, Name: "Gift wrap", Quantity: snapshot.NewDecimal(1), Total: snapshot.NewDecimal(2)},
		}}
	oid := one(t, "create order", c.CreateOrders(ctx, []OrderCreate{{Order: o, SetPaid: true}}))
	cleanup = append(cleanup, func() { c.Delete(ctx, snapshot.KindOrder, []snapshot.ID{oid}) })
	fo, err := c.FindOrderByReference(ctx, ref, before)
	if err != nil || fo == nil || fo.ID != oid {
		t.Fatalf("FindOrderByReference = %+v, %v; want order %s", fo, err, oid)
	}
	if fo.Status != snapshot.OrderProcessing || !fo.StockReduced || len(fo.Lines) != 2 || fo.Lines[1].Kind != snapshot.LineQuick {
		t.Errorf("order read back = %+v", fo)
	}
	one(t, "complete order", c.UpdateOrderStatus(ctx, []OrderStatusWrite{{ID: oid, Status: "completed"}}))

	snap, err := c.ReadSnapshot(ctx, ReadOptions{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range snapshot.Kinds {
		if !snap.Complete[k] || snap.Failed[k] != "" {
			t.Errorf("kind %s: complete %v failed %q", k, snap.Complete[k], snap.Failed[k])
		}
	}
	if !hasID(snap.Products, pid, func(p snapshot.Product) snapshot.ID { return p.ID }) ||
		!hasID(snap.Customers, cid, func(c snapshot.Customer) snapshot.ID { return c.ID }) ||
		!hasID(snap.Categories, catID, func(c snapshot.Category) snapshot.ID { return c.ID }) ||
		!hasID(snap.Orders, oid, func(o snapshot.Order) snapshot.ID { return o.ID }) {
		t.Errorf("full snapshot misses a created record")
	}
	var admin bool
	for _, cu := range snap.Customers {
		admin = admin || cu.Role == "administrator"
	}
	if !admin {
		t.Errorf("full snapshot has no administrator: customers must be read with role=all")
	}

	del := c.Delete(ctx, snapshot.KindProduct, []snapshot.ID{pid, pid})
	for _, r := range del {
		if r.Err != nil {
			t.Errorf("trash product (twice): %v", r.Err)
		}
	}
	if tp, err := c.FindProductBySKU(ctx, sku); err != nil || tp == nil || tp.Status != snapshot.ProductTrashed {
		t.Errorf("trashed product lookup = %+v, %v; want status trashed", tp, err)
	}
}

func hasID[T any](xs []T, id snapshot.ID, get func(T) snapshot.ID) bool {
	for _, x := range xs {
		if get(x) == id {
			return true
		}
	}
	return false
}
