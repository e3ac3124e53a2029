package mongobackend

import (
	"context"
	"fmt"
	"iter"

	"github.com/denormgen/denormgen/runtime/denorm"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Get returns the live documents among keys.
func (b *Backend) Get(ctx context.Context, collection string, keys []string) (map[string]denorm.Doc, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("mongobackend get: %w", err)
	}
	if err := denorm.CheckKeys(collection, keys); err != nil {
		return nil, fmt.Errorf("mongobackend get: %w", err)
	}
	coll, err := b.collection(collection)
	if err != nil {
		return nil, fmt.Errorf("mongobackend get: %w", err)
	}
	out := make(map[string]denorm.Doc, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	cur, err := coll.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: keys}}}, {Key: "deleted", Value: false}})
	if err != nil {
		return nil, fmt.Errorf("mongobackend get: collection %q: %w", collection, err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var s stored
		if err := cur.Decode(&s); err != nil {
			return nil, fmt.Errorf("mongobackend get: collection %q: %w", collection, err)
		}
		js, err := toJSON(s.Doc)
		if err != nil {
			return nil, fmt.Errorf("mongobackend get: collection %q, document %q: %w", collection, s.Key, err)
		}
		out[s.Key] = denorm.Doc{Key: s.Key, Version: s.Version, JSON: js}
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("mongobackend get: collection %q: %w", collection, err)
	}
	return out, nil
}

// Keys lists live keys in _id order, one page per query (keyset
// pagination), so no server cursor outlives a page however slow the loop.
func (b *Backend) Keys(ctx context.Context, collection string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		coll, err := b.collection(collection)
		if err != nil {
			yield("", fmt.Errorf("mongobackend keys: %w", err))
			return
		}
		opts := options.Find().
			SetSort(bson.D{{Key: "_id", Value: 1}}).
			SetProjection(bson.D{{Key: "_id", Value: 1}}).
			SetLimit(int64(b.pageSize))
		after := ""
		for {
			if err := ctx.Err(); err != nil {
				yield("", fmt.Errorf("mongobackend keys: %w", err))
				return
			}
			cur, err := coll.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: after}}}, {Key: "deleted", Value: false}}, opts)
			if err != nil {
				yield("", fmt.Errorf("mongobackend keys: collection %q after %q: %w", collection, after, err))
				return
			}
			var page []struct {
				Key string `bson:"_id"`
			}
			if err := cur.All(ctx, &page); err != nil {
				yield("", fmt.Errorf("mongobackend keys: collection %q after %q: %w", collection, after, err))
				return
			}
			for _, p := range page {
				if !yield(p.Key, nil) {
					return
				}
			}
			if len(page) < b.pageSize {
				return
			}
			after = page[len(page)-1].Key
		}
	}
}
