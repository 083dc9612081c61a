package nexopos

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/woonexo/woonexo/snapshot"
)

// OrderCreate is an order to create in NexoPOS. Order.Reference (the
// WooCommerce order number) goes into the title ("WC #1234") and, when
// Order.Note is empty, the note; product lines carry NexoPOS product ids.
type OrderCreate struct {
	Order snapshot.Order
	// PaymentIdentifier is the NexoPOS payment identifier the order is paid
	// with (one payment of Order.Total); "" uses Order.PaymentMethod, and
	// no identifier at all leaves the order unpaid.
	PaymentIdentifier string
	// CustomerID is the NexoPOS customer; "" uses Order.CustomerID, then the
	// default (walk-in) customer.
	CustomerID snapshot.ID
}

// CreateOrder places the order (POST /api/orders). A paid order takes its
// quantities out of stock at once (NexoPOS 5.3). Product lines are keyed by
// product_id and the unit_quantity_id of the product's allowed unit row
// (from the last read, else GET /api/products/{id}/units); quick lines go
// with product_id 0, their name and price. Not retried once sent: the
// caller's journal looks the order up by reference instead.
func (c *Client) CreateOrder(ctx context.Context, oc OrderCreate) (snapshot.ID, error) {
	id, _, err := c.PlaceOrder(ctx, oc)
	return id, err
}

// PlaceOrder is CreateOrder that also returns the order as NexoPOS placed
// it, read from the create answer (status, lines, payments, totals; the
// answer carries no addresses, so they are the ones sent), so the caller
// can hold it without reading it back. placed is nil when the answer
// carries no readable order.
func (c *Client) PlaceOrder(ctx context.Context, oc OrderCreate) (id snapshot.ID, placed *snapshot.Order, err error) {
	o := oc.Order
	if strings.TrimSpace(o.Reference) == "" {
		return "", nil, &Error{Op: "create order", Kind: KindInvalid, Message: "an order needs its WooCommerce reference"}
	}
	d := c.Defaults()
	customer := firstID(oc.CustomerID, o.CustomerID, d.CustomerID)
	if customer == "" {
		return "", nil, &Error{Op: "create order", Kind: KindInvalid, Message: "no customer and no default customer configured"}
	}
	lines := make([]map[string]any, 0, len(o.Lines))
	for i, l := range o.Lines {
		line := map[string]any{"name": l.Name, "quantity": json.Number(l.Quantity.String()),
			"unit_price": json.Number(l.UnitPrice.String()), "total_price": json.Number(l.Total.String()), "mode": "normal"}
		if l.Kind == snapshot.LineQuick || l.ProductID == "" {
			line["product_id"] = 0
			if d.UnitID != "" {
				line["unit_id"] = jsonID(d.UnitID)
			} else {
				line["unit_name"] = "piece"
			}
		} else {
			row, err := c.allowedRow(ctx, l.ProductID)
			if err != nil {
				return "", nil, fmt.Errorf("create order: line %d: %w", i+1, err)
			}
			line["product_id"] = jsonID(l.ProductID)
			line["unit_quantity_id"] = jsonID(row.ID)
			line["unit_id"] = jsonID(row.UnitID)
		}
		lines = append(lines, line)
	}
	note := o.Note
	if strings.TrimSpace(note) == "" {
		note = TitleFor(o.Reference)
	}
	kind := "takeaway"
	if !o.Shipping.IsZero() || o.ShippingAddr != (snapshot.Address{}) {
		kind = "delivery"
	}
	body := map[string]any{
		"customer_id": jsonID(customer),
		"type":        map[string]any{"identifier": kind},
		"products":    lines,
		"shipping":    json.Number(o.Shipping.String()),
		"addresses":   map[string]any{"billing": addressForm(o.Billing), "shipping": addressForm(o.ShippingAddr)},
		"title":       TitleFor(o.Reference),
		"note":        note,
	}
	payment := oc.PaymentIdentifier
	if payment == "" {
		payment = o.PaymentMethod
	}
	if payment != "" {
		body["payments"] = []map[string]any{{"identifier": payment, "value": json.Number(o.Total.String())}}
	}
	var resp struct {
		Data struct {
			Order json.RawMessage `json:"order"`
		} `json:"data"`
	}
	if err := c.do(ctx, call{op: "create order", group: "orders", method: "POST", path: "orders", body: body}, &resp); err != nil {
		return "", nil, err
	}
	// Some builds nest the row once more.
	var nested struct {
		Order json.RawMessage `json:"order"`
	}
	raw := resp.Data.Order
	if json.Unmarshal(raw, &nested) == nil && len(nested.Order) > 0 && idOf(raw) == "" {
		raw = nested.Order
	}
	if id = idOf(raw); id == "" {
		return "", nil, &Error{Op: "create order", Kind: KindTransient, Message: "response carries no order id"}
	}
	if dto, err := decodeOrder(raw); err == nil && dto.PaymentStatus != "" {
		rec := orderFromDTO(dto, c.tz)
		if dto.BillingAddress == nil {
			rec.Billing = sentAddress(o.Billing)
		}
		if dto.ShippingAddress == nil {
			rec.ShippingAddr = sentAddress(o.ShippingAddr)
		}
		placed = &rec
	}
	return id, placed, nil
}

