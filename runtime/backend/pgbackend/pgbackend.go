// Package pgbackend stores denormgen documents in a PostgreSQL table as jsonb,
// one row per document, for applications that query them with SQL or want
// them next to their data.
//
// The table (denorm.documents unless WithTable says otherwise) is created on
// New if absent:
//
//	collection text, key text, version bigint, doc jsonb (NULL: deleted),
//	PRIMARY KEY (collection, key)
//
// Every write is one set-based upsert per batch whose WHERE clause keeps the
// higher version, so concurrent writers cannot make a document go back in
// time. jsonb normalizes JSON: Get returns the same value, not the same bytes
// (key order and whitespace change).
package pgbackend

import (
	"context"
	"errors"
	"fmt"

	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DefaultMaxDocSize stays under jsonb's own limit of 256 MB, so that an
// oversized document gets a TooLargeError rather than a server error that
// would fail its whole batch.
const DefaultMaxDocSize = 255 << 20

// A Backend is a denorm.Backend on a PostgreSQL table. It is safe for
// concurrent use if its DB is (a *pgxpool.Pool is).
type Backend struct {
	db       denorm.DB
	table    string // quoted, maybe schema-qualified
	schema   string // quoted, empty if the table is unqualified
	maxSize  int
	pageSize int
	batch    batchLimits
}

// batchLimits split large Puts into several statements, keeping each one's
// parameters (and the server's memory for them) bounded.
type batchLimits struct {
	docs  int
	bytes int
}

// An Option configures a Backend.
type Option func(*Backend)

// WithTable stores documents in schema.table instead of denorm.documents. An
// empty schema leaves the table unqualified (found through search_path).
func WithTable(schema, table string) Option {
	return func(b *Backend) {
		if schema == "" {
			b.schema = ""
			b.table = pgx.Identifier{table}.Sanitize()
			return
		}
		b.schema = pgx.Identifier{schema}.Sanitize()
		b.table = pgx.Identifier{schema, table}.Sanitize()
	}
}

// WithMaxDocSize makes Put refuse documents over n bytes of JSON with a
// denorm.TooLargeError (default DefaultMaxDocSize).
func WithMaxDocSize(n int) Option {
	return func(b *Backend) { b.maxSize = n }
}

// WithPageSize sets how many keys each query behind Keys reads (default 1000).
func WithPageSize(n int) Option {
	return func(b *Backend) { b.pageSize = n }
}

// New returns a backend on db, creating its schema and table if absent.
func New(ctx context.Context, db denorm.DB, opts ...Option) (*Backend, error) {
	b := &Backend{
		db:       db,
		schema:   `"denorm"`,
		table:    `"denorm"."documents"`,
		maxSize:  DefaultMaxDocSize,
		pageSize: 1000,
		batch:    batchLimits{docs: 1000, bytes: 16 << 20},
	}
	for _, o := range opts {
		o(b)
	}
	if db == nil {
		return nil, errors.New("pgbackend: nil database")
	}
	if b.table == `""` || b.pageSize <= 0 {
		return nil, errors.New("pgbackend: empty table name or page size not positive")
	}
	if err := b.createTable(ctx); err != nil {
		return nil, fmt.Errorf("pgbackend: create %s: %w", b.table, err)
	}
	return b, nil
}

func (b *Backend) createTable(ctx context.Context) error {
	// COLLATE "C": keys are identifiers, byte order is all Keys needs, and it
	// is faster than a linguistic collation and the same on every server.
	ddl := `CREATE TABLE IF NOT EXISTS ` + b.table + ` (
	collection text COLLATE "C" NOT NULL,
	key        text COLLATE "C" NOT NULL,
	version    bigint NOT NULL,
	doc        jsonb,
	PRIMARY KEY (collection, key)
)`
	if b.schema != "" {
		ddl = `CREATE SCHEMA IF NOT EXISTS ` + b.schema + `; ` + ddl
	}
	_, err := b.db.Exec(ctx, ddl)
	// Two processes starting at once can both find the table absent; the
	// loser's catalog insert fails, and by then the table exists.
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "23505" || pgErr.Code == "42P07" || pgErr.Code == "42P06") {
		_, err = b.db.Exec(ctx, ddl)
	}
	return err
}

var _ denorm.Backend = (*Backend)(nil)
