package wcsim

import (
	"fmt"
	"net/http"
	"strings"
)

type categoryJSON struct {
	ID          int            `json:"id"`
	Name        string         `json:"name"`
	Slug        string         `json:"slug"`
	Parent      int            `json:"parent"`
	Description string         `json:"description"`
	Display     string         `json:"display"`
	Image       any            `json:"image"`
	MenuOrder   int            `json:"menu_order"`
	Count       int            `json:"count"`
	Links       map[string]any `json:"_links"`
}

type categoryIn struct {
	ID          *int    `json:"id"`
	Name        *string `json:"name"`
	Slug        *string `json:"slug"`
	Parent      *int    `json:"parent"`
	Description *string `json:"description"`
	Display     *string `json:"display"`
	MenuOrder   *int    `json:"menu_order"`
}

func errTerm() *apiError {
	return errf(404, "woocommerce_rest_term_invalid", "Resource does not exist.")
}

// categoryCounts is the number of published products per category.
func (s *Sim) categoryCounts() map[int]int {
	n := map[int]int{}
	for _, id := range s.st.productIDs {
		p := s.st.products[id]
		if p.Status != "publish" {
			continue
		}
		for _, c := range p.CategoryIDs {
			n[c]++
		}
	}
	return n
}

func (s *Sim) renderCategory(c *Category, base string, count int) categoryJSON {
	coll := base + "products/categories"
	l := map[string]any{
		"self":       []map[string]string{{"href": fmt.Sprintf("%s/%d", coll, c.ID)}},
		"collection": []map[string]string{{"href": coll}},
	}
	if c.Parent != 0 {
		l["up"] = []map[string]string{{"href": fmt.Sprintf("%s/%d", coll, c.Parent)}}
	}
	return categoryJSON{ID: c.ID, Name: c.Name, Slug: c.Slug, Parent: c.Parent, Description: c.Description,
		Display: c.Display, MenuOrder: c.MenuOrder, Count: count, Links: l}
}

func (s *Sim) categoryExists(name string, parent, self int) int {
	n := lower(name)
	for _, id := range s.st.categoryIDs {
		c := s.st.categories[id]
		if id != self && c.Parent == parent && lower(c.Name) == n {
			return id
		}
	}
	return 0
}

func (s *Sim) createCategory(body []byte) (*Category, *apiError) {
	var in categoryIn
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		return nil, errf(400, "rest_missing_callback_param", "Missing parameter(s): name").with("params", []string{"name"})
	}
	c := &Category{Name: strings.TrimSpace(*in.Name), Display: "default"}
	if e := s.applyCategory(c, &in); e != nil {
		return nil, e
	}
	if id := s.categoryExists(c.Name, c.Parent, 0); id != 0 {
		return nil, errf(400, "term_exists", "A term with the name provided already exists with this parent.").with("resource_id", id)
	}
	if c.Slug != "" {
		c.Slug = s.st.uniqueCategorySlug(c.Slug, c.Parent, 0)
	}
	s.st.addCategory(c)
	return c, nil
}

func (s *Sim) applyCategory(c *Category, in *categoryIn) *apiError {
	if in.Name != nil {
		c.Name = strings.TrimSpace(*in.Name)
	}
	if in.Slug != nil {
		c.Slug = slugify(*in.Slug)
	}
	if in.Parent != nil {
		if *in.Parent != 0 {
			if _, ok := s.st.categories[*in.Parent]; !ok {
				return errf(400, "woocommerce_rest_term_invalid", "Parent resource does not exist.")
			}
		}
		c.Parent = *in.Parent
	}
	if in.Description != nil {
		c.Description = *in.Description
	}
	if in.Display != nil {
		if e := oneOf("display", *in.Display, []string{"default", "products", "subcategories", "both"}); e != nil {
			return e
		}
		c.Display = *in.Display
	}
	if in.MenuOrder != nil {
		c.MenuOrder = *in.MenuOrder
	}
	return nil
}

func (s *Sim) updateCategory(id int, body []byte) (*Category, *apiError) {
	cur, ok := s.st.categories[id]
	if !ok {
		return nil, errTerm()
	}
	var in categoryIn
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	c := *cur
	if e := s.applyCategory(&c, &in); e != nil {
		return nil, e
	}
	if in.Slug != nil && c.Slug != cur.Slug {
		for _, oid := range s.st.categoryIDs {
			if oid != id && s.st.categories[oid].Slug == c.Slug {
				return nil, &apiError{Status: 500, Code: "duplicate_term_slug",
					Message: "The slug &#8220;" + c.Slug + "&#8221; is already in use by another term."}
			}
		}
	}
	*cur = c
	return cur, nil
}

