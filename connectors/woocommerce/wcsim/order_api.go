package wcsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/woonexo/woonexo/snapshot"
)

type itemMetaJSON struct {
	ID           int             `json:"id"`
	Key          string          `json:"key"`
	Value        json.RawMessage `json:"value"`
	DisplayKey   string          `json:"display_key"`
	DisplayValue json.RawMessage `json:"display_value"`
}

type lineItemJSON struct {
	ID          int            `json:"id"`
	Name        string         `json:"name"`
	ProductID   int            `json:"product_id"`
	VariationID int            `json:"variation_id"`
	Quantity    int            `json:"quantity"`
	TaxClass    string         `json:"tax_class"`
	Subtotal    string         `json:"subtotal"`
	SubtotalTax string         `json:"subtotal_tax"`
	Total       string         `json:"total"`
	TotalTax    string         `json:"total_tax"`
	Taxes       []any          `json:"taxes"`
	MetaData    []itemMetaJSON `json:"meta_data"`
	SKU         *string        `json:"sku"`
	Price       json.Number    `json:"price"`
	Image       map[string]any `json:"image"`
	ParentName  *string        `json:"parent_name"`
}

type shippingLineJSON struct {
	ID          int    `json:"id"`
	MethodTitle string `json:"method_title"`
	MethodID    string `json:"method_id"`
	InstanceID  string `json:"instance_id"`
	Total       string `json:"total"`
	TotalTax    string `json:"total_tax"`
	Taxes       []any  `json:"taxes"`
	MetaData    []Meta `json:"meta_data"`
}

type feeLineJSON struct {
	ID        int    `json:"id"`
	Name      string `json:"name"`
	TaxClass  string `json:"tax_class"`
	TaxStatus string `json:"tax_status"`
	Amount    string `json:"amount"`
	Total     string `json:"total"`
	TotalTax  string `json:"total_tax"`
	Taxes     []any  `json:"taxes"`
	MetaData  []Meta `json:"meta_data"`
}

type orderBilling struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

type orderShipping struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Phone     string `json:"phone"`
}

type orderJSON struct {
	ID                 int                `json:"id"`
	ParentID           int                `json:"parent_id"`
	Status             string             `json:"status"`
	Currency           string             `json:"currency"`
	Version            string             `json:"version"`
	PricesIncludeTax   bool               `json:"prices_include_tax"`
	DateCreated        string             `json:"date_created"`
	DateModified       string             `json:"date_modified"`
	DiscountTotal      string             `json:"discount_total"`
	DiscountTax        string             `json:"discount_tax"`
	ShippingTotal      string             `json:"shipping_total"`
	ShippingTax        string             `json:"shipping_tax"`
	CartTax            string             `json:"cart_tax"`
	Total              string             `json:"total"`
	TotalTax           string             `json:"total_tax"`
	CustomerID         int                `json:"customer_id"`
	OrderKey           string             `json:"order_key"`
	Billing            orderBilling       `json:"billing"`
	Shipping           orderShipping      `json:"shipping"`
	PaymentMethod      string             `json:"payment_method"`
	PaymentMethodTitle string             `json:"payment_method_title"`
	TransactionID      string             `json:"transaction_id"`
	CustomerIPAddress  string             `json:"customer_ip_address"`
	CustomerUserAgent  string             `json:"customer_user_agent"`
	CreatedVia         string             `json:"created_via"`
	CustomerNote       string             `json:"customer_note"`
	DateCompleted      *string            `json:"date_completed"`
	DatePaid           *string            `json:"date_paid"`
	CartHash           string             `json:"cart_hash"`
	Number             string             `json:"number"`
	MetaData           []Meta             `json:"meta_data"`
	LineItems          []lineItemJSON     `json:"line_items"`
	TaxLines           []any              `json:"tax_lines"`
	ShippingLines      []shippingLineJSON `json:"shipping_lines"`
	FeeLines           []feeLineJSON      `json:"fee_lines"`
	CouponLines        []any              `json:"coupon_lines"`
	Refunds            []any              `json:"refunds"`
	PaymentURL         string             `json:"payment_url"`
	IsEditable         bool               `json:"is_editable"`
	NeedsPayment       bool               `json:"needs_payment"`
	NeedsProcessing    bool               `json:"needs_processing"`
	DateCreatedGMT     string             `json:"date_created_gmt"`
	DateModifiedGMT    string             `json:"date_modified_gmt"`
	DateCompletedGMT   *string            `json:"date_completed_gmt"`
	DatePaidGMT        *string            `json:"date_paid_gmt"`
	CurrencySymbol     string             `json:"currency_symbol"`
	Links              map[string]any     `json:"_links"`
}

