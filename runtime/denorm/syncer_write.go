package denorm

import (
	"context"
	"fmt"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"
)

// rebuild builds the roots keys of col in tx, chunk by chunk, and writes the
// result to every backend at version: built documents are put, roots Build
// did not return (they no longer exist) are deleted.
func (s *Syncer) rebuild(ctx context.Context, tx DB, version int64, col Collection, keys []string, st *Stats) error {
	name := col.Name()
	keys = slices.DeleteFunc(keys, func(k string) bool {
		if k == "" {
			// No backend can store an empty key; refusing the whole batch
			// over it would block every other change forever.
			s.log.Error("denorm: skipping a root with an empty key", "collection", name)
			return true
		}
		return false
	})
	for chunk := range slices.Chunk(keys, s.batchSize) {
		start := time.Now()
		built, err := col.Build(ctx, tx, chunk)
		s.metrics.built(name, time.Since(start))
		if err != nil {
			return fmt.Errorf("collection %q: build %d documents: %w", name, len(chunk), err)
		}
		if err := s.store(ctx, col, version, chunk, built, st); err != nil {
			return err
		}
	}
	return nil
}

// store writes the documents of keys that were built, and deletes those of
// the keys that were not (their roots are gone), at version.
func (s *Syncer) store(ctx context.Context, col Collection, version int64, keys []string, built map[string][]byte, st *Stats) error {
	name := col.Name()
	docs := make([]Doc, 0, len(built))
	var gone []string
	for _, k := range keys {
		if j, ok := built[k]; ok {
			docs = append(docs, Doc{Key: k, Version: version, JSON: j})
		} else {
			gone = append(gone, k)
		}
	}
	refused, err := s.write(ctx, name, docs, gone, version)
	if err != nil {
		return err
	}
	st.refused(name, refused)
	st.Rebuilt += len(docs)
	st.Deleted += len(gone)
	s.metrics.wrote(name, len(docs), len(gone))
	return nil
}

// write puts docs into and deletes gone from every backend, all at once:
// the batch waits for the slowest backend, not for their sum. It returns the
// keys of documents some backend refused as too large: the caller puts them
// back in the outbox, so that they are retried rather than lost, without
// holding up every other change.
func (s *Syncer) write(ctx context.Context, collection string, docs []Doc, gone []string, version int64) ([]string, error) {
	refused := make([]map[string]bool, len(s.backends))
	g, gctx := errgroup.WithContext(ctx)
	for i := range s.backends {
		g.Go(func() (err error) {
			refused[i], err = s.writeTo(gctx, i, collection, docs, gone, version)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var keys []string
	for _, r := range refused {
		for k := range r {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys, nil
}

// writeTo writes to backend i and returns the keys of the documents it
// refused as too large (it stored the rest of the batch).
func (s *Syncer) writeTo(ctx context.Context, i int, collection string, docs []Doc, gone []string, version int64) (map[string]bool, error) {
	b := s.backends[i]
	var refused map[string]bool
	if len(docs) > 0 {
		if err := b.Put(ctx, collection, docs); err != nil {
			s.metrics.backendError(collection)
			if refused = tooLargeKeys(err); refused == nil {
				return nil, fmt.Errorf("backend %d (%T): put %d documents into %q: %w", i, b, len(docs), collection, err)
			}
			s.log.Error("denorm: documents too large for a backend; their changes stay in the outbox",
				"collection", collection, "backend", fmt.Sprintf("%d (%T)", i, b), "err", err)
		}
	}
	if len(gone) > 0 {
		if err := b.Delete(ctx, collection, gone, version); err != nil {
			s.metrics.backendError(collection)
			return nil, fmt.Errorf("backend %d (%T): delete %d documents from %q: %w", i, b, len(gone), collection, err)
		}
	}
	return refused, nil
}
