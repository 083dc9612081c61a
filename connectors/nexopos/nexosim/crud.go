package nexosim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// crudNS describes one CRUD namespace: its ids in default order and how to
// build a raw row and format it for display.
type crudNS struct {
	ids    func(st *state, q url.Values) []int
	raw    func(s *Sim, id int) map[string]any
	format func(s *Sim, row map[string]any)
	path   string // dashboard path for $actions
}

// toMap converts a record to its columns; timestamps become the raw
// "Y-m-d H:i:s" store-local strings the query builder returns.
func (s *Sim) toMap(v any) map[string]any {
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	out := make(map[string]any, rt.NumField())
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		fv := rv.Field(i)
		switch x := fv.Interface().(type) {
		case Timestamp:
			if x.IsZero() {
				out[name] = nil
			} else {
				out[name] = s.localTime(x.Time)
			}
			continue
		case []Tax:
			continue
		}
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				out[name] = nil
			} else {
				out[name] = fv.Elem().Interface()
			}
			continue
		}
		out[name] = fv.Interface()
	}
	return out
}

func money(v any) string {
	f, _ := v.(float64)
	return "$" + strconv.FormatFloat(f, 'f', 2, 64)
}

func yesNo(row map[string]any, key string) {
	if n, _ := row[key].(int); n == 1 {
		row[key] = "Yes"
	} else {
		row[key] = "No"
	}
}

var statusLabels = map[string]string{"hold": "Hold", "unpaid": "Unpaid", "partially_paid": "Partially Paid", "paid": "Paid",
	"order_void": "Voided", "refunded": "Refunded", "partially_refunded": "Partially Refunded", "due": "Due", "partially_due": "Partially Due"}
var deliveryLabels = map[string]string{"pending": "Pending", "ongoing": "Ongoing", "delivered": "Delivered", "completed": "Completed",
	"error": "Error", "not-available": "Not Available", "ready": "Ready"}

