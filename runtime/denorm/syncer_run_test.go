package denorm_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// blogLogger sends the Syncer's log to the test's output.
func blogLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// waitFor fails t unless cond becomes true within a generous deadline: a
// liveness check, not a measure of speed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startRun runs s until the test ends or the returned stop is called; stop
// fails t unless Run returns nil.
func startRun(t *testing.T, s *denorm.Syncer) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Errorf("Run did not return after its context was canceled")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func hasDoc(t *testing.T, b denorm.Backend, key string) bool {
	t.Helper()
	docs, err := b.Get(context.Background(), "posts", []string{key})
	if err != nil {
		t.Fatal(err)
	}
	_, ok := docs[key]
	return ok
}

// TestRunListensAndReconnects polls only once an hour, so every document
// below arrives through a notification, or through the catch-up after the
// listening connection came back.
func TestRunListensAndReconnects(t *testing.T) {
	ctx := context.Background()
	pool, url := newBlog(t)
	b := denorm.NewMemoryBackend()
	s := denorm.NewSyncer(pool, b, blogPosts{}).With(
		denorm.WithPollInterval(time.Hour),
		denorm.WithBackoff(10*time.Millisecond, 200*time.Millisecond),
		denorm.WithLogger(blogLogger(t)),
	)
	startRun(t, s)

	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	listening := func() bool {
		var n int
		err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND query = 'LISTEN denorm_outbox'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	waitFor(t, "the syncer to LISTEN", listening)

	blogExec(t, admin, `INSERT INTO post VALUES (1, 'one')`)
	waitFor(t, "post 1 through a notification", func() bool { return hasDoc(t, b, "1") })

	// Kill every other connection to the database, as a server restart
	// would: the listener and the pool's connections.
	blogExec(t, admin, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	blogExec(t, admin, `INSERT INTO post VALUES (2, 'two')`)
	waitFor(t, "post 2 after the connections were killed", func() bool { return hasDoc(t, b, "2") })
	waitFor(t, "the syncer to LISTEN again", listening)
	blogExec(t, admin, `INSERT INTO post VALUES (3, 'three')`)
	waitFor(t, "post 3 through a notification on the new connection", func() bool { return hasDoc(t, b, "3") })
	blogCheck(t, pool, b)
}

// stuckPosts is blogPosts whose Build waits until its context ends, to stop
// a syncer in the middle of a batch.
type stuckPosts struct {
	blogPosts
	building chan struct{}
}

func (c stuckPosts) Build(ctx context.Context, _ denorm.DB, _ []string) (map[string][]byte, error) {
	select {
	case c.building <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestRunStopsMidBatchAndKeepsChanges(t *testing.T) {
	pool, _ := newBlog(t)
	blogExec(t, pool, `INSERT INTO post VALUES (1, 'one')`)
	col := stuckPosts{building: make(chan struct{}, 1)}
	stop := startRun(t, denorm.NewSyncer(pool, denorm.NewMemoryBackend(), col).With(denorm.WithLogger(blogLogger(t))))
	select {
	case <-col.building:
	case <-time.After(30 * time.Second):
		t.Fatal("the syncer never started building")
	}
	stop()
	if n := blogOutboxChanges(t, pool); n != 1 {
		t.Errorf("outbox has %d changes after stopping mid-batch, want the change kept", n)
	}
}

// TestTwoSyncersNeverLeaveStaleDocuments runs two syncers (each with its
// own pool, as two processes would) on one outbox and one backend while
// writers change everything the documents read. Once the outbox is empty,
// every document must equal a fresh build: a stale build that won over a
// newer one would show here.
func TestTwoSyncersNeverLeaveStaleDocuments(t *testing.T) {
	ctx := context.Background()
	pool, url := newBlog(t)
	blogSeed(t, pool, 8)
	b := denorm.NewMemoryBackend()
	for i := range 2 {
		own, err := pgxpool.New(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(own.Close)
		startRun(t, denorm.NewSyncer(own, b, blogPosts{}).With(
			denorm.WithBatchSize(3+i*4),
			denorm.WithPollInterval(10*time.Millisecond),
			denorm.WithLogger(blogLogger(t)),
		))
	}

	// Rounds of writes, each checked once the syncers caught up: a stale
	// document that a later change would repair is seen before it is.
	for round := range 4 {
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Go(func() {
				writer := newBlogWriter(pool, uint64(round*10+w+1))
				for range 200 {
					if err := writer.write(ctx); err != nil {
						t.Errorf("write: %v", err)
						return
					}
				}
			})
		}
		wg.Wait()
		waitFor(t, "the syncers to empty the outbox", func() bool { return blogOutboxChanges(t, pool) == 0 })
		blogCheck(t, pool, b)
	}
}

// TestRunSurvivesConnectionKills keeps killing the syncer's connections
// (claims, snapshots and the listener, mid-batch or idle) while writers run:
// every killed batch must roll back and be redone, never lost.
func TestRunSurvivesConnectionKills(t *testing.T) {
	ctx := context.Background()
	pool, url := newBlog(t)
	blogSeed(t, pool, 20)
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "denorm_syncer"
	own, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(own.Close)
	b := denorm.NewMemoryBackend()
	startRun(t, denorm.NewSyncer(own, b, blogPosts{}).With(
		denorm.WithBatchSize(5),
		denorm.WithPollInterval(20*time.Millisecond),
		denorm.WithBackoff(5*time.Millisecond, 50*time.Millisecond),
		denorm.WithLogger(slog.New(slog.DiscardHandler)),
	))

	var killed int
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Go(func() {
		writer := newBlogWriter(pool, 1)
		for range 600 {
			if err := writer.write(ctx); err != nil {
				t.Errorf("write: %v", err)
				break
			}
		}
		close(done)
	})
	for stop := false; !stop; {
		select {
		case <-done:
			stop = true
		case <-time.After(30 * time.Millisecond):
		}
		var n int
		err := pool.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND application_name = 'denorm_syncer'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		killed += n
	}
	wg.Wait()
	if killed == 0 {
		t.Fatal("no syncer connection was killed; the test proves nothing")
	}
	waitFor(t, "the syncer to empty the outbox", func() bool { return blogOutboxChanges(t, pool) == 0 })
	blogCheck(t, pool, b)
	t.Logf("killed %d connections", killed)
}
