package nexosim

import "fmt"

func (st *state) orderOr404(id int) (*Order, *apiError) {
	o := st.ord.get(id)
	if o == nil {
		return nil, modelMissing("Order", fmt.Sprint(id))
	}
	return o, nil
}

func (st *state) paidTotal(o *Order) float64 {
	t := 0.0
	for _, id := range st.paysOf[o.ID] {
		t += st.opay.get(id).Value
	}
	return round5(t)
}

// orderPayment implements POST /api/orders/{order}/payments.
func (st *state) orderPayment(id int, b body, author int) (any, *apiError) {
	o, err := st.orderOr404(id)
	if err != nil {
		return nil, err
	}
	errs := map[string][]string{}
	if !b.filled("identifier") {
		errs["identifier"] = []string{"The identifier field is required."}
	}
	value, ok := b.num("value")
	if !ok {
		errs["value"] = []string{"The value field must be a number."}
	}
	if len(errs) > 0 {
		return nil, invalid(errs)
	}
	if o.PaymentStatus == "paid" {
		return nil, notAllowed("Unable to proceed as the order is already paid.")
	}
	pt := st.paymentByIdentifier(b.str("identifier"))
	if pt == nil || pt.Active == 0 {
		return nil, notAllowed("Unable to proceed. One of the submitted payment type is not supported.")
	}
	p := st.addPayment(o, pt.Identifier, value, author)
	paid := st.paidTotal(o)
	o.Tendered, o.Change = paid, round5(paid-o.Total)
	st.setPaymentStatus(o, paymentStatus(paid, o.Total, len(st.paysOf[o.ID]), false), author)
	return map[string]any{"status": "success", "message": "The payment has been saved.",
		"data": map[string]any{"payment": *p, "orderPayment": *p}}, nil
}

// voidOrder implements POST /api/orders/{order}/void (5.3 stock rules).
// OrdersService::void refuses nothing: voiding a voided order saves the new
// reason and, the status being unchanged, fires no stock move.
func (st *state) voidOrder(id int, b body, author int) (any, *apiError) {
	o, err := st.orderOr404(id)
	if err != nil {
		return nil, err
	}
	prev := o.PaymentStatus
	if prev == "paid" || prev == "unpaid" || prev == "partially_paid" {
		st.returnLines(o, "void-return", author)
	}
	o.PaymentStatus = "order_void"
	o.VoidanceReason = nstr(b.str("reason"))
	return map[string]any{"status": "success", "message": "The order has been correctly voided."}, nil
}

func (st *state) returnLines(o *Order, action string, author int) {
	for _, lid := range st.linesOf[o.ID] {
		l := st.line.get(lid)
		if l.ProductID == 0 || l.Quantity <= 0 {
			continue
		}
		p := st.prod.get(l.ProductID)
		if p == nil || p.StockManagement != "enabled" {
			continue
		}
		st.moveStock(p.ID, l.UnitID, action, l.Quantity, l.UnitPrice, ptr(o.ID), ptr(l.ID), author)
	}
}

// deleteOrder implements DELETE /api/orders/{order}.
func (st *state) deleteOrder(id int, author int) (any, *apiError) {
	o, err := st.orderOr404(id)
	if err != nil {
		return nil, err
	}
	if o.PaymentStatus != "order_void" {
		switch o.PaymentStatus {
		case "paid", "partially_paid", "unpaid", "partially_due", "partially_refunded":
			st.returnLines(o, "returned", author)
		}
		for _, lid := range st.linesOf[o.ID] {
			if l := st.line.get(lid); l.ProductID != 0 {
				st.lineRefs[l.ProductID]--
				if st.lineRefs[l.ProductID] <= 0 {
					delete(st.lineRefs, l.ProductID)
				}
			}
			st.line.del(lid)
		}
		delete(st.linesOf, o.ID)
	}
	for _, pid := range st.paysOf[o.ID] {
		st.opay.del(pid)
	}
	delete(st.paysOf, o.ID)
	for _, aid := range st.adrOf[o.ID] {
		st.oadr.del(aid)
	}
	delete(st.adrOf, o.ID)
	delete(st.refunds, o.ID)
	delete(st.refundRows, o.ID)
	st.ord.del(o.ID)
	return map[string]any{"status": "success", "message": "The order has been deleted."}, nil
}

