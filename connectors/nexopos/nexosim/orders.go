package nexosim

import (
	"fmt"
	"time"
)

// OrderDetail is GET /api/orders/{id}: the row with its relations.
type OrderDetail struct {
	Order
	Customer         *User                  `json:"customer"`
	Payments         []OrderPayment         `json:"payments"`
	ShippingAddress  *Address               `json:"shipping_address"`
	BillingAddress   *Address               `json:"billing_address"`
	Products         []OrderProductWithUnit `json:"products"`
	RefundedProducts []any                  `json:"refunded_products"`
}

// OrderProductWithUnit is an order line with its unit.
type OrderProductWithUnit struct {
	OrderProduct
	Unit *Unit `json:"unit"`
}

func (s *Sim) localTime(t time.Time) string { return t.In(s.loc).Format("2006-01-02 15:04:05") }

var soldStatuses = map[string]bool{"paid": true, "partially_paid": true}

// createOrder implements POST /api/orders (OrdersService::create, 5.3).
func (s *Sim) createOrder(b body, author int) (*Order, *apiError) {
	st := s.st
	cid := b.int("customer_id")
	cust := st.customer(cid)
	if cust == nil {
		return nil, exception("Unable to find the customer using the provided id %s.", b.str("customer_id"))
	}
	typ := b.str("type.identifier")
	if typ == "" {
		return nil, phpError(`Undefined array key "identifier"`)
	}
	for _, p := range b.list("payments") {
		pt := st.paymentByIdentifier(p.str("identifier"))
		if pt == nil || pt.Active == 0 {
			return nil, notAllowed("Unable to proceed. One of the submitted payment type is not supported.")
		}
	}
	type lineIn struct {
		in   body
		prod *Product
		uq   *UnitQuantity
		qty  float64
		up   float64
	}
	var lines []lineIn
	subtotal := 0.0
	for _, l := range b.list("products") {
		li := lineIn{in: l}
		if l.int("product_id") > 0 || l.filled("sku") {
			uq := st.uq.get(l.int("unit_quantity_id"))
			if uq == nil {
				return nil, modelMissing("ProductUnitQuantity", l.str("unit_quantity_id"))
			}
			li.uq, li.prod = uq, st.prod.get(uq.ProductID)
			if li.prod == nil {
				return nil, exception("Unable to find the product, as the argument \"id\" which value is \"%s\", doesn't have any match.", l.str("product_id"))
			}
		} else if !l.filled("unit_id") && !l.filled("unit_name") {
			return nil, exception("The quick product \"%s\" has no unit.", l.str("name"))
		}
		if !l.has("quantity") {
			return nil, phpError(`Undefined array key "quantity"`)
		}
		if !l.has("unit_price") {
			return nil, phpError(`Undefined array key "unit_price"`)
		}
		if dt := l.str("discount_type"); dt != "" && dt != "percentage" {
			return nil, notAllowed("Only percentage discount are allowed on products.")
		}
		li.qty, _ = l.num("quantity")
		li.up, _ = l.num("unit_price")
		subtotal += lineTotal(l, li.qty, li.up)
		lines = append(lines, li)
	}
	discount := 0.0
	if dt := b.str("discount_type"); dt != "" {
		if !b.has("discount_percentage") {
			return nil, phpError(`Undefined array key "discount_percentage"`)
		}
		pct, _ := b.num("discount_percentage")
		if pct > 100 || pct < 0 {
			return nil, notAllowed("The discount percentage can't exceed 100%%.")
		}
		if dt == "flat" {
			discount, _ = b.num("discount")
			if discount > subtotal {
				return nil, notAllowed("The discount can't exceed the order subtotal.")
			}
		} else {
			discount = round5(subtotal * pct / 100)
		}
	}
	paid := 0.0
	for _, p := range b.list("payments") {
		v, _ := p.num("value")
		paid += v
	}
	shipping, _ := b.num("shipping")
	total := round5(subtotal + shipping - discount)
	status := paymentStatus(paid, total, len(b.list("payments")), b.str("payment_status") == "hold")
	if status != "hold" {
		storage := map[int]float64{}
		for _, li := range lines {
			if li.uq == nil || li.prod.StockManagement != "enabled" {
				continue
			}
			avail := li.uq.Quantity - storage[li.uq.ID]
			if avail < li.qty {
				unitName := ""
				if u := st.unit.get(li.uq.UnitID); u != nil {
					unitName = u.Name
				}
				return nil, exception("Unable to proceed, there is not enough stock for %s using the unit %s. Requested : %s, available %s", li.prod.Name, unitName, phpNum(li.qty), phpNum(round5(avail)))
			}
			storage[li.uq.ID] += li.qty
		}
	}
	now := st.now()
	created := now
	if c := b.str("created_at"); c != "" {
		if t, err := time.ParseInLocation("2006-01-02 15:04:05", c, s.loc); err == nil {
			created = t
		}
	}
	day := created.In(s.loc).Format("060102")
	st.dayCount[day]++
	o := &Order{Code: fmt.Sprintf("%s-%03d", day, st.dayCount[day]), Title: nstr(b.str("title")), Type: typ,
		PaymentStatus: "", Discount: discount, DiscountType: nstr(b.str("discount_type")), Shipping: shipping,
		ShippingRate: shipping, Subtotal: round5(subtotal), Total: total, TotalWithTax: total, TotalWithoutTax: total,
		Tendered: round5(paid), Change: round5(paid - total), CustomerID: cid, Note: nstr(b.str("note")),
		NoteVisibility: nstr(b.str("note_visibility")), Description: nstr(b.str("description")),
		Author: author, UUID: st.uuid(), RegisterID: b.intPtr("register_id"),
		CreatedAt: s.localTime(created), UpdatedAt: s.localTime(now), created: created}
	o.DiscountPercentage, _ = b.num("discount_percentage")
	o.ProcessStatus, o.DeliveryStatus = "not-available", "not-available"
	if typ == "delivery" {
		o.ProcessStatus, o.DeliveryStatus = "pending", "pending"
	}
	o.ID = st.ord.add(o)
	ts := st.stamp()
	for _, li := range lines {
		op := &OrderProduct{Name: li.in.str("name"), Mode: "normal", ProductType: "product", OrderID: o.ID,
			UUID: st.uuid(), Status: "sold", Quantity: li.qty, UnitPrice: li.up, CreatedAt: ts, UpdatedAt: ts}
		if m := li.in.str("mode"); m != "" {
			op.Mode = m
		}
		op.TotalPrice = round5(lineTotal(li.in, li.qty, li.up))
		op.DiscountType = nstr(li.in.str("discount_type"))
		op.DiscountPercentage, _ = li.in.num("discount_percentage")
		op.Discount, _ = li.in.num("discount")
		op.UnitID = li.in.int("unit_id")
		op.UnitName = nstr(li.in.str("unit_name"))
		if li.uq != nil {
			op.ProductID, op.UnitQuantityID, op.UnitID = li.prod.ID, li.uq.ID, li.uq.UnitID
			op.ProductCategoryID, op.TaxGroupID, op.TaxType = li.prod.CategoryID, li.prod.TaxGroupID, li.prod.TaxType
			if op.Name == "" {
				op.Name = li.prod.Name
			}
			st.lineRefs[li.prod.ID]++
		}
		if u := st.unit.get(op.UnitID); u != nil && op.UnitName == nil {
			op.UnitName = ptr(u.Name)
		}
		_, with, without, tax := computeTax(li.up, op.TaxType != nil && st.taxRate(op.TaxGroupID) != 0, st.taxRate(op.TaxGroupID), op.TaxType)
		op.PriceWithTax, op.PriceWithoutTax, op.SaleTaxValue = with, without, tax
		op.TaxValue = round5(tax * li.qty)
		op.TotalPriceWithTax, op.TotalPriceWithoutTax = round5(with*li.qty), round5(without*li.qty)
		o.ProductsTaxValue = round5(o.ProductsTaxValue + op.TaxValue)
		op.ID = st.line.add(op)
		st.linesOf[o.ID] = append(st.linesOf[o.ID], op.ID)
	}
	o.TaxValue = o.ProductsTaxValue
	for _, p := range b.list("payments") {
		v, _ := p.num("value")
		st.addPayment(o, p.str("identifier"), v, author)
	}
	for _, kind := range []string{"billing", "shipping"} {
		if a := b.obj("addresses." + kind); len(a) > 0 {
			ad := addressFrom(a, kind, author, st.stamp())
			ad.OwnerID, ad.UUID = o.ID, st.uuid()
			ad.ID = st.oadr.add(ad)
			st.adrOf[o.ID] = append(st.adrOf[o.ID], ad.ID)
		}
	}
	st.setPaymentStatus(o, status, author)
	return o, nil
}