func (s *Sim) renderOrder(o *Order, base string) orderJSON {
	zero := s.money(snapshot.Decimal{})
	t := o.totals()
	home := strings.TrimSuffix(base, "/wp-json/wc/v3/")
	j := orderJSON{
		ID: o.ID, ParentID: o.ParentID, Status: o.Status, Currency: o.Currency, Version: s.opts.Version,
		DateCreated: s.local(o.DateCreated), DateModified: s.local(o.DateModified),
		DiscountTotal: zero, DiscountTax: zero, ShippingTotal: s.money(t.shipping), ShippingTax: zero, CartTax: zero,
		Total: s.money(t.total), TotalTax: zero, CustomerID: o.CustomerID, OrderKey: o.OrderKey,
		Billing:       orderBilling{o.Billing.FirstName, o.Billing.LastName, o.Billing.Company, o.Billing.Address1, o.Billing.Address2, o.Billing.City, o.Billing.State, o.Billing.Postcode, o.Billing.Country, o.Billing.Email, o.Billing.Phone},
		Shipping:      orderShipping{o.Shipping.FirstName, o.Shipping.LastName, o.Shipping.Company, o.Shipping.Address1, o.Shipping.Address2, o.Shipping.City, o.Shipping.State, o.Shipping.Postcode, o.Shipping.Country, o.Shipping.Phone},
		PaymentMethod: o.PaymentMethod, PaymentMethodTitle: o.PaymentMethodTitle, TransactionID: o.TransactionID,
		CreatedVia: o.CreatedVia, CustomerNote: o.CustomerNote,
		DateCompleted: s.localPtr(o.DateCompleted), DatePaid: s.localPtr(o.DatePaid), Number: itoa(o.ID),
		MetaData: metaOut(o.MetaData), LineItems: []lineItemJSON{}, TaxLines: []any{},
		ShippingLines: []shippingLineJSON{}, FeeLines: []feeLineJSON{}, CouponLines: []any{}, Refunds: []any{},
		PaymentURL:      fmt.Sprintf("%s/checkout/order-pay/%d/?pay_for_order=true&key=%s", home, o.ID, o.OrderKey),
		IsEditable:      o.Status == "pending" || o.Status == "on-hold" || o.Status == "auto-draft" || o.Status == "failed",
		NeedsPayment:    (o.Status == "pending" || o.Status == "failed") && t.total.Cmp(snapshot.Decimal{}) > 0,
		NeedsProcessing: s.needsProcessing(o),
		DateCreatedGMT:  gmt(o.DateCreated), DateModifiedGMT: gmt(o.DateModified),
		DateCompletedGMT: gmtPtr(o.DateCompleted), DatePaidGMT: gmtPtr(o.DatePaid),
		CurrencySymbol: currencySymbol(o.Currency),
		Links: map[string]any{
			"self":       []map[string]string{{"href": fmt.Sprintf("%sorders/%d", base, o.ID)}},
			"collection": []map[string]string{{"href": base + "orders"}},
		},
	}
	if o.CustomerID != 0 {
		j.Links["customer"] = []map[string]string{{"href": fmt.Sprintf("%scustomers/%d", base, o.CustomerID)}}
	}
	for _, li := range o.LineItems {
		j.LineItems = append(j.LineItems, s.renderLineItem(li))
	}
	for _, sl := range o.ShippingLines {
		j.ShippingLines = append(j.ShippingLines, shippingLineJSON{sl.ID, sl.MethodTitle, sl.MethodID, sl.InstanceID,
			s.money(dec(sl.Total)), zero, []any{}, metaOut(sl.MetaData)})
	}
	for _, f := range o.FeeLines {
		j.FeeLines = append(j.FeeLines, feeLineJSON{f.ID, f.Name, f.TaxClass, f.TaxStatus, f.Amount, s.money(dec(f.Total)), zero, []any{}, metaOut(f.MetaData)})
	}
	return j
}

