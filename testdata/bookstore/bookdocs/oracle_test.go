package bookdocs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/denormgen/denormgen/testdata/bookstore/bookdocs"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
)

// The oracle: each collection's documents written by hand with
// json_build_object and json_agg, independently of the generator, following
// SPEC §2 (to-one null when the key is NULL, to-many [] when empty, order_by
// then the primary key, limit per parent).
var oracle = map[string]string{
	"books": `
SELECT b.id::text, json_build_object(
  'id', b.id,
  'title', b.title,
  'year', b.year,
  'publisher', (
    SELECT json_build_object('id', p.id, 'name', p.name, 'country', (
      SELECT json_build_object('code', c.code, 'name', c.name) FROM country c WHERE c.code = p.country_code))
    FROM publisher p WHERE p.id = b.publisher_id),
  'authors', coalesce((
    SELECT json_agg(json_build_object('id', a.id, 'name', a.name) ORDER BY a.name, a.id)
    FROM book_author ba JOIN author a ON a.id = ba.author_id WHERE ba.book_id = b.id), '[]'),
  'tags', coalesce((
    SELECT json_agg(tg.name ORDER BY tg.name, tg.id)
    FROM book_tag bt JOIN tag tg ON tg.id = bt.tag_id WHERE bt.book_id = b.id), '[]'),
  'reviews', coalesce((
    SELECT json_agg(json_build_object('id', r.id, 'stars', r.stars) ORDER BY r.created_at DESC, r.id)
    FROM (SELECT * FROM review WHERE book_id = b.id ORDER BY created_at DESC, id LIMIT 5) r), '[]'))
FROM book b`,
	"publishers": `
SELECT p.id::text, json_build_object(
  'id', p.id,
  'name', p.name,
  'founded', p.founded,
  'country', (SELECT json_build_object('code', c.code, 'name', c.name) FROM country c WHERE c.code = p.country_code),
  'books', coalesce((
    SELECT json_agg(json_build_object('id', b.id, 'heading', b.title, 'price', b.price,
      'published_on', b.published_on, 'updated_at', b.updated_at,
      'authors', coalesce((
        SELECT json_agg(json_build_object('name', a.name) ORDER BY a.name DESC, a.id)
        FROM (SELECT a.* FROM book_author ba JOIN author a ON a.id = ba.author_id
              WHERE ba.book_id = b.id ORDER BY a.name DESC, a.id LIMIT 2) a), '[]'),
      'reviews', coalesce((
        SELECT json_agg(json_build_object('id', r.id, 'stars', r.stars) ORDER BY r.stars DESC, r.id) FROM review r WHERE r.book_id = b.id), '[]')
      ) ORDER BY b.updated_at DESC, b.id)
    FROM book b WHERE b.publisher_id = p.id), '[]'))
FROM publisher p`,
}

// instants compares timestamps as instants: PostgreSQL prints +00:00 where
// RFC 3339 from Go prints Z, and may print another zone.
var instants = cmp.FilterValues(func(a, b string) bool {
	_, errA := instant(a)
	_, errB := instant(b)
	return errA == nil && errB == nil
}, cmp.Comparer(func(a, b string) bool {
	ta, _ := instant(a)
	tb, _ := instant(b)
	return ta.Equal(tb)
}))

func instant(s string) (time.Time, error) {
	if len(s) <= len("2006-01-02") {
		return time.Time{}, errors.New("a date, not an instant")
	}
	return time.Parse(time.RFC3339Nano, s)
}

// oracleDocs returns the documents of the collection as the oracle computes
// them, by key, and the keys in order.
func oracleDocs(t *testing.T, pool denorm.DB, collection string) (map[string]any, []string) {
	t.Helper()
	return oracletest.Docs(t, pool, oracle[collection])
}

func testBuildMatchesOracle(t *testing.T, pool denorm.DB) {
	ctx := context.Background()
	for _, c := range bookdocs.Collections() {
		t.Run(c.Name(), func(t *testing.T) {
			want, keys := oracleDocs(t, pool, c.Name())
			// Keys of missing roots, and keys that cannot name a row, are absent.
			keys = append(keys, "999999999", "not-a-number", "")
			docs, err := c.Build(ctx, pool, keys)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]any{}
			for k, doc := range docs {
				got[k] = oracletest.Decode(t, doc)
			}
			if diff := cmp.Diff(want, got, instants); diff != "" {
				t.Errorf("Build differs from the oracle (-oracle +Build):\n%s", diff)
			}
		})
	}
}

