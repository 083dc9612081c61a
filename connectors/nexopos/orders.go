package nexopos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/woonexo/woonexo/snapshot"
	"golang.org/x/sync/errgroup"
)

// TitlePrefix starts the title of every order woonexo creates from a
// WooCommerce order: "WC #1234".
const TitlePrefix = "WC #"

var titleRef = regexp.MustCompile(`(?i)^\s*(?:wc|woo(?:commerce)?)\s*(?:order)?\s*[#:-]?\s*([A-Za-z0-9][A-Za-z0-9_-]*)\s*$`)

// ReferenceFromTitle returns the WooCommerce order number an order title
// carries ("WC #1234", "WC-1234", "Woo #1234"), "" when none.
func ReferenceFromTitle(title string) string {
	m := titleRef.FindStringSubmatch(title)
	if m == nil {
		return ""
	}
	return m[1]
}

// TitleFor returns the order title carrying a WooCommerce order number.
func TitleFor(reference string) string { return TitlePrefix + reference }

type orderDTO struct {
	ID              flexID         `json:"id"`
	Code            flexString     `json:"code"`
	Title           flexString     `json:"title"`
	PaymentStatus   flexString     `json:"payment_status"`
	Total           num            `json:"total"`
	Shipping        num            `json:"shipping"`
	CustomerID      flexID         `json:"customer_id"`
	Customer        *customerDTO   `json:"customer"`
	Note            flexString     `json:"note"`
	CreatedAt       flexString     `json:"created_at"`
	UpdatedAt       flexString     `json:"updated_at"`
	Products        []orderLineDTO `json:"products"`
	Payments        []paymentDTO   `json:"payments"`
	BillingAddress  *addressDTO    `json:"billing_address"`
	ShippingAddress *addressDTO    `json:"shipping_address"`
}

type orderLineDTO struct {
	ID         flexID     `json:"id"`
	ProductID  flexID     `json:"product_id"`
	Name       flexString `json:"name"`
	Quantity   num        `json:"quantity"`
	UnitPrice  num        `json:"unit_price"`
	TotalPrice num        `json:"total_price"`
	Status     flexString `json:"status"`
}

type paymentDTO struct {
	Identifier flexString `json:"identifier"`
	Value      num        `json:"value"`
}

func decodeOrder(raw []byte) (orderDTO, error) {
	var o orderDTO
	if err := unmarshalNamed(raw, &o); err != nil {
		return o, err
	}
	if o.ID == "" {
		return o, errors.New("order without an id")
	}
	return o, nil
}

// orderStatus maps a payment_status to the canonical status and whether
// the order holds its quantities out of stock (5.3: paid or partially paid).
func orderStatus(ps string) (snapshot.OrderStatus, bool) {
	switch ps {
	case "paid":
		return snapshot.OrderCompleted, true
	case "partially_paid":
		return snapshot.OrderPartial, true
	case "unpaid", "hold", "due", "partially_due":
		return snapshot.OrderPending, false
	case "order_void":
		return snapshot.OrderCancelled, false
	case "refunded", "partially_refunded":
		return snapshot.OrderRefunded, false
	}
	return snapshot.OrderOther, false
}

func orderFromDTO(o orderDTO, loc *time.Location) snapshot.Order {
	st, reduced := orderStatus(string(o.PaymentStatus))
	out := snapshot.Order{
		ID: snapshot.ID(o.ID), Number: string(o.Code), Reference: ReferenceFromTitle(string(o.Title)),
		Status: st, RawStatus: string(o.PaymentStatus), CustomerID: snapshot.ID(o.CustomerID),
		Shipping: o.Shipping.Decimal, Total: o.Total.Decimal, Note: string(o.Note), StockReduced: reduced,
		Billing: o.BillingAddress.canonical(), ShippingAddr: o.ShippingAddress.canonical(),
		Created: parseTime(string(o.CreatedAt), loc), Modified: parseTime(string(o.UpdatedAt), loc),
		Lines: make([]snapshot.OrderLine, 0, len(o.Products)),
	}
	if o.Customer != nil {
		out.Email = string(o.Customer.Email)
	}
	if len(o.Payments) > 0 {
		out.PaymentMethod = string(o.Payments[0].Identifier)
	}
	for _, l := range o.Products {
		line := snapshot.OrderLine{Kind: snapshot.LineProduct, ProductID: snapshot.ID(l.ProductID), Name: string(l.Name),
			Quantity: l.Quantity.Decimal, UnitPrice: l.UnitPrice.Decimal, Total: l.TotalPrice.Decimal}
		if l.ProductID == "" {
			line.Kind = snapshot.LineQuick
		}
		out.Lines = append(out.Lines, line)
	}
	return out
}

