package writes

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Options size the measurement.
type Options struct {
	Statements int    // single-row statements per side and slice
	Slices     int    // rotations over the sides for single-row cases
	BulkRows   int    // rows of a bulk UPDATE
	BulkRuns   int    // rotations for bulk cases
	Warmup     int    // untimed single-row statements before each timed slice
	Seed       uint64 // of the random rows single-row statements touch
}

// A Result compares one case with and without the triggers.
type Result struct {
	Case          Case
	Rows          int64         // rows written per side
	Without, With time.Duration // total time per side
	// Empty is the time with triggers of the same kind on the written table
	// (statement-level, with transition tables) whose function does nothing:
	// what PostgreSQL's own machinery costs, the floor of any such capture.
	Empty  time.Duration
	Outbox int64 // changes the triggers recorded during the "with" runs
	Slices int   // rotations over the sides
	Warmup int   // untimed statements before each timed slice (single-row cases)
}

// Slowdown is the time with triggers over the time without.
func (r Result) Slowdown() float64 { return r.With.Seconds() / r.Without.Seconds() }

// EmptySlowdown is the time with empty triggers over the time without.
func (r Result) EmptySlowdown() float64 { return r.Empty.Seconds() / r.Without.Seconds() }

// CaptureOK reports whether the triggers recorded what they must: every
// written row of a used column, nothing for an unused one.
func (r Result) CaptureOK() bool {
	if r.Case.Captured {
		return r.Outbox >= r.Rows
	}
	return r.Outbox == 0
}

// Met reports whether the case meets its target.
func (r Result) Met() bool { return r.Slowdown() <= r.Case.MaxSlowdown && r.CaptureOK() }

// Run measures every case on pool's database, which it changes: rows are
// updated and inserted, triggers installed and dropped. installSQL is the
// install SQL of denorm.yaml; books the number of books.
func Run(ctx context.Context, pool *pgxpool.Pool, installSQL string, books int64, o Options, logf func(string, ...any)) ([]Result, error) {
	if o.Statements < 1 || o.Slices < 1 || o.BulkRows < 1 || o.BulkRuns < 1 || o.Warmup < 0 {
		return nil, fmt.Errorf("write benchmark: options %+v must be positive", o)
	}
	// Every statement runs on one connection, the triggers' DDL included.
	c, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("write benchmark: %w", err)
	}
	defer c.Release()
	// Create the outbox once so that every "with" run starts from an empty one.
	if err := install(ctx, c, installSQL); err != nil {
		return nil, err
	}
	var results []Result
	for ci, w := range Cases() {
		r := Result{Case: w, Slices: o.Slices, Warmup: o.Warmup}
		slices, n := o.Slices, o.Statements
		if w.Bulk {
			slices, n = o.BulkRuns, o.BulkRows
			r.Slices, r.Warmup = o.BulkRuns, 0
		}
		for k := range slices {
			// Rotate which side goes first, so drift (autovacuum, other
			// load, a growing table) lands on every side.
			for j := range int(numSides) {
				sd := side((k + j) % int(numSides))
				if err := prepare(ctx, c, installSQL, w.Table, sd); err != nil {
					return nil, err
				}
				salt := (int(numSides)*k + j + 1) * (n + o.Warmup)
				if !w.Bulk && o.Warmup > 0 {
					// The first statements after the DDL rebuild the session's
					// caches, and with triggers compile the function and plan
					// its queries: a cost of the benchmark's switching, which
					// an application's sessions pay once, not per write.
					rng := rand.New(rand.NewPCG(o.Seed^0x5eed, uint64(ci*1000+k)))
					if _, err := w.run(ctx, c, rng, o.Warmup, books, salt+n); err != nil {
						return nil, fmt.Errorf("write benchmark: %s: warm-up: %w", w.Name, err)
					}
				}
				before, err := outboxChanges(ctx, c)
				if err != nil {
					return nil, err
				}
				rng := rand.New(rand.NewPCG(o.Seed, uint64(ci*1000+k)))
				start := time.Now()
				rows, err := w.run(ctx, c, rng, n, books, salt)
				elapsed := time.Since(start)
				if err != nil {
					return nil, fmt.Errorf("write benchmark: %s: %w", w.Name, err)
				}
				switch sd {
				case with:
					r.With += elapsed
					after, err := outboxChanges(ctx, c)
					if err != nil {
						return nil, err
					}
					r.Outbox += after - before
				case without:
					r.Without += elapsed
					r.Rows += rows
				case empty:
					r.Empty += elapsed
				}
				if w.Bulk {
					// A bulk UPDATE leaves a dead copy of every row; the next
					// run must not pay for this one's.
					if _, err := c.Exec(ctx, "VACUUM "+w.Table); err != nil {
						return nil, fmt.Errorf("write benchmark: vacuum %s: %w", w.Table, err)
					}
				}
			}
		}
		logf("writes %-55s %7d rows  without %8.3fs  with %8.3fs  %.2fx  empty triggers %.2fx  changes recorded %d",
			w.Name, r.Rows, r.Without.Seconds(), r.With.Seconds(), r.Slowdown(), r.EmptySlowdown(), r.Outbox)
		results = append(results, r)
	}
	return results, nil
}

// A side is one of the compared configurations of the written table.
type side int

const (
	without side = iota // no triggers
	with                // the install SQL
	empty               // emptyTriggers
	numSides
)

// prepare sets up the side's triggers and empties the outbox.
func prepare(ctx context.Context, pool db, installSQL, table string, sd side) error {
	if err := resetOutbox(ctx, pool); err != nil {
		return err
	}
	switch sd {
	case with:
		return install(ctx, pool, installSQL)
	case empty:
		if err := uninstall(ctx, pool); err != nil {
			return err
		}
		return emptyTriggers(ctx, pool, table)
	}
	return uninstall(ctx, pool)
}
