package denorm

import (
	"context"
	"fmt"
	"golang.org/x/sync/errgroup"
	"maps"
	"slices"
	"time"
)

// FullSync rebuilds every document of the collection and deletes the backend
// documents whose root no longer exists. Each chunk of roots is built in its
// own snapshot, so writes go on meanwhile; changes it races are still in the
// outbox, and the result is exact once they are drained.
func (s *Syncer) FullSync(ctx context.Context, collection string) (Stats, error) {
	if s.err != nil {
		return Stats{}, s.err
	}
	col, err := s.collection(collection)
	if err != nil {
		return Stats{}, err
	}
	start := time.Now()
	var st Stats
	err = s.fullSync(ctx, col, &st)
	if err == nil {
		err = requeue(ctx, s.pool, &st, time.Now())
	}
	st.Duration = time.Since(start)
	if err != nil {
		return st, fmt.Errorf("denorm: %w", err)
	}
	return st, nil
}

func (s *Syncer) fullSync(ctx context.Context, col Collection, st *Stats) error {
	name := col.Name()
	total := s.estimate(ctx, col)
	// seen holds every live root key: the stale documents are exactly the
	// backend keys outside it. It costs memory in proportion to the
	// collection, which spares building every document a second time.
	seen := map[string]bool{}
	var err error
	if all, ok := col.(AllBuilder); ok {
		err = s.buildAll(ctx, all, col, total, seen, st)
	} else {
		err = s.buildByKeys(ctx, col, total, seen, st)
	}
	if err != nil {
		return err
	}
	for i, b := range s.backends {
		// Collect before deleting: a backend need not support writes while
		// its Keys iterator is open.
		var stale []string
		for k, err := range b.Keys(ctx, name) {
			if err != nil {
				return fmt.Errorf("collection %q: full sync: list keys of backend %d (%T): %w", name, i, b, err)
			}
			if !seen[k] {
				stale = append(stale, k)
			}
		}
		// A stale key may be a root created after the scan passed it, so
		// check each in a fresh snapshot: rebuild puts the ones that exist
		// and deletes the rest.
		for chunk := range slices.Chunk(stale, s.batchSize) {
			err := s.snapshot(ctx, func(tx *Snapshot, version int64) error {
				return s.rebuild(ctx, tx, version, col, chunk, st)
			})
			if err != nil {
				return err
			}
		}
	}
	st.FullSyncs++
	return nil
}

// estimate guesses the number of roots from the planner's statistics of the
// root table (the first of Tables), for progress reports only; 0 if unknown.
func (s *Syncer) estimate(ctx context.Context, col Collection) int {
	tables := col.Tables()
	if s.progress == nil || len(tables) == 0 {
		return 0
	}
	var n float64
	err := s.pool.QueryRow(ctx, `SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)`, tables[0]).Scan(&n)
	if err != nil || n < 0 {
		return 0
	}
	return int(n)
}

// fullSyncChunk is the roots per chunk of a full sync through BuildAll.
const fullSyncChunk = 4 * ChunkSize

// buildAll rebuilds every document in one snapshot, in one pass of the
// collection's BuildAll: generated collections then read each to-many
// relation of the root as one sorted stream. Writes committed meanwhile are
// in the outbox, with later versions. The next chunk loads while the
// backends take the last one: one more chunk in memory, and a full sync
// that takes about the longer of reading and writing rather than their
// sum.
func (s *Syncer) buildAll(ctx context.Context, all AllBuilder, col Collection, total int, seen map[string]bool, st *Stats) error {
	name := col.Name()
	return s.snapshot(ctx, func(snap *Snapshot, version int64) error {
		chunks := make(chan map[string][]byte)
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error {
			defer close(chunks)
			// Streams make a chunk cost a few round trips whatever its size:
			// build large ones, written a batch at a time.
			for built, err := range all.BuildAll(gctx, snap, max(s.batchSize, fullSyncChunk)) {
				if err != nil {
					return fmt.Errorf("collection %q: full sync: %w", name, err)
				}
				select {
				case chunks <- built:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
		g.Go(func() error { return s.storeChunks(gctx, col, version, chunks, total, seen, st) })
		return g.Wait()
	})
}

// storeChunks writes the chunks of a full sync as they come, a batch at a
// time, until there are no more.
func (s *Syncer) storeChunks(ctx context.Context, col Collection, version int64, chunks <-chan map[string][]byte, total int, seen map[string]bool, st *Stats) error {
	name := col.Name()
	for built := range chunks {
		keys := slices.Sorted(maps.Keys(built))
		for batch := range slices.Chunk(keys, s.batchSize) {
			if err := s.store(ctx, col, version, batch, built, st); err != nil {
				return err
			}
			for _, k := range batch {
				seen[k] = true
			}
			if s.progress != nil {
				s.progress(name, len(seen), max(total, len(seen)))
			}
		}
	}
	return nil
}

// buildByKeys rebuilds every document by keyset pagination over the root
// keys, each chunk in its own snapshot.
func (s *Syncer) buildByKeys(ctx context.Context, col Collection, total int, seen map[string]bool, st *Stats) error {
	name := col.Name()
	after := ""
	for {
		var keys []string
		err := s.snapshot(ctx, func(tx *Snapshot, version int64) error {
			var err error
			keys, err = col.ScanKeys(ctx, tx, after, s.batchSize)
			if err != nil {
				return fmt.Errorf("collection %q: full sync: scan keys after %q: %w", name, after, err)
			}
			return s.rebuild(ctx, tx, version, col, keys, st)
		})
		if err != nil {
			return err
		}
		if len(keys) == 0 {
			return nil
		}
		for _, k := range keys {
			seen[k] = true
		}
		after = keys[len(keys)-1]
		if s.progress != nil {
			s.progress(name, len(seen), max(total, len(seen)))
		}
	}
}
