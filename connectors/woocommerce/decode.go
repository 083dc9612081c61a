package woocommerce

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// ReferenceMetaKey is the order meta key that holds the NexoPOS order id of
// an order woonexo created (snapshot.Order.Reference on this side).
const ReferenceMetaKey = "woonexo_nexopos_order"

// Held record classes set by the decoders.
const (
	ClassDecode          = "decode"
	ClassUnsupportedType = "unsupported_type"
)

// record reads one JSON object leniently. The first problem is kept, with
// the field it concerns, and turns the record into a snapshot.Held.
type record struct {
	kind   snapshot.Kind
	m      map[string]raw
	id     snapshot.ID
	reason string
	class  string
	prefix string // for fields of a nested object, e.g. "line_items[0]."
}

// newRecord parses b as an object and reads its id. A body that is not an
// object, or an object without a usable id, is already failed.
func newRecord(kind snapshot.Kind, b []byte) *record {
	r := &record{kind: kind}
	m, err := raw(b).object()
	if err != nil || m == nil {
		r.fail(ClassDecode, "not a JSON object: %s", raw(b).quote())
		return r
	}
	r.m = m
	idv, ok := m["id"]
	if !ok {
		r.fail(ClassDecode, `field "id" missing`)
		return r
	}
	id, err := idv.id()
	if err != nil || id == "" {
		r.fail(ClassDecode, `field "id": %s is not an id`, idv.quote())
		return r
	}
	r.id = id
	return r
}

func (r *record) fail(class, format string, args ...any) {
	if r.reason == "" {
		r.class = class
		r.reason = fmt.Sprintf(format, args...)
	}
}

func (r *record) bad(field string, v raw, err error) {
	r.fail(ClassDecode, "field %q: %s: %v", r.prefix+field, v.quote(), err)
}

func (r *record) held() *snapshot.Held {
	if r.reason == "" {
		return nil
	}
	return &snapshot.Held{Side: snapshot.WooCommerce, Kind: r.kind, ID: r.id, Reason: r.reason, Class: r.class}
}

func (r *record) text(field string) string {
	v := r.m[field]
	s, err := v.text()
	if err != nil {
		r.bad(field, v, err)
	}
	return s
}

// name reads a display name, decoding the HTML entities WordPress stores.
func (r *record) name(field string) string { return html.UnescapeString(r.text(field)) }

func (r *record) boolean(field string) bool {
	v := r.m[field]
	b, err := v.boolean()
	if err != nil {
		r.bad(field, v, err)
	}
	return b
}

func (r *record) ref(field string) snapshot.ID {
	v := r.m[field]
	id, err := v.id()
	if err != nil {
		r.bad(field, v, err)
	}
	return id
}

// money reads a price or amount; "" and null are ok=false.
func (r *record) money(field string) (snapshot.Decimal, bool) {
	v := r.m[field]
	d, ok, err := v.decimal()
	if err != nil {
		r.bad(field, v, err)
	}
	return d, ok
}

func (r *record) date(field string) time.Time {
	v := r.m[field]
	tm, err := v.time()
	if err != nil {
		r.bad(field, v, err)
	}
	return tm
}

func (r *record) address(field string) snapshot.Address {
	v := r.m[field]
	m, err := v.object()
	if err != nil {
		r.bad(field, v, err)
		return snapshot.Address{}
	}
	sub := &record{kind: r.kind, m: m, id: r.id, prefix: r.prefix + field + "."}
	a := snapshot.Address{
		FirstName: sub.text("first_name"), LastName: sub.text("last_name"), Company: sub.text("company"),
		Address1: sub.text("address_1"), Address2: sub.text("address_2"), City: sub.text("city"),
		State: sub.text("state"), Postcode: sub.text("postcode"), Country: sub.text("country"),
		Email: sub.text("email"), Phone: sub.text("phone"),
	}
	r.sub(sub)
	return a
}

// DecodeProduct maps one WooCommerce product object to a canonical product.
// A product that cannot be used comes back as a Held record instead (class
// "decode" with the field and value, or "unsupported_type" for variable,
// grouped and external products).
func DecodeProduct(b []byte) (snapshot.Product, *snapshot.Held) {
	r := newRecord(snapshot.KindProduct, b)
	if r.m == nil {
		return snapshot.Product{}, r.held()
	}
	p := snapshot.Product{ID: r.id}
	switch typ := r.text("type"); typ {
	case "", "simple":
	default:
		r.fail(ClassUnsupportedType, "product type %q is not synchronised (only simple products are)", typ)
	}
	p.Name = r.name("name")
	p.SKU = r.text("sku")
	p.Description = r.text("description")
	switch st := r.text("status"); st {
	case "publish":
		p.Status = snapshot.ProductActive
	case "draft", "pending", "private", "future":
		p.Status = snapshot.ProductInactive
	case "trash":
		p.Status = snapshot.ProductTrashed
	default:
		r.fail(ClassDecode, "field %q: unknown product status %q", "status", st)
	}
	price, ok := r.money("regular_price")
	if !ok && r.reason == "" {
		r.fail(ClassDecode, `field "regular_price": "" is not a price`)
	}
	p.RegularPrice = price
	p.SalePrice, p.HasSalePrice = r.money("sale_price")
	p.CategoryIDs = r.categoryIDs()
	p.ManageStock, p.Stock = r.stock()
	p.Modified = r.date("date_modified_gmt")
	if h := r.held(); h != nil {
		return snapshot.Product{}, h
	}
	return p, nil
}

