package wcsim

import (
	"bytes"
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// fieldFilter implements WordPress' _fields: top-level keys, and dotted
// paths ("meta_data.key") that keep nested keys.
type fieldFilter struct {
	top    map[string]bool
	nested map[string][]string
}

func parseFields(q url.Values) *fieldFilter {
	raw, ok := q["_fields"]
	if !ok {
		return nil
	}
	f := &fieldFilter{top: map[string]bool{}, nested: map[string][]string{}}
	for _, v := range raw {
		for _, name := range strings.Split(v, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			head, rest, dotted := strings.Cut(name, ".")
			if dotted {
				if !f.top[head] {
					f.nested[head] = append(f.nested[head], rest)
				}
				continue
			}
			f.top[head] = true
			delete(f.nested, head)
		}
	}
	return f
}

// member is one kept key and value of an encoded object.
type member struct {
	key  string // unescaped, for ordering
	name []byte // the key as encoded, quotes included
	val  []byte // the value as encoded
}

// keep says how a member named k is written: whole, narrowed to subs
// (nested), or not at all.
func (f *fieldFilter) keep(k string, keepLinks bool) (keep bool, subs []string, nested bool) {
	if keepLinks && k == "_links" {
		return true, nil, false
	}
	if subs, nested := f.nested[k]; nested {
		return true, subs, true
	}
	return f.top[k], nil, false
}

// names returns the member names the filter can keep, in the order they
// are written: sorted, as the REST server's re-encoded PHP array comes out
// through a Go map.
func (f *fieldFilter) names(keepLinks bool) []string {
	out := make([]string, 0, len(f.top)+len(f.nested)+1)
	for k := range f.top {
		out = append(out, k)
	}
	for k := range f.nested {
		out = append(out, k)
	}
	if keepLinks && !f.top["_links"] && f.nested["_links"] == nil {
		out = append(out, "_links")
	}
	slices.Sort(out)
	return out
}

// apply filters one object as encodeJSON wrote it (valid, compact). The
// kept members come out in key order. keepLinks keeps _links (single
// items). The members are located by scanning, never decoded.
func (f *fieldFilter) apply(obj []byte, keepLinks bool) []byte {
	if f == nil {
		return obj
	}
	if string(obj) == "null" {
		return []byte("{}")
	}
	if len(obj) == 0 || obj[0] != '{' {
		return obj
	}
	var kept []member
	for i := 1; ; {
		name, val, next, ok := nextMember(obj, i)
		if !ok {
			return obj
		}
		if name == nil {
			break
		}
		i = next
		k := unquoteKey(name)
		if keep, _, _ := f.keep(k, keepLinks); keep {
			kept = append(kept, member{key: strings.Clone(k), name: name, val: val})
		}
	}
	slices.SortFunc(kept, func(a, b member) int { return strings.Compare(a.key, b.key) })
	out := make([]byte, 0, len(obj))
	out = append(out, '{')
	for i, m := range kept {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, m.name...)
		out = append(out, ':')
		if _, subs, nested := f.keep(m.key, keepLinks); nested {
			out = appendNested(out, m.val, subs)
		} else {
			out = append(out, m.val...)
		}
	}
	return append(out, '}')
}

// appendNested writes v narrowed to the dotted sub-paths subs: each
// element of an array, the keys of an object; other values as they are.
// A null becomes an empty array, as WordPress' filter returns it.
func appendNested(out, v []byte, subs []string) []byte {
	switch {
	case string(v) == "null":
		return append(out, "[]"...)
	case v[0] == '[':
		out = append(out, '[')
		n := 0
		eachElement(v, func(e []byte) {
			if n > 0 {
				out = append(out, ',')
			}
			n++
			out = appendNested(out, e, subs)
		})
		return append(out, ']')
	case v[0] == '{':
		inner := &fieldFilter{top: map[string]bool{}, nested: map[string][]string{}}
		for _, s := range subs {
			if head, rest, dotted := strings.Cut(s, "."); dotted {
				inner.nested[head] = append(inner.nested[head], rest)
			} else {
				inner.top[head] = true
			}
		}
		return append(out, inner.apply(v, false)...)
	}
	return append(out, v...)
}

// unquoteKey returns an encoded key's text. The string conversion does not
// allocate when the result is only used for map look-ups and comparison.
func unquoteKey(name []byte) string {
	if bytes.IndexByte(name, '\\') < 0 {
		return string(name[1 : len(name)-1])
	}
	var s string
	if json.Unmarshal(name, &s) != nil {
		return string(name[1 : len(name)-1])
	}
	return s
}

