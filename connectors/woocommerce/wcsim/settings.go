package wcsim

import (
	"net/http"
	"strings"
)

// Gateway is a payment gateway.
type Gateway struct {
	ID                string
	Title             string
	Description       string
	Order             any // int, or "" when never sorted (as on a fresh store)
	Enabled           bool
	MethodTitle       string
	MethodDescription string
}

func defaultGateways() []*Gateway {
	return []*Gateway{
		{ID: "bacs", Title: "Direct bank transfer", Description: "Make your payment directly into our bank account. Please use your Order ID as the payment reference. Your order will not be shipped until the funds have cleared in our account.", Order: "", MethodTitle: "Direct bank transfer", MethodDescription: "Take payments in person via BACS. More commonly known as direct bank/wire transfer."},
		{ID: "cheque", Title: "Check payments", Description: "Please send a check to Store Name, Store Street, Store Town, Store State / County, Store Postcode.", Order: "", MethodTitle: "Check payments", MethodDescription: "Take payments in person via checks. This offline gateway can also be useful to test purchases."},
		{ID: "cod", Title: "Cash on delivery", Description: "Pay with cash upon delivery.", Order: "", MethodTitle: "Cash on delivery", MethodDescription: "Have your customers pay with cash (or by other means) upon delivery."},
	}
}

type settingJSON struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Description string `json:"description"`
	Type        string `json:"type"`
	Value       string `json:"value"`
	Default     string `json:"default"`
	Tip         string `json:"tip"`
	Placeholder string `json:"placeholder"`
	Options     any    `json:"options,omitempty"`
}

type gatewayJSON struct {
	ID                   string                 `json:"id"`
	Title                string                 `json:"title"`
	Description          string                 `json:"description"`
	Order                any                    `json:"order"`
	Enabled              bool                   `json:"enabled"`
	MethodTitle          string                 `json:"method_title"`
	MethodDescription    string                 `json:"method_description"`
	MethodSupports       []string               `json:"method_supports"`
	Settings             map[string]settingJSON `json:"settings"`
	NeedsSetup           bool                   `json:"needs_setup"`
	PostInstallScripts   []any                  `json:"post_install_scripts"`
	SettingsURL          string                 `json:"settings_url"`
	ConnectionURL        *string                `json:"connection_url"`
	SetupHelpText        *string                `json:"setup_help_text"`
	RequiredSettingsKeys []string               `json:"required_settings_keys"`
	Links                map[string]any         `json:"_links"`
}

func (s *Sim) renderGateway(g *Gateway, base string) gatewayJSON {
	home := strings.TrimSuffix(base, "/wp-json/wc/v3/")
	tip := "This controls the title which the user sees during checkout."
	settings := map[string]settingJSON{
		"title":        {ID: "title", Label: "Title", Description: tip, Type: "safe_text", Value: g.Title, Default: g.Title, Tip: tip},
		"instructions": {ID: "instructions", Label: "Instructions", Description: "Instructions that will be added to the thank you page and emails.", Type: "textarea", Tip: "Instructions that will be added to the thank you page and emails."},
	}
	if g.ID == "cod" { // as on 7.8.2: cash on delivery can be limited to shipping methods and virtual orders
		methods := "If COD is only available for certain methods, set it up here. Leave blank to enable for all methods."
		options := map[string]map[string]string{}
		for _, m := range shippingMethods {
			options[m.title] = map[string]string{m.id: "Any &quot;" + m.title + "&quot; method"}
		}
		settings["enable_for_methods"] = settingJSON{ID: "enable_for_methods", Label: "Enable for shipping methods", Description: methods,
			Type: "multiselect", Tip: methods, Options: options}
		settings["enable_for_virtual"] = settingJSON{ID: "enable_for_virtual", Label: "Accept COD if the order is virtual",
			Type: "checkbox", Value: "yes", Default: "yes"}
	}
	return gatewayJSON{
		ID: g.ID, Title: g.Title, Description: g.Description, Order: g.Order, Enabled: g.Enabled,
		MethodTitle: g.MethodTitle, MethodDescription: g.MethodDescription, MethodSupports: []string{"products"},
		Settings:           settings,
		PostInstallScripts: []any{}, SettingsURL: home + "/wp-admin/admin.php?page=wc-settings&tab=checkout&section=" + g.ID,
		RequiredSettingsKeys: []string{},
		Links: map[string]any{
			"self":       []map[string]string{{"href": base + "payment_gateways/" + g.ID}},
			"collection": []map[string]string{{"href": base + "payment_gateways"}},
		},
	}
}

