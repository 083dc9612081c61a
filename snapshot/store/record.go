package store

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/woonexo/woonexo/snapshot"
)

// records returns the bucket of side's records of kind.
func (t *Tx) records(side snapshot.Side, kind snapshot.Kind) (*bolt.Bucket, error) {
	if err := validSide(side); err != nil {
		return nil, err
	}
	if err := validKind(kind); err != nil {
		return nil, err
	}
	b := t.tx.Bucket(bucketRecords).Bucket([]byte(side)).Bucket([]byte(kind))
	if b == nil {
		return nil, fmt.Errorf("records/%s/%s missing: %w", side, kind, ErrCorrupt)
	}
	return b, nil
}

func (t *Tx) putRecord(side snapshot.Side, kind snapshot.Kind, id snapshot.ID, modified time.Time,
	fields snapshot.Fields, body func(*encoder)) error {
	b, err := t.records(side, kind)
	if err != nil {
		return fmt.Errorf("put %s %s: %w", side, kind, err)
	}
	if t.key, err = appendIDKey(t.key[:0], id); err != nil {
		return fmt.Errorf("put %s %s: %w", side, kind, err)
	}
	t.enc.reset()
	t.enc.header(snapshot.Hash(fields), modified)
	body(&t.enc)
	if err := b.Put(t.keep(t.key), t.keep(t.enc.b)); err != nil {
		return fmt.Errorf("put %s %s %s: %w", side, kind, id, err)
	}
	return nil
}

// PutCategory stores c as side's latest category c.ID, with the content
// hash of its canonical fields in form and its modification time.
func (t *Tx) PutCategory(side snapshot.Side, c snapshot.Category, form snapshot.Form) error {
	return t.putRecord(side, snapshot.KindCategory, c.ID, c.Modified, c.Fields(form), func(e *encoder) { e.category(&c) })
}

// PutProduct stores p as side's latest product p.ID.
func (t *Tx) PutProduct(side snapshot.Side, p snapshot.Product, form snapshot.Form) error {
	return t.putRecord(side, snapshot.KindProduct, p.ID, p.Modified, p.Fields(form), func(e *encoder) { e.product(&p) })
}

// PutCustomer stores c as side's latest customer c.ID.
func (t *Tx) PutCustomer(side snapshot.Side, c snapshot.Customer, form snapshot.Form) error {
	return t.putRecord(side, snapshot.KindCustomer, c.ID, c.Modified, c.Fields(form), func(e *encoder) { e.customer(&c) })
}

// PutOrder stores o as side's latest order o.ID.
func (t *Tx) PutOrder(side snapshot.Side, o snapshot.Order, form snapshot.Form) error {
	return t.putRecord(side, snapshot.KindOrder, o.ID, o.Modified, o.Fields(form), func(e *encoder) { e.order(&o) })
}

// PutPaymentMethod stores m as side's latest payment method m.ID.
func (t *Tx) PutPaymentMethod(side snapshot.Side, m snapshot.PaymentMethod, form snapshot.Form) error {
	return t.putRecord(side, snapshot.KindPaymentMethod, m.ID, time.Time{}, m.Fields(form), func(e *encoder) { e.paymentMethod(&m) })
}

// DeleteRecord removes side's record kind/id; a missing record is no error.
func (t *Tx) DeleteRecord(side snapshot.Side, kind snapshot.Kind, id snapshot.ID) error {
	b, err := t.records(side, kind)
	if err == nil {
		t.key, err = appendIDKey(t.key[:0], id)
	}
	if err == nil {
		err = b.Delete(t.key)
	}
	if err != nil {
		return fmt.Errorf("delete %s %s %s: %w", side, kind, id, err)
	}
	return nil
}

