package nexopos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/woonexo/woonexo/snapshot"
	"golang.org/x/sync/errgroup"
)

// customerDTO is a customer (a nexopos_users row with the customer role),
// as GET /api/customers, the customers search and the CRUD list give it.
type customerDTO struct {
	ID        flexID      `json:"id"`
	Email     flexString  `json:"email"`
	FirstName flexString  `json:"first_name"`
	LastName  flexString  `json:"last_name"`
	Phone     flexString  `json:"phone"`
	GroupID   flexID      `json:"group_id"`
	UpdatedAt flexString  `json:"updated_at"`
	Billing   *addressDTO `json:"billing"`
	Shipping  *addressDTO `json:"shipping"`
}

// addressDTO is a customer or order address (postcode is "pobox"; there is
// no state field).
type addressDTO struct {
	FirstName flexString `json:"first_name"`
	LastName  flexString `json:"last_name"`
	Company   flexString `json:"company"`
	Address1  flexString `json:"address_1"`
	Address2  flexString `json:"address_2"`
	City      flexString `json:"city"`
	Pobox     flexString `json:"pobox"`
	Country   flexString `json:"country"`
	Email     flexString `json:"email"`
	Phone     flexString `json:"phone"`
}

func (a *addressDTO) canonical() snapshot.Address {
	if a == nil {
		return snapshot.Address{}
	}
	return snapshot.Address{FirstName: string(a.FirstName), LastName: string(a.LastName), Company: string(a.Company),
		Address1: string(a.Address1), Address2: string(a.Address2), City: string(a.City), Postcode: string(a.Pobox),
		Country: string(a.Country), Email: string(a.Email), Phone: string(a.Phone)}
}

func addressForm(a snapshot.Address) map[string]any {
	return map[string]any{"first_name": a.FirstName, "last_name": a.LastName, "company": a.Company,
		"address_1": a.Address1, "address_2": a.Address2, "city": a.City, "pobox": a.Postcode,
		"country": a.Country, "email": a.Email, "phone": a.Phone}
}

// notDefined undoes the CRUD list's display value for empty names/phones.
func notDefined(s flexString) string {
	if string(s) == "Not Defined" {
		return ""
	}
	return string(s)
}

func customerFromDTO(d customerDTO, loc *time.Location) snapshot.Customer {
	return snapshot.Customer{ID: snapshot.ID(d.ID), Email: string(d.Email), FirstName: notDefined(d.FirstName),
		LastName: notDefined(d.LastName), Phone: notDefined(d.Phone), Billing: d.Billing.canonical(),
		Shipping: d.Shipping.canonical(), Modified: parseTime(string(d.UpdatedAt), loc)}
}

func customerID(d *customerDTO) snapshot.ID { return snapshot.ID(d.ID) }

