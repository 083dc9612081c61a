package main

import "context"

// cmdDaemon runs cycles on e.config.Schedule until ctx is cancelled and
// serves /metrics on e.config.Metrics.Address.
func cmdDaemon(ctx context.Context, e *env) int {
	return notAvailable(e, "the daemon")
}
