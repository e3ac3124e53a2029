package oracletest

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"
)

// A QueryLog, as a pool's tracer (ConnConfig.Tracer), records every query
// the pool sends, batched ones included, and the round trips: a query
// alone, or a batch.
type QueryLog struct {
	mu      sync.Mutex
	queries []string
	trips   []int // queries per round trip
}

func (l *QueryLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.queries = append(l.queries, d.SQL)
	l.trips = append(l.trips, 1)
	return ctx
}
func (l *QueryLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (l *QueryLog) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.trips = append(l.trips, d.Batch.Len())
	return ctx
}
func (l *QueryLog) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.queries = append(l.queries, d.SQL)
}
func (l *QueryLog) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// Reset returns what was recorded since the last Reset, and starts over.
func (l *QueryLog) Reset() (queries []string, trips []int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	queries, trips = l.queries, l.trips
	l.queries, l.trips = nil, nil
	return queries, trips
}
