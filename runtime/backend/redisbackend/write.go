package redisbackend

import (
	"context"
	"errors"
	"fmt"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// Put stores docs, each unless a higher version (document or tombstone) is
// stored; within a batch they apply in order. A batch runs as one or more
// scripts of bounded size, each atomic. Documents over the size limit are
// deleted at their version instead and reported with a denorm.TooLargeError.
func (b *Backend) Put(ctx context.Context, collection string, docs []denorm.Doc) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("redisbackend put: %w", err)
	}
	if err := errors.Join(denorm.CheckDocs(collection, docs), checkCollection(collection)); err != nil {
		return fmt.Errorf("redisbackend put: %w", err)
	}
	docs, over, tooLarge := denorm.SplitTooLarge(collection, docs, b.maxSize)
	for _, d := range over {
		if err := b.Delete(ctx, collection, []string{d.Key}, d.Version); err != nil {
			return errors.Join(fmt.Errorf("redisbackend put: delete oversized: %w", err), tooLarge)
		}
	}
	for len(docs) > 0 {
		n, size := 0, 0
		for n < len(docs) && n < b.batch.docs && (n == 0 || size+len(docs[n].JSON) <= b.batch.bytes) {
			size += len(docs[n].JSON)
			n++
		}
		keys := make([]string, 0, n+1)
		args := make([]any, 0, 3*n)
		keys = append(keys, b.indexKey(collection))
		for _, d := range docs[:n] {
			keys = append(keys, b.docKey(collection, d.Key))
			args = append(args, encodeVersion(d.Version), d.JSON, d.Key)
		}
		if err := putScript.Run(ctx, b.client, keys, args...).Err(); err != nil {
			return errors.Join(fmt.Errorf("redisbackend put: collection %q, %d documents from %q: %w", collection, n, docs[0].Key, err), tooLarge)
		}
		docs = docs[n:]
	}
	return tooLarge
}

// Delete leaves tombstones at version for keys whose stored version is not
// higher, expiring after the tombstone TTL if one is set.
func (b *Backend) Delete(ctx context.Context, collection string, keys []string, version int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("redisbackend delete: %w", err)
	}
	if err := errors.Join(denorm.CheckKeys(collection, keys), checkCollection(collection)); err != nil {
		return fmt.Errorf("redisbackend delete: %w", err)
	}
	ttl := b.tombstoneTTL.Milliseconds()
	if b.tombstoneTTL > 0 {
		ttl = max(ttl, 1)
	}
	for start := 0; start < len(keys); start += b.batch.docs {
		chunk := keys[start:min(start+b.batch.docs, len(keys))]
		rkeys := make([]string, 0, len(chunk)+1)
		args := make([]any, 0, len(chunk)+2)
		rkeys = append(rkeys, b.indexKey(collection))
		args = append(args, encodeVersion(version), ttl)
		for _, k := range chunk {
			rkeys = append(rkeys, b.docKey(collection, k))
			args = append(args, k)
		}
		if err := deleteScript.Run(ctx, b.client, rkeys, args...).Err(); err != nil {
			return fmt.Errorf("redisbackend delete: collection %q, %d keys from %q: %w", collection, len(chunk), chunk[0], err)
		}
	}
	return nil
}
