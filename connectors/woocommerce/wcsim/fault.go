package wcsim

import (
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Action is what an injected fault does.
type Action string

// Fault actions.
const (
	ActionLatency   Action = "latency"    // add Fault.Latency, then serve normally
	ActionStatus    Action = "status"     // answer Fault.Status (429, 500, 502, 503) without processing
	ActionHang      Action = "hang"       // never answer, without processing, until the client gives up
	ActionReset     Action = "reset"      // process the request, then close the connection without a response
	ActionTruncate  Action = "truncate"   // process, then send only the first half of the body
	ActionMalformed Action = "malformed"  // process, then send the body after a PHP notice (invalid JSON)
	ActionItemError Action = "item_error" // batch items fail with an error object (each with Probability)
)

// Fault is one injected failure. It matches requests by route and method
// and fires on all of them, only the Nth, at most Count times, and/or with
// Probability (seeded RNG).
type Fault struct {
	// Route is "*", a group (products, categories, customers, orders,
	// payment_gateways, shipping_methods, system_status, index), "batch"
	// (every batch route) or a counter pattern such as
	// "/wc/v3/products/{id}".
	Route string
	// Method is an HTTP method, or "" / "*" for any.
	Method     string
	Action     Action
	Status     int           // ActionStatus
	RetryAfter time.Duration // sent as Retry-After (whole seconds) with 429 and 503
	Latency    time.Duration // ActionLatency
	// Nth fires only on the Nth matching request (1-based); 0 = any.
	Nth int
	// Count fires at most Count times; 0 = unlimited.
	Count int
	// Probability fires with this chance (per item for ActionItemError);
	// 0 = always.
	Probability float64
}

type faultState struct {
	f           Fault
	seen, fired int
}

// activeFault is the fault chosen for one request.
type activeFault struct{ f Fault }

type lockedRand struct {
	mu sync.Mutex
	r  *rand.Rand
}

func newLockedRand(seed int64) *lockedRand { return &lockedRand{r: rand.New(rand.NewSource(seed))} }

func (l *lockedRand) float() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Float64()
}

// SetFaults replaces the injected faults (nil clears them).
func (s *Sim) SetFaults(faults []Fault) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.faults = nil
	for _, f := range faults {
		s.faults = append(s.faults, &faultState{f: f})
	}
}

// ClearFaults removes every injected fault.
func (s *Sim) ClearFaults() { s.SetFaults(nil) }

// FaultsFired returns how many requests the installed faults have hit
// (latency faults included) since SetFaults.
func (s *Sim) FaultsFired() int {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	n := 0
	for _, st := range s.faults {
		n += st.fired
	}
	return n
}

func (f Fault) matches(method string, rt route) bool {
	if f.Method != "" && f.Method != "*" && !strings.EqualFold(f.Method, method) {
		return false
	}
	switch {
	case f.Route == "" || f.Route == "*":
		return true
	case f.Route == "batch":
		return rt.kind == "batch"
	case strings.HasPrefix(f.Route, "/"):
		return f.Route == rt.pattern || "/wc/v3"+f.Route == rt.pattern
	default:
		return f.Route == rt.group
	}
}

// pickFault applies latency faults and returns the first other fault that
// fires for this request.
func (s *Sim) pickFault(method string, rt route) *activeFault {
	s.fmu.Lock()
	var chosen *activeFault
	var delay time.Duration
	for _, st := range s.faults {
		if !st.f.matches(method, rt) {
			continue
		}
		if st.f.Action == ActionItemError && rt.kind != "batch" {
			continue
		}
		st.seen++
		if st.f.Nth > 0 && st.seen != st.f.Nth || st.f.Count > 0 && st.fired >= st.f.Count {
			continue
		}
		if st.f.Probability > 0 && st.f.Action != ActionItemError && s.rng.float() >= st.f.Probability {
			continue
		}
		if st.f.Action == ActionLatency {
			st.fired++
			delay += st.f.Latency
			continue
		}
		if chosen == nil {
			st.fired++
			chosen = &activeFault{f: st.f}
		}
	}
	s.fmu.Unlock()
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-s.closing:
		}
		t.Stop()
	}
	return chosen
}

// itemFails reports whether one batch item is replaced by an error.
func (a *activeFault) itemFails(s *Sim) bool {
	if a == nil || a.f.Action != ActionItemError {
		return false
	}
	return a.f.Probability <= 0 || s.rng.float() < a.f.Probability
}

