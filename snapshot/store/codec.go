package store

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// Keys of record, link and baseline buckets are ids. A decimal id ("42")
// becomes keyNumeric followed by its value as 8 big-endian bytes, so keys
// sort numerically and a listing read in id order appends to the end of
// the B+tree; any other id ("bacs", "007") becomes keyText followed by its
// bytes. Numeric keys sort before text keys.
const (
	keyNumeric byte = 0
	keyText    byte = 1
)

// appendIDKey appends the key of id to b. The empty id has no key.
func appendIDKey(b []byte, id snapshot.ID) ([]byte, error) {
	if id == "" {
		return nil, fmt.Errorf("empty id: %w", ErrInvalid)
	}
	if n, ok := canonicalUint(string(id)); ok {
		b = append(b, keyNumeric)
		return binary.BigEndian.AppendUint64(b, n), nil
	}
	b = append(b, keyText)
	return append(b, id...), nil
}

func idKey(id snapshot.ID) ([]byte, error) { return appendIDKey(make([]byte, 0, 9), id) }

// canonicalUint parses s when it is the shortest decimal text of a uint64.
func canonicalUint(s string) (uint64, bool) {
	if len(s) == 0 || len(s) > 20 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// keyID is the inverse of appendIDKey.
func keyID(k []byte) (snapshot.ID, error) {
	switch {
	case len(k) == 9 && k[0] == keyNumeric:
		return snapshot.ID(strconv.FormatUint(binary.BigEndian.Uint64(k[1:]), 10)), nil
	case len(k) > 1 && k[0] == keyText:
		return snapshot.ID(k[1:]), nil
	}
	return "", fmt.Errorf("bad id key %x: %w", k, ErrCorrupt)
}

// encoder appends the compact binary form of values: unsigned and signed
// varints, length-prefixed strings, one byte per bool. It is the format
// of record and baseline values (see doc.go); reusing one encoder keeps a
// bulk write free of per-record buffers.
type encoder struct{ b []byte }

func (e *encoder) reset()           { e.b = e.b[:0] }
func (e *encoder) byte(c byte)      { e.b = append(e.b, c) }
func (e *encoder) uvarint(n uint64) { e.b = binary.AppendUvarint(e.b, n) }
func (e *encoder) varint(n int64)   { e.b = binary.AppendVarint(e.b, n) }

func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) bool(v bool) {
	if v {
		e.byte(1)
	} else {
		e.byte(0)
	}
}

func (e *encoder) decimal(d snapshot.Decimal) { e.varint(d.Micros()) }

// time writes the zero time as a single 0; any other time as its
// nanosecond plus one and its Unix second. Times decode in UTC.
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.uvarint(0)
		return
	}
	e.uvarint(uint64(t.Nanosecond()) + 1)
	e.varint(t.Unix())
}

func (e *encoder) ids(ids []snapshot.ID) {
	e.uvarint(uint64(len(ids)))
	for _, id := range ids {
		e.str(string(id))
	}
}

// decoder reads what encoder wrote. It works on one string holding the
// whole value, so every decoded string shares that single allocation. The
// first problem is kept in err and every later read returns zero values.
type decoder struct {
	s   string
	off int
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("decode %s at byte %d: %w", what, d.off, ErrCorrupt)
	}
}

func (d *decoder) byte() byte {
	if d.err != nil || d.off >= len(d.s) {
		d.fail("byte")
		return 0
	}
	c := d.s[d.off]
	d.off++
	return c
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	var x uint64
	var shift uint
	for i := 0; i < binary.MaxVarintLen64; i++ {
		if d.off >= len(d.s) {
			break
		}
		c := d.s[d.off]
		d.off++
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				break
			}
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	d.fail("varint")
	return 0
}

func (d *decoder) varint() int64 {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.s)-d.off) {
		d.fail("string")
		return ""
	}
	s := d.s[d.off : d.off+int(n)]
	d.off += int(n)
	return s
}

func (d *decoder) bool() bool {
	switch d.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail("bool")
	return false
}

func (d *decoder) decimal() snapshot.Decimal { return snapshot.DecimalFromMicros(d.varint()) }

func (d *decoder) time() time.Time {
	ns := d.uvarint()
	if ns == 0 || d.err != nil {
		return time.Time{}
	}
	if ns > 1e9 {
		d.fail("time")
		return time.Time{}
	}
	return time.Unix(d.varint(), int64(ns-1)).UTC()
}

func (d *decoder) ids() []snapshot.ID {
	n := d.uvarint()
	if d.err != nil || n == 0 {
		return nil
	}
	if n > uint64(len(d.s)-d.off) { // each id takes at least one byte
		d.fail("id list")
		return nil
	}
	ids := make([]snapshot.ID, n)
	for i := range ids {
		ids[i] = snapshot.ID(d.str())
	}
	return ids
}

// count reads a collection length, refusing one longer than the bytes
// left could hold (each element takes at least min bytes).
func (d *decoder) count(min int) int {
	n := d.uvarint()
	if d.err == nil && n > uint64((len(d.s)-d.off)/min) {
		d.fail("count")
		return 0
	}
	return int(n)
}

// end reports the first problem, or trailing bytes nobody read.
func (d *decoder) end() error {
	if d.err == nil && d.off != len(d.s) {
		d.fail("end (trailing bytes)")
	}
	return d.err
}
