package nexopos

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/woonexo/woonexo/snapshot"
	"golang.org/x/time/rate"
)

// Defaults are the NexoPOS records woonexo uses where a canonical record
// has no reference of its own. Ids are NexoPOS ids as text.
type Defaults struct {
	CategoryID      snapshot.ID // products without a linked category
	UnitGroupID     snapshot.ID // unit group of created products
	UnitID          snapshot.ID // selling unit of created products and quick order lines
	TaxGroupID      snapshot.ID // "" = no tax group
	CustomerGroupID snapshot.ID // group of created customers
	CustomerID      snapshot.ID // walk-in customer for guest orders
	Author          snapshot.ID // informational: the user the token acts as
}

// Retry is the retry policy of idempotent calls and of calls the throttle
// refused. Zero delays are allowed (tests).
type Retry struct {
	// MaxAttempts counts the first try; 0 means 5, 1 means no retry.
	MaxAttempts int
	// Initial and Max bound the exponential backoff between attempts
	// (defaults 500ms and 30s). Every wait goes through the Clock, so a
	// test clock makes retries instant.
	Initial, Max time.Duration
}

// Clock is the time source of the budget and of retry waits.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx ends.
	Sleep(ctx context.Context, d time.Duration) error
}

// Config configures a Client. Only BaseURL and Token are required.
type Config struct {
	BaseURL    string // e.g. https://pos.example.com (the /api prefix is added)
	Token      string // Sanctum personal access token "<id>|<secret>"
	CAFile     string // optional PEM bundle for a private CA
	HTTPClient *http.Client
	Timeout    time.Duration // per request; default 60s

	// BudgetPerMinute is the request budget shared by every call of this
	// client (default 60; NexoPOS allows 80 per minute per user). Burst is
	// how many requests may go at once after a pause (default 10); keep
	// BudgetPerMinute+Burst under the server's limit.
	BudgetPerMinute int
	Burst           int

	Defaults     Defaults
	AllowedUnits []string // unit identifiers in order of preference; default ["piece"]
	// PaymentIdentifiers are the NexoPOS payment identifiers the payment
	// mapping uses; Bootstrap checks (and creates) them.
	PaymentIdentifiers []string
	// TimeZone is the store's time zone (ns_datetime_timezone), used for
	// the local timestamps of orders and CRUD lists; default UTC.
	TimeZone *time.Location

	Retry  Retry
	Logger *slog.Logger
	Clock  Clock

	// OnRequest is called after every HTTP exchange (metrics).
	OnRequest func(system, routeGroup, method string, status int, dur time.Duration)
	// OnRetry is called before each retry.
	OnRetry func(routeGroup string)
	// OnBudgetWait is called with the time a request waited for the budget.
	OnBudgetWait func(d time.Duration)
}

// Client talks to one NexoPOS 5.x/6.x over its HTTP API. It is safe for
// concurrent use; every call shares one request budget.
type Client struct {
	base     *url.URL
	token    string
	hc       *http.Client
	timeout  time.Duration
	limiter  *rate.Limiter
	budgetMu sync.Mutex
	clock    Clock
	log      *slog.Logger
	retry    Retry
	allowed  []string
	tz       *time.Location
	payIDs   []string
	hooks    Config

	mu       sync.Mutex
	defaults Defaults
	cache    readCache
}

// readCache is what the last read taught the client: the allowed unit row of
// each product (for orders and adjustments), the unit ids, and each
// product's row with all its unit rows (for updates).
type readCache struct {
	units     map[string]snapshot.ID // unit identifier -> id
	rows      map[snapshot.ID]unitRow
	rowsTotal int
	// products holds the product rows and unit rows of the last product
	// read, taken at productsAt; an update builds its form from them
	// instead of reading both again.
	products   map[snapshot.ID]productSource
	productsAt time.Time
}

// productSource is a product as an update needs it: its row and every unit
// row it has.
type productSource struct {
	row   productDTO
	units []unitRowDTO
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }
func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// New validates cfg and returns a Client. It makes no request.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		return nil, errors.New("nexopos: base_url is required")
	}
	u, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("nexopos: base_url %q is not an http(s) URL", cfg.BaseURL)
	}
	if u.Scheme != "https" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("nexopos: base_url %q: HTTPS is required for a non-loopback host", cfg.BaseURL)
	}
	if cfg.Token == "" {
		return nil, errors.New("nexopos: token is required")
	}
	c := &Client{base: u, token: cfg.Token, hooks: cfg, defaults: cfg.Defaults, payIDs: cfg.PaymentIdentifiers}
	c.timeout = cfg.Timeout
	if c.timeout <= 0 {
		c.timeout = 60 * time.Second
	}
	if c.hc, err = httpClient(cfg); err != nil {
		return nil, err
	}
	per := cfg.BudgetPerMinute
	if per <= 0 {
		per = 60
	}
	burst := cfg.Burst
	if burst <= 0 {
		burst = 10
	}
	c.limiter = rate.NewLimiter(rate.Limit(float64(per)/60), burst)
	c.clock = cfg.Clock
	if c.clock == nil {
		c.clock = systemClock{}
	}
	c.log = cfg.Logger
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.retry = cfg.Retry
	if c.retry.MaxAttempts <= 0 {
		c.retry.MaxAttempts = 5
	}
	if c.retry.Initial <= 0 {
		c.retry.Initial = 500 * time.Millisecond
	}
	if c.retry.Max <= 0 {
		c.retry.Max = 30 * time.Second
	}
	c.allowed = cfg.AllowedUnits
	if len(c.allowed) == 0 {
		c.allowed = []string{"piece"}
	}
	c.tz = cfg.TimeZone
	if c.tz == nil {
		c.tz = time.UTC
	}
	return c, nil
}

func httpClient(cfg Config) (*http.Client, error) {
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if cfg.CAFile != "" {
			pem, err := os.ReadFile(cfg.CAFile)
			if err != nil {
				return nil, fmt.Errorf("nexopos: ca_file: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("nexopos: ca_file %q holds no PEM certificate", cfg.CAFile)
			}
			tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		}
		hc.Transport = tr
	}
	// A redirect means the sign-in page (no credentials, or no JSON
	// accepted): report it instead of following it.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Defaults returns the defaults in use (Bootstrap may have filled some).
func (c *Client) Defaults() Defaults {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.defaults
}
