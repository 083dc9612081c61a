package nexosim

import (
	"fmt"
	"strings"
)

// productColumns are the nexopos_products columns a product form may set.
var productColumns = map[string]bool{
	"name": true, "tax_type": true, "tax_group_id": true, "product_type": true, "type": true,
	"accurate_tracking": true, "auto_cogs": true, "status": true, "stock_management": true,
	"barcode": true, "barcode_type": true, "sku": true, "description": true, "thumbnail_id": true,
	"category_id": true, "parent_id": true, "unit_group": true, "on_expiration": true,
	"expires": true, "searchable": true,
}

// ProductWithUnits is a product row with its unit-quantity rows.
type ProductWithUnits struct {
	Product
	UnitQuantities []UnitQuantity `json:"unit_quantities"`
}

// UnitQuantityWithUnit is a unit-quantity row with its nested unit.
type UnitQuantityWithUnit struct {
	UnitQuantity
	Unit *Unit `json:"unit"`
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func (st *state) randomCode(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[st.rng.Intn(len(alphabet))]
	}
	return string(b)
}

// primaryVariation returns the variation flagged $primary.
func primaryVariation(b body) (body, *apiError) {
	for _, v := range b.list("variations") {
		if _, ok := v["$primary"]; ok {
			return v, nil
		}
	}
	return nil, phpError("Trying to access array offset on value of type null")
}

// flatten turns the tabs of a variation into product columns.
func flatten(v body) (map[string]any, *apiError) {
	cols := map[string]any{}
	for k, x := range v {
		if strings.HasPrefix(k, "$") || k == "units" || k == "images" || k == "groups" || k == "id" {
			continue
		}
		if m, ok := x.(map[string]any); ok {
			for kk, xx := range m {
				cols[kk] = xx
			}
			continue
		}
		cols[k] = x
	}
	for k := range cols {
		if !productColumns[k] {
			return nil, exception("SQLSTATE[42S22]: Column not found: 1054 Unknown column '%s' in 'field list'", k)
		}
	}
	return cols, nil
}

func validateProductUpdate(b body, v body) *apiError {
	missing := map[string][]string{}
	req := func(key, path string, from body) {
		if !from.filled(path) {
			missing[key] = []string{fmt.Sprintf("The %s field is required.", key)}
		}
	}
	req("name", "name", b)
	for _, f := range []string{"category_id", "barcode_type", "type", "status", "stock_management"} {
		req("variations.0.identification."+f, "identification."+f, v)
	}
	req("variations.0.units.unit_group", "units.unit_group", v)
	req("variations.0.expiracy.expires", "expiracy.expires", v)
	for i, g := range v.list("units.selling_group") {
		for _, f := range []string{"unit_id", "sale_price_edit", "wholesale_price_edit"} {
			req(fmt.Sprintf("variations.0.units.selling_group.%d.%s", i, f), f, g)
		}
		if g.filled("convert_unit_id") && g.int("convert_unit_id") == g.int("unit_id") {
			k := fmt.Sprintf("variations.0.units.selling_group.%d.convert_unit_id", i)
			missing[k] = []string{fmt.Sprintf("The %s field and variations.0.units.selling_group.%d.unit_id must be different.", k, i)}
		}
	}
	if len(missing) > 0 {
		return invalid(missing)
	}
	return nil
}

