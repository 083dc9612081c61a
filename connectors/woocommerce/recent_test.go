package woocommerce

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/snapshot"
)

type testClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.at }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.at = c.at.Add(d)
	c.mu.Unlock()
}

func startWcsim(t *testing.T, clk *testClock) (*wcsim.Sim, *Client) {
	t.Helper()
	sim := wcsim.New(wcsim.Options{Clock: clk.now})
	u, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	k := sim.Key()
	c, err := New(Config{BaseURL: u, ConsumerKey: k.ConsumerKey, ConsumerSecret: k.ConsumerSecret,
		AllowPlainHTTPLoopback: true, Retry: &NoRetryDelay, Clock: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

// TestIncrementalCustomers: between full listings, customers cost the new
// registrations (one page) and one include= request for the customers of
// the orders read, instead of every page; such a read is not Complete.
func TestIncrementalCustomers(t *testing.T) {
	clk := &testClock{at: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)}
	sim, c := startWcsim(t, clk)
	var old []int
	for i := range 450 {
		old = append(old, sim.AddCustomer(wcsim.Customer{Email: fmt.Sprintf("old%d@example.com", i), Username: fmt.Sprintf("old%d", i)}))
	}
	clk.add(time.Hour)
	cursor := clk.now()
	clk.add(time.Hour)
	fresh := sim.AddCustomer(wcsim.Customer{Email: "new@example.com", Username: "new"})
	buyer := old[17]
	sim.AddOrder(wcsim.Order{Status: "processing", CustomerID: buyer, Billing: wcsim.Address{Email: "old17@example.com"},
		LineItems: []wcsim.LineItem{{Name: "Fee-less line", Quantity: 1, Total: "1.00", Subtotal: "1.00", ProductID: 0}}})
	sim.ResetCounters()
	since := map[snapshot.Kind]time.Time{snapshot.KindCustomer: cursor, snapshot.KindOrder: cursor}
	s, err := c.ReadSnapshot(t.Context(), ReadOptions{Since: since, Kinds: []snapshot.Kind{snapshot.KindCustomer, snapshot.KindOrder}})
	if err != nil || len(s.Failed) != 0 {
		t.Fatalf("read: %v %v", err, s.Failed)
	}
	got := map[snapshot.ID]bool{}
	for _, cu := range s.Customers {
		got[cu.ID] = true
	}
	if !got[snapshot.ID(fmt.Sprint(fresh))] || !got[snapshot.ID(fmt.Sprint(buyer))] || s.Complete[snapshot.KindCustomer] {
		t.Fatalf("customers read: %v (complete %v); want the new one %d and the buyer %d, not complete", got, s.Complete, fresh, buyer)
	}
	if n := sim.Counters()["GET /wc/v3/customers"]; n != 2 {
		t.Fatalf("customer requests: %d (%v), want 2: one page of new ones, one lookup", n, sim.Counters())
	}
}

// TestPastOrdersLeftOut: with PastBefore, orders created before it are
// not listed, even by a full listing.
func TestPastOrdersLeftOut(t *testing.T) {
	clk := &testClock{at: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)}
	sim, c := startWcsim(t, clk)
	line := []wcsim.LineItem{{Name: "Line", Quantity: 1, Total: "1.00", Subtotal: "1.00"}}
	for range 250 {
		sim.AddOrder(wcsim.Order{Status: "completed", LineItems: line})
	}
	clk.add(48 * time.Hour)
	recent := sim.AddOrder(wcsim.Order{Status: "processing", LineItems: line})
	sim.ResetCounters()
	s, err := c.ReadSnapshot(t.Context(), ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindOrder}, PastBefore: clk.now().Add(-time.Hour)})
	if err != nil || len(s.Failed) != 0 {
		t.Fatalf("read: %v %v", err, s.Failed)
	}
	if len(s.Orders) != 1 || s.Orders[0].ID != snapshot.ID(fmt.Sprint(recent)) || !s.Complete[snapshot.KindOrder] {
		t.Fatalf("orders: %+v, complete %v; want only %d", s.Orders, s.Complete, recent)
	}
	if n := sim.Counters()["GET /wc/v3/orders"]; n != 1 {
		t.Fatalf("order requests: %d, want 1", n)
	}
}
