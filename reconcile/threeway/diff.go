package threeway

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// pair is a linked WooCommerce and NexoPOS id.
type pair struct{ woo, nexo snapshot.ID }

// pairs returns the linked pairs of kind to diff: every link, or those
// whose ids Changed names, plus the links this plan made.
// It is called once linking is done; the list is kept for later callers,
// who must not modify it.
func (b *builder) pairs(kind snapshot.Kind) []pair {
	if out, ok := b.pairCache[kind]; ok {
		return out
	}
	out := b.freshPairs(kind)
	b.pairCache[kind] = slices.Clip(out)
	return b.pairCache[kind]
}

func (b *builder) freshPairs(kind snapshot.Kind) []pair {
	var out []pair
	if b.in.Changed == nil {
		out = slices.Clip(b.storedPairs(kind)) // appending below copies it
	} else {
		wids, nids := b.in.Changed.Woo[kind], b.in.Changed.Nexo[kind]
		out = make([]pair, 0, len(wids)+len(nids))
		seen := make(map[pair]struct{}, len(wids)+len(nids))
		for _, side := range []snapshot.Side{snapshot.WooCommerce, snapshot.NexoPOS} {
			for _, p := range b.linkedChanged(side, kind) {
				out = appendNew(out, seen, p)
			}
		}
	}
	for _, l := range b.plan.Links {
		if l.Kind == kind {
			out = append(out, pair{l.Woo, l.Nexo})
		}
	}
	return out
}

// linkedChanged returns the pairs of the ids Changed names on side that
// were linked before this plan, in Changed's order: as freshCandidates
// found them, or looked up again.
func (b *builder) linkedChanged(side snapshot.Side, kind snapshot.Kind) []pair {
	if twins, ok := b.changedTwins[candKey{side, kind}]; ok {
		return twins
	}
	var out []pair
	if side == snapshot.WooCommerce {
		for _, id := range b.in.Changed.Woo[kind] {
			if n, ok := b.idx.twin(kind, snapshot.WooCommerce, id); ok {
				out = append(out, pair{id, n})
			}
		}
		return out
	}
	for _, id := range b.in.Changed.Nexo[kind] {
		if w, ok := b.idx.twin(kind, snapshot.NexoPOS, id); ok {
			out = append(out, pair{w, id})
		}
	}
	return out
}

// appendNew appends p to out unless seen holds it.
func appendNew(out []pair, seen map[pair]struct{}, p pair) []pair {
	if _, dup := seen[p]; dup {
		return out
	}
	seen[p] = struct{}{}
	return append(out, p)
}

// diffLinked diffs every linked pair of kind, or handles the side that lost
// its record.
func (b *builder) diffLinked(kind snapshot.Kind) {
	pairs, places := b.placedPairs(kind)
	// The settled pass finds unchanged pairs cheaply, on every core: it
	// pays off on a full diff, where most pairs are unchanged. The pairs
	// Changed names mostly did change: they go to diffPair directly, which
	// decides an unchanged pair the same way.
	var done []bool
	if b.in.Changed == nil {
		done = b.settled(kind, pairs, places)
	}
	settled := 0
	for i, p := range pairs {
		if done != nil && done[i] {
			settled++
			continue
		}
		at := places[i]
		switch {
		case at.wok && at.nok:
			if kind != snapshot.KindOrder {
				b.plan.Stats.Compared[kind]++
				b.diffPair(kind, p, int(at.wpos), int(at.npos))
			}
		case at.wok:
			b.gone(kind, p, snapshot.NexoPOS, int(at.wpos))
		case at.nok:
			b.gone(kind, p, snapshot.WooCommerce, int(at.npos))
		}
	}
	if settled > 0 && kind != snapshot.KindOrder {
		b.plan.Stats.Compared[kind] += settled
		b.plan.Stats.Unchanged[kind] += settled
	}
}

