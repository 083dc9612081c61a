package main

import (
	"context"
	"fmt"
	"time"

	"github.com/woonexo/woonexo/connectors/nexopos"
	"github.com/woonexo/woonexo/reconcile"
	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
)

// nexoSystem gives the cycle the NexoPOS client's reads, one-by-one writes
// (inside its request budget), lookups and fresh stock.
type nexoSystem struct{ c *nexopos.Client }

func (n nexoSystem) Read(ctx context.Context, req reconcile.ReadRequest) (snapshot.Snapshot, error) {
	return n.c.ReadSnapshot(ctx, nexopos.ReadOptions{Full: req.Full, Since: req.Since, KnownOrders: req.KnownOrders,
		PastBefore: req.PastBefore})
}

func (n nexoSystem) ReadStock(ctx context.Context, ids []snapshot.ID) (map[snapshot.ID]snapshot.Decimal, error) {
	return n.c.ReadStock(ctx, ids)
}

// Write applies each write in turn; NexoPOS has no batch endpoint.
func (n nexoSystem) Write(ctx context.Context, ws []reconcile.Write) []reconcile.WriteResult {
	out := make([]reconcile.WriteResult, len(ws))
	for i, w := range ws {
		if err := ctx.Err(); err != nil {
			out[i].Err = err
			continue
		}
		if reconcile.Stopping(ctx) {
			out[i].Err = reconcile.ErrStopped
			continue
		}
		if o, ok := w.Record.(snapshot.Order); ok && w.Action == threeway.ActionCreate {
			out[i] = n.placeOrder(ctx, o, w.Order)
			continue
		}
		out[i].ID, out[i].Err = n.write(ctx, w)
	}
	return out
}

// placeOrder creates an order and hands back the order as placed, so the
// cycle holds it as paid at once instead of reading it back next cycle.
func (n nexoSystem) placeOrder(ctx context.Context, o snapshot.Order, ow *reconcile.OrderWrite) reconcile.WriteResult {
	oc := nexopos.OrderCreate{Order: o}
	if ow != nil {
		oc.PaymentIdentifier = ow.PaymentMethod.Identifier
		oc.CustomerID = ow.CustomerID
	}
	id, placed, err := n.c.PlaceOrder(ctx, oc)
	res := reconcile.WriteResult{ID: id, Err: err}
	if placed != nil {
		res.Record = *placed
	}
	return res
}

func (n nexoSystem) write(ctx context.Context, w reconcile.Write) (snapshot.ID, error) {
	switch w.Action {
	case threeway.ActionDelete:
		return w.ID, n.c.Delete(ctx, w.Kind, w.ID)
	case threeway.ActionStock:
		return w.ID, n.c.AdjustStock(ctx, w.ID, "", deref(w.Quantity), w.Reason)
	case threeway.ActionVoid:
		return w.ID, n.c.VoidOrder(ctx, w.ID, w.Reason)
	case threeway.ActionRefund:
		return w.ID, n.c.RefundOrder(ctx, w.ID, w.Reason)
	case threeway.ActionCreatePaymentType:
		m := w.Record.(snapshot.PaymentMethod)
		return n.c.CreatePaymentType(ctx, m.Identifier, m.Title)
	}
	switch rec := w.Record.(type) {
	case snapshot.Category:
		return n.c.SaveCategory(ctx, rec)
	case snapshot.Product:
		return n.c.SaveProduct(ctx, rec, w.Fields)
	case snapshot.Customer:
		return n.c.SaveCustomer(ctx, rec, w.Fields)
	case snapshot.Order:
		return "", fmt.Errorf("NexoPOS order %s is not supported", w.Action)
	}
	return "", fmt.Errorf("NexoPOS %s %s is not supported", w.Kind, w.Action)
}

// Find looks a record up by natural key (see reconcile.Finder).
func (n nexoSystem) Find(ctx context.Context, kind snapshot.Kind, key string, _ time.Time) (snapshot.ID, bool, error) {
	switch kind {
	case snapshot.KindProduct:
		p, err := n.c.FindProductBySKU(ctx, key)
		if p == nil || err != nil {
			return "", false, err
		}
		return p.ID, true, nil
	case snapshot.KindCustomer:
		c, err := n.c.FindCustomerByEmail(ctx, key)
		if c == nil || err != nil {
			return "", false, err
		}
		return c.ID, true, nil
	case snapshot.KindCategory:
		parent, name := splitCategoryKey(key)
		c, err := n.c.FindCategory(ctx, name, parent)
		if c == nil || err != nil {
			return "", false, err
		}
		return c.ID, true, nil
	case snapshot.KindOrder:
		o, err := n.c.FindOrderByReference(ctx, key)
		if o == nil || err != nil {
			return "", false, err
		}
		return o.ID, true, nil
	case snapshot.KindPaymentMethod:
		s, err := n.c.ReadSnapshot(ctx, nexopos.ReadOptions{Kinds: []snapshot.Kind{snapshot.KindPaymentMethod}})
		if err != nil {
			return "", false, err
		}
		for _, m := range s.PaymentMethods {
			if m.Identifier == key {
				return m.ID, true, nil
			}
		}
	}
	return "", false, nil
}
