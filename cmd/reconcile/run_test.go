package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Credentials used by the tests: they must never be printed.
const (
	fileKey    = "ck_1111aaaa2222bbbb3333cccc4444dddd5555eeee"
	fileSecret = "cs_9999ffff8888eeee7777dddd6666cccc5555bbbb"
	envToken   = "42|Zq8Lr2Vt6Xw0Ys4Ua1Pb5Nc9Md3Ke7Jf"
)

var secretValues = []string{fileKey, fileSecret, envToken}

type result struct {
	code           int
	stdout, stderr string
}

func runWith(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr, lookup)
	return result{code, stdout.String(), stderr.String()}
}

// writeConfig writes a valid configuration with two credentials in the
// file and one from the environment, and returns its path.
func writeConfig(t *testing.T, extra string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	data := "woocommerce:\n  url: https://shop.example\n  consumer_key: " + fileKey + "\n  consumer_secret: " + fileSecret + "\n" +
		"nexopos:\n  url: http://127.0.0.1:8080\n  token: ${NEXOPOS_TOKEN}\n" + extra
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

var testEnv = map[string]string{"NEXOPOS_TOKEN": envToken}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		r := runWith(t, nil, args...)
		if r.code != exitClean {
			t.Errorf("%v: exit %d", args, r.code)
		}
		for _, want := range []string{"Exit codes:", "0  clean", "1  failed", "2  usage or configuration error",
			"3  refused by a safety check", "4  drift left", "Examples:", "--now --dry-run", "reconcile status", "reconcile demo"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%v: help lacks %q:\n%s", args, want, r.stdout)
			}
		}
	}
}

