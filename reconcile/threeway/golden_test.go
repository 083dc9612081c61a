package threeway

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/woonexo/woonexo/snapshot"
)

var update = flag.Bool("update", false, "rewrite testdata/<scenario>/plan.json (and missing input files)")

// scenarios build the input of each golden scenario. With -update the
// input files are written when missing and plan.json is rewritten; the
// test always reads the input files, so they are the scenario's truth.
var scenarios = map[string]func() Input{
	"first_link_duplicate_sku": func() Input {
		in := shop()
		in.Woo.Products = []snapshot.Product{product("1", "MUG", "10"), product("2", "mug ", "10"), product("3", "CUP", "5")}
		in.Nexo.Products = []snapshot.Product{product("11", "mug", "10"), product("13", "cup", "6")}
		return in
	},
	"categories_250_deep": func() Input {
		in := shop()
		for i := 0; i < 250; i++ {
			c := snapshot.Category{ID: snapshot.ID(fmt.Sprint(i + 1)), Name: fmt.Sprintf("Cat %d", i)}
			if i%5 != 0 {
				c.ParentID = snapshot.ID(fmt.Sprint(i))
			}
			in.Nexo.Categories = append(in.Nexo.Categories, c)
		}
		return in
	},
	"customer_admin_email": func() Input {
		in := shop()
		in.Woo.Customers = []snapshot.Customer{{ID: "1", Email: "Owner@Shop.example", Role: "administrator", FirstName: "Olga"}}
		in.Nexo.Customers = []snapshot.Customer{{ID: "7", Email: "owner@shop.example", FirstName: "Olga"}}
		return in
	},
	"order_unmapped_gateway": func() Input { return onlineOrder(false) },
	"order_mapped_gateway":   func() Input { return onlineOrder(true) },
	"pos_sale_quick_product": func() Input {
		in := linkedPair()
		in.Nexo.Orders = []snapshot.Order{{ID: "300", Number: "300", Status: snapshot.OrderCompleted, RawStatus: "paid",
			PaymentMethod: "cash-payment", Total: snapshot.MustDecimal("14"), StockReduced: true, Lines: []snapshot.OrderLine{
				{Kind: snapshot.LineProduct, ProductID: "11", SKU: "MUG", Name: "Mug", Quantity: snapshot.NewDecimal(1), UnitPrice: snapshot.NewDecimal(10), Total: snapshot.NewDecimal(10)},
				{Kind: snapshot.LineQuick, Name: "Gift wrap", Quantity: snapshot.NewDecimal(1), UnitPrice: snapshot.NewDecimal(4), Total: snapshot.NewDecimal(4)}}}}
		in.Nexo.Products[0].Stock = snapshot.NewDecimal(9)
		in.Woo.Products[0].Stock = snapshot.NewDecimal(9)
		return in
	},
	"woo_stock_change_ignored": func() Input {
		in := linkedPair()
		in.Woo.Products[0].Stock = snapshot.NewDecimal(3)
		return in
	},
	"online_sale_between_cycles": func() Input {
		in := onlineOrder(false)
		in.Woo.Products[0].Stock = snapshot.NewDecimal(8)
		return in
	},
	"price_conflict_nexopos":     func() Input { return priceConflict(RuleNexoPOS) },
	"price_conflict_woocommerce": func() Input { return priceConflict(RuleWooCommerce) },
	"price_conflict_newest":      func() Input { return priceConflict(RuleNewest) },
	"same_edit_both_sides": func() Input {
		in := linkedPair()
		in.Woo.Products[0].Name, in.Nexo.Products[0].Name = "Big mug", "Big mug "
		return in
	},
	"modify_vs_delete": func() Input {
		// MUG: deleted on WooCommerce, price changed on NexoPOS -> recreated.
		// CUP: deleted on NexoPOS, unchanged on WooCommerce -> deleted there
		// (delete_on_woo on).
		in := shop()
		in.Policy.Toggles[snapshot.KindProduct] = Toggle{ToWoo: true, ToNexo: true, DeleteOnWoo: true, DeleteOnNexo: true}
		in.Policy.MaxDelete = MaxDelete{}
		in.Woo.Products = []snapshot.Product{product("1", "MUG", "10"), product("2", "CUP", "5")}
		in.Nexo.Products = []snapshot.Product{product("11", "MUG", "10"), product("12", "CUP", "5")}
		linkProducts(&in)
		in.Nexo.Products[0].RegularPrice = snapshot.MustDecimal("12")
		in.Woo.Products = in.Woo.Products[1:]
		in.Nexo.Products = in.Nexo.Products[:1]
		return in
	},
	"mass_deletion_refused": func() Input {
		in := shop()
		in.Policy.Toggles[snapshot.KindProduct] = Toggle{ToWoo: true, ToNexo: true, DeleteOnNexo: true}
		for i := 0; i < 20; i++ {
			p := product(fmt.Sprint(i+1), fmt.Sprintf("S%02d", i), "1")
			q := p
			q.ID = snapshot.ID(fmt.Sprint(i + 101))
			in.Woo.Products = append(in.Woo.Products, p)
			in.Nexo.Products = append(in.Nexo.Products, q)
		}
		linkProducts(&in)
		in.Woo.Products = in.Woo.Products[:10]
		return in
	},
	"empty_listing_aborted": func() Input {
		in := linkedPair()
		in.Policy.Toggles[snapshot.KindProduct] = Toggle{ToWoo: true, ToNexo: true, DeleteOnNexo: true}
		in.Woo.Products = nil
		return in
	},
	"product_without_sku": func() Input {
		in := shop()
		in.Woo.Products = []snapshot.Product{product("1", "", "4")}
		in.Nexo.Products = []snapshot.Product{product("11", " ", "4")}
		in.Policy.WithoutSKU = WithoutSKUCreate
		in.Nexo.Products[0].Name = "Loose tea"
		in.Woo.Products = append(in.Woo.Products, product("2", "", "5"))
		return in
	},
	"trashed_woo_product": func() Input {
		in := linkedPair()
		in.Policy.Toggles[snapshot.KindProduct] = Toggle{ToWoo: true, ToNexo: true, DeleteOnNexo: true}
		in.Woo.Products[0].Status = snapshot.ProductTrashed
		in.Policy.MaxDelete = MaxDelete{}
		return in
	},
	"same_plan_references":          func() Input { return samePlanReferences(RuleNexoPOS) },
	"same_plan_references_woo_wins": func() Input { return samePlanReferences(RuleWooCommerce) },
	"reference_to_ambiguous_category": func() Input {
		// NexoPOS's new category path "Tea" is held by two NexoPOS
		// categories: neither is created, so the linked product that
		// refers to one is held for that field.
		in := linkedPair()
		in.Nexo.Categories = []snapshot.Category{{ID: "61", Name: "Tea"}, {ID: "62", Name: "tea"}}
		in.Nexo.Products[0].CategoryIDs = []snapshot.ID{"61"}
		return in
	},
	"pos_void_refund_linked": func() Input { return posVoidRefund() },
	"pos_void_refund_orders_off": func() Input {
		in := posVoidRefund()
		in.Policy.Toggles[snapshot.KindOrder] = Toggle{ToNexo: true}
		return in
	},
	"cancelled_order_with_twin": func() Input {
		in := onlineOrder(true)
		in.Woo.Orders[0].Status, in.Woo.Orders[0].RawStatus = snapshot.OrderCancelled, "cancelled"
		in.Nexo.Orders = []snapshot.Order{{ID: "900", Number: "900", Reference: "1001", Status: snapshot.OrderCompleted, RawStatus: "paid"}}
		in.Links = append(in.Links, Link{Kind: snapshot.KindOrder, Woo: "501", Nexo: "900"})
		return in
	},
}

