package store

import (
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/woonexo/woonexo/snapshot"
)

// Top-level buckets; doc.go describes their keys and values.
var (
	bucketMeta      = []byte("meta")
	bucketRecords   = []byte("records")
	bucketCursors   = []byte("cursors")
	bucketLinks     = []byte("links")
	bucketBaselines = []byte("baselines")
	bucketJournal   = []byte("journal")
	bucketRuns      = []byte("runs")
	bucketConflicts = []byte("conflicts")
	bucketHeld      = []byte("held")

	// Nested in links/<kind>: the two directions of one relation.
	bucketByWoo  = []byte("woo")
	bucketByNexo = []byte("nexo")
)

// Reserved keys of the meta bucket; PutMeta refuses them.
var (
	keySchemaVersion = []byte("schema_version")
	keyLastSuccess   = []byte("last_success_run")
	keyRunsKeep      = []byte("runs_keep")
	// keyRecordsForm holds the Form (money places) of the stored
	// records' content hashes (see PutSnapshot).
	keyRecordsForm = []byte("records_form")
)

var sides = []snapshot.Side{snapshot.WooCommerce, snapshot.NexoPOS}

var topBuckets = [][]byte{bucketMeta, bucketRecords, bucketCursors, bucketLinks, bucketBaselines,
	bucketJournal, bucketRuns, bucketConflicts, bucketHeld}

// initBuckets lays out a new file: every bucket, then the schema version.
func initBuckets(tx *bolt.Tx) error {
	for _, name := range topBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	records := tx.Bucket(bucketRecords)
	for _, side := range sides {
		sb, err := records.CreateBucketIfNotExists([]byte(side))
		if err != nil {
			return err
		}
		for _, kind := range snapshot.Kinds {
			if _, err := sb.CreateBucketIfNotExists([]byte(kind)); err != nil {
				return err
			}
		}
	}
	links, baselines := tx.Bucket(bucketLinks), tx.Bucket(bucketBaselines)
	for _, kind := range snapshot.Kinds {
		kb, err := links.CreateBucketIfNotExists([]byte(kind))
		if err != nil {
			return err
		}
		if _, err := kb.CreateBucketIfNotExists(bucketByWoo); err != nil {
			return err
		}
		if _, err := kb.CreateBucketIfNotExists(bucketByNexo); err != nil {
			return err
		}
		if _, err := baselines.CreateBucketIfNotExists([]byte(kind)); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte(strconv.Itoa(SchemaVersion)))
}
