package bookdocs_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
)

// Hand-written tests of the generated bookstore package against a real
// database: the files starting with the generated header are rewritten by
// `go test ./gen -update`; these are not.

// TestBookstore runs the read-only tests on one random bookstore.
func TestBookstore(t *testing.T) {
	pool, url := newStore(t, small)
	t.Run("BuildMatchesOracle", func(t *testing.T) { testBuildMatchesOracle(t, pool) })
	t.Run("SnapshotMatchesOracle", func(t *testing.T) { testSnapshotMatchesOracle(t, pool) })
	t.Run("AppendJSONMatchesMarshal", func(t *testing.T) { testAppendJSONMatchesMarshal(t, pool) })
	t.Run("LoadQueryCount", func(t *testing.T) { testLoadQueryCount(t, url) })
	t.Run("ScanKeys", func(t *testing.T) { testScanKeys(t, pool) })
	t.Run("ReadThrough", func(t *testing.T) { testReadThrough(t, pool) })
	t.Run("LoadInTx", func(t *testing.T) { testLoadInTx(t, pool) })
	t.Run("UnorderedRows", func(t *testing.T) { testUnorderedRows(t, pool) })
}

// sizes of the random bookstore.
type sizes struct{ countries, publishers, authors, tags, books int }

var small = sizes{countries: 12, publishers: 150, authors: 800, tags: 60, books: 3500}

// newStore creates the schema in a throwaway database and fills it with
// random rows; it returns the database's URL for pools of one's own.
func newStore(t testing.TB, sz sizes) (*pgxpool.Pool, string) {
	t.Helper()
	pool, url := pgtest.NewWithURL(t)
	ctx := context.Background()
	oracletest.Schema(t, pool)
	if err := fill(ctx, pool, sz, rand.New(rand.NewPCG(3, 14))); err != nil {
		t.Fatalf("fill: %v", err)
	}
	return pool, url
}

// pieces of text that stress the JSON encoder: escapes, HTML, non-ASCII,
// the two line separators JavaScript rejects.
var pieces = []string{"a", "b", "the", "Öl", "日本", "🙂", `"q"`, `back\slash`, "<b>&amp;</b>", "tab\t", "nl\n", "\u2028", "é", " ", "ж"}

func text(r *rand.Rand, words int) string {
	var b strings.Builder
	for range 1 + r.IntN(words) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

func maybe[T any](r *rand.Rand, nullPct int, v T) any {
	if r.IntN(100) < nullPct {
		return nil
	}
	return v
}

func fill(ctx context.Context, db *pgxpool.Pool, sz sizes, r *rand.Rand) error {
	zones := []*time.Location{time.UTC, time.FixedZone("", -7*3600), time.FixedZone("", 5*3600+1800)}
	instant := func() time.Time {
		// Few distinct instants, so that order_by ties are common and the
		// primary key tiebreak matters.
		return time.Date(2020+r.IntN(3), time.Month(1+r.IntN(12)), 1+r.IntN(3), r.IntN(3), 0, 0, r.IntN(2)*123456000, zones[r.IntN(len(zones))])
	}
	date := func() time.Time {
		return time.Date(1900+r.IntN(130), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	}
	prices := []string{"1.10", "0.00", "12345678.90", "9.99", "100.00", "0.01"}

	var countries, publishers, authors, tags, books, bookAuthors, bookTags, reviews [][]any
	for i := range sz.countries {
		countries = append(countries, []any{fmt.Sprintf("C%02d", i), text(r, 3)})
	}
	for i := range sz.publishers {
		publishers = append(publishers, []any{int64(i + 1), text(r, 4), maybe(r, 20, date()), maybe(r, 15, fmt.Sprintf("C%02d", r.IntN(sz.countries)))})
	}
	names := make([]string, sz.authors/4) // shared names: order_by [name, id] ties
	for i := range names {
		names[i] = text(r, 3)
	}
	for i := range sz.authors {
		authors = append(authors, []any{int64(i + 1), names[r.IntN(len(names))]})
	}
	for i := range sz.tags {
		tags = append(tags, []any{int64(i + 1), fmt.Sprintf("%s-%d", text(r, 2), i)})
	}
	reviewID := int64(0)
	for i := range sz.books {
		id := int64(i + 1)
		books = append(books, []any{id, text(r, 6), maybe(r, 10, int32(1800+r.IntN(225))), maybe(r, 20, prices[r.IntN(len(prices))]),
			maybe(r, 20, date()), instant(), maybe(r, 10, int64(1+r.IntN(sz.publishers))), r.IntN(10) == 0, strings.Repeat("heavy ", 50)})
		for _, a := range distinct(r, r.IntN(5), sz.authors) {
			bookAuthors = append(bookAuthors, []any{id, a})
		}
		for _, tg := range distinct(r, r.IntN(6), sz.tags) {
			bookTags = append(bookTags, []any{id, tg})
		}
		for range r.IntN(9) {
			reviewID++
			reviews = append(reviews, []any{reviewID, id, int16(1 + r.IntN(5)), text(r, 10), instant()})
		}
	}
	copies := []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"country", []string{"code", "name"}, countries},
		{"publisher", []string{"id", "name", "founded", "country_code"}, publishers},
		{"author", []string{"id", "name"}, authors},
		{"tag", []string{"id", "name"}, tags},
		{"book", []string{"id", "title", "year", "price", "published_on", "updated_at", "publisher_id", "archived", "body"}, books},
		{"book_author", []string{"book_id", "author_id"}, bookAuthors},
		{"book_tag", []string{"book_id", "tag_id"}, bookTags},
		{"review", []string{"id", "book_id", "stars", "body", "created_at"}, reviews},
	}
	for _, c := range copies {
		if _, err := db.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
			return fmt.Errorf("copy %s: %w", c.table, err)
		}
	}
	_, err := db.Exec(ctx, "ANALYZE")
	return err
}

// distinct draws n different ids from 1..max.
func distinct(r *rand.Rand, n, max int) []int64 {
	var ids []int64
	for len(ids) < n {
		id := int64(1 + r.IntN(max))
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}
