package wcsim

import (
	"net/http"
	"sort"
	"strings"

	"github.com/woonexo/woonexo/snapshot"
)

func errProductID(status int) *apiError {
	return errf(status, "woocommerce_rest_product_invalid_id", "Invalid ID.")
}

// applyProduct writes the input fields onto p (a copy) and runs
// validate_props. It does not save.
func (s *Sim) applyProduct(p *Product, in *productIn) *apiError {
	qty, qtySent, e := intOrNull("stock_quantity", in.StockQuantity)
	if e != nil {
		return e
	}
	low, lowSent, e := intOrNull("low_stock_amount", in.LowStockAmount)
	if e != nil {
		return e
	}
	if in.Type != nil {
		if e := oneOf("type", *in.Type, []string{"simple", "grouped", "external", "variable"}); e != nil {
			return e
		}
		p.Type = *in.Type
	}
	if in.Name != nil {
		p.Name = *in.Name
	}
	if in.Slug != nil {
		p.Slug = slugify(*in.Slug)
	}
	if in.Status != nil {
		st := *in.Status
		if !productStatuses[st] {
			st = "draft"
		}
		if p.Status == "trash" && st != "trash" {
			p.Slug = p.trashedSlug
			p.MetaData = dropTrashMeta(p.MetaData)
		}
		p.Status = st
	}
	if in.Featured != nil {
		p.Featured = bool(*in.Featured)
	}
	if in.CatalogVisibility != nil {
		p.CatalogVisibility = *in.CatalogVisibility
	}
	if in.Description != nil {
		p.Description = *in.Description
	}
	if in.ShortDescription != nil {
		p.ShortDescription = *in.ShortDescription
	}
	if in.SKU != nil {
		p.SKU = strings.TrimSpace(*in.SKU)
	}
	if in.RegularPrice != nil {
		p.RegularPrice = cleanPrice(*in.RegularPrice)
	}
	if in.SalePrice != nil {
		p.SalePrice = cleanPrice(*in.SalePrice)
	}
	if in.Virtual != nil {
		p.Virtual = bool(*in.Virtual)
	}
	if in.Downloadable != nil {
		p.Downloadable = bool(*in.Downloadable)
	}
	if in.TaxStatus != nil {
		p.TaxStatus = *in.TaxStatus
	}
	if in.TaxClass != nil {
		p.TaxClass = *in.TaxClass
	}
	if in.Weight != nil {
		p.Weight = *in.Weight
	}
	if in.ParentID != nil {
		p.ParentID = *in.ParentID
	}
	if in.MenuOrder != nil {
		p.MenuOrder = *in.MenuOrder
	}
	if in.Backorders != nil {
		if e := oneOf("backorders", *in.Backorders, []string{"no", "notify", "yes"}); e != nil {
			return e
		}
		p.Backorders = *in.Backorders
	}
	if in.StockStatus != nil {
		if e := oneOf("stock_status", *in.StockStatus, []string{"instock", "outofstock", "onbackorder"}); e != nil {
			return e
		}
		p.StockStatus = *in.StockStatus
	}
	if in.ManageStock != nil {
		p.ManageStock = bool(*in.ManageStock)
	}
	if p.ManageStock {
		switch {
		case qtySent:
			p.StockQuantity = qty
		case in.InventoryDelta != nil:
			d, _, e := intOrNull("inventory_delta", in.InventoryDelta)
			if e != nil {
				return e
			}
			if d != nil {
				n := *d
				if p.StockQuantity != nil {
					n += *p.StockQuantity
				}
				p.StockQuantity = &n
			}
		}
	}
	if lowSent {
		p.LowStockAmount = low
	}
	if in.Categories != nil {
		p.CategoryIDs = p.CategoryIDs[:0:0]
		for _, c := range *in.Categories {
			if _, ok := s.st.categories[c.ID]; ok {
				p.CategoryIDs = append(p.CategoryIDs, c.ID)
			}
		}
	}
	if in.MetaData != nil {
		p.MetaData = s.st.applyMeta(append([]Meta(nil), p.MetaData...), in.MetaData)
	}
	validateProps(p)
	return nil
}

