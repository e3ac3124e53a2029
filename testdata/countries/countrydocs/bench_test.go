package countrydocs_test

import (
	"context"
	"testing"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/denormgen/denormgen/testdata/countries/countrydocs"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
)

// BenchmarkFullBuild renders every country of 50,000 (text keys in an ICU
// collation) with 500,000 cities and about 100,000 languages spoken:
// streams, in a snapshot with connections to spare, against lookups chunk
// by chunk, in one without. The docs/s metric is the figure to watch.
func BenchmarkFullBuild(b *testing.B) {
	pool := pgtest.New(b)
	ctx := context.Background()
	oracletest.Schema(b, pool, `
		INSERT INTO country SELECT initcap(md5(g::text)), 'country ' || g, g % 10 <> 0 FROM generate_series(1, 50000) g;
		INSERT INTO language SELECT 'l' || g, 'language ' || g FROM generate_series(1, 200) g;
		INSERT INTO city SELECT g, initcap(md5((g % 50000 + 1)::text)), 'city ' || g % 1000 FROM generate_series(1, 500000) g;
		INSERT INTO country_language SELECT DISTINCT initcap(md5((g % 50000 + 1)::text)), 'l' || (g * 7919 % 200 + 1)
			FROM generate_series(1, 100000) g;
		ANALYZE`)
	countries := countrydocs.Collections()[0].(denorm.AllBuilder)
	for _, c := range []struct {
		name  string
		spare int
	}{{"streams", 2}, {"chunks", 0}} {
		b.Run(c.name, func(b *testing.B) {
			docs := 0
			for b.Loop() {
				snap, err := denorm.BeginSnapshot(ctx, pool, c.spare)
				if err != nil {
					b.Fatal(err)
				}
				for chunk, err := range countries.BuildAll(ctx, snap, 0) {
					if err != nil {
						b.Fatal(err)
					}
					docs += len(chunk)
				}
				snap.Close(ctx)
			}
			b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
