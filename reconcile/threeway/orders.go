package threeway

import (
	"fmt"
	"slices"
	"strings"

	"github.com/woonexo/woonexo/snapshot"
)

// paymentTypes plans a NexoPOS payment type for each enabled WooCommerce
// gateway that has neither a mapping nor a NexoPOS type of its own name.
func (b *builder) paymentTypes() {
	kind := snapshot.KindPaymentMethod
	if !b.pol.CreateMissingPayments || !b.pol.writes(kind, snapshot.NexoPOS) || b.failed(kind) {
		return
	}
	for _, g := range b.in.Woo.PaymentMethods {
		gw := string(g.ID)
		if !g.Enabled || gw == "" {
			continue
		}
		if _, _, ok := b.payment(gw); ok {
			continue
		}
		b.add(Op{Kind: kind, Action: ActionCreatePaymentType, Target: snapshot.NexoPOS, WooID: g.ID, Key: gw,
			Source: g, Reason: "WooCommerce gateway without a NexoPOS payment type"})
	}
}

// payment resolves a WooCommerce gateway to a NexoPOS payment identifier:
// through the mapping, a NexoPOS type of the same identifier, or a type
// this plan creates (dep).
func (b *builder) payment(gateway string) (ident string, dep *Op, ok bool) {
	if m, ok := b.pol.PaymentMap[gateway]; ok && m != "" {
		return m, nil, true
	}
	for _, m := range b.in.Nexo.PaymentMethods {
		if m.Identifier == gateway && gateway != "" {
			return gateway, nil, true
		}
	}
	for _, op := range b.ops {
		if op.Action == ActionCreatePaymentType && op.Key == gateway {
			return gateway, op, true
		}
	}
	return "", nil, false
}

// gateway resolves a NexoPOS payment identifier to a WooCommerce gateway:
// the reverse mapping, a gateway of the same id, or the default payment.
func (b *builder) gateway(ident string) Method {
	var hits []string
	for g, m := range b.pol.PaymentMap {
		if m == ident {
			hits = append(hits, g)
		}
	}
	if len(hits) == 0 {
		hits = append(hits, ident)
	}
	slices.Sort(hits)
	for _, h := range hits {
		for _, g := range b.in.Woo.PaymentMethods {
			if string(g.ID) == h {
				return Method{ID: h, Title: g.Title}
			}
		}
	}
	if _, mapped := b.pol.PaymentMap[hits[0]]; mapped {
		return Method{ID: hits[0], Title: hits[0]}
	}
	return b.pol.DefaultWooPayment
}

// orders plans order creates both ways and the follow-ups of cancelled or
// refunded WooCommerce orders.
func (b *builder) orders() {
	kind := snapshot.KindOrder
	if b.pol.writes(kind, snapshot.NexoPOS) && !b.noCreate[kind] {
		for _, pos := range b.candidates(snapshot.WooCommerce, kind) {
			o := b.in.Woo.Orders[pos]
			if b.isBlocked(snapshot.WooCommerce, kind, o.ID) || strings.TrimSpace(o.Reference) != "" || !b.pol.imports(o.RawStatus) {
				continue
			}
			b.importOrder(o, pos)
		}
	}
	if b.pol.writes(kind, snapshot.WooCommerce) && !b.noCreate[kind] {
		for _, pos := range b.candidates(snapshot.NexoPOS, kind) {
			o := b.in.Nexo.Orders[pos]
			if b.isBlocked(snapshot.NexoPOS, kind, o.ID) || strings.TrimSpace(o.Reference) != "" || !b.pol.pushes(o.RawStatus) {
				continue
			}
			b.pushOrder(o, pos)
		}
	}
	if b.pol.writes(kind, snapshot.NexoPOS) {
		b.followUps()
	}
	if b.pol.writes(kind, snapshot.WooCommerce) {
		b.posFollowUps()
	}
}

