package denorm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A Syncer keeps the documents of its collections fresh in its backends: it
// drains denorm.outbox (filled by the install SQL's triggers), rebuilds the
// affected documents and writes them, at the version of the snapshot they
// were built in, to every backend before it removes the changes.
//
// Several Syncers may work on one outbox at once (in one process or many):
// they claim disjoint batches, and the version guard of the backends keeps
// an older build from replacing a newer one.
type Syncer struct {
	pool     *pgxpool.Pool
	backends []Backend
	cols     []Collection

	batchSize    int
	pollInterval time.Duration
	backoff      backoff
	log          *slog.Logger
	metrics      *metrics
	progress     func(collection string, done, total int)

	listening     chan struct{} // closed once Run first listens
	listeningOnce sync.Once
	listenUp      atomic.Bool // Run's LISTEN connection is up

	// err is the first configuration error; every method returns it, since
	// NewSyncer and With have no error result.
	err error
}

// NewSyncer returns a Syncer writing the documents of cols to b. Configure it
// further with With before its first use.
func NewSyncer(pool *pgxpool.Pool, b Backend, cols ...Collection) *Syncer {
	s := &Syncer{
		pool:         pool,
		cols:         cols,
		batchSize:    500,
		pollInterval: time.Second,
		backoff:      backoff{min: 100 * time.Millisecond, max: 30 * time.Second},
		log:          slog.Default(),
		listening:    make(chan struct{}),
	}
	var errs []error
	if pool == nil {
		errs = append(errs, errors.New("nil pool"))
	}
	if b == nil {
		errs = append(errs, errors.New("nil backend"))
	} else {
		s.backends = []Backend{b}
	}
	seen := map[string]bool{}
	for i, c := range cols {
		switch {
		case c == nil:
			errs = append(errs, fmt.Errorf("collection %d is nil", i))
		case c.Name() == "":
			errs = append(errs, fmt.Errorf("collection %d has an empty name", i))
		case seen[c.Name()]:
			errs = append(errs, fmt.Errorf("collection %q given twice", c.Name()))
		default:
			seen[c.Name()] = true
		}
	}
	if len(errs) > 0 {
		s.err = fmt.Errorf("denorm: NewSyncer: %w", errors.Join(errs...))
	}
	return s
}

// With applies opts and returns s, so that it chains after NewSyncer. An
// invalid option makes every later call of s fail with its error.
func (s *Syncer) With(opts ...Option) *Syncer {
	for _, o := range opts {
		if err := o(s); err != nil && s.err == nil {
			s.err = fmt.Errorf("denorm: %w", err)
		}
	}
	return s
}

func (s *Syncer) collection(name string) (Collection, error) {
	for _, c := range s.cols {
		if c.Name() == name {
			return c, nil
		}
	}
	names := make([]string, len(s.cols))
	for i, c := range s.cols {
		names[i] = c.Name()
	}
	slices.Sort(names)
	return nil, fmt.Errorf("denorm: unknown collection %q (the syncer has: %s)", name, strings.Join(names, ", "))
}

// snapshot runs f in a REPEATABLE READ, READ ONLY snapshot, passing the
// version documents built in it carry. Loaders given the snapshot build
// parts of many roots at once on connections of their own.
func (s *Syncer) snapshot(ctx context.Context, f func(snap *Snapshot, version int64) error) error {
	snap, err := BeginSnapshot(ctx, s.pool, syncerSpare)
	if err != nil {
		return err
	}
	// Read only: nothing to commit. Close ends the transactions without
	// waiting for their round trip.
	defer snap.Close(ctx)
	return f(snap, snap.Version())
}

// syncerSpare is how many more connections of its pool a Syncer's snapshot
// may take (when the pool has them free): for the streams of a full sync, and
// the parts of a large rebuild.
const syncerSpare = 4

// rollback ends tx even when ctx is already canceled (a stopping Run), so
// that the connection goes back to the pool clean; a failure closes it.
func rollback(ctx context.Context, tx pgx.Tx) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = tx.Rollback(ctx)
}

// Listening is closed once Run listens for the triggers' notifications:
// from then on a committed change wakes it at once rather than at the next
// poll. Useful to wait for before measuring propagation, or in tests.
func (s *Syncer) Listening() <-chan struct{} { return s.listening }
