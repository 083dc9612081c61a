package reconcile

import (
	"testing"

	"github.com/woonexo/woonexo/snapshot"
)

// TestMergeKeepsHeldRecords: a record held this cycle (read but not
// decodable) keeps its stored version, whether the kind was listed in full
// or incrementally, so the engine never sees it as deleted; a record absent
// from a full listing and not held is dropped.
func TestMergeKeepsHeldRecords(t *testing.T) {
	stored := snapshot.Snapshot{Side: snapshot.WooCommerce, Products: []snapshot.Product{
		{ID: "1", SKU: "A"}, {ID: "2", SKU: "B"}, {ID: "3", SKU: "C"}}}
	for _, complete := range []bool{true, false} {
		read := snapshot.Snapshot{Side: snapshot.WooCommerce,
			Complete: map[snapshot.Kind]bool{snapshot.KindProduct: complete}, Failed: map[snapshot.Kind]string{},
			Products: []snapshot.Product{{ID: "3", SKU: "C2"}},
			Held: []snapshot.Held{{Side: snapshot.WooCommerce, Kind: snapshot.KindProduct, ID: "1", Class: "decode",
				Reason: `field "regular_price": "abc": invalid decimal`}}}
		got := merge(stored, read)
		ids := map[snapshot.ID]string{}
		for _, p := range got.Products {
			ids[p.ID] = p.SKU
		}
		if ids["1"] != "A" || ids["3"] != "C2" {
			t.Errorf("complete=%v: held product 1 or read product 3 wrong: %v", complete, ids)
		}
		if _, ok := ids["2"]; ok == complete {
			t.Errorf("complete=%v: product 2 (absent, not held) kept=%v", complete, ok)
		}
		if len(got.Held) != 1 || got.Held[0].ID != "1" {
			t.Errorf("complete=%v: held %+v", complete, got.Held)
		}
	}
}

// TestMergeHeldWithoutStoredVersion: a record held on its first reading has
// nothing stored to keep; it stays in Held only (never linked, so nothing
// can be deleted for it).
func TestMergeHeldWithoutStoredVersion(t *testing.T) {
	read := snapshot.Snapshot{Side: snapshot.NexoPOS, Complete: map[snapshot.Kind]bool{snapshot.KindCustomer: true},
		Held: []snapshot.Held{{Side: snapshot.NexoPOS, Kind: snapshot.KindCustomer, ID: "9", Class: "decode", Reason: "x"}}}
	got := merge(snapshot.Snapshot{Side: snapshot.NexoPOS}, read)
	if len(got.Customers) != 0 || len(got.Held) != 1 {
		t.Errorf("customers %+v, held %+v", got.Customers, got.Held)
	}
}
