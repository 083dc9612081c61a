package threeway

import (
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func allKinds() map[snapshot.Kind]bool {
	m := map[snapshot.Kind]bool{}
	for _, k := range snapshot.Kinds {
		m[k] = true
	}
	return m
}

// shop returns an input with both sides complete and the default policy.
func shop() Input {
	pol := DefaultPolicy()
	pol.DefaultCustomer = "1"
	pol.DefaultShipping = Method{ID: "flat_rate", Title: "Flat rate"}
	pol.DefaultWooPayment = Method{ID: "cod", Title: "Cash on delivery"}
	return Input{
		Woo:       snapshot.Snapshot{Side: snapshot.WooCommerce, TakenAt: t0, Complete: allKinds()},
		Nexo:      snapshot.Snapshot{Side: snapshot.NexoPOS, TakenAt: t0, Complete: allKinds()},
		Baselines: map[snapshot.Kind]map[snapshot.ID]snapshot.Fields{},
		Policy:    pol,
		Form:      snapshot.DefaultForm,
		Now:       t0,
	}
}

func product(id, sku, price string) snapshot.Product {
	return snapshot.Product{ID: snapshot.ID(id), SKU: sku, Name: "Product " + sku, Status: snapshot.ProductActive,
		RegularPrice: snapshot.MustDecimal(price), ManageStock: true, Stock: snapshot.NewDecimal(10), Modified: t0}
}

// linkProducts links woo[i] with nexo[i] and stores the WooCommerce fields
// as baseline.
func linkProducts(in *Input) {
	for i := range in.Woo.Products {
		w, n := in.Woo.Products[i], in.Nexo.Products[i]
		in.Links = append(in.Links, Link{Kind: snapshot.KindProduct, Woo: w.ID, Nexo: n.ID})
		if in.Baselines[snapshot.KindProduct] == nil {
			in.Baselines[snapshot.KindProduct] = map[snapshot.ID]snapshot.Fields{}
		}
		in.Baselines[snapshot.KindProduct][w.ID] = w.Fields(in.Form)
	}
}
