package nexopos

import (
	"context"
	"fmt"
	"strings"

	"github.com/woonexo/woonexo/snapshot"
)

// Info is what Check learns about the NexoPOS account.
type Info struct {
	UserID   snapshot.ID
	Username string
	Email    string
}

// Check probes authentication with GET /api/user (one request).
func (c *Client) Check(ctx context.Context) (Info, error) {
	var u struct {
		ID       flexID     `json:"id"`
		Username flexString `json:"username"`
		Email    flexString `json:"email"`
	}
	if err := c.do(ctx, call{op: "check", group: "user", method: "GET", path: "user", safe: true}, &u); err != nil {
		return Info{}, err
	}
	if u.ID == "" {
		return Info{}, &Error{Op: "check", Kind: KindAuth, Message: "GET /api/user returned no user"}
	}
	return Info{UserID: snapshot.ID(u.ID), Username: string(u.Username), Email: string(u.Email)}, nil
}

// BootstrapItem is one configured default as Bootstrap found it.
type BootstrapItem struct {
	Name    string      // "unit_group", "unit", "allowed_unit piece", "category", "tax_group", "customer_group", "customer", "payment cash-payment"
	ID      snapshot.ID // the id in use after the check ("" when missing)
	Found   bool
	Created bool
	Problem string // why it is missing or unusable, "" when fine
}

// BootstrapReport lists every configured default.
type BootstrapReport struct {
	Items []BootstrapItem
}

// Missing names the defaults that are neither found nor created.
func (r BootstrapReport) Missing() []string {
	var out []string
	for _, it := range r.Items {
		if !it.Found && !it.Created {
			out = append(out, it.Name)
		}
	}
	return out
}

// OK reports whether every default is present.
func (r BootstrapReport) OK() bool { return len(r.Missing()) == 0 }

// Bootstrap verifies that every configured default exists: unit group,
// unit, allowed units, category, tax group (when configured), customer
// group, default customer and the payment identifiers. With create it makes
// the missing ones (unit group "Pieces", units named by identifier,
// category "Uncategorised", customer group "Customers", customer "Walk-in",
// payment types labelled by identifier) and the client uses their ids from
// then on (read them back with Defaults to store them in the
// configuration). The error is non-nil only when NexoPOS could not be read.
func (c *Client) Bootstrap(ctx context.Context, create bool) (BootstrapReport, error) {
	b := bootstrap{c: c, create: create, d: c.Defaults()}
	steps := []func(context.Context) error{b.unitGroup, b.units, b.category, b.taxGroup, b.customerGroup, b.customer, b.payments}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return b.report, fmt.Errorf("bootstrap: %w", err)
		}
	}
	c.mu.Lock()
	c.defaults = b.d
	c.cache.units = nil // re-read with any unit created
	c.mu.Unlock()
	return b.report, nil
}

type bootstrap struct {
	c      *Client
	create bool
	d      Defaults
	report BootstrapReport
}

// idRows lists id/name/identifier rows from a bare-array endpoint.
type idRow struct {
	ID         flexID     `json:"id"`
	Name       flexString `json:"name"`
	Identifier flexString `json:"identifier"`
	Active     *flexBool  `json:"active"`
	GroupID    flexID     `json:"group_id"`
}

func (b *bootstrap) list(ctx context.Context, group, path string) ([]idRow, error) {
	var rows []idRow
	err := b.c.do(ctx, call{op: "bootstrap list " + path, group: group, method: "GET", path: path, safe: true}, &rows)
	return rows, err
}

func hasID(rows []idRow, id snapshot.ID) bool {
	for _, r := range rows {
		if snapshot.ID(r.ID) == id {
			return true
		}
	}
	return false
}

// settle records one item: found, else created with make when allowed.
func (b *bootstrap) settle(ctx context.Context, name string, id snapshot.ID, found bool, problem string,
	make func(context.Context) (snapshot.ID, error)) snapshot.ID {
	it := BootstrapItem{Name: name, ID: id, Found: found}
	if !found {
		it.ID = ""
		it.Problem = problem
		if b.create && make != nil {
			newID, err := make(ctx)
			if err != nil {
				it.Problem = problem + "; create failed: " + err.Error()
			} else {
				it.ID, it.Created, it.Problem = newID, true, ""
			}
		}
	}
	b.report.Items = append(b.report.Items, it)
	return it.ID
}

func missing(id snapshot.ID) string {
	if id == "" {
		return "not configured"
	}
	return "id " + string(id) + " does not exist"
}

func (b *bootstrap) unitGroup(ctx context.Context) error {
	rows, err := b.list(ctx, "units", "units-groups")
	if err != nil {
		return err
	}
	id := b.d.UnitGroupID
	b.d.UnitGroupID = b.settle(ctx, "unit_group", id, id != "" && hasID(rows, id), missing(id), func(ctx context.Context) (snapshot.ID, error) {
		return b.c.crudCreate(ctx, "create unit group", "units", "ns.units-groups", map[string]any{"name": "Pieces", "general": map[string]any{"description": "Created by woonexo"}})
	})
	return nil
}

