package denorm

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A Snapshot is a REPEATABLE READ, READ ONLY transaction that transactions
// on other connections of its pool can join (pg_export_snapshot), so that
// generated loaders read several queries at once, all of one state of the
// database:
//
//   - AllX streams each to-many relation of the root, sorted by root key, on
//     a connection of its own: every table is read once, in order, rather
//     than looked up by index chunk after chunk;
//   - LoadX loads parts of many keys in parallel.
//
// A Snapshot is a DB: its methods run on the first transaction. It takes at
// most spare more connections from the pool, fewer when the pool is busy;
// given none, loaders read one query at a time as with any DB. The
// transactions stay open, holding back VACUUM of rows they can see, until
// Close. A Snapshot is not for concurrent use by several goroutines.
type Snapshot struct {
	tx    pgx.Tx
	pool  *pgxpool.Pool
	id    string // the exported snapshot
	spare int    // connections it may still take

	mu     sync.Mutex
	forks  []*fork // every joined transaction
	idle   []*fork // those not in use
	closed bool
}

type fork struct {
	conn *pgxpool.Conn
	tx   pgx.Tx
}

// BeginSnapshot begins a Snapshot on a connection of pool that may take up to
// spare more, always leaving one of the pool's connections free for others.
func BeginSnapshot(ctx context.Context, pool *pgxpool.Pool, spare int) (*Snapshot, error) {
	stat := pool.Stat()
	free := int(stat.MaxConns()) - int(stat.AcquiredConns()) + int(closingConns(pool).Load()) - 1 - 1
	// The SELECT takes the snapshot now, in the same round trip, rather than
	// at the first query.
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{BeginQuery: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT"})
	if err != nil {
		return nil, fmt.Errorf("begin snapshot: %w", err)
	}
	return &Snapshot{tx: tx, pool: pool, spare: max(0, min(spare, free))}, nil
}

// Tx is the snapshot's first transaction.
func (s *Snapshot) Tx() pgx.Tx { return s.tx }

// Exec runs on the first transaction.
func (s *Snapshot) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return s.tx.Exec(ctx, sql, args...)
}

// Query runs on the first transaction.
func (s *Snapshot) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return s.tx.Query(ctx, sql, args...)
}

// QueryRow runs on the first transaction.
func (s *Snapshot) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return s.tx.QueryRow(ctx, sql, args...)
}

// SendBatch runs on the first transaction.
func (s *Snapshot) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return s.tx.SendBatch(ctx, b)
}

// join returns a transaction of the snapshot on another connection that no
// one is using, and the function that hands it back; nil if there is none
// and the snapshot may take no more connections.
func (s *Snapshot) join(ctx context.Context) (pgx.Tx, func(), error) {
	s.mu.Lock()
	var f *fork
	switch n := len(s.idle); {
	case n > 0:
		f, s.idle = s.idle[n-1], s.idle[:n-1]
	case s.spare == 0:
		s.mu.Unlock()
		return nil, nil, nil
	default:
		s.spare--
	}
	s.mu.Unlock()
	if f == nil {
		if err := s.export(ctx); err != nil {
			return nil, nil, err
		}
		var err error
		if f, err = s.fork(ctx); err != nil {
			return nil, nil, err
		}
	}
	release := func() {
		s.mu.Lock()
		s.idle = append(s.idle, f)
		s.mu.Unlock()
	}
	return f.tx, release, nil
}

// export exports the snapshot, once: on first use, so that a snapshot that
// never joins costs no round trip. Its state is the transaction's
// (REPEATABLE READ), whatever it read before. It runs on the first
// transaction, so not while anything else does: joins that go on while it
// is in use (LoadChunks) export before.
func (s *Snapshot) export(ctx context.Context) error {
	if s.id != "" {
		return nil
	}
	if err := s.tx.QueryRow(ctx, "SELECT pg_export_snapshot()").Scan(&s.id); err != nil {
		return fmt.Errorf("export snapshot: %w", err)
	}
	return nil
}

// canJoin reports whether join may return a transaction.
func (s *Snapshot) canJoin() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.idle) > 0 || s.spare > 0
}

// fork opens a transaction, on a new connection, that imports the snapshot,
// in one round trip.
func (s *Snapshot) fork(ctx context.Context) (*fork, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("snapshot: acquire a connection: %w", err)
	}
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{BeginQuery: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '" + strings.ReplaceAll(s.id, "'", "''") + "'"})
	if err != nil {
		// BEGIN may have run: the pool closes a connection it gets back
		// inside a transaction.
		conn.Release()
		return nil, fmt.Errorf("snapshot: join %s: %w", s.id, err)
	}
	f := &fork{conn: conn, tx: tx}
	s.mu.Lock()
	s.forks = append(s.forks, f)
	s.mu.Unlock()
	return f, nil
}

// Close ends the snapshot. It sends ROLLBACK on each of its transactions and
// returns without waiting for the answers, which a read-only transaction
// does not need: the caller goes on with what it read while the round trip
// completes. Each connection goes back to the pool once its ROLLBACK is done,
// or is closed if it fails. Streams and loads using the snapshot must be
// done; Close always returns nil, and a second call does nothing.
func (s *Snapshot) Close(ctx context.Context) error {
	s.mu.Lock()
	forks, closed := s.forks, s.closed
	s.forks, s.idle, s.closed = nil, nil, true
	s.mu.Unlock()
	if closed {
		return nil
	}
	// rollback outlives ctx; the pool's Tx hands its connection back as it
	// ends, a fork's connection is released after.
	ending := closingConns(s.pool)
	end := func(tx pgx.Tx, conn *pgxpool.Conn) {
		ending.Add(1)
		go func() {
			defer ending.Add(-1)
			rollback(ctx, tx)
			if conn != nil {
				conn.Release()
			}
		}()
	}
	for _, f := range forks {
		end(f.tx, f.conn)
	}
	end(s.tx, nil)
	return nil
}

// closing counts, per pool, the connections of closed snapshots whose
// ROLLBACK is still under way: about to be free, so BeginSnapshot counts them
// as such. A pool's counter stays for the life of the process (a few bytes
// per pool ever used).
var closing sync.Map // *pgxpool.Pool -> *atomic.Int32

func closingConns(pool *pgxpool.Pool) *atomic.Int32 {
	if n, ok := closing.Load(pool); ok {
		return n.(*atomic.Int32)
	}
	n, _ := closing.LoadOrStore(pool, new(atomic.Int32))
	return n.(*atomic.Int32)
}
