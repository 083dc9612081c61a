package nexosim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault actions.
const (
	ActionLatency   = "slow"      // delay the request by Delay, then serve it
	ActionStatus    = "status"    // answer Status (500, 502, 503…) with a generic body
	ActionRateLimit = "429"       // 429 with Retry-After (RetryAfter, default 1s)
	ActionThrottle  = "throttle"  // the production throttle body: 500 "Too Many Attempts."
	ActionHang      = "hang"      // never answer until the client gives up or Close
	ActionReset     = "reset"     // close the connection without an answer
	ActionTruncate  = "truncate"  // serve, then cut the body in half and drop the connection
	ActionMalformed = "malformed" // serve, prefixed with a PHP warning so the JSON is invalid
	ActionStock     = "stock"     // business 500: not enough stock
	ActionSKU       = "sku"       // business 500: SKU already in use
	ActionBarcode   = "barcode"   // business 500: barcode already in use
	ActionAuth      = "401"       // 401 Unauthenticated.
)

// Fault makes matching requests fail. A request matches when its method and
// route match; the Nth matching request and the Count-1 after it are faulted
// (each with Probability, if set).
type Fault struct {
	// Route is "*", a route group ("products", "orders", "customers",
	// "categories", "user", a CRUD namespace such as "ns.products", or "crud"
	// for every CRUD route) or a full pattern ("/api/products/{id}").
	Route string
	// Method is GET, POST, PUT, DELETE, or "" / "*" for any.
	Method string
	// Action is one of the Action constants.
	Action string
	// Status for ActionStatus (default 500).
	Status int
	// RetryAfter for ActionRateLimit (default 1s).
	RetryAfter time.Duration
	// Delay for ActionLatency.
	Delay time.Duration
	// Nth is the first matching request to fault, counted from 1 (default 1).
	Nth int
	// Count is how many matching requests to fault (default 1; negative = all).
	Count int
	// Probability in (0,1] faults each eligible request at random using the
	// simulator's seeded source; 0 means always.
	Probability float64
}

type faultState struct {
	Fault
	seen, fired int
}

// SetFaults replaces the active faults; nil clears them.
func (s *Sim) SetFaults(faults []Fault) {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.faults = s.faults[:0]
	for _, f := range faults {
		if f.Nth <= 0 {
			f.Nth = 1
		}
		if f.Count == 0 {
			f.Count = 1
		}
		s.faults = append(s.faults, &faultState{Fault: f})
	}
}

// FaultsFired returns how many requests the active faults have hit since
// SetFaults (counted when the fault is chosen, so a request still hanging
// is counted).
func (s *Sim) FaultsFired() int {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	n := 0
	for _, f := range s.faults {
		n += f.fired
	}
	return n
}

// routeGroup names the group of a route pattern: the CRUD namespace for
// /api/crud/{ns}…, else the first path segment after /api/.
func routeGroup(pattern string) string {
	rest, ok := strings.CutPrefix(pattern, "/api/")
	if !ok {
		return ""
	}
	if ns, ok := strings.CutPrefix(rest, "crud/"); ok {
		ns, _, _ = strings.Cut(ns, "/")
		return ns
	}
	g, _, _ := strings.Cut(rest, "/")
	return g
}

func (f *Fault) matches(method, pattern string) bool {
	if f.Method != "" && f.Method != "*" && !strings.EqualFold(f.Method, method) {
		return false
	}
	switch f.Route {
	case "", "*":
		return true
	case pattern:
		return true
	case "crud":
		return strings.HasPrefix(pattern, "/api/crud/")
	}
	return f.Route == routeGroup(pattern)
}

// pickFault returns the fault to apply to this request; s.ctl is held.
func (s *Sim) pickFault(method, pattern string) *faultState {
	for _, f := range s.faults {
		if !f.matches(method, pattern) {
			continue
		}
		f.seen++
		if f.seen < f.Nth || (f.Count >= 0 && f.seen >= f.Nth+f.Count) {
			continue
		}
		if f.Probability > 0 && s.rng.Float64() >= f.Probability {
			continue
		}
		f.fired++
		return f
	}
	return nil
}

