package denorm_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/google/go-cmp/cmp"
)

// blogPostsAll is blogPosts with a BuildAll, as generated collections have:
// FullSync builds it in one snapshot, in one pass.
type blogPostsAll struct{ blogPosts }

func (c blogPostsAll) BuildAll(ctx context.Context, db denorm.DB, chunkSize int) iter.Seq2[map[string][]byte, error] {
	return func(yield func(map[string][]byte, error) bool) {
		for after := ""; ; {
			keys, err := c.ScanKeys(ctx, db, after, chunkSize)
			if err != nil {
				yield(nil, err)
				return
			}
			if len(keys) == 0 {
				return
			}
			built, err := c.Build(ctx, db, keys)
			if !yield(built, err) || err != nil {
				return
			}
			after = keys[len(keys)-1]
		}
	}
}

// fullSyncCollections are the posts collection without and with BuildAll.
var fullSyncCollections = []struct {
	name string
	col  denorm.Collection
}{{"by keys", blogPosts{}}, {"all in one pass", blogPostsAll{}}}

func TestVerifyAndFullSync(t *testing.T) {
	for _, c := range fullSyncCollections {
		t.Run(c.name, func(t *testing.T) { testVerifyAndFullSync(t, c.col) })
	}
}

func testVerifyAndFullSync(t *testing.T, col denorm.Collection) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 25)
	// Data that predates the syncer: nothing in the outbox to replay.
	blogExec(t, pool, `DELETE FROM denorm.outbox; ANALYZE post`)
	b := denorm.NewMemoryBackend()
	seed := []denorm.Doc{
		{Key: "1", Version: 1, JSON: []byte(`{"id": 1, "title": "old title", "comments": [], "tags": []}`)},
		{Key: "999", Version: 1, JSON: []byte(`{"id": 999}`)},
	}
	if err := b.Put(ctx, "posts", seed); err != nil {
		t.Fatal(err)
	}
	// Same value, other spelling: not a difference.
	want := blogWant(t, pool)
	if err := b.Put(ctx, "posts", []denorm.Doc{{Key: "2", Version: 1, JSON: respace(want["2"])}}); err != nil {
		t.Fatal(err)
	}

	type progress struct{ Done, Total int }
	var seen []progress
	s := denorm.NewSyncer(pool, b, col).With(
		denorm.WithBatchSize(10),
		denorm.WithProgress(func(collection string, done, total int) {
			if collection != "posts" {
				t.Errorf("progress for collection %q", collection)
			}
			seen = append(seen, progress{done, total})
		}),
	)

	r, err := s.Verify(ctx, "posts")
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for i := 3; i <= 25; i++ {
		missing = append(missing, itoa(i))
	}
	slices.Sort(missing)
	wantReport := denorm.Report{Missing: missing, Extra: []string{"999"}, Different: []string{"1"}, Checked: 25}
	if diff := cmp.Diff(wantReport, r); diff != "" {
		t.Errorf("Verify (-want +got):\n%s", diff)
	}
	if got := blogStored(t, b); len(got) != 3 {
		t.Errorf("Verify changed the backend: %v", sortedKeys(got))
	}

	st, err := s.FullSync(ctx, "posts")
	if err != nil {
		t.Fatal(err)
	}
	if st.Rebuilt != 25 || st.Deleted != 1 || st.FullSyncs != 1 {
		t.Errorf("FullSync stats = %+v, want 25 rebuilt, 1 deleted", st)
	}
	if diff := cmp.Diff([]progress{{10, 25}, {20, 25}, {25, 25}}, seen); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	blogCheck(t, pool, b)
	r, err = s.Verify(ctx, "posts")
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || r.Checked != 25 {
		t.Errorf("Verify after FullSync = %+v, want OK with 25 checked", r)
	}
}

