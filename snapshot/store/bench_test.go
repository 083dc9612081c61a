package store

import (
	"path/filepath"
	"testing"

	"github.com/woonexo/woonexo/snapshot"
)

const benchProducts = 100_000

func benchSnapshot() snapshot.Snapshot {
	s := snapshot.Snapshot{Side: snapshot.WooCommerce, Products: make([]snapshot.Product, benchProducts)}
	for i := range s.Products {
		s.Products[i] = testProduct(i)
	}
	return s
}

// BenchmarkWrite100kProducts writes 100,000 products to a new state file
// in one transaction, commit and fsync included.
func BenchmarkWrite100kProducts(b *testing.B) {
	snap := benchSnapshot()
	var size int64
	for b.Loop() {
		b.StopTimer()
		s, err := Open(filepath.Join(b.TempDir(), "state.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.Update(func(tx *Tx) error { return tx.PutSnapshot(snap, snapshot.DefaultForm) }); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		size = s.Size()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(size), "file-bytes")
}

// BenchmarkRead100kProducts reads the 100,000 products back.
func BenchmarkRead100kProducts(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "state.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Update(func(tx *Tx) error { return tx.PutSnapshot(benchSnapshot(), snapshot.DefaultForm) }); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		err := s.View(func(tx *Tx) error {
			got, err := tx.LoadSnapshot(snapshot.WooCommerce)
			if err == nil && len(got.Products) != benchProducts {
				b.Fatalf("read %d products", len(got.Products))
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(s.Size()), "file-bytes")
}