// applyFault answers the request for every action that replaces the
// response; it reports whether the request is finished.
func (s *Sim) applyFault(w http.ResponseWriter, r *http.Request, f *faultState) bool {
	switch f.Action {
	case ActionLatency:
		return !s.wait(r.Context(), f.Delay)
	case ActionRateLimit:
		ra := f.RetryAfter
		if ra <= 0 {
			ra = time.Second
		}
		w.Header().Set("Retry-After", strconv.Itoa(int((ra+time.Second-1)/time.Second)))
		writeJSON(w, http.StatusTooManyRequests, debugTrace("Illuminate\\Http\\Exceptions\\ThrottleRequestsException", "Too Many Attempts."))
	case ActionThrottle:
		writeJSON(w, http.StatusInternalServerError, map[string]any{"status": "error", "message": "Too Many Attempts.", "previous": s.URL() + r.URL.Path})
	case ActionStatus:
		code := f.Status
		if code == 0 {
			code = http.StatusInternalServerError
		}
		if code == http.StatusInternalServerError {
			writeJSON(w, code, map[string]any{"message": "Server Error"})
		} else {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(code)
			fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><center><h1>%d %s</h1></center><hr><center>nginx</center></body></html>", code, http.StatusText(code), code, http.StatusText(code))
		}
	case ActionHang:
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
	case ActionReset:
		resetConn(w)
	case ActionStock:
		s.render(w, r, exception("Unable to proceed, there is not enough stock for %s using the unit %s. Requested : %s, available %s", "Simulated Product", "Piece", "1", "0"))
	case ActionSKU:
		s.render(w, r, exception("The provided SKU \"%s\" is already in use.", "SIMULATED"))
	case ActionBarcode:
		s.render(w, r, exception("The provided barcode \"%s\" is already in use.", "SIMULATED"))
	case ActionAuth:
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Unauthenticated."})
	default:
		return false // truncate, malformed: served then mangled
	}
	return true
}

// ParseFaults parses the fault grammar described in the package
// documentation, e.g. "products:GET:429x3,orders:POST:reset@2".
func ParseFaults(spec string) ([]Fault, error) {
	var out []Fault
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		f, err := parseFault(item)
		if err != nil {
			return nil, fmt.Errorf("nexosim: fault %q: %w", item, err)
		}
		out = append(out, f)
	}
	return out, nil
}

func parseFault(item string) (Fault, error) {
	parts := strings.Split(item, ":")
	if len(parts) != 3 {
		return Fault{}, fmt.Errorf("want ROUTE:METHOD:ACTION")
	}
	f := Fault{Route: parts[0], Method: strings.ToUpper(parts[1]), Nth: 1, Count: 1}
	switch f.Method {
	case "*", "GET", "POST", "PUT", "DELETE":
	default:
		return Fault{}, fmt.Errorf("unknown method %q", parts[1])
	}
	action := parts[2]
	cut := strings.IndexAny(action, "x@%")
	mods := ""
	if cut >= 0 {
		action, mods = action[:cut], action[cut:]
	}
	if err := f.setAction(action); err != nil {
		return Fault{}, err
	}
	for mods != "" {
		op := mods[0]
		mods = mods[1:]
		end := strings.IndexAny(mods, "x@%")
		if end < 0 {
			end = len(mods)
		}
		val := mods[:end]
		mods = mods[end:]
		switch op {
		case 'x':
			if val == "*" {
				f.Count = -1
				continue
			}
			n, err := strconv.Atoi(val)
			if err != nil || n <= 0 {
				return Fault{}, fmt.Errorf("bad count %q", val)
			}
			f.Count = n
		case '@':
			n, err := strconv.Atoi(val)
			if err != nil || n <= 0 {
				return Fault{}, fmt.Errorf("bad position %q", val)
			}
			f.Nth = n
		case '%':
			p, err := strconv.ParseFloat(val, 64)
			if err != nil || p <= 0 || p > 100 {
				return Fault{}, fmt.Errorf("bad percentage %q", val)
			}
			f.Probability = p / 100
		}
	}
	return f, nil
}

func (f *Fault) setAction(a string) error {
	name, arg, hasArg := strings.Cut(a, "/")
	switch name {
	case "429":
		f.Action = ActionRateLimit
		if hasArg {
			d, err := time.ParseDuration(arg)
			if err != nil {
				return fmt.Errorf("bad Retry-After %q", arg)
			}
			f.RetryAfter = d
		}
		return nil
	case "slow":
		d, err := time.ParseDuration(arg)
		if !hasArg || err != nil {
			return fmt.Errorf("slow needs a duration, e.g. slow/200ms")
		}
		f.Action, f.Delay = ActionLatency, d
		return nil
	case ActionThrottle, ActionHang, ActionReset, ActionTruncate, ActionMalformed, ActionStock, ActionSKU, ActionBarcode, ActionAuth:
		f.Action = name
		return nil
	}
	if code, err := strconv.Atoi(name); err == nil && code >= 500 && code <= 599 {
		f.Action, f.Status = ActionStatus, code
		return nil
	}
	return fmt.Errorf("unknown action %q", a)
}

// Counters returns the number of requests received per "METHOD /pattern"
// (for example "GET /api/products/{id}", "GET /api/crud/ns.products"),
// throttled, refused and faulted requests included.
func (s *Sim) Counters() map[string]int {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	out := make(map[string]int, len(s.counters))
	for k, v := range s.counters {
		out[k] = v
	}
	return out
}

// Requests returns every request received since the last ResetCounters.
func (s *Sim) Requests() []Request {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetCounters clears the counters and the request log (not the throttle).
func (s *Sim) ResetCounters() {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.counters = map[string]int{}
	s.requests = nil
}
