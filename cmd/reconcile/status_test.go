package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/snapshot"
	"github.com/woonexo/woonexo/snapshot/store"
)

// A scripted scenario through the daemon: the demo shop's held order, then
// a field changed differently on both sides (a conflict) and three linked
// products trashed in WooCommerce (deletions above max_delete, refused).
// The metrics are scraped over HTTP and `reconcile status --output json`
// is read both from the running daemon and from the state file.
func TestScenarioMetricsAndStatus(t *testing.T) {
	s, cfg := demoConfig(t, simOptions{})
	cfg.Safety.MaxDelete.Count = 1
	td := startDaemon(t, cfg, daemonOptions{})
	ctx := context.Background()

	td.d.tick(false) // first sync: links, creates, the cheque order held
	td.d.tick(false) // settles what the first sync wrote
	links := productLinks(t, td.d.app.state)
	if len(links) < 4 {
		t.Fatalf("%d product links after the first sync", len(links))
	}
	conflict := links[0]
	wooID, _ := strconv.Atoi(string(conflict.Woo))
	if err := s.woo.UpdateProduct(wooID, func(p *wcsim.Product) { p.Name = "Renamed online" }); err != nil {
		t.Fatal(err)
	}
	if _, err := td.d.app.nexo.SaveProduct(ctx, snapshot.Product{ID: conflict.Nexo, Name: "Renamed at the till"}, []string{"name"}); err != nil {
		t.Fatal(err)
	}
	for _, l := range links[1:4] {
		id, _ := strconv.Atoi(string(l.Woo))
		if err := s.woo.UpdateProduct(id, func(p *wcsim.Product) { p.Status = "trash" }); err != nil {
			t.Fatal(err)
		}
	}
	td.d.tick(true) // full listing: confirms the deletions

	fams := td.scrape()
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"woonexo_cycles_total", []string{"result", "drift"}, 2},
		{"woonexo_cycles_total", []string{"result", "refused"}, 1},
		{"woonexo_cycles_total", []string{"result", "failed"}, 0},
		{"woonexo_held_records", []string{"kind", "order", "class", "unmapped_payment"}, 1},
		{"woonexo_conflicts_total", []string{"kind", "product", "resolution", "nexopos"}, 1},
		{"woonexo_conflicts", []string{"kind", "product"}, 1},
		{"woonexo_deletions_refused", []string{"kind", "product", "side", "nexopos"}, 3},
		{"woonexo_drift_records", []string{"kind", "product", "side", "nexopos"}, 3},
		{"woonexo_drift_records", []string{"kind", "order", "side", "nexopos"}, 1},
		{"woonexo_journal_pending", nil, 0},
		{"woonexo_cycle_running", nil, 0},
	} {
		if got := metricValue(fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	for _, name := range []string{"woonexo_state_file_bytes", "woonexo_last_success_timestamp_seconds"} {
		if got := metricValue(fams, name); got <= 0 {
			t.Errorf("%s = %v, want > 0", name, got)
		}
	}
	if got := metricValue(fams, "woonexo_writes_total", "kind", "product", "side", "woocommerce", "op", "update", "result", "done"); got < 1 {
		t.Errorf("product updates done on WooCommerce = %v, want >= 1 (the conflict's winner)", got)
	}
	for _, sys := range []string{"woocommerce", "nexopos"} {
		if got := metricValue(fams, "woonexo_api_requests_total", "system", sys, "route_group", "products", "status", "200"); got < 1 {
			t.Errorf("%s product requests with 200 = %v", sys, got)
		}
	}
	assertBoundedLabels(t, fams)

	// status from the running daemon, over HTTP.
	live := statusJSON(t, cfg, td.addr)
	if live.Source != "daemon" || live.Daemon == nil || live.Daemon.NextCycle == nil {
		t.Errorf("status while running: source %q, daemon %+v", live.Source, live.Daemon)
	}
	assertScenarioStatus(t, live, conflict, cfg.NexoPOS.BudgetPerMinute)

	if code := td.stop(); code != exitClean {
		t.Fatalf("exit %d", code)
	}
	// status from the state file, read-only, once the daemon is gone.
	stored := statusJSON(t, cfg, "127.0.0.1:1")
	if stored.Source != "state_file" || stored.Daemon != nil {
		t.Errorf("status after stop: source %q, daemon %+v", stored.Source, stored.Daemon)
	}
	assertScenarioStatus(t, stored, conflict, cfg.NexoPOS.BudgetPerMinute)
	checkStateFile(t, cfg.State.Path)
}

func assertScenarioStatus(t *testing.T, v *statusView, conflict snapshot.Link, budget int) {
	t.Helper()
	if len(v.Cycles) != 3 || v.Cycles[0].Result != "refused" || !v.Cycles[0].Full || v.Cycles[1].Result != "drift" {
		t.Fatalf("cycles: %+v", v.Cycles)
	}
	first := v.Cycles[2]
	if first.Writes == 0 || first.Requests["woocommerce"] == 0 || first.Requests["nexopos"] == 0 || first.DurationSeconds <= 0 {
		t.Errorf("first cycle: writes %d, requests %v, duration %v", first.Writes, first.Requests, first.DurationSeconds)
	}
	if v.Drift["product/nexopos"] != 3 || v.Drift["order/nexopos"] != 1 {
		t.Errorf("drift: %v", v.Drift)
	}
	if len(v.Conflicts) != 1 {
		t.Fatalf("conflicts: %+v", v.Conflicts)
	}
	c := v.Conflicts[0]
	if c.Kind != snapshot.KindProduct || c.Field != "name" || c.Woo != conflict.Woo || c.Nexo != conflict.Nexo ||
		c.WooValue != "Renamed online" || c.NexoValue != "Renamed at the till" || c.Winner != "nexopos" {
		t.Errorf("conflict: %+v", c)
	}
	var held []snapshot.Held
	for _, h := range v.Held {
		if h.Kind == snapshot.KindOrder {
			held = append(held, h)
		}
	}
	if len(held) != 1 || held[0].Class != "unmapped_payment" || held[0].Side != snapshot.WooCommerce ||
		held[0].ID == "" || !strings.Contains(held[0].Reason, "cheque") {
		t.Errorf("held orders: %+v", held)
	}
	if len(v.Journal) != 0 {
		t.Errorf("journal: %+v", v.Journal)
	}
	// 3 products and 1 order still to write into NexoPOS: estimated at 2
	// requests a product (create and initial stock) and 1 an order, at the
	// configured budget.
	if p := v.FirstSync; p == nil || p.Remaining != 4 || p.Requests != 7 || p.BudgetPerMinute != budget ||
		p.ETASeconds != 7*60/float64(budget) {
		t.Errorf("writes into NexoPOS still to do: %+v", p)
	}
}

// statusJSON runs `reconcile status --output json` with the daemon's
// metrics address set to addr.
func statusJSON(t *testing.T, daemonCfg *config.Config, addr string) *statusView {
	t.Helper()
	cfg := *daemonCfg
	cfg.Metrics.Address = addr
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, config: &cfg, logger: slog.New(slog.DiscardHandler), flags: flags{output: "json"}}
	if code := cmdStatus(context.Background(), e); code != exitClean {
		t.Fatalf("status: exit %d:\n%s", code, stderr.String())
	}
	var v statusView
	if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
		t.Fatalf("status JSON: %v\n%s", err, stdout.String())
	}
	// The table form renders the same view without error.
	if err := writeStatus(&bytes.Buffer{}, &v, v.Generated); err != nil {
		t.Errorf("status table: %v", err)
	}
	return &v
}

func productLinks(t *testing.T, st *store.Store) []snapshot.Link {
	t.Helper()
	var links []snapshot.Link
	if err := st.View(func(tx *store.Tx) error {
		var err error
		links, err = tx.Links(snapshot.KindProduct)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return links
}

// assertBoundedLabels checks that no label value looks like a SKU, an id,
// a URL or a message.
func assertBoundedLabels(t *testing.T, fams map[string]*dto.MetricFamily) {
	t.Helper()
	for name, f := range fams {
		if !strings.HasPrefix(name, "woonexo_") {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				v := l.GetValue()
				if strings.ContainsAny(v, " :.@") || strings.HasPrefix(v, "DEMO") || len(v) > 30 {
					t.Errorf("%s{%s=%q}: unbounded-looking label", name, l.GetName(), v)
				}
			}
		}
	}
}
