package countrydocs_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/denormgen/denormgen/testdata/countries/countrydocs"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
)

// End to end on text keys in an ICU collation: random transactions of raw
// SQL (countries turned on and off by the filter, renamed keys, cities
// moved between countries or to none, join rows, bulk statements,
// rollbacks, and TRUNCATE, which makes the Syncer rebuild everything with
// the text-key streams), each round drained by a Syncer into a memory
// backend, which must then hold exactly what the oracle computes.
func TestCountriesSyncRandom(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	oracletest.Schema(t, pool, countrydocs.InstallSQL)
	fill(t, pool, rand.New(rand.NewPCG(9, 9)))
	b := denorm.NewMemoryBackend()
	s := denorm.NewSyncer(pool, b, countrydocs.Collections()...).With(denorm.WithBatchSize(13))
	rng := rand.New(rand.NewPCG(4, 4))
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
		want, _ := oracletest.Docs(t, pool, oracle)
		if diff := cmp.Diff(want, oracletest.Stored(t, b, "countries")); diff != "" {
			t.Fatalf("round %d: the backend differs from the oracle (-oracle +backend):\n%s", round, diff)
		}
	}
	if committed < rounds/2 {
		t.Errorf("only %d of %d transactions committed: the test proves little", committed, rounds)
	}
}

// randomStatement is one write to the current state of a transaction, read
// with pick.
func randomStatement(pick func(sql, none string) string, rng *rand.Rand) string {
	country := func() string { return pick(`SELECT quote_literal(code) FROM country ORDER BY 1`, "NULL") }
	city := func() string { return pick(`SELECT id::text FROM city ORDER BY 1`, "NULL") }
	language := func() string { return pick(`SELECT quote_literal(code) FROM language ORDER BY 1`, "NULL") }
	newCode := func() string {
		letters := []string{"a", "A", "é", "É", "b", "B", "ß", "_", "-", "1"}
		return "'" + letters[rng.IntN(len(letters))] + letters[rng.IntN(len(letters))] + fmt.Sprint(rng.IntN(50)) + "'"
	}
	w := rng.IntN(6)
	id := 10000 + rng.IntN(100000)
	ops := []func() string{
		func() string { return `UPDATE country SET active = NOT active WHERE code = ` + country() },
		func() string { return fmt.Sprintf(`UPDATE country SET name = 'w%d' WHERE code = %s`, w, country()) },
		func() string { return fmt.Sprintf(`INSERT INTO country VALUES (%s, 'w%d', %t)`, newCode(), w, w != 0) },
		func() string { return `DELETE FROM country WHERE code = ` + country() },
		func() string {
			return fmt.Sprintf(`UPDATE country SET code = %s WHERE code = %s`, newCode(), country())
		},
		func() string { return fmt.Sprintf(`INSERT INTO city VALUES (%d, %s, 'w%d')`, id, country(), w) },
		func() string {
			return fmt.Sprintf(`UPDATE city SET country_code = %s WHERE id = %s`, country(), city())
		},
		func() string { return `UPDATE city SET country_code = NULL WHERE id = ` + city() },
		func() string { return fmt.Sprintf(`UPDATE city SET name = 'w%d' WHERE id = %s`, w, city()) },
		func() string { return `DELETE FROM city WHERE id = ` + city() },
		func() string { return fmt.Sprintf(`UPDATE city SET name = name || 'x' WHERE id %% 7 = %d`, w) },
		func() string { return `DELETE FROM city WHERE country_code = ` + country() },
		func() string {
			return fmt.Sprintf(`INSERT INTO country_language VALUES (%s, %s) ON CONFLICT DO NOTHING`, country(), language())
		},
		func() string { return `DELETE FROM country_language WHERE language_code = ` + language() },
		func() string { return fmt.Sprintf(`UPDATE language SET name = 'w%d' WHERE code = %s`, w, language()) },
		func() string {
			if rng.IntN(4) == 0 {
				return `TRUNCATE country_language`
			}
			return `UPDATE country_language SET language_code = language_code`
		},
	}
	return ops[rng.IntN(len(ops))]()
}
