// Package nexopos is woonexo's client for NexoPOS 5.x (and 6.x, whose API
// it uses the same way): HTTP under /api with a Sanctum personal access
// token, translated to and from the canonical records of package snapshot.
//
// # Requests
//
// Every request carries "Authorization: Bearer <token>" and "Accept:
// application/json" (without it NexoPOS answers with redirects and HTML),
// and never Origin or Referer (which would turn on Sanctum's session and
// CSRF checks). Plain HTTP is refused for hosts other than loopback. The
// token never appears in an error or a log line. Redirects are not
// followed: one means the sign-in page, an auth error.
//
// # Request budget
//
// A production NexoPOS allows 80 requests a minute per user (all tokens of
// the user share the bucket). The client holds one token bucket
// (golang.org/x/time/rate), BudgetPerMinute (default 60) refilled evenly
// with a Burst (default 10), shared by every call, reads and writes alike,
// so it never provokes the throttle by itself: in any minute it sends at
// most BudgetPerMinute+Burst requests. Time spent waiting is reported to
// OnBudgetWait. A 429, or the 500 "Too Many Attempts." an APP_DEBUG=false
// install sends instead, is retried after Retry-After (5s when absent)
// with exponential backoff (Config.Retry); all waits go through
// Config.Clock so tests run them instantly.
//
// Reads, searches, whole-record PUTs and deletes are retried on transient
// failures. Creates, stock adjustments, voids and refunds are retried only
// when the server certainly did not act (throttled, connection refused):
// after a timeout the caller's journal looks the record up instead.
//
// # Reads
//
// ReadSnapshot reads, concurrently per kind:
//
//   - products: GET /api/units to resolve AllowedUnits identifiers to ids,
//     GET /api/products (every product row, one call), then the unit
//     listing GET /api/crud/ns.products-units?per_page=1000 (stock and price
//     of every product in every unit; stock moves never touch a product's
//     updated_at, so this listing is the only cheap way to see them). A
//     product's price and stock come from its row for the first allowed
//     unit; a product without one is Held with class "no_unit"; variable
//     and grouped products are Held with class "unsupported_type".
//     RegularPrice is the row's sale_price (what the till charges, tax
//     included for inclusive and exclusive tax groups alike); writes send
//     it as sale_price_edit, equal to sale_price without a tax group or
//     with an inclusive one. Use inclusive tax groups for synced products.
//   - categories: GET /api/categories.
//   - customers: the CRUD listing ns.customers (pages of 1,000; restricted to
//     the customer role) for the set, and GET /api/customers for the raw
//     fields and billing/shipping addresses (postcode is NexoPOS "pobox";
//     NexoPOS has no state field). That route leaves out customers without
//     a group; each of those costs a GET /api/customers/{id}.
//   - payment methods: the CRUD listing ns.payments-types.
//   - orders: the CRUD listing ns.orders, newest id first, to discover ids
//     and see each order's payment_status (a label, "Paid" or "Voided",
//     read back to the raw value); GET /api/orders/{id} only for orders
//     that are new, held by the caller in an unsettled status (not paid,
//     voided or refunded), or listed in another status than the caller
//     holds (ReadOptions.KnownOrders carries the held status), which is how
//     a void or refund made on the till reaches WooCommerce. An order's
//     updated_at does not move on payment, void or refund, so it cannot
//     serve as a watermark. Without Full, discovery stops at the first
//     page (100 orders) holding only known orders listed in their held
//     status and older than ReadOptions.OrdersSince: a void is noticed the
//     next cycle when its order is among the newest 100 orders, or on a
//     page walked because a newer page changed; an older one at the next
//     full listing, which walks every page. On an install whose labels are
//     translated the listed status is not recognised, and voids of settled
//     orders go unnoticed (a warning says so). Orders created before
//     ReadOptions.PastBefore (the first sync's history limit) are
//     discovered but never read in detail nor returned, and discovery ends
//     at them once every known order was seen. Reference is the WooCommerce
//     number parsed from the title ("WC #1234"); product_id 0 lines are
//     LineQuick; paid and partially paid orders have StockReduced (5.3).
//
// A full read of an unchanged shop costs 1 + 1 + ceil(unit rows/1000)
// requests for products, 1 for categories, ceil(customers/1000)+1 (plus one
// per customer without a group) for customers, ceil(payment types/100) for payment methods and the order
// discovery pages; a second read with KnownOrders costs no order details
// unless an order changed.
//
// # Writes
//
// One request per write (plus the reads an update needs), inside the
// budget. SaveProduct creates with the full product form ("variations"
// with the "$primary" entry) built from the product and Defaults; an
// update takes the product row and its unit rows from the last read (the
// cycle's own, younger than ten minutes; dropped once the product is
// updated or a read fails), or else reads both, changes only the given
// canonical fields and sends the form back whole, every unit row included
// (NexoPOS keeps rows absent from the form, and keeps their stock): one
// request after a read, three otherwise. Stock
// is never sent with a product: AdjustStock sends the delta as an "added"
// or "deleted" adjustment, because a "set" equal to the current quantity
// fails in NexoPOS 5.3. Customers go through the CRUD form; orders through
// POST /api/orders with lines keyed by product id and unit quantity id,
// one payment of the order total, and "WC #<number>" as title; PlaceOrder
// also returns the order as placed (from the create answer), so the caller
// holds it as paid without reading it back.
// FindProductBySKU, FindCustomerByEmail, FindCategory and
// FindOrderByReference resolve natural keys exactly (nil, nil when none).
// Bootstrap checks, and on request creates, the configured defaults.
//
// # Errors
//
// Every failure is an *Error with a bounded Kind, found from the status
// and the body's message, since NexoPOS reports most business errors as
// 500 and some refusals as 200 with "status":"error":
//
//	transient     5xx otherwise, malformed JSON, network errors
//	rate_limited  429, or any body "Too Many Attempts."
//	auth          401, redirect to sign-in, 403 missing permission
//	not_found     404, "Unable to find…", unknown id
//	invalid       422, insufficient stock, negative stock (a 403), other business refusals
//	conflict      SKU/barcode "already in use", duplicate e-mail or payment identifier,
//	              several records for one natural key
//
// # Versions
//
// Written for NexoPOS 5.3 (stock moves only when an order becomes paid or
// partially paid; void returns it). 5.0–5.2 deduct at creation for unpaid
// orders too; 6.x adds permission checks on category and unit reads. 4.8
// (prefix /api/nexopos/v4, customers with name/surname, 401 for business
// errors) is not supported.
package nexopos