// saveProduct implements POST /api/products (id 0) and PUT /api/products/{id}.
func (st *state) saveProduct(id int, b body, author int) (*Product, *apiError) {
	var p *Product
	if id != 0 {
		if p = st.prod.get(id); p == nil {
			return nil, modelMissing("Product", fmt.Sprint(id))
		}
	}
	v, err := primaryVariation(b)
	if err != nil {
		return nil, err
	}
	if p != nil {
		if err := validateProductUpdate(b, v); err != nil {
			return nil, err
		}
		if !v.has("groups") {
			return nil, phpError(`Undefined array key "groups"`)
		}
	}
	if !v.has("images") {
		return nil, phpError(`Undefined array key "images"`)
	}
	cols, err := flatten(v)
	if err != nil {
		return nil, err
	}
	catID := 0
	if f, ok := asNumber(cols["category_id"]); ok {
		catID = int(f)
	}
	if st.cat.get(catID) == nil {
		return nil, exception("The category to which the product is attached doesn't exists or has been deleted")
	}
	groups := v.list("units.selling_group")
	seen := map[int]bool{}
	for _, g := range groups {
		u := g.int("unit_id")
		if seen[u] {
			return nil, notAllowed("The unit \"%d\" is used more than once on the selling group.", u)
		}
		seen[u] = true
	}
	name := b.str("name")
	sku, barcode := asString(cols["sku"]), asString(cols["barcode"])
	if barcode == "" {
		barcode = st.randomCode(10, "0123456789")
	}
	if sku == "" {
		sku = fmt.Sprintf("%s--%s--%s", slug(st.cat.get(catID).Name), slug(name), st.randomCode(5, "abcdefghijklmnopqrstuvwxyz0123456789"))
	}
	// createSimpleProduct names the value; updateSimpleProduct does not.
	if other, ok := st.barcode[barcode]; ok && other != id {
		if id != 0 {
			return nil, exception("The provided barcode is already in use.")
		}
		return nil, exception("The provided barcode \"%s\" is already in use.", barcode)
	}
	if other, ok := st.sku[sku]; ok && other != id {
		if id != 0 {
			return nil, exception("The provided SKU is already in use.")
		}
		return nil, exception("The provided SKU \"%s\" is already in use.", sku)
	}
	creating := p == nil
	if creating {
		ts := st.stamp()
		p = &Product{ProductType: "product", Type: "materialized", Status: "available", StockManagement: "enabled",
			OnExpiration: "prevent_sales", Searchable: 1, Author: author, UUID: st.uuid(), CreatedAt: ts, UpdatedAt: ts}
	}
	before := *p
	applyProductColumns(p, cols)
	p.Name, p.SKU, p.Barcode, p.CategoryID = name, sku, barcode, catID
	if p.BarcodeType == "" {
		p.BarcodeType = "ean8"
	}
	p.UnitGroup = v.int("units.unit_group")
	if x, ok := v.get("units.accurate_tracking"); ok {
		f, _ := asNumber(x)
		p.AccurateTracking = f != 0
	}
	if x, ok := v.get("units.auto_cogs"); ok {
		f, _ := asNumber(x)
		p.AutoCogs = f != 0
	}
	if creating {
		p.ID = st.prod.add(p)
	} else {
		delete(st.sku, before.SKU)
		delete(st.barcode, before.Barcode)
	}
	st.sku[p.SKU], st.barcode[p.Barcode] = p.ID, p.ID
	var taxGroup *int
	if f, ok := asNumber(cols["tax_group_id"]); ok {
		taxGroup = ptr(int(f))
	}
	st.saveUnitRows(p, groups, taxGroup, nstr(asString(cols["tax_type"])))
	if len(groups) > 0 {
		if uq := st.unitRow(p.ID, groups[0].int("unit_id")); uq != nil {
			p.TaxValue = uq.SalePriceTax
		}
	}
	if !creating && productDirty(p, &before) {
		p.UpdatedAt = st.stamp()
	}
	st.prodOrder = nil
	return p, nil
}

// productDirty is Eloquent's dirty check: a column whose value changed,
// whatever the pointers holding the values.
func productDirty(now, before *Product) bool {
	a, b := *now, *before
	if deref(a.TaxType) != deref(b.TaxType) || deref(a.Description) != deref(b.Description) ||
		intOr(a.TaxGroupID) != intOr(b.TaxGroupID) || intOr(a.ThumbnailID) != intOr(b.ThumbnailID) {
		return true
	}
	a.TaxType, a.Description, a.TaxGroupID, a.ThumbnailID, a.UpdatedAt = nil, nil, nil, nil, b.UpdatedAt
	b.TaxType, b.Description, b.TaxGroupID, b.ThumbnailID = nil, nil, nil, nil
	return a != b
}

func intOr(n *int) int {
	if n == nil {
		return -1
	}
	return *n
}

func applyProductColumns(p *Product, cols map[string]any) {
	for k, x := range cols {
		s := asString(x)
		f, _ := asNumber(x)
		switch k {
		case "tax_type":
			p.TaxType = nstr(s)
		case "tax_group_id":
			if x == nil {
				p.TaxGroupID = nil
			} else {
				p.TaxGroupID = ptr(int(f))
			}
		case "type":
			p.Type = s
		case "status":
			p.Status = s
		case "stock_management":
			p.StockManagement = s
		case "barcode_type":
			p.BarcodeType = s
		case "description":
			p.Description = nstr(s)
		case "thumbnail_id":
			if x == nil {
				p.ThumbnailID = nil
			} else {
				p.ThumbnailID = ptr(int(f))
			}
		case "parent_id":
			p.ParentID = int(f)
		case "on_expiration":
			if s != "" {
				p.OnExpiration = s
			}
		case "expires":
			p.Expires = int(f)
		case "searchable":
			p.Searchable = int(f)
		case "accurate_tracking":
			p.AccurateTracking = f != 0
		case "auto_cogs":
			p.AutoCogs = f != 0
		}
	}
}

func (st *state) unitRow(productID, unitID int) *UnitQuantity {
	for _, id := range st.uqByProduct[productID] {
		if uq := st.uq.get(id); uq.UnitID == unitID {
			return uq
		}
	}
	return nil
}

