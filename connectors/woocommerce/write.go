package woocommerce

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/woonexo/woonexo/snapshot"
)

// CategoryWrite creates (Category.ID "") or updates a category; on update
// only the canonical Fields named are sent.
type CategoryWrite struct {
	Category snapshot.Category
	Fields   []string
}

// ProductWrite creates (Product.ID "") or updates a simple product; on
// update only the canonical Fields named are sent. Stock, when set, is
// written too (manage_stock true and the quantity, rounded down to whole
// units as WooCommerce stores them).
type ProductWrite struct {
	Product snapshot.Product
	Fields  []string
	Stock   *snapshot.Decimal
}

// StockWrite sets a product's stock quantity (and manage_stock true).
type StockWrite struct {
	ID       snapshot.ID
	Quantity snapshot.Decimal
}

// CustomerWrite creates (Customer.ID "") or updates a customer; on update
// only the canonical Fields named are sent ("phone" is the billing phone).
type CustomerWrite struct {
	Customer snapshot.Customer
	Fields   []string
}

// OrderCreate creates an order from a canonical one: product lines by
// product id, quick lines as fee lines, the Reference in order meta
// ReferenceMetaKey, an optional shipping line, and SetPaid for set_paid.
type OrderCreate struct {
	Order               snapshot.Order
	ShippingMethodID    string
	ShippingMethodTitle string
	SetPaid             bool
}

// OrderStatusWrite sets an order's WooCommerce status slug ("completed").
type OrderStatusWrite struct {
	ID     snapshot.ID
	Status string
}

// wants reports whether field is to be sent: always on create.
func wants(create bool, fields []string, field string) bool {
	return create || slices.Contains(fields, field)
}

// SaveCategories creates and updates categories through
// /products/categories/batch.
func (c *Client) SaveCategories(ctx context.Context, ws []CategoryWrite) []Result {
	var items []batchItem
	var pre []Result
	for i, w := range ws {
		create := w.Category.ID == ""
		b := map[string]any{}
		if wants(create, w.Fields, "name") {
			b["name"] = w.Category.Name
		}
		if wants(create, w.Fields, "parent_id") {
			b["parent"] = idNumberOrZero(w.Category.ParentID)
		}
		if wants(create, w.Fields, "description") {
			b["description"] = w.Category.Description
		}
		items, pre = c.queue(items, pre, i, w.Category.ID, b)
	}
	return merged(c.batchWrite(ctx, "save categories", "products/categories", "/products/categories", items, len(ws)), pre)
}

// queue adds a create (id "") or update to items; an update with nothing
// to send succeeds without a request.
func (c *Client) queue(items []batchItem, pre []Result, i int, id snapshot.ID, b map[string]any) ([]batchItem, []Result) {
	switch {
	case id == "":
		return append(items, batchItem{index: i, op: opCreate, body: b}), pre
	case len(b) == 0:
		return items, append(pre, Result{Index: i, ID: id})
	}
	return append(items, batchItem{index: i, op: opUpdate, id: id, body: b}), pre
}

// merged overlays results decided before sending on the batch results.
func merged(res []Result, pre []Result) []Result {
	for _, r := range pre {
		res[r.Index] = r
	}
	return res
}

func idNumberOrZero(id snapshot.ID) any {
	if id == "" {
		return 0
	}
	return idNumber(id)
}

var productStatusSlugs = map[snapshot.ProductStatus]string{
	snapshot.ProductActive: "publish", snapshot.ProductInactive: "draft",
}

