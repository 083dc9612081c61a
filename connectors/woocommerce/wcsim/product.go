package wcsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// Product is a product as the store keeps it. Read-only REST fields
// (price, on_sale, permalink, ...) are derived when rendered.
type Product struct {
	ID                int
	Name              string
	Slug              string
	Type              string // simple (default), grouped, external, variable
	Status            string // publish (default), draft, pending, private, future, trash
	Featured          bool
	CatalogVisibility string
	Description       string
	ShortDescription  string
	SKU               string
	RegularPrice      string // kept as sent ("12.5", "10.00")
	SalePrice         string
	DateCreated       time.Time // UTC
	DateModified      time.Time // UTC
	Virtual           bool
	Downloadable      bool
	TaxStatus         string
	TaxClass          string
	ManageStock       bool
	StockQuantity     *int // nil unless ManageStock
	StockStatus       string
	Backorders        string
	LowStockAmount    *int
	Weight            string
	CategoryIDs       []int
	ParentID          int
	MenuOrder         int
	TotalSales        int
	MetaData          []Meta

	trashedStatus string // status before trashing
	trashedSlug   string
}

type dims struct {
	Length string `json:"length"`
	Width  string `json:"width"`
	Height string `json:"height"`
}

type termRef struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// productJSON is the wc/v3 product object in 7.8.2's key order.
type productJSON struct {
	ID                int            `json:"id"`
	Name              string         `json:"name"`
	Slug              string         `json:"slug"`
	Permalink         string         `json:"permalink"`
	DateCreated       string         `json:"date_created"`
	DateCreatedGMT    string         `json:"date_created_gmt"`
	DateModified      string         `json:"date_modified"`
	DateModifiedGMT   string         `json:"date_modified_gmt"`
	Type              string         `json:"type"`
	Status            string         `json:"status"`
	Featured          bool           `json:"featured"`
	CatalogVisibility string         `json:"catalog_visibility"`
	Description       string         `json:"description"`
	ShortDescription  string         `json:"short_description"`
	SKU               string         `json:"sku"`
	Price             string         `json:"price"`
	RegularPrice      string         `json:"regular_price"`
	SalePrice         string         `json:"sale_price"`
	DateOnSaleFrom    *string        `json:"date_on_sale_from"`
	DateOnSaleFromGMT *string        `json:"date_on_sale_from_gmt"`
	DateOnSaleTo      *string        `json:"date_on_sale_to"`
	DateOnSaleToGMT   *string        `json:"date_on_sale_to_gmt"`
	OnSale            bool           `json:"on_sale"`
	Purchasable       bool           `json:"purchasable"`
	TotalSales        int            `json:"total_sales"`
	Virtual           bool           `json:"virtual"`
	Downloadable      bool           `json:"downloadable"`
	Downloads         []any          `json:"downloads"`
	DownloadLimit     int            `json:"download_limit"`
	DownloadExpiry    int            `json:"download_expiry"`
	ExternalURL       string         `json:"external_url"`
	ButtonText        string         `json:"button_text"`
	TaxStatus         string         `json:"tax_status"`
	TaxClass          string         `json:"tax_class"`
	ManageStock       bool           `json:"manage_stock"`
	StockQuantity     *int           `json:"stock_quantity"`
	Backorders        string         `json:"backorders"`
	BackordersAllowed bool           `json:"backorders_allowed"`
	Backordered       bool           `json:"backordered"`
	LowStockAmount    *int           `json:"low_stock_amount"`
	SoldIndividually  bool           `json:"sold_individually"`
	Weight            string         `json:"weight"`
	Dimensions        dims           `json:"dimensions"`
	ShippingRequired  bool           `json:"shipping_required"`
	ShippingTaxable   bool           `json:"shipping_taxable"`
	ShippingClass     string         `json:"shipping_class"`
	ShippingClassID   int            `json:"shipping_class_id"`
	ReviewsAllowed    bool           `json:"reviews_allowed"`
	AverageRating     string         `json:"average_rating"`
	RatingCount       int            `json:"rating_count"`
	UpsellIDs         []int          `json:"upsell_ids"`
	CrossSellIDs      []int          `json:"cross_sell_ids"`
	ParentID          int            `json:"parent_id"`
	PurchaseNote      string         `json:"purchase_note"`
	Categories        []termRef      `json:"categories"`
	Tags              []termRef      `json:"tags"`
	Images            []any          `json:"images"`
	Attributes        []any          `json:"attributes"`
	DefaultAttributes []any          `json:"default_attributes"`
	Variations        []int          `json:"variations"`
	GroupedProducts   []int          `json:"grouped_products"`
	MenuOrder         int            `json:"menu_order"`
	PriceHTML         string         `json:"price_html"`
	RelatedIDs        []int          `json:"related_ids"`
	MetaData          []Meta         `json:"meta_data"`
	StockStatus       string         `json:"stock_status"`
	HasOptions        bool           `json:"has_options"`
	PermalinkTemplate *string        `json:"permalink_template,omitempty"`
	GeneratedSlug     *string        `json:"generated_slug,omitempty"`
	Links             map[string]any `json:"_links"`
}

