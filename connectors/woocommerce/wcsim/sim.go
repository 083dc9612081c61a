package wcsim

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Key is one WooCommerce REST API key.
type Key struct {
	ConsumerKey    string
	ConsumerSecret string
	// Permissions is "read", "write" or "read_write".
	Permissions string
}

// Options configure a Sim. The zero value is a plain-HTTP store with one
// generated read_write key, the real clock, WooCommerce 7.8.2, EUR and two
// price decimals.
type Options struct {
	// Keys accepted by the store; a read_write key is generated when empty.
	Keys []Key
	// HTTPS serves over TLS (httptest certificate) where Basic auth and
	// consumer_key/consumer_secret query parameters work. Without it the
	// store is plain HTTP and only OAuth 1.0a signatures authenticate.
	HTTPS bool
	// AllowBasicOverHTTP also accepts Basic auth and query keys on plain
	// HTTP (a store behind a TLS-terminating proxy that sets HTTPS=on).
	AllowBasicOverHTTP bool
	// Clock returns the current time; time.Now when nil.
	Clock func() time.Time
	// Latency is added to every request.
	Latency time.Duration
	// Version is the WooCommerce version reported; "7.8.2" when empty.
	Version string
	// PriceDecimals is the store's "number of decimals"; 2 when zero.
	PriceDecimals int
	// Currency is the store currency code; "EUR" when empty.
	Currency string
	// Location is the site time zone for the local date fields; UTC when nil.
	Location *time.Location
	// FaultSeed seeds the random source of probabilistic faults.
	FaultSeed int64
}

// Sim is a stateful in-memory WooCommerce store behind an HTTP handler.
// All methods are safe for concurrent use.
type Sim struct {
	opts    Options
	clock   func() time.Time
	loc     *time.Location
	latency atomic.Int64
	closing chan struct{}
	closeMu sync.Once

	// mu guards the store state below. Reads (GET and HEAD requests, the
	// accessors that copy) hold it shared, so concurrent page requests are
	// served in parallel; everything that changes the store holds it alone.
	mu  sync.RWMutex
	st  *state
	url string
	srv *httptest.Server

	nmu   sync.Mutex // guards nonce
	nonce map[string]map[string]time.Time

	cmu      sync.Mutex // guards counters
	counters map[string]int
	total    int

	fmu    sync.Mutex // guards faults
	faults []*faultState
	rng    *lockedRand
}

// New returns a store seeded with the defaults every WooCommerce has: the
// administrator user (id 1), the "Uncategorized" category, the payment
// gateways bacs, cheque, cod (disabled) and the three shipping methods.
func New(opts Options) *Sim {
	if len(opts.Keys) == 0 {
		opts.Keys = []Key{{ConsumerKey: "ck_" + randomHex(20), ConsumerSecret: "cs_" + randomHex(20), Permissions: "read_write"}}
	}
	if opts.Version == "" {
		opts.Version = "7.8.2"
	}
	if opts.PriceDecimals == 0 {
		opts.PriceDecimals = 2
	}
	if opts.Currency == "" {
		opts.Currency = "EUR"
	}
	s := &Sim{
		opts:     opts,
		clock:    opts.Clock,
		loc:      opts.Location,
		closing:  make(chan struct{}),
		nonce:    map[string]map[string]time.Time{},
		counters: map[string]int{},
		rng:      newLockedRand(opts.FaultSeed),
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	s.latency.Store(int64(opts.Latency))
	s.st = newState()
	s.st.resetDefaults(s.now())
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("wcsim: random key: %v", err))
	}
	return hex.EncodeToString(b)[:n*2]
}

// now returns the injected clock truncated to the second, as WordPress
// stores dates.
func (s *Sim) now() time.Time { return s.clock().UTC().Truncate(time.Second) }

// Start serves the store on a new loopback listener and returns its base
// URL (scheme and host, without /wp-json).
func (s *Sim) Start() (string, error) { return s.Listen("127.0.0.1:0") }

// Listen serves the store on addr and returns its base URL.
func (s *Sim) Listen(addr string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return "", errors.New("wcsim: listen: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("wcsim: listen: %w", err)
	}
	srv := httptest.NewUnstartedServer(s.Handler())
	srv.Listener.Close()
	srv.Listener = ln
	if s.opts.HTTPS {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	s.srv = srv
	s.url = srv.URL
	return srv.URL, nil
}

// URL returns the base URL once started, "" before.
func (s *Sim) URL() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.url
}

// Client returns an HTTP client that trusts the store's TLS certificate
// (http.DefaultClient's settings otherwise); nil before Start.
func (s *Sim) Client() *http.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv == nil {
		return nil
	}
	return s.srv.Client()
}

// Certificate returns the PEM-free DER bytes of the TLS certificate of an
// HTTPS store, nil otherwise.
func (s *Sim) Certificate() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv == nil || s.srv.Certificate() == nil {
		return nil
	}
	return s.srv.Certificate().Raw
}

// Key returns the first configured key.
func (s *Sim) Key() Key { return s.opts.Keys[0] }

// Keys returns every configured key.
func (s *Sim) Keys() []Key { return append([]Key(nil), s.opts.Keys...) }

// HTTPS reports whether the store is served over TLS.
func (s *Sim) HTTPS() bool { return s.opts.HTTPS }

// SetLatency changes the latency added to every request.
func (s *Sim) SetLatency(d time.Duration) { s.latency.Store(int64(d)) }

// Close stops the server and releases hanging requests.
func (s *Sim) Close() {
	s.closeMu.Do(func() { close(s.closing) })
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv != nil {
		srv.CloseClientConnections()
		srv.Close()
	}
}

// Counters returns the number of requests per "METHOD /wc/v3/route" with
// ids replaced by {id}, e.g. "GET /wc/v3/products" or
// "POST /wc/v3/products/batch"; the index is "GET /" and "GET /wc/v3".
func (s *Sim) Counters() map[string]int {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	out := make(map[string]int, len(s.counters))
	for k, v := range s.counters {
		out[k] = v
	}
	return out
}

// ResetCounters sets every counter to zero.
func (s *Sim) ResetCounters() {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	s.counters = map[string]int{}
	s.total = 0
}

// Requests returns the number of requests served since the last reset.
func (s *Sim) Requests() int {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	return s.total
}

func (s *Sim) count(method, pattern string) {
	s.cmu.Lock()
	s.counters[method+" "+pattern]++
	s.total++
	s.cmu.Unlock()
}

// baseURL is the home URL used in links and OAuth base strings.
func (s *Sim) baseURL(r *http.Request) string {
	s.mu.RLock()
	u := s.url
	s.mu.RUnlock()
	if u != "" {
		return u
	}
	scheme := "http"
	if r.TLS != nil || s.opts.HTTPS {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Sim) findKey(ck string) (Key, bool) {
	for _, k := range s.opts.Keys {
		if k.ConsumerKey == ck {
			return k, true
		}
	}
	return Key{}, false
}

func trimSlash(p string) string { return strings.Trim(p, "/") }
