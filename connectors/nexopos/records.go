package nexopos

import (
	"context"
	"fmt"

	"github.com/woonexo/woonexo/snapshot"
)

// SaveCategory creates (ID "") or updates a category (POST|PUT
// /api/categories): name, parent and description. A create is not retried
// once sent.
func (c *Client) SaveCategory(ctx context.Context, cat snapshot.Category) (snapshot.ID, error) {
	parent := any(0)
	if cat.ParentID != "" {
		parent = jsonID(cat.ParentID)
	}
	body := map[string]any{"name": cat.Name, "parent_id": parent, "description": cat.Description}
	if cat.ID != "" {
		err := c.do(ctx, call{op: "update category", group: "categories", method: "PUT", path: apiPath("categories", cat.ID), body: body, safe: true}, nil)
		return cat.ID, err
	}
	var resp struct {
		Data struct {
			Category categoryDTO `json:"category"`
		} `json:"data"`
	}
	if err := c.do(ctx, call{op: "create category", group: "categories", method: "POST", path: "categories", body: body}, &resp); err != nil {
		return "", err
	}
	if resp.Data.Category.ID == "" {
		return "", &Error{Op: "create category", Kind: KindTransient, Message: "response carries no category id"}
	}
	return snapshot.ID(resp.Data.Category.ID), nil
}

// FindCategory returns the category named name (compared as
// snapshot.NameKey) under parentID ("" = root), nil when none.
func (c *Client) FindCategory(ctx context.Context, name string, parentID snapshot.ID) (*snapshot.Category, error) {
	cats, _, err := c.readCategories(ctx)
	if err != nil {
		return nil, err
	}
	key := snapshot.NameKey(name)
	for _, cat := range cats {
		if cat.ParentID == parentID && snapshot.NameKey(cat.Name) == key {
			return &cat, nil
		}
	}
	return nil, nil
}

// CreatePaymentType creates an active payment type (CRUD
// ns.payments-types). A duplicate identifier is a conflict.
func (c *Client) CreatePaymentType(ctx context.Context, identifier, label string) (snapshot.ID, error) {
	if label == "" {
		label = identifier
	}
	body := map[string]any{"label": label, "general": map[string]any{"active": 1, "priority": 0, "identifier": identifier, "description": ""}}
	return c.crudCreate(ctx, "create payment type", "payment_types", "ns.payments-types", body)
}

// crudCreate posts a CRUD form and returns data.entry.id.
func (c *Client) crudCreate(ctx context.Context, op, group, ns string, body any) (snapshot.ID, error) {
	var resp struct {
		Data struct {
			Entry struct {
				ID flexID `json:"id"`
			} `json:"entry"`
		} `json:"data"`
	}
	if err := c.do(ctx, call{op: op, group: group, method: "POST", path: apiPath("crud", ns), body: body}, &resp); err != nil {
		return "", err
	}
	if resp.Data.Entry.ID == "" {
		return "", &Error{Op: op, Kind: KindTransient, Message: "response carries no id"}
	}
	return snapshot.ID(resp.Data.Entry.ID), nil
}

// Delete removes one record: products, categories and customers through
// their own routes (NexoPOS refuses when orders depend on them), orders
// through DELETE /api/orders/{id} (stock returns unless voided), payment
// types through the CRUD API.
func (c *Client) Delete(ctx context.Context, kind snapshot.Kind, id snapshot.ID) error {
	var path, group string
	switch kind {
	case snapshot.KindProduct:
		path, group = apiPath("products", id), "products"
	case snapshot.KindCategory:
		path, group = apiPath("categories", id), "categories"
	case snapshot.KindCustomer:
		path, group = apiPath("customers", id), "customers"
	case snapshot.KindOrder:
		path, group = apiPath("orders", id), "orders"
	case snapshot.KindPaymentMethod:
		path, group = apiPath("crud", "ns.payments-types", id), "payment_types"
	default:
		return &Error{Op: "delete", Kind: KindInvalid, Message: fmt.Sprintf("unknown kind %q", kind)}
	}
	if id == "" {
		return &Error{Op: "delete " + string(kind), Kind: KindInvalid, Message: "no id"}
	}
	return c.do(ctx, call{op: "delete " + string(kind), group: group, method: "DELETE", path: path, safe: true}, nil)
}