func (s *Sim) renderLineItem(li LineItem) lineItemJSON {
	zero := s.money(snapshot.Decimal{})
	j := lineItemJSON{ID: li.ID, Name: li.Name, ProductID: li.ProductID, VariationID: li.VariationID, Quantity: li.Quantity,
		TaxClass: li.TaxClass, Subtotal: s.money(dec(li.Subtotal)), SubtotalTax: zero, Total: s.money(dec(li.Total)),
		TotalTax: zero, Taxes: []any{}, MetaData: []itemMetaJSON{}, Image: map[string]any{"id": 0, "src": ""}}
	for _, m := range li.MetaData {
		j.MetaData = append(j.MetaData, itemMetaJSON{m.ID, m.Key, m.Value, m.Key, m.Value})
	}
	if p, ok := s.st.products[li.ProductID]; ok {
		sku := p.SKU
		j.SKU = &sku
		j.Image["id"] = ""
	}
	price := snapshot.Decimal{}
	if li.Quantity != 0 {
		price = snapshot.DecimalFromMicros(dec(li.Total).Micros() / int64(li.Quantity))
	}
	j.Price = json.Number(price.String())
	return j
}

type lineItemIn struct {
	ID          *int            `json:"id"`
	Name        *string         `json:"name"`
	ProductID   json.RawMessage `json:"product_id"`
	VariationID *int            `json:"variation_id"`
	SKU         *string         `json:"sku"`
	Quantity    *json.Number    `json:"quantity"`
	Subtotal    *flexString     `json:"subtotal"`
	Total       *flexString     `json:"total"`
	MetaData    []metaIn        `json:"meta_data"`
}

type shippingLineIn struct {
	ID          *int        `json:"id"`
	MethodTitle *string     `json:"method_title"`
	MethodID    *string     `json:"method_id"`
	InstanceID  *string     `json:"instance_id"`
	Total       *flexString `json:"total"`
	MetaData    []metaIn    `json:"meta_data"`
}

type feeLineIn struct {
	ID        *int        `json:"id"`
	Name      *string     `json:"name"`
	TaxClass  *string     `json:"tax_class"`
	TaxStatus *string     `json:"tax_status"`
	Total     *flexString `json:"total"`
	MetaData  []metaIn    `json:"meta_data"`
}

type orderIn struct {
	ID                 json.RawMessage  `json:"id"`
	ParentID           *int             `json:"parent_id"`
	Status             *string          `json:"status"`
	Currency           *string          `json:"currency"`
	CustomerID         *int             `json:"customer_id"`
	CustomerNote       *string          `json:"customer_note"`
	Billing            *addressIn       `json:"billing"`
	Shipping           *addressIn       `json:"shipping"`
	PaymentMethod      *string          `json:"payment_method"`
	PaymentMethodTitle *string          `json:"payment_method_title"`
	TransactionID      *string          `json:"transaction_id"`
	MetaData           []metaIn         `json:"meta_data"`
	LineItems          []lineItemIn     `json:"line_items"`
	ShippingLines      []shippingLineIn `json:"shipping_lines"`
	FeeLines           []feeLineIn      `json:"fee_lines"`
	SetPaid            *flexBool        `json:"set_paid"`
}

