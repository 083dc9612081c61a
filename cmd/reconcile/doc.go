// Command reconcile keeps a WooCommerce store and a NexoPOS point of sale in
// agreement by polling both.
//
// This package is the outermost layer: it parses flags (one flag.FlagSet
// per command), loads the configuration (package config), builds the one
// *slog.Logger of the process and hands both, explicitly, to the command
// that runs. main only turns SIGINT/SIGTERM into context cancellation and
// calls run; run returns the exit code (exitcode.go).
//
// Each command lives in its own file (cmd_now.go, cmd_daemon.go, ...) as a
// function
//
//	func(ctx context.Context, e *env) int
//
// where env carries stdin, stdout, stderr, the logger, the loaded config
// (nil for commands that need none), the parsed flags and the process
// environment. A command whose engine does not exist yet says so plainly
// and exits 1.
package main
