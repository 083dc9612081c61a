package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
)

// sims are both simulators running on loopback, for demo, simulate and
// the end-to-end tests.
type sims struct {
	woo  *wcsim.Sim
	nexo *nexosim.Sim
}

// simOptions say how to start the simulators.
type simOptions struct {
	wooAddr, nexoAddr string // "" = 127.0.0.1:0
	latency           time.Duration
	nexoThrottle      bool // NexoPOS's production throttle of 80 requests a minute
}

func startSims(o simOptions) (*sims, error) {
	s := &sims{
		woo:  wcsim.New(wcsim.Options{Latency: o.latency}),
		nexo: nexosim.New(nexosim.Options{NoThrottle: !o.nexoThrottle, Latency: o.latency}),
	}
	if _, err := s.woo.Listen(orLoopback(o.wooAddr)); err != nil {
		return nil, fmt.Errorf("woocommerce simulator: %w", err)
	}
	if _, err := s.nexo.Listen(orLoopback(o.nexoAddr)); err != nil {
		s.woo.Close()
		return nil, fmt.Errorf("nexopos simulator: %w", err)
	}
	return s, nil
}

func orLoopback(addr string) string {
	if addr == "" {
		return "127.0.0.1:0"
	}
	return addr
}

func (s *sims) Close() {
	s.woo.Close()
	s.nexo.Close()
}

// config returns a configuration for the simulators with the state file in
// dir: the defaults, the simulators' URLs and keys, NexoPOS's defaults, and
// a payment mapping for bank transfer and cash on delivery (cheque is left
// unmapped on purpose: its orders are held).
func (s *sims) config(dir string) *config.Config {
	cfg := config.Default()
	key := s.woo.Key()
	cfg.WooCommerce.URL = s.woo.URL()
	cfg.WooCommerce.ConsumerKey = config.Secret(key.ConsumerKey)
	cfg.WooCommerce.ConsumerSecret = config.Secret(key.ConsumerSecret)
	cfg.NexoPOS.URL = s.nexo.URL()
	cfg.NexoPOS.Token = config.Secret(s.nexo.Token())
	cfg.NexoPOS.ServerLimitPerMinute = 100000
	cfg.NexoPOS.BudgetPerMinute = 100000
	d := s.nexo.Defaults()
	cfg.NexoPOS.Defaults = config.NexoPOSDefaults{Category: d.CategoryID, UnitGroup: d.UnitGroupID, Unit: d.UnitID,
		CustomerGroup: d.CustomerGroupID, Customer: d.CustomerID, Author: nexosim.AdminID}
	cfg.Payments.Mapping = map[string]string{"bacs": "bank-payment", "cod": "cash-payment"}
	cfg.State.Path = filepath.Join(dir, "woonexo.db")
	return cfg
}
