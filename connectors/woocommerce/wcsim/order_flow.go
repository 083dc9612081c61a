package wcsim

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
)

// createOrder is the §6.4 flow: save pending, then status, then set_paid.
func (s *Sim) createOrder(body []byte) (*Order, *apiError) {
	var in orderIn
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	if len(in.ID) > 0 && string(in.ID) != "null" && string(in.ID) != "0" {
		return nil, errf(400, "woocommerce_rest_shop_order_exists", "Cannot create existing shop_order.")
	}
	now := s.now()
	o := &Order{Status: "pending", Currency: s.opts.Currency, CreatedVia: "rest-api", DateCreated: now, DateModified: now}
	if e := s.applyOrder(o, &in, true); e != nil {
		return nil, e
	}
	if o.PaymentMethod != "" && o.PaymentMethodTitle == "" && in.PaymentMethodTitle == nil {
		for _, g := range s.st.gateways {
			if g.ID == o.PaymentMethod && o.PaymentMethod != "cod" {
				o.PaymentMethodTitle = g.Title
			}
		}
	}
	s.saveNewOrder(o)
	if in.Status != nil {
		s.setStatus(o, *in.Status)
	}
	if in.SetPaid != nil && bool(*in.SetPaid) {
		s.paymentComplete(o, o.TransactionID)
	}
	return o, nil
}

func (s *Sim) saveNewOrder(o *Order) {
	if o.ID == 0 {
		o.ID = s.st.newPostID()
	} else if o.ID > s.st.nextPost {
		s.st.nextPost = o.ID
	}
	if o.OrderKey == "" {
		o.OrderKey = fmt.Sprintf("wc_order_%013x", uint64(o.ID)*2654435761)
	}
	if o.Status == "" {
		o.Status = "pending"
	}
	if o.Currency == "" {
		o.Currency = s.opts.Currency
	}
	if o.CreatedVia == "" {
		o.CreatedVia = "rest-api"
	}
	if o.DateCreated.IsZero() {
		o.DateCreated = s.now()
	}
	if o.DateModified.IsZero() {
		o.DateModified = o.DateCreated
	}
	s.st.orders[o.ID] = o
	s.st.orderIDs = insertSorted(s.st.orderIDs, o.ID)
}

// updateOrder applies a PUT; date_modified moves only when something did.
func (s *Sim) updateOrder(id int, body []byte, base string) (*Order, *apiError) {
	cur, ok := s.st.orders[id]
	if !ok {
		return nil, errOrderID(400)
	}
	var in orderIn
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	before := encodeJSON(s.renderOrder(cur, base))
	o := *cur
	o.LineItems = append([]LineItem(nil), cur.LineItems...)
	o.ShippingLines = append([]ShippingLine(nil), cur.ShippingLines...)
	o.FeeLines = append([]FeeLine(nil), cur.FeeLines...)
	if e := s.applyOrder(&o, &in, false); e != nil {
		return nil, e
	}
	*cur = o
	if in.Status != nil {
		st := *in.Status
		if cur.Status == "trash" && st != "trash" {
			cur.Status = cur.trashedStatus
		}
		s.setStatus(cur, st)
	}
	if in.SetPaid != nil && bool(*in.SetPaid) && (cur.Status == "pending" || cur.Status == "failed") {
		s.paymentComplete(cur, cur.TransactionID)
	}
	if !bytes.Equal(before, encodeJSON(s.renderOrder(cur, base))) {
		cur.DateModified = s.now()
	}
	return cur, nil
}

func (s *Sim) deleteOrder(id int, force bool, base string) (any, *apiError) {
	o, ok := s.st.orders[id]
	if !ok {
		return nil, errOrderID(404)
	}
	before := s.renderOrder(o, base)
	if force {
		delete(s.st.orders, id)
		s.st.orderIDs = removeSorted(s.st.orderIDs, id)
		return before, nil
	}
	if o.Status == "trash" {
		return nil, errf(410, "woocommerce_rest_already_trashed", "The shop_order has already been deleted.")
	}
	o.trashedStatus = o.Status
	o.Status = "trash"
	return before, nil
}

func (s *Sim) orderItem(c *call) *response {
	switch c.method {
	case http.MethodGet, http.MethodHead:
		o, ok := s.st.orders[c.id]
		if !ok {
			return errResponse(errOrderID(404))
		}
		return itemResponse(200, c.q, s.renderOrder(o, c.base))
	case http.MethodDelete:
		body, e := s.deleteOrder(c.id, boolParam(c.q, "force"), c.base)
		if e != nil {
			return errResponse(e)
		}
		return itemResponse(200, c.q, body)
	default:
		o, e := s.updateOrder(c.id, c.body, c.base)
		if e != nil {
			return errResponse(e)
		}
		return itemResponse(200, c.q, s.renderOrder(o, c.base))
	}
}

