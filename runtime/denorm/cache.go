package denorm

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A Cache reads one collection's documents through a backend: documents the
// backend lacks are built from PostgreSQL, stored, and returned. It is the
// cache mode of the runtime; a Syncer keeps what it stored fresh.
//
// Concurrent Gets missing the same key share one build. A fill cannot leave
// a stale document behind: its documents carry the version of the snapshot
// they were built in, so if a newer document or deletion reached the backend
// meanwhile (a Syncer reacting to a write after that snapshot), the backend
// refuses the fill, and Get returns what the backend holds instead. Documents
// the backend refuses as too large are returned all the same, built anew on
// every Get.
type Cache struct {
	pool    *pgxpool.Pool
	backend Backend
	col     Collection

	mu    sync.Mutex
	fills map[string]*cacheFill // by key, while being built

	// Test hooks: afterBuild runs between a fill's build and its Put;
	// joined runs when a Get waits for another Get's fill of key.
	afterBuild func(keys []string, version int64)
	joined     func(key string)
}

// A cacheFill is the pending result for one key; done closes when doc, ok
// and err are set.
type cacheFill struct {
	done chan struct{}
	doc  Doc
	ok   bool
	err  error
}

// NewCache returns a read-through cache of collection c in backend b, building
// missing documents with pool.
func NewCache(pool *pgxpool.Pool, b Backend, c Collection) *Cache {
	return &Cache{pool: pool, backend: b, col: c, fills: make(map[string]*cacheFill)}
}

// Get returns the documents of keys whose roots exist, building the missing
// ones in one batch. Keys without a root are looked up in PostgreSQL on every
// Get: the cache stores nothing for them. If ctx ends during a build, Get
// returns ctx's error but the build goes on for the other Gets waiting on it.
func (c *Cache) Get(ctx context.Context, keys []string) (map[string]Doc, error) {
	if c.pool == nil || c.backend == nil || c.col == nil {
		return nil, errors.New("cache get: the cache needs a pool, a backend and a collection (use NewCache)")
	}
	name := c.col.Name()
	if err := CheckKeys(name, keys); err != nil {
		return nil, fmt.Errorf("cache get: %w", err)
	}
	docs, err := c.backend.Get(ctx, name, keys)
	if err != nil {
		return nil, fmt.Errorf("cache get: collection %q: %w", name, err)
	}
	var missing []string
	for _, k := range keys {
		if _, ok := docs[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return docs, nil
	}
	missing = slices.Compact(slices.Sorted(slices.Values(missing)))

	waits, own := c.join(missing)
	if len(own) > 0 {
		go c.fill(context.WithoutCancel(ctx), own)
	}
	for _, k := range missing {
		f := waits[k]
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, fmt.Errorf("cache get: collection %q: %w", name, ctx.Err())
		}
		if f.err != nil {
			return nil, fmt.Errorf("cache get: collection %q: %w", name, f.err)
		}
		if f.ok {
			docs[k] = f.doc
		}
	}
	return docs, nil
}

// join returns the fill of each key, registering new ones for the keys
// nobody is filling yet (own: the caller must fill them).
func (c *Cache) join(keys []string) (waits map[string]*cacheFill, own map[string]*cacheFill) {
	waits = make(map[string]*cacheFill, len(keys))
	own = make(map[string]*cacheFill)
	var joined []string
	c.mu.Lock()
	if c.fills == nil {
		c.fills = make(map[string]*cacheFill)
	}
	for _, k := range keys {
		f, ok := c.fills[k]
		if ok {
			joined = append(joined, k)
		} else {
			f = &cacheFill{done: make(chan struct{})}
			c.fills[k] = f
			own[k] = f
		}
		waits[k] = f
	}
	c.mu.Unlock()
	if c.joined != nil {
		for _, k := range joined {
			c.joined(k)
		}
	}
	return waits, own
}

// fill builds and stores the documents of fills' keys, then settles fills.
func (c *Cache) fill(ctx context.Context, fills map[string]*cacheFill) {
	keys := slices.Sorted(maps.Keys(fills))
	docs, err := c.buildAndStore(ctx, keys)
	c.mu.Lock()
	for k, f := range fills {
		f.doc, f.ok = docs[k]
		f.err = err
		delete(c.fills, k)
	}
	c.mu.Unlock()
	for _, f := range fills {
		close(f.done)
	}
}

func (c *Cache) buildAndStore(ctx context.Context, keys []string) (map[string]Doc, error) {
	name := c.col.Name()
	built, version, err := c.build(ctx, keys)
	if err != nil {
		return nil, err
	}
	if c.afterBuild != nil {
		c.afterBuild(keys, version)
	}
	docs := make([]Doc, 0, len(built))
	for _, k := range keys {
		if js, ok := built[k]; ok {
			docs = append(docs, Doc{Key: k, Version: version, JSON: js})
		}
	}
	var tooLarge map[string]bool
	if err := c.backend.Put(ctx, name, docs); err != nil {
		// Documents too large for the backend are still right: return
		// them, uncached.
		if tooLarge = tooLargeKeys(err); tooLarge == nil {
			return nil, fmt.Errorf("fill: %w", err)
		}
	}
	// The Put skipped documents a newer write overtook; only a re-read
	// tells which, and what the newer state is.
	stored, err := c.backend.Get(ctx, name, keys)
	if err != nil {
		return nil, fmt.Errorf("fill: re-read: %w", err)
	}
	out := make(map[string]Doc, len(keys))
	for _, d := range docs {
		out[d.Key] = d
	}
	for _, k := range keys {
		s, isStored := stored[k]
		_, isBuilt := out[k]
		switch {
		case isStored && s.Version >= version:
			out[k] = s // ours, or a newer one that overtook it
		case isBuilt && !isStored && !tooLarge[k]:
			delete(out, k) // a newer deletion overtook it
		}
	}
	return out, nil
}

// build renders keys in a fresh snapshot and returns that snapshot's version.
func (c *Cache) build(ctx context.Context, keys []string) (map[string][]byte, int64, error) {
	tx, err := c.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, 0, fmt.Errorf("fill: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	version, err := SnapshotVersion(ctx, tx)
	if err != nil {
		return nil, 0, fmt.Errorf("fill: %w", err)
	}
	built, err := c.col.Build(ctx, tx, keys)
	if err != nil {
		return nil, 0, fmt.Errorf("fill: build %d keys from %q: %w", len(keys), keys[0], err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, 0, fmt.Errorf("fill: commit: %w", err)
	}
	return built, version, nil
}
