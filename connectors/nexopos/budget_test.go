package nexopos

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/snapshot"
)

// knownOrders marks every order of the simulator as held with its current
// status, as a caller that has synced the shop before would pass them.
func knownOrders(sim *nexosim.Sim) map[snapshot.ID]string {
	known := map[snapshot.ID]string{}
	for _, o := range sim.Orders() {
		known[snapshot.ID(fmt.Sprint(o.ID))] = o.PaymentStatus
	}
	return known
}

// TestThreeFullReadsStayInsideTheThrottle reads a 2,000-product shop three
// times in a row with the simulator's 80-a-minute throttle on. Simulator
// and client share a test clock, so the budget's waits are real to the
// throttle but cost no wall time.
func TestThreeFullReadsStayInsideTheThrottle(t *testing.T) {
	sim, c := startSim(t, nexosim.Options{}, Config{})
	if err := sim.Seed("2000"); err != nil {
		t.Fatal(err)
	}
	// A few orders are held as not yet paid: they are read in detail every
	// time.
	known := knownOrders(sim)
	for id := range known {
		if strings.HasSuffix(string(id), "77") {
			known[id] = "unpaid"
		}
	}
	sim.ResetCounters()
	for i := range 3 {
		s, err := c.ReadSnapshot(t.Context(), ReadOptions{Full: true, KnownOrders: known})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Failed) != 0 || len(s.Products) < 1900 {
			t.Fatalf("read %d: failed %v, %d products, %d held", i+1, s.Failed, len(s.Products), len(s.Held))
		}
	}
	reqs := sim.Requests()
	if len(reqs) <= 80 {
		t.Fatalf("only %d requests: the test would not reach the throttle", len(reqs))
	}
	for _, r := range reqs {
		if r.Status == 429 || r.Status == 500 {
			t.Fatalf("request %s got %d", r.Route, r.Status)
		}
	}
	// No minute-long window ever held more than the budget plus burst.
	for i := range reqs {
		n := 0
		for j := i; j < len(reqs) && reqs[j].Time.Sub(reqs[i].Time) < time.Minute; j++ {
			n++
		}
		if n > 70 {
			t.Fatalf("%d requests within a minute from %v", n, reqs[i].Time)
		}
	}
	t.Logf("three full reads: %d requests over %v of clock time, no 429", len(reqs), reqs[len(reqs)-1].Time.Sub(reqs[0].Time))
}

// TestReadCosts logs the requests of a full read of a 10,000-product shop
// with stock, and checks that reading it again unchanged costs no more than
// the product, unit and order-discovery calls of the full read.
func TestReadCosts(t *testing.T) {
	n := "10000"
	if testing.Short() {
		n = "2000"
	}
	sim, c := startSim(t, nexosim.Options{NoThrottle: true}, Config{BudgetPerMinute: 1 << 20, Burst: 1 << 20})
	if err := sim.Seed(n); err != nil {
		t.Fatal(err)
	}
	known := knownOrders(sim)
	sim.ResetCounters()
	s, err := c.ReadSnapshot(t.Context(), ReadOptions{Full: true, KnownOrders: known})
	if err != nil || len(s.Failed) != 0 {
		t.Fatalf("full read: %v %v", err, s.Failed)
	}
	full := sim.Counters()
	t.Logf("full read of %s products (%d read, %d held, %d customers, %d orders known): %d requests: %s",
		n, len(s.Products), len(s.Held), len(s.Customers), len(known), total(full), describe(full))

	sim.ResetCounters()
	if _, err := c.ReadSnapshot(t.Context(), ReadOptions{KnownOrders: known}); err != nil {
		t.Fatal(err)
	}
	again := sim.Counters()
	t.Logf("unchanged shop read again: %d requests: %s", total(again), describe(again))
	var budget int
	for k, v := range full {
		if strings.Contains(k, "/api/products") || strings.Contains(k, "ns.products-units") || strings.Contains(k, "ns.orders") || strings.Contains(k, "/api/units") {
			budget += v
		}
	}
	for k, v := range again {
		if strings.Contains(k, "/api/orders/") {
			t.Fatalf("read again fetched order details: %s x%d", k, v)
		}
	}
	productUnitOrders := 0
	for k, v := range again {
		if strings.Contains(k, "/api/products") || strings.Contains(k, "ns.products-units") || strings.Contains(k, "ns.orders") || strings.Contains(k, "/api/units") {
			productUnitOrders += v
		}
	}
	if productUnitOrders > budget {
		t.Fatalf("read again cost %d product/unit/order calls, full read %d", productUnitOrders, budget)
	}
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func describe(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
