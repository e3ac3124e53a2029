package bookdocs_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/denormgen/denormgen/testdata/bookstore/bookdocs"
)

// ReadBooks through a Cache builds what the backend lacks, and decodes to
// the documents LoadBooks gives; afterwards the backend alone serves them.
func testReadThrough(t *testing.T, pool *pgxpool.Pool) {
	ctx := context.Background()
	ids := []int64{1, 2, 3, 50, 700, 3500, -1}
	want := map[int64]*bookdocs.Book{}
	loaded, err := bookdocs.LoadBooks(ctx, pool, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range loaded {
		want[d.ID] = d
	}
	backend := denorm.NewMemoryBackend()
	if stored, err := bookdocs.ReadBooks(ctx, denorm.FromBackend(backend, "books"), ids); err != nil || len(stored) != 0 {
		t.Fatalf("empty backend: ReadBooks = %d documents, %v", len(stored), err)
	}
	var books denorm.Collection
	for _, c := range bookdocs.Collections() {
		if c.Name() == "books" {
			books = c
		}
	}
	got, err := bookdocs.ReadBooks(ctx, denorm.NewCache(pool, backend, books), ids)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadBooks through a cache differs from LoadBooks (-load +read):\n%s", diff)
	}
	stored, err := bookdocs.ReadBooks(ctx, denorm.FromBackend(backend, "books"), ids)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, stored); diff != "" {
		t.Errorf("the cache did not store what it built (-load +stored):\n%s", diff)
	}

	pubs, err := bookdocs.LoadPublishers(ctx, pool, []int64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	var publishers denorm.Collection = bookdocs.Collections()[1]
	read, err := bookdocs.ReadPublishers(ctx, denorm.NewCache(pool, backend, publishers), []int64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pubs {
		if diff := cmp.Diff(p, read[p.ID]); diff != "" {
			t.Errorf("publisher %d: dates, instants and numerics do not survive the JSON round trip (-load +read):\n%s", p.ID, diff)
		}
	}
}

// The loaders run as well in a transaction (one snapshot for every level, as
// the Syncer builds) as on a pool.
func testLoadInTx(t *testing.T, pool *pgxpool.Pool) {
	ctx := context.Background()
	ids := []int64{5, 6, 7, 8, 9, 10, 2000, 3001}
	want, err := bookdocs.LoadBooks(ctx, pool, ids)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	got, err := bookdocs.LoadBooks(ctx, tx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LoadBooks in a transaction (-pool +tx):\n%s", diff)
	}
}
