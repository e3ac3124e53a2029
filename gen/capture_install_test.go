package gen

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/denormgen/denormgen/schema"
)

const shopDDL = `
CREATE SCHEMA shop;
CREATE TABLE "group" (id integer PRIMARY KEY, "Name" text NOT NULL);
CREATE TABLE "Order" (
    id      integer PRIMARY KEY,
    "group" integer NOT NULL REFERENCES "group" (id),
    "select" text,
    note    text
);
CREATE TABLE shop.item (
    id       integer PRIMARY KEY,
    order_id integer NOT NULL REFERENCES "Order" (id),
    label    text
);
`

const shopConfig = `
version: 1
schema: schema.sql
package: { name: shopdocs, out: shopdocs }
collections:
  - name: groups
    table: group
    fields: [id, Name]
    relations:
      orders:
        table: Order
        fields: [id, select]
        relations:
          items: { table: shop.item, fields: [label] }
`

// shopConfigSmaller no longer reads shop.item.
const shopConfigSmaller = `
version: 1
schema: schema.sql
package: { name: shopdocs, out: shopdocs }
collections:
  - name: groups
    table: group
    fields: [id, Name]
    relations:
      orders: { table: Order, fields: [id, select] }
`

// captureTriggers lists "table trigger -> function" for every trigger that
// calls a function of schema denorm.
func captureTriggers(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `
		SELECT tg.tgrelid::regclass::text || ' ' || tg.tgname || ' -> ' || p.proname
		FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid
		WHERE p.pronamespace = 'denorm'::regnamespace
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func captureFunctions(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `
		SELECT proname FROM pg_proc WHERE pronamespace = 'denorm'::regnamespace ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func triggersOf(table, fn string) []string {
	var out []string
	for _, tg := range []string{"denorm_delete", "denorm_insert", "denorm_truncate", "denorm_update"} {
		out = append(out, table+" "+tg+" -> "+fn)
	}
	return out
}

func TestInstallTwiceThenSmaller(t *testing.T) {
	pool, g := captureDB(t, shopDDL, shopConfig)
	install(t, pool, g) // a second run changes nothing and does not fail

	want := append(append(triggersOf(`"Order"`, "capture:public.Order"),
		triggersOf(`"group"`, "capture:public.group")...),
		triggersOf("shop.item", "capture:shop.item")...)
	if diff := cmp.Diff(want, captureTriggers(t, pool)); diff != "" {
		t.Fatalf("triggers after two installs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"capture:public.Order", "capture:public.group", "capture:shop.item"}, captureFunctions(t, pool)); diff != "" {
		t.Fatalf("functions (-want +got):\n%s", diff)
	}

	// An application trigger that happens to share the prefix survives.
	mustExec(t, pool, `CREATE FUNCTION public.audit() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'`,
		`CREATE TRIGGER denorm_audit AFTER INSERT ON shop.item FOR EACH STATEMENT EXECUTE FUNCTION public.audit()`)

	install(t, pool, captureGraph(t, shopDDL, shopConfigSmaller))
	want = append(triggersOf(`"Order"`, "capture:public.Order"), triggersOf(`"group"`, "capture:public.group")...)
	if diff := cmp.Diff(want, captureTriggers(t, pool)); diff != "" {
		t.Fatalf("triggers after the smaller config (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"capture:public.Order", "capture:public.group"}, captureFunctions(t, pool)); diff != "" {
		t.Fatalf("functions after the smaller config (-want +got):\n%s", diff)
	}
	var audit bool
	if err := pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT FROM pg_trigger WHERE tgname = 'denorm_audit')`).Scan(&audit); err != nil {
		t.Fatal(err)
	}
	if !audit {
		t.Error("the application's own denorm_audit trigger was dropped")
	}

	// Writes to the untracked table no longer reach the outbox; the others do.
	mustExec(t, pool,
		`INSERT INTO "group" VALUES (1, 'g')`,
		`INSERT INTO "Order" VALUES (10, 1, 's', 'n')`,
		`INSERT INTO shop.item VALUES (100, 10, 'x')`)
	got := takeOutbox(t, pool)
	var tables []string
	for _, ch := range got {
		tables = append(tables, ch.Table+" "+ch.Op+" "+deref(ch.NewRows))
	}
	wantRows := []string{
		`public.group I {"id": [1]}`,
		`public.Order I {"id": [10], "group": [1]}`,
	}
	if diff := cmp.Diff(wantRows, tables); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
}

func TestInstallQuotesNames(t *testing.T) {
	pool, g := captureDB(t, shopDDL, shopConfig)
	sql, err := InstallSQL(g)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`ON public."Order"`, `ON public."group"`, `ON shop.item`, `n."select"`, `'public.Order'`} {
		if !strings.Contains(string(sql), want) {
			t.Errorf("install SQL lacks %s", want)
		}
	}
	mustExec(t, pool,
		`INSERT INTO "group" VALUES (1, 'g')`,
		`INSERT INTO "Order" VALUES (10, 1, 's', 'n')`,
		`INSERT INTO shop.item VALUES (100, 10, 'x')`,
		`UPDATE "Order" SET "select" = 't'`,
		`UPDATE "group" SET "Name" = 'h'`)
	var got []string
	for _, ch := range takeOutbox(t, pool) {
		got = append(got, ch.Table+" "+ch.Op+" "+deref(ch.OldRows)+" "+deref(ch.NewRows))
	}
	want := []string{
		`public.group I - {"id": [1]}`,
		`public.Order I - {"id": [10], "group": [1]}`,
		`shop.item I - {"id": [100], "order_id": [10]}`,
		`public.Order U - {"id": [10], "group": [1]}`,
		`public.group U - {"id": [1]}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
}

func TestInstallSQLDeterministic(t *testing.T) {
	g := captureGraph(t, shopDDL, shopConfig)
	a, err := InstallSQL(g)
	if err != nil {
		t.Fatal(err)
	}
	b, err := InstallSQL(g)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Error("two runs gave different install SQL")
	}
	if !strings.HasPrefix(string(a), SQLHeader+"\n") {
		t.Errorf("install SQL does not start with %q", SQLHeader)
	}
}

func TestInstallSQLBadGraph(t *testing.T) {
	if _, err := InstallSQL(nil); err == nil {
		t.Error("nil graph: no error")
	}
	broken := map[string]func(g *schema.Graph){
		"field without column": func(g *schema.Graph) { g.Collections[0].Root.Fields[0].Column = nil },
		"join columns unpaired": func(g *schema.Graph) {
			r := g.Collections[0].Root.Relations[0]
			r.ToCols = append(r.ToCols, "id")
		},
		"missing join column": func(g *schema.Graph) { g.Collections[0].Root.Relations[0].ToCols = []string{"nope"} },
		"root without key":    func(g *schema.Graph) { g.Collections[0].Root.Table.PrimaryKey = nil },
	}
	for name, breakIt := range broken {
		g := captureGraph(t, shopDDL, shopConfig)
		breakIt(g)
		if _, err := InstallSQL(g); err == nil || !strings.Contains(err.Error(), "groups") && !strings.Contains(err.Error(), "nope") {
			t.Errorf("%s: got %v, want an error naming the problem", name, err)
		}
		if name != "missing join column" && Dependencies(g.Collections[0]) != nil {
			t.Errorf("%s: Dependencies of a broken collection", name)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

// Two tables whose names agree in the first 63 bytes of their function
// names still get a trigger function each.
func TestInstallLongNames(t *testing.T) {
	long := strings.Repeat("s", 60)
	ddl := `CREATE SCHEMA ` + long + `;
CREATE TABLE ` + long + `.parent_with_a_long_name_a (id integer PRIMARY KEY, name text);
CREATE TABLE ` + long + `.parent_with_a_long_name_b (id integer PRIMARY KEY,
    a_id integer REFERENCES ` + long + `.parent_with_a_long_name_a (id));
`
	config := `
version: 1
schema: schema.sql
package: { name: longdocs, out: longdocs }
collections:
  - name: bs
    table: ` + long + `.parent_with_a_long_name_b
    fields: [id]
    relations:
      a: { table: ` + long + `.parent_with_a_long_name_a, fields: [name] }
`
	pool, g := captureDB(t, ddl, config)
	install(t, pool, g)
	fns := captureFunctions(t, pool)
	if len(fns) != 2 || fns[0] == fns[1] {
		t.Fatalf("functions %q, want two distinct", fns)
	}
	for _, f := range fns {
		if len(f) > 63 {
			t.Errorf("function name %q longer than PostgreSQL keeps", f)
		}
	}
	mustExec(t, pool,
		`INSERT INTO `+long+`.parent_with_a_long_name_a VALUES (1, 'x')`,
		`INSERT INTO `+long+`.parent_with_a_long_name_b VALUES (2, 1)`)
	if got := len(takeOutbox(t, pool)); got != 2 {
		t.Errorf("recorded %d changes, want 2", got)
	}
}

// A graph without collections uninstalls every trigger and function but
// keeps the outbox, whose rows may still wait for a Syncer.
func TestInstallEmptyGraphRemovesCapture(t *testing.T) {
	pool, _ := captureDB(t, shopDDL, shopConfig)
	mustExec(t, pool, `INSERT INTO "group" VALUES (1, 'g')`)
	install(t, pool, &schema.Graph{})
	if got := captureTriggers(t, pool); len(got) != 0 {
		t.Errorf("triggers left: %q", got)
	}
	if got := captureFunctions(t, pool); len(got) != 0 {
		t.Errorf("functions left: %q", got)
	}
	if got := len(takeOutbox(t, pool)); got != 1 {
		t.Errorf("outbox holds %d rows, want the 1 recorded before", got)
	}
}
