package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/woonexo/woonexo/snapshot"
)

// PutSnapshot stores every record of s (see PutProduct) in one pass, in
// key order, which is much faster than one Put call per record. A record
// whose stored value already holds the same fields and modification time
// is left as it is, so a cycle in which little changed writes little. For
// each kind in s.Complete it also removes stored records s does not have,
// so the stored snapshot of that kind is exactly the listing. Held records
// are not stored here (see ReplaceHeld).
//
// Content hashes are computed only for records written. The form they
// are in is kept in the meta bucket (records_form): when form differs
// from it, every record is written again with a hash in form.
func (t *Tx) PutSnapshot(s snapshot.Snapshot, form snapshot.Form) error {
	if err := validSide(s.Side); err != nil {
		return fmt.Errorf("put snapshot: %w", err)
	}
	rehash := !t.formIs(form)
	err := putAll(t, s, snapshot.KindPaymentMethod, s.PaymentMethods, rehash, recordCodec[snapshot.PaymentMethod]{
		id:   func(m *snapshot.PaymentMethod) snapshot.ID { return m.ID },
		mod:  func(*snapshot.PaymentMethod) time.Time { return time.Time{} },
		body: func(e *encoder, m *snapshot.PaymentMethod) { e.paymentMethod(m) },
		hash: func(m *snapshot.PaymentMethod) string { return snapshot.Hash(m.Fields(form)) },
	})
	if err == nil {
		err = putAll(t, s, snapshot.KindCategory, s.Categories, rehash, recordCodec[snapshot.Category]{
			id:   func(c *snapshot.Category) snapshot.ID { return c.ID },
			mod:  func(c *snapshot.Category) time.Time { return c.Modified },
			body: func(e *encoder, c *snapshot.Category) { e.category(c) },
			hash: func(c *snapshot.Category) string { return snapshot.Hash(c.Fields(form)) },
		})
	}
	if err == nil {
		err = putAll(t, s, snapshot.KindProduct, s.Products, rehash, recordCodec[snapshot.Product]{
			id:   func(p *snapshot.Product) snapshot.ID { return p.ID },
			mod:  func(p *snapshot.Product) time.Time { return p.Modified },
			body: func(e *encoder, p *snapshot.Product) { e.product(p) },
			hash: func(p *snapshot.Product) string { return snapshot.Hash(p.Fields(form)) },
		})
	}
	if err == nil {
		err = putAll(t, s, snapshot.KindCustomer, s.Customers, rehash, recordCodec[snapshot.Customer]{
			id:   func(c *snapshot.Customer) snapshot.ID { return c.ID },
			mod:  func(c *snapshot.Customer) time.Time { return c.Modified },
			body: func(e *encoder, c *snapshot.Customer) { e.customer(c) },
			hash: func(c *snapshot.Customer) string { return snapshot.Hash(c.Fields(form)) },
		})
	}
	if err == nil {
		err = putAll(t, s, snapshot.KindOrder, s.Orders, rehash, recordCodec[snapshot.Order]{
			id:   func(o *snapshot.Order) snapshot.ID { return o.ID },
			mod:  func(o *snapshot.Order) time.Time { return o.Modified },
			body: func(e *encoder, o *snapshot.Order) { e.order(o) },
			hash: func(o *snapshot.Order) string { return snapshot.Hash(o.Fields(form)) },
		})
	}
	if err == nil && rehash {
		err = t.tx.Bucket(bucketMeta).Put(keyRecordsForm, formValue(form))
	}
	if err != nil {
		return fmt.Errorf("put %s snapshot: %w", s.Side, err)
	}
	return nil
}

func formValue(f snapshot.Form) []byte { return []byte(strconv.Itoa(f.MoneyPlaces)) }

// formIs reports whether the stored content hashes are all in form.
func (t *Tx) formIs(form snapshot.Form) bool {
	return bytes.Equal(t.tx.Bucket(bucketMeta).Get(keyRecordsForm), formValue(form))
}

// forgetFormUnless drops records_form when a record is about to be
// hashed in another form, so that the next PutSnapshot hashes every
// record again.
func (t *Tx) forgetFormUnless(form snapshot.Form) error {
	if v := t.tx.Bucket(bucketMeta).Get(keyRecordsForm); v == nil || bytes.Equal(v, formValue(form)) {
		return nil
	}
	return t.tx.Bucket(bucketMeta).Delete(keyRecordsForm)
}

// recordCodec is how PutSnapshot writes one kind: a value is the format
// byte, the content hash, then tail = modification time | fields.
type recordCodec[R any] struct {
	id   func(*R) snapshot.ID
	mod  func(*R) time.Time
	body func(*encoder, *R)
	hash func(*R) string
}

type pair struct{ k, v []byte }

