package wcsim

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// authenticate returns the error WooCommerce 7.8.2 answers with, or nil when
// the request may proceed.
func (s *Sim) authenticate(r *http.Request, method string, q url.Values, rt route) *apiError {
	key, e := s.identify(r, method, q)
	if e != nil {
		return e
	}
	if key == nil {
		return anonymousError(method, rt)
	}
	switch method {
	case http.MethodGet, http.MethodHead:
		if key.Permissions != "read" && key.Permissions != "read_write" {
			return errf(401, "woocommerce_rest_authentication_error", "The API key provided does not have read permissions.")
		}
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		if key.Permissions != "write" && key.Permissions != "read_write" {
			return errf(401, "woocommerce_rest_authentication_error", "The API key provided does not have write permissions.")
		}
	}
	return nil
}

// identify finds the key of the request: nil without error means anonymous.
func (s *Sim) identify(r *http.Request, method string, q url.Values) (*Key, *apiError) {
	if s.opts.HTTPS || s.opts.AllowBasicOverHTTP {
		ck, cs := q.Get("consumer_key"), q.Get("consumer_secret")
		if ck == "" || cs == "" {
			ck, cs, _ = r.BasicAuth()
		}
		if ck != "" {
			k, found := s.findKey(ck)
			if found {
				if subtle.ConstantTimeCompare([]byte(k.ConsumerSecret), []byte(cs)) != 1 {
					return nil, errf(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.")
				}
				return &k, nil
			}
		}
		if s.opts.HTTPS {
			return nil, nil
		}
	}
	return s.oauth(r, method)
}

func anonymousError(method string, rt route) *apiError {
	switch {
	case rt.kind == "batch":
		return errf(401, "woocommerce_rest_cannot_batch", "Sorry, you are not allowed to batch manipulate this resource.")
	case method == http.MethodGet || method == http.MethodHead:
		if rt.kind == "item" {
			return errf(401, "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.")
		}
		return errf(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
	case method == http.MethodDelete:
		return errf(401, "woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource.")
	case rt.kind == "item" || rt.kind == "settings":
		return errf(401, "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.")
	default:
		return errf(401, "woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.")
	}
}

type oauthParam struct {
	key, sub, value string
	array           bool
}

// signed is the parameter as it appears in the signature base string.
// WC_REST_Authentication rawurlencodes key and value, joins them with "="
// (an array entry as key%5Bsub%5D=value) and rawurlencodes that pair again,
// so keys and values end up encoded twice and an array's sub-key once.
func (p oauthParam) signed() string {
	k := rfc3986(rfc3986(p.key))
	if p.array {
		k += "%255B" + rfc3986(p.sub) + "%255D"
	}
	return k + "%3D" + rfc3986(rfc3986(p.value))
}

// oauth verifies a one-legged OAuth 1.0a request the way
// WC_REST_Authentication does: query and Authorization header parameters,
// keys sorted with strcmp, pairs built by signed and joined with %26.
func (s *Sim) oauth(r *http.Request, method string) (*Key, *apiError) {
	params := queryParams(r.URL.RawQuery)
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "OAuth ") {
		for k, v := range parseOAuthHeader(h) {
			params = setParam(params, k, v)
		}
	}
	get := func(name string) string {
		for _, p := range params {
			if p.key == name && !p.array {
				return p.value
			}
		}
		return ""
	}
	required := []string{"oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"}
	var missing []string
	for _, n := range required {
		if get(n) == "" {
			missing = append(missing, n)
		}
	}
	if len(missing) == len(required) {
		return nil, nil
	}
	if len(missing) > 0 {
		return nil, errf(401, "woocommerce_rest_authentication_missing_parameter", "Missing OAuth parameter(s) "+strings.Join(missing, ", "))
	}
	k, found := s.findKey(get("oauth_consumer_key"))
	if !found {
		return nil, errf(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
	}
	var kept []oauthParam
	for _, p := range params {
		if p.key != "oauth_signature" {
			kept = append(kept, p)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].key < kept[j].key })
	var pairs []string
	for _, p := range kept {
		pairs = append(pairs, p.signed())
	}
	base := strings.ToUpper(method) + "&" + rfc3986(s.baseURL(r)+r.URL.Path) + "&" + strings.Join(pairs, "%26")
	var hf func() hash.Hash
	switch get("oauth_signature_method") {
	case "HMAC-SHA1":
		hf = sha1.New
	case "HMAC-SHA256":
		hf = sha256.New
	default:
		return nil, errf(401, "woocommerce_rest_authentication_error", "Invalid signature - signature method is invalid.")
	}
	mac := hmac.New(hf, []byte(k.ConsumerSecret+"&"))
	mac.Write([]byte(base))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	got, err := url.PathUnescape(get("oauth_signature"))
	if err != nil {
		got = get("oauth_signature")
	}
	if !hmac.Equal([]byte(want), []byte(got)) {
		return nil, errf(401, "woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match.")
	}
	ts, err := strconv.ParseInt(get("oauth_timestamp"), 10, 64)
	now := s.clock()
	if err != nil || time.Unix(ts, 0).Before(now.Add(-15*time.Minute)) || time.Unix(ts, 0).After(now.Add(15*time.Minute)) {
		return nil, errf(401, "woocommerce_rest_authentication_error", "Invalid timestamp.")
	}
	if !s.useNonce(k.ConsumerKey, get("oauth_nonce"), now) {
		return nil, errf(401, "woocommerce_rest_authentication_error", "Invalid nonce - nonce has already been used.")
	}
	return &k, nil
}

func (s *Sim) useNonce(ck, nonce string, now time.Time) bool {
	s.nmu.Lock()
	defer s.nmu.Unlock()
	seen := s.nonce[ck]
	if seen == nil {
		seen = map[string]time.Time{}
		s.nonce[ck] = seen
	}
	for n, t := range seen {
		if t.Before(now.Add(-15 * time.Minute)) {
			delete(seen, n)
		}
	}
	if _, used := seen[nonce]; used {
		return false
	}
	seen[nonce] = now
	return true
}

// queryParams decodes a raw query as PHP does: "a[x]=1" and "a[]=1" become
// array entries of a.
func queryParams(raw string) []oauthParam {
	var out []oauthParam
	idx := map[string]int{}
	for _, kv := range strings.Split(raw, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		if open := strings.IndexByte(k, '['); open > 0 && strings.HasSuffix(k, "]") {
			name, sub := k[:open], k[open+1:len(k)-1]
			if sub == "" {
				sub = strconv.Itoa(idx[name])
				idx[name]++
			}
			out = append(out, oauthParam{key: name, sub: sub, value: v, array: true})
			continue
		}
		out = setParam(out, k, v)
	}
	return out
}

func setParam(ps []oauthParam, k, v string) []oauthParam {
	for i := range ps {
		if ps[i].key == k && !ps[i].array {
			ps[i].value = v
			return ps
		}
	}
	return append(ps, oauthParam{key: k, value: v})
}

func parseOAuthHeader(h string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(h, "OAuth "), ",") {
		k, v, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found || !strings.HasPrefix(k, "oauth_") {
			continue
		}
		v = strings.Trim(v, "\"")
		if d, err := url.QueryUnescape(v); err == nil {
			v = d
		}
		out[k] = v
	}
	return out
}

