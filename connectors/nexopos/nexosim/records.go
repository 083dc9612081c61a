package nexosim

import (
	"encoding/json"
	"time"
)

// Timestamp is an Eloquent timestamp: it serialises as ISO-8601 UTC with
// microseconds, "2025-05-01T09:11:12.000000Z".
type Timestamp struct{ time.Time }

// MarshalJSON implements json.Marshaler.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format("2006-01-02T15:04:05.000000Z"))
}

// Product is a nexopos_products row as GET /api/products/{id} returns it.
type Product struct {
	ID               int       `json:"id"`
	Name             string    `json:"name"`
	TaxType          *string   `json:"tax_type"`
	TaxGroupID       *int      `json:"tax_group_id"`
	TaxValue         float64   `json:"tax_value"`
	ProductType      string    `json:"product_type"`
	Type             string    `json:"type"`
	AccurateTracking bool      `json:"accurate_tracking"`
	AutoCogs         bool      `json:"auto_cogs"`
	Status           string    `json:"status"`
	StockManagement  string    `json:"stock_management"`
	Barcode          string    `json:"barcode"`
	BarcodeType      string    `json:"barcode_type"`
	SKU              string    `json:"sku"`
	Description      *string   `json:"description"`
	ThumbnailID      *int      `json:"thumbnail_id"`
	CategoryID       int       `json:"category_id"`
	ParentID         int       `json:"parent_id"`
	UnitGroup        int       `json:"unit_group"`
	OnExpiration     string    `json:"on_expiration"`
	Expires          int       `json:"expires"`
	Searchable       int       `json:"searchable"`
	Author           int       `json:"author"`
	UUID             *string   `json:"uuid"`
	CreatedAt        Timestamp `json:"created_at"`
	UpdatedAt        Timestamp `json:"updated_at"`
}

// UnitQuantity is a nexopos_products_unit_quantities row: the stock and the
// prices of one product in one unit.
type UnitQuantity struct {
	ID                       int       `json:"id"`
	ProductID                int       `json:"product_id"`
	Type                     string    `json:"type"`
	PreviewURL               *string   `json:"preview_url"`
	ExpirationDate           *string   `json:"expiration_date"`
	UnitID                   int       `json:"unit_id"`
	Barcode                  string    `json:"barcode"`
	Quantity                 float64   `json:"quantity"`
	LowQuantity              float64   `json:"low_quantity"`
	StockAlertEnabled        int       `json:"stock_alert_enabled"`
	SalePrice                float64   `json:"sale_price"`
	SalePriceEdit            float64   `json:"sale_price_edit"`
	SalePriceWithoutTax      float64   `json:"sale_price_without_tax"`
	SalePriceWithTax         float64   `json:"sale_price_with_tax"`
	SalePriceTax             float64   `json:"sale_price_tax"`
	WholesalePrice           float64   `json:"wholesale_price"`
	WholesalePriceEdit       float64   `json:"wholesale_price_edit"`
	WholesalePriceWithTax    float64   `json:"wholesale_price_with_tax"`
	WholesalePriceWithoutTax float64   `json:"wholesale_price_without_tax"`
	WholesalePriceTax        float64   `json:"wholesale_price_tax"`
	CustomPrice              float64   `json:"custom_price"`
	CustomPriceEdit          float64   `json:"custom_price_edit"`
	CustomPriceWithTax       float64   `json:"custom_price_with_tax"`
	CustomPriceWithoutTax    float64   `json:"custom_price_without_tax"`
	CustomPriceTax           float64   `json:"custom_price_tax"`
	Visible                  int       `json:"visible"`
	ConvertUnitID            *int      `json:"convert_unit_id"`
	Cogs                     float64   `json:"cogs"`
	UUID                     *string   `json:"uuid"`
	CreatedAt                Timestamp `json:"created_at"`
	UpdatedAt                Timestamp `json:"updated_at"`
}

