package threeway

import (
	"strings"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// find returns the position of id in side's listing of kind.
func (b *builder) find(side snapshot.Side, kind snapshot.Kind, id snapshot.ID) (int, bool) {
	pos, ok := b.sideIdx(side).of(kind).get(id)
	return int(pos), ok
}

// live is find for records that exist: a trashed WooCommerce product counts
// as deleted.
func (b *builder) live(side snapshot.Side, kind snapshot.Kind, id snapshot.ID) (int, bool) {
	pos, ok := b.find(side, kind, id)
	if ok && b.trashed(side, kind, pos) {
		return pos, false
	}
	return pos, ok
}

// trashed reports whether the record at pos is a trashed product.
func (b *builder) trashed(side snapshot.Side, kind snapshot.Kind, pos int) bool {
	return kind == snapshot.KindProduct && b.snap(side).Products[pos].Status == snapshot.ProductTrashed
}

func (b *builder) count(side snapshot.Side, kind snapshot.Kind) int {
	s := b.snap(side)
	switch kind {
	case snapshot.KindCategory:
		return len(s.Categories)
	case snapshot.KindProduct:
		return len(s.Products)
	case snapshot.KindCustomer:
		return len(s.Customers)
	case snapshot.KindOrder:
		return len(s.Orders)
	}
	return 0
}

func (b *builder) idAt(side snapshot.Side, kind snapshot.Kind, pos int) snapshot.ID {
	s := b.snap(side)
	switch kind {
	case snapshot.KindCategory:
		return s.Categories[pos].ID
	case snapshot.KindProduct:
		return s.Products[pos].ID
	case snapshot.KindCustomer:
		return s.Customers[pos].ID
	case snapshot.KindOrder:
		return s.Orders[pos].ID
	}
	return ""
}

func (b *builder) fieldsAt(side snapshot.Side, kind snapshot.Kind, pos int) snapshot.Fields {
	s := b.snap(side)
	switch kind {
	case snapshot.KindCategory:
		return s.Categories[pos].Fields(b.form)
	case snapshot.KindProduct:
		return s.Products[pos].Fields(b.form)
	case snapshot.KindCustomer:
		return s.Customers[pos].Fields(b.form)
	case snapshot.KindOrder:
		return s.Orders[pos].Fields(b.form)
	}
	return nil
}

func (b *builder) modifiedAt(side snapshot.Side, kind snapshot.Kind, pos int) time.Time {
	s := b.snap(side)
	switch kind {
	case snapshot.KindCategory:
		return s.Categories[pos].Modified
	case snapshot.KindProduct:
		return s.Products[pos].Modified
	case snapshot.KindCustomer:
		return s.Customers[pos].Modified
	case snapshot.KindOrder:
		return s.Orders[pos].Modified
	}
	return time.Time{}
}

func (b *builder) sourceAt(side snapshot.Side, kind snapshot.Kind, pos int) any {
	s := b.snap(side)
	switch kind {
	case snapshot.KindCategory:
		return s.Categories[pos]
	case snapshot.KindProduct:
		return s.Products[pos]
	case snapshot.KindCustomer:
		return s.Customers[pos]
	case snapshot.KindOrder:
		return s.Orders[pos]
	}
	return nil
}

// keyAt is the natural key of a record ("" = none).
func (b *builder) keyAt(side snapshot.Side, kind snapshot.Kind, pos int) string {
	s := b.snap(side)
	switch kind {
	case snapshot.KindCategory:
		p, _ := b.categoryPath(side, s.Categories[pos].ID)
		return p
	case snapshot.KindProduct:
		return snapshot.SKUKey(s.Products[pos].SKU)
	case snapshot.KindCustomer:
		return snapshot.EmailKey(s.Customers[pos].Email)
	case snapshot.KindOrder:
		return orderKey(side, s.Orders[pos])
	}
	return ""
}

// displayKey is the natural key as an op shows it.
func (b *builder) displayKey(side snapshot.Side, kind snapshot.Kind, pos int) string {
	s := b.snap(side)
	switch kind {
	case snapshot.KindCategory:
		_, d := b.categoryPath(side, s.Categories[pos].ID)
		return d
	case snapshot.KindProduct:
		if k := strings.TrimSpace(s.Products[pos].SKU); k != "" {
			return k
		}
		return "id:" + string(s.Products[pos].ID)
	case snapshot.KindCustomer:
		return snapshot.EmailKey(s.Customers[pos].Email)
	case snapshot.KindOrder:
		return orderKey(side, s.Orders[pos])
	}
	return ""
}

// orderKey is the one key an order shares with its twin: the WooCommerce
// number for orders born on WooCommerce, the NexoPOS id for orders born on
// NexoPOS.
func orderKey(side snapshot.Side, o snapshot.Order) string {
	ref := strings.TrimSpace(o.Reference)
	if side == snapshot.WooCommerce {
		if ref != "" {
			return "nexopos#" + ref
		}
		return "woocommerce#" + strings.TrimSpace(o.Number)
	}
	if ref != "" {
		return "woocommerce#" + ref
	}
	return "nexopos#" + string(o.ID)
}

// categoryPath returns a category's name path from the root as a key
// (lower case) and as shown ("A/B/C"); a category whose parents loop or
// are missing gets "" as key.
func (b *builder) categoryPath(side snapshot.Side, id snapshot.ID) (key, shown string) {
	s := b.snap(side)
	var names []string
	seen := map[snapshot.ID]bool{}
	for cur := id; cur != ""; {
		pos, ok := b.find(side, snapshot.KindCategory, cur)
		if !ok || seen[cur] {
			return "", string(id)
		}
		seen[cur] = true
		names = append(names, snapshot.CanonText(s.Categories[pos].Name))
		cur = s.Categories[pos].ParentID
	}
	for i, j := 0, len(names)-1; i < j; i, j = i+1, j-1 {
		names[i], names[j] = names[j], names[i]
	}
	shown = strings.Join(names, "/")
	return strings.ToLower(shown), shown
}

// categoryDepth is 0 for a root category.
func (b *builder) categoryDepth(side snapshot.Side, id snapshot.ID) int {
	_, shown := b.categoryPath(side, id)
	return strings.Count(shown, "/")
}

// refKind is the kind a reference field points at.
func refKind(kind snapshot.Kind, field string) snapshot.Kind {
	if snapshot.IsReference(kind, field) {
		return snapshot.KindCategory
	}
	return ""
}

// translate maps a reference field's value from side's id space to the
// other side's through the links. ok is false when an id has no twin yet.
func (b *builder) translate(kind snapshot.Kind, field, value string, from snapshot.Side) (string, bool) {
	rk := refKind(kind, field)
	if rk == "" || value == "" {
		return value, true
	}
	ids := snapshot.SplitIDs(value)
	for i, id := range ids {
		t, ok := b.twin(rk, from, id)
		if !ok {
			return "", false
		}
		ids[i] = t
	}
	if len(ids) == 1 {
		return string(ids[0]), true
	}
	return snapshot.JoinIDs(ids), true
}

// pendingPrefix marks, in a reference value, a record that has no twin yet
// but is created by this plan: "new:<id>", the id on the side the value
// comes from. It never equals a real id, so such a value differs from
// every value of the other side.
const pendingPrefix = "new:"

// translatePlanned is translate for a value to write: an id without a
// twin whose record this plan creates on the other side becomes
// "new:<id>", and deps lists those create ops. ok is false when an id has
// neither a twin nor a create (its record is held or ambiguous).
func (b *builder) translatePlanned(kind snapshot.Kind, field, value string, from snapshot.Side) (v string, deps []*Op, ok bool) {
	rk := refKind(kind, field)
	if rk == "" || value == "" {
		return value, nil, true
	}
	ids := snapshot.SplitIDs(value)
	for i, id := range ids {
		if t, ok := b.twin(rk, from, id); ok {
			ids[i] = t
			continue
		}
		op := b.createdOp(from.Other(), rk, id)
		if op == nil {
			return "", nil, false
		}
		ids[i] = pendingPrefix + id
		deps = append(deps, op)
	}
	if len(ids) == 1 {
		return string(ids[0]), deps, true
	}
	return snapshot.JoinIDs(ids), deps, true
}

// nexoInWooSpace returns NexoPOS values (FieldNames order) with their
// references in WooCommerce id space (translatePlanned): per field, the
// ops creating the records of "new:" references, and whether the field
// cannot be translated. pend and bad are nil when no field needs them.
func (b *builder) nexoInWooSpace(kind snapshot.Kind, n []string) (vals []string, pend [][]*Op, bad []bool) {
	if !hasRefs(kind) {
		return n, nil, nil
	}
	names := snapshot.FieldNames(kind)
	b.tvals = append(b.tvals[:0], n...)
	for i, name := range names {
		if !snapshot.IsReference(kind, name) {
			continue
		}
		v, deps, ok := b.translatePlanned(kind, name, n[i], snapshot.NexoPOS)
		switch {
		case !ok:
			if bad == nil {
				bad = make([]bool, len(names))
			}
			bad[i] = true
		case len(deps) > 0:
			if pend == nil {
				pend = make([][]*Op, len(names))
			}
			pend[i] = deps
		}
		b.tvals[i] = v
	}
	return b.tvals, pend, bad
}

// toWooSpace translates every reference field of NexoPOS fields; the
// returned set lists the fields that could not be translated.
func (b *builder) toWooSpace(kind snapshot.Kind, f snapshot.Fields) (snapshot.Fields, map[string]bool) {
	var bad map[string]bool
	for _, name := range snapshot.FieldNames(kind) {
		if !snapshot.IsReference(kind, name) {
			continue
		}
		t, ok := b.translate(kind, name, f[name], snapshot.NexoPOS)
		if !ok {
			if bad == nil {
				bad = map[string]bool{}
			}
			bad[name] = true
			continue
		}
		f[name] = t
	}
	return f, bad
}