func (s *Sim) ordersCollection(c *call) *response {
	if c.method == http.MethodPost {
		o, e := s.createOrder(c.body)
		if e != nil {
			return errResponse(e)
		}
		return itemResponse(201, c.q, s.renderOrder(o, c.base)).header("Location", fmt.Sprintf("%sorders/%d", c.base, o.ID))
	}
	p, e := parseList(c.q, "date", []string{"date", "id", "include", "title", "slug", "modified"}, "desc")
	if e != nil {
		return errResponse(e)
	}
	dates, e := s.parseDateFilters(c.q)
	if e != nil {
		return errResponse(e)
	}
	statuses := stringList(c.q, "status")
	for _, st := range statuses {
		if e := oneOf("status", st, append([]string{"any"}, orderStatuses...)); e != nil {
			return errResponse(e)
		}
	}
	want := map[string]bool{}
	for _, st := range statuses {
		want[st] = true
	}
	if len(want) == 0 {
		want["any"] = true
	}
	_, hasCustomer := c.q["customer"]
	customer, e := intArg(c.q, "customer", 0)
	if e != nil {
		return errResponse(e)
	}
	product, e := intArg(c.q, "product", 0)
	if e != nil {
		return errResponse(e)
	}
	search := strings.ToLower(c.q.Get("search"))
	ids := newIDFilter(p)
	anyStatus := want["any"]
	matched := make([]int, 0, len(s.st.orderIDs))
	for _, id := range s.st.orderIDs {
		o := s.st.orders[id]
		if !(want[o.Status] || anyStatus && o.Status != "trash" && o.Status != "auto-draft") {
			continue
		}
		if !ids.keep(id) || hasCustomer && o.CustomerID != customer || !dates.match(o.DateCreated, o.DateModified) {
			continue
		}
		if product != 0 && !orderHasProduct(o, product) {
			continue
		}
		if search != "" && !containsFold(o.Billing.FirstName+" "+o.Billing.LastName+" "+o.Billing.Email+" "+itoa(o.ID), search) {
			continue
		}
		matched = append(matched, id)
	}
	get := func(i int) *Order { return s.st.orders[matched[i]] }
	switch p.orderby {
	case "include":
		sortByInclude(matched, p.include)
	case "id", "title", "slug":
		sortIDs(matched, p.order, func(i, j int) bool { return matched[i] < matched[j] })
	case "modified":
		sortIDs(matched, p.order, func(i, j int) bool {
			return timeThen(get(i).DateModified.Unix(), get(j).DateModified.Unix(), matched[i], matched[j])
		})
	default:
		sortIDs(matched, p.order, func(i, j int) bool {
			return timeThen(get(i).DateCreated.Unix(), get(j).DateCreated.Unix(), matched[i], matched[j])
		})
	}
	extra := "dp=" + itoa(s.opts.PriceDecimals) + "&context=view"
	if len(statuses) == 0 {
		extra = "status%5B0%5D=any&" + extra
	}
	page, h := s.pageOf(c, p, matched, extra)
	items := make([]orderJSON, 0, len(page))
	for _, id := range page {
		items = append(items, s.renderOrder(s.st.orders[id], c.base))
	}
	return listResponse(c.q, h, items)
}

func orderHasProduct(o *Order, pid int) bool {
	for _, li := range o.LineItems {
		if li.ProductID == pid || li.VariationID == pid {
			return true
		}
	}
	return false
}

type noteJSON struct {
	ID             int            `json:"id"`
	Author         string         `json:"author"`
	DateCreated    string         `json:"date_created"`
	DateCreatedGMT string         `json:"date_created_gmt"`
	Note           string         `json:"note"`
	CustomerNote   bool           `json:"customer_note"`
	Links          map[string]any `json:"_links"`
}

// orderNotes lists (unpaginated) or adds notes; notes never bump the order.
func (s *Sim) orderNotes(c *call) *response {
	o, ok := s.st.orders[c.id]
	if !ok {
		return errResponse(errf(404, "woocommerce_rest_order_invalid_id", "Invalid order ID."))
	}
	render := func(n OrderNote) noteJSON {
		coll := fmt.Sprintf("%sorders/%d/notes", c.base, o.ID)
		return noteJSON{ID: n.ID, Author: "system", DateCreated: s.local(n.DateCreated), DateCreatedGMT: gmt(n.DateCreated),
			Note: n.Note, CustomerNote: n.CustomerNote, Links: map[string]any{
				"self":       []map[string]string{{"href": fmt.Sprintf("%s/%d", coll, n.ID)}},
				"collection": []map[string]string{{"href": coll}},
				"up":         []map[string]string{{"href": fmt.Sprintf("%sorders/%d", c.base, o.ID)}},
			}}
	}
	if c.method == http.MethodPost {
		var in struct {
			Note         string   `json:"note"`
			CustomerNote flexBool `json:"customer_note"`
		}
		if e := decodeBody(c.body, &in); e != nil {
			return errResponse(e)
		}
		if in.Note == "" {
			return errResponse(errf(400, "rest_missing_callback_param", "Missing parameter(s): note").with("params", []string{"note"}))
		}
		n := OrderNote{ID: s.st.newItemID(), Note: in.Note, CustomerNote: bool(in.CustomerNote), DateCreated: s.now()}
		o.Notes = append(o.Notes, n)
		return itemResponse(201, c.q, render(n))
	}
	out := make([]noteJSON, 0, len(o.Notes))
	for i := len(o.Notes) - 1; i >= 0; i-- {
		out = append(out, render(o.Notes[i]))
	}
	return ok200(out)
}

func ok200(v any) *response { return ok(v) }