// refundOrder implements POST /api/orders/{order}/refund as
// OrdersService::refundOrder/refundSingleProduct do (5.3): no check of the
// quantity against the line, each refunded line becomes "returned" (even
// partly refunded), a "returned" stock move plus a "defective" one when
// damaged, then RefreshOrderJob (QUEUE_CONNECTION=sync) recomputes the
// totals from the lines still holding a quantity and derives the status.
func (st *state) refundOrder(id int, b body, author int) (any, *apiError) {
	o, err := st.orderOr404(id)
	if err != nil {
		return nil, err
	}
	switch o.PaymentStatus {
	case "partially_paid", "unpaid", "paid", "partially_refunded":
	default:
		return nil, notAllowed("Unable to proceed a refund on an unpaid order.")
	}
	if !b.has("payment") {
		return nil, phpError(`Undefined array key "payment"`)
	}
	if !b.has("products") {
		return nil, phpError(`Undefined array key "products"`)
	}
	refund := map[string]any{"order_id": o.ID, "author": author, "payment_method": b.str("payment.identifier"), "total": 0.0, "tax_value": 0.0}
	refundedShipping := 0.0
	if sh, _ := b.get("refund_shipping"); sh != nil && sh != false && sh != float64(0) {
		refundedShipping = o.Shipping
	}
	refund["shipping"] = refundedShipping
	results := []any{}
	total := 0.0
	for _, e := range b.list("products") {
		l := st.line.get(e.int("id"))
		if l == nil {
			return nil, fatal("TypeError", "App\\Services\\OrdersService::refundSingleProduct(): Argument #3 ($orderProduct) must be of type App\\Models\\OrderProduct, null given")
		}
		cond := e.str("condition")
		if cond != "unspoiled" && cond != "damaged" {
			return nil, notAllowed("unable to proceed to a refund as the provided status is not supported.")
		}
		q, _ := e.num("quantity")
		up, _ := e.num("unit_price")
		l.Status = "returned"
		l.Quantity = round5(l.Quantity - q)
		l.UpdatedAt = st.stamp()
		if l.ProductID != 0 {
			if p := st.prod.get(l.ProductID); p != nil && p.StockManagement == "enabled" {
				st.moveStock(p.ID, l.UnitID, "returned", q, up, ptr(l.OrderID), ptr(l.ID), author)
				if cond == "damaged" {
					st.moveStock(p.ID, l.UnitID, "defective", q, up, ptr(l.OrderID), ptr(l.ID), author)
				}
			}
		}
		total = round5(total + up*q)
		ts := st.stamp()
		st.refundSeq++
		st.refundRows[o.ID] = append(st.refundRows[o.ID], map[string]any{"id": st.refundSeq, "order_id": o.ID, "order_product_id": l.ID,
			"unit_id": l.UnitID, "product_id": l.ProductID, "unit_price": up, "tax_value": 0.0, "quantity": q,
			"total_price": round5(up * q), "condition": cond, "description": e["description"], "author": author,
			"created_at": ts, "updated_at": ts})
		results = append(results, map[string]any{"status": "success",
			"message": fmt.Sprintf("The product %s has been successfully refunded.", l.Name)})
	}
	refund["total"] = round5(total + refundedShipping)
	before := *o
	if sh, _ := b.get("refund_shipping"); sh == true { // `=== true` in refundOrder
		o.Shipping, before.Shipping = 0, 0
	}
	st.refunds[o.ID] = round5(st.refunds[o.ID] + refund["total"].(float64))
	st.refreshOrder(o)
	return map[string]any{"status": "success", "message": "The order has been successfully refunded.",
		"data": map[string]any{"results": results, "order": before, "orderRefund": refund}}, nil
}

// refreshOrder is OrdersService::refreshOrder: totals from the lines whose
// quantity is above 0 (a refunded line keeps its total_price), then the
// status chain refunded / partially_refunded / paid / partially_paid / unpaid.
func (st *state) refreshOrder(o *Order) {
	sub := 0.0
	for _, lid := range st.linesOf[o.ID] {
		if l := st.line.get(lid); l.Quantity > 0 {
			sub += l.TotalPrice
		}
	}
	o.Subtotal = round5(sub)
	if o.DiscountType != nil && *o.DiscountType == "percentage" {
		o.Discount = round5(o.Subtotal * o.DiscountPercentage / 100)
	}
	o.Total = round5(o.Subtotal + o.Shipping - o.Discount)
	o.Tendered = st.paidTotal(o)
	o.Change = round5(o.Tendered - o.Total)
	refunds := st.refunds[o.ID]
	switch {
	case o.Total == 0 && refunds > 0:
		o.PaymentStatus = "refunded"
	case o.Total > 0 && refunds > 0:
		o.PaymentStatus = "partially_refunded"
	case o.Tendered >= o.Total && len(st.paysOf[o.ID]) > 0 && refunds == 0:
		o.PaymentStatus = "paid"
	case o.Tendered < o.Total && o.Tendered > 0:
		o.PaymentStatus = "partially_paid"
	case o.Total == 0 && o.Tendered == 0:
		o.PaymentStatus = "unpaid"
	}
}

func (st *state) orderDetail(o *Order) OrderDetail {
	d := OrderDetail{Order: *o, Payments: []OrderPayment{}, Products: []OrderProductWithUnit{}, RefundedProducts: []any{}}
	if c := st.usr.get(o.CustomerID); c != nil {
		cc := *c
		d.Customer = &cc
	}
	for _, id := range st.paysOf[o.ID] {
		d.Payments = append(d.Payments, *st.opay.get(id))
	}
	for _, id := range st.adrOf[o.ID] {
		a := *st.oadr.get(id)
		if a.Type == "billing" {
			d.BillingAddress = &a
		} else {
			d.ShippingAddress = &a
		}
	}
	for _, r := range st.refundRows[o.ID] {
		row := map[string]any{}
		for k, v := range r {
			row[k] = v
		}
		if u := st.unit.get(r["unit_id"].(int)); u != nil {
			row["unit"] = *u
		}
		d.RefundedProducts = append(d.RefundedProducts, row)
	}
	// Order::products is a plain hasMany: fully refunded lines (quantity 0)
	// are listed too.
	for _, id := range st.linesOf[o.ID] {
		l := st.line.get(id)
		var u *Unit
		if x := st.unit.get(l.UnitID); x != nil {
			c := *x
			u = &c
		}
		d.Products = append(d.Products, OrderProductWithUnit{OrderProduct: *l, Unit: u})
	}
	return d
}
