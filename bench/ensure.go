package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Tables lists the dataset's tables in load order.
var Tables = []string{"country", "publisher", "author", "book", "book_author", "tag", "book_tag", "review"}

// Counts are row counts by table.
type Counts map[string]int64

// CountRows counts the rows of every dataset table.
func CountRows(ctx context.Context, db *pgxpool.Pool) (Counts, error) {
	counts := Counts{}
	for _, t := range Tables {
		var n int64
		// Table names come from the fixed list above, never from input.
		if err := db.QueryRow(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		counts[t] = n
	}
	return counts, nil
}

// DatabaseName is the benchmark database of a scale: denorm_bench at scale 1,
// denorm_bench_s3 at scale 3.
func DatabaseName(scale int) string {
	if scale == 1 {
		return "denorm_bench"
	}
	return fmt.Sprintf("denorm_bench_s%d", scale)
}

// Ensure returns a pool on database name of the server at adminURL, holding the
// dataset of sizes s. A database that already holds exactly that dataset is
// reused, which saves the minute a load takes; one that holds anything else
// (another scale, a half-finished load, rows a test changed) is dropped and
// loaded again. logf reports the slow steps.
func Ensure(ctx context.Context, adminURL, name string, s Sizes, logf func(format string, args ...any)) (*pgxpool.Pool, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	dbURL, err := withDatabase(adminURL, name)
	if err != nil {
		return nil, err
	}
	if err := createDatabase(ctx, adminURL, name, false); err != nil {
		return nil, err
	}
	pool, err := openPool(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	ok, why, err := holds(ctx, pool, s)
	if err != nil {
		pool.Close()
		return nil, err
	}
	if ok {
		logf("reusing database %s (%s)", name, s)
		return pool, nil
	}
	pool.Close()
	logf("loading database %s: %s (%s)", name, s, why)
	if err := createDatabase(ctx, adminURL, name, true); err != nil {
		return nil, err
	}
	if pool, err = openPool(ctx, dbURL); err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	start := time.Now()
	if err := Load(ctx, pool, s); err != nil {
		pool.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	logf("loaded %s in %s", name, time.Since(start).Round(time.Second))
	return pool, nil
}

// holds reports whether the database holds the dataset of sizes s, and if not,
// why not.
func holds(ctx context.Context, pool *pgxpool.Pool, s Sizes) (bool, string, error) {
	var (
		version       int
		sizes, counts []byte
	)
	err := pool.QueryRow(ctx, `SELECT version, sizes, counts FROM bench_dataset`).Scan(&version, &sizes, &counts)
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr) && pgErr.Code == "42P01": // undefined_table
		return false, "empty database", nil
	case errors.Is(err, pgx.ErrNoRows):
		return false, "no dataset recorded", nil
	case err != nil:
		return false, "", fmt.Errorf("read bench_dataset: %w", err)
	}
	var (
		gotSizes Sizes
		want     Counts
	)
	if err := json.Unmarshal(sizes, &gotSizes); err != nil {
		return false, "", fmt.Errorf("read bench_dataset sizes: %w", err)
	}
	if err := json.Unmarshal(counts, &want); err != nil {
		return false, "", fmt.Errorf("read bench_dataset counts: %w", err)
	}
	if version != datasetVersion || gotSizes != s {
		return false, fmt.Sprintf("it holds version %d of %s", version, gotSizes), nil
	}
	got, err := CountRows(ctx, pool)
	if err != nil {
		return false, "", err
	}
	for _, t := range Tables {
		if got[t] != want[t] {
			return false, fmt.Sprintf("%s has %d rows, the load left %d", t, got[t], want[t]), nil
		}
	}
	return true, "", nil
}

// createDatabase creates name unless it exists; with fresh, it drops it
// first.
func createDatabase(ctx context.Context, adminURL, name string, fresh bool) error {
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", redact(adminURL), err)
	}
	defer admin.Close(ctx)
	if fresh {
		if err := dropDatabase(ctx, adminURL, name); err != nil {
			return err
		}
	}
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

func dropDatabase(ctx context.Context, adminURL, name string) error {
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", redact(adminURL), err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

func withDatabase(adminURL, name string) (string, error) {
	u, err := url.Parse(adminURL)
	if err != nil || u.Scheme == "" {
		return "", fmt.Errorf("database URL %q: want postgres://user@host:port/db", redact(adminURL))
	}
	u.Path = "/" + name
	return u.String(), nil
}

// redact hides a password in a URL that goes into an error message.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// openPool opens a pool of up to 8 connections: a loader given a
// denorm.Snapshot reads several relations at once, one per connection.
func openPool(ctx context.Context, dbURL string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = max(cfg.MaxConns, 8)
	return pgxpool.NewWithConfig(ctx, cfg)
}
