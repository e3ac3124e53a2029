package strategy

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Prefetch is what a careful engineer writes by hand with pgx: chunks of
// 1,000 books, then one `= ANY($1)` query per relation, rows mapped back by
// key, documents encoded with encoding/json. It reads only the needed
// columns and never goes N+1; the queries of a chunk run one after another.
type Prefetch struct{}

func (Prefetch) Name() string { return "pgx-prefetch" }

func (Prefetch) Describe() string {
	return "hand-written pgx: chunks of 1,000 roots, one `= ANY($1)` query per relation in sequence, encoding/json"
}

const prefetchBooks = `SELECT id, title, year, publisher_id FROM book`

func (Prefetch) Build(ctx context.Context, pool *pgxpool.Pool, ids []int64) (map[int64][]byte, error) {
	docs := make(map[int64][]byte, len(ids))
	for start := 0; start < len(ids); start += ChunkSize {
		chunk := ids[start:min(start+ChunkSize, len(ids))]
		err := prefetchChunk(ctx, pool, prefetchBooks+` WHERE id = ANY($1)`, []any{chunk}, func(id int64, doc []byte) error {
			docs[id] = doc
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return docs, nil
}

// BuildAll pages through the books by keyset, a chunk at a time.
func (Prefetch) BuildAll(ctx context.Context, pool *pgxpool.Pool, emit Emit) error {
	var after int64
	for {
		var last int64
		n := 0
		err := prefetchChunk(ctx, pool, prefetchBooks+` WHERE id > $1 ORDER BY id LIMIT $2`, []any{after, ChunkSize},
			func(id int64, doc []byte) error {
				last = id
				n++
				return emit(id, doc)
			})
		if err != nil {
			return stop(err)
		}
		if n < ChunkSize {
			return nil
		}
		after = last
	}
}

// prefetchChunk loads the books selected by sql and their relations, and
// emits their documents in the order of sql.
func prefetchChunk(ctx context.Context, pool *pgxpool.Pool, sql string, args []any, emit Emit) error {
	var (
		books        []*book
		byID         = map[int64]*book{}
		publisherIDs []int64
		bookPub      = map[int64]int64{}
	)
	rows, err := pool.Query(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("pgx-prefetch: books: %w", err)
	}
	for rows.Next() {
		var (
			id    int64
			title string
			year  int32
			pub   *int64
		)
		if err := rows.Scan(&id, &title, &year, &pub); err != nil {
			rows.Close()
			return fmt.Errorf("pgx-prefetch: books: %w", err)
		}
		b := newBook(id, title, year)
		books = append(books, b)
		byID[id] = b
		if pub != nil {
			bookPub[id] = *pub
			publisherIDs = append(publisherIDs, *pub)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("pgx-prefetch: books: %w", err)
	}
	if len(books) == 0 {
		return nil
	}
	bookIDs := make([]int64, len(books))
	for i, b := range books {
		bookIDs[i] = b.ID
	}

	// Publishers, then their countries.
	publishers := map[int64]*publisher{}
	pubCountry := map[int64]string{}
	var codes []string
	err = forRows(ctx, pool, `SELECT id, name, country_code FROM publisher WHERE id = ANY($1)`, publisherIDs, func(r pgx.Rows) error {
		var (
			p    publisher
			code *string
		)
		if err := r.Scan(&p.ID, &p.Name, &code); err != nil {
			return err
		}
		publishers[p.ID] = &p
		if code != nil {
			pubCountry[p.ID] = *code
			codes = append(codes, *code)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("pgx-prefetch: publishers: %w", err)
	}
	countries := map[string]*country{}
	err = forRows(ctx, pool, `SELECT code, name FROM country WHERE code = ANY($1)`, codes, func(r pgx.Rows) error {
		var c country
		if err := r.Scan(&c.Code, &c.Name); err != nil {
			return err
		}
		countries[c.Code] = &c
		return nil
	})
	if err != nil {
		return fmt.Errorf("pgx-prefetch: countries: %w", err)
	}
	for id, code := range pubCountry {
		publishers[id].Country = countries[code]
	}
	for id, pub := range bookPub {
		byID[id].Publisher = publishers[pub]
	}

	err = forRows(ctx, pool, `SELECT ba.book_id, a.id, a.name FROM book_author ba JOIN author a ON a.id = ba.author_id
		WHERE ba.book_id = ANY($1) ORDER BY ba.book_id, a.id`, bookIDs, func(r pgx.Rows) error {
		var (
			bookID int64
			a      author
		)
		if err := r.Scan(&bookID, &a.ID, &a.Name); err != nil {
			return err
		}
		byID[bookID].Authors = append(byID[bookID].Authors, a)
		return nil
	})
	if err != nil {
		return fmt.Errorf("pgx-prefetch: authors: %w", err)
	}
	err = forRows(ctx, pool, `SELECT bt.book_id, t.name FROM book_tag bt JOIN tag t ON t.id = bt.tag_id
		WHERE bt.book_id = ANY($1) ORDER BY bt.book_id, t.id`, bookIDs, func(r pgx.Rows) error {
		var (
			bookID int64
			t      tag
		)
		if err := r.Scan(&bookID, &t.Name); err != nil {
			return err
		}
		byID[bookID].Tags = append(byID[bookID].Tags, t)
		return nil
	})
	if err != nil {
		return fmt.Errorf("pgx-prefetch: tags: %w", err)
	}
	err = forRows(ctx, pool, `SELECT book_id, id, stars FROM review WHERE book_id = ANY($1) ORDER BY book_id, id`, bookIDs, func(r pgx.Rows) error {
		var (
			bookID int64
			rv     review
		)
		if err := r.Scan(&bookID, &rv.ID, &rv.Stars); err != nil {
			return err
		}
		byID[bookID].Reviews = append(byID[bookID].Reviews, rv)
		return nil
	})
	if err != nil {
		return fmt.Errorf("pgx-prefetch: reviews: %w", err)
	}

	for _, b := range books {
		doc, err := json.Marshal(b)
		if err != nil {
			return fmt.Errorf("pgx-prefetch: encode book %d: %w", b.ID, err)
		}
		if err := emit(b.ID, doc); err != nil {
			return err
		}
	}
	return nil
}

// forRows runs a query taking one array of keys and calls fn per row. An
// empty key set skips the round trip.
func forRows[K any](ctx context.Context, pool *pgxpool.Pool, sql string, keys []K, fn func(pgx.Rows) error) error {
	if len(keys) == 0 {
		return nil
	}
	rows, err := pool.Query(ctx, sql, keys)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
