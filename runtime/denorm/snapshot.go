package denorm

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

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
	conn    *pgxpool.Conn // in the first transaction
	pool    *pgxpool.Pool
	id      string // the exported snapshot; "" when spare is 0
	version int64
	spare   int // connections it may still take

	mu     sync.Mutex
	forks  []*pgxpool.Conn // every joined transaction
	idle   []*pgxpool.Conn // those not in use
	closed atomic.Bool
}

// beginSnapshotSQL begins the snapshot's first transaction and, in the same
// round trip, takes the snapshot (the SELECT is its first statement), reads
// its version (the columns SnapshotVersion reads) and, where %s is
// pg_export_snapshot(), exports it for other transactions to join.
const beginSnapshotSQL = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SELECT ` + snapshotColumns + `, %s FROM pg_current_snapshot() AS s`

// BeginSnapshot begins a Snapshot on a connection of pool that may take up to
// spare more, always leaving one of the pool's connections free for others.
// It costs one round trip, whatever spare is.
func BeginSnapshot(ctx context.Context, pool *pgxpool.Pool, spare int) (*Snapshot, error) {
	stat := pool.Stat()
	free := int(stat.MaxConns()) - int(stat.AcquiredConns()) + int(closingConns(pool).Load()) - 1 - 1
	s := &Snapshot{pool: pool, spare: max(0, min(spare, free))}
	export := "''"
	if s.spare > 0 {
		export = "pg_export_snapshot()"
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin snapshot: %w", err)
	}
	results, err := conn.Conn().PgConn().Exec(ctx, fmt.Sprintf(beginSnapshotSQL, export)).ReadAll()
	if err == nil && (len(results) != 2 || len(results[1].Rows) != 1 || len(results[1].Rows[0]) != 4) {
		err = errors.New("unexpected result")
	}
	if err != nil {
		// Release closes a connection left inside a transaction.
		conn.Release()
		return nil, fmt.Errorf("begin snapshot: %w", err)
	}
	row := results[1].Rows[0]
	inProgress, err := strconv.ParseInt(string(row[2]), 10, 64)
	if err == nil {
		s.version, err = versionOf(string(row[0]), string(row[1]), inProgress)
	}
	if err != nil {
		rollbackConn(ctx, conn)
		return nil, fmt.Errorf("begin snapshot: %w", err)
	}
	s.conn, s.id = conn, string(row[3])
	return s, nil
}

// Version is the version of documents built in the snapshot, as
// SnapshotVersion gives it.
func (s *Snapshot) Version() int64 { return s.version }

// ErrSnapshotClosed is returned by a Snapshot's methods after Close.
var ErrSnapshotClosed = errors.New("denorm: snapshot is closed")

// Exec runs on the first transaction.
func (s *Snapshot) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if s.closed.Load() {
		return pgconn.CommandTag{}, ErrSnapshotClosed
	}
	return s.conn.Exec(ctx, sql, args...)
}

// Query runs on the first transaction.
func (s *Snapshot) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if s.closed.Load() {
		return nil, ErrSnapshotClosed
	}
	return s.conn.Query(ctx, sql, args...)
}

// QueryRow runs on the first transaction.
func (s *Snapshot) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if s.closed.Load() {
		return closedRow{}
	}
	return s.conn.QueryRow(ctx, sql, args...)
}

// SendBatch runs on the first transaction.
func (s *Snapshot) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if s.closed.Load() {
		return closedBatch{}
	}
	return s.conn.SendBatch(ctx, b)
}

// closedRow and closedBatch are what a closed Snapshot's QueryRow and
// SendBatch return: ErrSnapshotClosed, whatever is asked.
type (
	closedRow   struct{}
	closedBatch struct{}
)

func (closedRow) Scan(...any) error                  { return ErrSnapshotClosed }
func (closedBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, ErrSnapshotClosed }
func (closedBatch) Query() (pgx.Rows, error)         { return nil, ErrSnapshotClosed }
func (closedBatch) QueryRow() pgx.Row                { return closedRow{} }
func (closedBatch) Tx() pgx.Tx                       { return nil }
func (closedBatch) Close() error                     { return ErrSnapshotClosed }

// join returns a transaction of the snapshot on another connection that no
// one is using, and the function that hands it back; nil if there is none
// and the snapshot may take no more connections.
func (s *Snapshot) join(ctx context.Context) (DB, func(), error) {
	s.mu.Lock()
	var conn *pgxpool.Conn
	switch n := len(s.idle); {
	case n > 0:
		conn, s.idle = s.idle[n-1], s.idle[:n-1]
	case s.spare == 0:
		s.mu.Unlock()
		return nil, nil, nil
	default:
		s.spare--
	}
	s.mu.Unlock()
	if conn == nil {
		var err error
		if conn, err = s.fork(ctx); err != nil {
			return nil, nil, err
		}
	}
	release := func() {
		s.mu.Lock()
		s.idle = append(s.idle, conn)
		s.mu.Unlock()
	}
	return conn, release, nil
}

// canJoin reports whether join may return a transaction.
func (s *Snapshot) canJoin() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.idle) > 0 || s.spare > 0
}

// fork opens a transaction, on a new connection, that imports the snapshot,
// in one round trip.
func (s *Snapshot) fork(ctx context.Context) (*pgxpool.Conn, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("snapshot: acquire a connection: %w", err)
	}
	_, err = conn.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '"+strings.ReplaceAll(s.id, "'", "''")+"'")
	if err != nil {
		// BEGIN may have run: Release closes a connection left inside a
		// transaction.
		conn.Release()
		return nil, fmt.Errorf("snapshot: join %s: %w", s.id, err)
	}
	s.mu.Lock()
	s.forks = append(s.forks, conn)
	s.mu.Unlock()
	return conn, nil
}

// Close ends the snapshot. It sends ROLLBACK on each of its transactions and
// returns without waiting for the answers, which a read-only transaction
// does not need: the caller goes on with what it read while the round trip
// completes. Each connection goes back to the pool once its ROLLBACK is done,
// or is closed if it fails. Streams and loads using the snapshot must be
// done; Close always returns nil, and a second call does nothing.
func (s *Snapshot) Close(ctx context.Context) error {
	if s.closed.Swap(true) {
		return nil
	}
	s.mu.Lock()
	conns := append(s.forks, s.conn)
	s.forks, s.idle = nil, nil
	s.mu.Unlock()
	ending := closingConns(s.pool)
	ending.Add(int32(len(conns)))
	for _, conn := range conns {
		go func() {
			defer ending.Add(-1)
			rollbackConn(ctx, conn)
		}()
	}
	return nil
}

// rollbackConn ends the transaction conn is in and hands it back to its
// pool, even when ctx is already canceled (a stopping Run); if ROLLBACK
// fails, Release closes the connection, still inside the transaction.
func rollbackConn(ctx context.Context, conn *pgxpool.Conn) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_, _ = conn.Exec(ctx, "ROLLBACK")
	conn.Release()
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
