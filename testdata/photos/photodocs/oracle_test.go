package photodocs_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
	"github.com/denormgen/denormgen/testdata/photos/photodocs"
)

// peopleOracle is the people collection as PostgreSQL computes it.
const peopleOracle = `
SELECT p.id::text, json_build_object('id', p.id, 'name', p.name,
  'owned', coalesce((
    SELECT json_agg(json_build_object('id', ph.id, 'url', ph.url) ORDER BY ph.id)
    FROM photo ph WHERE ph.owner_id = p.id), '[]'),
  'edited', coalesce((
    SELECT json_agg(json_build_object('id', e.id) ORDER BY e.id DESC)
    FROM (SELECT * FROM photo WHERE editor_id = p.id ORDER BY id DESC LIMIT 3) e), '[]'))
FROM person p`

// A full build of people, whose key is a uuid, reads the owned photos as one
// stream sorted by uuid, chunk by chunk of roots in uuid order: every
// document equals the oracle's, as does every document built by key.
func TestPeopleFullBuildByUUID(t *testing.T) {
	pool := pgtest.New(t)
	ctx := context.Background()
	// uuids in every order of their bytes (md5 spreads them), people
	// without photos, photos with and without an editor.
	oracletest.Schema(t, pool, `
		INSERT INTO person SELECT md5(g::text)::uuid, 'p' || g FROM generate_series(1, 1500) g;
		INSERT INTO photo SELECT g, 'u' || g, md5((g % 1300 + 1)::text)::uuid,
			CASE WHEN g % 4 = 0 THEN NULL ELSE md5((g * 7 % 1500 + 1)::text)::uuid END
		FROM generate_series(1, 4000) g`)
	want, keys := oracletest.Docs(t, pool, peopleOracle)
	var people denorm.Collection
	for _, c := range photodocs.Collections() {
		if c.Name() == "people" {
			people = c
		}
	}
	snap, err := denorm.BeginSnapshot(ctx, pool, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	all, chunks := oracletest.BuildAll(t, people, snap, 200)
	if chunks < 5 {
		t.Errorf("the full build read %d chunks; want several, to cross chunk boundaries", chunks)
	}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("BuildAll differs from the oracle (-oracle +built):\n%s", diff)
	}
	got := oracletest.Build(t, people, pool, keys)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Build differs from the oracle (-oracle +built):\n%s", diff)
	}
}
