package nexosim

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"
)

func TestCrudQueryFilters(t *testing.T) {
	s, _ := start(t, Options{NoThrottle: true})
	if err := s.Seed("demo"); err != nil {
		t.Fatal(err)
	}
	list := func(ns string, filters string) map[string]any {
		t.Helper()
		code, m, raw := do(t, s, "GET", "/api/crud/"+ns+"?per_page=100&queryFilters="+url.QueryEscape(filters), nil)
		if code != 200 {
			t.Fatalf("%s %s: %d %s", ns, filters, code, raw)
		}
		return m
	}
	// A qualified column the CRUD does not declare is used verbatim: WHERE col = value.
	m := list("ns.products", `{"nexopos_products.sku":"DEMO-007"}`)
	if m["total"] != 1.0 || at(m, "data.0.sku") != "DEMO-007" {
		t.Fatalf("sku filter: %v %v", m["total"], at(m, "data.0.sku"))
	}
	if m := list("ns.customers", `{"nexopos_users.email":"grace.hopper@example.com"}`); m["total"] != 1.0 || at(m, "data.0.first_name") != "Grace" {
		t.Fatalf("email filter: %v", m["total"])
	}
	o, _ := s.AddOrder(NewOrder{Lines: []OrderLine{{Name: "Gift", Quantity: 1, UnitPrice: 3}}})
	if m := list("ns.orders", `{"payment_status":"unpaid"}`); m["total"] != 1.0 || at(m, "data.0.id") != float64(o) || at(m, "data.0.payment_status") != "Unpaid" {
		t.Fatalf("status filter: %v %v", m["total"], at(m, "data.0"))
	}
	// Empty values are ignored; a date range keeps the rows inside it.
	if m := list("ns.orders", `{"payment_status":""}`); m["total"] != 7.0 {
		t.Fatalf("empty filter: %v", m["total"])
	}
	if m := list("ns.orders", `{"nexopos_orders.created_at":{"startDate":"2025-05-01 00:00:00","endDate":"2025-05-01 23:59:59"}}`); m["total"] != 7.0 {
		t.Fatalf("range: %v", m["total"])
	}
	if m := list("ns.orders", `{"nexopos_orders.created_at":{"startDate":"2025-05-02 00:00:00","endDate":"2025-05-03 00:00:00"}}`); m["total"] != 0.0 || len(m["data"].([]any)) != 0 || m["from"] != nil {
		t.Fatalf("empty range: %v", m)
	}
	if m := list("ns.products-units", fmt.Sprintf(`{"product_id":%d}`, s.Products()[0].ID)); m["total"] != 1.0 {
		t.Fatalf("unit rows of a product: %v", m["total"])
	}
}

func TestCrudCreates(t *testing.T) {
	s, _ := start(t, Options{NoThrottle: true})
	post := func(ns string, in map[string]any) map[string]any {
		t.Helper()
		code, m, raw := do(t, s, "POST", "/api/crud/"+ns, in)
		if code != 200 || m["status"] != "success" || m["message"] != "A new entry has been successfully created." || at(m, "data.editUrl") == nil {
			t.Fatalf("%s: %d %s", ns, code, raw)
		}
		return at(m, "data.entry").(map[string]any)
	}
	g := post("ns.units-groups", map[string]any{"name": "Packs", "general": map[string]any{"description": "d"}})
	u := post("ns.units", map[string]any{"name": "Six Pack", "general": map[string]any{"group_id": g["id"], "value": 6, "base_unit": 1}})
	if u["identifier"] != "six-pack" || u["base_unit"] != true || u["value"] != 6.0 {
		t.Fatalf("unit: %v", u)
	}
	if code, m, _ := do(t, s, "POST", "/api/crud/ns.units", map[string]any{"name": "Six Pack", "general": map[string]any{"group_id": g["id"]}}); code != 500 || m["message"] != "The general.identifier has already been taken." {
		t.Fatalf("duplicate identifier: %d %v", code, m)
	}
	tg := post("ns.taxes-groups", map[string]any{"name": "Reduced", "general": map[string]any{"description": ""}})
	post("ns.taxes", map[string]any{"name": "VAT 5%", "general": map[string]any{"tax_group_id": tg["id"], "rate": 5}})
	cg := post("ns.customers-groups", map[string]any{"name": "Trade", "general": map[string]any{"description": ""}})
	c := post("ns.products-categories", map[string]any{"name": "Mugs", "general": map[string]any{"displays_on_pos": 0}})
	if c["parent_id"] != 0.0 || c["displays_on_pos"] != 0.0 {
		t.Fatalf("category: %v", c)
	}
	pt := post("ns.payments-types", map[string]any{"label": "Pay Pal", "general": map[string]any{"active": 1, "priority": 2}})
	if pt["identifier"] != "pay-pal" || pt["active"] != 1.0 || pt["readonly"] != 0.0 {
		t.Fatalf("payment type: %v", pt)
	}
	if code, _, raw := do(t, s, "POST", "/api/crud/ns.units-groups", map[string]any{"general": map[string]any{}}); code != 500 {
		t.Fatalf("nameless group: %d %s", code, raw)
	}

	// Read back through the domain routes.
	var groups []any
	_, raw := getJSON(t, s, "/api/taxes/groups", &groups)
	if len(groups) != 2 || at(groups, "1.name") != "Reduced" || at(groups, "1.taxes.0.rate") != 5.0 {
		t.Fatalf("tax groups: %s", raw)
	}
	var units []any
	getJSON(t, s, fmt.Sprintf("/api/units-groups/%v/units", g["id"]), &units)
	if len(units) != 1 || at(units, "0.name") != "Six Pack" {
		t.Fatalf("units of the group: %v", units)
	}
	var cgs []any
	getJSON(t, s, "/api/customers-groups", &cgs)
	if len(cgs) != 2 || at(cgs, "1.id") != cg["id"] {
		t.Fatalf("customer groups: %v", cgs)
	}
	var opts []any
	getJSON(t, s, "/api/orders/payments", &opts)
	if n := len(at(opts, "0.options").([]any)); n != 4 || at(opts, "0.options.3.value") != "pay-pal" {
		t.Fatalf("payment options: %v", opts)
	}
}

