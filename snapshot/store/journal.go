package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/woonexo/woonexo/snapshot"
)

// JournalEntry is a write that may not be idempotent, recorded before it
// is sent and removed once its outcome is stored (see
// snapshot.JournalEntry).
type JournalEntry = snapshot.JournalEntry

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// JournalAdd records e under the next journal sequence number, which it
// sets in e.Seq and returns.
func (t *Tx) JournalAdd(e *JournalEntry) (uint64, error) {
	b := t.tx.Bucket(bucketJournal)
	seq, err := b.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("journal add: %w", err)
	}
	e.Seq = seq
	if err := t.putJournal(e); err != nil {
		return 0, fmt.Errorf("journal add: %w", err)
	}
	return seq, nil
}

func (t *Tx) putJournal(e *JournalEntry) error {
	v, err := json.Marshal(e)
	if err == nil {
		err = t.tx.Bucket(bucketJournal).Put(seqKey(e.Seq), v)
	}
	return err
}

func (t *Tx) journalEntry(seq uint64) (JournalEntry, error) {
	v := t.tx.Bucket(bucketJournal).Get(seqKey(seq))
	if v == nil {
		return JournalEntry{}, fmt.Errorf("journal entry %d: %w", seq, ErrNotFound)
	}
	var e JournalEntry
	if err := json.Unmarshal(v, &e); err != nil {
		return JournalEntry{}, fmt.Errorf("journal entry %d: %v: %w", seq, err, ErrCorrupt)
	}
	return e, nil
}

// JournalDone removes entry seq once its write's outcome is stored. A
// missing entry is no error, so finishing twice is harmless.
func (t *Tx) JournalDone(seq uint64) error {
	if err := t.tx.Bucket(bucketJournal).Delete(seqKey(seq)); err != nil {
		return fmt.Errorf("journal done %d: %w", seq, err)
	}
	return nil
}

// JournalBump counts one more attempt of entry seq (ErrNotFound when it
// does not exist).
func (t *Tx) JournalBump(seq uint64) error {
	e, err := t.journalEntry(seq)
	if err != nil {
		return fmt.Errorf("journal bump: %w", err)
	}
	e.Attempts++
	if err := t.putJournal(&e); err != nil {
		return fmt.Errorf("journal bump %d: %w", seq, err)
	}
	return nil
}

// JournalPending returns every entry not yet done, oldest first.
func (t *Tx) JournalPending() ([]JournalEntry, error) {
	var out []JournalEntry
	err := t.tx.Bucket(bucketJournal).ForEach(func(k, v []byte) error {
		var e JournalEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("entry %x: %v: %w", k, err, ErrCorrupt)
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("journal pending: %w", err)
	}
	return out, nil
}
