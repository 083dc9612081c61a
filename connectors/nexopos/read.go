package nexopos

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/woonexo/woonexo/snapshot"
	"golang.org/x/sync/errgroup"
)

const (
	unitsPerPage     = 1000 // ns.products-units page size (NexoPOS has no cap)
	customersPerPage = 1000
	ordersPerPage    = 100
	// pageConcurrency bounds the pages of one listing in flight at once;
	// the shared budget paces them anyway.
	pageConcurrency = 4
)

// ReadOptions says what ReadSnapshot reads.
type ReadOptions struct {
	// Full lists every kind in full; Complete is set for each kind read so.
	// Without Full, order discovery stops early (see OrdersSince) and
	// orders are not Complete; the other kinds have no change filter on
	// NexoPOS and are always listed in full.
	Full bool
	// Since is accepted for symmetry with WooCommerce; NexoPOS has no
	// usable modification filter (stock moves never touch a product's
	// updated_at, payments never touch an order's), so it is unused.
	Since map[snapshot.Kind]time.Time
	// Kinds limits the kinds read; nil reads all.
	Kinds []snapshot.Kind
	// KnownOrders are the orders the caller already holds, each with the
	// payment_status it holds (snapshot.Order.RawStatus). A known order is
	// read again in detail only when that status is not settled (paid,
	// voided, refunded) or when the listing shows another status (a void or
	// refund made since); see the package documentation for how far back
	// discovery looks.
	KnownOrders map[snapshot.ID]string
	// OrdersSince stops discovery (without Full) at the first page holding
	// only known, unchanged orders created before it. Zero stops at the
	// first page holding only known, unchanged orders.
	OrdersSince time.Time
	// PastBefore makes the orders created before it, and not known, past
	// orders: discovered but never read in detail nor returned (a first
	// sync does not replay a shop's history), and discovery stops at the
	// first page reaching them once every known order was seen. Zero: no
	// order is past.
	PastBefore time.Time
}

func (o ReadOptions) isPast(created time.Time) bool {
	return !o.PastBefore.IsZero() && !created.IsZero() && created.Before(o.PastBefore)
}

func (o ReadOptions) wants(k snapshot.Kind) bool {
	return o.Kinds == nil || slices.Contains(o.Kinds, k)
}

// ReadSnapshot reads NexoPOS into canonical records:
//
//   - products: GET /api/units (allowed unit ids), GET /api/products (every
//     product row in one call), GET /api/crud/ns.products-units pages of 1,000
//     (stock and price per unit row);
//   - categories: GET /api/categories;
//   - customers: GET /api/crud/ns.customers pages of 1,000, with addresses
//     from GET /api/customers;
//   - payment methods: GET /api/crud/ns.payments-types;
//   - orders: GET /api/crud/ns.orders newest first, and GET /api/orders/{id}
//     for each order that is new or not yet settled (only those are
//     returned: settled known orders are already in the caller's hands).
//
// A kind that failed goes in Failed and the others still come back; the
// error is non-nil only when nothing could be read.
func (c *Client) ReadSnapshot(ctx context.Context, opts ReadOptions) (snapshot.Snapshot, error) {
	s := snapshot.Snapshot{Side: snapshot.NexoPOS, TakenAt: c.clock.Now().UTC(),
		Complete: map[snapshot.Kind]bool{}, Failed: map[snapshot.Kind]string{}}
	var mu sync.Mutex
	var firstErr error
	asked := 0
	g, gctx := errgroup.WithContext(ctx)
	run := func(k snapshot.Kind, f func(context.Context) (complete bool, held []snapshot.Held, err error)) {
		if !opts.wants(k) {
			return
		}
		asked++
		g.Go(func() error {
			complete, held, err := f(gctx)
			mu.Lock()
			defer mu.Unlock()
			s.Held = append(s.Held, held...)
			if err != nil {
				s.Failed[k] = failReason(err)
				if firstErr == nil {
					firstErr = err
				}
				return nil
			}
			if complete {
				s.Complete[k] = true
			}
			return nil
		})
	}
	run(snapshot.KindProduct, func(ctx context.Context) (bool, []snapshot.Held, error) {
		ps, held, err := c.readProducts(ctx)
		mu.Lock()
		s.Products = ps
		mu.Unlock()
		return err == nil, held, err
	})
	run(snapshot.KindCategory, func(ctx context.Context) (bool, []snapshot.Held, error) {
		cs, held, err := c.readCategories(ctx)
		mu.Lock()
		s.Categories = cs
		mu.Unlock()
		return err == nil, held, err
	})
	run(snapshot.KindCustomer, func(ctx context.Context) (bool, []snapshot.Held, error) {
		cs, held, err := c.readCustomers(ctx)
		mu.Lock()
		s.Customers = cs
		mu.Unlock()
		return err == nil, held, err
	})
	run(snapshot.KindPaymentMethod, func(ctx context.Context) (bool, []snapshot.Held, error) {
		ms, held, err := c.readPaymentTypes(ctx)
		mu.Lock()
		s.PaymentMethods = ms
		mu.Unlock()
		return err == nil, held, err
	})
	run(snapshot.KindOrder, func(ctx context.Context) (bool, []snapshot.Held, error) {
		os, complete, held, err := c.readOrders(ctx, opts)
		mu.Lock()
		s.Orders = os
		mu.Unlock()
		return complete && opts.Full, held, err
	})
	_ = g.Wait()
	if asked > 0 && len(s.Failed) == asked {
		return s, fmt.Errorf("nexopos: read snapshot: %w", firstErr)
	}
	return s, nil
}