// confirmedGone reports whether id of side is known deleted: absent from a
// complete listing, or a trashed WooCommerce product.
// A record the side read but holds (it could not be decoded) is not gone.
func (b *builder) confirmedGone(side snapshot.Side, kind snapshot.Kind, id snapshot.ID) bool {
	if _, found := b.find(side, kind, id); found {
		return true // found but not live: trashed
	}
	return b.snap(side).Complete[kind] && !b.readHeld(side, kind, id)
}

// readHeld reports whether side's snapshot holds id of kind (read, but
// not usable).
func (b *builder) readHeld(side snapshot.Side, kind snapshot.Kind, id snapshot.ID) bool {
	if b.heldRead == nil {
		b.heldRead = map[snapshot.Side]map[snapshot.Kind]map[snapshot.ID]bool{}
		for _, sd := range []snapshot.Side{snapshot.WooCommerce, snapshot.NexoPOS} {
			m := map[snapshot.Kind]map[snapshot.ID]bool{}
			for _, h := range b.snap(sd).Held {
				if m[h.Kind] == nil {
					m[h.Kind] = map[snapshot.ID]bool{}
				}
				m[h.Kind][h.ID] = true
			}
			b.heldRead[sd] = m
		}
	}
	return b.heldRead[side][kind][id]
}

// gone handles a link whose record on side was deleted while its twin (at
// pos on the other side) remains: a twin modified since the baseline is
// recreated on side; otherwise the deletion is carried over when allowed.
func (b *builder) gone(kind snapshot.Kind, p pair, side snapshot.Side, pos int) {
	id := p.woo
	if side == snapshot.NexoPOS {
		id = p.nexo
	}
	if !b.confirmedGone(side, kind, id) {
		return
	}
	other := side.Other()
	otherID := p.nexo
	if other == snapshot.WooCommerce {
		otherID = p.woo
	}
	base := b.in.Baselines[kind][p.woo]
	f := b.fieldsAt(other, kind, pos)
	modified := base == nil
	if !modified {
		if other == snapshot.NexoPOS {
			f, _ = b.toWooSpace(kind, f)
		}
		modified = len(snapshot.Diff(kind, base, f)) > 0
	}
	key := b.displayKey(other, kind, pos)
	switch {
	case modified && kind != snapshot.KindOrder:
		if !b.pol.writes(kind, side) || b.noCreate[kind] {
			return
		}
		op := Op{Kind: kind, Action: ActionCreate, Target: side, Key: key,
			Reason:   fmt.Sprintf("deleted on %s but modified on %s since the last agreement: recreated", side, other),
			Replaces: &Link{Kind: kind, Woo: p.woo, Nexo: p.nexo}}
		b.setSourceID(&op, other, otherID)
		b.createOp(op, other, pos)
	case b.pol.deletes(kind, other) && !b.noDelete[kind]:
		op := b.add(Op{Kind: kind, Action: ActionDelete, Target: other, WooID: p.woo, NexoID: p.nexo, Key: key,
			Reason: fmt.Sprintf("deleted on %s", side)})
		if kind == snapshot.KindCategory {
			b.depth[op] = b.categoryDepth(other, otherID)
		}
	default:
		b.plan.Held = append(b.plan.Held, snapshot.Held{Side: other, Kind: kind, ID: otherID, Class: "deleted_on_other_side",
			Reason: fmt.Sprintf("deleted on %s; deleting on %s is switched off", side, other)})
	}
}

func (b *builder) setSourceID(op *Op, source snapshot.Side, id snapshot.ID) {
	if source == snapshot.WooCommerce {
		op.WooID = id
	} else {
		op.NexoID = id
	}
}

// fieldOutcome collects, for one pair, the writes and agreements.
type fieldOutcome struct {
	toWoo, toNexo     []Change
	baseWoo, baseNexo snapshot.Fields // baseline fields each write settles
	depsWoo, depsNexo []int           // creates each write's references wait for
	agreed            snapshot.Fields
	whyWoo, whyNexo   []string // reasons of the writes to each side
}