func TestCommandHelp(t *testing.T) {
	for _, args := range [][]string{{"status", "--help"}, {"help", "simulate"}, {"payments", "-h"}} {
		r := runWith(t, nil, args...)
		if r.code != exitClean || !strings.Contains(r.stdout, "Usage: reconcile ") {
			t.Errorf("%v: exit %d\n%s", args, r.code, r.stdout)
		}
		if !strings.Contains(r.stdout, "Exit codes:") {
			t.Errorf("%v: no exit codes:\n%s", args, r.stdout)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	cfg := writeConfig(t, "")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "reconcile: flag provided but not defined: -bogus (see reconcile --help)"},
		{[]string{"status", "--now"}, "flag provided but not defined: -now"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"help", "frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"--now", "extra"}, `unexpected argument "extra"`},
		{[]string{"--dry-run", "--config", cfg}, "--dry-run needs --now"},
		{[]string{"--force-deletions"}, "--force-deletions needs --now"},
		{[]string{"--output", "json"}, "--output needs --now"},
		{[]string{"--now", "--output", "xml"}, `--output: "xml" is not table or json`},
		{[]string{"--now", "--log-level", "loud"}, `--log-level: "loud" is not debug, info, warn or error`},
		{[]string{"demo", "--log-format", "xml"}, `--log-format: "xml" is not auto, pretty or json`},
		{[]string{"simulate", "--seed", "lots"}, `--seed: "lots" is not empty, demo or a positive number`},
		{[]string{"simulate", "--woocommerce", "8081"}, `--woocommerce: "8081" is not host:port`},
		{[]string{"simulate", "--latency", "-1s"}, `--latency: -1s is negative`},
		{[]string{"simulate", "--latency", "soon"}, `invalid value "soon" for flag -latency`},
	}
	for _, c := range cases {
		r := runWith(t, testEnv, c.args...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d", c.args, r.code, exitUsage)
		}
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: stderr %q lacks %q", c.args, r.stderr, c.want)
		}
		if n := strings.Count(strings.TrimSpace(r.stderr), "\n"); n != 0 {
			t.Errorf("%v: usage error is %d lines, want one:\n%s", c.args, n+1, r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("%v: stdout %q", c.args, r.stdout)
		}
	}
}

func TestBadConfig(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	data := "woocommerce:\n  url: http://shop.example\n  consumer_key: " + fileKey + "\n  consumer_secret: " + fileSecret + "\n" +
		"  concurrenc: 3\nnexopos:\n  url: https://pos.example\n  token: ${NEXOPOS_TOKEN}\n  budget_per_minute: 100\n"
	if err := os.WriteFile(bad, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--config", bad}, {"--now", "--config", bad}, {"status", "--config", bad}, {"payments", "--config", bad}} {
		r := runWith(t, testEnv, args...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, r.code, exitUsage)
		}
		if want := "reconcile: " + bad + `:5: woocommerce.concurrenc: unknown key; did you mean "concurrency"?`; !strings.Contains(r.stderr, want) {
			t.Errorf("%v: stderr lacks %q:\n%s", args, want, r.stderr)
		}
		for _, want := range []string{
			"reconcile: " + bad + `:2: woocommerce.url: "http://shop.example" is not https; plain HTTP is only allowed for loopback`,
			"reconcile: " + bad + `:9: nexopos.budget_per_minute: 100 is out of range; expected 1 to 80 (NexoPOS throttles clients above 80 requests a minute; see server_limit_per_minute)`,
		} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%v: stderr lacks %q:\n%s", args, want, r.stderr)
			}
		}
		assertNoSecrets(t, "bad config", r)
	}
	// The same problems, one fewer line, once the unknown key is fixed.
	fixed := strings.Replace(data, "  concurrenc: 3\n", "", 1)
	if err := os.WriteFile(bad, []byte(fixed), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runWith(t, testEnv, "--now", "--dry-run", "--config", bad)
	for _, want := range []string{
		"reconcile: " + bad + `:2: woocommerce.url: "http://shop.example" is not https; plain HTTP is only allowed for loopback`,
		"reconcile: " + bad + `:8: nexopos.budget_per_minute: 100 is out of range; expected 1 to 80`,
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != exitUsage {
		t.Errorf("exit %d, want %d", r.code, exitUsage)
	}
	assertNoSecrets(t, "bad config", r)
}

func TestMissingConfig(t *testing.T) {
	t.Chdir(t.TempDir())
	r := runWith(t, nil, "--now")
	if r.code != exitUsage || !strings.Contains(r.stderr, "config.yaml: no such file") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	// $WOONEXO_CONFIG names the file when --config is not given.
	cfg := writeConfig(t, "")
	env := map[string]string{"WOONEXO_CONFIG": cfg} // NEXOPOS_TOKEN unset: the named file is read
	if r := runWith(t, env, "--now"); r.code != exitUsage || !strings.Contains(r.stderr, cfg) {
		t.Errorf("with WOONEXO_CONFIG: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestUnsetEnvInConfig(t *testing.T) {
	cfg := writeConfig(t, "")
	r := runWith(t, nil, "--now", "--config", cfg)
	if want := ":7: nexopos.token: environment variable NEXOPOS_TOKEN is not set"; r.code != exitUsage || !strings.Contains(r.stderr, want) {
		t.Errorf("exit %d, stderr lacks %q:\n%s", r.code, want, r.stderr)
	}
}

func TestVersion(t *testing.T) {
	r := runWith(t, nil, "version")
	if r.code != exitClean || !strings.Contains(r.stdout, "reconcile ") || !strings.Contains(r.stdout, "commit ") ||
		!strings.Contains(r.stdout, runtime.Version()) {
		t.Errorf("exit %d, stdout:\n%s", r.code, r.stdout)
	}
}

// At debug level the loaded configuration is logged, redacted; the
// commands that reach the systems are checked for leaks against the
// simulators in security_test.go.
func TestDebugLogRedactsConfig(t *testing.T) {
	cfg := writeConfig(t, "log:\n  level: debug\n")
	for _, format := range []string{"json", "pretty"} {
		r := runWith(t, map[string]string{}, "--now", "--config", cfg, "--log-format", format)
		if r.code != exitUsage || !strings.Contains(r.stderr, "NEXOPOS_TOKEN is not set") {
			t.Errorf("%s: exit %d, stderr:\n%s", format, r.code, r.stderr)
		}
		assertNoSecrets(t, format, r)
	}
	bad := writeConfig(t, "log:\n  level: debug\n")
	data, _ := os.ReadFile(bad)
	data = []byte(strings.Replace(string(data), "https://shop.example", "http://127.0.0.1:1", 1))
	if err := os.WriteFile(bad, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r := runWith(t, testEnv, "--now", "--dry-run", "--config", bad, "--log-format", "json")
	if !strings.Contains(r.stderr, `"msg":"configuration loaded"`) || !strings.Contains(r.stderr, `\u003csecret\u003e`) {
		t.Errorf("debug log lacks the redacted configuration:\n%s", r.stderr)
	}
	if r.code != exitFailed {
		t.Errorf("unreachable store: exit %d, want %d", r.code, exitFailed)
	}
	assertNoSecrets(t, "unreachable store", r)
}

func assertNoSecrets(t *testing.T, name string, r result) {
	t.Helper()
	for _, s := range secretValues {
		if strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s) {
			t.Errorf("%s: output contains a secret value:\nstdout:\n%s\nstderr:\n%s", name, r.stdout, r.stderr)
		}
	}
}
