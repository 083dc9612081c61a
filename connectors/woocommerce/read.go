package woocommerce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// ReadOptions says what ReadSnapshot reads.
type ReadOptions struct {
	// Full lists every kind in full (Complete[kind] = true for each).
	Full bool
	// Since holds, per kind, the cursor of the last read; products and
	// orders are then read with modified_after = Since - Overlap, and
	// customers (which have no such filter) as those registered since
	// Since - Overlap plus those the orders read refer to. A kind without a
	// cursor is read in full.
	Since map[snapshot.Kind]time.Time
	// Kinds limits the read; nil = all kinds.
	Kinds []snapshot.Kind
	// PastBefore, when set, leaves out orders created before it (after=,
	// in GMT): they are the shop's history from before the first sync and
	// are neither imported nor listed, even in a full listing.
	PastBefore time.Time
}

// The _fields each kind is narrowed to: what the canonical record needs.
var (
	productFields  = "id,name,sku,type,status,description,regular_price,sale_price,categories,manage_stock,stock_quantity,date_modified_gmt"
	categoryFields = "id,name,parent,description"
	customerFields = "id,email,first_name,last_name,role,billing,shipping,date_modified_gmt"
	orderFields    = "id,number,status,currency,total,shipping_total,shipping_tax,customer_id,billing,shipping," +
		"payment_method,payment_method_title,customer_note,meta_data,line_items,fee_lines,date_created_gmt,date_modified_gmt"
	gatewayFields = "id,title,enabled"
)

// ReadSnapshot reads the requested kinds concurrently. A kind that fails
// is named in Snapshot.Failed (error kind and a short text) and the others
// still come back; the error is non-nil only when nothing useful was read:
// every kind failed, or the keys were refused.
func (c *Client) ReadSnapshot(ctx context.Context, opt ReadOptions) (snapshot.Snapshot, error) {
	snap := snapshot.Snapshot{Side: snapshot.WooCommerce, TakenAt: c.clock().UTC(),
		Complete: map[snapshot.Kind]bool{}, Failed: map[snapshot.Kind]string{}}
	kinds := opt.Kinds
	if kinds == nil {
		kinds = snapshot.Kinds
	}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs = map[snapshot.Kind]error{}
	)
	for _, k := range kinds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var since time.Time
			if !opt.Full && opt.Since != nil {
				since = opt.Since[k]
			}
			var part snapshot.Snapshot
			var complete bool
			var err error
			if k == snapshot.KindCustomer && !since.IsZero() {
				part, err = c.readRecentCustomers(ctx, since.Add(-c.overlap))
			} else {
				part, complete, err = c.readKind(ctx, k, since, opt.PastBefore)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs[k] = err
				snap.Failed[k] = failure(err)
				return
			}
			merge(&snap, part)
			if complete {
				snap.Complete[k] = true
			}
		}()
	}
	wg.Wait()
	if _, failed := snap.Failed[snapshot.KindCustomer]; !failed && slices.Contains(kinds, snapshot.KindCustomer) &&
		!snap.Complete[snapshot.KindCustomer] {
		part, err := c.readCustomersByID(ctx, orderCustomers(snap.Orders, snap.Customers))
		if err != nil {
			errs[snapshot.KindCustomer] = err
			snap.Failed[snapshot.KindCustomer] = failure(err)
		}
		merge(&snap, part)
	}
	slices.SortFunc(snap.Held, func(a, b snapshot.Held) int {
		return strings.Compare(string(a.Kind)+"/"+string(a.ID), string(b.Kind)+"/"+string(b.ID))
	})
	for _, k := range kinds {
		if IsKind(errs[k], KindAuth) {
			return snap, fmt.Errorf("read snapshot: %w", errs[k])
		}
	}
	if len(errs) == len(kinds) && len(kinds) > 0 {
		return snap, fmt.Errorf("read snapshot: %w", errs[kinds[0]])
	}
	return snap, nil
}

func failure(err error) string {
	if k := KindOf(err); k != "" {
		return string(k) + ": " + err.Error()
	}
	return err.Error()
}

