package snapshot

import (
	"slices"
	"testing"
)

func TestProductFieldsIgnoreFormattingNoise(t *testing.T) {
	a := Product{ID: "1", SKU: " ABC-1 ", Name: "Mug\r\n", RegularPrice: MustDecimal("10"),
		CategoryIDs: []ID{"10", "9"}, Status: ProductActive}
	b := Product{ID: "7", SKU: "abc-1", Name: "Mug", RegularPrice: MustDecimal("10.001"),
		CategoryIDs: []ID{"9", "10", "9"}, Status: ProductActive}
	if d := Diff(KindProduct, a.Fields(DefaultForm), b.Fields(DefaultForm)); len(d) != 0 {
		t.Fatalf("Diff = %v, want none", d)
	}
	b.HasSalePrice, b.SalePrice = true, MustDecimal("8")
	b.Name, b.RegularPrice = "Big mug", MustDecimal("11")
	if d := Diff(KindProduct, a.Fields(DefaultForm), b.Fields(DefaultForm)); !slices.Equal(d, []string{"name", "regular_price"}) {
		t.Fatalf("Diff = %v", d)
	}
}

func TestHashStable(t *testing.T) {
	c := Customer{Email: "A@Example.com ", FirstName: "Ann"}
	h1 := Hash(c.Fields(DefaultForm))
	c.Email = "a@example.com"
	if h2 := Hash(c.Fields(DefaultForm)); h1 != h2 {
		t.Fatalf("hash changed with e-mail case: %s vs %s", h1, h2)
	}
	c.FirstName = "Anne"
	if h3 := Hash(c.Fields(DefaultForm)); h3 == h1 {
		t.Fatal("hash did not change with the name")
	}
	if Hash(Fields{"a": "bc"}) == Hash(Fields{"ab": "c"}) {
		t.Fatal("hash is ambiguous")
	}
}

func TestJoinIDsNumericOrder(t *testing.T) {
	if got := JoinIDs([]ID{"10", "9", "100", "9"}); got != "9,10,100" {
		t.Fatalf("JoinIDs = %q", got)
	}
	if got := SplitIDs("9,10"); !slices.Equal(got, []ID{"9", "10"}) {
		t.Fatalf("SplitIDs = %v", got)
	}
}

// TestCustomerFieldsOneSideCannotHold: a customer after a round trip
// through the other side (NexoPOS keeps no state and stores the e-mail as
// first name when there is none; WooCommerce keeps no shipping e-mail and
// shows billing.phone as the phone) compares equal.
func TestCustomerFieldsOneSideCannotHold(t *testing.T) {
	addr := Address{FirstName: "Ann", City: "Town", State: "CA", Country: "US", Email: "ship@example.com", Phone: "555"}
	woo := Customer{Email: "ann@example.com", Phone: "555", Billing: addr, Shipping: addr}
	nexo := woo
	nexo.FirstName = "Ann@Example.com"
	nexo.Phone = "777"
	nexo.Billing.State, nexo.Shipping.State = "", ""
	woo.Shipping.Email = ""
	if d := Diff(KindCustomer, woo.Fields(DefaultForm), nexo.Fields(DefaultForm)); len(d) != 0 {
		t.Fatalf("Diff = %v, want none", d)
	}
	for _, f := range []string{"phone", "billing.state", "shipping.state", "shipping.email"} {
		if slices.Contains(FieldNames(KindCustomer), f) {
			t.Errorf("%s is compared", f)
		}
		if _, ok := woo.Fields(DefaultForm)[f]; !ok {
			t.Errorf("Fields lacks %s", f)
		}
	}
	nexo.Billing.City = "Ville"
	if d := Diff(KindCustomer, woo.Fields(DefaultForm), nexo.Fields(DefaultForm)); !slices.Equal(d, []string{"billing.city"}) {
		t.Fatalf("Diff = %v, want billing.city", d)
	}
}

func TestAppendValuesMatchFields(t *testing.T) {
	f := Form{MoneyPlaces: 2}
	c := Category{ID: "3", Name: " Mugs\r\n", ParentID: "1", Description: "d "}
	p := Product{ID: "1", SKU: " A-1 ", Name: "Mug ", RegularPrice: MustDecimal("10.005"), CategoryIDs: []ID{"10", "9"},
		ManageStock: true, Status: ProductActive}
	q := p
	q.CategoryIDs = []ID{"7"}
	check := func(kind Kind, got []string, want Fields) {
		t.Helper()
		names := FieldNames(kind)
		if len(got) != len(names) {
			t.Fatalf("%s: %d values for %d fields", kind, len(got), len(names))
		}
		for i, n := range names {
			if got[i] != want[n] {
				t.Errorf("%s.%s = %q, Fields has %q", kind, n, got[i], want[n])
			}
		}
	}
	check(KindCategory, c.AppendValues(nil, f), c.Fields(f))
	check(KindProduct, p.AppendValues(nil, f), p.Fields(f))
	check(KindProduct, q.AppendValues([]string{}, f), q.Fields(f))
}
