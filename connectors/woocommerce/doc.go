// Package woocommerce is woonexo's client for the WooCommerce REST API
// (wc/v3, WooCommerce 5.8 or newer; older stores work with full listings).
// It reads a store into canonical snapshot records with as few requests as
// the API allows, writes changes back in batches, and reports every failure
// as an *Error with a bounded kind. Its simulator lives in the wcsim
// subpackage, which this package never imports.
//
// # Authentication
//
// Over HTTPS the consumer key and secret go in HTTP Basic auth, with TLS
// verification always on (CAFile adds a root for a self-signed store). Keys
// are never put in the query string: WooCommerce copies query parameters
// into its pagination Link headers, and proxies log them. Plain HTTP is
// refused except to a loopback host with AllowPlainHTTPLoopback, and then
// every request is signed with OAuth 1.0a one-legged (HMAC-SHA256, in the
// Authorization header), the only key auth WooCommerce accepts without
// TLS. The signature base string is WooCommerce's own: method, the
// encoded URL, and the sorted key=value pairs, each key and value RFC
// 3986-encoded twice as in RFC 5849. No error, log line or logged URL ever
// contains the secret.
//
// # Reading
//
// Lists are read with per_page=100 and orderby=id&order=asc (the default
// date order skips and repeats rows that share a timestamp). The first page
// tells the total through X-WP-TotalPages; the remaining pages are then
// fetched concurrently, Concurrency (default 4) at a time, and records are
// de-duplicated by id should pages overlap. Each kind is narrowed with
// _fields to what its canonical record needs, and products and categories
// are read with context=edit so that descriptions come back unrendered.
// A full snapshot of 10,000 products is therefore 100 requests.
//
// ReadSnapshot reads its kinds concurrently. Products and orders are read
// incrementally when the caller passes a cursor: modified_after = cursor
// minus Overlap (default 10 minutes), as naive UTC with dates_are_gmt=true;
// an unchanged store costs one request per such kind. Categories,
// customers (role=all, so administrators are seen) and payment gateways
// have no date filter and are always listed in full. Only full listings are
// marked Complete, and only they may reveal deletions; a kind that failed
// is named in Snapshot.Failed. Check reads the version, currency and price
// precision from system_status; below 5.8 it warns and every later read
// lists everything.
//
// Decoding is tolerant: numbers may come as strings, manage_stock may be
// "parent", fields may be null, missing or of an unexpected type. A record
// that cannot be used (a price such as "1,50", an unknown product status,
// a variable product) becomes a snapshot.Held with its id and a reason
// naming the field and value — never silently dropped, which would look
// like a deletion. Unknown order statuses become snapshot.OrderOther with
// RawStatus kept.
//
// # Writing
//
// Writes go through the batch endpoints, at most 100 items per request,
// Concurrency requests at a time, so 10,000 stock updates are 100
// requests. Bodies are minimal: a create carries every canonical field, an
// update only the fields named as changed. Each element of a batch answer
// (the record, or an error object inside the HTTP 200) is mapped back to
// the Index of its input; a failure of the whole request is given to every
// item it carried. Deleting products and orders moves them to the trash
// (one DELETE each, since batch deletes are permanent); categories and
// customers are deleted for good.
//
// # Errors and retries
//
// Every failure is an *Error whose Kind is one of transient (5xx, timeouts,
// resets, malformed JSON), rate_limited (429, Retry-After kept), auth
// (401/403), not_found (404/410), invalid (other 400s) and conflict (400s
// meaning "already exists": duplicate SKU, category name, e-mail or
// username, with ResourceID naming the existing record). Reads, updates and
// deletes are retried with exponential backoff on transient and
// rate_limited errors, waiting at least Retry-After. A request that may
// create records is never repeated once it may have reached the store
// (WooCommerce has no idempotency keys): only a 429 or a refused connection
// is retried, and otherwise the error goes back per item so the caller's
// journal can look the record up (FindProductBySKU, FindCustomerByEmail,
// FindCategory, FindOrderByReference) before trying again.
package woocommerce
