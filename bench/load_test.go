package bench

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/denormgen/denormgen/internal/pgtest"
)

var smallSizes = Sizes{Countries: 7, Publishers: 13, Authors: 60, Books: 500, Tags: 9}

func TestLoadIsDeterministicAndConsistent(t *testing.T) {
	ctx := context.Background()
	a, b := pgtest.New(t), pgtest.New(t)
	if err := Load(ctx, a, smallSizes); err != nil {
		t.Fatal(err)
	}
	if err := Load(ctx, b, smallSizes); err != nil {
		t.Fatal(err)
	}

	// The loader bypasses foreign-key triggers; the data must satisfy them
	// anyway, or every strategy would silently drop rows.
	const orphans = `SELECT
		(SELECT count(*) FROM publisher p WHERE p.country_code IS NOT NULL AND NOT EXISTS (SELECT FROM country c WHERE c.code = p.country_code)) +
		(SELECT count(*) FROM book b WHERE b.publisher_id IS NOT NULL AND NOT EXISTS (SELECT FROM publisher p WHERE p.id = b.publisher_id)) +
		(SELECT count(*) FROM book_author x WHERE NOT EXISTS (SELECT FROM author a WHERE a.id = x.author_id)) +
		(SELECT count(*) FROM book_tag x WHERE NOT EXISTS (SELECT FROM tag t WHERE t.id = x.tag_id)) +
		(SELECT count(*) FROM review r WHERE NOT EXISTS (SELECT FROM book b WHERE b.id = r.book_id))`
	var n int64
	if err := a.QueryRow(ctx, orphans).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d rows reference missing rows", n)
	}

	// Two loads give the same rows.
	for _, table := range Tables {
		q := "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM " + table + " t"
		var x, y string
		if err := a.QueryRow(ctx, q).Scan(&x); err != nil {
			t.Fatal(err)
		}
		if err := b.QueryRow(ctx, q).Scan(&y); err != nil {
			t.Fatal(err)
		}
		if x != y {
			t.Errorf("table %s differs between two loads", table)
		}
	}

	counts, err := CountRows(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	// Averages of the issue, with the slack of 500 random draws.
	for table, perBook := range map[string]float64{"book_author": 2.5, "book_tag": 3, "review": 5} {
		got := float64(counts[table]) / float64(smallSizes.Books)
		if got < perBook*0.85 || got > perBook*1.15 {
			t.Errorf("%s: %.2f rows per book, want about %.1f", table, got, perBook)
		}
	}

	// Edge cases every strategy must render alike.
	var noAuthors, noPublisher, noCountry int64
	if err := a.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM book b WHERE NOT EXISTS (SELECT FROM book_author x WHERE x.book_id = b.id)),
		(SELECT count(*) FROM book WHERE publisher_id IS NULL),
		(SELECT count(*) FROM publisher WHERE country_code IS NULL)`).Scan(&noAuthors, &noPublisher, &noCountry); err != nil {
		t.Fatal(err)
	}
	if noAuthors == 0 || noPublisher == 0 || noCountry == 0 {
		t.Errorf("want books without authors (%d), without publisher (%d) and publishers without country (%d)",
			noAuthors, noPublisher, noCountry)
	}

	// The heavy columns do not compress: selecting them must cost.
	var size float64
	if err := a.QueryRow(ctx, `SELECT avg(pg_column_size(summary)) FROM book`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	if size < 4000 {
		t.Errorf("summary takes %.0f bytes on disk, want about 4096", size)
	}
}

func TestEnsureReusesOnlyAnIntactDataset(t *testing.T) {
	ctx := context.Background()
	_, url := pgtest.NewWithURL(t)
	name := "denorm_bench_test_ensure"
	t.Cleanup(func() {
		if err := dropDatabase(context.Background(), url, name); err != nil {
			t.Error(err)
		}
	})
	var loads int
	logf := func(format string, args ...any) {
		if strings.HasPrefix(format, "loading") {
			loads++
		}
	}
	ensure := func() *pgxpool.Pool {
		t.Helper()
		pool, err := Ensure(ctx, url, name, smallSizes, logf)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		return pool
	}
	ensure()
	pool := ensure()
	if loads != 1 {
		t.Fatalf("loaded %d times, want the second Ensure to reuse the database", loads)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM review WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	pool.Close()
	ensure()
	if loads != 2 {
		t.Fatalf("loaded %d times, want a reload after a row went missing", loads)
	}
}
