package nexopos

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// unitRow is what the client remembers of a product's allowed unit row.
type unitRow struct {
	ID        snapshot.ID // unit quantity id (orders need it)
	ProductID snapshot.ID
	UnitID    snapshot.ID
	Name      string // product name (adjustments quote it)
	Quantity  snapshot.Decimal
	SalePrice snapshot.Decimal
}

// productFromDTO maps a product row and its allowed unit row (nil: none) to
// the canonical product, or to a Held record explaining why it cannot be.
//
// Price: the canonical regular price is the row's sale_price, the price a
// customer pays at the till (tax included for both inclusive and exclusive
// tax groups). Writes send it as sale_price_edit, which equals sale_price
// without a tax group or with an inclusive one; with an exclusive tax group
// NexoPOS adds the tax on top, so use inclusive groups for synced products.
func productFromDTO(p productDTO, row *unitRowDTO, loc *time.Location) (snapshot.Product, *snapshot.Held) {
	id := snapshot.ID(p.ID)
	held := func(class, why string) *snapshot.Held {
		return &snapshot.Held{Side: snapshot.NexoPOS, Kind: snapshot.KindProduct, ID: id, Reason: why, Class: class}
	}
	if pt := string(p.ProductType); pt != "" && pt != "product" {
		return snapshot.Product{}, held("unsupported_type", "product_type "+strconv.Quote(pt)+" is not synced")
	}
	if string(p.Type) == "grouped" {
		return snapshot.Product{}, held("unsupported_type", "grouped products are not synced")
	}
	// An unknown value would otherwise map silently to inactive or
	// unmanaged, and a write would then send that back.
	if st := string(p.Status); st != "available" && st != "unavailable" {
		return snapshot.Product{}, held("decode", fmt.Sprintf("field \"status\": unknown value %q", st))
	}
	if sm := string(p.StockManagement); sm != "enabled" && sm != "disabled" {
		return snapshot.Product{}, held("decode", fmt.Sprintf("field \"stock_management\": unknown value %q", sm))
	}
	if row == nil {
		return snapshot.Product{}, held("no_unit", "no unit row for any allowed unit")
	}
	out := snapshot.Product{
		ID:           id,
		SKU:          string(p.SKU),
		Barcode:      string(p.Barcode),
		Name:         string(p.Name),
		Description:  string(p.Description),
		Status:       snapshot.ProductInactive,
		RegularPrice: row.SalePrice.Decimal,
		ManageStock:  string(p.StockManagement) == "enabled",
		Stock:        row.Quantity.Decimal,
		UnitID:       snapshot.ID(row.UnitID),
		Modified:     parseTime(string(p.UpdatedAt), loc),
	}
	if string(p.Status) == "available" {
		out.Status = snapshot.ProductActive
	}
	if p.CategoryID != "" {
		out.CategoryIDs = []snapshot.ID{snapshot.ID(p.CategoryID)}
	}
	// Price changes touch only the unit row; report the later of both.
	if t := parseTime(string(row.UpdatedAt), loc); t.After(out.Modified) {
		out.Modified = t
	}
	return out, nil
}

// pickRow returns the row of the first allowed unit among rows, or nil.
func pickRow(rows []unitRowDTO, allowed []snapshot.ID) *unitRowDTO {
	for _, u := range allowed {
		for i := range rows {
			if snapshot.ID(rows[i].UnitID) == u {
				return &rows[i]
			}
		}
	}
	return nil
}

func rowOf(r *unitRowDTO, name string) unitRow {
	return unitRow{ID: snapshot.ID(r.ID), ProductID: snapshot.ID(r.ProductID), UnitID: snapshot.ID(r.UnitID),
		Name: name, Quantity: r.Quantity.Decimal, SalePrice: r.SalePrice.Decimal}
}