// readCustomers lists every customer (CRUD ns.customers, which the customer
// role scope keeps to customers) and takes raw fields and addresses from
// GET /api/customers, which lists customers that have a group.
func (c *Client) readCustomers(ctx context.Context) ([]snapshot.Customer, []snapshot.Held, error) {
	var list []customerDTO
	var held []snapshot.Held
	total, err := listCRUD(ctx, c, "ns.customers", "customers", customersPerPage, nil, customerID, func(page []listed[customerDTO]) {
		for _, l := range page {
			raw, d := l.raw, l.v
			var err error
			if l.bad {
				err = unmarshalNamed(raw, &d)
			}
			if err == nil && d.ID == "" {
				err = errors.New("customer without an id")
			}
			if err != nil {
				held = append(held, snapshot.Held{Side: snapshot.NexoPOS, Kind: snapshot.KindCustomer, ID: idOf(raw), Reason: reason(err), Class: "decode"})
				continue
			}
			d.Billing, d.Shipping = nil, nil // CRUD rows carry no addresses
			list = append(list, d)
		}
	})
	if err != nil {
		return nil, nil, err
	}
	// A page repeated or skipped (rows moving while paging, a cache
	// ignoring the page) would leave customers out of a listing taken as
	// complete, and they would look deleted: count distinct rows.
	list = slices.CompactFunc(slices.SortedFunc(slices.Values(list), func(a, b customerDTO) int {
		return compareID(snapshot.ID(a.ID), snapshot.ID(b.ID))
	}), func(a, b customerDTO) bool { return a.ID == b.ID })
	if len(list)+len(held) < total {
		return nil, nil, &Error{Op: "list ns.customers", Kind: KindTransient,
			Message: fmt.Sprintf("listing short: %d distinct rows of %d announced", len(list)+len(held), total)}
	}
	full, err := streamList[customerDTO](ctx, c, call{op: "list customers", group: "customers", method: "GET", path: "customers", safe: true})
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[snapshot.ID]customerDTO, len(full))
	for _, l := range full {
		if !l.bad && l.v.ID != "" {
			byID[snapshot.ID(l.v.ID)] = l.v
		}
	}
	// GET /api/customers leaves out customers without a group; read those
	// one by one, or their addresses would read as blank.
	var groupless []snapshot.ID
	for _, d := range list {
		if _, ok := byID[snapshot.ID(d.ID)]; !ok {
			groupless = append(groupless, snapshot.ID(d.ID))
		}
	}
	more, moreHeld := c.readCustomerDetails(ctx, groupless)
	held = append(held, moreHeld...)
	for id, d := range more {
		byID[id] = d
	}
	out := make([]snapshot.Customer, 0, len(list))
	for _, d := range list {
		f, ok := byID[snapshot.ID(d.ID)]
		if !ok {
			continue // deleted meanwhile, or held
		}
		out = append(out, customerFromDTO(f, c.tz))
	}
	slices.SortFunc(out, func(a, b snapshot.Customer) int { return compareID(a.ID, b.ID) })
	return out, held, nil
}

// readCustomerDetails reads GET /api/customers/{id} for each id, a few at a
// time. A customer deleted meanwhile is left out; one that fails is held.
func (c *Client) readCustomerDetails(ctx context.Context, ids []snapshot.ID) (map[snapshot.ID]customerDTO, []snapshot.Held) {
	out := make(map[snapshot.ID]customerDTO, len(ids))
	var held []snapshot.Held
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(pageConcurrency)
	for _, id := range ids {
		g.Go(func() error {
			d, err := c.getCustomer(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case IsKind(err, KindNotFound):
			case err != nil:
				held = append(held, snapshot.Held{Side: snapshot.NexoPOS, Kind: snapshot.KindCustomer, ID: id, Reason: reason(err), Class: "read"})
			default:
				out[id] = d
			}
			return nil
		})
	}
	_ = g.Wait()
	return out, held
}

func compareID(a, b snapshot.ID) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(string(a), string(b))
}

// getCustomer reads one customer with its addresses.
func (c *Client) getCustomer(ctx context.Context, id snapshot.ID) (customerDTO, error) {
	var d customerDTO
	err := c.do(ctx, call{op: "read customer", group: "customers", method: "GET", path: apiPath("customers", id), safe: true}, &d)
	return d, err
}

