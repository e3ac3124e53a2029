package denorm

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// A change is one claimed outbox row, holding n row changes of one
// statement. Its old_rows and new_rows stay in the table: the Dependencies'
// SQL reads them there, set-based.
type change struct {
	id      int64
	table   string
	op      byte
	n       int
	created time.Time
	// Requeued roots (op 'R'): their collections and keys, rebuilt directly.
	requeued requeuedRoots
}

// opRequeue marks an outbox row the Syncer wrote itself: roots whose
// documents a backend refused as too large, to be built again later. Its
// new_rows is {"collection": [...], "key": [...]}.
const opRequeue = 'R'

// requeuedRoots is the new_rows of an 'R' row.
type requeuedRoots struct {
	Collection []string `json:"collection"`
	Key        []string `json:"key"`
}

// Drain processes the outbox until it is empty, in batches, and returns what
// it did. Rows that other syncers hold are theirs, and rows committed after
// Drain started are left to a later call, so that Drain ends under constant
// writes. On error the failed batch stays in the outbox; Stats count only the
// batches that were committed.
func (s *Syncer) Drain(ctx context.Context) (Stats, error) {
	if s.err != nil {
		return Stats{}, s.err
	}
	start := time.Now()
	var upTo int64
	if err := s.pool.QueryRow(ctx, `SELECT COALESCE(max(id), 0) FROM denorm.outbox`).Scan(&upTo); err != nil {
		return Stats{}, fmt.Errorf("denorm: drain: read outbox: %w", err)
	}
	st, err := s.drain(ctx, upTo)
	st.Duration = time.Since(start)
	return st, err
}

// drain runs batches of rows with ids up to upTo until none is left.
func (s *Syncer) drain(ctx context.Context, upTo int64) (Stats, error) {
	var total Stats
	for {
		st, more, err := s.batch(ctx, upTo)
		if err != nil {
			return total, fmt.Errorf("denorm: drain: %w", err)
		}
		total.add(st)
		if !more {
			// A short batch took every claimable row up to upTo: another
			// claim would come back empty, at the cost of a round trip.
			return total, nil
		}
	}
}

// batch claims outbox rows holding about batchSize changes, brings the
// documents they affect up to date in every backend, and only then deletes
// the rows. The claiming transaction stays open meanwhile: its row locks make
// other syncers skip the batch, and if anything fails (or ctx ends) it rolls
// back and the rows stay for the next attempt. more reports whether rows may
// be left up to upTo.
func (s *Syncer) batch(ctx context.Context, upTo int64) (st Stats, more bool, err error) {
	// The claim's commit only deletes processed rows; if a crash loses it,
	// the rows are processed again, which the version guard makes harmless.
	// So it need not wait for the WAL flush.
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{BeginQuery: "BEGIN; SET LOCAL synchronous_commit = off"})
	if err != nil {
		return Stats{}, false, fmt.Errorf("begin claim: %w", err)
	}
	defer rollback(ctx, tx)
	changes, more, err := claim(ctx, tx, upTo, s.batchSize)
	if err != nil {
		return Stats{}, false, err
	}
	if len(changes) == 0 {
		return Stats{}, false, nil
	}
	if err := s.apply(ctx, changes, &st); err != nil {
		return Stats{}, false, err
	}
	oldest := changes[0].created
	for _, c := range changes {
		if c.created.Before(oldest) {
			oldest = c.created
		}
	}
	if err := requeue(ctx, tx, &st, oldest); err != nil {
		return Stats{}, false, err
	}
	ids := make([]int64, len(changes))
	n := 0
	for i, c := range changes {
		ids[i] = c.id
		n += c.n
	}
	if _, err := tx.Exec(ctx, `DELETE FROM denorm.outbox WHERE id = ANY($1)`, ids); err != nil {
		return Stats{}, false, fmt.Errorf("delete %d processed outbox rows: %w", len(ids), err)
	}
	if err := tx.Commit(ctx); err != nil {
		return Stats{}, false, fmt.Errorf("commit processed outbox rows: %w", err)
	}
	st.Changes = n
	st.Batches = 1
	s.metrics.processed(n)
	return st, more, nil
}

