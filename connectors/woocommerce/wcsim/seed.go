package wcsim

import (
	"fmt"
	"time"
)

// seedDemo makes a small shop: nested categories, about 30 products with
// SKUs, a few customers, an administrator, some orders, and the gateways
// bacs, cod and cheque enabled.
func (s *Sim) seedDemo(now time.Time) {
	st := s.st
	for _, g := range st.gateways {
		g.Enabled = true
	}
	clothing := st.addCategory(&Category{Name: "Clothing"})
	shirts := st.addCategory(&Category{Name: "Shirts", Parent: clothing})
	tees := st.addCategory(&Category{Name: "T-Shirts", Parent: shirts})
	hoodies := st.addCategory(&Category{Name: "Hoodies", Parent: clothing})
	acc := st.addCategory(&Category{Name: "Accessories"})
	hats := st.addCategory(&Category{Name: "Hats", Parent: acc})
	music := st.addCategory(&Category{Name: "Music"})
	cats := []int{tees, shirts, hoodies, hats, acc, music}
	names := []string{"Tee", "Polo", "Hoodie", "Cap", "Belt", "Album"}
	start := now.Add(-48 * time.Hour)
	var ids []int
	for i := 0; i < 30; i++ {
		k := i % len(cats)
		p := newProduct()
		p.Name = fmt.Sprintf("%s %d", names[k], i/len(cats)+1)
		p.SKU = fmt.Sprintf("DEMO-%03d", i+1)
		p.RegularPrice = fmt.Sprintf("%d.%02d", 10+i, (i*7)%100)
		if i%5 == 0 {
			p.SalePrice = fmt.Sprintf("%d.00", 8+i)
		}
		p.ManageStock = i%7 != 6
		if p.ManageStock {
			p.StockQuantity = ptr(20 + i)
		}
		p.CategoryIDs = []int{cats[k]}
		p.DateCreated = start.Add(time.Duration(i) * time.Minute)
		p.DateModified = p.DateCreated
		validateProps(p)
		s.saveNewProduct(p)
		ids = append(ids, p.ID)
	}
	people := []struct{ first, last, email string }{
		{"Jane", "Doe", "jane.doe@example.com"}, {"John", "Smith", "john.smith@example.com"},
		{"Ana", "Lopez", "ana.lopez@example.com"}, {"Kai", "Müller", "kai.mueller@example.com"},
	}
	var users []int
	for _, pp := range people {
		created := start
		a := Address{FirstName: pp.first, LastName: pp.last, Address1: "1 Main St", City: "Springfield", Postcode: "12345", Country: "DE", Email: pp.email, Phone: "555-0100"}
		sh := a
		sh.Email = ""
		users = append(users, st.addUser(&Customer{Email: pp.email, FirstName: pp.first, LastName: pp.last, Billing: a, Shipping: sh,
			DateCreated: created, DateModified: &created}))
	}
	st.addUser(&Customer{Email: "shop.manager@example.com", Username: "manager", Role: "administrator", DateCreated: start})
	gateways := []string{"bacs", "cod", "cheque"}
	for i := 0; i < 6; i++ {
		o := &Order{Currency: s.opts.Currency, CustomerID: users[i%len(users)], PaymentMethod: gateways[i%3],
			DateCreated: start.Add(time.Duration(60+i) * time.Minute)}
		o.DateModified = o.DateCreated
		o.Billing = st.users[o.CustomerID].Billing
		o.Shipping = st.users[o.CustomerID].Shipping
		for _, g := range st.gateways {
			if g.ID == o.PaymentMethod {
				o.PaymentMethodTitle = g.Title
			}
		}
		for j := 0; j < 1+i%3; j++ {
			p := st.products[ids[(i*3+j)%len(ids)]]
			price, _ := activePrice(p)
			q := 1 + j
			tot := dec(price).MulInt(int64(q)).String()
			o.LineItems = append(o.LineItems, LineItem{ID: st.newItemID(), Name: p.Name, ProductID: p.ID, Quantity: q, Subtotal: tot, Total: tot})
		}
		o.ShippingLines = []ShippingLine{{ID: st.newItemID(), MethodID: "flat_rate", MethodTitle: "Flat rate", Total: "5.00"}}
		s.saveNewOrder(o)
		switch i % 3 {
		case 0:
			s.paymentComplete(o, "")
		case 1:
			s.setStatus(o, "on-hold")
		}
		o.DateModified = o.DateCreated
	}
}

