package main

import "context"

// cmdPayments lists WooCommerce gateways and NexoPOS payment types side by
// side with e.config.Payments.Mapping, in e.flags.output.
func cmdPayments(ctx context.Context, e *env) int {
	return notAvailable(e, "payments")
}
