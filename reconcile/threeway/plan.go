package threeway

import (
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// Link pairs a WooCommerce record with its NexoPOS twin (the state file's
// record type; Created is set to Input.Now on new links).
type Link = snapshot.Link

// ChangedKeys lists, per side and kind, the ids to reconsider this cycle:
// records read as new, modified or gone since the last cycle, and the
// records the last plan held or left ambiguous (so they are retried). When
// Input.Changed is set, Build diffs, links and creates only for these ids;
// stock targets are recomputed only for the products they name (a NexoPOS
// stock move is a change of that product) and for products of WooCommerce
// orders they name.
type ChangedKeys struct {
	Woo  map[snapshot.Kind][]snapshot.ID `json:"woo,omitempty"`
	Nexo map[snapshot.Kind][]snapshot.ID `json:"nexo,omitempty"`
}

// Input is everything Build decides from. The snapshots are the complete
// current view of each side (the caller merges incremental reads into the
// stored snapshot); Snapshot.Complete[kind] says whether deletions may be
// inferred; Snapshot.Failed[kind] means the kind is not acted upon on
// either side.
type Input struct {
	Woo   snapshot.Snapshot
	Nexo  snapshot.Snapshot
	Links []Link
	// Baselines holds, per kind and WooCommerce id of the link, the fields
	// both sides last agreed on, reference fields in WooCommerce id space.
	Baselines map[snapshot.Kind]map[snapshot.ID]snapshot.Fields
	Policy    Policy
	Form      snapshot.Form
	// Now is the cycle's time (the engine reads no clock).
	Now time.Time
	// Changed, when set, narrows the work to these ids (see ChangedKeys).
	Changed *ChangedKeys
	// Index, when set, is NewIndex(this input) kept from earlier; Build
	// builds one when it is nil.
	Index *Index
}

// Action is what an op does.
type Action string

const (
	ActionCreate            Action = "create"
	ActionUpdate            Action = "update"
	ActionDelete            Action = "delete"
	ActionVoid              Action = "void"
	ActionRefund            Action = "refund"
	ActionStock             Action = "stock"
	ActionCreatePaymentType Action = "create_payment_type"
)

// Change is one field an op writes, as canonical text in the target's id
// space.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Op is one write. Ops are numbered by Seq in the order they must be
// applied; DependsOn names the ops that must have succeeded first (an op
// whose dependency failed is skipped this cycle).
type Op struct {
	Seq    int           `json:"seq"`
	Kind   snapshot.Kind `json:"kind"`
	Action Action        `json:"action"`
	Target snapshot.Side `json:"target"`
	// WooID and NexoID are the known ids; the target's id is empty for a
	// create.
	WooID  snapshot.ID `json:"woo_id,omitempty"`
	NexoID snapshot.ID `json:"nexo_id,omitempty"`
	// Key is the natural key: SKU, e-mail, category name path "A/B/C",
	// order number, gateway id; "id:<id>" for a product without SKU.
	Key     string   `json:"key"`
	Changes []Change `json:"changes,omitempty"`
	// Source is the source side's record for creates and updates
	// (snapshot.Category, Product, Customer, Order or PaymentMethod), its
	// references still in the source side's id space: the cycle translates
	// them through the links at apply time, since a record created earlier
	// in the plan only gets its id then.
	Source    any        `json:"source,omitempty"`
	DependsOn []int      `json:"depends_on,omitempty"`
	Order     *OrderPlan `json:"order,omitempty"`
	// Quantity is, for a stock op, the WooCommerce target quantity; for a
	// product create on WooCommerce, the stock to set with it; for a
	// product create on NexoPOS, the initial quantity to bring in as a
	// stock adjustment (Policy.InitialStockToNexo). Nil otherwise.
	Quantity *snapshot.Decimal `json:"quantity,omitempty"`
	Reason   string            `json:"reason"`
	// Replaces is the link a create drops once it succeeded (a record
	// modified on one side and deleted on the other is recreated).
	Replaces *Link `json:"replaces,omitempty"`
	// Baseline holds the fields (WooCommerce id space) to merge into the
	// link's baseline once the op succeeded; fields not named keep their
	// stored value.
	Baseline snapshot.Fields `json:"baseline,omitempty"`
}

// OrderPlan is how an order create resolves on its target side.
type OrderPlan struct {
	Lines []PlannedLine `json:"lines"`
	// PaymentIdentifier is the NexoPOS payment identifier (orders to
	// NexoPOS); Gateway and GatewayTitle the WooCommerce gateway (orders to
	// WooCommerce).
	PaymentIdentifier string `json:"payment_identifier,omitempty"`
	Gateway           string `json:"gateway,omitempty"`
	GatewayTitle      string `json:"gateway_title,omitempty"`
	// Customer is the target-side customer id when known. CustomerOp is the
	// Seq of the op creating it in this plan (0 = none). DefaultCustomer
	// says the policy's default customer (or a guest on WooCommerce) was
	// used.
	Customer        snapshot.ID `json:"customer,omitempty"`
	CustomerOp      int         `json:"customer_op,omitempty"`
	DefaultCustomer bool        `json:"default_customer,omitempty"`
	ShippingMethod  *Method     `json:"shipping_method,omitempty"`
	SetPaid         bool        `json:"set_paid,omitempty"`
}

// PlannedLine is one order line resolved for the target side.
type PlannedLine struct {
	// Kind is snapshot.LineProduct or snapshot.LineQuick (a fee line on
	// WooCommerce, a quick product on NexoPOS).
	Kind            snapshot.LineKind `json:"kind"`
	Name            string            `json:"name"`
	SKU             string            `json:"sku,omitempty"`
	SourceProductID snapshot.ID       `json:"source_product_id,omitempty"`
	// TargetProductID is the linked twin; ProductOp the Seq of the op
	// creating it in this plan when not linked yet.
	TargetProductID snapshot.ID      `json:"target_product_id,omitempty"`
	ProductOp       int              `json:"product_op,omitempty"`
	Quantity        snapshot.Decimal `json:"quantity"`
	UnitPrice       snapshot.Decimal `json:"unit_price"`
	Total           snapshot.Decimal `json:"total"`
}

// Agreement moves a link's baseline without a write: both sides made the
// same edit, or a first link found equal values. Fields are merged into
// the baseline (WooCommerce id space).
type Agreement struct {
	Kind   snapshot.Kind   `json:"kind"`
	Woo    snapshot.ID     `json:"woo"`
	Nexo   snapshot.ID     `json:"nexo"`
	Fields snapshot.Fields `json:"fields"`
}

// Conflict is a field both sides changed differently since the baseline
// (the state file's record type; Rule is a Rule, At is Input.Now).
type Conflict = snapshot.Conflict

// Ambiguity is a natural key shared by several records of one side (or
// matching several on the other): none of them is linked or created.
type Ambiguity struct {
	Kind snapshot.Kind `json:"kind"`
	Side snapshot.Side `json:"side"`
	Key  string        `json:"key"`
	IDs  []snapshot.ID `json:"ids"`
}

// Refusal is a safety check that stopped part of the plan.
type Refusal struct {
	Kind   snapshot.Kind `json:"kind"`
	Side   snapshot.Side `json:"side,omitempty"`
	Reason string        `json:"reason"`
	Count  int           `json:"count"`
	Total  int           `json:"total"`
}

// Stats counts what Build looked at.
type Stats struct {
	Linked    map[snapshot.Kind]int `json:"linked,omitempty"`    // links after this plan's new links
	Compared  map[snapshot.Kind]int `json:"compared,omitempty"`  // linked pairs diffed
	Changed   map[snapshot.Kind]int `json:"changed,omitempty"`   // linked pairs with at least one op
	Unchanged map[snapshot.Kind]int `json:"unchanged,omitempty"` // linked pairs diffed with nothing to do
}

// Plan is Build's result. Everything in it is in a deterministic order.
type Plan struct {
	Ops         []Op            `json:"ops"`
	Links       []Link          `json:"links"`
	Agreed      []Agreement     `json:"agreed"`
	Conflicts   []Conflict      `json:"conflicts"`
	Held        []snapshot.Held `json:"held"`
	Ambiguities []Ambiguity     `json:"ambiguities"`
	Refusals    []Refusal       `json:"refusals"`
	Flags       []string        `json:"flags"`
	Stats       Stats           `json:"stats"`
}

// Empty reports whether the plan writes nothing and moves no link or
// baseline.
func (p Plan) Empty() bool {
	return len(p.Ops) == 0 && len(p.Links) == 0 && len(p.Agreed) == 0
}
