package woocommerce

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/snapshot"
)

// TestCheckVersion: a store older than WooCommerce 5.8 has no
// modified_after; Check warns once and every later read of products and
// orders is a full listing (no modified_after sent, Complete), while a
// 5.8 or newer store is read incrementally.
func TestCheckVersion(t *testing.T) {
	for _, tt := range []struct {
		version     string
		incremental bool
	}{
		{"5.7", false},
		{"5.7.2", false},
		{"4.9.1", false},
		{"5.8", true},
		{"5.8.0", true},
		{"10.1.0", true},
	} {
		t.Run(tt.version, func(t *testing.T) {
			ctx := context.Background()
			clk := &testClock{at: time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC)}
			sim := wcsim.New(wcsim.Options{Version: tt.version, Clock: clk.now, PriceDecimals: 3, Currency: "CHF"})
			if err := sim.Seed("250"); err != nil {
				t.Fatal(err)
			}
			clk.add(time.Hour)
			logs := &logRecords{}
			rec, c := recorded(t, sim, func(c *Config) { c.Clock = clk.now; c.Logger = slog.New(logs) })

			info, err := c.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if info.Version != tt.version || info.ModifiedAfter != tt.incremental || info.Currency != "CHF" || info.MoneyPlaces != 3 {
				t.Errorf("Check = %+v, want version %s, modified_after %v, CHF with 3 places", info, tt.version, tt.incremental)
			}
			if warned := logs.warnings("older than 5.8"); warned != !tt.incremental {
				t.Errorf("warned %v, want %v", warned, !tt.incremental)
			}

			since := map[snapshot.Kind]time.Time{snapshot.KindProduct: clk.now(), snapshot.KindOrder: clk.now()}
			kinds := []snapshot.Kind{snapshot.KindProduct, snapshot.KindOrder}
			for read := 1; read <= 2; read++ {
				sim.ResetCounters()
				snap, err := c.ReadSnapshot(ctx, ReadOptions{Since: since, Kinds: kinds})
				if err != nil || len(snap.Failed) != 0 {
					t.Fatalf("read %d: %v %v", read, err, snap.Failed)
				}
				want := map[string]int{"GET /wc/v3/products": 1, "GET /wc/v3/orders": 1}
				wantProducts, wantOrders := 0, 0
				if !tt.incremental {
					want = map[string]int{"GET /wc/v3/products": pages(250), "GET /wc/v3/orders": pages(500)}
					wantProducts, wantOrders = 250, 500
				}
				if got := sim.Counters(); !sameCounts(got, want) {
					t.Errorf("read %d: %v, want %v", read, got, want)
				}
				if len(snap.Products) != wantProducts || len(snap.Orders) != wantOrders ||
					snap.Complete[snapshot.KindProduct] == tt.incremental || snap.Complete[snapshot.KindOrder] == tt.incremental {
					t.Errorf("read %d: %d products, %d orders, complete %v; want %d, %d, complete %v",
						read, len(snap.Products), len(snap.Orders), snap.Complete, wantProducts, wantOrders, !tt.incremental)
				}
			}
			for _, path := range []string{"/products", "/orders"} {
				qs := rec.queries(path)
				if len(qs) == 0 {
					t.Fatalf("no %s requests recorded", path)
				}
				for _, q := range qs {
					if q.Has("modified_after") != tt.incremental {
						t.Errorf("%s?%s: modified_after sent %v, want %v", path, q.Encode(), q.Has("modified_after"), tt.incremental)
					}
				}
			}
		})
	}
}

// warnings reports whether a WARN record whose message contains text was
// logged.
func (l *logRecords) warnings(text string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.recs {
		if r.Level == slog.LevelWarn && strings.Contains(r.Message, text) {
			return true
		}
	}
	return false
}
