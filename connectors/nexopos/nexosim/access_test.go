package nexosim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestUnauthenticatedBodies(t *testing.T) {
	s, _ := start(t, Options{ThrottlePerMinute: 1})
	for _, tok := range []string{"Bearer 1|wrong", "Bearer 99|x", "Bearer nopipe", ""} {
		code, m, raw := do(t, s, "GET", "/api/products", nil, "Authorization", tok)
		if code != 401 || len(m) != 1 || m["message"] != "Unauthenticated." {
			t.Fatalf("%q: %d %s", tok, code, raw)
		}
	}
	// Unauthenticated requests are not counted: the one allowed hit is still there.
	if code, _, _ := do(t, s, "GET", "/api/user", nil); code != 200 {
		t.Fatalf("first authenticated request: %d", code)
	}
	// Without Accept: application/json the API redirects to the sign-in page.
	code, _, raw := do(t, s, "GET", "/api/products", nil, "Authorization", "", "Accept", "text/html")
	if code != 302 || !strings.Contains(string(raw), s.URL()+"/sign-in") {
		t.Fatalf("redirect: %d %s", code, raw)
	}
	req, _ := http.NewRequest("GET", s.URL()+"/api/products", nil)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 302 || resp.Header.Get("Location") != s.URL()+"/sign-in" {
		t.Fatalf("no Accept header: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// A revoked token is refused.
	tok := s.AddToken(AdminID, "other")
	s.RevokeToken(tok)
	if code, _, _ := do(t, s, "GET", "/api/user", nil, "Authorization", "Bearer "+tok); code != 401 {
		t.Fatalf("revoked token: %d", code)
	}
}

func TestCSRFOnlyWithOrigin(t *testing.T) {
	s, _ := start(t, Options{NoThrottle: true})
	body := map[string]any{"name": "Mugs"}
	for _, hdr := range [][]string{{"Origin", "http://localhost"}, {"Referer", s.URL() + "/dashboard"}, {"Origin", s.URL()}} {
		code, m, _ := do(t, s, "POST", "/api/categories", body, hdr...)
		if code != 419 || m["message"] != "CSRF token mismatch." {
			t.Fatalf("%v: %d %v", hdr, code, m)
		}
	}
	// Safe methods pass; a foreign origin is not stateful; no Origin at all is stateless.
	if code, _, _ := do(t, s, "GET", "/api/categories", nil, "Origin", "http://localhost"); code != 200 {
		t.Fatalf("GET with Origin: %d", code)
	}
	if code, _, _ := do(t, s, "POST", "/api/categories", body, "Origin", "https://elsewhere.example"); code != 200 {
		t.Fatalf("foreign Origin: %d", code)
	}
	if code, _, _ := do(t, s, "POST", "/api/categories", body); code != 200 {
		t.Fatalf("no Origin: %d", code)
	}
	if len(s.Categories()) != 3 {
		t.Fatalf("categories: %d", len(s.Categories()))
	}
}

func TestThrottleProduction(t *testing.T) {
	s, clk := start(t, Options{ThrottlePerMinute: 3})
	second := s.AddToken(AdminID, "second") // the same user: one bucket
	tokens := []string{s.Token(), second, s.Token()}
	for i, tok := range tokens {
		code, _, raw := do(t, s, "GET", "/api/user", nil, "Authorization", "Bearer "+tok)
		if code != 200 {
			t.Fatalf("request %d: %d %s", i, code, raw)
		}
	}
	code, m, raw := doHeaders(t, s, "GET", "/api/user", "Bearer "+second)
	if code.status != 500 || m["status"] != "error" || m["message"] != "Too Many Attempts." || m["previous"] == nil {
		t.Fatalf("over the limit: %d %s", code.status, raw)
	}
	for _, h := range []string{"Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining"} {
		if code.h.Get(h) != "" {
			t.Fatalf("production refusal carries %s", h)
		}
	}
	// Another user has their own bucket.
	other := s.AddToken(s.Defaults().CustomerID, "cashier")
	if code, _, _ := doHeaders(t, s, "GET", "/api/user", "Bearer "+other); code.status != 200 || code.h.Get("X-RateLimit-Remaining") != "2" {
		t.Fatalf("other user: %d %q", code.status, code.h.Get("X-RateLimit-Remaining"))
	}
	clk.add(59 * time.Second)
	if code, _, _ := doHeaders(t, s, "GET", "/api/user", "Bearer "+s.Token()); code.status != 500 {
		t.Fatalf("still inside the window: %d", code.status)
	}
	clk.add(time.Second)
	if code, _, _ := doHeaders(t, s, "GET", "/api/user", "Bearer "+s.Token()); code.status != 200 || code.h.Get("X-RateLimit-Limit") != "3" || code.h.Get("X-RateLimit-Remaining") != "2" {
		t.Fatalf("new window: %d %v", code.status, code.h)
	}
}

func TestThrottleDebug(t *testing.T) {
	s, clk := start(t, Options{ThrottlePerMinute: 2, Debug: true})
	for range 2 {
		doHeaders(t, s, "GET", "/api/user", "Bearer "+s.Token())
	}
	clk.add(20 * time.Second)
	r, m, raw := doHeaders(t, s, "GET", "/api/products", "Bearer "+s.AddToken(AdminID, "b"))
	if r.status != 429 || m["message"] != "Too Many Attempts." || m["exception"] != "Illuminate\\Http\\Exceptions\\ThrottleRequestsException" {
		t.Fatalf("debug refusal: %d %s", r.status, raw)
	}
	if r.h.Get("Retry-After") != "40" || r.h.Get("X-RateLimit-Remaining") != "0" || r.h.Get("X-RateLimit-Limit") != "2" ||
		r.h.Get("X-RateLimit-Reset") != "1746090060" {
		t.Fatalf("debug headers: %v", r.h)
	}
	// The refused request was not counted.
	clk.add(40 * time.Second)
	if r, _, _ := doHeaders(t, s, "GET", "/api/user", "Bearer "+s.Token()); r.status != 200 || r.h.Get("X-RateLimit-Remaining") != "1" {
		t.Fatalf("after the window: %d %v", r.status, r.h)
	}
	if got := s.Counters()["GET /api/products"]; got != 1 {
		t.Fatalf("throttled requests are counted: %d", got)
	}
}

type reply struct {
	status int
	h      http.Header
}

func doHeaders(t *testing.T, s *Sim, method, path, auth string) (reply, map[string]any, []byte) {
	t.Helper()
	code, m, raw, h := send(t, s, method, path, nil, auth)
	return reply{code, h}, m, raw
}

func send(t *testing.T, s *Sim, method, path string, in []byte, auth string) (int, map[string]any, []byte, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL()+path, bytes.NewReader(in))
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	m := map[string]any{}
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m, raw, resp.Header
}

func TestFaultActions(t *testing.T) {
	s, _ := start(t, Options{NoThrottle: true})
	get := func(ctx context.Context) (*http.Response, []byte, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+"/api/categories", nil)
		req.Header.Set("Authorization", "Bearer "+s.Token())
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		return resp, raw, err
	}
	set := func(spec string) {
		fs, err := ParseFaults(spec)
		if err != nil {
			t.Fatal(err)
		}
		s.SetFaults(fs)
	}

	set("categories:GET:hang")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, _, err := get(ctx); done <- err }()
	waitFor(t, func() bool { return s.Counters()["GET /api/categories"] == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("hang: %v", err)
	}

	set("categories:GET:reset")
	if _, _, err := get(context.Background()); err == nil {
		t.Fatal("reset: no error")
	}

	set("categories:GET:truncate")
	if _, _, err := get(context.Background()); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncate: %v", err)
	}

	set("categories:GET:malformed")
	resp, raw, err := get(context.Background())
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(string(raw), "<br />") || json.Unmarshal(raw, new(any)) == nil ||
		!strings.HasSuffix(string(raw), "]") {
		t.Fatalf("malformed: %v %s", err, raw)
	}

	for spec, want := range map[string]string{
		"categories:GET:stock":    "Unable to proceed, there is not enough stock for Simulated Product using the unit Piece. Requested : 1, available 0",
		"categories:GET:sku":      `The provided SKU "SIMULATED" is already in use.`,
		"categories:GET:barcode":  `The provided barcode "SIMULATED" is already in use.`,
		"categories:GET:throttle": "Too Many Attempts.",
	} {
		set(spec)
		resp, raw, err := get(context.Background())
		m := map[string]any{}
		if err != nil || resp.StatusCode != 500 || json.Unmarshal(raw, &m) != nil || m["message"] != want || m["status"] != "error" {
			t.Fatalf("%s: %v %s", spec, err, raw)
		}
	}
	set("categories:GET:401")
	if resp, raw, _ := get(context.Background()); resp.StatusCode != 401 || string(raw) != `{"message":"Unauthenticated."}` {
		t.Fatalf("401: %d %s", resp.StatusCode, raw)
	}
	// Other routes and later requests are untouched.
	if code, _, _ := do(t, s, "GET", "/api/products", nil); code != 200 {
		t.Fatalf("other route: %d", code)
	}
	if resp, _, _ := get(context.Background()); resp.StatusCode != 200 {
		t.Fatalf("after the fault: %d", resp.StatusCode)
	}
	var faulted []string
	for _, r := range s.Requests() {
		if r.Faulted != "" {
			faulted = append(faulted, r.Faulted)
		}
	}
	sort.Strings(faulted)
	if got := strings.Join(faulted, ","); got != "401,barcode,hang,malformed,reset,sku,stock,throttle,truncate" {
		t.Fatalf("request log: %s", got)
	}
}

// waitFor polls cond until it holds; a request that is hanging inside the
// server can only be observed this way.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline:
			t.Fatal("condition not met before the deadline")
		case <-tick.C:
		}
	}
}
