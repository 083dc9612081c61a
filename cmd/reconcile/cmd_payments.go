package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/connectors/nexopos"
	"github.com/woonexo/woonexo/connectors/woocommerce"
	"github.com/woonexo/woonexo/snapshot"
)

// paymentsView is what `reconcile payments` shows.
type paymentsView struct {
	Gateways []gatewayRow             `json:"gateways"`
	Types    []snapshot.PaymentMethod `json:"nexopos_payment_types"`
	// Unused lists the NexoPOS payment identifiers no gateway maps to.
	Unused []string `json:"unused_nexopos_identifiers"`
}

// gatewayRow is one WooCommerce gateway and what its orders become.
type gatewayRow struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Enabled bool   `json:"enabled"`
	// Identifier is the NexoPOS payment identifier its orders are paid
	// with; Via says why: "mapping", "same identifier", "created" (with
	// payments.create_missing) or "" (none: its orders are held).
	Identifier string `json:"nexopos_identifier,omitempty"`
	Via        string `json:"via,omitempty"`
	// Problem is set when the mapping names an identifier NexoPOS lacks.
	Problem string `json:"problem,omitempty"`
}

// cmdPayments lists WooCommerce gateways and NexoPOS payment types side by
// side with e.config.Payments.Mapping, in e.flags.output. It reads both
// systems only and does not open the state file, so it works while the
// daemon runs.
func cmdPayments(ctx context.Context, e *env) int {
	cfg := e.config
	wc, err := woocommerce.New(wooConfig(cfg, e.logger, wiring{}))
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: woocommerce: %v\n", err)
		return exitFailed
	}
	nc, err := nexopos.New(nexoConfig(cfg, e.logger, wiring{}))
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: nexopos: %v\n", err)
		return exitFailed
	}
	kinds := []snapshot.Kind{snapshot.KindPaymentMethod}
	ws, err := wc.ReadSnapshot(ctx, woocommerce.ReadOptions{Full: true, Kinds: kinds})
	if err == nil && ws.Failed[snapshot.KindPaymentMethod] != "" {
		err = fmt.Errorf("%s", ws.Failed[snapshot.KindPaymentMethod])
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: woocommerce gateways: %v\n", err)
		return exitFailed
	}
	ns, err := nc.ReadSnapshot(ctx, nexopos.ReadOptions{Full: true, Kinds: kinds})
	if err == nil && ns.Failed[snapshot.KindPaymentMethod] != "" {
		err = fmt.Errorf("%s", ns.Failed[snapshot.KindPaymentMethod])
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: nexopos payment types: %v\n", err)
		return exitFailed
	}
	v := paymentsOf(ws.PaymentMethods, ns.PaymentMethods, cfg.Payments)
	if e.flags.output == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(v)
	} else {
		err = writePayments(e.stdout, v)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "reconcile: %v\n", err)
		return exitFailed
	}
	return exitClean
}

// paymentsOf matches gateways to payment types the way the cycle does:
// the mapping first, then a type whose identifier is the gateway id, then
// a type created for it when payments.create_missing is on.
func paymentsOf(gateways, types []snapshot.PaymentMethod, p config.Payments) *paymentsView {
	v := &paymentsView{Gateways: []gatewayRow{}, Types: types, Unused: []string{}}
	if v.Types == nil {
		v.Types = []snapshot.PaymentMethod{}
	}
	known := map[string]bool{}
	for _, t := range types {
		known[t.Identifier] = true
	}
	used := map[string]bool{}
	for _, g := range gateways {
		row := gatewayRow{ID: string(g.ID), Title: g.Title, Enabled: g.Enabled}
		switch id, mapped := p.Mapping[string(g.ID)]; {
		case mapped:
			row.Identifier, row.Via = id, "mapping"
			if !known[id] {
				row.Problem = fmt.Sprintf("NexoPOS has no payment type %q", id)
			}
		case known[string(g.ID)]:
			row.Identifier, row.Via = string(g.ID), "same identifier"
		case p.CreateMissing && g.Enabled:
			row.Identifier, row.Via = string(g.ID), "created"
		}
		used[row.Identifier] = true
		v.Gateways = append(v.Gateways, row)
	}
	for _, t := range types {
		if !used[t.Identifier] {
			v.Unused = append(v.Unused, t.Identifier)
		}
	}
	sort.Strings(v.Unused)
	return v
}

func writePayments(w io.Writer, v *paymentsView) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WOOCOMMERCE GATEWAY\tTITLE\tENABLED\tNEXOPOS PAYMENT\tHOW")
	for _, g := range v.Gateways {
		id, via := g.Identifier, g.Via
		if id == "" {
			id, via = "-", "no mapping: its orders are held"
		}
		if g.Problem != "" {
			via += "; " + g.Problem
		}
		fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%s\n", g.ID, g.Title, g.Enabled, id, via)
	}
	fmt.Fprintln(tw, "\nNEXOPOS PAYMENT TYPE\tIDENTIFIER\tID\t\t")
	for _, t := range v.Types {
		fmt.Fprintf(tw, "%s\t%s\t%s\t\t\n", t.Title, t.Identifier, t.ID)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(v.Unused) > 0 {
		fmt.Fprintf(w, "\nNo gateway maps to: %v\n", v.Unused)
	}
	fmt.Fprintln(w, "\nMap a gateway in the configuration: payments.mapping: {<gateway id>: <NexoPOS identifier>}")
	return nil
}
