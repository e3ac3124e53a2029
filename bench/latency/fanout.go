package latency

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"
)

// FanoutResult is what one rename of a tag on Books books measured.
type FanoutResult struct {
	Books    int
	LastPut  time.Duration // commit to the return of the Syncer's last put
	Readable time.Duration // commit to every document seen with the new name
	HeapBase uint64        // heap in use before the rename, after a GC
	HeapPeak uint64        // highest heap in use until every document was seen
	Sweeps   int           // reads of the pending documents until all were fresh
	Phases   [numPhases]phaseTotal
}

// fanoutChunk is how many documents one read of the sweep asks for: small,
// so that the reader's own heap stays flat whatever the fan-out.
const fanoutChunk = 500

// RunFanout gives a new tag to n books, waits until their documents carry
// it, then renames it in one UPDATE and measures until all n documents show
// the new name, sampling the heap meanwhile.
func (e *Env) RunFanout(ctx context.Context, n int, tag string) (FanoutResult, error) {
	res := FanoutResult{Books: n}
	if n > e.Sizes.Books {
		return res, fmt.Errorf("fan-out %d: the dataset has only %d books", n, e.Sizes.Books)
	}
	var id int64
	name := tag + "-before"
	if err := e.DB.QueryRow(ctx, `INSERT INTO tag (id, name) SELECT COALESCE(max(id), 0) + 1, $1 FROM tag RETURNING id`,
		name).Scan(&id); err != nil {
		return res, fmt.Errorf("fan-out %d: create tag: %w", n, err)
	}
	// Books spread over the table, as a real tag's would be.
	step := e.Sizes.Books / n
	rows, err := e.DB.Query(ctx, `INSERT INTO book_tag (book_id, tag_id)
		SELECT id, $1 FROM book WHERE id % $2 = 0 ORDER BY id LIMIT $3
		RETURNING book_id::text`, id, step, n)
	if err != nil {
		return res, fmt.Errorf("fan-out %d: tag books: %w", n, err)
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return res, err
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil || len(keys) != n {
		return res, fmt.Errorf("fan-out %d: tagged %d books: %v", n, len(keys), err)
	}
	if err := e.waitDrained(ctx, 5*time.Minute); err != nil {
		return res, fmt.Errorf("fan-out %d: tagging: %w", n, err)
	}
	if _, err := e.sweep(ctx, keys, nil, []byte(`"`+name+`"`), time.Minute); err != nil {
		return res, fmt.Errorf("fan-out %d: tagged documents: %w", n, err)
	}

	renamed := tag + "-after"
	scratch := make([]string, 0, len(keys))
	e.prof.reset()
	heap := startHeapPeak()
	if _, err := e.DB.Exec(ctx, `UPDATE tag SET name = $1 WHERE id = $2`, renamed, id); err != nil {
		heap.finish()
		return res, fmt.Errorf("fan-out %d: rename: %w", n, err)
	}
	ack := time.Now()
	res.Sweeps, err = e.sweep(ctx, keys, scratch, []byte(`"`+renamed+`"`), 5*time.Minute)
	res.Readable = time.Since(ack)
	res.HeapBase, res.HeapPeak = heap.finish()
	if err != nil {
		return res, fmt.Errorf("fan-out %d: rename: %w", n, err)
	}
	if err := e.waitDrained(ctx, time.Minute); err != nil {
		return res, err
	}
	res.LastPut = time.Unix(0, e.timed.lastPut.Load()).Sub(ack)
	res.Phases = e.prof.snapshot()
	return res, nil
}

// sweep reads the documents of keys, chunk by chunk, again and again, until
// every one contains marker, and returns the number of sweeps. It keeps the
// pending keys in scratch, allocated by the caller before the heap is measured.
func (e *Env) sweep(ctx context.Context, keys, scratch []string, marker []byte, timeout time.Duration) (int, error) {
	pending := append(scratch[:0], keys...)
	deadline := time.Now().Add(timeout)
	sweeps := 0
	for len(pending) > 0 {
		if time.Now().After(deadline) {
			return sweeps, fmt.Errorf("%d of %d documents still without %s after %s", len(pending), len(keys), marker, timeout)
		}
		sweeps++
		kept := pending[:0]
		for chunk := range slices.Chunk(pending, fanoutChunk) {
			docs, err := e.reader.Get(ctx, collection, chunk)
			if err != nil {
				return sweeps, err
			}
			for _, k := range chunk {
				if d, ok := docs[k]; !ok || !bytes.Contains(d.JSON, marker) {
					kept = append(kept, k)
				}
			}
		}
		pending = kept
	}
	return sweeps, nil
}
