package nexosim

import (
	"fmt"
	"strings"
)

var (
	stockIncrease = map[string]bool{"added": true, "returned": true, "incoming-transfer": true, "procured": true,
		"void-return": true, "transfer-rejected": true, "transfer-canceled": true, "return-adjustment": true, "convert-in": true}
	stockReduce = map[string]bool{"outgoing-transfer": true, "removed": true, "sold": true, "defective": true,
		"lost": true, "sale-adjustment": true, "deleted": true, "convert-out": true}
)

// moveStock changes a unit row by delta and writes one history row. A
// missing row is created with quantity 0 and prices 0.
func (st *state) moveStock(productID, unitID int, action string, qty, unitPrice float64, orderID, lineID *int, author int) *HistoryRow {
	uq := st.unitRow(productID, unitID)
	if uq == nil {
		ts := st.stamp()
		uq = &UnitQuantity{ProductID: productID, Type: "product", UnitID: unitID, Visible: 1, UUID: st.uuid(), CreatedAt: ts, UpdatedAt: ts}
		uq.ID = st.uq.add(uq)
		st.uqByProduct[productID] = append(st.uqByProduct[productID], uq.ID)
	}
	before := uq.Quantity
	delta := qty
	if stockReduce[action] {
		delta = -qty
	}
	uq.Quantity = round5(before + delta)
	uq.UpdatedAt = st.stamp()
	ts := st.stamp()
	h := &HistoryRow{ProductID: productID, OrderID: orderID, OrderProductID: lineID, OperationType: action,
		UnitID: unitID, BeforeQuantity: before, Quantity: qty, AfterQuantity: uq.Quantity,
		UnitPrice: unitPrice, TotalPrice: round5(unitPrice * qty), Author: author, CreatedAt: ts, UpdatedAt: ts}
	h.ID = st.hist.add(h)
	if action == "sold" && lineID != nil {
		st.soldLines[*lineID] = true
	}
	return h
}

// adjust implements POST /api/products/adjustments.
func (st *state) adjust(b body, author int) (any, *apiError) {
	entries := b.list("products")
	if !b.filled("products") {
		return nil, exception("Unable to proceed as the request is not valid.")
	}
	for _, e := range entries {
		name := e.str("name")
		if !e.filled("adjust_unit.unit_id") {
			return nil, exception("The unit is not set for the product \"%s\".", name)
		}
		action := e.str("adjust_action")
		if !stockIncrease[action] && !stockReduce[action] && action != "set" {
			return nil, exception("Unsupported action for the product %s.", name)
		}
		qty, _ := e.num("adjust_quantity")
		if uq := st.unitRow(e.int("id"), e.int("adjust_unit.unit_id")); uq != nil && stockReduce[action] {
			if remaining := uq.Quantity - qty; remaining < 0 {
				return nil, notAllowed("The operation will cause a negative stock for the product \"%s\" (%s).", st.prod.get(uq.ProductID).Name, phpNum(round5(remaining)))
			}
		}
		if qty < 0 {
			return nil, notAllowed("The adjustment quantity can't be negative for the product \"%s\" (%s)", name, phpNum(qty))
		}
	}
	results := []any{}
	for _, e := range entries {
		id := e.int("id")
		p := st.prod.get(id)
		if p == nil {
			return nil, exception("Unable to find the product, as the argument \"id\" which value is \"%d\", doesn't have any match.", id)
		}
		if p.StockManagement == "disabled" {
			results = append(results, false)
			continue
		}
		action, unitID := e.str("adjust_action"), e.int("adjust_unit.unit_id")
		qty, _ := e.num("adjust_quantity")
		price, _ := e.num("adjust_unit.sale_price")
		if action == "set" {
			cur := 0.0
			if uq := st.unitRow(id, unitID); uq != nil {
				cur = uq.Quantity
			}
			switch {
			case qty > cur:
				action, qty = "added", round5(qty-cur)
			case qty < cur:
				action, qty = "removed", round5(cur-qty)
			default:
				return nil, phpError("Undefined variable $adjustQuantity")
			}
		}
		if stockReduce[action] {
			cur := 0.0
			if uq := st.unitRow(id, unitID); uq != nil {
				cur = uq.Quantity
			}
			if cur-qty < 0 {
				return nil, notAllowed("The operation will cause a negative stock for the product \"%s\" (%s).", p.Name, phpNum(round5(cur-qty)))
			}
		}
		results = append(results, *st.moveStock(id, unitID, action, qty, price, nil, nil, author))
	}
	return map[string]any{"status": "success", "message": "The stock has been adjustment successfully.", "data": results}, nil
}

