package nexosim

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type ctxKey struct{}

// Handler is the simulator's http.Handler, usable without Start (e.g. with
// httptest.NewServer).
func (s *Sim) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// statusWriter records the status and, when a fault needs to mangle the body,
// buffers the response instead of sending it.
type statusWriter struct {
	http.ResponseWriter
	status int
	buffer bool
	buf    bytes.Buffer
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status != 0 {
		return
	}
	w.status = code
	if !w.buffer {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.buffer {
		return w.buf.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (s *Sim) routeKey(r *http.Request) (key, pattern string) {
	_, pattern = s.mux.Handler(r)
	if pattern == "" {
		return r.Method + " (unmatched)", ""
	}
	if _, path, ok := strings.Cut(pattern, " "); ok {
		return r.Method + " " + path, path
	}
	return r.Method + " " + pattern, pattern
}

func (s *Sim) serve(rw http.ResponseWriter, r *http.Request) {
	key, pattern := s.routeKey(r)
	s.ctl.Lock()
	s.counters[key]++
	latency := s.latency
	f := s.pickFault(r.Method, pattern)
	s.ctl.Unlock()
	w := &statusWriter{ResponseWriter: rw}
	rec := Request{Method: r.Method, Path: r.URL.Path, Route: key, Time: s.opts.Clock()}
	if f != nil {
		rec.Faulted = f.Action
	}
	defer func() {
		rec.Status = w.status
		s.ctl.Lock()
		s.requests = append(s.requests, rec)
		s.ctl.Unlock()
	}()
	if latency > 0 && !s.wait(r.Context(), latency) {
		return
	}
	if f != nil {
		if done := s.applyFault(w, r, f); done {
			return
		}
		w.buffer = f.Action == ActionTruncate || f.Action == ActionMalformed
	}
	s.pipeline(w, r, pattern, &rec)
	if w.buffer {
		finishMangled(rw, w, f.Action)
	}
}

// pipeline runs the middleware of the api group in Laravel's effective
// order: authentication, then the stateful/CSRF check, then the throttle.
func (s *Sim) pipeline(w http.ResponseWriter, r *http.Request, pattern string, rec *Request) {
	if pattern == "" || !strings.HasPrefix(pattern, "/api/") {
		s.mux.ServeHTTP(w, r)
		return
	}
	user := s.authenticate(r)
	if user == 0 {
		if !expectsJSON(r) {
			s.redirectToSignIn(w)
			return
		}
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Unauthenticated."})
		return
	}
	rec.UserID = user
	if s.stateful(r) && csrfFails(r) {
		writeJSON(w, 419, map[string]any{"message": "CSRF token mismatch."})
		return
	}
	if !s.opts.NoThrottle && !s.throttle(w, r, user) {
		return
	}
	s.mux.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, user)))
}

type throttleWindow struct {
	start time.Time
	hits  int
}

// throttle applies Laravel's ThrottleRequests (80,1) keyed by the user: a
// window opens at the first hit and lasts a minute; the request over the
// limit is refused and not counted.
func (s *Sim) throttle(w http.ResponseWriter, r *http.Request, user int) bool {
	now := s.opts.Clock()
	limit := s.opts.ThrottlePerMinute
	s.ctl.Lock()
	win := s.windows[user]
	if win == nil || !now.Before(win.start.Add(time.Minute)) {
		win = &throttleWindow{start: now}
		s.windows[user] = win
	}
	if win.hits >= limit {
		reset := win.start.Add(time.Minute)
		s.ctl.Unlock()
		s.tooManyAttempts(w, r, now, reset, limit)
		return false
	}
	win.hits++
	remaining := limit - win.hits
	s.ctl.Unlock()
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(limit))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	return true
}

func (s *Sim) tooManyAttempts(w http.ResponseWriter, r *http.Request, now, reset time.Time, limit int) {
	if !s.opts.Debug {
		writeJSON(w, http.StatusInternalServerError, map[string]any{
			"status": "error", "message": "Too Many Attempts.", "previous": s.URL() + r.URL.Path,
		})
		return
	}
	secs := int((reset.Sub(now) + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(secs))
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	writeJSON(w, http.StatusTooManyRequests, debugTrace("Illuminate\\Http\\Exceptions\\ThrottleRequestsException", "Too Many Attempts."))
}

// wait sleeps d unless the request or the simulator ends first.
func (s *Sim) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.closing:
		return false
	}
}

// resetConn closes the client connection abruptly (RST when possible).
func resetConn(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	conn, _, err := rc.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

func finishMangled(rw http.ResponseWriter, w *statusWriter, action string) {
	body := w.buf.Bytes()
	switch action {
	case ActionTruncate:
		body = body[:len(body)/2]
		// The declared length would be wrong; drop it and cut the connection
		// after the partial body so the client sees an unexpected EOF.
		rw.Header().Del("Content-Length")
		rw.WriteHeader(w.status)
		_, _ = rw.Write(body)
		if f, ok := rw.(http.Flusher); ok {
			f.Flush()
		}
		panic(http.ErrAbortHandler)
	case ActionMalformed:
		notice := "<br />\n<b>Warning</b>:  Undefined array key \"sim\" in <b>/var/www/html/app/Services/ProductService.php</b> on line <b>42</b><br />\n"
		rw.Header().Del("Content-Length")
		rw.WriteHeader(w.status)
		_, _ = rw.Write(append([]byte(notice), body...))
	}
}

// Unwrap lets http.ResponseController reach the connection (resets).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