// samePlanReferences links a product and a category whose references
// point at categories that have no twin yet but are created by the same
// plan: the writes wait for those creates (depends_on), show the new
// reference as "new:<id>" and leave it out of their baseline.
func samePlanReferences(rule Rule) Input {
	in := linkedPair()
	in.Policy.Default = FieldPolicy{Conflict: rule, FirstLink: rule}
	// linked category Shelf (woo 5 <-> nexo 55), agreed on with no parent
	in.Woo.Categories = []snapshot.Category{{ID: "5", Name: "Shelf"}, {ID: "6", Name: "Mugs"}}
	in.Nexo.Categories = []snapshot.Category{{ID: "55", Name: "Shelf"}, {ID: "57", Name: "Kitchen"}}
	in.Links = append(in.Links, Link{Kind: snapshot.KindCategory, Woo: "5", Nexo: "55"})
	in.Baselines[snapshot.KindCategory] = map[snapshot.ID]snapshot.Fields{"5": in.Woo.Categories[0].Fields(in.Form)}
	// NexoPOS moved Shelf under its new Kitchen; WooCommerce filed the mug
	// under its new Mugs, NexoPOS under Kitchen and Shelf
	in.Nexo.Categories[0].ParentID = "57"
	in.Woo.Products[0].CategoryIDs = []snapshot.ID{"6"}
	in.Nexo.Products[0].CategoryIDs = []snapshot.ID{"55", "57"}
	return in
}

// posVoidRefund links three POS sales to their WooCommerce copies: one
// voided on NexoPOS, one refunded there, and one voided on both sides.
func posVoidRefund() Input {
	in := linkedPair()
	for i, st := range []snapshot.OrderStatus{snapshot.OrderCancelled, snapshot.OrderRefunded, snapshot.OrderCancelled} {
		n := snapshot.ID(fmt.Sprint(300 + i))
		w := snapshot.ID(fmt.Sprint(700 + i))
		raw := map[snapshot.OrderStatus]string{snapshot.OrderCancelled: "order_void", snapshot.OrderRefunded: "refunded"}[st]
		in.Nexo.Orders = append(in.Nexo.Orders, snapshot.Order{ID: n, Number: string(n), Status: st, RawStatus: raw,
			PaymentMethod: "cash-payment", Total: snapshot.NewDecimal(10)})
		wo := snapshot.Order{ID: w, Number: string(w), Reference: string(n), Status: snapshot.OrderCompleted,
			RawStatus: "completed", PaymentMethod: "cod", Total: snapshot.NewDecimal(10)}
		if i == 2 {
			wo.Status, wo.RawStatus = snapshot.OrderCancelled, "cancelled"
		}
		in.Woo.Orders = append(in.Woo.Orders, wo)
		in.Links = append(in.Links, Link{Kind: snapshot.KindOrder, Woo: w, Nexo: n})
	}
	return in
}

