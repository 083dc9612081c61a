package snapshot

import (
	"time"
)

// Side names one of the two systems woonexo keeps in agreement.
type Side string

const (
	WooCommerce Side = "woocommerce"
	NexoPOS     Side = "nexopos"
)

// Other returns the opposite side.
func (s Side) Other() Side {
	if s == WooCommerce {
		return NexoPOS
	}
	return WooCommerce
}

// Kind names a kind of record. Kinds are listed in dependency order: a
// record may refer only to kinds listed before its own.
type Kind string

const (
	KindPaymentMethod Kind = "payment_method"
	KindCategory      Kind = "category"
	KindProduct       Kind = "product"
	KindCustomer      Kind = "customer"
	KindOrder         Kind = "order"
)

// Kinds lists every kind in dependency order.
var Kinds = []Kind{KindPaymentMethod, KindCategory, KindProduct, KindCustomer, KindOrder}

// ID is a record's identifier on its own side, as text ("42" for a
// WooCommerce post id, a gateway id such as "bacs"). The empty ID means
// "none".
type ID string

// Category is a product category. ParentID is the side-local id of the
// parent category, "" for a root category.
type Category struct {
	ID          ID        `json:"id"`
	Name        string    `json:"name"`
	ParentID    ID        `json:"parent_id,omitempty"`
	Description string    `json:"description,omitempty"`
	Modified    time.Time `json:"modified,omitzero"`
}

// ProductStatus is the canonical publication state of a product.
type ProductStatus string

const (
	ProductActive   ProductStatus = "active"   // WooCommerce publish, NexoPOS available
	ProductInactive ProductStatus = "inactive" // WooCommerce draft/pending/private, NexoPOS unavailable
	ProductTrashed  ProductStatus = "trashed"  // WooCommerce trash; never seen on NexoPOS
)

// Product is a simple product (or one sellable variation). Prices and stock
// come, on NexoPOS, from the product's row for the first allowed unit
// (UnitID records which row). CategoryIDs are side-local and sorted.
type Product struct {
	ID           ID            `json:"id"`
	SKU          string        `json:"sku,omitempty"`
	Barcode      string        `json:"barcode,omitempty"`
	Name         string        `json:"name"`
	Description  string        `json:"description,omitempty"`
	Status       ProductStatus `json:"status"`
	RegularPrice Decimal       `json:"regular_price"`
	// SalePrice is the discounted price; HasSalePrice is false when the
	// product has none (WooCommerce "" sale_price).
	SalePrice    Decimal   `json:"sale_price,omitzero"`
	HasSalePrice bool      `json:"has_sale_price,omitempty"`
	CategoryIDs  []ID      `json:"category_ids,omitempty"`
	ManageStock  bool      `json:"manage_stock"`
	Stock        Decimal   `json:"stock"`
	UnitID       ID        `json:"unit_id,omitempty"`
	Modified     time.Time `json:"modified,omitzero"`
}

// Address is a postal and contact address of a customer or an order.
type Address struct {
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Company   string `json:"company,omitempty"`
	Address1  string `json:"address_1,omitempty"`
	Address2  string `json:"address_2,omitempty"`
	City      string `json:"city,omitempty"`
	State     string `json:"state,omitempty"`
	Postcode  string `json:"postcode,omitempty"`
	Country   string `json:"country,omitempty"`
	Email     string `json:"email,omitempty"`
	Phone     string `json:"phone,omitempty"`
}

// Customer is a person who buys. Role is the WooCommerce role
// ("customer", "administrator", ...); it is "" on NexoPOS.
type Customer struct {
	ID        ID        `json:"id"`
	Email     string    `json:"email"`
	FirstName string    `json:"first_name,omitempty"`
	LastName  string    `json:"last_name,omitempty"`
	Phone     string    `json:"phone,omitempty"`
	Role      string    `json:"role,omitempty"`
	Billing   Address   `json:"billing,omitzero"`
	Shipping  Address   `json:"shipping,omitzero"`
	Modified  time.Time `json:"modified,omitzero"`
}

// OrderStatus is the canonical state of an order.
type OrderStatus string

