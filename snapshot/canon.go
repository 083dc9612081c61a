package snapshot

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// Fields is a record in canonical form: field name -> canonical text.
// Two records agree on a field exactly when FieldEqual says so; formatting
// noise (surrounding space, CRLF, e-mail case, "10" vs "10.00") never makes
// two values differ.
//
// Reference fields (see IsReference) hold side-local ids: "parent_id" a
// category id, "category_ids" a comma-separated sorted id list. Compare them
// across sides only after translating ids through links.
type Fields map[string]string

// Form says how records are put in canonical form.
type Form struct {
	// MoneyPlaces is the store's price precision (WooCommerce
	// "woocommerce_price_num_decimals", usually 2). Prices are compared and
	// hashed rounded to it.
	MoneyPlaces int
}

// DefaultForm is the canonical form for a store with two-decimal prices.
var DefaultForm = Form{MoneyPlaces: 2}

var fieldNames = map[Kind][]string{
	KindCategory: {"name", "parent_id", "description"},
	// Barcode and sale price are not compared: WooCommerce 7.8 has no
	// barcode field and NexoPOS no sale price, so neither can agree.
	KindProduct: {"sku", "name", "description", "status", "regular_price", "category_ids", "manage_stock"},
	// Customer.Fields also gives "phone", "billing.state",
	// "shipping.state" and "shipping.email", but they are not compared:
	// one side cannot hold them, so they could never agree. WooCommerce has
	// no customer phone of its own (it shows billing.phone, which is
	// compared) and no shipping e-mail; NexoPOS addresses have no state.
	KindCustomer: slices.DeleteFunc(append([]string{"email", "first_name", "last_name"},
		append(addressFieldNames("billing"), addressFieldNames("shipping")...)...),
		func(f string) bool { return f == "billing.state" || f == "shipping.state" || f == "shipping.email" }),
	KindOrder:         {"status", "total", "payment_method", "note"},
	KindPaymentMethod: {"identifier", "title", "enabled"},
}

func addressFieldNames(prefix string) []string {
	names := []string{"first_name", "last_name", "company", "address_1", "address_2", "city",
		"state", "postcode", "country", "email", "phone"}
	for i, n := range names {
		names[i] = prefix + "." + n
	}
	return names
}

// FieldNames returns the comparable fields of kind in their fixed order.
func FieldNames(kind Kind) []string { return fieldNames[kind] }

// IsReference reports whether field of kind holds side-local ids.
func IsReference(kind Kind, field string) bool {
	return (kind == KindCategory && field == "parent_id") || (kind == KindProduct && field == "category_ids")
}

