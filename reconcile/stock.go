package reconcile

import (
	"context"
	"slices"

	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
)

// applyStock writes WooCommerce stock last, from a fresh NexoPOS read of
// the products this cycle's plan or imported orders touched, so a POS sale
// made during the cycle and the online orders just imported are both
// counted. The target is NexoPOS's quantity minus what online orders not
// yet imported still hold (threeway.StockTarget).
func (a *applier) applyStock(ctx context.Context) error {
	if !a.in.Policy.StockToWoo {
		return nil
	}
	planned := map[snapshot.ID]*threeway.Op{} // by WooCommerce product id
	var wooIDs []snapshot.ID
	for i := range a.rep.Plan.Ops {
		op := &a.rep.Plan.Ops[i]
		if op.Action == threeway.ActionStock && op.Target == snapshot.WooCommerce {
			planned[op.WooID] = op
			wooIDs = append(wooIDs, op.WooID)
		}
	}
	moved := map[snapshot.ID]bool{}
	for _, w := range a.pushedStock {
		moved[w] = true
		if planned[w] == nil && !slices.Contains(wooIDs, w) {
			wooIDs = append(wooIDs, w)
		}
	}
	for _, o := range a.imported {
		for _, l := range o.Lines {
			if l.Kind == snapshot.LineProduct && l.ProductID != "" && planned[l.ProductID] == nil && !slices.Contains(wooIDs, l.ProductID) {
				wooIDs = append(wooIDs, l.ProductID)
			}
		}
	}
	if len(wooIDs) == 0 {
		return nil
	}
	nexoIDs := make([]snapshot.ID, 0, len(wooIDs))
	for _, w := range wooIDs {
		if n, ok := a.twin(snapshot.KindProduct, snapshot.WooCommerce, w); ok {
			nexoIDs = append(nexoIDs, n)
		}
	}
	fresh, err := a.r.stock.ReadStock(ctx, nexoIDs)
	if err != nil {
		a.log.Warn("fresh stock read failed; using the snapshot's quantities", "err", err)
		fresh = nil
	}
	in := a.in
	in.Links = append(slices.Clone(in.Links), a.newOrderLinks...)
	pend := threeway.PendingQuantities(in, a.rep.Plan)
	current := map[snapshot.ID]snapshot.Product{}
	for _, p := range a.v.woo.Products {
		current[p.ID] = p
	}

	var writes []Write
	var ops []*threeway.Op
	for _, w := range wooIDs {
		op := planned[w]
		n, linked := a.twin(snapshot.KindProduct, snapshot.WooCommerce, w)
		q, ok := fresh[n]
		var target snapshot.Decimal
		switch {
		case linked && ok:
			target = threeway.StockTarget(q, pend[w])
		case op != nil && op.Quantity != nil:
			target = *op.Quantity
		default:
			continue
		}
		cur, known := current[w]
		if op == nil && known && cur.ManageStock && cur.Stock == target && !moved[w] {
			continue
		}
		if op == nil {
			op = &threeway.Op{Kind: snapshot.KindProduct, Action: threeway.ActionStock, Target: snapshot.WooCommerce,
				WooID: w, NexoID: n, Key: cur.SKU, Reason: "online order imported into NexoPOS"}
		}
		t := target
		writes = append(writes, Write{Kind: snapshot.KindProduct, Action: threeway.ActionStock, ID: w, Quantity: &t})
		ops = append(ops, op)
	}
	for start := 0; start < len(writes); start += maxBatch {
		end := min(start+maxBatch, len(writes))
		for i, res := range send(ctx, a.r.woo, snapshot.WooCommerce, writes[start:end]) {
			st := StatusDone
			if res.Err != nil {
				st = StatusFailed
			}
			a.finish(ops[start+i], st, writes[start+i].ID, res.Err)
		}
	}
	return nil
}