// Category is a nexopos_products_categories row.
type Category struct {
	ID            int       `json:"id"`
	Name          string    `json:"name"`
	ParentID      *int      `json:"parent_id"`
	MediaID       int       `json:"media_id"`
	PreviewURL    *string   `json:"preview_url"`
	DisplaysOnPOS int       `json:"displays_on_pos"`
	TotalItems    int       `json:"total_items"`
	Description   *string   `json:"description"`
	Author        int       `json:"author"`
	UUID          *string   `json:"uuid"`
	CreatedAt     Timestamp `json:"created_at"`
	UpdatedAt     Timestamp `json:"updated_at"`
}

// User is a nexopos_users row. Customers are users with the customer role
// (Role == RoleCustomer); the JSON is the whole row, password included, as
// the Customer model does not hide it.
type User struct {
	ID                   int       `json:"id"`
	Username             string    `json:"username"`
	Active               int       `json:"active"`
	Author               int       `json:"author"`
	Email                string    `json:"email"`
	Password             string    `json:"password"`
	GroupID              *int      `json:"group_id"`
	FirstName            *string   `json:"first_name"`
	LastName             *string   `json:"last_name"`
	Gender               *string   `json:"gender"`
	Phone                *string   `json:"phone"`
	Pobox                *string   `json:"pobox"`
	ActivationExpiration *string   `json:"activation_expiration"`
	TotalSalesCount      int       `json:"total_sales_count"`
	TotalSales           float64   `json:"total_sales"`
	BirthDate            *string   `json:"birth_date"`
	PurchasesAmount      float64   `json:"purchases_amount"`
	OwedAmount           float64   `json:"owed_amount"`
	CreditLimitAmount    float64   `json:"credit_limit_amount"`
	AccountAmount        float64   `json:"account_amount"`
	ActivationToken      *string   `json:"activation_token"`
	RememberToken        *string   `json:"remember_token"`
	CreatedAt            Timestamp `json:"created_at"`
	UpdatedAt            Timestamp `json:"updated_at"`
	Role                 string    `json:"-"`
}

// Roles of users.
const (
	RoleAdmin    = "admin"
	RoleCustomer = "nexopos.store.customer"
)

// Address is a customer address (nexopos_customers_addresses) or an order
// address (nexopos_orders_addresses); OwnerID is customer_id or order_id.
type Address struct {
	ID        int       `json:"id"`
	OwnerID   int       `json:"-"`
	Type      string    `json:"type"`
	Email     *string   `json:"email"`
	FirstName *string   `json:"first_name"`
	LastName  *string   `json:"last_name"`
	Phone     *string   `json:"phone"`
	Address1  *string   `json:"address_1"`
	Address2  *string   `json:"address_2"`
	Country   *string   `json:"country"`
	City      *string   `json:"city"`
	Pobox     *string   `json:"pobox"`
	Company   *string   `json:"company"`
	UUID      *string   `json:"uuid"`
	Author    int       `json:"author"`
	CreatedAt Timestamp `json:"created_at"`
	UpdatedAt Timestamp `json:"updated_at"`
}

// CustomerGroup is a nexopos_customers_groups row.
type CustomerGroup struct {
	ID                   int       `json:"id"`
	Name                 string    `json:"name"`
	Description          *string   `json:"description"`
	RewardSystemID       *int      `json:"reward_system_id"`
	MinimalCreditPayment float64   `json:"minimal_credit_payment"`
	Author               int       `json:"author"`
	UUID                 *string   `json:"uuid"`
	CreatedAt            Timestamp `json:"created_at"`
	UpdatedAt            Timestamp `json:"updated_at"`
}

