package coursedocs_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/denormgen/denormgen/testdata/composite/coursedocs"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
)

// End to end on composite keys: random transactions of raw SQL (moves of a
// note from lesson to lesson, keys half NULL, join rows on two columns,
// bulk statements, rollbacks, TRUNCATE), each round drained by a Syncer
// into a memory backend, which must then hold exactly what the oracle
// computes, in every collection.
func TestCompositeSyncRandom(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	oracletest.Schema(t, pool, coursedocs.InstallSQL)
	fillRandom(t, pool, 7)
	b := denorm.NewMemoryBackend()
	s := denorm.NewSyncer(pool, b, coursedocs.Collections()...).With(denorm.WithBatchSize(17))
	rng := rand.New(rand.NewPCG(7, 2))
	rounds := 60
	if testing.Short() {
		rounds = 15
	}
	committed := 0
	for round := range rounds {
		if round > 0 {
			committed += oracletest.RandomTx(t, pool, rng, randomStatement)
		}
		if _, err := s.Drain(ctx); err != nil {
			t.Fatalf("round %d: drain: %v", round, err)
		}
		for _, c := range coursedocs.Collections() {
			want, _ := oracleDocs(t, pool, c.Name())
			if diff := cmp.Diff(want, oracletest.Stored(t, b, c.Name())); diff != "" {
				t.Fatalf("round %d: %s in the backend differ from the oracle (-oracle +backend):\n%s", round, c.Name(), diff)
			}
		}
	}
	if committed < rounds/2 {
		t.Errorf("only %d of %d transactions committed: the test proves little", committed, rounds)
	}
}

// randomStatement is one write to the current state of a transaction, read
// with pick.
func randomStatement(pick func(sql, none string) string, rng *rand.Rand) string {
	lesson := func() string { return pick(`SELECT format('%s, %s', course_id, n) FROM lesson ORDER BY 1`, "0") }
	lessonWhere := func() string {
		return pick(`SELECT format('course_id = %s AND n = %s', course_id, n) FROM lesson ORDER BY 1`, "0")
	}
	note := func() string { return pick(`SELECT id::text FROM note ORDER BY 1`, "0") }
	skill := func() string { return pick(`SELECT id::text FROM skill ORDER BY 1`, "0") }
	course := func() string { return pick(`SELECT id::text FROM course ORDER BY 1`, "0") }
	w := rng.IntN(6)
	id := 1000 + rng.IntN(100000)
	ops := []func() string{
		func() string { return fmt.Sprintf(`UPDATE lesson SET title = 'w%d' WHERE %s`, w, lessonWhere()) },
		func() string {
			return fmt.Sprintf(`INSERT INTO lesson VALUES (%s, %d, 'w%d')`, course(), 9+rng.IntN(5), w)
		},
		func() string { return `DELETE FROM lesson WHERE ` + lessonWhere() },
		func() string { return fmt.Sprintf(`INSERT INTO note VALUES (%d, 'w%d', %s)`, id, w, lesson()) },
		func() string { return fmt.Sprintf(`UPDATE note SET body = 'w%d' WHERE id = %s`, w, note()) },
		func() string {
			return fmt.Sprintf(`UPDATE note SET (course_id, lesson_n) = (%s) WHERE id = %s`, lesson(), note())
		},
		func() string { return fmt.Sprintf(`UPDATE note SET lesson_n = NULL WHERE id = %s`, note()) },
		func() string { return fmt.Sprintf(`UPDATE note SET course_id = NULL WHERE id = %s`, note()) },
		func() string { return fmt.Sprintf(`UPDATE note SET id = %d WHERE id = %s`, id, note()) },
		func() string { return fmt.Sprintf(`DELETE FROM note WHERE id = %s`, note()) },
		func() string { return fmt.Sprintf(`UPDATE note SET body = body || 'x' WHERE id %% 7 = %d`, w) },
		func() string { return fmt.Sprintf(`DELETE FROM note WHERE lesson_n = %d`, 1+w) },
		func() string {
			return fmt.Sprintf(`INSERT INTO lesson_skill VALUES (%s, %s) ON CONFLICT DO NOTHING`, lesson(), skill())
		},
		func() string { return fmt.Sprintf(`DELETE FROM lesson_skill WHERE skill_id = %s`, skill()) },
		func() string {
			return fmt.Sprintf(`UPDATE lesson_skill SET (course_id, lesson_n) = (%s) WHERE skill_id = %s`, lesson(), skill())
		},
		func() string { return fmt.Sprintf(`UPDATE skill SET name = 'w%d' WHERE id = %s`, w, skill()) },
		func() string { return fmt.Sprintf(`INSERT INTO skill VALUES (%d, 'w%d')`, id, w) },
		func() string { return fmt.Sprintf(`UPDATE course SET title = 'w%d' WHERE id = %s`, w, course()) },
		func() string {
			if rng.IntN(4) == 0 {
				return `TRUNCATE lesson_skill`
			}
			return `UPDATE lesson_skill SET skill_id = skill_id`
		},
	}
	return ops[rng.IntN(len(ops))]()
}