type orderRowDTO struct {
	ID            flexID     `json:"id"`
	Title         flexString `json:"title"`
	PaymentStatus flexString `json:"payment_status"`
	CreatedAt     flexString `json:"created_at"`
}

// paymentLabels are the labels the ns.orders listing shows for each
// payment_status (OrderCrud formats the column; English install).
var paymentLabels = map[string]string{"hold": "Hold", "unpaid": "Unpaid", "partially_paid": "Partially Paid",
	"paid": "Paid", "order_void": "Voided", "refunded": "Refunded", "partially_refunded": "Partially Refunded",
	"due": "Due", "partially_due": "Partially Due"}

// listedStatus reads the payment_status of an ns.orders row, a label
// ("Voided") or a raw value ("order_void"), as the raw value; "" when it
// is neither (a translated label).
func listedStatus(v string) string {
	v = strings.TrimSpace(v)
	if _, ok := paymentLabels[v]; ok {
		return v
	}
	for raw, label := range paymentLabels {
		if strings.EqualFold(label, v) {
			return raw
		}
	}
	return ""
}

// settledStatus reports whether an order in payment_status raw has nothing
// left to follow unless its status changes: paid, voided or refunded.
func settledStatus(raw string) bool {
	switch st, _ := orderStatus(raw); st {
	case snapshot.OrderCompleted, snapshot.OrderCancelled, snapshot.OrderRefunded:
		return true
	}
	return false
}

// readOrders discovers orders newest first (CRUD ns.orders, id desc) and
// reads the detail of those that are new, not settled, or listed with
// another status than the caller holds. complete is true when every page
// was walked.
func (c *Client) readOrders(ctx context.Context, opts ReadOptions) ([]snapshot.Order, bool, []snapshot.Held, error) {
	per := ordersPerPage
	if opts.Full {
		per = 500
	}
	var toRead []snapshot.ID
	var held []snapshot.Held
	seen := map[snapshot.ID]bool{}
	complete := false
	unlabelled := 0
	for page := 1; ; page++ {
		q := queryOf("per_page", strconv.Itoa(per), "page", strconv.Itoa(page))
		var raw json.RawMessage
		if err := c.do(ctx, call{op: "list orders", group: "orders", method: "GET", path: "crud/ns.orders", query: q, safe: true}, &raw); err != nil {
			return nil, false, nil, err
		}
		p, err := decodePaginator(raw)
		if err != nil {
			return nil, false, nil, &Error{Op: "list orders", Kind: KindTransient, Message: "malformed page: " + reason(err)}
		}
		// quiet: every order of the page is known and listed as held.
		quiet, oldest := true, time.Time{}
		for _, r := range p.Data {
			var row orderRowDTO
			if err := unmarshalNamed(r, &row); err != nil || row.ID == "" {
				if err == nil {
					err = errors.New("order row without an id")
				}
				held = append(held, snapshot.Held{Side: snapshot.NexoPOS, Kind: snapshot.KindOrder, ID: idOf(r),
					Reason: "order row: " + reason(err), Class: "decode"})
				quiet = false
				continue
			}
			id := snapshot.ID(row.ID)
			created := parseTime(string(row.CreatedAt), c.tz)
			if !created.IsZero() {
				oldest = created
			}
			stored, known := opts.KnownOrders[id]
			if !known {
				if opts.isPast(created) {
					continue // past: discovered, never read
				}
				quiet = false
				toRead = append(toRead, id)
				continue
			}
			seen[id] = true
			listed := listedStatus(string(row.PaymentStatus))
			if listed == "" {
				unlabelled++
			}
			switch {
			case listed != "" && listed != stored:
				quiet = false
				toRead = append(toRead, id)
			case !settledStatus(stored):
				toRead = append(toRead, id)
			}
		}
		if len(p.Data) == 0 || page >= int(p.LastPage) {
			complete = true
			break
		}
		if !opts.Full && quiet && (opts.OrdersSince.IsZero() || (!oldest.IsZero() && oldest.Before(opts.OrdersSince))) {
			break
		}
		// Newest first: once a page reaches past orders and every known
		// order was seen, the pages left hold only past orders.
		if opts.isPast(oldest) && len(seen) >= len(opts.KnownOrders) {
			complete = true
			break
		}
	}
	if unlabelled > 0 {
		c.log.Warn("nexopos order listing shows payment statuses woonexo does not recognise (a translated install?): voids and refunds of settled orders go unnoticed",
			"orders", unlabelled)
	}
	orders, more := c.readOrderDetails(ctx, toRead)
	return orders, complete, append(held, more...), nil
}