// activePrice is §3.4: the sale price when set and below the regular price.
func activePrice(p *Product) (string, bool) {
	if p.SalePrice != "" {
		sale, err1 := snapshot.ParseDecimal(p.SalePrice)
		reg, err2 := snapshot.ParseDecimal(p.RegularPrice)
		if err1 == nil && (err2 != nil || p.RegularPrice == "" || sale.Cmp(reg) < 0) {
			return p.SalePrice, true
		}
	}
	return p.RegularPrice, false
}

func (s *Sim) moneyHTML(v string) string {
	d, err := snapshot.ParseDecimal(v)
	if err != nil {
		return ""
	}
	return `<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">` +
		currencySymbol(s.opts.Currency) + `</span>` + d.StringFixed(s.opts.PriceDecimals) + `</bdi></span>`
}

// wpautop is the view-context rendering of descriptions, reduced to
// wrapping plain text in a paragraph.
func wpautop(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	if !strings.HasPrefix(s, "<p>") {
		s = "<p>" + s + "</p>"
	}
	return s + "\n"
}

func (s *Sim) renderProduct(p *Product, base string, edit bool) productJSON {
	price, onSale := activePrice(p)
	home := strings.TrimSuffix(base, "/wp-json/wc/v3/")
	j := productJSON{
		ID: p.ID, Name: p.Name, Slug: p.Slug, Permalink: home + "/product/" + p.Slug + "/",
		DateCreated: s.local(p.DateCreated), DateCreatedGMT: gmt(p.DateCreated),
		DateModified: s.local(p.DateModified), DateModifiedGMT: gmt(p.DateModified),
		Type: p.Type, Status: p.Status, Featured: p.Featured, CatalogVisibility: p.CatalogVisibility,
		Description: p.Description, ShortDescription: p.ShortDescription, SKU: p.SKU,
		Price: price, RegularPrice: p.RegularPrice, SalePrice: p.SalePrice, OnSale: onSale,
		Purchasable: price != "", TotalSales: p.TotalSales, Virtual: p.Virtual, Downloadable: p.Downloadable,
		Downloads: []any{}, DownloadLimit: -1, DownloadExpiry: -1, TaxStatus: p.TaxStatus, TaxClass: p.TaxClass,
		ManageStock: p.ManageStock, StockQuantity: p.StockQuantity, Backorders: p.Backorders,
		BackordersAllowed: p.Backorders != "no", LowStockAmount: p.LowStockAmount, Weight: p.Weight,
		ShippingRequired: !p.Virtual, ShippingTaxable: !p.Virtual && p.TaxStatus != "none", ReviewsAllowed: true,
		AverageRating: "0.00", UpsellIDs: []int{}, CrossSellIDs: []int{}, ParentID: p.ParentID,
		Categories: []termRef{}, Tags: []termRef{}, Images: []any{}, Attributes: []any{},
		DefaultAttributes: []any{}, Variations: []int{}, GroupedProducts: []int{}, MenuOrder: p.MenuOrder,
		RelatedIDs: []int{}, MetaData: metaOut(p.MetaData), StockStatus: p.StockStatus,
		Links: map[string]any{
			"self":       []map[string]string{{"href": fmt.Sprintf("%sproducts/%d", base, p.ID)}},
			"collection": []map[string]string{{"href": base + "products"}},
		},
	}
	if p.ManageStock && p.StockQuantity != nil && *p.StockQuantity < 0 && p.Backorders != "no" {
		j.Backordered = true
	}
	if p.Status == "trash" {
		j.Permalink = fmt.Sprintf("%s/?post_type=product&p=%d", home, p.ID)
	}
	if !edit {
		j.Description = wpautop(p.Description)
		j.ShortDescription = wpautop(p.ShortDescription)
	} else {
		tpl, gen := home+"/product/%pagename%/", p.Slug
		j.PermalinkTemplate, j.GeneratedSlug = &tpl, &gen
	}
	if onSale {
		j.PriceHTML = "<del aria-hidden=\"true\">" + s.moneyHTML(p.RegularPrice) + "</del> <ins>" + s.moneyHTML(p.SalePrice) + "</ins>"
	} else if price != "" {
		j.PriceHTML = s.moneyHTML(price)
	}
	for _, id := range p.CategoryIDs {
		if c, ok := s.st.categories[id]; ok {
			j.Categories = append(j.Categories, termRef{ID: c.ID, Name: c.Name, Slug: c.Slug})
		}
	}
	return j
}