func (r *record) categoryIDs() []snapshot.ID {
	v := r.m["categories"]
	items, err := v.array()
	if err != nil {
		r.bad("categories", v, err)
		return nil
	}
	var ids []snapshot.ID
	for _, it := range items {
		m, err := it.object()
		if err != nil {
			r.bad("categories", it, err)
			return nil
		}
		id, err := m["id"].id()
		if err != nil {
			r.bad("categories", it, err)
			return nil
		}
		if id != "" {
			ids = append(ids, id)
		}
	}
	s := snapshot.SplitIDs(snapshot.JoinIDs(ids))
	return slices.Clip(s)
}

// stock reads manage_stock (bool or "parent") and stock_quantity (int,
// fractional or negative; null when not managed).
func (r *record) stock() (bool, snapshot.Decimal) {
	mv := r.m["manage_stock"]
	manage := false
	if s, err := mv.text(); err == nil && s == "parent" {
		manage = false // the parent manages it; quantity below is the parent's
	} else if manage, err = mv.boolean(); err != nil {
		r.bad("manage_stock", mv, err)
	}
	q, _ := r.money("stock_quantity")
	return manage, q
}

// DecodeCategory maps one WooCommerce product category.
func DecodeCategory(b []byte) (snapshot.Category, *snapshot.Held) {
	r := newRecord(snapshot.KindCategory, b)
	if r.m == nil {
		return snapshot.Category{}, r.held()
	}
	c := snapshot.Category{ID: r.id, Name: r.name("name"), ParentID: r.ref("parent"), Description: r.text("description")}
	if h := r.held(); h != nil {
		return snapshot.Category{}, h
	}
	return c, nil
}

// DecodeCustomer maps one WooCommerce customer (a WordPress user).
func DecodeCustomer(b []byte) (snapshot.Customer, *snapshot.Held) {
	r := newRecord(snapshot.KindCustomer, b)
	if r.m == nil {
		return snapshot.Customer{}, r.held()
	}
	c := snapshot.Customer{
		ID: r.id, Email: r.text("email"), FirstName: r.text("first_name"), LastName: r.text("last_name"),
		Role: r.text("role"), Billing: r.address("billing"), Shipping: r.address("shipping"),
		Modified: r.date("date_modified_gmt"),
	}
	c.Phone = c.Billing.Phone
	if h := r.held(); h != nil {
		return snapshot.Customer{}, h
	}
	return c, nil
}

// DecodePaymentMethod maps one payment gateway.
func DecodePaymentMethod(b []byte) (snapshot.PaymentMethod, *snapshot.Held) {
	r := &record{kind: snapshot.KindPaymentMethod}
	m, err := raw(b).object()
	if err != nil {
		r.fail(ClassDecode, "not a JSON object: %s", raw(b).quote())
		return snapshot.PaymentMethod{}, r.held()
	}
	r.m = m
	id := r.text("id")
	r.id = snapshot.ID(id)
	if id == "" && r.reason == "" {
		r.fail(ClassDecode, `field "id" missing`)
	}
	pm := snapshot.PaymentMethod{ID: snapshot.ID(id), Identifier: id, Title: r.name("title"), Enabled: r.boolean("enabled")}
	if h := r.held(); h != nil {
		return snapshot.PaymentMethod{}, h
	}
	return pm, nil
}

var orderStatuses = map[string]snapshot.OrderStatus{
	"pending": snapshot.OrderPending, "on-hold": snapshot.OrderPending,
	"processing": snapshot.OrderProcessing, "completed": snapshot.OrderCompleted,
	"cancelled": snapshot.OrderCancelled, "refunded": snapshot.OrderRefunded, "failed": snapshot.OrderFailed,
}

// stockReducedStatuses are the statuses in which WooCommerce has taken an
// order's quantities out of stock.
var stockReducedStatuses = map[string]bool{"processing": true, "completed": true, "on-hold": true}