// Unit is a nexopos_units row; base_unit is a real boolean (the model casts it).
type Unit struct {
	ID          int       `json:"id"`
	Name        string    `json:"name"`
	Identifier  string    `json:"identifier"`
	Description *string   `json:"description"`
	Author      int       `json:"author"`
	GroupID     int       `json:"group_id"`
	Value       float64   `json:"value"`
	PreviewURL  *string   `json:"preview_url"`
	BaseUnit    bool      `json:"base_unit"`
	UUID        *string   `json:"uuid"`
	CreatedAt   Timestamp `json:"created_at"`
	UpdatedAt   Timestamp `json:"updated_at"`
}

// UnitGroup is a nexopos_units_groups row.
type UnitGroup struct {
	ID          int       `json:"id"`
	Name        string    `json:"name"`
	Description *string   `json:"description"`
	Author      int       `json:"author"`
	UUID        *string   `json:"uuid"`
	CreatedAt   Timestamp `json:"created_at"`
	UpdatedAt   Timestamp `json:"updated_at"`
}

// TaxGroup is a nexopos_taxes_groups row; Taxes is filled on reads that load them.
type TaxGroup struct {
	ID          int       `json:"id"`
	Name        string    `json:"name"`
	Description *string   `json:"description"`
	Author      int       `json:"author"`
	UUID        *string   `json:"uuid"`
	CreatedAt   Timestamp `json:"created_at"`
	UpdatedAt   Timestamp `json:"updated_at"`
	Taxes       []Tax     `json:"taxes,omitempty"`
}

// Tax is a nexopos_taxes row.
type Tax struct {
	ID          int       `json:"id"`
	Name        string    `json:"name"`
	Rate        float64   `json:"rate"`
	TaxGroupID  int       `json:"tax_group_id"`
	Description *string   `json:"description"`
	Author      int       `json:"author"`
	CreatedAt   Timestamp `json:"created_at"`
	UpdatedAt   Timestamp `json:"updated_at"`
}

// PaymentType is a nexopos_payments_types row.
type PaymentType struct {
	ID          int       `json:"id"`
	Label       string    `json:"label"`
	Identifier  string    `json:"identifier"`
	Priority    int       `json:"priority"`
	Description *string   `json:"description"`
	Author      int       `json:"author"`
	Active      int       `json:"active"`
	Readonly    int       `json:"readonly"`
	CreatedAt   Timestamp `json:"created_at"`
	UpdatedAt   Timestamp `json:"updated_at"`
}

// HistoryRow is a nexopos_products_histories row (the stock ledger).
type HistoryRow struct {
	ID                   int       `json:"id"`
	ProductID            int       `json:"product_id"`
	ProcurementID        *int      `json:"procurement_id"`
	ProcurementProductID *int      `json:"procurement_product_id"`
	OrderID              *int      `json:"order_id"`
	OrderProductID       *int      `json:"order_product_id"`
	OperationType        string    `json:"operation_type"`
	UnitID               int       `json:"unit_id"`
	BeforeQuantity       float64   `json:"before_quantity"`
	Quantity             float64   `json:"quantity"`
	AfterQuantity        float64   `json:"after_quantity"`
	UnitPrice            float64   `json:"unit_price"`
	TotalPrice           float64   `json:"total_price"`
	Description          *string   `json:"description"`
	Author               int       `json:"author"`
	CreatedAt            Timestamp `json:"created_at"`
	UpdatedAt            Timestamp `json:"updated_at"`
}

