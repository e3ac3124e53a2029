package strategy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/denormgen/denormgen/bench"
	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"
)

// testSizes is small enough to load in a second and still holds every edge
// case: books without publisher, authors, tags or reviews, publishers
// without country, titles that need JSON escapes. Its books span two chunks.
var testSizes = bench.Sizes{Countries: 7, Publishers: 13, Authors: 60, Books: ChunkSize + 200, Tags: 9}

func loadedPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := pgtest.New(t)
	if err := bench.Load(context.Background(), pool, testSizes); err != nil {
		t.Fatal(err)
	}
	return pool
}

// TestStrategiesAgree checks every strategy renders the documents json-agg
// renders, as JSON values (key order and escapes may differ), both by ids
// and in a full build.
func TestStrategiesAgree(t *testing.T) {
	ctx := context.Background()
	pool := loadedPool(t)

	// Every book, in an order of its own, plus ids that name no book.
	var ids []int64
	for i := int64(testSizes.Books); i >= 1; i-- {
		ids = append(ids, i)
	}
	ids = append(ids, 0, -3, int64(testSizes.Books)+1)

	want, err := JSONAgg{}.Build(ctx, pool, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != testSizes.Books {
		t.Fatalf("json-agg built %d documents, want %d", len(want), testSizes.Books)
	}
	wantValues := decodeAll(t, want)

	for _, s := range All() {
		t.Run(s.Name(), func(t *testing.T) {
			got, err := s.Build(ctx, pool, ids)
			if err != nil {
				t.Fatal(err)
			}
			if !Renders(s) {
				if len(got) != len(want) {
					t.Errorf("Build read %d books, want %d", len(got), len(want))
				}
				return
			}
			if diff := cmp.Diff(wantValues, decodeAll(t, got)); diff != "" {
				t.Errorf("Build differs from json-agg (-want +got):\n%s", diff)
			}

			all := map[int64][]byte{}
			var order []int64
			err = s.BuildAll(ctx, pool, func(id int64, doc []byte) error {
				order = append(order, id)
				all[id] = bytes.Clone(doc)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.IsSorted(order) || len(order) != len(want) {
				t.Errorf("BuildAll emitted %d documents (sorted: %v), want %d in id order",
					len(order), slices.IsSorted(order), len(want))
			}
			if diff := cmp.Diff(wantValues, decodeAll(t, all)); diff != "" {
				t.Errorf("BuildAll differs from json-agg (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBuildAllStops checks that ErrStop from an Emit ends every strategy's
// full build early and cleanly, which caps the N+1 run.
func TestBuildAllStops(t *testing.T) {
	ctx := context.Background()
	pool := loadedPool(t)
	for _, s := range All() {
		n := 0
		err := s.BuildAll(ctx, pool, func(int64, []byte) error {
			n++
			if n == 10 {
				return ErrStop
			}
			return nil
		})
		if err != nil || n != 10 {
			t.Errorf("%s: BuildAll after ErrStop: %d documents, error %v; want 10 and nil", s.Name(), n, err)
		}
	}
}

// TestBuildAllReportsEmitErrors checks that an Emit's own error is not
// swallowed like ErrStop.
func TestBuildAllReportsEmitErrors(t *testing.T) {
	ctx := context.Background()
	pool := loadedPool(t)
	boom := errors.New("backend down")
	for _, s := range All() {
		err := s.BuildAll(ctx, pool, func(int64, []byte) error { return boom })
		if !errors.Is(err, boom) {
			t.Errorf("%s: BuildAll returned %v, want the Emit's error", s.Name(), err)
		}
	}
}

func decodeAll(t *testing.T, docs map[int64][]byte) map[int64]any {
	t.Helper()
	out := make(map[int64]any, len(docs))
	for id, doc := range docs {
		dec := json.NewDecoder(bytes.NewReader(doc))
		dec.UseNumber() // compare numbers exactly, not as float64
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("document %d is not JSON: %v\n%s", id, err, doc)
		}
		out[id] = v
	}
	return out
}
