package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/woonexo/woonexo/snapshot"
)

// nodesTouched returns how many B+tree nodes fn made writable (bbolt
// materializes a node for every page a Put or Delete changes).
func nodesTouched(t *testing.T, s *Store, fn func(*Tx) error) int64 {
	t.Helper()
	var n int64
	update(t, s, func(tx *Tx) error {
		st := tx.tx.Stats()
		before := st.GetNodeCount()
		err := fn(tx)
		st = tx.tx.Stats()
		n = st.GetNodeCount() - before
		return err
	})
	return n
}

func TestPutSnapshotWritesOnlyWhatChanged(t *testing.T) {
	s := openTest(t)
	snap := testSnapshot()
	snap.Complete = map[snapshot.Kind]bool{snapshot.KindProduct: true, snapshot.KindCategory: true,
		snapshot.KindCustomer: true, snapshot.KindOrder: true}
	for i := 3; i < 2000; i++ {
		snap.Products = append(snap.Products, testProduct(i))
	}
	update(t, s, func(tx *Tx) error { return tx.PutSnapshot(snap, snapshot.DefaultForm) })

	if n := nodesTouched(t, s, func(tx *Tx) error { return tx.PutSnapshot(snap, snapshot.DefaultForm) }); n != 0 {
		t.Errorf("storing the same snapshot again touched %d nodes, want 0", n)
	}

	changed := snap
	changed.Products = append([]snapshot.Product(nil), snap.Products...)
	changed.Products[1500].Name = "Renamed"
	changed.Products[1500].Modified = t0.AddDate(0, 0, 1)
	if n := nodesTouched(t, s, func(tx *Tx) error { return tx.PutSnapshot(changed, snapshot.DefaultForm) }); n == 0 || n > 3 {
		t.Errorf("storing one changed product touched %d nodes, want 1 to 3 (leaf and branches)", n)
	}
	// Only the modification time moved: still a change.
	moved := changed
	moved.Products = append([]snapshot.Product(nil), changed.Products...)
	moved.Products[7].Modified = t0.AddDate(0, 0, 2)
	view(t, s, func(tx *Tx) error {
		got, _ := tx.LoadSnapshot(snapshot.WooCommerce)
		if got.Products[1500].Name != "Renamed" {
			t.Errorf("product 1501 = %q", got.Products[1500].Name)
		}
		return nil
	})
	update(t, s, func(tx *Tx) error { return tx.PutSnapshot(moved, snapshot.DefaultForm) })
	view(t, s, func(tx *Tx) error {
		got, _ := tx.LoadSnapshot(snapshot.WooCommerce)
		if d := cmp.Diff(moved.Products, got.Products, cmpOpts); d != "" {
			t.Errorf("products (-want +got):\n%s", d)
		}
		h, _ := tx.RecordHash(snapshot.WooCommerce, snapshot.KindProduct, "1501")
		if want := snapshot.Hash(moved.Products[1500].Fields(snapshot.DefaultForm)); h != want {
			t.Errorf("hash of the changed product %s, want %s", h, want)
		}
		return nil
	})
}

func TestPutSnapshotRehashesInANewForm(t *testing.T) {
	s := openTest(t)
	snap := testSnapshot()
	update(t, s, func(tx *Tx) error { return tx.PutSnapshot(snap, snapshot.DefaultForm) })
	zero := snapshot.Form{MoneyPlaces: 0}
	update(t, s, func(tx *Tx) error { return tx.PutSnapshot(snap, zero) })
	check := func(form snapshot.Form) {
		t.Helper()
		view(t, s, func(tx *Tx) error {
			for _, p := range snap.Products {
				h, _ := tx.RecordHash(snapshot.WooCommerce, snapshot.KindProduct, p.ID)
				if want := snapshot.Hash(p.Fields(form)); h != want {
					t.Errorf("product %s hashed %s, want %s (form %+v)", p.ID, h, want, form)
				}
			}
			return nil
		})
	}
	check(zero)

	// One record put in another form: the next PutSnapshot hashes all again.
	update(t, s, func(tx *Tx) error { return tx.PutProduct(snapshot.WooCommerce, snap.Products[0], snapshot.DefaultForm) })
	update(t, s, func(tx *Tx) error { return tx.PutSnapshot(snap, snapshot.DefaultForm) })
	check(snapshot.DefaultForm)
	if err := s.Update(func(tx *Tx) error { return tx.PutMeta("records_form", "3") }); err == nil {
		t.Error("PutMeta(records_form) succeeded; it is the store's own key")
	}
}

func TestPutSnapshotLastOfADuplicateIDWins(t *testing.T) {
	s := openTest(t)
	snap := testSnapshot()
	update(t, s, func(tx *Tx) error { return tx.PutSnapshot(snap, snapshot.DefaultForm) })
	a, b := snap.Products[1], snap.Products[1]
	a.Name = "First"
	dup := snapshot.Snapshot{Side: snapshot.WooCommerce, Products: []snapshot.Product{a, snap.Products[0], b}}
	update(t, s, func(tx *Tx) error { return tx.PutSnapshot(dup, snapshot.DefaultForm) })
	view(t, s, func(tx *Tx) error {
		got, ok, err := tx.Product(snapshot.WooCommerce, b.ID)
		if err != nil || !ok || got.Name != b.Name {
			t.Errorf("product %s = %q, %v, %v; want %q", b.ID, got.Name, ok, err, b.Name)
		}
		return nil
	})
}
