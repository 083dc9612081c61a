package woocommerce

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/woonexo/woonexo/snapshot"
)

// raw is one JSON value kept as sent. Decoding into raw never fails, so a
// record whose fields have unexpected types still decodes; each field is
// then read leniently by the methods below, which say what was wrong.
type raw []byte

func (r *raw) UnmarshalJSON(b []byte) error {
	*r = append((*r)[:0], b...)
	return nil
}

// missing reports whether the value is absent or JSON null.
func (r raw) missing() bool {
	t := bytes.TrimSpace(r)
	return len(t) == 0 || string(t) == "null"
}

// quote returns the value as sent, shortened, for reasons.
func (r raw) quote() string {
	s := string(bytes.TrimSpace(r))
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

var errType = errors.New("unexpected JSON type")

// text reads a string; numbers give their literal text, null and absent
// give "". Objects, arrays and booleans are errors.
func (r raw) text() (string, error) {
	if r.missing() {
		return "", nil
	}
	t := bytes.TrimSpace(r)
	switch t[0] {
	case '"':
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return "", err
		}
		return s, nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(t), nil
	}
	return "", errType
}

// decimal reads a number sent as a JSON number or a string. ok is false for
// null, absent and "".
func (r raw) decimal() (d snapshot.Decimal, ok bool, err error) {
	if r.missing() {
		return d, false, nil
	}
	t := bytes.TrimSpace(r)
	if t[0] != '"' {
		var n json.Number
		if err := json.Unmarshal(t, &n); err != nil {
			return d, false, errType
		}
		if d, err := snapshot.ParseDecimal(n.String()); err == nil {
			return d, true, nil
		}
		f, err := n.Float64()
		if err != nil {
			return d, false, err
		}
		d, err = snapshot.DecimalFromFloat(f)
		return d, err == nil, err
	}
	s, err := r.text()
	if err != nil {
		return d, false, err
	}
	if strings.TrimSpace(s) == "" {
		return d, false, nil
	}
	d, err = snapshot.ParseDecimal(s)
	return d, err == nil, err
}

// integer reads a whole number sent as a number or a numeric string.
func (r raw) integer() (int64, error) {
	s, err := r.text()
	if err != nil {
		return 0, err
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errType
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		d, derr := snapshot.ParseDecimal(s)
		if derr != nil || !d.IsInteger() {
			return 0, fmt.Errorf("%q is not a whole number", s)
		}
		return d.IntPart(), nil
	}
	return n, nil
}

// id reads a WooCommerce id; 0 (and null) mean none and give "".
func (r raw) id() (snapshot.ID, error) {
	if r.missing() {
		return "", nil
	}
	n, err := r.integer()
	if err != nil {
		return "", err
	}
	if n < 0 {
		return "", fmt.Errorf("negative id %d", n)
	}
	if n == 0 {
		return "", nil
	}
	return snapshot.ID(strconv.FormatInt(n, 10)), nil
}

// boolean reads true/false as WordPress accepts them: JSON booleans,
// 1/0, "yes"/"no", "true"/"false". null and absent are false.
func (r raw) boolean() (bool, error) {
	if r.missing() {
		return false, nil
	}
	t := string(bytes.TrimSpace(r))
	switch t {
	case "true", "1", `"1"`, `"yes"`, `"true"`:
		return true, nil
	case "false", "0", `"0"`, `"no"`, `"false"`, `""`:
		return false, nil
	}
	return false, errType
}

// gmtLayout is WooCommerce's date format: naive, seconds, no offset.
const gmtLayout = "2006-01-02T15:04:05"

// time reads a *_gmt date as UTC; null, absent and "" give the zero time.
func (r raw) time() (time.Time, error) {
	s, err := r.text()
	if err != nil || s == "" {
		return time.Time{}, err
	}
	for _, layout := range []string{gmtLayout, time.RFC3339, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}

// object reads a JSON object into a map of raw values; null and absent give
// an empty map.
func (r raw) object() (map[string]raw, error) {
	m := map[string]raw{}
	if r.missing() {
		return m, nil
	}
	i := skipSpace(r, 0)
	if !json.Valid(r) || r[i] != '{' {
		return nil, errType
	}
	// Members are read as json.Unmarshal into the map would: names
	// unquoted, values copied as sent, the last of a repeated name kept.
	if i = skipSpace(r, i+1); r[i] == '}' {
		return m, nil
	}
	for {
		kend := skipValue(r, i)
		key := r[i:kend]
		i = skipSpace(r, skipSpace(r, kend)+1) // past the colon
		vend := skipValue(r, i)
		m[memberName(key)] = append(raw(nil), r[i:vend]...)
		if i = skipSpace(r, vend); r[i] == '}' {
			return m, nil
		}
		i = skipSpace(r, i+1) // past the comma
	}
}

// memberName unquotes a member name of valid JSON.
func memberName(key []byte) string {
	plain := true
	for _, c := range key {
		if c == '\\' || c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return string(key[1 : len(key)-1])
	}
	var s string
	_ = json.Unmarshal(key, &s)
	return s
}

// array reads a JSON array of raw values; null and absent give nil.
func (r raw) array() ([]raw, error) {
	if r.missing() {
		return nil, nil
	}
	var a []raw
	if err := json.Unmarshal(r, &a); err != nil {
		return nil, errType
	}
	return a, nil
}
