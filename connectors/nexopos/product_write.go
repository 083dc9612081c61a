package nexopos

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// SaveProduct creates p (p.ID == "") or updates the listed canonical fields
// of an existing product. Creation sends the whole product form built from p
// and the configured defaults (category when p has none, unit group, first
// allowed unit, tax group). Update takes the current product and its unit
// rows from the last read when recent (else reads them), changes only
// fields, and sends the whole form back: unit rows are
// all resent with their prices, so none is lost. Stock is never sent (it
// moves only through AdjustStock). A create is not retried once sent.
func (c *Client) SaveProduct(ctx context.Context, p snapshot.Product, fields []string) (snapshot.ID, error) {
	if p.ID == "" {
		return c.createProduct(ctx, p)
	}
	return p.ID, c.updateProduct(ctx, p, fields)
}

// productForm is the "variations[$primary]" entry of the product form.
type productForm struct {
	Identification map[string]any `json:"identification"`
	Expiracy       map[string]any `json:"expiracy"`
	Taxes          map[string]any `json:"taxes"`
	Units          map[string]any `json:"units"`
	Images         []any          `json:"images"`
	Groups         map[string]any `json:"groups"`
}

func (f productForm) MarshalJSON() ([]byte, error) {
	type plain productForm
	b, err := json.Marshal(plain(f))
	if err != nil {
		return nil, err
	}
	// "$primary" cannot be a Go field name.
	return append([]byte(`{"$primary":true,`), b[1:]...), nil
}

func statusOf(s snapshot.ProductStatus) string {
	if s == snapshot.ProductActive {
		return "available"
	}
	return "unavailable"
}

func enabledOf(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}

func (c *Client) createProduct(ctx context.Context, p snapshot.Product) (snapshot.ID, error) {
	d := c.Defaults()
	category := d.CategoryID
	if len(p.CategoryIDs) > 0 {
		category = p.CategoryIDs[0]
	}
	unit := p.UnitID
	if unit == "" {
		allowed, err := c.allowedUnitIDs(ctx)
		if err != nil {
			return "", fmt.Errorf("create product: %w", err)
		}
		if len(allowed) > 0 {
			unit = allowed[0]
		} else {
			unit = d.UnitID
		}
	}
	if category == "" || unit == "" || d.UnitGroupID == "" {
		return "", &Error{Op: "create product", Kind: KindInvalid, Message: "default category, unit group and unit must be configured (run the bootstrap)"}
	}
	price := json.Number(p.RegularPrice.String())
	form := productForm{
		Identification: map[string]any{
			"category_id": jsonID(category), "barcode": p.Barcode, "sku": p.SKU, "barcode_type": "code128",
			"type": "materialized", "status": statusOf(p.Status), "stock_management": enabledOf(p.ManageStock),
			"description": p.Description, "searchable": 1,
		},
		Expiracy: map[string]any{"expires": 0, "on_expiration": "prevent_sales"},
		Taxes:    map[string]any{"tax_group_id": jsonID(d.TaxGroupID), "tax_type": "inclusive"},
		Units: map[string]any{
			"unit_group": jsonID(d.UnitGroupID), "accurate_tracking": false, "auto_cogs": true,
			"selling_group": []map[string]any{{
				"unit_id": jsonID(unit), "sale_price_edit": price, "wholesale_price_edit": price,
				"cogs": 0, "stock_alert_enabled": 0, "low_quantity": 0, "visible": 1,
				"convert_unit_id": nil, "preview_url": "",
			}},
		},
		Images: []any{},
		Groups: map[string]any{"product_subitems": []any{}},
	}
	body := map[string]any{"name": p.Name, "variations": []productForm{form}}
	var resp struct {
		Data struct {
			Product productDTO `json:"product"`
		} `json:"data"`
	}
	if err := c.do(ctx, call{op: "create product", group: "products", method: "POST", path: "products", body: body}, &resp); err != nil {
		return "", err
	}
	id := snapshot.ID(resp.Data.Product.ID)
	if id == "" {
		return "", &Error{Op: "create product", Kind: KindTransient, Message: "response carries no product id"}
	}
	return id, nil
}

// productCacheAge is how long the product and unit rows of a read serve
// updates: one cycle's writes follow its read within it.
const productCacheAge = 10 * time.Minute