func (s *Sim) gatewaysList(c *call) *response {
	out := make([]gatewayJSON, 0, len(s.st.gateways))
	for _, g := range s.st.gateways {
		out = append(out, s.renderGateway(g, c.base))
	}
	return listResponse(c.q, nil, out)
}

func (s *Sim) gatewayItem(c *call) *response {
	for _, g := range s.st.gateways {
		if g.ID != c.sid {
			continue
		}
		if c.method != http.MethodGet && c.method != http.MethodHead {
			var in struct {
				Title       *string   `json:"title"`
				Description *string   `json:"description"`
				Order       *int      `json:"order"`
				Enabled     *flexBool `json:"enabled"`
			}
			if e := decodeBody(c.body, &in); e != nil {
				return errResponse(e)
			}
			if in.Title != nil {
				g.Title = *in.Title
			}
			if in.Description != nil {
				g.Description = *in.Description
			}
			if in.Order != nil {
				g.Order = *in.Order
			}
			if in.Enabled != nil {
				g.Enabled = bool(*in.Enabled)
			}
		}
		return itemResponse(200, c.q, s.renderGateway(g, c.base))
	}
	return errResponse(errf(404, "woocommerce_rest_payment_gateway_invalid", "Resource does not exist."))
}

type shippingMethodJSON struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Links       map[string]any `json:"_links"`
}

var shippingMethods = []struct{ id, title, desc string }{
	{"flat_rate", "Flat rate", "Lets you charge a fixed rate for shipping."},
	{"free_shipping", "Free shipping", "Free shipping is a special method which can be triggered with coupons and minimum spends."},
	{"local_pickup", "Local pickup", "Allow customers to pick up orders themselves. By default, when using local pickup store base taxes will apply regardless of customer address."},
}

func (s *Sim) renderShipping(i int, base string) shippingMethodJSON {
	m := shippingMethods[i]
	return shippingMethodJSON{ID: m.id, Title: m.title, Description: m.desc, Links: map[string]any{
		"self":       []map[string]string{{"href": base + "shipping_methods/" + m.id}},
		"collection": []map[string]string{{"href": base + "shipping_methods"}},
	}}
}

func (s *Sim) shippingList(c *call) *response {
	out := make([]shippingMethodJSON, 0, len(shippingMethods))
	for i := range shippingMethods {
		out = append(out, s.renderShipping(i, c.base))
	}
	return listResponse(c.q, nil, out)
}

func (s *Sim) shippingItem(c *call) *response {
	for i, m := range shippingMethods {
		if m.id == c.sid {
			return itemResponse(200, c.q, s.renderShipping(i, c.base))
		}
	}
	return errResponse(errf(404, "woocommerce_rest_shipping_method_invalid", "Resource does not exist."))
}

