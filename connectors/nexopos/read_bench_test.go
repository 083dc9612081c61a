package nexopos

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"sync"
	"testing"

	"github.com/woonexo/woonexo/connectors/nexopos/nexosim"
)

// BenchmarkReadSnapshot100k reads a simulator seeded with Seed("100000")
// (100,000 products, 20,000 customers, 200,000 orders, all known), as a
// cycle with nothing changed does. "sim" reads the live simulator, whose
// own encoding shares the process; "replay" serves the simulator's
// recorded answers, so the figures are the client's alone. retained-MB is
// the heap still held after the read, with the snapshot and the client's
// read cache alive.
func BenchmarkReadSnapshot100k(b *testing.B) {
	sim := nexosim.New(nexosim.Options{NoThrottle: true})
	url, err := sim.Start()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = sim.Close() })
	if err := sim.Seed("100000"); err != nil {
		b.Fatal(err)
	}
	known := knownOrders(sim)
	opts := ReadOptions{KnownOrders: known}
	newClient := func(b *testing.B, hc *http.Client) *Client {
		c, err := New(Config{BaseURL: url, Token: sim.Token(), HTTPClient: hc, BudgetPerMinute: 1 << 20, Burst: 1 << 20})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	rec := &replay{next: http.DefaultTransport, answers: map[string][]byte{}}
	if _, err := newClient(b, &http.Client{Transport: rec}).ReadSnapshot(b.Context(), opts); err != nil {
		b.Fatal(err)
	}
	rec.replaying = true
	for _, bc := range []struct {
		name string
		hc   *http.Client
	}{{"sim", nil}, {"replay", &http.Client{Transport: rec}}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var retained uint64
			for b.Loop() {
				c := newClient(b, bc.hc)
				before := heapInUse()
				s, err := c.ReadSnapshot(b.Context(), opts)
				if err != nil || len(s.Failed) != 0 || len(s.Products) != 100000 {
					b.Fatalf("read: %v %v, %d products", err, s.Failed, len(s.Products))
				}
				retained = heapInUse() - min(before, heapInUse())
				runtime.KeepAlive(s)
				runtime.KeepAlive(c)
			}
			b.ReportMetric(float64(retained)/(1<<20), "retained-MB")
		})
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// replay records the answers of GET requests once, then serves them from
// memory.
type replay struct {
	next      http.RoundTripper
	mu        sync.Mutex
	answers   map[string][]byte
	replaying bool
}

func (r *replay) RoundTrip(req *http.Request) (*http.Response, error) {
	key := req.Method + " " + req.URL.String()
	if r.replaying {
		r.mu.Lock()
		body, ok := r.answers[key]
		r.mu.Unlock()
		if ok {
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(bytes.NewReader(body)), Request: req}, nil
		}
		return r.next.RoundTrip(req)
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil || resp.StatusCode != 200 || req.Method != "GET" {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.answers[key] = body
	r.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}
