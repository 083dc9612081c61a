package nexopos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/woonexo/woonexo/snapshot"
)

// NexoPOS's JSON is loosely typed: numbers come as numbers or numeric
// strings, booleans as true/false or 0/1, ids as numbers or strings, null
// almost anywhere. The flex types below accept all of those.

// num is an exact decimal read from a JSON number or numeric string.
type num struct{ snapshot.Decimal }

func (n *num) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" || string(b) == `""` || string(b) == "false" {
		n.Decimal = snapshot.Decimal{}
		return nil
	}
	var s string
	if b[0] == '"' {
		var err error
		if s, err = jsonString(b); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			n.Decimal = snapshot.Decimal{}
			return nil
		}
	} else {
		s = string(b)
	}
	d, err := snapshot.ParseDecimal(s)
	if err != nil {
		// Exponent forms (1e-5) are valid JSON numbers.
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return fmt.Errorf("number %.40q: %w", s, err)
		}
		if d, err = snapshot.DecimalFromFloat(f); err != nil {
			return err
		}
	}
	n.Decimal = d
	return nil
}

// jsonString decodes a JSON string literal; one without escapes and in
// valid UTF-8 (nearly all) is taken as it is.
func jsonString(b []byte) (string, error) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		in := b[1 : len(b)-1]
		if bytes.IndexByte(in, '\\') < 0 && bytes.IndexByte(in, '"') < 0 && utf8.Valid(in) && !hasControl(in) {
			return string(in), nil
		}
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 {
			return true
		}
	}
	return false
}

// flexBool accepts true/false, 0/1, "0"/"1", "yes"/"no", null.
type flexBool bool

func (v *flexBool) UnmarshalJSON(b []byte) error {
	s := strings.ToLower(strings.Trim(string(bytes.TrimSpace(b)), `"`))
	switch s {
	case "true", "1", "yes", "enabled", "on":
		*v = true
	case "false", "0", "no", "disabled", "off", "", "null":
		*v = false
	default:
		return fmt.Errorf("boolean %.40q", s)
	}
	return nil
}

// flexID is an id read from a number or a string; 0 and null are "".
type flexID snapshot.ID

func (v *flexID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*v = ""
		return nil
	}
	var s string
	if len(b) > 0 && b[0] == '"' {
		var err error
		if s, err = jsonString(b); err != nil {
			return err
		}
	} else {
		s = string(b)
	}
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		*v = ""
		return nil
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return fmt.Errorf("id %.40q is not a number", s)
		}
	}
	*v = flexID(strings.TrimLeft(s, "0"))
	return nil
}

// flexString is text read from a string, number or null.
type flexString string

func (v *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*v = ""
	case len(b) > 0 && b[0] == '"':
		s, err := jsonString(b)
		if err != nil {
			return err
		}
		*v = flexString(s)
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		return errors.New("text expected, got an object or array")
	default:
		*v = flexString(b)
	}
	return nil
}

// flexInt is a count read from a number or numeric string.
type flexInt int

func (v *flexInt) UnmarshalJSON(b []byte) error {
	var n num
	if err := n.UnmarshalJSON(b); err != nil {
		return err
	}
	if !n.IsInteger() || n.IntPart() < 0 || n.IntPart() > 1<<40 {
		return fmt.Errorf("count %s out of range", n.String())
	}
	*v = flexInt(n.IntPart())
	return nil
}

