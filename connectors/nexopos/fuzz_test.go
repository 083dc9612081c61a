package nexopos

import (
	"strings"
	"testing"
	"time"
)

func FuzzDecodeCustomer(f *testing.F) {
	f.Add([]byte(`{"id":4,"email":"a@example.com","first_name":"Not Defined","billing":{"pobox":"1000"},"updated_at":"2025-05-01 09:11:12"}`))
	f.Add([]byte(`{"id":"x","email":["a"]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var d customerDTO
		if err := unmarshalNamed(b, &d); err != nil {
			if strings.TrimSpace(reason(err)) == "" {
				t.Fatal("decode error without a reason")
			}
			return
		}
		c := customerFromDTO(d, time.UTC)
		if c.ID != "" && c.ID[0] == '0' {
			t.Fatalf("id %q keeps a leading zero", c.ID)
		}
	})
}

func FuzzDecodeCategory(f *testing.F) {
	f.Add([]byte(`{"id":2,"name":"Bread","parent_id":1,"description":null,"updated_at":"2025-05-01T09:11:12.000000Z"}`))
	f.Add([]byte(`{"id":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCategory(b, time.UTC)
		if err == nil && c.ID == "" {
			t.Fatal("category without an id accepted")
		}
	})
}

// FuzzUnmarshalNamed: the field a decode error names is a key of the
// object.
func FuzzUnmarshalNamed(f *testing.F) {
	f.Add([]byte(`{"id":1,"product_id":2,"unit_id":3,"sale_price":"abc"}`))
	f.Add([]byte(`{"id":1,"quantity":{"a":1}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var r unitRowDTO
		err := unmarshalNamed(b, &r)
		if err == nil {
			return
		}
		msg := err.Error()
		if q, ok := strings.CutPrefix(msg, "field "); ok && !strings.HasPrefix(q, `"`) {
			t.Fatalf("unquoted field name in %q", msg)
		}
	})
}
