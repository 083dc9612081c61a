package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/woonexo/woonexo/connectors/woocommerce"
	"github.com/woonexo/woonexo/reconcile"
	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
)

// wooSystem gives the cycle the WooCommerce client's reads, batched writes
// and natural-key lookups.
type wooSystem struct{ c *woocommerce.Client }

func (w wooSystem) Read(ctx context.Context, req reconcile.ReadRequest) (snapshot.Snapshot, error) {
	return w.c.ReadSnapshot(ctx, woocommerce.ReadOptions{Full: req.Full, Since: req.Since, PastBefore: req.PastBefore})
}

// Write sends writes of one kind and action through the matching batch
// endpoint; mixed input is split into runs of one kind and action.
func (w wooSystem) Write(ctx context.Context, ws []reconcile.Write) []reconcile.WriteResult {
	out := make([]reconcile.WriteResult, len(ws))
	for start := 0; start < len(ws); {
		end := start + 1
		for end < len(ws) && ws[end].Kind == ws[start].Kind && ws[end].Action == ws[start].Action {
			end++
		}
		copy(out[start:end], w.writeRun(ctx, ws[start:end]))
		start = end
	}
	return out
}

func (w wooSystem) writeRun(ctx context.Context, ws []reconcile.Write) []reconcile.WriteResult {
	first := ws[0]
	switch {
	case first.Action == threeway.ActionDelete:
		ids := make([]snapshot.ID, len(ws))
		for i, x := range ws {
			ids[i] = x.ID
		}
		return wooResults(w.c.Delete(ctx, first.Kind, ids), len(ws))
	case first.Action == threeway.ActionStock:
		sw := make([]woocommerce.StockWrite, len(ws))
		for i, x := range ws {
			sw[i] = woocommerce.StockWrite{ID: x.ID, Quantity: deref(x.Quantity)}
		}
		return wooResults(w.c.SetStock(ctx, sw), len(ws))
	}
	switch first.Kind {
	case snapshot.KindCategory:
		cw := make([]woocommerce.CategoryWrite, len(ws))
		for i, x := range ws {
			cw[i] = woocommerce.CategoryWrite{Category: x.Record.(snapshot.Category), Fields: x.Fields}
		}
		return wooResults(w.c.SaveCategories(ctx, cw), len(ws))
	case snapshot.KindProduct:
		pw := make([]woocommerce.ProductWrite, len(ws))
		for i, x := range ws {
			pw[i] = woocommerce.ProductWrite{Product: x.Record.(snapshot.Product), Fields: x.Fields, Stock: x.Quantity}
		}
		return wooResults(w.c.SaveProducts(ctx, pw), len(ws))
	case snapshot.KindCustomer:
		cw := make([]woocommerce.CustomerWrite, len(ws))
		for i, x := range ws {
			cw[i] = woocommerce.CustomerWrite{Customer: x.Record.(snapshot.Customer), Fields: x.Fields}
		}
		return wooResults(w.c.SaveCustomers(ctx, cw), len(ws))
	case snapshot.KindOrder:
		if first.Action == threeway.ActionUpdate {
			return w.orderStatus(ctx, ws)
		}
		if first.Action != threeway.ActionCreate {
			return unsupported(ws, "WooCommerce order "+string(first.Action))
		}
		oc := make([]woocommerce.OrderCreate, len(ws))
		for i, x := range ws {
			o := x.Record.(snapshot.Order)
			c := woocommerce.OrderCreate{Order: o}
			if x.Order != nil {
				c.Order.PaymentMethod = string(x.Order.PaymentMethod.ID)
				c.Order.PaymentTitle = x.Order.PaymentMethod.Title
				c.Order.CustomerID = x.Order.CustomerID
				c.ShippingMethodID = string(x.Order.ShippingMethod.ID)
				c.ShippingMethodTitle = x.Order.ShippingMethod.Title
				c.SetPaid = x.Order.SetPaid
			}
			oc[i] = c
		}
		return wooResults(w.c.CreateOrders(ctx, oc), len(ws))
	}
	return unsupported(ws, fmt.Sprintf("WooCommerce %s %s", first.Kind, first.Action))
}

