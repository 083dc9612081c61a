package threeway

import (
	"strings"
	"testing"

	"github.com/woonexo/woonexo/snapshot"
)

// Hostile and odd input as the connectors hand it to the engine: records
// that are held, natural keys that collide or are empty, odd text.

func heldRecord(side snapshot.Side, kind snapshot.Kind, id snapshot.ID) snapshot.Held {
	return snapshot.Held{Side: side, Kind: kind, ID: id, Class: "decode", Reason: `field "regular_price": "abc": invalid decimal`}
}

func deletes(p Plan) []Op {
	var out []Op
	for _, op := range p.Ops {
		if op.Action == ActionDelete {
			out = append(out, op)
		}
	}
	return out
}

// TestHeldTwinIsNotDeleted: a linked pair whose one side could not be
// decoded this cycle (Held, so absent from the records of a complete
// listing) must not make the engine delete or recreate anything: the held
// record was read, it is not gone.
func TestHeldTwinIsNotDeleted(t *testing.T) {
	for _, side := range []snapshot.Side{snapshot.WooCommerce, snapshot.NexoPOS} {
		for _, modified := range []bool{false, true} {
			name := string(side)
			if modified {
				name += "/twin modified"
			}
			t.Run(name, func(t *testing.T) {
				in := shop()
				in.Policy.MaxDelete = MaxDelete{} // no limit: the safety check must not hide the decision
				for _, tg := range []snapshot.Kind{snapshot.KindProduct, snapshot.KindCustomer} {
					tog := in.Policy.Toggles[tg]
					tog.DeleteOnWoo, tog.DeleteOnNexo = true, true
					in.Policy.Toggles[tg] = tog
				}
				in.Woo.Products = []snapshot.Product{product("10", "A", "5"), product("11", "B", "6")}
				in.Nexo.Products = []snapshot.Product{product("20", "A", "5"), product("21", "B", "6")}
				linkProducts(&in)
				if modified { // the twin changed since the baseline: the recreate path
					in.Woo.Products[0].Name, in.Nexo.Products[0].Name = "Renamed", "Renamed"
				}
				// Product A is held on side: read, but not decodable.
				s, id := &in.Woo, snapshot.ID("10")
				if side == snapshot.NexoPOS {
					s, id = &in.Nexo, "20"
				}
				s.Products = s.Products[1:]
				s.Held = append(s.Held, heldRecord(side, snapshot.KindProduct, id))

				p := Build(in)
				for _, op := range p.Ops {
					if op.Key == "A" || op.WooID == "10" || op.NexoID == "20" {
						t.Errorf("op on the pair of a held record: %+v", op)
					}
				}
			})
		}
	}
}

// TestHostileSKUs: duplicate SKUs on one side, SKUs differing only in case
// or surrounding space, and an empty SKU.
func TestHostileSKUs(t *testing.T) {
	in := shop()
	in.Woo.Products = []snapshot.Product{
		product("1", "DUP", "1"), product("2", "DUP", "1"), // duplicate on WooCommerce
		product("3", "Case-1", "1"),     // case only
		product("4", "  SPACE-1 ", "1"), // surrounding space
		product("5", "", "1"),           // empty SKU
		product("6", " ", "1"),          // blank SKU
	}
	in.Nexo.Products = []snapshot.Product{
		product("31", "DUP", "1"),
		product("33", "case-1", "1"),
		product("34", "SPACE-1", "1"),
		product("35", "X-1", "1"), product("36", "x-1 ", "1"), // duplicate by key on NexoPOS
	}
	p := Build(in)

	links := map[snapshot.ID]snapshot.ID{}
	for _, l := range p.Links {
		links[l.Woo] = l.Nexo
	}
	if links["3"] != "33" || links["4"] != "34" {
		t.Errorf("case and space SKUs not linked: %+v", p.Links)
	}
	for _, id := range []snapshot.ID{"1", "2", "5", "6"} {
		if _, ok := links[id]; ok {
			t.Errorf("product %s linked: %+v", id, p.Links)
		}
	}
	amb := map[string]bool{}
	for _, a := range p.Ambiguities {
		amb[string(a.Side)+"/"+a.Key] = true
	}
	if !amb["woocommerce/dup"] || !amb["nexopos/x-1"] {
		t.Errorf("ambiguities %+v", p.Ambiguities)
	}
	held := map[snapshot.ID]snapshot.Held{}
	for _, h := range p.Held {
		if h.Side == snapshot.WooCommerce {
			held[h.ID] = h
		}
	}
	for _, id := range []snapshot.ID{"5", "6"} {
		if h, ok := held[id]; !ok || h.Class != "no_sku" {
			t.Errorf("product %s without SKU not held as no_sku: %+v", id, p.Held)
		}
	}
	for _, op := range p.Ops {
		if op.Kind != snapshot.KindProduct {
			continue
		}
		if op.Action == ActionCreate && (op.WooID == "1" || op.WooID == "2" || op.WooID == "5" || op.WooID == "6" ||
			op.NexoID == "31" || op.NexoID == "35" || op.NexoID == "36") {
			t.Errorf("created from an ambiguous or held product: %+v", op)
		}
	}
	if d := deletes(p); len(d) > 0 {
		t.Errorf("deletes: %+v", d)
	}
}

// TestHostileText: emoji, RTL, HTML and SQL-looking names and a 10,000
// character description travel unchanged into the create op.
func TestHostileText(t *testing.T) {
	names := []string{"Tasse ☕ 👩‍👩‍👧", "كوب القهوة \u202eevil", "<b>x</b> & <script>alert(1)</script>",
		"Robert'); DROP TABLE products;--"}
	in := shop()
	for i, n := range names {
		pr := product(string(rune('a'+i))+"1", "T-"+string(rune('A'+i)), "2")
		pr.Name, pr.Description = n, strings.Repeat(n, 10000/len(n)+1)[:10000]
		in.Woo.Products = append(in.Woo.Products, pr)
	}
	p := Build(in)
	got := map[string]string{}
	for _, op := range p.Ops {
		if op.Action == ActionCreate && op.Kind == snapshot.KindProduct {
			if src, ok := op.Source.(snapshot.Product); ok {
				got[src.Name] = src.Description
			}
		}
	}
	for _, n := range names {
		if d, ok := got[n]; !ok || len(d) != 10000 {
			t.Errorf("%q: created %v, description %d bytes", n, ok, len(d))
		}
	}
}
