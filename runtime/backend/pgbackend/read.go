package pgbackend

import (
	"context"
	"fmt"
	"iter"

	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/jackc/pgx/v5"
)

// Get returns the live documents among keys, their JSON as jsonb prints it.
func (b *Backend) Get(ctx context.Context, collection string, keys []string) (map[string]denorm.Doc, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pgbackend get: %w", err)
	}
	if err := denorm.CheckKeys(collection, keys); err != nil {
		return nil, fmt.Errorf("pgbackend get: %w", err)
	}
	out := make(map[string]denorm.Doc, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := b.db.Query(ctx, `SELECT key, version, doc::text FROM `+b.table+`
WHERE collection = $1 AND key = ANY($2::text[]) AND doc IS NOT NULL`, collection, keys)
	if err != nil {
		return nil, fmt.Errorf("pgbackend get: collection %q: %w", collection, err)
	}
	var d denorm.Doc
	_, err = pgx.ForEachRow(rows, []any{&d.Key, &d.Version, &d.JSON}, func() error {
		d.JSON = append([]byte(nil), d.JSON...) // the scan target is reused
		out[d.Key] = d
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pgbackend get: collection %q: %w", collection, err)
	}
	return out, nil
}

// Keys lists live keys in byte order, one page per query (keyset
// pagination), holding no connection while the loop body runs.
func (b *Backend) Keys(ctx context.Context, collection string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		if err := denorm.CheckKeys(collection, nil); err != nil {
			yield("", fmt.Errorf("pgbackend keys: %w", err))
			return
		}
		sql := `SELECT key FROM ` + b.table + `
WHERE collection = $1 AND key > $2 AND doc IS NOT NULL
ORDER BY key LIMIT $3`
		after := ""
		for {
			if err := ctx.Err(); err != nil {
				yield("", fmt.Errorf("pgbackend keys: %w", err))
				return
			}
			rows, err := b.db.Query(ctx, sql, collection, after, b.pageSize)
			if err != nil {
				yield("", fmt.Errorf("pgbackend keys: collection %q after %q: %w", collection, after, err))
				return
			}
			page, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				yield("", fmt.Errorf("pgbackend keys: collection %q after %q: %w", collection, after, err))
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
			after = page[len(page)-1]
		}
	}
}