func lineTotal(l body, qty, up float64) float64 {
	if t, ok := l.num("total_price"); ok && t != 0 {
		return t
	}
	d, _ := l.num("discount")
	if l.str("discount_type") == "percentage" {
		pct, _ := l.num("discount_percentage")
		d = up * qty * pct / 100
	}
	return round5(up*qty - d)
}

func paymentStatus(paid, total float64, payments int, hold bool) string {
	switch {
	case payments == 0 && hold:
		return "hold"
	case payments > 0 && paid >= total:
		return "paid"
	case paid > 0:
		return "partially_paid"
	}
	return "unpaid"
}

func addressFrom(a body, kind string, author int, ts Timestamp) *Address {
	return &Address{Type: kind, Email: nstr(a.str("email")), FirstName: nstr(a.str("first_name")),
		LastName: nstr(a.str("last_name")), Phone: nstr(a.str("phone")), Address1: nstr(a.str("address_1")),
		Address2: nstr(a.str("address_2")), Country: nstr(a.str("country")), City: nstr(a.str("city")),
		Pobox: nstr(a.str("pobox")), Company: nstr(a.str("company")), Author: author, CreatedAt: ts, UpdatedAt: ts}
}

func (st *state) addPayment(o *Order, identifier string, value float64, author int) *OrderPayment {
	ts := st.stamp()
	p := &OrderPayment{OrderID: o.ID, Value: value, Author: author, Identifier: identifier, UUID: st.uuid(), CreatedAt: ts, UpdatedAt: ts}
	p.ID = st.opay.add(p)
	st.paysOf[o.ID] = append(st.paysOf[o.ID], p.ID)
	return p
}