func (o *fieldOutcome) reason(side snapshot.Side, r string) {
	why := &o.whyNexo
	if side == snapshot.WooCommerce {
		why = &o.whyWoo
	}
	if !slices.Contains(*why, r) {
		*why = append(*why, r)
	}
}

// diffPair applies the three-way rule to every field of a linked pair
// whose records are both live.
func (b *builder) diffPair(kind snapshot.Kind, p pair, wpos, npos int) {
	names := snapshot.FieldNames(kind)
	b.wvals = b.valuesAt(snapshot.WooCommerce, kind, wpos, b.wvals[:0])
	b.nvals = b.valuesAt(snapshot.NexoPOS, kind, npos, b.nvals[:0])
	wv, nRaw := b.wvals, b.nvals
	base := b.in.Baselines[kind][p.woo]
	if base != nil && valuesEqual(kind, wv, base) && b.nexoValuesEqual(kind, nRaw, base) {
		b.plan.Stats.Unchanged[kind]++ // as settled finds it
		return
	}
	nv, pend, bad := b.nexoInWooSpace(kind, nRaw)
	wMod, nMod := b.modifiedAt(snapshot.WooCommerce, kind, wpos), b.modifiedAt(snapshot.NexoPOS, kind, npos)
	var out fieldOutcome
	for i, field := range names {
		if bad != nil && bad[i] {
			b.plan.Held = append(b.plan.Held, snapshot.Held{Side: snapshot.NexoPOS, Kind: kind, ID: p.nexo, Class: "unresolved_reference",
				Reason: fmt.Sprintf("%s refers to a category that has no WooCommerce twin and is not created by this plan", field)})
			continue
		}
		var deps []*Op
		if pend != nil {
			deps = pend[i]
		}
		b.decide(kind, p, field, wv[i], nv[i], nRaw[i], deps, base, wMod, nMod, &out)
	}
	b.emitPair(kind, p, wpos, npos, &out)
}

func hasRefs(kind snapshot.Kind) bool {
	return kind == snapshot.KindCategory || kind == snapshot.KindProduct
}

// decide is the decision table for one field. W and N are in WooCommerce id
// space; nRaw is N in NexoPOS id space. nDeps are the ops creating on
// WooCommerce the records N refers to as "new:<NexoPOS id>".
func (b *builder) decide(kind snapshot.Kind, p pair, field, W, N, nRaw string, nDeps []*Op, base snapshot.Fields,
	wMod, nMod time.Time, out *fieldOutcome) {
	eq := func(x, y string) bool { return snapshot.FieldEqual(kind, field, x, y) }
	B, hasBase := base[field]
	var win snapshot.Side
	var why string
	switch {
	case !hasBase && eq(W, N):
		out.agree(field, W)
		return
	case !hasBase:
		win = winner(b.pol.FieldPolicy(kind, field).FirstLink, wMod, nMod)
		why = fmt.Sprintf("first link: %s wins", win)
	case eq(W, B) && eq(N, B):
		return
	case eq(W, B):
		win, why = snapshot.NexoPOS, "changed on nexopos"
	case eq(N, B):
		win, why = snapshot.WooCommerce, "changed on woocommerce"
	case eq(W, N):
		if W != B {
			out.agree(field, W)
		}
		return
	default:
		fp := b.pol.FieldPolicy(kind, field)
		win = winner(fp.Conflict, wMod, nMod)
		why = fmt.Sprintf("conflict: %s wins (%s)", win, fp.Conflict)
		b.plan.Conflicts = append(b.plan.Conflicts, Conflict{Kind: kind, Woo: p.woo, Nexo: p.nexo, Field: field,
			WooValue: W, NexoValue: N, BaseValue: B, Rule: string(fp.Conflict), Winner: string(win), At: b.in.Now})
	}
	if win == snapshot.NexoPOS {
		if !b.pol.writes(kind, snapshot.WooCommerce) {
			return
		}
		out.toWoo = append(out.toWoo, Change{Field: field, Old: W, New: N})
		if len(nDeps) == 0 {
			out.baseWoo = setField(out.baseWoo, field, N)
		} else {
			// The WooCommerce ids of the new records are known only once
			// they are created: the field stays out of the baseline and the
			// next cycle agrees it (both sides then hold the same ids).
			out.depsWoo = appendSeqs(out.depsWoo, nDeps)
		}
		out.reason(snapshot.WooCommerce, why)
		return
	}
	if !b.pol.writes(kind, snapshot.NexoPOS) {
		return
	}
	nv, deps, ok := b.translatePlanned(kind, field, W, snapshot.WooCommerce)
	if !ok {
		b.plan.Held = append(b.plan.Held, snapshot.Held{Side: snapshot.WooCommerce, Kind: kind, ID: p.woo, Class: "unresolved_reference",
			Reason: fmt.Sprintf("%s refers to a category that has no NexoPOS twin and is not created by this plan", field)})
		return
	}
	out.toNexo = append(out.toNexo, Change{Field: field, Old: nRaw, New: nv})
	out.baseNexo = setField(out.baseNexo, field, W) // W's ids are WooCommerce ids: known
	out.depsNexo = appendSeqs(out.depsNexo, deps)
	out.reason(snapshot.NexoPOS, why)
}

