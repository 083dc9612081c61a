package nexopos

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// maxBody bounds one response body (a 100,000-product listing is far below).
const maxBody = 512 << 20

// call is one logical API request.
type call struct {
	op     string // short operation name for errors ("read products")
	group  string // bounded route group for metrics ("products", "orders"...)
	method string
	path   string // below /api, e.g. "products/12/units"
	query  url.Values
	body   any
	// safe is true when repeating the request cannot do anything twice
	// (reads, searches, PUT of a whole record). Other requests are retried
	// only when the server certainly did not act on them (throttled,
	// connection refused).
	safe bool
	// stream, when set, decodes a successful body that is a JSON array as
	// it arrives, instead of out; other bodies go the usual way.
	stream func(*recorder) error
}

// envelope is the part of a NexoPOS JSON object that says whether it failed.
type envelope struct {
	Status  string          `json:"status"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

type clockAdapter struct{ c Clock }

func (a clockAdapter) Now() time.Time { return a.c.Now() }

// do sends cl within the budget, retrying as its safety allows, and decodes
// a successful body into out (nil: ignore the body).
func (c *Client) do(ctx context.Context, cl call, out any) error {
	var payload []byte
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return &Error{Op: cl.op, Kind: KindInvalid, Message: "encode request", Err: err}
		}
	}
	bo := &backoff.ExponentialBackOff{
		InitialInterval: c.retry.Initial, RandomizationFactor: 0.2, Multiplier: 2,
		MaxInterval: c.retry.Max, Stop: backoff.Stop, Clock: clockAdapter{c.clock},
	}
	bo.Reset()
	for attempt := 1; ; attempt++ {
		if err := c.waitBudget(ctx); err != nil {
			return &Error{Op: cl.op, Kind: KindTransient, Message: "waiting for the request budget", Err: err}
		}
		err := c.once(ctx, cl, payload, out)
		if err == nil {
			return nil
		}
		var e *Error
		if !errors.As(err, &e) || attempt >= c.retry.MaxAttempts || !c.retryable(cl, e) || ctx.Err() != nil {
			return err
		}
		wait := bo.NextBackOff()
		if e.RetryAfter > wait {
			wait = e.RetryAfter
		}
		c.log.Debug("nexopos retry", "op", cl.op, "attempt", attempt, "kind", string(e.Kind), "wait", wait)
		if c.hooks.OnRetry != nil {
			c.hooks.OnRetry(cl.group)
		}
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

func (c *Client) retryable(cl call, e *Error) bool {
	switch e.Kind {
	case KindRateLimited:
		return true // the throttle runs before the controller
	case KindTransient:
		return cl.safe || notSent(e.Err)
	}
	return false
}

// notSent reports whether a transport error certainly happened before the
// request reached the server.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// waitBudget takes one token from the shared bucket, waiting on the clock.
func (c *Client) waitBudget(ctx context.Context) error {
	c.budgetMu.Lock()
	now := c.clock.Now()
	r := c.limiter.ReserveN(now, 1)
	d := r.DelayFrom(now)
	c.budgetMu.Unlock()
	if d <= 0 {
		return nil
	}
	if c.hooks.OnBudgetWait != nil {
		c.hooks.OnBudgetWait(d)
	}
	if err := c.clock.Sleep(ctx, d); err != nil {
		r.CancelAt(c.clock.Now())
		return err
	}
	return nil
}

func (c *Client) once(ctx context.Context, cl call, payload []byte, out any) error {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + "/api/" + cl.path
	if len(cl.query) > 0 {
		u.RawQuery = cl.query.Encode()
	}
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(rctx, cl.method, u.String(), body)
	if err != nil {
		return &Error{Op: cl.op, Kind: KindInvalid, Message: "build request", Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.observe(cl, 0, start)
		return &Error{Op: cl.op, Kind: KindTransient, Err: c.scrubErr(err)}
	}
	defer resp.Body.Close()
	var from io.Reader = io.LimitReader(resp.Body, maxBody)
	if cl.stream != nil && resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		br := bufio.NewReaderSize(from, 64<<10)
		if b, ok := firstByte(br); ok && b == '[' {
			return c.streamBody(cl, resp, start, br)
		}
		from = br
	}
	raw, err := io.ReadAll(from)
	c.observe(cl, resp.StatusCode, start)
	if err != nil {
		return &Error{Op: cl.op, Kind: KindTransient, Status: resp.StatusCode, Message: "reading the response", Err: c.scrubErr(err)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.failure(cl.op, resp, raw)
	}
	trimmed := bytes.TrimSpace(raw)
	if bd, ok := out.(bodyDecoder); ok && bd.decodeBody(trimmed) {
		return nil
	}
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var env envelope
		if json.Unmarshal(trimmed, &env) == nil && (env.Status == "error" || env.Status == "failed") {
			return c.failure(cl.op, resp, raw)
		}
	}
	if out == nil {
		if len(trimmed) > 0 && !json.Valid(trimmed) {
			return &Error{Op: cl.op, Kind: KindTransient, Status: resp.StatusCode, Message: "malformed JSON response"}
		}
		return nil
	}
	if err := json.Unmarshal(trimmed, out); err != nil {
		return &Error{Op: cl.op, Kind: KindTransient, Status: resp.StatusCode, Message: "malformed JSON response", Err: err}
	}
	return nil
}

// streamBody decodes a successful array body with cl.stream as it arrives.
func (c *Client) streamBody(cl call, resp *http.Response, start time.Time, body io.Reader) error {
	rec := &recorder{r: body}
	err := cl.stream(rec)
	c.observe(cl, resp.StatusCode, start)
	switch {
	case rec.err != nil:
		return &Error{Op: cl.op, Kind: KindTransient, Status: resp.StatusCode, Message: "reading the response", Err: c.scrubErr(rec.err)}
	case err != nil:
		return &Error{Op: cl.op, Kind: KindTransient, Status: resp.StatusCode, Message: "malformed JSON response", Err: err}
	}
	return nil
}

func (c *Client) observe(cl call, status int, start time.Time) {
	if c.hooks.OnRequest != nil {
		c.hooks.OnRequest("nexopos", cl.group, cl.method, status, time.Since(start))
	}
}

// failure builds the Error of a response that failed (by status or body).
func (c *Client) failure(op string, resp *http.Response, raw []byte) *Error {
	e := &Error{Op: op, Status: resp.StatusCode}
	var body map[string]json.RawMessage
	hasData := false
	if json.Unmarshal(raw, &body) == nil {
		var msg string
		_ = json.Unmarshal(body["message"], &msg)
		e.Message = c.scrub(msg)
		_, hasData = body["data"]
		var exc string
		_ = json.Unmarshal(body["exception"], &exc)
		if i := strings.LastIndexByte(exc, '\\'); i >= 0 {
			exc = exc[i+1:]
		}
		e.Code = exc
	} else if resp.StatusCode >= 200 && resp.StatusCode < 400 {
		e.Message = "response is not JSON"
	}
	if len(e.Message) > 300 {
		e.Message = e.Message[:300] + "…"
	}
	e.Kind = classify(resp.StatusCode, e.Message, hasData)
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		e.Message = "redirected to " + c.scrub(resp.Header.Get("Location")) + " (not authenticated)"
	}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if s, err := strconv.Atoi(strings.TrimSpace(ra)); err == nil && s >= 0 {
			e.RetryAfter = time.Duration(s) * time.Second
		} else if t, err := http.ParseTime(ra); err == nil {
			e.RetryAfter = t.Sub(c.clock.Now())
		}
	}
	if e.Kind == KindRateLimited && e.RetryAfter <= 0 {
		// Without a header (production 500 body) the window is a minute
		// at most; wait a few seconds and let the budget pace the rest.
		e.RetryAfter = 5 * time.Second
	}
	return e
}

// scrub removes the token (and its secret half) from text that may be
// echoed into errors or logs.
func (c *Client) scrub(s string) string {
	if c.token == "" {
		return s
	}
	s = strings.ReplaceAll(s, c.token, "<secret>")
	if _, secret, ok := strings.Cut(c.token, "|"); ok && len(secret) >= 8 {
		s = strings.ReplaceAll(s, secret, "<secret>")
	}
	return s
}

func (c *Client) scrubErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if s := c.scrub(msg); s != msg {
		return errors.New(s)
	}
	return err
}

// apiPath joins path segments, escaping each.
func apiPath(parts ...any) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = url.PathEscape(fmt.Sprint(p))
	}
	return strings.Join(s, "/")
}
