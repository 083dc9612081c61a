package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
)

// --bootstrap creates the NexoPOS defaults a configuration lacks and then
// finds them all; the ids it prints are the ones NexoPOS now holds.
func TestBootstrapCreatesMissingDefaults(t *testing.T) {
	s, err := startSims(simOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	cfg := s.config(t.TempDir())
	cfg.NexoPOS.Defaults = config.NexoPOSDefaults{}
	cfg.Payments.Mapping["paypal"] = "paypal-payment"

	run := func() (int, string, string) {
		var out, errs bytes.Buffer
		e := &env{stdout: &out, stderr: &errs, logger: slog.New(slog.DiscardHandler), config: cfg}
		return cmdBootstrap(context.Background(), e), out.String(), errs.String()
	}
	code, out, errs := run()
	if code != exitClean || !strings.Contains(out, "created") || !strings.Contains(out, "payment paypal-payment") {
		t.Fatalf("first run: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "  defaults:\n    category: ") || !strings.Contains(out, "    customer: ") {
		t.Errorf("no defaults snippet:\n%s", out)
	}
	found := false
	for _, p := range s.nexo.PaymentTypes() {
		found = found || p.Identifier == "paypal-payment"
	}
	if !found {
		t.Error("the mapped payment type was not created in NexoPOS")
	}
	// With the configuration's own (existing) ids everything is found.
	cfg = s.config(t.TempDir())
	code, out, errs = run()
	if code != exitClean || strings.Contains(out, "created") || strings.Contains(out, "missing") {
		t.Errorf("second run with existing defaults: exit %d\n%s\n%s", code, out, errs)
	}
}