// seedN makes n products over a three-level category tree, n/5 customers
// and 2n orders, directly in the store (no per-record validation), so
// 100,000 products take well under a second or two.
func (s *Sim) seedN(n int, now time.Time) {
	st := s.st
	for _, g := range st.gateways {
		g.Enabled = true
	}
	var leaves []int
	for i := 0; i < 10; i++ {
		top := st.addCategory(&Category{Name: fmt.Sprintf("Department %d", i+1), Slug: fmt.Sprintf("department-%d", i+1)})
		for j := 0; j < 5; j++ {
			mid := st.addCategory(&Category{Name: fmt.Sprintf("Aisle %d.%d", i+1, j+1), Slug: fmt.Sprintf("aisle-%d-%d", i+1, j+1), Parent: top})
			for k := 0; k < 2; k++ {
				leaves = append(leaves, st.addCategory(&Category{Name: fmt.Sprintf("Shelf %d.%d.%d", i+1, j+1, k+1),
					Slug: fmt.Sprintf("shelf-%d-%d-%d", i+1, j+1, k+1), Parent: mid}))
			}
		}
	}
	start := now.Add(-time.Duration(n+1) * time.Second)
	pids := make([]int, 0, n)
	for i := 0; i < n; i++ {
		q := i % 100
		t := start.Add(time.Duration(i) * time.Second)
		p := &Product{ID: st.newPostID(), Name: fmt.Sprintf("Product %d", i+1), Slug: fmt.Sprintf("product-%d", i+1),
			Type: "simple", Status: "publish", CatalogVisibility: "visible", TaxStatus: "taxable", Backorders: "no",
			SKU: fmt.Sprintf("SKU-%06d", i+1), RegularPrice: fmt.Sprintf("%d.%02d", 1+i%200, i%100),
			ManageStock: true, StockQuantity: &q, CategoryIDs: []int{leaves[i%len(leaves)]}, DateCreated: t, DateModified: t}
		validateProps(p)
		st.products[p.ID] = p
		st.productIDs = append(st.productIDs, p.ID)
		st.skus[p.SKU] = map[int]bool{p.ID: true}
		st.slugs[p.Slug] = p.ID
		pids = append(pids, p.ID)
	}
	nc := n / 5
	uids := make([]int, 0, nc)
	for i := 0; i < nc; i++ {
		email := fmt.Sprintf("customer%d@example.com", i+1)
		t := start
		c := &Customer{ID: st.newUserID(), Email: email, Username: fmt.Sprintf("customer%d", i+1), Role: "customer",
			FirstName: "Customer", LastName: fmt.Sprint(i + 1), DateCreated: t, DateModified: &t,
			Billing: Address{FirstName: "Customer", LastName: fmt.Sprint(i + 1), Email: email, Country: "DE"}}
		st.users[c.ID] = c
		st.userIDs = append(st.userIDs, c.ID)
		uids = append(uids, c.ID)
	}
	statuses := []string{"completed", "processing", "pending", "on-hold", "cancelled"}
	for i := 0; i < 2*n; i++ {
		t := start.Add(time.Duration(i/2) * time.Second)
		o := &Order{ID: st.newPostID(), Status: statuses[i%len(statuses)], Currency: s.opts.Currency, CreatedVia: "checkout",
			PaymentMethod: "bacs", PaymentMethodTitle: "Direct bank transfer", DateCreated: t, DateModified: t}
		o.OrderKey = fmt.Sprintf("wc_order_%013x", uint64(o.ID)*2654435761)
		if len(uids) > 0 {
			o.CustomerID = uids[i%len(uids)]
		}
		if len(pids) > 0 {
			p := st.products[pids[i%len(pids)]]
			o.LineItems = []LineItem{{ID: st.newItemID(), Name: p.Name, ProductID: p.ID, Quantity: 1, Subtotal: p.RegularPrice, Total: p.RegularPrice}}
		}
		if o.Status == "completed" || o.Status == "processing" || o.Status == "on-hold" {
			o.StockReduced = true
			if len(o.LineItems) > 0 {
				o.LineItems[0].ReducedStock = 1
			}
			paid := t
			o.DatePaid = &paid
		}
		st.orders[o.ID] = o
		st.orderIDs = append(st.orderIDs, o.ID)
	}
}
