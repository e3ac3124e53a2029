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
		docs := make([]Doc, 0, len(built))
		var gone []string
		for _, k := range chunk {
			if j, ok := built[k]; ok {
				docs = append(docs, Doc{Key: k, Version: version, JSON: j})
			} else {
				gone = append(gone, k)
			}
		}
		if err := s.write(ctx, name, docs, gone, version); err != nil {
			return err
		}
		st.Rebuilt += len(docs)
		st.Deleted += len(gone)
		s.metrics.wrote(name, len(docs), len(gone))
	}
	return nil
}

// write puts docs into and deletes gone from every backend, all at once:
// the batch waits for the slowest backend, not for their sum.
func (s *Syncer) write(ctx context.Context, collection string, docs []Doc, gone []string, version int64) error {
	if len(s.backends) == 1 {
		return s.writeTo(ctx, 0, collection, docs, gone, version)
	}
	g, ctx := errgroup.WithContext(ctx)
	for i := range s.backends {
		g.Go(func() error { return s.writeTo(ctx, i, collection, docs, gone, version) })
	}
	return g.Wait()
}

// writeTo writes to backend i. Documents the backend can never store (too
// large) are logged and dropped rather than retried, so that they delay
// nothing else.
func (s *Syncer) writeTo(ctx context.Context, i int, collection string, docs []Doc, gone []string, version int64) error {
	b := s.backends[i]
	if len(docs) > 0 {
		if err := b.Put(ctx, collection, docs); err != nil {
			s.metrics.backendError(collection)
			if !tooLargeOnly(err) {
				return fmt.Errorf("backend %d (%T): put %d documents into %q: %w", i, b, len(docs), collection, err)
			}
			s.log.Error("denorm: documents too large for a backend were not stored",
				"collection", collection, "backend", fmt.Sprintf("%d (%T)", i, b), "err", err)
		}
	}
	if len(gone) > 0 {
		if err := b.Delete(ctx, collection, gone, version); err != nil {
			s.metrics.backendError(collection)
			return fmt.Errorf("backend %d (%T): delete %d documents from %q: %w", i, b, len(gone), collection, err)
		}
	}
	return nil
}

// tooLargeOnly reports whether every error in err's tree that is not a mere
// wrapper is a *TooLargeError: the backend stored the rest of the batch.
func tooLargeOnly(err error) bool {
	if _, ok := err.(*TooLargeError); ok {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		errs := u.Unwrap()
		for _, e := range errs {
			if !tooLargeOnly(e) {
				return false
			}
		}
		return len(errs) > 0
	case interface{ Unwrap() error }:
		if e := u.Unwrap(); e != nil {
			return tooLargeOnly(e)
		}
	}
	return false
}
