package strategy

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// LowerBound reads, and decodes into Go values, the needed columns of every
// row the documents are made of, and renders nothing: no loader that reads
// through pgx can be faster. Its documents are nil.
type LowerBound struct{}

func (LowerBound) Name() string { return "lower-bound" }

func (LowerBound) Describe() string {
	return "reads the needed columns of every involved row into Go values, builds no document: the floor for any pgx loader"
}

// The needed columns of each table, all rows or the rows the given books
// reach, and typed scan targets for them (the first column is the book id
// in the book table).
var lowerBoundTables = []struct {
	all, byBooks string
	targets      func() []any
}{
	{`SELECT id, title, year, publisher_id FROM book`,
		`SELECT id, title, year, publisher_id FROM book WHERE id = ANY($1)`,
		func() []any { return []any{new(int64), new(string), new(int32), new(*int64)} }},
	{`SELECT id, name, country_code FROM publisher`,
		`SELECT id, name, country_code FROM publisher WHERE id IN (SELECT publisher_id FROM book WHERE id = ANY($1))`,
		func() []any { return []any{new(int64), new(string), new(*string)} }},
	{`SELECT code, name FROM country`,
		`SELECT code, name FROM country WHERE code IN (SELECT p.country_code FROM book b JOIN publisher p ON p.id = b.publisher_id WHERE b.id = ANY($1))`,
		func() []any { return []any{new(string), new(string)} }},
	{`SELECT book_id, author_id FROM book_author`,
		`SELECT book_id, author_id FROM book_author WHERE book_id = ANY($1)`,
		func() []any { return []any{new(int64), new(int64)} }},
	{`SELECT id, name FROM author`,
		`SELECT id, name FROM author WHERE id IN (SELECT author_id FROM book_author WHERE book_id = ANY($1))`,
		func() []any { return []any{new(int64), new(string)} }},
	{`SELECT book_id, tag_id FROM book_tag`,
		`SELECT book_id, tag_id FROM book_tag WHERE book_id = ANY($1)`,
		func() []any { return []any{new(int64), new(int64)} }},
	{`SELECT id, name FROM tag`,
		`SELECT id, name FROM tag WHERE id IN (SELECT tag_id FROM book_tag WHERE book_id = ANY($1))`,
		func() []any { return []any{new(int64), new(string)} }},
	{`SELECT id, book_id, stars FROM review`,
		`SELECT id, book_id, stars FROM review WHERE book_id = ANY($1)`,
		func() []any { return []any{new(int64), new(int64), new(int16)} }},
}

// Build sends the reads of all tables in one pipelined batch.
func (LowerBound) Build(ctx context.Context, pool *pgxpool.Pool, ids []int64) (map[int64][]byte, error) {
	docs := make(map[int64][]byte, len(ids))
	batch := &pgx.Batch{}
	for _, t := range lowerBoundTables {
		batch.Queue(t.byBooks, ids)
	}
	results := pool.SendBatch(ctx, batch)
	defer results.Close()
	for i := range lowerBoundTables {
		rows, err := results.Query()
		if err != nil {
			return nil, fmt.Errorf("lower-bound: %w", err)
		}
		err = drain(rows, lowerBoundTables[i].targets(), func(id int64) {
			if i == 0 {
				docs[id] = nil
			}
		})
		if err != nil {
			return nil, fmt.Errorf("lower-bound: %w", err)
		}
	}
	return docs, results.Close()
}

// BuildAll scans each table once; every book row counts as a document.
func (LowerBound) BuildAll(ctx context.Context, pool *pgxpool.Pool, emit Emit) error {
	for i, t := range lowerBoundTables {
		rows, err := pool.Query(ctx, t.all)
		if err != nil {
			return fmt.Errorf("lower-bound: %w", err)
		}
		var emitErr error
		err = drain(rows, t.targets(), func(id int64) {
			if i == 0 && emitErr == nil {
				emitErr = emit(id, nil)
			}
		})
		if err != nil {
			return fmt.Errorf("lower-bound: %w", err)
		}
		if emitErr != nil {
			return stop(emitErr)
		}
	}
	return nil
}

// drain scans every row into typed targets, as a loader would, and reports
// the first column when it is a bigint.
func drain(rows pgx.Rows, targets []any, first func(int64)) error {
	defer rows.Close()
	id, isID := targets[0].(*int64)
	for rows.Next() {
		if err := rows.Scan(targets...); err != nil {
			return err
		}
		if isID {
			first(*id)
		}
	}
	return rows.Err()
}
