// Package nexosim is a stateful in-memory NexoPOS 5.3 behind a real HTTP
// server on loopback. It stands in for a real NexoPOS in every test above the
// connector, in `reconcile demo`, in benchmarks and in `reconcile simulate`.
// The facts it follows are in specs/nexopos-api.md (NexoPOS 5.3.x).
//
// # Use
//
//	s := nexosim.New(nexosim.Options{})   // production-like: throttle on, APP_DEBUG=false bodies
//	base, err := s.Start()                 // http://127.0.0.1:PORT ; routes under /api
//	defer s.Close()
//	token := s.Token()                     // Sanctum "<id>|<secret>" of the administrator
//	_ = s.Seed("demo")                     // "empty" | "demo" | "N"
//
// Options: NoThrottle (APP_ENV=local), ThrottlePerMinute (80), Debug
// (APP_DEBUG=true bodies: 422 validation, 500 with trace, 429 when
// throttled), Clock (drives timestamps, order codes and throttle windows),
// Latency, Version, Location (store timezone for raw dates; default UTC,
// a real store defaults to Europe/London), Seed (random source).
//
// # Authentication and middleware
//
// Authorization: Bearer <id>|<secret>, checked like Sanctum (row by id, hash
// of the secret; a token without "|" is looked up by hash). Without a valid
// token: 401 {"message":"Unauthenticated."}, or 302 to /sign-in when the
// request does not expect JSON (Accept: application/json, or
// X-Requested-With with Accept */*). Business errors without JSON are HTML
// pages (NotFoundException with status 200). An Origin or Referer naming
// localhost, 127.0.0.1 or the simulator's host makes the request stateful:
// unsafe methods without X-CSRF-TOKEN/X-XSRF-TOKEN get 419
// {"message":"CSRF token mismatch."}.
//
// Throttle: after authentication, 80 requests per minute per user (all of a
// user's tokens share it); a window opens at the first hit and lasts a
// minute; the refused request is not counted. Successful responses carry
// X-RateLimit-Limit/-Remaining. Refusal: Debug → 429 debug body
// {"message":"Too Many Attempts.","exception":…} with Retry-After,
// X-RateLimit-Reset; production → 500
// {"status":"error","message":"Too Many Attempts.","previous":…} without
// rate-limit headers. Unauthenticated requests are never counted.
//
// Error bodies: NotAllowed 403 {"status":"error","data":null,"message"};
// NotFound 404 {"status":"error","message"}; route-model miss 404
// {"message":"No query results for model [App\\Models\\X] N"}; plain
// exceptions 500 {"status":"error","message","previous"} (Debug:
// {"message","exception","file","line","trace"}); validation 500 like a
// plain exception (Debug: 422 {"message","errors"}).
//
// # Routes (prefix /api; counter keys are "METHOD /api/…" with {id})
//
//	GET    /user                              the token's user (probe)
//	GET    /products                          bare array of product rows, no pagination
//	GET    /products/{id}[?as=sku|barcode]    bare row; unknown id/sku 500; unknown barcode 200 empty body
//	GET    /products/{id}/units               all unit rows, each with "unit"
//	GET    /products/{id}/units/quantities    visible unit rows (404 unknown product)
//	GET    /products/{id}/history             stock ledger rows
//	POST   /products                          {name, variations:[{$primary, identification{category_id,sku,barcode,barcode_type,type,status,stock_management,description}, expiracy, taxes{tax_group_id,tax_type}, units{unit_group,accurate_tracking,auto_cogs,selling_group:[{unit_id,sale_price_edit,wholesale_price_edit,…}]}, images, groups}]}
//	                                          → {status,message:"The product has been saved.",data:{product:{…,unit_quantities},editUrl}}
//	PUT    /products/{id}                     same shape, validated; groups+images required; → "The product has been updated"
//	DELETE /products/{id}                     403 when order lines reference it
//	POST   /products/search                   {search, arguments:{col:{comparison,value}}} → ≤5 products with unit_quantities.unit, category, tax_group.taxes
//	POST   /products/adjustments              {products:[{id,name,adjust_action,adjust_quantity,adjust_unit:{unit_id,sale_price}}]} → {status,message,data:[history rows]}
//	GET    /categories[?parent=true], /categories/{id}; POST /categories, PUT /categories/{id} {name,parent_id,description,media_id}; DELETE /categories/{id}
//	GET    /customers, /customers/{id} (with group, billing, shipping); POST /customers/search {search} (≤10); DELETE /customers/{id}
//	GET    /customers-groups; POST /customers-groups {name,description}
//	GET    /units, /units-groups, /units-groups/{id}/units, /taxes, /taxes/groups
//	GET    /orders (all, with customer), /orders/{id} (with customer, payments, billing_address, shipping_address, products.unit, refunded_products)
//	GET    /orders/payments                   payment field definition (active types in options)
//	POST   /orders                            {customer_id, type:{identifier}, products:[{product_id,unit_quantity_id,quantity,unit_price,name,mode} | {name,unit_id|unit_name,quantity,unit_price}], payments:[{identifier,value}], addresses:{billing,shipping}, title, note, shipping, discount_type, discount, discount_percentage, payment_status:"hold", created_at}
//	                                          → {status,message:"The order has been placed.",data:{order:{…row, products, payments, coupons}}}
//	POST   /orders/{id}/payments {identifier,value}; POST /orders/{id}/void {reason}; POST /orders/{id}/refund {payment:{identifier},total,products:[{id(line),quantity,unit_price,condition}]}; DELETE /orders/{id}
//	GET    /crud/{ns}                         paginator {current_page,data,first_page_url,from,last_page,last_page_url,links,next_page_url,path,per_page,prev_page_url,to,total}
//	       ns ∈ ns.products (updated_at desc, formatted), ns.products-units (raw + products_*, units_*; ?product_id=),
//	       ns.orders (id desc, formatted), ns.customers (updated_at desc, formatted), ns.products-categories,
//	       ns.payments-types, ns.units, ns.units-groups, ns.taxes-groups, ns.customers-groups.
//	       Query: page, per_page (default 20, no cap), search (LIKE on every column), queryFilters (JSON; col = value, or {startDate,endDate}), active+direction (customers: every user).
//	POST   /crud/ns.customers, PUT /crud/ns.customers/{id}   tabbed form {first_name, general:{last_name,email,phone,group_id,gender,pobox,credit_limit_amount,birth_date}, billing:{…}, shipping:{…}}
//	POST   /crud/ns.payments-types, PUT …/{id}               {label, general:{identifier,active,priority,description}}
//	POST   /crud/ns.units | ns.units-groups | ns.taxes-groups | ns.taxes | ns.customers-groups | ns.products-categories
//	DELETE /crud/ns.customers/{id}, ns.payments-types/{id}, ns.orders/{id}, ns.products/{id}
//
// # Behaviour (5.3)
//
// Prices and stock live in unit rows; create sets quantity 0 and update never
// touches quantities; rows absent from an update are kept. Inclusive tax
// carves the tax out of sale_price_edit, exclusive adds it. A product's
// updated_at moves only when a product column changes; stock moves and price
// changes never move it. Stock moves only when an order becomes paid or
// partially_paid ("sold" per line, once); void returns stock when the previous
// status was paid/unpaid/partially_paid; delete returns it unless voided
// (voided orders keep their lines, so their products stay undeletable).
// Payments and void never move an order's updated_at. Order codes are
// YYMMDD-NNN per store-local day. A `set` adjustment equal to the current
// quantity fails with 500 "Undefined variable $adjustQuantity".
// 6.x differences not simulated: GET /api/crud/{ns}/{id}, permission
// middleware on reads; 4.8 (prefix /api/nexopos/v4, 401 for everything) is not
// simulated.
//
// # Faults
//
// SetFaults([]Fault) or ParseFaults(spec). Grammar:
//
//	spec   = fault { "," fault }
//	fault  = route ":" method ":" action { modifier }
//	route  = "*" | group | "crud" | "/api/pattern"   group: products, orders, customers, categories, user, ns.products, …
//	method = "*" | GET | POST | PUT | DELETE
//	action = "429" [ "/" duration ]     429 with Retry-After (default 1s)
//	       | "500" | "502" | "503" | …   status with a generic body
//	       | "slow/" duration            latency spike, then served
//	       | "hang" | "reset"            no answer / connection reset
//	       | "truncate" | "malformed"    body cut in half / PHP warning before the JSON
//	       | "throttle"                  production 500 "Too Many Attempts."
//	       | "stock" | "sku" | "barcode" business 500s (not enough stock, SKU/barcode in use)
//	       | "401"                       Unauthenticated.
//	modifier = "x" count | "x*" | "@" nth | "%" percent
//
// Example: "products:GET:429x3,orders:POST:reset@2" answers the first three
// GETs of product routes with 429 and resets the second order POST.
// Probabilities use the seeded random source. Counters() counts every
// request per "METHOD /pattern"; Requests() lists them.
//
// # Not simulated
//
// Variable products and variations, grouped products, procurements,
// coupons, instalments, registers, permissions (every token acts as an
// administrator), order PUT, customer account history, the settings and
// form-config APIs, token minting routes. Money is stored as float64 rounded
// to five places, as NexoPOS' float(18,5) columns hold it. Checked against
// the 5.3 source: an unknown order on GET /api/orders/{id} is a route-model
// 404; refunds refuse only a bad status or condition (no quantity check, a
// refunded line is "returned", the status comes from refreshOrder); a second
// void succeeds; a customer with orders gets NsDependable's nameless
// refusal after its addresses are deleted. The duplicate-unit message of
// selling_group and the joined columns of ns.products-units rows are
// approximations.
package nexosim
