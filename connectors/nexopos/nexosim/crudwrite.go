package nexosim

import (
	"fmt"
	"net/http"
)

func created(s *Sim, entry any, path string, id int) map[string]any {
	return map[string]any{"status": "success", "message": "A new entry has been successfully created.",
		"data": map[string]any{"entry": entry, "editUrl": fmt.Sprintf("%s/dashboard/%s/edit/%d", s.URL(), path, id)}}
}

var deleted = map[string]any{"status": "success", "message": "The entry has been successfully deleted."}

// savePaymentType implements POST/PUT /api/crud/ns.payments-types.
func (s *Sim) savePaymentType(id int, b body, author int) (any, *apiError) {
	st := s.st
	var p *PaymentType
	if id != 0 {
		if p = st.pay.get(id); p == nil {
			return nil, notFound("Unable to edit an entry that no longer exists.")
		}
	}
	if !b.filled("label") {
		return nil, invalid(map[string][]string{"label": {"The label field is required."}})
	}
	ident := b.str("general.identifier")
	if ident == "" {
		ident = slug(b.str("label"))
	}
	if p != nil && p.Readonly == 1 {
		ident = p.Identifier
	}
	if other := st.paymentByIdentifier(ident); other != nil && other.ID != id {
		return nil, notAllowed("A payment type having the same identifier already exists.")
	}
	ts := st.stamp()
	if p == nil {
		p = &PaymentType{Author: author, Active: 1, CreatedAt: ts}
		p.ID = st.pay.add(p)
	}
	p.Label, p.Identifier, p.UpdatedAt = b.str("label"), ident, ts
	if b.has("general.active") {
		p.Active = b.int("general.active")
	}
	p.Priority = b.int("general.priority")
	p.Description = nstr(b.str("general.description"))
	if id != 0 {
		return map[string]any{"status": "success", "message": "The entry has been successfully updated.", "data": map[string]any{"entry": *p}}, nil
	}
	return created(s, *p, "orders/payments-types", p.ID), nil
}

