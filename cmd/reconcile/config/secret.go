package config

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// redacted is what a Secret prints, whatever the printer.
const redacted = "<secret>"

// Secret is a credential read from the configuration. Every way of printing
// it — String, fmt verbs (%v, %+v, %#v, %s, %q, ...), slog, JSON, YAML and
// text marshalling — shows "<secret>"; only Reveal gives the value, for the
// one place that sends it to the remote system.
type Secret string

// Reveal returns the credential itself. Call it only to hand the value to
// an HTTP client.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer.
func (s Secret) String() string { return redacted }

// GoString implements fmt.GoStringer (%#v).
func (s Secret) GoString() string { return redacted }

// Format implements fmt.Formatter so that no verb prints the value.
func (s Secret) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON implements json.Marshaler.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(redacted) }

// MarshalYAML implements yaml.Marshaler.
func (s Secret) MarshalYAML() (any, error) { return redacted, nil }

// MarshalText implements encoding.TextMarshaler.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
