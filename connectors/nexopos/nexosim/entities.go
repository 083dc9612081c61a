package nexosim

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// CustomerDetail is GET /api/customers/{id}.
type CustomerDetail struct {
	User
	Group    *CustomerGroup `json:"group"`
	Billing  *Address       `json:"billing"`
	Shipping *Address       `json:"shipping"`
}

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func (st *state) customerDetail(u *User) CustomerDetail {
	d := CustomerDetail{User: *u}
	if u.GroupID != nil {
		if g := st.cgrp.get(*u.GroupID); g != nil {
			c := *g
			d.Group = &c
		}
	}
	for _, id := range st.custAdr[u.ID] {
		a := *st.addr.get(id)
		if a.Type == "billing" {
			d.Billing = &a
		} else {
			d.Shipping = &a
		}
	}
	return d
}

// saveCustomer implements POST /api/crud/ns.customers and PUT …/{id}.
func (s *Sim) saveCustomer(id int, b body, author int) (any, *apiError) {
	st := s.st
	var u *User
	if id != 0 {
		if u = st.customer(id); u == nil {
			return nil, notFound("Unable to edit an entry that no longer exists.")
		}
	}
	errs := map[string][]string{}
	if !b.filled("first_name") {
		errs["first_name"] = []string{"The first name field is required."}
	}
	if !b.filled("general.group_id") {
		errs["general.group_id"] = []string{"The general.group id field is required."}
	}
	email := strings.ToLower(b.str("general.email"))
	if email != "" && !emailRE.MatchString(email) {
		errs["general.email"] = []string{"The general.email field must be a valid email address."}
	}
	if len(errs) > 0 {
		return nil, invalid(errs)
	}
	if email != "" {
		for _, other := range st.usr.rows {
			if other.ID == id || !strings.EqualFold(other.Email, email) {
				continue
			}
			if other.Role == RoleCustomer {
				return nil, notAllowed("The email \"%s\" is already used for another customer.", email)
			}
			return nil, exception("SQLSTATE[23000]: Integrity constraint violation: 1062 Duplicate entry '%s' for key 'nexopos_users_email_unique'", email)
		}
	}
	creating := u == nil
	if creating {
		if email == "" {
			email = fmt.Sprintf("customer-%d@%s", st.usr.next+1, strings.TrimPrefix(strings.TrimPrefix(s.URL(), "http://"), "https://"))
		}
		u = st.newCustomer(b.str("first_name"), b.str("general.last_name"), email, b.int("general.group_id"))
		u.Author = author
	}
	before := *u
	u.FirstName = nstr(b.str("first_name"))
	for key, dst := range map[string]**string{"last_name": &u.LastName, "phone": &u.Phone, "gender": &u.Gender, "pobox": &u.Pobox, "birth_date": &u.BirthDate} {
		if b.has("general." + key) {
			*dst = nstr(b.str("general." + key))
		}
	}
	if email != "" {
		u.Email, u.Username = email, email
	}
	u.GroupID = ptr(b.int("general.group_id"))
	if f, ok := b.num("general.credit_limit_amount"); ok {
		u.CreditLimitAmount = f
	}
	for _, kind := range []string{"billing", "shipping"} {
		if b.has(kind) {
			st.saveCustomerAddress(u.ID, kind, b.obj(kind), author)
		}
	}
	cmp := *u
	cmp.UpdatedAt = before.UpdatedAt
	if !creating && cmp != before {
		st.touchCustomer(u)
	}
	msg := "A new entry has been successfully created."
	if !creating {
		msg = "The entry has been successfully updated."
	}
	return map[string]any{"status": "success", "message": msg,
		"data": map[string]any{"entry": *u, "editUrl": fmt.Sprintf("%s/dashboard/customers/edit/%d", s.URL(), u.ID)}}, nil
}

func (st *state) saveCustomerAddress(cid int, kind string, a body, author int) {
	fresh := addressFrom(a, kind, author, st.stamp())
	fresh.OwnerID = cid
	for _, id := range st.custAdr[cid] {
		if old := st.addr.get(id); old.Type == kind {
			fresh.ID, fresh.CreatedAt, fresh.UUID = old.ID, old.CreatedAt, old.UUID
			*old = *fresh
			return
		}
	}
	fresh.UUID = st.uuid()
	fresh.ID = st.addr.add(fresh)
	st.custAdr[cid] = append(st.custAdr[cid], fresh.ID)
}

