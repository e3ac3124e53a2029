package photodocs_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
	"github.com/denormgen/denormgen/testdata/photos/photodocs"
)

const (
	ann = "0c7e6a4e-1d2f-4c3b-9a8e-000000000001"
	bob = "0c7e6a4e-1d2f-4c3b-9a8e-000000000002"
)

// Two keys to one table stay apart, uuid keys round-trip, and a key that is
// no uuid is a missing root rather than a failed query.
func TestTwoKeysToOneTable(t *testing.T) {
	pool := pgtest.New(t)
	ctx := context.Background()
	oracletest.Schema(t, pool, `
		INSERT INTO person VALUES ('`+ann+`', 'Ann'), ('`+bob+`', 'Bob');
		INSERT INTO photo VALUES (1, 'u1', '`+ann+`', '`+bob+`'), (2, 'u2', '`+ann+`', NULL),
			(3, 'u3', '`+bob+`', '`+bob+`'), (4, 'u4', '`+bob+`', '`+bob+`'), (5, 'u5', '`+bob+`', '`+bob+`')`)
	want := map[string]map[string]string{
		"photos": {
			"1": `{"id":1,"url":"u1","owner":{"id":"` + ann + `","name":"Ann"},"editor":{"name":"Bob"}}`,
			"2": `{"id":2,"url":"u2","owner":{"id":"` + ann + `","name":"Ann"},"editor":null}`,
			"3": `{"id":3,"url":"u3","owner":{"id":"` + bob + `","name":"Bob"},"editor":{"name":"Bob"}}`,
			"4": `{"id":4,"url":"u4","owner":{"id":"` + bob + `","name":"Bob"},"editor":{"name":"Bob"}}`,
			"5": `{"id":5,"url":"u5","owner":{"id":"` + bob + `","name":"Bob"},"editor":{"name":"Bob"}}`,
		},
		"people": {
			ann: `{"id":"` + ann + `","name":"Ann","owned":[{"id":1,"url":"u1"},{"id":2,"url":"u2"}],"edited":[]}`,
			bob: `{"id":"` + bob + `","name":"Bob","owned":[{"id":3,"url":"u3"},{"id":4,"url":"u4"},{"id":5,"url":"u5"}],"edited":[{"id":5},{"id":4},{"id":3}]}`,
		},
	}
	for _, c := range photodocs.Collections() {
		keys, err := c.ScanKeys(ctx, pool, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := c.Build(ctx, pool, append(keys, "not-a-uuid", "42"))
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
