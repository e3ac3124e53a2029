package strategy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// NPlusOne loads each book and then each of its relations with their own
// queries, as lazy loading in an ORM does: six round trips per document.
// It is the django-denormalize rebuild the specification sets out to avoid.
type NPlusOne struct{}

func (NPlusOne) Name() string { return "n-plus-1" }

func (NPlusOne) Describe() string {
	return "one query per book and per relation of each book (lazy loading); the full workload stops after 2,000 books"
}

func (NPlusOne) Build(ctx context.Context, pool *pgxpool.Pool, ids []int64) (map[int64][]byte, error) {
	docs := make(map[int64][]byte, len(ids))
	for _, id := range ids {
		doc, err := nPlusOneBook(ctx, pool, id)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		docs[id] = doc
	}
	return docs, nil
}

// BuildAll pages through the book ids and renders each book on its own.
func (NPlusOne) BuildAll(ctx context.Context, pool *pgxpool.Pool, emit Emit) error {
	var after int64
	for {
		rows, err := pool.Query(ctx, `SELECT id FROM book WHERE id > $1 ORDER BY id LIMIT $2`, after, ChunkSize)
		if err != nil {
			return fmt.Errorf("n-plus-1: book ids: %w", err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("n-plus-1: book ids: %w", err)
		}
		for _, id := range ids {
			doc, err := nPlusOneBook(ctx, pool, id)
			if err != nil {
				return err
			}
			if err := emit(id, doc); err != nil {
				return stop(err)
			}
		}
		if len(ids) < ChunkSize {
			return nil
		}
		after = ids[len(ids)-1]
	}
}

// nPlusOneBook renders one book; pgx.ErrNoRows if there is none.
func nPlusOneBook(ctx context.Context, pool *pgxpool.Pool, id int64) ([]byte, error) {
	var (
		title string
		year  int32
		pubID *int64
	)
	err := pool.QueryRow(ctx, `SELECT title, year, publisher_id FROM book WHERE id = $1`, id).Scan(&title, &year, &pubID)
	if err != nil {
		return nil, fmt.Errorf("n-plus-1: book %d: %w", id, err)
	}
	b := newBook(id, title, year)
	if pubID != nil {
		p := &publisher{ID: *pubID}
		var code *string
		err := pool.QueryRow(ctx, `SELECT name, country_code FROM publisher WHERE id = $1`, *pubID).Scan(&p.Name, &code)
		if err != nil {
			return nil, fmt.Errorf("n-plus-1: publisher %d: %w", *pubID, err)
		}
		if code != nil {
			c := &country{Code: *code}
			if err := pool.QueryRow(ctx, `SELECT name FROM country WHERE code = $1`, *code).Scan(&c.Name); err != nil {
				return nil, fmt.Errorf("n-plus-1: country %s: %w", *code, err)
			}
			p.Country = c
		}
		b.Publisher = p
	}
	if b.Authors, err = collect(ctx, pool, `SELECT a.id, a.name FROM book_author ba JOIN author a ON a.id = ba.author_id
		WHERE ba.book_id = $1 ORDER BY a.id`, id, b.Authors); err != nil {
		return nil, fmt.Errorf("n-plus-1: authors of book %d: %w", id, err)
	}
	if b.Tags, err = collect(ctx, pool, `SELECT t.name FROM book_tag bt JOIN tag t ON t.id = bt.tag_id
		WHERE bt.book_id = $1 ORDER BY t.id`, id, b.Tags); err != nil {
		return nil, fmt.Errorf("n-plus-1: tags of book %d: %w", id, err)
	}
	if b.Reviews, err = collect(ctx, pool, `SELECT id, stars FROM review WHERE book_id = $1 ORDER BY id`, id, b.Reviews); err != nil {
		return nil, fmt.Errorf("n-plus-1: reviews of book %d: %w", id, err)
	}
	doc, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("n-plus-1: encode book %d: %w", id, err)
	}
	return doc, nil
}

// collect appends the rows of a one-parameter query, scanned by column
// position into T's fields, to dst.
func collect[T any](ctx context.Context, pool *pgxpool.Pool, sql string, arg any, dst []T) ([]T, error) {
	rows, err := pool.Query(ctx, sql, arg)
	if err != nil {
		return nil, err
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[T])
	if err != nil {
		return nil, err
	}
	return append(dst, got...), nil
}
