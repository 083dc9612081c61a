package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/woonexo/woonexo/snapshot"
)

// SchemaVersion is the layout this build reads and writes (see doc.go).
// A file with another version is refused with ErrSchema.
const SchemaVersion = 1

// DefaultLockTimeout is how long Open waits for another process to release
// the state file when Options.LockTimeout is zero.
const DefaultLockTimeout = 2 * time.Second

// Mapping and growth of the file. bbolt copies every dirty node each time
// it has to map the file again, so the mapping starts with room for a
// large first listing (address space only: the file does not grow with
// it); the file itself grows in steps of allocSize, small enough that a
// small state file stays small.
const (
	minMmapSize = 128 << 20
	allocSize   = 1 << 20
)

// Options tune Open. The zero value opens the file for reading and writing
// and waits DefaultLockTimeout for its lock.
type Options struct {
	// ReadOnly opens an existing file with a shared lock, for readers such
	// as `reconcile status`; writes fail. Several read-only Stores may be
	// open at once, but none while a writer holds the file.
	ReadOnly bool

	// LockTimeout bounds the wait for the file's lock; DefaultLockTimeout
	// when zero.
	LockTimeout time.Duration

	// Warn, when set, is told about problems that do not stop Open, such
	// as a file that group or others may read.
	Warn func(msg string)

	// NoSync skips fsync on commit. Tests and benchmarks of the encoding
	// only: a crash may then lose committed transactions.
	NoSync bool
}

// Store is an open state file. It is safe for concurrent use: any number
// of View transactions run alongside at most one Update.
type Store struct {
	db   *bolt.DB
	path string
}

// Open opens the state file at path, creating it (mode 0600, and its
// directory 0700) unless opts.ReadOnly. A new file is given the current
// schema; an existing one must already have it.
func Open(path string, opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil:
		if perm := fi.Mode().Perm(); perm&0o077 != 0 && opts.Warn != nil {
			opts.Warn(fmt.Sprintf("state file %q has mode %04o: group or others may read it; run chmod 600 on it", path, perm))
		}
	case errors.Is(err, os.ErrNotExist) && !opts.ReadOnly:
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("open state file: %w", err)
		}
	default:
		return nil, fmt.Errorf("open state file: %w", err)
	}
	var size int64
	if fi != nil {
		size = fi.Size()
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:         opts.LockTimeout,
		ReadOnly:        opts.ReadOnly,
		FreelistType:    bolt.FreelistMapType,
		NoSync:          opts.NoSync,
		InitialMmapSize: int(max(minMmapSize, 2*size)),
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("state file %q is in use by another woonexo process (gave up after %v): %w", path, opts.LockTimeout, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open state file %q: %w", path, err)
	}
	db.AllocSize = allocSize
	s := &Store{db: db, path: path}
	if err := s.prepare(opts.ReadOnly); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// prepare checks the schema version and, on a new file, creates the
// buckets. It reads first so that a refused file is never written to.
func (s *Store) prepare(readOnly bool) error {
	var fresh bool
	err := s.db.View(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bucketMeta); meta != nil {
			return checkSchema(meta)
		}
		fresh = true
		tx.ForEach(func([]byte, *bolt.Bucket) error {
			fresh = false
			return nil
		})
		if !fresh {
			return fmt.Errorf("no schema version (no meta bucket): %w", ErrSchema)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("state file %q: %w", s.path, err)
	}
	if !fresh {
		return nil
	}
	if readOnly {
		return fmt.Errorf("state file %q has no schema version (never written): %w", s.path, ErrSchema)
	}
	if err := s.db.Update(initBuckets); err != nil {
		return fmt.Errorf("initialise state file %q: %w", s.path, err)
	}
	return nil
}

func checkSchema(meta *bolt.Bucket) error {
	v := meta.Get(keySchemaVersion)
	if v == nil {
		return fmt.Errorf("no schema version: %w", ErrSchema)
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return fmt.Errorf("schema version %q is not a number: %w", v, ErrSchema)
	}
	if n != SchemaVersion {
		return fmt.Errorf("schema version %d, this build reads version %d only (newer file? use the woonexo that wrote it): %w",
			n, SchemaVersion, ErrSchema)
	}
	return nil
}

// Close releases the file and its lock.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close state file %q: %w", s.path, err)
	}
	return nil
}

// Path returns the file's path as given to Open.
func (s *Store) Path() string { return s.path }

// Size returns the file's size on disk in bytes, or 0 when it cannot be
// read.
func (s *Store) Size() int64 {
	fi, err := os.Stat(s.path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// Update runs fn in one read-write transaction: everything fn writes is
// committed together when it returns nil, and nothing when it returns an
// error or panics. Only one Update runs at a time.
func (s *Store) Update(fn func(*Tx) error) error {
	return s.db.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// View runs fn in a read-only transaction that sees one consistent state.
// Values decoded inside fn stay valid after it returns.
func (s *Store) View(fn func(*Tx) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// Tx is one transaction. It is valid only inside the function given to
// Update or View and must not be used by several goroutines at once.
type Tx struct {
	tx    *bolt.Tx
	enc   encoder
	arena []byte
	key   []byte
}

// keep copies b into memory that stays untouched until the transaction
// ends, as bbolt requires of keys and values given to Put.
func (t *Tx) keep(b []byte) []byte {
	if len(b) > cap(t.arena)-len(t.arena) {
		t.arena = make([]byte, 0, max(64<<10, len(b)))
	}
	n := len(t.arena)
	t.arena = append(t.arena, b...)
	return t.arena[n:len(t.arena):len(t.arena)]
}

func validSide(side snapshot.Side) error {
	if side != snapshot.WooCommerce && side != snapshot.NexoPOS {
		return fmt.Errorf("side %q: %w", side, ErrInvalid)
	}
	return nil
}

func validKind(kind snapshot.Kind) error {
	for _, k := range snapshot.Kinds {
		if k == kind {
			return nil
		}
	}
	return fmt.Errorf("kind %q: %w", kind, ErrInvalid)
}
