package denorm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// A document over a backend's size limit is not lost: its root goes back
// in the outbox, the rest of the outbox moves on, and once the row shrinks
// the document is stored and the outbox empties.
func TestDrainKeepsTooLargeInOutbox(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 3)
	b := denorm.NewMemoryBackend(denorm.WithMemoryMaxDocSize(2000))
	s := denorm.NewSyncer(pool, b, blogPosts{})
	if _, err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}

	blogExec(t, pool, `UPDATE post SET title = repeat('x', 5000) WHERE id = 2`)
	blogExec(t, pool, `UPDATE post SET title = 'small change' WHERE id = 3`)
	st, err := s.Drain(ctx)
	if err != nil {
		t.Fatalf("Drain: %v", err)
	}
	if st.Requeued != 1 {
		t.Errorf("stats = %+v, want 1 requeued", st)
	}
	if n := blogOutboxChanges(t, pool); n != 1 {
		t.Errorf("outbox has %d changes, want the oversized root kept", n)
	}
	docs, err := b.Get(ctx, "posts", []string{"2", "3"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := docs["2"]; ok {
		t.Errorf("post 2 still has its old document: an oversized rebuild must not leave it readable")
	}
	if !strings.Contains(string(docs["3"].JSON), "small change") {
		t.Errorf("post 3 = %s: other changes must not wait for the oversized one", docs["3"].JSON)
	}

	// Retried and refused again: still kept, still one row.
	if st, err = s.Drain(ctx); err != nil || st.Requeued != 1 {
		t.Fatalf("second Drain = %+v, %v; want it requeued again", st, err)
	}
	if n := blogOutboxChanges(t, pool); n != 1 {
		t.Errorf("outbox has %d changes after a retry, want 1", n)
	}

	// Fixed at the source: stored, and the outbox is empty.
	blogExec(t, pool, `UPDATE post SET title = 'short again' WHERE id = 2`)
	if st, err = s.Drain(ctx); err != nil || st.Requeued != 0 {
		t.Fatalf("Drain after the fix = %+v, %v", st, err)
	}
	if n := blogOutboxChanges(t, pool); n != 0 {
		t.Errorf("outbox has %d changes after the fix, want 0", n)
	}
	blogCheck(t, pool, b)
}