// nextMember returns the member of the compact object obj starting at i
// (just past the '{' or a ','), and where the next one starts (len(obj)
// after the last); name is nil past the last member. ok is false when obj is not a compact object.
func nextMember(obj []byte, i int) (name, val []byte, next int, ok bool) {
	switch {
	case i == len(obj):
		return nil, nil, 0, true
	case i > len(obj):
		return nil, nil, 0, false
	case obj[i] == '}':
		return nil, nil, 0, i == 1 && i == len(obj)-1
	}
	if obj[i] != '"' {
		return nil, nil, 0, false
	}
	ke := skipValue(obj, i)
	if ke < 0 || ke >= len(obj) || obj[ke] != ':' {
		return nil, nil, 0, false
	}
	ve := skipValue(obj, ke+1)
	if ve < 0 || ve >= len(obj) {
		return nil, nil, 0, false
	}
	switch {
	case obj[ve] == ',':
		return obj[i:ke], obj[ke+1 : ve], ve + 1, true
	case obj[ve] == '}' && ve == len(obj)-1:
		return obj[i:ke], obj[ke+1 : ve], len(obj), true
	}
	return nil, nil, 0, false
}

// eachElement calls fn for each element of the compact array arr.
func eachElement(arr []byte, fn func(e []byte)) {
	i := 1
	if i < len(arr) && arr[i] == ']' {
		return
	}
	for i < len(arr) {
		e := skipValue(arr, i)
		if e < 0 || e >= len(arr) {
			return
		}
		fn(arr[i:e])
		if arr[e] != ',' {
			return
		}
		i = e + 1
	}
}

// skipValue returns the index just past the compact JSON value starting at
// b[i], or -1 when it is cut short.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return -1
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e := skipValue(b, j)
				if e < 0 {
					return -1
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' {
		j++
	}
	return j
}

// memberShape is what encoding/json writes for a rendered struct type: each
// member name with its field. Only plain structs have one (named fields,
// no embedding, no options but omitempty); others are encoded whole and
// filtered with apply.
type memberShape map[string]shapeField

type shapeField struct {
	index     int
	omitEmpty bool
}

var memberShapes sync.Map // reflect.Type -> memberShape (nil: encode whole)

func memberShapeOf(t reflect.Type) memberShape {
	if v, ok := memberShapes.Load(t); ok {
		return v.(memberShape)
	}
	var sh memberShape
	if t.Kind() == reflect.Struct {
		sh = memberShape{}
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous || !f.IsExported() || name == "" || name == "-" || (opts != "" && opts != "omitempty") {
				sh = nil
				break
			}
			if _, dup := sh[name]; dup || strings.ContainsAny(name, "\"\\<>&") {
				sh = nil
				break
			}
			sh[name] = shapeField{index: i, omitEmpty: opts == "omitempty"}
		}
	}
	memberShapes.Store(t, sh)
	return sh
}

// emptyValue is encoding/json's test for omitempty.
func emptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// recordEncoder writes rendered records narrowed by a filter, encoding
// only the members the filter keeps; the bytes are those of encodeJSON
// followed by apply. Rendered records always encode (their values are
// strings, numbers, booleans and validated JSON).
type recordEncoder struct {
	f         *fieldFilter
	keepLinks bool
	names     []string // members the filter can keep, in output order
	buf       bytes.Buffer
	enc       *json.Encoder
}

func newRecordEncoder(f *fieldFilter, keepLinks bool) *recordEncoder {
	e := &recordEncoder{f: f, keepLinks: keepLinks}
	if f != nil {
		e.names = f.names(keepLinks)
	}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}

// appendRecord appends the filtered encoding of rec, a rendered record or
// a pointer to one.
func (e *recordEncoder) appendRecord(out []byte, rec any) []byte {
	v := reflect.ValueOf(rec)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	var sh memberShape
	if e.f != nil && v.IsValid() {
		sh = memberShapeOf(v.Type())
	}
	if sh == nil {
		return append(out, e.f.apply(encodeJSON(rec), e.keepLinks)...)
	}
	start := len(out)
	out = append(out, '{')
	n := 0
	for _, k := range e.names {
		sf, ok := sh[k]
		if !ok {
			continue
		}
		fv := v.Field(sf.index)
		if sf.omitEmpty && emptyValue(fv) {
			continue
		}
		val, ok := e.value(fv)
		if !ok {
			return append(out[:start], e.f.apply(encodeJSON(rec), e.keepLinks)...)
		}
		if n > 0 {
			out = append(out, ',')
		}
		n++
		out = append(out, '"')
		out = append(out, k...)
		out = append(out, '"', ':')
		if _, subs, nested := e.f.keep(k, e.keepLinks); nested {
			out = appendNested(out, val, subs)
		} else {
			out = append(out, val...)
		}
	}
	return append(out, '}')
}

// value encodes one member; the bytes are valid until the next call.
func (e *recordEncoder) value(v reflect.Value) ([]byte, bool) {
	e.buf.Reset()
	if e.enc.Encode(v.Interface()) != nil {
		return nil, false
	}
	return bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")), true
}
