// Package threeway is woonexo's pure three-way engine: snapshots of both
// sides, the links between them, the baselines both sides last agreed on,
// the policy and the current time go in (Input); a Plan comes out (Build).
// It does no I/O, reads no clock, logs nothing and counts no metrics.
//
// # Steps
//
//  1. Link unlinked records by natural key: products by SKU
//     (snapshot.SKUKey), customers by e-mail (snapshot.EmailKey),
//     categories by lower-case name path from the root ("a/b/c", parents
//     first), orders by the reference each side carries of the other (a
//     WooCommerce order with Reference pairs with the NexoPOS order of that
//     id; a NexoPOS order with Reference pairs with the WooCommerce order of
//     that number). A key held by two records of a side, or already held by
//     a linked record, is an Ambiguity: none of its unlinked records is
//     linked or created.
//  2. Diff every linked pair field by field (below); plan creates for
//     unlinked records (Policy.Toggles per kind and direction); carry over
//     deletions confirmed by a complete listing (or a trashed WooCommerce
//     product).
//  3. Orders, payment types and stock (below).
//  4. Safety: refusals and flags.
//
// # Three-way rule
//
// Per field of a linked pair: W = WooCommerce now, N = NexoPOS now (its
// references translated to WooCommerce ids through the links), B = the
// baseline (WooCommerce id space). Values are compared with
// snapshot.FieldEqual.
//
//	W vs B   N vs B              result
//	same     same                nothing
//	same     changed             write N to WooCommerce
//	changed  same                write W to NexoPOS
//	changed  changed, W = N      nothing to write; baseline becomes W (Agreement)
//	changed  changed, W != N     conflict: Policy.FieldPolicy(kind, field).Conflict decides
//	                             (nexopos, woocommerce, or newest by Modified, ties to
//	                             nexopos); the Conflict is recorded
//	no baseline, W = N           Agreement
//	no baseline, W != N          FirstLink rule decides
//
// A write against a switched-off direction is not planned and the baseline
// does not move.
//
// # References to records created in the same plan
//
// A reference (category parent_id, product category_ids) to a record that
// has no twin yet but is created on the other side by this plan is
// compared and written as "new:<id>", id being the referenced record's id
// on the side the value comes from; such a value differs from every real
// id. The write's DependsOn names the creates, Op.Source keeps the
// reference in the source's id space (the cycle translates it through the
// links at apply time, the creates' links included), and Change.New shows
// the "new:" form. A write to WooCommerce of such a value leaves the field
// out of Op.Baseline (its WooCommerce ids are not known before the
// creates): the next cycle finds both sides equal and agrees it, with
// nothing to write. A write to NexoPOS keeps the field in Op.Baseline,
// which holds WooCommerce ids. A reference to a record that has neither a
// twin nor a create in this plan (it is held or ambiguous itself) is not
// written: the pair is reported in Held with class "unresolved_reference"
// and decided again next cycle.
//
// A linked record gone from one side (absent from a complete listing, or a
// trashed WooCommerce product; not a record the side read but holds) is recreated there when its twin changed
// since the baseline (the create's Replaces names the old link); otherwise
// its twin is deleted when the delete toggle for that side is on, and held
// with class "deleted_on_other_side" when not.
//
// # Creates
//
// Source holds the source record with references in the source's id space;
// DependsOn names the create ops of referenced records made in the same
// plan (creates are planned before linked pairs are diffed, so updates
// may depend on them too; an op always comes after the ops it depends on). A reference that is neither linked nor created holds the record. A
// product without SKU is created (Policy.WithoutSKU "create", linked by id
// once created) or held ("no_sku"). A customer needs an e-mail ("no_email");
// WooCommerce users whose role is neither "customer" nor empty (shop
// staff) are linked by e-mail but never copied to NexoPOS.
//
// # Stock
//
// NexoPOS decides stock; no op ever writes stock to NexoPOS, with one
// exception: a product created on NexoPOS from WooCommerce carries
// Op.Quantity, its WooCommerce quantity, to bring in once as a stock
// adjustment when Policy.InitialStockToNexo is on. The WooCommerce target
// is StockTarget(NexoPOS quantity, pending) where pending
// (PendingQuantities) sums the lines of WooCommerce orders that reduced
// WooCommerce stock and are not imported yet (no link, any status,
// not ambiguous). A "stock" op (Quantity = target) is planned only when
// the WooCommerce quantity differs or WooCommerce does not manage the
// product's stock while NexoPOS does. WooCommerce's own stock changes are
// ignored. If WooCommerce orders failed to read, no stock is written.
//
// # Orders
//
// WooCommerce orders without a twin, born on WooCommerce (no Reference) and
// in ImportStatuses become a NexoPOS create whose OrderPlan resolves lines
// through product links (or a product create in the plan); an unresolved
// line holds the order ("unresolved_product"). Payment: PaymentMap, a
// NexoPOS type whose identifier is the gateway id, or a
// create_payment_type op of this plan; otherwise held ("unmapped_payment").
// Customer: link, customer create in the plan (CustomerOp), or the default
// customer for guests and unresolved customers. Cancelled or refunded
// WooCommerce orders with a twin in the snapshot that is not already
// cancelled or refunded get a "void" or "refund" op per OnCancel/OnRefund.
// Paid NexoPOS orders (PushStatuses) without a twin and born on NexoPOS
// become WooCommerce creates with the default shipping method, the gateway
// from the reverse PaymentMap (or a gateway of that id, or
// DefaultWooPayment), set_paid, and product lines without a WooCommerce
// twin (quick products) as named quick (fee) lines.
// A NexoPOS order born on NexoPOS and linked to its WooCommerce copy that
// is voided or fully refunded on NexoPOS (status cancelled or refunded)
// while the copy is neither gets an "update" op to WooCommerce whose only
// change is "status" (New "cancelled" or "refunded", the WooCommerce status
// slug; Source the NexoPOS order), when orders are written to WooCommerce.
//
// With Policy.CreateMissingPayments, each enabled WooCommerce gateway with
// neither mapping nor NexoPOS type gets a "create_payment_type" op
// (identifier = gateway id) that orders using it depend on.
//
// # Safety
//
// A kind whose listing failed on either side is not acted upon (Refusal). A
// complete listing that is empty while links of its kind exist stops that
// kind's creates and deletions (Refusal). Deletions of a kind on a side
// above Policy.MaxDelete (count, or percent of the kind's links) are
// removed and refused unless ForceDelete (then flagged). More than
// MaxChangePercent of a kind's links changing at once is a Flag.
//
// # Op order
//
// payment types; categories (parents first, by depth); products;
// customers; orders to NexoPOS; orders to WooCommerce; deletions (orders,
// customers, products, categories children first); stock. Within a group:
// by kind, then key, then WooCommerce id, NexoPOS id, action, target. Seq
// numbers follow that order; DependsOn, OrderPlan.CustomerOp and
// PlannedLine.ProductOp refer to Seq.
//
// # Baselines
//
// Op.Baseline and Agreement.Fields are merged into the link's stored
// baseline (WooCommerce id space) once the op succeeded; fields not named
// keep their value. A create's Baseline omits references to records created
// in the same plan: the cycle stores the WooCommerce record's fields once
// written, or the next cycle agrees them as a first link.
//
// # Incremental cycles
//
// Input.Changed narrows the work to the ids it names (records new, modified
// or gone since the last cycle, plus last cycle's held and ambiguous ones);
// Input.Index lets a caller keep the lookups of unchanged snapshots.
//
// # JSON shape
//
// Plan marshals as an object with these keys, lists never null:
//
//	ops          [{seq, kind, action, target, woo_id?, nexo_id?, key, changes?: [{field, old, new}],
//	               source?: the snapshot record, depends_on?: [seq], order?: {lines: [{kind, name, sku?,
//	               source_product_id?, target_product_id?, product_op?, quantity, unit_price, total}],
//	               payment_identifier?, gateway?, gateway_title?, customer?, customer_op?,
//	               default_customer?, shipping_method?: {id, title}, set_paid?},
//	               quantity?, reason, replaces?: {kind, woo, nexo}, baseline?: {field: value}}]
//	links        [{kind, woo, nexo, created}]
//	agreed       [{kind, woo, nexo, fields}]
//	conflicts    [{kind, woo, nexo, field, woo_value, nexo_value, base_value, rule, winner, at}]
//	held         [{side, kind, id, reason, class}]
//	ambiguities  [{kind, side, key, ids}]
//	refusals     [{kind, side?, reason, count, total}]
//	flags        [text]
//	stats        {linked, compared, changed, unchanged: {kind: count}}
//
// Decimals are exact decimal text ("12.5"). Golden scenarios under
// testdata/<scenario>/ hold the inputs (woo.json, nexo.json, links.json,
// baselines.json, policy.json) and the expected plan.json; `go test
// ./reconcile/threeway -update` rewrites plan.json.
package threeway
