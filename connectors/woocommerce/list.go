package woocommerce

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
)

// listing describes one paged collection read.
type listing struct {
	op, group, path string
	query           url.Values // filters; paging parameters are added
	paged           bool       // false for unpaginated routes (gateways)
}

// list reads every page of a collection with the fewest requests:
// per_page=100 in id order; the first page's X-WP-TotalPages tells how many
// more there are, and those are fetched concurrently (at most Concurrency at
// once). Items are returned in id order, each id once, even when pages
// overlap or repeat (records created or deleted while paging).
func (c *Client) list(ctx context.Context, l listing) ([]json.RawMessage, error) {
	items, _, err := listDecoded[struct{}](ctx, c, l, nil)
	return items, err
}

// listDecoded is list that also decodes each page with decode as soon as
// it arrives, while the other requests are still waiting; decs[i] is
// decode(items[i]). decode nil decodes nothing.
func listDecoded[T any](ctx context.Context, c *Client, l listing, decode func([]byte) T) (items []json.RawMessage, decs []T, err error) {
	q := url.Values{}
	for k, v := range l.query {
		q[k] = v
	}
	decodeAll := func(items []json.RawMessage) []T {
		if decode == nil {
			return nil
		}
		out := make([]T, len(items))
		for i, it := range items {
			out[i] = decode(it)
		}
		return out
	}
	if !l.paged {
		r, err := c.do(ctx, call{op: l.op, group: l.group, method: "GET", path: l.path, query: q})
		if err != nil {
			return nil, nil, err
		}
		items, err := decodeArray(l.op, r.body)
		if err != nil {
			return nil, nil, err
		}
		return items, decodeAll(items), nil
	}
	q.Set("per_page", strconv.Itoa(PageSize))
	q.Set("orderby", "id")
	q.Set("order", "asc")
	page := func(ctx context.Context, n int) (*reply, []json.RawMessage, []T, error) {
		pq := url.Values{}
		for k, v := range q {
			pq[k] = v
		}
		pq.Set("page", strconv.Itoa(n))
		r, err := c.do(ctx, call{op: l.op, group: l.group, method: "GET", path: l.path, query: pq})
		if err != nil {
			return nil, nil, nil, err
		}
		items, err := decodeArray(l.op, r.body)
		if err != nil {
			return nil, nil, nil, err
		}
		return r, items, decodeAll(items), nil
	}
	first, items, decs, err := page(ctx, 1)
	if err != nil {
		return nil, nil, err
	}
	pages := headerInt(first.header.Get("X-WP-TotalPages"))
	total := headerInt(first.header.Get("X-WP-Total"))
	if pages > 1 {
		rest := make([][]json.RawMessage, pages+1)
		restDecs := make([][]T, pages+1)
		rest[1], restDecs[1] = items, decs
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(c.conc)
		for n := 2; n <= pages; n++ {
			g.Go(func() error {
				_, items, decs, err := page(gctx, n)
				rest[n], restDecs[n] = items, decs
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return nil, nil, err
		}
		items, decs = nil, nil
		for n, p := range rest {
			items = append(items, p...)
			decs = append(decs, restDecs[n]...)
		}
	}
	keep := firstOfEachID(items)
	items = pick(items, keep)
	if decode != nil {
		decs = pick(decs, keep)
	}
	if items, err = notShort(l.op, items, total); err != nil {
		return nil, nil, err
	}
	return items, decs, nil
}

// notShort fails a listing holding fewer distinct records than the first
// page announced (a page repeated or skipped, records deleted while
// paging): the missing records would otherwise look deleted.
func notShort(op string, items []json.RawMessage, total int) ([]json.RawMessage, error) {
	if len(items) < total {
		return nil, &Error{Op: op, Kind: KindTransient,
			Message: "listing short: " + strconv.Itoa(len(items)) + " distinct records of " + strconv.Itoa(total) + " announced"}
	}
	return items, nil
}

func headerInt(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// decodeArray splits a list body into its items, each a slice of body.
func decodeArray(op string, body []byte) ([]json.RawMessage, error) {
	items, ok := splitArray(body)
	if !ok {
		return nil, &Error{Op: op, Kind: KindTransient, Message: "list body is not a JSON array: " + describeBody(body)}
	}
	return items, nil
}

// splitArray returns the elements of a JSON array as slices of b, as
// json.Unmarshal into []json.RawMessage would give them, without copying
// or decoding them; false when b is not a valid JSON array.
func splitArray(b []byte) ([]json.RawMessage, bool) {
	if !json.Valid(b) {
		return nil, false
	}
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return nil, false
	}
	items := []json.RawMessage{}
	if i = skipSpace(b, i+1); b[i] == ']' {
		return items, true
	}
	for {
		end := skipValue(b, i)
		items = append(items, b[i:end:end])
		i = skipSpace(b, end)
		if b[i] == ']' {
			return items, true
		}
		i = skipSpace(b, i+1) // past the comma
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the value starting at b[i] in
// valid JSON.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		for j := i + 1; ; j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
	case '{', '[':
		depth := 0
		for j := i; ; j++ {
			switch b[j] {
			case '"':
				j = skipValue(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	return j
}

// dedupe keeps the first occurrence of each id; items without a readable
// id are kept (they become held records).
func dedupe(items []json.RawMessage) []json.RawMessage { return pick(items, firstOfEachID(items)) }

// firstOfEachID returns the indexes of the items dedupe keeps.
func firstOfEachID(items []json.RawMessage) []int {
	seen := make(map[string]bool, len(items))
	keep := make([]int, 0, len(items))
	for i, it := range items {
		if id, ok := itemID(it); ok {
			if seen[id] {
				continue
			}
			seen[id] = true
		}
		keep = append(keep, i)
	}
	return keep
}

func pick[T any](s []T, keep []int) []T {
	out := make([]T, 0, len(keep))
	for _, i := range keep {
		out = append(out, s[i])
	}
	return out
}

// itemID reads an item's id as decoding it into a struct with an "id"
// field would: from the leading `{"id":123` WooCommerce writes, else from
// the last member whose name folds to "id".
func itemID(it []byte) (string, bool) {
	const lead = `{"id":`
	if len(it) > len(lead) && string(it[:len(lead)]) == lead {
		n := len(lead)
		for n < len(it) && it[n] >= '0' && it[n] <= '9' {
			n++
		}
		if n > len(lead) && n < len(it) && (it[n] == ',' || it[n] == '}') {
			return string(it[len(lead):n]), true
		}
	}
	v, ok := idMember(it)
	if !ok || v.missing() {
		return "", false
	}
	id, err := v.text()
	return id, err == nil
}

// idMember returns the value of the last member of the valid JSON object
// it named "id" in any letter case; ok is false when it is not an object.
func idMember(it []byte) (v raw, ok bool) {
	i := skipSpace(it, 0)
	if i >= len(it) || it[i] != '{' {
		return nil, false
	}
	if i = skipSpace(it, i+1); it[i] == '}' {
		return nil, true
	}
	for {
		kend := skipValue(it, i)
		key := it[i:kend]
		i = skipSpace(it, skipSpace(it, kend)+1) // past the colon
		vend := skipValue(it, i)
		if isIDKey(key) {
			v = raw(it[i:vend])
		}
		i = skipSpace(it, vend)
		if it[i] == '}' {
			return v, true
		}
		i = skipSpace(it, i+1) // past the comma
	}
}

// isIDKey reports whether an encoded member name is "id" once unquoted,
// ignoring case (only ASCII letters fold to "i" and "d").
func isIDKey(key []byte) bool {
	if bytes.IndexByte(key, '\\') < 0 {
		return len(key) == 4 && strings.EqualFold(string(key[1:3]), "id")
	}
	var s string
	return json.Unmarshal(key, &s) == nil && strings.EqualFold(s, "id")
}

// modifiedAfter formats a cursor for WooCommerce: naive UTC, to be sent
// with dates_are_gmt=true (a "Z" would be shifted by the site offset).
func modifiedAfter(t time.Time) string { return t.UTC().Format(gmtLayout) }
