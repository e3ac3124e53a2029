package coursedocs_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/testdata/composite/coursedocs"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
)

// A join table keyed by both its foreign keys, read from either side, a
// child with a composite primary key ordered by it, and relations on a
// composite foreign key of every kind.
func TestCompositeKeys(t *testing.T) {
	pool := pgtest.New(t)
	ctx := context.Background()
	oracletest.Schema(t, pool, `
		INSERT INTO course VALUES (1, 'Go'), (2, 'SQL'), (3, 'Empty');
		INSERT INTO student VALUES (1, 'Zoe'), (2, 'Al');
		INSERT INTO enrollment VALUES (1, 1, 'A'), (1, 2, NULL), (2, 1, 'B');
		INSERT INTO lesson VALUES (1, 2, 'maps'), (1, 1, 'slices'), (2, 1, 'joins');
		INSERT INTO note VALUES (1, 'len', 1, 1), (2, 'on', 2, 1), (3, 'cap', 1, 1), (4, 'append', 1, 1), (5, 'loose', NULL, 1);
		INSERT INTO skill VALUES (1, 'types'), (2, 'memory'), (3, 'unused');
		INSERT INTO lesson_skill VALUES (1, 1, 1), (1, 2, 1), (1, 1, 2)`)
	want := map[string]map[string]string{
		"courses": {
			"1": `{"id":1,"title":"Go","students":[{"id":2,"name":"Al"},{"id":1,"name":"Zoe"}],"lessons":[` +
				`{"n":1,"title":"slices","notes":[{"id":1,"body":"len"},{"id":3,"body":"cap"},{"id":4,"body":"append"}],"latest_notes":[{"id":4},{"id":3}],"skills":[{"name":"memory"},{"name":"types"}]},` +
				`{"n":2,"title":"maps","notes":[],"latest_notes":[],"skills":[{"name":"types"}]}]}`,
			"2": `{"id":2,"title":"SQL","students":[{"id":1,"name":"Zoe"}],"lessons":[{"n":1,"title":"joins","notes":[{"id":2,"body":"on"}],"latest_notes":[{"id":2}],"skills":[]}]}`,
			"3": `{"id":3,"title":"Empty","students":[],"lessons":[]}`,
		},
		"students": {
			"1": `{"id":1,"name":"Zoe","courses":["Go","SQL"]}`,
			"2": `{"id":2,"name":"Al","courses":["Go"]}`,
		},
		"notes": {
			// Lesson (1, 1) of course 1, not lesson 1 of course 2; note 5's key is
			// half NULL, so it has none.
			"1": `{"id":1,"body":"len","lesson_n":1,"lesson":{"n":1,"title":"slices","course":{"title":"Go"}}}`,
			"2": `{"id":2,"body":"on","lesson_n":1,"lesson":{"n":1,"title":"joins","course":{"title":"SQL"}}}`,
			"3": `{"id":3,"body":"cap","lesson_n":1,"lesson":{"n":1,"title":"slices","course":{"title":"Go"}}}`,
			"5": `{"id":5,"body":"loose","lesson_n":1,"lesson":null}`,
		},
		"skills": {
			"1": `{"id":1,"name":"types","lessons":[{"n":2,"title":"maps"},{"n":1,"title":"slices"}]}`,
			"2": `{"id":2,"name":"memory","lessons":[{"n":1,"title":"slices"}]}`,
			"3": `{"id":3,"name":"unused","lessons":[]}`,
		},
	}
	for _, c := range coursedocs.Collections() {
		docs, err := c.Build(ctx, pool, []string{"1", "2", "3", "5"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for k, d := range docs {
			got[k] = string(d)
		}
		if diff := cmp.Diff(want[c.Name()], got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.Name(), diff)
		}
	}
}