// parseTime reads Eloquent ISO timestamps ("2025-05-01T09:11:12.000000Z")
// and raw store-local "Y-m-d H:i:s" strings (orders, CRUD lists).
func parseTime(s string, loc *time.Location) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC()
	}
	for _, layout := range []string{time.DateTime, "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// productDTO is a row of nexopos_products (GET /api/products, /products/{id},
// POST /products/search with its unit_quantities).
type productDTO struct {
	ID              flexID       `json:"id"`
	Name            flexString   `json:"name"`
	SKU             flexString   `json:"sku"`
	Barcode         flexString   `json:"barcode"`
	BarcodeType     flexString   `json:"barcode_type"`
	Description     flexString   `json:"description"`
	Status          flexString   `json:"status"`
	StockManagement flexString   `json:"stock_management"`
	ProductType     flexString   `json:"product_type"`
	Type            flexString   `json:"type"`
	CategoryID      flexID       `json:"category_id"`
	UnitGroup       flexID       `json:"unit_group"`
	TaxGroupID      flexID       `json:"tax_group_id"`
	TaxType         flexString   `json:"tax_type"`
	AccurateTrack   flexBool     `json:"accurate_tracking"`
	AutoCogs        flexBool     `json:"auto_cogs"`
	Expires         flexBool     `json:"expires"`
	OnExpiration    flexString   `json:"on_expiration"`
	Searchable      flexBool     `json:"searchable"`
	UpdatedAt       flexString   `json:"updated_at"`
	UnitQuantities  []unitRowDTO `json:"unit_quantities"`
}

// unitRowDTO is a row of nexopos_products_unit_quantities: one product in
// one unit, with its stock and prices.
type unitRowDTO struct {
	ID                 flexID     `json:"id"`
	ProductID          flexID     `json:"product_id"`
	UnitID             flexID     `json:"unit_id"`
	Quantity           num        `json:"quantity"`
	SalePrice          num        `json:"sale_price"`
	SalePriceEdit      num        `json:"sale_price_edit"`
	WholesalePriceEdit num        `json:"wholesale_price_edit"`
	LowQuantity        num        `json:"low_quantity"`
	StockAlertEnabled  flexBool   `json:"stock_alert_enabled"`
	Visible            flexBool   `json:"visible"`
	ConvertUnitID      flexID     `json:"convert_unit_id"`
	Cogs               num        `json:"cogs"`
	PreviewURL         flexString `json:"preview_url"`
	UpdatedAt          flexString `json:"updated_at"`
	Unit               *unitDTO   `json:"unit"`
	// CRUD listing joins (ns.products-units).
	UnitsIdentifier flexString `json:"units_identifier"`
}

// unitDTO is a row of nexopos_units.
type unitDTO struct {
	ID         flexID     `json:"id"`
	Name       flexString `json:"name"`
	Identifier flexString `json:"identifier"`
	GroupID    flexID     `json:"group_id"`
}

// paginator is Laravel's LengthAwarePaginator as the CRUD API returns it.
type paginator struct {
	CurrentPage flexInt           `json:"current_page"`
	LastPage    flexInt           `json:"last_page"`
	PerPage     flexInt           `json:"per_page"`
	Total       flexInt           `json:"total"`
	Data        []json.RawMessage `json:"data"`
}

// unmarshalNamed is json.Unmarshal whose error names the top-level field
// that could not be read (encoding/json does not for the flex types), so a
// held record's reason says which field and value were wrong.
func unmarshalNamed(raw []byte, v any) error {
	err := json.Unmarshal(raw, v)
	if err == nil {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		one, merr := json.Marshal(map[string]json.RawMessage{k: m[k]})
		if merr != nil {
			continue
		}
		fresh := reflect.New(reflect.TypeOf(v).Elem()).Interface()
		if ferr := json.Unmarshal(one, fresh); ferr != nil {
			return fmt.Errorf("field %q: %w", k, ferr)
		}
	}
	return err
}

func decodeProduct(raw []byte) (productDTO, error) {
	var p productDTO
	if err := unmarshalNamed(raw, &p); err != nil {
		return p, err
	}
	return p, validProduct(&p)
}

// validProduct checks what a decoded product row must have.
func validProduct(p *productDTO) error {
	if p.ID == "" {
		return errors.New("product without an id")
	}
	return nil
}

func decodeUnitRow(raw []byte) (unitRowDTO, error) {
	var r unitRowDTO
	if err := unmarshalNamed(raw, &r); err != nil {
		return r, err
	}
	return r, validUnitRow(&r)
}

// validUnitRow checks what a decoded unit row must have.
func validUnitRow(r *unitRowDTO) error {
	if r.ID == "" || r.ProductID == "" || r.UnitID == "" {
		return errors.New("unit row without id, product_id or unit_id")
	}
	return nil
}

func decodePaginator(raw []byte) (paginator, error) {
	var p paginator
	if err := unmarshalNamed(raw, &p); err != nil {
		return p, err
	}
	if p.Data == nil {
		return p, errors.New("paginator without data")
	}
	if p.LastPage < p.CurrentPage && len(p.Data) > 0 {
		return p, fmt.Errorf("paginator page %d beyond last page %d", p.CurrentPage, p.LastPage)
	}
	return p, nil
}

// idOf extracts the "id" of a raw record that failed to decode, for a Held
// entry; "" when even that is impossible.
func idOf(raw []byte) snapshot.ID {
	var v struct {
		ID flexID `json:"id"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return snapshot.ID(v.ID)
}

func reason(err error) string {
	s := err.Error()
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
