package gen

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/denormgen/denormgen/internal/pgtest"
)

// oldOutboxDDL is the outbox of installs before grouped rows: one row per
// changed row, its images in old_row/new_row.
const oldOutboxDDL = `
CREATE SCHEMA denorm;
CREATE TABLE denorm.outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name text        NOT NULL,
    op         "char"      NOT NULL,
    old_row    jsonb,
    new_row    jsonb,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);`

// TestInstallUpgradesOldOutbox runs the install SQL on an outbox of the old
// layout holding pending changes: they are converted, nothing is lost, their
// roots resolve, and running it again changes nothing.
func TestInstallUpgradesOldOutbox(t *testing.T) {
	ctx := context.Background()
	g := captureGraph(t, libraryDDL, libraryConfig)
	items := collection(t, g, "items")
	pool := pgtest.New(t)
	mustExec(t, pool, libraryDDL, oldOutboxDDL, `
		INSERT INTO denorm.outbox (table_name, op, old_row, new_row, created_at) VALUES
		    ('public.loan', 'U', '{"id": 100, "item_id": 10}', '{"id": 100, "item_id": 11}', '2026-01-01'),
		    ('public.item', 'D', '{"id": 12, "shelf_id": 1}', NULL, '2026-01-02'),
		    ('public.keyword', 'I', NULL, '{"id": 5}', '2026-01-03'),
		    ('public.shelf', 'T', NULL, NULL, '2026-01-04'),
		    ('denorm.requeue', 'R', NULL, '{"collection": "items", "key": "7"}', '2026-01-05')`)

	want := []string{
		`public.loan U 1 {"id": [100], "item_id": [10]} {"id": [100], "item_id": [11]}`,
		`public.item D 1 {"id": [12], "shelf_id": [1]} -`,
		`public.keyword I 1 - {"id": [5]}`,
		`public.shelf T 1 - -`,
		`denorm.requeue R 1 - {"key": ["7"], "collection": ["items"]}`,
	}
	for range 2 {
		install(t, pool, g)
		if diff := cmp.Diff(want, changes(readOutbox(t, pool))); diff != "" {
			t.Fatalf("outbox after the upgrade (-want +got):\n%s", diff)
		}
	}
	rows, err := pool.Query(ctx, `SELECT attname::text FROM pg_attribute
		WHERE attrelid = 'denorm.outbox'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attname`)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"changes", "created_at", "id", "new_rows", "old_rows", "op", "table_name"}, cols); diff != "" {
		t.Errorf("outbox columns (-want +got):\n%s", diff)
	}
	var oldest string
	if err := pool.QueryRow(ctx, `SELECT min(created_at)::date::text FROM denorm.outbox`).Scan(&oldest); err != nil || oldest != "2026-01-01" {
		t.Errorf("oldest change %q, %v: want the converted rows to keep their dates", oldest, err)
	}

	// The converted changes resolve: the loan's item before and after, the
	// deleted item, and every item having keyword 5 (none).
	if diff := cmp.Diff([]string{"10", "11", "12"}, resolveRoots(t, pool, items, readOutbox(t, pool))); diff != "" {
		t.Errorf("roots of the converted changes (-want +got):\n%s", diff)
	}

	// The triggers write the new layout.
	takeOutbox(t, pool)
	mustExec(t, pool, `INSERT INTO shelf VALUES (1, 'a')`)
	if diff := cmp.Diff([]string{`public.shelf I 1 - {"id": [1]}`}, changes(takeOutbox(t, pool))); diff != "" {
		t.Errorf("outbox after a write (-want +got):\n%s", diff)
	}
}
