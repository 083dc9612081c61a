package nexopos

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/snapshot"
)

// TestKnownOrderStatusChangesAreRead: a void or refund of an order the
// caller holds as paid shows in the order listing's payment_status, so the
// next read reads that order again, and only it; an unchanged shop costs
// one listing page. A change beyond the first quiet page waits for the next
// full listing (the documented limit).
func TestKnownOrderStatusChangesAreRead(t *testing.T) {
	sim, c := startSim(t, nexosim.Options{NoThrottle: true}, Config{BudgetPerMinute: 1 << 20, Burst: 1 << 20})
	if err := sim.Seed("100"); err != nil { // 200 paid orders: two listing pages
		t.Fatal(err)
	}
	known := knownOrders(sim)
	ids := make([]int, 0, len(known))
	for _, o := range sim.Orders() {
		ids = append(ids, o.ID)
	}
	slices.Sort(ids)
	newest, second, oldest := orderID(ids[len(ids)-1]), orderID(ids[len(ids)-2]), orderID(ids[0])
	ctx := t.Context()
	read := func(full bool) ([]snapshot.Order, map[string]int) {
		t.Helper()
		sim.ResetCounters()
		s, err := c.ReadSnapshot(ctx, ReadOptions{Full: full, KnownOrders: known, Kinds: []snapshot.Kind{snapshot.KindOrder}})
		if err != nil || len(s.Failed) != 0 || len(s.Held) != 0 {
			t.Fatalf("read: %v, failed %v, held %v", err, s.Failed, s.Held)
		}
		for _, o := range s.Orders {
			known[o.ID] = o.RawStatus
		}
		return s.Orders, sim.Counters()
	}
	want := func(what string, got []snapshot.Order, counts map[string]int, pages, details int, ids ...snapshot.ID) {
		t.Helper()
		var gotIDs []snapshot.ID
		for _, o := range got {
			gotIDs = append(gotIDs, o.ID)
		}
		slices.Sort(gotIDs)
		slices.Sort(ids)
		if !slices.Equal(gotIDs, ids) || counts["GET /api/crud/ns.orders"] != pages || counts["GET /api/orders/{id}"] != details {
			t.Errorf("%s: orders %v, %s; want orders %v, %d listing pages, %d details", what, gotIDs, describe(counts), ids, pages, details)
		}
	}

	got, counts := read(false)
	want("unchanged", got, counts, 1, 0)

	if err := c.VoidOrder(ctx, newest, "test"); err != nil {
		t.Fatal(err)
	}
	if err := c.RefundOrder(ctx, second, "test"); err != nil {
		t.Fatal(err)
	}
	got, counts = read(false)
	// The first page changed, so discovery looks at the next one too.
	want("void and refund", got, counts, 2, 2, newest, second)
	if known[newest] != "order_void" || known[second] != "refunded" {
		t.Errorf("statuses read: void %q, refund %q", known[newest], known[second])
	}
	got, counts = read(false)
	want("after the void, unchanged", got, counts, 1, 0)

	if err := c.VoidOrder(ctx, oldest, "test"); err != nil {
		t.Fatal(err)
	}
	got, counts = read(false)
	want("void beyond the first quiet page", got, counts, 1, 0)
	got, counts = read(true)
	want("void beyond the first quiet page, full listing", got, counts, 1, 1, oldest)
	if known[oldest] != "order_void" {
		t.Errorf("full listing read the old void as %q", known[oldest])
	}
}

func orderID(n int) snapshot.ID { return snapshot.ID(strconv.Itoa(n)) }

func TestListedStatus(t *testing.T) {
	for in, want := range map[string]string{
		"Paid": "paid", "Voided": "order_void", "Partially Refunded": "partially_refunded", "refunded": "refunded",
		"order_void": "order_void", " Hold ": "hold", "Payé": "", "": "",
	} {
		if got := listedStatus(in); got != want {
			t.Errorf("listedStatus(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPlaceOrderReturnsThePlacedOrder: the order PlaceOrder hands back from
// the create answer agrees with what reading it back gives on everything a
// held order is followed by (status, reference, stock, total, lines).
func TestPlaceOrderReturnsThePlacedOrder(t *testing.T) {
	sim, c := startSim(t, nexosim.Options{NoThrottle: true}, Config{BudgetPerMinute: 1 << 20, Burst: 1 << 20})
	if err := sim.Seed("5"); err != nil {
		t.Fatal(err)
	}
	d := sim.Defaults()
	c.defaults = Defaults{CustomerID: orderID(d.CustomerID), UnitID: orderID(d.UnitID)}
	ctx := t.Context()
	s, err := c.ReadSnapshot(ctx, ReadOptions{Kinds: []snapshot.Kind{snapshot.KindProduct}})
	if err != nil || len(s.Products) == 0 {
		t.Fatalf("read products: %v, %d", err, len(s.Products))
	}
	p := s.Products[0]
	two := snapshot.NewDecimal(2)
	total := p.RegularPrice.Mul(two)
	o := snapshot.Order{Reference: "9001", Total: total, Billing: snapshot.Address{FirstName: "Ada", City: "London", State: "LDN"},
		Lines: []snapshot.OrderLine{{Kind: snapshot.LineProduct, ProductID: p.ID, Name: p.Name, Quantity: two, UnitPrice: p.RegularPrice, Total: total}}}
	id, placed, err := c.PlaceOrder(ctx, OrderCreate{Order: o, PaymentIdentifier: "cash-payment"})
	if err != nil || placed == nil {
		t.Fatalf("place order: %v, placed %v", err, placed)
	}
	back, err := c.getOrder(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if placed.ID != id || placed.Status != back.Status || placed.RawStatus != "paid" || placed.RawStatus != back.RawStatus ||
		placed.Reference != "9001" || placed.StockReduced != back.StockReduced || placed.Total.Cmp(back.Total) != 0 ||
		len(placed.Lines) != len(back.Lines) || placed.Lines[0].ProductID != p.ID || placed.Billing != back.Billing {
		t.Errorf("placed order\n%+v\nread back\n%+v", *placed, back)
	}
}

// TestHeldOrderNamesTheField: an order whose detail cannot be decoded is
// held with a reason naming the field and its value.
func TestHeldOrderNamesTheField(t *testing.T) {
	sim, c := rewritingSim(t, func(r *http.Request, status int, body []byte) (int, []byte) {
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/orders/") {
			var m map[string]json.RawMessage
			if json.Unmarshal(body, &m) == nil {
				m["total"] = json.RawMessage(`"12,50"`)
				body, _ = json.Marshal(m)
			}
		}
		return status, body
	})
	if err := sim.Seed("1"); err != nil {
		t.Fatal(err)
	}
	s := read(t, c, snapshot.KindOrder)
	if len(s.Orders) != 0 || len(s.Held) == 0 {
		t.Fatalf("%d orders read, held %+v; want every order held", len(s.Orders), s.Held)
	}
	for _, h := range s.Held {
		if h.ID == "" || h.Class != "decode" || !strings.Contains(h.Reason, `field "total": number "12,50"`) {
			t.Errorf("held %+v; want class decode and a reason naming field total and its value", h)
		}
	}
}
