package woocommerce

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/woonexo/woonexo/connectors/woocommerce/wcsim"
	"github.com/woonexo/woonexo/snapshot"
)

// TestShippingMethods: the store's method types in one request, in the
// PaymentMethod shape; a configured default can be looked up by id.
func TestShippingMethods(t *testing.T) {
	ctx := context.Background()
	sim, c := simStore(t, wcsim.Options{}, nil)
	sim.SetFaults([]wcsim.Fault{{Route: "shipping_methods", Action: wcsim.ActionStatus, Status: 503, Count: 1}})
	got, err := c.ShippingMethods(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []snapshot.PaymentMethod{
		{ID: "flat_rate", Identifier: "flat_rate", Title: "Flat rate", Enabled: true},
		{ID: "free_shipping", Identifier: "free_shipping", Title: "Free shipping", Enabled: true},
		{ID: "local_pickup", Identifier: "local_pickup", Title: "Local pickup", Enabled: true},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("shipping methods (-want +got):\n%s", d)
	}
	// one request, repeated once after the injected 503
	if n := sim.Counters()["GET /wc/v3/shipping_methods"]; n != 2 || sim.Requests() != 2 {
		t.Errorf("%d requests (%v), want 2", n, sim.Counters())
	}

	_, wrong := simStore(t, wcsim.Options{}, func(c *Config) { c.ConsumerSecret = "cs_wrong" })
	if _, err := wrong.ShippingMethods(ctx); !IsKind(err, KindAuth) {
		t.Errorf("wrong secret: %v, want kind auth", err)
	}
}

// TestShippingMethodsOdd: a plugin's method with an HTML entity in its
// title is read; one without a usable id is reported, not dropped.
func TestShippingMethodsOdd(t *testing.T) {
	body := `[{"id":"flat_rate","title":"Flat &amp; fast"},{"id":"","title":"nameless"},{"id":{"x":1},"title":"object"},7,` +
		`{"id":"dhl_express","title":null,"description":"DHL"}]`
	c := front(t, wcsim.New(wcsim.Options{}), func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path != API+"/shipping_methods" {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		_, _ = w.Write([]byte(body))
	}, nil)
	got, err := c.ShippingMethods(context.Background())
	want := []snapshot.PaymentMethod{
		{ID: "flat_rate", Identifier: "flat_rate", Title: "Flat & fast", Enabled: true},
		{ID: "dhl_express", Identifier: "dhl_express", Enabled: true},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("shipping methods (-want +got):\n%s", d)
	}
	if !IsKind(err, KindInvalid) {
		t.Fatalf("error %v, want kind invalid", err)
	}
	for _, s := range []string{`item 1 (id "")`, `field "id" missing`, "item 2", `field "id": {"x":1}`, "item 3", "not a JSON object: 7"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
}

func FuzzDecodeShippingMethod(f *testing.F) {
	fuzzSeeds(f, "shipping_methods_list")
	f.Add([]byte(`{"id":"flat_rate","title":"Flat rate","description":"Lets you charge a fixed rate for shipping."}`))
	f.Add([]byte(`{"id":"","title":null}`))
	f.Add([]byte(`{"id":12,"title":"A &amp; B"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, reason := decodeShippingMethod(b)
		if reason == "" && (m.ID == "" || string(m.ID) != m.Identifier || !m.Enabled) {
			t.Fatalf("decoded %+v from %q without a reason", m, b)
		}
	})
}
