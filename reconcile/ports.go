package reconcile

import (
	"context"
	"time"

	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
)

// The interfaces below are what the cycle needs of each system; the
// connectors' clients provide them (wired in cmd/reconcile).

// Reader reads one side into a snapshot.
type Reader interface {
	Read(ctx context.Context, req ReadRequest) (snapshot.Snapshot, error)
}

// ReadRequest says how much to read.
type ReadRequest struct {
	// Full asks for complete listings of every kind (they confirm deletions).
	Full bool
	// Since holds, per kind read incrementally, the time from which changes
	// are wanted (the connector subtracts its own overlap window).
	Since map[snapshot.Kind]time.Time
	// KnownOrders lists the NexoPOS orders already held, each with the
	// status it is held in (snapshot.Order.RawStatus). The connector reads
	// again only those not settled or listed now in another status (a void
	// or refund made since).
	KnownOrders map[snapshot.ID]string
	// PastBefore, when set, makes orders created before it the shop's
	// history: the connector leaves them out (never read in detail, never
	// imported). The first sync sets it.
	PastBefore time.Time
}

// Writer applies writes of one kind and action to one side. Results come
// back one per write, in order; one failed write never stops the others.
type Writer interface {
	Write(ctx context.Context, ws []Write) []WriteResult
}

// Finder looks a record up on its side by natural key (SKU, e-mail,
// category name path, order reference), to resolve a journaled create whose
// outcome is unknown. since bounds the search for orders.
type Finder interface {
	Find(ctx context.Context, kind snapshot.Kind, key string, since time.Time) (snapshot.ID, bool, error)
}

// System is everything the cycle needs of one side.
type System interface {
	Reader
	Writer
	Finder
}

// StockReader reads current NexoPOS stock for a few products, so the stock
// phase works from quantities that include this cycle's orders.
type StockReader interface {
	ReadStock(ctx context.Context, ids []snapshot.ID) (map[snapshot.ID]snapshot.Decimal, error)
}

// Write is one write to one side, with every reference already in the
// target side's ids.
type Write struct {
	Kind   snapshot.Kind
	Action threeway.Action
	// ID is the target record for everything but creates.
	ID snapshot.ID
	// Record is the record to create or the new values of an update:
	// snapshot.Category, Product, Customer, Order or PaymentMethod.
	Record any
	// Fields names the canonical fields an update sends (only those).
	Fields []string
	// Quantity is the stock to set (threeway.ActionStock on WooCommerce, or with a
	// WooCommerce product create) or the quantity to add (threeway.ActionStock on
	// NexoPOS: the initial adjustment of a product created from
	// WooCommerce). Nil otherwise.
	Quantity *snapshot.Decimal
	// Order carries what an order create needs beyond the record.
	Order *OrderWrite
	// Reason is the human reason (void/refund reasons, adjustment notes).
	Reason string
}

// OrderWrite is what an order create needs beyond the order itself.
type OrderWrite struct {
	PaymentMethod  snapshot.PaymentMethod // the target side's gateway or payment type
	CustomerID     snapshot.ID            // target customer ("" = guest / default)
	ShippingMethod snapshot.PaymentMethod // WooCommerce shipping method (ID, Title) for POS orders
	SetPaid        bool
}

// WriteResult is the outcome of one Write.
type WriteResult struct {
	ID  snapshot.ID
	Err error
	// Record, when the side's answer carried it, is the created record as
	// the target side now holds it (a snapshot.Order placed in NexoPOS). The
	// cycle stores it, so the next read need not read it back.
	Record any
}
