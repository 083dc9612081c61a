package woocommerce

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// Customers have no modified_after filter. Between full listings a read
// takes, instead of every page, the customers registered since the cursor
// (newest first, usually one page) and the customers the orders read this
// time refer to (include=, 100 a request): new accounts and the customers
// who just ordered, whose addresses are the likeliest to have changed.
// Such a read is never Complete: only a full listing confirms deletions.

// readRecentCustomers lists customers newest first (orderby=id desc) until
// a page reaches one registered before since.
func (c *Client) readRecentCustomers(ctx context.Context, since time.Time) (snapshot.Snapshot, error) {
	var out snapshot.Snapshot
	const op = "list new customers"
	for page := 1; ; page++ {
		q := url.Values{"_fields": {customerFields + ",date_created_gmt"}, "role": {"all"}, "orderby": {"id"},
			"order": {"desc"}, "per_page": {strconv.Itoa(PageSize)}, "page": {strconv.Itoa(page)}}
		r, err := c.do(ctx, call{op: op, group: "customers", method: "GET", path: "/customers", query: q})
		if err != nil {
			return out, err
		}
		items, err := decodeArray(op, r.body)
		if err != nil {
			return out, err
		}
		reached := false
		for _, it := range dedupe(items) {
			decodeInto(&out, snapshot.KindCustomer, it)
			reached = reached || registeredBefore(it, since)
		}
		if reached || len(items) < PageSize || page >= headerInt(r.header.Get("X-WP-TotalPages")) {
			return out, nil
		}
	}
}

// registeredBefore reports whether a customer item was registered before
// t; an item without a readable date counts as older (it ends the walk).
func registeredBefore(item []byte, t time.Time) bool {
	var v struct {
		Created raw `json:"date_created_gmt"`
	}
	if json.Unmarshal(item, &v) != nil {
		return true
	}
	at, err := v.Created.time()
	return err != nil || at.IsZero() || at.Before(t)
}

// readCustomersByID reads the given customers (include=, 100 a request,
// concurrently). Ids that are gone are simply absent.
func (c *Client) readCustomersByID(ctx context.Context, ids []snapshot.ID) (snapshot.Snapshot, error) {
	var out snapshot.Snapshot
	for chunk := range slices.Chunk(ids, PageSize) {
		parts := make([]string, len(chunk))
		for i, id := range chunk {
			parts[i] = string(id)
		}
		l := listing{op: "read customers", group: "customers", path: "/customers", paged: true, query: url.Values{
			"_fields": {customerFields}, "role": {"all"}, "include": {strings.Join(parts, ",")}}}
		items, err := c.list(ctx, l)
		if err != nil {
			return out, err
		}
		for _, it := range items {
			decodeInto(&out, snapshot.KindCustomer, it)
		}
	}
	return out, nil
}

// orderCustomers returns the registered customers the orders refer to
// that are not among have.
func orderCustomers(orders []snapshot.Order, have []snapshot.Customer) []snapshot.ID {
	got := make(map[snapshot.ID]bool, len(have))
	for _, h := range have {
		got[h.ID] = true
	}
	var ids []snapshot.ID
	for _, o := range orders {
		if id := o.CustomerID; id != "" && id != "0" && !got[id] {
			got[id] = true
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b snapshot.ID) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(string(a), string(b))
	})
	return ids
}