const (
	OrderPending    OrderStatus = "pending"    // awaiting payment (WooCommerce pending/on-hold, NexoPOS unpaid/hold)
	OrderProcessing OrderStatus = "processing" // paid, not yet completed (WooCommerce processing)
	OrderCompleted  OrderStatus = "completed"  // paid and done (WooCommerce completed, NexoPOS paid)
	OrderPartial    OrderStatus = "partial"    // partially paid (NexoPOS partially_paid)
	OrderCancelled  OrderStatus = "cancelled"  // WooCommerce cancelled, NexoPOS order_void
	OrderRefunded   OrderStatus = "refunded"   // fully refunded on either side
	OrderFailed     OrderStatus = "failed"     // WooCommerce failed
	OrderOther      OrderStatus = "other"      // any status woonexo does not act on; RawStatus tells which
)

// LineKind tells an order line that sells a product from a fee line.
type LineKind string

const (
	LineProduct LineKind = "product" // a product (ProductID set)
	LineQuick   LineKind = "quick"   // a NexoPOS quick product or a WooCommerce fee line: name and amount only
)

// OrderLine is one line of an order. UnitPrice and Total include tax as the
// side reports them; Total is what the customer pays for the line.
type OrderLine struct {
	Kind      LineKind `json:"kind"`
	ProductID ID       `json:"product_id,omitempty"`
	SKU       string   `json:"sku,omitempty"`
	Name      string   `json:"name"`
	Quantity  Decimal  `json:"quantity"`
	UnitPrice Decimal  `json:"unit_price"`
	Total     Decimal  `json:"total"`
}

// Order is a sale. Reference is what the order carries of its twin on the
// other side: on NexoPOS the WooCommerce order number (kept in the title),
// on WooCommerce the NexoPOS order id (kept in order meta). PaymentMethod is
// the WooCommerce gateway id or the NexoPOS payment identifier.
type Order struct {
	ID            ID          `json:"id"`
	Number        string      `json:"number"`
	Reference     string      `json:"reference,omitempty"`
	Status        OrderStatus `json:"status"`
	RawStatus     string      `json:"raw_status"`
	CustomerID    ID          `json:"customer_id,omitempty"`
	Email         string      `json:"email,omitempty"`
	Currency      string      `json:"currency,omitempty"`
	Lines         []OrderLine `json:"lines"`
	Shipping      Decimal     `json:"shipping,omitzero"`
	Total         Decimal     `json:"total"`
	PaymentMethod string      `json:"payment_method,omitempty"`
	PaymentTitle  string      `json:"payment_title,omitempty"`
	Billing       Address     `json:"billing,omitzero"`
	ShippingAddr  Address     `json:"shipping_address,omitzero"`
	Note          string      `json:"note,omitempty"`
	// StockReduced is true when the order has already taken its quantities
	// out of this side's stock (WooCommerce: processing/completed/on-hold
	// orders; NexoPOS: paid or partially paid).
	StockReduced bool      `json:"stock_reduced,omitempty"`
	Created      time.Time `json:"created,omitzero"`
	Modified     time.Time `json:"modified,omitzero"`
}

// PaymentMethod is a WooCommerce payment gateway (ID = gateway id, e.g.
// "bacs") or a NexoPOS payment type (ID = its numeric id, Identifier = its
// unique identifier, e.g. "cash-payment").
type PaymentMethod struct {
	ID         ID     `json:"id"`
	Identifier string `json:"identifier"`
	Title      string `json:"title"`
	Enabled    bool   `json:"enabled"`
}

// Held is a record that was read but cannot be used as it is: it could not
// be decoded, it lacks something it needs, or acting on it needs a person.
// A held record is never treated as absent: it is kept, reported and
// retried every cycle.
type Held struct {
	Side   Side   `json:"side"`
	Kind   Kind   `json:"kind"`
	ID     ID     `json:"id"`
	Reason string `json:"reason"`
	// Class is a short bounded word for metrics ("decode", "unmapped_payment",
	// "unresolved_product", "ambiguous_key", "no_unit", ...).
	Class string `json:"class"`
}

// Snapshot is what was read from one side in one cycle. A kind appears in
// Complete only when its listing was full and succeeded: only then may a
// missing record be read as deleted. A kind in Failed could not be read at
// all this cycle and must not be acted upon.
type Snapshot struct {
	Side           Side            `json:"side"`
	TakenAt        time.Time       `json:"taken_at"`
	Categories     []Category      `json:"categories,omitempty"`
	Products       []Product       `json:"products,omitempty"`
	Customers      []Customer      `json:"customers,omitempty"`
	Orders         []Order         `json:"orders,omitempty"`
	PaymentMethods []PaymentMethod `json:"payment_methods,omitempty"`
	Held           []Held          `json:"held,omitempty"`
	Complete       map[Kind]bool   `json:"complete,omitempty"`
	Failed         map[Kind]string `json:"failed,omitempty"`
}
