package wcsim

import (
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// Order is a shop order as the store keeps it.
type Order struct {
	ID                 int
	ParentID           int
	Status             string // pending, processing, on-hold, completed, cancelled, refunded, failed, trash, ...
	Currency           string
	CustomerID         int
	Billing            Address
	Shipping           Address
	PaymentMethod      string
	PaymentMethodTitle string
	TransactionID      string
	CustomerNote       string
	CreatedVia         string
	OrderKey           string
	DateCreated        time.Time
	DateModified       time.Time
	DatePaid           *time.Time
	DateCompleted      *time.Time
	MetaData           []Meta
	LineItems          []LineItem
	ShippingLines      []ShippingLine
	FeeLines           []FeeLine
	Notes              []OrderNote
	// StockReduced is the order-level "stock reduced" flag
	// (_order_stock_reduced): stock is reduced at most once per order.
	StockReduced bool

	trashedStatus string
}

// LineItem is an order line; ProductID 0 is a line without a product.
type LineItem struct {
	ID          int
	Name        string
	ProductID   int
	VariationID int
	Quantity    int
	TaxClass    string
	Subtotal    string // money text at the store's decimals
	Total       string
	MetaData    []Meta
	// ReducedStock is the quantity taken from stock (_reduced_stock), 0 if none.
	ReducedStock int
}

// ShippingLine is an order shipping line.
type ShippingLine struct {
	ID          int
	MethodTitle string
	MethodID    string
	InstanceID  string
	Total       string
	MetaData    []Meta
}

// FeeLine is an order fee line.
type FeeLine struct {
	ID        int
	Name      string
	TaxClass  string
	TaxStatus string
	Amount    string
	Total     string
	MetaData  []Meta
}

// OrderNote is an order note; notes never bump the order's date_modified.
type OrderNote struct {
	ID           int
	Note         string
	CustomerNote bool
	DateCreated  time.Time
}

var orderStatuses = []string{"pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft", "trash", "auto-draft"}

func (s *Sim) money(d snapshot.Decimal) string { return d.StringFixed(s.opts.PriceDecimals) }

func dec(v string) snapshot.Decimal {
	d, err := snapshot.ParseDecimal(v)
	if err != nil {
		return snapshot.Decimal{}
	}
	return d
}

type orderTotals struct {
	lines, shipping, fees, total snapshot.Decimal
}

func (o *Order) totals() orderTotals {
	var t orderTotals
	for _, li := range o.LineItems {
		t.lines = t.lines.Add(dec(li.Total))
	}
	for _, sl := range o.ShippingLines {
		t.shipping = t.shipping.Add(dec(sl.Total))
	}
	for _, f := range o.FeeLines {
		t.fees = t.fees.Add(dec(f.Total))
	}
	t.total = t.lines.Add(t.shipping).Add(t.fees)
	return t
}

func (s *Sim) addNote(o *Order, text string) {
	o.Notes = append(o.Notes, OrderNote{ID: s.st.newItemID(), Note: text, DateCreated: s.now()})
}

// setStatus runs WooCommerce's status transition hooks: paid/completed
// dates, stock reduction (to processing, completed, on-hold; once per
// order) and restoration (to cancelled or pending).
func (s *Sim) setStatus(o *Order, to string) {
	from := o.Status
	if from == to {
		return
	}
	o.Status = to
	now := s.now()
	if (to == "processing" || to == "completed") && o.DatePaid == nil && (from == "pending" || from == "failed" || from == "on-hold" || from == "cancelled") {
		o.DatePaid = &now
	}
	if to == "completed" {
		o.DateCompleted = &now
	}
	switch to {
	case "processing", "completed", "on-hold":
		s.reduceStock(o)
	case "cancelled", "pending":
		s.restoreStock(o)
	}
	s.addNote(o, "Order status changed from "+from+" to "+to+".")
}

// paymentComplete is WC_Order::payment_complete.
func (s *Sim) paymentComplete(o *Order, transactionID string) {
	switch o.Status {
	case "pending", "on-hold", "failed", "cancelled":
	default:
		return
	}
	if transactionID != "" {
		o.TransactionID = transactionID
	}
	now := s.now()
	if o.DatePaid == nil {
		o.DatePaid = &now
	}
	to := "processing"
	if o.PaymentMethod == "cod" || !s.needsProcessing(o) && len(o.LineItems) > 0 {
		to = "completed"
	}
	s.setStatus(o, to)
	s.reduceStock(o)
	if c, ok := s.st.users[o.CustomerID]; ok {
		c.IsPayingCustomer = true
	}
}

func (s *Sim) needsProcessing(o *Order) bool {
	for _, li := range o.LineItems {
		if p, ok := s.st.products[li.ProductID]; ok && !(p.Virtual && p.Downloadable) {
			return true
		}
	}
	return false
}

func (s *Sim) reduceStock(o *Order) {
	if o.StockReduced {
		return
	}
	var changes []string
	for i := range o.LineItems {
		li := &o.LineItems[i]
		p, ok := s.st.products[li.ProductID]
		if !ok || !p.ManageStock || li.ReducedStock != 0 {
			continue
		}
		old := 0
		if p.StockQuantity != nil {
			old = *p.StockQuantity
		}
		n := old - li.Quantity
		p.StockQuantity = &n
		p.TotalSales += li.Quantity
		validateProps(p)
		p.DateModified = s.now()
		li.ReducedStock = li.Quantity
		li.MetaData = append(li.MetaData, Meta{ID: s.st.newMetaID(), Key: "_reduced_stock", Value: jsonString(itoa(li.Quantity))})
		changes = append(changes, p.Name+" ("+p.SKU+") "+itoa(old)+"&rarr;"+itoa(n))
	}
	o.StockReduced = true
	if len(changes) > 0 {
		s.addNote(o, "Stock levels reduced: "+joinComma(changes))
	}
}

func (s *Sim) restoreStock(o *Order) {
	if !o.StockReduced {
		return
	}
	var changes []string
	for i := range o.LineItems {
		li := &o.LineItems[i]
		if li.ReducedStock == 0 {
			continue
		}
		if p, ok := s.st.products[li.ProductID]; ok && p.ManageStock {
			old := 0
			if p.StockQuantity != nil {
				old = *p.StockQuantity
			}
			n := old + li.ReducedStock
			p.StockQuantity = &n
			validateProps(p)
			p.DateModified = s.now()
			changes = append(changes, p.Name+" ("+p.SKU+") "+itoa(old)+"&rarr;"+itoa(n))
		}
		li.ReducedStock = 0
		kept := li.MetaData[:0:0]
		for _, m := range li.MetaData {
			if m.Key != "_reduced_stock" {
				kept = append(kept, m)
			}
		}
		li.MetaData = kept
	}
	o.StockReduced = false
	if len(changes) > 0 {
		s.addNote(o, "Stock levels increased: "+joinComma(changes))
	}
}

func joinComma(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += ", "
		}
		out += p
	}
	return out
}

func currencySymbol(code string) string {
	switch code {
	case "EUR":
		return "&euro;"
	case "USD":
		return "&#36;"
	case "GBP":
		return "&pound;"
	case "JPY":
		return "&yen;"
	}
	return code
}
