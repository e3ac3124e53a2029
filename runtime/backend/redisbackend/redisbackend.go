// Package redisbackend stores denormgen documents in Redis.
//
// Layout, under a key prefix (default "denorm:"):
//
//	<prefix>{<collection>}:d:<key>   hash: v = version, d = JSON (no d: tombstone)
//	<prefix>{<collection>}:keys      sorted set of live keys, all scored 0
//
// Each batch of writes runs as one Lua script, which makes the version guard
// atomic: a document never replaces a higher version, whatever the
// concurrency. The {collection} hash tag keeps a collection's keys in one
// Redis Cluster slot, which scripts touching several keys require; the price
// is that a collection cannot spread over several cluster nodes.
//
// Versions are stored as 20-digit strings that sort like the int64s they
// encode, because Lua numbers are doubles and lose precision above 2^53.
package redisbackend

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/redis/go-redis/v9"
)

// DefaultMaxDocSize is Redis's own limit on a string value.
const DefaultMaxDocSize = 512 << 20

// A Backend is a denorm.Backend on Redis (a single node, Sentinel or
// Cluster). It is safe for concurrent use.
type Backend struct {
	client       redis.UniversalClient
	prefix       string
	tombstoneTTL time.Duration
	maxSize      int
	pageSize     int
	batch        batchLimits
}

// batchLimits split large writes into several script runs: a script blocks
// the server while it runs.
type batchLimits struct {
	docs  int
	bytes int
}

// An Option configures a Backend.
type Option func(*Backend)

// WithPrefix puts every key under prefix instead of "denorm:". The prefix
// may not contain braces.
func WithPrefix(prefix string) Option {
	return func(b *Backend) { b.prefix = prefix }
}

// WithTombstoneTTL lets Redis expire tombstones after d instead of keeping
// them. Past d, a late write built before the delete can bring a deleted
// document back, so d should exceed the longest a build can take.
func WithTombstoneTTL(d time.Duration) Option {
	return func(b *Backend) { b.tombstoneTTL = d }
}

// WithMaxDocSize makes Put refuse documents over n bytes of JSON with a
// denorm.TooLargeError (default DefaultMaxDocSize).
func WithMaxDocSize(n int) Option {
	return func(b *Backend) { b.maxSize = n }
}

// WithPageSize sets how many keys each ZRANGE behind Keys reads (default 1000).
func WithPageSize(n int) Option {
	return func(b *Backend) { b.pageSize = n }
}

// New returns a backend on client.
func New(client redis.UniversalClient, opts ...Option) (*Backend, error) {
	b := &Backend{
		client:   client,
		prefix:   "denorm:",
		maxSize:  DefaultMaxDocSize,
		pageSize: 1000,
		batch:    batchLimits{docs: 500, bytes: 8 << 20},
	}
	for _, o := range opts {
		o(b)
	}
	if client == nil {
		return nil, errors.New("redisbackend: nil client")
	}
	if strings.ContainsAny(b.prefix, "{}") {
		return nil, fmt.Errorf("redisbackend: prefix %q: braces would take over the collection's hash tag", b.prefix)
	}
	if b.pageSize <= 0 || b.tombstoneTTL < 0 {
		return nil, fmt.Errorf("redisbackend: page size %d and tombstone TTL %v must be positive", b.pageSize, b.tombstoneTTL)
	}
	return b, nil
}

// checkCollection refuses names that would break out of the hash tag.
func checkCollection(collection string) error {
	if strings.ContainsAny(collection, "{}") {
		return fmt.Errorf("collection %q: braces are not allowed in Redis collection names: %w", collection, denorm.ErrInvalidKey)
	}
	return nil
}

func (b *Backend) collectionKey(collection string) string {
	return b.prefix + "{" + collection + "}"
}

func (b *Backend) docKey(collection, key string) string {
	return b.collectionKey(collection) + ":d:" + key
}

func (b *Backend) indexKey(collection string) string {
	return b.collectionKey(collection) + ":keys"
}

// encodeVersion maps int64 order onto the byte order of fixed-width decimals.
func encodeVersion(v int64) string {
	return fmt.Sprintf("%020d", uint64(v)^(1<<63))
}

func decodeVersion(s string) (int64, error) {
	u, err := strconv.ParseUint(s, 10, 64)
	if err != nil || len(s) != 20 {
		return 0, fmt.Errorf("malformed version %q", s)
	}
	return int64(u ^ (1 << 63)), nil
}

var _ denorm.Backend = (*Backend)(nil)