// posFollowUps carries a NexoPOS void or full refund of an order born on
// NexoPOS over to its WooCommerce twin: an "update" op whose only change is
// the status ("cancelled" or "refunded", the WooCommerce status slug), once:
// not when the twin is already cancelled or refunded.
func (b *builder) posFollowUps() {
	kind := snapshot.KindOrder
	for _, p := range b.pairs(kind) {
		wpos, wok := b.live(snapshot.WooCommerce, kind, p.woo)
		npos, nok := b.live(snapshot.NexoPOS, kind, p.nexo)
		if !wok || !nok {
			continue
		}
		w, n := b.in.Woo.Orders[wpos], b.in.Nexo.Orders[npos]
		bornOnNexo := strings.TrimSpace(w.Reference) != "" && strings.TrimSpace(n.Reference) == ""
		if !bornOnNexo || !finalStatus(n.Status) || finalStatus(w.Status) {
			continue
		}
		b.plan.Stats.Changed[kind]++
		b.add(Op{Kind: kind, Action: ActionUpdate, Target: snapshot.WooCommerce, WooID: p.woo, NexoID: p.nexo,
			Key:     b.displayKey(snapshot.WooCommerce, kind, wpos),
			Changes: []Change{{Field: "status", Old: string(w.Status), New: string(n.Status)}},
			Source:  n, Reason: fmt.Sprintf("NexoPOS order %s", n.Status)})
	}
}

// finalStatus reports whether an order is cancelled (voided) or refunded.
func finalStatus(s snapshot.OrderStatus) bool {
	return s == snapshot.OrderCancelled || s == snapshot.OrderRefunded
}

// importOrder plans a WooCommerce order's creation in NexoPOS, or holds it.
func (b *builder) importOrder(o snapshot.Order, pos int) {
	op := Op{Kind: snapshot.KindOrder, Action: ActionCreate, Target: snapshot.NexoPOS, WooID: o.ID,
		Key: b.displayKey(snapshot.WooCommerce, snapshot.KindOrder, pos), Source: o,
		Reason: fmt.Sprintf("WooCommerce order in status %s", o.RawStatus)}
	plan := &OrderPlan{SetPaid: true}
	for i, l := range o.Lines {
		pl := PlannedLine{Kind: l.Kind, Name: l.Name, SKU: l.SKU, SourceProductID: l.ProductID,
			Quantity: l.Quantity, UnitPrice: l.UnitPrice, Total: l.Total}
		if l.Kind == snapshot.LineProduct {
			if t, ok := b.twin(snapshot.KindProduct, snapshot.WooCommerce, l.ProductID); ok && l.ProductID != "" {
				pl.TargetProductID = t
			} else if dep := b.createdOp(snapshot.NexoPOS, snapshot.KindProduct, l.ProductID); dep != nil && l.ProductID != "" {
				pl.ProductOp = dep.Seq
				op.DependsOn = append(op.DependsOn, dep.Seq)
			} else {
				b.hold(snapshot.WooCommerce, snapshot.KindOrder, o.ID, "unresolved_product",
					fmt.Sprintf("line %d %q (SKU %q, product %q) has no NexoPOS product", i+1, l.Name, l.SKU, l.ProductID))
				return
			}
		}
		plan.Lines = append(plan.Lines, pl)
	}
	ident, dep, ok := b.payment(strings.TrimSpace(o.PaymentMethod))
	if !ok {
		b.hold(snapshot.WooCommerce, snapshot.KindOrder, o.ID, "unmapped_payment",
			fmt.Sprintf("payment gateway %q has no NexoPOS payment mapping", o.PaymentMethod))
		return
	}
	plan.PaymentIdentifier = ident
	if dep != nil {
		op.DependsOn = append(op.DependsOn, dep.Seq)
	}
	switch t, linked := b.twin(snapshot.KindCustomer, snapshot.WooCommerce, o.CustomerID); {
	case o.CustomerID == "":
		plan.Customer, plan.DefaultCustomer = b.pol.DefaultCustomer, true
	case linked:
		plan.Customer = t
	default:
		if dep := b.createdOp(snapshot.NexoPOS, snapshot.KindCustomer, o.CustomerID); dep != nil {
			plan.CustomerOp = dep.Seq
			op.DependsOn = append(op.DependsOn, dep.Seq)
		} else {
			plan.Customer, plan.DefaultCustomer = b.pol.DefaultCustomer, true
		}
	}
	op.Order = plan
	b.add(op)
}

