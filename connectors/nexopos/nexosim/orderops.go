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
func (st *state) voidOrder(id int, b body, author int) (any, *apiError) {
	o, err := st.orderOr404(id)
	if err != nil {
		return nil, err
	}
	if o.PaymentStatus == "order_void" {
		return nil, notAllowed("This order is already voided.")
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
	st.ord.del(o.ID)
	return map[string]any{"status": "success", "message": "The order has been deleted."}, nil
}

// refundOrder implements POST /api/orders/{order}/refund; the order status is
// refreshed at once (QUEUE_CONNECTION=sync).
func (st *state) refundOrder(id int, b body, author int) (any, *apiError) {
	o, err := st.orderOr404(id)
	if err != nil {
		return nil, err
	}
	switch o.PaymentStatus {
	case "partially_paid", "unpaid", "paid", "partially_refunded":
	default:
		return nil, notAllowed("Unable to proceed this order doesn't have a valid status for a refund.")
	}
	type item struct {
		line *OrderProduct
		qty  float64
		cond string
	}
	var items []item
	for _, e := range b.list("products") {
		l := st.line.get(e.int("id"))
		if l == nil || l.OrderID != o.ID {
			return nil, modelMissing("OrderProduct", e.str("id"))
		}
		cond := e.str("condition")
		if cond != "unspoiled" && cond != "damaged" {
			return nil, notAllowed("Unable to proceed as the product condition is not supported.")
		}
		q, _ := e.num("quantity")
		if q <= 0 || q > l.Quantity {
			return nil, notAllowed("Unable to refund %s of \"%s\": more than what was sold.", phpNum(q), l.Name)
		}
		items = append(items, item{l, q, cond})
	}
	results := []any{}
	for _, it := range items {
		it.line.Quantity = round5(it.line.Quantity - it.qty)
		if it.line.Quantity == 0 {
			it.line.Status = "returned"
		}
		if p := st.prod.get(it.line.ProductID); p != nil && p.StockManagement == "enabled" {
			st.moveStock(p.ID, it.line.UnitID, "returned", it.qty, it.line.UnitPrice, ptr(o.ID), ptr(it.line.ID), author)
			if it.cond == "damaged" {
				st.moveStock(p.ID, it.line.UnitID, "defective", it.qty, it.line.UnitPrice, ptr(o.ID), ptr(it.line.ID), author)
			}
		}
		results = append(results, map[string]any{"status": "success", "message": "The product has been refunded."})
	}
	before := *o
	remaining := 0.0
	for _, lid := range st.linesOf[o.ID] {
		remaining += st.line.get(lid).Quantity
	}
	if remaining == 0 {
		o.PaymentStatus = "refunded"
	} else {
		o.PaymentStatus = "partially_refunded"
	}
	total, _ := b.num("total")
	refund := map[string]any{"order_id": o.ID, "author": author, "total": total, "tax_value": 0,
		"shipping": 0, "payment_method": b.str("payment.identifier")}
	return map[string]any{"status": "success", "message": "The order has been successfully refunded.",
		"data": map[string]any{"results": results, "order": before, "orderRefund": refund}}, nil
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
	for _, id := range st.linesOf[o.ID] {
		l := st.line.get(id)
		if l.Quantity <= 0 && l.Status == "returned" {
			continue
		}
		var u *Unit
		if x := st.unit.get(l.UnitID); x != nil {
			c := *x
			u = &c
		}
		d.Products = append(d.Products, OrderProductWithUnit{OrderProduct: *l, Unit: u})
	}
	return d
}