// DecodeOrder maps one WooCommerce order. Line items become product lines
// (the variation id when there is one), fee lines and line items without a
// product become quick lines; amounts include tax.
func DecodeOrder(b []byte) (snapshot.Order, *snapshot.Held) {
	r := newRecord(snapshot.KindOrder, b)
	if r.m == nil {
		return snapshot.Order{}, r.held()
	}
	status := strings.TrimPrefix(r.text("status"), "wc-")
	o := snapshot.Order{
		ID: r.id, Number: r.text("number"), RawStatus: status, CustomerID: r.ref("customer_id"),
		Currency: r.text("currency"), PaymentMethod: r.text("payment_method"),
		PaymentTitle: r.name("payment_method_title"), Billing: r.address("billing"),
		ShippingAddr: r.address("shipping"), Note: r.text("customer_note"),
		StockReduced: stockReducedStatuses[status],
		Created:      r.date("date_created_gmt"), Modified: r.date("date_modified_gmt"),
	}
	if s, ok := orderStatuses[status]; ok {
		o.Status = s
	} else {
		o.Status = snapshot.OrderOther
	}
	if o.Number == "" {
		o.Number = string(o.ID)
	}
	o.Email = o.Billing.Email
	o.Total, _ = r.money("total")
	ship, _ := r.money("shipping_total")
	shipTax, _ := r.money("shipping_tax")
	o.Shipping = ship.Add(shipTax)
	o.Reference = r.reference()
	o.Lines = append(r.lineItems(), r.feeLines()...)
	if o.Lines == nil {
		o.Lines = []snapshot.OrderLine{}
	}
	if h := r.held(); h != nil {
		return snapshot.Order{}, h
	}
	return o, nil
}

func (r *record) reference() string {
	v := r.m["meta_data"]
	items, err := v.array()
	if err != nil {
		r.bad("meta_data", v, err)
		return ""
	}
	for _, it := range items {
		m, err := it.object()
		if err != nil {
			continue
		}
		if k, _ := m["key"].text(); k == ReferenceMetaKey {
			s, err := m["value"].text()
			if err != nil {
				r.bad("meta_data."+ReferenceMetaKey, m["value"], err)
			}
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func (r *record) lines(field string) []*record {
	v := r.m[field]
	items, err := v.array()
	if err != nil {
		r.bad(field, v, err)
		return nil
	}
	out := make([]*record, 0, len(items))
	for i, it := range items {
		m, err := it.object()
		if err != nil {
			r.bad(field, it, err)
			return nil
		}
		out = append(out, &record{kind: r.kind, m: m, id: r.id, prefix: fmt.Sprintf("%s%s[%d].", r.prefix, field, i)})
	}
	return out
}

// sub copies a nested object's first problem to its record.
func (r *record) sub(l *record) {
	if l.reason != "" {
		r.fail(l.class, "%s", l.reason)
	}
}

func (r *record) lineItems() []snapshot.OrderLine {
	var out []snapshot.OrderLine
	for _, l := range r.lines("line_items") {
		line := snapshot.OrderLine{Kind: snapshot.LineProduct, Name: l.name("name"), SKU: l.text("sku")}
		line.ProductID = l.ref("variation_id")
		if line.ProductID == "" {
			line.ProductID = l.ref("product_id")
		}
		if line.ProductID == "" {
			line.Kind = snapshot.LineQuick
		}
		q, ok := l.money("quantity")
		if !ok && l.reason == "" {
			l.fail(ClassDecode, "field %q missing", l.prefix+"quantity")
		}
		line.Quantity = q
		total, _ := l.money("total")
		tax, _ := l.money("total_tax")
		line.Total = total.Add(tax)
		line.UnitPrice = unitPrice(line.Total, q)
		r.sub(l)
		out = append(out, line)
	}
	return out
}

func (r *record) feeLines() []snapshot.OrderLine {
	var out []snapshot.OrderLine
	for _, l := range r.lines("fee_lines") {
		total, _ := l.money("total")
		tax, _ := l.money("total_tax")
		t := total.Add(tax)
		out = append(out, snapshot.OrderLine{Kind: snapshot.LineQuick, Name: l.name("name"),
			Quantity: snapshot.NewDecimal(1), UnitPrice: t, Total: t})
		r.sub(l)
	}
	return out
}

// unitPrice is total / quantity, rounded to the Decimal's precision.
func unitPrice(total, qty snapshot.Decimal) snapshot.Decimal {
	if qty.IsZero() {
		return total
	}
	const unit = 1_000_000
	num, den := total.Micros(), qty.Micros()
	// total/qty in micros = num*unit/den, rounded half away from zero.
	if abs(num) > 9_000_000_000_000 { // num*unit would overflow: absurd amounts lose precision
		return snapshot.DecimalFromMicros(num / den * unit)
	}
	return snapshot.DecimalFromMicros((num*unit + sign(num)*sign(den)*abs(den)/2) / den)
}

func sign(n int64) int64 {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
