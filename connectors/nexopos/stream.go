package nexopos

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Listings are decoded element by element into their typed rows: a bare
// array (GET /api/products, /api/customers) straight from the response
// body, a CRUD page from its body in one pass. Only an element that fails
// to decode keeps its bytes, so that its caller can say why, exactly as
// decoding it alone would.

// listed is one element of a listing: its decoded value, or the bytes of
// an element that did not decode (bad).
type listed[T any] struct {
	v   T
	raw []byte // set only when bad
	bad bool
}

// decodeListed decodes raw alone, the way every listing decodes an element.
func decodeListed[T any](raw []byte) listed[T] {
	var l listed[T]
	if json.Unmarshal(raw, &l.v) != nil {
		return listed[T]{raw: raw, bad: true}
	}
	return l
}

// recorder keeps the bytes read through it from a mark on, so that the
// bytes of an element that failed to decode can still be quoted.
type recorder struct {
	r    io.Reader
	buf  []byte
	base int64 // stream offset of buf[0]
	err  error // the first read error other than io.EOF
}

func (r *recorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.buf = append(r.buf, p[:n]...)
	if err != nil && err != io.EOF && r.err == nil {
		r.err = err
	}
	return n, err
}

// span returns a copy of the bytes between two stream offsets, without the
// separators before an element.
func (r *recorder) span(start, end int64) []byte {
	b := r.buf[start-r.base : end-r.base]
	return bytes.Clone(bytes.TrimLeft(b, " \t\r\n,"))
}

// mark drops the bytes before offset at once they are many.
func (r *recorder) mark(offset int64) {
	if d := offset - r.base; d > 64<<10 {
		n := copy(r.buf, r.buf[d:])
		r.buf = r.buf[:n]
		r.base = offset
	}
}

// errMalformed is a listing that is not the JSON it should be; the caller
// reports it as the malformed response it is.
var errMalformed = errors.New("malformed JSON")

// streamArray decodes the elements of the JSON array rec carries, which
// must be the whole of it, calling each with every element in order. A
// syntax error anywhere fails it with the decoder's error; an element that
// does not decode into T is passed on as bad.
func streamArray[T any](rec *recorder, each func(listed[T])) error {
	dec := json.NewDecoder(rec)
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return errors.Join(errMalformed, err)
	}
	if err := decodeElements(dec, rec, each); err != nil {
		return err
	}
	// Whatever follows must be space, as json.Unmarshal of the trimmed
	// body would have it.
	rest, err := io.ReadAll(io.MultiReader(dec.Buffered(), rec))
	if err != nil || len(bytes.TrimSpace(rest)) != 0 {
		return errors.Join(errMalformed, err)
	}
	return nil
}

// decodeElements decodes the elements of the array whose '[' dec has just
// read, and its ']'.
func decodeElements[T any](dec *json.Decoder, rec *recorder, each func(listed[T])) error {
	for dec.More() {
		start := dec.InputOffset()
		rec.mark(start)
		var l listed[T]
		if err := dec.Decode(&l.v); err != nil {
			var syn *json.SyntaxError
			if rec.err != nil || errors.As(err, &syn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				return errors.Join(errMalformed, err)
			}
			l = listed[T]{raw: rec.span(start, dec.InputOffset()), bad: true}
		}
		each(l)
	}
	if t, err := dec.Token(); err != nil || t != json.Delim(']') {
		return errors.Join(errMalformed, err)
	}
	return nil
}

// crudPage is a page of a CRUD listing (Laravel's LengthAwarePaginator)
// with its rows decoded. A page the one-pass decoder declines (an unusual
// shape, a member it does not know the exact name of, an error envelope)
// keeps its bytes in raw and goes through decodePaginator instead, so that
// its errors read as they always did.
type crudPage[T any] struct {
	currentPage, lastPage, total int
	rows                         []listed[T]
	raw                          []byte
}

