package wcsim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// AddProduct stores p as given (defaults for empty Type, Status, stock
// fields; dates from the clock) and returns its id. No REST validation runs
// except validate_props' stock rules.
func (s *Sim) AddProduct(p Product) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := newProduct()
	if p.Type == "" {
		p.Type = d.Type
	}
	if p.Status == "" {
		p.Status = d.Status
	}
	if p.CatalogVisibility == "" {
		p.CatalogVisibility = d.CatalogVisibility
	}
	if p.TaxStatus == "" {
		p.TaxStatus = d.TaxStatus
	}
	if p.StockStatus == "" {
		p.StockStatus = d.StockStatus
	}
	if p.Backorders == "" {
		p.Backorders = d.Backorders
	}
	if len(p.CategoryIDs) == 0 {
		p.CategoryIDs = []int{s.st.defaultCat}
	}
	validateProps(&p)
	cp := p
	s.saveNewProduct(&cp)
	return cp.ID
}

// Product returns a copy of the product, false when unknown.
func (s *Sim) Product(id int) (Product, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.st.products[id]
	if !ok {
		return Product{}, false
	}
	return copyProduct(p), true
}

func copyProduct(p *Product) Product {
	c := *p
	c.CategoryIDs = append([]int(nil), p.CategoryIDs...)
	c.MetaData = append([]Meta(nil), p.MetaData...)
	if p.StockQuantity != nil {
		q := *p.StockQuantity
		c.StockQuantity = &q
	}
	return c
}

// Products returns copies of every product (trashed included) by id.
func (s *Sim) Products() []Product {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Product, 0, len(s.st.productIDs))
	for _, id := range s.st.productIDs {
		out = append(out, copyProduct(s.st.products[id]))
	}
	return out
}

// UpdateProduct changes a product like a save: fn edits it, the stock
// rules run and date_modified moves to the clock.
func (s *Sim) UpdateProduct(id int, fn func(*Product)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.st.products[id]
	if !ok {
		return fmt.Errorf("wcsim: update product %d: not found", id)
	}
	old := p.SKU
	fn(p)
	p.ID = id
	validateProps(p)
	p.DateModified = s.now()
	s.st.indexSKU(p, old)
	return nil
}

// AddCategory stores c and returns its id.
func (s *Sim) AddCategory(c Category) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := c
	return s.st.addCategory(&cp)
}

// Categories returns copies of every category by id.
func (s *Sim) Categories() []Category {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Category, 0, len(s.st.categoryIDs))
	for _, id := range s.st.categoryIDs {
		out = append(out, *s.st.categories[id])
	}
	return out
}

// DefaultCategory returns the id of "Uncategorized".
func (s *Sim) DefaultCategory() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.defaultCat
}

// AddCustomer stores a user (role customer unless set) and returns its id.
func (s *Sim) AddCustomer(c Customer) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := c
	if cp.DateCreated.IsZero() {
		cp.DateCreated = s.now()
		t := cp.DateCreated
		cp.DateModified = &t
	}
	return s.st.addUser(&cp)
}

// SetUserRole gives the user with email the role, creating the user when
// none has that email (e.g. an administrator hidden from the default
// customers list). It returns the user id.
func (s *Sim) SetUserRole(email, role string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.st.userByEmail(email); u != nil {
		u.Role = role
		return u.ID
	}
	return s.st.addUser(&Customer{Email: email, Role: role, DateCreated: s.now()})
}

// Customers returns copies of every user, all roles, by id.
func (s *Sim) Customers() []Customer {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Customer, 0, len(s.st.userIDs))
	for _, id := range s.st.userIDs {
		c := *s.st.users[id]
		c.MetaData = append([]Meta(nil), c.MetaData...)
		out = append(out, c)
	}
	return out
}

// AddOrder stores o as given (no stock effect unless StockReduced is set
// by the caller) and returns its id. Line items without an ID get one.
func (s *Sim) AddOrder(o Order) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := o
	cp.LineItems = append([]LineItem(nil), o.LineItems...)
	for i := range cp.LineItems {
		if cp.LineItems[i].ID == 0 {
			cp.LineItems[i].ID = s.st.newItemID()
		}
	}
	s.saveNewOrder(&cp)
	return cp.ID
}

// Order returns a copy of the order, false when unknown.
func (s *Sim) Order(id int) (Order, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, ok := s.st.orders[id]
	if !ok {
		return Order{}, false
	}
	return copyOrder(o), true
}

func copyOrder(o *Order) Order {
	c := *o
	c.LineItems = append([]LineItem(nil), o.LineItems...)
	c.ShippingLines = append([]ShippingLine(nil), o.ShippingLines...)
	c.FeeLines = append([]FeeLine(nil), o.FeeLines...)
	c.MetaData = append([]Meta(nil), o.MetaData...)
	c.Notes = append([]OrderNote(nil), o.Notes...)
	return c
}

// Orders returns copies of every order (trashed included) by id.
func (s *Sim) Orders() []Order {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Order, 0, len(s.st.orderIDs))
	for _, id := range s.st.orderIDs {
		out = append(out, copyOrder(s.st.orders[id]))
	}
	return out
}

// SetOrderStatus changes an order's status as a PUT would (stock hooks,
// notes, date_modified).
func (s *Sim) SetOrderStatus(id int, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.st.orders[id]
	if !ok {
		return fmt.Errorf("wcsim: set order status %d: not found", id)
	}
	s.setStatus(o, status)
	o.DateModified = s.now()
	return nil
}

// SetGatewayEnabled enables or disables a payment gateway, adding it
// (titled after its id) when unknown.
func (s *Sim) SetGatewayEnabled(id string, enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.st.gateways {
		if g.ID == id {
			g.Enabled = enabled
			return
		}
	}
	s.st.gateways = append(s.st.gateways, &Gateway{ID: id, Title: id, MethodTitle: id, Order: "", Enabled: enabled})
}

// Seed replaces the store's records: "empty" (the defaults of New),
// "demo" (a small shop) or a number N (N products across nested
// categories, N/5 customers, 2N orders).
func (s *Sim) Seed(spec string) error {
	spec = strings.TrimSpace(spec)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = newState()
	now := s.now()
	s.st.resetDefaults(now)
	switch spec {
	case "", "empty":
		return nil
	case "demo":
		s.seedDemo(now)
		return nil
	}
	n, err := strconv.Atoi(spec)
	if err != nil || n < 0 {
		return errors.New("wcsim: seed: want empty, demo or a number, got " + strconv.Quote(spec))
	}
	s.seedN(n, now)
	return nil
}

func ptr(n int) *int { return &n }
