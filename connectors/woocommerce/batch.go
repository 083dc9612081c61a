package woocommerce

import (
	"context"
	"encoding/json"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/woonexo/woonexo/snapshot"
)

// Result is the outcome of one write: Index into the input slice, the id of
// the record written (the new id for a create) and its error, if any.
type Result struct {
	Index int
	ID    snapshot.ID
	Err   error
}

// batchOp is the list of a batch body an item goes in.
type batchOp int

const (
	opCreate batchOp = iota
	opUpdate
	opDelete
)

var opNames = [...]string{"create", "update", "delete"}

// batchItem is one write of a batch: body for create/update, id for
// update/delete.
type batchItem struct {
	index int
	op    batchOp
	id    snapshot.ID
	body  map[string]any
}

// batchWrite sends items to <path>/batch in chunks of at most BatchLimit,
// Concurrency chunks at a time, and maps every element of each answer (a
// record or an error object) back to its item's index. A chunk that fails
// as a whole gives its error to each of its items. A chunk with creates is
// not repeated after a failure that may have reached the store.
func (c *Client) batchWrite(ctx context.Context, op, group, path string, items []batchItem, n int) []Result {
	results := make([]Result, n)
	for i := range results {
		results[i].Index = i
	}
	var g errgroup.Group
	g.SetLimit(c.conc)
	for start := 0; start < len(items); start += BatchLimit {
		chunk := items[start:min(start+BatchLimit, len(items))]
		g.Go(func() error {
			c.sendChunk(ctx, op, group, path, chunk, results)
			return nil
		})
	}
	_ = g.Wait()
	return results
}

func (c *Client) sendChunk(ctx context.Context, op, group, path string, chunk []batchItem, results []Result) {
	body := map[string][]any{}
	lists := [3][]batchItem{}
	mode := retrySafe
	for _, it := range chunk {
		lists[it.op] = append(lists[it.op], it)
		switch it.op {
		case opCreate:
			mode = retryUnsent
			body["create"] = append(body["create"], it.body)
		case opUpdate:
			b := map[string]any{"id": idNumber(it.id)}
			for k, v := range it.body {
				b[k] = v
			}
			body["update"] = append(body["update"], b)
		case opDelete:
			body["delete"] = append(body["delete"], idNumber(it.id))
		}
	}
	r, err := c.do(ctx, call{op: op, group: group + "/batch", method: "POST", path: path + "/batch", body: body, mode: mode})
	if err != nil {
		for _, it := range chunk {
			results[it.index] = Result{Index: it.index, ID: it.id, Err: err}
		}
		return
	}
	var answer map[string][]json.RawMessage
	if err := json.Unmarshal(r.body, &answer); err != nil {
		answer = nil // "[]" when nothing was sent, or garbage: every item reports missing
	}
	for o, its := range lists {
		got := answer[opNames[o]]
		for i, it := range its {
			res := Result{Index: it.index, ID: it.id}
			if i >= len(got) {
				res.Err = &Error{Op: op, Kind: KindTransient, Message: fmt.Sprintf("no %s result for item %d in the batch answer", opNames[o], i)}
			} else {
				res.ID, res.Err = batchElement(op, it, got[i])
			}
			results[it.index] = res
		}
	}
}

// batchElement reads one element of a batch answer: the record written, or
// {"id":..,"error":{code,message,data}}.
func batchElement(op string, it batchItem, b json.RawMessage) (snapshot.ID, error) {
	var el struct {
		ID    raw             `json:"id"`
		Error json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(b, &el); err != nil {
		return it.id, &Error{Op: op, Kind: KindTransient, Message: "batch element: " + describeBody(b)}
	}
	if !raw(el.Error).missing() {
		e := errorFromBody(op, 0, el.Error)
		return it.id, e
	}
	id, err := el.ID.id()
	if err != nil || id == "" {
		if it.id != "" {
			return it.id, nil
		}
		return "", &Error{Op: op, Kind: KindTransient, Message: "batch element without id: " + describeBody(b)}
	}
	return id, nil
}

// idNumber sends a decimal id as a JSON number when it is one.
func idNumber(id snapshot.ID) any {
	if n, err := raw(id).integer(); err == nil {
		return n
	}
	return string(id)
}

// failed returns a Result for an item refused before sending.
func failed(i int, id snapshot.ID, op, format string, args ...any) Result {
	return Result{Index: i, ID: id, Err: &Error{Op: op, Kind: KindInvalid, Message: fmt.Sprintf(format, args...)}}
}
