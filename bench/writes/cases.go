package writes

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/jackc/pgx/v5/pgxpool"
)

// conn is the one connection a measurement writes on, as an application's
// session does: the triggers' plans and the function's compiled body are
// then those of a session that has written before.
type conn = *pgxpool.Conn

// A Case is one kind of write, measured with and without the triggers.
type Case struct {
	Name  string
	Table string // the table written, vacuumed between bulk runs
	// Bulk cases are one statement; the others are many single-row
	// statements, each in its own transaction as an application's are.
	Bulk bool
	// MaxSlowdown is the target: the time with triggers over the time
	// without may not exceed it.
	MaxSlowdown float64
	// Captured says whether the triggers must record the writes: false for
	// columns no document reads.
	Captured bool
	// run performs the case's writes (n statements, or one bulk statement of
	// n rows) and returns the number of rows written.
	//
	// salt differs between runs: a run that wrote the values of the previous
	// one would change nothing, and the triggers rightly record nothing.
	run func(ctx context.Context, c conn, rng *rand.Rand, n int, books int64, salt int) (int64, error)
}

// Cases are the writes of issue 4: single-row INSERT and UPDATE at least 80%
// of the throughput without triggers (at most 1.25× the time), a bulk UPDATE
// of 100,000 rows at most 1.5× the time, updates of unused columns within 5%.
func Cases() []Case {
	return []Case{
		{Name: "single-row UPDATE book.title (used)", Table: "book", MaxSlowdown: 1.25, Captured: true, run: singleRow(
			`UPDATE book SET title = 'Book ' || id || ' (' || $2::int || ')' WHERE id = $1`)},
		{Name: "single-row INSERT review", Table: "review", MaxSlowdown: 1.25, Captured: true, run: insertReviews},
		{Name: "single-row UPDATE review.body (unused)", Table: "review", MaxSlowdown: 1.05, Captured: false, run: singleRowReview(
			`UPDATE review SET body = left(body, 290) || $2::int WHERE id = $1`)},
		{Name: "bulk UPDATE book.year, 100,000 rows (used)", Table: "book", Bulk: true, MaxSlowdown: 1.5, Captured: true, run: bulk(
			`UPDATE book SET year = year + 1 WHERE id <= $1`)},
		{Name: "bulk UPDATE review.created_at, 100,000 rows (unused)", Table: "review", Bulk: true, MaxSlowdown: 1.05, Captured: false, run: bulk(
			`UPDATE review SET created_at = created_at + interval '1 second' WHERE id <= $1`)},
	}
}

// singleRow runs n autocommitted statements on random books; $1 is the
// book id, $2 a counter that makes every write change the row.
func singleRow(sql string) func(context.Context, conn, *rand.Rand, int, int64, int) (int64, error) {
	return func(ctx context.Context, c conn, rng *rand.Rand, n int, books int64, salt int) (int64, error) {
		return perRow(ctx, c, n, func(i int) (string, []any) {
			return sql, []any{1 + rng.Int64N(books), salt + i}
		})
	}
}

// singleRowReview is singleRow on random reviews (five per book).
func singleRowReview(sql string) func(context.Context, conn, *rand.Rand, int, int64, int) (int64, error) {
	return func(ctx context.Context, c conn, rng *rand.Rand, n int, books int64, salt int) (int64, error) {
		return perRow(ctx, c, n, func(i int) (string, []any) {
			return sql, []any{1 + rng.Int64N(5*books), salt + i}
		})
	}
}

func insertReviews(ctx context.Context, c conn, rng *rand.Rand, n int, books int64, _ int) (int64, error) {
	var next int64
	if err := c.QueryRow(ctx, `SELECT coalesce(max(id), 0) + 1 FROM review`).Scan(&next); err != nil {
		return 0, fmt.Errorf("next review id: %w", err)
	}
	return perRow(ctx, c, n, func(i int) (string, []any) {
		return `INSERT INTO review (id, book_id, stars, body, created_at) VALUES ($1, $2, $3, $4, now())`,
			[]any{next + int64(i), 1 + rng.Int64N(books), 1 + rng.IntN(5), "A fine book, I read it twice."}
	})
}

// perRow runs n statements on c, one transaction each.
func perRow(ctx context.Context, c conn, n int, stmt func(i int) (string, []any)) (int64, error) {
	var rows int64
	for i := range n {
		sql, args := stmt(i)
		tag, err := c.Exec(ctx, sql, args...)
		if err != nil {
			return rows, err
		}
		rows += tag.RowsAffected()
	}
	return rows, nil
}

// bulk runs one statement over the rows with id <= n.
func bulk(sql string) func(context.Context, conn, *rand.Rand, int, int64, int) (int64, error) {
	return func(ctx context.Context, c conn, _ *rand.Rand, n int, _ int64, _ int) (int64, error) {
		tag, err := c.Exec(ctx, sql, n)
		if err != nil {
			return 0, err
		}
		return tag.RowsAffected(), nil
	}
}
