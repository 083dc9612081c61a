package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/woonexo/woonexo/reconcile"
)

// writeResults prints what a cycle did, after its plan: writes per kind,
// side, action and status, every failed or skipped write with its reason,
// read failures, and the outcome.
func writeResults(w io.Writer, rep *reconcile.Report) error {
	fmt.Fprintf(w, "\nCycle %s: %s in %s (full listing: %v)\n", rep.RunID, rep.Outcome,
		rep.Duration().Round(1e6), rep.Full)
	if rep.JournalAdopted+rep.JournalReleased > 0 {
		fmt.Fprintf(w, "Interrupted creates from an earlier run: %d found and linked, %d planned again\n",
			rep.JournalAdopted, rep.JournalReleased)
	}
	if len(rep.Writes) > 0 {
		keys := make([]string, 0, len(rep.Writes))
		for k := range rep.Writes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "\nKIND\tTARGET\tACTION\tSTATUS\tCOUNT")
		for _, k := range keys {
			fmt.Fprintf(tw, "%s\t%d\n", strings.ReplaceAll(k, "/", "\t"), rep.Writes[k])
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	for _, r := range rep.Results {
		if r.Status != reconcile.StatusDone {
			fmt.Fprintf(w, "%s: %s %s %q on %s: %s\n", r.Status, r.Action, r.Kind, r.Key, r.Target, r.Error)
		}
	}
	for side, kinds := range rep.ReadFailures {
		for k, why := range kinds {
			fmt.Fprintf(w, "read failed: %s %s: %s\n", side, k, why)
		}
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(w, "error: %s\n", e)
	}
	return nil
}
