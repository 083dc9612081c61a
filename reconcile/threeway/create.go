package threeway

import (
	"fmt"
	"slices"

	"github.com/woonexo/woonexo/snapshot"
)

// createUnlinked plans a twin for every unlinked record of kind that is
// neither ambiguous nor held, subject to the toggles.
func (b *builder) createUnlinked(kind snapshot.Kind) {
	for _, source := range []snapshot.Side{snapshot.WooCommerce, snapshot.NexoPOS} {
		target := source.Other()
		if !b.pol.writes(kind, target) || b.noCreate[kind] {
			continue
		}
		cands := b.candidates(source, kind)
		if kind == snapshot.KindCategory {
			depth := make(map[int]int, len(cands))
			for _, pos := range cands {
				depth[pos] = b.categoryDepth(source, b.idAt(source, kind, pos))
			}
			slices.SortStableFunc(cands, func(x, y int) int { return depth[x] - depth[y] })
		}
		for _, pos := range cands {
			id := b.idAt(source, kind, pos)
			if _, ok := b.live(source, kind, id); !ok || b.isBlocked(source, kind, id) {
				continue
			}
			if !b.creatable(source, kind, pos) {
				continue
			}
			op := Op{Kind: kind, Action: ActionCreate, Target: target, Key: b.displayKey(source, kind, pos),
				Reason: fmt.Sprintf("new on %s", source)}
			b.setSourceID(&op, source, id)
			b.createOp(op, source, pos)
		}
	}
}

// creatable applies the natural-key rules: a product without SKU follows
// Policy.WithoutSKU; a customer needs an e-mail; only customers (not shop
// staff) are copied from WooCommerce.
func (b *builder) creatable(source snapshot.Side, kind snapshot.Kind, pos int) bool {
	id := b.idAt(source, kind, pos)
	switch kind {
	case snapshot.KindProduct:
		if b.keyAt(source, kind, pos) == "" && b.pol.WithoutSKU != WithoutSKUCreate {
			b.hold(source, kind, id, "no_sku", "product has no SKU to link it by; without_sku is hold")
			return false
		}
	case snapshot.KindCustomer:
		c := b.snap(source).Customers[pos]
		if source == snapshot.WooCommerce && c.Role != "" && c.Role != "customer" {
			return false
		}
		if b.keyAt(source, kind, pos) == "" {
			b.hold(source, kind, id, "no_email", "customer has no e-mail to link it by")
			return false
		}
	}
	return true
}

// createOp completes a create of the record at pos on source: references,
// dependencies, baseline and quantities. A reference to a record that has
// no twin and is not created in this plan holds the record.
func (b *builder) createOp(op Op, source snapshot.Side, pos int) {
	kind := op.Kind
	id := b.idAt(source, kind, pos)
	op.Source = b.sourceAt(source, kind, pos)
	f := b.fieldsAt(source, kind, pos)
	for _, field := range snapshot.FieldNames(kind) {
		if !snapshot.IsReference(kind, field) {
			continue
		}
		for _, ref := range snapshot.SplitIDs(f[field]) {
			if _, ok := b.twin(snapshot.KindCategory, source, ref); ok {
				continue
			}
			if dep := b.createdOp(op.Target, snapshot.KindCategory, ref); dep != nil {
				op.DependsOn = append(op.DependsOn, dep.Seq)
				continue
			}
			b.hold(source, kind, id, "unresolved_reference",
				fmt.Sprintf("%s %s has no twin on %s and is not created by this plan", field, ref, op.Target))
			return
		}
	}
	if source == snapshot.NexoPOS {
		f, _ = b.toWooSpace(kind, f)
		for _, field := range snapshot.FieldNames(kind) {
			if snapshot.IsReference(kind, field) && f[field] != "" {
				if _, ok := b.translate(kind, field, b.fieldsAt(source, kind, pos)[field], source); !ok {
					delete(f, field) // set once the new references have ids
				}
			}
		}
	}
	op.Baseline = f
	if kind == snapshot.KindProduct {
		p := b.snap(source).Products[pos]
		switch {
		case op.Target == snapshot.WooCommerce && b.pol.StockToWoo && p.ManageStock:
			q := StockTarget(p.Stock, snapshot.Decimal{})
			op.Quantity = &q
		case op.Target == snapshot.NexoPOS && b.pol.InitialStockToNexo && p.ManageStock:
			q := p.Stock
			op.Quantity = &q
		}
	}
	added := b.add(op)
	if kind == snapshot.KindCategory {
		b.depth[added] = b.categoryDepth(source, id)
	}
}
