package writes

import (
	"context"
	"testing"

	"github.com/denormgen/denormgen/bench"
	"github.com/denormgen/denormgen/bench/internal/benchdocs"
	"github.com/denormgen/denormgen/internal/pgtest"
)

// TestRunCapturesUsedColumnsOnly runs every case on a small dataset and
// checks what the numbers rest on: each side wrote the rows it should, the
// triggers recorded the writes of used columns and none of unused ones, and
// the "without" side really ran without triggers.
func TestRunCapturesUsedColumnsOnly(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	sizes := bench.Sizes{Countries: 3, Publishers: 5, Authors: 40, Books: 300, Tags: 5}
	if err := bench.Load(ctx, pool, sizes); err != nil {
		t.Fatal(err)
	}
	o := Options{Statements: 20, Slices: 2, BulkRows: 250, BulkRuns: 2, Warmup: 5, Seed: 1}
	results, err := Run(ctx, pool, benchdocs.InstallSQL, int64(sizes.Books), o, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(Cases()) {
		t.Fatalf("%d results for %d cases", len(results), len(Cases()))
	}
	for _, r := range results {
		want := int64(o.Statements * o.Slices)
		if r.Case.Bulk {
			want = int64(o.BulkRows * o.BulkRuns)
		}
		if r.Rows != want {
			t.Errorf("%s: wrote %d rows per side, want %d", r.Case.Name, r.Rows, want)
		}
		if !r.CaptureOK() {
			t.Errorf("%s: the triggers recorded %d changes for %d rows (captured: %v)",
				r.Case.Name, r.Outbox, r.Rows, r.Case.Captured)
		}
		if r.Without <= 0 || r.With <= 0 || r.Empty <= 0 {
			t.Errorf("%s: times %v without, %v with, %v with empty triggers", r.Case.Name, r.Without, r.With, r.Empty)
		}
	}

	// Dropping the triggers must leave none, or "without" lies.
	if err := uninstall(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if err := resetOutbox(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE book SET title = title || '!' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if n, err := outboxChanges(ctx, pool); err != nil || n != 0 {
		t.Errorf("after uninstall an UPDATE left %d outbox changes (%v)", n, err)
	}

	// The empty triggers are real triggers with transition tables, record
	// nothing, and uninstall removes them too.
	if err := emptyTriggers(ctx, pool, "book"); err != nil {
		t.Fatal(err)
	}
	var kinds int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_trigger
		WHERE tgrelid = 'public.book'::regclass AND tgname LIKE 'denorm_empty_%'
		  AND (tgoldtable IS NOT NULL OR tgnewtable IS NOT NULL)`).Scan(&kinds); err != nil || kinds != 3 {
		t.Errorf("empty triggers with transition tables on book: %d (%v), want 3", kinds, err)
	}
	if _, err := pool.Exec(ctx, `UPDATE book SET title = title || '!' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if n, err := outboxChanges(ctx, pool); err != nil || n != 0 {
		t.Errorf("empty triggers left %d outbox changes (%v)", n, err)
	}
	if err := uninstall(ctx, pool); err != nil {
		t.Fatal(err)
	}
}