// getRecord decodes side's record kind/id with body; false when absent.
func (t *Tx) getRecord(side snapshot.Side, kind snapshot.Kind, id snapshot.ID, body func(*decoder, time.Time)) (bool, error) {
	b, err := t.records(side, kind)
	if err == nil {
		t.key, err = appendIDKey(t.key[:0], id)
	}
	if err != nil {
		return false, fmt.Errorf("get %s %s: %w", side, kind, err)
	}
	v := b.Get(t.key)
	if v == nil {
		return false, nil
	}
	d := decoder{s: string(v)}
	_, mod := d.header()
	body(&d, mod)
	if err := d.end(); err != nil {
		return false, fmt.Errorf("get %s %s %s: %w", side, kind, id, err)
	}
	return true, nil
}

// Category returns side's stored category id.
func (t *Tx) Category(side snapshot.Side, id snapshot.ID) (c snapshot.Category, ok bool, err error) {
	ok, err = t.getRecord(side, snapshot.KindCategory, id, func(d *decoder, mod time.Time) {
		d.category(&c)
		c.ID, c.Modified = id, mod
	})
	return c, ok, err
}

// Product returns side's stored product id.
func (t *Tx) Product(side snapshot.Side, id snapshot.ID) (p snapshot.Product, ok bool, err error) {
	ok, err = t.getRecord(side, snapshot.KindProduct, id, func(d *decoder, mod time.Time) {
		d.product(&p)
		p.ID, p.Modified = id, mod
	})
	return p, ok, err
}

// Customer returns side's stored customer id.
func (t *Tx) Customer(side snapshot.Side, id snapshot.ID) (c snapshot.Customer, ok bool, err error) {
	ok, err = t.getRecord(side, snapshot.KindCustomer, id, func(d *decoder, mod time.Time) {
		d.customer(&c)
		c.ID, c.Modified = id, mod
	})
	return c, ok, err
}

// Order returns side's stored order id.
func (t *Tx) Order(side snapshot.Side, id snapshot.ID) (o snapshot.Order, ok bool, err error) {
	ok, err = t.getRecord(side, snapshot.KindOrder, id, func(d *decoder, mod time.Time) {
		d.order(&o)
		o.ID, o.Modified = id, mod
	})
	return o, ok, err
}

// PaymentMethod returns side's stored payment method id.
func (t *Tx) PaymentMethod(side snapshot.Side, id snapshot.ID) (m snapshot.PaymentMethod, ok bool, err error) {
	ok, err = t.getRecord(side, snapshot.KindPaymentMethod, id, func(d *decoder, _ time.Time) {
		d.paymentMethod(&m)
		m.ID = id
	})
	return m, ok, err
}

// RecordHash returns the content hash stored with side's record kind/id;
// false when there is no such record (or its value is unreadable, which
// Check reports).
func (t *Tx) RecordHash(side snapshot.Side, kind snapshot.Kind, id snapshot.ID) (string, bool) {
	b, err := t.records(side, kind)
	if err == nil {
		t.key, err = appendIDKey(t.key[:0], id)
	}
	if err != nil {
		return "", false
	}
	v := b.Get(t.key)
	if v == nil {
		return "", false
	}
	h, err := valueHash(v)
	return h, err == nil
}

// valueHash reads the content hash from a record value's header, copying
// only the header when it can.
func valueHash(v []byte) (string, error) {
	d := decoder{s: string(v[:min(len(v), 64)])}
	if h, _ := d.header(); d.err == nil {
		return h, nil
	}
	d = decoder{s: string(v)}
	h, _ := d.header()
	return h, d.err
}

