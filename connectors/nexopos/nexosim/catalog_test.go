package nexosim

import (
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

func TestCategoryRules(t *testing.T) {
	s, _ := start(t, Options{NoThrottle: true})
	code, m, raw := do(t, s, "POST", "/api/categories", map[string]any{"name": "Kitchen"})
	if code != 200 || m["message"] != "The category has been correctly saved" {
		t.Fatalf("create: %d %s", code, raw)
	}
	kitchen := int(at(m, "data.category.id").(float64))
	if code, m, _ := do(t, s, "GET", fmt.Sprintf("/api/categories/%d", kitchen), nil); code != 200 || m["parent_id"] != 0.0 {
		t.Fatalf("an absent parent takes the column default 0: %d %v", code, m)
	}
	// CategoryController::post refuses an unknown non-zero parent.
	code, m, _ = do(t, s, "POST", "/api/categories", map[string]any{"name": "Orphan", "parent_id": 999})
	if code != 404 || m["message"] != "Unable to find the attached category parent" {
		t.Fatalf("unknown parent: %d %v", code, m)
	}
	_, m, _ = do(t, s, "POST", "/api/categories", map[string]any{"name": "Mugs", "parent_id": kitchen, "description": "cups"})
	mugs := int(at(m, "data.category.id").(float64))
	// PUT assigns only the keys sent and checks no parent.
	code, m, _ = do(t, s, "PUT", fmt.Sprintf("/api/categories/%d", mugs), map[string]any{"name": "Cups"})
	if code != 200 || m["message"] != "The category has been updated" || at(m, "data.category.parent_id") != float64(kitchen) || at(m, "data.category.description") != "cups" {
		t.Fatalf("partial update: %d %v", code, m)
	}
	if code, _, _ := do(t, s, "PUT", fmt.Sprintf("/api/categories/%d", mugs), map[string]any{"parent_id": 999}); code != 200 {
		t.Fatalf("update to an unknown parent is accepted: %d", code)
	}
	do(t, s, "PUT", fmt.Sprintf("/api/categories/%d", mugs), map[string]any{"parent_id": kitchen})
	if code, m, _ := do(t, s, "PUT", "/api/categories/999", map[string]any{"name": "X"}); code != 404 || m["message"] != "Unable to find the category using the provided identifier" {
		t.Fatalf("update unknown: %d %v", code, m)
	}
	if code, m, _ := do(t, s, "GET", "/api/categories/999", nil); code != 500 || m["message"] != "Unable to find the category using the provided identifier" {
		t.Fatalf("get unknown: %d %v", code, m)
	}

	// delete: children first (a NotFoundException), then products (NsDependable)
	code, m, _ = do(t, s, "DELETE", fmt.Sprintf("/api/categories/%d", kitchen), nil)
	if code != 404 || m["message"] != "Can't delete a category having sub categories linked to it." {
		t.Fatalf("delete parent: %d %v", code, m)
	}
	for _, name := range []string{"Mug A", "Mug B", "Mug C"} {
		if _, err := s.AddProduct(NewProduct{Name: name, CategoryID: mugs, Price: 1}); err != nil {
			t.Fatal(err)
		}
	}
	code, m, _ = do(t, s, "DELETE", fmt.Sprintf("/api/categories/%d", mugs), nil)
	if code != 403 || m["message"] != `Unable to delete "Cups" as it's a dependency for "Mug A" and 2 more items.` || m["data"] != nil {
		t.Fatalf("delete with products: %d %v", code, m)
	}
	empty, _ := s.AddCategory(NewCategory{Name: "Empty", ParentID: kitchen})
	if code, m, _ := do(t, s, "DELETE", fmt.Sprintf("/api/categories/%d", empty), nil); code != 200 || m["message"] != "The category has been deleted." {
		t.Fatalf("delete: %d %v", code, m)
	}
	if code, m, _ := do(t, s, "DELETE", fmt.Sprintf("/api/categories/%d", empty), nil); code != 404 || m["message"] != "Unable to find the category using the provided identifier." {
		t.Fatalf("delete again: %d %v", code, m)
	}
}

// taxedProduct is a product form with a tax group and type.
func taxedProduct(name, sku string, group any, taxType any, sale, wholesale float64) map[string]any {
	b := productBody(name, sku, 1, sale)
	v := b["variations"].([]any)[0].(map[string]any)
	v["taxes"] = map[string]any{"tax_group_id": group, "tax_type": taxType}
	v["units"].(map[string]any)["selling_group"].([]any)[0].(map[string]any)["wholesale_price_edit"] = wholesale
	return b
}

func TestUnitRowTaxFigures(t *testing.T) {
	s, _ := start(t, Options{NoThrottle: true})
	vat := s.Defaults().TaxGroupID // one 20% tax
	type figures struct{ price, with, without, tax, wholesale, wWith, wWithout, wTax float64 }
	for i, tc := range []struct {
		group, taxType any
		want           figures
	}{
		// §5.1: without a group every figure is the typed price.
		{nil, "inclusive", figures{12, 12, 12, 0, 10, 10, 10, 0}},
		// inclusive carves the tax out; sale_price stays the typed price,
		// wholesale_price is the value without tax.
		{vat, "inclusive", figures{12, 12, 10, 2, 8.33333, 10, 8.33333, 1.66667}},
		// exclusive adds the tax; sale_price is the price with tax.
		{vat, "exclusive", figures{14.4, 14.4, 12, 2.4, 10, 12, 10, 2}},
		// TaxService::computeTax treats every type but "inclusive" as exclusive.
		{vat, nil, figures{14.4, 14.4, 12, 2.4, 10, 12, 10, 2}},
	} {
		code, m, raw := do(t, s, "POST", "/api/products", taxedProduct("P", fmt.Sprintf("TAX-%d", i), tc.group, tc.taxType, 12, 10))
		if code != 200 {
			t.Fatalf("case %d: %d %s", i, code, raw)
		}
		id := int(at(m, "data.product.id").(float64))
		p, _ := s.Product(id)
		uq := p.UnitQuantities[0]
		got := figures{uq.SalePrice, uq.SalePriceWithTax, uq.SalePriceWithoutTax, uq.SalePriceTax,
			uq.WholesalePrice, uq.WholesalePriceWithTax, uq.WholesalePriceWithoutTax, uq.WholesalePriceTax}
		if got != tc.want {
			t.Errorf("case %d (group %v, %v): got %+v, want %+v", i, tc.group, tc.taxType, got, tc.want)
		}
		if at(m, "data.product.unit_quantities.0.sale_price") != tc.want.price || uq.SalePriceEdit != 12 {
			t.Errorf("case %d: response row %v", i, at(m, "data.product.unit_quantities.0"))
		}
	}
}

func TestUpdateKeepsAbsentUnitRows(t *testing.T) {
	s, clk := start(t, Options{NoThrottle: true})
	box, err := addUnit(t, s, "Box", "box")
	if err != nil {
		t.Fatal(err)
	}
	b := productBody("Mug", "MUG", 1, 10)
	groups := b["variations"].([]any)[0].(map[string]any)["units"].(map[string]any)
	groups["selling_group"] = append(groups["selling_group"].([]any), map[string]any{"unit_id": box, "sale_price_edit": 50, "wholesale_price_edit": 40})
	code, m, raw := do(t, s, "POST", "/api/products", b)
	if code != 200 {
		t.Fatalf("create: %d %s", code, raw)
	}
	id := int(at(m, "data.product.id").(float64))
	for _, row := range at(m, "data.product.unit_quantities").([]any) {
		if at(row, "barcode") != at(m, "data.product.barcode").(string)+"-" || at(row, "quantity") != 0.0 {
			t.Fatalf("a created row: %v", row)
		}
	}
	if err := s.AdjustStock(id, box, "added", 3); err != nil {
		t.Fatal(err)
	}
	created, _ := s.Product(id)

	// Same payload again (with the generated barcode: an empty one would be
	// generated anew): nothing on the product changes, updated_at stays.
	setBarcode := func(b map[string]any) {
		b["variations"].([]any)[0].(map[string]any)["identification"].(map[string]any)["barcode"] = created.Barcode
	}
	setBarcode(b)
	clk.add(time.Hour)
	if code, _, raw := do(t, s, "PUT", fmt.Sprintf("/api/products/%d", id), b); code != 200 {
		t.Fatalf("same update: %d %s", code, raw)
	}
	same, _ := s.Product(id)
	if !same.UpdatedAt.Equal(created.UpdatedAt.Time) {
		t.Fatalf("an unchanged update moved updated_at: %v -> %v", created.UpdatedAt, same.UpdatedAt)
	}

	// Only the piece row is sent: the box row (and its stock) stays; the new price lands.
	one := productBody("Mug", "MUG", 1, 11)
	setBarcode(one)
	code, m, raw = do(t, s, "PUT", fmt.Sprintf("/api/products/%d", id), one)
	if code != 200 || m["message"] != "The product has been updated" {
		t.Fatalf("update: %d %s", code, raw)
	}
	p, _ := s.Product(id)
	if len(p.UnitQuantities) != 2 {
		t.Fatalf("rows after update: %d", len(p.UnitQuantities))
	}
	if q, _ := s.StockOf(id, box); q != 3 {
		t.Fatalf("absent row lost its stock: %v", q)
	}
	if piece, _ := s.StockOf(id, 0); piece != 0 || p.UnitQuantities[0].SalePrice != 11 || p.UnitQuantities[1].SalePrice != 50 {
		t.Fatalf("rows: %+v", p.UnitQuantities)
	}
	if !p.UpdatedAt.Equal(created.UpdatedAt.Time) {
		t.Fatalf("a price change moved the product's updated_at")
	}
	if len(at(m, "data.product.unit_quantities").([]any)) != 2 {
		t.Fatalf("response rows: %v", at(m, "data.product.unit_quantities"))
	}
	// Another product's SKU on update: the message carries no value.
	other, _ := s.AddProduct(NewProduct{Name: "Other", SKU: "OTHER", Price: 1})
	code, m, _ = do(t, s, "PUT", fmt.Sprintf("/api/products/%d", other), productBody("Other", "MUG", 1, 1))
	if code != 500 || m["message"] != "The provided SKU is already in use." {
		t.Fatalf("update to a used SKU: %d %v", code, m)
	}
}

func addUnit(t *testing.T, s *Sim, name, ident string) (int, error) {
	t.Helper()
	code, m, raw := do(t, s, "POST", "/api/crud/ns.units", map[string]any{"name": name,
		"general": map[string]any{"identifier": ident, "value": 6, "group_id": s.Defaults().UnitGroupID, "base_unit": 0}})
	if code != 200 {
		return 0, fmt.Errorf("create unit: %d %s", code, raw)
	}
	return int(at(m, "data.entry.id").(float64)), nil
}

func TestProductLookups(t *testing.T) {
	s, _ := start(t, Options{NoThrottle: true})
	id, err := s.AddProduct(NewProduct{Name: "Mug", SKU: "MUG-1", Barcode: "4006381333931", Price: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fmt.Sprintf("/api/products/%d", id), "/api/products/MUG-1?as=sku", "/api/products/4006381333931?as=barcode"} {
		if code, m, _ := do(t, s, "GET", path, nil); code != 200 || m["id"] != float64(id) {
			t.Fatalf("%s: %d %v", path, code, m)
		}
	}
	// The barcode helper returns false: Laravel sends it as an empty 200 page.
	req := fmt.Sprintf("%s/api/products/nope?as=barcode", s.URL())
	code, raw, ctype := rawGet(t, s, req)
	if code != 200 || len(raw) != 0 || ctype != "text/html; charset=UTF-8" {
		t.Fatalf("unknown barcode: %d %q %q", code, raw, ctype)
	}
	for _, tc := range []struct{ path, as, value string }{
		{"/api/products/nope?as=sku", "sku", "nope"},
		{"/api/products/999", "id", "999"},
	} {
		code, m, _ := do(t, s, "GET", tc.path, nil)
		want := fmt.Sprintf(`Unable to find the product, as the argument "%s" which value is "%s", doesn't have any match.`, tc.as, tc.value)
		if code != 500 || m["message"] != want || m["status"] != "error" {
			t.Fatalf("%s: %d %v", tc.path, code, m)
		}
	}
}

func TestCustomerDeleteRules(t *testing.T) {
	s, _ := start(t, Options{NoThrottle: true})
	addr := map[string]string{"first_name": "Ada", "city": "London"}
	ada, err := s.AddCustomer(NewCustomer{FirstName: "Ada", Email: "ada@example.com", Billing: addr, Shipping: addr})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.AddOrder(NewOrder{CustomerID: ada, Lines: []OrderLine{{Name: "Gift", Quantity: 1, UnitPrice: 3}}}); err != nil {
			t.Fatal(err)
		}
	}
	// Customer's Order dependency names a "name" column a customer lacks:
	// NsDependable's nameless message, with the count minus one.
	for _, path := range []string{fmt.Sprintf("/api/customers/%d", ada), fmt.Sprintf("/api/crud/ns.customers/%d", ada)} {
		code, m, _ := do(t, s, "DELETE", path, nil)
		if code != 403 || m["message"] != `Unable to delete this resource as it has App\Models\Order dependency with 1 item.` {
			t.Fatalf("%s: %d %v", path, code, m)
		}
	}
	// CustomerBeforeDeletedEvent ran before the refusal: the addresses are gone.
	_, m, _ := do(t, s, "GET", fmt.Sprintf("/api/customers/%d", ada), nil)
	if m["id"] != float64(ada) || m["billing"] != nil || m["shipping"] != nil {
		t.Fatalf("customer after the refused delete: %v", m)
	}
	bob, _ := s.AddCustomer(NewCustomer{FirstName: "Bob"})
	if code, m, _ := do(t, s, "DELETE", fmt.Sprintf("/api/customers/%d", bob), nil); code != 200 || m["message"] != "The customer has been deleted." {
		t.Fatalf("delete: %d %v", code, m)
	}
	if code, m, _ := do(t, s, "DELETE", fmt.Sprintf("/api/customers/%d", bob), nil); code != 404 || m["message"] != "Unable to find the customer using the provided id." {
		t.Fatalf("delete again: %d %v", code, m)
	}
	if code, m, _ := do(t, s, "DELETE", fmt.Sprintf("/api/crud/ns.customers/%d", bob), nil); code != 404 || m["message"] != "Unable to delete an entry that no longer exists." {
		t.Fatalf("crud delete again: %d %v", code, m)
	}
}

// rawGet sends an authenticated JSON GET and returns status, body and content type.
func rawGet(t *testing.T, s *Sim, url string) (int, []byte, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+s.Token())
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, resp.Header.Get("Content-Type")
}
