package pgbackend

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// Put upserts docs, each unless a higher version (document or tombstone) is
// stored. A batch is written in chunks of bounded size, each atomic.
// Documents over the size limit are deleted at their version instead and
// reported with a denorm.TooLargeError.
func (b *Backend) Put(ctx context.Context, collection string, docs []denorm.Doc) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pgbackend put: %w", err)
	}
	if err := denorm.CheckDocs(collection, docs); err != nil {
		return fmt.Errorf("pgbackend put: %w", err)
	}
	docs, over, tooLarge := denorm.SplitTooLarge(collection, docs, b.maxSize)
	for _, d := range over {
		if err := b.Delete(ctx, collection, []string{d.Key}, d.Version); err != nil {
			return errors.Join(fmt.Errorf("pgbackend put: delete oversized: %w", err), tooLarge)
		}
	}
	// ON CONFLICT may touch a row once per statement, and concurrent
	// statements that lock rows in different orders deadlock.
	docs = denorm.Latest(docs)
	slices.SortFunc(docs, func(a, b denorm.Doc) int { return strings.Compare(a.Key, b.Key) })
	sql := `INSERT INTO ` + b.table + ` AS t (collection, key, version, doc)
SELECT $1, u.key, u.version, u.doc::jsonb
FROM unnest($2::text[], $3::bigint[], $4::text[]) AS u(key, version, doc)
ON CONFLICT (collection, key) DO UPDATE
SET version = excluded.version, doc = excluded.doc
WHERE excluded.version >= t.version`
	for len(docs) > 0 {
		n, size := 0, 0
		for n < len(docs) && n < b.batch.docs && (n == 0 || size+len(docs[n].JSON) <= b.batch.bytes) {
			size += len(docs[n].JSON)
			n++
		}
		chunk := docs[:n]
		docs = docs[n:]
		keys := make([]string, n)
		versions := make([]int64, n)
		jsons := make([]string, n)
		for i, d := range chunk {
			keys[i], versions[i], jsons[i] = d.Key, d.Version, string(d.JSON)
		}
		if _, err := b.db.Exec(ctx, sql, collection, keys, versions, jsons); err != nil {
			return errors.Join(fmt.Errorf("pgbackend put: collection %q, %d documents from %q: %w", collection, n, keys[0], err), tooLarge)
		}
	}
	return tooLarge
}

// Delete turns the rows of keys into tombstones at version (inserting them if
// absent), unless a higher version is stored.
func (b *Backend) Delete(ctx context.Context, collection string, keys []string, version int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pgbackend delete: %w", err)
	}
	if err := denorm.CheckKeys(collection, keys); err != nil {
		return fmt.Errorf("pgbackend delete: %w", err)
	}
	sql := `INSERT INTO ` + b.table + ` AS t (collection, key, version, doc)
SELECT $1, u.key, $3::bigint, NULL::jsonb FROM unnest($2::text[]) AS u(key)
ON CONFLICT (collection, key) DO UPDATE
SET version = excluded.version, doc = NULL
WHERE excluded.version >= t.version`
	// Sorted and unique, for the reasons Put gives.
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
	for start := 0; start < len(keys); start += b.batch.docs {
		chunk := keys[start:min(start+b.batch.docs, len(keys))]
		if _, err := b.db.Exec(ctx, sql, collection, chunk, version); err != nil {
			return fmt.Errorf("pgbackend delete: collection %q, %d keys from %q: %w", collection, len(chunk), chunk[0], err)
		}
	}
	return nil
}