// testSnapshotMatchesOracle builds every document through a denorm.Snapshot:
// Build loads parts of the keys at once on several connections, and
// AllBooks/AllPublishers read their to-many relations as sorted streams.
func testSnapshotMatchesOracle(t *testing.T, pool *pgxpool.Pool) {
	ctx := context.Background()
	snap, err := denorm.BeginSnapshot(ctx, pool, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	for _, c := range bookdocs.Collections() {
		want, keys := oracleDocs(t, pool, c.Name())
		docs, err := c.Build(ctx, snap, append(keys, "999999999"))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]any{}
		for k, doc := range docs {
			got[k] = oracletest.Decode(t, doc)
		}
		if diff := cmp.Diff(want, got, instants); diff != "" {
			t.Errorf("%s: Build in a snapshot differs from the oracle (-oracle +Build):\n%s", c.Name(), diff)
		}
	}

	type doc interface {
		denorm.Encoder
	}
	all := func(name string, docs func(yield func(doc, error) bool), key func(doc) string) {
		want, _ := oracleDocs(t, pool, name)
		got := map[string]any{}
		streams := 0
		for d, err := range docs {
			if err != nil {
				t.Fatal(err)
			}
			// Every stream holds a connection of the pool while it lasts.
			streams = max(streams, int(pool.Stat().AcquiredConns())-1)
			j, err := d.AppendJSON(nil)
			if err != nil {
				t.Fatal(err)
			}
			got[key(d)] = oracletest.Decode(t, j)
		}
		if diff := cmp.Diff(want, got, instants); diff != "" {
			t.Errorf("All %s in a snapshot differs from the oracle (-oracle +All):\n%s", name, diff)
		}
		if streams == 0 {
			t.Errorf("All %s in a snapshot read no relation as a stream", name)
		}
	}
	all("books", func(yield func(doc, error) bool) {
		for d, err := range bookdocs.AllBooks(ctx, snap, 700) {
			if !yield(d, err) {
				return
			}
		}
	}, func(d doc) string { return strconv.FormatInt(d.(*bookdocs.Book).ID, 10) })
	all("publishers", func(yield func(doc, error) bool) {
		for d, err := range bookdocs.AllPublishers(ctx, snap, 40) {
			if !yield(d, err) {
				return
			}
		}
	}, func(d doc) string { return strconv.FormatInt(d.(*bookdocs.Publisher).ID, 10) })
}

// json.Marshal of a loaded document gives the bytes of its AppendJSON: the
// struct tags and the generated encoder agree.
func testAppendJSONMatchesMarshal(t *testing.T, pool *pgxpool.Pool) {
	ctx := context.Background()
	check := func(d denorm.Encoder) {
		t.Helper()
		got, err := d.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("AppendJSON:\n%s\njson.Marshal:\n%s", got, want)
		}
	}
	n := 0
	for d, err := range bookdocs.AllBooks(ctx, pool, 700) {
		if err != nil {
			t.Fatal(err)
		}
		check(d)
		n++
	}
	if n != small.books {
		t.Errorf("AllBooks yielded %d books, want %d", n, small.books)
	}
	for d, err := range bookdocs.AllPublishers(ctx, pool, 0) {
		if err != nil {
			t.Fatal(err)
		}
		check(d)
	}
	// Documents built by hand, nil lists and nil objects included.
	check(&bookdocs.Book{ID: 1, Title: "<nil lists>"})
	check(&bookdocs.Book{ID: 2, Authors: []*bookdocs.BookAuthor{nil}, Publisher: &bookdocs.BookPublisher{}})
}

// testUnorderedRows builds every document with the rows of each query
// without ORDER BY (the lists Go sorts) handed back in random order, as a
// plan reading the heap in physical order would bring them: a parent's rows
// then come in several groups, and the documents must still equal the
// oracle's.
func testUnorderedRows(t *testing.T, pool *pgxpool.Pool) {
	db := &shuffled{DB: pool}
	testBuildMatchesOracle(t, db)
	if db.queries == 0 {
		t.Fatal("no query without ORDER BY: nothing was shuffled")
	}
	if db.groups <= db.keys {
		t.Fatalf("the shuffled rows came in %d groups of %d parent keys: no list was read in several groups", db.groups, db.keys)
	}
}

// shuffled runs every query that has no ORDER BY as a subquery ordered at
// random, and counts the groups its rows come in by their first column, the
// parent key.
type shuffled struct {
	denorm.DB
	queries, keys, groups int
}

func (s *shuffled) rewrite(sql string) string {
	if strings.Contains(sql, " ORDER BY ") || !strings.HasPrefix(sql, "SELECT ") {
		return sql
	}
	s.queries++
	return "SELECT * FROM (" + sql + ") s ORDER BY random()"
}

func (s *shuffled) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return s.DB.Query(ctx, s.rewrite(sql), args...)
}

func (s *shuffled) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	for _, q := range b.QueuedQueries {
		if sql := s.rewrite(q.SQL); sql != q.SQL {
			q.SQL = sql
			s.count(ctx, sql, q.Arguments)
		}
	}
	return s.DB.SendBatch(ctx, b)
}

// count runs sql once more to count the groups its rows come in.
func (s *shuffled) count(ctx context.Context, sql string, args []any) {
	rows, err := s.DB.Query(ctx, sql, args...)
	if err != nil {
		return
	}
	defer rows.Close()
	seen := map[string]bool{}
	last := ""
	for i := 0; rows.Next(); i++ {
		v, err := rows.Values()
		if err != nil {
			return
		}
		k := fmt.Sprint(v[0])
		if i == 0 || k != last {
			s.groups++
		}
		seen[k], last = true, k
	}
	s.keys += len(seen)
}