// SaveProducts creates and updates simple products through /products/batch.
func (c *Client) SaveProducts(ctx context.Context, ws []ProductWrite) []Result {
	places := c.Form().MoneyPlaces
	var items []batchItem
	var pre []Result
	for i, w := range ws {
		p, create := w.Product, w.Product.ID == ""
		b := map[string]any{}
		if create {
			b["type"] = "simple"
		}
		if wants(create, w.Fields, "name") {
			b["name"] = p.Name
		}
		if wants(create, w.Fields, "sku") {
			b["sku"] = strings.TrimSpace(p.SKU)
		}
		if wants(create, w.Fields, "description") {
			b["description"] = p.Description
		}
		if wants(create, w.Fields, "status") {
			slug, ok := productStatusSlugs[p.Status]
			if !ok {
				pre = append(pre, failed(i, p.ID, "save products", "product status %q cannot be written", p.Status))
				continue
			}
			b["status"] = slug
		}
		if wants(create, w.Fields, "regular_price") {
			b["regular_price"] = p.RegularPrice.StringFixed(places)
		}
		if wants(create, w.Fields, "sale_price") {
			b["sale_price"] = ""
			if p.HasSalePrice {
				b["sale_price"] = p.SalePrice.StringFixed(places)
			}
		}
		if wants(create, w.Fields, "category_ids") {
			cats := make([]map[string]any, 0, len(p.CategoryIDs))
			for _, id := range p.CategoryIDs {
				cats = append(cats, map[string]any{"id": idNumber(id)})
			}
			b["categories"] = cats
		}
		if wants(create, w.Fields, "manage_stock") {
			b["manage_stock"] = p.ManageStock
		}
		if w.Stock != nil {
			b["manage_stock"] = true
			b["stock_quantity"] = wholeUnits(*w.Stock)
		}
		items, pre = c.queue(items, pre, i, p.ID, b)
	}
	return merged(c.batchWrite(ctx, "save products", "products", "/products", items, len(ws)), pre)
}

// wholeUnits rounds a quantity down to the whole units WooCommerce stores
// (a fractional quantity is refused by the API): never more than there is.
func wholeUnits(q snapshot.Decimal) int64 {
	n := q.IntPart()
	if !q.IsInteger() && q.Micros() < 0 {
		n--
	}
	return n
}

// SetStock writes stock quantities (and manage_stock true) through
// /products/batch: 100 products per request.
func (c *Client) SetStock(ctx context.Context, ws []StockWrite) []Result {
	items := make([]batchItem, 0, len(ws))
	var pre []Result
	for i, w := range ws {
		if w.ID == "" {
			pre = append(pre, failed(i, "", "set stock", "product id missing"))
			continue
		}
		items = append(items, batchItem{index: i, op: opUpdate, id: w.ID,
			body: map[string]any{"manage_stock": true, "stock_quantity": wholeUnits(w.Quantity)}})
	}
	return merged(c.batchWrite(ctx, "set stock", "products", "/products", items, len(ws)), pre)
}

var addressKeys = []string{"first_name", "last_name", "company", "address_1", "address_2", "city",
	"state", "postcode", "country", "email", "phone"}

func addressValues(a snapshot.Address) []string {
	return []string{a.FirstName, a.LastName, a.Company, a.Address1, a.Address2, a.City, a.State,
		a.Postcode, a.Country, a.Email, a.Phone}
}

// addressBody returns the requested keys of an address ("shipping" has no
// email on WooCommerce).
func addressBody(prefix string, a snapshot.Address, create bool, fields []string) map[string]any {
	out := map[string]any{}
	vals := addressValues(a)
	for i, k := range addressKeys {
		if prefix == "shipping" && k == "email" {
			continue
		}
		if wants(create, fields, prefix+"."+k) {
			out[k] = vals[i]
		}
	}
	return out
}

// SaveCustomers creates and updates customers through /customers/batch. A
// create whose e-mail is taken (also by an administrator) fails with
// KindConflict, code "registration-error-email-exists".
func (c *Client) SaveCustomers(ctx context.Context, ws []CustomerWrite) []Result {
	var items []batchItem
	var pre []Result
	for i, w := range ws {
		cu, create := w.Customer, w.Customer.ID == ""
		b := map[string]any{}
		if wants(create, w.Fields, "email") {
			b["email"] = strings.TrimSpace(cu.Email)
		}
		if wants(create, w.Fields, "first_name") {
			b["first_name"] = cu.FirstName
		}
		if wants(create, w.Fields, "last_name") {
			b["last_name"] = cu.LastName
		}
		billing := addressBody("billing", cu.Billing, create, w.Fields)
		if wants(create, w.Fields, "phone") && (create && cu.Billing.Phone == "" || !create) {
			billing["phone"] = cu.Phone
		}
		if len(billing) > 0 {
			b["billing"] = billing
		}
		if shipping := addressBody("shipping", cu.Shipping, create, w.Fields); len(shipping) > 0 {
			b["shipping"] = shipping
		}
		items, pre = c.queue(items, pre, i, cu.ID, b)
	}
	return merged(c.batchWrite(ctx, "save customers", "customers", "/customers", items, len(ws)), pre)
}