func (s *Sim) crudWrites(m *http.ServeMux) {
	st := func() *state { return s.st }
	m.HandleFunc("POST /api/crud/ns.customers", s.h(func(c *call) (any, *apiError) { return s.saveCustomer(0, c.b, c.user) }))
	m.HandleFunc("PUT /api/crud/ns.customers/{id}", s.h(func(c *call) (any, *apiError) { return s.saveCustomer(c.id(), c.b, c.user) }))
	m.HandleFunc("DELETE /api/crud/ns.customers/{id}", s.h(func(c *call) (any, *apiError) { return st().deleteCustomer(c.id(), true) }))
	m.HandleFunc("POST /api/crud/ns.payments-types", s.h(func(c *call) (any, *apiError) { return s.savePaymentType(0, c.b, c.user) }))
	m.HandleFunc("PUT /api/crud/ns.payments-types/{id}", s.h(func(c *call) (any, *apiError) { return s.savePaymentType(c.id(), c.b, c.user) }))
	m.HandleFunc("DELETE /api/crud/ns.payments-types/{id}", s.h(func(c *call) (any, *apiError) {
		p := st().pay.get(c.id())
		if p == nil {
			return nil, notFound("Unable to delete an entry that no longer exists.")
		}
		if p.Readonly == 1 {
			return nil, notAllowed("Unable to delete a read-only payment type.")
		}
		st().pay.del(p.ID)
		return deleted, nil
	}))
	m.HandleFunc("DELETE /api/crud/ns.orders/{id}", s.h(func(c *call) (any, *apiError) {
		if st().ord.get(c.id()) == nil {
			return nil, notFound("Unable to delete an entry that no longer exists.")
		}
		if _, err := st().deleteOrder(c.id(), c.user); err != nil {
			return nil, err
		}
		return deleted, nil
	}))
	m.HandleFunc("DELETE /api/crud/ns.products/{id}", s.h(func(c *call) (any, *apiError) {
		if st().prod.get(c.id()) == nil {
			return nil, notFound("Unable to delete an entry that no longer exists.")
		}
		if _, err := st().deleteProduct(c.id()); err != nil {
			return nil, err
		}
		return deleted, nil
	}))
	m.HandleFunc("POST /api/crud/ns.products-categories", s.h(func(c *call) (any, *apiError) {
		in := body{"name": c.b["name"]}
		for _, k := range []string{"parent_id", "description"} {
			if x, ok := c.b.get("general." + k); ok {
				in[k] = x
			}
		}
		x, err := st().saveCategory(0, in, c.user)
		if err != nil {
			return nil, err
		}
		if c.b.has("general.displays_on_pos") {
			x.DisplaysOnPOS = c.b.int("general.displays_on_pos")
		}
		return created(s, *x, "products/categories", x.ID), nil
	}))
	m.HandleFunc("POST /api/crud/ns.customers-groups", s.h(func(c *call) (any, *apiError) {
		if !c.b.filled("name") {
			return nil, invalid(map[string][]string{"name": {"The name field is required."}})
		}
		g := st().addCustomerGroup(c.b.str("name"), c.b.str("general.description"), c.user)
		return created(s, *g, "customers/groups", g.ID), nil
	}))
	m.HandleFunc("POST /api/crud/ns.units-groups", s.h(func(c *call) (any, *apiError) {
		if !c.b.filled("name") {
			return nil, invalid(map[string][]string{"name": {"The name field is required."}})
		}
		ts := st().stamp()
		g := &UnitGroup{Name: c.b.str("name"), Description: nstr(c.b.str("general.description")), Author: c.user, UUID: st().uuid(), CreatedAt: ts, UpdatedAt: ts}
		g.ID = st().ugrp.add(g)
		return created(s, *g, "units/groups", g.ID), nil
	}))
	m.HandleFunc("POST /api/crud/ns.units", s.h(func(c *call) (any, *apiError) {
		if !c.b.filled("name") || !c.b.filled("general.group_id") {
			return nil, invalid(map[string][]string{"name": {"The name field is required."}, "general.group_id": {"The general.group id field is required."}})
		}
		ident := c.b.str("general.identifier")
		if ident == "" {
			ident = slug(c.b.str("name"))
		}
		dup := false
		st().unit.each(func(u *Unit) { dup = dup || u.Identifier == ident })
		if dup {
			return nil, invalid(map[string][]string{"general.identifier": {"The general.identifier has already been taken."}})
		}
		ts := st().stamp()
		val, ok := c.b.num("general.value")
		if !ok {
			val = 1
		}
		u := &Unit{Name: c.b.str("name"), Identifier: ident, Description: nstr(c.b.str("general.description")), Author: c.user,
			GroupID: c.b.int("general.group_id"), Value: val, BaseUnit: c.b.int("general.base_unit") == 1, UUID: st().uuid(), CreatedAt: ts, UpdatedAt: ts}
		u.ID = st().unit.add(u)
		return created(s, *u, "units", u.ID), nil
	}))
	m.HandleFunc("POST /api/crud/ns.taxes-groups", s.h(func(c *call) (any, *apiError) {
		if !c.b.filled("name") {
			return nil, invalid(map[string][]string{"name": {"The name field is required."}})
		}
		ts := st().stamp()
		g := &TaxGroup{Name: c.b.str("name"), Description: nstr(c.b.str("general.description")), Author: c.user, UUID: st().uuid(), CreatedAt: ts, UpdatedAt: ts}
		g.ID = st().tgrp.add(g)
		return created(s, *g, "taxes/groups", g.ID), nil
	}))
	m.HandleFunc("POST /api/crud/ns.taxes", s.h(func(c *call) (any, *apiError) {
		if !c.b.filled("name") || !c.b.filled("general.tax_group_id") {
			return nil, invalid(map[string][]string{"name": {"The name field is required."}, "general.tax_group_id": {"The general.tax group id field is required."}})
		}
		ts := st().stamp()
		rate, _ := c.b.num("general.rate")
		t := &Tax{Name: c.b.str("name"), Rate: rate, TaxGroupID: c.b.int("general.tax_group_id"), Description: nstr(c.b.str("general.description")), Author: c.user, CreatedAt: ts, UpdatedAt: ts}
		t.ID = st().tax.add(t)
		return created(s, *t, "taxes", t.ID), nil
	}))
}
