package nexosim

import (
	"math"
	"math/rand"
	"sort"
	"strings"
	"time"
)

// table is an auto-increment table: rows by id and ids in ascending order
// (ids only grow, so appending keeps the slice sorted).
type table[T any] struct {
	next int
	rows map[int]*T
	ids  []int
}

func newTable[T any]() *table[T] { return &table[T]{rows: map[int]*T{}} }

func (t *table[T]) add(row *T) int {
	t.next++
	t.rows[t.next] = row
	t.ids = append(t.ids, t.next)
	return t.next
}

func (t *table[T]) get(id int) *T { return t.rows[id] }

func (t *table[T]) del(id int) {
	if _, ok := t.rows[id]; !ok {
		return
	}
	delete(t.rows, id)
	i := sort.SearchInts(t.ids, id)
	t.ids = append(t.ids[:i], t.ids[i+1:]...)
}

func (t *table[T]) each(fn func(*T)) {
	for _, id := range t.ids {
		fn(t.rows[id])
	}
}

// state is the database. Every access holds Sim.mu.
type state struct {
	now  func() time.Time
	rng  *rand.Rand
	seq  int // uuid counter
	prod *table[Product]
	uq   *table[UnitQuantity]
	cat  *table[Category]
	usr  *table[User]
	addr *table[Address] // customer addresses
	cgrp *table[CustomerGroup]
	unit *table[Unit]
	ugrp *table[UnitGroup]
	tgrp *table[TaxGroup]
	tax  *table[Tax]
	pay  *table[PaymentType]
	hist *table[HistoryRow]
	ord  *table[Order]
	line *table[OrderProduct]
	opay *table[OrderPayment]
	oadr *table[Address] // order addresses

	uqByProduct map[int][]int // product id -> unit quantity ids
	sku         map[string]int
	barcode     map[string]int
	linesOf     map[int][]int            // order id -> line ids
	paysOf      map[int][]int            // order id -> payment ids
	adrOf       map[int][]int            // order id -> address ids
	custAdr     map[int][]int            // customer id -> address ids
	lineRefs    map[int]int              // product id -> lines referencing it
	soldLines   map[int]bool             // order line ids with a sold move
	refunds     map[int]float64          // order id -> total of its refunds
	refundRows  map[int][]map[string]any // order id -> nexopos_orders_products_refunds rows
	refundSeq   int
	dayCount    map[string]int
	prodOrder   []int // product ids by updated_at desc, id desc; nil = stale
	custOrder   []int
	defaults    Defaults
}

// Defaults are the ids of the records a fresh simulator holds.
type Defaults struct {
	UnitGroupID     int
	UnitID          int // identifier "piece"
	CategoryID      int
	TaxGroupID      int // "VAT" with one 20% tax
	CustomerGroupID int
	CustomerID      int // the walk-in customer
}

func newState(now func() time.Time, seed int64) *state {
	return &state{
		now: now, rng: rand.New(rand.NewSource(seed)),
		prod: newTable[Product](), uq: newTable[UnitQuantity](), cat: newTable[Category](),
		usr: newTable[User](), addr: newTable[Address](), cgrp: newTable[CustomerGroup](),
		unit: newTable[Unit](), ugrp: newTable[UnitGroup](), tgrp: newTable[TaxGroup](),
		tax: newTable[Tax](), pay: newTable[PaymentType](), hist: newTable[HistoryRow](),
		ord: newTable[Order](), line: newTable[OrderProduct](), opay: newTable[OrderPayment](),
		oadr:        newTable[Address](),
		uqByProduct: map[int][]int{}, sku: map[string]int{}, barcode: map[string]int{},
		linesOf: map[int][]int{}, paysOf: map[int][]int{}, adrOf: map[int][]int{},
		custAdr: map[int][]int{}, lineRefs: map[int]int{}, soldLines: map[int]bool{}, dayCount: map[string]int{},
		refunds: map[int]float64{}, refundRows: map[int][]map[string]any{},
	}
}

func (st *state) stamp() Timestamp { return Timestamp{st.now()} }

func (st *state) uuid() *string {
	st.seq++
	const hex = "0123456789abcdef"
	b := make([]byte, 36)
	for i := range b {
		switch i {
		case 8, 13, 18, 23:
			b[i] = '-'
		default:
			b[i] = hex[st.rng.Intn(16)]
		}
	}
	s := string(b)
	return &s
}

func ptr[T any](v T) *T { return &v }

