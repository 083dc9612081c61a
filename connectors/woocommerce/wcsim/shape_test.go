package wcsim

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestShapeStrict: the fidelity comparison itself. Each row is a recorded
// value, the simulator's, and the error expected ("" = same shape).
func TestShapeStrict(t *testing.T) {
	for _, tt := range []struct{ name, want, got, err string }{
		{"values differ", `{"id":1,"name":"a"}`, `{"id":2,"name":"b"}`, ""},
		{"kind differs", `{"id":1}`, `{"id":"1"}`, "$.id: fixture number, simulator string"},
		{"null where the fixture has a value", `{"description":"x"}`, `{"description":null}`, "$.description: fixture string, simulator null"},
		{"value where the fixture has null", `{"tax_class":null}`, `{"tax_class":""}`, "$.tax_class: fixture null, simulator string"},
		{"nullable set", `{"stock_quantity":null}`, `{"stock_quantity":4}`, ""},
		{"nullable unset", `[{"date_paid":"2026-01-01T00:00:00"}]`, `[{"date_paid":null}]`, ""},
		{"nullable of the wrong kind", `{"stock_quantity":null}`, `{"stock_quantity":"4"}`, "$.stock_quantity: fixture null, simulator string"},
		{"missing key", `{"a":1,"b":2}`, `{"a":1}`, "$: missing [b], extra []"},
		{"extra key", `{"a":1}`, `{"a":1,"c":3}`, "$: missing [], extra [c]"},
		{"meta value kind", `{"meta_data":[{"id":1,"key":"k","value":{"hash":"x"}}]}`, `{"meta_data":[{"id":1,"key":"k","value":"x"}]}`,
			"$.meta_data[0].value: fixture object, simulator string"},
		{"gateway settings keys", `{"settings":{"title":{"id":"title"},"x":{"id":"x"}}}`, `{"settings":{"title":{"id":"title"}}}`,
			"$.settings: missing [x], extra []"},
		{"setting shape", `{"settings":{"title":{"id":"title","options":{}}}}`, `{"settings":{"title":{"id":"title"}}}`,
			"$.settings.title: missing [options]"},
		{"links keys", `{"_links":{"self":[{"href":"a"}],"collection":[{"href":"b"}]}}`, `{"_links":{"self":[{"href":"a"}]}}`,
			"$._links: missing [collection]"},
		{"link entry shape", `{"_links":{"self":[{"href":"a"}]}}`, `{"_links":{"self":[{"href":"a","embeddable":true}]}}`,
			"$._links.self[0]: missing [], extra [embeddable]"},
		{"up follows the parent", `{"parent":3,"_links":{"self":[{"href":"a"}],"up":[{"href":"u"}]}}`,
			`{"parent":0,"_links":{"self":[{"href":"a"}]}}`, ""},
		{"up without a parent", `{"parent":0,"_links":{"self":[{"href":"a"}]}}`,
			`{"parent":0,"_links":{"self":[{"href":"a"}],"up":[{"href":"u"}]}}`, `$._links: "up" present true with parent 0`},
		{"customer link missing", `{"customer_id":0,"_links":{"self":[{"href":"a"}]}}`,
			`{"customer_id":5,"_links":{"self":[{"href":"a"}]}}`, `"customer" present false with customer_id 5`},
		{"odd link entry", `{"customer_id":1,"_links":{"self":[{"href":"a"}],"customer":[{"href":"c"}]}}`,
			`{"customer_id":1,"_links":{"self":[{"href":"a"}],"customer":[{"url":"c"}]}}`, "$._links.customer[0]: missing [href], extra [url]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var want, got any
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tt.got), &got); err != nil {
				t.Fatal(err)
			}
			var errs []string
			shape("$", want, got, &errs)
			all := strings.Join(errs, "\n")
			if tt.err == "" && len(errs) != 0 || tt.err != "" && !strings.Contains(all, tt.err) {
				t.Errorf("errors %q, want %q", all, tt.err)
			}
		})
	}
}
