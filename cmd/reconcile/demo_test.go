package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/woonexo/woonexo/reconcile"
)

// The demo as a newcomer sees it: the first cycle does the work, the second
// has nothing left but the held cheque order, and adding the mapping
// releases it.
func TestDemo(t *testing.T) {
	var out, errs bytes.Buffer
	e := &env{stdout: &out, stderr: &errs, logger: slog.New(slog.DiscardHandler)}
	if code := cmdDemo(context.Background(), e); code != exitClean {
		t.Fatalf("demo exit %d, want %d\n%s\n%s", code, exitClean, out.String(), errs.String())
	}
	text := out.String()
	cycles := strings.Split(text, "== ")
	if len(cycles) != 4 {
		t.Fatalf("want 3 cycles in the demo's output:\n%s", text)
	}
	for _, want := range []string{"product   woocommerce  create  done    25", "product   nexopos      create  done    25",
		"order     nexopos      create  done    2", `held: woocommerce order`, `payment gateway "cheque" has no NexoPOS payment mapping`} {
		if !strings.Contains(cycles[1], want) {
			t.Errorf("first cycle lacks %q:\n%s", want, cycles[1])
		}
	}
	if !strings.Contains(cycles[2], "planned 0 writes") || !strings.Contains(cycles[2], `"cheque"`) || !strings.Contains(cycles[2], "outcome: drift") {
		t.Errorf("second cycle should plan nothing and keep the cheque order held:\n%s", cycles[2])
	}
	if !strings.Contains(cycles[3], "order  nexopos  create  done    1") || !strings.Contains(cycles[3], "outcome: clean") {
		t.Errorf("third cycle should import the released order:\n%s", cycles[3])
	}
}

// A cycle after the demo's plans nothing at all.
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
	cfg := s.config(t.TempDir())
	cfg.Payments.Mapping["cheque"] = "bank-payment"
	a, err := openApp(ctx, cfg, slog.New(slog.DiscardHandler), wiring{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	for i, want := range []reconcile.Outcome{reconcile.OutcomeClean, reconcile.OutcomeClean} {
		rep, err := a.rec.Run(ctx, reconcile.RunRequest{})
		if err != nil {
			t.Fatalf("cycle %d: %v", i+1, err)
		}
		if rep.Outcome != want || (i > 0 && len(rep.Plan.Ops) > 0) {
			var buf bytes.Buffer
			rep.Plan.WriteTable(&buf)
			writeResults(&buf, rep)
			t.Errorf("cycle %d: outcome %s with %d ops, want %s and none after the first:\n%s", i+1, rep.Outcome, len(rep.Plan.Ops), want, buf.String())
		}
	}
}