// nstr is a nullable string: "" becomes null, as ConvertEmptyStringsToNull does.
func nstr(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// round5 keeps a value at the precision of a float(18,5) column.
func round5(f float64) float64 { return math.Round(f*1e5) / 1e5 }

func (st *state) installDefaults() {
	ts := st.stamp()
	admin := &User{Username: "admin", Active: 1, Author: 0, Email: "admin@nexopos.test",
		Password: "$2y$10$simulatedsimulatedsimulatedsimulatedsimulatedsimula", Role: RoleAdmin,
		FirstName: ptr("Store"), LastName: ptr("Admin"), CreatedAt: ts, UpdatedAt: ts}
	admin.ID = st.usr.add(admin)
	d := &st.defaults
	ug := &UnitGroup{Name: "Pieces", Author: AdminID, UUID: st.uuid(), CreatedAt: ts, UpdatedAt: ts}
	ug.ID = st.ugrp.add(ug)
	d.UnitGroupID = ug.ID
	u := &Unit{Name: "Piece", Identifier: "piece", Author: AdminID, GroupID: ug.ID, Value: 1, BaseUnit: true, UUID: st.uuid(), CreatedAt: ts, UpdatedAt: ts}
	u.ID = st.unit.add(u)
	d.UnitID = u.ID
	c := &Category{Name: "Uncategorized", DisplaysOnPOS: 1, Author: AdminID, UUID: st.uuid(), CreatedAt: ts, UpdatedAt: ts}
	c.ID = st.cat.add(c)
	d.CategoryID = c.ID
	tg := &TaxGroup{Name: "VAT", Author: AdminID, UUID: st.uuid(), CreatedAt: ts, UpdatedAt: ts}
	tg.ID = st.tgrp.add(tg)
	d.TaxGroupID = tg.ID
	tx := &Tax{Name: "VAT 20%", Rate: 20, TaxGroupID: tg.ID, Author: AdminID, CreatedAt: ts, UpdatedAt: ts}
	tx.ID = st.tax.add(tx)
	g := &CustomerGroup{Name: "Default", Author: AdminID, UUID: st.uuid(), CreatedAt: ts, UpdatedAt: ts}
	g.ID = st.cgrp.add(g)
	d.CustomerGroupID = g.ID
	walk := st.newCustomer("Walk-in", "Customer", "walkin@nexopos.test", g.ID)
	d.CustomerID = walk.ID
	for _, p := range []struct{ id, label string }{
		{"cash-payment", "Cash"}, {"bank-payment", "Bank Payment"}, {"account-payment", "Customer Account"},
	} {
		pt := &PaymentType{Label: p.label, Identifier: p.id, Author: AdminID, Active: 1, Readonly: 1, CreatedAt: ts, UpdatedAt: ts}
		pt.ID = st.pay.add(pt)
	}
}

func (st *state) newCustomer(first, last, email string, group int) *User {
	ts := st.stamp()
	u := &User{Username: email, Active: 1, Author: AdminID, Email: email,
		Password: "$2y$10$customercustomercustomercustomercustomercustomercust",
		GroupID:  ptr(group), FirstName: nstr(first), LastName: nstr(last), Role: RoleCustomer,
		CreatedAt: ts, UpdatedAt: ts}
	u.ID = st.usr.add(u)
	st.custOrder = nil
	return u
}

func (st *state) customer(id int) *User {
	u := st.usr.get(id)
	if u == nil || u.Role != RoleCustomer {
		return nil
	}
	return u
}

func (st *state) paymentByIdentifier(id string) *PaymentType {
	var found *PaymentType
	st.pay.each(func(p *PaymentType) {
		if found == nil && p.Identifier == id {
			found = p
		}
	})
	return found
}

// taxRate is the sum of the rates of a tax group's taxes.
func (st *state) taxRate(group *int) float64 {
	if group == nil {
		return 0
	}
	rate := 0.0
	st.tax.each(func(t *Tax) {
		if t.TaxGroupID == *group {
			rate += t.Rate
		}
	})
	return rate
}

func (st *state) taxesOf(group int) []Tax {
	var out []Tax
	st.tax.each(func(t *Tax) {
		if t.TaxGroupID == group {
			out = append(out, *t)
		}
	})
	return out
}

// computeTax returns (price, withTax, withoutTax, tax) for a typed price, as
// TaxService::computeTax does: without a tax group every figure is the typed
// price; with one, "inclusive" carves the tax out of the price and any other
// tax type (null included) is treated as exclusive and adds it.
func computeTax(edit float64, group bool, rate float64, taxType *string) (price, with, without, tax float64) {
	if !group {
		return edit, edit, edit, 0
	}
	if taxType == nil || *taxType != "inclusive" {
		with = round5(edit / 100 * (rate + 100))
		return with, with, edit, round5(with - edit)
	}
	without = round5(edit / (rate + 100) * 100)
	return edit, edit, without, round5(edit - without)
}

// productsByUpdated returns product ids by updated_at desc then id desc, the
// default order of the ns.products CRUD list; cached until a product changes.
func (st *state) productsByUpdated() []int {
	if st.prodOrder != nil {
		return st.prodOrder
	}
	ids := append([]int(nil), st.prod.ids...)
	sort.SliceStable(ids, func(i, j int) bool {
		a, b := st.prod.rows[ids[i]], st.prod.rows[ids[j]]
		if !a.UpdatedAt.Equal(b.UpdatedAt.Time) {
			return a.UpdatedAt.After(b.UpdatedAt.Time)
		}
		return a.ID > b.ID
	})
	st.prodOrder = ids
	return ids
}

func (st *state) customersByUpdated() []int {
	if st.custOrder != nil {
		return st.custOrder
	}
	var ids []int
	st.usr.each(func(u *User) {
		if u.Role == RoleCustomer {
			ids = append(ids, u.ID)
		}
	})
	sort.SliceStable(ids, func(i, j int) bool {
		a, b := st.usr.rows[ids[i]], st.usr.rows[ids[j]]
		if !a.UpdatedAt.Equal(b.UpdatedAt.Time) {
			return a.UpdatedAt.After(b.UpdatedAt.Time)
		}
		return a.ID > b.ID
	})
	if ids == nil {
		ids = []int{}
	}
	st.custOrder = ids
	return ids
}

func (st *state) touchCustomer(u *User) {
	u.UpdatedAt = st.stamp()
	st.custOrder = nil
}
