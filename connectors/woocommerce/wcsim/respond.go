package wcsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// apiError is a WordPress WP_Error as the REST server renders it.
type apiError struct {
	Status  int
	Code    string
	Message string
	Extra   map[string]any // more keys of data, e.g. resource_id
}

func errf(status int, code, msg string) *apiError {
	return &apiError{Status: status, Code: code, Message: msg}
}

func (e *apiError) with(k string, v any) *apiError {
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra[k] = v
	return e
}

func (e *apiError) data() map[string]any {
	d := map[string]any{"status": e.Status}
	for k, v := range e.Extra {
		d[k] = v
	}
	return d
}

func (e *apiError) body() map[string]any {
	return map[string]any{"code": e.Code, "message": e.Message, "data": e.data()}
}

// invalidParam is WordPress' rest_invalid_param for one argument.
func invalidParam(name, detailCode, msg string) *apiError {
	return errf(400, "rest_invalid_param", "Invalid parameter(s): "+name).
		with("params", map[string]string{name: msg}).
		with("details", map[string]any{name: map[string]any{"code": detailCode, "message": msg, "data": nil}})
}

// response is what a route handler produces.
type response struct {
	status  int
	body    any    // marshalled with encoding/json unless raw is set
	raw     []byte // pre-encoded body
	headers http.Header
}

func ok(body any) *response { return &response{status: 200, body: body} }

func (r *response) header(k, v string) *response {
	if r.headers == nil {
		r.headers = http.Header{}
	}
	r.headers.Set(k, v)
	return r
}

func errResponse(e *apiError) *response { return &response{status: e.Status, body: e.body()} }

// encode renders a response body; PHP escapes "/" but clients do not care.
func encodeJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		b, _ := json.Marshal(map[string]any{"code": "internal", "message": err.Error(), "data": map[string]int{"status": 500}})
		return b
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func (s *Sim) writeResponse(w http.ResponseWriter, r *http.Request, res *response) []byte {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=UTF-8")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link")
	h.Set("Access-Control-Allow-Headers", "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type")
	h.Set("Expires", "Wed, 11 Jan 1984 05:00:00 GMT")
	h.Set("Cache-Control", "no-cache, must-revalidate, max-age=0")
	h.Set("Link", "<"+s.baseURL(r)+"/wp-json/>; rel=\"https://api.w.org/\"")
	for k, v := range res.headers {
		h[k] = v
	}
	body := res.raw
	if body == nil {
		body = encodeJSON(res.body)
	}
	return body
}

// itemResponse renders one object honouring _fields (links kept).
func itemResponse(status int, q url.Values, obj any) *response {
	return &response{status: status, raw: newRecordEncoder(parseFields(q), true).appendRecord(nil, obj)}
}

// listParams are the common collection arguments.
type listParams struct {
	page, perPage int
	offset        int
	hasOffset     bool
	include       []int
	exclude       []int
	order         string
	orderby       string
}

func intArg(q url.Values, name string, def int) (int, *apiError) {
	v := q.Get(name)
	if v == "" {
		if _, present := q[name]; !present {
			return def, nil
		}
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, invalidParam(name, "rest_invalid_type", name+" is not of type integer.")
	}
	return n, nil
}

// idList reads a csv or array (name[]=) integer list.
func idList(q url.Values, name string) ([]int, *apiError) {
	var out []int
	for _, key := range []string{name, name + "[]"} {
		for _, v := range q[key] {
			for _, p := range strings.Split(v, ",") {
				p = strings.TrimSpace(p)
				if p == "" {
					continue
				}
				n, err := strconv.Atoi(p)
				if err != nil {
					return nil, invalidParam(name, "rest_invalid_type", fmt.Sprintf("%s[0] is not of type integer.", name))
				}
				out = append(out, n)
			}
		}
	}
	return out, nil
}

// stringList reads a csv or array string list.
func stringList(q url.Values, name string) []string {
	var out []string
	for key, vals := range q {
		if key != name && key != name+"[]" && !(strings.HasPrefix(key, name+"[") && strings.HasSuffix(key, "]")) {
			continue
		}
		for _, v := range vals {
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
		}
	}
	return out
}

func oneOf(name, v string, allowed []string) *apiError {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	list := strings.Join(allowed[:len(allowed)-1], ", ") + ", and " + allowed[len(allowed)-1]
	return invalidParam(name, "rest_not_in_enum", fmt.Sprintf("%s is not one of %s.", name, list))
}