// sentAddress is an address as NexoPOS stores it from an order create
// (it has no state field).
func sentAddress(a snapshot.Address) snapshot.Address {
	a.State = ""
	return a
}

func firstID(ids ...snapshot.ID) snapshot.ID {
	for _, id := range ids {
		if id != "" {
			return id
		}
	}
	return ""
}

// VoidOrder voids an order (POST /api/orders/{id}/void); NexoPOS 5.3 puts
// the stock of a paid order back.
func (c *Client) VoidOrder(ctx context.Context, id snapshot.ID, reason string) error {
	if strings.TrimSpace(reason) == "" {
		reason = "cancelled in WooCommerce"
	}
	return c.do(ctx, call{op: "void order", group: "orders", method: "POST", path: apiPath("orders", id, "void"),
		body: map[string]any{"reason": reason}}, nil)
}

// RefundOrder refunds every line still sold, and the shipping, to the
// order's first payment method (POST /api/orders/{id}/refund); the stock
// returns as "unspoiled".
func (c *Client) RefundOrder(ctx context.Context, id snapshot.ID, reason string) error {
	o, err := c.getOrderDTO(ctx, id)
	if err != nil {
		return fmt.Errorf("refund order: %w", err)
	}
	payment := "cash-payment"
	if len(o.Payments) > 0 && o.Payments[0].Identifier != "" {
		payment = string(o.Payments[0].Identifier)
	}
	total := o.Shipping.Decimal
	var lines []map[string]any
	for _, l := range o.Products {
		if string(l.Status) == "returned" || l.Quantity.IsZero() || l.ID == "" {
			continue
		}
		total = total.Add(l.UnitPrice.Mul(l.Quantity.Decimal))
		lines = append(lines, map[string]any{"id": jsonID(snapshot.ID(l.ID)), "quantity": json.Number(l.Quantity.String()),
			"unit_price": json.Number(l.UnitPrice.String()), "condition": "unspoiled", "description": reason})
	}
	if len(lines) == 0 {
		return &Error{Op: "refund order", Kind: KindInvalid, Message: "order " + string(id) + " has nothing left to refund"}
	}
	body := map[string]any{"payment": map[string]any{"identifier": payment}, "refund_shipping": !o.Shipping.IsZero(),
		"total": json.Number(total.String()), "products": lines}
	return c.do(ctx, call{op: "refund order", group: "orders", method: "POST", path: apiPath("orders", id, "refund"), body: body}, nil)
}