// searchProducts implements POST /api/products/search: LIKE on
// name/sku/barcode plus exact "arguments", at most 5 results.
func (st *state) searchProducts(b body) []any {
	term := strings.ToLower(b.str("search"))
	args := b.obj("arguments")
	out := []any{}
	for _, id := range st.prod.ids {
		p := st.prod.rows[id]
		if p.ProductType == "variation" {
			continue
		}
		if term != "" && !strings.Contains(strings.ToLower(p.Name), term) &&
			!strings.Contains(strings.ToLower(p.SKU), term) && !strings.Contains(strings.ToLower(p.Barcode), term) {
			continue
		}
		if !matchArguments(p, args) {
			continue
		}
		out = append(out, st.searchRow(p))
		if len(out) == 5 {
			break
		}
	}
	return out
}

// SearchResult is a product as POST /api/products/search returns it.
type SearchResult struct {
	Product
	UnitQuantities []UnitQuantityWithUnit `json:"unit_quantities"`
	Category       *Category              `json:"category"`
	TaxGroup       *TaxGroup              `json:"tax_group"`
}

func (st *state) searchRow(p *Product) SearchResult {
	r := SearchResult{Product: *p, UnitQuantities: st.unitRowsWithUnit(p.ID, false)}
	if c := st.cat.get(p.CategoryID); c != nil {
		cc := *c
		r.Category = &cc
	}
	if p.TaxGroupID != nil {
		if g := st.tgrp.get(*p.TaxGroupID); g != nil {
			c := *g
			c.Taxes = st.taxesOf(g.ID)
			if c.Taxes == nil {
				c.Taxes = []Tax{}
			}
			r.TaxGroup = &c
		}
	}
	return r
}

func productField(p *Product, col string) (string, float64, bool) {
	switch col {
	case "id":
		return fmt.Sprint(p.ID), float64(p.ID), true
	case "sku":
		return p.SKU, 0, true
	case "barcode":
		return p.Barcode, 0, true
	case "name":
		return p.Name, 0, true
	case "status":
		return p.Status, 0, true
	case "category_id":
		return fmt.Sprint(p.CategoryID), float64(p.CategoryID), true
	case "type":
		return p.Type, 0, true
	}
	return "", 0, false
}

func matchArguments(p *Product, args body) bool {
	for col, raw := range args {
		arg, ok := raw.(map[string]any)
		if !ok {
			continue
		}
		a := body(arg)
		cmp := a.str("comparison")
		if cmp == "" {
			cmp = "="
		}
		s, n, ok := productField(p, col)
		if !ok {
			return false
		}
		val := a.str("value")
		vn, _ := a.num("value")
		switch cmp {
		case "=":
			if s != val {
				return false
			}
		case "<>":
			if s == val {
				return false
			}
		case ">":
			if !(n > vn) {
				return false
			}
		case "<":
			if !(n < vn) {
				return false
			}
		case ">=":
			if !(n >= vn) {
				return false
			}
		case "<=":
			if !(n <= vn) {
				return false
			}
		case "like":
			if !strings.Contains(strings.ToLower(s), strings.Trim(strings.ToLower(val), "%")) {
				return false
			}
		case "in", "notIn":
			found := false
			if vs, ok := a["value"].([]any); ok {
				for _, x := range vs {
					if asString(x) == s {
						found = true
					}
				}
			}
			if found != (cmp == "in") {
				return false
			}
		}
	}
	return true
}
