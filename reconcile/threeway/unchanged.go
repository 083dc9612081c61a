package threeway

import (
	"runtime"
	"sync"

	"github.com/woonexo/woonexo/snapshot"
)

// parallelPairs is the number of linked pairs above which the pairs are
// located and the unchanged ones found by several goroutines.
const parallelPairs = 8192

// spread runs work over [0, n) in GOMAXPROCS chunks when n is large; work
// must only write to its own range of any shared result.
func spread(n int, work func(lo, hi int)) {
	procs := runtime.GOMAXPROCS(0)
	if procs < 2 || n < parallelPairs {
		work(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + procs - 1) / procs
	for lo := 0; lo < n; lo += chunk {
		wg.Go(func() { work(lo, min(lo+chunk, n)) })
	}
	wg.Wait()
}

// placed says where a linked pair's records are in the listings: their
// positions, whether each was found and whether it is live (see live).
type placed struct {
	wpos, npos     int32
	wfound, nfound bool
	wok, nok       bool
}

// placedPairs returns pairs(kind) and, at the same index, where their
// records are. Both are computed once; callers must not modify them.
func (b *builder) placedPairs(kind snapshot.Kind) ([]pair, []placed) {
	pairs := b.pairs(kind)
	if out, ok := b.placedCache[kind]; ok {
		return pairs, out
	}
	var out []placed
	if stored := b.storedPlaces(kind); b.in.Changed == nil && len(stored) <= len(pairs) {
		// pairs begins with the stored links of kind (freshPairs)
		out = stored
		if len(pairs) > len(stored) {
			out = make([]placed, len(pairs))
			copy(out, stored)
			b.placeRange(kind, pairs, out, len(stored))
		}
	} else {
		out = make([]placed, len(pairs))
		b.placeRange(kind, pairs, out, 0)
	}
	b.placedCache[kind] = out
	return pairs, out
}

// placeRange places pairs[from:] into out[from:], on every core.
func (b *builder) placeRange(kind snapshot.Kind, pairs []pair, out []placed, from int) {
	spread(len(pairs)-from, func(lo, hi int) {
		for i := from + lo; i < from+hi; i++ {
			out[i] = b.place(kind, pairs[i])
		}
	})
}

// storedPlaces places the stored links of kind (Input.Links, in order),
// once; nil when Changed narrows the work.
func (b *builder) storedPlaces(kind snapshot.Kind) []placed {
	if b.in.Changed != nil {
		return nil
	}
	if out, ok := b.storedCache[kind]; ok {
		return out
	}
	pairs := b.storedPairs(kind)
	out := make([]placed, len(pairs))
	b.placeRange(kind, pairs, out, 0)
	b.storedCache[kind] = out
	return out
}

// storedPairs lists the stored links of kind (Input.Links, in order), once.
func (b *builder) storedPairs(kind snapshot.Kind) []pair {
	if out, ok := b.storedPairCache[kind]; ok {
		return out
	}
	out := make([]pair, 0, b.idx.linkCounts[kind])
	for _, l := range b.in.Links {
		if l.Kind == kind {
			out = append(out, pair{l.Woo, l.Nexo})
		}
	}
	b.storedPairCache[kind] = out
	return out
}

func (b *builder) place(kind snapshot.Kind, p pair) placed {
	wpos, wfound := b.find(snapshot.WooCommerce, kind, p.woo)
	npos, nfound := b.find(snapshot.NexoPOS, kind, p.nexo)
	return placed{wpos: int32(wpos), npos: int32(npos), wfound: wfound, nfound: nfound,
		wok: wfound && !b.trashed(snapshot.WooCommerce, kind, wpos),
		nok: nfound && !b.trashed(snapshot.NexoPOS, kind, npos)}
}

// settled marks, for each pair, whether there is nothing to do: both
// records live and (for kinds with fields) both equal to the baseline.
// It only reads the builder, so it spreads the pairs over GOMAXPROCS
// goroutines; the result does not depend on how they are spread.
func (b *builder) settled(kind snapshot.Kind, pairs []pair, places []placed) []bool {
	out := make([]bool, len(pairs))
	spread(len(pairs), func(lo, hi int) {
		var wbuf, nbuf []string
		for i := lo; i < hi; i++ {
			out[i], wbuf, nbuf = b.unchanged(kind, pairs[i], &places[i], wbuf, nbuf)
		}
	})
	return out
}

// unchanged reports whether pair p needs nothing: both records live and,
// but for orders, every compared field of both sides equal to the
// baseline (NexoPOS references translated through the links). It
// compares without building maps; wbuf and nbuf are reused buffers.
func (b *builder) unchanged(kind snapshot.Kind, p pair, at *placed, wbuf, nbuf []string) (bool, []string, []string) {
	if !at.wok || !at.nok {
		return false, wbuf, nbuf
	}
	if kind == snapshot.KindOrder {
		return true, wbuf, nbuf
	}
	base := b.in.Baselines[kind][p.woo]
	if base == nil {
		return false, wbuf, nbuf
	}
	wbuf = b.valuesAt(snapshot.WooCommerce, kind, int(at.wpos), wbuf[:0])
	if !valuesEqual(kind, wbuf, base) {
		return false, wbuf, nbuf
	}
	nbuf = b.valuesAt(snapshot.NexoPOS, kind, int(at.npos), nbuf[:0])
	return b.nexoValuesEqual(kind, nbuf, base), wbuf, nbuf
}

// valuesEqual reports whether values (FieldNames order) all equal base.
func valuesEqual(kind snapshot.Kind, values []string, base snapshot.Fields) bool {
	for i, f := range snapshot.FieldNames(kind) {
		if !snapshot.FieldEqual(kind, f, values[i], base[f]) {
			return false
		}
	}
	return true
}

// nexoValuesEqual is valuesEqual for NexoPOS values, translating only
// non-empty references (through links; an id without a twin differs).
func (b *builder) nexoValuesEqual(kind snapshot.Kind, values []string, base snapshot.Fields) bool {
	for i, f := range snapshot.FieldNames(kind) {
		v := values[i]
		if v != "" && snapshot.IsReference(kind, f) {
			t, ok := b.translate(kind, f, v, snapshot.NexoPOS)
			if !ok {
				return false
			}
			v = t
		}
		if !snapshot.FieldEqual(kind, f, v, base[f]) {
			return false
		}
	}
	return true
}

// valuesAt appends the compared field values of a record, in FieldNames
// order.
func (b *builder) valuesAt(side snapshot.Side, kind snapshot.Kind, pos int, dst []string) []string {
	s := b.snap(side)
	switch kind {
	case snapshot.KindCategory:
		return s.Categories[pos].AppendValues(dst, b.form)
	case snapshot.KindProduct:
		return s.Products[pos].AppendValues(dst, b.form)
	}
	f := b.fieldsAt(side, kind, pos)
	for _, name := range snapshot.FieldNames(kind) {
		dst = append(dst, f[name])
	}
	return dst
}