// claim locks outbox rows up to upTo in id order and takes them until they
// hold limit changes (at least one row, however many it holds). Rows it
// locked beyond those stay locked until the transaction ends, untouched, and
// are claimed again by a later batch. more reports whether rows may be left.
func claim(ctx context.Context, tx pgx.Tx, upTo int64, limit int) (changes []change, more bool, err error) {
	rows, err := tx.Query(ctx, `
		SELECT id, table_name, op, changes, created_at,
		       CASE WHEN op = 'R' THEN new_rows END
		FROM denorm.outbox
		WHERE id <= $1
		ORDER BY id
		LIMIT $2
		FOR UPDATE SKIP LOCKED`, upTo, limit)
	if err != nil {
		return nil, false, fmt.Errorf("claim outbox rows: %w", err)
	}
	locked, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (change, error) {
		var c change
		var requeued []byte
		if err := r.Scan(&c.id, &c.table, &c.op, &c.n, &c.created, &requeued); err != nil {
			return c, err
		}
		if c.op == opRequeue {
			if err := json.Unmarshal(requeued, &c.requeued); err != nil {
				return c, fmt.Errorf("outbox row %d: requeued roots %s: %w", c.id, requeued, err)
			}
			if len(c.requeued.Collection) != len(c.requeued.Key) {
				return c, fmt.Errorf("outbox row %d: requeued roots %s: %d collections for %d keys",
					c.id, requeued, len(c.requeued.Collection), len(c.requeued.Key))
			}
		}
		return c, nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("claim outbox rows: %w", err)
	}
	n := 0
	for i, c := range locked {
		if n >= limit {
			return locked[:i], true, nil
		}
		n += c.n
	}
	return locked, len(locked) == limit, nil
}

// apply brings every collection the changes touch up to date: a full sync
// for those with a truncated table, otherwise a rebuild of the resolved roots
// in one snapshot taken after the changes committed.
func (s *Syncer) apply(ctx context.Context, changes []change, st *Stats) error {
	ids := map[string][]int64{}
	truncated := map[string]bool{}
	requeued := map[string][]string{}
	for _, c := range changes {
		switch c.op {
		case opRequeue:
			for i, col := range c.requeued.Collection {
				requeued[col] = append(requeued[col], c.requeued.Key[i])
			}
			continue
		case 'T':
			truncated[c.table] = true
		}
		ids[c.table] = append(ids[c.table], c.id)
	}
	var incremental []Collection
	for _, col := range s.cols {
		if slices.ContainsFunc(col.Tables(), func(t string) bool { return truncated[t] }) {
			if err := s.fullSync(ctx, col, st); err != nil {
				return err
			}
			continue
		}
		if requeued[col.Name()] != nil || slices.ContainsFunc(col.Dependencies(), func(d Dependency) bool { return ids[d.Table] != nil }) {
			incremental = append(incremental, col)
		}
	}
	if len(incremental) == 0 {
		return nil
	}
	return s.snapshot(ctx, func(tx *Snapshot, version int64) error {
		for _, col := range incremental {
			keys, err := resolve(ctx, tx, col, ids)
			if err != nil {
				return err
			}
			for _, k := range requeued[col.Name()] {
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
			if err := s.rebuild(ctx, tx, version, col, keys, st); err != nil {
				return err
			}
		}
		return nil
	})
}

// resolve runs the Dependencies of col whose table has changes and returns
// the affected root keys, each once. It runs in the build snapshot: a
// relation that changes after it is itself in the outbox, so it is resolved
// again later.
func resolve(ctx context.Context, db DB, col Collection, ids map[string][]int64) ([]string, error) {
	seen := map[string]bool{}
	var keys []string
	for _, dep := range col.Dependencies() {
		tableIDs := ids[dep.Table]
		if tableIDs == nil {
			continue
		}
		rows, err := db.Query(ctx, dep.SQL, tableIDs)
		if err != nil {
			return nil, fmt.Errorf("collection %q: resolve changes of %s: %w", col.Name(), dep.Table, err)
		}
		// A NULL key is a relation that pointed nowhere (a NULL foreign key).
		found, err := pgx.CollectRows(rows, pgx.RowTo[*string])
		if err != nil {
			return nil, fmt.Errorf("collection %q: resolve changes of %s: %w", col.Name(), dep.Table, err)
		}
		for _, k := range found {
			if k != nil && !seen[*k] {
				seen[*k] = true
				keys = append(keys, *k)
			}
		}
	}
	return keys, nil
}

// requeue puts the roots whose documents a backend refused back in the
// outbox, dated like the oldest change of the batch so that the lag shows
// them. They are built again on a later pass: the change is kept, and the
// rest of the outbox moves on.
func requeue(ctx context.Context, db DB, st *Stats, created time.Time) error {
	for _, col := range slices.Sorted(maps.Keys(st.tooLarge)) {
		keys := st.tooLarge[col]
		// One row per collection and batch: a batch's roots are bounded.
		_, err := db.Exec(ctx, `
			INSERT INTO denorm.outbox (table_name, op, changes, new_rows, created_at)
			SELECT 'denorm.requeue', 'R', cardinality($2::text[]),
			       jsonb_build_object('collection', to_jsonb(array_fill($1::text, ARRAY[cardinality($2::text[])])), 'key', to_jsonb($2::text[])),
			       $3`, col, keys, created)
		if err != nil {
			return fmt.Errorf("put %d roots of %q back in the outbox: %w", len(keys), col, err)
		}
		st.Requeued += len(keys)
	}
	st.tooLarge = nil
	return nil
}