// readOrderDetails reads GET /api/orders/{id} for each id, a few at a time.
// An order deleted meanwhile is skipped; one that fails is held.
func (c *Client) readOrderDetails(ctx context.Context, ids []snapshot.ID) ([]snapshot.Order, []snapshot.Held) {
	out := make([]*snapshot.Order, len(ids))
	var held []snapshot.Held
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(pageConcurrency)
	for i, id := range ids {
		g.Go(func() error {
			o, err := c.getOrder(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case IsKind(err, KindNotFound):
			case err != nil:
				class := "read"
				if KindOf(err) == "" {
					class = "decode"
				}
				held = append(held, snapshot.Held{Side: snapshot.NexoPOS, Kind: snapshot.KindOrder, ID: id, Reason: reason(err), Class: class})
			default:
				out[i] = &o
			}
			return nil
		})
	}
	_ = g.Wait()
	orders := make([]snapshot.Order, 0, len(ids))
	for _, o := range out {
		if o != nil {
			orders = append(orders, *o)
		}
	}
	return orders, held
}

func (c *Client) getOrder(ctx context.Context, id snapshot.ID) (snapshot.Order, error) {
	o, err := c.getOrderDTO(ctx, id)
	if err != nil {
		return snapshot.Order{}, err
	}
	return orderFromDTO(o, c.tz), nil
}

func (c *Client) getOrderDTO(ctx context.Context, id snapshot.ID) (orderDTO, error) {
	var raw json.RawMessage
	if err := c.do(ctx, call{op: "read order", group: "orders", method: "GET", path: apiPath("orders", id), safe: true}, &raw); err != nil {
		return orderDTO{}, err
	}
	o, err := decodeOrder(raw)
	if err != nil {
		return o, fmt.Errorf("read order %s: %w", id, err)
	}
	return o, nil
}

// FindOrderByReference finds the order whose title carries the WooCommerce
// order number ref (CRUD ns.orders search=, then an exact compare of the
// parsed title). nil, nil when none; conflict when several.
func (c *Client) FindOrderByReference(ctx context.Context, ref string) (*snapshot.Order, error) {
	if ref == "" {
		return nil, nil
	}
	q := queryOf("per_page", "100", "page", "1", "search", TitleFor(ref))
	var raw json.RawMessage
	if err := c.do(ctx, call{op: "find order by reference", group: "orders", method: "GET", path: "crud/ns.orders", query: q, safe: true}, &raw); err != nil {
		return nil, err
	}
	p, err := decodePaginator(raw)
	if err != nil {
		return nil, &Error{Op: "find order by reference", Kind: KindTransient, Message: "malformed page: " + reason(err)}
	}
	var ids []snapshot.ID
	for _, r := range p.Data {
		var row orderRowDTO
		if json.Unmarshal(r, &row) == nil && row.ID != "" && ReferenceFromTitle(string(row.Title)) == ref {
			ids = append(ids, snapshot.ID(row.ID))
		}
	}
	switch len(ids) {
	case 0:
		return nil, nil
	case 1:
		o, err := c.getOrder(ctx, ids[0])
		if err != nil {
			return nil, err
		}
		return &o, nil
	}
	return nil, &Error{Op: "find order by reference", Kind: KindConflict, Message: fmt.Sprintf("%d orders carry reference %q", len(ids), ref)}
}
