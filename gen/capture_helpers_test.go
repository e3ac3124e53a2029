package gen

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/denormgen/denormgen/schema"
)

// captureGraph loads config (a denorm.yaml naming schema.sql) with ddl as
// schema.sql, through the real schema loader.
func captureGraph(t testing.TB, ddl, config string) *schema.Graph {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(ddl), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "denorm.yaml")
	if err := os.WriteFile(path, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := schema.Load(path)
	if err != nil {
		t.Fatalf("load config: %v", err)
	}
	return g
}

// captureDB is a throwaway database holding ddl with the install SQL of
// config applied, and the graph it was generated from.
func captureDB(t testing.TB, ddl, config string) (*pgxpool.Pool, *schema.Graph) {
	t.Helper()
	g := captureGraph(t, ddl, config)
	pool := pgtest.New(t)
	mustExec(t, pool, ddl)
	install(t, pool, g)
	return pool, g
}

func install(t testing.TB, pool *pgxpool.Pool, g *schema.Graph) {
	t.Helper()
	sql, err := InstallSQL(g)
	if err != nil {
		t.Fatalf("InstallSQL: %v", err)
	}
	mustExec(t, pool, string(sql))
}

// mustExec runs each statement in its own implicit transaction (several
// statements in one string share one).
func mustExec(t testing.TB, db denorm.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(context.Background(), s); err != nil {
			t.Fatalf("exec %q: %v", s, err)
		}
	}
}

// outboxRow is one outbox row (the changes of one statement, up to
// captureGroup of them), with the row images as JSON text.
type outboxRow struct {
	ID               int64
	Table, Op        string
	Changes          int
	OldRows, NewRows *string
}

// takeOutbox returns and deletes every recorded change, oldest first, so
// each step of a test sees only its own changes.
func takeOutbox(t testing.TB, db denorm.DB) []outboxRow {
	t.Helper()
	return queryOutbox(t, db, `WITH taken AS (DELETE FROM denorm.outbox RETURNING *)
		SELECT id, table_name, op::text, changes, old_rows::text, new_rows::text FROM taken ORDER BY id`)
}

// readOutbox returns every recorded change, oldest first, and leaves them.
func readOutbox(t testing.TB, db denorm.DB) []outboxRow {
	t.Helper()
	return queryOutbox(t, db, `SELECT id, table_name, op::text, changes, old_rows::text, new_rows::text FROM denorm.outbox ORDER BY id`)
}

func queryOutbox(t testing.TB, db denorm.DB, sql string) []outboxRow {
	t.Helper()
	rows, err := db.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (outboxRow, error) {
		var o outboxRow
		err := r.Scan(&o.ID, &o.Table, &o.Op, &o.Changes, &o.OldRows, &o.NewRows)
		return o, err
	})
	if err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	return out
}

// resolveRoots runs c's Dependencies on the given changes, each statement
// with the ids of its own table, and returns the distinct root keys sorted.
// Changes of tables c does not read are ignored, as the Syncer does.
func resolveRoots(t testing.TB, db denorm.DB, c *schema.Collection, changes []outboxRow) []string {
	t.Helper()
	ids := map[string][]int64{}
	for _, ch := range changes {
		ids[ch.Table] = append(ids[ch.Table], ch.ID)
	}
	seen := map[string]bool{}
	for _, d := range Dependencies(c) {
		if len(ids[d.Table]) == 0 {
			continue
		}
		rows, err := db.Query(context.Background(), d.SQL, ids[d.Table])
		if err != nil {
			t.Fatalf("resolve %s: %v\n%s", d.Table, err, d.SQL)
		}
		keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("resolve %s: %v\n%s", d.Table, err, d.SQL)
		}
		for _, k := range keys {
			seen[k] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func collection(t testing.TB, g *schema.Graph, name string) *schema.Collection {
	t.Helper()
	for _, c := range g.Collections {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no collection %q", name)
	return nil
}
