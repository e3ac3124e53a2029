package gen

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The trigger tests use one small library: a root with a to-one parent, a
// child list, a join table without a primary key and a json column without
// an equality operator.
const libraryDDL = `
CREATE TABLE shelf (id integer PRIMARY KEY, label text NOT NULL, notes text);
CREATE TABLE item (
    id       integer PRIMARY KEY,
    title    text NOT NULL,
    shelf_id integer REFERENCES shelf (id) ON UPDATE CASCADE,
    meta     json,
    price    numeric,
    internal text
);
CREATE TABLE loan (
    id      integer PRIMARY KEY,
    item_id integer NOT NULL REFERENCES item (id) ON DELETE CASCADE,
    reader  text NOT NULL,
    due     date
);
CREATE TABLE keyword (id integer PRIMARY KEY, word text NOT NULL);
CREATE TABLE item_keyword (               -- no primary key
    item_id    integer NOT NULL REFERENCES item (id),
    keyword_id integer NOT NULL REFERENCES keyword (id),
    weight     integer
);
`

const libraryConfig = `
version: 1
schema: schema.sql
package: { name: librarydocs, out: librarydocs }
collections:
  - name: items
    table: item
    fields: [id, title, meta, price]
    relations:
      shelf: { fields: [label] }
      loans: { table: loan, fields: [reader], order_by: [due] }
      keywords: { table: keyword, through: item_keyword, fields: [word] }
`

func libraryDB(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool, _ := captureDB(t, libraryDDL, libraryConfig)
	mustExec(t, pool,
		`INSERT INTO shelf VALUES (1, 'A', 'n'), (2, 'B', 'n')`,
		`INSERT INTO item VALUES (10, 'x', 1, '{"a": 1}', 1.0, 'i'), (11, 'y', 2, NULL, NULL, 'i')`,
		`INSERT INTO loan VALUES (100, 10, 'ann', '2026-01-01'), (101, 11, 'bob', NULL)`,
		`INSERT INTO keyword VALUES (1, 'k1'), (2, 'k2')`,
		`INSERT INTO item_keyword VALUES (10, 1, 1), (11, 2, 1)`)
	takeOutbox(t, pool)
	return pool
}

// changes gives outbox rows in a compact, comparable form: table, op, number
// of changes, images before and after.
func changes(rows []outboxRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s %s %d %s %s", r.Table, r.Op, r.Changes, deref(r.OldRows), deref(r.NewRows)))
	}
	return out
}

