package wcsim

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
)

type billingJSON struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	State     string `json:"state"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

type shippingJSON struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	State     string `json:"state"`
	Phone     string `json:"phone"`
}

func billingOf(a Address) billingJSON {
	return billingJSON{a.FirstName, a.LastName, a.Company, a.Address1, a.Address2, a.City, a.Postcode, a.Country, a.State, a.Email, a.Phone}
}

func shippingOf(a Address) shippingJSON {
	return shippingJSON{a.FirstName, a.LastName, a.Company, a.Address1, a.Address2, a.City, a.Postcode, a.Country, a.State, a.Phone}
}

type customerJSON struct {
	ID               int            `json:"id"`
	DateCreated      string         `json:"date_created"`
	DateCreatedGMT   string         `json:"date_created_gmt"`
	DateModified     *string        `json:"date_modified"`
	DateModifiedGMT  *string        `json:"date_modified_gmt"`
	Email            string         `json:"email"`
	FirstName        string         `json:"first_name"`
	LastName         string         `json:"last_name"`
	Role             string         `json:"role"`
	Username         string         `json:"username"`
	Billing          billingJSON    `json:"billing"`
	Shipping         shippingJSON   `json:"shipping"`
	IsPayingCustomer bool           `json:"is_paying_customer"`
	AvatarURL        string         `json:"avatar_url"`
	MetaData         []Meta         `json:"meta_data"`
	Links            map[string]any `json:"_links"`
}

type addressIn struct {
	FirstName *string `json:"first_name"`
	LastName  *string `json:"last_name"`
	Company   *string `json:"company"`
	Address1  *string `json:"address_1"`
	Address2  *string `json:"address_2"`
	City      *string `json:"city"`
	State     *string `json:"state"`
	Postcode  *string `json:"postcode"`
	Country   *string `json:"country"`
	Email     *string `json:"email"`
	Phone     *string `json:"phone"`
}

func (in *addressIn) apply(a *Address) {
	if in == nil {
		return
	}
	for _, f := range []struct {
		src *string
		dst *string
	}{{in.FirstName, &a.FirstName}, {in.LastName, &a.LastName}, {in.Company, &a.Company}, {in.Address1, &a.Address1},
		{in.Address2, &a.Address2}, {in.City, &a.City}, {in.State, &a.State}, {in.Postcode, &a.Postcode},
		{in.Country, &a.Country}, {in.Email, &a.Email}, {in.Phone, &a.Phone}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
}

type customerIn struct {
	ID        *int       `json:"id"`
	Email     *string    `json:"email"`
	FirstName *string    `json:"first_name"`
	LastName  *string    `json:"last_name"`
	Username  *string    `json:"username"`
	Password  *string    `json:"password"`
	Billing   *addressIn `json:"billing"`
	Shipping  *addressIn `json:"shipping"`
	MetaData  []metaIn   `json:"meta_data"`
}

func errCustomerID(status int) *apiError {
	return errf(status, "woocommerce_rest_invalid_id", "Invalid resource ID.")
}

func (s *Sim) renderCustomer(c *Customer, base string) customerJSON {
	sum := md5.Sum([]byte(lower(c.Email)))
	return customerJSON{
		ID: c.ID, DateCreated: s.local(c.DateCreated), DateCreatedGMT: gmt(c.DateCreated),
		DateModified: s.localPtr(c.DateModified), DateModifiedGMT: gmtPtr(c.DateModified),
		Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Role: c.Role, Username: c.Username,
		Billing: billingOf(c.Billing), Shipping: shippingOf(c.Shipping), IsPayingCustomer: c.IsPayingCustomer,
		AvatarURL: "https://secure.gravatar.com/avatar/" + hex.EncodeToString(sum[:]) + "?s=96&d=mm&r=g",
		MetaData:  metaOut(c.MetaData),
		Links: map[string]any{
			"self":       []map[string]string{{"href": fmt.Sprintf("%scustomers/%d", base, c.ID)}},
			"collection": []map[string]string{{"href": base + "customers"}},
		},
	}
}

func validEmail(e string) bool {
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e && strings.Contains(e, ".")
}

func (s *Sim) createCustomer(body []byte) (*Customer, *apiError) {
	var in customerIn
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	if in.ID != nil && *in.ID != 0 {
		return nil, errf(400, "woocommerce_rest_customer_exists", "Cannot create existing resource.")
	}
	if in.Email == nil || strings.TrimSpace(*in.Email) == "" {
		return nil, errf(400, "rest_missing_callback_param", "Missing parameter(s): email").with("params", []string{"email"})
	}
	email := strings.TrimSpace(*in.Email)
	if !validEmail(email) {
		return nil, errf(400, "customer_invalid_email", "Invalid email address")
	}
	if s.st.userByEmail(email) != nil {
		return nil, errf(400, "registration-error-email-exists",
			`An account is already registered with your email address. <a href="#" class="showlogin">Please log in.</a>`)
	}
	username := ""
	if in.Username != nil {
		username = strings.TrimSpace(*in.Username)
	}
	if username != "" && s.st.userByLogin(username) != nil {
		return nil, errf(400, "registration-error-username-exists", "An account is already registered with that username. Please choose another.")
	}
	now := s.now()
	c := &Customer{Email: email, Username: username, Role: "customer", DateCreated: now, DateModified: &now}
	s.applyCustomer(c, &in)
	s.st.addUser(c)
	return c, nil
}

func (s *Sim) applyCustomer(c *Customer, in *customerIn) {
	if in.FirstName != nil {
		c.FirstName = *in.FirstName
	}
	if in.LastName != nil {
		c.LastName = *in.LastName
	}
	in.Billing.apply(&c.Billing)
	in.Shipping.apply(&c.Shipping)
	c.Shipping.Email = ""
	if in.MetaData != nil {
		c.MetaData = s.st.applyMeta(append([]Meta(nil), c.MetaData...), in.MetaData)
	}
}

func (s *Sim) updateCustomer(id int, body []byte) (*Customer, *apiError) {
	cur, ok := s.st.users[id]
	if !ok {
		return nil, errCustomerID(400)
	}
	var in customerIn
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	if in.Username != nil && *in.Username != cur.Username {
		return nil, errf(400, "woocommerce_rest_customer_invalid_argument", "Username isn't editable.")
	}
	c := *cur
	if in.Email != nil {
		email := strings.TrimSpace(*in.Email)
		if other := s.st.userByEmail(email); (other != nil && other.ID != id) || !validEmail(email) {
			return nil, errf(400, "woocommerce_rest_customer_invalid_email", "Email address is invalid.")
		}
		c.Email = email
	}
	s.applyCustomer(&c, &in)
	now := s.now()
	c.DateModified = &now
	*cur = c
	return cur, nil
}

func (s *Sim) deleteCustomer(id int, force bool, base string) (any, *apiError) {
	c, ok := s.st.users[id]
	if !ok {
		return nil, errCustomerID(404)
	}
	if !force {
		return nil, errf(501, "woocommerce_rest_trash_not_supported", "Customers do not support trashing.")
	}
	before := s.renderCustomer(c, base)
	delete(s.st.users, id)
	s.st.userIDs = removeSorted(s.st.userIDs, id)
	for _, oid := range s.st.orderIDs {
		if o := s.st.orders[oid]; o.CustomerID == id {
			o.CustomerID = 0
		}
	}
	return before, nil
}

func (s *Sim) customerItem(c *call) *response {
	switch c.method {
	case http.MethodGet, http.MethodHead:
		u, ok := s.st.users[c.id]
		if !ok {
			return errResponse(errCustomerID(404))
		}
		return itemResponse(200, c.q, s.renderCustomer(u, c.base))
	case http.MethodDelete:
		body, e := s.deleteCustomer(c.id, boolParam(c.q, "force"), c.base)
		if e != nil {
			return errResponse(e)
		}
		return itemResponse(200, c.q, body)
	default:
		u, e := s.updateCustomer(c.id, c.body)
		if e != nil {
			return errResponse(e)
		}
		return itemResponse(200, c.q, s.renderCustomer(u, c.base))
	}
}

func (s *Sim) customersCollection(c *call) *response {
	if c.method == http.MethodPost {
		u, e := s.createCustomer(c.body)
		if e != nil {
			return errResponse(e)
		}
		return itemResponse(201, c.q, s.renderCustomer(u, c.base)).header("Location", fmt.Sprintf("%scustomers/%d", c.base, u.ID))
	}
	p, e := parseList(c.q, "name", []string{"id", "include", "name", "registered_date"}, "asc")
	if e != nil {
		return errResponse(e)
	}
	role := c.q.Get("role")
	if role == "" {
		role = "customer"
	}
	email := lower(c.q.Get("email"))
	search := strings.ToLower(strings.Trim(c.q.Get("search"), "*"))
	ids := newIDFilter(p)
	matched := make([]int, 0, len(s.st.userIDs))
	for _, id := range s.st.userIDs {
		u := s.st.users[id]
		if !ids.keep(id) || role != "all" && u.Role != role || email != "" && lower(u.Email) != email {
			continue
		}
		if search != "" && !containsFold(u.Email, search) && !containsFold(u.Username, search) &&
			!containsFold(u.FirstName+" "+u.LastName, search) {
			continue
		}
		matched = append(matched, id)
	}
	get := func(i int) *Customer { return s.st.users[matched[i]] }
	switch p.orderby {
	case "include":
		sortByInclude(matched, p.include)
	case "id":
		sortIDs(matched, p.order, func(i, j int) bool { return matched[i] < matched[j] })
	case "registered_date":
		sortIDs(matched, p.order, func(i, j int) bool {
			return timeThen(get(i).DateCreated.Unix(), get(j).DateCreated.Unix(), matched[i], matched[j])
		})
	default:
		sortIDs(matched, p.order, func(i, j int) bool {
			return cmpThen(strings.ToLower(get(i).Username), strings.ToLower(get(j).Username), matched[i], matched[j])
		})
	}
	page, h := s.pageOf(c, p, matched, "")
	items := make([]customerJSON, 0, len(page))
	for _, id := range page {
		items = append(items, s.renderCustomer(s.st.users[id], c.base))
	}
	return listResponse(c.q, h, items)
}
