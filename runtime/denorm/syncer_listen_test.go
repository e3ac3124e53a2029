package denorm_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// Once Listening is closed, a commit wakes Run through NOTIFY: with polling
// set to an hour, the document can only arrive that way.
func TestRunWakesOnNotify(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 2)
	b := denorm.NewMemoryBackend()
	s := denorm.NewSyncer(pool, b, blogPosts{}).With(denorm.WithPollInterval(time.Hour))
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	select {
	case <-s.Listening():
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not start listening within 30s")
	}

	blogExec(t, pool, `UPDATE post SET title = 'woken' WHERE id = 1`)
	deadline := time.Now().Add(30 * time.Second)
	for {
		docs, err := b.Get(ctx, "posts", []string{"1"})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(docs["1"].JSON), "woken") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the update did not reach the backend within 30s: Run was not woken by NOTIFY")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
}
