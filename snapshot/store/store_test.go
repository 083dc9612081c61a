package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/woonexo/woonexo/snapshot"
)

// openTest opens a new state file in t.TempDir() that is checked for
// consistency, then closed, when the test ends.
func openTest(t testing.TB) *Store {
	t.Helper()
	return openTestAt(t, filepath.Join(t.TempDir(), "state.db"))
}

func openTestAt(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Errorf("Check: %v", err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func update(t testing.TB, s *Store, fn func(*Tx) error) {
	t.Helper()
	if err := s.Update(fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t testing.TB, s *Store, fn func(*Tx) error) {
	t.Helper()
	if err := s.View(fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// cmpOpts compare records: Decimals by value.
var cmpOpts = cmp.Options{cmp.Comparer(func(a, b snapshot.Decimal) bool { return a == b })}

var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)

// testProduct returns a product shaped like a real catalogue entry.
func testProduct(i int) snapshot.Product {
	p := snapshot.Product{
		ID:           snapshot.ID(fmt.Sprint(i + 1)),
		SKU:          fmt.Sprintf("TS-%06d", i),
		Barcode:      fmt.Sprintf("40%011d", i),
		Name:         fmt.Sprintf("Organic cotton T-shirt, crew neck, size M, colour %d", i%40),
		Description:  "Soft organic cotton jersey, pre-washed. Machine wash at 30 °C.\nMade in Portugal.",
		Status:       snapshot.ProductActive,
		RegularPrice: snapshot.DecimalFromMicros(int64(19_990_000 + i%100*10_000)),
		CategoryIDs:  []snapshot.ID{snapshot.ID(fmt.Sprint(10 + i%7)), snapshot.ID(fmt.Sprint(30 + i%3))},
		ManageStock:  true,
		Stock:        snapshot.NewDecimal(int64(i % 250)),
		UnitID:       "1",
		Modified:     t0.Add(time.Duration(i) * time.Second),
	}
	if i%3 == 0 {
		p.SalePrice, p.HasSalePrice = snapshot.MustDecimal("14.99"), true
	}
	return p
}

func testSnapshot() snapshot.Snapshot {
	return snapshot.Snapshot{
		Side: snapshot.WooCommerce,
		Categories: []snapshot.Category{
			{ID: "10", Name: "Clothing", Modified: t0},
			{ID: "11", Name: "T-shirts", ParentID: "10", Description: "Tees\r\nand tops", Modified: t0.Add(time.Hour)},
		},
		Products: []snapshot.Product{testProduct(0), testProduct(1), testProduct(2)},
		Customers: []snapshot.Customer{{
			ID: "7", Email: "Ana@Example.org", FirstName: "Ana", LastName: "Silva", Role: "customer",
			Billing:  snapshot.Address{FirstName: "Ana", City: "Porto", Country: "PT", Email: "ana@example.org"},
			Shipping: snapshot.Address{Address1: "Rua Nova 1", Postcode: "4000-001"},
			Modified: t0,
		}},
		Orders: []snapshot.Order{{
			ID: "501", Number: "501", Reference: "88", Status: snapshot.OrderProcessing, RawStatus: "processing",
			CustomerID: "7", Email: "ana@example.org", Currency: "EUR",
			Lines: []snapshot.OrderLine{
				{Kind: snapshot.LineProduct, ProductID: "1", SKU: "TS-000000", Name: "T-shirt",
					Quantity: snapshot.NewDecimal(2), UnitPrice: snapshot.MustDecimal("14.99"), Total: snapshot.MustDecimal("29.98")},
				{Kind: snapshot.LineQuick, Name: "Gift wrap", Quantity: snapshot.NewDecimal(1),
					UnitPrice: snapshot.MustDecimal("2.5"), Total: snapshot.MustDecimal("2.5")},
			},
			Shipping: snapshot.MustDecimal("4.95"), Total: snapshot.MustDecimal("37.43"),
			PaymentMethod: "bacs", PaymentTitle: "Bank transfer", Note: "Leave at the door",
			StockReduced: true, Created: t0, Modified: t0.Add(time.Minute),
		}},
		PaymentMethods: []snapshot.PaymentMethod{{ID: "bacs", Identifier: "bacs", Title: "Bank transfer", Enabled: true}},
	}
}

func TestOpenCreatesPrivateFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	path := filepath.Join(dir, "woonexo.db")
	s := openTestAt(t, path)
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode %04o, want 0600", perm)
	}
	di, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := di.Mode().Perm(); perm != 0o700 {
		t.Errorf("directory mode %04o, want 0700", perm)
	}
	if s.Size() <= 0 {
		t.Errorf("Size() = %d, want > 0", s.Size())
	}
}

func TestOpenWarnsAboutReadableFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	var warnings []string
	s, err = Open(path, Options{Warn: func(msg string) { warnings = append(warnings, msg) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(warnings) != 1 || !strings.Contains(warnings[0], path) || !strings.Contains(warnings[0], "0644") {
		t.Errorf("warnings = %q, want one naming the file and its mode", warnings)
	}
}

func TestReopenKeepsEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap := testSnapshot()
	held := []snapshot.Held{{Side: snapshot.NexoPOS, Kind: snapshot.KindProduct, ID: "9", Reason: "no allowed unit", Class: "no_unit"}}
	conflicts := []Conflict{{Kind: snapshot.KindProduct, Woo: "1", Nexo: "101", Field: "name", WooValue: "A",
		NexoValue: "B", BaseValue: "C", Rule: "newest", Winner: "nexopos", At: t0}}
	link := Link{Kind: snapshot.KindProduct, Woo: "1", Nexo: "101", Created: t0}
	base := snapshot.Fields{"name": "T-shirt", "sku": "TS-000000"}
	entry := JournalEntry{Kind: snapshot.KindOrder, Target: snapshot.NexoPOS, Op: "create", Key: "501", SourceID: "501", Created: t0}
	run := Run{ID: "r1", Started: t0, Finished: t0.Add(time.Second), Result: ResultOK, Full: true,
		Writes: map[string]int{"product/nexopos/update/ok": 3}, Requests: map[string]int{"nexopos": 12}}
	update(t, s, func(tx *Tx) error {
		return errors.Join(
			tx.PutSnapshot(snap, snapshot.DefaultForm),
			tx.PutProduct(snapshot.NexoPOS, testProduct(100), snapshot.DefaultForm),
			tx.PutCursor(snapshot.WooCommerce, snapshot.KindProduct, t0),
			tx.PutMeta("last_full_listing", t0.Format(time.RFC3339)),
			tx.PutLink(link),
			tx.PutBaseline(snapshot.KindProduct, "1", base),
			func() error { _, err := tx.JournalAdd(&entry); return err }(),
			tx.AppendRun(run, 10),
			tx.ReplaceConflicts(conflicts),
			tx.ReplaceHeld(held),
		)
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTestAt(t, path)
	view(t, s, func(tx *Tx) error {
		got, err := tx.LoadSnapshot(snapshot.WooCommerce)
		if err != nil {
			t.Fatal(err)
		}
		want := snap
		want.Categories[1].Description = "Tees\r\nand tops" // stored as given, not canonical
		if d := cmp.Diff(want, got, cmpOpts); d != "" {
			t.Errorf("woocommerce snapshot (-want +got):\n%s", d)
		}
		if p, ok, err := tx.Product(snapshot.NexoPOS, "101"); err != nil || !ok || !cmp.Equal(p, testProduct(100), cmpOpts) {
			t.Errorf("Product(nexopos, 101) = %+v, %v, %v", p, ok, err)
		}
		if h, ok := tx.RecordHash(snapshot.WooCommerce, snapshot.KindProduct, "2"); !ok || h != snapshot.Hash(testProduct(1).Fields(snapshot.DefaultForm)) {
			t.Errorf("RecordHash = %q, %v", h, ok)
		}
		if at, ok := tx.Cursor(snapshot.WooCommerce, snapshot.KindProduct); !ok || !at.Equal(t0) {
			t.Errorf("Cursor = %v, %v", at, ok)
		}
		if _, ok := tx.Cursor(snapshot.NexoPOS, snapshot.KindProduct); ok {
			t.Error("Cursor(nexopos) found, want none")
		}
		if v, ok := tx.Meta("last_full_listing"); !ok || v != t0.Format(time.RFC3339) {
			t.Errorf("Meta = %q, %v", v, ok)
		}
		if l, ok := tx.LinkByNexo(snapshot.KindProduct, "101"); !ok || !cmp.Equal(l, link) {
			t.Errorf("LinkByNexo = %+v, %v", l, ok)
		}
		if b, ok := tx.Baseline(snapshot.KindProduct, "1"); !ok || !cmp.Equal(b, base) {
			t.Errorf("Baseline = %v, %v", b, ok)
		}
		pending, err := tx.JournalPending()
		if err != nil || len(pending) != 1 || !cmp.Equal(pending[0], entry) {
			t.Errorf("JournalPending = %+v, %v; want %+v", pending, err, entry)
		}
		runs, err := tx.Runs(0)
		if err != nil || len(runs) != 1 || !cmp.Equal(runs[0], run) {
			t.Errorf("Runs = %+v, %v", runs, err)
		}
		if r, ok := tx.LastSuccess(); !ok || r.ID != "r1" {
			t.Errorf("LastSuccess = %+v, %v", r, ok)
		}
		if got, err := tx.Conflicts(); err != nil || !cmp.Equal(got, conflicts) {
			t.Errorf("Conflicts = %+v, %v", got, err)
		}
		if got, err := tx.Held(); err != nil || !cmp.Equal(got, held) {
			t.Errorf("Held = %+v, %v", got, err)
		}
		return nil
	})
}
