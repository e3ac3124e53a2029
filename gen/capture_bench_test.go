package gen

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// The capture benchmarks compare writes to the bookstore with the triggers
// enabled ("captured") and disabled ("plain"), on the same table:
//
//	go test ./gen -run '^$' -bench Capture -benchtime 2000x
//
// An update of a document column records every row; one of an unused column
// (summary) records nothing but still pays for the comparison.
const benchRows = 100_000

func benchStore(b *testing.B) *pgxpool.Pool {
	b.Helper()
	pool, _ := captureDB(b, storeDDL, storeConfig)
	mustExec(b, pool,
		`INSERT INTO publisher SELECT g, 'P' || g, '', NULL FROM generate_series(1, 100) g`,
		fmt.Sprintf(`INSERT INTO book SELECT g, 'Book ' || g, 2000, 'summary', g %% 100 + 1 FROM generate_series(1, %d) g`, benchRows),
		`TRUNCATE denorm.outbox`,
		`VACUUM ANALYZE book`)
	return pool
}

// setCapture enables or disables the capture triggers of book.
func setCapture(b *testing.B, pool *pgxpool.Pool, on bool) {
	b.Helper()
	verb := "DISABLE"
	if on {
		verb = "ENABLE"
	}
	mustExec(b, pool, fmt.Sprintf(`ALTER TABLE book %s TRIGGER denorm_update`, verb))
}

func BenchmarkCaptureUpdateRow(b *testing.B) {
	pool := benchStore(b)
	ctx := context.Background()
	for _, mode := range []string{"plain", "captured"} {
		for _, col := range []string{"title", "summary"} {
			b.Run(mode+"/"+col, func(b *testing.B) {
				setCapture(b, pool, mode == "captured")
				sql := fmt.Sprintf(`UPDATE book SET %s = $1 WHERE id = $2`, col)
				i := 0
				for b.Loop() {
					i++
					if _, err := pool.Exec(ctx, sql, fmt.Sprint(i), i%benchRows+1); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				mustExec(b, pool, `TRUNCATE denorm.outbox`, `VACUUM book`)
			})
		}
	}
}

func BenchmarkCaptureBulkUpdate(b *testing.B) {
	pool := benchStore(b)
	ctx := context.Background()
	for _, mode := range []string{"plain", "captured"} {
		for _, col := range []string{"title", "summary"} {
			b.Run(mode+"/"+col, func(b *testing.B) {
				setCapture(b, pool, mode == "captured")
				sql := fmt.Sprintf(`UPDATE book SET %s = %s || 'x'`, col, col)
				for b.Loop() {
					if _, err := pool.Exec(ctx, sql); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					mustExec(b, pool, `TRUNCATE denorm.outbox`, `VACUUM book`)
					b.StartTimer()
				}
			})
		}
	}
}