func linkAll(in *Input) {
	in.Links = nil
	in.Baselines = map[snapshot.Kind]map[snapshot.ID]snapshot.Fields{}
	linkProducts(in)
}

func linkedPair() Input {
	in := shop()
	in.Woo.Products = []snapshot.Product{product("1", "MUG", "10")}
	in.Nexo.Products = []snapshot.Product{product("11", "MUG", "10")}
	linkProducts(&in)
	return in
}

func priceConflict(rule Rule) Input {
	in := linkedPair()
	in.Policy.Fields = map[string]FieldPolicy{"product.regular_price": {Conflict: rule, FirstLink: rule}}
	in.Woo.Products[0].RegularPrice = snapshot.MustDecimal("11")
	in.Woo.Products[0].Modified = t0.Add(2 * time.Hour)
	in.Nexo.Products[0].RegularPrice = snapshot.MustDecimal("12")
	in.Nexo.Products[0].Modified = t0.Add(time.Hour)
	return in
}

func onlineOrder(mapped bool) Input {
	in := linkedPair()
	in.Woo.PaymentMethods = []snapshot.PaymentMethod{{ID: "stripe", Title: "Card", Enabled: true}}
	in.Nexo.PaymentMethods = []snapshot.PaymentMethod{{ID: "1", Identifier: "cash-payment", Title: "Cash", Enabled: true}}
	if mapped {
		in.Policy.PaymentMap = map[string]string{"stripe": "card-payment"}
	}
	in.Woo.Orders = []snapshot.Order{{ID: "501", Number: "1001", Status: snapshot.OrderProcessing, RawStatus: "processing",
		PaymentMethod: "stripe", Total: snapshot.NewDecimal(20), StockReduced: true, Lines: []snapshot.OrderLine{
			{Kind: snapshot.LineProduct, ProductID: "1", SKU: "MUG", Name: "Mug", Quantity: snapshot.NewDecimal(2), UnitPrice: snapshot.NewDecimal(10), Total: snapshot.NewDecimal(20)}}}}
	return in
}

func TestGolden(t *testing.T) {
	for name, mk := range scenarios {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("testdata", name)
			in := mk()
			parts := map[string]any{"woo.json": &in.Woo, "nexo.json": &in.Nexo, "links.json": &in.Links,
				"baselines.json": &in.Baselines, "policy.json": &in.Policy}
			for file, v := range parts {
				path := filepath.Join(dir, file)
				if _, err := os.Stat(path); os.IsNotExist(err) && *update {
					writeJSON(t, path, v)
				}
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("read input: %v (run with -update)", err)
				}
				if err := json.Unmarshal(data, v); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
			}
			got, err := json.MarshalIndent(Build(in), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join(dir, "plan.json")
			if *update {
				writeFile(t, path, got)
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden: %v (run with -update)", err)
			}
			if d := cmp.Diff(string(want), string(got)); d != "" {
				t.Errorf("plan differs from %s (-want +got):\n%s", path, d)
			}
			var table bytes.Buffer
			if err := Build(in).WriteTable(&table); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func writeJSON(t *testing.T, path string, v any) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, append(data, '\n'))
}

func writeFile(t *testing.T, path string, data []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestScenariosConvergeInOneRound: once a plan is applied, the next plan
// writes nothing (writes that refer to records created in the same plan
// leave only agreements), and the one after is empty.
func TestScenariosConvergeInOneRound(t *testing.T) {
	for _, name := range []string{"same_plan_references", "same_plan_references_woo_wins", "categories_250_deep",
		"pos_void_refund_linked"} {
		t.Run(name, func(t *testing.T) {
			in := scenarios[name]()
			p := Build(in)
			if len(p.Held) > 0 {
				t.Fatalf("held: %+v", p.Held)
			}
			for _, op := range p.Ops {
				for _, d := range op.DependsOn {
					if d >= op.Seq {
						t.Fatalf("op %d depends on op %d, which comes later", op.Seq, d)
					}
				}
			}
			next := Build(Apply(in, p))
			if len(next.Ops) > 0 || len(next.Held) > 0 || len(next.Conflicts) > 0 {
				t.Fatalf("second plan not empty: ops %+v held %+v conflicts %+v", next.Ops, next.Held, next.Conflicts)
			}
			if last := Build(Apply(Apply(in, p), next)); !last.Empty() {
				t.Fatalf("third plan not empty: %+v", last)
			}
		})
	}
}
