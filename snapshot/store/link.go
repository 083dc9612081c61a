package store

import (
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/woonexo/woonexo/snapshot"
)

// Link pairs a WooCommerce record with its NexoPOS twin (see
// snapshot.Link). NexoPOS has no field for foreign ids, so links live only
// here.
type Link = snapshot.Link

// linkBuckets returns the two directions of kind's links.
func (t *Tx) linkBuckets(kind snapshot.Kind) (byWoo, byNexo *bolt.Bucket, err error) {
	if err := validKind(kind); err != nil {
		return nil, nil, err
	}
	kb := t.tx.Bucket(bucketLinks).Bucket([]byte(kind))
	if kb == nil || kb.Bucket(bucketByWoo) == nil || kb.Bucket(bucketByNexo) == nil {
		return nil, nil, fmt.Errorf("links/%s missing: %w", kind, ErrCorrupt)
	}
	return kb.Bucket(bucketByWoo), kb.Bucket(bucketByNexo), nil
}

func encodeLinkValue(l Link) []byte {
	var e encoder
	e.str(string(l.Nexo))
	e.time(l.Created)
	return e.b
}

func decodeLink(kind snapshot.Kind, k, v []byte) (Link, error) {
	woo, err := keyID(k)
	if err != nil {
		return Link{}, err
	}
	d := decoder{s: string(v)}
	l := Link{Kind: kind, Woo: woo, Nexo: snapshot.ID(d.str()), Created: d.time()}
	if err := d.end(); err != nil {
		return Link{}, fmt.Errorf("link %s %s: %w", kind, woo, err)
	}
	return l, nil
}

// PutLink records that l.Woo and l.Nexo are the same record. Putting a
// link that already exists changes nothing (its Created is kept); linking
// an id that already has another partner fails with ErrLinkTaken.
func (t *Tx) PutLink(l Link) error {
	byWoo, byNexo, err := t.linkBuckets(l.Kind)
	if err != nil {
		return fmt.Errorf("put link: %w", err)
	}
	wk, err := idKey(l.Woo)
	if err != nil {
		return fmt.Errorf("put link %s: woocommerce %w", l.Kind, err)
	}
	nk, err := idKey(l.Nexo)
	if err != nil {
		return fmt.Errorf("put link %s: nexopos %w", l.Kind, err)
	}
	if v := byWoo.Get(wk); v != nil {
		old, err := decodeLink(l.Kind, wk, v)
		if err != nil {
			return fmt.Errorf("put link: %w", err)
		}
		if old.Nexo == l.Nexo {
			return nil
		}
		return fmt.Errorf("put link %s woocommerce %s <-> nexopos %s: woocommerce %s is linked to nexopos %s: %w",
			l.Kind, l.Woo, l.Nexo, l.Woo, old.Nexo, ErrLinkTaken)
	}
	if v := byNexo.Get(nk); v != nil {
		return fmt.Errorf("put link %s woocommerce %s <-> nexopos %s: nexopos %s is linked to woocommerce %s: %w",
			l.Kind, l.Woo, l.Nexo, l.Nexo, v, ErrLinkTaken)
	}
	if err := byWoo.Put(wk, encodeLinkValue(l)); err != nil {
		return fmt.Errorf("put link: %w", err)
	}
	if err := byNexo.Put(nk, []byte(l.Woo)); err != nil {
		return fmt.Errorf("put link: %w", err)
	}
	return nil
}

// DeleteLink removes the link of kind's WooCommerce record wooID, both
// directions, and its baseline. A missing link is no error.
func (t *Tx) DeleteLink(kind snapshot.Kind, wooID snapshot.ID) error {
	l, ok, err := t.linkByWoo(kind, wooID)
	if err != nil || !ok {
		if err != nil {
			return fmt.Errorf("delete link: %w", err)
		}
		return nil
	}
	byWoo, byNexo, _ := t.linkBuckets(kind)
	wk, _ := idKey(l.Woo)
	nk, err := idKey(l.Nexo)
	if err == nil {
		err = byWoo.Delete(wk)
	}
	if err == nil {
		err = byNexo.Delete(nk)
	}
	if err == nil {
		err = t.DeleteBaseline(kind, wooID)
	}
	if err != nil {
		return fmt.Errorf("delete link %s %s: %w", kind, wooID, err)
	}
	return nil
}

func (t *Tx) linkByWoo(kind snapshot.Kind, id snapshot.ID) (Link, bool, error) {
	byWoo, _, err := t.linkBuckets(kind)
	if err != nil {
		return Link{}, false, err
	}
	k, err := idKey(id)
	if err != nil {
		return Link{}, false, err
	}
	v := byWoo.Get(k)
	if v == nil {
		return Link{}, false, nil
	}
	l, err := decodeLink(kind, k, v)
	return l, err == nil, err
}