func parseList(q url.Values, defOrderby string, orderbys []string, defOrder string) (listParams, *apiError) {
	p := listParams{order: defOrder, orderby: defOrderby}
	var e *apiError
	if p.page, e = intArg(q, "page", 1); e != nil {
		return p, e
	}
	if p.page < 1 {
		return p, invalidParam("page", "rest_out_of_bounds", "page must be greater than or equal to 1")
	}
	if p.perPage, e = intArg(q, "per_page", 10); e != nil {
		return p, e
	}
	if p.perPage < 1 || p.perPage > 100 {
		return p, invalidParam("per_page", "rest_out_of_bounds", "per_page must be between 1 (inclusive) and 100 (inclusive)")
	}
	if _, has := q["offset"]; has {
		if p.offset, e = intArg(q, "offset", 0); e != nil {
			return p, e
		}
		p.hasOffset = true
	}
	if p.include, e = idList(q, "include"); e != nil {
		return p, e
	}
	if p.exclude, e = idList(q, "exclude"); e != nil {
		return p, e
	}
	if v := q.Get("order"); v != "" {
		if e = oneOf("order", v, []string{"asc", "desc"}); e != nil {
			return p, e
		}
		p.order = v
	}
	if v := q.Get("orderby"); v != "" {
		if e = oneOf("orderby", v, orderbys); e != nil {
			return p, e
		}
		p.orderby = v
	}
	return p, nil
}

// idFilter is include/exclude as sets.
type idFilter struct{ inc, exc map[int]bool }

func newIDFilter(p listParams) idFilter {
	f := idFilter{}
	if len(p.include) > 0 {
		f.inc = map[int]bool{}
		for _, id := range p.include {
			f.inc[id] = true
		}
	}
	if len(p.exclude) > 0 {
		f.exc = map[int]bool{}
		for _, id := range p.exclude {
			f.exc[id] = true
		}
	}
	return f
}

func (f idFilter) keep(id int) bool {
	if f.inc != nil && !f.inc[id] {
		return false
	}
	return !f.exc[id]
}

// page slices matched ids and sets the paging headers. extra are query
// parameters WooCommerce appends to the links (orders add their defaults).
func (s *Sim) pageOf(c *call, p listParams, ids []int, extra string) ([]int, http.Header) {
	r := c.r
	total := len(ids)
	pages := (total + p.perPage - 1) / p.perPage
	start := (p.page - 1) * p.perPage
	if p.hasOffset {
		start = p.offset
	}
	var out []int
	if start < total && start >= 0 {
		end := min(start+p.perPage, total)
		out = ids[start:end]
	}
	h := http.Header{}
	h.Set("X-WP-Total", strconv.Itoa(total))
	h.Set("X-WP-TotalPages", strconv.Itoa(pages))
	var links []string
	base := strings.TrimSuffix(c.base, "/wp-json/wc/v3/") + r.URL.Path
	if p.page > 1 {
		prev := min(p.page-1, pages)
		links = append(links, "<"+base+"?"+withPage(r.URL.RawQuery, prev, extra)+">; rel=\"prev\"")
	}
	if p.page < pages {
		links = append(links, "<"+base+"?"+withPage(r.URL.RawQuery, p.page+1, extra)+">; rel=\"next\"")
	}
	if len(links) > 0 {
		h.Set("Link", strings.Join(links, ", "))
	}
	return out, h
}

// withPage re-encodes the original query with page=n in place (or appended),
// keeping the parameter order as WordPress' add_query_arg does.
func withPage(raw string, n int, extra string) string {
	var parts []string
	seen := false
	for _, kv := range strings.Split(raw, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		if k == "page" {
			seen = true
			v = strconv.Itoa(n)
		}
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	if !seen {
		parts = append(parts, "page="+strconv.Itoa(n))
	}
	for _, kv := range strings.Split(extra, "&") {
		if kv == "" {
			continue
		}
		k, _, _ := strings.Cut(kv, "=")
		kk, _ := url.QueryUnescape(k)
		if !strings.Contains("&"+raw, "&"+k+"=") && !strings.Contains("&"+raw, "&"+url.QueryEscape(kk)+"=") {
			parts = append(parts, kv)
		}
	}
	return strings.Join(parts, "&")
}

// listResponse renders the page items; _fields drops _links unless named.
func listResponse[T any](q url.Values, h http.Header, items []T) *response {
	e := newRecordEncoder(parseFields(q), false)
	out := []byte{'['}
	for i := range items {
		if i > 0 {
			out = append(out, ',')
		}
		out = e.appendRecord(out, &items[i])
	}
	out = append(out, ']')
	return &response{status: 200, raw: out, headers: h}
}

func links(base, collection string, id int, extra map[string]string) map[string][]map[string]string {
	l := map[string][]map[string]string{
		"self":       {{"href": fmt.Sprintf("%s/%d", base+collection, id)}},
		"collection": {{"href": base + collection}},
	}
	for k, v := range extra {
		l[k] = []map[string]string{{"href": v}}
	}
	return l
}
