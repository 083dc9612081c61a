package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
)

// flags holds every flag of every command; each command's FlagSet defines
// the ones it takes.
type flags struct {
	now            bool
	dryRun         bool
	forceDeletions bool
	full           bool
	bootstrap      bool
	output         string
	configPath     string
	logLevel       string
	logFormat      string

	// simulate
	wooCommerceAddr string
	nexoPOSAddr     string
	seed            string
	latency         time.Duration
	faults          string
}

// command is one thing reconcile can do.
type command struct {
	name        string // "" for the root command (daemon or --now)
	summary     string
	needsConfig bool
	define      func(fs *flag.FlagSet, f *flags, getenv func(string) string)
	run         func(ctx context.Context, e *env) int
}

func commands() []command {
	return []command{
		{name: "", needsConfig: true, define: defineRoot, run: runRoot,
			summary: "run as a daemon, or one cycle with --now"},
		{name: "status", needsConfig: true, define: defineStatus, run: cmdStatus,
			summary: "last cycles, drift, conflicts, held records, pending journal entries"},
		{name: "payments", needsConfig: true, define: definePayments, run: cmdPayments,
			summary: "WooCommerce gateways and NexoPOS payment types side by side, with the mapping"},
		{name: "demo", define: defineLogging, run: cmdDemo,
			summary: "a full cycle against built-in simulators of both systems"},
		{name: "simulate", define: defineSimulate, run: cmdSimulate,
			summary: "serve simulated WooCommerce and NexoPOS APIs on loopback"},
		{name: "version", define: func(*flag.FlagSet, *flags, func(string) string) {}, run: cmdVersion,
			summary: "print the version, commit and Go version"},
	}
}

// runRoot: without --now the daemon, with it one cycle.
func runRoot(ctx context.Context, e *env) int {
	if e.flags.bootstrap {
		return cmdBootstrap(ctx, e)
	}
	if e.flags.now {
		return cmdNow(ctx, e)
	}
	return cmdDaemon(ctx, e)
}

// pickCommand finds the command named by args[0]; a first argument that is
// a flag (or none) selects the root command. It returns nil for "help".
func pickCommand(args []string) (*command, []string, error) {
	cmds := commands()
	if len(args) == 0 || len(args[0]) > 0 && args[0][0] == '-' {
		return &cmds[0], args, nil
	}
	if args[0] == "help" {
		if len(args) > 1 { // help <command> is <command> --help
			for i := range cmds[1:] {
				if cmds[i+1].name == args[1] {
					return &cmds[i+1], []string{"--help"}, nil
				}
			}
			return nil, nil, fmt.Errorf("unknown command %q", args[1])
		}
		return nil, nil, nil
	}
	for i := range cmds[1:] {
		if cmds[i+1].name == args[0] {
			return &cmds[i+1], args[1:], nil
		}
	}
	return nil, nil, fmt.Errorf("unknown command %q", args[0])
}