func appendSeqs(seqs []int, ops []*Op) []int {
	for _, op := range ops {
		seqs = append(seqs, op.Seq)
	}
	return seqs
}

func (o *fieldOutcome) agree(field, v string) { o.agreed = setField(o.agreed, field, v) }

func setField(f snapshot.Fields, k, v string) snapshot.Fields {
	if f == nil {
		f = snapshot.Fields{}
	}
	f[k] = v
	return f
}

// emitPair turns one pair's outcome into ops and an agreement.
func (b *builder) emitPair(kind snapshot.Kind, p pair, wpos, npos int, out *fieldOutcome) {
	if out.agreed != nil {
		b.plan.Agreed = append(b.plan.Agreed, Agreement{Kind: kind, Woo: p.woo, Nexo: p.nexo, Fields: out.agreed})
	}
	if len(out.toWoo) == 0 && len(out.toNexo) == 0 {
		b.plan.Stats.Unchanged[kind]++
		return
	}
	b.plan.Stats.Changed[kind]++
	if len(out.toWoo) > 0 {
		op := b.add(Op{Kind: kind, Action: ActionUpdate, Target: snapshot.WooCommerce, WooID: p.woo, NexoID: p.nexo,
			Key: b.displayKey(snapshot.WooCommerce, kind, wpos), Changes: out.toWoo,
			Source: b.sourceAt(snapshot.NexoPOS, kind, npos), Baseline: out.baseWoo, DependsOn: out.depsWoo,
			Reason: strings.Join(out.whyWoo, "; ")})
		if kind == snapshot.KindCategory {
			b.depth[op] = b.categoryDepth(snapshot.NexoPOS, p.nexo)
		}
	}
	if len(out.toNexo) > 0 {
		op := b.add(Op{Kind: kind, Action: ActionUpdate, Target: snapshot.NexoPOS, WooID: p.woo, NexoID: p.nexo,
			Key: b.displayKey(snapshot.WooCommerce, kind, wpos), Changes: out.toNexo,
			Source: b.sourceAt(snapshot.WooCommerce, kind, wpos), Baseline: out.baseNexo, DependsOn: out.depsNexo,
			Reason: strings.Join(out.whyNexo, "; ")})
		if kind == snapshot.KindCategory {
			b.depth[op] = b.categoryDepth(snapshot.WooCommerce, p.woo)
		}
	}
}
