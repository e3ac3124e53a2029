// Package denorm is the runtime of denormgen: the interfaces generated code
// implements (Collection), the stores documents live in (Backend), and the
// Syncer that drains the outbox written by the install SQL's triggers.
package denorm

import (
	"context"
	"iter"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DB is what generated loaders need from PostgreSQL. *pgxpool.Pool, *pgx.Conn
// and pgx.Tx all satisfy it.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// A Collection is one generated collection, as the Syncer sees it.
type Collection interface {
	// Name is the backend collection name.
	Name() string
	// Build renders the JSON documents of the given roots (keys are the
	// primary key's text form); roots that do not exist are absent.
	Build(ctx context.Context, db DB, keys []string) (map[string][]byte, error)
	// ScanKeys returns up to limit root keys that sort after the given key in
	// the root key's own order ("" starts from the beginning): the keyset
	// pagination behind FullSync.
	ScanKeys(ctx context.Context, db DB, after string, limit int) ([]string, error)
	// Tables lists every table the documents read, schema-qualified
	// ("public.book"): root, related and join tables.
	Tables() []string
	// Dependencies tell how a recorded change reaches root keys.
	Dependencies() []Dependency
}

// An AllBuilder is a Collection that renders all its documents in one pass
// (generated collections are). FullSync then builds in one snapshot, and a
// generated collection reads each to-many relation of the root as one stream
// sorted by root key, instead of looking rows up chunk after chunk.
type AllBuilder interface {
	// BuildAll yields the JSON documents of every root by key, chunkSize roots
	// at a time in key order. It stops at the first error, which it yields.
	BuildAll(ctx context.Context, db DB, chunkSize int) iter.Seq2[map[string][]byte, error]
}

// A Dependency resolves the outbox changes of one table to the root keys whose
// documents they may affect.
type Dependency struct {
	// Table is the schema-qualified table, as recorded in denorm.outbox.
	Table string
	// SQL selects the text form of affected root keys, one per row (duplicates
	// allowed), for the outbox rows whose ids are in $1 (bigint[]). It reads
	// every image in old_rows and new_rows of those rows (arrays by column,
	// see docs/DESIGN.md) and joins up to the root.
	SQL string
}

// A Doc is a stored document.
type Doc struct {
	Key     string
	Version int64
	JSON    []byte
}

// A Backend stores documents by collection and key. Writes are batched and
// guarded by Version: a document never replaces one with a higher version, and
// a delete leaves a tombstone at its version so that a late, older put cannot
// bring the document back.
type Backend interface {
	// Get returns the live documents among keys; missing and deleted keys are
	// absent from the map.
	Get(ctx context.Context, collection string, keys []string) (map[string]Doc, error)
	// Keys lists the keys of live documents without loading them all at once.
	Keys(ctx context.Context, collection string) iter.Seq2[string, error]
	// Put stores docs whose Version is at least the stored one (document or
	// tombstone); others are skipped silently.
	Put(ctx context.Context, collection string, docs []Doc) error
	// Delete removes the documents of keys whose stored version is at most
	// version, and remembers the deletion at that version.
	Delete(ctx context.Context, collection string, keys []string, version int64) error
}
