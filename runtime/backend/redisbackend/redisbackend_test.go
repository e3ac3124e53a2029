package redisbackend

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/denormgen/denormgen/runtime/backendtest"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/redis/go-redis/v9"
)

// testClient connects to REDIS_URL (default the local server) and deletes
// every key under the returned prefix when t ends.
func testClient(t testing.TB) (*redis.Client, string) {
	t.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("REDIS_URL: %v", err)
	}
	client := redis.NewClient(opts)
	ctx := context.Background()
	if err := client.Ping(ctx).Err(); err != nil {
		t.Fatalf("redis at %s: %v (is Redis running?)", url, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	prefix := "denormtest:" + hex.EncodeToString(b[:]) + ":"
	t.Cleanup(func() {
		defer client.Close()
		iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		var batch []string
		for iter.Next(ctx) {
			batch = append(batch, iter.Val())
			if len(batch) == 1000 {
				client.Unlink(ctx, batch...)
				batch = batch[:0]
			}
		}
		if len(batch) > 0 {
			client.Unlink(ctx, batch...)
		}
		if err := iter.Err(); err != nil {
			t.Errorf("clean up %s*: %v", prefix, err)
		}
	})
	return client, prefix
}

func newTestBackend(t testing.TB, opts ...Option) (*Backend, *redis.Client) {
	client, prefix := testClient(t)
	b, err := New(client, append([]Option{WithPrefix(prefix)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return b, client
}

func TestConformance(t *testing.T) {
	backendtest.RunWithOptions(t, backendtest.Options{MaxDocSize: 1 << 20}, func(t *testing.T) denorm.Backend {
		b, _ := newTestBackend(t, WithMaxDocSize(1<<20), WithPageSize(300))
		return b
	})
}

func TestConformanceDefaults(t *testing.T) {
	backendtest.RunWithOptions(t, backendtest.Options{ManyKeys: -1}, func(t *testing.T) denorm.Backend {
		b, _ := newTestBackend(t)
		return b
	})
}

func TestTombstoneTTL(t *testing.T) {
	ctx := context.Background()
	b, client := newTestBackend(t, WithTombstoneTTL(time.Hour))
	doc := denorm.Doc{Key: "k", Version: 1, JSON: []byte(`{}`)}
	if err := b.Put(ctx, "c", []denorm.Doc{doc}); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(ctx, "c", []string{"k"}, 2); err != nil {
		t.Fatal(err)
	}
	if ttl := client.PTTL(ctx, b.docKey("c", "k")).Val(); ttl <= 0 || ttl > time.Hour {
		t.Errorf("tombstone TTL %v, want within an hour", ttl)
	}
	// A live document never expires, even where a tombstone was.
	doc.Version = 3
	if err := b.Put(ctx, "c", []denorm.Doc{doc}); err != nil {
		t.Fatal(err)
	}
	if ttl := client.PTTL(ctx, b.docKey("c", "k")).Val(); ttl != -1 {
		t.Errorf("document TTL %v after a put over a tombstone, want none (-1)", ttl)
	}

	// Without the option tombstones stay.
	keep, client2 := newTestBackend(t)
	if err := keep.Delete(ctx, "c", []string{"k"}, 2); err != nil {
		t.Fatal(err)
	}
	if ttl := client2.PTTL(ctx, keep.docKey("c", "k")).Val(); ttl != -1 {
		t.Errorf("tombstone TTL %v by default, want none (-1)", ttl)
	}
}

func TestVersionEncodingOrder(t *testing.T) {
	vs := []int64{-1 << 63, -5, -1, 0, 1, 2, 1<<53 + 1, 1<<62 + 7, 1<<63 - 1}
	for i, v := range vs {
		got, err := decodeVersion(encodeVersion(v))
		if err != nil || got != v {
			t.Errorf("decode(encode(%d)) = %d, %v", v, got, err)
		}
		if i > 0 && encodeVersion(vs[i-1]) >= encodeVersion(v) {
			t.Errorf("encode(%d) = %s does not sort before encode(%d) = %s", vs[i-1], encodeVersion(vs[i-1]), v, encodeVersion(v))
		}
	}
	if _, err := decodeVersion("12"); err == nil {
		t.Error("decodeVersion accepted a short version")
	}
}

// TestNegativeVersions checks the Lua comparison, not just the Go encoding.
func TestNegativeVersions(t *testing.T) {
	ctx := context.Background()
	b, _ := newTestBackend(t)
	for _, v := range []int64{-10, 5, -3, 1<<53 + 1, 1 << 53} {
		if err := b.Put(ctx, "c", []denorm.Doc{{Key: "k", Version: v, JSON: []byte(`{}`)}}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := b.Get(ctx, "c", []string{"k"})
	if err != nil {
		t.Fatal(err)
	}
	if got["k"].Version != 1<<53+1 {
		t.Errorf("version %d, want %d", got["k"].Version, int64(1<<53+1))
	}
}

func TestCollectionWithBraces(t *testing.T) {
	b, _ := newTestBackend(t)
	err := b.Put(context.Background(), "a}b", []denorm.Doc{{Key: "k", Version: 1, JSON: []byte(`{}`)}})
	if !errors.Is(err, denorm.ErrInvalidKey) {
		t.Fatalf("got %v, want denorm.ErrInvalidKey", err)
	}
}

func TestNewBadOptions(t *testing.T) {
	client, _ := testClient(t)
	if _, err := New(client, WithPageSize(0)); err == nil {
		t.Error("New with page size 0: no error")
	}
	if _, err := New(client, WithPrefix("app{1}:")); err == nil {
		t.Error("New with braces in the prefix: no error")
	}
	if _, err := New(nil); err == nil {
		t.Error("New(nil): no error")
	}
}

func BenchmarkBackend(b *testing.B) {
	backendtest.Bench(b, func(tb testing.TB) denorm.Backend {
		be, _ := newTestBackend(tb)
		return be
	})
}
