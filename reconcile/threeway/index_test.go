package threeway

import (
	"testing"

	"github.com/woonexo/woonexo/snapshot"
	"pgregory.net/rapid"
)

// TestPropertyIDMapIsAMap: an idMap answers as a map keyed by the id text,
// whatever mix of numeric and other ids it holds.
func TestPropertyIDMapIsAMap(t *testing.T) {
	ids := rapid.OneOf(
		rapid.StringMatching(`[0-9]{1,21}`), // leading zeros, 20+ digits
		rapid.StringMatching(`[1-9][0-9]{17,19}`),
		rapid.SampledFrom([]string{"", "0", "00", "1", "01", "18446744073709551615", "9999999999999999999", "a1", "1 "}),
		rapid.String(),
	)
	rapid.Check(t, func(t *rapid.T) {
		want := map[snapshot.ID]int32{}
		m := newIDMap[int32](0)
		for i, s := range rapid.SliceOf(ids).Draw(t, "set") {
			want[snapshot.ID(s)] = int32(i)
			m.set(snapshot.ID(s), int32(i))
		}
		if m.len() != len(want) {
			t.Fatalf("len %d, want %d", m.len(), len(want))
		}
		for _, s := range append(rapid.SliceOf(ids).Draw(t, "get"), keys(want)...) {
			v, ok := m.get(snapshot.ID(s))
			w, wok := want[snapshot.ID(s)]
			if v != w || ok != wok {
				t.Fatalf("get(%q) = %d, %v; want %d, %v", s, v, ok, w, wok)
			}
		}
	})
}

func keys(m map[snapshot.ID]int32) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, string(k))
	}
	return out
}
