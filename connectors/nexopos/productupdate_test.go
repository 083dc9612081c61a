package nexopos

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/snapshot"
)

// TestProductUpdateFromTheRead: an update right after a read builds its
// form from the product and unit rows that read fetched and costs one
// request (the PUT); without them (not read, already updated once, or read
// too long ago) it reads both first: three requests. Either way only the
// given field changes.
func TestProductUpdateFromTheRead(t *testing.T) {
	clk := newFakeClock()
	sim, c := startSim(t, nexosim.Options{NoThrottle: true, Clock: clk.Now}, Config{Clock: clk, BudgetPerMinute: 1 << 20, Burst: 1 << 20})
	if err := sim.Seed("3"); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	read := func() snapshot.Product {
		t.Helper()
		s, err := c.ReadSnapshot(ctx, ReadOptions{Kinds: []snapshot.Kind{snapshot.KindProduct}})
		if err != nil || len(s.Products) == 0 {
			t.Fatalf("read: %v, %d products", err, len(s.Products))
		}
		return s.Products[0]
	}
	update := func(what string, p snapshot.Product, name string, wantRequests int) {
		t.Helper()
		sim.ResetCounters()
		p.Name = name
		if _, err := c.SaveProduct(ctx, p, []string{"name"}); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		got := sim.Counters()
		t.Logf("%s: %d requests: %s", what, total(got), describe(got))
		if total(got) != wantRequests || got["PUT /api/products/{id}"] != 1 {
			t.Errorf("%s: %s; want %d requests, one PUT", what, describe(got), wantRequests)
		}
	}
	check := func(before snapshot.Product, name string) {
		t.Helper()
		after := read()
		if after.ID != before.ID || after.Name != name || after.RegularPrice.Cmp(before.RegularPrice) != 0 ||
			after.Stock.Cmp(before.Stock) != 0 || after.SKU != before.SKU || after.Status != before.Status {
			t.Errorf("product after the update %+v, want %+v named %q", after, before, name)
		}
	}

	p := read()
	update("update after a read", p, "Renamed once", 1)
	// The PUT changed the row: a second update reads it back first.
	update("second update without a read between", p, "Renamed twice", 3)
	check(p, "Renamed twice")
	p = read()
	_ = clk.Sleep(context.Background(), productCacheAge+time.Minute)
	update("update long after the read", p, "Renamed thrice", 3)
	check(p, "Renamed thrice")
}

// putRecorder answers every PUT itself (the server never sees it) and
// keeps its body; other requests go through.
type putRecorder struct {
	mu     sync.Mutex
	bodies [][]byte
}

func (r *putRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPut {
		return http.DefaultTransport.RoundTrip(req)
	}
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.bodies = append(r.bodies, b)
	r.mu.Unlock()
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Request: req,
		Body: io.NopCloser(strings.NewReader(`{"status":"success","message":"The product has been updated","data":{}}`))}, nil
}

// TestProductUpdateFormSameFromReadOrServer: the form an update builds from
// the read's product and unit rows is the one it builds from GET
// /api/products/{id} and its units, for a product with two unit rows.
func TestProductUpdateFormSameFromReadOrServer(t *testing.T) {
	rec := &putRecorder{}
	sim, c := startSim(t, nexosim.Options{NoThrottle: true}, Config{BudgetPerMinute: 1 << 20, Burst: 1 << 20,
		HTTPClient: &http.Client{Transport: rec}})
	if err := sim.Seed("3"); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	// A second unit row (a box of the product), kept by every update.
	box, err := c.crudCreate(ctx, "create unit", "units", "ns.units", map[string]any{"name": "Box",
		"general": map[string]any{"identifier": "box", "value": 6, "group_id": sim.Defaults().UnitGroupID, "base_unit": 0}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.ReadSnapshot(ctx, ReadOptions{Kinds: []snapshot.Kind{snapshot.KindProduct}})
	if err != nil || len(s.Products) == 0 {
		t.Fatalf("read: %v", err)
	}
	p := s.Products[0]
	if err := c.AdjustStock(ctx, p.ID, box, snapshot.NewDecimal(3), "box row"); err != nil {
		t.Fatal(err)
	}
	if s, err = c.ReadSnapshot(ctx, ReadOptions{Kinds: []snapshot.Kind{snapshot.KindProduct}}); err != nil {
		t.Fatal(err)
	}
	p.Name = "Renamed"
	for range 2 { // from the read, then (the entry dropped by the first PUT) from the server
		if _, err := c.SaveProduct(ctx, p, []string{"name"}); err != nil {
			t.Fatal(err)
		}
	}
	if len(rec.bodies) != 2 {
		t.Fatalf("%d PUTs sent, want 2", len(rec.bodies))
	}
	var fromRead, fromServer map[string]any
	if err := json.Unmarshal(rec.bodies[0], &fromRead); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(rec.bodies[1], &fromServer); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromRead, fromServer) {
		t.Errorf("form from the read\n%s\nform from the server\n%s", rec.bodies[0], rec.bodies[1])
	}
	if !strings.Contains(string(rec.bodies[0]), `"unit_id":`+string(box)) {
		t.Errorf("form lost the second unit row: %s", rec.bodies[0])
	}
}
