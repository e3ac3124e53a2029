// Package strategy holds the ways the benchmark builds the book documents of
// denorm.yaml, side by side: denormgen's generated loader and the baselines
// it is measured against. All of them render the same JSON values.
package strategy

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ChunkSize is how many roots the batched strategies load per round trip
// set: the 1,000.
const ChunkSize = 1000

// ErrStop, returned by an Emit, ends a BuildAll early without an error: the
// runner uses it to cap the N+1 strategy, which would take an hour on
// every book.
var ErrStop = errors.New("stop")

// Emit receives one rendered document. doc is only valid during the call:
// streaming strategies reuse their buffers.
type Emit func(id int64, doc []byte) error

// A Strategy builds book documents.
type Strategy interface {
	// Name is the short name of the strategy in flags and reports.
	Name() string
	// Describe says in one sentence what the strategy does, for the report.
	Describe() string
	// Build renders the documents of ids; ids with no book are absent.
	// It is the incremental workload: rebuilding the roots changes touched.
	Build(ctx context.Context, pool *pgxpool.Pool, ids []int64) (map[int64][]byte, error)
	// BuildAll renders every book in id order, streaming: memory must not
	// grow with the number of books. It is the full-sync workload.
	BuildAll(ctx context.Context, pool *pgxpool.Pool, emit Emit) error
}

// All returns every strategy, in report order.
func All() []Strategy {
	return []Strategy{
		Generated{},
		JSONAgg{},
		Prefetch{},
		NewGorm(false),
		NewGorm(true),
		NPlusOne{},
		LowerBound{},
	}
}

// Renders reports whether s produces documents; the lower bound only reads.
func Renders(s Strategy) bool {
	_, readOnly := s.(LowerBound)
	return !readOnly
}

// stop turns ErrStop into a clean end of a BuildAll.
func stop(err error) error {
	if errors.Is(err, ErrStop) {
		return nil
	}
	return err
}
