package strategy

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// JSONAgg lets PostgreSQL render each document in one query of correlated
// subqueries with json_build_object and json_agg. It is also the oracle the
// other strategies are checked against.
type JSONAgg struct{}

func (JSONAgg) Name() string { return "json-agg" }

func (JSONAgg) Describe() string {
	return "one SQL query: json_build_object with correlated json_agg subqueries, PostgreSQL renders the JSON"
}

// jsonAggSelect renders one row per book of the FROM clause it is completed
// with.
const jsonAggSelect = `SELECT b.id, json_build_object(
	'id', b.id, 'title', b.title, 'year', b.year,
	'publisher', (SELECT json_build_object('id', p.id, 'name', p.name,
			'country', (SELECT json_build_object('code', c.code, 'name', c.name)
				FROM country c WHERE c.code = p.country_code))
		FROM publisher p WHERE p.id = b.publisher_id),
	'authors', coalesce((SELECT json_agg(json_build_object('id', a.id, 'name', a.name) ORDER BY a.id)
		FROM book_author ba JOIN author a ON a.id = ba.author_id WHERE ba.book_id = b.id), '[]'),
	'tags', coalesce((SELECT json_agg(json_build_object('name', t.name) ORDER BY t.id)
		FROM book_tag bt JOIN tag t ON t.id = bt.tag_id WHERE bt.book_id = b.id), '[]'),
	'reviews', coalesce((SELECT json_agg(json_build_object('id', r.id, 'stars', r.stars) ORDER BY r.id)
		FROM review r WHERE r.book_id = b.id), '[]'))
FROM book b`

func (JSONAgg) Build(ctx context.Context, pool *pgxpool.Pool, ids []int64) (map[int64][]byte, error) {
	docs := make(map[int64][]byte, len(ids))
	err := jsonAggQuery(ctx, pool, jsonAggSelect+` WHERE b.id = ANY($1)`, []any{ids}, func(id int64, doc []byte) error {
		docs[id] = doc
		return nil
	})
	if err != nil {
		return nil, err
	}
	return docs, nil
}

// BuildAll streams one query over every book: PostgreSQL renders row by row
// and pgx reads row by row, so neither side holds the whole result.
func (JSONAgg) BuildAll(ctx context.Context, pool *pgxpool.Pool, emit Emit) error {
	return stop(jsonAggQuery(ctx, pool, jsonAggSelect+` ORDER BY b.id`, nil, emit))
}

func jsonAggQuery(ctx context.Context, pool *pgxpool.Pool, sql string, args []any, emit Emit) error {
	rows, err := pool.Query(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("json-agg: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id  int64
			doc []byte
		)
		if err := rows.Scan(&id, &doc); err != nil {
			return fmt.Errorf("json-agg: %w", err)
		}
		if err := emit(id, doc); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("json-agg: %w", err)
	}
	return nil
}