// FieldEqual reports whether two canonical values of field agree. SKUs are
// compared case-insensitively, as WooCommerce's database collation does.
func FieldEqual(kind Kind, field, a, b string) bool {
	if kind == KindProduct && field == "sku" {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// Diff returns, in FieldNames order, the fields of kind whose values in a
// and b do not agree.
func Diff(kind Kind, a, b Fields) []string {
	var out []string
	for _, f := range fieldNames[kind] {
		if !FieldEqual(kind, f, a[f], b[f]) {
			out = append(out, f)
		}
	}
	return out
}

// Hash returns a stable content hash of f: equal Fields give equal hashes
// whatever the map order.
func Hash(f Fields) string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := sha256.New()
	for _, k := range keys {
		writeLenPrefixed(h, k)
		writeLenPrefixed(h, f[k])
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

type byteWriter interface{ Write([]byte) (int, error) }

func writeLenPrefixed(w byteWriter, s string) {
	var n [4]byte
	l := len(s)
	n[0], n[1], n[2], n[3] = byte(l>>24), byte(l>>16), byte(l>>8), byte(l)
	w.Write(n[:])
	w.Write([]byte(s))
}

// CanonText trims surrounding white space and turns CRLF and CR into LF.
func CanonText(s string) string {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return s
}

// SKUKey is the natural key of a product: its SKU trimmed and lower-cased.
// "" means the product has no usable SKU.
func SKUKey(sku string) string { return strings.ToLower(strings.TrimSpace(sku)) }

// EmailKey is the natural key of a customer: the e-mail trimmed and
// lower-cased. "" means no usable e-mail.
func EmailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// NameKey is the comparison form of one category name in a name path.
func NameKey(name string) string { return strings.ToLower(CanonText(name)) }

func money(d Decimal, f Form) string { return d.Round(f.MoneyPlaces).StringFixed(f.MoneyPlaces) }

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// JoinIDs returns ids sorted (numerically when they are numbers) and joined
// with commas: the canonical text of a reference set.
func JoinIDs(ids []ID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	slices.SortFunc(s, compareIDText)
	s = slices.Compact(s)
	return strings.Join(s, ",")
}

// SplitIDs is the inverse of JoinIDs.
func SplitIDs(s string) []ID {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	ids := make([]ID, len(parts))
	for i, p := range parts {
		ids[i] = ID(p)
	}
	return ids
}

func compareIDText(a, b string) int {
	if len(a) != len(b) && allDigits(a) && allDigits(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// AppendValues appends to dst the canonical values of c's compared fields,
// in FieldNames(KindCategory) order: Fields without building a map, for
// comparing many records.
func (c Category) AppendValues(dst []string, _ Form) []string {
	return append(dst, CanonText(c.Name), string(c.ParentID), CanonText(c.Description))
}

// AppendValues appends to dst the canonical values of p's compared fields,
// in FieldNames(KindProduct) order: Fields without building a map, for
// comparing many records.
func (p Product) AppendValues(dst []string, f Form) []string {
	cats := ""
	switch len(p.CategoryIDs) {
	case 0:
	case 1:
		cats = string(p.CategoryIDs[0])
	default:
		cats = JoinIDs(p.CategoryIDs)
	}
	return append(dst, strings.TrimSpace(p.SKU), CanonText(p.Name), CanonText(p.Description), string(p.Status),
		money(p.RegularPrice, f), cats, boolText(p.ManageStock))
}

// Fields returns c in canonical form.
func (c Category) Fields(Form) Fields {
	return Fields{"name": CanonText(c.Name), "parent_id": string(c.ParentID), "description": CanonText(c.Description)}
}

// Fields returns p in canonical form. Stock is not among them: NexoPOS
// decides stock, it is never a three-way field.
func (p Product) Fields(f Form) Fields {
	return Fields{
		"sku":           strings.TrimSpace(p.SKU),
		"name":          CanonText(p.Name),
		"description":   CanonText(p.Description),
		"status":        string(p.Status),
		"regular_price": money(p.RegularPrice, f),
		"category_ids":  JoinIDs(p.CategoryIDs),
		"manage_stock":  boolText(p.ManageStock),
	}
}

// Fields returns c in canonical form, with the fields FieldNames leaves
// out of comparison. A first name that is the e-mail address counts as
// none: NexoPOS requires a first name and stores the e-mail when there is
// no name.
func (c Customer) Fields(Form) Fields {
	first := CanonText(c.FirstName)
	if first != "" && EmailKey(first) == EmailKey(c.Email) {
		first = ""
	}
	out := Fields{
		"email":      EmailKey(c.Email),
		"first_name": first,
		"last_name":  CanonText(c.LastName),
		"phone":      CanonText(c.Phone),
	}
	c.Billing.addFields("billing", out)
	c.Shipping.addFields("shipping", out)
	return out
}

func (a Address) addFields(prefix string, out Fields) {
	vals := []string{a.FirstName, a.LastName, a.Company, a.Address1, a.Address2, a.City, a.State,
		a.Postcode, a.Country, EmailKey(a.Email), a.Phone}
	for i, n := range addressFieldNames(prefix) {
		out[n] = CanonText(vals[i])
	}
}

// Fields returns o in canonical form (the fields that can change after an
// order is placed; lines are fixed at creation).
func (o Order) Fields(f Form) Fields {
	return Fields{
		"status":         string(o.Status),
		"total":          money(o.Total, f),
		"payment_method": strings.TrimSpace(o.PaymentMethod),
		"note":           CanonText(o.Note),
	}
}

// Fields returns m in canonical form.
func (m PaymentMethod) Fields(Form) Fields {
	return Fields{"identifier": strings.TrimSpace(m.Identifier), "title": CanonText(m.Title), "enabled": boolText(m.Enabled)}
}
