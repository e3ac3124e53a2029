package denorm_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/denormgen/denormgen/gen"
	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/denormgen/denormgen/schema"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// blogSchema is the tiny application the Syncer tests run against: posts
// with their comments (one-to-many) and tag names (many-to-many).
const blogSchema = `
CREATE TABLE post (id bigint PRIMARY KEY, title text NOT NULL);
CREATE TABLE comment (
    id      bigint PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES post ON DELETE CASCADE,
    body    text NOT NULL
);
CREATE TABLE tag (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE post_tag (
    post_id bigint REFERENCES post ON DELETE CASCADE,
    tag_id  bigint REFERENCES tag ON DELETE CASCADE,
    PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX ON comment (post_id);
CREATE INDEX ON post_tag (tag_id);
`

// blogConfig is the posts collection as a user would declare it: the
// install SQL (outbox and triggers) comes from gen.InstallSQL, as it would
// in an application.
const blogConfig = `
version: 1
schema: schema.sql
package: {name: blogdocs, out: blogdocs}
collections:
  - name: posts
    table: post
    fields: [id, title]
    relations:
      comments:
        table: comment
        fields: [id, body]
      tags:
        table: tag
        through: post_tag
        fields: [name]
        flatten: true
`

// blogGraph loads blogConfig through the real schema loader.
func blogGraph(t testing.TB) *schema.Graph {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(blogSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "denorm.yaml")
	if err := os.WriteFile(path, []byte(blogConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := schema.Load(path)
	if err != nil {
		t.Fatalf("load blog config: %v", err)
	}
	return g
}

// blogInstallSQL renders the install SQL of blogConfig.
func blogInstallSQL(t testing.TB) string {
	t.Helper()
	sql, err := gen.InstallSQL(blogGraph(t))
	if err != nil {
		t.Fatalf("install SQL: %v", err)
	}
	return string(sql)
}

// blogPosts is the "posts" collection, hand-written the way generated code
// implements the Collection contract.
type blogPosts struct{}

func (blogPosts) Name() string { return "posts" }

func (blogPosts) Build(ctx context.Context, db denorm.DB, keys []string) (map[string][]byte, error) {
	rows, err := db.Query(ctx, `
		SELECT p.id::text, json_build_object(
		    'id', p.id,
		    'title', p.title,
		    'comments', COALESCE((
		        SELECT json_agg(json_build_object('id', c.id, 'body', c.body) ORDER BY c.id)
		        FROM comment c WHERE c.post_id = p.id), '[]'),
		    'tags', COALESCE((
		        SELECT json_agg(t.name ORDER BY t.name)
		        FROM post_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.post_id = p.id), '[]')
		)::text
		FROM post p WHERE p.id = ANY($1::text[]::bigint[])`, keys)
	if err != nil {
		return nil, fmt.Errorf("build posts: %w", err)
	}
	docs := map[string][]byte{}
	var key, doc string
	_, err = pgx.ForEachRow(rows, []any{&key, &doc}, func() error {
		docs[key] = []byte(doc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("build posts: %w", err)
	}
	return docs, nil
}

// ScanKeys orders by p.id: a bare "id" would name the text output column and
// sort "10" before "2", out of step with the numeric keyset condition.
func (blogPosts) ScanKeys(ctx context.Context, db denorm.DB, after string, limit int) ([]string, error) {
	rows, err := db.Query(ctx, `
		SELECT p.id::text FROM post p
		WHERE p.id > COALESCE(NULLIF($1, '')::bigint, -9223372036854775808)
		ORDER BY p.id LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("scan posts: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func (blogPosts) Tables() []string {
	return []string{"public.post", "public.comment", "public.post_tag", "public.tag"}
}

// recorded selects, as k, the values of column col in every recorded row
// image (before and after) of the outbox rows in $1.
func recorded(col string) string {
	return `SELECT k FROM denorm.outbox o
		CROSS JOIN LATERAL (VALUES (o.old_rows), (o.new_rows)) v(r)
		CROSS JOIN LATERAL jsonb_array_elements_text(v.r->'` + col + `') k
		WHERE o.id = ANY($1)`
}

func (blogPosts) Dependencies() []denorm.Dependency {
	return []denorm.Dependency{
		{Table: "public.post", SQL: recorded("id")},
		{Table: "public.comment", SQL: recorded("post_id")},
		{Table: "public.post_tag", SQL: recorded("post_id")},
		{Table: "public.tag", SQL: `
			SELECT pt.post_id::text
			FROM (` + recorded("id") + `) t
			JOIN post_tag pt ON pt.tag_id = t.k::bigint`},
	}
}

// newBlog returns a pool on a fresh database with the blog schema and its
// capture triggers, and the database's URL.
func newBlog(t *testing.T) (*pgxpool.Pool, string) {
	t.Helper()
	pool, url := pgtest.NewWithURL(t)
	blogExec(t, pool, blogSchema)
	blogExec(t, pool, blogInstallSQL(t))
	return pool, url
}

func blogExec(t testing.TB, db denorm.DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// blogSeed writes posts 1..n with two comments each and tags.
func blogSeed(t testing.TB, db denorm.DB, n int) {
	t.Helper()
	blogExec(t, db, fmt.Sprintf(`
		INSERT INTO post SELECT i, 'post ' || i FROM generate_series(1, %[1]d) i;
		INSERT INTO comment SELECT i, (i - 1) / 2 + 1, 'comment ' || i FROM generate_series(1, 2 * %[1]d) i;
		INSERT INTO tag VALUES (1, 'go'), (2, 'sql'), (3, 'redis');
		INSERT INTO post_tag SELECT i, 1 + i %% 3 FROM generate_series(1, %[1]d) i;`, n))
}

// blogWant builds every post afresh, in one snapshot: what every backend
// must hold once the syncer has caught up.
func blogWant(t testing.TB, pool *pgxpool.Pool) map[string]string {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	rows, err := tx.Query(ctx, `SELECT id::text FROM post`)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	docs, err := blogPosts{}.Build(ctx, tx, keys)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for k, d := range docs {
		want[k] = string(d)
	}
	return want
}

// blogStored reads every live document of posts from b.
func blogStored(t testing.TB, b denorm.Backend) map[string]denorm.Doc {
	t.Helper()
	ctx := context.Background()
	var keys []string
	for k, err := range b.Keys(ctx, "posts") {
		if err != nil {
			t.Fatalf("keys: %v", err)
		}
		keys = append(keys, k)
	}
	docs, err := b.Get(ctx, "posts", keys)
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if len(docs) != len(keys) {
		t.Errorf("Keys lists %d documents, Get returns %d", len(keys), len(docs))
	}
	return docs
}

// blogCheck fails t unless b holds exactly a fresh build of every post.
func blogCheck(t testing.TB, pool *pgxpool.Pool, b denorm.Backend) {
	t.Helper()
	want := blogWant(t, pool)
	got := map[string]string{}
	for k, d := range blogStored(t, b) {
		got[k] = string(d.JSON)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("backend differs from a fresh build (-want +got):\n%s", diff)
	}
}

// blogOutboxChanges counts the changes waiting in the outbox (not its rows,
// which hold a statement's changes each).
func blogOutboxChanges(t testing.TB, db denorm.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), `SELECT COALESCE(sum(changes), 0) FROM denorm.outbox`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// blogWriter makes random writes of every kind the posts documents depend
// on, ids from its own range so that several writers do not collide.
type blogWriter struct {
	db     denorm.DB
	rnd    *rand.Rand
	nextID int64
}

func newBlogWriter(db denorm.DB, seed uint64) *blogWriter {
	return &blogWriter{db: db, rnd: rand.New(rand.NewPCG(seed, seed)), nextID: int64(seed) * 1_000_000}
}

var blogWrites = []string{
	`INSERT INTO post VALUES ($1::bigint, 'new ' || $1::bigint)`,
	`UPDATE post SET title = 'edited ' || $1::bigint WHERE id = (SELECT id FROM post ORDER BY random() LIMIT 1)`,
	`DELETE FROM post WHERE id = (SELECT id FROM post ORDER BY random() LIMIT 1) AND $1::bigint > 0`,
	`INSERT INTO comment SELECT $1::bigint, id, 'c ' || $1::bigint FROM post ORDER BY random() LIMIT 1`,
	`UPDATE comment SET post_id = (SELECT id FROM post ORDER BY random() LIMIT 1), body = 'moved ' || $1::bigint
	 WHERE id = (SELECT id FROM comment ORDER BY random() LIMIT 1)`,
	`DELETE FROM comment WHERE id = (SELECT id FROM comment ORDER BY random() LIMIT 1) AND $1::bigint > 0`,
	`UPDATE tag SET name = 'tag ' || $1::bigint WHERE id = (SELECT id FROM tag ORDER BY random() LIMIT 1)`,
	`INSERT INTO post_tag SELECT p.id, t.id FROM post p, tag t WHERE $1::bigint > 0 ORDER BY random() LIMIT 1 ON CONFLICT DO NOTHING`,
	`DELETE FROM post_tag WHERE (post_id, tag_id) = (SELECT post_id, tag_id FROM post_tag ORDER BY random() LIMIT 1) AND $1::bigint > 0`,
	`UPDATE post SET title = title || '!' WHERE id IN (SELECT id FROM post ORDER BY random() LIMIT 5) AND $1::bigint > 0`,
}

// write makes one random write. Writes that lose a race with another writer
// (a parent deleted meanwhile, a deadlock) are expected and ignored.
func (w *blogWriter) write(ctx context.Context) error {
	w.nextID++
	_, err := w.db.Exec(ctx, blogWrites[w.rnd.IntN(len(blogWrites))], w.nextID)
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok && (pgErr.Code[:2] == "23" || pgErr.Code == "40P01") {
		return nil
	}
	return err
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
