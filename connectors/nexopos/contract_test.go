package nexopos

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// fakeClock is a test Clock: Sleep moves time forward at once. Concurrent
// sleepers move it to the latest wake-up time, as real time would.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)} }

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	return nil
}

// contractEnv is one backend the contract suite runs against.
type contractEnv struct {
	client *Client
	prefix string // every record the suite makes carries it
}

func testPrefix(t *testing.T) string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "wnx" + hex.EncodeToString(b[:])
}

// TestContractReal runs the suite against a real NexoPOS when NEXOPOS_URL
// and NEXOPOS_TOKEN are set; it touches only records named with a unique
// prefix, and deletes what it can afterwards.
func TestContractReal(t *testing.T) {
	url, token := os.Getenv("NEXOPOS_URL"), os.Getenv("NEXOPOS_TOKEN")
	if url == "" || token == "" {
		t.Skip("NEXOPOS_URL and NEXOPOS_TOKEN not set: no real NexoPOS to test against")
	}
	c, err := New(Config{BaseURL: url, Token: token, AllowedUnits: []string{"piece"}})
	if err != nil {
		t.Fatal(err)
	}
	// Use the shop's own defaults where the bootstrap finds them.
	rep, err := c.Bootstrap(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("bootstrap: missing %v", rep.Missing())
	runContract(t, contractEnv{client: c, prefix: testPrefix(t)})
}

func runContract(t *testing.T, env contractEnv) {
	ctx := t.Context()
	c, px := env.client, env.prefix
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	wantKind := func(err error, k ErrorKind) {
		t.Helper()
		if !IsKind(err, k) {
			t.Fatalf("error %v: want kind %s", err, k)
		}
	}
	var cleanup []func()
	t.Cleanup(func() {
		for i := len(cleanup) - 1; i >= 0; i-- {
			cleanup[i]()
		}
	})
	del := func(kind snapshot.Kind, id snapshot.ID) {
		cleanup = append(cleanup, func() { _ = c.Delete(context.Background(), kind, id) })
	}

	info, err := c.Check(ctx)
	must(err)
	if info.UserID == "" {
		t.Fatal("Check: no user id")
	}

	// Categories.
	catID, err := c.SaveCategory(ctx, snapshot.Category{Name: px + " Mugs", Description: "d"})
	must(err)
	del(snapshot.KindCategory, catID)
	found, err := c.FindCategory(ctx, px+" mugs", "")
	must(err)
	if found == nil || found.ID != catID {
		t.Fatalf("FindCategory = %+v, want id %s", found, catID)
	}
	_, err = c.SaveCategory(ctx, snapshot.Category{ID: catID, Name: px + " Mugs", Description: "changed"})
	must(err)

	// Products.
	sku := px + "-MUG"
	prod := snapshot.Product{SKU: sku, Name: px + " Blue Mug", Status: snapshot.ProductActive,
		RegularPrice: snapshot.MustDecimal("12.5"), CategoryIDs: []snapshot.ID{catID}, ManageStock: true}
	pid, err := c.SaveProduct(ctx, prod, nil)
	must(err)
	del(snapshot.KindProduct, pid)
	_, err = c.SaveProduct(ctx, snapshot.Product{SKU: sku, Name: px + " dup", Status: snapshot.ProductActive, CategoryIDs: []snapshot.ID{catID}}, nil)
	wantKind(err, KindConflict)
	got, err := c.FindProductBySKU(ctx, sku)
	must(err)
	if got == nil || got.ID != pid || got.RegularPrice != snapshot.MustDecimal("12.5") || !got.Stock.IsZero() {
		t.Fatalf("FindProductBySKU = %+v", got)
	}
	if none, err := c.FindProductBySKU(ctx, px+"-none"); err != nil || none != nil {
		t.Fatalf("FindProductBySKU(unknown) = %+v, %v", none, err)
	}

	// Stock: deltas only.
	must(c.AdjustStock(ctx, pid, "", snapshot.NewDecimal(10), "test"))
	must(c.AdjustStock(ctx, pid, "", snapshot.NewDecimal(-3), "test"))
	must(c.AdjustStock(ctx, pid, "", snapshot.Decimal{}, "no-op"))
	wantKind(c.AdjustStock(ctx, pid, "", snapshot.NewDecimal(-100), "too much"), KindInvalid)
	wantStock := func(q int64) {
		t.Helper()
		st, err := c.ReadStock(ctx, []snapshot.ID{pid})
		must(err)
		if st[pid] != snapshot.NewDecimal(q) {
			t.Fatalf("stock = %v, want %d", st[pid], q)
		}
	}
	wantStock(7)

	// Update only the named fields; stock and price stay.
	_, err = c.SaveProduct(ctx, snapshot.Product{ID: pid, Name: px + " Red Mug", RegularPrice: snapshot.NewDecimal(99)}, []string{"name"})
	must(err)
	got, err = c.FindProductBySKU(ctx, sku)
	must(err)
	if got.Name != px+" Red Mug" || got.RegularPrice != snapshot.MustDecimal("12.5") || got.Stock != snapshot.NewDecimal(7) {
		t.Fatalf("after name update: %+v", got)
	}
	_, err = c.SaveProduct(ctx, snapshot.Product{ID: pid, RegularPrice: snapshot.NewDecimal(15)}, []string{"regular_price"})
	must(err)
	got, err = c.FindProductBySKU(ctx, sku)
	must(err)
	if got.Name != px+" Red Mug" || got.RegularPrice != snapshot.NewDecimal(15) || got.Stock != snapshot.NewDecimal(7) {
		t.Fatalf("after price update: %+v", got)
	}
	_, err = c.SaveProduct(ctx, snapshot.Product{ID: "987654321", Name: "x"}, []string{"name"})
	wantKind(err, KindNotFound)

	// Customers.
	email := px + "@example.com"
	cust := snapshot.Customer{Email: email, FirstName: "Ada", LastName: "Lovelace",
		Billing: snapshot.Address{FirstName: "Ada", Address1: "1 Road", City: "London", Postcode: "N1", Country: "GB"}}
	cid, err := c.SaveCustomer(ctx, cust, nil)
	must(err)
	del(snapshot.KindCustomer, cid)
	_, err = c.SaveCustomer(ctx, cust, nil)
	wantKind(err, KindConflict)
	fc, err := c.FindCustomerByEmail(ctx, "  "+px+"@EXAMPLE.com")
	must(err)
	if fc == nil || fc.ID != cid {
		t.Fatalf("FindCustomerByEmail = %+v", fc)
	}
	_, err = c.SaveCustomer(ctx, snapshot.Customer{ID: cid, Phone: "0123"}, []string{"phone"})
	must(err)
	fc, err = c.FindCustomerByEmail(ctx, email)
	must(err)
	if fc.Phone != "0123" || fc.LastName != "Lovelace" {
		t.Fatalf("after phone update: %+v", fc)
	}

	// Payment types.
	pay := px + "-pay"
	payID, err := c.CreatePaymentType(ctx, pay, "Test "+px)
	must(err)
	del(snapshot.KindPaymentMethod, payID)
	_, err = c.CreatePaymentType(ctx, pay, "again")
	wantKind(err, KindConflict)

	// Orders: paid at once, stock taken, titled with the reference.
	ref := px + "-1001"
	order := snapshot.Order{Reference: ref, CustomerID: cid, Total: snapshot.NewDecimal(33), Lines: []snapshot.OrderLine{
		{Kind: snapshot.LineProduct, ProductID: pid, Name: "Mug", Quantity: snapshot.NewDecimal(2), UnitPrice: snapshot.NewDecimal(15), Total: snapshot.NewDecimal(30)},
		{Kind: snapshot.LineQuick, Name: "Gift wrap", Quantity: snapshot.NewDecimal(1), UnitPrice: snapshot.NewDecimal(3), Total: snapshot.NewDecimal(3)},
	}}
	oid, err := c.CreateOrder(ctx, OrderCreate{Order: order, PaymentIdentifier: pay})
	must(err)
	del(snapshot.KindOrder, oid)
	wantStock(5)
	fo, err := c.FindOrderByReference(ctx, ref)
	must(err)
	if fo == nil || fo.ID != oid || fo.Status != snapshot.OrderCompleted || !fo.StockReduced || fo.Reference != ref ||
		len(fo.Lines) != 2 || fo.Lines[1].Kind != snapshot.LineQuick || fo.PaymentMethod != pay {
		t.Fatalf("FindOrderByReference = %+v", fo)
	}
	if none, err := c.FindOrderByReference(ctx, px+"-9"); err != nil || none != nil {
		t.Fatalf("FindOrderByReference(unknown) = %+v, %v", none, err)
	}
	big := order
	big.Reference = px + "-1002"
	big.Lines = []snapshot.OrderLine{{Kind: snapshot.LineProduct, ProductID: pid, Name: "Mug", Quantity: snapshot.NewDecimal(1000),
		UnitPrice: snapshot.NewDecimal(1), Total: snapshot.NewDecimal(1000)}}
	big.Total = snapshot.NewDecimal(1000)
	_, err = c.CreateOrder(ctx, OrderCreate{Order: big, PaymentIdentifier: pay})
	wantKind(err, KindInvalid)

	// The snapshot shows the new records.
	s, err := c.ReadSnapshot(ctx, ReadOptions{Full: true})
	must(err)
	if len(s.Failed) != 0 {
		t.Fatalf("Failed = %v", s.Failed)
	}
	if !hasOrder(s.Orders, oid, ref) || !hasProduct(s.Products, pid, 5) || !hasCustomer(s.Customers, cid) {
		t.Fatalf("snapshot misses the records made (order %s, product %s, customer %s)", oid, pid, cid)
	}
	// Settled orders are not read again.
	known := map[snapshot.ID]string{}
	for _, o := range s.Orders {
		known[o.ID] = o.RawStatus
	}
	s2, err := c.ReadSnapshot(ctx, ReadOptions{KnownOrders: known, Kinds: []snapshot.Kind{snapshot.KindOrder}})
	must(err)
	if len(s2.Orders) != 0 {
		t.Fatalf("settled orders read again: %d", len(s2.Orders))
	}

	// Void returns the stock; refund of a second order too.
	must(c.VoidOrder(ctx, oid, "test"))
	wantStock(7)
	// The void shows in the listing: the next read reads that order again,
	// and only it.
	s2, err = c.ReadSnapshot(ctx, ReadOptions{KnownOrders: known, Kinds: []snapshot.Kind{snapshot.KindOrder}})
	must(err)
	if len(s2.Orders) != 1 || s2.Orders[0].ID != oid || s2.Orders[0].Status != snapshot.OrderCancelled {
		t.Fatalf("read after the void: %+v, want order %s cancelled", s2.Orders, oid)
	}
	fo, err = c.FindOrderByReference(ctx, ref)
	must(err)
	if fo.Status != snapshot.OrderCancelled || fo.StockReduced {
		t.Fatalf("voided order = %+v", fo)
	}
	second := order
	second.Reference = px + "-1003"
	oid2, err := c.CreateOrder(ctx, OrderCreate{Order: second, PaymentIdentifier: pay})
	must(err)
	del(snapshot.KindOrder, oid2)
	wantStock(5)
	must(c.RefundOrder(ctx, oid2, "test"))
	wantStock(7)

	// Deleting an unknown record is not_found.
	wantKind(c.Delete(ctx, snapshot.KindCategory, "987654321"), KindNotFound)
}

func hasOrder(os []snapshot.Order, id snapshot.ID, ref string) bool {
	for _, o := range os {
		if o.ID == id && o.Reference == ref {
			return true
		}
	}
	return false
}

func hasProduct(ps []snapshot.Product, id snapshot.ID, stock int64) bool {
	for _, p := range ps {
		if p.ID == id && p.Stock == snapshot.NewDecimal(stock) {
			return true
		}
	}
	return false
}

func hasCustomer(cs []snapshot.Customer, id snapshot.ID) bool {
	for _, c := range cs {
		if c.ID == id {
			return true
		}
	}
	return false
}
