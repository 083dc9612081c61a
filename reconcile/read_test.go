package reconcile

import (
	"testing"

	"github.com/woonexo/woonexo/snapshot"
)

// TestMergeHeldWithoutIDIsIncomplete: a full listing holding a record whose
// id could not be read is no longer complete: the stored records it did not
// list are kept (one of them may be that record), so a linked twin never
// looks deleted; a held record with an id leaves the listing complete.
func TestMergeHeldWithoutIDIsIncomplete(t *testing.T) {
	stored := snapshot.Snapshot{Side: snapshot.NexoPOS, Customers: []snapshot.Customer{{ID: "1"}, {ID: "2"}},
		Products: []snapshot.Product{{ID: "7"}, {ID: "8"}}}
	read := snapshot.Snapshot{Side: snapshot.NexoPOS,
		Complete:  map[snapshot.Kind]bool{snapshot.KindCustomer: true, snapshot.KindProduct: true},
		Customers: []snapshot.Customer{{ID: "1"}}, Products: []snapshot.Product{{ID: "7"}},
		Held: []snapshot.Held{
			{Side: snapshot.NexoPOS, Kind: snapshot.KindCustomer, ID: "", Class: "decode", Reason: `field "id": id "x2" is not a number`},
			{Side: snapshot.NexoPOS, Kind: snapshot.KindProduct, ID: "9", Class: "decode", Reason: "bad"},
		}}
	got := merge(stored, read)
	if got.Complete[snapshot.KindCustomer] || len(got.Customers) != 2 {
		t.Errorf("customers: complete %v, %d kept; want incomplete, both kept", got.Complete[snapshot.KindCustomer], len(got.Customers))
	}
	if !got.Complete[snapshot.KindProduct] || len(got.Products) != 1 {
		t.Errorf("products: complete %v, %d kept; want complete, product 8 gone", got.Complete[snapshot.KindProduct], len(got.Products))
	}
}
