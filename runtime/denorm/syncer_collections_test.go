package denorm_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/jackc/pgx/v5"
)

// blogTags is a second collection over the blog schema: one document per
// tag, reading only the tag table.
type blogTags struct{}

func (blogTags) Name() string { return "tags" }

func (blogTags) Build(ctx context.Context, db denorm.DB, keys []string) (map[string][]byte, error) {
	rows, err := db.Query(ctx, `
		SELECT t.id::text, json_build_object('id', t.id, 'name', t.name)::text
		FROM tag t WHERE t.id = ANY($1::text[]::bigint[])`, keys)
	if err != nil {
		return nil, fmt.Errorf("build tags: %w", err)
	}
	docs := map[string][]byte{}
	var key, doc string
	_, err = pgx.ForEachRow(rows, []any{&key, &doc}, func() error {
		docs[key] = []byte(doc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("build tags: %w", err)
	}
	return docs, nil
}

func (blogTags) ScanKeys(ctx context.Context, db denorm.DB, after string, limit int) ([]string, error) {
	rows, err := db.Query(ctx, `
		SELECT t.id::text FROM tag t
		WHERE t.id > COALESCE(NULLIF($1, '')::bigint, -9223372036854775808)
		ORDER BY t.id LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("scan tags: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func (blogTags) Tables() []string { return []string{"public.tag"} }

func (blogTags) Dependencies() []denorm.Dependency {
	return []denorm.Dependency{{Table: "public.tag", SQL: recorded("id")}}
}

func TestSyncerRoutesChangesPerCollection(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 4)
	b := denorm.NewMemoryBackend()
	s := denorm.NewSyncer(pool, b, blogPosts{}, blogTags{})
	verify := func(when string) {
		t.Helper()
		for _, c := range []string{"posts", "tags"} {
			r, err := s.Verify(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			if !r.OK() {
				t.Errorf("%s: Verify(%s) = %+v", when, c, r)
			}
		}
	}
	if _, err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	verify("after the first Drain")

	// A change to a post touches only posts.
	blogExec(t, pool, `UPDATE post SET title = 'x' WHERE id = 1`)
	st, err := s.Drain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rebuilt != 1 {
		t.Errorf("a post update rebuilt %d documents, want 1", st.Rebuilt)
	}

	// A tag rename changes the tag and every post that has it.
	blogExec(t, pool, `UPDATE tag SET name = 'golang' WHERE id = 1`)
	if _, err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	verify("after a tag rename")

	// Truncating posts resyncs posts, not tags.
	blogExec(t, pool, `TRUNCATE post CASCADE`)
	st, err = s.Drain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.FullSyncs != 1 || st.Deleted != 4 {
		t.Errorf("after TRUNCATE post CASCADE: stats = %+v, want one full sync deleting 4 posts", st)
	}
	verify("after TRUNCATE post")
	if tags, err := b.Get(ctx, "tags", []string{"1", "2", "3"}); err != nil || len(tags) != 3 {
		t.Errorf("tags after TRUNCATE post: %d documents (%v), want 3", len(tags), err)
	}

	blogExec(t, pool, `DELETE FROM tag`)
	if _, err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	verify("after deleting every tag")
}