// before handles faults that answer instead of the store.
func (a *activeFault) before(s *Sim, w http.ResponseWriter, r *http.Request) bool {
	switch a.f.Action {
	case ActionStatus:
		h := w.Header()
		if a.f.RetryAfter > 0 && (a.f.Status == 429 || a.f.Status == 503) {
			h.Set("Retry-After", strconv.Itoa(int((a.f.RetryAfter+time.Second-1)/time.Second)))
		}
		switch a.f.Status {
		case 429:
			w.WriteHeader(429)
		case 500:
			h.Set("Content-Type", "application/json; charset=UTF-8")
			w.WriteHeader(500)
			_, _ = w.Write([]byte(`{"code":"internal_server_error","message":"<p>There has been a critical error on this website.<\/p>","data":{"status":500},"additional_errors":[]}`))
		default:
			h.Set("Content-Type", "text/html")
			w.WriteHeader(a.f.Status)
			_, _ = fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><h1>%d %s</h1></body></html>\n",
				a.f.Status, http.StatusText(a.f.Status), a.f.Status, http.StatusText(a.f.Status))
		}
		return true
	case ActionHang:
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
		return true
	}
	return false
}

// after handles faults that damage the answer of a processed request.
func (a *activeFault) after(s *Sim, w http.ResponseWriter, status int, body []byte) bool {
	switch a.f.Action {
	case ActionReset:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler)
	case ActionTruncate:
		w.WriteHeader(status)
		_, _ = w.Write(body[:len(body)/2])
		return true
	case ActionMalformed:
		w.WriteHeader(status)
		_, _ = w.Write([]byte("<br />\n<b>Notice</b>:  Undefined index: wcsim in <b>/var/www/wp-content/plugins/plugin.php</b> on line <b>42</b><br />\n"))
		_, _ = w.Write(body)
		return true
	}
	return false
}

// ParseFaults reads the --faults text: comma-separated faults, each
//
//	route ":" [method ":"] action ["x" count] ["@" nth] [":" probability]
//
// where action is 429[=retry-after], 500, 502, 503[=retry-after],
// latency=DURATION, hang, reset, truncate, malformed or item_error.
// Examples: "products:GET:429x3", "orders:POST:reset@2",
// "batch:item_error:0.1", "*:*:latency=200ms:0.5".
func ParseFaults(spec string) ([]Fault, error) {
	var out []Fault
	for _, raw := range strings.Split(spec, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		f, err := parseFault(raw)
		if err != nil {
			return nil, fmt.Errorf("wcsim: parse fault %q: %w", raw, err)
		}
		out = append(out, f)
	}
	return out, nil
}

var methods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "*": true}

func parseFault(raw string) (Fault, error) {
	parts := strings.Split(raw, ":")
	if len(parts) < 2 {
		return Fault{}, errors.New("want route:[method:]action")
	}
	f := Fault{Route: parts[0]}
	rest := parts[1:]
	if methods[strings.ToUpper(rest[0])] {
		f.Method = strings.ToUpper(rest[0])
		rest = rest[1:]
	}
	if len(rest) == 0 || len(rest) > 2 {
		return Fault{}, errors.New("want one action and an optional probability")
	}
	if len(rest) == 2 {
		p, err := strconv.ParseFloat(rest[1], 64)
		if err != nil || p <= 0 || p > 1 {
			return Fault{}, fmt.Errorf("bad probability %q", rest[1])
		}
		f.Probability = p
	}
	act := rest[0]
	if i := strings.LastIndexByte(act, '@'); i >= 0 {
		n, err := strconv.Atoi(act[i+1:])
		if err != nil || n < 1 {
			return Fault{}, fmt.Errorf("bad @nth %q", act[i+1:])
		}
		f.Nth, act = n, act[:i]
	}
	if i := strings.LastIndexByte(act, 'x'); i > 0 {
		if n, err := strconv.Atoi(act[i+1:]); err == nil {
			if n < 1 {
				return Fault{}, fmt.Errorf("bad count %q", act[i+1:])
			}
			f.Count, act = n, act[:i]
		}
	}
	name, arg, hasArg := strings.Cut(act, "=")
	switch name {
	case "429", "500", "502", "503":
		f.Action = ActionStatus
		f.Status, _ = strconv.Atoi(name)
		if hasArg {
			d, err := parseSeconds(arg)
			if err != nil {
				return Fault{}, err
			}
			f.RetryAfter = d
		} else if name == "429" {
			f.RetryAfter = time.Second
		}
	case "latency":
		d, err := time.ParseDuration(arg)
		if err != nil || !hasArg {
			return Fault{}, fmt.Errorf("bad latency %q", arg)
		}
		f.Action, f.Latency = ActionLatency, d
	case "hang", "reset", "truncate", "malformed", "item_error":
		f.Action = Action(name)
	default:
		return Fault{}, fmt.Errorf("unknown action %q", name)
	}
	return f, nil
}

func parseSeconds(s string) (time.Duration, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("bad retry-after %q", s)
	}
	return d, nil
}
