package woocommerce

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// API is the path of the REST namespace under the site URL.
const API = "/wp-json/wc/v3"

// Defaults applied by New to zero Config fields.
const (
	DefaultConcurrency = 4
	DefaultOverlap     = 10 * time.Minute
	DefaultTimeout     = 60 * time.Second
	// BatchLimit is WooCommerce's default item limit per batch request.
	BatchLimit = 100
	// PageSize is the largest per_page WooCommerce accepts.
	PageSize = 100
)

// RetryPolicy says how transient and rate-limited calls are retried
// (exponential backoff with jitter). A Retry-After from the store is waited
// for, up to MaxRetryAfter.
type RetryPolicy struct {
	InitialInterval time.Duration
	MaxInterval     time.Duration
	MaxElapsed      time.Duration // 0 = no limit but MaxRetries
	MaxRetries      int           // retries after the first attempt
	MaxRetryAfter   time.Duration // cap on a Retry-After wait
}

// DefaultRetry is used when Config.Retry is nil.
var DefaultRetry = RetryPolicy{
	InitialInterval: 500 * time.Millisecond,
	MaxInterval:     30 * time.Second,
	MaxElapsed:      2 * time.Minute,
	MaxRetries:      5,
	MaxRetryAfter:   2 * time.Minute,
}

// NoRetryDelay retries as DefaultRetry does, without waiting: for tests.
var NoRetryDelay = RetryPolicy{MaxRetries: 5}

// Config configures a Client. Only BaseURL and the keys are required.
type Config struct {
	// BaseURL is the site URL, e.g. "https://shop.example.com" (the
	// /wp-json/wc/v3 prefix is added). It must be HTTPS unless the host is
	// a loopback address and AllowPlainHTTPLoopback is set.
	BaseURL        string
	ConsumerKey    string
	ConsumerSecret string
	// CAFile is a PEM file of extra trusted roots (a self-signed store).
	CAFile string
	// AllowPlainHTTPLoopback permits http:// to a loopback host; requests are
	// then signed with OAuth 1.0a, the only key auth WooCommerce accepts
	// over plain HTTP.
	AllowPlainHTTPLoopback bool
	// HTTPClient replaces the default client (CAFile and Timeout are then
	// the caller's business).
	HTTPClient *http.Client
	Timeout    time.Duration // per request; default DefaultTimeout
	// Concurrency bounds concurrent requests of one read or write; default 4.
	Concurrency int
	// Overlap is subtracted from incremental cursors; default 10 minutes.
	Overlap time.Duration
	Retry   *RetryPolicy // nil = DefaultRetry
	Logger  *slog.Logger // nil = discard
	// OnRequest is called after every HTTP exchange (metrics); status is 0
	// when no response arrived.
	OnRequest func(system, routeGroup, method string, status int, dur time.Duration)
	// OnRetry is called before every retry.
	OnRetry func(routeGroup string)
	Clock   func() time.Time // nil = time.Now
	// Form fixes the store's price precision; nil = learn it from Check
	// (snapshot.DefaultForm until then).
	Form *snapshot.Form
}

// Client talks to one WooCommerce store. It is safe for concurrent use.
type Client struct {
	base      *url.URL // site URL without trailing slash
	key       string
	secret    string
	oauth     bool
	http      *http.Client
	conc      int
	overlap   time.Duration
	retry     RetryPolicy
	log       *slog.Logger
	onReq     func(system, routeGroup, method string, status int, dur time.Duration)
	onRetry   func(routeGroup string)
	clock     func() time.Time
	fixedForm bool

	mu            sync.RWMutex
	form          snapshot.Form
	modifiedAfter bool // the store honours modified_after (WooCommerce 5.8+)
}

// New checks cfg and returns a Client. It makes no request; call Check to
// verify connectivity, keys and version.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/"))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, errors.New("woocommerce: base URL must be an absolute http(s) URL")
	}
	u.Path = strings.TrimSuffix(u.Path, API)
	u.RawQuery, u.Fragment, u.User = "", "", nil
	if cfg.ConsumerKey == "" || cfg.ConsumerSecret == "" {
		return nil, errors.New("woocommerce: consumer key and secret are required")
	}
	c := &Client{
		base: u, key: cfg.ConsumerKey, secret: cfg.ConsumerSecret,
		conc: cfg.Concurrency, overlap: cfg.Overlap, log: cfg.Logger,
		onReq: cfg.OnRequest, onRetry: cfg.OnRetry, clock: cfg.Clock,
		form: snapshot.DefaultForm, modifiedAfter: true,
	}
	if u.Scheme == "http" {
		if !cfg.AllowPlainHTTPLoopback || !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("woocommerce: %s: plain HTTP is allowed only to a loopback host with AllowPlainHTTPLoopback; use HTTPS", u.Host)
		}
		c.oauth = true
	}
	if c.conc <= 0 {
		c.conc = DefaultConcurrency
	}
	if c.overlap == 0 {
		c.overlap = DefaultOverlap
	}
	if c.overlap < 0 {
		c.overlap = 0
	}
	c.retry = DefaultRetry
	if cfg.Retry != nil {
		c.retry = *cfg.Retry
	}
	if c.log == nil {
		c.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	if cfg.Form != nil {
		c.form, c.fixedForm = *cfg.Form, true
	}
	c.http = cfg.HTTPClient
	if c.http == nil {
		if c.http, err = newHTTPClient(cfg); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func newHTTPClient(cfg Config) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	tr.MaxIdleConnsPerHost = max(cfg.Concurrency, DefaultConcurrency) * 2
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("woocommerce: CA file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("woocommerce: CA file %s holds no PEM certificate", cfg.CAFile)
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &http.Client{Transport: tr, Timeout: timeout}, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Form returns the canonical form of this store (its price precision).
func (c *Client) Form() snapshot.Form {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.form
}

func (c *Client) incremental() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.modifiedAfter
}

// endpoint returns the absolute URL of an API path such as "/products".
func (c *Client) endpoint(path string) string {
	return c.base.String() + API + path
}

// scrub removes the credentials from text that may echo a request.
func (c *Client) scrub(s string) string {
	for _, secret := range []string{c.secret, c.key} {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "<redacted>")
		}
	}
	return s
}
