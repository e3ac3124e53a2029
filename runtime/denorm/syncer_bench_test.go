package denorm_test

import (
	"context"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/backend/redisbackend"
	"github.com/denormgen/denormgen/runtime/denorm"
)

func newBlogBench(b *testing.B, posts int) (*denorm.Syncer, denorm.DB) {
	b.Helper()
	pool := pgtest.New(b)
	blogExec(b, pool, blogSchema)
	blogExec(b, pool, blogInstallSQL(b))
	blogSeed(b, pool, posts)
	s := denorm.NewSyncer(pool, denorm.NewMemoryBackend(), blogPosts{})
	if _, err := s.Drain(context.Background()); err != nil {
		b.Fatal(err)
	}
	return s, pool
}

// BenchmarkDrain measures the syncer's throughput on a bulk UPDATE of 1000
// posts: claim, resolve, build in chunks, write, delete.
func BenchmarkDrain(b *testing.B) {
	ctx := context.Background()
	s, db := newBlogBench(b, 1000)
	var docs int
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		blogExec(b, db, `UPDATE post SET title = title || '.'`)
		b.StartTimer()
		st, err := s.Drain(ctx)
		if err != nil {
			b.Fatal(err)
		}
		docs += st.Rebuilt
	}
	b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkFullSync measures a full sync of 5000 posts into a backend that
// already holds them.
func BenchmarkFullSync(b *testing.B) {
	s, _ := newBlogBench(b, 5000)
	fullSyncs(b, s)
}

// fullSyncs runs full syncs of the posts for as long as b asks, and reports
// the documents rebuilt per second.
func fullSyncs(b *testing.B, s *denorm.Syncer) {
	var docs int
	for b.Loop() {
		st, err := s.FullSync(context.Background(), "posts")
		if err != nil {
			b.Fatal(err)
		}
		docs += st.Rebuilt
	}
	b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkFullSyncRedis measures a full sync of 20,000 posts in one pass
// (BuildAll) into Redis, where writing a chunk takes a while: the figure
// the overlap of loading and writing is for. It needs a Redis server on
// REDIS_ADDR (default 127.0.0.1:6379) and uses its database 15.
func BenchmarkFullSyncRedis(b *testing.B) {
	ctx := context.Background()
	addr := os.Getenv("REDIS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	c := redis.NewClient(&redis.Options{Addr: addr, DB: 15})
	if err := c.Ping(ctx).Err(); err != nil {
		b.Skipf("no Redis at %s: %v", addr, err)
	}
	defer c.Close()
	backend, err := redisbackend.New(c)
	if err != nil {
		b.Fatal(err)
	}
	pool := pgtest.New(b)
	blogExec(b, pool, blogSchema)
	blogExec(b, pool, blogInstallSQL(b))
	blogSeed(b, pool, 20000)
	s := denorm.NewSyncer(pool, backend, blogPostsAll{})
	if _, err := s.Drain(ctx); err != nil {
		b.Fatal(err)
	}
	fullSyncs(b, s)
	if err := c.FlushDB(ctx).Err(); err != nil {
		b.Fatal(err)
	}
}
