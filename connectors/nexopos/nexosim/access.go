package nexosim

import (
	"fmt"
	"strconv"
)

// NewProduct describes a product added directly (AddProduct).
type NewProduct struct {
	Name            string
	SKU             string // "" = generated as NexoPOS does
	Barcode         string // "" = generated
	CategoryID      int    // 0 = the default category
	Status          string // "" = available
	StockManagement string // "" = enabled
	TaxGroupID      *int
	TaxType         string  // "inclusive" | "exclusive" | ""
	UnitID          int     // 0 = the default unit "piece"
	Price           float64 // sale_price_edit
	WholesalePrice  float64
	Stock           float64 // initial quantity, recorded as an "added" move
}

// NewCategory describes a category added directly.
type NewCategory struct {
	Name     string
	ParentID int // 0 = root
}

// NewCustomer describes a customer added directly.
type NewCustomer struct {
	FirstName, LastName, Email, Phone string
	GroupID                           int // 0 = the default group
	Billing, Shipping                 map[string]string
}

// OrderLine is one line of an order added directly; ProductID 0 makes a quick product.
type OrderLine struct {
	ProductID int
	UnitID    int // 0 = the default unit
	Name      string
	Quantity  float64
	UnitPrice float64 // 0 = the unit row's sale price
}

// NewOrder describes an order added directly, through the same path as POST /api/orders.
type NewOrder struct {
	CustomerID int // 0 = the walk-in customer
	Title      string
	Note       string
	Lines      []OrderLine
	Payments   map[string]float64 // identifier -> value; nil = unpaid
	CreatedAt  string             // "Y-m-d H:i:s" store-local; "" = now
	Type       string             // "" = takeaway
}

// Defaults returns the ids of the records a fresh simulator holds.
func (s *Sim) Defaults() Defaults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.defaults
}

func toErr(e *apiError) error {
	if e == nil {
		return nil
	}
	return fmt.Errorf("nexosim: %s", e.message)
}

// AddProduct creates a product with one unit row and returns its id.
func (s *Sim) AddProduct(p NewProduct) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addProduct(p, true)
}

func (s *Sim) addProduct(p NewProduct, uuids bool) (int, error) {
	st := s.st
	d := st.defaults
	if p.CategoryID == 0 {
		p.CategoryID = d.CategoryID
	}
	if p.UnitID == 0 {
		p.UnitID = d.UnitID
	}
	ident := body{"category_id": float64(p.CategoryID), "sku": p.SKU, "barcode": p.Barcode, "barcode_type": "code128",
		"type": "materialized", "status": orDefault(p.Status, "available"), "stock_management": orDefault(p.StockManagement, "enabled")}
	taxes := body{"tax_type": p.TaxType}
	if p.TaxGroupID != nil {
		taxes["tax_group_id"] = float64(*p.TaxGroupID)
	}
	b := body{"name": p.Name, "variations": []any{map[string]any{
		"$primary": true, "identification": map[string]any(ident), "taxes": map[string]any(taxes),
		"expiracy": map[string]any{"expires": float64(0), "on_expiration": "prevent_sales"},
		"units": map[string]any{"unit_group": float64(d.UnitGroupID), "selling_group": []any{map[string]any{
			"unit_id": float64(p.UnitID), "sale_price_edit": p.Price, "wholesale_price_edit": p.WholesalePrice, "visible": float64(1)}}},
		"images": []any{}, "groups": map[string]any{},
	}}}
	b = body(normalize(map[string]any(b)).(map[string]any))
	prod, err := st.saveProduct(0, b, AdminID)
	if err != nil {
		return 0, toErr(err)
	}
	if !uuids {
		prod.UUID = nil
	}
	if p.Stock > 0 {
		st.moveStock(prod.ID, p.UnitID, "added", p.Stock, p.Price, nil, nil, AdminID)
	}
	return prod.ID, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// AddCategory creates a category and returns its id.
func (s *Sim) AddCategory(c NewCategory) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := body{"name": c.Name}
	if c.ParentID != 0 {
		b["parent_id"] = float64(c.ParentID)
	}
	x, err := s.st.saveCategory(0, b, AdminID)
	if err != nil {
		return 0, toErr(err)
	}
	return x.ID, nil
}

// AddCustomer creates a customer (a user with the customer role).
func (s *Sim) AddCustomer(c NewCustomer) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.GroupID == 0 {
		c.GroupID = s.st.defaults.CustomerGroupID
	}
	b := body{"first_name": c.FirstName, "general": map[string]any{"last_name": c.LastName, "email": c.Email,
		"phone": c.Phone, "group_id": float64(c.GroupID)}}
	for kind, a := range map[string]map[string]string{"billing": c.Billing, "shipping": c.Shipping} {
		if a != nil {
			m := map[string]any{}
			for k, v := range a {
				m[k] = v
			}
			b[kind] = m
		}
	}
	b = body(normalize(map[string]any(b)).(map[string]any))
	out, err := s.saveCustomer(0, b, AdminID)
	if err != nil {
		return 0, toErr(err)
	}
	return out.(map[string]any)["data"].(map[string]any)["entry"].(User).ID, nil
}

// AddOrder creates an order through the POST /api/orders rules (stock checked
// and moved as 5.3 does) and returns its id.
func (s *Sim) AddOrder(o NewOrder) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addOrder(o)
}

