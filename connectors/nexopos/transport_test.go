package nexopos

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// scripted serves canned responses in order, recording requests.
type scripted struct {
	mu        sync.Mutex
	responses []func(w http.ResponseWriter)
	got       []*http.Request
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.got = append(s.got, r)
	var f func(http.ResponseWriter)
	if len(s.responses) > 0 {
		f, s.responses = s.responses[0], s.responses[1:]
	}
	s.mu.Unlock()
	if f == nil {
		http.Error(w, `{"message":"no more"}`, 599)
		return
	}
	f(w)
}

func reply(status int, body string, headers ...string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func scriptedClient(t *testing.T, responses ...func(http.ResponseWriter)) (*Client, *scripted, *fakeClock) {
	t.Helper()
	s := &scripted{responses: responses}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	clk := newFakeClock()
	c, err := New(Config{BaseURL: srv.URL, Token: "3|topsecretvalue", Clock: clk, Retry: Retry{MaxAttempts: 4}})
	if err != nil {
		t.Fatal(err)
	}
	return c, s, clk
}

func TestHeaders(t *testing.T) {
	c, s, _ := scriptedClient(t, reply(200, `{"id":1,"username":"admin"}`))
	if _, err := c.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	r := s.got[0]
	if r.Header.Get("Authorization") != "Bearer 3|topsecretvalue" || r.Header.Get("Accept") != "application/json" ||
		r.Header.Get("Origin") != "" || r.Header.Get("Referer") != "" || r.URL.Path != "/api/user" {
		t.Fatalf("request %s %v", r.URL, r.Header)
	}
}

func TestRetryAfterOnThrottle(t *testing.T) {
	c, s, clk := scriptedClient(t,
		reply(429, `{"message":"Too Many Attempts."}`, "Retry-After", "17"),
		reply(500, `{"status":"error","message":"Too Many Attempts."}`),
		reply(200, `{"id":1}`))
	start := clk.Now()
	if _, err := c.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(s.got) != 3 {
		t.Fatalf("%d requests, want 3", len(s.got))
	}
	if waited := clk.Now().Sub(start); waited < 22*time.Second {
		t.Fatalf("waited %v, want Retry-After 17s then 5s", waited)
	}
}

func TestCreateNotRetriedAfterServerError(t *testing.T) {
	c, s, _ := scriptedClient(t, reply(502, `bad gateway`), reply(200, `{"status":"success","data":{"category":{"id":9}}}`))
	_, err := c.SaveCategory(t.Context(), snapshot.Category{Name: "x"})
	if !IsKind(err, KindTransient) || len(s.got) != 1 {
		t.Fatalf("err %v after %d requests; want transient after 1", err, len(s.got))
	}
	// A read is retried.
	c, s, _ = scriptedClient(t, reply(502, `bad gateway`), reply(200, `[]`))
	if _, err := c.FindCategory(t.Context(), "x", ""); err != nil || len(s.got) != 2 {
		t.Fatalf("err %v after %d requests", err, len(s.got))
	}
}

func TestFailureBodies(t *testing.T) {
	for _, tt := range []struct {
		resp func(http.ResponseWriter)
		want ErrorKind
	}{
		{reply(200, `{"status":"error","message":"Unable to delete this variation."}`), KindInvalid},
		{reply(200, `{"status":"failed","message":"You're not authenticated."}`), KindAuth},
		{reply(302, ``, "Location", "/sign-in"), KindAuth},
		{reply(401, `{"message":"Unauthenticated."}`), KindAuth},
		{reply(200, `<html>not json`), KindTransient},
	} {
		c, _, _ := scriptedClient(t, tt.resp, tt.resp, tt.resp, tt.resp)
		err := c.Delete(t.Context(), snapshot.KindCategory, "1")
		if !IsKind(err, tt.want) {
			t.Errorf("err %v, want %s", err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "topsecret") {
			t.Errorf("secret in %v", err)
		}
	}
}

func TestBudgetPacesRequests(t *testing.T) {
	var resps []func(http.ResponseWriter)
	for range 40 {
		resps = append(resps, reply(200, `{"id":1}`))
	}
	s := &scripted{responses: resps}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	clk := newFakeClock()
	var waited time.Duration
	c, err := New(Config{BaseURL: srv.URL, Token: "1|x", Clock: clk, BudgetPerMinute: 60, Burst: 10,
		OnBudgetWait: func(d time.Duration) { waited += d }})
	if err != nil {
		t.Fatal(err)
	}
	start := clk.Now()
	for range 40 {
		if _, err := c.Check(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	// 10 at once, then one a second.
	if el := clk.Now().Sub(start); el < 29*time.Second || el > 31*time.Second {
		t.Fatalf("40 requests took %v of clock time, want ~30s", el)
	}
	if waited < 29*time.Second {
		t.Fatalf("OnBudgetWait saw %v", waited)
	}
}
