package main

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
	"github.com/woonexo/woonexo/connectors/nexopos"
	"github.com/woonexo/woonexo/connectors/woocommerce"
)

// The simulators accept their own keys; those are the known secret values
// every command must keep out of its output, its errors, its panics and
// the state file.

// simConfigYAML writes the configuration (*sims).config describes as a
// YAML file, the secrets inline, with the state file in a directory that
// does not exist yet (the command creates it).
func simConfigYAML(t *testing.T, s *sims, dir, extra string) (path, statePath string) {
	t.Helper()
	c := s.config(dir)
	statePath = filepath.Join(dir, "state", "woonexo.db")
	d := c.NexoPOS.Defaults
	var mapping strings.Builder
	for k, v := range c.Payments.Mapping {
		fmt.Fprintf(&mapping, "    %s: %s\n", k, v)
	}
	data := fmt.Sprintf(`woocommerce:
  url: %s
  consumer_key: %s
  consumer_secret: %s
nexopos:
  url: %s
  token: %q
  budget_per_minute: %d
  server_limit_per_minute: %d
  defaults:
    category: %d
    unit_group: %d
    unit: %d
    customer_group: %d
    customer: %d
    author: %d
payments:
  mapping:
%sstate:
  path: %s
%s`, c.WooCommerce.URL, c.WooCommerce.ConsumerKey.Reveal(), c.WooCommerce.ConsumerSecret.Reveal(),
		c.NexoPOS.URL, c.NexoPOS.Token.Reveal(), c.NexoPOS.BudgetPerMinute, c.NexoPOS.ServerLimitPerMinute,
		d.Category, d.UnitGroup, d.Unit, d.CustomerGroup, d.Customer, d.Author, mapping.String(), statePath, extra)
	path = filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, statePath
}

func simSecrets(s *sims) []string {
	k := s.woo.Key()
	tok := s.nexo.Token()
	out := []string{k.ConsumerKey, k.ConsumerSecret, tok}
	// The token's secret part alone ("<id>|<secret>") must not leak either.
	if _, sec, ok := strings.Cut(tok, "|"); ok {
		out = append(out, sec)
	}
	return out
}

// runCaught runs the program in-process, turning a panic into text that is
// checked like any other output.
func runCaught(args []string, env map[string]string) (code int, stdout, stderr, panicText string) {
	var out, errOut bytes.Buffer
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	func() {
		defer func() {
			if r := recover(); r != nil {
				panicText = fmt.Sprint(r)
			}
		}()
		code = run(context.Background(), args, strings.NewReader(""), &out, &errOut, lookup)
	}()
	return code, out.String(), errOut.String(), panicText
}

func assertNoSecret(t *testing.T, what, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			i := strings.Index(text, s)
			t.Errorf("%s contains a secret (…%s…)", what, text[max(0, i-60):i])
		}
	}
}