// orderStatus sends order updates, which carry only a status (a NexoPOS
// void or refund followed on the WooCommerce twin), as status writes.
func (w wooSystem) orderStatus(ctx context.Context, ws []reconcile.Write) []reconcile.WriteResult {
	out := make([]reconcile.WriteResult, len(ws))
	var sw []woocommerce.OrderStatusWrite
	var at []int
	for i, x := range ws {
		o, ok := x.Record.(snapshot.Order)
		slug := wooOrderStatus(o.Status)
		switch {
		case !ok || !slices.Equal(x.Fields, []string{"status"}):
			out[i].Err = fmt.Errorf("WooCommerce order update of %v is not supported (only status)", x.Fields)
		case slug == "":
			out[i].Err = fmt.Errorf("WooCommerce has no order status for %q", o.Status)
		default:
			sw = append(sw, woocommerce.OrderStatusWrite{ID: x.ID, Status: slug})
			at = append(at, i)
		}
	}
	if len(sw) == 0 {
		return out
	}
	for i, r := range wooResults(w.c.UpdateOrderStatus(ctx, sw), len(sw)) {
		out[at[i]] = r
	}
	return out
}

// wooOrderStatus is the WooCommerce status slug of a canonical order
// status, "" when there is none.
func wooOrderStatus(s snapshot.OrderStatus) string {
	switch s {
	case snapshot.OrderPending:
		return "pending"
	case snapshot.OrderProcessing:
		return "processing"
	case snapshot.OrderCompleted:
		return "completed"
	case snapshot.OrderCancelled:
		return "cancelled"
	case snapshot.OrderRefunded:
		return "refunded"
	case snapshot.OrderFailed:
		return "failed"
	}
	return ""
}

// Find looks a record up by natural key (see reconcile.Finder).
func (w wooSystem) Find(ctx context.Context, kind snapshot.Kind, key string, since time.Time) (snapshot.ID, bool, error) {
	switch kind {
	case snapshot.KindProduct:
		p, err := w.c.FindProductBySKU(ctx, key)
		if p == nil || err != nil || p.Status == snapshot.ProductTrashed {
			return "", false, err // a trashed product is not the twin a create made
		}
		return p.ID, true, nil
	case snapshot.KindCustomer:
		c, err := w.c.FindCustomerByEmail(ctx, key)
		if c == nil || err != nil {
			return "", false, err
		}
		return c.ID, true, nil
	case snapshot.KindCategory:
		parent, name := splitCategoryKey(key)
		c, err := w.c.FindCategory(ctx, name, parent)
		if c == nil || err != nil {
			return "", false, err
		}
		return c.ID, true, nil
	case snapshot.KindOrder:
		o, err := w.c.FindOrderByReference(ctx, key, since)
		if o == nil || err != nil {
			return "", false, err
		}
		return o.ID, true, nil
	}
	return "", false, nil
}

// splitCategoryKey reads a category lookup key "<parent id>/<name>"
// (see reconcile.CategoryKey).
func splitCategoryKey(key string) (parent snapshot.ID, name string) {
	p, n, _ := strings.Cut(key, "/")
	return snapshot.ID(p), n
}

func wooResults(rs []woocommerce.Result, n int) []reconcile.WriteResult {
	out := make([]reconcile.WriteResult, n)
	for i := range out {
		out[i].Err = fmt.Errorf("no result from WooCommerce for item %d", i)
	}
	for _, r := range rs {
		if r.Index >= 0 && r.Index < n {
			out[r.Index] = reconcile.WriteResult{ID: r.ID, Err: r.Err}
		}
	}
	return out
}

func unsupported(ws []reconcile.Write, what string) []reconcile.WriteResult {
	out := make([]reconcile.WriteResult, len(ws))
	for i := range out {
		out[i].Err = fmt.Errorf("%s is not supported", what)
	}
	return out
}

func deref(d *snapshot.Decimal) snapshot.Decimal {
	if d == nil {
		return snapshot.Decimal{}
	}
	return *d
}
