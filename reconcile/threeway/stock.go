package threeway

import (
	"fmt"
	"slices"

	"github.com/woonexo/woonexo/snapshot"
)

// StockTarget is the WooCommerce quantity of a product: NexoPOS's quantity
// minus what WooCommerce orders not yet imported still hold (see
// PendingQuantities), rounded down to a whole number since WooCommerce
// keeps whole quantities. It may be negative (oversold).
func StockTarget(nexo, pending snapshot.Decimal) snapshot.Decimal {
	t := nexo.Sub(pending)
	whole := snapshot.NewDecimal(t.IntPart())
	if t.Cmp(whole) < 0 {
		whole = whole.Sub(snapshot.NewDecimal(1))
	}
	return whole
}

// PendingQuantities returns, per WooCommerce product id, the quantities of
// WooCommerce orders that already reduced WooCommerce stock
// (Order.StockReduced) but are not in NexoPOS yet: no link (in in.Links or
// p.Links), born on WooCommerce, whatever their status (an on-hold order
// holds stock too), and not left
// unlinked as ambiguous by p. The cycle calls it again, with the links the
// applied order creates made, before writing stock from a fresh NexoPOS
// read.
func PendingQuantities(in Input, p Plan) map[snapshot.ID]snapshot.Decimal {
	linked := map[snapshot.ID]bool{}
	for _, l := range p.Links {
		if l.Kind == snapshot.KindOrder {
			linked[l.Woo] = true
		}
	}
	for _, a := range p.Ambiguities {
		if a.Kind == snapshot.KindOrder && a.Side == snapshot.WooCommerce {
			for _, id := range a.IDs {
				linked[id] = true
			}
		}
	}
	old := func(id snapshot.ID) bool {
		_, ok := in.Index.twin(snapshot.KindOrder, snapshot.WooCommerce, id)
		return ok
	}
	if in.Index == nil {
		ids := map[snapshot.ID]bool{}
		for _, l := range in.Links {
			if l.Kind == snapshot.KindOrder {
				ids[l.Woo] = true
			}
		}
		old = func(id snapshot.ID) bool { return ids[id] }
	}
	return pending(in.Woo.Orders, func(id snapshot.ID) bool {
		return old(id) || linked[id]
	})
}

func pending(orders []snapshot.Order, linked func(snapshot.ID) bool) map[snapshot.ID]snapshot.Decimal {
	out := map[snapshot.ID]snapshot.Decimal{}
	for _, o := range orders {
		// Every order that took WooCommerce stock holds it until imported,
		// whatever its status (an on-hold bank transfer takes stock too).
		if !o.StockReduced || o.Reference != "" || linked(o.ID) {
			continue
		}
		for _, l := range o.Lines {
			if l.Kind == snapshot.LineProduct && l.ProductID != "" {
				out[l.ProductID] = out[l.ProductID].Add(l.Quantity)
			}
		}
	}
	return out
}

// stock plans a WooCommerce stock write for each linked product whose
// WooCommerce quantity differs from its target, or whose stock management
// is off on WooCommerce while NexoPOS manages it. WooCommerce's own stock
// changes are never written to NexoPOS.
func (b *builder) stock() {
	kind := snapshot.KindProduct
	if !b.pol.StockToWoo || !b.pol.writes(kind, snapshot.WooCommerce) || b.failed(kind) {
		return
	}
	if reason, bad := b.in.Woo.Failed[snapshot.KindOrder]; bad {
		b.plan.Refusals = append(b.plan.Refusals, Refusal{Kind: kind, Side: snapshot.WooCommerce,
			Reason: "stock not written: WooCommerce orders could not be read (" + reason + ")"})
		return
	}
	pend := pending(b.in.Woo.Orders, func(id snapshot.ID) bool {
		_, ok := b.twin(snapshot.KindOrder, snapshot.WooCommerce, id)
		return ok || b.isBlocked(snapshot.WooCommerce, snapshot.KindOrder, id) && b.ambiguous(id)
	})
	pairs, places := b.stockPairs(pend)
	for i, p := range pairs {
		at := places[i]
		if !at.wok || !at.nok {
			continue
		}
		wpos, npos := int(at.wpos), int(at.npos)
		w, n := b.in.Woo.Products[wpos], b.in.Nexo.Products[npos]
		if !n.ManageStock {
			continue
		}
		target := StockTarget(n.Stock, pend[p.woo])
		if w.ManageStock && w.Stock == target {
			continue
		}
		reason := "NexoPOS decides stock"
		if q := pend[p.woo]; !q.IsZero() {
			reason = fmt.Sprintf("NexoPOS decides stock; %s held by WooCommerce orders not yet imported", q)
		}
		old := w.Stock.String()
		if !w.ManageStock {
			old = "unmanaged"
		}
		b.add(Op{Kind: kind, Action: ActionStock, Target: snapshot.WooCommerce, WooID: p.woo, NexoID: p.nexo,
			Key: b.displayKey(snapshot.WooCommerce, kind, wpos), Quantity: &target,
			Changes: []Change{{Field: "stock", Old: old, New: target.String()}}, Reason: reason})
	}
}

// ambiguous reports whether a WooCommerce order was left unlinked as
// ambiguous by this plan.
func (b *builder) ambiguous(id snapshot.ID) bool {
	for _, a := range b.plan.Ambiguities {
		if a.Kind == snapshot.KindOrder {
			for _, x := range a.IDs {
				if x == id {
					return true
				}
			}
		}
	}
	return false
}

// stockPairs lists the linked products whose target may have moved: all,
// or those Changed names and those pending orders touch.
func (b *builder) stockPairs(pend map[snapshot.ID]snapshot.Decimal) ([]pair, []placed) {
	kind := snapshot.KindProduct
	pairs, places := b.placedPairs(kind)
	if b.in.Changed == nil || len(pend) == 0 {
		return pairs, places
	}
	pairs, places = slices.Clone(pairs), slices.Clone(places)
	seen := make(map[snapshot.ID]bool, len(pairs))
	for _, p := range pairs {
		seen[p.woo] = true
	}
	for id := range pend {
		if n, ok := b.twin(kind, snapshot.WooCommerce, id); ok && !seen[id] {
			seen[id] = true
			p := pair{id, n}
			pairs, places = append(pairs, p), append(places, b.place(kind, p))
		}
	}
	return pairs, places
}
