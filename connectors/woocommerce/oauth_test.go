package woocommerce

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// The expected values were computed independently of this package, by
// WooCommerce 7.8.2's own check_oauth_signature code (normalize_parameters
// and join_with_equals_sign): keys sorted with strcmp, each key and value
// rawurlencoded, each key=value pair rawurlencoded again, pairs joined with
// %26. A real 7.8.2 store accepts these signatures.
func TestOAuthSignatureVectors(t *testing.T) {
	tests := []struct {
		method, url, secret string
		params              url.Values
		base, sig           string
	}{
		{
			method: "get", url: "http://127.0.0.1:8080/wp-json/wc/v3/products", secret: "cs_secret",
			params: url.Values{"oauth_consumer_key": {"ck_test"}, "oauth_nonce": {"abc123"},
				"oauth_signature_method": {"HMAC-SHA256"}, "oauth_timestamp": {"1700000000"}, "per_page": {"100"},
				"_fields": {"id,name"}, "modified_after": {"2026-11-28T03:51:01"}, "search": {"A b+c~"},
				"oauth_signature": {"ignored"}},
			base: "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fwp-json%2Fwc%2Fv3%2Fproducts&_fields%3Did%252Cname%26modified_after%3D2026-11-28T03%253A51%253A01%26oauth_consumer_key%3Dck_test%26oauth_nonce%3Dabc123%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26per_page%3D100%26search%3DA%2520b%252Bc~",
			sig:  "cOD0moGfuv+lkhReaQ1bBYeXl35YacbkVOgFtOS+9cI=",
		},
		{
			method: "POST", url: "http://localhost/shop/wp-json/wc/v3/products/batch", secret: "cs_x",
			params: url.Values{"oauth_consumer_key": {"ck_test"}, "oauth_nonce": {"n"},
				"oauth_signature_method": {"HMAC-SHA256"}, "oauth_timestamp": {"1"}},
			base: "POST&http%3A%2F%2Flocalhost%2Fshop%2Fwp-json%2Fwc%2Fv3%2Fproducts%2Fbatch&oauth_consumer_key%3Dck_test%26oauth_nonce%3Dn%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1",
			sig:  "OL+lAK7IUU5WV3jH1oocPXrSO/UsuzYkwWK619WtVxk=",
		},
	}
	for _, tt := range tests {
		base := oauthBaseString(tt.method, tt.url, tt.params)
		if base != tt.base {
			t.Errorf("base string\n got %s\nwant %s", base, tt.base)
		}
		if sig := oauthSign(tt.secret, base); sig != tt.sig {
			t.Errorf("signature %s, want %s", sig, tt.sig)
		}
	}
}

func TestOAuthHeader(t *testing.T) {
	q := url.Values{"per_page": {"100"}, "_fields": {"id,name"}, "modified_after": {"2026-11-28T03:51:01"}, "search": {"A b+c~"}}
	h := oauthHeader("GET", "http://127.0.0.1:8080/wp-json/wc/v3/products", q, "cs_secret",
		oauthParams{ConsumerKey: "ck_test", Timestamp: time.Unix(1700000000, 0), Nonce: "abc123"})
	// The signature contains '+' and '=', which the header must carry
	// percent-encoded (WooCommerce urldecodes header values).
	want := `oauth_signature="cOD0moGfuv%2BlkhReaQ1bBYeXl35YacbkVOgFtOS%2B9cI%3D"`
	if !strings.HasPrefix(h, "OAuth ") || !strings.Contains(h, want) || strings.Contains(h, "cs_secret") {
		t.Errorf("header %s, want it to contain %s and no secret", h, want)
	}
}

func TestNewRefusesPlainHTTP(t *testing.T) {
	for _, tt := range []struct {
		url   string
		allow bool
		ok    bool
	}{
		{"http://shop.example.com", true, false},
		{"http://127.0.0.1:8080", false, false},
		{"http://127.0.0.1:8080", true, true},
		{"http://localhost", true, true},
		{"http://[::1]:80", true, true},
		{"https://shop.example.com", false, true},
		{"ftp://shop.example.com", true, false},
	} {
		_, err := New(Config{BaseURL: tt.url, ConsumerKey: "ck", ConsumerSecret: "cs_TOPSECRET", AllowPlainHTTPLoopback: tt.allow})
		if (err == nil) != tt.ok {
			t.Errorf("New(%s, allow=%v) error %v, want ok=%v", tt.url, tt.allow, err, tt.ok)
		}
		if err != nil && strings.Contains(err.Error(), "TOPSECRET") {
			t.Errorf("error leaks the secret: %v", err)
		}
	}
}
