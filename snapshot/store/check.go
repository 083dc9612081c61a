package store

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/woonexo/woonexo/snapshot"
)

// Check verifies the whole file: bbolt's own page checks, the schema
// version, every bucket of the layout, that every record, link, baseline,
// journal entry, run, conflict, held record and cursor decodes, that links
// agree in both directions, that every baseline has a link and that the
// history holds no more runs than it was asked to keep. It returns every
// problem found, joined, each wrapping ErrCorrupt (or ErrSchema).
func (s *Store) Check() error {
	var errs []error
	err := s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			errs = append(errs, fmt.Errorf("bbolt: %v: %w", err, ErrCorrupt))
		}
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			errs = append(errs, fmt.Errorf("no meta bucket: %w", ErrSchema))
			return nil
		}
		if err := checkSchema(meta); err != nil {
			errs = append(errs, err)
			return nil
		}
		for _, name := range topBuckets {
			if tx.Bucket(name) == nil {
				errs = append(errs, fmt.Errorf("bucket %s missing: %w", name, ErrCorrupt))
			}
		}
		if len(errs) > 0 {
			return nil
		}
		t := &Tx{tx: tx}
		for _, side := range sides {
			if _, err := t.LoadSnapshot(side); err != nil {
				errs = append(errs, err)
			}
		}
		for _, kind := range snapshot.Kinds {
			errs = append(errs, t.checkLinks(kind)...)
		}
		errs = append(errs, t.checkLists()...)
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("check state file %q: %w", s.path, err)
	}
	return nil
}

func (t *Tx) checkLinks(kind snapshot.Kind) []error {
	byWoo, byNexo, err := t.linkBuckets(kind)
	if err != nil {
		return []error{err}
	}
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("links %s: "+format+": %w", append(append([]any{kind}, args...), ErrCorrupt)...))
	}
	byWoo.ForEach(func(k, v []byte) error {
		l, err := decodeLink(kind, k, v)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		nk, err := idKey(l.Nexo)
		if err != nil {
			bad("woocommerce %s: nexopos id: %v", l.Woo, err)
		} else if back := byNexo.Get(nk); string(back) != string(l.Woo) {
			bad("woocommerce %s -> nexopos %s, but nexopos %s -> woocommerce %q", l.Woo, l.Nexo, l.Nexo, back)
		}
		return nil
	})
	byNexo.ForEach(func(k, v []byte) error {
		nexo, err := keyID(k)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		if l, ok, _ := t.linkByWoo(kind, snapshot.ID(v)); !ok || l.Nexo != nexo {
			bad("nexopos %s -> woocommerce %s has no matching link", nexo, v)
		}
		return nil
	})
	if _, err := t.Baselines(kind); err != nil {
		errs = append(errs, err)
	}
	b, err := t.baselines(kind)
	if err != nil {
		return append(errs, err)
	}
	b.ForEach(func(k, _ []byte) error {
		if byWoo.Get(k) == nil {
			id, _ := keyID(k)
			bad("baseline of woocommerce %s has no link", id)
		}
		return nil
	})
	return errs
}

func (t *Tx) checkLists() []error {
	var errs []error
	if _, err := t.JournalPending(); err != nil {
		errs = append(errs, err)
	}
	runs, err := t.Runs(0)
	if err != nil {
		errs = append(errs, err)
	}
	if len(runs) > 0 {
		keep, err := strconv.Atoi(string(t.tx.Bucket(bucketMeta).Get(keyRunsKeep)))
		if err != nil || len(runs) > keep {
			errs = append(errs, fmt.Errorf("runs: %d stored, bound %q: %w", len(runs), t.tx.Bucket(bucketMeta).Get(keyRunsKeep), ErrCorrupt))
		}
	}
	if v := t.tx.Bucket(bucketMeta).Get(keyLastSuccess); v != nil {
		if _, ok := t.LastSuccess(); !ok {
			errs = append(errs, fmt.Errorf("last successful run does not decode: %w", ErrCorrupt))
		}
	}
	if _, err := t.Conflicts(); err != nil {
		errs = append(errs, err)
	}
	if _, err := t.Held(); err != nil {
		errs = append(errs, err)
	}
	t.tx.Bucket(bucketCursors).ForEach(func(k, v []byte) error {
		var at time.Time
		if err := at.UnmarshalBinary(v); err != nil {
			errs = append(errs, fmt.Errorf("cursor %s: %v: %w", k, err, ErrCorrupt))
		}
		return nil
	})
	return errs
}
