package threeway

import (
	"slices"

	"github.com/woonexo/woonexo/snapshot"
)

// Rule decides which side's value wins a field: in a conflict (both sides
// changed it differently since the baseline) or on a first link (no
// baseline yet and the values differ).
type Rule string

const (
	RuleNexoPOS     Rule = "nexopos"     // NexoPOS's value wins
	RuleWooCommerce Rule = "woocommerce" // WooCommerce's value wins
	RuleNewest      Rule = "newest"      // the record modified last wins; ties go to NexoPOS
)

// FieldPolicy is the pair of rules for one field.
type FieldPolicy struct {
	Conflict  Rule `json:"conflict"`
	FirstLink Rule `json:"first_link"`
}

// Toggle switches one kind's directions on or off. A kind missing from
// Policy.Toggles is switched off entirely.
type Toggle struct {
	ToWoo        bool `json:"to_woo"`         // create and update records on WooCommerce
	ToNexo       bool `json:"to_nexo"`        // create and update records on NexoPOS
	DeleteOnWoo  bool `json:"delete_on_woo"`  // delete on WooCommerce what NexoPOS deleted
	DeleteOnNexo bool `json:"delete_on_nexo"` // delete on NexoPOS what WooCommerce deleted
}

// Method names a WooCommerce payment gateway or shipping method.
type Method struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// MaxDelete bounds the deletions of one kind on one side in one plan. Zero
// values switch a bound off.
type MaxDelete struct {
	Count   int     `json:"count"`
	Percent float64 `json:"percent"` // of that kind's links
}

// Without-SKU rules (Policy.WithoutSKU).
const (
	WithoutSKUCreate = "create" // create a twin, linked by id once created
	WithoutSKUHold   = "hold"   // hold the product with a reason
)

// Order follow-up actions (Policy.OnCancel, Policy.OnRefund).
const (
	FollowVoid   = "void"
	FollowRefund = "refund"
	FollowNone   = "none"
)

// Policy is everything configurable that the engine decides with.
type Policy struct {
	Toggles map[snapshot.Kind]Toggle `json:"toggles"`
	// Default applies to every field without an entry in Fields, which is
	// keyed "kind.field" ("product.regular_price").
	Default FieldPolicy            `json:"default"`
	Fields  map[string]FieldPolicy `json:"fields,omitempty"`
	// WithoutSKU is WithoutSKUCreate or WithoutSKUHold ("" = hold).
	WithoutSKU string `json:"without_sku"`
	// PaymentMap maps a WooCommerce gateway id to a NexoPOS payment
	// identifier. A gateway whose id is itself a NexoPOS identifier needs
	// no entry.
	PaymentMap map[string]string `json:"payment_map,omitempty"`
	// CreateMissingPayments plans a NexoPOS payment type (identifier = the
	// gateway id) for each enabled WooCommerce gateway without a mapping.
	CreateMissingPayments bool `json:"create_missing_payments"`
	// DefaultWooPayment is used for orders sent to WooCommerce whose NexoPOS
	// payment maps to no gateway.
	DefaultWooPayment Method `json:"default_woo_payment"`
	// DefaultShipping is the shipping method of orders sent to WooCommerce.
	DefaultShipping Method `json:"default_shipping"`
	// ImportStatuses are the raw WooCommerce statuses whose orders are
	// created in NexoPOS (default processing, completed).
	ImportStatuses []string `json:"import_statuses"`
	// PushStatuses are the raw NexoPOS payment statuses whose orders are
	// created in WooCommerce (default paid).
	PushStatuses []string `json:"push_statuses"`
	// OnCancel and OnRefund say what a cancelled or refunded WooCommerce
	// order does to its NexoPOS twin: FollowVoid, FollowRefund or FollowNone.
	OnCancel string `json:"on_cancel"`
	OnRefund string `json:"on_refund"`
	// DefaultCustomer is the NexoPOS customer of guest orders.
	DefaultCustomer snapshot.ID `json:"default_customer"`
	// InitialStockToNexo brings the WooCommerce quantity of a product
	// created from WooCommerce into NexoPOS once (the create op's Quantity).
	InitialStockToNexo bool `json:"initial_stock_to_nexo"`
	// StockToWoo writes NexoPOS-decided stock targets to WooCommerce.
	StockToWoo bool      `json:"stock_to_woo"`
	MaxDelete  MaxDelete `json:"max_delete"`
	// ForceDelete lets deletions above MaxDelete through for one run.
	ForceDelete bool `json:"force_delete"`
	// MaxChangePercent flags a kind when more than this share of its links
	// change at once (0 = never flag).
	MaxChangePercent float64 `json:"max_change_percent"`
}

// DefaultPolicy returns the policy woonexo starts from: every kind synced
// both ways, no deletions, NexoPOS wins conflicts and first links, orders in
// processing/completed imported, paid POS orders pushed, cancel voids,
// refund refunds, products without SKU held, stock pushed to WooCommerce,
// deletions capped at 50 records or 10 % per kind, changes above 50 %
// flagged.
func DefaultPolicy() Policy {
	on := Toggle{ToWoo: true, ToNexo: true}
	t := make(map[snapshot.Kind]Toggle, len(snapshot.Kinds))
	for _, k := range snapshot.Kinds {
		t[k] = on
	}
	return Policy{
		Toggles:          t,
		Default:          FieldPolicy{Conflict: RuleNexoPOS, FirstLink: RuleNexoPOS},
		WithoutSKU:       WithoutSKUHold,
		ImportStatuses:   []string{"processing", "completed"},
		PushStatuses:     []string{"paid"},
		OnCancel:         FollowVoid,
		OnRefund:         FollowRefund,
		StockToWoo:       true,
		MaxDelete:        MaxDelete{Count: 50, Percent: 10},
		MaxChangePercent: 50,
	}
}

// FieldPolicy returns the rules for kind's field: its own entry in Fields,
// or Default.
func (p Policy) FieldPolicy(kind snapshot.Kind, field string) FieldPolicy {
	if fp, ok := p.Fields[string(kind)+"."+field]; ok {
		return fp
	}
	return p.Default
}

// Toggle returns kind's toggle (all off when absent).
func (p Policy) Toggle(kind snapshot.Kind) Toggle { return p.Toggles[kind] }

// writes reports whether kind may be written on side.
func (p Policy) writes(kind snapshot.Kind, side snapshot.Side) bool {
	t := p.Toggles[kind]
	if side == snapshot.WooCommerce {
		return t.ToWoo
	}
	return t.ToNexo
}

// deletes reports whether kind may be deleted on side.
func (p Policy) deletes(kind snapshot.Kind, side snapshot.Side) bool {
	t := p.Toggles[kind]
	if side == snapshot.WooCommerce {
		return t.DeleteOnWoo
	}
	return t.DeleteOnNexo
}

func (p Policy) imports(rawStatus string) bool { return slices.Contains(p.ImportStatuses, rawStatus) }
func (p Policy) pushes(rawStatus string) bool  { return slices.Contains(p.PushStatuses, rawStatus) }
