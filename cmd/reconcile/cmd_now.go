package main

import "context"

// cmdNow runs one cycle and returns its exit code: exitClean, exitDrift,
// exitRefused or exitFailed. With e.flags.dryRun it prints the plan in
// e.flags.output and writes nothing; e.flags.forceDeletions lifts the
// deletion limits for this run.
func cmdNow(ctx context.Context, e *env) int {
	if e.flags.dryRun {
		return notAvailable(e, "--now --dry-run")
	}
	return notAvailable(e, "--now")
}