func (s *Sim) namespaces() map[string]crudNS {
	all := func(ids func(st *state) []int) func(*state, url.Values) []int {
		return func(st *state, _ url.Values) []int { return ids(st) }
	}
	username := func(id any) any {
		n, _ := id.(int)
		if u := s.st.usr.get(n); u != nil {
			return u.Username
		}
		return nil
	}
	return map[string]crudNS{
		"ns.products": {path: "products",
			ids: all(func(st *state) []int { return st.productsByUpdated() }),
			raw: func(s *Sim, id int) map[string]any {
				p := s.st.prod.get(id)
				m := s.toMap(*p)
				m["category_name"] = nil
				if c := s.st.cat.get(p.CategoryID); c != nil {
					m["category_name"] = c.Name
				}
				m["parent_name"] = nil
				if pp := s.st.prod.get(p.ParentID); pp != nil {
					m["parent_name"] = pp.Name
				}
				m["user_username"] = username(p.Author)
				m["taxes_groups_name"] = nil
				if p.TaxGroupID != nil {
					if g := s.st.tgrp.get(*p.TaxGroupID); g != nil {
						m["taxes_groups_name"] = g.Name
					}
				}
				return m
			},
			format: func(s *Sim, m map[string]any) {
				m["rawType"] = m["type"]
				label := map[string]string{"materialized": "Materialized Product", "dematerialized": "Dematerialized Product", "grouped": "Grouped Product"}[fmt.Sprint(m["type"])]
				m["type"] = `<strong class="ns-label block rounded-full bg-info-secondary text-white">` + label + `</strong>`
				m["status"] = map[bool]string{true: "Available", false: "Hidden"}[m["status"] == "available"]
				m["rawStockManagement"] = m["stock_management"]
				m["stock_management"] = map[bool]string{true: "Enabled", false: "Disabled"}[m["stock_management"] == "enabled"]
				if m["category_name"] == nil {
					m["category_name"] = "Unassigned"
				}
			}},
		"ns.products-units": {path: "products/units",
			ids: func(st *state, q url.Values) []int {
				if pid := q.Get("product_id"); pid != "" {
					n, _ := strconv.Atoi(pid)
					out := append([]int(nil), st.uqByProduct[n]...)
					sort.Ints(out)
					return out
				}
				return st.uq.ids
			},
			raw: func(s *Sim, id int) map[string]any {
				uq := s.st.uq.get(id)
				m := s.toMap(*uq)
				if p := s.st.prod.get(uq.ProductID); p != nil {
					m["products_name"], m["products_sku"], m["products_barcode"] = p.Name, p.SKU, p.Barcode
					m["products_status"], m["products_stock_management"], m["products_type"] = p.Status, p.StockManagement, p.Type
					m["products_category_id"] = p.CategoryID
				}
				if u := s.st.unit.get(uq.UnitID); u != nil {
					m["units_name"], m["units_identifier"] = u.Name, u.Identifier
				}
				return m
			}},
		"ns.orders": {path: "orders",
			ids: all(func(st *state) []int { return reverse(st.ord.ids) }),
			raw: func(s *Sim, id int) map[string]any {
				o := s.st.ord.get(id)
				m := s.toMap(*o)
				m["author_username"] = username(o.Author)
				m["customer_first_name"], m["customer_phone"] = nil, nil
				if c := s.st.usr.get(o.CustomerID); c != nil {
					m["customer_first_name"], m["customer_phone"] = deref(c.FirstName), c.Phone
				}
				return m
			},
			format: func(s *Sim, m map[string]any) {
				for _, k := range []string{"total", "tax_value", "discount"} {
					m[k] = money(m[k])
				}
				m["payment_status"] = statusLabels[fmt.Sprint(m["payment_status"])]
				m["delivery_status"] = deliveryLabels[fmt.Sprint(m["delivery_status"])]
				m["process_status"] = deliveryLabels[fmt.Sprint(m["process_status"])]
				m["type"] = map[string]string{"delivery": "Delivery", "takeaway": "Take Away"}[fmt.Sprint(m["type"])]
			}},
		"ns.customers": {path: "customers",
			ids: func(st *state, q url.Values) []int {
				if q.Get("active") != "" { // the hook is skipped: every user
					return st.usr.ids
				}
				return st.customersByUpdated()
			},
			raw: func(s *Sim, id int) map[string]any {
				u := s.st.usr.get(id)
				m := s.toMap(*u)
				m["group_name"] = nil
				if u.GroupID != nil {
					if g := s.st.cgrp.get(*u.GroupID); g != nil {
						m["group_name"] = g.Name
					}
				}
				m["user_id"], m["user_username"] = u.Author, username(u.Author)
				return m
			},
			format: func(s *Sim, m map[string]any) {
				for _, k := range []string{"owed_amount", "account_amount", "purchases_amount"} {
					m[k] = money(m[k])
				}
				for _, k := range []string{"first_name", "last_name", "phone"} {
					if m[k] == nil {
						m[k] = "Not Defined"
					}
				}
				m["gender"] = map[string]string{"male": "Male", "female": "Female"}[fmt.Sprint(m["gender"])]
				if m["gender"] == "" {
					m["gender"] = "Not Defined"
				}
			}},
		"ns.products-categories": {path: "products/categories",
			ids: all(func(st *state) []int { return st.cat.ids }),
			raw: func(s *Sim, id int) map[string]any {
				c := s.st.cat.get(id)
				m := s.toMap(*c)
				m["parent_name"] = nil
				if c.ParentID != nil {
					if p := s.st.cat.get(*c.ParentID); p != nil {
						m["parent_name"] = p.Name
					}
				}
				m["user_username"] = username(c.Author)
				return m
			},
			format: func(s *Sim, m map[string]any) {
				yesNo(m, "displays_on_pos")
				if m["parent_name"] == nil {
					m["parent_name"] = "No Parent"
				}
			}},
		"ns.payments-types": {path: "orders/payments-types",
			ids: all(func(st *state) []int { return st.pay.ids }),
			raw: func(s *Sim, id int) map[string]any {
				m := s.toMap(*s.st.pay.get(id))
				m["user_username"] = username(m["author"])
				return m
			},
			format: func(s *Sim, m map[string]any) { yesNo(m, "active"); yesNo(m, "readonly") }},
		"ns.units": {path: "units",
			ids: all(func(st *state) []int { return st.unit.ids }),
			raw: func(s *Sim, id int) map[string]any {
				u := s.st.unit.get(id)
				m := s.toMap(*u)
				m["group_name"] = nil
				if g := s.st.ugrp.get(u.GroupID); g != nil {
					m["group_name"] = g.Name
				}
				m["user_username"] = username(u.Author)
				return m
			}},
		"ns.units-groups": simpleNS(s, "units/groups", func(st *state) ([]int, func(int) any) {
			return st.ugrp.ids, func(id int) any { return *st.ugrp.get(id) }
		}),
		"ns.taxes-groups": simpleNS(s, "taxes/groups", func(st *state) ([]int, func(int) any) {
			return st.tgrp.ids, func(id int) any { return *st.tgrp.get(id) }
		}),
		"ns.customers-groups": simpleNS(s, "customers/groups", func(st *state) ([]int, func(int) any) {
			return st.cgrp.ids, func(id int) any { return *st.cgrp.get(id) }
		}),
	}
}

func simpleNS(s *Sim, path string, src func(st *state) ([]int, func(int) any)) crudNS {
	return crudNS{path: path,
		ids: func(st *state, _ url.Values) []int { ids, _ := src(st); return ids },
		raw: func(s *Sim, id int) map[string]any {
			_, get := src(s.st)
			m := s.toMap(get(id))
			if n, ok := m["author"].(int); ok {
				if u := s.st.usr.get(n); u != nil {
					m["user_username"] = u.Username
				}
			}
			return m
		}}
}

func reverse(ids []int) []int {
	out := make([]int, len(ids))
	for i, id := range ids {
		out[len(ids)-1-i] = id
	}
	return out
}

