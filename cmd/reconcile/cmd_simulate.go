package main

import "context"

// cmdSimulate serves the WooCommerce and NexoPOS simulators on
// e.flags.wooCommerceAddr and e.flags.nexoPOSAddr, seeded with e.flags.seed,
// with e.flags.latency and e.flags.faults, until ctx is cancelled.
func cmdSimulate(ctx context.Context, e *env) int {
	return notAvailable(e, "simulate")
}
