package nexosim

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// body is a decoded JSON request body after Laravel's TrimStrings and
// ConvertEmptyStringsToNull middleware.
type body map[string]any

func decodeBody(r *http.Request) body {
	if r.Body == nil {
		return body{}
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil || len(strings.TrimSpace(string(raw))) == 0 {
		return body{}
	}
	var v map[string]any
	if json.Unmarshal(raw, &v) != nil {
		return body{}
	}
	return body(normalize(v).(map[string]any))
}

func normalize(v any) any {
	switch t := v.(type) {
	case string:
		t = strings.TrimSpace(t)
		if t == "" {
			return nil
		}
		return t
	case map[string]any:
		for k, x := range t {
			t[k] = normalize(x)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = normalize(x)
		}
		return t
	}
	return v
}

func (b body) get(path string) (any, bool) {
	var cur any = map[string]any(b)
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			if bb, ok2 := cur.(body); ok2 {
				m = bb
			} else {
				return nil, false
			}
		}
		cur, ok = m[k]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

func (b body) has(path string) bool { _, ok := b.get(path); return ok }

// filled reports a present, non-null value.
func (b body) filled(path string) bool { v, ok := b.get(path); return ok && v != nil }

func (b body) str(path string) string {
	v, _ := b.get(path)
	return asString(v)
}

func asString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		if t {
			return "1"
		}
		return ""
	}
	return ""
}

func (b body) num(path string) (float64, bool) {
	v, _ := b.get(path)
	return asNumber(v)
}

func asNumber(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case string:
		f, err := strconv.ParseFloat(t, 64)
		return f, err == nil
	case bool:
		if t {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func (b body) int(path string) int { f, _ := b.num(path); return int(f) }

func (b body) intPtr(path string) *int {
	if f, ok := b.num(path); ok {
		n := int(f)
		return &n
	}
	return nil
}

func (b body) obj(path string) body {
	v, _ := b.get(path)
	if m, ok := v.(map[string]any); ok {
		return body(m)
	}
	return body{}
}

func (b body) list(path string) []body {
	v, _ := b.get(path)
	var out []body
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			if m, ok := x.(map[string]any); ok {
				out = append(out, body(m))
			} else {
				out = append(out, body{})
			}
		}
	case map[string]any: // PHP arrays with string keys arrive as objects
		for _, x := range t {
			if m, ok := x.(map[string]any); ok {
				out = append(out, body(m))
			}
		}
	}
	return out
}

// phpNum formats a number as PHP's string conversion does ("3", "2.5").
func phpNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
