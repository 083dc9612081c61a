package woocommerce

import (
	"encoding/json"
	"testing"
)

// FuzzSplitArray checks that splitting a list body gives the items, and
// the ids, that decoding it would.
func FuzzSplitArray(f *testing.F) {
	fuzzSeeds(f, "product_list", "category_list", "customer_list", "order_list")
	for _, s := range []string{`[]`, ` [ ] `, `null`, `{}`, `[1,"a\"]",null,{"x":[1,{"id":2}]}]`,
		"[\n {\"ID\" : 5 , \"id\":\"7\"},{\"i\\u0064\":3},{\"Id\":null},{\"iD\":[1]},{\"\u0131d\":9},{\"id\":1.5e3}\t]",
		`[{"id":12},{"id":12,"a":1},{"id":-1},{"categories":[],"id":4}]`, `[1,]`, `[{"id":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want []json.RawMessage
		err := json.Unmarshal(b, &want)
		got, ok := splitArray(b)
		if ok != (err == nil && want != nil) {
			t.Fatalf("split %q: ok %v, decode error %v items %v", b, ok, err, want)
		}
		if len(got) != len(want) {
			t.Fatalf("split %q: %d items, decoding gives %d", b, len(got), len(want))
		}
		for i := range got {
			if string(got[i]) != string(want[i]) {
				t.Fatalf("split %q: item %d %q, decoding gives %q", b, i, got[i], want[i])
			}
			wantID, wantOK := decodedID(want[i])
			if id, ok := itemID(got[i]); ok != wantOK || ok && id != wantID {
				t.Fatalf("id of %q: %q %v, decoding gives %q %v", got[i], id, ok, wantID, wantOK)
			}
		}
	})
}

// decodedID is itemID done by decoding, after the same leading-id shortcut
// (which takes the first of repeated "id" members).
func decodedID(it []byte) (string, bool) {
	const lead = `{"id":`
	if len(it) > len(lead) && string(it[:len(lead)]) == lead {
		n := len(lead)
		for n < len(it) && it[n] >= '0' && it[n] <= '9' {
			n++
		}
		if n > len(lead) && n < len(it) && (it[n] == ',' || it[n] == '}') {
			return string(it[len(lead):n]), true
		}
	}
	var head struct {
		ID raw `json:"id"`
	}
	if json.Unmarshal(it, &head) != nil || head.ID.missing() {
		return "", false
	}
	id, err := head.ID.text()
	return id, err == nil
}