// deleteCustomer follows CustomerService::delete and CrudController::crudDelete:
// CustomerBeforeDeletedEvent deletes the addresses first, then NsDependable
// refuses a customer having orders. Its Order dependency names the local
// column "name", which a customer lacks, so the message is the nameless one
// with the class and the count minus one (app/Models/Customer.php,
// app/Traits/NsDependable.php); the addresses stay deleted.
func (st *state) deleteCustomer(id int, crud bool) (any, *apiError) {
	u := st.customer(id)
	if u == nil {
		if crud {
			return nil, notFound("Unable to delete an entry that no longer exists.")
		}
		return nil, notFound("Unable to find the customer using the provided id.")
	}
	for _, aid := range st.custAdr[id] {
		st.addr.del(aid)
	}
	delete(st.custAdr, id)
	orders := 0
	for _, oid := range st.ord.ids {
		if st.ord.rows[oid].CustomerID == id {
			orders++
		}
	}
	if orders > 0 {
		if orders == 2 {
			return nil, notAllowed("Unable to delete this resource as it has App\\Models\\Order dependency with 1 item.")
		}
		return nil, notAllowed("Unable to delete this resource as it has App\\Models\\Order dependencies with %d items.", orders-1)
	}
	st.usr.del(id)
	st.custOrder = nil
	if crud {
		return deleted, nil
	}
	return map[string]any{"status": "success", "message": "The customer has been deleted."}, nil
}

// saveCategory implements POST /api/categories and PUT /api/categories/{id}
// as CategoryController::post/put do: only the keys present among name,
// parent_id, description and media_id are assigned; POST refuses an unknown
// non-zero parent (NotFoundException), PUT checks no parent at all; an
// absent parent_id takes the column default 0.
func (st *state) saveCategory(id int, b body, author int) (*Category, *apiError) {
	var c *Category
	if id != 0 {
		if c = st.cat.get(id); c == nil {
			if x, ok := b.get("parent_id"); ok && x == float64(0) {
				// `$request->input('parent_id') !== 0` lets an integer 0 through
				// to an assignment on null.
				return nil, fatal("Error", `Attempt to assign property "name" on null`)
			}
			return nil, notFound("Unable to find the category using the provided identifier")
		}
	} else if parent := b.int("parent_id"); parent != 0 && st.cat.get(parent) == nil {
		return nil, notFound("Unable to find the attached category parent")
	}
	if (c == nil || b.has("name")) && !b.filled("name") {
		return nil, exception("SQLSTATE[23000]: Integrity constraint violation: 1048 Column 'name' cannot be null")
	}
	creating := c == nil
	if creating {
		ts := st.stamp()
		c = &Category{ParentID: ptr(0), DisplaysOnPOS: 1, Author: author, UUID: st.uuid(), CreatedAt: ts, UpdatedAt: ts}
	}
	before := *c
	if b.has("name") {
		c.Name = b.str("name")
	}
	if b.has("parent_id") {
		c.ParentID = b.intPtr("parent_id")
	}
	if b.has("description") {
		c.Description = nstr(b.str("description"))
	}
	if b.has("media_id") {
		c.MediaID = b.int("media_id")
	}
	c.Author = author
	if creating {
		c.ID = st.cat.add(c)
	} else if !sameCategory(c, &before) {
		c.UpdatedAt = st.stamp()
	}
	return c, nil
}

func sameCategory(a, b *Category) bool {
	ip := func(n *int) int {
		if n == nil {
			return -1
		}
		return *n
	}
	return a.Name == b.Name && ip(a.ParentID) == ip(b.ParentID) && deref(a.Description) == deref(b.Description) &&
		a.MediaID == b.MediaID && a.Author == b.Author
}

// dependencyTail is the end of NsDependable's refusal: "." for one
// dependent row, " and 1 more item." / " and N more items." for more
// (app/Traits/NsDependable.php, trans_choice).
func dependencyTail(rows int) string {
	switch more := rows - 1; {
	case more <= 0:
		return "."
	case more == 1:
		return " and 1 more item."
	default:
		return fmt.Sprintf(" and %d more items.", more)
	}
}

// deleteCategory follows CategoryController::delete: sub-categories are
// refused with a NotFoundException (404), products by NsDependable (403,
// naming the first product).
func (st *state) deleteCategory(id int) (any, *apiError) {
	c := st.cat.get(id)
	if c == nil {
		return nil, notFound("Unable to find the category using the provided identifier.")
	}
	for _, other := range st.cat.rows {
		if other.ParentID != nil && *other.ParentID == id {
			return nil, notFound("Can't delete a category having sub categories linked to it.")
		}
	}
	var first *Product
	n := 0
	for _, pid := range st.prod.ids {
		if p := st.prod.rows[pid]; p.CategoryID == id {
			if first == nil {
				first = p
			}
			n++
		}
	}
	if first != nil {
		return nil, notAllowed("Unable to delete \"%s\" as it's a dependency for \"%s\"%s", c.Name, first.Name, dependencyTail(n))
	}
	st.cat.del(id)
	return map[string]any{"status": "success", "message": "The category has been deleted."}, nil
}

