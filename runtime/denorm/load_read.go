package denorm

import (
	"context"
	"encoding/json"
	"fmt"
)

// A DocSource hands out stored documents of one collection by key: a *Cache
// (read-through: misses are built from PostgreSQL and stored), or a
// backend's collection through FromBackend (stored documents only). The
// generated ReadX functions decode what it returns into typed documents.
type DocSource interface {
	Get(ctx context.Context, keys []string) (map[string]Doc, error)
}

// FromBackend is the DocSource of collection in b.
func FromBackend(b Backend, collection string) DocSource {
	return backendSource{b, collection}
}

type backendSource struct {
	b          Backend
	collection string
}

func (s backendSource) Get(ctx context.Context, keys []string) (map[string]Doc, error) {
	return s.b.Get(ctx, s.collection, keys)
}

// Read gets keys from src and decodes each document found into a new D, by
// key; keys without a document are absent.
func Read[D any](ctx context.Context, src DocSource, keys []string) (map[string]*D, error) {
	docs, err := src.Get(ctx, keys)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*D, len(docs))
	for key, doc := range docs {
		d := new(D)
		if err := json.Unmarshal(doc.JSON, d); err != nil {
			return nil, fmt.Errorf("decode document %s: %w", key, err)
		}
		out[key] = d
	}
	return out, nil
}
