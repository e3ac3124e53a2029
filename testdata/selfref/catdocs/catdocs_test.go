package catdocs_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
	"github.com/denormgen/denormgen/testdata/selfref/catdocs"
)

// One foreign key read both ways: the parent chain up, the children down.
func TestSelfReference(t *testing.T) {
	pool := pgtest.New(t)
	ctx := context.Background()
	oracletest.Schema(t, pool, `
		INSERT INTO category VALUES (1, 'a', NULL), (2, 'b', 1), (3, 'c', 2), (4, 'd', 1)`)
	docs, err := catdocs.Collections()[0].Build(ctx, pool, []string{"1", "2", "3", "4", "5"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for k, d := range docs {
		got[k] = string(d)
	}
	want := map[string]string{
		"1": `{"id":1,"name":"a","parent":null,"children":[{"id":2,"name":"b"},{"id":4,"name":"d"}]}`,
		"2": `{"id":2,"name":"b","parent":{"id":1,"name":"a","parent":null},"children":[{"id":3,"name":"c"}]}`,
		"3": `{"id":3,"name":"c","parent":{"id":2,"name":"b","parent":{"id":1,"name":"a"}},"children":[]}`,
		"4": `{"id":4,"name":"d","parent":{"id":1,"name":"a","parent":null},"children":[]}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
