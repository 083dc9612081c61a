package threeway

import (
	"slices"

	"github.com/woonexo/woonexo/snapshot"
)

// keyed is one record under a natural key.
type keyed struct {
	id     snapshot.ID
	linked bool
}

// candidates returns the positions of side's records of kind to consider
// for linking and creating: all of them, or those named in Changed.
func (b *builder) candidates(side snapshot.Side, kind snapshot.Kind) []int {
	key := candKey{side, kind}
	if prev, ok := b.cands[key]; ok {
		// computed before this plan's links: drop the records linked since
		out := make([]int, 0, len(prev))
		for _, pos := range prev {
			if _, linked := b.twin(kind, side, b.idAt(side, kind, pos)); !linked {
				out = append(out, pos)
			}
		}
		return out
	}
	out := b.freshCandidates(side, kind)
	b.cands[key] = out
	return out
}

// candKey names one side and kind's list of candidates.
type candKey struct {
	side snapshot.Side
	kind snapshot.Kind
}

func (b *builder) freshCandidates(side snapshot.Side, kind snapshot.Kind) []int {
	if b.in.Changed == nil {
		n := b.count(side, kind)
		if linked, count := b.linkedPositions(side, kind, n); linked != nil {
			out := make([]int, 0, n-count)
			for i, l := range linked {
				if !l {
					out = append(out, i)
				}
			}
			return out
		}
		out := make([]int, 0, n)
		for i := 0; i < n; i++ {
			if _, linked := b.twin(kind, side, b.idAt(side, kind, i)); !linked {
				out = append(out, i)
			}
		}
		return out
	}
	key := candKey{side, kind}
	ids := b.in.Changed.Woo[kind]
	if side == snapshot.NexoPOS {
		ids = b.in.Changed.Nexo[kind]
	}
	var out []int
	var twins []pair // the changed ids linked before this plan, for freshPairs
	for _, id := range ids {
		if t, linked := b.twin(kind, side, id); linked {
			if side == snapshot.WooCommerce {
				twins = append(twins, pair{id, t})
			} else {
				twins = append(twins, pair{t, id})
			}
			continue
		}
		if pos, ok := b.find(side, kind, id); ok {
			out = append(out, pos)
		}
	}
	if len(b.newW2N[kind]) == 0 { // no link of this plan yet: twins came from the index alone
		b.changedTwins[key] = twins
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// linkedPositions marks the positions of side's n records of kind that a
// stored link names, from the placed stored links, and counts them. It
// returns nil when that is not the same as asking twin: when an id is
// listed twice or this plan already made links of kind.
func (b *builder) linkedPositions(side snapshot.Side, kind snapshot.Kind, n int) ([]bool, int) {
	if b.sideIdx(side).of(kind).len() != n || len(b.newW2N[kind]) > 0 {
		return nil, 0
	}
	linked := make([]bool, n)
	count := 0
	for _, at := range b.storedPlaces(kind) {
		pos, found := at.wpos, at.wfound
		if side == snapshot.NexoPOS {
			pos, found = at.npos, at.nfound
		}
		if found && !linked[pos] {
			linked[pos] = true
			count++
		}
	}
	return linked, count
}

// keysOf indexes every live record of side and kind by natural key.
func (b *builder) keysOf(side snapshot.Side, kind snapshot.Kind) map[string][]keyed {
	n := b.count(side, kind)
	out := make(map[string][]keyed)
	for i := 0; i < n; i++ {
		id := b.idAt(side, kind, i)
		if _, ok := b.live(side, kind, id); !ok {
			continue
		}
		k := b.keyAt(side, kind, i)
		if k == "" {
			continue
		}
		_, linked := b.twin(kind, side, id)
		out[k] = append(out[k], keyed{id: id, linked: linked})
	}
	return out
}

// link pairs unlinked records of kind by natural key. A key held by more
// than one record of a side, or already held by a linked record, is an
// ambiguity: its unlinked records are neither linked nor created.
func (b *builder) link(kind snapshot.Kind) {
	wc := b.candidates(snapshot.WooCommerce, kind)
	nc := b.candidates(snapshot.NexoPOS, kind)
	if len(wc) == 0 && len(nc) == 0 {
		return
	}
	wk := b.keysOf(snapshot.WooCommerce, kind)
	nk := b.keysOf(snapshot.NexoPOS, kind)
	keys := map[string]bool{}
	for _, pos := range wc {
		if k := b.keyAt(snapshot.WooCommerce, kind, pos); k != "" {
			keys[k] = true
		}
	}
	for _, pos := range nc {
		if k := b.keyAt(snapshot.NexoPOS, kind, pos); k != "" {
			keys[k] = true
		}
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	// parents before children: a path sorts before its extensions
	slices.Sort(sorted)
	for _, k := range sorted {
		b.linkKey(kind, k, wk[k], nk[k])
	}
}

func (b *builder) linkKey(kind snapshot.Kind, key string, w, n []keyed) {
	unlinked := func(rs []keyed) []snapshot.ID {
		var ids []snapshot.ID
		for _, r := range rs {
			if !r.linked {
				ids = append(ids, r.id)
			}
		}
		return ids
	}
	wu, nu := unlinked(w), unlinked(n)
	if len(wu) == 0 && len(nu) == 0 {
		return
	}
	if len(w) == 1 && len(n) == 1 && len(wu) == 1 && len(nu) == 1 {
		b.addLink(kind, wu[0], nu[0])
		return
	}
	if len(w) <= 1 && len(n) == 0 || len(n) <= 1 && len(w) == 0 {
		return // nothing to pair with: a creation candidate
	}
	report := func(side snapshot.Side, rs []keyed) {
		if len(rs) == 0 {
			return
		}
		ids := make([]snapshot.ID, len(rs))
		for i, r := range rs {
			ids[i] = r.id
		}
		slices.SortFunc(ids, compareID)
		b.plan.Ambiguities = append(b.plan.Ambiguities, Ambiguity{Kind: kind, Side: side, Key: key, IDs: ids})
	}
	switch {
	case len(w) > 1 || len(n) > 1:
		if len(w) > 1 {
			report(snapshot.WooCommerce, w)
		}
		if len(n) > 1 {
			report(snapshot.NexoPOS, n)
		}
	case len(wu) == 1: // the NexoPOS holder of the key is linked elsewhere
		report(snapshot.NexoPOS, n)
	default:
		report(snapshot.WooCommerce, w)
	}
	for _, id := range wu {
		b.block(snapshot.WooCommerce, kind, id)
	}
	for _, id := range nu {
		b.block(snapshot.NexoPOS, kind, id)
	}
}
