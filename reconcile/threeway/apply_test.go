package threeway

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/woonexo/woonexo/snapshot"
)

// Apply applies p to copies of both sides of in as the cycle would if
// every op succeeded, moving links and baselines, and returns the next
// cycle's input.
func Apply(in Input, p Plan) Input {
	a := applier{in: in}
	a.in.Woo = copySnap(in.Woo)
	a.in.Nexo = copySnap(in.Nexo)
	a.in.Index, a.in.Changed = nil, nil
	a.in.Links = append(slices.Clone(in.Links), p.Links...)
	a.in.Baselines = map[snapshot.Kind]map[snapshot.ID]snapshot.Fields{}
	for k, m := range in.Baselines {
		a.in.Baselines[k] = map[snapshot.ID]snapshot.Fields{}
		for id, f := range m {
			a.in.Baselines[k][id] = maps.Clone(f)
		}
	}
	for _, g := range p.Agreed {
		a.merge(g.Kind, g.Woo, g.Fields)
	}
	for _, op := range p.Ops {
		a.apply(op)
	}
	return a.in
}

type applier struct {
	in   Input
	next int
}

func copySnap(s snapshot.Snapshot) snapshot.Snapshot {
	s.Categories = slices.Clone(s.Categories)
	s.Products = slices.Clone(s.Products)
	for i := range s.Products {
		s.Products[i].CategoryIDs = slices.Clone(s.Products[i].CategoryIDs)
	}
	s.Customers = slices.Clone(s.Customers)
	s.Orders = slices.Clone(s.Orders)
	s.PaymentMethods = slices.Clone(s.PaymentMethods)
	return s
}

func (a *applier) snap(side snapshot.Side) *snapshot.Snapshot {
	if side == snapshot.WooCommerce {
		return &a.in.Woo
	}
	return &a.in.Nexo
}

func (a *applier) merge(kind snapshot.Kind, woo snapshot.ID, f snapshot.Fields) {
	if a.in.Baselines[kind] == nil {
		a.in.Baselines[kind] = map[snapshot.ID]snapshot.Fields{}
	}
	if a.in.Baselines[kind][woo] == nil {
		a.in.Baselines[kind][woo] = snapshot.Fields{}
	}
	maps.Copy(a.in.Baselines[kind][woo], f)
}

func (a *applier) twin(kind snapshot.Kind, from snapshot.Side, id snapshot.ID) snapshot.ID {
	for _, l := range a.in.Links {
		if l.Kind == kind && from == snapshot.WooCommerce && l.Woo == id {
			return l.Nexo
		}
		if l.Kind == kind && from == snapshot.NexoPOS && l.Nexo == id {
			return l.Woo
		}
	}
	return ""
}

func (a *applier) unlink(kind snapshot.Kind, woo, nexo snapshot.ID) {
	a.in.Links = slices.DeleteFunc(a.in.Links, func(l Link) bool { return l.Kind == kind && l.Woo == woo && l.Nexo == nexo })
	delete(a.in.Baselines[kind], woo)
}

func (a *applier) newID() snapshot.ID {
	a.next++
	return snapshot.ID(fmt.Sprint(900000 + a.next))
}

func (a *applier) apply(op Op) {
	t := a.snap(op.Target)
	src := op.Target.Other()
	switch op.Action {
	case ActionCreatePaymentType:
		g := op.Source.(snapshot.PaymentMethod)
		t.PaymentMethods = append(t.PaymentMethods, snapshot.PaymentMethod{ID: a.newID(), Identifier: op.Key, Title: g.Title, Enabled: true})
	case ActionCreate:
		a.create(op, t, src)
	case ActionUpdate:
		a.update(op, t)
	case ActionDelete:
		id := op.WooID
		if op.Target == snapshot.NexoPOS {
			id = op.NexoID
		}
		t.Categories = slices.DeleteFunc(t.Categories, func(r snapshot.Category) bool { return op.Kind == snapshot.KindCategory && r.ID == id })
		t.Products = slices.DeleteFunc(t.Products, func(r snapshot.Product) bool { return op.Kind == snapshot.KindProduct && r.ID == id })
		t.Customers = slices.DeleteFunc(t.Customers, func(r snapshot.Customer) bool { return op.Kind == snapshot.KindCustomer && r.ID == id })
		t.Orders = slices.DeleteFunc(t.Orders, func(r snapshot.Order) bool { return op.Kind == snapshot.KindOrder && r.ID == id })
		a.unlink(op.Kind, op.WooID, op.NexoID)
	case ActionVoid, ActionRefund:
		for i := range t.Orders {
			if t.Orders[i].ID == op.NexoID {
				t.Orders[i].Status = snapshot.OrderCancelled
				if op.Action == ActionRefund {
					t.Orders[i].Status = snapshot.OrderRefunded
				}
			}
		}
	case ActionStock:
		for i := range t.Products {
			if t.Products[i].ID == op.WooID {
				t.Products[i].Stock, t.Products[i].ManageStock = *op.Quantity, true
			}
		}
	}
}