// saveUnitRows creates or reprices one row per selling-group entry; rows
// absent from the payload are kept, quantities are never touched.
// taxGroup and taxType are the request's tax_group_id and tax_type
// (TaxService::computeTax receives the submitted fields, not the columns).
func (st *state) saveUnitRows(p *Product, groups []body, taxGroup *int, taxType *string) {
	rate := st.taxRate(taxGroup)
	group := taxGroup != nil && st.tgrp.get(*taxGroup) != nil
	for _, g := range groups {
		unitID := g.int("unit_id")
		uq := st.unitRow(p.ID, unitID)
		isNew := uq == nil
		if isNew {
			ts := st.stamp()
			uq = &UnitQuantity{ProductID: p.ID, Type: "product", UnitID: unitID, UUID: st.uuid(), CreatedAt: ts, UpdatedAt: ts}
		}
		before := *uq
		edit, _ := g.num("sale_price_edit")
		whole, _ := g.num("wholesale_price_edit")
		uq.SalePriceEdit = edit
		uq.SalePrice, uq.SalePriceWithTax, uq.SalePriceWithoutTax, uq.SalePriceTax = computeTax(edit, group, rate, taxType)
		uq.WholesalePriceEdit = whole
		_, uq.WholesalePriceWithTax, uq.WholesalePriceWithoutTax, uq.WholesalePriceTax = computeTax(whole, group, rate, taxType)
		uq.WholesalePrice = uq.WholesalePriceWithoutTax
		uq.Cogs, _ = g.num("cogs")
		uq.LowQuantity, _ = g.num("low_quantity")
		uq.StockAlertEnabled = g.int("stock_alert_enabled")
		uq.Visible = 1
		if g.has("visible") {
			uq.Visible = g.int("visible")
		}
		uq.ConvertUnitID = g.intPtr("convert_unit_id")
		uq.PreviewURL = nstr(g.str("preview_url"))
		if isNew {
			// The barcode is "<product barcode>-<row id>" computed before
			// the first save, when the id is still null
			// (ProductService::__computeUnitQuantities).
			uq.Barcode = p.Barcode + "-"
			uq.ID = st.uq.add(uq)
			st.uqByProduct[p.ID] = append(st.uqByProduct[p.ID], uq.ID)
			continue
		}
		uq.Barcode = fmt.Sprintf("%s-%d", p.Barcode, uq.ID)
		if *uq != before {
			uq.UpdatedAt = st.stamp()
		}
	}
}

func (st *state) withUnits(p *Product) ProductWithUnits {
	out := ProductWithUnits{Product: *p, UnitQuantities: []UnitQuantity{}}
	for _, id := range st.uqByProduct[p.ID] {
		out.UnitQuantities = append(out.UnitQuantities, *st.uq.get(id))
	}
	return out
}

func (st *state) unitRowsWithUnit(productID int, visibleOnly bool) []UnitQuantityWithUnit {
	out := []UnitQuantityWithUnit{}
	for _, id := range st.uqByProduct[productID] {
		uq := st.uq.get(id)
		if visibleOnly && uq.Visible == 0 {
			continue
		}
		var u *Unit
		if x := st.unit.get(uq.UnitID); x != nil {
			c := *x
			u = &c
		}
		out = append(out, UnitQuantityWithUnit{UnitQuantity: *uq, Unit: u})
	}
	return out
}

// findProduct resolves GET /api/products/{identifier}?as=….
func (st *state) findProduct(ident, as string) (*Product, *apiError) {
	var p *Product
	switch as {
	case "sku":
		if id, ok := st.sku[ident]; ok {
			p = st.prod.get(id)
		}
	case "barcode":
		if id, ok := st.barcode[ident]; ok {
			p = st.prod.get(id)
		}
		if p == nil {
			return nil, nil // the helper returns false: 200 with an empty body
		}
	default:
		var id int
		if _, err := fmt.Sscan(ident, &id); err == nil {
			p = st.prod.get(id)
		}
		as = "id"
	}
	if p == nil {
		return nil, exception("Unable to find the product, as the argument \"%s\" which value is \"%s\", doesn't have any match.", as, ident)
	}
	return p, nil
}

// deleteProduct refuses products referenced by order lines, with the
// message NsDependable produces (it never names the order).
func (st *state) deleteProduct(id int) (any, *apiError) {
	p := st.prod.get(id)
	if p == nil {
		return nil, exception("Unable to find the product, as the argument \"id\" which value is \"%d\", doesn't have any match.", id)
	}
	if n := st.lineRefs[id]; n > 0 {
		item := "Non-existent Item"
		if st.ord.get(id) != nil {
			item = "Undefined Item"
		}
		return nil, notAllowed("Unable to delete \"%s\" as it's a dependency for \"%s\"%s", p.Name, item, dependencyTail(n))
	}
	for _, uq := range st.uqByProduct[id] {
		st.uq.del(uq)
	}
	delete(st.uqByProduct, id)
	delete(st.sku, p.SKU)
	delete(st.barcode, p.Barcode)
	st.prod.del(id)
	st.prodOrder = nil
	return map[string]any{"status": "success", "message": fmt.Sprintf("The product \"%s\" has been successfully deleted", p.Name)}, nil
}
