package denorm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// snapshotVersion reads the version of a fresh REPEATABLE READ snapshot.
func snapshotVersion(t *testing.T, pool *pgxpool.Pool) int64 {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	v, err := denorm.SnapshotVersion(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func exec(t *testing.T, db denorm.DB, sql string) {
	t.Helper()
	if _, err := db.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestSnapshotVersionGrowsWithCommits(t *testing.T) {
	pool := pgtest.New(t)
	ctx := context.Background()
	exec(t, pool, `CREATE TABLE t (id int PRIMARY KEY)`)

	v1 := snapshotVersion(t, pool)
	exec(t, pool, `INSERT INTO t VALUES (1)`)
	v2 := snapshotVersion(t, pool)
	if v2 <= v1 {
		t.Fatalf("after a commit: version %d, want more than %d", v2, v1)
	}

	// A write still in progress when a later one commits: the snapshot's
	// xmax passes it and lists it as in progress. Its commit leaves xmax
	// where it is and only shrinks the list; the version must still grow.
	writer, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Rollback(ctx)
	exec(t, writer, `INSERT INTO t VALUES (2)`) // assigns writer an xid
	v3 := snapshotVersion(t, pool)
	if v3 < v2 {
		t.Fatalf("after a write started: version %d, want at least %d", v3, v2)
	}
	exec(t, pool, `INSERT INTO t VALUES (3)`)
	v4 := snapshotVersion(t, pool)
	if v4 <= v3 {
		t.Fatalf("after a commit: version %d, want more than %d", v4, v3)
	}
	if v4&(1<<20-1) == 1<<20-1 {
		t.Fatalf("version %#x counts no transaction in progress, but the writer is", v4)
	}
	if err := writer.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	v5 := snapshotVersion(t, pool)
	if v5 <= v4 {
		t.Fatalf("after the in-progress write committed: version %d, want more than %d", v5, v4)
	}
}

func TestSnapshotVersionStableWithoutCommits(t *testing.T) {
	pool := pgtest.New(t)
	// Other tests share the server, and any transaction they commit moves
	// the version; so look for two equal readings in a row among a few, and
	// never a decrease.
	prev := snapshotVersion(t, pool)
	equal := false
	for range 50 {
		v := snapshotVersion(t, pool)
		if v < prev {
			t.Fatalf("version went back from %d to %d", prev, v)
		}
		if v == prev {
			equal = true
			break
		}
		prev = v
	}
	if !equal {
		t.Fatalf("50 snapshots in a row with no commit of ours all had different versions")
	}
}

func TestSnapshotVersionInsideTransaction(t *testing.T) {
	pool := pgtest.New(t)
	ctx := context.Background()
	exec(t, pool, `CREATE TABLE t (id int PRIMARY KEY)`)
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	v1, err := denorm.SnapshotVersion(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, pool, `INSERT INTO t VALUES (1)`)
	// The transaction keeps its snapshot, so its version does not move.
	v2, err := denorm.SnapshotVersion(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	if v1 != v2 {
		t.Fatalf("version moved inside one REPEATABLE READ transaction: %d then %d", v1, v2)
	}
}

func TestSnapshotVersionNeedsRepeatableRead(t *testing.T) {
	pool := pgtest.New(t)
	ctx := context.Background()
	tx, err := pool.Begin(ctx) // READ COMMITTED
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	_, err = denorm.SnapshotVersion(ctx, tx)
	if err == nil || !strings.Contains(err.Error(), "read committed") {
		t.Fatalf("got %v, want an error naming read committed", err)
	}
}
