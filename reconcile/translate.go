package reconcile

import (
	"fmt"

	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
)

// write turns a planned op into a write in the target side's ids. A
// reference that cannot be translated yet (its record is not linked) is an
// error: the op is skipped this cycle rather than written wrong.
func (a *applier) write(op *threeway.Op) (Write, error) {
	w := Write{Kind: op.Kind, Action: op.Action, ID: a.targetID(op), Reason: op.Reason}
	for _, c := range op.Changes {
		w.Fields = append(w.Fields, c.Field)
	}
	switch op.Action {
	case threeway.ActionDelete, threeway.ActionVoid, threeway.ActionRefund:
		if w.ID == "" {
			return w, fmt.Errorf("no %s id to %s", op.Target, op.Action)
		}
		return w, nil
	case threeway.ActionCreatePaymentType:
		g, _ := op.Source.(snapshot.PaymentMethod)
		w.Record = snapshot.PaymentMethod{Identifier: op.Key, Title: orDefault(g.Title, op.Key), Enabled: true}
		return w, nil
	}
	source := op.Target.Other()
	var err error
	switch rec := op.Source.(type) {
	case snapshot.Category:
		rec.ID = w.ID
		if rec.ParentID != "" {
			if rec.ParentID, err = a.ref(snapshot.KindCategory, source, rec.ParentID); err != nil {
				return w, fmt.Errorf("parent category: %w", err)
			}
		}
		w.Record = rec
	case snapshot.Product:
		rec.ID = w.ID
		ids := make([]snapshot.ID, 0, len(rec.CategoryIDs))
		for _, c := range rec.CategoryIDs {
			t, err := a.ref(snapshot.KindCategory, source, c)
			if err != nil {
				return w, fmt.Errorf("category: %w", err)
			}
			ids = append(ids, t)
		}
		rec.CategoryIDs = ids
		if op.Action == threeway.ActionCreate && op.Target == snapshot.WooCommerce && op.Quantity != nil {
			q := *op.Quantity
			w.Quantity = &q
		}
		w.Record = rec
	case snapshot.Customer:
		rec.ID = w.ID
		w.Record = rec
	case snapshot.Order:
		return a.orderWrite(op, w, rec)
	default:
		return w, fmt.Errorf("%s %s has no record to write", op.Action, op.Kind)
	}
	return w, nil
}

func (a *applier) targetID(op *threeway.Op) snapshot.ID {
	if op.Target == snapshot.WooCommerce {
		return op.WooID
	}
	return op.NexoID
}

// ref translates a reference of side into the other side's id.
func (a *applier) ref(kind snapshot.Kind, side snapshot.Side, id snapshot.ID) (snapshot.ID, error) {
	if t, ok := a.twin(kind, side, id); ok {
		return t, nil
	}
	return "", fmt.Errorf("%s %s %s has no twin yet", side, kind, id)
}

// orderWrite builds an order create (or a follow-up update) for the target
// side from the order plan.
func (a *applier) orderWrite(op *threeway.Op, w Write, src snapshot.Order) (Write, error) {
	if op.Action != threeway.ActionCreate || op.Order == nil {
		src.ID = w.ID
		w.Record = src
		return w, nil
	}
	plan := op.Order
	o := src
	o.ID = ""
	o.CustomerID = ""
	o.Lines = make([]snapshot.OrderLine, 0, len(plan.Lines))
	for i, l := range plan.Lines {
		line := snapshot.OrderLine{Kind: l.Kind, Name: l.Name, SKU: l.SKU, Quantity: l.Quantity, UnitPrice: l.UnitPrice, Total: l.Total}
		if l.Kind == snapshot.LineProduct {
			pid := l.TargetProductID
			if pid == "" && l.ProductOp != 0 {
				pid = a.created[l.ProductOp]
			}
			if pid == "" && l.SourceProductID != "" {
				pid, _ = a.twin(snapshot.KindProduct, op.Target.Other(), l.SourceProductID)
			}
			if pid == "" {
				return w, fmt.Errorf("line %d (%s): product not linked", i+1, l.Name)
			}
			line.ProductID = pid
		}
		o.Lines = append(o.Lines, line)
	}
	ow := &OrderWrite{SetPaid: plan.SetPaid}
	switch {
	case plan.Customer != "":
		ow.CustomerID = plan.Customer
	case plan.CustomerOp != 0:
		ow.CustomerID = a.created[plan.CustomerOp]
	case plan.DefaultCustomer && op.Target == snapshot.NexoPOS:
		ow.CustomerID = a.in.Policy.DefaultCustomer
	}
	if op.Target == snapshot.NexoPOS {
		o.Reference = src.Number
		ow.PaymentMethod = snapshot.PaymentMethod{Identifier: plan.PaymentIdentifier}
	} else {
		o.Reference = string(op.NexoID)
		ow.PaymentMethod = snapshot.PaymentMethod{ID: snapshot.ID(plan.Gateway), Identifier: plan.Gateway, Title: plan.GatewayTitle}
		if plan.ShippingMethod != nil {
			ow.ShippingMethod = snapshot.PaymentMethod{ID: snapshot.ID(plan.ShippingMethod.ID), Title: plan.ShippingMethod.Title}
		}
	}
	o.CustomerID = ow.CustomerID
	w.Record = o
	w.Order = ow
	return w, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