func (s *Sim) addOrder(o NewOrder) (int, error) {
	st := s.st
	if o.CustomerID == 0 {
		o.CustomerID = st.defaults.CustomerID
	}
	var lines []any
	for _, l := range o.Lines {
		unitID := l.UnitID
		if unitID == 0 {
			unitID = st.defaults.UnitID
		}
		m := map[string]any{"name": l.Name, "quantity": l.Quantity, "unit_price": l.UnitPrice}
		if l.ProductID != 0 {
			uq := st.unitRow(l.ProductID, unitID)
			if uq == nil {
				return 0, fmt.Errorf("nexosim: product %d has no row for unit %d", l.ProductID, unitID)
			}
			if l.UnitPrice == 0 {
				m["unit_price"] = uq.SalePrice
			}
			m["product_id"], m["unit_quantity_id"] = float64(l.ProductID), float64(uq.ID)
		} else {
			m["unit_id"] = float64(unitID)
		}
		lines = append(lines, m)
	}
	var pays []any
	for id, v := range o.Payments {
		pays = append(pays, map[string]any{"identifier": id, "value": v})
	}
	b := body{"customer_id": float64(o.CustomerID), "type": map[string]any{"identifier": orDefault(o.Type, "takeaway")},
		"products": lines, "payments": pays, "title": o.Title, "note": o.Note, "created_at": o.CreatedAt}
	b = body(normalize(map[string]any(b)).(map[string]any))
	ord, err := s.createOrder(b, AdminID)
	if err != nil {
		return 0, toErr(err)
	}
	return ord.ID, nil
}

// Sell mimics a cashier: a paid cash order of qty of each product at its price.
func (s *Sim) Sell(customerID int, qty float64, productIDs ...int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := NewOrder{CustomerID: customerID}
	total := 0.0
	for _, id := range productIDs {
		uq := s.st.unitRow(id, s.st.defaults.UnitID)
		if uq == nil {
			return 0, fmt.Errorf("nexosim: product %d has no default unit row", id)
		}
		o.Lines = append(o.Lines, OrderLine{ProductID: id, Quantity: qty, UnitPrice: uq.SalePrice})
		total += uq.SalePrice * qty
	}
	o.Payments = map[string]float64{"cash-payment": round5(total)}
	return s.addOrder(o)
}

// AdjustStock applies one stock adjustment (action as the API accepts it:
// added, deleted, set, defective, lost, …) with the API's rules.
func (s *Sim) AdjustStock(productID, unitID int, action string, qty float64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if unitID == 0 {
		unitID = s.st.defaults.UnitID
	}
	name := ""
	if p := s.st.prod.get(productID); p != nil {
		name = p.Name
	}
	b := body{"products": []any{map[string]any{"id": float64(productID), "name": name, "adjust_action": action,
		"adjust_quantity": qty, "adjust_unit": map[string]any{"unit_id": float64(unitID), "sale_price": float64(0)}}}}
	_, err := s.st.adjust(b, AdminID)
	return toErr(err)
}

// Product returns a product row with its unit rows.
func (s *Sim) Product(id int) (ProductWithUnits, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.prod.get(id)
	if p == nil {
		return ProductWithUnits{}, false
	}
	return s.st.withUnits(p), true
}

// Products returns every product row in id order.
func (s *Sim) Products() []Product { s.mu.Lock(); defer s.mu.Unlock(); return rows(s.st.prod) }

// StockOf returns the quantity of a product's row for unitID (0 = default unit).
func (s *Sim) StockOf(productID, unitID int) (float64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if unitID == 0 {
		unitID = s.st.defaults.UnitID
	}
	uq := s.st.unitRow(productID, unitID)
	if uq == nil {
		return 0, false
	}
	return uq.Quantity, true
}

// History returns the stock ledger of a product.
func (s *Sim) History(productID int) []HistoryRow {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []HistoryRow
	s.st.hist.each(func(h *HistoryRow) {
		if h.ProductID == productID {
			out = append(out, *h)
		}
	})
	return out
}

// Orders returns every order with its relations, in id order.
func (s *Sim) Orders() []OrderDetail {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]OrderDetail, 0, len(s.st.ord.ids))
	s.st.ord.each(func(o *Order) { out = append(out, s.st.orderDetail(o)) })
	return out
}

// Order returns one order with its relations.
func (s *Sim) Order(id int) (OrderDetail, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.ord.get(id)
	if o == nil {
		return OrderDetail{}, false
	}
	return s.st.orderDetail(o), true
}

// Customers returns every customer (users with the customer role).
func (s *Sim) Customers() []CustomerDetail {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CustomerDetail
	s.st.usr.each(func(u *User) {
		if u.Role == RoleCustomer {
			out = append(out, s.st.customerDetail(u))
		}
	})
	return out
}

// Categories returns every category in id order.
func (s *Sim) Categories() []Category { s.mu.Lock(); defer s.mu.Unlock(); return rows(s.st.cat) }

// PaymentTypes returns every payment type in id order.
func (s *Sim) PaymentTypes() []PaymentType { s.mu.Lock(); defer s.mu.Unlock(); return rows(s.st.pay) }

// Seed replaces the state: "empty" (the defaults of a fresh install),
// "demo" (a small shop) or a number N (N products in nested categories, N/5
// customers, 2N paid orders).
func (s *Sim) Seed(spec string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = newState(s.now, s.opts.Seed)
	s.st.installDefaults()
	switch spec {
	case "", "empty":
		return nil
	case "demo":
		return s.seedDemo()
	}
	n, err := strconv.Atoi(spec)
	if err != nil || n < 0 {
		return fmt.Errorf("nexosim: seed %q: want empty, demo or a number", spec)
	}
	return s.seedN(n)
}
