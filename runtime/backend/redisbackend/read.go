package redisbackend

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/redis/go-redis/v9"
)

// getPipeline bounds how many HMGETs one round trip carries.
const getPipeline = 1000

// Get returns the live documents among keys, reading them in pipelined
// round trips.
func (b *Backend) Get(ctx context.Context, collection string, keys []string) (map[string]denorm.Doc, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("redisbackend get: %w", err)
	}
	if err := errors.Join(denorm.CheckKeys(collection, keys), checkCollection(collection)); err != nil {
		return nil, fmt.Errorf("redisbackend get: %w", err)
	}
	out := make(map[string]denorm.Doc, len(keys))
	for start := 0; start < len(keys); start += getPipeline {
		chunk := keys[start:min(start+getPipeline, len(keys))]
		pipe := b.client.Pipeline()
		cmds := make([]*redis.SliceCmd, len(chunk))
		for i, k := range chunk {
			cmds[i] = pipe.HMGet(ctx, b.docKey(collection, k), "v", "d")
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return nil, fmt.Errorf("redisbackend get: collection %q: %w", collection, err)
		}
		for i, cmd := range cmds {
			vals := cmd.Val()
			v, okV := vals[0].(string)
			d, okD := vals[1].(string)
			if !okV || !okD {
				continue // never written, or a tombstone
			}
			version, err := decodeVersion(v)
			if err != nil {
				return nil, fmt.Errorf("redisbackend get: collection %q, key %q: %w", collection, chunk[i], err)
			}
			out[chunk[i]] = denorm.Doc{Key: chunk[i], Version: version, JSON: []byte(d)}
		}
	}
	return out, nil
}

// Keys lists live keys in byte order from the collection's index, one
// ZRANGE BYLEX page at a time, so that neither side holds them all.
func (b *Backend) Keys(ctx context.Context, collection string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		if err := errors.Join(denorm.CheckKeys(collection, nil), checkCollection(collection)); err != nil {
			yield("", fmt.Errorf("redisbackend keys: %w", err))
			return
		}
		start := "-"
		for {
			if err := ctx.Err(); err != nil {
				yield("", fmt.Errorf("redisbackend keys: %w", err))
				return
			}
			page, err := b.client.ZRangeArgs(ctx, redis.ZRangeArgs{
				Key: b.indexKey(collection), Start: start, Stop: "+", ByLex: true, Count: int64(b.pageSize),
			}).Result()
			if err != nil {
				yield("", fmt.Errorf("redisbackend keys: collection %q: %w", collection, err))
				return
			}
			for _, k := range page {
				if !yield(k, nil) {
					return
				}
			}
			if len(page) < b.pageSize {
				return
			}
			start = "(" + page[len(page)-1]
		}
	}
}
