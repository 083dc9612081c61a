package threeway

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/woonexo/woonexo/snapshot"
)

// bigShop links n products; every 100th has its NexoPOS price changed.
func bigShop(n int) (Input, []snapshot.ID) {
	in := shop()
	in.Woo.Products = make([]snapshot.Product, n)
	in.Nexo.Products = make([]snapshot.Product, n)
	in.Links = make([]Link, n)
	base := make(map[snapshot.ID]snapshot.Fields, n)
	var changed []snapshot.ID
	for i := 0; i < n; i++ {
		w := product(fmt.Sprint(i+1), fmt.Sprintf("SKU-%d", i), "10")
		nx := w
		nx.ID = snapshot.ID(fmt.Sprint(n + i + 1))
		base[w.ID] = w.Fields(in.Form)
		if i%100 == 0 {
			nx.RegularPrice = snapshot.MustDecimal("11")
			changed = append(changed, nx.ID)
		}
		in.Woo.Products[i], in.Nexo.Products[i] = w, nx
		in.Links[i] = Link{Kind: snapshot.KindProduct, Woo: w.ID, Nexo: nx.ID}
	}
	in.Baselines[snapshot.KindProduct] = base
	in.Policy.MaxChangePercent = 0
	return in, changed
}

func heapMB() float64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapInuse) / (1 << 20)
}

// BenchmarkFullDiff1M: three-way diff of 1,000,000 linked products, 1 %
// changed, everything compared.
func BenchmarkFullDiff1M(b *testing.B) { benchFull(b, 1_000_000) }

// BenchmarkFullDiff100k is BenchmarkFullDiff1M at a tenth of the size.
func BenchmarkFullDiff100k(b *testing.B) { benchFull(b, 100_000) }

func benchFull(b *testing.B, n int) {
	in, _ := bigShop(n)
	runtime.GC()
	before := heapMB()
	b.ResetTimer()
	var ops int
	peak := 0.0
	for b.Loop() {
		p := Build(in)
		ops = len(p.Ops)
		peak = max(peak, heapMB())
	}
	b.ReportMetric(float64(ops), "ops")
	b.ReportMetric(before, "input-heap-MB")
	b.ReportMetric(peak, "heap-after-MB")
}

// BenchmarkChangedKeys1M: 10,000 changed among 1,000,000 linked products
// when the caller passes the changed keys and keeps its Index.
func BenchmarkChangedKeys1M(b *testing.B) {
	in, changed := bigShop(1_000_000)
	in.Index = NewIndex(in)
	in.Changed = &ChangedKeys{Nexo: map[snapshot.Kind][]snapshot.ID{snapshot.KindProduct: changed}}
	runtime.GC()
	b.ResetTimer()
	var ops int
	for b.Loop() {
		ops = len(Build(in).Ops)
	}
	b.ReportMetric(float64(ops), "ops")
}
