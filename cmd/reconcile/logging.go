package main

import (
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/lmittmann/tint"
	"golang.org/x/term"
)

// newLogger builds the process's one logger: tint (human-readable,
// coloured) on a terminal, JSON otherwise, unless format ("pretty" or
// "json"; "auto" decides by terminal) says which. It is passed down
// explicitly; slog's default logger is never replaced.
func newLogger(w io.Writer, format string, level slog.Level, noColor bool) *slog.Logger {
	tty := isTerminal(w)
	if format == "pretty" || (format == "auto" && tty) {
		return slog.New(tint.NewHandler(w, &tint.Options{
			Level:      level,
			TimeFormat: time.TimeOnly,
			NoColor:    noColor || !tty,
		}))
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
