package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// Every way the loaded configuration can be printed shows "<secret>" and
// never a credential's value.
func TestSecretsNeverPrinted(t *testing.T) {
	cfg, err := LoadFile(filepath.Join("..", "..", "..", "config.example.yaml"), testEnv)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{}
	j, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	outputs["json"] = string(j)
	y, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	outputs["yaml"] = string(y)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		outputs[verb] = fmt.Sprintf(verb, cfg) + fmt.Sprintf(verb, *cfg) +
			fmt.Sprintf(verb, cfg.WooCommerce) + fmt.Sprintf(verb, cfg.NexoPOS.Token)
	}
	text, _ := cfg.NexoPOS.Token.MarshalText()
	outputs["text"] = string(text)
	outputs["string"] = cfg.WooCommerce.ConsumerSecret.String()

	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("loaded", "config", cfg, "woocommerce", cfg.WooCommerce, "token", cfg.NexoPOS.Token,
		slog.Any("key", cfg.WooCommerce.ConsumerKey))
	outputs["slog json"] = buf.String()
	buf.Reset()
	slog.New(slog.NewTextHandler(&buf, nil)).Info("loaded", "config", cfg, "token", cfg.NexoPOS.Token)
	outputs["slog text"] = buf.String()

	for name, out := range outputs {
		for _, s := range []string{testKey, testSecret, testToken} {
			if strings.Contains(out, s) {
				t.Errorf("%s output contains a secret value:\n%s", name, out)
			}
		}
		if !strings.Contains(out, redacted) && !strings.Contains(out, `\u003csecret\u003e`) {
			t.Errorf("%s output does not show %s:\n%s", name, redacted, out)
		}
	}
}

func TestSecretReveal(t *testing.T) {
	if got := Secret("x").Reveal(); got != "x" {
		t.Errorf("Reveal() = %q", got)
	}
}
