package woocommerce

import (
	"encoding/json"
	"maps"
	"testing"
)

// FuzzRawObject checks that reading an object's members gives what
// decoding it into a map of raw values gives.
func FuzzRawObject(f *testing.F) {
	fuzzSeeds(f, "product_get", "order_get", "customer_get")
	for _, s := range []string{`{}`, ` { } `, `null`, ``, `[]`, `"x"`, `1`, `{"a":1,"a":{"b":[1, 2]}}`,
		"{\"\\u0069d\" : \"7\" ,\n\"k\\\"\":null,\"\xff\":true}", `{"a":1`, `{"a":1,}`, `{"ID":1,"id":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := raw(b).object()
		want := map[string]raw{}
		var werr error
		if !raw(b).missing() {
			if json.Unmarshal(b, &want) != nil {
				want, werr = nil, errType
			}
		}
		if (err == nil) != (werr == nil) || !maps.EqualFunc(got, want, func(a, b raw) bool { return string(a) == string(b) }) {
			t.Fatalf("object(%q) = %q, %v; decoding gives %q, %v", b, got, err, want, werr)
		}
	})
}
