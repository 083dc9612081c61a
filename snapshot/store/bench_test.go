package store

import (
	"path/filepath"
	"testing"
	"time"

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

// reportCPU adds the process's CPU seconds per operation since start to
// b's figures: unlike ns/op, it does not count waiting for the disk or
// for other processes on a busy machine.
func reportCPU(b *testing.B, start time.Duration) {
	if used := cpuTime() - start; used > 0 {
		b.ReportMetric(used.Seconds()/float64(b.N), "cpu-s/op")
	}
}

// BenchmarkWrite100kProducts writes 100,000 products to a new state file
// in one transaction, commit and fsync included. file-bytes is the file's
// size afterwards.
func BenchmarkWrite100kProducts(b *testing.B) {
	snap := benchSnapshot()
	var size int64
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		s, err := Open(filepath.Join(b.TempDir(), "state.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		start := cpuTime()
		b.StartTimer()
		if err := s.Update(func(tx *Tx) error { return tx.PutSnapshot(snap, snapshot.DefaultForm) }); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime() - start
		size = s.Size()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(size), "file-bytes")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkRead100kProducts reads the 100,000 products back, decoded.
func BenchmarkRead100kProducts(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "state.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Update(func(tx *Tx) error { return tx.PutSnapshot(benchSnapshot(), snapshot.DefaultForm) }); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := cpuTime()
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
	reportCPU(b, start)
	b.ReportMetric(float64(s.Size()), "file-bytes")
}

// BenchmarkRewrite100kProductsUnchanged stores the same 100,000 products
// again, as a cycle in which nothing changed does: nothing is written.
func BenchmarkRewrite100kProductsUnchanged(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "state.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	snap := benchSnapshot()
	if err := s.Update(func(tx *Tx) error { return tx.PutSnapshot(snap, snapshot.DefaultForm) }); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		if err := s.Update(func(tx *Tx) error { return tx.PutSnapshot(snap, snapshot.DefaultForm) }); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}