// flexString accepts a JSON string or number (prices).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

// flexBool accepts WordPress' loose booleans.
type flexBool bool

var errNotBool = errors.New("not a boolean")

func (f *flexBool) UnmarshalJSON(b []byte) error {
	switch strings.ToLower(strings.Trim(string(b), `"`)) {
	case "true", "1", "yes":
		*f = true
	case "false", "0", "no", "":
		*f = false
	default:
		return errNotBool
	}
	return nil
}

type idRef struct {
	ID int `json:"id"`
}

type productIn struct {
	ID                json.RawMessage `json:"id"`
	Name              *string         `json:"name"`
	Slug              *string         `json:"slug"`
	Type              *string         `json:"type"`
	Status            *string         `json:"status"`
	Featured          *flexBool       `json:"featured"`
	CatalogVisibility *string         `json:"catalog_visibility"`
	Description       *string         `json:"description"`
	ShortDescription  *string         `json:"short_description"`
	SKU               *string         `json:"sku"`
	RegularPrice      *flexString     `json:"regular_price"`
	SalePrice         *flexString     `json:"sale_price"`
	Virtual           *flexBool       `json:"virtual"`
	Downloadable      *flexBool       `json:"downloadable"`
	TaxStatus         *string         `json:"tax_status"`
	TaxClass          *string         `json:"tax_class"`
	ManageStock       *flexBool       `json:"manage_stock"`
	StockQuantity     json.RawMessage `json:"stock_quantity"`
	InventoryDelta    json.RawMessage `json:"inventory_delta"`
	StockStatus       *string         `json:"stock_status"`
	Backorders        *string         `json:"backorders"`
	LowStockAmount    json.RawMessage `json:"low_stock_amount"`
	Weight            *string         `json:"weight"`
	Categories        *[]idRef        `json:"categories"`
	ParentID          *int            `json:"parent_id"`
	MenuOrder         *int            `json:"menu_order"`
	MetaData          []metaIn        `json:"meta_data"`
	DateCreated       *string         `json:"date_created"`
	DateCreatedGMT    *string         `json:"date_created_gmt"`
}

// decodeBody decodes a JSON object into v, mapping type errors to WordPress'
// rest_invalid_param for the field.
func decodeBody(b []byte, v any) *apiError {
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		var te *json.UnmarshalTypeError
		field := "body"
		if errors.As(err, &te) && te.Field != "" {
			field = te.Field
		}
		return invalidParam(field, "rest_invalid_type", field+" is not of type "+typeName(te)+".")
	}
	return nil
}

func typeName(te *json.UnmarshalTypeError) string {
	if te == nil {
		return "object"
	}
	switch te.Type.Kind().String() {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "int", "int64":
		return "integer"
	case "slice":
		return "array"
	}
	return "object"
}

// intOrNull reads an integer field that may be null; fractional numbers
// are rest_invalid_type as in 7.8.2.
func intOrNull(name string, raw json.RawMessage) (*int, bool, *apiError) {
	if raw == nil {
		return nil, false, nil
	}
	if string(raw) == "null" || string(raw) == `""` {
		return nil, true, nil
	}
	t := strings.Trim(string(raw), `"`)
	if n, err := strconv.Atoi(t); err == nil {
		return &n, true, nil
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil && f == float64(int(f)) {
		n := int(f)
		return &n, true, nil
	}
	return nil, true, invalidParam(name, "rest_invalid_type", name+" is not of type integer.")
}

var productStatuses = map[string]bool{"publish": true, "draft": true, "pending": true, "private": true, "future": true, "trash": true}

// cleanPrice is wc_format_decimal on input: the comma is a thousands
// separator and is dropped; everything else is kept verbatim.
func cleanPrice(v flexString) string {
	return strings.TrimSpace(strings.ReplaceAll(string(v), ",", ""))
}