func putAll[R any](t *Tx, s snapshot.Snapshot, kind snapshot.Kind, recs []R, rehash bool, rc recordCodec[R]) error {
	if len(recs) == 0 && !s.Complete[kind] {
		return nil
	}
	b, err := t.records(s.Side, kind)
	if err != nil {
		return err
	}
	keys, order, err := recordKeys(recs, rc.id)
	if err != nil {
		return fmt.Errorf("%s: %w", kind, err)
	}
	// The stored values, read before anything is written (a cursor is
	// invalid once its bucket changes).
	old := make([][]byte, len(order))
	var gone [][]byte
	if s.Complete[kind] {
		gone = storedAlongside(b, keys, old)
	} else {
		c := b.Cursor()
		for i, k := range keys {
			if sk, v := c.Seek(k); bytes.Equal(sk, k) {
				old[i] = v
			}
		}
	}
	pairs := encodeChanged(recs, order, keys, old, rehash, rc)
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
	for _, k := range gone {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
	}
	return nil
}

// recordKeys returns the id keys of recs in key order, each key once, and
// for each the position in recs of the record that is written (the last
// one with that id, as successive Puts would leave it). The keys share one
// buffer that bbolt may keep until the transaction ends.
func recordKeys[R any](recs []R, id func(*R) snapshot.ID) ([][]byte, []int, error) {
	buf := make([]byte, 0, len(recs)*9)
	ends := make([]int, len(recs))
	for i := range recs {
		var err error
		if buf, err = appendIDKey(buf, id(&recs[i])); err != nil {
			return nil, nil, fmt.Errorf("record %d: %w", i, err)
		}
		ends[i] = len(buf)
	}
	keys := make([][]byte, len(recs))
	order := make([]int, len(recs))
	start := 0
	for i, end := range ends {
		keys[i], order[i] = buf[start:end:end], i
		start = end
	}
	cmp := func(a, b int) int { return bytes.Compare(keys[a], keys[b]) }
	if !slices.IsSortedFunc(order, cmp) {
		slices.SortStableFunc(order, cmp)
	}
	// keep the last of equal keys
	out := order[:0]
	for j, i := range order {
		if j+1 < len(order) && bytes.Equal(keys[i], keys[order[j+1]]) {
			continue
		}
		out = append(out, i)
	}
	sorted := make([][]byte, len(out))
	for j, i := range out {
		sorted[j] = keys[i]
	}
	return sorted, out, nil
}

// storedAlongside walks b and the sorted keys together: old[i] is the
// stored value of keys[i] (nil when none); it returns copies of the stored
// keys that are not among keys.
func storedAlongside(b *bolt.Bucket, keys [][]byte, old [][]byte) [][]byte {
	var gone [][]byte
	c := b.Cursor()
	i := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		for i < len(keys) && bytes.Compare(keys[i], k) < 0 {
			i++
		}
		if i < len(keys) && bytes.Equal(keys[i], k) {
			old[i] = v
			continue
		}
		gone = append(gone, bytes.Clone(k))
	}
	return gone
}

// encodeChanged encodes the records order names (keys[j] is the key of
// recs[order[j]], old[j] its stored value) and returns, in key order, the
// pairs to write: every record whose stored value differs, or every one
// when rehash. Encoding and hashing are spread over the processors; the
// buffers stay untouched until the transaction ends, as bbolt requires.
func encodeChanged[R any](recs []R, order []int, keys, old [][]byte, rehash bool, rc recordCodec[R]) []pair {
	const minPerWorker = 4096
	n := len(order)
	workers := max(1, min(runtime.GOMAXPROCS(0), n/minPerWorker))
	per := (n + workers - 1) / workers
	out := make([][]pair, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*per, min(n, (w+1)*per)
		wg.Go(func() {
			var tail encoder
			var a arena
			var ps []pair
			for j := lo; j < hi; j++ {
				r := &recs[order[j]]
				tail.reset()
				tail.time(rc.mod(r))
				rc.body(&tail, r)
				if !rehash && sameTail(old[j], tail.b) {
					continue
				}
				h := rc.hash(r)
				v := a.alloc(1 + binary.MaxVarintLen64 + len(h) + len(tail.b))
				v = append(v, recordFormat)
				v = binary.AppendUvarint(v, uint64(len(h)))
				v = append(v, h...)
				v = append(v, tail.b...)
				ps = append(ps, pair{k: keys[j], v: v[:len(v):len(v)]})
			}
			out[w] = ps
		})
	}
	wg.Wait()
	return slices.Concat(out...)
}

// arena hands out byte slices carved from 64 KiB chunks: one allocation
// per chunk instead of per value, and little unused room.
type arena struct{ free []byte }

const arenaChunk = 64 << 10

// alloc returns an empty slice with room for n bytes.
func (a *arena) alloc(n int) []byte {
	if n > len(a.free) {
		a.free = make([]byte, max(n, arenaChunk))
	}
	v := a.free[:0:n]
	a.free = a.free[n:]
	return v
}

// sameTail reports whether a stored record value holds tail (modification
// time and fields) after its header's format byte and content hash.
func sameTail(v, tail []byte) bool {
	if len(v) == 0 || v[0] != recordFormat {
		return false
	}
	n, w := binary.Uvarint(v[1:])
	if w <= 0 || n > uint64(len(v)-1-w) {
		return false
	}
	return bytes.Equal(v[1+w+int(n):], tail)
}
