package gen

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/denormgen/denormgen/schema"
)

var captureSeed = flag.Uint64("capture.seed", 0, "seed of TestCaptureRandom (0: from the clock)")

// storeDDL is a bookstore whose foreign keys cascade, so that one statement
// changes several tables; book_tag has no primary key.
const storeDDL = `
CREATE TABLE country (code text PRIMARY KEY, name text NOT NULL);
CREATE TABLE publisher (id bigint PRIMARY KEY, name text NOT NULL, bio text NOT NULL DEFAULT '',
    country_code text REFERENCES country (code) ON DELETE SET NULL ON UPDATE CASCADE);
CREATE TABLE author (id bigint PRIMARY KEY, name text NOT NULL, bio text NOT NULL DEFAULT '');
CREATE TABLE book (id bigint PRIMARY KEY, title text NOT NULL, year integer NOT NULL,
    summary text NOT NULL DEFAULT '',
    publisher_id bigint REFERENCES publisher (id) ON DELETE SET NULL);
CREATE TABLE book_author (
    book_id bigint NOT NULL REFERENCES book (id) ON DELETE CASCADE ON UPDATE CASCADE,
    author_id bigint NOT NULL REFERENCES author (id) ON DELETE CASCADE,
    PRIMARY KEY (book_id, author_id));
CREATE TABLE tag (id bigint PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE book_tag (
    book_id bigint NOT NULL REFERENCES book (id) ON DELETE CASCADE ON UPDATE CASCADE,
    tag_id bigint NOT NULL REFERENCES tag (id) ON DELETE CASCADE);
CREATE TABLE review (id bigint PRIMARY KEY, stars smallint NOT NULL, body text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    book_id bigint NOT NULL REFERENCES book (id) ON DELETE CASCADE ON UPDATE CASCADE);
`

const storeData = `
INSERT INTO country SELECT 'c' || g, 'Country ' || g FROM generate_series(1, 6) g;
INSERT INTO publisher SELECT g, 'Pub ' || g, '', CASE WHEN g % 4 = 0 THEN NULL ELSE 'c' || (g % 6 + 1) END FROM generate_series(1, 10) g;
INSERT INTO author SELECT g, 'Author ' || (g % 7), '' FROM generate_series(1, 20) g;
INSERT INTO book SELECT g, 'Book ' || g, 1990 + g % 30, '', CASE WHEN g % 5 = 0 THEN NULL ELSE g % 10 + 1 END FROM generate_series(1, 40) g;
INSERT INTO book_author SELECT DISTINCT g % 40 + 1, (g * 7) % 20 + 1 FROM generate_series(1, 70) g;
INSERT INTO tag SELECT g, 'tag' || g FROM generate_series(1, 8) g;
INSERT INTO book_tag SELECT g % 40 + 1, (g * 3) % 8 + 1 FROM generate_series(1, 70) g;
INSERT INTO review SELECT g, g % 5 + 1, '', timestamptz '2026-01-01' + (g % 9) * interval '1 day', g % 40 + 1 FROM generate_series(1, 90) g;
`

const storeConfig = `
version: 1
schema: schema.sql
package: { name: storedocs, out: storedocs }
collections:
  - name: books
    table: book
    fields: [id, title, year]
    relations:
      publisher:
        fields: [id, name]
        relations:
          country: { fields: [code, name] }
      authors: { table: author, through: book_author, fields: [id, name], order_by: [name, id] }
      tags: { table: tag, through: book_tag, fields: [name], flatten: true, order_by: [name] }
      reviews: { table: review, fields: [id, stars], order_by: [-created_at, id], limit: 3 }
  - name: authors
    table: author
    fields: [id, name]
    relations:
      books:
        table: book
        through: book_author
        fields: [id, title]
        relations:
          publisher: { fields: [name] }
`

