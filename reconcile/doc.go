// Package reconcile runs woonexo's cycle: it keeps a WooCommerce store and
// a NexoPOS point of sale in agreement by polling both.
//
// # The cycle
//
//  1. Journal: creates an earlier run sent without learning their outcome
//     are looked up on their target by natural key; a record found is
//     adopted (linked), one not found is planned again. If the lookup
//     itself fails the cycle stops: planning now could create a twin.
//  2. Snapshot both sides concurrently (incremental where the API allows,
//     full listings on the first run and when asked), merged into what the
//     state file holds and persisted with the read cursors.
//  3. Link, diff and check safety: the pure engine in package threeway
//     turns both snapshots, the links and the baselines into a Plan.
//  4. Apply in dependency order: payment types, categories (parents first),
//     products, customers, orders both ways, stock last from a fresh
//     NexoPOS read. Writes of one kind and action go together (WooCommerce
//     batches of up to 100); every create is journaled before it is sent;
//     each batch's links, baselines and journal outcomes are stored in one
//     transaction. A failed write leaves its baseline as it was and is
//     retried next cycle; one bad record never stops the others; an op
//     whose dependency failed is skipped.
//  5. Record the cycle (outcome, writes, errors), conflicts and held
//     records.
//
// The decision table of the three-way rule is documented in threeway.
//
// reconcile declares the small interfaces it consumes (System, Writer,
// Finder, StockReader, State); cmd/reconcile wires the connectors' clients
// and the state file to them.
package reconcile
