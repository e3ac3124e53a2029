package backendtest

import (
	"context"
	"runtime"
	"testing"
)

func (s *suite) testKeysLive(t *testing.T) {
	b := s.newBackend(t)
	wantKeys(t, keys(t, b, "docs"))

	var want []string
	for i := range 50 {
		put(t, b, "docs", doc(keyN(i), 1))
		if i%5 == 0 {
			del(t, b, "docs", 2, keyN(i))
			continue
		}
		want = append(want, keyN(i))
	}
	del(t, b, "docs", 2, "never-written")
	wantKeys(t, keys(t, b, "docs"), want...)
}

// testKeysMany pages through a collection larger than any sensible page, and
// breaks out of the loop early: the iterator must stop there and leave the
// backend usable (no lock held, no cursor left open that blocks writes).
func (s *suite) testKeysMany(t *testing.T) {
	n := s.opts.ManyKeys
	if n < 0 {
		t.Skip("Options.ManyKeys < 0")
	}
	b := s.newBackend(t)
	putMany(t, b, "many", n)

	got := keys(t, b, "many")
	if len(got) != n {
		t.Fatalf("Keys listed %d keys, want %d", len(got), n)
	}
	for i, k := range got {
		if k != keyN(i) {
			t.Fatalf("Keys: key %d is %q, want %q", i, k, keyN(i))
		}
	}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	seen := 0
	for k, err := range b.Keys(context.Background(), "many") {
		if err != nil {
			t.Fatalf("Keys: %v", err)
		}
		if k == "" {
			t.Fatalf("Keys listed an empty key")
		}
		seen++
		if seen == 3 {
			break
		}
	}
	runtime.ReadMemStats(&after)
	if seen != 3 {
		t.Fatalf("loop saw %d keys before break, want 3", seen)
	}
	// Holding all n keys takes at least a string header (16 bytes) and
	// the key's 8 bytes each; a page at a time takes a fraction of that.
	if alloc := after.TotalAlloc - before.TotalAlloc; !s.opts.KeysSnapshot && alloc > uint64(n)*8 {
		t.Errorf("reading 3 keys of %d allocated %d bytes: Keys seems to load every key (set Options.KeysSnapshot if it must)", n, alloc)
	}
	put(t, b, "many", doc(keyN(0), 2))
	del(t, b, "many", 2, keyN(1))
	s.wantDocs(t, get(t, b, "many", keyN(0), keyN(1)), doc(keyN(0), 2))
}

// testKeysWhileDeleting deletes every key the loop sees, as a full sync
// removing stale documents does: no deadlock, and every key is listed once.
func (s *suite) testKeysWhileDeleting(t *testing.T) {
	const n = 2500 // more than one page of most paginations
	b := s.newBackend(t)
	putMany(t, b, "docs", n)
	seen := make(map[string]bool)
	for k, err := range b.Keys(context.Background(), "docs") {
		if err != nil {
			t.Fatalf("Keys: %v", err)
		}
		if seen[k] {
			t.Fatalf("Keys listed %q twice", k)
		}
		seen[k] = true
		del(t, b, "docs", 5, k)
	}
	if len(seen) != n {
		t.Errorf("Keys listed %d keys while deleting them, want %d", len(seen), n)
	}
	for i := range n {
		if !seen[keyN(i)] {
			t.Fatalf("Keys missed %q", keyN(i))
		}
	}
	wantKeys(t, keys(t, b, "docs"))
}
