package denorm

import (
	"context"
	"fmt"
	"hash/maphash"
	"iter"
	"slices"
	"sync"
)

// memoryShards spreads keys over independent locks so that concurrent writers
// of different keys rarely wait for each other.
const memoryShards = 32

// memorySeed is shared by all MemoryBackends so that their zero value works.
var memorySeed = maphash.MakeSeed()

// A MemoryBackend keeps documents in process memory: the embedded default,
// and the backend of tests. It is safe for concurrent use; the zero value is
// an empty backend without a size limit.
type MemoryBackend struct {
	maxSize int
	shards  [memoryShards]memoryShard
}

type memoryShard struct {
	mu   sync.RWMutex
	cols map[string]map[string]memoryEntry
}

// A memoryEntry with nil json is a tombstone.
type memoryEntry struct {
	version int64
	json    []byte
}

// A MemoryOption configures a MemoryBackend.
type MemoryOption func(*MemoryBackend)

// WithMemoryMaxDocSize makes Put refuse documents over n bytes with a
// TooLargeError. The default is no limit.
func WithMemoryMaxDocSize(n int) MemoryOption {
	return func(b *MemoryBackend) { b.maxSize = n }
}

// NewMemoryBackend returns an empty in-memory backend.
func NewMemoryBackend(opts ...MemoryOption) *MemoryBackend {
	b := &MemoryBackend{}
	for _, o := range opts {
		o(b)
	}
	return b
}

func (b *MemoryBackend) shard(collection, key string) *memoryShard {
	var h maphash.Hash
	h.SetSeed(memorySeed)
	h.WriteString(collection)
	h.WriteByte(0) // so that ("a", "bc") and ("ab", "c") differ: keys hold no NUL
	h.WriteString(key)
	return &b.shards[h.Sum64()%memoryShards]
}

// Get returns copies of the live documents among keys.
func (b *MemoryBackend) Get(ctx context.Context, collection string, keys []string) (map[string]Doc, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memory get: %w", err)
	}
	if err := CheckKeys(collection, keys); err != nil {
		return nil, fmt.Errorf("memory get: %w", err)
	}
	out := make(map[string]Doc, len(keys))
	for _, k := range keys {
		s := b.shard(collection, k)
		s.mu.RLock()
		e, ok := s.cols[collection][k]
		s.mu.RUnlock()
		if ok && e.json != nil {
			out[k] = Doc{Key: k, Version: e.version, JSON: slices.Clone(e.json)}
		}
	}
	return out, nil
}

// Put stores copies of docs, each unless a higher version is stored. Within
// the batch, docs apply in order. Documents over the size limit are deleted
// at their version instead and reported with a TooLargeError.
func (b *MemoryBackend) Put(ctx context.Context, collection string, docs []Doc) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memory put: %w", err)
	}
	if err := CheckDocs(collection, docs); err != nil {
		return fmt.Errorf("memory put: %w", err)
	}
	docs, over, tooLarge := SplitTooLarge(collection, docs, b.maxSize)
	for _, d := range over {
		b.write(collection, d.Key, memoryEntry{version: d.Version})
	}
	for _, d := range docs {
		// A nil JSON would read as a tombstone.
		json := slices.Clip(append([]byte{}, d.JSON...))
		b.write(collection, d.Key, memoryEntry{version: d.Version, json: json})
	}
	return tooLarge
}

// Delete leaves a tombstone at version for each key whose stored version is
// not higher.
func (b *MemoryBackend) Delete(ctx context.Context, collection string, keys []string, version int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memory delete: %w", err)
	}
	if err := CheckKeys(collection, keys); err != nil {
		return fmt.Errorf("memory delete: %w", err)
	}
	for _, k := range keys {
		b.write(collection, k, memoryEntry{version: version})
	}
	return nil
}

func (b *MemoryBackend) write(collection, key string, e memoryEntry) {
	s := b.shard(collection, key)
	s.mu.Lock()
	defer s.mu.Unlock()
	col := s.cols[collection]
	if col == nil {
		if s.cols == nil {
			s.cols = make(map[string]map[string]memoryEntry)
		}
		col = make(map[string]memoryEntry)
		s.cols[collection] = col
	}
	if old, ok := col[key]; ok && old.version > e.version {
		return
	}
	col[key] = e
}

// Keys lists the live keys in byte order. It lists the keys live when
// iteration starts, holding no lock while the caller's loop body runs, so the
// body may write to the backend.
func (b *MemoryBackend) Keys(ctx context.Context, collection string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		if err := CheckKeys(collection, nil); err != nil {
			yield("", fmt.Errorf("memory keys: %w", err))
			return
		}
		var keys []string
		for i := range b.shards {
			if err := ctx.Err(); err != nil {
				yield("", fmt.Errorf("memory keys: %w", err))
				return
			}
			s := &b.shards[i]
			s.mu.RLock()
			for k, e := range s.cols[collection] {
				if e.json != nil {
					keys = append(keys, k)
				}
			}
			s.mu.RUnlock()
		}
		slices.Sort(keys)
		for _, k := range keys {
			if err := ctx.Err(); err != nil {
				yield("", fmt.Errorf("memory keys: %w", err))
				return
			}
			if !yield(k, nil) {
				return
			}
		}
	}
}

var _ Backend = (*MemoryBackend)(nil)
