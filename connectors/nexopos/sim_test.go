package nexopos

import (
	"testing"

	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
)

// startSim starts a simulator and a client for it; both share clk.
func startSim(t *testing.T, opts nexosim.Options, cfg Config) (*nexosim.Sim, *Client) {
	t.Helper()
	clk := newFakeClock()
	if cfg.Clock != nil {
		clk = cfg.Clock.(*fakeClock)
	}
	if opts.Clock == nil {
		opts.Clock = clk.Now
	}
	sim := nexosim.New(opts)
	url, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	cfg.BaseURL, cfg.Token, cfg.Clock = url, sim.Token(), clk
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

func TestContractSimulator(t *testing.T) {
	_, c := startSim(t, nexosim.Options{}, Config{PaymentIdentifiers: []string{"cash-payment", "paypal"}})
	ctx := t.Context()
	rep, err := c.Bootstrap(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("bootstrap before: missing %v", rep.Missing())
	if len(rep.Missing()) == 0 {
		t.Fatal("an unconfigured client should miss its defaults")
	}
	rep, err = c.Bootstrap(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("after create: missing %v (%+v)", rep.Missing(), rep.Items)
	}
	rep, err = c.Bootstrap(ctx, false)
	if err != nil || !rep.OK() {
		t.Fatalf("bootstrap again: %v missing %v", err, rep.Missing())
	}
	runContract(t, contractEnv{client: c, prefix: testPrefix(t)})
}
