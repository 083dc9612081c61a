package store

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/woonexo/woonexo/snapshot"
)

func TestFailedUpdateLeavesPreviousState(t *testing.T) {
	s := openTest(t)
	update(t, s, func(tx *Tx) error {
		return errors.Join(tx.PutMeta("phase", "one"), tx.PutProduct(snapshot.WooCommerce, testProduct(0), snapshot.DefaultForm))
	})
	boom := errors.New("boom")
	err := s.Update(func(tx *Tx) error {
		tx.PutMeta("phase", "two")
		tx.DeleteRecord(snapshot.WooCommerce, snapshot.KindProduct, "1")
		tx.PutLink(Link{Kind: snapshot.KindProduct, Woo: "1", Nexo: "2"})
		tx.AppendRun(Run{ID: "x"}, 5)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	view(t, s, func(tx *Tx) error {
		if v, _ := tx.Meta("phase"); v != "one" {
			t.Errorf("phase = %q, want one", v)
		}
		if _, ok, _ := tx.Product(snapshot.WooCommerce, "1"); !ok {
			t.Error("product deleted by a failed transaction")
		}
		if _, ok := tx.LinkByWoo(snapshot.KindProduct, "1"); ok {
			t.Error("link written by a failed transaction")
		}
		if runs, _ := tx.Runs(0); len(runs) != 0 {
			t.Error("run appended by a failed transaction")
		}
		return nil
	})
}

func TestHistoryStaysBounded(t *testing.T) {
	s := openTest(t)
	for i := 1; i <= 25; i++ {
		r := Run{ID: fmt.Sprint("r", i), Started: t0.Add(time.Duration(i) * time.Minute), Result: "failed"}
		if i == 3 {
			r.Result = ResultOK
		}
		update(t, s, func(tx *Tx) error { return tx.AppendRun(r, 10) })
	}
	view(t, s, func(tx *Tx) error {
		runs, err := tx.Runs(0)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range runs {
			ids = append(ids, r.ID)
		}
		want := []string{"r25", "r24", "r23", "r22", "r21", "r20", "r19", "r18", "r17", "r16"}
		if d := cmp.Diff(want, ids); d != "" {
			t.Errorf("runs (-want +got):\n%s", d)
		}
		if top, _ := tx.Runs(2); len(top) != 2 || top[0].ID != "r25" {
			t.Errorf("Runs(2) = %+v", top)
		}
		if r, ok := tx.LastSuccess(); !ok || r.ID != "r3" {
			t.Errorf("LastSuccess = %q, %v; want r3 even after it left the history", r.ID, ok)
		}
		return nil
	})
	if err := s.Update(func(tx *Tx) error { return tx.AppendRun(Run{}, 0) }); !errors.Is(err, ErrInvalid) {
		t.Errorf("AppendRun keep 0 = %v, want ErrInvalid", err)
	}
}

func TestLinks(t *testing.T) {
	s := openTest(t)
	p := snapshot.KindProduct
	l := Link{Kind: p, Woo: "1", Nexo: "101", Created: t0}
	update(t, s, func(tx *Tx) error {
		if err := tx.PutLink(l); err != nil {
			return err
		}
		again := l
		again.Created = t0.Add(time.Hour)
		if err := tx.PutLink(again); err != nil {
			t.Errorf("relinking the same pair: %v", err)
		}
		for _, bad := range []Link{{Kind: p, Woo: "1", Nexo: "102"}, {Kind: p, Woo: "2", Nexo: "101"}} {
			if err := tx.PutLink(bad); !errors.Is(err, ErrLinkTaken) {
				t.Errorf("PutLink(%+v) = %v, want ErrLinkTaken", bad, err)
			}
		}
		for _, bad := range []Link{{Kind: p, Woo: "", Nexo: "5"}, {Kind: p, Woo: "5"}, {Kind: "shoe", Woo: "5", Nexo: "5"}} {
			if err := tx.PutLink(bad); !errors.Is(err, ErrInvalid) {
				t.Errorf("PutLink(%+v) = %v, want ErrInvalid", bad, err)
			}
		}
		// The same ids may be linked in another kind.
		if err := tx.PutLink(Link{Kind: snapshot.KindCustomer, Woo: "1", Nexo: "102"}); err != nil {
			t.Errorf("linking ids of another kind: %v", err)
		}
		if err := tx.PutBaseline(p, "7", snapshot.Fields{"name": "x"}); !errors.Is(err, ErrNoLink) {
			t.Errorf("PutBaseline without a link = %v, want ErrNoLink", err)
		}
		return errors.Join(
			tx.PutLink(Link{Kind: p, Woo: "2", Nexo: "bacs"}),
			tx.PutBaseline(p, "1", snapshot.Fields{"name": "T-shirt"}),
		)
	})
	view(t, s, func(tx *Tx) error {
		if got, ok := tx.LinkByWoo(p, "1"); !ok || !cmp.Equal(got, l) {
			t.Errorf("LinkByWoo = %+v, %v; want the first link kept", got, ok)
		}
		if got, ok := tx.LinkByNexo(p, "bacs"); !ok || got.Woo != "2" {
			t.Errorf("LinkByNexo(bacs) = %+v, %v", got, ok)
		}
		if _, ok := tx.LinkByNexo(p, "102"); ok {
			t.Error("LinkByNexo found a customer link among products")
		}
		links, err := tx.Links(p)
		if err != nil || len(links) != 2 {
			t.Errorf("Links = %+v, %v", links, err)
		}
		return nil
	})
	update(t, s, func(tx *Tx) error { return tx.DeleteLink(p, "1") })
	view(t, s, func(tx *Tx) error {
		if _, ok := tx.LinkByNexo(p, "101"); ok {
			t.Error("link still found from NexoPOS after DeleteLink")
		}
		if _, ok := tx.Baseline(p, "1"); ok {
			t.Error("baseline outlived its link")
		}
		return nil
	})
	update(t, s, func(tx *Tx) error { return tx.PutLink(Link{Kind: p, Woo: "3", Nexo: "101"}) })
}

func TestBaselines(t *testing.T) {
	s := openTest(t)
	c := snapshot.KindCustomer
	f := snapshot.Fields{"email": "ana@example.org", "first_name": "", "billing.city": "Porto"}
	update(t, s, func(tx *Tx) error {
		return errors.Join(
			tx.PutLink(Link{Kind: c, Woo: "7", Nexo: "70"}),
			tx.PutLink(Link{Kind: c, Woo: "8", Nexo: "80"}),
			tx.PutBaseline(c, "7", f),
			tx.PutBaseline(c, "8", snapshot.Fields{}),
		)
	})
	view(t, s, func(tx *Tx) error {
		all, err := tx.Baselines(c)
		want := map[snapshot.ID]snapshot.Fields{"7": f, "8": {}}
		if d := cmp.Diff(want, all); err != nil || d != "" {
			t.Errorf("Baselines (%v) (-want +got):\n%s", err, d)
		}
		return nil
	})
	update(t, s, func(tx *Tx) error { return tx.DeleteBaseline(c, "7") })
	view(t, s, func(tx *Tx) error {
		if _, ok := tx.Baseline(c, "7"); ok {
			t.Error("baseline found after DeleteBaseline")
		}
		if _, ok := tx.LinkByWoo(c, "7"); !ok {
			t.Error("DeleteBaseline removed the link")
		}
		return nil
	})
}

func TestJournal(t *testing.T) {
	s := openTest(t)
	var seqs []uint64
	update(t, s, func(tx *Tx) error {
		for i := range 3 {
			e := JournalEntry{Kind: snapshot.KindProduct, Target: snapshot.NexoPOS, Op: "create",
				Key: fmt.Sprint("sku-", i), SourceID: snapshot.ID(fmt.Sprint(i)), Created: t0}
			seq, err := tx.JournalAdd(&e)
			if err != nil || seq != e.Seq {
				t.Fatalf("JournalAdd = %d, %v; entry seq %d", seq, err, e.Seq)
			}
			seqs = append(seqs, seq)
		}
		return nil
	})
	update(t, s, func(tx *Tx) error {
		return errors.Join(tx.JournalDone(seqs[1]), tx.JournalDone(seqs[1]), tx.JournalBump(seqs[2]), tx.JournalBump(seqs[2]))
	})
	if err := s.Update(func(tx *Tx) error { return tx.JournalBump(seqs[1]) }); !errors.Is(err, ErrNotFound) {
		t.Errorf("JournalBump of a done entry = %v, want ErrNotFound", err)
	}
	view(t, s, func(tx *Tx) error {
		got, err := tx.JournalPending()
		if err != nil {
			t.Fatal(err)
		}
		type short struct {
			Seq      uint64
			Key      string
			Attempts int
		}
		var gotShort []short
		for _, e := range got {
			gotShort = append(gotShort, short{e.Seq, e.Key, e.Attempts})
		}
		want := []short{{seqs[0], "sku-0", 0}, {seqs[2], "sku-2", 2}}
		if d := cmp.Diff(want, gotShort); d != "" {
			t.Errorf("pending (-want +got):\n%s", d)
		}
		return nil
	})
	update(t, s, func(tx *Tx) error {
		e := JournalEntry{Kind: snapshot.KindOrder}
		seq, err := tx.JournalAdd(&e)
		if err == nil && seq <= seqs[2] {
			t.Errorf("sequence %d reused after %d", seq, seqs[2])
		}
		return err
	})
}

func TestPutSnapshotPrunesOnlyCompleteKinds(t *testing.T) {
	s := openTest(t)
	snap := testSnapshot()
	update(t, s, func(tx *Tx) error { return tx.PutSnapshot(snap, snapshot.DefaultForm) })

	// An incremental read with one changed product and no categories.
	changed := testProduct(1)
	changed.Name = "Renamed"
	inc := snapshot.Snapshot{Side: snapshot.WooCommerce, Products: []snapshot.Product{changed}}
	update(t, s, func(tx *Tx) error { return tx.PutSnapshot(inc, snapshot.DefaultForm) })
	view(t, s, func(tx *Tx) error {
		got, _ := tx.LoadSnapshot(snapshot.WooCommerce)
		if len(got.Products) != 3 || got.Products[1].Name != "Renamed" || len(got.Categories) != 2 {
			t.Errorf("after an incremental read: %d products (second %q), %d categories", len(got.Products), got.Products[1].Name, len(got.Categories))
		}
		return nil
	})

	// A full listing of products and categories: what it lacks is gone.
	full := snapshot.Snapshot{Side: snapshot.WooCommerce, Products: []snapshot.Product{testProduct(2), testProduct(0)},
		Complete: map[snapshot.Kind]bool{snapshot.KindProduct: true, snapshot.KindCategory: true}}
	update(t, s, func(tx *Tx) error { return tx.PutSnapshot(full, snapshot.DefaultForm) })
	view(t, s, func(tx *Tx) error {
		got, _ := tx.LoadSnapshot(snapshot.WooCommerce)
		var ids []snapshot.ID
		for _, p := range got.Products {
			ids = append(ids, p.ID)
		}
		if d := cmp.Diff([]snapshot.ID{"1", "3"}, ids); d != "" {
			t.Errorf("products after a full listing (-want +got):\n%s", d)
		}
		if len(got.Categories) != 0 || len(got.Customers) != 1 {
			t.Errorf("%d categories, %d customers; want 0 and 1", len(got.Categories), len(got.Customers))
		}
		hashes, err := tx.Hashes(snapshot.WooCommerce, snapshot.KindProduct)
		want := map[snapshot.ID]string{"1": snapshot.Hash(testProduct(0).Fields(snapshot.DefaultForm)),
			"3": snapshot.Hash(testProduct(2).Fields(snapshot.DefaultForm))}
		if d := cmp.Diff(want, hashes); err != nil || d != "" {
			t.Errorf("Hashes (%v) (-want +got):\n%s", err, d)
		}
		return nil
	})
}

func TestRecordsOneByOne(t *testing.T) {
	s := openTest(t)
	snap := testSnapshot()
	w := snapshot.WooCommerce
	f := snapshot.DefaultForm
	update(t, s, func(tx *Tx) error {
		return errors.Join(
			tx.PutCategory(w, snap.Categories[0], f),
			tx.PutProduct(w, snap.Products[0], f),
			tx.PutCustomer(w, snap.Customers[0], f),
			tx.PutOrder(w, snap.Orders[0], f),
			tx.PutPaymentMethod(w, snap.PaymentMethods[0], f),
		)
	})
	view(t, s, func(tx *Tx) error {
		c, _, err1 := tx.Category(w, "10")
		p, _, err2 := tx.Product(w, "1")
		cu, _, err3 := tx.Customer(w, "7")
		o, _, err4 := tx.Order(w, "501")
		m, _, err5 := tx.PaymentMethod(w, "bacs")
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{
			cmp.Diff(snap.Categories[0], c, cmpOpts), cmp.Diff(snap.Products[0], p, cmpOpts),
			cmp.Diff(snap.Customers[0], cu, cmpOpts), cmp.Diff(snap.Orders[0], o, cmpOpts),
			cmp.Diff(snap.PaymentMethods[0], m, cmpOpts),
		} {
			if d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		}
		if _, ok, err := tx.Order(w, "502"); ok || err != nil {
			t.Errorf("Order(502) = %v, %v; want absent", ok, err)
		}
		if _, ok, err := tx.Order(snapshot.NexoPOS, "501"); ok || err != nil {
			t.Errorf("Order(nexopos, 501) = %v, %v; want absent: sides are apart", ok, err)
		}
		return nil
	})
	update(t, s, func(tx *Tx) error {
		if err := tx.DeleteRecord(w, snapshot.KindOrder, "501"); err != nil {
			return err
		}
		if n, err := tx.Count(w, snapshot.KindOrder); n != 0 || err != nil {
			t.Errorf("Count after DeleteRecord in the same transaction = %d, %v; want 0", n, err)
		}
		return nil
	})
	view(t, s, func(tx *Tx) error {
		if _, ok := tx.RecordHash(w, snapshot.KindOrder, "501"); ok {
			t.Error("order still there after DeleteRecord")
		}
		return nil
	})
	err := s.Update(func(tx *Tx) error { return tx.PutProduct("shopify", testProduct(0), f) })
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("PutProduct on an unknown side = %v, want ErrInvalid", err)
	}
}

func TestMeta(t *testing.T) {
	s := openTest(t)
	for _, key := range []string{"", "schema_version", "runs_keep", "last_success_run"} {
		if err := s.Update(func(tx *Tx) error { return tx.PutMeta(key, "x") }); !errors.Is(err, ErrInvalid) {
			t.Errorf("PutMeta(%q) = %v, want ErrInvalid", key, err)
		}
	}
	update(t, s, func(tx *Tx) error { return errors.Join(tx.PutMeta("a", "1"), tx.PutMeta("b", ""), tx.DeleteMeta("a")) })
	view(t, s, func(tx *Tx) error {
		if _, ok := tx.Meta("a"); ok {
			t.Error("deleted meta key found")
		}
		if v, ok := tx.Meta("b"); !ok || v != "" {
			t.Errorf("Meta(b) = %q, %v; want empty value present", v, ok)
		}
		return nil
	})
}
