package wcsim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzListQuery sends arbitrary query strings to the lists the client
// reads. The store must not panic and must answer as WooCommerce does: 200
// with a JSON array and the paging headers, or 400 with a WooCommerce
// error body; 401 only when the query carries keys of its own.
func FuzzListQuery(f *testing.F) {
	s := New(Options{AllowBasicOverHTTP: true})
	if err := s.Seed("demo"); err != nil {
		f.Fatal(err)
	}
	routes := []string{"products", "orders", "customers", "products/categories", "payment_gateways", "shipping_methods"}
	for _, q := range []string{
		"", "per_page=100&page=1&orderby=id&order=asc&context=edit&_fields=id,name,sku,date_modified_gmt",
		"per_page=0", "per_page=101", "per_page=-1&page=-3", "page=99999999999999999999", "offset=5&per_page=2",
		"modified_after=2026-11-28T03:55:00&dates_are_gmt=true", "modified_after=yesterday", "after=2026-13-45T99:99:99",
		"include=1,2,x&exclude=%00", "orderby=nonsense&order=sideways", "status=any", "status=trash,publish", "sku=DEMO-001,DEMO-002",
		"role=all&email=jane.doe@example.com", "search=%E2%80%AE&_fields=a.b.c,,", "parent=-1&category=x", "_fields[]=id&per_page[]=3",
		"context=view&type=simple&stock_status=instock&slug=tee-1", "%zz=%zz&&==&;", "dates_are_gmt=maybe&modified_before=0",
		"consumer_key=ck_x&consumer_secret=cs_y",
	} {
		for i := range routes {
			f.Add(uint8(i), q)
		}
	}
	k := s.Key()
	h := s.Handler()
	f.Fuzz(func(t *testing.T, route uint8, query string) {
		u := "http://127.0.0.1/wp-json/wc/v3/" + routes[int(route)%len(routes)]
		req := httptest.NewRequest(http.MethodGet, u, nil)
		req.URL.RawQuery = query
		req.SetBasicAuth(k.ConsumerKey, k.ConsumerSecret)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.Bytes()
		switch rec.Code {
		case http.StatusOK:
			var items []json.RawMessage
			if err := json.Unmarshal(body, &items); err != nil || items == nil {
				t.Fatalf("200 to %s?%s is not a JSON array: %v: %.200s", u, query, err, body)
			}
			paged := routes[int(route)%len(routes)] != "payment_gateways" && routes[int(route)%len(routes)] != "shipping_methods"
			if paged && (rec.Header().Get("X-WP-Total") == "" || rec.Header().Get("X-WP-TotalPages") == "") {
				t.Fatalf("200 to %s?%s without paging headers: %v", u, query, rec.Header())
			}
		case http.StatusBadRequest, http.StatusUnauthorized:
			if rec.Code == http.StatusUnauthorized && !strings.Contains(query, "consumer_") && !strings.Contains(query, "oauth_") {
				t.Fatalf("401 to %s?%s with valid Basic auth: %s", u, query, body)
			}
			var e struct {
				Code    string `json:"code"`
				Message string `json:"message"`
				Data    struct {
					Status int `json:"status"`
				} `json:"data"`
			}
			if err := json.Unmarshal(body, &e); err != nil || e.Code == "" || e.Message == "" || e.Data.Status != rec.Code {
				t.Fatalf("%d to %s?%s without a WooCommerce error body: %v: %s", rec.Code, u, query, err, body)
			}
		default:
			t.Fatalf("%d to %s?%s: %s", rec.Code, u, query, body)
		}
	})
}
