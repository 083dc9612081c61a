package woocommerce

import (
	"encoding/json"
	"testing"
)

func FuzzDecodeCategory(f *testing.F) {
	fuzzSeeds(f, "category_get", "category_create")
	f.Add([]byte(`{"id":3,"name":"A &amp; B","parent":"2","description":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, h := DecodeCategory(b)
		checkDecoded(t, c.ID, h)
	})
}

func FuzzDecodePaymentMethod(f *testing.F) {
	f.Add([]byte(`{"id":"bacs","title":"Direct bank transfer","enabled":true}`))
	f.Add([]byte(`{"id":"","title":null,"enabled":"yes"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, h := DecodePaymentMethod(b)
		checkDecoded(t, m.ID, h)
	})
}

// FuzzListPage is the paginator's side of a listing: a page body becomes
// items (or a transient error), each id kept once, never more items than
// the page held.
func FuzzListPage(f *testing.F) {
	fuzzSeeds(f, "product_list", "category_list", "customer_list", "order_list")
	f.Add([]byte(`[{"id":1},{"id":1},{"id":"2"},{"x":1},null]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		items, err := decodeArray("list", b)
		if err != nil {
			if KindOf(err) != KindTransient {
				t.Fatalf("list body error of kind %q: %v", KindOf(err), err)
			}
			return
		}
		out := dedupe(items)
		if len(out) > len(items) {
			t.Fatalf("dedupe grew %d items to %d", len(items), len(out))
		}
		seen := map[string]bool{}
		for _, it := range out {
			if id, ok := itemID(it); ok {
				if seen[id] {
					t.Fatalf("id %s kept twice", id)
				}
				seen[id] = true
			}
			if !json.Valid(it) {
				t.Fatalf("item %q is not JSON", it)
			}
		}
		if _, err := notShort("list", out, len(out)+1); err == nil {
			t.Fatal("a short listing passed")
		}
	})
}
