package threeway

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/woonexo/woonexo/snapshot"
	"pgregory.net/rapid"
)

var (
	names  = []string{"Mug", "Cup", "Bowl", "Plate"}
	prices = []string{"1", "2.5", "10", "12.99"}
	skus   = []string{"A", "b", "C", "a", "", "D"}
)

// genShop draws a small shop: linked pairs with baselines, each side then
// edited, some records added or removed, and random toggles.
func genShop(t *rapid.T) Input {
	in := shop()
	in.Policy.WithoutSKU = rapid.SampledFrom([]string{WithoutSKUCreate, WithoutSKUHold}).Draw(t, "without_sku")
	in.Policy.Default.Conflict = rapid.SampledFrom([]Rule{RuleNexoPOS, RuleWooCommerce, RuleNewest}).Draw(t, "conflict")
	in.Policy.Default.FirstLink = rapid.SampledFrom([]Rule{RuleNexoPOS, RuleWooCommerce, RuleNewest}).Draw(t, "first")
	in.Policy.MaxDelete = MaxDelete{}
	tg := Toggle{ToWoo: rapid.Bool().Draw(t, "to_woo"), ToNexo: rapid.Bool().Draw(t, "to_nexo"),
		DeleteOnWoo: rapid.Bool().Draw(t, "del_woo"), DeleteOnNexo: rapid.Bool().Draw(t, "del_nexo")}
	in.Policy.Toggles[snapshot.KindProduct] = tg
	in.Policy.InitialStockToNexo = rapid.Bool().Draw(t, "initial")
	nlinked := rapid.IntRange(0, 5).Draw(t, "linked")
	id := 100
	for i := 0; i < nlinked; i++ {
		id++
		p := product(fmt.Sprint(id), fmt.Sprintf("L%d", i), rapid.SampledFrom(prices).Draw(t, "p"))
		w, n := p, p
		n.ID = snapshot.ID(fmt.Sprint(id + 1000))
		n.Stock = snapshot.NewDecimal(int64(rapid.IntRange(0, 20).Draw(t, "stock")))
		in.Woo.Products = append(in.Woo.Products, w)
		in.Nexo.Products = append(in.Nexo.Products, n)
	}
	linkProducts(&in)
	edit := func(p *snapshot.Product, label string) {
		switch rapid.IntRange(0, 3).Draw(t, label) {
		case 1:
			p.Name = rapid.SampledFrom(names).Draw(t, label+"name")
		case 2:
			p.RegularPrice = snapshot.MustDecimal(rapid.SampledFrom(prices).Draw(t, label+"price"))
		case 3:
			p.Stock = snapshot.NewDecimal(int64(rapid.IntRange(0, 20).Draw(t, label+"stock")))
		}
		p.Modified = t0.Add(rapid.SampledFrom([]time.Duration{0, time.Hour}).Draw(t, label+"mod"))
	}
	for i := range in.Woo.Products {
		edit(&in.Woo.Products[i], "w")
		edit(&in.Nexo.Products[i], "n")
	}
	for side, s := range map[string]*snapshot.Snapshot{"w": &in.Woo, "n": &in.Nexo} {
		for j := rapid.IntRange(0, 3).Draw(t, side+"new"); j > 0; j-- {
			id++
			s.Products = append(s.Products, product(fmt.Sprint(id), rapid.SampledFrom(skus).Draw(t, side+"sku"), "3"))
		}
		if len(s.Products) > 0 && rapid.Bool().Draw(t, side+"drop") {
			i := rapid.IntRange(0, len(s.Products)-1).Draw(t, side+"drop_i")
			s.Products = append(s.Products[:i:i], s.Products[i+1:]...)
		}
	}
	return in
}

func TestPropertyIdenticalSidesPlanNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := shop()
		n := rapid.IntRange(0, 8).Draw(t, "n")
		for i := 0; i < n; i++ {
			p := product(fmt.Sprint(i+1), fmt.Sprintf("S%d", i), rapid.SampledFrom(prices).Draw(t, "p"))
			in.Woo.Products = append(in.Woo.Products, p)
			q := p
			q.ID = snapshot.ID(fmt.Sprint(i + 500))
			in.Nexo.Products = append(in.Nexo.Products, q)
		}
		linkProducts(&in)
		if p := Build(in); !p.Empty() || len(p.Held)+len(p.Conflicts)+len(p.Refusals) > 0 {
			t.Fatalf("plan not empty: %+v", p)
		}
	})
}

// TestPropertyConvergence: applying a plan, then building again, plans
// nothing (within three rounds, as references to records created in one
// round resolve the next).
func TestPropertyConvergence(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genShop(t)
		var p Plan
		for round := 0; round < 3; round++ {
			p = Build(in)
			if len(p.Ops) == 0 && len(p.Links) == 0 && len(p.Agreed) == 0 {
				return
			}
			in = Apply(in, p)
		}
		t.Fatalf("no convergence after 3 rounds; last plan: %+v", p.Ops)
	})
}

func TestPropertyNoStockToNexoPOS(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genShop(t)
		for _, op := range Build(in).Ops {
			if op.Target != snapshot.NexoPOS {
				continue
			}
			if op.Action == ActionStock {
				t.Fatalf("stock op to NexoPOS: %+v", op)
			}
			if op.Quantity != nil && !(op.Action == ActionCreate && op.Kind == snapshot.KindProduct && in.Policy.InitialStockToNexo) {
				t.Fatalf("quantity to NexoPOS outside an initial create: %+v", op)
			}
			for _, c := range op.Changes {
				if c.Field == "stock" {
					t.Fatalf("stock change to NexoPOS: %+v", op)
				}
			}
		}
	})
}

func TestPropertyTogglesRespected(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genShop(t)
		tg := in.Policy.Toggles[snapshot.KindProduct]
		for _, op := range Build(in).Ops {
			if op.Kind != snapshot.KindProduct {
				continue
			}
			del := op.Action == ActionDelete
			ok := (op.Target == snapshot.WooCommerce && (del && tg.DeleteOnWoo || !del && tg.ToWoo)) ||
				(op.Target == snapshot.NexoPOS && (del && tg.DeleteOnNexo || !del && tg.ToNexo))
			if !ok {
				t.Fatalf("op against a switched-off direction %+v: %+v", tg, op)
			}
		}
	})
}

func TestPropertyDeterministic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genShop(t)
		a := Build(in)
		// the same records in another order give the same plan
		rev := in
		rev.Woo.Products = append([]snapshot.Product(nil), in.Woo.Products...)
		for i, j := 0, len(rev.Woo.Products)-1; i < j; i, j = i+1, j-1 {
			rev.Woo.Products[i], rev.Woo.Products[j] = rev.Woo.Products[j], rev.Woo.Products[i]
		}
		rev.Links = append([]Link(nil), in.Links...)
		for i, j := 0, len(rev.Links)-1; i < j; i, j = i+1, j-1 {
			rev.Links[i], rev.Links[j] = rev.Links[j], rev.Links[i]
		}
		if d := cmp.Diff(a, Build(rev), cmp.Comparer(func(x, y snapshot.Decimal) bool { return x == y })); d != "" {
			t.Fatalf("plans differ (-first +second):\n%s", d)
		}
	})
}
