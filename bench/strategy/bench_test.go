package strategy_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/denormgen/denormgen/bench"
	"github.com/denormgen/denormgen/bench/measure"
	"github.com/denormgen/denormgen/bench/strategy"
	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The Go benchmarks run the strategies on the benchmark database
// (DENORM_BENCH_SCALE, default 1), loading it on first use:
//
//	go test -run '^$' -bench . -benchtime 3x ./strategy
//
// cmd/denormbench measures the same code with peak heap and writes the
// report; these are for profiling one strategy (-cpuprofile, -memprofile).
func benchPool(b *testing.B) (*pgxpool.Pool, bench.Sizes) {
	b.Helper()
	if os.Getenv("DENORM_SKIP_DB") != "" {
		b.Skip("DENORM_SKIP_DB is set")
	}
	scale := 1
	if s := os.Getenv("DENORM_BENCH_SCALE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("DENORM_BENCH_SCALE=%q: want a positive integer", s)
		}
		scale = n
	}
	sizes := bench.ScaleSizes(scale)
	pool, err := bench.Ensure(context.Background(), pgtest.URL(), bench.DatabaseName(scale), sizes, b.Logf)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	return pool, sizes
}

// BenchmarkFull builds every document once per iteration (n-plus-1: the
// first 2,000).
func BenchmarkFull(b *testing.B) {
	pool, _ := benchPool(b)
	ctx := context.Background()
	for _, s := range strategy.All() {
		b.Run(s.Name(), func(b *testing.B) {
			limit := 0
			if _, ok := s.(strategy.NPlusOne); ok {
				limit = 2000
			}
			docs := 0
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				err := s.BuildAll(ctx, pool, func(int64, []byte) error {
					n++
					if n == limit {
						return strategy.ErrStop
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				docs += n
			}
			b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// BenchmarkIncremental rebuilds 1,000 random books per iteration, cycling
// through the runner's rounds.
func BenchmarkIncremental(b *testing.B) {
	pool, sizes := benchPool(b)
	ctx := context.Background()
	rounds, err := measure.Rounds(1, 64, 1000, sizes.Books)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range strategy.All() {
		b.Run(s.Name(), func(b *testing.B) {
			var docs, i int
			b.ReportAllocs()
			for b.Loop() {
				got, err := s.Build(ctx, pool, rounds[i%len(rounds)])
				i++
				if err != nil {
					b.Fatal(err)
				}
				docs += len(got)
			}
			b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
