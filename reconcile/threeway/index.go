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
	woo, nexo  sideIndex
	wooToNexo  map[snapshot.Kind]map[snapshot.ID]snapshot.ID
	nexoToWoo  map[snapshot.Kind]map[snapshot.ID]snapshot.ID
	linkCounts map[snapshot.Kind]int
}

type sideIndex struct {
	categories map[snapshot.ID]int
	products   map[snapshot.ID]int
	customers  map[snapshot.ID]int
	orders     map[snapshot.ID]int
}

// NewIndex indexes the snapshots and links of in.
func NewIndex(in Input) *Index {
	x := &Index{
		wooToNexo:  map[snapshot.Kind]map[snapshot.ID]snapshot.ID{},
		nexoToWoo:  map[snapshot.Kind]map[snapshot.ID]snapshot.ID{},
		linkCounts: map[snapshot.Kind]int{},
	}
	for _, l := range in.Links {
		x.linkCounts[l.Kind]++
	}
	for k, n := range x.linkCounts {
		x.wooToNexo[k] = make(map[snapshot.ID]snapshot.ID, n)
		x.nexoToWoo[k] = make(map[snapshot.ID]snapshot.ID, n)
	}
	// the four lookups are independent: build them side by side
	var wg sync.WaitGroup
	wg.Go(func() { x.woo = indexSide(in.Woo) })
	wg.Go(func() { x.nexo = indexSide(in.Nexo) })
	wg.Go(func() {
		for _, l := range in.Links {
			x.wooToNexo[l.Kind][l.Woo] = l.Nexo
		}
	})
	for _, l := range in.Links {
		x.nexoToWoo[l.Kind][l.Nexo] = l.Woo
	}
	wg.Wait()
	return x
}

func indexSide(s snapshot.Snapshot) sideIndex {
	x := sideIndex{
		categories: make(map[snapshot.ID]int, len(s.Categories)),
		products:   make(map[snapshot.ID]int, len(s.Products)),
		customers:  make(map[snapshot.ID]int, len(s.Customers)),
		orders:     make(map[snapshot.ID]int, len(s.Orders)),
	}
	for i, r := range s.Categories {
		x.categories[r.ID] = i
	}
	for i, r := range s.Products {
		x.products[r.ID] = i
	}
	for i, r := range s.Customers {
		x.customers[r.ID] = i
	}
	for i, r := range s.Orders {
		x.orders[r.ID] = i
	}
	return x
}

func (x sideIndex) of(kind snapshot.Kind) map[snapshot.ID]int {
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
	return nil
}
