package nexopos

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrorKind is the bounded class of a failed NexoPOS call. Its values double
// as a metric label and are shared with the WooCommerce connector.
type ErrorKind string

const (
	// KindTransient is a failure that may pass on its own: a 5xx without a
	// recognised message, a malformed body, a network error.
	KindTransient ErrorKind = "transient"
	// KindRateLimited is the throttle: 429, or a 500 "Too Many Attempts.".
	KindRateLimited ErrorKind = "rate_limited"
	// KindAuth is a bad token (401), a missing permission (403) or the
	// redirect to the sign-in page a request without credentials gets.
	KindAuth ErrorKind = "auth"
	// KindNotFound is an unknown id ("Unable to find…", 404).
	KindNotFound ErrorKind = "not_found"
	// KindInvalid is a request NexoPOS refused on its merits: validation,
	// insufficient stock, a negative-stock adjustment, a business rule.
	KindInvalid ErrorKind = "invalid"
	// KindConflict is a duplicate: SKU, barcode, e-mail, payment identifier,
	// or a lookup that matched more than one record.
	KindConflict ErrorKind = "conflict"
)

// Error is a failed NexoPOS call. Message is NexoPOS's own text (with any
// secret removed); Status is the HTTP status (0 when no response came).
type Error struct {
	Op         string
	Kind       ErrorKind
	Status     int
	Code       string
	Message    string
	RetryAfter time.Duration
	// Err is the underlying transport or decoding error, if any.
	Err error
}

// ErrorKind returns the bounded kind as text; the reconciler recognises
// connector errors through this method.
func (e *Error) ErrorKind() string { return string(e.Kind) }

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("nexopos: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(string(e.Kind))
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil && e.Message == "" {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// IsKind reports whether err is, or wraps, an *Error of kind k.
func IsKind(err error, k ErrorKind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

// KindOf returns the kind of err, "" when err is not an *Error.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// classify decides the kind of a response that failed, from its status and
// the message of its body. NexoPOS reports many business errors as 500 (a
// plain PHP exception) and some as 403 (NotAllowedException), so the status
// alone says little.
func classify(status int, message string, hasData bool) ErrorKind {
	m := strings.ToLower(message)
	switch {
	case strings.Contains(m, "too many attempts"):
		return KindRateLimited
	case status == 401 || (status >= 300 && status < 400):
		return KindAuth
	case status == 429:
		return KindRateLimited
	}
	if k, ok := classifyMessage(m); ok {
		return k
	}
	switch {
	case status == 403:
		// A NotAllowedException carries "data":null; a missing permission
		// does not.
		if hasData {
			return KindInvalid
		}
		return KindAuth
	case status == 404:
		return KindNotFound
	case status == 400, status == 405, status == 409, status == 413, status == 419, status == 422:
		if status == 409 {
			return KindConflict
		}
		return KindInvalid
	case status >= 500:
		return KindTransient
	case status >= 200 && status < 300:
		// A 200 whose status says "error"/"failed": a soft refusal.
		return KindInvalid
	}
	return KindTransient
}

// classifyMessage recognises NexoPOS's texts (5.3) for the cases the status
// code does not separate.
func classifyMessage(m string) (ErrorKind, bool) {
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(m, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("permission", "unauthenticated", "not authenticated"):
		return KindAuth, true
	case has("already in use", "already used", "already exists", "already stored",
		"duplicate entry", "unique constraint", "integrity constraint"):
		return KindConflict, true
	case has("not enough stock", "negative stock", "insufficient"):
		return KindInvalid, true
	case has("unable to find", "doesn't have any match", "no query results", "doesn't exists",
		"does not exist", "cannot be found", "no longer exists", "not found",
		"on null"): // "Call to a member function load() on null": GET /orders/{unknown}
		return KindNotFound, true
	case has("undefined variable $adjustquantity", "not supported", "unsupported action",
		"is required", "is not valid", "unable to edit", "already paid", "dependency for",
		"sub categories"):
		return KindInvalid, true
	}
	return "", false
}
