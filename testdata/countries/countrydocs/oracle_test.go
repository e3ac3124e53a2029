package countrydocs_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/denormgen/denormgen/testdata/countries/countrydocs"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
)

// oracle is the countries collection as PostgreSQL computes it.
const oracle = `
SELECT c.code, json_build_object('code', c.code, 'name', c.name,
  'cities', coalesce((
    SELECT json_agg(json_build_object('id', ci.id, 'name', ci.name) ORDER BY ci.name, ci.id)
    FROM city ci WHERE ci.country_code = c.code), '[]'),
  'languages', coalesce((
    SELECT json_agg(json_build_object('code', l.code, 'name', l.name) ORDER BY l.name, l.code)
    FROM country_language cl JOIN language l ON l.code = cl.language_code
    WHERE cl.country_code = c.code), '[]'))
FROM country c WHERE c.active`

// tracedPool is a pool on a new database whose queries are counted by the
// table they read.
func tracedPool(t *testing.T) (*pgxpool.Pool, *tableCount) {
	_, url := pgtest.NewWithURL(t)
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	count := &tableCount{n: map[string]int{}}
	cfg.ConnConfig.Tracer = count
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool, count
}

// tableCount counts the queries reading city, batched ones included.
type tableCount struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *tableCount) add(sql string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, table := range []string{"city", "country_language"} {
		if strings.Contains(sql, "FROM "+table+" ") {
			c.n[table]++
		}
	}
}

func (c *tableCount) reset() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = map[string]int{}
	return n
}

func (c *tableCount) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.add(d.SQL)
	return ctx
}
func (c *tableCount) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *tableCount) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}
func (c *tableCount) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	c.add(d.SQL)
}
func (c *tableCount) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// A full build of countries, whose key is text in an ICU collation (where
// "b" < "B" < "c", unlike bytes), streams cities and languages, one query
// each, in the roots' order, chunk by chunk of roots: every document equals
// the oracle's, inactive countries and their rows left out; so does every
// document built by key.
func TestCountriesFullBuildByText(t *testing.T) {
	pool, count := tracedPool(t)
	ctx := context.Background()
	ddl, err := os.ReadFile("../schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, string(ddl)); err != nil {
		t.Fatal(err)
	}
	fill(t, pool, rand.New(rand.NewPCG(5, 8)))
	want, keys := oracletest.Docs(t, pool, oracle)
	countries := countrydocs.Collections()[0]

	snap, err := denorm.BeginSnapshot(ctx, pool, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	count.reset()
	all := map[string]any{}
	chunks := 0
	for chunk, err := range countries.(denorm.AllBuilder).BuildAll(ctx, snap, 40) {
		if err != nil {
			t.Fatal(err)
		}
		chunks++
		for k, doc := range chunk {
			all[k] = oracletest.Decode(t, doc)
		}
	}
	if chunks < 5 {
		t.Errorf("the full build read %d chunks; want several, to cross chunk boundaries", chunks)
	}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("BuildAll differs from the oracle (-oracle +built):\n%s", diff)
	}
	if got := count.reset(); got["city"] != 1 || got["country_language"] != 1 {
		t.Errorf("the full build read city and country_language in %v queries; want one stream each", got)
	}

	byKey, err := countries.Build(ctx, pool, keys)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for k, doc := range byKey {
		got[k] = oracletest.Decode(t, doc)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Build differs from the oracle (-oracle +built):\n%s", diff)
	}

	// ReadCountries through a cache: text ids are the documents' keys, a
	// missing one is absent.
	ids := append(keys[:5:5], "no such code")
	loaded, err := countrydocs.LoadCountries(ctx, pool, ids)
	if err != nil {
		t.Fatal(err)
	}
	wantRead := map[string]*countrydocs.Country{}
	for _, d := range loaded {
		wantRead[d.Code] = d
	}
	read, err := countrydocs.ReadCountries(ctx, denorm.NewCache(pool, denorm.NewMemoryBackend(), countries), ids)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantRead, read); diff != "" || len(read) != 5 {
		t.Errorf("ReadCountries differs from LoadCountries (-load +read), %d documents:\n%s", len(read), diff)
	}
}

// fill writes countries with codes whose ICU order differs from their
// bytes' (cases, accents, digits, punctuation), a fifth inactive, cities
// with and without a country, duplicate names (the key breaks ties), and
// languages spoken in several countries.
func fill(t *testing.T, pool *pgxpool.Pool, rng *rand.Rand) {
	ctx := context.Background()
	letters := []string{"a", "A", "b", "B", "é", "É", "e", "z", "Z", "ä", "1", "_", "-", "ß"}
	seen := map[string]bool{}
	var codes []string
	for len(codes) < 400 {
		var b strings.Builder
		for range 1 + rng.IntN(3) {
			b.WriteString(letters[rng.IntN(len(letters))])
		}
		if c := b.String(); !seen[c] {
			seen[c] = true
			codes = append(codes, c)
		}
	}
	batch := &pgx.Batch{}
	for i, c := range codes {
		batch.Queue(`INSERT INTO country VALUES ($1, $2, $3)`, c, fmt.Sprintf("country %d", i%50), rng.IntN(5) != 0)
	}
	for i := range 40 {
		batch.Queue(`INSERT INTO language VALUES ($1, $2)`, fmt.Sprintf("l%d", i), fmt.Sprintf("language %d", i%15))
	}
	for id := range 2500 {
		var code *string
		if rng.IntN(20) != 0 {
			code = &codes[rng.IntN(len(codes))]
		}
		batch.Queue(`INSERT INTO city VALUES ($1, $2, $3)`, id, code, fmt.Sprintf("city %d", rng.IntN(300)))
	}
	for _, c := range codes {
		for _, l := range rng.Perm(40)[:rng.IntN(4)] {
			batch.Queue(`INSERT INTO country_language VALUES ($1, $2)`, c, fmt.Sprintf("l%d", l))
		}
	}
	if err := pool.SendBatch(ctx, batch).Close(); err != nil {
		t.Fatal(err)
	}
}
