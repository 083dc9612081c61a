package wcsim

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// decodedFilter is _fields done the plain way: decode the object into a
// map, keep the named keys, encode the map again. apply must give the
// same bytes without decoding.
func decodedFilter(f *fieldFilter, obj []byte, keepLinks bool) []byte {
	if f == nil {
		return obj
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(obj, &m); err != nil {
		return obj
	}
	out := make(map[string]any, len(f.top)+len(f.nested)+1)
	for k := range f.top {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	for k, subs := range f.nested {
		if v, ok := m[k]; ok {
			out[k] = decodedNested(v, subs)
		}
	}
	if keepLinks {
		if v, ok := m["_links"]; ok {
			out["_links"] = v
		}
	}
	return encodeJSON(out)
}

func decodedNested(v json.RawMessage, subs []string) any {
	var arr []json.RawMessage
	if json.Unmarshal(v, &arr) == nil {
		out := make([]any, 0, len(arr))
		for _, e := range arr {
			out = append(out, decodedNested(e, subs))
		}
		return out
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(v, &obj) != nil {
		return v
	}
	inner := &fieldFilter{top: map[string]bool{}, nested: map[string][]string{}}
	for _, s := range subs {
		head, rest, dotted := strings.Cut(s, ".")
		if dotted {
			inner.nested[head] = append(inner.nested[head], rest)
		} else {
			inner.top[head] = true
		}
	}
	return json.RawMessage(decodedFilter(inner, v, false))
}

var fieldSpecs = []string{
	"", ",", "id", "nonexistent", "_links", "id,_links",
	"id,name,sku,type,status,description,regular_price,sale_price,categories,manage_stock,stock_quantity,date_modified_gmt",
	"id,name,parent,description", "id,email,first_name,last_name,role,billing,shipping,date_modified_gmt",
	"id,number,status,currency,total,shipping_total,shipping_tax,customer_id,billing,shipping," +
		"payment_method,payment_method_title,customer_note,meta_data,line_items,fee_lines,date_created_gmt,date_modified_gmt",
	"id,title,enabled", "environment,settings", "environment.version,settings.currency,settings.number_of_decimals",
	"meta_data.key", "meta_data.key,meta_data.value,meta_data", "meta_data.value,meta_data.value.a", "line_items.name,line_items.meta_data.key,line_items.taxes",
	"categories.id,categories.name.x,categories", "billing.email,billing.phone,shipping", "_links.self.href,_links.up",
	"date_modified,date_modified_gmt,date_modified.x", "stock_quantity.a,sale_price.b,downloads.c,tags.d",
}

// renderedAll is every record the store renders for the demo shop, and
// objects its encoder can write that no record has.
func renderedAll(t testing.TB) []any {
	s := New(Options{})
	if err := s.Seed("demo"); err != nil {
		t.Fatal(err)
	}
	base := "http://shop.test/wp-json/wc/v3/"
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []any
	for _, id := range s.st.productIDs {
		out = append(out, s.renderProduct(s.st.products[id], base, true), s.renderProduct(s.st.products[id], base, false))
	}
	for _, id := range s.st.categoryIDs {
		out = append(out, s.renderCategory(s.st.categories[id], base, 3))
	}
	for _, id := range s.st.userIDs {
		out = append(out, s.renderCustomer(s.st.users[id], base))
	}
	for _, id := range s.st.orderIDs {
		out = append(out, s.renderOrder(s.st.orders[id], base))
	}
	for _, g := range s.st.gateways {
		out = append(out, s.renderGateway(g, base))
	}
	return append(out, s.renderShipping(0, base), json.RawMessage(`{"a\"b":1,"\u2028":[null,{"x":"}"}],"é":{},"id":null}`),
		nil, []int{1}, map[string]any{}, (*productJSON)(nil))
}

func TestFieldsFilterKeepsDecodedOutput(t *testing.T) {
	recs := renderedAll(t)
	for _, spec := range fieldSpecs {
		f := parseFields(url.Values{"_fields": {spec}})
		for _, rec := range recs {
			obj := encodeJSON(rec)
			for _, links := range []bool{false, true} {
				want := decodedFilter(f, obj, links)
				if got := f.apply(obj, links); string(got) != string(want) {
					t.Fatalf("apply _fields=%s links=%v on %.120s:\n got %s\nwant %s", spec, links, obj, got, want)
				}
				if got := newRecordEncoder(f, links).appendRecord(nil, rec); string(got) != string(want) {
					t.Fatalf("appendRecord _fields=%s links=%v on %.120s:\n got %s\nwant %s", spec, links, obj, got, want)
				}
			}
		}
	}
}

func TestListResponseFiltersEachItem(t *testing.T) {
	var products []productJSON
	var want []string
	for _, rec := range renderedAll(t) {
		if p, ok := rec.(productJSON); ok {
			products = append(products, p)
		}
	}
	for _, spec := range append(fieldSpecs, "-") {
		q := url.Values{"_fields": {spec}}
		if spec == "-" {
			q = nil
		}
		f := parseFields(q)
		want = want[:0]
		for _, p := range products {
			want = append(want, string(decodedFilter(f, encodeJSON(p), false)))
		}
		if got := listResponse(q, nil, products).raw; string(got) != "["+strings.Join(want, ",")+"]" {
			t.Fatalf("_fields=%s: list %.300s", spec, got)
		}
	}
	if got := listResponse(nil, nil, []productJSON{}).raw; string(got) != "[]" {
		t.Errorf("empty list %s", got)
	}
}

// FuzzFieldsFilter checks apply against the decoding filter on any object
// the store's encoder can write.
func FuzzFieldsFilter(f *testing.F) {
	for _, spec := range fieldSpecs {
		f.Add(`{"id":1,"meta_data":[{"id":2,"key":"k","value":{"a":[1,{"key":null}]}}],"_links":{"self":[{"href":"x"}]}}`, spec)
	}
	f.Add(`{"b":{"a":"\u003c\u2029","c":[[{"a":1}]]},"a":[null,"s",true]}`, "b.a,a.x,b.c.a")
	f.Fuzz(func(t *testing.T, doc, spec string) {
		var v any
		if json.Unmarshal([]byte(doc), &v) != nil {
			return
		}
		obj := encodeJSON(v)
		fl := parseFields(url.Values{"_fields": {spec}})
		for _, links := range []bool{false, true} {
			if got, want := fl.apply(obj, links), decodedFilter(fl, obj, links); string(got) != string(want) {
				t.Fatalf("_fields=%q links=%v on %s:\n got %s\nwant %s", spec, links, obj, got, want)
			}
		}
	})
}

func BenchmarkFieldsFilterProduct(b *testing.B) {
	s := New(Options{})
	if err := s.Seed("100"); err != nil {
		b.Fatal(err)
	}
	p := s.renderProduct(s.st.products[s.st.productIDs[0]], "http://shop.test/wp-json/wc/v3/", true)
	f := parseFields(url.Values{"_fields": {fieldSpecs[6]}})
	b.Run("encoded", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f.apply(encodeJSON(p), false)
		}
	})
	b.Run("record", func(b *testing.B) {
		b.ReportAllocs()
		e := newRecordEncoder(f, false)
		var out []byte
		for b.Loop() {
			out = e.appendRecord(out[:0], &p)
		}
	})
}