var orderStatusSlugs = map[snapshot.OrderStatus]string{
	snapshot.OrderPending: "pending", snapshot.OrderProcessing: "processing",
	snapshot.OrderCompleted: "completed", snapshot.OrderCancelled: "cancelled",
	snapshot.OrderRefunded: "refunded", snapshot.OrderFailed: "failed", snapshot.OrderPartial: "on-hold",
}

// CreateOrders creates orders through /orders/batch. Creates are never
// repeated after a failure that may have reached the store: such items
// come back with a KindTransient error, and the caller looks the order up
// (FindOrderByReference) before trying again.
func (c *Client) CreateOrders(ctx context.Context, ws []OrderCreate) []Result {
	var items []batchItem
	var pre []Result
	for i, w := range ws {
		b, err := c.orderBody(w)
		if err != nil {
			pre = append(pre, failed(i, "", "create orders", "%v", err))
			continue
		}
		items = append(items, batchItem{index: i, op: opCreate, body: b})
	}
	return merged(c.batchWrite(ctx, "create orders", "orders", "/orders", items, len(ws)), pre)
}

func (c *Client) orderBody(w OrderCreate) (map[string]any, error) {
	places := c.Form().MoneyPlaces
	o := w.Order
	b := map[string]any{
		"payment_method":       o.PaymentMethod,
		"payment_method_title": o.PaymentTitle,
		"set_paid":             w.SetPaid,
		"billing":              addressBody("billing", o.Billing, true, nil),
		"shipping":             addressBody("shipping", o.ShippingAddr, true, nil),
		"customer_note":        o.Note,
	}
	if o.Email != "" && o.Billing.Email == "" {
		b["billing"].(map[string]any)["email"] = o.Email
	}
	if o.CustomerID != "" {
		b["customer_id"] = idNumber(o.CustomerID)
	}
	if o.Currency != "" {
		b["currency"] = o.Currency
	}
	if slug, ok := orderStatusSlugs[o.Status]; ok && !(w.SetPaid && o.Status == snapshot.OrderPending) {
		b["status"] = slug
	}
	if o.Reference != "" {
		b["meta_data"] = []map[string]any{{"key": ReferenceMetaKey, "value": o.Reference}}
	}
	var lines, fees []map[string]any
	for n, l := range o.Lines {
		total := l.Total.StringFixed(places)
		if l.Kind == snapshot.LineQuick || l.ProductID == "" {
			name := l.Name
			if !l.Quantity.IsZero() && l.Quantity.Cmp(snapshot.NewDecimal(1)) != 0 {
				name = fmt.Sprintf("%s × %s", l.Name, l.Quantity)
			}
			fees = append(fees, map[string]any{"name": name, "total": total})
			continue
		}
		if !l.Quantity.IsInteger() || l.Quantity.Micros() <= 0 {
			return nil, fmt.Errorf("line %d: quantity %s is not a positive whole number", n, l.Quantity)
		}
		lines = append(lines, map[string]any{"product_id": idNumber(l.ProductID),
			"quantity": l.Quantity.IntPart(), "subtotal": total, "total": total})
	}
	if lines != nil {
		b["line_items"] = lines
	}
	if fees != nil {
		b["fee_lines"] = fees
	}
	if w.ShippingMethodID != "" {
		b["shipping_lines"] = []map[string]any{{"method_id": w.ShippingMethodID,
			"method_title": w.ShippingMethodTitle, "total": o.Shipping.StringFixed(places)}}
	}
	return b, nil
}

// UpdateOrderStatus sets order statuses through /orders/batch.
func (c *Client) UpdateOrderStatus(ctx context.Context, ws []OrderStatusWrite) []Result {
	items := make([]batchItem, 0, len(ws))
	var pre []Result
	for i, w := range ws {
		if w.ID == "" || w.Status == "" {
			pre = append(pre, failed(i, w.ID, "update order status", "order id and status are required"))
			continue
		}
		items = append(items, batchItem{index: i, op: opUpdate, id: w.ID, body: map[string]any{"status": w.Status}})
	}
	return merged(c.batchWrite(ctx, "update order status", "orders", "/orders", items, len(ws)), pre)
}
