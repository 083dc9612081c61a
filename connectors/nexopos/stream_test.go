package nexopos

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/woonexo/woonexo/snapshot"
)

// FuzzCRUDPageOnePass: a page the one-pass decoder accepts decodes to
// what the paginator and row-by-row decoding give.
func FuzzCRUDPageOnePass(f *testing.F) {
	f.Add([]byte(`{"current_page":1,"last_page":2,"per_page":2,"total":3,"data":[{"id":1,"product_id":2,"unit_id":3,"quantity":"4.5","sale_price":7},{"id":"x"}]}`))
	f.Add([]byte(`{"current_page":1,"last_page":1,"total":1,"data":[{"id":1,"name":"caf\u00e9 \"x\"","sale_price":"abc"}],"next":null}`))
	f.Add([]byte(`{"Current_Page":1,"data":[]}`))
	f.Add([]byte(`{"status":"error","message":"no","data":[]}`))
	f.Add([]byte(`{"current_page":2,"last_page":1,"data":[1]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var pg crudPage[unitRowDTO]
		if !pg.decodeBody(bytes.TrimSpace(b)) {
			return
		}
		p, err := decodePaginator(bytes.TrimSpace(b))
		if err != nil {
			t.Fatalf("one pass accepted what the paginator refuses: %v", err)
		}
		if int(p.CurrentPage) != pg.currentPage || int(p.LastPage) != pg.lastPage || int(p.Total) != pg.total || len(p.Data) != len(pg.rows) {
			t.Fatalf("meta differs: %+v vs %d/%d/%d rows %d", p, pg.currentPage, pg.lastPage, pg.total, len(pg.rows))
		}
		for i, raw := range p.Data {
			want := decodeListed[unitRowDTO](raw)
			got := pg.rows[i]
			if got.bad != want.bad {
				t.Fatalf("row %d: bad %v, want %v", i, got.bad, want.bad)
			}
			if got.bad && !json.Valid(got.raw) {
				t.Fatalf("row %d: kept bytes %q are not the row %q", i, got.raw, raw)
			}
			if diff := cmp.Diff(want.v, got.v, cmpopts.EquateComparable(snapshot.Decimal{})); !got.bad && diff != "" {
				t.Fatalf("row %d differs: %s", i, diff)
			}
		}
	})
}

// FuzzStreamArray: a list streamed element by element decodes to what
// decoding the whole body and then each element gives.
func FuzzStreamArray(f *testing.F) {
	f.Add([]byte(` [{"id":1,"email":"a@example.com","billing":{"pobox":"1000"}}, {"id":[1]}, null ] `))
	f.Add([]byte(`[{"id":"0012","first_name":"\ud83d\ude00"}]x`))
	f.Add([]byte(`[{"id":1},`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if c, ok := firstByte(bufio.NewReader(bytes.NewReader(b))); !ok || c != '[' {
			return // the client reads it whole, as before
		}
		var got []listed[customerDTO]
		err := streamArray(&recorder{r: bytes.NewReader(b)}, func(l listed[customerDTO]) { got = append(got, l) })
		var raws []json.RawMessage
		werr := json.Unmarshal(bytes.TrimSpace(b), &raws)
		if (err == nil) != (werr == nil) {
			t.Fatalf("stream error %v, whole-body error %v", err, werr)
		}
		if err != nil {
			return
		}
		if len(got) != len(raws) {
			t.Fatalf("%d elements, want %d", len(got), len(raws))
		}
		for i, raw := range raws {
			want := decodeListed[customerDTO](raw)
			if got[i].bad != want.bad {
				t.Fatalf("element %d: bad %v, want %v", i, got[i].bad, want.bad)
			}
			if want.bad && !bytes.Equal(got[i].raw, raw) {
				t.Fatalf("element %d: kept %q, want %q", i, got[i].raw, raw)
			}
			if diff := cmp.Diff(want.v, got[i].v, cmpopts.EquateComparable(snapshot.Decimal{})); !want.bad && diff != "" {
				t.Fatalf("element %d differs: %s", i, diff)
			}
		}
	})
}