// TestSecretsNeverLeak runs every command against the simulators with their
// keys, at debug level and in both log formats, and greps everything.
func TestSecretsNeverLeak(t *testing.T) {
	if testing.Short() {
		t.Skip("runs full cycles against both simulators")
	}
	s, err := startSims(simOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := seedDemoShop(s); err != nil {
		t.Fatal(err)
	}
	secrets := simSecrets(s)
	dir := t.TempDir()
	cfg, statePath := simConfigYAML(t, s, dir, "")
	if b, _ := os.ReadFile(cfg); !strings.Contains(string(b), secrets[0]) || !strings.Contains(string(b), secrets[2]) {
		t.Fatal("the configuration does not carry the secrets the test looks for")
	}

	// A configuration whose systems refuse or cannot be reached, with the
	// same secrets: the errors must not carry them (URLs with query keys,
	// signed requests, echoed bodies).
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	badDir := t.TempDir()
	unreachable, _ := simConfigYAML(t, s, badDir, "")
	b, _ := os.ReadFile(unreachable)
	b = bytes.Replace(b, []byte(s.woo.URL()), []byte(closedURL), 1)
	_ = os.WriteFile(unreachable, b, 0o600)
	wrongDir := t.TempDir()
	wrongPath, _ := simConfigYAML(t, s, wrongDir, "")
	b, _ = os.ReadFile(wrongPath)
	b = bytes.Replace(b, []byte(s.woo.URL()), []byte(s.nexo.URL()), 1) // the NexoPOS server answering WooCommerce calls
	_ = os.WriteFile(wrongPath, b, 0o600)
	invalid := filepath.Join(t.TempDir(), "invalid.yaml")
	k := s.woo.Key()
	_ = os.WriteFile(invalid, []byte("woocommerce:\n  url: http://shop.example\n  consumer_key: "+k.ConsumerKey+
		"\n  consumer_secret: "+k.ConsumerSecret+"\n  unknown_key: "+k.ConsumerSecret+
		"\nnexopos:\n  url: https://user:"+s.nexo.Token()+"@pos.example\n  token: "+fmt.Sprintf("%q", s.nexo.Token())+"\n"), 0o600)

	runs := [][]string{
		{"--now", "--dry-run", "--config", cfg},
		{"--now", "--dry-run", "--output", "json", "--config", cfg},
		{"--now", "--config", cfg},
		{"--now", "--output", "json", "--config", cfg},
		{"--now", "--config", cfg, "--log-format", "json"},
		{"status", "--config", cfg},
		{"status", "--output", "json", "--config", cfg},
		{"payments", "--config", cfg},
		{"demo"},
		{"version"},
		{"--help"},
		{"status", "--help"},
		{"--now", "--config", invalid},
		{"--now", "--config", unreachable},
		{"--now", "--dry-run", "--config", wrongPath},
	}
	for _, args := range runs {
		all := append(append([]string{}, args...), "--log-level", "debug")
		if args[0] == "version" || strings.HasSuffix(args[len(args)-1], "help") {
			all = args
		}
		code, out, errOut, p := runCaught(all, nil)
		name := strings.Join(args, " ")
		t.Logf("%s: exit %d, %d+%d bytes of output", name, code, len(out), len(errOut))
		if p != "" {
			t.Errorf("%s panicked: %.200s", name, p)
		}
		assertNoSecret(t, name+": stdout", out, secrets)
		assertNoSecret(t, name+": stderr", errOut, secrets)
		assertNoSecret(t, name+": panic", p, secrets)
	}

	for _, p := range []string{statePath, filepath.Join(badDir, "state", "woonexo.db"), filepath.Join(wrongDir, "state", "woonexo.db")} {
		data, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		assertNoSecret(t, "state file "+p, string(data), secrets)
	}
	fi, err := os.Stat(statePath)
	if err != nil {
		t.Fatalf("no state file after --now: %v", err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("state file mode %o, want 600", perm)
	}
	di, err := os.Stat(filepath.Dir(statePath))
	if err != nil {
		t.Fatal(err)
	}
	if perm := di.Mode().Perm(); perm != 0o700 {
		t.Errorf("state directory mode %o, want 700", perm)
	}
}

// TestHTTPSRequiredForRemoteHosts: both clients refuse plain HTTP to a host
// that is not loopback, and so does the configuration.
func TestHTTPSRequiredForRemoteHosts(t *testing.T) {
	for _, u := range []string{"http://shop.example", "http://192.0.2.10:8080", "http://[2001:db8::1]"} {
		if _, err := woocommerce.New(woocommerce.Config{BaseURL: u, ConsumerKey: "ck_x", ConsumerSecret: "cs_x",
			AllowPlainHTTPLoopback: true}); err == nil {
			t.Errorf("woocommerce client accepted %s", u)
		}
		if _, err := nexopos.New(nexopos.Config{BaseURL: u, Token: "1|x"}); err == nil {
			t.Errorf("nexopos client accepted %s", u)
		}
		c := config.Default()
		c.WooCommerce.URL, c.NexoPOS.URL = u, u
		c.WooCommerce.ConsumerKey, c.WooCommerce.ConsumerSecret, c.NexoPOS.Token = "ck_x", "cs_x", "1|x"
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "https") {
			t.Errorf("configuration with %s: %v", u, err)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"} {
		if _, err := woocommerce.New(woocommerce.Config{BaseURL: u, ConsumerKey: "ck_x", ConsumerSecret: "cs_x",
			AllowPlainHTTPLoopback: true}); err != nil {
			t.Errorf("woocommerce client refused loopback %s: %v", u, err)
		}
		if _, err := nexopos.New(nexopos.Config{BaseURL: u, Token: "1|x"}); err != nil {
			t.Errorf("nexopos client refused loopback %s: %v", u, err)
		}
	}
}

// TestTLSVerified: a server whose certificate no trusted root signed is
// refused by both clients; naming its CA in the CA file option trusts it.
func TestTLSVerified(t *testing.T) {
	var hits int
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.URL.Path, "/wc/v3/") {
			_, _ = w.Write([]byte(`{"environment":{"version":"7.8.2"},"settings":{"currency":"EUR","number_of_decimals":2}}`))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()

	wc, err := woocommerce.New(woocommerce.Config{BaseURL: srv.URL, ConsumerKey: "ck_x", ConsumerSecret: "cs_x", Retry: &woocommerce.NoRetryDelay})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wc.Check(ctx); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("woocommerce: untrusted certificate accepted: %v", err)
	} else {
		assertNoSecret(t, "woocommerce TLS error", err.Error(), []string{"ck_x", "cs_x"})
	}
	wc, err = woocommerce.New(woocommerce.Config{BaseURL: srv.URL, ConsumerKey: "ck_x", ConsumerSecret: "cs_x", CAFile: ca, Retry: &woocommerce.NoRetryDelay})
	if err != nil {
		t.Fatal(err)
	}
	if info, err := wc.Check(ctx); err != nil || info.Version != "7.8.2" {
		t.Errorf("woocommerce with the CA file: %+v, %v", info, err)
	}

	nc, err := nexopos.New(nexopos.Config{BaseURL: srv.URL, Token: "1|x", Retry: nexopos.Retry{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	before := hits
	if _, err := nc.Check(ctx); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("nexopos: untrusted certificate accepted: %v", err)
	} else {
		assertNoSecret(t, "nexopos TLS error", err.Error(), []string{"1|x"})
	}
	if hits != before {
		t.Errorf("nexopos: a request reached the untrusted server")
	}
	nc, err = nexopos.New(nexopos.Config{BaseURL: srv.URL, Token: "1|x", CAFile: ca, Retry: nexopos.Retry{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = nc.Check(ctx)
	if hits == before {
		t.Errorf("nexopos with the CA file: no request reached the server (%v)", err)
	}
	if err != nil && strings.Contains(err.Error(), "certificate") {
		t.Errorf("nexopos with the CA file: %v", err)
	}
}
