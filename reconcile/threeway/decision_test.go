package threeway

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/woonexo/woonexo/snapshot"
)

// TestDecisionTable runs DESIGN.md's three-way table, one row per case, for
// a text, a money, a set and a reference field.
func TestDecisionTable(t *testing.T) {
	type vals struct{ base, woo, nexo string }
	fields := []struct {
		kind  snapshot.Kind
		field string
		a, b  string // two distinct values, b2 a third
		c     string
	}{
		{snapshot.KindProduct, "name", "Mug", "Cup", "Bowl"},
		{snapshot.KindProduct, "regular_price", "10.00", "12.50", "9.99"},
		{snapshot.KindProduct, "category_ids", "1", "1,2", "2"},
		{snapshot.KindCategory, "parent_id", "1", "2", ""},
	}
	rows := []struct {
		name     string
		v        func(a, b, c string) vals
		rule     Rule
		toWoo    bool // N written to WooCommerce
		toNexo   bool // W written to NexoPOS
		agreed   bool
		conflict bool
	}{
		{"same/same: nothing", func(a, b, c string) vals { return vals{a, a, a} }, RuleNexoPOS, false, false, false, false},
		{"same/changed: N to WooCommerce", func(a, b, c string) vals { return vals{a, a, b} }, RuleNexoPOS, true, false, false, false},
		{"changed/same: W to NexoPOS", func(a, b, c string) vals { return vals{a, b, a} }, RuleNexoPOS, false, true, false, false},
		{"changed/changed equal: baseline moves", func(a, b, c string) vals { return vals{a, b, b} }, RuleNexoPOS, false, false, true, false},
		{"conflict, nexopos wins", func(a, b, c string) vals { return vals{a, b, c} }, RuleNexoPOS, true, false, false, true},
		{"conflict, woocommerce wins", func(a, b, c string) vals { return vals{a, b, c} }, RuleWooCommerce, false, true, false, true},
		{"conflict, newest (NexoPOS later) wins", func(a, b, c string) vals { return vals{a, b, c} }, RuleNewest, true, false, false, true},
	}
	for _, f := range fields {
		for _, r := range rows {
			t.Run(string(f.kind)+"."+f.field+"/"+r.name, func(t *testing.T) {
				v := r.v(f.a, f.b, f.c)
				in := shop()
				in.Policy.Default.Conflict = r.rule
				// categories 1 and 2 linked to themselves so references translate
				in.Woo.Categories = []snapshot.Category{{ID: "1", Name: "A"}, {ID: "2", Name: "B"}}
				in.Nexo.Categories = []snapshot.Category{{ID: "1", Name: "A"}, {ID: "2", Name: "B"}}
				in.Links = []Link{{Kind: snapshot.KindCategory, Woo: "1", Nexo: "1"}, {Kind: snapshot.KindCategory, Woo: "2", Nexo: "2"}}
				in.Baselines[snapshot.KindCategory] = map[snapshot.ID]snapshot.Fields{
					"1": in.Woo.Categories[0].Fields(in.Form), "2": in.Woo.Categories[1].Fields(in.Form)}
				var wf, nf, base snapshot.Fields
				if f.kind == snapshot.KindProduct {
					w, n := product("10", "S", "1"), product("20", "S", "1")
					n.Modified = t0.Add(time.Hour)
					setProduct(&w, f.field, v.woo)
					setProduct(&n, f.field, v.nexo)
					b := w
					setProduct(&b, f.field, v.base)
					in.Woo.Products, in.Nexo.Products = []snapshot.Product{w}, []snapshot.Product{n}
					wf, nf, base = w.Fields(in.Form), n.Fields(in.Form), b.Fields(in.Form)
				} else {
					w := snapshot.Category{ID: "10", Name: "C", Modified: t0}
					n := snapshot.Category{ID: "20", Name: "C", Modified: t0.Add(time.Hour)}
					setCategory(&w, f.field, v.woo)
					setCategory(&n, f.field, v.nexo)
					b := w
					setCategory(&b, f.field, v.base)
					in.Woo.Categories = append(in.Woo.Categories, w)
					in.Nexo.Categories = append(in.Nexo.Categories, n)
					wf, nf, base = w.Fields(in.Form), n.Fields(in.Form), b.Fields(in.Form)
				}
				_ = nf
				in.Links = append(in.Links, Link{Kind: f.kind, Woo: "10", Nexo: "20"})
				if in.Baselines[f.kind] == nil {
					in.Baselines[f.kind] = map[snapshot.ID]snapshot.Fields{}
				}
				in.Baselines[f.kind]["10"] = base
				p := Build(in)
				var gotWoo, gotNexo bool
				for _, op := range p.Ops {
					if op.Action != ActionUpdate {
						t.Fatalf("unexpected op %+v", op)
					}
					want := []Change{{Field: f.field, Old: wf[f.field], New: v.nexo}}
					if op.Target == snapshot.NexoPOS {
						gotNexo = true
						want = []Change{{Field: f.field, Old: v.nexo, New: v.woo}}
					} else {
						gotWoo = true
					}
					if d := cmp.Diff(want, op.Changes); d != "" {
						t.Errorf("changes (-want +got):\n%s", d)
					}
				}
				if gotWoo != r.toWoo || gotNexo != r.toNexo {
					t.Errorf("writes to woo=%v nexo=%v, want %v %v", gotWoo, gotNexo, r.toWoo, r.toNexo)
				}
				if agreed := len(p.Agreed) > 0; agreed != r.agreed {
					t.Errorf("agreed = %v, want %v (%+v)", agreed, r.agreed, p.Agreed)
				}
				if c := len(p.Conflicts) > 0; c != r.conflict {
					t.Errorf("conflict = %v, want %v", c, r.conflict)
				} else if c && p.Conflicts[0].BaseValue != v.base {
					t.Errorf("conflict base = %q, want %q", p.Conflicts[0].BaseValue, v.base)
				}
			})
		}
	}
}
