package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
)

// env is what every command receives: its I/O, the process's logger and
// environment, the parsed flags and, for commands that need one, the loaded
// configuration.
type env struct {
	stdin      io.Reader
	stdout     io.Writer
	stderr     io.Writer
	logger     *slog.Logger
	config     *config.Config // nil unless the command loads one
	configPath string
	flags      flags
	getenv     func(string) string
	lookupEnv  func(string) (string, bool)
}

// run is the whole program: it returns the exit code instead of exiting,
// so tests call it in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) int {
	getenv := func(k string) string { v, _ := lookupEnv(k); return v }
	cmd, rest, err := pickCommand(args)
	if err != nil {
		return usageError(stderr, err)
	}
	if cmd == nil { // "help"
		writeUsage(stdout)
		return exitClean
	}
	f := flags{}
	fs := cmd.flagSet(&f, getenv)
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			cmd.writeHelp(stdout, fs)
			return exitClean
		}
		return usageError(stderr, err)
	}
	if fs.NArg() > 0 {
		return usageError(stderr, fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if err := f.check(cmd.name, set); err != nil {
		return usageError(stderr, err)
	}
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, flags: f, getenv: getenv, lookupEnv: lookupEnv}
	level, format := slog.LevelInfo, "auto"
	if cmd.needsConfig {
		e.configPath = f.configPath
		e.config, err = config.LoadFile(f.configPath, lookupEnv)
		if err != nil {
			printConfigError(stderr, err)
			return exitUsage
		}
		level, format = e.config.Log.SlogLevel(), e.config.Log.Format
	}
	if f.logLevel != "" {
		level, _ = config.ParseLevel(f.logLevel)
	}
	if f.logFormat != "" {
		format = f.logFormat
	}
	e.logger = newLogger(stderr, format, level, getenv("NO_COLOR") != "")
	if e.config != nil {
		e.logger.Debug("configuration loaded", "path", e.configPath, "config", e.config)
	}
	return cmd.run(ctx, e)
}

// usageError prints a one-line message and returns exitUsage.
func usageError(w io.Writer, err error) int {
	fmt.Fprintf(w, "reconcile: %v (see reconcile --help)\n", err)
	return exitUsage
}

// printConfigError prints each configuration problem on its own line.
func printConfigError(w io.Writer, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(w, "reconcile: %s\n", line)
	}
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(w, "reconcile: copy config.example.yaml to config.yaml, or pass --config or set WOONEXO_CONFIG")
	}
}