func (b *bootstrap) units(ctx context.Context) error {
	rows, err := b.list(ctx, "units", "units")
	if err != nil {
		return err
	}
	var firstAllowed snapshot.ID
	for _, ident := range b.c.allowed {
		var id snapshot.ID
		for _, r := range rows {
			if strings.EqualFold(string(r.Identifier), ident) {
				id = snapshot.ID(r.ID)
			}
		}
		got := b.settle(ctx, "allowed_unit "+ident, id, id != "", "no unit with identifier "+ident, func(ctx context.Context) (snapshot.ID, error) {
			if b.d.UnitGroupID == "" {
				return "", fmt.Errorf("no unit group")
			}
			return b.c.crudCreate(ctx, "create unit", "units", "ns.units", map[string]any{"name": ident, "general": map[string]any{
				"identifier": ident, "value": 1, "group_id": jsonID(b.d.UnitGroupID), "base_unit": 1, "preview_url": "", "description": ""}})
		})
		if firstAllowed == "" {
			firstAllowed = got
		}
	}
	id := b.d.UnitID
	if id == "" && firstAllowed != "" {
		id = firstAllowed
	}
	b.d.UnitID = b.settle(ctx, "unit", id, id != "" && (id == firstAllowed || hasID(rows, id)), missing(b.d.UnitID), nil)
	return nil
}

func (b *bootstrap) category(ctx context.Context) error {
	rows, err := b.list(ctx, "categories", "categories")
	if err != nil {
		return err
	}
	id := b.d.CategoryID
	b.d.CategoryID = b.settle(ctx, "category", id, id != "" && hasID(rows, id), missing(id), func(ctx context.Context) (snapshot.ID, error) {
		return b.c.SaveCategory(ctx, snapshot.Category{Name: "Uncategorised"})
	})
	return nil
}

func (b *bootstrap) taxGroup(ctx context.Context) error {
	id := b.d.TaxGroupID
	if id == "" {
		return nil // no tax group is a valid choice
	}
	rows, err := b.list(ctx, "taxes", "taxes/groups")
	if err != nil {
		return err
	}
	b.d.TaxGroupID = b.settle(ctx, "tax_group", id, hasID(rows, id), missing(id), nil)
	return nil
}

func (b *bootstrap) customerGroup(ctx context.Context) error {
	rows, err := b.list(ctx, "customers", "customers-groups")
	if err != nil {
		return err
	}
	id := b.d.CustomerGroupID
	b.d.CustomerGroupID = b.settle(ctx, "customer_group", id, id != "" && hasID(rows, id), missing(id), func(ctx context.Context) (snapshot.ID, error) {
		var resp struct {
			Data struct {
				Group idRow `json:"group"`
			} `json:"data"`
		}
		err := b.c.do(ctx, call{op: "create customer group", group: "customers", method: "POST", path: "customers-groups",
			body: map[string]any{"name": "Customers", "description": "Created by woonexo"}}, &resp)
		if err == nil && resp.Data.Group.ID == "" {
			err = &Error{Op: "create customer group", Kind: KindTransient, Message: "response carries no id"}
		}
		return snapshot.ID(resp.Data.Group.ID), err
	})
	return nil
}

func (b *bootstrap) customer(ctx context.Context) error {
	id := b.d.CustomerID
	found := false
	if id != "" {
		_, err := b.c.getCustomer(ctx, id)
		switch {
		case err == nil:
			found = true
		case !IsKind(err, KindNotFound):
			return err
		}
	}
	b.d.CustomerID = b.settle(ctx, "customer", id, found, missing(id), func(ctx context.Context) (snapshot.ID, error) {
		if b.d.CustomerGroupID == "" {
			return "", fmt.Errorf("no customer group")
		}
		return b.c.crudCreate(ctx, "create customer", "customers", "ns.customers", map[string]any{
			"first_name": "Walk-in", "general": map[string]any{"last_name": "Customer", "group_id": jsonID(b.d.CustomerGroupID)}})
	})
	return nil
}

func (b *bootstrap) payments(ctx context.Context) error {
	if len(b.c.payIDs) == 0 {
		return nil
	}
	types, _, err := b.c.readPaymentTypes(ctx)
	if err != nil {
		return err
	}
	for _, ident := range b.c.payIDs {
		var id snapshot.ID
		problem := "no payment type with identifier " + ident
		found := false
		for _, t := range types {
			if t.Identifier == ident {
				id, found = t.ID, t.Enabled
				if !t.Enabled {
					problem = "payment type " + ident + " is inactive"
				}
			}
		}
		create := func(ctx context.Context) (snapshot.ID, error) { return b.c.CreatePaymentType(ctx, ident, ident) }
		if id != "" {
			create = nil // exists but inactive: a person decides
		}
		b.settle(ctx, "payment "+ident, id, found, problem, create)
	}
	return nil
}
