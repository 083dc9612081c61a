package main

import "context"

// cmdStatus prints the last cycles, drift, conflicts, held records and
// pending journal entries, in e.flags.output.
func cmdStatus(ctx context.Context, e *env) int {
	return notAvailable(e, "status")
}
