package wcsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// call is one request as a route handler sees it.
type call struct {
	r      *http.Request
	method string
	q      url.Values
	id     int    // numeric id segment, if any
	sid    string // string id segment (gateways, shipping methods)
	body   []byte
	base   string // home URL + "/wp-json/wc/v3/"
	faults *activeFault
	sim    *Sim
}

// route is a resolved route: its counter pattern, fault group, handler and
// the kind of permission error an anonymous caller gets.
type route struct {
	pattern string
	group   string
	allow   string
	kind    string // "collection", "item", "batch", "index", "settings"
	handle  func(*Sim, *call) *response
}

const (
	allowCollection = "GET, POST"
	allowItem       = "GET, POST, PUT, PATCH, DELETE"
	allowBatch      = "POST, PUT, PATCH"
)

// Handler returns the store's HTTP handler (routes under /wp-json/).
func (s *Sim) Handler() http.Handler { return http.HandlerFunc(s.serve) }

func effectiveMethod(r *http.Request) string {
	m := r.Method
	if m == http.MethodPost {
		if o := r.Header.Get("X-HTTP-Method-Override"); o != "" {
			return strings.ToUpper(o)
		}
		if o := r.URL.Query().Get("_method"); o != "" {
			return strings.ToUpper(o)
		}
	}
	return m
}

func (s *Sim) serve(w http.ResponseWriter, r *http.Request) {
	method := effectiveMethod(r)
	rt, c := s.resolve(r, method)
	s.count(method, rt.pattern)

	if d := time.Duration(s.latency.Load()); d > 0 && !s.wait(r, d) {
		return
	}
	f := s.pickFault(method, rt)
	if f != nil && f.before(s, w, r) {
		return
	}
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
		if err != nil {
			return
		}
		body = b
	}
	c.body = body
	c.faults = f
	res := s.dispatch(r, method, rt, c)
	if res.headers == nil || res.headers.Get("Allow") == "" {
		if rt.allow != "" {
			res.header("Allow", rt.allow)
		}
	}
	out := s.writeResponse(w, r, res)
	if method == http.MethodHead {
		out = nil
	}
	if f != nil && f.after(s, w, res.status, out) {
		return
	}
	w.WriteHeader(res.status)
	_, _ = w.Write(out)
}

// wait sleeps d unless the request or the store ends first.
func (s *Sim) wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.closing:
		return false
	}
}

