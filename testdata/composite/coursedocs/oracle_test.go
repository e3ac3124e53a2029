package coursedocs_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/denormgen/denormgen/testdata/composite/coursedocs"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
)

// The oracle: each collection's documents written by hand with
// json_build_object and json_agg, joining on every column of the composite
// keys; to-one null when a key column is NULL (MATCH SIMPLE), to-many []
// when empty, order_by then the primary key, limit per parent.
var oracle = map[string]string{
	"courses": `
SELECT c.id::text, json_build_object('id', c.id, 'title', c.title,
  'students', coalesce((
    SELECT json_agg(json_build_object('id', s.id, 'name', s.name) ORDER BY s.name, s.id)
    FROM (SELECT s.* FROM enrollment e JOIN student s ON s.id = e.student_id
          WHERE e.course_id = c.id ORDER BY s.name, s.id LIMIT 30) s), '[]'),
  'lessons', coalesce((
    SELECT json_agg(json_build_object('n', l.n, 'title', l.title,
      'notes', coalesce((
        SELECT json_agg(json_build_object('id', o.id, 'body', o.body) ORDER BY o.id)
        FROM note o WHERE o.course_id = l.course_id AND o.lesson_n = l.n), '[]'),
      'latest_notes', coalesce((
        SELECT json_agg(json_build_object('id', o.id) ORDER BY o.id DESC)
        FROM (SELECT * FROM note o WHERE o.course_id = l.course_id AND o.lesson_n = l.n
              ORDER BY o.id DESC LIMIT 2) o), '[]'),
      'skills', coalesce((
        SELECT json_agg(json_build_object('name', k.name) ORDER BY k.name, k.id)
        FROM lesson_skill ls JOIN skill k ON k.id = ls.skill_id
        WHERE ls.course_id = l.course_id AND ls.lesson_n = l.n), '[]'))
      ORDER BY l.course_id, l.n)
    FROM lesson l WHERE l.course_id = c.id), '[]'))
FROM course c`,
	"students": `
SELECT s.id::text, json_build_object('id', s.id, 'name', s.name,
  'courses', coalesce((
    SELECT json_agg(c.title ORDER BY c.title, c.id)
    FROM enrollment e JOIN course c ON c.id = e.course_id WHERE e.student_id = s.id), '[]'))
FROM student s`,
	"notes": `
SELECT o.id::text, json_build_object('id', o.id, 'body', o.body, 'lesson_n', o.lesson_n,
  'lesson', (
    SELECT json_build_object('n', l.n, 'title', l.title,
      'course', (SELECT json_build_object('title', c.title) FROM course c WHERE c.id = l.course_id))
    FROM lesson l WHERE l.course_id = o.course_id AND l.n = o.lesson_n))
FROM note o`,
	"skills": `
SELECT k.id::text, json_build_object('id', k.id, 'name', k.name,
  'lessons', coalesce((
    SELECT json_agg(json_build_object('n', l.n, 'title', l.title) ORDER BY l.title, l.course_id, l.n)
    FROM lesson_skill ls JOIN lesson l ON l.course_id = ls.course_id AND l.n = ls.lesson_n
    WHERE ls.skill_id = k.id), '[]'))
FROM skill k`,
}

// fillRandom loads random rows: titles and names from small sets, so that
// orders tie and fall back to the primary key; a fifth of the notes with
// half or all of their lesson key NULL; 400 notes, so that building them
// all in a snapshot loads in parts.
func fillRandom(t *testing.T, pool *pgxpool.Pool, seed uint64) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	var sql strings.Builder
	word := func() string { return fmt.Sprintf("'w%d'", r.IntN(6)) }
	for c := 1; c <= 40; c++ {
		fmt.Fprintf(&sql, "INSERT INTO course VALUES (%d, %s);\n", c, word())
	}
	for s := 1; s <= 50; s++ {
		fmt.Fprintf(&sql, "INSERT INTO student VALUES (%d, %s);\n", s, word())
	}
	for c := 1; c <= 40; c++ {
		for s := 1; s <= 50; s++ {
			if r.IntN(10) == 0 {
				fmt.Fprintf(&sql, "INSERT INTO enrollment VALUES (%d, %d, NULL);\n", c, s)
			}
		}
	}
	type lesson struct{ course, n int }
	var lessons []lesson
	for c := 1; c <= 40; c++ {
		for n := 1; n <= 8; n++ {
			if r.IntN(2) == 0 {
				lessons = append(lessons, lesson{c, n})
				fmt.Fprintf(&sql, "INSERT INTO lesson VALUES (%d, %d, %s);\n", c, n, word())
			}
		}
	}
	for id := 1; id <= 400; id++ {
		l := lessons[r.IntN(len(lessons))]
		course, n := fmt.Sprint(l.course), fmt.Sprint(l.n)
		switch r.IntN(10) {
		case 0:
			course = "NULL"
		case 1:
			n = "NULL"
		}
		fmt.Fprintf(&sql, "INSERT INTO note VALUES (%d, %s, %s, %s);\n", id, word(), course, n)
	}
	for k := 1; k <= 12; k++ {
		fmt.Fprintf(&sql, "INSERT INTO skill VALUES (%d, %s);\n", k, word())
	}
	for _, l := range lessons {
		for k := 1; k <= 12; k++ {
			if r.IntN(6) == 0 {
				fmt.Fprintf(&sql, "INSERT INTO lesson_skill VALUES (%d, %d, %d);\n", l.course, l.n, k)
			}
		}
	}
	if _, err := pool.Exec(context.Background(), sql.String()); err != nil {
		t.Fatal(err)
	}
}

// Every collection, built by key on the pool, by key in a snapshot (in
// parts), and in full, equals what PostgreSQL computes, for random data.
func TestCompositeOracle(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			pool := pgtest.New(t)
			oracletest.Schema(t, pool)
			fillRandom(t, pool, seed)
			for _, c := range coursedocs.Collections() {
				want, keys := oracleDocs(t, pool, c.Name())
				if len(want) == 0 {
					t.Fatalf("%s: the oracle found no documents", c.Name())
				}
				check := func(how string, got map[string]any) {
					t.Helper()
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("%s %s differs from the oracle (-oracle +built):\n%s", c.Name(), how, diff)
					}
				}
				asked := append(keys, "100000") // missing: absent
				check("Build on a pool", oracletest.Build(t, c, pool, asked))
				snap, err := denorm.BeginSnapshot(ctx, pool, 2)
				if err != nil {
					t.Fatal(err)
				}
				check("Build in a snapshot", oracletest.Build(t, c, snap, asked))
				all, _ := oracletest.BuildAll(t, c, snap, 64)
				snap.Close(ctx)
				check("BuildAll", all)
			}
		})
	}
}

// oracleDocs returns the documents of the collection as the oracle computes
// them, by key, and the keys in order.
func oracleDocs(t *testing.T, pool *pgxpool.Pool, collection string) (map[string]any, []string) {
	t.Helper()
	return oracletest.Docs(t, pool, oracle[collection])
}
