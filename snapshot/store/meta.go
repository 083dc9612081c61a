package store

import (
	"bytes"
	"fmt"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

func cursorKey(side snapshot.Side, kind snapshot.Kind) ([]byte, error) {
	if err := validSide(side); err != nil {
		return nil, err
	}
	if err := validKind(kind); err != nil {
		return nil, err
	}
	return []byte(string(side) + "/" + string(kind)), nil
}

// PutCursor records at as the point from which side's next incremental
// read of kind starts.
func (t *Tx) PutCursor(side snapshot.Side, kind snapshot.Kind, at time.Time) error {
	k, err := cursorKey(side, kind)
	if err != nil {
		return fmt.Errorf("put cursor: %w", err)
	}
	v, err := at.MarshalBinary()
	if err == nil {
		err = t.tx.Bucket(bucketCursors).Put(k, v)
	}
	if err != nil {
		return fmt.Errorf("put cursor %s: %w", k, err)
	}
	return nil
}

// Cursor returns side's cursor for kind; false when none was recorded
// (the next read of kind must then be full).
func (t *Tx) Cursor(side snapshot.Side, kind snapshot.Kind) (time.Time, bool) {
	k, err := cursorKey(side, kind)
	if err != nil {
		return time.Time{}, false
	}
	v := t.tx.Bucket(bucketCursors).Get(k)
	if v == nil {
		return time.Time{}, false
	}
	var at time.Time
	if err := at.UnmarshalBinary(v); err != nil {
		return time.Time{}, false
	}
	return at, true
}

func reservedMeta(key string) bool {
	for _, r := range [][]byte{keySchemaVersion, keyLastSuccess, keyRunsKeep, keyRecordsForm} {
		if bytes.Equal(r, []byte(key)) {
			return true
		}
	}
	return false
}

// PutMeta stores a small named value, such as the time of the last full
// listing. The store's own keys (schema_version, last_success_run,
// runs_keep) and the empty key are refused with ErrInvalid.
func (t *Tx) PutMeta(key, value string) error {
	if key == "" || reservedMeta(key) {
		return fmt.Errorf("put meta %q: reserved key: %w", key, ErrInvalid)
	}
	if err := t.tx.Bucket(bucketMeta).Put([]byte(key), []byte(value)); err != nil {
		return fmt.Errorf("put meta %q: %w", key, err)
	}
	return nil
}

// Meta returns the value of key; false when none is stored.
func (t *Tx) Meta(key string) (string, bool) {
	if key == "" {
		return "", false
	}
	v := t.tx.Bucket(bucketMeta).Get([]byte(key))
	return string(v), v != nil
}

// DeleteMeta removes key; a missing key is no error.
func (t *Tx) DeleteMeta(key string) error {
	if key == "" || reservedMeta(key) {
		return fmt.Errorf("delete meta %q: reserved key: %w", key, ErrInvalid)
	}
	if err := t.tx.Bucket(bucketMeta).Delete([]byte(key)); err != nil {
		return fmt.Errorf("delete meta %q: %w", key, err)
	}
	return nil
}