func (s *Sim) deleteCategory(id int, force bool, base string) (any, *apiError) {
	c, ok := s.st.categories[id]
	if !ok {
		return nil, errTerm()
	}
	if !force {
		return nil, errf(501, "woocommerce_rest_trash_not_supported", "Resource does not support trashing.")
	}
	if id == s.st.defaultCat {
		return nil, errf(500, "woocommerce_rest_cannot_delete", "Default product category cannot be deleted.")
	}
	before := s.renderCategory(c, base, s.categoryCounts()[id])
	for _, oid := range s.st.categoryIDs {
		if o := s.st.categories[oid]; o.Parent == id {
			o.Parent = c.Parent
		}
	}
	for _, pid := range s.st.productIDs {
		p := s.st.products[pid]
		for i, cid := range p.CategoryIDs {
			if cid == id {
				p.CategoryIDs = append(p.CategoryIDs[:i:i], p.CategoryIDs[i+1:]...)
				break
			}
		}
	}
	delete(s.st.categories, id)
	s.st.categoryIDs = removeSorted(s.st.categoryIDs, id)
	return before, nil
}

func (s *Sim) categoryItem(c *call) *response {
	switch c.method {
	case http.MethodGet, http.MethodHead:
		cat, ok := s.st.categories[c.id]
		if !ok {
			return errResponse(errTerm())
		}
		return itemResponse(200, c.q, s.renderCategory(cat, c.base, s.categoryCounts()[c.id]))
	case http.MethodDelete:
		body, e := s.deleteCategory(c.id, boolParam(c.q, "force"), c.base)
		if e != nil {
			return errResponse(e)
		}
		return itemResponse(200, c.q, body)
	default:
		cat, e := s.updateCategory(c.id, c.body)
		if e != nil {
			return errResponse(e)
		}
		return itemResponse(200, c.q, s.renderCategory(cat, c.base, s.categoryCounts()[c.id]))
	}
}

func (s *Sim) categoriesCollection(c *call) *response {
	if c.method == http.MethodPost {
		cat, e := s.createCategory(c.body)
		if e != nil {
			return errResponse(e)
		}
		return itemResponse(201, c.q, s.renderCategory(cat, c.base, 0)).header("Location", fmt.Sprintf("%sproducts/categories/%d", c.base, cat.ID))
	}
	p, e := parseList(c.q, "name", []string{"id", "include", "name", "slug", "term_group", "description", "count"}, "asc")
	if e != nil {
		return errResponse(e)
	}
	counts := s.categoryCounts()
	ids := newIDFilter(p)
	search := strings.ToLower(c.q.Get("search"))
	_, hasParent := c.q["parent"]
	parent, e := intArg(c.q, "parent", 0)
	if e != nil {
		return errResponse(e)
	}
	slugs := stringList(c.q, "slug")
	hideEmpty := boolParam(c.q, "hide_empty")
	var matched []int
	for _, id := range s.st.categoryIDs {
		cat := s.st.categories[id]
		if !ids.keep(id) || hasParent && cat.Parent != parent || search != "" && !containsFold(cat.Name, search) && !containsFold(cat.Slug, search) ||
			hideEmpty && counts[id] == 0 || len(slugs) > 0 && !containsString(slugs, cat.Slug) {
			continue
		}
		matched = append(matched, id)
	}
	get := func(i int) *Category { return s.st.categories[matched[i]] }
	switch p.orderby {
	case "include":
		sortByInclude(matched, p.include)
	case "id":
		sortIDs(matched, p.order, func(i, j int) bool { return matched[i] < matched[j] })
	case "slug":
		sortIDs(matched, p.order, func(i, j int) bool { return cmpThen(get(i).Slug, get(j).Slug, matched[i], matched[j]) })
	case "count":
		sortIDs(matched, p.order, func(i, j int) bool {
			return timeThen(int64(counts[matched[i]]), int64(counts[matched[j]]), matched[i], matched[j])
		})
	case "description":
		sortIDs(matched, p.order, func(i, j int) bool { return cmpThen(get(i).Description, get(j).Description, matched[i], matched[j]) })
	default:
		sortIDs(matched, p.order, func(i, j int) bool {
			return cmpThen(strings.ToLower(get(i).Name), strings.ToLower(get(j).Name), matched[i], matched[j])
		})
	}
	page, h := s.pageOf(c, p, matched, "")
	items := make([]categoryJSON, 0, len(page))
	for _, id := range page {
		items = append(items, s.renderCategory(s.st.categories[id], c.base, counts[id]))
	}
	return listResponse(c.q, h, items)
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
