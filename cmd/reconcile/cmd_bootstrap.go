package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/woonexo/woonexo/connectors/nexopos"
)

// cmdBootstrap checks every NexoPOS default the configuration names (and
// the payment identifiers of the mapping), creates the missing ones, and
// prints what it found and made, with the ids to put in nexopos.defaults.
// Exit 0 when every default is present afterwards, 1 otherwise.
func cmdBootstrap(ctx context.Context, e *env) int {
	nc, err := nexopos.New(nexoConfig(e.config, e.logger, wiring{}))
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: nexopos: %v\n", err)
		return exitFailed
	}
	rep, err := nc.Bootstrap(ctx, true)
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: %v\n", err)
		return exitFailed
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DEFAULT\tID\tSTATE\tPROBLEM")
	for _, it := range rep.Items {
		state := "found"
		switch {
		case it.Created:
			state = "created"
		case !it.Found:
			state = "missing"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", it.Name, orDash(string(it.ID)), state, it.Problem)
	}
	tw.Flush()
	d := nc.Defaults()
	fmt.Fprintf(e.stdout, "\nnexopos:\n  defaults:\n")
	for _, kv := range []struct{ key, id string }{{"category", string(d.CategoryID)}, {"unit_group", string(d.UnitGroupID)},
		{"unit", string(d.UnitID)}, {"tax_group", string(d.TaxGroupID)}, {"customer_group", string(d.CustomerGroupID)},
		{"customer", string(d.CustomerID)}} {
		if kv.id != "" {
			fmt.Fprintf(e.stdout, "    %s: %s\n", kv.key, kv.id)
		}
	}
	if missing := rep.Missing(); len(missing) > 0 {
		fmt.Fprintf(e.stderr, "reconcile: still missing in NexoPOS: %v\n", missing)
		return exitFailed
	}
	return exitClean
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