func (s *Sim) dispatch(r *http.Request, method string, rt route, c *call) *response {
	if rt.kind == "noroute" {
		return errResponse(errf(404, "rest_no_route", "No route was found matching the URL and request method."))
	}
	if rt.kind != "index" {
		if e := s.authenticate(r, method, c.q, rt); e != nil {
			return errResponse(e)
		}
	}
	if method != http.MethodGet && method != http.MethodHead && len(strings.TrimSpace(string(c.body))) > 0 &&
		strings.Contains(r.Header.Get("Content-Type"), "json") && !json.Valid(c.body) {
		return errResponse(errf(400, "rest_invalid_json", "Invalid JSON body passed.").
			with("json_error_code", 4).with("json_error_message", "Syntax error"))
	}
	if len(c.body) > 0 && strings.Contains(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		c.body = formToJSON(c.body)
	}
	if method == http.MethodGet || method == http.MethodHead {
		s.mu.RLock()
		defer s.mu.RUnlock()
	} else {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	return rt.handle(s, c)
}

// formToJSON turns a flat form body into a JSON object of strings.
func formToJSON(b []byte) []byte {
	v, err := url.ParseQuery(string(b))
	if err != nil {
		return b
	}
	m := map[string]string{}
	for k := range v {
		m[k] = v.Get(k)
	}
	out, _ := json.Marshal(m)
	return out
}

var noRoute = route{pattern: "unknown", group: "unknown", kind: "noroute"}

func (s *Sim) resolve(r *http.Request, method string) (route, *call) {
	c := &call{r: r, method: method, q: r.URL.Query(), sim: s}
	c.base = s.baseURL(r) + "/wp-json/wc/v3/"
	p := r.URL.Path
	if p == "/wp-json" || p == "/wp-json/" {
		return s.methodCheck(method, route{pattern: "/", group: "index", kind: "index", allow: "GET", handle: (*Sim).siteIndex}, "GET"), c
	}
	rest, found := strings.CutPrefix(p, "/wp-json/wc/v3")
	if !found {
		return noRoute, c
	}
	seg := strings.Split(trimSlash(rest), "/")
	if len(seg) == 1 && seg[0] == "" {
		seg = nil
	}
	num := func(i int) bool {
		if i >= len(seg) {
			return false
		}
		n, err := strconv.Atoi(seg[i])
		if err != nil || n < 0 {
			return false
		}
		c.id = n
		return true
	}
	ns := "/wc/v3"
	switch {
	case len(seg) == 0:
		return s.methodCheck(method, route{pattern: ns, group: "index", kind: "index", allow: "GET", handle: (*Sim).namespaceIndex}, "GET"), c
	case len(seg) == 2 && seg[0] == "products" && seg[1] == "categories":
		return s.methodCheck(method, route{pattern: ns + "/products/categories", group: "categories", kind: "collection", allow: allowCollection, handle: (*Sim).categoriesCollection}, "GET POST"), c
	case len(seg) == 3 && seg[0] == "products" && seg[1] == "categories" && seg[2] == "batch":
		return s.methodCheck(method, route{pattern: ns + "/products/categories/batch", group: "categories", kind: "batch", allow: allowBatch, handle: (*Sim).categoriesBatch}, "POST PUT PATCH"), c
	case len(seg) == 3 && seg[0] == "products" && seg[1] == "categories" && num(2):
		return s.methodCheck(method, route{pattern: ns + "/products/categories/{id}", group: "categories", kind: "item", allow: allowItem, handle: (*Sim).categoryItem}, "GET POST PUT PATCH DELETE"), c
	}
	if len(seg) >= 1 {
		switch seg[0] {
		case "products", "customers", "orders":
			return s.resourceRoute(method, seg, c, num), c
		case "payment_gateways", "shipping_methods":
			if len(seg) == 1 {
				h := (*Sim).gatewaysList
				if seg[0] == "shipping_methods" {
					h = (*Sim).shippingList
				}
				return s.methodCheck(method, route{pattern: ns + "/" + seg[0], group: seg[0], kind: "settings", allow: "GET", handle: h}, "GET"), c
			}
			if len(seg) == 2 {
				c.sid = seg[1]
				h, allow, methods := (*Sim).gatewayItem, "GET, POST, PUT, PATCH", "GET POST PUT PATCH"
				if seg[0] == "shipping_methods" {
					h, allow, methods = (*Sim).shippingItem, "GET", "GET"
				}
				return s.methodCheck(method, route{pattern: ns + "/" + seg[0] + "/{id}", group: seg[0], kind: "settings", allow: allow, handle: h}, methods), c
			}
		case "system_status":
			if len(seg) == 1 {
				return s.methodCheck(method, route{pattern: ns + "/system_status", group: "system_status", kind: "settings", allow: "GET", handle: (*Sim).systemStatus}, "GET"), c
			}
		}
	}
	return noRoute, c
}

func (s *Sim) resourceRoute(method string, seg []string, c *call, num func(int) bool) route {
	ns := "/wc/v3/" + seg[0]
	type handlers struct{ coll, batch, item func(*Sim, *call) *response }
	var h handlers
	switch seg[0] {
	case "products":
		h = handlers{(*Sim).productsCollection, (*Sim).productsBatch, (*Sim).productItem}
	case "customers":
		h = handlers{(*Sim).customersCollection, (*Sim).customersBatch, (*Sim).customerItem}
	default:
		h = handlers{(*Sim).ordersCollection, (*Sim).ordersBatch, (*Sim).orderItem}
	}
	switch {
	case len(seg) == 1:
		return s.methodCheck(method, route{pattern: ns, group: seg[0], kind: "collection", allow: allowCollection, handle: h.coll}, "GET POST")
	case len(seg) == 2 && seg[1] == "batch":
		return s.methodCheck(method, route{pattern: ns + "/batch", group: seg[0], kind: "batch", allow: allowBatch, handle: h.batch}, "POST PUT PATCH")
	case len(seg) == 2 && num(1):
		return s.methodCheck(method, route{pattern: ns + "/{id}", group: seg[0], kind: "item", allow: allowItem, handle: h.item}, "GET POST PUT PATCH DELETE")
	case len(seg) == 3 && seg[0] == "orders" && seg[2] == "notes" && num(1):
		return s.methodCheck(method, route{pattern: ns + "/{id}/notes", group: "orders", kind: "collection", allow: allowCollection, handle: (*Sim).orderNotes}, "GET POST")
	}
	return noRoute
}

// methodCheck maps a method the route does not register to rest_no_route
// (the counter still names the route). HEAD is served as GET.
func (s *Sim) methodCheck(method string, rt route, methods string) route {
	m := method
	if m == http.MethodHead {
		m = http.MethodGet
	}
	for _, a := range strings.Fields(methods) {
		if a == m {
			return rt
		}
	}
	return route{pattern: rt.pattern, group: rt.group, kind: "noroute"}
}