func TestCaptureRecords(t *testing.T) {
	pool := libraryDB(t)
	tests := []struct {
		name string
		sql  []string
		want []string
	}{
		{"unused column", []string{`UPDATE item SET internal = 'changed'`, `UPDATE shelf SET notes = 'changed'`}, nil},
		{"same value", []string{`UPDATE item SET title = title, shelf_id = shelf_id, meta = meta`, `UPDATE item_keyword SET item_id = item_id`}, nil},
		{"where nothing", []string{`UPDATE item SET title = 'z' WHERE false`, `DELETE FROM loan WHERE false`, `INSERT INTO keyword SELECT 9, 'w' WHERE false`}, nil},
		{"used column", []string{`UPDATE item SET title = 'x2', internal = 'j' WHERE id = 10`}, []string{
			// The image before equals the image after: only the latter is kept.
			`public.item U 1 - {"id": [10], "shelf_id": [1]}`,
		}},
		{"json without equality", []string{`UPDATE item SET meta = '{"a":  1}' WHERE id = 10`, `UPDATE item SET meta = '{"a": 2}' WHERE id = 10`}, []string{
			// Text comparison sees the whitespace change too: conservative.
			`public.item U 1 - {"id": [10], "shelf_id": [1]}`,
			`public.item U 1 - {"id": [10], "shelf_id": [1]}`,
		}},
		{"numeric that renders differently", []string{`UPDATE item SET price = 1.00 WHERE id = 10`, `UPDATE item SET price = 1.00 WHERE id = 10`}, []string{
			// 1.0 = 1.00, but the document shows the digits.
			`public.item U 1 - {"id": [10], "shelf_id": [1]}`,
		}},
		{"order column", []string{`UPDATE loan SET due = '2026-02-02' WHERE id = 100`}, []string{
			`public.loan U 1 - {"id": [100], "item_id": [10]}`,
		}},
		{"foreign key move", []string{`UPDATE loan SET item_id = 11 WHERE id = 100`}, []string{
			`public.loan U 1 {"id": [100], "item_id": [10]} {"id": [100], "item_id": [11]}`,
		}},
		{"primary key change", []string{`UPDATE shelf SET id = 3 WHERE id = 2`}, []string{
			// No partner on either side: a delete plus an insert.
			`public.shelf U 2 {"id": [2]} {"id": [3]}`,
			// ON UPDATE CASCADE moves the item: a statement of its own.
			`public.item U 1 {"id": [11], "shelf_id": [2]} {"id": [11], "shelf_id": [3]}`,
		}},
		{"bulk insert", []string{`INSERT INTO loan SELECT g, 10, 'r', NULL FROM generate_series(200, 202) g`}, []string{
			`public.loan I 3 - {"id": [200, 201, 202], "item_id": [10, 10, 10]}`,
		}},
		{"cascading delete", []string{`DELETE FROM item_keyword WHERE item_id = 11`, `DELETE FROM item WHERE id = 11`}, []string{
			`public.item_keyword D 1 {"item_id": [11], "keyword_id": [2]} -`,
			`public.item D 1 {"id": [11], "shelf_id": [2]} -`,
			`public.loan D 1 {"id": [101], "item_id": [11]} -`,
		}},
		{"no primary key", []string{`UPDATE item_keyword SET keyword_id = 2 WHERE item_id = 10`, `UPDATE item_keyword SET weight = 5`}, []string{
			`public.item_keyword U 2 {"item_id": [10], "keyword_id": [1]} {"item_id": [10], "keyword_id": [2]}`,
		}},
		{"no primary key, several rows", []string{`UPDATE item_keyword SET keyword_id = 1`}, []string{
			// (10, 1) stays as it was; (11, 2) becomes (11, 1).
			`public.item_keyword U 2 {"item_id": [11], "keyword_id": [2]} {"item_id": [11], "keyword_id": [1]}`,
		}},
		{"several rows, one key change", []string{`UPDATE loan SET id = id + 1000, reader = 'z' WHERE id = 100`, `UPDATE loan SET item_id = 10, reader = 'y'`}, []string{
			`public.loan U 2 {"id": [100], "item_id": [10]} {"id": [1100], "item_id": [10]}`,
			// Loan 101 moved from item 11: its image before is kept; loan
			// 1100 kept its item, its image after is enough.
			`public.loan U 2 {"id": [101], "item_id": [11]} {"id": [101, 1100], "item_id": [10, 10]}`,
		}},
		// A statement of several rows is never taken for one unchanged row,
		// whichever of its rows the transition tables hold first.
		{"several rows, only the last changed", []string{`UPDATE item SET title = CASE WHEN id = 11 THEN 'y2' ELSE title END`}, []string{
			`public.item U 1 - {"id": [11], "shelf_id": [2]}`,
		}},
		{"several rows, only the first changed", []string{`UPDATE item SET title = CASE WHEN id = 10 THEN 'x2' ELSE title END`}, []string{
			`public.item U 1 - {"id": [10], "shelf_id": [1]}`,
		}},
		{"several rows, unused columns", []string{`UPDATE item SET internal = internal || '!'`, `UPDATE loan SET reader = reader`}, nil},
		{"truncate", []string{`TRUNCATE loan`}, []string{`public.loan T 1 - -`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			tx, err := pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx)
			mustExec(t, tx, tt.sql...)
			if diff := cmp.Diff(tt.want, changes(takeOutbox(t, tx))); diff != "" {
				t.Errorf("outbox (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCaptureRollbackRecordsNothing(t *testing.T) {
	pool := libraryDB(t)
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, `UPDATE item SET title = 'gone'`, `DELETE FROM loan`, `TRUNCATE keyword CASCADE`)
	if n := len(takeOutbox(t, tx)); n == 0 {
		t.Fatal("the transaction recorded nothing before its rollback; the test proves nothing")
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if got := takeOutbox(t, pool); len(got) != 0 {
		t.Errorf("after rollback the outbox holds %v", changes(got))
	}
}

// TestCaptureNotifies checks that a statement which records a change wakes
// listeners and one which records nothing does not.
func TestCaptureNotifies(t *testing.T) {
	pool := libraryDB(t)
	ctx := context.Background()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	mustExec(t, conn, `LISTEN denorm_outbox`)

	mustExec(t, pool, `UPDATE item SET internal = 'unused'`)
	if n := notifications(t, conn.Conn()); n != 0 {
		t.Errorf("an update of an unused column sent %d notifications", n)
	}
	mustExec(t, pool, `UPDATE item SET title = title || '!'`)
	if n := notifications(t, conn.Conn()); n != 1 {
		t.Errorf("one recorded statement sent %d notifications, want 1", n)
	}
}

// notifications counts what arrives until the connection is quiet: a
// round trip first, so anything already sent has been received.
func notifications(t *testing.T, conn *pgx.Conn) int {
	t.Helper()
	mustExec(t, conn, `SELECT 1`)
	n := 0
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		nt, err := conn.WaitForNotification(ctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return n
			}
			t.Fatal(err)
		}
		if nt.Channel != "denorm_outbox" || nt.Payload != "" {
			t.Errorf("notification %q %q", nt.Channel, nt.Payload)
		}
		n++
	}
}

func TestCaptureTableNamesAreQuotedAsLiterals(t *testing.T) {
	ddl := `CREATE TABLE "it's" (id integer PRIMARY KEY, "we""ird" text);`
	config := "version: 1\nschema: schema.sql\npackage: { name: q, out: q }\ncollections:\n  - name: odd\n    table: \"it's\"\n    fields: [id, 'we\"ird']\n"
	pool, _ := captureDB(t, ddl, config)
	mustExec(t, pool, `INSERT INTO "it's" VALUES (1, 'a')`, `UPDATE "it's" SET "we""ird" = 'b'`)
	got := strings.Join(changes(takeOutbox(t, pool)), "\n")
	want := "public.it's I 1 - {\"id\": [1]}\npublic.it's U 1 - {\"id\": [1]}"
	if got != want {
		t.Errorf("outbox:\n%s\nwant:\n%s", got, want)
	}
}
