package nexosim

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options configures a simulator. The zero value behaves like a production
// NexoPOS 5.3 install (APP_ENV=production, APP_DEBUG=false): the throttle is on
// at 80 requests a minute per user and errors use the production bodies.
type Options struct {
	// NoThrottle disables the 80-requests-a-minute throttle, as APP_ENV=local does.
	NoThrottle bool
	// ThrottlePerMinute overrides the limit (default 80).
	ThrottlePerMinute int
	// Debug selects the APP_DEBUG=true error bodies: 422 validation errors,
	// 500s with exception traces, and 429 (not 500) when throttled.
	Debug bool
	// Clock returns the current time; it drives timestamps, order codes and
	// the throttle windows. Default time.Now.
	Clock func() time.Time
	// Latency is added to every request before it is handled.
	Latency time.Duration
	// Version is reported by the probe; default "5.3.11". Only 5.3 behaviour
	// is simulated whatever the value.
	Version string
	// Location is the store timezone used for raw "Y-m-d H:i:s" values (orders,
	// CRUD lists). Default UTC (a real store defaults to Europe/London).
	Location *time.Location
	// Seed seeds the random source used by probabilistic faults and generated
	// barcodes. Default 1.
	Seed int64
}

// Sim is an in-memory NexoPOS. All methods are safe for concurrent use.
type Sim struct {
	opts Options
	loc  *time.Location
	mux  *http.ServeMux

	mu sync.Mutex // guards st
	st *state

	ctl      sync.Mutex // guards everything below
	latency  time.Duration
	counters map[string]int
	requests []Request
	faults   []*faultState
	rng      *rand.Rand
	windows  map[int]*throttleWindow
	tokens   map[int]tokenRow
	nextTok  int
	admin    string

	srv     *http.Server
	ln      net.Listener
	baseURL string
	closing chan struct{}
	once    sync.Once
}

// Request is one request the simulator received.
type Request struct {
	Method  string
	Path    string // URL path
	Route   string // counter key, "METHOD /pattern"
	Status  int    // status written (0 for a reset or hung connection)
	UserID  int    // authenticated user, 0 when none
	Time    time.Time
	Faulted string // the fault action applied, if any
}

// AdminID is the id of the administrator user every token acts as by default.
const AdminID = 1

// New builds a simulator seeded with the defaults of a fresh install (see
// Seed "empty") and one administrator token.
func New(opts Options) *Sim {
	if opts.ThrottlePerMinute <= 0 {
		opts.ThrottlePerMinute = 80
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Version == "" {
		opts.Version = "5.3.11"
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	s := &Sim{
		opts:     opts,
		loc:      opts.Location,
		latency:  opts.Latency,
		counters: map[string]int{},
		rng:      rand.New(rand.NewSource(opts.Seed)),
		windows:  map[int]*throttleWindow{},
		tokens:   map[int]tokenRow{},
		closing:  make(chan struct{}),
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	s.st = newState(s.now, opts.Seed)
	s.st.installDefaults()
	s.admin = s.AddToken(AdminID, "woonexo")
	s.mux = s.routes()
	return s
}

func (s *Sim) now() time.Time { return s.opts.Clock().UTC().Truncate(time.Second) }

// Start serves on 127.0.0.1 at a free port and returns the base URL
// ("http://127.0.0.1:PORT"; API routes live under /api).
func (s *Sim) Start() (string, error) { return s.Listen("127.0.0.1:0") }

// Listen serves on addr and returns the base URL.
func (s *Sim) Listen(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("nexosim: listen: %w", err)
	}
	s.ctl.Lock()
	s.ln = ln
	s.baseURL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	srv := s.srv
	s.ctl.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the listener was closed under us; nothing to report to
		}
	}()
	return s.URL(), nil
}

// URL is the base URL once started ("" before).
func (s *Sim) URL() string {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	return s.baseURL
}

// Close stops the server and releases hung requests.
func (s *Sim) Close() error {
	s.once.Do(func() { close(s.closing) })
	s.ctl.Lock()
	srv := s.srv
	s.ctl.Unlock()
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		_ = srv.Close()
	}
	return nil
}

// Token is the administrator's Sanctum token "<id>|<secret>".
func (s *Sim) Token() string {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	return s.admin
}

// SetLatency changes the latency added to every request.
func (s *Sim) SetLatency(d time.Duration) {
	s.ctl.Lock()
	s.latency = d
	s.ctl.Unlock()
}