// allowedUnitIDs resolves AllowedUnits to unit ids (from the cache, or
// GET /api/units).
func (c *Client) allowedUnitIDs(ctx context.Context) ([]snapshot.ID, error) {
	c.mu.Lock()
	units := c.cache.units
	c.mu.Unlock()
	if units == nil {
		var err error
		if units, err = c.readUnits(ctx); err != nil {
			return nil, err
		}
	}
	var ids []snapshot.ID
	for _, ident := range c.allowed {
		if id, ok := units[strings.ToLower(ident)]; ok {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// readUnits lists units: identifier (lower-case) -> id.
func (c *Client) readUnits(ctx context.Context) (map[string]snapshot.ID, error) {
	var units []unitDTO
	if err := c.do(ctx, call{op: "read units", group: "units", method: "GET", path: "units", safe: true}, &units); err != nil {
		return nil, err
	}
	m := make(map[string]snapshot.ID, len(units))
	for _, u := range units {
		m[strings.ToLower(string(u.Identifier))] = snapshot.ID(u.ID)
	}
	c.mu.Lock()
	c.cache.units = m
	c.mu.Unlock()
	return m, nil
}

// productUnits reads all unit rows of one product (GET /products/{id}/units).
func (c *Client) productUnits(ctx context.Context, id snapshot.ID) ([]unitRowDTO, error) {
	var rows []unitRowDTO
	err := c.do(ctx, call{op: "read product units", group: "products", method: "GET", path: apiPath("products", id, "units"), safe: true}, &rows)
	return rows, err
}

// allowedRow returns the allowed unit row of a product, from the last read
// or from the server.
func (c *Client) allowedRow(ctx context.Context, productID snapshot.ID) (unitRow, error) {
	c.mu.Lock()
	r, ok := c.cache.rows[productID]
	c.mu.Unlock()
	if ok {
		return r, nil
	}
	allowed, err := c.allowedUnitIDs(ctx)
	if err != nil {
		return unitRow{}, err
	}
	rows, err := c.productUnits(ctx, productID)
	if err != nil {
		return unitRow{}, err
	}
	row := pickRow(rows, allowed)
	if row == nil {
		return unitRow{}, &Error{Op: "resolve unit", Kind: KindInvalid, Message: "product " + string(productID) + " has no row for an allowed unit"}
	}
	return rowOf(row, ""), nil
}

// ReadStock returns fresh quantities of the allowed unit rows of the given
// products. Few ids cost one GET /api/products/{id}/units each; more ids
// than the unit listing has pages read the listing instead. Products
// without an allowed unit row are absent from the map.
func (c *Client) ReadStock(ctx context.Context, productIDs []snapshot.ID) (map[snapshot.ID]snapshot.Decimal, error) {
	out := make(map[snapshot.ID]snapshot.Decimal, len(productIDs))
	if len(productIDs) == 0 {
		return out, nil
	}
	allowed, err := c.allowedUnitIDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("read stock: %w", err)
	}
	c.mu.Lock()
	pages := (c.cache.rowsTotal + unitsPerPage - 1) / unitsPerPage
	c.mu.Unlock()
	if pages == 0 || len(productIDs) <= pages {
		for _, id := range productIDs {
			rows, err := c.productUnits(ctx, id)
			if err != nil {
				if IsKind(err, KindNotFound) {
					continue
				}
				return nil, fmt.Errorf("read stock: %w", err)
			}
			if r := pickRow(rows, allowed); r != nil {
				out[id] = r.Quantity.Decimal
			}
		}
		return out, nil
	}
	want := make(map[snapshot.ID]bool, len(productIDs))
	for _, id := range productIDs {
		want[id] = true
	}
	rows, _, err := c.listUnitRows(ctx)
	if err != nil {
		return nil, fmt.Errorf("read stock: %w", err)
	}
	byProduct := map[snapshot.ID][]unitRowDTO{}
	for _, r := range rows {
		if want[snapshot.ID(r.ProductID)] {
			byProduct[snapshot.ID(r.ProductID)] = append(byProduct[snapshot.ID(r.ProductID)], r)
		}
	}
	for id, rs := range byProduct {
		if r := pickRow(rs, allowed); r != nil {
			out[id] = r.Quantity.Decimal
		}
	}
	return out, nil
}

// AdjustStock moves the stock of a product's unit row by delta, as an
// "added" or "deleted" adjustment (never a "set": NexoPOS fails a set equal
// to the current quantity). A zero delta sends nothing. unitID "" means the
// product's allowed unit. Not retried once sent: a repeated delta would
// apply twice.
func (c *Client) AdjustStock(ctx context.Context, productID, unitID snapshot.ID, delta snapshot.Decimal, reason string) error {
	if delta.IsZero() {
		return nil
	}
	row, err := c.allowedRow(ctx, productID)
	if err != nil && unitID == "" {
		return fmt.Errorf("adjust stock: %w", err)
	}
	if unitID == "" {
		unitID = row.UnitID
	}
	action, qty := "added", delta
	if delta.Cmp(snapshot.Decimal{}) < 0 {
		action, qty = "deleted", delta.Neg()
	}
	name := row.Name
	if name == "" {
		name = "product " + string(productID)
	}
	body := map[string]any{"products": []map[string]any{{
		"id": jsonID(productID), "name": name,
		"adjust_action": action, "adjust_quantity": json.Number(qty.String()),
		"adjust_reason":          reason,
		"adjust_unit":            map[string]any{"unit_id": jsonID(unitID), "sale_price": json.Number(row.SalePrice.String())},
		"procurement_product_id": nil,
	}}}
	if err := c.do(ctx, call{op: "adjust stock", group: "adjustments", method: "POST", path: "products/adjustments", body: body}, nil); err != nil {
		return err
	}
	c.mu.Lock()
	if r, ok := c.cache.rows[productID]; ok && r.UnitID == unitID {
		r.Quantity = r.Quantity.Add(delta)
		c.cache.rows[productID] = r
	}
	c.mu.Unlock()
	return nil
}

// jsonID sends a numeric id as a JSON number (NexoPOS compares loosely, but
// numbers are what its own UI sends); "" becomes null.
func jsonID(id snapshot.ID) any {
	if id == "" {
		return nil
	}
	if _, err := strconv.ParseUint(string(id), 10, 63); err == nil {
		return json.Number(string(id))
	}
	return string(id)
}

// FindProductBySKU looks a product up by exact SKU (POST /api/products/search
// with a sku = argument, which also returns its unit rows). nil, nil when
// none; a conflict error when several products share the SKU.
func (c *Client) FindProductBySKU(ctx context.Context, sku string) (*snapshot.Product, error) {
	sku = strings.TrimSpace(sku)
	if sku == "" {
		return nil, nil
	}
	body := map[string]any{"search": "", "arguments": map[string]any{"sku": map[string]any{"comparison": "=", "value": sku}}}
	var raws []json.RawMessage
	if err := c.do(ctx, call{op: "find product by sku", group: "products", method: "POST", path: "products/search", body: body, safe: true}, &raws); err != nil {
		return nil, err
	}
	allowed, err := c.allowedUnitIDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("find product by sku: %w", err)
	}
	var found []snapshot.Product
	for _, raw := range raws {
		p, err := decodeProduct(raw)
		if err != nil || !strings.EqualFold(strings.TrimSpace(string(p.SKU)), sku) {
			continue
		}
		row := pickRow(p.UnitQuantities, allowed)
		if row == nil && len(p.UnitQuantities) == 0 {
			rows, err := c.productUnits(ctx, snapshot.ID(p.ID))
			if err != nil {
				return nil, fmt.Errorf("find product by sku: %w", err)
			}
			row = pickRow(rows, allowed)
		}
		prod, held := productFromDTO(p, row, c.tz)
		if held != nil {
			prod = snapshot.Product{ID: snapshot.ID(p.ID), SKU: string(p.SKU), Name: string(p.Name)}
		}
		found = append(found, prod)
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		return &found[0], nil
	}
	return nil, &Error{Op: "find product by sku", Kind: KindConflict, Message: fmt.Sprintf("%d products share SKU %q", len(found), sku)}
}

// getProduct reads one product row (GET /api/products/{id}).
func (c *Client) getProduct(ctx context.Context, id snapshot.ID) (productDTO, error) {
	var raw json.RawMessage
	if err := c.do(ctx, call{op: "read product", group: "products", method: "GET", path: apiPath("products", id), safe: true}, &raw); err != nil {
		return productDTO{}, err
	}
	p, err := decodeProduct(raw)
	if err != nil {
		return p, &Error{Op: "read product", Kind: KindNotFound, Message: "product " + string(id) + ": " + reason(err)}
	}
	return p, nil
}

func queryOf(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}
