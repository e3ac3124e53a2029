package denorm_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/denormgen/denormgen/gen"
	"github.com/denormgen/denormgen/runtime/denorm"
)

func TestDrainBuildsUpdatesAndDeletes(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 10)
	b := denorm.NewMemoryBackend()
	s := denorm.NewSyncer(pool, b, blogPosts{}).With(denorm.WithBatchSize(7))

	st, err := s.Drain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 10 posts + 20 comments + 3 tags + 10 post_tags, one outbox row per
	// statement. Batches of 7 changes take whole rows: 10, 20, then 3 + 10.
	if st.Changes != 43 || st.Batches != 3 || st.Rebuilt < 10 || st.Deleted != 0 {
		t.Errorf("stats = %+v, want 43 changes in 3 batches, at least 10 rebuilt, none deleted", st)
	}
	blogCheck(t, pool, b)
	if n := blogOutboxChanges(t, pool); n != 0 {
		t.Errorf("outbox has %d changes after Drain, want 0", n)
	}

	// A comment moving to another post changes both the old and the new one;
	// a tag rename reaches every post through the join table; a deleted post
	// loses its document.
	blogExec(t, pool, `UPDATE comment SET post_id = 2 WHERE id = 1`)
	blogExec(t, pool, `UPDATE tag SET name = 'golang' WHERE id = 1`)
	blogExec(t, pool, `DELETE FROM post WHERE id = 10`)
	st, err = s.Drain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Deleted != 1 {
		t.Errorf("stats = %+v, want 1 deleted", st)
	}
	blogCheck(t, pool, b)
	docs, err := b.Get(ctx, "posts", []string{"1", "2", "3", "10"})
	if err != nil {
		t.Fatal(err)
	}
	var p1, p2 struct{ Comments []struct{ ID int } }
	if err := json.Unmarshal(docs["1"].JSON, &p1); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(docs["2"].JSON, &p2); err != nil {
		t.Fatal(err)
	}
	if len(p1.Comments) != 1 || len(p2.Comments) != 3 {
		t.Errorf("after moving comment 1 from post 1 to 2: post 1 has %d comments, post 2 has %d; want 1 and 3", len(p1.Comments), len(p2.Comments))
	}
	if !strings.Contains(string(docs["3"].JSON), "golang") {
		t.Errorf("post 3 = %s, want the renamed tag golang", docs["3"].JSON)
	}
	if _, ok := docs["10"]; ok {
		t.Errorf("deleted post 10 still has a document")
	}

	// Nothing to do is not an error.
	st, err = s.Drain(ctx)
	if err != nil || st.Changes != 0 {
		t.Errorf("Drain of an empty outbox = %+v, %v; want no changes, no error", st, err)
	}
}

func TestDrainVersionsGrow(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 2)
	b := denorm.NewMemoryBackend()
	s := denorm.NewSyncer(pool, b, blogPosts{})
	if _, err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	before, err := b.Get(ctx, "posts", []string{"1"})
	if err != nil {
		t.Fatal(err)
	}
	blogExec(t, pool, `UPDATE post SET title = 'again' WHERE id = 1`)
	if _, err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := b.Get(ctx, "posts", []string{"1"})
	if err != nil {
		t.Fatal(err)
	}
	if after["1"].Version <= before["1"].Version {
		t.Errorf("version after an update = %d, before = %d; want it to grow", after["1"].Version, before["1"].Version)
	}
}

func TestDrainSkipsRowsClaimedElsewhere(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogExec(t, pool, `INSERT INTO post VALUES (1, 'one')`)
	blogExec(t, pool, `INSERT INTO post VALUES (2, 'two')`)

	// Another syncer holds the first change.
	other, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Rollback(ctx)
	blogExec(t, other, `SELECT id FROM denorm.outbox ORDER BY id LIMIT 1 FOR UPDATE`)

	b := denorm.NewMemoryBackend()
	st, err := denorm.NewSyncer(pool, b, blogPosts{}).Drain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Changes != 1 {
		t.Errorf("Drain processed %d changes, want only the unclaimed one", st.Changes)
	}
	docs, err := b.Get(ctx, "posts", []string{"1", "2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := docs["1"]; ok || docs["2"].JSON == nil {
		t.Errorf("documents = %v, want post 2 only", sortedKeys(docs))
	}
	if n := blogOutboxChanges(t, pool); n != 1 {
		t.Errorf("outbox has %d changes, want the claimed one left", n)
	}
}

func TestDrainTruncateResyncs(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 5)
	b := denorm.NewMemoryBackend()
	s := denorm.NewSyncer(pool, b, blogPosts{})
	if _, err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	blogExec(t, pool, `TRUNCATE post_tag`)
	st, err := s.Drain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.FullSyncs != 1 || st.Rebuilt != 5 {
		t.Errorf("after TRUNCATE post_tag: stats = %+v, want one full sync rebuilding 5", st)
	}
	blogCheck(t, pool, b)

	blogExec(t, pool, `TRUNCATE post CASCADE`)
	st, err = s.Drain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Deleted != 5 {
		t.Errorf("after TRUNCATE post: stats = %+v, want 5 deleted", st)
	}
	if docs := blogStored(t, b); len(docs) != 0 {
		t.Errorf("documents left after TRUNCATE: %v", sortedKeys(docs))
	}
}

