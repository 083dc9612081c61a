package woocommerce

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// oauthParams are the one-legged OAuth 1.0a parameters of one request
// (no token, no oauth_version), as WooCommerce checks them.
type oauthParams struct {
	ConsumerKey string
	Timestamp   time.Time
	Nonce       string
}

// newNonce returns 32 random hexadecimal characters.
func newNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// rfc3986 percent-encodes everything but the unreserved characters, as
// PHP's rawurlencode does.
func rfc3986(s string) string {
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexd[c>>4])
		b.WriteByte(hexd[c&15])
	}
	return b.String()
}

// oauthBaseString builds WooCommerce's signature base string:
//
//	METHOD & rawurlencode(url without query) & k1%3Dv1%26k2%3Dv2...
//
// where the query and oauth_* parameters (not oauth_signature) are sorted by
// key byte-wise (PHP strcmp). As in RFC 5849 each key and value is encoded
// twice: WooCommerce rawurlencodes keys and values, joins each pair with "="
// and rawurlencodes the pair again, so "id,name" signs as id%252Cname.
// A parameter with several values contributes one pair per value, in order.
func oauthBaseString(method, endpoint string, params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "oauth_signature" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var pairs []string
	for _, k := range keys {
		for _, v := range params[k] {
			pairs = append(pairs, rfc3986(rfc3986(k))+"%3D"+rfc3986(rfc3986(v)))
		}
	}
	return strings.ToUpper(method) + "&" + rfc3986(endpoint) + "&" + strings.Join(pairs, "%26")
}

// oauthSign returns base64(HMAC-SHA256(secret + "&", base)).
func oauthSign(secret, base string) string {
	m := hmac.New(sha256.New, []byte(secret+"&"))
	m.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// oauthHeader signs a request to endpoint (scheme, host and path, no query)
// carrying query, and returns the Authorization header value.
func oauthHeader(method, endpoint string, query url.Values, secret string, p oauthParams) string {
	all := url.Values{}
	for k, v := range query {
		all[k] = v
	}
	own := [][2]string{
		{"oauth_consumer_key", p.ConsumerKey},
		{"oauth_nonce", p.Nonce},
		{"oauth_signature_method", "HMAC-SHA256"},
		{"oauth_timestamp", strconv.FormatInt(p.Timestamp.Unix(), 10)},
	}
	for _, kv := range own {
		all.Set(kv[0], kv[1])
	}
	sig := oauthSign(secret, oauthBaseString(method, endpoint, all))
	var b strings.Builder
	b.WriteString("OAuth ")
	for _, kv := range append(own, [2]string{"oauth_signature", sig}) {
		b.WriteString(kv[0])
		b.WriteString(`="`)
		b.WriteString(rfc3986(kv[1]))
		b.WriteString(`", `)
	}
	return strings.TrimSuffix(b.String(), ", ")
}