// respace spells a JSON document with other white space.
func respace(doc string) []byte {
	var out []byte
	for _, c := range []byte(doc) {
		out = append(out, c)
		if c == ',' || c == ':' {
			out = append(out, ' ')
		}
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestFullSyncWhileWriting checks that a full sync racing writes leaves the
// outbox with what it may have missed: after a Drain, everything is exact.
func TestFullSyncWhileWriting(t *testing.T) {
	for _, c := range fullSyncCollections {
		t.Run(c.name, func(t *testing.T) { testFullSyncWhileWriting(t, c.col) })
	}
}

func testFullSyncWhileWriting(t *testing.T, col denorm.Collection) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 200)
	blogExec(t, pool, `DELETE FROM denorm.outbox`)
	b := denorm.NewMemoryBackend()
	// Stale documents of roots that are gone, and of one that comes back.
	blogExec(t, pool, `DELETE FROM post WHERE id > 150`)
	stale := make([]denorm.Doc, 0, 50)
	for i := 151; i <= 200; i++ {
		stale = append(stale, denorm.Doc{Key: itoa(i), Version: 1, JSON: []byte(`{}`)})
	}
	if err := b.Put(ctx, "posts", stale); err != nil {
		t.Fatal(err)
	}
	s := denorm.NewSyncer(pool, b, col).With(denorm.WithBatchSize(7))

	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			writer := newBlogWriter(pool, uint64(w+1))
			for !stop.Load() {
				if err := writer.write(ctx); err != nil {
					t.Errorf("write: %v", err)
					return
				}
			}
		})
	}
	_, err := s.FullSync(ctx, "posts")
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	blogCheck(t, pool, b)
}

func TestVerifySeveralBackends(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 3)
	first, second := denorm.NewMemoryBackend(), denorm.NewMemoryBackend()
	if _, err := denorm.NewSyncer(pool, first, blogPosts{}).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	s := denorm.NewSyncer(pool, first, blogPosts{}).With(denorm.WithBackends(second))
	r, err := s.Verify(ctx, "posts")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(denorm.Report{Missing: []string{"1", "2", "3"}, Checked: 3}, r); diff != "" {
		t.Errorf("Verify with an empty second backend (-want +got):\n%s", diff)
	}
	if _, err := s.FullSync(ctx, "posts"); err != nil {
		t.Fatal(err)
	}
	blogCheck(t, pool, second)
}

// failingPuts is a memory backend whose Put fails once it has taken n
// batches, slowly: by then the next chunk is loaded and waits to be taken.
type failingPuts struct {
	*denorm.MemoryBackend
	n atomic.Int32
}

func (b *failingPuts) Put(ctx context.Context, collection string, docs []denorm.Doc) error {
	if b.n.Add(-1) < 0 {
		time.Sleep(300 * time.Millisecond)
		return errors.New("backend down")
	}
	return b.MemoryBackend.Put(ctx, collection, docs)
}

// A full sync in one pass loads the next chunk while the backend takes the
// last one; when the backend fails, FullSync returns its error, and the
// loader stops instead of waiting to hand over its chunk.
func TestFullSyncBackendFailsMidway(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	blogExec(t, pool, blogSchema)
	blogExec(t, pool, blogInstallSQL(t))
	blogSeed(t, pool, 9000) // three chunks of a full sync
	for _, puts := range []int32{0, 1, 3} {
		b := &failingPuts{MemoryBackend: denorm.NewMemoryBackend()}
		b.n.Store(puts)
		s := denorm.NewSyncer(pool, b, blogPostsAll{}).With(denorm.WithBatchSize(1000))
		done := make(chan error, 1)
		go func() {
			_, err := s.FullSync(ctx, "posts")
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "backend down") {
				t.Errorf("after %d batches: FullSync = %v, want the backend's error", puts, err)
			}
		case <-time.After(30 * time.Second):
			// Stuck goroutines would hold the pool's connections and hang the
			// cleanup too: stop here, with their stacks.
			panic(fmt.Sprintf("after %d batches: FullSync did not return", puts))
		}
	}
}