func failReason(err error) string {
	k := KindOf(err)
	if k == "" {
		k = KindTransient
	}
	msg := err.Error()
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return string(k) + ": " + msg
}

// getList sends a GET answered by a bare JSON array of records. A null
// body (or anything but an array) fails: read as an empty listing it would
// make every record of the kind look deleted.
func (c *Client) getList(ctx context.Context, cl call) ([]json.RawMessage, error) {
	var body json.RawMessage
	if err := c.do(ctx, cl, &body); err != nil {
		return nil, err
	}
	if t := bytes.TrimSpace(body); len(t) == 0 || t[0] != '[' {
		return nil, &Error{Op: cl.op, Kind: KindTransient, Message: fmt.Sprintf("answer is not a list: %.40s", t)}
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(body, &raws); err != nil {
		return nil, &Error{Op: cl.op, Kind: KindTransient, Message: "malformed list: " + reason(err)}
	}
	return raws, nil
}

// listCRUD reads every page of a CRUD namespace, calling each with the
// rows of a page (T decoded, or the bytes of a row that did not decode),
// every record once. Pages after the first go concurrently. A listing with
// fewer distinct records than the total the server announced (a page
// repeated or skipped while rows moved) fails as "listing short": taken as
// complete, it would make the missing records look deleted. It returns the
// announced total. idOf gives the id of a decoded row.
func listCRUD[T any](ctx context.Context, c *Client, ns, group string, perPage int, extra map[string]string, rowID func(*T) snapshot.ID, each func([]listed[T])) (int, error) {
	type page struct {
		lastPage, total int
		rows            []listed[T]
	}
	get := func(ctx context.Context, n int) (page, error) {
		q := queryOf("per_page", strconv.Itoa(perPage), "page", strconv.Itoa(n))
		for k, v := range extra {
			q.Set(k, v)
		}
		var pg crudPage[T]
		if err := c.do(ctx, call{op: "list " + ns, group: group, method: "GET", path: apiPath("crud", ns), query: q, safe: true}, &pg); err != nil {
			return page{}, err
		}
		if pg.raw == nil {
			return page{lastPage: pg.lastPage, total: pg.total, rows: pg.rows}, nil
		}
		p, err := decodePaginator(pg.raw)
		if err != nil {
			return page{}, &Error{Op: "list " + ns, Kind: KindTransient, Message: "malformed page: " + reason(err)}
		}
		rows := make([]listed[T], len(p.Data))
		for i, raw := range p.Data {
			rows[i] = decodeListed[T](raw)
		}
		return page{lastPage: int(p.LastPage), total: int(p.Total), rows: rows}, nil
	}
	var mu sync.Mutex
	seen := map[snapshot.ID]bool{}
	distinct := 0
	take := func(rows []listed[T]) {
		fresh := rows[:0:0]
		for _, r := range rows {
			id := idOf(r.raw)
			if !r.bad {
				id = rowID(&r.v)
			}
			if id != "" {
				if seen[id] {
					continue
				}
				seen[id] = true
			}
			fresh = append(fresh, r)
		}
		distinct += len(fresh)
		each(fresh)
	}
	first, err := get(ctx, 1)
	if err != nil {
		return 0, err
	}
	take(first.rows)
	last := first.lastPage
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(pageConcurrency)
	for n := 2; n <= last; n++ {
		g.Go(func() error {
			p, err := get(gctx, n)
			if err != nil {
				return err
			}
			mu.Lock()
			take(p.rows)
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	if distinct < first.total {
		return 0, &Error{Op: "list " + ns, Kind: KindTransient,
			Message: fmt.Sprintf("listing short: %d distinct records of %d announced", distinct, first.total)}
	}
	return first.total, nil
}

// listUnitRows reads every unit row (ns.products-units).
func (c *Client) listUnitRows(ctx context.Context) ([]unitRowDTO, []snapshot.Held, error) {
	var rows []unitRowDTO
	var held []snapshot.Held
	total, err := listCRUD(ctx, c, "ns.products-units", "units", unitsPerPage, nil, unitRowID, func(page []listed[unitRowDTO]) {
		for _, l := range page {
			r, err := l.v, validUnitRow(&l.v)
			if l.bad {
				r, err = decodeUnitRow(l.raw)
			}
			if err != nil {
				held = append(held, snapshot.Held{Side: snapshot.NexoPOS, Kind: snapshot.KindProduct, ID: productIDOf(l.raw, &r),
					Reason: "unit row: " + reason(err), Class: "decode"})
				continue
			}
			rows = append(rows, r)
		}
	})
	if err != nil {
		return nil, nil, err
	}
	if len(rows)+len(held) < total {
		return nil, nil, &Error{Op: "list ns.products-units", Kind: KindTransient,
			Message: fmt.Sprintf("listing short: %d of %d rows", len(rows)+len(held), total)}
	}
	c.mu.Lock()
	c.cache.rowsTotal = total
	c.mu.Unlock()
	return rows, held, nil
}

func unitRowID(r *unitRowDTO) snapshot.ID { return snapshot.ID(r.ID) }

// productIDOf is the product_id of a unit row held: decoded (raw nil), or
// read from the bytes of one that did not decode.
func productIDOf(raw []byte, r *unitRowDTO) snapshot.ID {
	if raw == nil {
		return snapshot.ID(r.ProductID)
	}
	var v struct {
		ProductID flexID `json:"product_id"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return snapshot.ID(v.ProductID)
}

// readProducts: unit ids, product rows, unit rows; joins them.
func (c *Client) readProducts(ctx context.Context) ([]snapshot.Product, []snapshot.Held, error) {
	// What an earlier read cached must not outlive a read that failed.
	c.mu.Lock()
	c.cache.products = nil
	c.mu.Unlock()
	if _, err := c.readUnits(ctx); err != nil {
		return nil, nil, err
	}
	allowed, err := c.allowedUnitIDs(ctx)
	if err != nil {
		return nil, nil, err
	}
	listedProducts, err := streamList[productDTO](ctx, c, call{op: "list products", group: "products", method: "GET", path: "products", safe: true})
	if err != nil {
		return nil, nil, err
	}
	rows, held, err := c.listUnitRows(ctx)
	if err != nil {
		return nil, nil, err
	}
	n := len(listedProducts)
	byProduct := make(map[snapshot.ID][]unitRowDTO, n)
	for _, r := range rows {
		byProduct[snapshot.ID(r.ProductID)] = append(byProduct[snapshot.ID(r.ProductID)], r)
	}
	cache := make(map[snapshot.ID]unitRow, n)
	sources := make(map[snapshot.ID]productSource, n)
	out := make([]snapshot.Product, 0, n)
	for i := range listedProducts {
		l := &listedProducts[i]
		p, err := l.v, validProduct(&l.v)
		if l.bad {
			p, err = decodeProduct(l.raw)
		}
		l.v = productDTO{} // the rest of the read does not need it
		if err != nil {
			held = append(held, snapshot.Held{Side: snapshot.NexoPOS, Kind: snapshot.KindProduct, ID: idOf(l.raw), Reason: reason(err), Class: "decode"})
			continue
		}
		row := pickRow(byProduct[snapshot.ID(p.ID)], allowed)
		prod, h := productFromDTO(p, row, c.tz)
		if h != nil {
			held = append(held, *h)
			continue
		}
		cache[prod.ID] = rowOf(row, prod.Name)
		p.UnitQuantities = nil
		sources[prod.ID] = productSource{row: p, units: byProduct[prod.ID]}
		out = append(out, prod)
	}
	c.mu.Lock()
	c.cache.rows = cache
	c.cache.products, c.cache.productsAt = sources, c.clock.Now()
	c.mu.Unlock()
	return out, held, nil
}

// readCategories: GET /api/categories.
func (c *Client) readCategories(ctx context.Context) ([]snapshot.Category, []snapshot.Held, error) {
	raws, err := c.getList(ctx, call{op: "list categories", group: "categories", method: "GET", path: "categories", safe: true})
	if err != nil {
		return nil, nil, err
	}
	var out []snapshot.Category
	var held []snapshot.Held
	for _, raw := range raws {
		cat, err := decodeCategory(raw, c.tz)
		if err != nil {
			held = append(held, snapshot.Held{Side: snapshot.NexoPOS, Kind: snapshot.KindCategory, ID: idOf(raw), Reason: reason(err), Class: "decode"})
			continue
		}
		out = append(out, cat)
	}
	return out, held, nil
}

type categoryDTO struct {
	ID          flexID     `json:"id"`
	Name        flexString `json:"name"`
	ParentID    flexID     `json:"parent_id"`
	Description flexString `json:"description"`
	UpdatedAt   flexString `json:"updated_at"`
}

func decodeCategory(raw []byte, loc *time.Location) (snapshot.Category, error) {
	var d categoryDTO
	if err := json.Unmarshal(raw, &d); err != nil {
		return snapshot.Category{}, err
	}
	if d.ID == "" {
		return snapshot.Category{}, errors.New("category without an id")
	}
	return snapshot.Category{ID: snapshot.ID(d.ID), Name: string(d.Name), ParentID: snapshot.ID(d.ParentID),
		Description: string(d.Description), Modified: parseTime(string(d.UpdatedAt), loc)}, nil
}

type paymentTypeDTO struct {
	ID         flexID     `json:"id"`
	Label      flexString `json:"label"`
	Identifier flexString `json:"identifier"`
	Active     flexBool   `json:"active"`
}

// readPaymentTypes: CRUD ns.payments-types ("Yes"/"No" flags).
func (c *Client) readPaymentTypes(ctx context.Context) ([]snapshot.PaymentMethod, []snapshot.Held, error) {
	var out []snapshot.PaymentMethod
	var held []snapshot.Held
	_, err := listCRUD(ctx, c, "ns.payments-types", "payment_types", 100, nil, func(d *paymentTypeDTO) snapshot.ID { return snapshot.ID(d.ID) }, func(page []listed[paymentTypeDTO]) {
		for _, l := range page {
			raw, d := l.raw, l.v
			var err error
			if l.bad {
				err = json.Unmarshal(raw, &d)
			}
			if err != nil || d.ID == "" {
				if err == nil {
					err = errors.New("payment type without an id")
				}
				held = append(held, snapshot.Held{Side: snapshot.NexoPOS, Kind: snapshot.KindPaymentMethod, ID: idOf(raw), Reason: reason(err), Class: "decode"})
				continue
			}
			out = append(out, snapshot.PaymentMethod{ID: snapshot.ID(d.ID), Identifier: string(d.Identifier), Title: string(d.Label), Enabled: bool(d.Active)})
		}
	})
	if err != nil {
		return nil, nil, err
	}
	return out, held, nil
}
