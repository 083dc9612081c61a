package reconcile

import (
	"maps"

	"github.com/woonexo/woonexo/snapshot"
)

// Drift counts, per "kind/side", the records that still differ after the
// cycle, by the side that has not received the change yet: planned ops that
// did not succeed (failed, skipped, or never reached), records held on the
// other side, unlinked records of an ambiguous key on the other side, and
// deletions refused by a safety check. A clean cycle has no drift.
func (r *Report) Drift() map[string]int {
	drift := map[string]int{}
	add := func(kind snapshot.Kind, side snapshot.Side, n int) {
		if n > 0 {
			drift[string(kind)+"/"+string(side)] += n
		}
	}
	done := make(map[int]OpResult, len(r.Results))
	for _, res := range r.Results {
		if res.Status == StatusDone && res.Seq > 0 {
			done[res.Seq] = res
		}
	}
	for _, op := range r.Plan.Ops {
		res, ok := done[op.Seq]
		if !ok || res.Kind != op.Kind || res.Target != op.Target || res.Action != string(op.Action) {
			add(op.Kind, op.Target, 1)
		}
	}
	for _, h := range r.Plan.Held {
		add(h.Kind, otherSide(h.Side), 1)
	}
	for _, a := range r.Plan.Ambiguities {
		add(a.Kind, otherSide(a.Side), len(a.IDs))
	}
	for _, f := range r.Plan.Refusals {
		if f.Side != "" {
			add(f.Kind, f.Side, f.Count)
		}
	}
	return drift
}

func otherSide(s snapshot.Side) snapshot.Side {
	if s == snapshot.WooCommerce {
		return snapshot.NexoPOS
	}
	return snapshot.WooCommerce
}

// requestsSince returns, per system, the requests counted by count since
// before was taken (nil when count is nil).
func requestsSince(count func() map[string]int, before map[string]int) map[string]int {
	if count == nil {
		return nil
	}
	out := maps.Clone(count())
	for k, v := range before {
		out[k] -= v
		if out[k] <= 0 {
			delete(out, k)
		}
	}
	return out
}