func getJSON(t *testing.T, s *Sim, path string, v any) (int, []byte) {
	t.Helper()
	code, raw, _ := rawGet(t, s, s.URL()+path)
	if err := json.Unmarshal(raw, v); err != nil || code != 200 {
		t.Fatalf("%s: %d %v %s", path, code, err, raw)
	}
	return code, raw
}

func TestCustomerTabbedForm(t *testing.T) {
	s, clk := start(t, Options{NoThrottle: true})
	group := s.Defaults().CustomerGroupID
	address := func(city string) map[string]any {
		return map[string]any{"first_name": "Ada", "last_name": "Lovelace", "phone": "", "address_1": "1 Road", "address_2": "",
			"country": "GB", "city": city, "pobox": "N1", "company": "", "email": ""}
	}
	in := map[string]any{"first_name": "Ada",
		"general":  map[string]any{"last_name": "Lovelace", "email": "ada@example.com", "phone": "", "group_id": group, "gender": "female"},
		"billing":  address("London"),
		"shipping": address("Paris")}
	code, m, raw := do(t, s, "POST", "/api/crud/ns.customers", in)
	if code != 200 || m["message"] != "A new entry has been successfully created." || at(m, "data.entry.username") != "ada@example.com" {
		t.Fatalf("create: %d %s", code, raw)
	}
	id := int(at(m, "data.entry.id").(float64))
	read := func() map[string]any {
		t.Helper()
		var d map[string]any
		getJSON(t, s, fmt.Sprintf("/api/customers/%d", id), &d)
		return d
	}
	d := read()
	if at(d, "billing.city") != "London" || at(d, "shipping.city") != "Paris" || at(d, "billing.type") != "billing" ||
		at(d, "billing.phone") != nil || at(d, "group.id") != float64(group) || d["gender"] != "female" || d["phone"] != nil {
		t.Fatalf("read back: %v", d)
	}
	created := d["updated_at"]

	clk.add(time.Hour)
	in["general"].(map[string]any)["phone"] = "+44 1"
	in["shipping"] = address("Rome")
	code, m, raw = do(t, s, "PUT", fmt.Sprintf("/api/crud/ns.customers/%d", id), in)
	if code != 200 || m["message"] != "The entry has been successfully updated." {
		t.Fatalf("update: %d %s", code, raw)
	}
	d = read()
	if at(d, "shipping.city") != "Rome" || at(d, "billing.city") != "London" || d["phone"] != "+44 1" || d["updated_at"] == created {
		t.Fatalf("after update: %v", d)
	}
	// Validation: first_name and general.group_id (production: a 500).
	code, m, _ = do(t, s, "POST", "/api/crud/ns.customers", map[string]any{"general": map[string]any{"email": "x@example.com"}})
	if code != 500 || m["status"] != "error" || m["message"] != "The first name field is required. (and 1 more error)" {
		t.Fatalf("invalid: %d %v", code, m)
	}
	// An empty e-mail is generated.
	_, m, _ = do(t, s, "POST", "/api/crud/ns.customers", map[string]any{"first_name": "Bob", "general": map[string]any{"group_id": group}})
	if e, _ := at(m, "data.entry.email").(string); e == "" {
		t.Fatalf("generated e-mail: %v", m)
	}
}
