package main

import "context"

// cmdDemo runs a full cycle, then a second one, against both simulators
// in-process, seeded with a small shop. It needs no configuration.
func cmdDemo(ctx context.Context, e *env) int {
	return notAvailable(e, "demo")
}