func TestSyncerSeveralBackends(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 3)
	first, second := denorm.NewMemoryBackend(), denorm.NewMemoryBackend()
	s := denorm.NewSyncer(pool, first, blogPosts{}).With(denorm.WithBackends(second))
	if _, err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	blogCheck(t, pool, first)
	blogCheck(t, pool, second)
}

func TestSyncerDropsTooLargeDocuments(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogExec(t, pool, `INSERT INTO post VALUES (1, 'short'), (2, repeat('x', 1000))`)
	b := denorm.NewMemoryBackend(denorm.WithMemoryMaxDocSize(200))
	st, err := denorm.NewSyncer(pool, b, blogPosts{}).Drain(ctx)
	if err != nil {
		t.Fatalf("Drain: %v; want a document no backend can store not to block the outbox", err)
	}
	if st.Changes != 2 {
		t.Errorf("stats = %+v, want both changes processed", st)
	}
	if docs := blogStored(t, b); len(docs) != 1 || docs["1"].JSON == nil {
		t.Errorf("stored %v, want post 1 only", sortedKeys(docs))
	}
}

func TestSyncerConfigErrors(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	b := denorm.NewMemoryBackend()
	for _, tc := range []struct {
		name string
		s    *denorm.Syncer
		want string
	}{
		{"nil backend", denorm.NewSyncer(pool, nil, blogPosts{}), "nil backend"},
		{"nil pool", denorm.NewSyncer(nil, b, blogPosts{}), "nil pool"},
		{"duplicate", denorm.NewSyncer(pool, b, blogPosts{}, blogPosts{}), `collection "posts" given twice`},
		{"batch size", denorm.NewSyncer(pool, b, blogPosts{}).With(denorm.WithBatchSize(0)), "size must be positive"},
		{"backoff", denorm.NewSyncer(pool, b, blogPosts{}).With(denorm.WithBackoff(0, 1)), "need 0 < min <= max"},
		{"nil extra backend", denorm.NewSyncer(pool, b, blogPosts{}).With(denorm.WithBackends(nil)), "backend 0 is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.s.Drain(ctx); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Drain: %v, want an error containing %q", err, tc.want)
			}
			if err := tc.s.Run(ctx); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Run: %v, want an error containing %q", err, tc.want)
			}
		})
	}
	s := denorm.NewSyncer(pool, b, blogPosts{})
	if _, err := s.FullSync(ctx, "post"); err == nil || !strings.Contains(err.Error(), `unknown collection "post" (the syncer has: posts)`) {
		t.Errorf("FullSync of an unknown collection: %v", err)
	}
	if _, err := s.Verify(ctx, "nope"); err == nil || !strings.Contains(err.Error(), `unknown collection "nope"`) {
		t.Errorf("Verify of an unknown collection: %v", err)
	}
}

// generatedDeps is blogPosts resolving changes with the Dependencies gen
// emits for blogConfig instead of hand-written ones.
type generatedDeps struct {
	blogPosts
	deps []denorm.Dependency
}

func (c generatedDeps) Dependencies() []denorm.Dependency { return c.deps }

// TestDrainWithGeneratedDependencies drives the Syncer with the resolution
// SQL of gen: random writes of every kind, then one Drain, must leave every
// document exact.
func TestDrainWithGeneratedDependencies(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 20)
	col := generatedDeps{deps: gen.Dependencies(blogGraph(t).Collections[0])}
	if len(col.deps) != 4 {
		t.Fatalf("gen.Dependencies returned %d tables, want post, comment, post_tag and tag", len(col.deps))
	}
	b := denorm.NewMemoryBackend()
	s := denorm.NewSyncer(pool, b, col).With(denorm.WithBatchSize(13))
	writer := newBlogWriter(pool, 1)
	// Small rounds, each checked: a change some resolution missed is seen
	// before a later change to the same post repairs it.
	for round := range 30 {
		for range 10 {
			if err := writer.write(ctx); err != nil {
				t.Fatalf("write: %v", err)
			}
		}
		if _, err := s.Drain(ctx); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		blogCheck(t, pool, b)
	}
}
