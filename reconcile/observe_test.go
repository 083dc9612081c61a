package reconcile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
)

func TestReportDrift(t *testing.T) {
	rep := &Report{
		Plan: threeway.Plan{
			Ops: []threeway.Op{
				{Seq: 1, Kind: snapshot.KindProduct, Action: threeway.ActionCreate, Target: snapshot.NexoPOS},
				{Seq: 2, Kind: snapshot.KindProduct, Action: threeway.ActionUpdate, Target: snapshot.WooCommerce},
				{Seq: 3, Kind: snapshot.KindCustomer, Action: threeway.ActionCreate, Target: snapshot.NexoPOS},
				{Seq: 4, Kind: snapshot.KindOrder, Action: threeway.ActionCreate, Target: snapshot.NexoPOS},
			},
			Held:        []snapshot.Held{{Side: snapshot.WooCommerce, Kind: snapshot.KindOrder, ID: "7", Class: "unmapped_payment"}},
			Ambiguities: []threeway.Ambiguity{{Kind: snapshot.KindProduct, Side: snapshot.NexoPOS, Key: "A", IDs: []snapshot.ID{"1", "2"}}},
			Refusals: []threeway.Refusal{
				{Kind: snapshot.KindCustomer, Side: snapshot.WooCommerce, Count: 12, Total: 20},
				{Kind: snapshot.KindCategory, Reason: "listing failed"},
			},
		},
		Results: []OpResult{
			{Seq: 1, Kind: snapshot.KindProduct, Action: "create", Target: snapshot.NexoPOS, Status: StatusDone},
			{Seq: 2, Kind: snapshot.KindProduct, Action: "update", Target: snapshot.WooCommerce, Status: StatusFailed},
			{Seq: 3, Kind: snapshot.KindCustomer, Action: "create", Target: snapshot.NexoPOS, Status: StatusSkipped},
			// An initial stock adjustment carries no Seq and is not an op.
			{Kind: snapshot.KindProduct, Action: "stock", Target: snapshot.NexoPOS, Status: StatusDone},
		},
	}
	want := map[string]int{
		"product/woocommerce":  3, // failed update + two ambiguous NexoPOS products
		"customer/nexopos":     1, // skipped create
		"order/nexopos":        2, // never reached + held online order
		"customer/woocommerce": 12,
	}
	if diff := cmp.Diff(want, rep.Drift()); diff != "" {
		t.Errorf("Drift (-want +got):\n%s", diff)
	}
	if d := (&Report{}).Drift(); len(d) != 0 {
		t.Errorf("empty report drift = %v", d)
	}
}

func TestRequestsSince(t *testing.T) {
	now := map[string]int{"woocommerce": 10, "nexopos": 4}
	got := requestsSince(func() map[string]int { return now }, map[string]int{"woocommerce": 7, "nexopos": 4})
	if diff := cmp.Diff(map[string]int{"woocommerce": 3}, got); diff != "" {
		t.Errorf("requestsSince (-want +got):\n%s", diff)
	}
	if requestsSince(nil, nil) != nil {
		t.Error("requestsSince(nil) is not nil")
	}
}
