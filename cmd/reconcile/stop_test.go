package main

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/reconcile"
	"github.com/woonexo/woonexo/snapshot/store"
)

// A stop asked for during a cycle lets the write in flight finish and be
// recorded, sends nothing more, leaves no journal entry pending, and the
// next cycle picks up where it stopped without a duplicate.
func TestStopFinishesTheWriteInFlight(t *testing.T) {
	s, err := startSims(simOptions{latency: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := s.nexo.Seed("empty"); err != nil {
		t.Fatal(err)
	}
	const n = 20
	for i := 1; i <= n; i++ {
		q := 3
		s.woo.AddProduct(wcsim.Product{Name: fmt.Sprintf("Lamp %d", i), SKU: fmt.Sprintf("STOP-%02d", i), RegularPrice: "9.90",
			ManageStock: true, StockQuantity: &q})
	}
	cfg := s.config(t.TempDir())
	ctx := context.Background()
	a, err := openApp(ctx, cfg, slog.New(slog.DiscardHandler), wiring{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })

	stop := make(chan struct{})
	base := len(s.nexo.Products())
	go func() { // stop once the first products exist in NexoPOS
		deadline := time.Now().Add(20 * time.Second)
		for len(s.nexo.Products()) < base+2 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		close(stop)
	}()
	rep, err := a.rec.Run(reconcile.WithStop(ctx, stop), reconcile.RunRequest{})
	if err != nil {
		t.Fatal(err)
	}
	created := len(s.nexo.Products()) - base
	if created < 2 || created >= n {
		t.Fatalf("stopped after %d of %d creates; want a stop part way", created, n)
	}
	skipped := 0
	for _, r := range rep.Results {
		if r.Status == reconcile.StatusSkipped {
			skipped++
		}
		if r.Status == reconcile.StatusFailed {
			t.Errorf("a write failed: %+v", r)
		}
	}
	if skipped == 0 || rep.Outcome != reconcile.OutcomeDrift {
		t.Errorf("outcome %s with %d skipped writes; want drift with the unsent ones skipped", rep.Outcome, skipped)
	}
	err = a.state.View(func(tx *store.Tx) error {
		pending, err := tx.JournalPending()
		if len(pending) > 0 {
			t.Errorf("journal entries pending after a clean stop: %+v", pending)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := a.rec.Run(ctx, reconcile.RunRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(s.nexo.Products()) - base; got != n {
		t.Errorf("NexoPOS holds %d of the %d products after resuming", got, n)
	}
}
