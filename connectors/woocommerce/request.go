package woocommerce

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// retryMode says which failures a request may be repeated after.
type retryMode int

const (
	// retrySafe: reads and idempotent writes (updates, deletes) are
	// repeated after any transient or rate-limited failure.
	retrySafe retryMode = iota
	// retryUnsent: a request that may create records is repeated only when
	// it certainly was not processed (429, connection refused); after a
	// timeout or a 5xx the create may have happened, so the error goes back
	// to the caller, whose journal looks the record up.
	retryUnsent
)

// call is one API request.
type call struct {
	op     string // for errors, e.g. "list products"
	group  string // bounded route group for metrics, e.g. "products"
	method string
	path   string // under /wp-json/wc/v3
	query  url.Values
	body   any // JSON-encoded when non-nil
	mode   retryMode
}

// reply is a successful (2xx) response whose body is valid JSON.
type reply struct {
	status int
	header http.Header
	body   []byte
}

const maxBody = 64 << 20

// do sends c, retrying as its mode allows, and returns a 2xx reply or an
// *Error.
func (cl *Client) do(ctx context.Context, c call) (*reply, error) {
	var payload []byte
	if c.body != nil {
		var err error
		if payload, err = json.Marshal(c.body); err != nil {
			return nil, &Error{Op: c.op, Kind: KindInvalid, Message: "encode body: " + err.Error()}
		}
	}
	b := &retryAfterBackOff{cap: cl.retry.MaxRetryAfter}
	exp := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(cl.retry.InitialInterval),
		backoff.WithMaxInterval(cl.retry.MaxInterval),
		backoff.WithMaxElapsedTime(cl.retry.MaxElapsed),
	)
	b.next = backoff.WithContext(backoff.WithMaxRetries(exp, uint64(max(cl.retry.MaxRetries, 0))), ctx)
	attempt := func() (*reply, error) {
		r, err := cl.once(ctx, c, payload)
		if err == nil {
			return r, nil
		}
		if ctx.Err() != nil {
			return nil, backoff.Permanent(err)
		}
		var e *Error
		if !errors.As(err, &e) || !cl.mayRetry(c.mode, e) {
			return nil, backoff.Permanent(err)
		}
		b.retryAfter = e.RetryAfter
		return nil, err
	}
	notify := func(err error, wait time.Duration) {
		if cl.onRetry != nil {
			cl.onRetry(c.group)
		}
		cl.log.DebugContext(ctx, "retrying woocommerce request", "op", c.op, "wait", wait, "error", err)
	}
	r, err := backoff.RetryNotifyWithData(attempt, b, notify)
	if err != nil && ctx.Err() != nil && !errors.As(err, new(*Error)) {
		return nil, &Error{Op: c.op, Kind: KindTransient, Message: ctx.Err().Error(), Err: ctx.Err()}
	}
	return r, err
}

func (cl *Client) mayRetry(mode retryMode, e *Error) bool {
	switch e.Kind {
	case KindRateLimited:
		return true
	case KindTransient:
		return mode == retrySafe || errors.Is(e.Err, errNotSent)
	}
	return false
}

// errNotSent marks a transport failure before the request left (dial).
var errNotSent = errors.New("request not sent")

// once sends one attempt.
func (cl *Client) once(ctx context.Context, c call, payload []byte) (*reply, error) {
	endpoint := cl.endpoint(c.path)
	u := endpoint
	if len(c.query) > 0 {
		u += "?" + c.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u, body)
	if err != nil {
		return nil, &Error{Op: c.op, Kind: KindInvalid, Message: "build request: " + cl.scrub(err.Error())}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "woonexo")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cl.oauth {
		req.Header.Set("Authorization", oauthHeader(c.method, endpoint, c.query, cl.secret,
			oauthParams{ConsumerKey: cl.key, Timestamp: cl.clock(), Nonce: newNonce()}))
	} else {
		req.SetBasicAuth(cl.key, cl.secret)
	}
	start := time.Now()
	resp, err := cl.http.Do(req)
	if err != nil {
		cl.observe(c, 0, start)
		return nil, cl.transportError(c, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	cl.observe(c, resp.StatusCode, start)
	if err != nil {
		return nil, cl.transportError(c, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := errorFromBody(c.op, resp.StatusCode, data)
		e.Message = cl.scrub(e.Message)
		if cl.oauth && replayedNonce(e) {
			e.Kind = KindTransient
		}
		if e.Kind == KindRateLimited || resp.StatusCode == http.StatusServiceUnavailable {
			e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), cl.clock())
		}
		return nil, e
	}
	if !json.Valid(data) {
		return nil, &Error{Op: c.op, Kind: KindTransient, Status: resp.StatusCode,
			Message: "malformed JSON: " + cl.scrub(describeBody(data))}
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// replayedNonce reports whether the store refused a request because its
// OAuth nonce had been used. Every attempt is signed with a new nonce, so
// this is Go's transport re-sending an idempotent request (a GET) whose
// connection broke after the store had read it: the request reached the
// store, and a new attempt with a new nonce is as safe as the request.
func replayedNonce(e *Error) bool {
	return e.Status == http.StatusUnauthorized && strings.Contains(strings.ToLower(e.Message), "nonce has already been used")
}

func (cl *Client) observe(c call, status int, start time.Time) {
	if cl.onReq != nil {
		cl.onReq("woocommerce", c.group, c.method, status, time.Since(start))
	}
}

func (cl *Client) transportError(c call, err error) error {
	e := &Error{Op: c.op, Kind: KindTransient, Message: cl.scrub(err.Error()), Err: err}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		e.Err = errors.Join(errNotSent, err)
	}
	return e
}

// retryAfterBackOff waits at least the Retry-After of the last failure.
type retryAfterBackOff struct {
	next       backoff.BackOffContext
	retryAfter time.Duration
	cap        time.Duration
}

func (b *retryAfterBackOff) Reset() { b.next.Reset() }

func (b *retryAfterBackOff) Context() context.Context { return b.next.Context() }

func (b *retryAfterBackOff) NextBackOff() time.Duration {
	d := b.next.NextBackOff()
	if d == backoff.Stop {
		return d
	}
	ra := min(b.retryAfter, b.cap)
	b.retryAfter = 0
	return max(d, ra)
}