// validateProps is WC_Product::validate_props (§3.3).
func validateProps(p *Product) {
	switch p.Type {
	case "grouped", "external":
		p.ManageStock, p.Backorders, p.StockQuantity = false, "no", nil
		if p.Type == "external" {
			p.StockStatus = "instock"
		}
	}
	if p.Type == "variable" || p.Type == "grouped" {
		p.RegularPrice, p.SalePrice = "", ""
	}
	if !p.ManageStock {
		p.StockQuantity, p.Backorders, p.LowStockAmount = nil, "no", nil
		return
	}
	qty := 0
	if p.StockQuantity != nil {
		qty = *p.StockQuantity
	}
	switch {
	case qty > 0:
		p.StockStatus = "instock"
	case p.Backorders != "no":
		p.StockStatus = "onbackorder"
	default:
		p.StockStatus = "outofstock"
	}
}

func dropTrashMeta(m []Meta) []Meta {
	out := m[:0:0]
	for _, x := range m {
		if !strings.HasPrefix(x.Key, "_wp_trash_meta") && x.Key != "_wp_desired_post_slug" {
			out = append(out, x)
		}
	}
	return out
}

// skuConflict returns the non-trashed product other than self holding sku.
func (st *state) skuConflict(sku string, self int) int {
	if sku == "" {
		return 0
	}
	best := 0
	for id := range st.skus[sku] {
		if id != self && st.products[id] != nil && st.products[id].Status != "trash" && (best == 0 || id < best) {
			best = id
		}
	}
	return best
}

func (st *state) skuTaken(sku string) bool { return st.skuConflict(sku, 0) != 0 }

func (st *state) uniqueSKU(sku string) string {
	for n := 1; ; n++ {
		if c := sku + "-" + itoa(n); !st.skuTaken(c) {
			return c
		}
	}
}

func (st *state) indexSKU(p *Product, old string) {
	if old != "" {
		delete(st.skus[old], p.ID)
		if len(st.skus[old]) == 0 {
			delete(st.skus, old)
		}
	}
	if p.SKU != "" {
		if st.skus[p.SKU] == nil {
			st.skus[p.SKU] = map[int]bool{}
		}
		st.skus[p.SKU][p.ID] = true
	}
}

func newProduct() *Product {
	return &Product{Type: "simple", Status: "publish", CatalogVisibility: "visible", TaxStatus: "taxable",
		StockStatus: "instock", Backorders: "no"}
}

// createProduct is POST /products for one item.
func (s *Sim) createProduct(body []byte) (*Product, *apiError) {
	var in productIn
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	if len(in.ID) > 0 && string(in.ID) != "null" && string(in.ID) != "0" {
		return nil, errf(400, "woocommerce_rest_product_exists", "Cannot create existing product.")
	}
	p := newProduct()
	if e := s.applyProduct(p, &in); e != nil {
		return nil, e
	}
	if id := s.st.skuConflict(p.SKU, 0); id != 0 {
		return nil, skuError(id, s.st.uniqueSKU(p.SKU))
	}
	if p.Name == "" {
		p.Name = "Product"
	}
	if len(p.CategoryIDs) == 0 {
		p.CategoryIDs = []int{s.st.defaultCat}
	}
	s.saveNewProduct(p)
	return p, nil
}

func skuError(id int, unique string) *apiError {
	return errf(400, "product_invalid_sku", "Invalid or duplicated SKU.").with("resource_id", id).with("unique_sku", unique)
}

func (s *Sim) uniqueProductSlug(slug string, self int) string {
	if slug == "" {
		slug = "product"
	}
	taken := func(c string) bool { return s.st.slugs[c] != 0 && s.st.slugs[c] != self }
	if !taken(slug) {
		return slug
	}
	for n := 2; ; n++ {
		if c := slug + "-" + itoa(n); !taken(c) {
			return c
		}
	}
}

func (s *Sim) saveNewProduct(p *Product) {
	now := s.now()
	if p.ID == 0 {
		p.ID = s.st.newPostID()
	} else if p.ID > s.st.nextPost {
		s.st.nextPost = p.ID
	}
	if p.Slug == "" {
		p.Slug = s.uniqueProductSlug(slugify(p.Name), p.ID)
	}
	if p.DateCreated.IsZero() {
		p.DateCreated = now
	}
	if p.DateModified.IsZero() {
		p.DateModified = now
	}
	s.st.products[p.ID] = p
	s.st.productIDs = insertSorted(s.st.productIDs, p.ID)
	s.st.indexSKU(p, "")
	if s.st.slugs[p.Slug] == 0 {
		s.st.slugs[p.Slug] = p.ID
	}
}

