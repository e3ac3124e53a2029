package coursedocs_test

import (
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/testdata/composite/coursedocs"
)

// A join table keyed by both its foreign keys, read from either side, and a
// child with a composite primary key ordered by it.
func TestCompositeKeys(t *testing.T) {
	pool := pgtest.New(t)
	ctx := context.Background()
	ddl, err := os.ReadFile("../schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, string(ddl)+`;
		INSERT INTO course VALUES (1, 'Go'), (2, 'SQL'), (3, 'Empty');
		INSERT INTO student VALUES (1, 'Zoe'), (2, 'Al');
		INSERT INTO enrollment VALUES (1, 1, 'A'), (1, 2, NULL), (2, 1, 'B');
		INSERT INTO lesson VALUES (1, 2, 'maps'), (1, 1, 'slices'), (2, 1, 'joins')`); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"courses": {
			"1": `{"id":1,"title":"Go","students":[{"id":2,"name":"Al"},{"id":1,"name":"Zoe"}],"lessons":[{"n":1,"title":"slices"},{"n":2,"title":"maps"}]}`,
			"2": `{"id":2,"title":"SQL","students":[{"id":1,"name":"Zoe"}],"lessons":[{"n":1,"title":"joins"}]}`,
			"3": `{"id":3,"title":"Empty","students":[],"lessons":[]}`,
		},
		"students": {
			"1": `{"id":1,"name":"Zoe","courses":["Go","SQL"]}`,
			"2": `{"id":2,"name":"Al","courses":["Go"]}`,
		},
	}
	for _, c := range coursedocs.Collections() {
		docs, err := c.Build(ctx, pool, []string{"1", "2", "3"})
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