func (s *Sim) entityRoutes(m *http.ServeMux) {
	st := func() *state { return s.st }
	m.HandleFunc("GET /api/categories", s.h(func(c *call) (any, *apiError) {
		out := []Category{}
		onlyRoots := c.r.URL.Query().Get("parent") == "true"
		st().cat.each(func(x *Category) {
			if !onlyRoots || x.ParentID == nil {
				out = append(out, *x)
			}
		})
		return out, nil
	}))
	m.HandleFunc("GET /api/categories/{id}", s.h(func(c *call) (any, *apiError) {
		x := st().cat.get(c.id())
		if x == nil {
			return nil, exception("Unable to find the category using the provided identifier")
		}
		return *x, nil
	}))
	m.HandleFunc("POST /api/categories", s.h(func(c *call) (any, *apiError) {
		x, err := st().saveCategory(0, c.b, c.user)
		if err != nil {
			return nil, err
		}
		return map[string]any{"status": "success", "message": "The category has been correctly saved", "data": map[string]any{"category": *x}}, nil
	}))
	m.HandleFunc("PUT /api/categories/{id}", s.h(func(c *call) (any, *apiError) {
		x, err := st().saveCategory(c.id(), c.b, c.user)
		if err != nil {
			return nil, err
		}
		return map[string]any{"status": "success", "message": "The category has been updated", "data": map[string]any{"category": *x}}, nil
	}))
	m.HandleFunc("DELETE /api/categories/{id}", s.h(func(c *call) (any, *apiError) { return st().deleteCategory(c.id()) }))

	m.HandleFunc("GET /api/customers", s.h(func(c *call) (any, *apiError) {
		out := []CustomerDetail{}
		for _, id := range st().customersByUpdated() {
			if u := st().usr.get(id); u.GroupID != nil {
				out = append(out, st().customerDetail(u))
			}
		}
		return out, nil
	}))
	m.HandleFunc("GET /api/customers/{id}", s.h(func(c *call) (any, *apiError) {
		u := st().customer(c.id())
		if u == nil {
			return nil, notFound("The requested customer cannot be found.")
		}
		return st().customerDetail(u), nil
	}))
	m.HandleFunc("POST /api/customers/search", s.h(func(c *call) (any, *apiError) {
		term := c.b.str("search")
		out := []User{}
		for _, id := range st().usr.ids {
			u := st().usr.rows[id]
			if u.Role != RoleCustomer {
				continue
			}
			if containsFold(deref(u.FirstName), term) || containsFold(deref(u.LastName), term) ||
				containsFold(u.Email, term) || containsFold(deref(u.Phone), term) {
				out = append(out, *u)
				if len(out) == 10 {
					break
				}
			}
		}
		return out, nil
	}))
	m.HandleFunc("DELETE /api/customers/{id}", s.h(func(c *call) (any, *apiError) { return st().deleteCustomer(c.id(), false) }))
	m.HandleFunc("GET /api/customers-groups", s.h(func(c *call) (any, *apiError) { return rows(st().cgrp), nil }))
	m.HandleFunc("POST /api/customers-groups", s.h(func(c *call) (any, *apiError) {
		if !c.b.filled("name") {
			return nil, exception("SQLSTATE[23000]: Integrity constraint violation: 1048 Column 'name' cannot be null")
		}
		g := st().addCustomerGroup(c.b.str("name"), c.b.str("description"), c.user)
		return map[string]any{"status": "success", "message": "The customer group has been successfully created.", "data": map[string]any{"group": *g}}, nil
	}))
	m.HandleFunc("GET /api/units", s.h(func(c *call) (any, *apiError) { return rows(st().unit), nil }))
	m.HandleFunc("GET /api/units-groups", s.h(func(c *call) (any, *apiError) { return rows(st().ugrp), nil }))
	m.HandleFunc("GET /api/units-groups/{id}/units", s.h(func(c *call) (any, *apiError) {
		out := []Unit{}
		st().unit.each(func(u *Unit) {
			if u.GroupID == c.id() {
				out = append(out, *u)
			}
		})
		return out, nil
	}))
	m.HandleFunc("GET /api/taxes", s.h(func(c *call) (any, *apiError) { return rows(st().tax), nil }))
	m.HandleFunc("GET /api/taxes/groups", s.h(func(c *call) (any, *apiError) {
		out := []TaxGroup{}
		st().tgrp.each(func(g *TaxGroup) {
			x := *g
			x.Taxes = st().taxesOf(g.ID)
			if x.Taxes == nil {
				x.Taxes = []Tax{}
			}
			out = append(out, x)
		})
		return out, nil
	}))
}

func rows[T any](t *table[T]) []T {
	out := make([]T, 0, len(t.ids))
	t.each(func(x *T) { out = append(out, *x) })
	return out
}

func (st *state) addCustomerGroup(name, desc string, author int) *CustomerGroup {
	ts := st.stamp()
	g := &CustomerGroup{Name: name, Description: nstr(desc), Author: author, UUID: st.uuid(), CreatedAt: ts, UpdatedAt: ts}
	g.ID = st.cgrp.add(g)
	return g
}
