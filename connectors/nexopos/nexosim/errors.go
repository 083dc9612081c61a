package nexosim

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"sort"
	"strings"
)

// errKind is the PHP exception class family a failure renders as.
type errKind int

const (
	errException  errKind = iota // plain \Exception: 500
	errNotAllowed                // NotAllowedException: 403
	errNotFound                  // NotFoundException: 404 (200 HTML without JSON)
	errModel                     // route-model binding miss: 404
	errValidation                // FormRequest validation: 422 debug / 500 production
	errPHP                       // PHP warning turned ErrorException: 500
	errFatal                     // PHP Error (TypeError, call on null): 500, "Server Error" in production
)

type apiError struct {
	kind    errKind
	message string
	model   string              // errModel: e.g. App\Models\Order
	id      string              // errModel
	fields  map[string][]string // errValidation
}

func (e *apiError) Error() string { return e.message }

func exception(format string, a ...any) *apiError {
	return &apiError{kind: errException, message: fmt.Sprintf(format, a...)}
}
func notAllowed(format string, a ...any) *apiError {
	return &apiError{kind: errNotAllowed, message: fmt.Sprintf(format, a...)}
}
func notFound(format string, a ...any) *apiError {
	return &apiError{kind: errNotFound, message: fmt.Sprintf(format, a...)}
}
func modelMissing(model string, id string) *apiError {
	return &apiError{kind: errModel, model: model, id: id,
		message: fmt.Sprintf("No query results for model [App\\Models\\%s] %s", model, id)}
}
func phpError(msg string) *apiError { return &apiError{kind: errPHP, message: msg} }

// fatal is a PHP Error (not an Exception): NexoPOS' production renderer only
// catches Exception (bootstrap/exceptions.php), so Laravel answers
// {"message":"Server Error"}.
func fatal(class, msg string) *apiError { return &apiError{kind: errFatal, model: class, message: msg} }
func invalid(fields map[string][]string) *apiError {
	keys := make([]string, 0, len(fields))
	n := 0
	for k, v := range fields {
		keys = append(keys, k)
		n += len(v)
	}
	sort.Strings(keys)
	msg := ""
	if len(keys) > 0 && len(fields[keys[0]]) > 0 {
		msg = fields[keys[0]][0]
	}
	if n > 1 {
		noun := "errors"
		if n-1 == 1 {
			noun = "error"
		}
		msg += fmt.Sprintf(" (and %d more %s)", n-1, noun)
	}
	return &apiError{kind: errValidation, message: msg, fields: fields}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"message":"Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func debugTrace(class, message string) map[string]any {
	return map[string]any{
		"message":   message,
		"exception": class,
		"file":      "/var/www/html/app/Services/CoreService.php",
		"line":      0,
		"trace":     []any{},
	}
}

// render writes err the way NexoPOS 5.3 renders it for this request.
func (s *Sim) render(w http.ResponseWriter, r *http.Request, err *apiError) {
	if !expectsJSON(r) {
		status := http.StatusInternalServerError
		switch err.kind {
		case errNotFound:
			status = http.StatusOK // NexoPOS renders its not-found page with 200
		case errNotAllowed:
			status = http.StatusForbidden
		case errModel:
			status = http.StatusNotFound
		}
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>NexoPOS</title></head><body><div class=\"ns-exception\"><h1>An error occurred</h1><p>%s</p></div></body></html>", html.EscapeString(err.message))
		return
	}
	prev := s.URL() + strings.TrimSuffix(r.URL.Path, "/")
	switch err.kind {
	case errNotAllowed:
		writeJSON(w, http.StatusForbidden, map[string]any{"status": "error", "data": nil, "message": err.message})
	case errNotFound:
		writeJSON(w, http.StatusNotFound, map[string]any{"status": "error", "message": err.message})
	case errModel:
		if s.opts.Debug {
			writeJSON(w, http.StatusNotFound, debugTrace("Symfony\\Component\\HttpKernel\\Exception\\NotFoundHttpException", err.message))
			return
		}
		writeJSON(w, http.StatusNotFound, map[string]any{"message": err.message})
	case errValidation:
		if s.opts.Debug {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"message": err.message, "errors": err.fields})
			return
		}
		writeJSON(w, http.StatusInternalServerError, map[string]any{"status": "error", "message": err.message, "previous": prev})
	case errFatal:
		if s.opts.Debug {
			writeJSON(w, http.StatusInternalServerError, debugTrace(err.model, err.message))
			return
		}
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "Server Error"})
	default:
		class := "Exception"
		if err.kind == errPHP {
			class = "ErrorException"
		}
		if s.opts.Debug {
			writeJSON(w, http.StatusInternalServerError, debugTrace(class, err.message))
			return
		}
		writeJSON(w, http.StatusInternalServerError, map[string]any{"status": "error", "message": err.message, "previous": prev})
	}
}
