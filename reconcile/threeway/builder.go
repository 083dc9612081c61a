package threeway

import (
	"cmp"
	"encoding/binary"
	"slices"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// builder holds one Build call's working state.
type builder struct {
	in   Input
	pol  Policy
	form snapshot.Form
	idx  *Index

	ops []*Op // Seq is a provisional id until finish renumbers them

	// links made by this plan, both ways
	newW2N, newN2W map[snapshot.Kind]map[snapshot.ID]snapshot.ID
	// created[target][kind][source id] is the op creating the twin
	created map[snapshot.Side]map[snapshot.Kind]map[snapshot.ID]*Op
	// blocked[side][kind][id]: ambiguous or held records, neither linked nor created
	blocked map[snapshot.Side]map[snapshot.Kind]map[snapshot.ID]bool
	// pairCache holds pairs(kind) once computed
	pairCache map[snapshot.Kind][]pair
	// placedCache holds placedPairs(kind) once computed
	placedCache map[snapshot.Kind][]placed
	// the stored links of each kind, as pairs and placed (full diffs)
	storedPairCache map[snapshot.Kind][]pair
	storedCache     map[snapshot.Kind][]placed
	// cands holds each side and kind's unlinked records as first listed
	cands map[candKey][]int
	// changedTwins holds, per side and kind, the pairs of the ids Changed
	// names that were linked before this plan (see linkedChanged)
	changedTwins map[candKey][]pair
	// heldRead[side][kind][id]: records a snapshot read but holds
	heldRead map[snapshot.Side]map[snapshot.Kind]map[snapshot.ID]bool
	// depth of a category op's key, to order parents first
	depth map[*Op]int
	// value buffers diffPair reuses
	wvals, nvals, tvals []string
	// kinds whose creations or deletions a safety check stopped
	noCreate, noDelete map[snapshot.Kind]bool

	plan Plan
}

func newBuilder(in Input) *builder {
	idx := in.Index
	if idx == nil {
		idx = NewIndex(in)
	}
	b := &builder{
		in: in, pol: in.Policy, form: in.Form, idx: idx,
		newW2N:          map[snapshot.Kind]map[snapshot.ID]snapshot.ID{},
		newN2W:          map[snapshot.Kind]map[snapshot.ID]snapshot.ID{},
		created:         map[snapshot.Side]map[snapshot.Kind]map[snapshot.ID]*Op{},
		blocked:         map[snapshot.Side]map[snapshot.Kind]map[snapshot.ID]bool{},
		depth:           map[*Op]int{},
		noCreate:        map[snapshot.Kind]bool{},
		noDelete:        map[snapshot.Kind]bool{},
		cands:           map[candKey][]int{},
		changedTwins:    map[candKey][]pair{},
		pairCache:       map[snapshot.Kind][]pair{},
		placedCache:     map[snapshot.Kind][]placed{},
		storedPairCache: map[snapshot.Kind][]pair{},
		storedCache:     map[snapshot.Kind][]placed{},
	}
	b.plan.Stats = Stats{Linked: map[snapshot.Kind]int{}, Compared: map[snapshot.Kind]int{},
		Changed: map[snapshot.Kind]int{}, Unchanged: map[snapshot.Kind]int{}}
	return b
}

func (b *builder) build() Plan {
	b.checkListings()
	for _, kind := range []snapshot.Kind{snapshot.KindCategory, snapshot.KindProduct, snapshot.KindCustomer, snapshot.KindOrder} {
		if b.failed(kind) {
			continue
		}
		b.link(kind)
	}
	b.paymentTypes()
	for _, kind := range []snapshot.Kind{snapshot.KindCategory, snapshot.KindProduct, snapshot.KindCustomer} {
		if b.failed(kind) {
			continue
		}
		// creates first, so that a linked pair may refer to a record
		// created in this plan (a category's new parent)
		b.createUnlinked(kind)
		b.diffLinked(kind)
	}
	if !b.failed(snapshot.KindOrder) {
		b.diffLinked(snapshot.KindOrder)
		b.orders()
	}
	b.stock()
	b.limitDeletions()
	b.flagMassChange()
	return b.finish()
}

// failed reports whether kind failed to read on either side.
func (b *builder) failed(kind snapshot.Kind) bool {
	_, w := b.in.Woo.Failed[kind]
	_, n := b.in.Nexo.Failed[kind]
	return w || n
}

func (b *builder) snap(side snapshot.Side) *snapshot.Snapshot {
	if side == snapshot.WooCommerce {
		return &b.in.Woo
	}
	return &b.in.Nexo
}

func (b *builder) sideIdx(side snapshot.Side) sideIndex {
	if side == snapshot.WooCommerce {
		return b.idx.woo
	}
	return b.idx.nexo
}

// twin returns the id linked to id of side, existing or new this plan.
func (b *builder) twin(kind snapshot.Kind, side snapshot.Side, id snapshot.ID) (snapshot.ID, bool) {
	if t, ok := b.idx.twin(kind, side, id); ok {
		return t, true
	}
	fresh := b.newW2N[kind]
	if side == snapshot.NexoPOS {
		fresh = b.newN2W[kind]
	}
	t, ok := fresh[id]
	return t, ok
}

func (b *builder) addLink(kind snapshot.Kind, woo, nexo snapshot.ID) {
	if b.newW2N[kind] == nil {
		b.newW2N[kind] = map[snapshot.ID]snapshot.ID{}
		b.newN2W[kind] = map[snapshot.ID]snapshot.ID{}
	}
	b.newW2N[kind][woo] = nexo
	b.newN2W[kind][nexo] = woo
	b.plan.Links = append(b.plan.Links, Link{Kind: kind, Woo: woo, Nexo: nexo, Created: b.in.Now})
}

func (b *builder) block(side snapshot.Side, kind snapshot.Kind, id snapshot.ID) {
	m := b.blocked[side]
	if m == nil {
		m = map[snapshot.Kind]map[snapshot.ID]bool{}
		b.blocked[side] = m
	}
	if m[kind] == nil {
		m[kind] = map[snapshot.ID]bool{}
	}
	m[kind][id] = true
}

func (b *builder) isBlocked(side snapshot.Side, kind snapshot.Kind, id snapshot.ID) bool {
	return b.blocked[side][kind][id]
}

func (b *builder) hold(side snapshot.Side, kind snapshot.Kind, id snapshot.ID, class, reason string) {
	b.block(side, kind, id)
	b.plan.Held = append(b.plan.Held, snapshot.Held{Side: side, Kind: kind, ID: id, Class: class, Reason: reason})
}

// createdOp returns the op creating on target the twin of source record id.
func (b *builder) createdOp(target snapshot.Side, kind snapshot.Kind, id snapshot.ID) *Op {
	return b.created[target][kind][id]
}

// add appends op with a provisional Seq and returns it.
func (b *builder) add(op Op) *Op {
	op.Seq = len(b.ops) + 1
	p := &op
	b.ops = append(b.ops, p)
	if op.Action == ActionCreate {
		src := op.WooID
		if op.Target == snapshot.WooCommerce {
			src = op.NexoID
		}
		m := b.created[op.Target]
		if m == nil {
			m = map[snapshot.Kind]map[snapshot.ID]*Op{}
			b.created[op.Target] = m
		}
		if m[op.Kind] == nil {
			m[op.Kind] = map[snapshot.ID]*Op{}
		}
		m[op.Kind][src] = p
	}
	return p
}

// group is an op's place in the dependency order.
func group(op *Op) int {
	switch {
	case op.Action == ActionCreatePaymentType:
		return 0
	case op.Action == ActionStock:
		return 8
	case op.Action == ActionDelete:
		return 7
	}
	switch op.Kind {
	case snapshot.KindCategory:
		return 1
	case snapshot.KindProduct:
		return 2
	case snapshot.KindCustomer:
		return 3
	case snapshot.KindOrder:
		if op.Target == snapshot.NexoPOS {
			return 4
		}
		return 5
	}
	return 6
}

var deleteRank = map[snapshot.Kind]int{snapshot.KindOrder: 0, snapshot.KindCustomer: 1, snapshot.KindProduct: 2, snapshot.KindCategory: 3}

// opOrder is an op with its precomputed place in the dependency order.
type opOrder struct {
	op                 *Op
	group, rank, depth int
	// keyHead is the first 16 bytes of op.Key, zero-padded, big-endian:
	// when they differ they order the keys without reading them.
	keyHead [2]uint64
}

func keyHead(k string) [2]uint64 {
	var buf [16]byte
	copy(buf[:], k)
	return [2]uint64{binary.BigEndian.Uint64(buf[:8]), binary.BigEndian.Uint64(buf[8:])}
}

func compareOps(x, y opOrder) int {
	if c := cmp.Compare(x.group, y.group); c != 0 {
		return c
	}
	if x.op.Action == ActionDelete {
		if c := cmp.Compare(x.rank, y.rank); c != 0 {
			return c
		}
		if c := cmp.Compare(y.depth, x.depth); c != 0 { // children first
			return c
		}
	} else if c := cmp.Compare(x.depth, y.depth); c != 0 { // parents first
		return c
	}
	a, b := x.op, y.op
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if x.keyHead != y.keyHead {
		return cmp.Or(cmp.Compare(x.keyHead[0], y.keyHead[0]), cmp.Compare(x.keyHead[1], y.keyHead[1]))
	}
	return cmp.Or(cmp.Compare(a.Key, b.Key),
		compareID(a.WooID, b.WooID), compareID(a.NexoID, b.NexoID),
		cmp.Compare(a.Action, b.Action), cmp.Compare(a.Target, b.Target),
		cmp.Compare(a.Seq, b.Seq)) // provisional Seq: keeps the order of equal ops
}

// finish orders the ops, numbers them and sorts every list of the plan.
func (b *builder) finish() Plan {
	keyed := make([]opOrder, len(b.ops))
	maxSeq := 0
	for i, op := range b.ops {
		keyed[i] = opOrder{op: op, group: group(op), rank: deleteRank[op.Kind], depth: b.depth[op], keyHead: keyHead(op.Key)}
		maxSeq = max(maxSeq, op.Seq)
	}
	slices.SortFunc(keyed, compareOps)
	ops := make([]*Op, len(keyed))
	for i, k := range keyed {
		ops[i] = k.op
	}
	ops = depsFirst(ops, maxSeq)
	renum := make([]int, maxSeq+1) // provisional Seq -> Seq; 0 for ops not kept
	for i, op := range ops {
		renum[op.Seq] = i + 1
	}
	seq := func(provisional int) int {
		if provisional < 0 || provisional > maxSeq {
			return 0
		}
		return renum[provisional]
	}
	p := b.plan
	p.Ops = make([]Op, len(ops))
	for i, op := range ops {
		op.Seq = i + 1
		for j, d := range op.DependsOn {
			op.DependsOn[j] = seq(d)
		}
		slices.Sort(op.DependsOn)
		op.DependsOn = slices.Compact(op.DependsOn)
		if op.Order != nil {
			op.Order.CustomerOp = seq(op.Order.CustomerOp)
			for j := range op.Order.Lines {
				op.Order.Lines[j].ProductOp = seq(op.Order.Lines[j].ProductOp)
			}
		}
		p.Ops[i] = *op
	}
	b.sortLists(&p)
	for kind, n := range b.idx.linkCounts {
		p.Stats.Linked[kind] += n
	}
	for _, l := range p.Links {
		p.Stats.Linked[l.Kind]++
	}
	return p
}

// depsFirst keeps the order of ops but moves any op after the ops it
// depends on (provisional Seq numbers, at most maxSeq), should the sort
// have put it before them.
func depsFirst(ops []*Op, maxSeq int) []*Op {
	bySeq := make([]*Op, maxSeq+1)
	for _, op := range ops {
		bySeq[op.Seq] = op
	}
	out := make([]*Op, 0, len(ops))
	placed := make([]bool, maxSeq+1)
	var place func(op *Op)
	place = func(op *Op) {
		if placed[op.Seq] {
			return
		}
		placed[op.Seq] = true // also guards against a dependency cycle
		for _, d := range op.DependsOn {
			if d > 0 && d <= maxSeq && bySeq[d] != nil {
				place(bySeq[d])
			}
		}
		out = append(out, op)
	}
	for _, op := range ops {
		place(op)
	}
	return out
}

func (b *builder) sortLists(p *Plan) {
	slices.SortFunc(p.Links, func(x, y Link) int {
		return cmp.Or(kindRank(x.Kind)-kindRank(y.Kind), compareID(x.Woo, y.Woo), compareID(x.Nexo, y.Nexo))
	})
	slices.SortFunc(p.Agreed, func(x, y Agreement) int {
		return cmp.Or(kindRank(x.Kind)-kindRank(y.Kind), compareID(x.Woo, y.Woo), compareID(x.Nexo, y.Nexo))
	})
	slices.SortFunc(p.Conflicts, func(x, y Conflict) int {
		return cmp.Or(kindRank(x.Kind)-kindRank(y.Kind), compareID(x.Woo, y.Woo), compareID(x.Nexo, y.Nexo), cmp.Compare(x.Field, y.Field))
	})
	slices.SortFunc(p.Held, func(x, y snapshot.Held) int {
		return cmp.Or(kindRank(x.Kind)-kindRank(y.Kind), cmp.Compare(x.Side, y.Side), compareID(x.ID, y.ID), cmp.Compare(x.Class, y.Class), cmp.Compare(x.Reason, y.Reason))
	})
	p.Held = slices.Compact(p.Held)
	slices.SortFunc(p.Ambiguities, func(x, y Ambiguity) int {
		return cmp.Or(kindRank(x.Kind)-kindRank(y.Kind), cmp.Compare(x.Side, y.Side), cmp.Compare(x.Key, y.Key))
	})
	slices.SortFunc(p.Refusals, func(x, y Refusal) int {
		return cmp.Or(kindRank(x.Kind)-kindRank(y.Kind), cmp.Compare(x.Side, y.Side), cmp.Compare(x.Reason, y.Reason))
	})
	slices.Sort(p.Flags)
}

func kindRank(k snapshot.Kind) int {
	for i, x := range snapshot.Kinds {
		if x == k {
			return i
		}
	}
	return len(snapshot.Kinds)
}

// compareID orders ids numerically when both are numbers, else as text.
func compareID(a, b snapshot.ID) int {
	if len(a) != len(b) && digits(string(a)) && digits(string(b)) {
		return cmp.Compare(len(a), len(b))
	}
	return cmp.Compare(a, b)
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// winner applies rule to a field whose values differ.
func winner(rule Rule, wooModified, nexoModified time.Time) snapshot.Side {
	switch rule {
	case RuleWooCommerce:
		return snapshot.WooCommerce
	case RuleNewest:
		if wooModified.After(nexoModified) {
			return snapshot.WooCommerce
		}
	}
	return snapshot.NexoPOS
}