// setPaymentStatus runs OrderAfterPaymentStatusChangedEventListener (5.3):
// a move into paid/partially_paid records a "sold" move per line that has none.
func (st *state) setPaymentStatus(o *Order, status string, author int) {
	prev := o.PaymentStatus
	o.PaymentStatus = status
	if prev == status || !soldStatuses[status] {
		return
	}
	if prev != "" && prev != "hold" && prev != "unpaid" && prev != "partially_paid" {
		return
	}
	for _, lid := range st.linesOf[o.ID] {
		l := st.line.get(lid)
		if l.ProductID == 0 || st.hasSold(l.ID) {
			continue
		}
		p := st.prod.get(l.ProductID)
		if p == nil || p.StockManagement != "enabled" {
			continue
		}
		st.moveStock(p.ID, l.UnitID, "sold", l.Quantity, l.UnitPrice, ptr(o.ID), ptr(l.ID), author)
	}
	if c := st.customer(o.CustomerID); c != nil && prev != "partially_paid" {
		c.PurchasesAmount = round5(c.PurchasesAmount + o.Total)
		c.TotalSalesCount++
		c.TotalSales = round5(c.TotalSales + o.Total)
		st.touchCustomer(c)
	}
}

func (st *state) hasSold(lineID int) bool { return st.soldLines[lineID] }
