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

// placed is a linked pair with the positions of its records; wok and nok
// say whether each record is live (see live).
type placed struct {
	pair
	wpos, npos int
	wok, nok   bool
}

// placedPairs returns pairs(kind) with their records located. It is
// computed once; callers must not modify it.
func (b *builder) placedPairs(kind snapshot.Kind) []placed {
	if out, ok := b.placedCache[kind]; ok {
		return out
	}
	pairs := b.pairs(kind)
	out := make([]placed, len(pairs))
	spread(len(pairs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = b.place(kind, pairs[i])
		}
	})
	b.placedCache[kind] = out
	return out
}

func (b *builder) place(kind snapshot.Kind, p pair) placed {
	wpos, wok := b.live(snapshot.WooCommerce, kind, p.woo)
	npos, nok := b.live(snapshot.NexoPOS, kind, p.nexo)
	return placed{pair: p, wpos: wpos, npos: npos, wok: wok, nok: nok}
}

// settled marks, for each pair, whether there is nothing to do: both
// records live and (for kinds with fields) both equal to the baseline.
// It only reads the builder, so it spreads the pairs over GOMAXPROCS
// goroutines; the result does not depend on how they are spread.
func (b *builder) settled(kind snapshot.Kind, pairs []placed) []bool {
	out := make([]bool, len(pairs))
	spread(len(pairs), func(lo, hi int) {
		var wbuf, nbuf []string
		for i := lo; i < hi; i++ {
			out[i], wbuf, nbuf = b.unchanged(kind, &pairs[i], wbuf, nbuf)
		}
	})
	return out
}

// unchanged reports whether pair p needs nothing: both records live and,
// but for orders, every compared field of both sides equal to the
// baseline (NexoPOS references translated through the links). It
// compares without building maps; wbuf and nbuf are reused buffers.
func (b *builder) unchanged(kind snapshot.Kind, p *placed, wbuf, nbuf []string) (bool, []string, []string) {
	if !p.wok || !p.nok {
		return false, wbuf, nbuf
	}
	if kind == snapshot.KindOrder {
		return true, wbuf, nbuf
	}
	base := b.in.Baselines[kind][p.woo]
	if base == nil {
		return false, wbuf, nbuf
	}
	wbuf = b.valuesAt(snapshot.WooCommerce, kind, p.wpos, wbuf[:0])
	if !valuesEqual(kind, wbuf, base) {
		return false, wbuf, nbuf
	}
	nbuf = b.valuesAt(snapshot.NexoPOS, kind, p.npos, nbuf[:0])
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
