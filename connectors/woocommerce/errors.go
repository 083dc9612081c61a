package woocommerce

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// ErrorKind is the bounded class of a failed WooCommerce call. Its values
// double as metric labels; the caller branches on them.
type ErrorKind string

const (
	// KindTransient is a failure that may pass on its own: 5xx, timeouts,
	// connection resets, malformed JSON.
	KindTransient ErrorKind = "transient"
	// KindRateLimited is a 429 from the store or a proxy in front of it.
	KindRateLimited ErrorKind = "rate_limited"
	// KindAuth is a 401 or 403: wrong keys, missing permission, or a store
	// that does not see the request as HTTPS.
	KindAuth ErrorKind = "auth"
	// KindNotFound is a 404 or 410: the record does not exist (any more).
	KindNotFound ErrorKind = "not_found"
	// KindInvalid is a 400 the store will answer the same way next time.
	KindInvalid ErrorKind = "invalid"
	// KindConflict is a 400 saying the record already exists (duplicate SKU,
	// category name, customer e-mail or username); ResourceID names the
	// existing record when the store says which.
	KindConflict ErrorKind = "conflict"
)

// conflictCodes are the WooCommerce error codes meaning "it already exists".
var conflictCodes = map[string]bool{
	"product_invalid_sku":                  true,
	"term_exists":                          true,
	"registration-error-email-exists":      true,
	"registration-error-username-exists":   true,
	"woocommerce_rest_product_not_created": true,
}

// Error is a failed WooCommerce call or batch item. Error() never contains
// a credential: requests never carry one in their URL and messages are
// scrubbed of the configured key and secret.
type Error struct {
	Op         string        // short operation, e.g. "list products"
	Kind       ErrorKind     // bounded class
	Status     int           // HTTP status (0 when no response arrived)
	Code       string        // WooCommerce error code, e.g. "product_invalid_sku"
	Message    string        // the store's message, or a description of the failure
	RetryAfter time.Duration // from Retry-After on 429/503, 0 when absent
	ResourceID snapshot.ID   // existing record named by a conflict (data.resource_id)
	Err        error         // underlying transport error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("woocommerce: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(string(e.Kind))
	if e.Status != 0 {
		b.WriteString(" (")
		b.WriteString(strconv.Itoa(e.Status))
		if e.Code != "" {
			b.WriteString(" ")
			b.WriteString(e.Code)
		}
		b.WriteString(")")
	} else if e.Code != "" {
		b.WriteString(" (" + e.Code + ")")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// ErrorKind returns the kind as text; the reconciler recognises connector
// errors through this method without importing the connector.
func (e *Error) ErrorKind() string { return string(e.Kind) }

// Unwrap returns the underlying transport error, if any.
func (e *Error) Unwrap() error { return e.Err }

// IsKind reports whether err is, or wraps, an *Error of kind k.
func IsKind(err error, k ErrorKind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

// KindOf returns the kind of err, or "" when err is not an *Error.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

func asError(err error, target **Error) bool { return errors.As(err, target) }

// retryable reports whether a call that failed with err may be sent again
// when the request is safe to repeat.
func retryable(err error) bool {
	k := KindOf(err)
	return k == KindTransient || k == KindRateLimited
}

// kindFor classifies an HTTP status and WooCommerce error code.
func kindFor(status int, code string) ErrorKind {
	switch {
	case conflictCodes[code]:
		return KindConflict
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return KindAuth
	case status == http.StatusNotFound || status == http.StatusGone:
		return KindNotFound
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status == http.StatusRequestTimeout || status >= 500:
		return KindTransient
	}
	return KindInvalid
}

// wireError is WordPress' error body. data is decoded leniently: it may be
// an object, null or a bare number.
type wireError struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

type wireErrorData struct {
	Status     raw `json:"status"`
	ResourceID raw `json:"resource_id"`
}

// errorFromBody builds the Error of a non-2xx response (or a batch item's
// error object, with status taken from its data when status is 0).
func errorFromBody(op string, status int, body []byte) *Error {
	e := &Error{Op: op, Status: status}
	var w wireError
	if err := json.Unmarshal(body, &w); err == nil && w.Code != "" {
		e.Code = w.Code
		e.Message = w.Message
		var d wireErrorData
		if json.Unmarshal(w.Data, &d) == nil {
			if e.Status == 0 {
				if n, err := d.Status.integer(); err == nil {
					e.Status = int(n)
				}
			}
			if id, err := d.ResourceID.id(); err == nil {
				e.ResourceID = id
			}
		}
	} else {
		e.Message = describeBody(body)
	}
	if e.Status == 0 {
		e.Status = http.StatusInternalServerError // WordPress' default for an error without status
	}
	e.Kind = kindFor(e.Status, e.Code)
	return e
}

// describeBody returns a short, printable excerpt of a body that is not a
// WooCommerce error (a proxy's HTML page, an empty 429).
func describeBody(body []byte) string {
	s := strings.TrimSpace(string(body))
	if s == "" {
		return "empty body"
	}
	s = strings.Map(func(r rune) rune {
		if r < ' ' {
			return ' '
		}
		return r
	}, s)
	const max = 120
	if len(s) > max {
		s = s[:max] + "…"
	}
	return fmt.Sprintf("unexpected body %q", s)
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
