package bench

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"
)

// SchemaSQL is schema.sql: the DDL the dataset is loaded into and the schema
// denorm.yaml reads.
//
//go:embed schema.sql
var SchemaSQL string

// datasetVersion changes whenever the generated data would differ, so that a
// database loaded by an older runner is reloaded rather than reused.
const datasetVersion = 2

// Load creates the schema in an empty database and fills it with the dataset
// of the given sizes, then vacuums and analyzes it so that plans, hint bits
// and visibility maps look like those of a settled production table (and the
// first strategy measured does not pay for setting them).
func Load(ctx context.Context, pool *pgxpool.Pool, s Sizes) error {
	if err := s.validate(); err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, SchemaSQL); err != nil {
		return fmt.Errorf("load dataset: create schema: %w", err)
	}
	// Tables load in parallel on their own connections: with foreign-key
	// triggers off (replica role) their order does not matter.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(3)
	for _, t := range datasetTables(s) {
		g.Go(func() error {
			if err := copyTable(gctx, pool, t); err != nil {
				return fmt.Errorf("load dataset: %s: %w", t.table, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, `VACUUM (ANALYZE)`); err != nil {
		return fmt.Errorf("load dataset: vacuum: %w", err)
	}
	counts, err := CountRows(ctx, pool)
	if err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, `CREATE TABLE bench_dataset (
			version int NOT NULL, sizes jsonb NOT NULL, counts jsonb NOT NULL)`); err != nil {
		return fmt.Errorf("load dataset: %w", err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO bench_dataset VALUES ($1, $2, $3)`,
		datasetVersion, s, counts); err != nil {
		return fmt.Errorf("load dataset: record sizes: %w", err)
	}
	return nil
}

func copyTable(ctx context.Context, pool *pgxpool.Pool, t tableRows) error {
	return pool.AcquireFunc(ctx, func(c *pgxpool.Conn) error {
		// Replica role skips the foreign-key triggers, whose per-row checks
		// would dominate the load; the generator keeps references valid.
		// It is reset before the connection goes back to the pool.
		if _, err := c.Exec(ctx, `SET session_replication_role = replica; SET synchronous_commit = off`); err != nil {
			return err
		}
		_, err := c.CopyFrom(ctx, pgx.Identifier{t.table}, t.columns, &copySource{t: t})
		if _, rerr := c.Exec(ctx, `RESET session_replication_role; RESET synchronous_commit`); err == nil {
			err = rerr
		}
		return err
	})
}