func merge(dst *snapshot.Snapshot, src snapshot.Snapshot) {
	dst.Categories = append(dst.Categories, src.Categories...)
	dst.Products = append(dst.Products, src.Products...)
	dst.Customers = append(dst.Customers, src.Customers...)
	dst.Orders = append(dst.Orders, src.Orders...)
	dst.PaymentMethods = append(dst.PaymentMethods, src.PaymentMethods...)
	dst.Held = append(dst.Held, src.Held...)
}

// readKind reads one kind; complete is true for a full listing.
func (c *Client) readKind(ctx context.Context, k snapshot.Kind, since, pastBefore time.Time) (snapshot.Snapshot, bool, error) {
	var out snapshot.Snapshot
	l := listing{paged: true, query: url.Values{}}
	incremental := false
	switch k {
	case snapshot.KindPaymentMethod:
		l.op, l.group, l.path, l.paged = "list payment gateways", "payment_gateways", "/payment_gateways", false
		l.query.Set("_fields", gatewayFields)
	case snapshot.KindCategory:
		l.op, l.group, l.path = "list categories", "products/categories", "/products/categories"
		l.query.Set("_fields", categoryFields)
		l.query.Set("context", "edit")
	case snapshot.KindProduct:
		l.op, l.group, l.path = "list products", "products", "/products"
		l.query.Set("_fields", productFields)
		l.query.Set("context", "edit")
		incremental = true
	case snapshot.KindCustomer:
		l.op, l.group, l.path = "list customers", "customers", "/customers"
		l.query.Set("_fields", customerFields)
		l.query.Set("role", "all")
	case snapshot.KindOrder:
		l.op, l.group, l.path = "list orders", "orders", "/orders"
		l.query.Set("_fields", orderFields)
		incremental = true
		if !pastBefore.IsZero() {
			l.query.Set("after", modifiedAfter(pastBefore))
			l.query.Set("dates_are_gmt", "true")
		}
	default:
		return out, false, fmt.Errorf("read %s: unknown kind", k)
	}
	complete := true
	if incremental && !since.IsZero() && c.incremental() {
		l.query.Set("modified_after", modifiedAfter(since.Add(-c.overlap)))
		l.query.Set("dates_are_gmt", "true")
		complete = false
	}
	var err error
	switch k {
	case snapshot.KindPaymentMethod:
		err = readList(ctx, c, l, DecodePaymentMethod, &out.PaymentMethods, &out.Held)
	case snapshot.KindCategory:
		err = readList(ctx, c, l, DecodeCategory, &out.Categories, &out.Held)
	case snapshot.KindProduct:
		err = readList(ctx, c, l, DecodeProduct, &out.Products, &out.Held)
	case snapshot.KindCustomer:
		err = readList(ctx, c, l, DecodeCustomer, &out.Customers, &out.Held)
	case snapshot.KindOrder:
		err = readList(ctx, c, l, DecodeOrder, &out.Orders, &out.Held)
	}
	if err != nil {
		return snapshot.Snapshot{}, false, err
	}
	return out, complete, nil
}

// decoded is one listed item decoded: a record, or the held record it
// became.
type decoded[T any] struct {
	v    T
	held *snapshot.Held
}

// readList lists l, decoding each page as it arrives, and appends the
// records to dst and the held ones to held, in list order.
func readList[T any](ctx context.Context, c *Client, l listing, decode func([]byte) (T, *snapshot.Held), dst *[]T, held *[]snapshot.Held) error {
	_, decs, err := listDecoded(ctx, c, l, func(b []byte) decoded[T] {
		v, h := decode(b)
		return decoded[T]{v, h}
	})
	if err != nil {
		return err
	}
	*dst = slices.Grow(*dst, len(decs))
	for _, d := range decs {
		if d.held != nil {
			*held = append(*held, *d.held)
		} else {
			*dst = append(*dst, d.v)
		}
	}
	return nil
}

