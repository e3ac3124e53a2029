package denorm_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/prometheus/client_golang/prometheus"
)

// TestRedisOutageLosesNothing kills the Redis server in the middle of
// random writes and restarts it: the changes made meanwhile wait in the
// outbox, and once the server is back every document is exact.
func TestRedisOutageLosesNothing(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 20)
	server := newRedisServer(t)
	server.start()
	b := server.backend()
	reg := prometheus.NewRegistry()
	s := denorm.NewSyncer(pool, b, blogPosts{}).With(
		denorm.WithBatchSize(10),
		denorm.WithPollInterval(20*time.Millisecond),
		denorm.WithBackoff(10*time.Millisecond, 200*time.Millisecond),
		denorm.WithRegistry(reg),
		denorm.WithLogger(blogLogger(t)),
	)
	backendErrors := func() float64 {
		return gatherValue(t, reg, "denorm_backend_errors_total")
	}
	startRun(t, s)

	// The writers go on until told to stop, so that every phase (before,
	// during and after the outage) has writes however fast they are.
	var written atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			writer := newBlogWriter(pool, uint64(w+1))
			for !stop.Load() {
				if err := writer.write(ctx); err != nil {
					t.Errorf("write: %v", err)
					return
				}
				written.Add(1)
			}
		})
	}
	more := func(what string, n int64) {
		t.Helper()
		before := written.Load()
		waitFor(t, what, func() bool { return written.Load() >= before+n })
	}
	more("the first writes", 200)
	server.kill()
	waitFor(t, "the syncer to notice the outage", func() bool { return backendErrors() > 0 })
	more("writes during the outage", 100)
	if n := blogOutboxChanges(t, pool); n == 0 {
		t.Errorf("outbox is empty while Redis is down: changes were dropped")
	}
	server.start()
	more("writes after the outage", 200)
	stop.Store(true)
	wg.Wait()
	waitFor(t, "the syncer to empty the outbox", func() bool { return blogOutboxChanges(t, pool) == 0 })
	blogCheck(t, pool, b)
}

// TestChangesWaitForEveryBackend writes to memory and to a Redis server that
// is down: the memory backend has the documents, but the changes stay in the
// outbox until Redis has them too.
func TestChangesWaitForEveryBackend(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 5)
	changes := blogOutboxChanges(t, pool)
	server := newRedisServer(t)
	mem, rdb := denorm.NewMemoryBackend(), server.backend()
	s := denorm.NewSyncer(pool, mem, blogPosts{}).With(denorm.WithBackends(rdb))

	st, err := s.Drain(ctx)
	if err == nil {
		t.Fatal("Drain succeeded with a backend down")
	}
	if st.Changes != 0 {
		t.Errorf("Drain reported %+v with a backend down, want nothing committed", st)
	}
	if n := blogOutboxChanges(t, pool); n != changes {
		t.Errorf("outbox has %d changes, want all %d kept while a backend is down", n, changes)
	}
	blogCheck(t, pool, mem)

	// Run keeps retrying, and stops cleanly when told to, mid-outage.
	stop := startRun(t, s.With(denorm.WithBackoff(10*time.Millisecond, 50*time.Millisecond), denorm.WithLogger(blogLogger(t))))
	time.Sleep(100 * time.Millisecond) // let it fail a few times; any amount will do
	stop()
	if n := blogOutboxChanges(t, pool); n != changes {
		t.Errorf("outbox has %d changes after Run stopped mid-outage, want all %d", n, changes)
	}

	server.start()
	st, err = s.Drain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Changes != changes {
		t.Errorf("Drain after the outage processed %d changes, want %d", st.Changes, changes)
	}
	blogCheck(t, pool, mem)
	blogCheck(t, pool, rdb)
}