// storeOracle computes every document of a collection by hand, as the
// generated Build must: the reference the resolution is checked against.
// Once generated loaders exist for this config, their Build(ctx, db, keys)
// over ScanKeys is the second oracle to compare with.
var storeOracle = map[string]string{
	"books": `
SELECT b.id::text, json_build_object(
    'id', b.id, 'title', b.title, 'year', b.year,
    'publisher', (SELECT json_build_object('id', p.id, 'name', p.name,
            'country', (SELECT json_build_object('code', c.code, 'name', c.name)
                        FROM country c WHERE c.code = p.country_code))
        FROM publisher p WHERE p.id = b.publisher_id),
    'authors', (SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name) ORDER BY a.name, a.id), '[]')
        FROM book_author ba JOIN author a ON a.id = ba.author_id WHERE ba.book_id = b.id),
    'tags', (SELECT coalesce(json_agg(t.name ORDER BY t.name), '[]')
        FROM book_tag bt JOIN tag t ON t.id = bt.tag_id WHERE bt.book_id = b.id),
    'reviews', (SELECT coalesce(json_agg(json_build_object('id', r.id, 'stars', r.stars) ORDER BY r.created_at DESC, r.id), '[]')
        FROM (SELECT * FROM review r WHERE r.book_id = b.id ORDER BY r.created_at DESC, r.id LIMIT 3) r)
)::text
FROM book b`,
	"authors": `
SELECT a.id::text, json_build_object('id', a.id, 'name', a.name,
    'books', (SELECT coalesce(json_agg(json_build_object('id', b.id, 'title', b.title,
            'publisher', (SELECT json_build_object('name', p.name) FROM publisher p WHERE p.id = b.publisher_id))
            ORDER BY b.id), '[]')
        FROM book_author ba JOIN book b ON b.id = ba.book_id WHERE ba.author_id = a.id)
)::text
FROM author a`,
}

func oracleDocs(t *testing.T, db denorm.DB, collection string) map[string]string {
	t.Helper()
	rows, err := db.Query(context.Background(), storeOracle[collection])
	if err != nil {
		t.Fatalf("oracle %s: %v", collection, err)
	}
	docs := map[string]string{}
	var key, doc string
	_, err = pgx.ForEachRow(rows, []any{&key, &doc}, func() error {
		docs[key] = doc
		return nil
	})
	if err != nil {
		t.Fatalf("oracle %s: %v", collection, err)
	}
	return docs
}

// TestCaptureRandom runs random transactions of raw SQL on the bookstore and
// checks, after each, that every root whose document changed is among the
// roots the Dependencies SQL resolves from what the triggers recorded.
func TestCaptureRandom(t *testing.T) {
	seed := *captureSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -capture.seed=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0))

	pool, g := captureDB(t, storeDDL, storeConfig)
	mustExec(t, pool, storeData)
	takeOutbox(t, pool)
	ctx := context.Background()

	rounds := 300
	if testing.Short() {
		rounds = 60
	}
	gen := &storeWriter{rng: rng, next: 1000}
	before := map[string]map[string]string{}
	for _, c := range g.Collections {
		before[c.Name] = oracleDocs(t, pool, c.Name)
	}
	var stats struct{ committed, rolledBack, failed, truncated, changed, resolved int }
	for round := range rounds {
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var stmts []string
		failed := false
		for range 1 + rng.IntN(4) {
			s := gen.statement(t, tx)
			stmts = append(stmts, s)
			if _, err := tx.Exec(ctx, s); err != nil {
				var pgErr *pgconn.PgError
				if !errors.As(err, &pgErr) {
					t.Fatalf("round %d: %q: %v", round, s, err)
				}
				failed = true // a constraint said no: the transaction is void
				break
			}
		}
		if failed || rng.IntN(8) == 0 {
			if err := tx.Rollback(ctx); err != nil {
				t.Fatal(err)
			}
			if failed {
				stats.failed++
			} else {
				stats.rolledBack++
			}
			if got := takeOutbox(t, pool); len(got) != 0 {
				t.Fatalf("round %d: rolled back %q, yet the outbox holds %q", round, stmts, changes(got))
			}
			continue
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		stats.committed++
		recorded := readOutbox(t, pool)
		for _, c := range g.Collections {
			after := oracleDocs(t, pool, c.Name)
			changed := changedKeys(before[c.Name], after)
			before[c.Name] = after
			if truncates(c, recorded) {
				stats.truncated++
				continue // a full sync of the collection follows a 'T'
			}
			resolved := resolveRoots(t, pool, c, recorded)
			stats.changed += len(changed)
			stats.resolved += len(resolved)
			for _, k := range changed {
				if _, ok := slices.BinarySearch(resolved, k); !ok {
					t.Fatalf("round %d, collection %s: document %s changed but was not resolved\nstatements: %q\nrecorded: %q\nresolved: %q",
						round, c.Name, k, stmts, changes(recorded), resolved)
				}
			}
		}
		takeOutbox(t, pool) // handled, as the Syncer deletes what it has resolved
	}
	t.Logf("%d committed, %d rolled back, %d failed, %d truncations; %d changed documents, %d resolved roots",
		stats.committed, stats.rolledBack, stats.failed, stats.truncated, stats.changed, stats.resolved)
	if stats.changed == 0 {
		t.Error("no document ever changed: the test proves nothing")
	}
}