func (c *command) flagSet(f *flags, getenv func(string) string) *flag.FlagSet {
	name := "reconcile"
	if c.name != "" {
		name += " " + c.name
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line by run
	fs.Usage = func() {}
	c.define(fs, f, getenv)
	return fs
}

func (c *command) writeHelp(w io.Writer, fs *flag.FlagSet) {
	if c.name == "" {
		writeUsage(w)
		return
	}
	fmt.Fprintf(w, "Usage: reconcile %s [flags]\n\n%s%s.\n", c.name, strings.ToUpper(c.summary[:1]), c.summary[1:])
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	fmt.Fprint(w, exitCodesHelp)
}

func defineConfig(fs *flag.FlagSet, f *flags, getenv func(string) string) {
	def := "config.yaml"
	if p := getenv("WOONEXO_CONFIG"); p != "" {
		def = p
	}
	fs.StringVar(&f.configPath, "config", def, "configuration `file` (the default is $WOONEXO_CONFIG when set)")
	defineLogging(fs, f, getenv)
}

func defineLogging(fs *flag.FlagSet, f *flags, _ func(string) string) {
	fs.StringVar(&f.logLevel, "log-level", "", "debug, info, warn or error (default: log.level, else info)")
	fs.StringVar(&f.logFormat, "log-format", "", "auto, pretty or json (default: log.format, else auto)")
}

func defineOutput(fs *flag.FlagSet, f *flags) {
	fs.StringVar(&f.output, "output", "table", "table or json")
}

func defineRoot(fs *flag.FlagSet, f *flags, getenv func(string) string) {
	fs.BoolVar(&f.now, "now", false, "run one cycle, then exit with its result")
	fs.BoolVar(&f.dryRun, "dry-run", false, "with --now: print the plan and write nothing anywhere")
	fs.BoolVar(&f.forceDeletions, "force-deletions", false, "with --now: apply deletions a safety check would refuse, for this run")
	fs.BoolVar(&f.bootstrap, "bootstrap", false, "check the NexoPOS defaults of the configuration, create the missing ones, print their ids, and exit")
	fs.BoolVar(&f.full, "full", false, "with --now: list every kind in full (confirms deletions), whatever the full-listing schedule says")
	defineOutput(fs, f)
	defineConfig(fs, f, getenv)
}

func defineStatus(fs *flag.FlagSet, f *flags, getenv func(string) string) {
	defineOutput(fs, f)
	defineConfig(fs, f, getenv)
}

func definePayments(fs *flag.FlagSet, f *flags, getenv func(string) string) {
	defineOutput(fs, f)
	defineConfig(fs, f, getenv)
}

func defineSimulate(fs *flag.FlagSet, f *flags, getenv func(string) string) {
	fs.StringVar(&f.wooCommerceAddr, "woocommerce", "127.0.0.1:8081", "listen `address` of the simulated WooCommerce")
	fs.StringVar(&f.nexoPOSAddr, "nexopos", "127.0.0.1:8082", "listen `address` of the simulated NexoPOS")
	fs.StringVar(&f.seed, "seed", "demo", "initial data: empty, demo, or a number of products")
	fs.DurationVar(&f.latency, "latency", 0, "added to every response, e.g. 50ms")
	fs.StringVar(&f.faults, "faults", "", "faults to inject, in the simulators' grammar, e.g. \"products:GET:429x3,orders:POST:reset@2\"")
	defineLogging(fs, f, getenv)
}

// check validates flag values and combinations; set holds the flags given.
func (f *flags) check(cmd string, set map[string]bool) error {
	if f.output != "" && f.output != "table" && f.output != "json" {
		return fmt.Errorf("--output: %q is not table or json", f.output)
	}
	if _, ok := config.ParseLevel(f.logLevel); f.logLevel != "" && !ok {
		return fmt.Errorf("--log-level: %q is not debug, info, warn or error", f.logLevel)
	}
	if f.logFormat != "" && !config.ValidFormat(f.logFormat) {
		return fmt.Errorf("--log-format: %q is not auto, pretty or json", f.logFormat)
	}
	switch cmd {
	case "":
		for _, name := range []string{"dry-run", "force-deletions", "full", "output"} {
			if set[name] && !f.now {
				return fmt.Errorf("--%s needs --now (the daemon takes neither)", name)
			}
		}
		if f.bootstrap && f.now {
			return fmt.Errorf("--bootstrap runs on its own, without --now")
		}
		if f.dryRun && f.forceDeletions {
			return fmt.Errorf("--force-deletions has no effect with --dry-run")
		}
	case "simulate":
		return f.checkSimulate()
	}
	return nil
}

func (f *flags) checkSimulate() error {
	for _, a := range []struct{ name, addr string }{{"woocommerce", f.wooCommerceAddr}, {"nexopos", f.nexoPOSAddr}} {
		if _, _, err := net.SplitHostPort(a.addr); err != nil {
			return fmt.Errorf("--%s: %q is not host:port", a.name, a.addr)
		}
	}
	if f.seed != "empty" && f.seed != "demo" {
		if n, err := strconv.Atoi(f.seed); err != nil || n < 1 {
			return fmt.Errorf("--seed: %q is not empty, demo or a positive number", f.seed)
		}
	}
	if f.latency < 0 {
		return fmt.Errorf("--latency: %s is negative", f.latency)
	}
	return nil
}
