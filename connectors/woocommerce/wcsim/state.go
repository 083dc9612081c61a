package wcsim

import (
	"encoding/json"
	"sort"
	"strings"
	"time"
)

// Meta is one meta_data row.
type Meta struct {
	ID    int             `json:"id"`
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

// Address is a billing or shipping address (shipping has no email).
type Address struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Email     string `json:"email,omitempty"`
	Phone     string `json:"phone"`
}

// Category is a product category (a term of product_cat).
type Category struct {
	ID          int
	Name        string
	Slug        string
	Parent      int
	Description string
	Display     string // default, products, subcategories, both
	MenuOrder   int
}

// Customer is a WordPress user as the customers endpoint shows it.
type Customer struct {
	ID               int
	Email            string
	FirstName        string
	LastName         string
	Role             string // customer, administrator, subscriber, ...
	Username         string
	Billing          Address
	Shipping         Address
	IsPayingCustomer bool
	DateCreated      time.Time
	DateModified     *time.Time // nil for users never saved through WooCommerce
	MetaData         []Meta
}

// state is the whole store; every access holds Sim.mu.
type state struct {
	nextPost, nextTerm, nextUser, nextMeta, nextItem int

	products   map[int]*Product
	productIDs []int // ascending
	skus       map[string]map[int]bool
	slugs      map[string]int // product slug -> first product id

	categories  map[int]*Category
	categoryIDs []int
	defaultCat  int

	users   map[int]*Customer
	userIDs []int

	orders   map[int]*Order
	orderIDs []int

	gateways []*Gateway
}

func newState() *state {
	return &state{
		nextPost: 10, nextTerm: 15, nextUser: 1, nextMeta: 1, nextItem: 1,
		products: map[int]*Product{}, skus: map[string]map[int]bool{}, slugs: map[string]int{},
		categories: map[int]*Category{}, users: map[int]*Customer{}, orders: map[int]*Order{},
	}
}

// resetDefaults installs what a fresh WooCommerce has.
func (st *state) resetDefaults(now time.Time) {
	st.defaultCat = st.addCategory(&Category{Name: "Uncategorized", Slug: "uncategorized", Display: "default"})
	st.addUser(&Customer{Email: "admin@example.com", Username: "admin", Role: "administrator", DateCreated: now})
	st.gateways = defaultGateways()
}

func insertSorted(ids []int, id int) []int {
	if n := len(ids); n == 0 || ids[n-1] < id {
		return append(ids, id)
	}
	i := sort.SearchInts(ids, id)
	if i < len(ids) && ids[i] == id {
		return ids
	}
	ids = append(ids, 0)
	copy(ids[i+1:], ids[i:])
	ids[i] = id
	return ids
}

func removeSorted(ids []int, id int) []int {
	i := sort.SearchInts(ids, id)
	if i < len(ids) && ids[i] == id {
		return append(ids[:i], ids[i+1:]...)
	}
	return ids
}

func (st *state) newPostID() int    { st.nextPost++; return st.nextPost }
func (st *state) newMetaID() int    { id := st.nextMeta; st.nextMeta++; return id }
func (st *state) newItemID() int    { id := st.nextItem; st.nextItem++; return id }
func (st *state) newTermID() int    { id := st.nextTerm; st.nextTerm++; return id }
func (st *state) newUserID() int    { id := st.nextUser; st.nextUser++; return id }
func lower(s string) string         { return strings.ToLower(strings.TrimSpace(s)) }
func containsFold(h, n string) bool { return strings.Contains(strings.ToLower(h), n) }

func (st *state) addCategory(c *Category) int {
	if c.ID == 0 {
		c.ID = st.newTermID()
	} else if c.ID >= st.nextTerm {
		st.nextTerm = c.ID + 1
	}
	if c.Display == "" {
		c.Display = "default"
	}
	if c.Slug == "" {
		c.Slug = st.uniqueCategorySlug(slugify(c.Name), c.Parent, c.ID)
	}
	st.categories[c.ID] = c
	st.categoryIDs = insertSorted(st.categoryIDs, c.ID)
	return c.ID
}

func (st *state) uniqueCategorySlug(slug string, parent, self int) string {
	taken := func(s string) bool {
		for _, c := range st.categories {
			if c.ID != self && c.Slug == s {
				return true
			}
		}
		return false
	}
	if !taken(slug) {
		return slug
	}
	if p, ok := st.categories[parent]; ok && !taken(slug+"-"+p.Slug) {
		return slug + "-" + p.Slug
	}
	for n := 2; ; n++ {
		if s := slug + "-" + itoa(n); !taken(s) {
			return s
		}
	}
}

func (st *state) addUser(c *Customer) int {
	if c.ID == 0 {
		c.ID = st.newUserID()
	} else if c.ID >= st.nextUser {
		st.nextUser = c.ID + 1
	}
	if c.Role == "" {
		c.Role = "customer"
	}
	if c.Username == "" {
		c.Username = st.usernameFromEmail(c.Email)
	}
	st.users[c.ID] = c
	st.userIDs = insertSorted(st.userIDs, c.ID)
	return c.ID
}

func (st *state) userByEmail(email string) *Customer {
	e := lower(email)
	for _, id := range st.userIDs {
		if lower(st.users[id].Email) == e {
			return st.users[id]
		}
	}
	return nil
}

func (st *state) userByLogin(login string) *Customer {
	l := lower(login)
	for _, id := range st.userIDs {
		if lower(st.users[id].Username) == l {
			return st.users[id]
		}
	}
	return nil
}

func (st *state) usernameFromEmail(email string) string {
	base, _, _ := strings.Cut(email, "@")
	base = slugify(base)
	if base == "" {
		base = "user"
	}
	name := base
	for n := 1; st.userByLogin(name) != nil; n++ {
		name = base + itoa(n)
	}
	return name
}

// slugify is sanitize_title for plain text.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			b.WriteRune(r)
			dash = false
		case r == '_' || r == '-':
			b.WriteRune(r)
			dash = r == '-'
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// wpDate renders a stored UTC time as WordPress does (no zone).
const wpLayout = "2006-01-02T15:04:05"

func (s *Sim) local(t time.Time) string { return t.In(s.loc).Format(wpLayout) }
func gmt(t time.Time) string            { return t.UTC().Format(wpLayout) }

func (s *Sim) localPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	v := s.local(*t)
	return &v
}

func gmtPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	v := gmt(*t)
	return &v
}

// applyMeta merges meta_data writes: {id,key,value} updates that row,
// {key,value} updates the first row with that key or adds one; a null value
// with an id deletes the row.
func (st *state) applyMeta(cur []Meta, in []metaIn) []Meta {
	for _, m := range in {
		done := false
		for i := range cur {
			if (m.ID != 0 && cur[i].ID == m.ID) || (m.ID == 0 && cur[i].Key == m.Key) {
				if m.Key != "" {
					cur[i].Key = m.Key
				}
				cur[i].Value = m.Value
				done = true
				break
			}
		}
		if !done && m.Key != "" {
			v := m.Value
			if v == nil {
				v = json.RawMessage(`""`)
			}
			cur = append(cur, Meta{ID: st.newMetaID(), Key: m.Key, Value: v})
		}
	}
	return cur
}

type metaIn struct {
	ID    int             `json:"id"`
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

func metaOut(m []Meta) []Meta {
	if m == nil {
		return []Meta{}
	}
	return m
}