// Order is a nexopos_orders row. Its created_at/updated_at are raw
// store-local "Y-m-d H:i:s" strings (the model has no timestamps).
type Order struct {
	ID                 int     `json:"id"`
	Description        *string `json:"description"`
	Code               string  `json:"code"`
	Title              *string `json:"title"`
	Type               string  `json:"type"`
	PaymentStatus      string  `json:"payment_status"`
	ProcessStatus      string  `json:"process_status"`
	DeliveryStatus     string  `json:"delivery_status"`
	Discount           float64 `json:"discount"`
	DiscountType       *string `json:"discount_type"`
	SupportInstalments bool    `json:"support_instalments"`
	DiscountPercentage float64 `json:"discount_percentage"`
	Shipping           float64 `json:"shipping"`
	ShippingRate       float64 `json:"shipping_rate"`
	ShippingType       *string `json:"shipping_type"`
	TotalWithoutTax    float64 `json:"total_without_tax"`
	Subtotal           float64 `json:"subtotal"`
	TotalWithTax       float64 `json:"total_with_tax"`
	TotalCoupons       float64 `json:"total_coupons"`
	TotalCogs          float64 `json:"total_cogs"`
	Total              float64 `json:"total"`
	TaxValue           float64 `json:"tax_value"`
	ProductsTaxValue   float64 `json:"products_tax_value"`
	TaxGroupID         *int    `json:"tax_group_id"`
	TaxType            *string `json:"tax_type"`
	Tendered           float64 `json:"tendered"`
	Change             float64 `json:"change"`
	FinalPaymentDate   *string `json:"final_payment_date"`
	TotalInstalments   int     `json:"total_instalments"`
	CustomerID         int     `json:"customer_id"`
	Note               *string `json:"note"`
	NoteVisibility     *string `json:"note_visibility"`
	Author             int     `json:"author"`
	UUID               *string `json:"uuid"`
	RegisterID         *int    `json:"register_id"`
	VoidanceReason     *string `json:"voidance_reason"`
	CreatedAt          string  `json:"created_at"`
	UpdatedAt          string  `json:"updated_at"`
	created            time.Time
}

// OrderProduct is a nexopos_orders_products row (an order line).
type OrderProduct struct {
	ID                   int       `json:"id"`
	Name                 string    `json:"name"`
	UnitName             *string   `json:"unit_name"`
	Mode                 string    `json:"mode"`
	ProductType          string    `json:"product_type"`
	ProductID            int       `json:"product_id"`
	OrderID              int       `json:"order_id"`
	UnitID               int       `json:"unit_id"`
	UnitQuantityID       int       `json:"unit_quantity_id"`
	ProductCategoryID    int       `json:"product_category_id"`
	ProcurementProductID *int      `json:"procurement_product_id"`
	TaxGroupID           *int      `json:"tax_group_id"`
	TaxType              *string   `json:"tax_type"`
	UUID                 *string   `json:"uuid"`
	Status               string    `json:"status"`
	ReturnObservations   *string   `json:"return_observations"`
	ReturnCondition      *string   `json:"return_condition"`
	DiscountType         *string   `json:"discount_type"`
	Discount             float64   `json:"discount"`
	Quantity             float64   `json:"quantity"`
	DiscountPercentage   float64   `json:"discount_percentage"`
	UnitPrice            float64   `json:"unit_price"`
	PriceWithTax         float64   `json:"price_with_tax"`
	PriceWithoutTax      float64   `json:"price_without_tax"`
	WholesaleTaxValue    float64   `json:"wholesale_tax_value"`
	SaleTaxValue         float64   `json:"sale_tax_value"`
	TaxValue             float64   `json:"tax_value"`
	Rate                 float64   `json:"rate"`
	TotalPrice           float64   `json:"total_price"`
	TotalPriceWithTax    float64   `json:"total_price_with_tax"`
	TotalPriceWithoutTax float64   `json:"total_price_without_tax"`
	TotalPurchasePrice   float64   `json:"total_purchase_price"`
	CreatedAt            Timestamp `json:"created_at"`
	UpdatedAt            Timestamp `json:"updated_at"`
}

// OrderPayment is a nexopos_orders_payments row.
type OrderPayment struct {
	ID         int       `json:"id"`
	OrderID    int       `json:"order_id"`
	Value      float64   `json:"value"`
	Author     int       `json:"author"`
	Identifier string    `json:"identifier"`
	UUID       *string   `json:"uuid"`
	CreatedAt  Timestamp `json:"created_at"`
	UpdatedAt  Timestamp `json:"updated_at"`
}