// LinkByWoo returns the link of kind's WooCommerce record id; false when
// it has none (or its value is unreadable, which Check reports).
func (t *Tx) LinkByWoo(kind snapshot.Kind, id snapshot.ID) (Link, bool) {
	l, ok, _ := t.linkByWoo(kind, id)
	return l, ok
}

// LinkByNexo returns the link of kind's NexoPOS record id; false when it
// has none.
func (t *Tx) LinkByNexo(kind snapshot.Kind, id snapshot.ID) (Link, bool) {
	_, byNexo, err := t.linkBuckets(kind)
	if err != nil {
		return Link{}, false
	}
	k, err := idKey(id)
	if err != nil {
		return Link{}, false
	}
	v := byNexo.Get(k)
	if v == nil {
		return Link{}, false
	}
	l, ok, _ := t.linkByWoo(kind, snapshot.ID(v))
	if !ok || l.Nexo != id {
		return Link{}, false
	}
	return l, true
}

// Links returns every link of kind, by WooCommerce id.
func (t *Tx) Links(kind snapshot.Kind) ([]Link, error) {
	byWoo, _, err := t.linkBuckets(kind)
	if err != nil {
		return nil, fmt.Errorf("links: %w", err)
	}
	var out []Link
	err = byWoo.ForEach(func(k, v []byte) error {
		l, err := decodeLink(kind, k, v)
		out = append(out, l)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("links %s: %w", kind, err)
	}
	return out, nil
}

func (t *Tx) baselines(kind snapshot.Kind) (*bolt.Bucket, error) {
	if err := validKind(kind); err != nil {
		return nil, err
	}
	b := t.tx.Bucket(bucketBaselines).Bucket([]byte(kind))
	if b == nil {
		return nil, fmt.Errorf("baselines/%s missing: %w", kind, ErrCorrupt)
	}
	return b, nil
}

// PutBaseline stores f as the canonical fields both sides last agreed on
// for the linked pair of kind whose WooCommerce id is wooID. The pair must
// be linked (ErrNoLink otherwise).
func (t *Tx) PutBaseline(kind snapshot.Kind, wooID snapshot.ID, f snapshot.Fields) error {
	b, err := t.baselines(kind)
	if err != nil {
		return fmt.Errorf("put baseline: %w", err)
	}
	if _, ok, err := t.linkByWoo(kind, wooID); err != nil || !ok {
		if err == nil {
			err = ErrNoLink
		}
		return fmt.Errorf("put baseline %s %s: %w", kind, wooID, err)
	}
	k, _ := idKey(wooID)
	var e encoder
	e.fields(f)
	if err := b.Put(k, e.b); err != nil {
		return fmt.Errorf("put baseline %s %s: %w", kind, wooID, err)
	}
	return nil
}

// Baseline returns the baseline of kind's linked pair wooID; false when
// there is none.
func (t *Tx) Baseline(kind snapshot.Kind, wooID snapshot.ID) (snapshot.Fields, bool) {
	b, err := t.baselines(kind)
	if err != nil {
		return nil, false
	}
	k, err := idKey(wooID)
	if err != nil {
		return nil, false
	}
	v := b.Get(k)
	if v == nil {
		return nil, false
	}
	d := decoder{s: string(v)}
	f := d.fields()
	return f, d.end() == nil
}

// Baselines returns every baseline of kind by WooCommerce id.
func (t *Tx) Baselines(kind snapshot.Kind) (map[snapshot.ID]snapshot.Fields, error) {
	b, err := t.baselines(kind)
	if err != nil {
		return nil, fmt.Errorf("baselines: %w", err)
	}
	out := make(map[snapshot.ID]snapshot.Fields)
	err = b.ForEach(func(k, v []byte) error {
		id, err := keyID(k)
		if err != nil {
			return err
		}
		d := decoder{s: string(v)}
		out[id] = d.fields()
		if err := d.end(); err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("baselines %s: %w", kind, err)
	}
	return out, nil
}

// DeleteBaseline removes the baseline of kind's pair wooID; a missing one
// is no error. The link stays: the pair then follows first_link rules.
func (t *Tx) DeleteBaseline(kind snapshot.Kind, wooID snapshot.ID) error {
	b, err := t.baselines(kind)
	if err != nil {
		return fmt.Errorf("delete baseline: %w", err)
	}
	k, err := idKey(wooID)
	if err == nil {
		err = b.Delete(k)
	}
	if err != nil {
		return fmt.Errorf("delete baseline %s %s: %w", kind, wooID, err)
	}
	return nil
}

func sortedKeys(f snapshot.Fields) []string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