// Hashes returns the content hash of every stored record of side and
// kind, without decoding the records.
func (t *Tx) Hashes(side snapshot.Side, kind snapshot.Kind) (map[snapshot.ID]string, error) {
	b, err := t.records(side, kind)
	if err != nil {
		return nil, fmt.Errorf("hashes: %w", err)
	}
	out := make(map[snapshot.ID]string)
	err = b.ForEach(func(k, v []byte) error {
		id, err := keyID(k)
		if err != nil {
			return err
		}
		h, err := valueHash(v)
		if err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		out[id] = h
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hashes %s %s: %w", side, kind, err)
	}
	return out, nil
}

// Count returns how many records of side and kind are stored.
func (t *Tx) Count(side snapshot.Side, kind snapshot.Kind) (int, error) {
	b, err := t.records(side, kind)
	if err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	// Stats would count committed pages only; a cursor also sees this
	// transaction's own writes.
	n := 0
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	return n, nil
}

// LoadSnapshot returns every stored record of side, each kind in id order
// (numeric ids first, numerically). Complete, Failed and Held are empty:
// they describe a reading, not what is stored.
func (t *Tx) LoadSnapshot(side snapshot.Side) (snapshot.Snapshot, error) {
	s := snapshot.Snapshot{Side: side}
	err := loadKind(t, side, snapshot.KindPaymentMethod, &s.PaymentMethods, func(d *decoder, m *snapshot.PaymentMethod, id snapshot.ID, _ time.Time) {
		d.paymentMethod(m)
		m.ID = id
	})
	if err == nil {
		err = loadKind(t, side, snapshot.KindCategory, &s.Categories, func(d *decoder, c *snapshot.Category, id snapshot.ID, mod time.Time) {
			d.category(c)
			c.ID, c.Modified = id, mod
		})
	}
	if err == nil {
		err = loadKind(t, side, snapshot.KindProduct, &s.Products, func(d *decoder, p *snapshot.Product, id snapshot.ID, mod time.Time) {
			d.product(p)
			p.ID, p.Modified = id, mod
		})
	}
	if err == nil {
		err = loadKind(t, side, snapshot.KindCustomer, &s.Customers, func(d *decoder, c *snapshot.Customer, id snapshot.ID, mod time.Time) {
			d.customer(c)
			c.ID, c.Modified = id, mod
		})
	}
	if err == nil {
		err = loadKind(t, side, snapshot.KindOrder, &s.Orders, func(d *decoder, o *snapshot.Order, id snapshot.ID, mod time.Time) {
			d.order(o)
			o.ID, o.Modified = id, mod
		})
	}
	if err != nil {
		return snapshot.Snapshot{}, fmt.Errorf("load %s snapshot: %w", side, err)
	}
	return s, nil
}

func loadKind[R any](t *Tx, side snapshot.Side, kind snapshot.Kind, out *[]R, body func(*decoder, *R, snapshot.ID, time.Time)) error {
	b, err := t.records(side, kind)
	if err != nil {
		return err
	}
	var recs []R
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		id, err := keyID(k)
		if err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		if cap(recs) == len(recs) {
			recs = slices.Grow(recs, max(64, len(recs)))
		}
		recs = recs[:len(recs)+1]
		d := decoder{s: string(v)}
		_, mod := d.header()
		body(&d, &recs[len(recs)-1], id, mod)
		if err := d.end(); err != nil {
			return fmt.Errorf("%s %s: %w", kind, id, err)
		}
	}
	*out = recs
	return nil
}

// PutSnapshot stores every record of s (see PutProduct) in one pass, in
// key order, which is much faster than one Put call per record. For each
// kind in s.Complete it also removes stored records s does not have, so
// the stored snapshot of that kind is exactly the listing. Held records
// are not stored here (see ReplaceHeld).
func (t *Tx) PutSnapshot(s snapshot.Snapshot, form snapshot.Form) error {
	if err := validSide(s.Side); err != nil {
		return fmt.Errorf("put snapshot: %w", err)
	}
	err := putAll(t, s, snapshot.KindPaymentMethod, s.PaymentMethods, func(e *encoder, m *snapshot.PaymentMethod) snapshot.ID {
		e.header(snapshot.Hash(m.Fields(form)), time.Time{})
		e.paymentMethod(m)
		return m.ID
	})
	if err == nil {
		err = putAll(t, s, snapshot.KindCategory, s.Categories, func(e *encoder, c *snapshot.Category) snapshot.ID {
			e.header(snapshot.Hash(c.Fields(form)), c.Modified)
			e.category(c)
			return c.ID
		})
	}
	if err == nil {
		err = putAll(t, s, snapshot.KindProduct, s.Products, func(e *encoder, p *snapshot.Product) snapshot.ID {
			e.header(snapshot.Hash(p.Fields(form)), p.Modified)
			e.product(p)
			return p.ID
		})
	}
	if err == nil {
		err = putAll(t, s, snapshot.KindCustomer, s.Customers, func(e *encoder, c *snapshot.Customer) snapshot.ID {
			e.header(snapshot.Hash(c.Fields(form)), c.Modified)
			e.customer(c)
			return c.ID
		})
	}
	if err == nil {
		err = putAll(t, s, snapshot.KindOrder, s.Orders, func(e *encoder, o *snapshot.Order) snapshot.ID {
			e.header(snapshot.Hash(o.Fields(form)), o.Modified)
			e.order(o)
			return o.ID
		})
	}
	if err != nil {
		return fmt.Errorf("put %s snapshot: %w", s.Side, err)
	}
	return nil
}

