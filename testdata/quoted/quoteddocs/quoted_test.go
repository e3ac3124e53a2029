package quoteddocs_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
	"github.com/denormgen/denormgen/testdata/quoted/quoteddocs"
)

// Reserved and upper-case names survive the trip through the generated SQL,
// and the orders collection keeps only the rows its where admits.
func TestQuotedNames(t *testing.T) {
	pool := pgtest.New(t)
	ctx := context.Background()
	oracletest.Schema(t, pool)
	if _, err := pool.Exec(ctx, `
		INSERT INTO "group" VALUES (1, 'One'), (2, 'Two');
		INSERT INTO "Order" VALUES (10, 1, 'a', 1.50), (11, 1, NULL, 20), (12, 1, 'c', NULL), (13, 2, 'd', 0.10)`); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"groups": {
			// DESC puts NULL first, as PostgreSQL orders it.
			"1": `{"id":1,"Name":"One","orders":[{"id":12,"select":"c","total":null},{"id":11,"select":null,"total":20},{"id":10,"select":"a","total":1.50}]}`,
			"2": `{"id":2,"Name":"Two","orders":[{"id":13,"select":"d","total":0.10}]}`,
		},
		"orders": {
			"10": `{"id":10,"select":"a","group":{"Name":"One"}}`,
			"12": `{"id":12,"select":"c","group":{"Name":"One"}}`,
			"13": `{"id":13,"select":"d","group":{"Name":"Two"}}`,
		},
	}
	for _, c := range quoteddocs.Collections() {
		keys, err := c.ScanKeys(ctx, pool, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := c.Build(ctx, pool, append(keys, "11"))
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