// matchRow applies search= (LIKE on every column) and queryFilters (verbatim
// WHERE col = value, or a {startDate,endDate} range) to a raw row.
func matchRow(row map[string]any, search string, filters map[string]any) bool {
	for key, want := range filters {
		if want == nil || want == "" {
			continue
		}
		col := key
		if i := strings.LastIndexByte(key, '.'); i >= 0 {
			col = key[i+1:]
		}
		got := asString(row[col])
		if n, ok := row[col].(int); ok {
			got = strconv.Itoa(n)
		}
		if r, ok := want.(map[string]any); ok {
			start, end := asString(r["startDate"]), asString(r["endDate"])
			if (start != "" && got < start) || (end != "" && got > end) {
				return false
			}
			continue
		}
		if got != asString(want) {
			return false
		}
	}
	if search == "" {
		return true
	}
	for _, v := range row {
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case int:
			s = strconv.Itoa(x)
		case float64:
			s = phpNum(x)
		default:
			continue
		}
		if containsFold(s, search) {
			return true
		}
	}
	return false
}

func (s *Sim) crudList(name string, ns crudNS, q url.Values) (any, *apiError) {
	ids := ns.ids(s.st, q)
	search := strings.TrimSpace(q.Get("search"))
	var filters map[string]any
	if qf := q.Get("queryFilters"); qf != "" {
		_ = json.Unmarshal([]byte(qf), &filters)
	}
	var rowsCache map[int]map[string]any
	if search != "" || len(filters) > 0 || q.Get("active") != "" {
		rowsCache = map[int]map[string]any{}
		var kept []int
		for _, id := range ids {
			row := ns.raw(s, id)
			if matchRow(row, search, filters) {
				kept = append(kept, id)
				rowsCache[id] = row
			}
		}
		ids = kept
		if col := q.Get("active"); col != "" {
			desc := q.Get("direction") == "desc"
			sort.SliceStable(ids, func(i, j int) bool {
				a, b := fmt.Sprint(rowsCache[ids[i]][col]), fmt.Sprint(rowsCache[ids[j]][col])
				if desc {
					return a > b
				}
				return a < b
			})
		}
	}
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	if perPage <= 0 {
		perPage = 20
	}
	page, _ := strconv.Atoi(q.Get("page"))
	if page <= 0 {
		page = 1
	}
	total := len(ids)
	last := max(1, (total+perPage-1)/perPage)
	data := []map[string]any{}
	from := (page - 1) * perPage
	for i := from; i < total && i < from+perPage; i++ {
		id := ids[i]
		row := rowsCache[id]
		if row == nil {
			row = ns.raw(s, id)
		}
		if ns.format != nil {
			ns.format(s, row)
		}
		row["$checked"], row["$toggled"], row["$id"] = false, false, id
		base := fmt.Sprintf("%s/dashboard/%s", s.URL(), ns.path)
		row["$actions"] = map[string]any{
			"edit":   map[string]any{"label": "Edit", "identifier": "edit", "url": fmt.Sprintf("%s/edit/%d", base, id), "type": "GOTO"},
			"delete": map[string]any{"label": "Delete", "identifier": "delete", "url": fmt.Sprintf("%s/api/crud/%s/%d", s.URL(), name, id), "type": "DELETE", "confirm": map[string]any{"message": "Would you like to delete this ?"}},
		}
		data = append(data, row)
	}
	return paginator(s.URL()+"/api/crud/"+name, page, perPage, total, last, data), nil
}

func paginator(path string, page, perPage, total, last int, data []map[string]any) map[string]any {
	pageURL := func(n int) any {
		if n < 1 || n > last {
			return nil
		}
		return fmt.Sprintf("%s?page=%d", path, n)
	}
	links := []map[string]any{{"url": pageURL(page - 1), "label": "&laquo; Previous", "active": false}}
	for n := 1; n <= last; n++ {
		if last > 12 && n > 2 && n < last-1 && (n < page-3 || n > page+3) {
			if n == 3 || n == last-2 {
				links = append(links, map[string]any{"url": nil, "label": "...", "active": false})
			}
			continue
		}
		links = append(links, map[string]any{"url": pageURL(n), "label": strconv.Itoa(n), "active": n == page})
	}
	links = append(links, map[string]any{"url": pageURL(page + 1), "label": "Next &raquo;", "active": false})
	var from, to any
	if len(data) > 0 {
		from, to = (page-1)*perPage+1, (page-1)*perPage+len(data)
	}
	return map[string]any{"current_page": page, "data": data, "first_page_url": pageURL(1), "from": from,
		"last_page": last, "last_page_url": pageURL(last), "links": links, "next_page_url": pageURL(page + 1),
		"path": path, "per_page": perPage, "prev_page_url": pageURL(page - 1), "to": to, "total": total}
}

func (s *Sim) crudRoutes(m *http.ServeMux) {
	for name, ns := range s.namespaces() {
		m.HandleFunc("GET /api/crud/"+name, s.h(func(c *call) (any, *apiError) { return s.crudList(name, ns, c.r.URL.Query()) }))
	}
	m.HandleFunc("GET /api/crud/{namespace}", s.h(func(c *call) (any, *apiError) {
		return nil, exception("Unable to load the requested CRUD resource \"%s\".", c.r.PathValue("namespace"))
	}))
	s.crudWrites(m)
}