// updateProduct is PUT /products/{id}; every save bumps date_modified.
func (s *Sim) updateProduct(id int, body []byte) (*Product, *apiError) {
	cur, ok := s.st.products[id]
	if !ok {
		return nil, errProductID(400)
	}
	var in productIn
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	p := *cur
	p.CategoryIDs = append([]int(nil), cur.CategoryIDs...)
	if e := s.applyProduct(&p, &in); e != nil {
		return nil, e
	}
	if p.SKU != cur.SKU || p.Status != cur.Status {
		if other := s.st.skuConflict(p.SKU, id); other != 0 && p.Status != "trash" {
			return nil, skuError(other, s.st.uniqueSKU(p.SKU))
		}
	}
	p.DateModified = s.now()
	old := cur.SKU
	*cur = p
	s.st.indexSKU(cur, old)
	return cur, nil
}

// deleteProduct trashes or (force) deletes; the body is the product
// before the deletion.
func (s *Sim) deleteProduct(id int, force bool, base string) (any, *apiError) {
	p, ok := s.st.products[id]
	if !ok {
		return nil, errProductID(404)
	}
	before := s.renderProduct(p, base, true)
	if force {
		delete(s.st.products, id)
		s.st.productIDs = removeSorted(s.st.productIDs, id)
		s.st.indexSKU(&Product{ID: id}, p.SKU)
		if s.st.slugs[p.Slug] == id {
			delete(s.st.slugs, p.Slug)
		}
		return before, nil
	}
	if p.Status == "trash" {
		return nil, errf(410, "woocommerce_rest_already_trashed", "The product has already been deleted.")
	}
	now := s.now()
	p.trashedStatus, p.trashedSlug = p.Status, p.Slug
	p.MetaData = append(p.MetaData,
		Meta{ID: s.st.newMetaID(), Key: "_wp_trash_meta_status", Value: jsonString(p.Status)},
		Meta{ID: s.st.newMetaID(), Key: "_wp_trash_meta_time", Value: jsonString(itoa(int(now.Unix())))},
		Meta{ID: s.st.newMetaID(), Key: "_wp_desired_post_slug", Value: jsonString(p.Slug)})
	p.Status = "trash"
	p.Slug += "__trashed"
	return before, nil
}

func jsonString(s string) []byte { return encodeJSON(s) }

func (s *Sim) productItem(c *call) *response {
	switch c.method {
	case http.MethodGet, http.MethodHead:
		p, ok := s.st.products[c.id]
		if !ok {
			return errResponse(errProductID(404))
		}
		return itemResponse(200, c.q, s.renderProduct(p, c.base, c.q.Get("context") == "edit"))
	case http.MethodDelete:
		body, e := s.deleteProduct(c.id, boolParam(c.q, "force"), c.base)
		if e != nil {
			return errResponse(e)
		}
		return itemResponse(200, c.q, body)
	default:
		p, e := s.updateProduct(c.id, c.body)
		if e != nil {
			return errResponse(e)
		}
		return itemResponse(200, c.q, s.renderProduct(p, c.base, true))
	}
}

func boolParam(q map[string][]string, name string) bool {
	v := ""
	if vs := q[name]; len(vs) > 0 {
		v = strings.ToLower(vs[0])
	}
	return v == "true" || v == "1" || v == "yes"
}

func (s *Sim) productsCollection(c *call) *response {
	if c.method == http.MethodPost {
		p, e := s.createProduct(c.body)
		if e != nil {
			return errResponse(e)
		}
		res := itemResponse(201, c.q, s.renderProduct(p, c.base, true))
		return res.header("Location", c.base+"products/"+itoa(p.ID))
	}
	return s.listProducts(c)
}

var productOrderbys = []string{"date", "id", "include", "title", "slug", "modified", "menu_order", "price", "popularity", "rating"}

