package woocommerce

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/woonexo/woonexo/snapshot"
)

// ShippingMethods lists the shipping method types the store knows
// (GET /shipping_methods, one unpaginated request: "flat_rate",
// "free_shipping", "local_pickup", plus what plugins add), so that the
// shipping method configured for orders sent to WooCommerce can be
// verified at start.
//
// Each method comes back in the PaymentMethod record shape: ID and
// Identifier are the method id (what an order's shipping_lines[].method_id
// holds), Title is its title, and Enabled is always true: a listed type is
// registered and usable on an order; which zones offer it to shoppers is
// zone configuration, not part of this listing.
//
// A method that cannot be decoded is not dropped silently: the others are
// returned with an *Error of kind invalid naming it and the reason.
func (c *Client) ShippingMethods(ctx context.Context) ([]snapshot.PaymentMethod, error) {
	const op = "list shipping methods"
	items, err := c.list(ctx, listing{op: op, group: "shipping_methods", path: "/shipping_methods",
		query: url.Values{"_fields": {"id,title"}}})
	if err != nil {
		return nil, err
	}
	out := make([]snapshot.PaymentMethod, 0, len(items))
	var bad []string
	for i, it := range items {
		m, reason := decodeShippingMethod(it)
		if reason != "" {
			bad = append(bad, fmt.Sprintf("item %d (id %q): %s", i, m.ID, reason))
			continue
		}
		out = append(out, m)
	}
	if len(bad) > 0 {
		return out, &Error{Op: op, Kind: KindInvalid, Message: "shipping methods not decoded: " + strings.Join(bad, "; ")}
	}
	return out, nil
}

// decodeShippingMethod maps one shipping method; reason is set when it
// cannot be used (the id, as far as it was read, is still in m.ID).
func decodeShippingMethod(b []byte) (m snapshot.PaymentMethod, reason string) {
	r := &record{kind: snapshot.KindPaymentMethod}
	obj, err := raw(b).object()
	if err != nil {
		return m, "not a JSON object: " + raw(b).quote()
	}
	r.m = obj
	id := r.text("id")
	m = snapshot.PaymentMethod{ID: snapshot.ID(id), Identifier: id, Title: r.name("title"), Enabled: true}
	if id == "" && r.reason == "" {
		r.fail(ClassDecode, `field "id" missing`)
	}
	return m, r.reason
}
