package woocommerce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/woonexo/woonexo/snapshot"
)

// Delete removes records: products and orders go to the trash (one DELETE
// each, Concurrency at a time: the batch endpoint always deletes for
// good), categories and customers are deleted for good through their batch
// endpoint. A product or order already in the trash counts as deleted.
func (c *Client) Delete(ctx context.Context, kind snapshot.Kind, ids []snapshot.ID) []Result {
	switch kind {
	case snapshot.KindCategory, snapshot.KindCustomer:
		path, group := "/customers", "customers"
		if kind == snapshot.KindCategory {
			path, group = "/products/categories", "products/categories"
		}
		items := make([]batchItem, len(ids))
		for i, id := range ids {
			items[i] = batchItem{index: i, op: opDelete, id: id}
		}
		return c.batchWrite(ctx, "delete "+string(kind), group, path, items, len(ids))
	case snapshot.KindProduct, snapshot.KindOrder:
		return c.trash(ctx, kind, ids)
	}
	res := make([]Result, len(ids))
	for i, id := range ids {
		res[i] = failed(i, id, "delete", "kind %s cannot be deleted", kind)
	}
	return res
}

func (c *Client) trash(ctx context.Context, kind snapshot.Kind, ids []snapshot.ID) []Result {
	group := "products"
	if kind == snapshot.KindOrder {
		group = "orders"
	}
	res := make([]Result, len(ids))
	var g errgroup.Group
	g.SetLimit(c.conc)
	for i, id := range ids {
		g.Go(func() error {
			res[i] = Result{Index: i, ID: id}
			if _, err := raw(id).integer(); err != nil || id == "" {
				res[i] = failed(i, id, "trash "+group, "id %q is not a number", id)
				return nil
			}
			_, err := c.do(ctx, call{op: "trash " + string(kind), group: group, method: "DELETE",
				path: "/" + group + "/" + string(id)})
			if err != nil && !isAlreadyTrashed(err) {
				res[i].Err = err
			}
			return nil
		})
	}
	_ = g.Wait()
	return res
}

func isAlreadyTrashed(err error) bool {
	var e *Error
	return asError(err, &e) && e.Status == 410 && e.Code == "woocommerce_rest_already_trashed"
}

// FindProductBySKU returns the product whose SKU is sku, in any status
// including the trash, or nil, nil when there is none. A SKU held by a
// variation or another unsupported type is a KindConflict error naming it.
func (c *Client) FindProductBySKU(ctx context.Context, sku string) (*snapshot.Product, error) {
	sku = strings.TrimSpace(sku)
	if sku == "" {
		return nil, nil
	}
	for _, status := range []string{"any", "trash"} {
		q := url.Values{"sku": {sku}, "status": {status}, "context": {"edit"}, "per_page": {"10"},
			"_fields": {productFields}}
		items, err := c.getList(ctx, "find product by sku", "products", "/products", q)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			p, h := DecodeProduct(it)
			if h != nil {
				if h.Class == ClassUnsupportedType {
					return nil, &Error{Op: "find product by sku", Kind: KindConflict, ResourceID: h.ID,
						Message: fmt.Sprintf("sku %q belongs to record %s: %s", sku, h.ID, h.Reason)}
				}
				return nil, &Error{Op: "find product by sku", Kind: KindInvalid, ResourceID: h.ID, Message: h.Reason}
			}
			if snapshot.SKUKey(p.SKU) == snapshot.SKUKey(sku) {
				return &p, nil
			}
		}
	}
	return nil, nil
}

// FindCustomerByEmail returns the user (any role, administrators included)
// whose e-mail is email, or nil, nil.
func (c *Client) FindCustomerByEmail(ctx context.Context, email string) (*snapshot.Customer, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, nil
	}
	q := url.Values{"email": {email}, "role": {"all"}, "_fields": {customerFields}}
	items, err := c.getList(ctx, "find customer by email", "customers", "/customers", q)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		cu, h := DecodeCustomer(it)
		if h != nil {
			return nil, &Error{Op: "find customer by email", Kind: KindInvalid, ResourceID: h.ID, Message: h.Reason}
		}
		if snapshot.EmailKey(cu.Email) == snapshot.EmailKey(email) {
			return &cu, nil
		}
	}
	return nil, nil
}

// FindCategory returns the category named name (compared as WooCommerce
// does, ignoring case) under parentID ("" = top level), or nil, nil.
func (c *Client) FindCategory(ctx context.Context, name string, parentID snapshot.ID) (*snapshot.Category, error) {
	parent := string(parentID)
	if parent == "" {
		parent = "0"
	}
	q := url.Values{"search": {name}, "parent": {parent}, "context": {"edit"}, "_fields": {categoryFields}}
	items, err := c.list(ctx, listing{op: "find category", group: "products/categories", path: "/products/categories", query: q, paged: true})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		cat, h := DecodeCategory(it)
		if h != nil {
			continue
		}
		if snapshot.NameKey(cat.Name) == snapshot.NameKey(name) && cat.ParentID == parentID {
			return &cat, nil
		}
	}
	return nil, nil
}

// FindOrderByReference returns the order carrying ref in its meta
// ReferenceMetaKey among the orders modified since since (minus the
// overlap; all orders when since is zero), or nil, nil.
func (c *Client) FindOrderByReference(ctx context.Context, ref string, since time.Time) (*snapshot.Order, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, nil
	}
	q := url.Values{"_fields": {orderFields}}
	if !since.IsZero() && c.incremental() {
		q.Set("modified_after", modifiedAfter(since.Add(-c.overlap)))
		q.Set("dates_are_gmt", "true")
	}
	items, err := c.list(ctx, listing{op: "find order by reference", group: "orders", path: "/orders", query: q, paged: true})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		o, h := DecodeOrder(it)
		if h == nil && o.Reference == ref {
			return &o, nil
		}
		if h != nil && strings.Contains(string(it), ref) {
			return nil, &Error{Op: "find order by reference", Kind: KindInvalid, ResourceID: h.ID,
				Message: "an order that may carry the reference cannot be read: " + h.Reason}
		}
	}
	return nil, nil
}

// getList is one GET of a list page (lookups need no paging).
func (c *Client) getList(ctx context.Context, op, group, path string, q url.Values) ([]json.RawMessage, error) {
	r, err := c.do(ctx, call{op: op, group: group, method: "GET", path: path, query: q})
	if err != nil {
		return nil, err
	}
	return decodeArray(op, r.body)
}