func errOrderID(status int) *apiError {
	return errf(status, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
}

// applyOrder writes everything but status and set_paid onto o.
func (s *Sim) applyOrder(o *Order, in *orderIn, create bool) *apiError {
	if in.CustomerID != nil {
		if *in.CustomerID != 0 {
			if _, ok := s.st.users[*in.CustomerID]; !ok {
				return errf(400, "woocommerce_rest_invalid_customer_id", "Customer ID is invalid.")
			}
		}
		o.CustomerID = *in.CustomerID
	}
	if in.Status != nil {
		if e := oneOf("status", *in.Status, orderStatuses); e != nil {
			return e
		}
	}
	for _, f := range []struct {
		src *string
		dst *string
	}{{in.Currency, &o.Currency}, {in.CustomerNote, &o.CustomerNote}, {in.PaymentMethod, &o.PaymentMethod},
		{in.PaymentMethodTitle, &o.PaymentMethodTitle}, {in.TransactionID, &o.TransactionID}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if in.ParentID != nil {
		o.ParentID = *in.ParentID
	}
	in.Billing.apply(&o.Billing)
	in.Shipping.apply(&o.Shipping)
	o.Shipping.Email = ""
	if in.MetaData != nil {
		o.MetaData = s.st.applyMeta(append([]Meta(nil), o.MetaData...), in.MetaData)
	}
	for _, li := range in.LineItems {
		if e := s.applyLineItem(o, li, create); e != nil {
			return e
		}
	}
	for _, sl := range in.ShippingLines {
		if e := s.applyShippingLine(o, sl); e != nil {
			return e
		}
	}
	for _, f := range in.FeeLines {
		if e := s.applyFeeLine(o, f); e != nil {
			return e
		}
	}
	return nil
}

func (s *Sim) applyLineItem(o *Order, in lineItemIn, create bool) *apiError {
	var qty *int
	if in.Quantity != nil {
		n, err := in.Quantity.Int64()
		if err != nil {
			return invalidParam("line_items", "rest_invalid_type", "line_items[0][quantity] is not of type integer.")
		}
		q := int(n)
		qty = &q
	}
	productNull := string(in.ProductID) == "null"
	var pid *int
	if len(in.ProductID) > 0 && !productNull {
		var n json.Number
		if err := json.Unmarshal(bytes.Trim(in.ProductID, `"`), &n); err != nil {
			if err2 := json.Unmarshal(in.ProductID, &n); err2 != nil {
				return invalidParam("line_items", "rest_invalid_type", "line_items[0][product_id] is not of type integer.")
			}
		}
		v, _ := n.Int64()
		x := int(v)
		pid = &x
	}
	if in.ID != nil {
		for i := range o.LineItems {
			if o.LineItems[i].ID != *in.ID {
				continue
			}
			if (qty != nil && *qty == 0) || productNull {
				o.LineItems = append(o.LineItems[:i:i], o.LineItems[i+1:]...)
				return nil
			}
			li := &o.LineItems[i]
			if qty != nil {
				li.Quantity = *qty
			}
			if in.Name != nil {
				li.Name = *in.Name
			}
			if in.Subtotal != nil {
				li.Subtotal = string(*in.Subtotal)
			}
			if in.Total != nil {
				li.Total = string(*in.Total)
			}
			if in.MetaData != nil {
				li.MetaData = s.st.applyMeta(li.MetaData, in.MetaData)
			}
			return nil
		}
		return errf(400, "woocommerce_rest_invalid_item_id", "Order item ID provided is not associated with order.")
	}
	if pid == nil && in.VariationID == nil && (in.SKU == nil || *in.SKU == "") {
		return errf(400, "woocommerce_rest_required_product_reference", "Product ID or SKU is required.")
	}
	li := LineItem{ID: s.st.newItemID(), Quantity: 1}
	if qty != nil {
		li.Quantity = *qty
	}
	switch {
	case in.SKU != nil && *in.SKU != "":
		for id := range s.st.skus[*in.SKU] {
			if p := s.st.products[id]; p != nil && p.Status != "trash" {
				li.ProductID = id
				break
			}
		}
	case in.VariationID != nil && *in.VariationID != 0:
		li.ProductID = *in.VariationID
	case pid != nil:
		li.ProductID = *pid
	}
	p, ok := s.st.products[li.ProductID]
	if !ok {
		li.ProductID = 0
	}
	if in.Name != nil {
		li.Name = *in.Name
	} else if ok {
		li.Name = p.Name
	}
	var catalogue snapshot.Decimal
	if ok {
		price, _ := activePrice(p)
		catalogue = dec(price).MulInt(int64(li.Quantity))
	}
	switch {
	case in.Total != nil:
		li.Total = string(*in.Total)
	case in.Subtotal != nil:
		li.Total = string(*in.Subtotal)
	default:
		li.Total = catalogue.String()
	}
	switch {
	case in.Subtotal != nil:
		li.Subtotal = string(*in.Subtotal)
	case ok:
		li.Subtotal = catalogue.String()
	default:
		li.Subtotal = li.Total
	}
	if in.MetaData != nil {
		li.MetaData = s.st.applyMeta(nil, in.MetaData)
	}
	o.LineItems = append(o.LineItems, li)
	return nil
}

func (s *Sim) applyShippingLine(o *Order, in shippingLineIn) *apiError {
	if in.ID != nil {
		for i := range o.ShippingLines {
			if o.ShippingLines[i].ID == *in.ID {
				sl := &o.ShippingLines[i]
				if in.MethodID != nil {
					sl.MethodID = *in.MethodID
				}
				if in.MethodTitle != nil {
					sl.MethodTitle = *in.MethodTitle
				}
				if in.Total != nil {
					sl.Total = string(*in.Total)
				}
				return nil
			}
		}
		return errf(400, "woocommerce_rest_invalid_item_id", "Order item ID provided is not associated with order.")
	}
	if in.MethodID == nil || *in.MethodID == "" {
		return errf(400, "woocommerce_rest_invalid_shipping_item", "Shipping method ID is required.")
	}
	sl := ShippingLine{ID: s.st.newItemID(), MethodID: *in.MethodID}
	if in.MethodTitle != nil {
		sl.MethodTitle = *in.MethodTitle
	}
	if in.InstanceID != nil {
		sl.InstanceID = *in.InstanceID
	}
	if in.Total != nil {
		sl.Total = string(*in.Total)
	}
	sl.MetaData = s.st.applyMeta(nil, in.MetaData)
	o.ShippingLines = append(o.ShippingLines, sl)
	return nil
}

func (s *Sim) applyFeeLine(o *Order, in feeLineIn) *apiError {
	if in.ID != nil {
		for i := range o.FeeLines {
			if o.FeeLines[i].ID == *in.ID {
				if in.Total != nil {
					o.FeeLines[i].Total = string(*in.Total)
					o.FeeLines[i].Amount = string(*in.Total)
				}
				if in.Name != nil {
					o.FeeLines[i].Name = *in.Name
				}
				return nil
			}
		}
		return errf(400, "woocommerce_rest_invalid_item_id", "Order item ID provided is not associated with order.")
	}
	if in.Name == nil || *in.Name == "" {
		return errf(400, "woocommerce_rest_invalid_fee_item", "Fee name is required.")
	}
	f := FeeLine{ID: s.st.newItemID(), Name: *in.Name, TaxStatus: "taxable"}
	if in.TaxStatus != nil {
		f.TaxStatus = *in.TaxStatus
	}
	if in.TaxClass != nil {
		f.TaxClass = *in.TaxClass
	}
	if in.Total != nil {
		f.Total, f.Amount = string(*in.Total), string(*in.Total)
	}
	f.MetaData = s.st.applyMeta(nil, in.MetaData)
	o.FeeLines = append(o.FeeLines, f)
	return nil
}
