package nexopos

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
	"github.com/woonexo/woonexo/snapshot"
)

// Hostile and odd input read over real HTTP from the simulator, or from
// the simulator's handler behind a rewriting server for what it cannot
// produce. Every record ends as a canonical record equal to what the
// simulator holds, or as a Held record whose reason names the field and
// the value; a listing the client cannot trust fails as a whole.

// rewrite may replace the status and body the simulator answered.
type rewrite func(r *http.Request, status int, body []byte) (int, []byte)

// rewritingSim serves a fresh simulator's handler through fn and returns
// it with a client.
func rewritingSim(t *testing.T, fn rewrite) (*nexosim.Sim, *Client) {
	t.Helper()
	clk := newFakeClock()
	sim := nexosim.New(nexosim.Options{NoThrottle: true, Clock: clk.Now})
	h := sim.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		status, body := rec.Code, rec.Body.Bytes()
		if fn != nil {
			status, body = fn(r, status, body)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Token: sim.Token(), Clock: clk, Retry: Retry{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

func route(r *http.Request, path string) bool {
	return r.Method == http.MethodGet && r.URL.Path == "/api/"+path
}

func read(t *testing.T, c *Client, kinds ...snapshot.Kind) snapshot.Snapshot {
	t.Helper()
	s, err := c.ReadSnapshot(t.Context(), ReadOptions{Full: true, Kinds: kinds})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func heldOf(s snapshot.Snapshot, kind snapshot.Kind, id int) []snapshot.Held {
	var out []snapshot.Held
	for _, h := range s.Held {
		if h.Kind == kind && h.ID == snapshot.ID(strconv.Itoa(id)) {
			out = append(out, h)
		}
	}
	return out
}

// TestHostileProductsSimulator: odd text, case and space SKUs, negative and
// fractional stock come back exactly.
func TestHostileProductsSimulator(t *testing.T) {
	sim, c := rewritingSim(t, nil)
	cases := []nexosim.NewProduct{
		{Name: "Tasse ☕ 🇫🇷 👩‍👩‍👧", SKU: "EMOJI-1", Price: 3},
		{Name: "كوب القهوة \u202eevil", SKU: "RTL-1", Price: 3},
		{Name: "<b>Bold</b> &amp; <script>alert(1)</script>", SKU: "HTML-1", Price: 3},
		{Name: "Robert'); DROP TABLE nexopos_products;--", SKU: "' OR 1=1 --", Price: 3},
		{Name: "Case upper", SKU: "CASE-1", Price: 1},
		{Name: "Case lower", SKU: "case-1", Price: 1},
		{Name: "Spaced", SKU: "  SPACE-1 ", Price: 1},
		{Name: "Fraction", SKU: "FRAC-1", Price: 1.5, Stock: 2.25},
	}
	ids := make([]int, len(cases))
	for i, p := range cases {
		id, err := sim.AddProduct(p)
		if err != nil {
			t.Fatalf("%q: %v", p.Name, err)
		}
		ids[i] = id
	}
	s := read(t, c, snapshot.KindProduct)
	got := map[snapshot.ID]snapshot.Product{}
	for _, p := range s.Products {
		got[p.ID] = p
	}
	for i, id := range ids {
		p, ok := got[snapshot.ID(strconv.Itoa(id))]
		if !ok {
			t.Errorf("%q missing; held %+v", cases[i].Name, heldOf(s, snapshot.KindProduct, id))
			continue
		}
		want, _ := sim.Product(id)
		wb, _ := json.Marshal(want)
		if p.Name != cases[i].Name || !strings.Contains(string(wb), strconv.Quote(p.SKU)[1:len(strconv.Quote(p.SKU))-1]) {
			t.Errorf("product %d: name %q sku %q, simulator holds %s", id, p.Name, p.SKU, wb)
		}
		if qty := snapshot.MustDecimal(strconv.FormatFloat(cases[i].Stock, 'f', -1, 64)); p.Stock != qty {
			t.Errorf("product %d: stock %s, want %s", id, p.Stock, qty)
		}
	}
}

// TestHostileProductJSON: unit rows and product rows the simulator cannot
// produce: prices "", "abc", "1,50", "1e3", null fields, a row without an
// id, unknown product types.
func TestHostileProductJSON(t *testing.T) {
	var productIDs []int
	replaceRow := map[int]string{} // product id -> field overrides for its unit row
	replaceProduct := map[int]string{}
	sim, c := rewritingSim(t, func(r *http.Request, status int, body []byte) (int, []byte) {
		switch {
		case route(r, "crud/ns.products-units"):
			return status, patchRows(t, body, "product_id", replaceRow)
		case route(r, "products"):
			return status, patchList(t, body, "id", replaceProduct)
		}
		return status, body
	})
	for i := 0; i < 11; i++ {
		id, err := sim.AddProduct(nexosim.NewProduct{Name: fmt.Sprintf("P%d", i), SKU: fmt.Sprintf("S%d", i), Price: 2, Stock: 5})
		if err != nil {
			t.Fatal(err)
		}
		productIDs = append(productIDs, id)
	}
	p := productIDs
	replaceRow[p[0]] = `{"sale_price":""}`
	replaceRow[p[1]] = `{"sale_price":"abc"}`
	replaceRow[p[2]] = `{"sale_price":"1,50"}`
	replaceRow[p[3]] = `{"sale_price":"1e3","quantity":1e3}`
	replaceRow[p[4]] = `{"quantity":null,"sale_price":null}`
	replaceRow[p[8]] = `{"quantity":"-3.5"}`
	replaceProduct[p[5]] = `{"product_type":"variable"}`
	replaceProduct[p[6]] = `{"name":null,"sku":null,"description":null,"updated_at":"not a date","category_id":null}`
	replaceProduct[p[7]] = `{"sku":{"nested":true}}`
	replaceProduct[p[9]] = `{"status":"archived"}`
	replaceProduct[p[10]] = `{"stock_management":"perhaps"}`

	s := read(t, c, snapshot.KindProduct)
	got := map[int]snapshot.Product{}
	for _, pr := range s.Products {
		n, _ := strconv.Atoi(string(pr.ID))
		got[n] = pr
	}
	check := func(i int, want string) {
		t.Helper()
		pr, ok := got[p[i]]
		h := heldOf(s, snapshot.KindProduct, p[i])
		if ok == (len(h) > 0) {
			t.Errorf("product %d: decoded %v and held %+v (exactly one expected)", i, ok, h)
			return
		}
		if strings.HasPrefix(want, "held:") {
			var reasons []string
			for _, x := range h {
				reasons = append(reasons, x.Reason)
			}
			if !strings.Contains(strings.Join(reasons, " | "), strings.TrimPrefix(want, "held:")) {
				t.Errorf("product %d: held %q, want a reason containing %q", i, reasons, strings.TrimPrefix(want, "held:"))
			}
			return
		}
		if g := fmt.Sprintf("%s|%s|%s|%s", pr.RegularPrice, pr.Stock, pr.Name, pr.SKU); g != want {
			t.Errorf("product %d: got %q, want %q (held %+v)", i, g, want, h)
		}
	}
	check(0, "0|5|P0|S0") // "" reads as no price: 0, as NexoPOS shows it
	check(1, `held:field "sale_price": number "abc"`)
	check(2, `held:field "sale_price": number "1,50"`)
	check(3, "1000|1000|P3|S3")
	check(4, "0|0|P4|S4")
	check(5, `held:product_type "variable"`)
	check(6, "2|5||")
	check(7, `held:field "sku"`)
	check(8, "2|-3.5|P8|S8") // negative fractional stock is exact
	// Unknown status and stock_management values are held, never guessed.
	check(9, `held:field "status": unknown value "archived"`)
	check(10, `held:field "stock_management": unknown value "perhaps"`)
	for _, i := range []int{9, 10} {
		for _, h := range heldOf(s, snapshot.KindProduct, p[i]) {
			if h.Class != "decode" {
				t.Errorf("product %d held with class %q, want decode", i, h.Class)
			}
		}
	}
	if n := len(s.Products); n+countHeldIDs(s) < len(p) {
		t.Errorf("%d products and %d held ids for %d products", n, countHeldIDs(s), len(p))
	}
}

func countHeldIDs(s snapshot.Snapshot) int {
	ids := map[snapshot.ID]bool{}
	for _, h := range s.Held {
		ids[h.ID] = true
	}
	return len(ids)
}

// patchList merges overrides into the items of a JSON array whose key
// field matches.
func patchList(t *testing.T, body []byte, key string, over map[int]string) []byte {
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(body, &items); err != nil {
		return body
	}
	for _, it := range items {
		patchItem(t, it, key, over)
	}
	b, _ := json.Marshal(items)
	return b
}

// patchRows does the same inside a CRUD paginator's data.
func patchRows(t *testing.T, body []byte, key string, over map[int]string) []byte {
	var p map[string]json.RawMessage
	if err := json.Unmarshal(body, &p); err != nil {
		return body
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(p["data"], &items); err != nil {
		return body
	}
	for _, it := range items {
		patchItem(t, it, key, over)
	}
	p["data"], _ = json.Marshal(items)
	b, _ := json.Marshal(p)
	return b
}

func patchItem(t *testing.T, it map[string]json.RawMessage, key string, over map[int]string) {
	var id flexID
	if json.Unmarshal(it[key], &id) != nil {
		return
	}
	n, _ := strconv.Atoi(string(id))
	o, ok := over[n]
	if !ok {
		return
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(o), &m); err != nil {
		t.Fatalf("override %s: %v", o, err)
	}
	for k, v := range m {
		it[k] = v
	}
}

// TestHostileErrorBody200: a listing answered 200 with an error object or
// an HTML page fails that kind; the others still come back.
func TestHostileErrorBody200(t *testing.T) {
	for _, body := range []string{
		`{"status":"error","message":"Unauthenticated."}`,
		`<!DOCTYPE html><html><body>Whoops</body></html>`,
		`null`,
		``,
	} {
		sim, c := rewritingSim(t, func(r *http.Request, status int, b []byte) (int, []byte) {
			if route(r, "crud/ns.customers") || route(r, "products") {
				return 200, []byte(body)
			}
			return status, b
		})
		if _, err := sim.AddCustomer(nexosim.NewCustomer{FirstName: "A", Email: "a@example.com"}); err != nil {
			t.Fatal(err)
		}
		s := read(t, c, snapshot.KindProduct, snapshot.KindCustomer, snapshot.KindCategory)
		for _, k := range []snapshot.Kind{snapshot.KindProduct, snapshot.KindCustomer} {
			if s.Failed[k] != "" && !s.Complete[k] {
				continue
			}
			// GET /api/products answering null reads as an empty list: a
			// complete listing with no records, which the engine refuses to
			// act on while links of the kind exist (safety: empty listing).
			if body == "null" && k == snapshot.KindProduct && len(s.Products) == 0 {
				continue
			}
			t.Errorf("%q: %s failed %q, complete %v", body, k, s.Failed[k], s.Complete[k])
		}
		if !s.Complete[snapshot.KindCategory] {
			t.Errorf("%q: categories not read: %v", body, s.Failed)
		}
	}
}

// TestHostileCRUDPages: a CRUD page longer than per_page is read whole; a
// repeated page (page 2 answering page 1's rows) must not make a complete
// listing that lacks page 2's customers.
func TestHostileCRUDPages(t *testing.T) {
	t.Run("long page", func(t *testing.T) {
		sim, c := rewritingSim(t, func(r *http.Request, status int, b []byte) (int, []byte) {
			if route(r, "crud/ns.customers") {
				var p map[string]json.RawMessage
				if json.Unmarshal(b, &p) == nil {
					p["per_page"] = json.RawMessage(`2`) // says 2 a page, sends them all
					b, _ = json.Marshal(p)
				}
			}
			return status, b
		})
		for i := range 5 {
			if _, err := sim.AddCustomer(nexosim.NewCustomer{FirstName: "C", Email: fmt.Sprintf("c%d@example.com", i)}); err != nil {
				t.Fatal(err)
			}
		}
		s := read(t, c, snapshot.KindCustomer)
		if len(s.Customers) != len(sim.Customers()) || !s.Complete[snapshot.KindCustomer] {
			t.Errorf("%d customers read of %d, complete %v", len(s.Customers), len(sim.Customers()), s.Complete)
		}
	})
	t.Run("repeated page", func(t *testing.T) {
		// Page 1 holds the first two rows and announces two pages; page 2
		// repeats page 1.
		sim, c := rewritingSim(t, func(r *http.Request, status int, b []byte) (int, []byte) {
			if !route(r, "crud/ns.customers") {
				return status, b
			}
			var p map[string]json.RawMessage
			var rows []json.RawMessage
			if json.Unmarshal(b, &p) != nil || json.Unmarshal(p["data"], &rows) != nil || len(rows) < 3 {
				return status, b
			}
			p["data"], _ = json.Marshal(rows[:2])
			p["last_page"], p["per_page"], p["current_page"] = json.RawMessage(`2`), json.RawMessage(`2`), json.RawMessage(r.URL.Query().Get("page"))
			p["total"] = json.RawMessage(strconv.Itoa(len(rows)))
			b, _ = json.Marshal(p)
			return status, b
		})
		for i := range 3 {
			if _, err := sim.AddCustomer(nexosim.NewCustomer{FirstName: "C", Email: fmt.Sprintf("c%d@example.com", i)}); err != nil {
				t.Fatal(err)
			}
		}
		all := len(sim.Customers())
		s, err := c.ReadSnapshot(t.Context(), ReadOptions{Full: true, Kinds: []snapshot.Kind{snapshot.KindCustomer, snapshot.KindCategory}})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[snapshot.ID]int{}
		for _, cu := range s.Customers {
			ids[cu.ID]++
		}
		for id, n := range ids {
			if n > 1 {
				t.Errorf("customer %s read %d times", id, n)
			}
		}
		if s.Complete[snapshot.KindCustomer] && len(ids) < all {
			t.Errorf("complete customer listing of %d distinct customers while %d exist: the others would look deleted", len(ids), all)
		}
	})
}

// TestHostileNullList: a null body where a list of products, categories
// or customers is due fails that kind; it never reads as an empty, complete
// listing in which every record looks deleted.
func TestHostileNullList(t *testing.T) {
	for path, kind := range map[string]snapshot.Kind{"products": snapshot.KindProduct, "categories": snapshot.KindCategory,
		"customers": snapshot.KindCustomer} {
		t.Run(path, func(t *testing.T) {
			sim, c := rewritingSim(t, func(r *http.Request, status int, body []byte) (int, []byte) {
				if route(r, path) {
					return status, []byte("null")
				}
				return status, body
			})
			if err := sim.Seed("5"); err != nil {
				t.Fatal(err)
			}
			s := read(t, c, snapshot.KindProduct, snapshot.KindCategory, snapshot.KindCustomer)
			if s.Failed[kind] == "" || s.Complete[kind] {
				t.Errorf("null %s: failed %q, complete %v; want failed", path, s.Failed[kind], s.Complete[kind])
			}
			if len(s.Failed) != 1 {
				t.Errorf("failed kinds %v; want only %s", s.Failed, kind)
			}
		})
	}
}

// TestHostileRepeatedUnitPage: a unit-row listing whose second page
// repeats the first fails the product read ("listing short") instead of
// holding the products it missed for having no unit row.
func TestHostileRepeatedUnitPage(t *testing.T) {
	sim, c := rewritingSim(t, func(r *http.Request, status int, b []byte) (int, []byte) {
		if !route(r, "crud/ns.products-units") {
			return status, b
		}
		var p map[string]json.RawMessage
		var rows []json.RawMessage
		if json.Unmarshal(b, &p) != nil || json.Unmarshal(p["data"], &rows) != nil || len(rows) < 3 {
			return status, b
		}
		p["data"], _ = json.Marshal(rows[:2])
		p["last_page"], p["per_page"], p["current_page"] = json.RawMessage(`2`), json.RawMessage(`2`), json.RawMessage(r.URL.Query().Get("page"))
		p["total"] = json.RawMessage(strconv.Itoa(len(rows)))
		b, _ = json.Marshal(p)
		return status, b
	})
	if err := sim.Seed("3"); err != nil {
		t.Fatal(err)
	}
	s := read(t, c, snapshot.KindProduct, snapshot.KindCategory)
	if !strings.Contains(s.Failed[snapshot.KindProduct], "listing short") || s.Complete[snapshot.KindProduct] {
		t.Errorf("products: failed %q, complete %v; want a short listing failure", s.Failed[snapshot.KindProduct], s.Complete[snapshot.KindProduct])
	}
	for _, h := range s.Held {
		if h.Class == "no_unit" {
			t.Errorf("held for want of a unit row the listing repeated away: %+v", h)
		}
	}
}

// TestCustomerWithoutGroupKeepsAddresses: GET /api/customers lists only
// customers with a group (the rewrite drops one, as NexoPOS does for a
// customer whose group is gone); that customer's addresses are read from
// its own record, never left blank.
func TestCustomerWithoutGroupKeepsAddresses(t *testing.T) {
	const email = "nogroup@example.com"
	sim, c := rewritingSim(t, func(r *http.Request, status int, b []byte) (int, []byte) {
		if !route(r, "customers") {
			return status, b
		}
		var rows []map[string]any
		if json.Unmarshal(b, &rows) != nil {
			return status, b
		}
		kept := rows[:0]
		for _, row := range rows {
			if row["email"] != email {
				kept = append(kept, row)
			}
		}
		b, _ = json.Marshal(kept)
		return status, b
	})
	for i, e := range []string{"grouped@example.com", email} {
		if _, err := sim.AddCustomer(nexosim.NewCustomer{FirstName: fmt.Sprint("C", i), Email: e,
			Billing: map[string]string{"address_1": "1 Road", "city": "London"}}); err != nil {
			t.Fatal(err)
		}
	}
	sim.ResetCounters()
	s := read(t, c, snapshot.KindCustomer)
	found := 0
	for _, cu := range s.Customers {
		if cu.Email == email || cu.Email == "grouped@example.com" {
			found++
			if cu.Billing.Address1 != "1 Road" || cu.Billing.City != "London" {
				t.Errorf("customer %s: billing %+v, want its address", cu.Email, cu.Billing)
			}
		}
	}
	if found != 2 || len(s.Held) != 0 {
		t.Errorf("%d of 2 customers read, held %+v", found, s.Held)
	}
	if n := sim.Counters()["GET /api/customers/{id}"]; n != 1 {
		t.Errorf("%d customer details read, want 1 (the one without a group)", n)
	}
}