// pushOrder plans a paid NexoPOS order's creation in WooCommerce.
func (b *builder) pushOrder(o snapshot.Order, pos int) {
	op := Op{Kind: snapshot.KindOrder, Action: ActionCreate, Target: snapshot.WooCommerce, NexoID: o.ID,
		Key: b.displayKey(snapshot.NexoPOS, snapshot.KindOrder, pos), Source: o,
		Reason: fmt.Sprintf("NexoPOS order in status %s", o.RawStatus)}
	ship := b.pol.DefaultShipping
	gw := b.gateway(strings.TrimSpace(o.PaymentMethod))
	plan := &OrderPlan{Gateway: gw.ID, GatewayTitle: gw.Title, ShippingMethod: &ship, SetPaid: true}
	for _, l := range o.Lines {
		pl := PlannedLine{Kind: snapshot.LineQuick, Name: l.Name, SKU: l.SKU, SourceProductID: l.ProductID,
			Quantity: l.Quantity, UnitPrice: l.UnitPrice, Total: l.Total}
		if l.Kind == snapshot.LineProduct && l.ProductID != "" {
			if t, ok := b.twin(snapshot.KindProduct, snapshot.NexoPOS, l.ProductID); ok {
				pl.Kind, pl.TargetProductID = snapshot.LineProduct, t
			} else if dep := b.createdOp(snapshot.WooCommerce, snapshot.KindProduct, l.ProductID); dep != nil {
				pl.Kind, pl.ProductOp = snapshot.LineProduct, dep.Seq
				op.DependsOn = append(op.DependsOn, dep.Seq)
			}
		}
		plan.Lines = append(plan.Lines, pl)
	}
	switch t, linked := b.twin(snapshot.KindCustomer, snapshot.NexoPOS, o.CustomerID); {
	case o.CustomerID == "" || o.CustomerID == b.pol.DefaultCustomer:
		plan.DefaultCustomer = true
	case linked:
		plan.Customer = t
	default:
		if dep := b.createdOp(snapshot.WooCommerce, snapshot.KindCustomer, o.CustomerID); dep != nil {
			plan.CustomerOp = dep.Seq
			op.DependsOn = append(op.DependsOn, dep.Seq)
		} else {
			plan.DefaultCustomer = true
		}
	}
	op.Order = plan
	b.add(op)
}

// followUps voids or refunds the NexoPOS twin of a cancelled or refunded
// WooCommerce order, once: not when the twin is already cancelled or
// refunded, nor when the twin is not in the snapshot.
func (b *builder) followUps() {
	kind := snapshot.KindOrder
	for _, p := range b.pairs(kind) {
		wpos, wok := b.live(snapshot.WooCommerce, kind, p.woo)
		npos, nok := b.live(snapshot.NexoPOS, kind, p.nexo)
		if !wok || !nok {
			continue
		}
		w, n := b.in.Woo.Orders[wpos], b.in.Nexo.Orders[npos]
		if finalStatus(n.Status) {
			continue
		}
		var follow string
		switch w.Status {
		case snapshot.OrderCancelled:
			follow = b.pol.OnCancel
		case snapshot.OrderRefunded:
			follow = b.pol.OnRefund
		default:
			continue
		}
		var action Action
		switch follow {
		case FollowVoid:
			action = ActionVoid
		case FollowRefund:
			action = ActionRefund
		default:
			continue
		}
		b.plan.Stats.Changed[kind]++
		b.add(Op{Kind: kind, Action: action, Target: snapshot.NexoPOS, WooID: p.woo, NexoID: p.nexo,
			Key:     b.displayKey(snapshot.WooCommerce, kind, wpos),
			Changes: []Change{{Field: "status", Old: string(n.Status), New: string(w.Status)}},
			Reason:  fmt.Sprintf("WooCommerce order %s", w.Status)})
	}
}
