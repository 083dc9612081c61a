package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
)

// cmdSimulate serves the WooCommerce and NexoPOS simulators on
// e.flags.wooCommerceAddr and e.flags.nexoPOSAddr, seeded with e.flags.seed,
// with e.flags.latency and e.flags.faults (one spec, given to both), until
// ctx is cancelled. It prints their URLs, keys and a configuration to run
// reconcile against them.
func cmdSimulate(ctx context.Context, e *env) int {
	f := e.flags
	var wooFaults []wcsim.Fault
	var nexoFaults []nexosim.Fault
	if f.faults != "" {
		var err error
		if wooFaults, err = wcsim.ParseFaults(f.faults); err != nil {
			return usageError(e.stderr, fmt.Errorf("--faults: %w", err))
		}
		if nexoFaults, err = nexosim.ParseFaults(f.faults); err != nil {
			return usageError(e.stderr, fmt.Errorf("--faults: %w", err))
		}
	}
	s, err := startSims(simOptions{wooAddr: f.wooCommerceAddr, nexoAddr: f.nexoPOSAddr, latency: f.latency})
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: %v\n", err)
		return exitFailed
	}
	defer s.Close()
	if err := s.woo.Seed(f.seed); err != nil {
		fmt.Fprintf(e.stderr, "reconcile: seed the WooCommerce simulator: %v\n", err)
		return exitFailed
	}
	if err := s.nexo.Seed(f.seed); err != nil {
		fmt.Fprintf(e.stderr, "reconcile: seed the NexoPOS simulator: %v\n", err)
		return exitFailed
	}
	s.woo.SetFaults(wooFaults)
	s.nexo.SetFaults(nexoFaults)
	writeSimulateBanner(e.stdout, s, f.seed, f.faults)
	e.logger.Info("simulators serving; interrupt to stop", "woocommerce", s.woo.URL(), "nexopos", s.nexo.URL())
	<-ctx.Done()
	e.logger.Info("simulators stopped")
	return exitClean
}

// writeSimulateBanner prints the simulators' URLs and credentials and a
// configuration snippet pointing at them.
func writeSimulateBanner(w io.Writer, s *sims, seed, faults string) {
	cfg := s.config(".")
	fmt.Fprintf(w, "WooCommerce simulator: %s\n  consumer key:    %s\n  consumer secret: %s\n",
		s.woo.URL(), cfg.WooCommerce.ConsumerKey.Reveal(), cfg.WooCommerce.ConsumerSecret.Reveal())
	fmt.Fprintf(w, "NexoPOS simulator:     %s\n  token:           %s\n", s.nexo.URL(), cfg.NexoPOS.Token.Reveal())
	fmt.Fprintf(w, "Seed: %s", seed)
	if faults != "" {
		fmt.Fprintf(w, "; faults: %s", faults)
	}
	d := cfg.NexoPOS.Defaults
	var mapping []string
	for _, k := range sortedKeys(cfg.Payments.Mapping) {
		mapping = append(mapping, fmt.Sprintf("    %s: %s", k, cfg.Payments.Mapping[k]))
	}
	fmt.Fprintf(w, `

A configuration for them (save as config.yaml, then: reconcile --now --dry-run):

woocommerce:
  url: %s
  consumer_key: %s
  consumer_secret: %s
nexopos:
  url: %s
  token: %s
  # The simulator does not throttle unless asked; production NexoPOS allows 80 a minute.
  budget_per_minute: 80
  defaults:
    category: %d
    unit_group: %d
    unit: %d
    customer_group: %d
    customer: %d
    author: %d
payments:
  mapping:
%s
state:
  path: woonexo-simulated.db
schedule:
  cycle: "@every 1m"

Interrupt (Ctrl-C) to stop.
`, s.woo.URL(), cfg.WooCommerce.ConsumerKey.Reveal(), cfg.WooCommerce.ConsumerSecret.Reveal(), s.nexo.URL(),
		cfg.NexoPOS.Token.Reveal(), d.Category, d.UnitGroup, d.Unit, d.CustomerGroup, d.Customer, d.Author,
		strings.Join(mapping, "\n"))
}
