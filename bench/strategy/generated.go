package strategy

import (
	"context"
	"fmt"

	"github.com/denormgen/denormgen/bench/internal/benchdocs"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Generated is denormgen's loader, generated from denorm.yaml into
// internal/benchdocs (go generate in bench/): typed structs, one pipelined
// round trip per relation level and chunk, JSON appended without reflection.
type Generated struct{}

// snapshotSpare is how many more connections a snapshot may take: one per
// to-many relation of the book for a full build.
const snapshotSpare = 3

func (Generated) Name() string { return "generated" }

func (Generated) Describe() string {
	return "denormgen's generated loader: BuildBooks / AllBooks and AppendJSON from internal/benchdocs"
}

// Build loads in a denorm.Snapshot, as the Syncer does: parts of the keys
// load at once on connections of their own.
func (Generated) Build(ctx context.Context, pool *pgxpool.Pool, ids []int64) (map[int64][]byte, error) {
	snap, err := denorm.BeginSnapshot(ctx, pool, snapshotSpare)
	if err != nil {
		return nil, fmt.Errorf("generated: %w", err)
	}
	defer snap.Close(ctx)
	// As Collection.Build renders: each part encodes what it loaded while
	// the others still load.
	docs, err := benchdocs.BuildBooks(ctx, snap, ids)
	if err != nil {
		return nil, fmt.Errorf("generated: %w", err)
	}
	return docs, nil
}

// BuildAll reads in a denorm.Snapshot, as FullSync does: each to-many
// relation is one sorted stream on a connection of its own. It reuses one
// buffer for every document: Emit's doc is only valid during the call.
func (Generated) BuildAll(ctx context.Context, pool *pgxpool.Pool, emit Emit) error {
	snap, err := denorm.BeginSnapshot(ctx, pool, snapshotSpare)
	if err != nil {
		return fmt.Errorf("generated: %w", err)
	}
	defer snap.Close(ctx)
	var buf []byte
	for b, err := range benchdocs.AllBooks(ctx, snap, FullChunkSize) {
		if err != nil {
			return fmt.Errorf("generated: %w", err)
		}
		if buf, err = b.AppendJSON(buf[:0]); err != nil {
			return fmt.Errorf("generated: encode book %d: %w", b.ID, err)
		}
		if err := emit(b.ID, buf); err != nil {
			return stop(err)
		}
	}
	return nil
}

// FullChunkSize is the roots per chunk of the generated full build: its
// streams make a chunk cost a few round trips whatever its size, so larger
// chunks pay fewer of them, at a peak heap that still does not grow with the
// dataset.
const FullChunkSize = 4 * ChunkSize