// SaveCustomer creates c (ID "") or updates the listed canonical fields of
// an existing customer through the CRUD form (POST|PUT
// /api/crud/ns.customers). Update reads the current customer and sends the
// merged whole. New customers join the default customer group. A create is
// not retried once sent.
func (c *Client) SaveCustomer(ctx context.Context, cu snapshot.Customer, fields []string) (snapshot.ID, error) {
	d := c.Defaults()
	group := d.CustomerGroupID
	if cu.ID != "" {
		cur, err := c.getCustomer(ctx, cu.ID)
		if err != nil {
			return "", fmt.Errorf("update customer: %w", err)
		}
		merged := customerFromDTO(cur, c.tz)
		mergeCustomer(&merged, cu, fields)
		cu = merged
		if cur.GroupID != "" {
			group = snapshot.ID(cur.GroupID)
		}
	}
	if group == "" {
		return "", &Error{Op: "save customer", Kind: KindInvalid, Message: "no customer group configured (run the bootstrap)"}
	}
	first := cu.FirstName
	if strings.TrimSpace(first) == "" {
		first = cu.Billing.FirstName
	}
	if strings.TrimSpace(first) == "" {
		first = cu.Email // first_name is required
	}
	body := map[string]any{
		"first_name": first,
		"general": map[string]any{"last_name": cu.LastName, "email": strings.TrimSpace(cu.Email), "phone": cu.Phone,
			"group_id": jsonID(group)},
		"billing":  addressForm(cu.Billing),
		"shipping": addressForm(cu.Shipping),
	}
	var resp struct {
		Data struct {
			Entry struct {
				ID flexID `json:"id"`
			} `json:"entry"`
		} `json:"data"`
	}
	if cu.ID == "" {
		if err := c.do(ctx, call{op: "create customer", group: "customers", method: "POST", path: "crud/ns.customers", body: body}, &resp); err != nil {
			return "", err
		}
		if resp.Data.Entry.ID == "" {
			return "", &Error{Op: "create customer", Kind: KindTransient, Message: "response carries no customer id"}
		}
		return snapshot.ID(resp.Data.Entry.ID), nil
	}
	err := c.do(ctx, call{op: "update customer", group: "customers", method: "PUT", path: apiPath("crud", "ns.customers", cu.ID), body: body, safe: true}, &resp)
	return cu.ID, err
}

// mergeCustomer copies the listed canonical fields of src into dst (nil
// fields: all).
func mergeCustomer(dst *snapshot.Customer, src snapshot.Customer, fields []string) {
	if fields == nil {
		id := dst.ID
		*dst = src
		dst.ID = id
		return
	}
	sf := src.Fields(snapshot.DefaultForm)
	for _, f := range fields {
		if _, ok := sf[f]; !ok {
			continue
		}
		switch f {
		case "email":
			dst.Email = src.Email
		case "first_name":
			dst.FirstName = src.FirstName
		case "last_name":
			dst.LastName = src.LastName
		case "phone":
			dst.Phone = src.Phone
		default:
			prefix, name, _ := strings.Cut(f, ".")
			from, to := &src.Billing, &dst.Billing
			if prefix == "shipping" {
				from, to = &src.Shipping, &dst.Shipping
			}
			setAddressField(to, from, name)
		}
	}
}

func setAddressField(to, from *snapshot.Address, name string) {
	switch name {
	case "first_name":
		to.FirstName = from.FirstName
	case "last_name":
		to.LastName = from.LastName
	case "company":
		to.Company = from.Company
	case "address_1":
		to.Address1 = from.Address1
	case "address_2":
		to.Address2 = from.Address2
	case "city":
		to.City = from.City
	case "state":
		to.State = from.State
	case "postcode":
		to.Postcode = from.Postcode
	case "country":
		to.Country = from.Country
	case "email":
		to.Email = from.Email
	case "phone":
		to.Phone = from.Phone
	}
}

// FindCustomerByEmail looks a customer up by e-mail (POST
// /api/customers/search, then an exact case-insensitive compare). nil, nil
// when none.
func (c *Client) FindCustomerByEmail(ctx context.Context, email string) (*snapshot.Customer, error) {
	key := snapshot.EmailKey(email)
	if key == "" {
		return nil, nil
	}
	var raws []json.RawMessage
	if err := c.do(ctx, call{op: "find customer by email", group: "customers", method: "POST", path: "customers/search",
		body: map[string]any{"search": key}, safe: true}, &raws); err != nil {
		return nil, err
	}
	for _, raw := range raws {
		var d customerDTO
		if json.Unmarshal(raw, &d) != nil || d.ID == "" || snapshot.EmailKey(string(d.Email)) != key {
			continue
		}
		cu := customerFromDTO(d, c.tz)
		return &cu, nil
	}
	return nil, nil
}
