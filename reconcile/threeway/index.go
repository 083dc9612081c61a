package threeway

import (
	"sync"

	"github.com/woonexo/woonexo/snapshot"
)

// Index holds the lookups Build needs over one Input: record positions by
// id on each side and the links both ways. Building it is linear in the
// size of the snapshots; a caller that diffs only changed keys
// (Input.Changed) over large unchanged snapshots keeps the Index of the
// previous cycle and passes it in, so Build's cost follows the number of
// changes. An Index is only valid for the exact snapshots and links it was
// built from.
type Index struct {
	woo, nexo sideIndex
	// links is Input.Links; wooLink and nexoLink hold, per kind, the
	// position in links of the link naming an id of each side (the last
	// one, should two name it)
	links             []Link
	wooLink, nexoLink map[snapshot.Kind]idMap[int32]
	linkCounts        map[snapshot.Kind]int
}

type sideIndex struct {
	categories idMap[int32]
	products   idMap[int32]
	customers  idMap[int32]
	orders     idMap[int32]
}

// NewIndex indexes the snapshots and links of in.
func NewIndex(in Input) *Index {
	x := &Index{
		links:      in.Links,
		wooLink:    map[snapshot.Kind]idMap[int32]{},
		nexoLink:   map[snapshot.Kind]idMap[int32]{},
		linkCounts: map[snapshot.Kind]int{},
	}
	for _, l := range in.Links {
		x.linkCounts[l.Kind]++
	}
	for k, n := range x.linkCounts {
		x.wooLink[k] = newIDMap[int32](n)
		x.nexoLink[k] = newIDMap[int32](n)
	}
	// the four lookups are independent: build them side by side
	var wg sync.WaitGroup
	wg.Go(func() { x.woo = indexSide(in.Woo) })
	wg.Go(func() { x.nexo = indexSide(in.Nexo) })
	wg.Go(func() {
		for i, l := range in.Links {
			m := x.wooLink[l.Kind]
			m.set(l.Woo, int32(i))
			x.wooLink[l.Kind] = m
		}
	})
	for i, l := range in.Links {
		m := x.nexoLink[l.Kind]
		m.set(l.Nexo, int32(i))
		x.nexoLink[l.Kind] = m
	}
	wg.Wait()
	return x
}

// twin returns the id linked to id of side by the stored links.
func (x *Index) twin(kind snapshot.Kind, side snapshot.Side, id snapshot.ID) (snapshot.ID, bool) {
	if side == snapshot.WooCommerce {
		if i, ok := x.wooLink[kind].get(id); ok {
			return x.links[i].Nexo, true
		}
		return "", false
	}
	if i, ok := x.nexoLink[kind].get(id); ok {
		return x.links[i].Woo, true
	}
	return "", false
}

func indexSide(s snapshot.Snapshot) sideIndex {
	x := sideIndex{
		categories: newIDMap[int32](len(s.Categories)),
		products:   newIDMap[int32](len(s.Products)),
		customers:  newIDMap[int32](len(s.Customers)),
		orders:     newIDMap[int32](len(s.Orders)),
	}
	for i, r := range s.Categories {
		x.categories.set(r.ID, int32(i))
	}
	for i, r := range s.Products {
		x.products.set(r.ID, int32(i))
	}
	for i, r := range s.Customers {
		x.customers.set(r.ID, int32(i))
	}
	for i, r := range s.Orders {
		x.orders.set(r.ID, int32(i))
	}
	return x
}

func (x sideIndex) of(kind snapshot.Kind) idMap[int32] {
	switch kind {
	case snapshot.KindCategory:
		return x.categories
	case snapshot.KindProduct:
		return x.products
	case snapshot.KindCustomer:
		return x.customers
	case snapshot.KindOrder:
		return x.orders
	}
	return idMap[int32]{}
}

// idMap maps ids to V. Ids that are plain decimal numbers, as both
// systems' ids are, are keyed by their value: it hashes and compares
// without reading the text and takes less room. Other ids are keyed by
// their text. The zero idMap is empty and read-only.
type idMap[V any] struct {
	num  map[uint64]V
	text map[snapshot.ID]V
}

func newIDMap[V any](n int) idMap[V] { return idMap[V]{num: make(map[uint64]V, n)} }

// numericID returns the value of an id written as a canonical decimal
// number (no sign, no leading zero, at most 19 digits): distinct such ids
// have distinct values.
func numericID(id snapshot.ID) (uint64, bool) {
	if len(id) == 0 || len(id) > 19 || id[0] == '0' && len(id) > 1 {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}

func (m idMap[V]) get(id snapshot.ID) (V, bool) {
	if k, ok := numericID(id); ok {
		v, found := m.num[k]
		return v, found
	}
	v, found := m.text[id]
	return v, found
}

// set must be called on an idMap made by newIDMap; the caller stores m
// back, since set may make its text map.
func (m *idMap[V]) set(id snapshot.ID, v V) {
	if k, ok := numericID(id); ok {
		m.num[k] = v
		return
	}
	if m.text == nil {
		m.text = map[snapshot.ID]V{}
	}
	m.text[id] = v
}

func (m idMap[V]) len() int { return len(m.num) + len(m.text) }
