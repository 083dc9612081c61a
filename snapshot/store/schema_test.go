package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/woonexo/woonexo/snapshot"
)

// rawUpdate changes a closed state file behind the store's back.
func rawUpdate(t *testing.T, path string, fn func(*bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func newFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(func(tx *Tx) error { return tx.PutProduct(snapshot.NexoPOS, testProduct(0), snapshot.DefaultForm) })
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpenRefusesOtherSchemaAndLeavesTheFile(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*bolt.Tx) error
		want   string
	}{
		{"newer", func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte("2")) }, "schema version 2"},
		{"garbled", func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte("two")) }, `"two"`},
		{"missing", func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keySchemaVersion) }, "no schema version"},
		{"no meta bucket", func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketMeta) }, "no schema version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := newFile(t)
			rawUpdate(t, path, tc.change)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, ro := range []bool{false, true} {
				s, err := Open(path, Options{ReadOnly: ro})
				if err == nil {
					s.Close()
					t.Fatalf("Open(ReadOnly=%v) accepted the file", ro)
				}
				if !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
					t.Errorf("Open(ReadOnly=%v) = %v, want ErrSchema saying %q and naming the file", ro, err, tc.want)
				}
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Error("a refused file was modified")
			}
		})
	}
}

func TestOpenRejectsForeignFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	junk := bytes.Repeat([]byte("not a database "), 1000)
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(path, Options{}); err == nil {
		s.Close()
		t.Fatal("Open accepted a file that is not a state file")
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, junk) {
		t.Error("a foreign file was modified")
	}
}

func TestReadOnly(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.db")
	if _, err := Open(missing, Options{ReadOnly: true}); err == nil {
		t.Error("read-only Open of a missing file succeeded")
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Error("read-only Open created the file")
	}

	path := newFile(t)
	r1, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := Open(path, Options{ReadOnly: true}) // readers share the file
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if err := r2.Check(); err != nil {
		t.Errorf("Check on a read-only store: %v", err)
	}
	view(t, r1, func(tx *Tx) error {
		if _, ok, err := tx.Product(snapshot.NexoPOS, "1"); !ok || err != nil {
			t.Errorf("Product on a read-only store: %v, %v", ok, err)
		}
		return nil
	})
	if err := r1.Update(func(tx *Tx) error { return tx.PutMeta("k", "v") }); err == nil {
		t.Error("Update on a read-only store succeeded")
	}
}

func TestCheckFindsInconsistencies(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*bolt.Tx) error
		want   string
	}{
		{"one-way link", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketLinks).Bucket([]byte(snapshot.KindProduct)).Bucket(bucketByNexo).Put([]byte{keyNumeric, 0, 0, 0, 0, 0, 0, 0, 9}, []byte("5"))
		}, "nexopos 9 -> woocommerce 5"},
		{"orphan baseline", func(tx *bolt.Tx) error {
			var e encoder
			e.fields(snapshot.Fields{"name": "x"})
			return tx.Bucket(bucketBaselines).Bucket([]byte(snapshot.KindProduct)).Put([]byte{keyText, 'z'}, e.b)
		}, "baseline of woocommerce z has no link"},
		{"garbled record", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketRecords).Bucket([]byte(snapshot.NexoPOS)).Bucket([]byte(snapshot.KindProduct)).Put([]byte{keyText, 'q'}, []byte{recordFormat, 200})
		}, "product q"},
		{"garbled journal", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketJournal).Put(seqKey(1), []byte("{"))
		}, "journal"},
		{"unbounded history", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketRuns).Put(seqKey(1), []byte("{}"))
		}, "runs: 1 stored"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := newFile(t)
			rawUpdate(t, path, tc.change)
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			err = s.Check()
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Check() = %v, want ErrCorrupt saying %q", err, tc.want)
			}
		})
	}
}
