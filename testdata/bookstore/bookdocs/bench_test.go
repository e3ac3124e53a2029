package bookdocs_test

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/denormgen/denormgen/testdata/bookstore/bookdocs"
)

var benchSizes = sizes{countries: 40, publishers: 2000, authors: 20000, tags: 500, books: 20000}

// BenchmarkFullBuild renders every book document, a chunk of
// denorm.ChunkSize keys per Build, on as many connections as workers: the
// work of a full sync. The docs/s metric is the figure to watch.
func BenchmarkFullBuild(b *testing.B) {
	pool, _ := newStore(b, benchSizes)
	ctx := context.Background()
	books := bookdocs.Collections()[0]
	keys := make([]string, benchSizes.books)
	for i := range keys {
		keys[i] = strconv.Itoa(i + 1)
	}
	for _, workers := range []int{1, 2} {
		b.Run("workers="+strconv.Itoa(workers), func(b *testing.B) {
			docs := 0
			for b.Loop() {
				chunks := slices.Collect(slices.Chunk(keys, 1000))
				var wg sync.WaitGroup
				var mu sync.Mutex
				for w := range workers {
					wg.Go(func() {
						for i := w; i < len(chunks); i += workers {
							out, err := books.Build(ctx, pool, chunks[i])
							if err != nil {
								b.Error(err)
								return
							}
							mu.Lock()
							docs += len(out)
							mu.Unlock()
						}
					})
				}
				wg.Wait()
			}
			b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// BenchmarkEncode isolates the generated encoder from the database.
func BenchmarkEncode(b *testing.B) {
	pool, _ := newStore(b, small)
	ctx := context.Background()
	var docs []*bookdocs.Book
	for d, err := range bookdocs.AllBooks(ctx, pool, 0) {
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, d)
	}
	var buf []byte
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, d := range docs {
			buf, _ = d.AppendJSON(buf[:0])
		}
		n += len(docs)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
}
