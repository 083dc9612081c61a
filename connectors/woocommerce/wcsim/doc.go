// Package wcsim is a stateful, in-memory WooCommerce 7.8.2 store (REST
// namespace wc/v3) behind a real HTTP server on loopback. Every test above
// the WooCommerce connector, "reconcile demo", the benchmarks and
// "reconcile simulate" talk to it exactly as they would talk to a shop.
//
// # What is simulated
//
// The behaviour was taken from the WooCommerce source and checked against
// recorded responses of a real 7.8.2 store (shared/fixtures); a test
// replays each recorded request and compares status, field names and JSON
// types.
//
//   - Authentication. With Options.HTTPS the store serves TLS and accepts
//     consumer_key/consumer_secret query parameters (first) or HTTP Basic.
//     On plain HTTP only one-legged OAuth 1.0a (HMAC-SHA1 or HMAC-SHA256,
//     query or Authorization header, ±15 min timestamp, nonces remembered
//     per key) authenticates, unless Options.AllowBasicOverHTTP. An unknown
//     key is anonymous (401 woocommerce_rest_cannot_view/_create/...), a
//     wrong secret is 401 woocommerce_rest_authentication_error "Consumer
//     secret is invalid." (no WWW-Authenticate), a read key writing is 401
//     woocommerce_rest_authentication_error "... does not have write
//     permissions.". The indexes GET /wp-json/ and GET /wp-json/wc/v3 need
//     no key.
//   - Lists: page, per_page (1–100, else 400 rest_invalid_param), offset,
//     include, exclude, orderby/order with each resource's defaults,
//     search, status, sku (csv, exact), type, category, slug, stock_status,
//     after/before/modified_after/modified_before (strict, whole seconds,
//     dates_are_gmt with WordPress' zone quirk), _fields (top level and
//     dotted paths; lists drop _links unless named), customers role
//     (default customer, "all") and email; X-WP-Total, X-WP-TotalPages and
//     a Link header with rel="prev"/"next" only, repeating the query; []
//     past the last page.
//   - Products: the 7.8.2 field set and types; prices kept verbatim as
//     strings (a comma is a thousands separator and dropped); price and
//     on_sale derived; validate_props stock rules (stock_quantity null
//     without manage_stock, stock_status recomputed with it, fractional
//     quantities rejected, negative allowed, inventory_delta);
//     date_modified bumped on every save; SKU unique among non-trashed
//     products (400 product_invalid_sku with resource_id and unique_sku),
//     while creating with a trashed product's SKU succeeds as on 7.8.2;
//     trash, restore by status, force delete, 410 on a second trash, 404 on
//     GET/DELETE and 400 on update of unknown ids; delete answers the
//     object as it was before.
//   - Categories: a tree of any size and depth, term_exists (same name,
//     case-insensitive, same parent, with resource_id), unique slugs,
//     duplicate_term_slug (500) on update, count of published products,
//     force required (501), default category undeletable (500).
//   - Customers: users with roles (an administrator exists as user 1;
//     SetUserRole adds more), email/username errors as on 7.8.2 including
//     an administrator's email, username immutable, force required, orders
//     of a deleted customer become guest orders.
//   - Orders: the create flow (save pending, status, set_paid →
//     payment_complete; cod → completed), date_paid/date_completed, stock
//     reduced once per order on processing/completed/on-hold (item meta
//     _reduced_stock and an order flag) and restored on cancelled/pending,
//     never on refunded/failed/trash; line items by product_id, sku or
//     variation_id with totals from the catalogue price, unknown products
//     kept as product_id 0, a line without any product reference refused;
//     shipping and fee lines; meta_data; notes (status and stock notes are
//     added; notes never bump date_modified); an order PUT that changes
//     nothing keeps date_modified.
//   - Batch endpoints for products, categories, customers and orders:
//     creates, then updates, then forced deletes; more than 100 items is
//     413 with nothing done; per-item error objects inside a 200.
//   - payment_gateways (bacs, cheque, cod; "order" is ""), shipping_methods
//     (flat_rate, free_shipping, local_pickup), system_status
//     (environment.version, settings.currency, settings.number_of_decimals).
//   - Method override with ?_method= or X-HTTP-Method-Override; HEAD.
//
// # Faults
//
// SetFaults installs faults for a test; ParseFaults reads the text of the
// --faults flag, comma-separated faults of the form
//
//	route ":" [method ":"] action ["x" count] ["@" nth] [":" probability]
//
// route is "*", a group (products, categories, customers, orders,
// payment_gateways, shipping_methods, system_status, index), "batch" (any
// batch route) or a counter pattern ("/wc/v3/products/{id}"). method is an
// HTTP method or "*" (default any). action is one of
//
//	429[=SECONDS]   answer 429 with Retry-After (default 1 s), nothing done
//	500, 502, 503[=SECONDS]  answer that status (500 as WordPress' fatal-error JSON,
//	                502/503 as a proxy's HTML page), nothing done
//	latency=DUR     wait DUR, then serve normally
//	hang            never answer (nothing done) until the client gives up
//	reset           do the work, then close the connection without an answer
//	truncate        do the work, send only half of the body
//	malformed       do the work, send a PHP notice before the JSON
//	item_error      batch items fail with {"id","error":{code db_update_error,status 500}}
//
// "x3" fires on the first three matching requests, "@2" only on the second,
// and a probability fires at random with the seed of Options.FaultSeed (for
// item_error the probability applies to each item). Examples:
// "products:GET:429x3", "orders:POST:reset@2", "batch:item_error:0.1".
//
// # Counters
//
// Counters counts requests per "METHOD /wc/v3/route" with ids as {id}
// ("GET /wc/v3/products", "PUT /wc/v3/products/{id}",
// "POST /wc/v3/products/batch"; the indexes are "GET /" and "GET /wc/v3"),
// faulted requests included.
//
// # Not simulated
//
// Variations (and the "parent" manage_stock), grouped/external product
// links, tags, attributes, images, coupons, taxes (every tax is 0), refunds
// (refunds is always []), webhooks, HPOS, the REST SKU lookup lock of WC
// 9.2+, order line item stock adjustment after payment (7.8.2 does none
// either), customer passwords and downloads, the equal-timestamp paging
// instability of orderby=date, kses filtering, HTML entities in names,
// description rendering beyond wrapping plain text in a paragraph,
// scheduled sales, and the namespace index lists routes without their
// arguments. Product slugs are made unique on create only. _fields writes
// the kept members in name order (WordPress keeps the record's order, "id"
// first) and a dotted path into a null member gives [] (WordPress: null).
package wcsim