// UnmarshalJSON is the declined path: keep the bytes.
func (p *crudPage[T]) UnmarshalJSON(b []byte) error {
	*p = crudPage[T]{raw: bytes.Clone(b)}
	return nil
}

// decodeBody decodes a page in one pass; false when it declines (see
// crudPage), leaving p for UnmarshalJSON.
func (p *crudPage[T]) decodeBody(raw []byte) bool {
	*p = crudPage[T]{}
	if len(raw) == 0 || raw[0] != '{' {
		return false
	}
	rec := &recorder{r: bytes.NewReader(raw)}
	dec := json.NewDecoder(rec)
	if _, err := dec.Token(); err != nil {
		return false
	}
	var meta struct{ current, last, total, data bool }
	for dec.More() {
		t, err := dec.Token()
		key, _ := t.(string)
		if err != nil {
			return false
		}
		var into *int
		var seen *bool
		switch key {
		case "current_page":
			into, seen = &p.currentPage, &meta.current
		case "last_page":
			into, seen = &p.lastPage, &meta.last
		case "total":
			into, seen = &p.total, &meta.total
		case "data":
			if meta.data {
				return false
			}
			meta.data = true
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return false
			}
			p.rows = []listed[T]{}
			if decodeElements(dec, rec, func(l listed[T]) { p.rows = append(p.rows, l) }) != nil {
				return false
			}
			continue
		default:
			// Members matched only case-insensitively, or one that would
			// make the body an error envelope, take the long way.
			for _, k := range []string{"current_page", "last_page", "per_page", "total", "data", "status", "message"} {
				if strings.EqualFold(key, k) && key != "per_page" {
					return false
				}
			}
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return false
			}
			if key == "per_page" {
				var n flexInt
				if n.UnmarshalJSON(skip) != nil {
					return false
				}
			}
			continue
		}
		if *seen {
			return false
		}
		*seen = true
		var n flexInt
		if dec.Decode(&n) != nil {
			return false
		}
		*into = int(n)
	}
	if _, err := dec.Token(); err != nil {
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		return false
	}
	if !meta.data || (p.lastPage < p.currentPage && len(p.rows) > 0) {
		return false
	}
	return true
}

// bodyDecoder is an out that decodes a successful body in one pass,
// before the error envelope check, when it can tell the body is no error
// envelope; false leaves the body to the usual path.
type bodyDecoder interface {
	decodeBody(raw []byte) bool
}

// firstByte returns the first byte of r after JSON space, leaving it
// unread; false when r ends or fails first.
func firstByte(r *bufio.Reader) (byte, bool) {
	for {
		b, err := r.ReadByte()
		if err != nil {
			return 0, false
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		_ = r.UnreadByte()
		return b, true
	}
}

// streamList reads a GET answered by a bare JSON array of records,
// decoding each element as the body arrives. A null body (or anything but
// an array) fails: read as an empty listing it would make every record of
// the kind look deleted.
func streamList[T any](ctx context.Context, c *Client, cl call) ([]listed[T], error) {
	var out []listed[T]
	streamed := false
	cl.stream = func(r *recorder) error {
		out, streamed = out[:0], true // a retried attempt starts again
		return streamArray(r, func(l listed[T]) { out = append(out, l) })
	}
	var body json.RawMessage
	if err := c.do(ctx, cl, &body); err != nil {
		return nil, err
	}
	if streamed {
		return out, nil
	}
	if t := bytes.TrimSpace(body); len(t) == 0 || t[0] != '[' {
		return nil, &Error{Op: cl.op, Kind: KindTransient, Message: fmt.Sprintf("answer is not a list: %.40s", t)}
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(body, &raws); err != nil {
		return nil, &Error{Op: cl.op, Kind: KindTransient, Message: "malformed list: " + reason(err)}
	}
	out = make([]listed[T], len(raws))
	for i, raw := range raws {
		out[i] = decodeListed[T](raw)
	}
	return out, nil
}
