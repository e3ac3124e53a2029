package bench

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Clone creates database to as a file copy of database from, replacing an
// older to, and returns a pool on it: benchmarks that write get the dataset
// in seconds and leave the original untouched. Nobody may be connected to
// from; a session that is (autovacuum, say) is waited for a few seconds.
func Clone(ctx context.Context, adminURL, from, to string) (*pgxpool.Pool, error) {
	if err := dropDatabase(ctx, adminURL, to); err != nil {
		return nil, err
	}
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", redact(adminURL), err)
	}
	defer admin.Close(ctx)
	sql := "CREATE DATABASE " + pgx.Identifier{to}.Sanitize() + " TEMPLATE " + pgx.Identifier{from}.Sanitize()
	for attempt := 0; ; attempt++ {
		_, err = admin.Exec(ctx, sql)
		var pgErr *pgconn.PgError
		// 55006 object_in_use: "source database is being accessed by other users".
		if err == nil || attempt == 10 || !errors.As(err, &pgErr) || pgErr.Code != "55006" {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if err != nil {
		return nil, fmt.Errorf("copy database %s to %s: %w", from, to, err)
	}
	dbURL, err := withDatabase(adminURL, to)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", to, err)
	}
	return pool, nil
}

// Drop removes a database made by Clone.
func Drop(ctx context.Context, adminURL, name string) error {
	return dropDatabase(ctx, adminURL, name)
}
