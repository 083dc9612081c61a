package threeway

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/woonexo/woonexo/snapshot"
)

// FuzzRenderPlan renders plans whose keys, names, reasons, fields and ids
// are arbitrary strings: neither the table nor the JSON may panic, and the
// JSON must stay valid with every top-level key.
func FuzzRenderPlan(f *testing.F) {
	f.Add("SKU-1", "Mug ☕", "deleted on woocommerce", "name", "42")
	f.Add("", "", "", "", "")
	f.Add("\x00\xff\xfe", "<script>alert(1)</script>", "\"quoted\"\n\ttab", "a.b", "-1")
	f.Add("كوب", "\u202eevil\u202c", "Robert'); DROP TABLE x;--", "\\", "9999999999999999999999")
	f.Fuzz(func(t *testing.T, key, name, reason, field, id string) {
		sid := snapshot.ID(id)
		p := Plan{
			Ops: []Op{
				{Seq: 1, Kind: snapshot.KindProduct, Action: ActionCreate, Target: snapshot.NexoPOS, WooID: sid, Key: key,
					Source: snapshot.Product{ID: sid, SKU: key, Name: name, Description: reason}, Reason: reason,
					Baseline: snapshot.Fields{field: name}},
				{Seq: 2, Kind: snapshot.KindProduct, Action: ActionUpdate, Target: snapshot.WooCommerce, WooID: sid, NexoID: sid,
					Key: key, Changes: []Change{{Field: field, Old: name, New: reason}}, Reason: reason},
				{Seq: 3, Kind: snapshot.KindOrder, Action: ActionCreate, Target: snapshot.NexoPOS, Key: key, Reason: reason,
					Order: &OrderPlan{Lines: []PlannedLine{{Name: name, SKU: key}}, PaymentIdentifier: field}},
			},
			Links:       []Link{{Kind: snapshot.KindProduct, Woo: sid, Nexo: sid}},
			Conflicts:   []Conflict{{Kind: snapshot.KindProduct, Woo: sid, Nexo: sid, Field: field, WooValue: name, NexoValue: reason, BaseValue: key}},
			Held:        []snapshot.Held{{Side: snapshot.WooCommerce, Kind: snapshot.KindProduct, ID: sid, Reason: reason, Class: field}},
			Ambiguities: []Ambiguity{{Kind: snapshot.KindProduct, Side: snapshot.NexoPOS, Key: key, IDs: []snapshot.ID{sid, sid}}},
			Refusals:    []Refusal{{Kind: snapshot.KindProduct, Reason: reason}},
			Flags:       []string{reason, name},
		}
		var table bytes.Buffer
		if err := p.WriteTable(&table); err != nil {
			t.Fatalf("table: %v", err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("json: %v", err)
		}
		if !json.Valid(b) {
			t.Fatalf("invalid JSON: %q", b)
		}
		var back map[string]any
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"ops", "links", "agreed", "conflicts", "held", "ambiguities", "refusals", "flags", "stats"} {
			if _, ok := back[k]; !ok {
				t.Fatalf("key %q missing from %s", k, b)
			}
		}
		if ops, _ := back["ops"].([]any); len(ops) != 3 {
			t.Fatalf("%d ops in JSON", len(ops))
		}
	})
}
