package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// cmdVersion prints the module version, the commit it was built from and
// the Go version.
func cmdVersion(_ context.Context, e *env) int {
	version, commit := "unknown", "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		var modified bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified {
			commit += " (modified)"
		}
	}
	fmt.Fprintf(e.stdout, "reconcile %s\ncommit %s\n%s %s/%s\n", version, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitClean
}
