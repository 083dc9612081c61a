package nexosim

import "fmt"

func (s *Sim) seedDemo() error {
	st := s.st
	cats := map[string]int{}
	for _, c := range []struct{ name, parent string }{
		{"Kitchen", ""}, {"Mugs", "Kitchen"}, {"Plates", "Kitchen"}, {"Stoneware", "Plates"},
		{"Garden", ""}, {"Tools", "Garden"}, {"Seeds", "Garden"},
	} {
		b := body{"name": c.name}
		if c.parent != "" {
			b["parent_id"] = float64(cats[c.parent])
		}
		x, err := st.saveCategory(0, b, AdminID)
		if err != nil {
			return toErr(err)
		}
		cats[c.name] = x.ID
	}
	leaves := []string{"Mugs", "Stoneware", "Tools", "Seeds", "Plates", "Kitchen"}
	var prods []int
	for i := 1; i <= 30; i++ {
		cat := leaves[i%len(leaves)]
		p := NewProduct{Name: fmt.Sprintf("%s item %d", cat, i), SKU: fmt.Sprintf("DEMO-%03d", i),
			CategoryID: cats[cat], Price: float64(5 + i), WholesalePrice: float64(3 + i), Stock: float64(10 + i%7*5)}
		if i%5 == 0 {
			p.TaxGroupID, p.TaxType = ptr(st.defaults.TaxGroupID), "inclusive"
		}
		if i == 30 {
			p.StockManagement = "disabled"
		}
		id, err := s.addProduct(p, true)
		if err != nil {
			return err
		}
		prods = append(prods, id)
	}
	var custs []int
	for i, n := range [][2]string{{"Ada", "Lovelace"}, {"Alan", "Turing"}, {"Grace", "Hopper"}, {"Edsger", "Dijkstra"}, {"Barbara", "Liskov"}} {
		u := st.newCustomer(n[0], n[1], fmt.Sprintf("%s.%s@example.com", lower(n[0]), lower(n[1])), st.defaults.CustomerGroupID)
		st.saveCustomerAddress(u.ID, "billing", body{"first_name": n[0], "last_name": n[1], "city": "London", "country": "GB", "address_1": fmt.Sprintf("%d Demo Road", i+1)}, AdminID)
		custs = append(custs, u.ID)
	}
	for i := 0; i < 6; i++ {
		p1, p2 := prods[i], prods[i+10]
		o := NewOrder{CustomerID: custs[i%len(custs)], Title: fmt.Sprintf("POS sale %d", i+1),
			Lines: []OrderLine{{ProductID: p1, Quantity: 1}, {ProductID: p2, Quantity: 2}}}
		if i == 2 {
			o.Lines = append(o.Lines, OrderLine{Name: "Gift wrap", Quantity: 1, UnitPrice: 3})
		}
		total := 0.0
		for _, l := range o.Lines {
			price := l.UnitPrice
			if l.ProductID != 0 {
				price = st.unitRow(l.ProductID, st.defaults.UnitID).SalePrice
			}
			total += price * l.Quantity
		}
		o.Payments = map[string]float64{"cash-payment": round5(total)}
		if _, err := s.addOrder(o); err != nil {
			return err
		}
	}
	return nil
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// seedN builds N products over a three-level category tree, N/5 customers
// and 2N paid orders of one or two lines.
func (s *Sim) seedN(n int) error {
	st := s.st
	var leaves []int
	roots := max(1, n/1000)
	for r := 0; r < roots; r++ {
		root, _ := st.saveCategory(0, body{"name": fmt.Sprintf("Department %d", r+1)}, AdminID)
		for c := 0; c < 3; c++ {
			mid, _ := st.saveCategory(0, body{"name": fmt.Sprintf("Aisle %d.%d", r+1, c+1), "parent_id": float64(root.ID)}, AdminID)
			for l := 0; l < 3; l++ {
				leaf, _ := st.saveCategory(0, body{"name": fmt.Sprintf("Shelf %d.%d.%d", r+1, c+1, l+1), "parent_id": float64(mid.ID)}, AdminID)
				leaves = append(leaves, leaf.ID)
			}
		}
	}
	prods := make([]int, 0, n)
	for i := 1; i <= n; i++ {
		id, err := s.addProduct(NewProduct{Name: fmt.Sprintf("Product %d", i), SKU: fmt.Sprintf("SKU-%06d", i),
			Barcode: fmt.Sprintf("B%09d", i), CategoryID: leaves[i%len(leaves)], Price: float64(1 + i%97),
			WholesalePrice: float64(1 + i%50), Stock: float64(1000 + i%100)}, false)
		if err != nil {
			return err
		}
		prods = append(prods, id)
	}
	var custs []int
	for i := 1; i <= n/5; i++ {
		u := st.newCustomer(fmt.Sprintf("First%d", i), fmt.Sprintf("Last%d", i), fmt.Sprintf("customer%d@example.com", i), st.defaults.CustomerGroupID)
		custs = append(custs, u.ID)
	}
	if len(custs) == 0 {
		custs = []int{st.defaults.CustomerID}
	}
	if len(prods) == 0 {
		return nil
	}
	for i := 0; i < 2*n; i++ {
		p := prods[(i*7)%len(prods)]
		lines := []OrderLine{{ProductID: p, Quantity: 1}}
		if i%2 == 1 {
			lines = append(lines, OrderLine{ProductID: prods[(i*13+1)%len(prods)], Quantity: 1})
		}
		total := 0.0
		for _, l := range lines {
			total += st.unitRow(l.ProductID, st.defaults.UnitID).SalePrice
		}
		if _, err := s.addOrder(NewOrder{CustomerID: custs[i%len(custs)], Lines: lines, Payments: map[string]float64{"cash-payment": total}}); err != nil {
			return err
		}
	}
	return nil
}
