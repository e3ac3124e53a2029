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

// A read is one query of the lower bound and typed scan targets for its
// columns; the first column of the first read is the book id.
type read struct {
	sql     string
	targets func() []any
}

// lowerBoundScans read the needed columns of every table in full.
var lowerBoundScans = []read{
	{`SELECT id, title, year, publisher_id FROM book`,
		func() []any { return []any{new(int64), new(string), new(int32), new(*int64)} }},
	{`SELECT id, name, country_code FROM publisher`,
		func() []any { return []any{new(int64), new(string), new(*string)} }},
	{`SELECT code, name FROM country`,
		func() []any { return []any{new(string), new(string)} }},
	{`SELECT book_id, author_id FROM book_author`,
		func() []any { return []any{new(int64), new(int64)} }},
	{`SELECT id, name FROM author`,
		func() []any { return []any{new(int64), new(string)} }},
	{`SELECT book_id, tag_id FROM book_tag`,
		func() []any { return []any{new(int64), new(int64)} }},
	{`SELECT id, name FROM tag`,
		func() []any { return []any{new(int64), new(string)} }},
	{`SELECT id, book_id, stars FROM review`,
		func() []any { return []any{new(int64), new(int64), new(int16)} }},
}

// lowerBoundByBooks read the rows the books of $1 reach, each once: join
// tables are joined to their targets rather than read twice.
var lowerBoundByBooks = []read{
	{`SELECT id, title, year, publisher_id FROM book WHERE id = ANY($1)`,
		func() []any { return []any{new(int64), new(string), new(int32), new(*int64)} }},
	{`SELECT p.id, p.name, c.code, c.name FROM publisher p LEFT JOIN country c ON c.code = p.country_code
		WHERE p.id IN (SELECT publisher_id FROM book WHERE id = ANY($1))`,
		func() []any { return []any{new(int64), new(string), new(*string), new(*string)} }},
	{`SELECT ba.book_id, a.id, a.name FROM book_author ba JOIN author a ON a.id = ba.author_id WHERE ba.book_id = ANY($1)`,
		func() []any { return []any{new(int64), new(int64), new(string)} }},
	{`SELECT bt.book_id, t.name FROM book_tag bt JOIN tag t ON t.id = bt.tag_id WHERE bt.book_id = ANY($1)`,
		func() []any { return []any{new(int64), new(string)} }},
	{`SELECT id, book_id, stars FROM review WHERE book_id = ANY($1)`,
		func() []any { return []any{new(int64), new(int64), new(int16)} }},
}

// Build sends the reads of all tables in one pipelined batch.
func (LowerBound) Build(ctx context.Context, pool *pgxpool.Pool, ids []int64) (map[int64][]byte, error) {
	docs := make(map[int64][]byte, len(ids))
	batch := &pgx.Batch{}
	for _, r := range lowerBoundByBooks {
		batch.Queue(r.sql, ids)
	}
	results := pool.SendBatch(ctx, batch)
	defer results.Close()
	for i, r := range lowerBoundByBooks {
		rows, err := results.Query()
		if err != nil {
			return nil, fmt.Errorf("lower-bound: %w", err)
		}
		err = drain(rows, r.targets(), func(id int64) {
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
	for i, r := range lowerBoundScans {
		rows, err := pool.Query(ctx, r.sql)
		if err != nil {
			return fmt.Errorf("lower-bound: %w", err)
		}
		var emitErr error
		err = drain(rows, r.targets(), func(id int64) {
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