// currentProduct returns a product's row and unit rows: from the last read
// when it is recent (a cycle updates what it has just read), else GET
// /api/products/{id} and GET /api/products/{id}/units.
func (c *Client) currentProduct(ctx context.Context, id snapshot.ID) (productDTO, []unitRowDTO, error) {
	c.mu.Lock()
	src, ok := c.cache.products[id]
	fresh := c.clock.Now().Sub(c.cache.productsAt) <= productCacheAge
	c.mu.Unlock()
	if ok && fresh {
		return src.row, src.units, nil
	}
	cur, err := c.getProduct(ctx, id)
	if err != nil {
		return cur, nil, err
	}
	rows, err := c.productUnits(ctx, id)
	return cur, rows, err
}

func (c *Client) updateProduct(ctx context.Context, p snapshot.Product, fields []string) error {
	cur, rows, err := c.currentProduct(ctx, p.ID)
	if err != nil {
		return fmt.Errorf("update product: %w", err)
	}
	// Once sent, the cached rows are no longer what NexoPOS holds.
	defer func() {
		c.mu.Lock()
		delete(c.cache.products, p.ID)
		c.mu.Unlock()
	}()
	allowed, err := c.allowedUnitIDs(ctx)
	if err != nil {
		return fmt.Errorf("update product: %w", err)
	}
	priceRow := pickRow(rows, allowed)
	has := func(f string) bool { return fields == nil || slices.Contains(fields, f) }

	name := string(cur.Name)
	ident := map[string]any{
		"category_id": jsonID(snapshot.ID(cur.CategoryID)), "barcode": string(cur.Barcode), "sku": string(cur.SKU),
		"barcode_type": orDefault(string(cur.BarcodeType), "code128"), "type": orDefault(string(cur.Type), "materialized"),
		"status": orDefault(string(cur.Status), "available"), "stock_management": orDefault(string(cur.StockManagement), "enabled"),
		"description": string(cur.Description), "searchable": boolInt(bool(cur.Searchable)),
	}
	if has("name") {
		name = p.Name
	}
	if has("sku") {
		ident["sku"] = p.SKU
	}
	if has("barcode") && p.Barcode != "" {
		ident["barcode"] = p.Barcode
	}
	if has("description") {
		ident["description"] = p.Description
	}
	if has("status") {
		ident["status"] = statusOf(p.Status)
	}
	if has("manage_stock") {
		ident["stock_management"] = enabledOf(p.ManageStock)
	}
	if has("category_ids") && len(p.CategoryIDs) > 0 {
		ident["category_id"] = jsonID(p.CategoryIDs[0])
	}
	group := make([]map[string]any, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		price := r.SalePriceEdit.Decimal
		if has("regular_price") && r == priceRow {
			price = p.RegularPrice
		}
		group = append(group, map[string]any{
			"unit_id": jsonID(snapshot.ID(r.UnitID)), "sale_price_edit": json.Number(price.String()),
			"wholesale_price_edit": json.Number(r.WholesalePriceEdit.String()), "cogs": json.Number(r.Cogs.String()),
			"stock_alert_enabled": boolInt(bool(r.StockAlertEnabled)), "low_quantity": json.Number(r.LowQuantity.String()),
			"visible": boolInt(bool(r.Visible)), "convert_unit_id": jsonID(snapshot.ID(r.ConvertUnitID)),
			"preview_url": string(r.PreviewURL),
		})
	}
	taxType := orDefault(string(cur.TaxType), "inclusive")
	form := productForm{
		Identification: ident,
		Expiracy:       map[string]any{"expires": boolInt(bool(cur.Expires)), "on_expiration": orDefault(string(cur.OnExpiration), "prevent_sales")},
		Taxes:          map[string]any{"tax_group_id": jsonID(snapshot.ID(cur.TaxGroupID)), "tax_type": taxType},
		Units: map[string]any{
			"unit_group": jsonID(snapshot.ID(cur.UnitGroup)), "accurate_tracking": bool(cur.AccurateTrack),
			"auto_cogs": bool(cur.AutoCogs), "selling_group": group,
		},
		// The product row does not carry its gallery; woonexo does not sync
		// images, and an empty list is what NexoPOS requires here.
		Images: []any{},
		Groups: map[string]any{"product_subitems": []any{}},
	}
	body := map[string]any{"name": name, "variations": []productForm{form}}
	// A PUT of the whole record is idempotent: safe to repeat.
	return c.do(ctx, call{op: "update product", group: "products", method: "PUT", path: apiPath("products", p.ID), body: body, safe: true}, nil)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
