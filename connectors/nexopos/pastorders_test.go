package nexopos

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/snapshot"
)

// TestPastOrdersAreDiscoveredNotRead: a first sync of a shop with 4,000
// past orders reads the detail of none of them, only of the orders created
// after PastBefore, and its full listing still says orders are complete.
func TestPastOrdersAreDiscoveredNotRead(t *testing.T) {
	clk := newFakeClock()
	sim, c := startSim(t, nexosim.Options{NoThrottle: true}, Config{Clock: clk, BudgetPerMinute: 1 << 20, Burst: 1 << 20})
	if err := sim.Seed("2000"); err != nil {
		t.Fatal(err)
	}
	_ = clk.Sleep(context.Background(), 48*time.Hour)
	cutoff := clk.Now().Add(-time.Hour)
	var recent []snapshot.ID
	for _, p := range sim.Products()[:3] {
		id, err := sim.Sell(0, 1, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		recent = append(recent, snapshot.ID(strconv.Itoa(id)))
	}
	sim.ResetCounters()
	s, err := c.ReadSnapshot(t.Context(), ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindOrder}, PastBefore: cutoff})
	if err != nil || len(s.Failed) != 0 {
		t.Fatalf("read: %v %v", err, s.Failed)
	}
	if len(s.Orders) != len(recent) || !s.Complete[snapshot.KindOrder] {
		t.Fatalf("got %d orders (complete %v), want the %d recent ones, complete", len(s.Orders), s.Complete[snapshot.KindOrder], len(recent))
	}
	got := sim.Counters()
	if got["GET /api/orders/{id}"] != len(recent) || got["GET /api/crud/ns.orders"] != 1 {
		t.Fatalf("requests: %s; want %d order details and one discovery page", describe(got), len(recent))
	}

	// Next cycle: the recent orders are known and settled; nothing is read
	// in detail and discovery stops at its first page.
	known := map[snapshot.ID]string{}
	for _, id := range recent {
		known[id] = "paid"
	}
	sim.ResetCounters()
	s, err = c.ReadSnapshot(t.Context(), ReadOptions{Kinds: []snapshot.Kind{snapshot.KindOrder}, KnownOrders: known, PastBefore: cutoff})
	if err != nil || len(s.Orders) != 0 {
		t.Fatalf("read again: %v, %d orders", err, len(s.Orders))
	}
	if got := sim.Counters(); total(got) != 1 {
		t.Fatalf("read again: %s; want one discovery page", describe(got))
	}

	// A full listing that has not met a known order keeps walking: it never
	// calls orders complete without having seen every order it holds.
	known["999999"] = "paid"
	sim.ResetCounters()
	s, err = c.ReadSnapshot(t.Context(), ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindOrder}, KnownOrders: known, PastBefore: cutoff})
	if err != nil || !s.Complete[snapshot.KindOrder] {
		t.Fatalf("full read with a vanished order: %v, complete %v", err, s.Complete[snapshot.KindOrder])
	}
	if got := sim.Counters(); got["GET /api/crud/ns.orders"] < 4000/500 {
		t.Fatalf("full read with a vanished order stopped early: %s", describe(got))
	}
}