// rfc3986 is PHP's rawurlencode.
func rfc3986(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// SignOAuth signs a request for this store's plain-HTTP OAuth 1.0a check
// (HMAC-SHA256) by adding the oauth_* query parameters. It is what a
// WooCommerce client does; tests use it to talk to a plain-HTTP store.
func SignOAuth(req *http.Request, key Key, now time.Time, nonce string) {
	q := req.URL.Query()
	q.Set("oauth_consumer_key", key.ConsumerKey)
	q.Set("oauth_timestamp", strconv.FormatInt(now.Unix(), 10))
	q.Set("oauth_nonce", nonce)
	q.Set("oauth_signature_method", "HMAC-SHA256")
	req.URL.RawQuery = q.Encode()
	params := queryParams(req.URL.RawQuery)
	sort.SliceStable(params, func(i, j int) bool { return params[i].key < params[j].key })
	var pairs []string
	for _, p := range params {
		pairs = append(pairs, p.signed())
	}
	u := req.URL.Scheme + "://" + req.URL.Host + req.URL.Path
	base := strings.ToUpper(req.Method) + "&" + rfc3986(u) + "&" + strings.Join(pairs, "%26")
	mac := hmac.New(sha256.New, []byte(key.ConsumerSecret+"&"))
	mac.Write([]byte(base))
	q.Set("oauth_signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	req.URL.RawQuery = q.Encode()
}