// decodeInto decodes one listed item of kind k into snap (or its Held).
func decodeInto(snap *snapshot.Snapshot, k snapshot.Kind, b []byte) {
	var h *snapshot.Held
	switch k {
	case snapshot.KindPaymentMethod:
		var v snapshot.PaymentMethod
		if v, h = DecodePaymentMethod(b); h == nil {
			snap.PaymentMethods = append(snap.PaymentMethods, v)
		}
	case snapshot.KindCategory:
		var v snapshot.Category
		if v, h = DecodeCategory(b); h == nil {
			snap.Categories = append(snap.Categories, v)
		}
	case snapshot.KindProduct:
		var v snapshot.Product
		if v, h = DecodeProduct(b); h == nil {
			snap.Products = append(snap.Products, v)
		}
	case snapshot.KindCustomer:
		var v snapshot.Customer
		if v, h = DecodeCustomer(b); h == nil {
			snap.Customers = append(snap.Customers, v)
		}
	case snapshot.KindOrder:
		var v snapshot.Order
		if v, h = DecodeOrder(b); h == nil {
			snap.Orders = append(snap.Orders, v)
		}
	}
	if h != nil {
		snap.Held = append(snap.Held, *h)
	}
}

// Info is what Check learnt about the store.
type Info struct {
	Version       string // WooCommerce version, e.g. "7.8.2"
	MoneyPlaces   int    // store's number of decimals
	Currency      string // ISO code, e.g. "USD"
	ModifiedAfter bool   // modified_after is supported (5.8+): incremental reads
}

// MinIncrementalVersion is the first WooCommerce release with modified_after.
const MinIncrementalVersion = "5.8"

// Check verifies connectivity and keys and reads the WooCommerce version,
// currency and price precision. Below 5.8 it warns and makes every later
// read a full listing. An auth failure comes back as KindAuth.
func (c *Client) Check(ctx context.Context) (Info, error) {
	q := url.Values{"_fields": {"environment,settings"}}
	r, err := c.do(ctx, call{op: "check", group: "system_status", method: "GET", path: "/system_status", query: q})
	if err != nil {
		return Info{}, err
	}
	var w struct {
		Environment struct {
			Version raw `json:"version"`
		} `json:"environment"`
		Settings struct {
			Currency raw `json:"currency"`
			Decimals raw `json:"number_of_decimals"`
		} `json:"settings"`
	}
	if err := json.Unmarshal(r.body, &w); err != nil {
		return Info{}, &Error{Op: "check", Kind: KindTransient, Message: "system_status: " + describeBody(r.body)}
	}
	info := Info{MoneyPlaces: snapshot.DefaultForm.MoneyPlaces}
	info.Version, _ = w.Environment.Version.text()
	info.Currency, _ = w.Settings.Currency.text()
	if n, err := w.Settings.Decimals.integer(); err == nil && n >= 0 && n <= snapshot.DecimalPlaces {
		info.MoneyPlaces = int(n)
	}
	info.ModifiedAfter = versionAtLeast(info.Version, MinIncrementalVersion)
	if info.Version == "" {
		info.ModifiedAfter = true // unknown: assume a current store, cursors still overlap
	}
	c.mu.Lock()
	c.modifiedAfter = info.ModifiedAfter
	if !c.fixedForm {
		c.form = snapshot.Form{MoneyPlaces: info.MoneyPlaces}
	}
	c.mu.Unlock()
	if !info.ModifiedAfter {
		c.log.WarnContext(ctx, "woocommerce is older than 5.8: modified_after is unsupported, every read lists everything",
			"version", info.Version)
	}
	return info, nil
}

// versionAtLeast compares dotted versions numerically ("10.1" > "9.9").
func versionAtLeast(v, min string) bool {
	a, b := strings.Split(v, "."), strings.Split(min, ".")
	for i := range max(len(a), len(b)) {
		x, y := part(a, i), part(b, i)
		if x != y {
			return x > y
		}
	}
	return true
}

func part(p []string, i int) int {
	if i >= len(p) {
		return 0
	}
	s := p[i]
	if j := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); j >= 0 {
		s = s[:j]
	}
	n, _ := strconv.Atoi(s)
	return n
}
