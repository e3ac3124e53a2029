package countrydocs_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
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

// tracedPool is a pool on a new database whose queries are logged.
func tracedPool(t *testing.T) (*pgxpool.Pool, *oracletest.QueryLog) {
	_, url := pgtest.NewWithURL(t)
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	log := &oracletest.QueryLog{}
	cfg.ConnConfig.Tracer = log
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool, log
}

// reading counts the queries that read each of tables.
func reading(queries []string, tables ...string) map[string]int {
	n := map[string]int{}
	for _, q := range queries {
		for _, table := range tables {
			if strings.Contains(q, "FROM "+table+" ") {
				n[table]++
			}
		}
	}
	return n
}

// A full build of countries, whose key is text in an ICU collation (where
// "b" < "B" < "c", unlike bytes), streams cities and languages, one query
// each, in the roots' order, chunk by chunk of roots: every document equals
// the oracle's, inactive countries and their rows left out; so does every
// document built by key.
func TestCountriesFullBuildByText(t *testing.T) {
	pool, log := tracedPool(t)
	ctx := context.Background()
	oracletest.Schema(t, pool)
	fill(t, pool, rand.New(rand.NewPCG(5, 8)))
	want, keys := oracletest.Docs(t, pool, oracle)
	countries := countrydocs.Collections()[0]

	snap, err := denorm.BeginSnapshot(ctx, pool, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	log.Reset()
	all, chunks := oracletest.BuildAll(t, countries, snap, 40)
	if chunks < 5 {
		t.Errorf("the full build read %d chunks; want several, to cross chunk boundaries", chunks)
	}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("BuildAll differs from the oracle (-oracle +built):\n%s", diff)
	}
	queries, _ := log.Reset()
	if got := reading(queries, "city", "country_language"); got["city"] != 1 || got["country_language"] != 1 {
		t.Errorf("the full build read city and country_language in %v queries; want one stream each", got)
	}

	got := oracletest.Build(t, countries, pool, keys)
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
