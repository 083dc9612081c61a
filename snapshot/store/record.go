package store

import (
	"fmt"
	"slices"
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
	form snapshot.Form, fields snapshot.Fields, body func(*encoder)) error {
	b, err := t.records(side, kind)
	if err != nil {
		return fmt.Errorf("put %s %s: %w", side, kind, err)
	}
	if t.key, err = appendIDKey(t.key[:0], id); err != nil {
		return fmt.Errorf("put %s %s: %w", side, kind, err)
	}
	if err := t.forgetFormUnless(form); err != nil {
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
	return t.putRecord(side, snapshot.KindCategory, c.ID, c.Modified, form, c.Fields(form), func(e *encoder) { e.category(&c) })
}

// PutProduct stores p as side's latest product p.ID.
func (t *Tx) PutProduct(side snapshot.Side, p snapshot.Product, form snapshot.Form) error {
	return t.putRecord(side, snapshot.KindProduct, p.ID, p.Modified, form, p.Fields(form), func(e *encoder) { e.product(&p) })
}

// PutCustomer stores c as side's latest customer c.ID.
func (t *Tx) PutCustomer(side snapshot.Side, c snapshot.Customer, form snapshot.Form) error {
	return t.putRecord(side, snapshot.KindCustomer, c.ID, c.Modified, form, c.Fields(form), func(e *encoder) { e.customer(&c) })
}

// PutOrder stores o as side's latest order o.ID.
func (t *Tx) PutOrder(side snapshot.Side, o snapshot.Order, form snapshot.Form) error {
	return t.putRecord(side, snapshot.KindOrder, o.ID, o.Modified, form, o.Fields(form), func(e *encoder) { e.order(&o) })
}

// PutPaymentMethod stores m as side's latest payment method m.ID.
func (t *Tx) PutPaymentMethod(side snapshot.Side, m snapshot.PaymentMethod, form snapshot.Form) error {
	return t.putRecord(side, snapshot.KindPaymentMethod, m.ID, time.Time{}, form, m.Fields(form), func(e *encoder) { e.paymentMethod(&m) })
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
