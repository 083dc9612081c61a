/*
Package store keeps woonexo's state in one BoltDB file: what each side looked
like at the last cycle, how records of the two sides are linked, what both
sides last agreed on, the writes in flight and the history of cycles. It is
the only package that imports go.etcd.io/bbolt; it imports nothing of
woonexo's but package snapshot.

# Opening

Open creates the file with mode 0600 (and its directory with 0700), warns
through Options.Warn when an existing file is readable by group or others,
and takes an exclusive lock on it: a second woonexo process, or a second
Store in this one, fails within Options.LockTimeout (2 s by default) with an
error wrapping ErrLocked that names the file. Options.ReadOnly takes a shared
lock instead, so several readers may open the file at once, but never while
a writer holds it.

A new file gets the current SchemaVersion. An existing file must carry
exactly that version: a missing, garbled or newer version fails with
ErrSchema, and the file is not written to. It is never reset silently.

# Transactions

Update runs a function in one read-write transaction and View in one
read-only transaction. Everything a cycle phase writes (records, links,
baselines, journal, run) goes in one Update, so a crash or an error leaves
the previous state whole: the file is either before or after the phase.
Values are decoded inside the transaction and stay valid after it.

# Buckets

Keys named "id" below are a record's id on its side: a decimal id without
leading zeros ("42") is stored as byte 0x00 followed by the number as 8
big-endian bytes, so keys sort numerically and a listing read in id order
appends to the B+tree; any other id ("bacs", "007") is byte 0x01 followed
by its text. Numeric keys sort before text keys.

	meta                                  small named values
	    schema_version                    decimal text, SchemaVersion
	    last_success_run                  JSON Run: the newest run with Result ResultOK
	    runs_keep                         decimal text: the history bound last used
	    records_form                      decimal text: money places of the stored records' hashes
	    <any other key>                   PutMeta / Meta (e.g. the last full listing time)
	records/<side>/<kind>                 latest snapshot of each side and kind
	    id -> record value (below)
	cursors
	    "<side>/<kind>" -> time.Time.MarshalBinary: start of the next incremental read
	links/<kind>/woo
	    WooCommerce id -> NexoPOS id (length-prefixed) + created time
	links/<kind>/nexo
	    NexoPOS id -> WooCommerce id (plain text)
	baselines/<kind>
	    WooCommerce id -> canonical fields both sides last agreed on
	journal
	    sequence (8 bytes, big-endian, from NextSequence) -> JSON JournalEntry
	runs
	    sequence (8 bytes, big-endian) -> JSON Run, oldest first
	conflicts
	    index (8 bytes, big-endian) -> JSON Conflict of the last cycle
	held
	    index (8 bytes, big-endian) -> JSON snapshot.Held of the last cycle

<side> is "woocommerce" or "nexopos"; <kind> is one of snapshot.Kinds. All
these buckets are created with the file.

# Values

Records and baselines, the bulk of the file, use a compact binary encoding:
unsigned and zig-zag varints, strings as a varint length and their bytes,
booleans as one byte, Decimals as the varint of their micros, times as 0 for
the zero time or nanosecond+1 followed by the Unix second (they decode in
UTC, the same instant). A record value is

	format byte (1) | content hash | modification time | kind's fields in a fixed order

where the content hash is snapshot.Hash of the record's canonical fields in
the Form given to Put, so RecordHash and Hashes answer without decoding the
record. PutSnapshot compares each record's modification time and fields
with the stored value and writes only those that differ; meta records_form
names the Form of the stored hashes, and a PutSnapshot in another Form
writes (and hashes) every record again. The id is the key and is not repeated. A baseline is a count
followed by its name/value pairs sorted by name. Journal entries, runs,
conflicts and held records are few and stored as JSON.

100,000 products take about 28 MB and are written in one transaction in
about a second (PutSnapshot: encoded on all processors, sorted, appended
with full pages) and read back by LoadSnapshot in about 0.1 s; storing
them again unchanged writes nothing. See BenchmarkWrite100kProducts,
BenchmarkRead100kProducts and BenchmarkRewrite100kProductsUnchanged.

# Invariants

Check verifies each of these, and bbolt's own page checks; tests run it on
every store they open.

  - meta holds schema_version equal to SchemaVersion, and every bucket above
    exists.
  - links are one-to-one per kind: links/<kind>/woo maps w to n exactly when
    links/<kind>/nexo maps n to w. PutLink refuses, with ErrLinkTaken, a link
    that would give an id a second partner; DeleteLink removes both
    directions.
  - every baseline belongs to a link: PutBaseline refuses an unlinked pair
    (ErrNoLink) and DeleteLink removes the pair's baseline.
  - every record, link, baseline, cursor, journal entry, run, conflict and
    held record decodes, and every record key is a valid id key.
  - runs holds at most runs_keep entries: AppendRun drops the oldest.
  - journal sequence numbers are never reused, even after JournalDone.

# Caveats

A read-only Store cannot be opened while the daemon holds the file (bbolt
locks the whole file); a status command must then ask the daemon or wait.
Keys and values given to bbolt must stay untouched until commit, so a
transaction keeps what it wrote in memory until it ends: write very large
listings with PutSnapshot, which encodes them into a few large buffers.
*/
package store
