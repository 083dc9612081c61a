// Package snapshot holds woonexo's canonical records: the one shape that a
// WooCommerce product and a NexoPOS product (and every other kind) take once
// read, so that the two sides can be compared field by field.
//
// # Records
//
// Category, Product, Customer, Order and PaymentMethod carry side-local ids
// (ID) and the values both systems share. A Snapshot is everything read from
// one side in one cycle, with the kinds whose listing was complete (only
// those may reveal deletions) and the records that had to be held.
//
// # Canonical form
//
// Each record's Fields method returns its comparable fields as canonical
// text: trimmed text with LF line ends, lower-cased e-mails, money as exact
// decimals rounded to the store's precision (Form), reference sets sorted.
// Diff names the fields that differ; Hash is a stable content hash. Money
// and stock are Decimal, an exact fixed-point number: never a float.
//
// Stock is deliberately not a field: NexoPOS decides stock, so it is never
// compared three ways.
//
// This package uses the standard library only; everything else in woonexo
// may import it.
package snapshot