func (s *Sim) systemStatus(c *call) *response {
	home := strings.TrimSuffix(c.base, "/wp-json/wc/v3/")
	tz := s.loc.String()
	env := map[string]any{
		"home_url": home, "site_url": home, "version": s.opts.Version, "log_directory": "/var/www/wp-content/uploads/wc-logs/",
		"log_directory_writable": true, "wp_version": "6.1.9", "wp_multisite": false, "wp_memory_limit": 268435456,
		"wp_debug_mode": false, "wp_cron": true, "language": "en_US", "external_object_cache": nil,
		"server_info": "wcsim", "php_version": "8.2.0", "php_post_max_size": 8388608, "php_max_execution_time": 120,
		"php_max_input_vars": 1000, "curl_version": "", "suhosin_installed": false, "max_upload_size": 2097152,
		"mysql_version": "10.11.0", "mysql_version_string": "10.11.0-MariaDB", "default_timezone": tz,
		"fsockopen_or_curl_enabled": true, "soapclient_enabled": false, "domdocument_enabled": true, "gzip_enabled": true,
		"mbstring_enabled": true, "remote_post_successful": false, "remote_post_response": "",
		"remote_get_successful": false, "remote_get_response": "",
	}
	settings := map[string]any{
		"api_enabled": false, "force_ssl": false, "currency": s.opts.Currency, "currency_symbol": currencySymbol(s.opts.Currency),
		"currency_position": "left", "thousand_separator": ",", "decimal_separator": ".",
		"number_of_decimals": s.opts.PriceDecimals, "geolocation_enabled": false,
		"taxonomies":               map[string]string{"external": "external", "grouped": "grouped", "simple": "simple", "variable": "variable"},
		"product_visibility_terms": map[string]string{}, "woocommerce_com_connected": "no",
	}
	body := map[string]any{"environment": env, "database": map[string]any{}, "active_plugins": []any{},
		"inactive_plugins": []any{}, "dropins_mu_plugins": map[string]any{}, "theme": map[string]any{},
		"settings": settings, "security": map[string]any{"secure_connection": s.opts.HTTPS, "hide_errors": true},
		"pages": []any{}, "post_type_counts": []any{}}
	b := encodeJSON(body)
	if f := parseFields(c.q); f != nil {
		b = f.apply(b, false)
	}
	return &response{status: 200, raw: b}
}

// routeNames are the wc/v3 routes this store registers, for the indexes.
var routeNames = []string{"/wc/v3", "/wc/v3/products", "/wc/v3/products/(?P<id>[\\d]+)", "/wc/v3/products/batch",
	"/wc/v3/products/categories", "/wc/v3/products/categories/(?P<id>[\\d]+)", "/wc/v3/products/categories/batch",
	"/wc/v3/customers", "/wc/v3/customers/(?P<id>[\\d]+)", "/wc/v3/customers/batch", "/wc/v3/orders",
	"/wc/v3/orders/(?P<id>[\\d]+)", "/wc/v3/orders/batch", "/wc/v3/orders/(?P<order_id>[\\d]+)/notes",
	"/wc/v3/payment_gateways", "/wc/v3/payment_gateways/(?P<id>[\\w-]+)", "/wc/v3/shipping_methods",
	"/wc/v3/shipping_methods/(?P<id>[\\w-]+)", "/wc/v3/system_status"}

func routesObject(base string) map[string]any {
	out := map[string]any{}
	for _, r := range routeNames {
		out[r] = map[string]any{"namespace": "wc/v3", "methods": []string{"GET"}, "endpoints": []any{},
			"_links": map[string]any{"self": []map[string]string{{"href": base + strings.TrimPrefix(r, "/")}}}}
	}
	return out
}

func (s *Sim) namespaceIndex(c *call) *response {
	home := strings.TrimSuffix(c.base, "wc/v3/")
	return ok(map[string]any{"namespace": "wc/v3", "routes": routesObject(home),
		"_links": map[string]any{"up": []map[string]string{{"href": home}}}})
}

func (s *Sim) siteIndex(c *call) *response {
	home := strings.TrimSuffix(c.base, "/wp-json/wc/v3/")
	_, offset := s.now().In(s.loc).Zone()
	tz := s.loc.String()
	if tz == "UTC" {
		tz = ""
	}
	return ok(map[string]any{"name": "wcsim", "description": "Just another WordPress site", "url": home, "home": home,
		"gmt_offset": offset / 3600, "timezone_string": tz, "namespaces": []string{"oembed/1.0", "wc/v1", "wc/v2", "wc/v3", "wp/v2"},
		"authentication": []any{}, "routes": routesObject(home + "/wp-json/")})
}
