package oracletest

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// Schema runs the case's ../schema.sql on db, then each of more (the
// generated InstallSQL, rows of a test) in order.
func Schema(t testing.TB, db denorm.DB, more ...string) {
	t.Helper()
	ddl, err := os.ReadFile("../schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, sql := range append([]string{string(ddl)}, more...) {
		if _, err := db.Exec(context.Background(), sql); err != nil {
			t.Fatal(err)
		}
	}
}

// BuildAll renders every document of c in chunks of chunkSize with
// BuildAll, decoded by key, and says how many chunks it took.
func BuildAll(t testing.TB, c denorm.Collection, db denorm.DB, chunkSize int) (map[string]any, int) {
	t.Helper()
	all, ok := c.(denorm.AllBuilder)
	if !ok {
		t.Fatalf("collection %s has no BuildAll", c.Name())
	}
	docs := map[string]any{}
	chunks := 0
	for chunk, err := range all.BuildAll(context.Background(), db, chunkSize) {
		if err != nil {
			t.Fatal(err)
		}
		chunks++
		for k, doc := range chunk {
			docs[k] = Decode(t, doc)
		}
	}
	return docs, chunks
}

// Build renders the documents of keys with c.Build, decoded by key.
func Build(t testing.TB, c denorm.Collection, db denorm.DB, keys []string) map[string]any {
	t.Helper()
	built, err := c.Build(context.Background(), db, keys)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]any{}
	for k, doc := range built {
		docs[k] = Decode(t, doc)
	}
	return docs
}

// Stored reads every document of collection in b, decoded by key.
func Stored(t testing.TB, b denorm.Backend, collection string) map[string]any {
	t.Helper()
	ctx := context.Background()
	var keys []string
	for key, err := range b.Keys(ctx, collection) {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
	}
	docs := map[string]any{}
	stored, err := b.Get(ctx, collection, keys)
	if err != nil {
		t.Fatal(err)
	}
	for k, d := range stored {
		docs[k] = Decode(t, d.JSON)
	}
	return docs
}

// RandomTx runs one transaction of one to four statements, each written by
// statement from the transaction's current state (read with pick) and rng,
// and commits it, or rolls it back one time in eight or when a constraint
// refuses a statement; it returns 1 if it committed.
func RandomTx(t testing.TB, pool *pgxpool.Pool, rng *rand.Rand, statement func(pick func(sql, none string) string, rng *rand.Rand) string) int {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	// pick runs sql, which selects one text column, and returns one of its
	// values at random, or none when there is no row.
	pick := func(sql, none string) string {
		rows, err := tx.Query(ctx, sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		values, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if len(values) == 0 {
			return none
		}
		return values[rng.IntN(len(values))]
	}
	for range 1 + rng.IntN(4) {
		sql := statement(pick, rng)
		if _, err := tx.Exec(ctx, sql); err != nil {
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) {
				t.Fatalf("%s: %v", sql, err)
			}
			return 0 // a constraint said no: the transaction is void
		}
	}
	if rng.IntN(8) == 0 {
		return 0
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return 1
}
