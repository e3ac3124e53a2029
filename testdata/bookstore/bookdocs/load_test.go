package bookdocs_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/denormgen/denormgen/testdata/bookstore/bookdocs"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
)

// Loading N books costs one query per document level per chunk of
// denorm.ChunkSize roots, whatever N: no N+1.
func testLoadQueryCount(t *testing.T, url string) {
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	log := &oracletest.QueryLog{}
	cfg.ConnConfig.Tracer = log
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	// Books with every relation present, so no level is skipped for lack
	// of keys: root, publisher, publisher.country, authors, tags, reviews.
	const levels = 6
	var complete []int64
	rows, _ := pool.Query(ctx, `
		SELECT b.id FROM book b JOIN publisher p ON p.id = b.publisher_id
		WHERE p.country_code IS NOT NULL
		  AND EXISTS (SELECT FROM book_author WHERE book_id = b.id)
		  AND EXISTS (SELECT FROM book_tag WHERE book_id = b.id)
		  AND EXISTS (SELECT FROM review WHERE book_id = b.id)
		ORDER BY b.id`)
	complete, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(complete) < 10 {
		t.Fatalf("complete books: %d, %v", len(complete), err)
	}
	all := make([]int64, small.books)
	for i := range all {
		all[i] = int64(len(all) - i) // unsorted on purpose
	}
	for _, tc := range []struct {
		ids    []int64
		chunks int
		ranges int // relations read by key range: dense ids, as in a full build
	}{
		{complete[:1], 1, 2},
		{[]int64{complete[0], complete[len(complete)-1]}, 1, 0},
		{complete[:10], 1, -1}, // dense or not, depending on the data
		{all[:3000], 3, 6},
		{append(slices.Clone(all[:2500]), all[:500]...), 3, 6}, // duplicates are read once
	} {
		log.Reset()
		docs, err := bookdocs.LoadBooks(ctx, pool, tc.ids)
		if err != nil {
			t.Fatal(err)
		}
		queries, trips := log.Reset()
		if want := levels * tc.chunks; len(queries) != want {
			t.Errorf("LoadBooks(%d ids) sent %d queries, want %d levels x %d chunks:\n%q", len(tc.ids), len(queries), levels, tc.chunks, queries)
		}
		// Per chunk, three round trips: the roots with the relations on
		// the root key (authors, tags, reviews), whose parents are the
		// keys asked for; then the publishers; then their countries.
		var want []int
		for range tc.chunks {
			want = append(want, 4, 1, 1)
		}
		if !slices.Equal(trips, want) {
			t.Errorf("LoadBooks(%d ids) sent round trips of %v queries, want %v", len(tc.ids), trips, want)
		}
		ranges := 0
		for _, q := range queries {
			if strings.Contains(q, " BETWEEN ") {
				ranges++
			}
		}
		if tc.ranges >= 0 && ranges != tc.ranges {
			t.Errorf("LoadBooks(%d ids) read %d relations by range, want %d", len(tc.ids), ranges, tc.ranges)
		}
		distinct := slices.Compact(slices.Sorted(slices.Values(tc.ids)))
		if len(docs) != len(distinct) {
			t.Errorf("LoadBooks(%d ids) = %d docs, want %d", len(tc.ids), len(docs), len(distinct))
		}
	}

	// Missing ids cost one round trip: the roots, and the relations on
	// their key sent with them, which find nothing; no level below.
	log.Reset()
	docs, err := bookdocs.LoadBooks(ctx, pool, []int64{-1, -2})
	if err != nil || len(docs) != 0 {
		t.Fatalf("LoadBooks(missing) = %v, %v", docs, err)
	}
	if queries, trips := log.Reset(); !slices.Equal(trips, []int{4}) {
		t.Errorf("LoadBooks(missing) sent %q in round trips of %v queries, want one of 4", queries, trips)
	}
}

// ScanKeys pages through every root key in key order.
func testScanKeys(t *testing.T, pool *pgxpool.Pool) {
	ctx := context.Background()
	c := bookdocs.Collections()[0]
	var keys []string
	after := ""
	for {
		page, err := c.ScanKeys(ctx, pool, after, 999)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, page...)
		if len(page) < 999 {
			break
		}
		after = page[len(page)-1]
	}
	if len(keys) != small.books {
		t.Fatalf("ScanKeys listed %d keys, want %d", len(keys), small.books)
	}
	for i, k := range keys {
		if k != strconv.Itoa(i+1) {
			t.Fatalf("key %d = %q, want %d", i, k, i+1)
		}
	}
	if _, err := c.ScanKeys(ctx, pool, "x", 10); err == nil {
		t.Error("ScanKeys after a key that is no number: no error")
	}
	var _ denorm.Collection = c
}