func (a *applier) create(op Op, t *snapshot.Snapshot, src snapshot.Side) {
	id := a.newID()
	if op.Replaces != nil {
		a.unlink(op.Kind, op.Replaces.Woo, op.Replaces.Nexo)
	}
	srcID := op.WooID
	if src == snapshot.NexoPOS {
		srcID = op.NexoID
	}
	var wooFields snapshot.Fields
	switch r := op.Source.(type) {
	case snapshot.Category:
		r.ID, r.ParentID = id, a.twin(snapshot.KindCategory, src, r.ParentID)
		t.Categories = append(t.Categories, r)
		wooFields = a.wooFields(op, snapshot.KindCategory, id, srcID)
	case snapshot.Product:
		r.ID = id
		cats := make([]snapshot.ID, len(r.CategoryIDs))
		for i, c := range r.CategoryIDs {
			cats[i] = a.twin(snapshot.KindCategory, src, c)
		}
		r.CategoryIDs = cats
		r.Stock = snapshot.Decimal{}
		if op.Quantity != nil {
			r.Stock = *op.Quantity
		} else if op.Target == snapshot.WooCommerce {
			r.ManageStock = false
		}
		if op.Target == snapshot.NexoPOS && r.Status == snapshot.ProductTrashed {
			r.Status = snapshot.ProductInactive
		}
		t.Products = append(t.Products, r)
		wooFields = a.wooFields(op, snapshot.KindProduct, id, srcID)
	case snapshot.Customer:
		r.ID = id
		if op.Target == snapshot.NexoPOS {
			r.Role = ""
		} else {
			r.Role = "customer"
		}
		t.Customers = append(t.Customers, r)
		wooFields = a.wooFields(op, snapshot.KindCustomer, id, srcID)
	case snapshot.Order:
		o := snapshot.Order{ID: id, Number: string(id), Status: snapshot.OrderCompleted, StockReduced: true, Total: r.Total}
		if op.Target == snapshot.NexoPOS {
			o.Reference, o.RawStatus, o.PaymentMethod = r.Number, "paid", op.Order.PaymentIdentifier
		} else {
			o.Reference, o.RawStatus, o.PaymentMethod = string(r.ID), "completed", op.Order.Gateway
		}
		t.Orders = append(t.Orders, o)
	}
	l := Link{Kind: op.Kind, Woo: srcID, Nexo: id}
	if op.Target == snapshot.WooCommerce {
		l = Link{Kind: op.Kind, Woo: id, Nexo: srcID}
	}
	a.in.Links = append(a.in.Links, l)
	if wooFields != nil {
		a.merge(op.Kind, l.Woo, wooFields)
	}
}

// wooFields is the baseline of a new link: the WooCommerce record's fields.
func wooFieldsOf[T interface {
	Fields(snapshot.Form) snapshot.Fields
}](recs []T, id func(T) snapshot.ID, want snapshot.ID, f snapshot.Form) snapshot.Fields {
	for _, r := range recs {
		if id(r) == want {
			return r.Fields(f)
		}
	}
	return nil
}

func (a *applier) wooFields(op Op, kind snapshot.Kind, newID, srcID snapshot.ID) snapshot.Fields {
	want := srcID
	if op.Target == snapshot.WooCommerce {
		want = newID
	}
	switch kind {
	case snapshot.KindCategory:
		return wooFieldsOf(a.in.Woo.Categories, func(r snapshot.Category) snapshot.ID { return r.ID }, want, a.in.Form)
	case snapshot.KindProduct:
		return wooFieldsOf(a.in.Woo.Products, func(r snapshot.Product) snapshot.ID { return r.ID }, want, a.in.Form)
	case snapshot.KindCustomer:
		return wooFieldsOf(a.in.Woo.Customers, func(r snapshot.Customer) snapshot.ID { return r.ID }, want, a.in.Form)
	}
	return nil
}