func (s *Sim) listProducts(c *call) *response {
	p, e := parseList(c.q, "date", productOrderbys, "desc")
	if e != nil {
		return errResponse(e)
	}
	dates, e := s.parseDateFilters(c.q)
	if e != nil {
		return errResponse(e)
	}
	status := c.q.Get("status")
	if status == "" {
		status = "any"
	}
	if e := oneOf("status", status, []string{"any", "future", "trash", "draft", "pending", "private", "publish"}); e != nil {
		return errResponse(e)
	}
	var skus map[string]bool
	if v := c.q.Get("sku"); v != "" {
		skus = map[string]bool{v: true}
		for _, x := range strings.Split(v, ",") {
			skus[strings.TrimSpace(x)] = true
		}
	}
	search := strings.ToLower(c.q.Get("search"))
	typ, slug, stockStatus := c.q.Get("type"), c.q.Get("slug"), c.q.Get("stock_status")
	cats, _ := idList(c.q, "category")
	ids := newIDFilter(p)
	matched := make([]int, 0, len(s.st.productIDs))
	for _, id := range s.st.productIDs {
		x := s.st.products[id]
		if status == "any" && x.Status == "trash" || status != "any" && x.Status != status {
			continue
		}
		if !ids.keep(id) || skus != nil && !skus[x.SKU] || typ != "" && x.Type != typ || slug != "" && x.Slug != slug ||
			stockStatus != "" && x.StockStatus != stockStatus || !dates.match(x.DateCreated, x.DateModified) {
			continue
		}
		if search != "" && !containsFold(x.Name, search) && !containsFold(x.Description, search) && !containsFold(x.ShortDescription, search) {
			continue
		}
		if len(cats) > 0 && !intersects(x.CategoryIDs, cats) {
			continue
		}
		matched = append(matched, id)
	}
	s.sortProducts(matched, p)
	page, h := s.pageOf(c, p, matched, "")
	items := make([]productJSON, 0, len(page))
	edit := c.q.Get("context") == "edit"
	for _, id := range page {
		items = append(items, s.renderProduct(s.st.products[id], c.base, edit))
	}
	return listResponse(c.q, h, items)
}

func intersects(a, b []int) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func (s *Sim) sortProducts(ids []int, p listParams) {
	get := func(i int) *Product { return s.st.products[ids[i]] }
	var less func(i, j int) bool
	switch p.orderby {
	case "id":
		less = func(i, j int) bool { return ids[i] < ids[j] }
	case "include":
		sortByInclude(ids, p.include)
		return
	case "title":
		less = func(i, j int) bool {
			return cmpThen(strings.ToLower(get(i).Name), strings.ToLower(get(j).Name), ids[i], ids[j])
		}
	case "slug":
		less = func(i, j int) bool { return cmpThen(get(i).Slug, get(j).Slug, ids[i], ids[j]) }
	case "modified":
		less = func(i, j int) bool {
			return timeThen(get(i).DateModified.Unix(), get(j).DateModified.Unix(), ids[i], ids[j])
		}
	case "menu_order":
		less = func(i, j int) bool { return timeThen(int64(get(i).MenuOrder), int64(get(j).MenuOrder), ids[i], ids[j]) }
	case "price":
		less = func(i, j int) bool {
			a, _ := activePrice(get(i))
			b, _ := activePrice(get(j))
			da, _ := snapshot.ParseDecimal(a)
			db, _ := snapshot.ParseDecimal(b)
			if c := da.Cmp(db); c != 0 {
				return c < 0
			}
			return ids[i] < ids[j]
		}
	default:
		less = func(i, j int) bool {
			return timeThen(get(i).DateCreated.Unix(), get(j).DateCreated.Unix(), ids[i], ids[j])
		}
	}
	sortIDs(ids, p.order, less)
}

func sortIDs(ids []int, order string, less func(i, j int) bool) {
	if order == "desc" {
		sort.SliceStable(ids, func(i, j int) bool { return less(j, i) })
		return
	}
	sort.SliceStable(ids, less)
}

func cmpThen(a, b string, ia, ib int) bool {
	if a != b {
		return a < b
	}
	return ia < ib
}

func timeThen(a, b int64, ia, ib int) bool {
	if a != b {
		return a < b
	}
	return ia < ib
}

func sortByInclude(ids, include []int) {
	pos := map[int]int{}
	for i, id := range include {
		if _, seen := pos[id]; !seen {
			pos[id] = i
		}
	}
	sort.SliceStable(ids, func(i, j int) bool { return pos[ids[i]] < pos[ids[j]] })
}
