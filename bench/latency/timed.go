package latency

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// timedCollection times Build, which runs as a pgx batch that the query
// tracer does not see.
type timedCollection struct {
	denorm.Collection
	prof *profile
}

func (c timedCollection) Build(ctx context.Context, db denorm.DB, keys []string) (map[string][]byte, error) {
	start := time.Now()
	docs, err := c.Collection.Build(ctx, db, keys)
	c.prof.add(phaseBuild, time.Since(start))
	return docs, err
}

// timedBackend times the Syncer's writes to the real backend and, while
// tracking is on, remembers when the last put of each key started.
type timedBackend struct {
	denorm.Backend
	prof *profile

	track   atomic.Bool
	mu      sync.Mutex
	putAt   map[string]time.Time
	lastPut atomic.Int64 // unix nanoseconds of the last Put's return
}

func newTimedBackend(b denorm.Backend, prof *profile) *timedBackend {
	return &timedBackend{Backend: b, prof: prof, putAt: map[string]time.Time{}}
}

func (b *timedBackend) Put(ctx context.Context, collection string, docs []denorm.Doc) error {
	start := time.Now()
	// The put's start, not its return: a reader can see the documents before
	// the reply reaches the Syncer, never before the request leaves it.
	if b.track.Load() {
		b.mu.Lock()
		for _, d := range docs {
			b.putAt[d.Key] = start
		}
		b.mu.Unlock()
	}
	err := b.Backend.Put(ctx, collection, docs)
	end := time.Now()
	b.prof.add(phasePut, end.Sub(start))
	b.lastPut.Store(end.UnixNano())
	return err
}

func (b *timedBackend) Delete(ctx context.Context, collection string, keys []string, version int64) error {
	start := time.Now()
	err := b.Backend.Delete(ctx, collection, keys, version)
	b.prof.add(phasePut, time.Since(start))
	return err
}

// trackKeys turns per-key put times on or off and forgets those recorded.
// The fan-out runs with it off: a map entry per document would make the
// measured heap grow with the fan-out for a reason of our own.
func (b *timedBackend) trackKeys(on bool) {
	b.mu.Lock()
	b.putAt = map[string]time.Time{}
	b.mu.Unlock()
	b.track.Store(on)
}

// putTime returns when the last put of key started.
func (b *timedBackend) putTime(key string) (time.Time, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	t, ok := b.putAt[key]
	return t, ok
}
