package gen

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCaptureGroupsLargeStatements checks that a statement's changes land in
// outbox rows of at most captureGroup changes, with arrays of equal length,
// and that resolution reads every image of them.
func TestCaptureGroupsLargeStatements(t *testing.T) {
	pool, g := captureDB(t, libraryDDL, libraryConfig)
	items := collection(t, g, "items")
	mustExec(t, pool,
		`INSERT INTO shelf VALUES (1, 'a'), (2, 'b')`,
		`INSERT INTO item SELECT i, 'item ' || i, 1 FROM generate_series(1, 2500) i`)
	takeOutbox(t, pool)

	type group struct {
		Op            string
		Changes       int
		Old, New, Ids int // array lengths; Ids: distinct ids over both sides
	}
	groups := func() []group {
		t.Helper()
		rows, err := pool.Query(context.Background(), `
			SELECT op::text, changes,
			       COALESCE(jsonb_array_length(old_rows->'item_id'), 0),
			       COALESCE(jsonb_array_length(new_rows->'item_id'), 0),
			       (SELECT count(DISTINCT v) FROM (
			           SELECT jsonb_array_elements(old_rows->'id') UNION ALL SELECT jsonb_array_elements(new_rows->'id')) x(v))
			FROM denorm.outbox WHERE table_name = 'public.loan' ORDER BY changes DESC, id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []group
		for rows.Next() {
			var gr group
			if err := rows.Scan(&gr.Op, &gr.Changes, &gr.Old, &gr.New, &gr.Ids); err != nil {
				t.Fatal(err)
			}
			out = append(out, gr)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}

	mustExec(t, pool, `INSERT INTO loan SELECT i, i, 'r', NULL FROM generate_series(1, 2500) i`)
	if diff := cmp.Diff([]group{{"I", 1000, 0, 1000, 1000}, {"I", 1000, 0, 1000, 1000}, {"I", 500, 0, 500, 500}}, groups()); diff != "" {
		t.Errorf("bulk insert (-want +got):\n%s", diff)
	}
	takeOutbox(t, pool)

	// A used column of every row, and the item of every tenth: only those
	// keep their image before.
	mustExec(t, pool, `UPDATE loan SET due = '2026-03-01', item_id = CASE WHEN id % 10 = 0 THEN 1 ELSE item_id END`)
	got := groups()
	total, old := 0, 0
	for _, gr := range got {
		if gr.Op != "U" || gr.Changes > captureGroup || gr.New != gr.Changes {
			t.Errorf("group %+v: want an update of at most %d changes, an image after for each", gr, captureGroup)
		}
		total += gr.Changes
		old += gr.Old
	}
	if len(got) != 3 || total != 2500 || old != 250 {
		t.Errorf("groups %+v: want 3 holding 2500 changes, 250 images before", got)
	}
	// Every item with a loan before or after: all 2500.
	if roots := resolveRoots(t, pool, items, readOutbox(t, pool)); len(roots) != 2500 {
		t.Errorf("resolved %d roots, want 2500", len(roots))
	}

	takeOutbox(t, pool)
	mustExec(t, pool, `DELETE FROM loan WHERE id > 1500`)
	if diff := cmp.Diff([]group{{"D", 1000, 1000, 0, 1000}}, groups()); diff != "" {
		t.Errorf("bulk delete (-want +got):\n%s", diff)
	}
	// The deleted loans' items: their own, or item 1 for every tenth.
	want := []string{"1"}
	for i := 1501; i <= 2500; i++ {
		if i%10 != 0 {
			want = append(want, fmt.Sprint(i))
		}
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, resolveRoots(t, pool, items, readOutbox(t, pool))); diff != "" {
		t.Errorf("roots of the delete (-want +got):\n%s", diff)
	}
}

// TestCaptureRestoresPlannerSettings checks that the settings a statement of
// several rows runs its capture with (jit and merge joins off) are the
// writer's own again once the statement ends, inside its transaction, and
// after a rollback to a savepoint.
func TestCaptureRestoresPlannerSettings(t *testing.T) {
	pool, _ := captureDB(t, libraryDDL, libraryConfig)
	ctx := context.Background()
	mustExec(t, pool,
		`INSERT INTO shelf VALUES (1, 'a'), (2, 'b')`,
		`INSERT INTO item SELECT i, 'item ' || i, 1 FROM generate_series(1, 20) i`,
		`CREATE FUNCTION fail_on_demand() RETURNS trigger LANGUAGE plpgsql AS $$
		 BEGIN
		     IF current_setting('test.fail', true) = 'on' THEN RAISE EXCEPTION 'failing on demand'; END IF;
		     RETURN NULL;
		 END $$`,
		// Fires after denorm_update: triggers fire in name order.
		`CREATE TRIGGER zz_fail AFTER UPDATE ON item FOR EACH STATEMENT EXECUTE FUNCTION fail_on_demand()`)
	takeOutbox(t, pool)
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	settings := func(when string) {
		t.Helper()
		var jit, mergejoin string
		if err := tx.QueryRow(ctx, `SELECT current_setting('jit'), current_setting('enable_mergejoin')`).Scan(&jit, &mergejoin); err != nil {
			t.Fatal(err)
		}
		if jit != "on" || mergejoin != "on" {
			t.Errorf("%s: jit=%s enable_mergejoin=%s, want the transaction's on and on", when, jit, mergejoin)
		}
	}
	for _, sql := range []string{`SET LOCAL jit = on`, `SET LOCAL enable_mergejoin = on`} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	for _, sql := range []string{
		`INSERT INTO item SELECT i, 'item ' || i, 2 FROM generate_series(21, 40) i`,
		`UPDATE item SET title = title || '!'`,
		`DELETE FROM item WHERE id > 30`,
	} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		settings(sql)
	}
	// A statement that fails after its capture ran: the savepoint's rollback
	// restores the settings with everything else.
	if _, err := tx.Exec(ctx, `SAVEPOINT s`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SET LOCAL test.fail = on`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE item SET title = title || '?'`); err == nil {
		t.Fatal("UPDATE with a failing trigger succeeded")
	}
	if _, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT s`); err != nil {
		t.Fatal(err)
	}
	settings("after a failed statement")
	var changes int
	if err := tx.QueryRow(ctx, `SELECT coalesce(sum(changes), 0) FROM denorm.outbox`).Scan(&changes); err != nil {
		t.Fatal(err)
	}
	if changes != 20+40+10 {
		t.Errorf("outbox holds %d changes, want 70", changes)
	}
}
