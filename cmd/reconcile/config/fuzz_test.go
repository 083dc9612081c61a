package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// FuzzLoad: Load never panics, and whatever yaml.v3's own strict decoder
// calls an unknown key, Load refuses too.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	seeds = append(seeds, filepath.Join("..", "..", "..", "config.example.yaml"))
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Load(data, testEnv)
		if err == nil {
			if cfg == nil {
				t.Fatal("nil config without error")
			}
			if verr := cfg.Validate(); verr != nil {
				t.Fatalf("Load accepted a config that does not validate: %v", verr)
			}
		}
		if strings.Contains(string(data), "$") {
			return // the strict decoder below sees unexpanded text
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		var strict Config
		var te *yaml.TypeError
		if derr := dec.Decode(&strict); errors.As(derr, &te) && err == nil {
			for _, m := range te.Errors {
				if strings.Contains(m, "not found in type") {
					t.Fatalf("yaml.v3 KnownFields reports %q but Load accepted the file", m)
				}
			}
		}
	})
}
