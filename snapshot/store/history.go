package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/woonexo/woonexo/snapshot"
)

// ResultOK is the Run.Result of a cycle that finished without errors;
// LastSuccess looks for it.
const ResultOK = snapshot.RunOK

// Run is the record of one cycle (see snapshot.Run).
type Run = snapshot.Run

// Conflict is a field both sides changed differently since the baseline,
// and how the field's policy settled it (see snapshot.Conflict).
type Conflict = snapshot.Conflict

// AppendRun adds r as the newest run and drops the oldest so that at most
// keep (at least 1) remain. A run whose Result is ResultOK also becomes
// LastSuccess, which outlives its place in the history.
func (t *Tx) AppendRun(r Run, keep int) error {
	if keep < 1 {
		return fmt.Errorf("append run: keep %d: %w", keep, ErrInvalid)
	}
	b := t.tx.Bucket(bucketRuns)
	seq, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("append run: %w", err)
	}
	v, err := json.Marshal(r)
	if err == nil {
		err = b.Put(seqKey(seq), v)
	}
	if err == nil && r.Result == ResultOK {
		err = t.tx.Bucket(bucketMeta).Put(keyLastSuccess, v)
	}
	if err == nil {
		err = t.tx.Bucket(bucketMeta).Put(keyRunsKeep, []byte(strconv.Itoa(keep)))
	}
	if err == nil {
		err = trim(b, keep)
	}
	if err != nil {
		return fmt.Errorf("append run: %w", err)
	}
	return nil
}

// trim deletes the oldest keys of b beyond the newest keep.
func trim(b *bolt.Bucket, keep int) error {
	var old [][]byte
	c := b.Cursor()
	n := 0
	for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
		if n++; n > keep {
			old = append(old, append([]byte(nil), k...))
		}
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Runs returns up to limit runs (all when limit <= 0), newest first.
func (t *Tx) Runs(limit int) ([]Run, error) {
	var out []Run
	c := t.tx.Bucket(bucketRuns).Cursor()
	for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
		var r Run
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, fmt.Errorf("runs: run %d: %v: %w", binary.BigEndian.Uint64(k), err, ErrCorrupt)
		}
		out = append(out, r)
	}
	return out, nil
}

// LastSuccess returns the newest run whose Result was ResultOK, even when
// it has left the bounded history; false when no run succeeded yet.
func (t *Tx) LastSuccess() (Run, bool) {
	v := t.tx.Bucket(bucketMeta).Get(keyLastSuccess)
	var r Run
	if v == nil || json.Unmarshal(v, &r) != nil {
		return Run{}, false
	}
	return r, true
}

// replaceList empties bucket name and stores vals in order.
func replaceList[V any](t *Tx, name []byte, vals []V) error {
	if err := t.tx.DeleteBucket(name); err != nil {
		return err
	}
	b, err := t.tx.CreateBucket(name)
	if err != nil {
		return err
	}
	b.FillPercent = 1
	for i := range vals {
		v, err := json.Marshal(&vals[i])
		if err != nil {
			return err
		}
		if err := b.Put(seqKey(uint64(i)), v); err != nil {
			return err
		}
	}
	return nil
}

func list[V any](t *Tx, name []byte) ([]V, error) {
	var out []V
	err := t.tx.Bucket(name).ForEach(func(k, v []byte) error {
		var x V
		if err := json.Unmarshal(v, &x); err != nil {
			return fmt.Errorf("%s %x: %v: %w", name, k, err, ErrCorrupt)
		}
		out = append(out, x)
		return nil
	})
	return out, err
}

// ReplaceConflicts stores cs as the current cycle's conflicts, replacing
// the previous cycle's.
func (t *Tx) ReplaceConflicts(cs []Conflict) error {
	if err := replaceList(t, bucketConflicts, cs); err != nil {
		return fmt.Errorf("replace conflicts: %w", err)
	}
	return nil
}

// Conflicts returns the conflicts of the last cycle that recorded them.
func (t *Tx) Conflicts() ([]Conflict, error) {
	cs, err := list[Conflict](t, bucketConflicts)
	if err != nil {
		return nil, fmt.Errorf("conflicts: %w", err)
	}
	return cs, nil
}

// ReplaceHeld stores hs as the records held this cycle, replacing the
// previous cycle's.
func (t *Tx) ReplaceHeld(hs []snapshot.Held) error {
	if err := replaceList(t, bucketHeld, hs); err != nil {
		return fmt.Errorf("replace held: %w", err)
	}
	return nil
}

// Held returns the records held by the last cycle that recorded them.
func (t *Tx) Held() ([]snapshot.Held, error) {
	hs, err := list[snapshot.Held](t, bucketHeld)
	if err != nil {
		return nil, fmt.Errorf("held: %w", err)
	}
	return hs, nil
}