type pair struct{ k, v []byte }

func putAll[R any](t *Tx, s snapshot.Snapshot, kind snapshot.Kind, recs []R, encode func(*encoder, *R) snapshot.ID) error {
	if len(recs) == 0 && !s.Complete[kind] {
		return nil
	}
	b, err := t.records(s.Side, kind)
	if err != nil {
		return err
	}
	pairs, err := encodeAll(recs, encode)
	if err != nil {
		return fmt.Errorf("%s: %w", kind, err)
	}
	if len(pairs) > 0 {
		if last, _ := b.Cursor().Last(); last == nil || bytes.Compare(last, pairs[0].k) < 0 {
			// A pure append: fill pages completely when they are split at
			// commit. (bbolt reads FillPercent then, so it stays set for
			// the rest of the transaction.)
			b.FillPercent = 1
		}
	}
	for _, p := range pairs {
		if err := b.Put(p.k, p.v); err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
	}
	if s.Complete[kind] {
		return prune(b, pairs)
	}
	return nil
}

// encodeAll encodes recs, keys and values, into buffers that bbolt may
// keep until the transaction ends, and returns the pairs sorted by key.
// Hashing and encoding are spread over the available processors.
func encodeAll[R any](recs []R, encode func(*encoder, *R) snapshot.ID) ([]pair, error) {
	const minPerWorker = 4096
	n := len(recs)
	workers := max(1, min(runtime.GOMAXPROCS(0), n/minPerWorker))
	per := (n + workers - 1) / workers
	pairs := make([]pair, n)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*per, min(n, (w+1)*per)
		wg.Go(func() { errs[w] = encodeRange(recs[lo:hi], pairs[lo:hi], lo, encode) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	cmp := func(a, b pair) int { return bytes.Compare(a.k, b.k) }
	if !slices.IsSortedFunc(pairs, cmp) {
		slices.SortStableFunc(pairs, cmp)
	}
	return pairs, nil
}

func encodeRange[R any](recs []R, pairs []pair, first int, encode func(*encoder, *R) snapshot.ID) error {
	buf := make([]byte, 0, len(recs)*192)
	ends := make([][3]int, len(recs)) // key start, value start, value end
	var val encoder
	for i := range recs {
		val.reset()
		id := encode(&val, &recs[i])
		start := len(buf)
		var err error
		if buf, err = appendIDKey(buf, id); err != nil {
			return fmt.Errorf("record %d: %w", first+i, err)
		}
		vs := len(buf)
		buf = append(buf, val.b...)
		ends[i] = [3]int{start, vs, len(buf)}
	}
	for i, o := range ends {
		pairs[i] = pair{k: buf[o[0]:o[1]:o[1]], v: buf[o[1]:o[2]:o[2]]}
	}
	return nil
}

// prune deletes the keys of b that are not among the sorted pairs.
func prune(b *bolt.Bucket, pairs []pair) error {
	var gone [][]byte
	c := b.Cursor()
	i := 0
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		for i < len(pairs) && bytes.Compare(pairs[i].k, k) < 0 {
			i++
		}
		if i < len(pairs) && bytes.Equal(pairs[i].k, k) {
			continue
		}
		gone = append(gone, bytes.Clone(k))
	}
	for _, k := range gone {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
