package denorm

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// itemCollection is a hand-written Collection over one table, counting its
// builds.
type itemCollection struct {
	builds atomic.Int32
}

func (*itemCollection) Name() string { return "items" }

func (c *itemCollection) Build(ctx context.Context, db DB, keys []string) (map[string][]byte, error) {
	c.builds.Add(1)
	rows, err := db.Query(ctx, `SELECT id::text, json_build_object('id', id, 'name', name)::text
FROM item WHERE id = ANY($1::text[]::int[])`, keys)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte)
	var key string
	var js []byte
	_, err = pgx.ForEachRow(rows, []any{&key, &js}, func() error {
		out[key] = append([]byte(nil), js...)
		return nil
	})
	return out, err
}

func (*itemCollection) ScanKeys(ctx context.Context, db DB, after string, limit int) ([]string, error) {
	rows, err := db.Query(ctx, `SELECT id::text FROM item WHERE $1 = '' OR id > $1::int ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func (*itemCollection) Tables() []string { return []string{"public.item"} }

func (*itemCollection) Dependencies() []Dependency {
	return []Dependency{{
		Table: "public.item",
		SQL: `SELECT k FROM denorm.outbox o
			CROSS JOIN LATERAL (VALUES (o.old_rows), (o.new_rows)) v(r)
			CROSS JOIN LATERAL jsonb_array_elements_text(v.r->'id') k
			WHERE o.id = ANY($1)`,
	}}
}

func newItems(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := pgtest.New(t)
	_, err := pool.Exec(context.Background(), `CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO item VALUES (1, 'one'), (2, 'two')`)
	if err != nil {
		t.Fatal(err)
	}
	return pool
}

func execSQL(t *testing.T, pool *pgxpool.Pool, sql string) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func nameOf(t *testing.T, d Doc) string {
	t.Helper()
	var v struct{ Name string }
	if err := json.Unmarshal(d.JSON, &v); err != nil {
		t.Fatalf("document %q: %v: %s", d.Key, err, d.JSON)
	}
	return v.Name
}

// syncItem does what a Syncer does after a write to item: rebuild the
// document in a fresh snapshot and store it, or delete it at that version.
func syncItem(t *testing.T, pool *pgxpool.Pool, b Backend, col Collection, key string) int64 {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	v, err := SnapshotVersion(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	built, err := col.Build(ctx, tx, []string{key})
	if err != nil {
		t.Fatal(err)
	}
	if js, ok := built[key]; ok {
		err = b.Put(ctx, col.Name(), []Doc{{Key: key, Version: v, JSON: js}})
	} else {
		err = b.Delete(ctx, col.Name(), []string{key}, v)
	}
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCacheReadThrough(t *testing.T) {
	ctx := context.Background()
	pool := newItems(t)
	col := &itemCollection{}
	b := NewMemoryBackend()
	c := NewCache(pool, b, col)

	got, err := c.Get(ctx, []string{"1", "2", "3", "1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || nameOf(t, got["1"]) != "one" || nameOf(t, got["2"]) != "two" {
		t.Fatalf("got %v, want documents 1 and 2", got)
	}
	if got["1"].Version <= 0 || got["1"].Version != got["2"].Version {
		t.Errorf("versions %d and %d, want one positive snapshot version", got["1"].Version, got["2"].Version)
	}
	if n := col.builds.Load(); n != 1 {
		t.Errorf("%d builds, want 1 for the batch", n)
	}
	stored, err := b.Get(ctx, "items", []string{"1", "2", "3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 2 || string(stored["1"].JSON) != string(got["1"].JSON) {
		t.Errorf("backend holds %v, want what Get returned", stored)
	}

	// Hits are served by the backend alone.
	if _, err := c.Get(ctx, []string{"1", "2"}); err != nil {
		t.Fatal(err)
	}
	if n := col.builds.Load(); n != 1 {
		t.Errorf("%d builds after a hit, want still 1", n)
	}
}

// pausedCache returns a cache whose fills stop after building until release
// is closed; built receives each fill's version when it stops.
func pausedCache(pool *pgxpool.Pool, b Backend, col Collection) (c *Cache, built chan int64, release chan struct{}) {
	c = NewCache(pool, b, col)
	built = make(chan int64, 1)
	release = make(chan struct{})
	c.afterBuild = func(_ []string, version int64) {
		built <- version
		<-release
	}
	return c, built, release
}

type getResult struct {
	docs map[string]Doc
	err  error
}

func goGet(ctx context.Context, c *Cache, keys ...string) chan getResult {
	ch := make(chan getResult, 1)
	go func() {
		docs, err := c.Get(ctx, keys)
		ch <- getResult{docs, err}
	}()
	return ch
}

func TestCacheCoalescesMisses(t *testing.T) {
	const waiters = 10
	ctx := context.Background()
	pool := newItems(t)
	col := &itemCollection{}
	c, built, release := pausedCache(pool, NewMemoryBackend(), col)
	joined := make(chan string, 2*waiters)
	c.joined = func(key string) { joined <- key }

	first := goGet(ctx, c, "1")
	<-built
	var others []chan getResult
	for range waiters {
		others = append(others, goGet(ctx, c, "1", "2"))
	}
	// Each waiter joins the fill of 1; the first of them to arrive fills 2
	// and the rest join that too.
	joins := map[string]int{}
	for range 2*waiters - 1 {
		joins[<-joined]++
	}
	if joins["1"] != waiters || joins["2"] != waiters-1 {
		t.Fatalf("joins %v, want 1: %d, 2: %d", joins, waiters, waiters-1)
	}
	close(release)

	r := <-first
	if r.err != nil || nameOf(t, r.docs["1"]) != "one" {
		t.Fatalf("first Get: %v, %v", r.docs, r.err)
	}
	for _, ch := range others {
		r := <-ch
		if r.err != nil || len(r.docs) != 2 || nameOf(t, r.docs["1"]) != "one" || nameOf(t, r.docs["2"]) != "two" {
			t.Fatalf("waiting Get: %v, %v", r.docs, r.err)
		}
	}
	if n := col.builds.Load(); n != 2 {
		t.Errorf("%d builds for %d concurrent Gets, want 2 (one per fill)", n, waiters+1)
	}
}

func TestCacheNoStaleFillAfterUpdate(t *testing.T) {
	ctx := context.Background()
	pool := newItems(t)
	col := &itemCollection{}
	b := NewMemoryBackend()
	c, built, release := pausedCache(pool, b, col)

	res := goGet(ctx, c, "1")
	fillVersion := <-built
	// While the fill holds the old document, the row changes and a syncer
	// stores the new one.
	execSQL(t, pool, `UPDATE item SET name = 'uno' WHERE id = 1`)
	newVersion := syncItem(t, pool, b, col, "1")
	if newVersion <= fillVersion {
		t.Fatalf("sync version %d not above the fill's %d", newVersion, fillVersion)
	}
	close(release)

	r := <-res
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := r.docs["1"]; nameOf(t, got) != "uno" || got.Version != newVersion {
		t.Errorf("Get returned %s at %d, want the newer document at %d", got.JSON, got.Version, newVersion)
	}
	stored, err := b.Get(ctx, "items", []string{"1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := stored["1"]; nameOf(t, got) != "uno" || got.Version != newVersion {
		t.Errorf("backend holds %s at %d, want the newer document at %d", got.JSON, got.Version, newVersion)
	}
}

func TestCacheNoStaleFillAfterDelete(t *testing.T) {
	ctx := context.Background()
	pool := newItems(t)
	col := &itemCollection{}
	b := NewMemoryBackend()
	c, built, release := pausedCache(pool, b, col)

	res := goGet(ctx, c, "1", "2")
	<-built
	execSQL(t, pool, `DELETE FROM item WHERE id = 1`)
	syncItem(t, pool, b, col, "1")
	close(release)

	r := <-res
	if r.err != nil {
		t.Fatal(r.err)
	}
	if _, ok := r.docs["1"]; ok || nameOf(t, r.docs["2"]) != "two" {
		t.Errorf("Get returned %v, want only document 2", r.docs)
	}
	stored, err := b.Get(ctx, "items", []string{"1", "2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := stored["1"]; ok || len(stored) != 1 {
		t.Errorf("backend holds %v, want only document 2", stored)
	}
}

func TestCacheCallerLeavesFillGoesOn(t *testing.T) {
	pool := newItems(t)
	col := &itemCollection{}
	b := NewMemoryBackend()
	c, built, release := pausedCache(pool, b, col)

	ctx, cancel := context.WithCancel(context.Background())
	res := goGet(ctx, c, "1")
	<-built
	cancel()
	if r := <-res; !errors.Is(r.err, context.Canceled) {
		t.Fatalf("Get after cancel: %v, want context.Canceled", r.err)
	}

	// A second Get joins the fill the first one left, which completes.
	joined := make(chan string, 1)
	c.joined = func(key string) { joined <- key }
	res2 := goGet(context.Background(), c, "1")
	<-joined
	close(release)
	r := <-res2
	if r.err != nil || nameOf(t, r.docs["1"]) != "one" {
		t.Fatalf("second Get: %v, %v", r.docs, r.err)
	}
	if n := col.builds.Load(); n != 1 {
		t.Errorf("%d builds, want 1", n)
	}
}

func TestCacheErrors(t *testing.T) {
	ctx := context.Background()
	pool := newItems(t)
	c := NewCache(pool, NewMemoryBackend(), &itemCollection{})

	_, err := c.Get(ctx, []string{"1", "not-a-number"})
	if err == nil || !strings.Contains(err.Error(), `collection "items"`) || !strings.Contains(err.Error(), "integer") {
		t.Fatalf("Get of a malformed key: %v, want a build error naming the collection", err)
	}
	// The failed fill is forgotten: the next Get builds again.
	got, err := c.Get(ctx, []string{"1"})
	if err != nil || nameOf(t, got["1"]) != "one" {
		t.Fatalf("Get after a failed fill: %v, %v", got, err)
	}
	if _, err := NewCache(nil, NewMemoryBackend(), &itemCollection{}).Get(ctx, []string{"1"}); err == nil {
		t.Errorf("Get on a cache without a pool: no error")
	}
	if _, err := c.Get(ctx, []string{""}); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("Get of an empty key: %v, want ErrInvalidKey", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.Get(cancelled, []string{"2"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestCacheTooLargeForBackend(t *testing.T) {
	ctx := context.Background()
	pool := newItems(t)
	execSQL(t, pool, `UPDATE item SET name = repeat('x', 100) WHERE id = 2`)
	b := NewMemoryBackend(WithMemoryMaxDocSize(50))
	c := NewCache(pool, b, &itemCollection{})

	got, err := c.Get(ctx, []string{"1", "2"})
	if err != nil {
		t.Fatal(err)
	}
	if nameOf(t, got["1"]) != "one" || nameOf(t, got["2"]) != strings.Repeat("x", 100) {
		t.Fatalf("got %v, want both documents", got)
	}
	stored, err := b.Get(ctx, "items", []string{"1", "2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := stored["1"]; !ok || len(stored) != 1 {
		t.Errorf("backend holds %v, want only document 1", stored)
	}
}