func (a *applier) update(op Op, t *snapshot.Snapshot) {
	id := op.WooID
	if op.Target == snapshot.NexoPOS {
		id = op.NexoID
	}
	for _, c := range op.Changes {
		if snapshot.IsReference(op.Kind, c.Field) {
			// as the cycle does: the source's references through the links
			// of now, which include those of creates applied before
			c.New = a.sourceRefs(op, c.Field)
		}
		switch op.Kind {
		case snapshot.KindCategory:
			for i := range t.Categories {
				if t.Categories[i].ID == id {
					setCategory(&t.Categories[i], c.Field, c.New)
				}
			}
		case snapshot.KindProduct:
			for i := range t.Products {
				if t.Products[i].ID == id {
					setProduct(&t.Products[i], c.Field, c.New)
				}
			}
		case snapshot.KindCustomer:
			for i := range t.Customers {
				if t.Customers[i].ID == id {
					setCustomer(&t.Customers[i], c.Field, c.New)
				}
			}
		case snapshot.KindOrder:
			for i := range t.Orders {
				if t.Orders[i].ID == id && c.Field == "status" {
					t.Orders[i].Status, t.Orders[i].RawStatus = snapshot.OrderStatus(c.New), c.New
				}
			}
		}
	}
	a.merge(op.Kind, op.WooID, op.Baseline)
}

// sourceRefs is op.Source's reference field translated to the target's
// ids.
func (a *applier) sourceRefs(op Op, field string) string {
	src := op.Target.Other()
	var ids []snapshot.ID
	switch r := op.Source.(type) {
	case snapshot.Category:
		if r.ParentID != "" {
			ids = []snapshot.ID{r.ParentID}
		}
	case snapshot.Product:
		ids = slices.Clone(r.CategoryIDs)
	}
	for i, id := range ids {
		ids[i] = a.twin(snapshot.KindCategory, src, id)
		if ids[i] == "" {
			panic(fmt.Sprintf("op %d: %s %s has no twin when applied", op.Seq, field, id))
		}
	}
	return snapshot.JoinIDs(ids)
}

func setCategory(c *snapshot.Category, field, v string) {
	switch field {
	case "name":
		c.Name = v
	case "parent_id":
		c.ParentID = snapshot.ID(v)
	case "description":
		c.Description = v
	}
}

func setProduct(p *snapshot.Product, field, v string) {
	switch field {
	case "sku":
		p.SKU = v
	case "barcode":
		p.Barcode = v
	case "name":
		p.Name = v
	case "description":
		p.Description = v
	case "status":
		p.Status = snapshot.ProductStatus(v)
	case "regular_price":
		p.RegularPrice = snapshot.MustDecimal(v)
	case "sale_price":
		p.HasSalePrice = v != ""
		p.SalePrice = snapshot.Decimal{}
		if v != "" {
			p.SalePrice = snapshot.MustDecimal(v)
		}
	case "category_ids":
		p.CategoryIDs = snapshot.SplitIDs(v)
	case "manage_stock":
		p.ManageStock = v == "true"
	}
}

func setCustomer(c *snapshot.Customer, field, v string) {
	prefix, name, nested := strings.Cut(field, ".")
	if nested {
		addr := &c.Billing
		if prefix == "shipping" {
			addr = &c.Shipping
		}
		setAddress(addr, name, v)
		return
	}
	switch field {
	case "email":
		c.Email = v
	case "first_name":
		c.FirstName = v
	case "last_name":
		c.LastName = v
	case "phone":
		c.Phone = v
	}
}

func setAddress(a *snapshot.Address, name, v string) {
	fields := map[string]*string{"first_name": &a.FirstName, "last_name": &a.LastName, "company": &a.Company,
		"address_1": &a.Address1, "address_2": &a.Address2, "city": &a.City, "state": &a.State,
		"postcode": &a.Postcode, "country": &a.Country, "email": &a.Email, "phone": &a.Phone}
	if p, ok := fields[name]; ok {
		*p = v
	}
}
