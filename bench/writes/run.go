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
	Slices     int    // alternations of with and without for single-row cases
	BulkRows   int    // rows of a bulk UPDATE
	BulkRuns   int    // alternations for bulk cases
	Seed       uint64 // of the random rows single-row statements touch
}

// A Result compares one case with and without the triggers.
type Result struct {
	Case          Case
	Rows          int64         // rows written per side
	Without, With time.Duration // total time per side
	Outbox        int64         // changes the triggers recorded during the "with" runs
}

// Slowdown is the time with triggers over the time without.
func (r Result) Slowdown() float64 { return r.With.Seconds() / r.Without.Seconds() }

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
	if o.Statements < 1 || o.Slices < 1 || o.BulkRows < 1 || o.BulkRuns < 1 {
		return nil, fmt.Errorf("write benchmark: options %+v must be positive", o)
	}
	// Create the outbox once so that every "with" run starts from an empty one.
	if err := install(ctx, pool, installSQL); err != nil {
		return nil, err
	}
	var results []Result
	for ci, c := range Cases() {
		r := Result{Case: c}
		slices, n := o.Slices, o.Statements
		if c.Bulk {
			slices, n = o.BulkRuns, o.BulkRows
		}
		for k := range slices {
			// Alternate which side goes first, so drift (autovacuum, other
			// load, a growing table) lands on both.
			for side, with := range []bool{k%2 == 1, k%2 == 0} {
				if err := prepare(ctx, pool, installSQL, with); err != nil {
					return nil, err
				}
				rng := rand.New(rand.NewPCG(o.Seed, uint64(ci*1000+k)))
				start := time.Now()
				rows, err := c.run(ctx, pool, rng, n, books, (2*k+side+1)*n)
				elapsed := time.Since(start)
				if err != nil {
					return nil, fmt.Errorf("write benchmark: %s: %w", c.Name, err)
				}
				if with {
					r.With += elapsed
					captured, err := outboxChanges(ctx, pool)
					if err != nil {
						return nil, err
					}
					r.Outbox += captured
				} else {
					r.Without += elapsed
					r.Rows += rows
				}
				if c.Bulk {
					// A bulk UPDATE leaves a dead copy of every row; the next
					// run must not pay for this one's.
					if _, err := pool.Exec(ctx, "VACUUM "+c.Table); err != nil {
						return nil, fmt.Errorf("write benchmark: vacuum %s: %w", c.Table, err)
					}
				}
			}
		}
		logf("writes %-55s %7d rows  without %8.3fs  with %8.3fs  %.2fx  changes recorded %d",
			c.Name, r.Rows, r.Without.Seconds(), r.With.Seconds(), r.Slowdown(), r.Outbox)
		results = append(results, r)
	}
	return results, nil
}

// prepare installs or drops the triggers and empties the outbox.
func prepare(ctx context.Context, pool *pgxpool.Pool, installSQL string, with bool) error {
	if err := resetOutbox(ctx, pool); err != nil {
		return err
	}
	if with {
		return install(ctx, pool, installSQL)
	}
	return uninstall(ctx, pool)
}