func changedKeys(before, after map[string]string) []string {
	var out []string
	for k, v := range before {
		if w, ok := after[k]; !ok || w != v {
			out = append(out, k)
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func truncates(c *schema.Collection, recorded []outboxRow) bool {
	tables := map[string]bool{}
	for _, d := range Dependencies(c) {
		tables[d.Table] = true
	}
	for _, r := range recorded {
		if r.Op == "T" && tables[r.Table] {
			return true
		}
	}
	return false
}

// storeWriter makes random statements against the current state of tx.
type storeWriter struct {
	rng  *rand.Rand
	next int // ids for new rows, above every seeded one
}

func (w *storeWriter) id() int { w.next++; return w.next }

// pick returns a random existing key of a table (or a made-up one when the
// table is empty, which the statement then simply does not find).
func (w *storeWriter) pick(t *testing.T, tx pgx.Tx, sql string) string {
	t.Helper()
	rows, err := tx.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	if len(keys) == 0 {
		return "0"
	}
	return keys[w.rng.IntN(len(keys))]
}

func (w *storeWriter) statement(t *testing.T, tx pgx.Tx) string {
	book := func() string { return w.pick(t, tx, `SELECT id::text FROM book ORDER BY id`) }
	author := func() string { return w.pick(t, tx, `SELECT id::text FROM author ORDER BY id`) }
	publisher := func() string { return w.pick(t, tx, `SELECT id::text FROM publisher ORDER BY id`) }
	country := func() string { return w.pick(t, tx, `SELECT quote_literal(code) FROM country ORDER BY code`) }
	tag := func() string { return w.pick(t, tx, `SELECT id::text FROM tag ORDER BY id`) }
	review := func() string { return w.pick(t, tx, `SELECT id::text FROM review ORDER BY id`) }
	bookAuthor := func() string {
		return w.pick(t, tx, `SELECT format('book_id = %s AND author_id = %s', book_id, author_id) FROM book_author ORDER BY 1`)
	}
	n := w.rng.IntN(1000)
	ops := []func() string{
		func() string {
			return fmt.Sprintf(`INSERT INTO book VALUES (%d, 'New %d', 2000, '', %s)`, w.id(), n, w.maybe(publisher()))
		},
		func() string { return fmt.Sprintf(`UPDATE book SET title = 'T%d' WHERE id = %s`, n, book()) },
		func() string { return fmt.Sprintf(`UPDATE book SET summary = 'S%d' WHERE id = %s`, n, book()) },
		func() string { return fmt.Sprintf(`UPDATE book SET title = title, year = year WHERE id = %s`, book()) },
		func() string {
			return fmt.Sprintf(`UPDATE book SET publisher_id = %s WHERE id = %s`, w.maybe(publisher()), book())
		},
		func() string { return fmt.Sprintf(`DELETE FROM book WHERE id = %s`, book()) },
		func() string { return fmt.Sprintf(`UPDATE book SET id = %d WHERE id = %s`, w.id(), book()) },
		func() string { return fmt.Sprintf(`UPDATE book SET year = year + 1 WHERE id %% 3 = %d`, n%3) },
		func() string {
			return fmt.Sprintf(`INSERT INTO publisher VALUES (%d, 'P%d', '', %s)`, w.id(), n, w.maybe(country()))
		},
		func() string { return fmt.Sprintf(`UPDATE publisher SET name = 'P%d' WHERE id = %s`, n, publisher()) },
		func() string { return fmt.Sprintf(`UPDATE publisher SET bio = 'B%d'`, n) },
		func() string {
			return fmt.Sprintf(`UPDATE publisher SET country_code = %s WHERE id = %s`, w.maybe(country()), publisher())
		},
		func() string { return fmt.Sprintf(`DELETE FROM publisher WHERE id = %s`, publisher()) },
		func() string { return fmt.Sprintf(`INSERT INTO country VALUES ('n%d', 'N%d')`, w.id(), n) },
		func() string { return fmt.Sprintf(`UPDATE country SET name = 'C%d' WHERE code = %s`, n, country()) },
		func() string {
			return fmt.Sprintf(`UPDATE country SET code = 'k%d' WHERE code = %s`, w.id(), country())
		},
		func() string { return fmt.Sprintf(`DELETE FROM country WHERE code = %s`, country()) },
		func() string { return fmt.Sprintf(`INSERT INTO author VALUES (%d, 'A%d', '')`, w.id(), n) },
		func() string { return fmt.Sprintf(`UPDATE author SET name = 'A%d' WHERE id = %s`, n, author()) },
		func() string { return fmt.Sprintf(`UPDATE author SET bio = 'B%d' WHERE id %% 2 = 0`, n) },
		func() string { return fmt.Sprintf(`DELETE FROM author WHERE id = %s`, author()) },
		func() string {
			return fmt.Sprintf(`INSERT INTO book_author VALUES (%s, %s) ON CONFLICT DO NOTHING`, book(), author())
		},
		func() string { return `DELETE FROM book_author WHERE ` + bookAuthor() },
		func() string {
			return fmt.Sprintf(`UPDATE book_author SET author_id = %s WHERE %s`, author(), bookAuthor())
		},
		func() string {
			return fmt.Sprintf(`UPDATE book_author SET book_id = %s WHERE %s`, book(), bookAuthor())
		},
		func() string { return fmt.Sprintf(`UPDATE tag SET name = 'g%d' WHERE id = %s`, w.id(), tag()) },
		func() string { return fmt.Sprintf(`INSERT INTO book_tag VALUES (%s, %s)`, book(), tag()) },
		func() string { return fmt.Sprintf(`DELETE FROM book_tag WHERE tag_id = %s`, tag()) },
		func() string { return fmt.Sprintf(`UPDATE book_tag SET tag_id = %s WHERE book_id = %s`, tag(), book()) },
		func() string { return fmt.Sprintf(`DELETE FROM tag WHERE id = %s`, tag()) },
		func() string {
			return fmt.Sprintf(`INSERT INTO review VALUES (%d, %d, '', timestamptz '2026-01-01' + %d * interval '1 hour', %s)`,
				w.id(), n%5+1, n, book())
		},
		func() string { return fmt.Sprintf(`UPDATE review SET stars = %d WHERE id = %s`, n%5+1, review()) },
		func() string { return fmt.Sprintf(`UPDATE review SET body = 'B%d' WHERE book_id = %s`, n, book()) },
		func() string {
			return fmt.Sprintf(`UPDATE review SET created_at = created_at - %d * interval '1 hour' WHERE id = %s`, n, review())
		},
		func() string { return fmt.Sprintf(`UPDATE review SET book_id = %s WHERE id = %s`, book(), review()) },
		func() string { return fmt.Sprintf(`DELETE FROM review WHERE id = %s`, review()) },
		func() string {
			return fmt.Sprintf(`UPDATE review SET stars = stars %% 5 + 1 WHERE book_id %% 4 = %d`, n%4)
		},
		func() string {
			return fmt.Sprintf(`INSERT INTO author VALUES (%s, 'U%d', '') ON CONFLICT (id) DO UPDATE SET name = excluded.name`,
				author(), n)
		},
		func() string {
			return fmt.Sprintf(`WITH moved AS (UPDATE review SET book_id = %s WHERE book_id = %s RETURNING book_id)
				UPDATE book SET title = 'W%d' WHERE id IN (SELECT book_id FROM moved)`, book(), book(), n)
		},
		func() string {
			return fmt.Sprintf(`MERGE INTO review r USING (VALUES (%s::bigint, %d::smallint)) AS s(id, stars) ON r.id = s.id
				WHEN MATCHED AND s.stars = 1 THEN DELETE
				WHEN MATCHED THEN UPDATE SET stars = s.stars
				WHEN NOT MATCHED THEN INSERT VALUES (%d, s.stars, '', now(), %s)`, review(), n%5+1, w.id(), book())
		},
		func() string {
			if w.rng.IntN(10) == 0 {
				return `TRUNCATE review`
			}
			return `UPDATE review SET stars = stars`
		},
	}
	return ops[w.rng.IntN(len(ops))]()
}

// maybe returns key, or NULL one time in five.
func (w *storeWriter) maybe(key string) string {
	if w.rng.IntN(5) == 0 {
		return "NULL"
	}
	return key
}
