package store

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/woonexo/woonexo/snapshot"
)

func TestIDKeysRoundTripAndSortNumerically(t *testing.T) {
	ids := []snapshot.ID{"0", "2", "10", "42", "18446744073709551615", "007", "18446744073709551616", "bacs", "cash-payment", "-1"}
	var keys [][]byte
	for _, id := range ids {
		k, err := idKey(id)
		if err != nil {
			t.Fatalf("idKey(%q): %v", id, err)
		}
		back, err := keyID(k)
		if err != nil || back != id {
			t.Errorf("keyID(idKey(%q)) = %q, %v", id, back, err)
		}
		keys = append(keys, k)
	}
	if !slices.IsSortedFunc(keys[:5], bytes.Compare) {
		t.Error("numeric keys do not sort numerically")
	}
	if _, err := idKey(""); err == nil {
		t.Error("idKey accepted the empty id")
	}
}

func TestTimesKeepTheirInstant(t *testing.T) {
	for _, at := range []time.Time{{}, t0, time.Unix(0, 0), time.Date(1969, 7, 20, 20, 17, 40, 999_999_999, time.FixedZone("x", -3600))} {
		var e encoder
		e.time(at)
		d := decoder{s: string(e.b)}
		got := d.time()
		if err := d.end(); err != nil || !got.Equal(at) || got.IsZero() != at.IsZero() {
			t.Errorf("time %v came back as %v (%v)", at, got, err)
		}
	}
}

// FuzzDecodeRecord feeds arbitrary bytes to every value decoder: each
// must fail cleanly, never panic or allocate without bound.
func FuzzDecodeRecord(f *testing.F) {
	snap := testSnapshot()
	var e encoder
	e.header("h", t0)
	e.order(&snap.Orders[0])
	f.Add(e.b)
	e.reset()
	e.header("h", t0)
	e.product(&snap.Products[0])
	f.Add(e.b)
	f.Add([]byte{recordFormat, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, decode := range []func(*decoder){
			func(d *decoder) { d.category(&snapshot.Category{}) },
			func(d *decoder) { d.product(&snapshot.Product{}) },
			func(d *decoder) { d.customer(&snapshot.Customer{}) },
			func(d *decoder) { d.order(&snapshot.Order{}) },
			func(d *decoder) { d.paymentMethod(&snapshot.PaymentMethod{}) },
			func(d *decoder) { d.fields() },
		} {
			d := decoder{s: string(b)}
			d.header()
			decode(&d)
			d.end()
		}
		keyID(b)
	})
}

// FuzzProductRoundTrip checks that any product comes back as it went in.
func FuzzProductRoundTrip(f *testing.F) {
	f.Add("TS-1", "T-shirt", "desc\r\n", int64(19_990_000), int64(-5), true, "10,2", int64(1_700_000_000), uint32(5))
	f.Fuzz(func(t *testing.T, sku, name, desc string, price, stock int64, sale bool, cats string, sec int64, ns uint32) {
		p := snapshot.Product{ID: "1", SKU: sku, Name: name, Description: desc, Status: snapshot.ProductInactive,
			RegularPrice: snapshot.DecimalFromMicros(price), Stock: snapshot.DecimalFromMicros(stock),
			HasSalePrice: sale, SalePrice: snapshot.DecimalFromMicros(price / 2), CategoryIDs: snapshot.SplitIDs(cats),
			Modified: time.Unix(sec%(1<<40), int64(ns%1e9)).UTC()}
		var e encoder
		e.header("hash", p.Modified)
		e.product(&p)
		d := decoder{s: string(e.b)}
		var got snapshot.Product
		_, got.Modified = d.header()
		d.product(&got)
		got.ID = p.ID
		if err := d.end(); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, got, cmpOpts); diff != "" {
			t.Errorf("(-in +out):\n%s", diff)
		}
	})
}
