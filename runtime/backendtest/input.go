package backendtest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/denormgen/denormgen/runtime/denorm"
)

func (s *suite) testContextCanceled(t *testing.T) {
	b := s.newBackend(t)
	put(t, b, "docs", doc("a", 1))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	if _, err := b.Get(ctx, "docs", []string{"a"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a cancelled context: got %v, want context.Canceled", err)
	}
	if err := b.Put(ctx, "docs", []denorm.Doc{doc("b", 1)}); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: got %v, want context.Canceled", err)
	}
	if err := b.Delete(ctx, "docs", []string{"a"}, 2); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete with a cancelled context: got %v, want context.Canceled", err)
	}
	var keysErr error
	for _, err := range b.Keys(ctx, "docs") {
		if err != nil {
			keysErr = err
			break
		}
	}
	if !errors.Is(keysErr, context.Canceled) {
		t.Errorf("Keys with a cancelled context: got %v, want context.Canceled", keysErr)
	}
	// The backend still works with a live context.
	s.wantDocs(t, get(t, b, "docs", "a"), doc("a", 1))
}

// oddKeys are keys a store's own syntax may trip on: separators, glob and
// pattern characters, quotes, escapes, non-ASCII text, whitespace.
var oddKeys = []string{
	":", "a:b", "::", "/", "a/b/../c", "ключ", "日本語", "emoji 🎉", " space ",
	"*", "?", "[x]", "{tag}", "}{", "%", "_", `'quote"`, `\`, "a\nb", "tab\t",
	"$id", ".dot", "-", "+inf", "(", strings.Repeat("long", 100),
}

func (s *suite) testOddKeys(t *testing.T) {
	b := s.newBackend(t)
	var docs []denorm.Doc
	for i, k := range oddKeys {
		docs = append(docs, doc(k, int64(i+1)))
	}
	put(t, b, "docs", docs...)
	s.wantDocs(t, get(t, b, "docs", oddKeys...), docs...)
	wantKeys(t, keys(t, b, "docs"), oddKeys...)

	del(t, b, "docs", 1000, "*", "%", "a:b")
	got := get(t, b, "docs", oddKeys...)
	if len(got) != len(oddKeys)-3 {
		t.Errorf("after deleting 3 keys, Get returned %d of %d", len(got), len(oddKeys))
	}
	for _, k := range []string{"*", "%", "a:b"} {
		if _, ok := got[k]; ok {
			t.Errorf("deleted key %q still present", k)
		}
	}
	if n := len(keys(t, b, "docs")); n != len(oddKeys)-3 {
		t.Errorf("after deleting 3 keys, Keys listed %d of %d", n, len(oddKeys))
	}
}

func (s *suite) testInvalidKeys(t *testing.T) {
	b := s.newBackend(t)
	ctx := context.Background()
	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, denorm.ErrInvalidKey) {
			t.Errorf("%s: got %v, want an error wrapping denorm.ErrInvalidKey", what, err)
		}
	}
	_, err := b.Get(ctx, "docs", []string{"a", ""})
	check("Get of an empty key", err)
	check("Put of an empty key", b.Put(ctx, "docs", []denorm.Doc{doc("ok", 1), doc("", 1)}))
	check("Delete of an empty key", b.Delete(ctx, "docs", []string{""}, 1))
	_, err = b.Get(ctx, "docs", []string{"\xff\xfe"})
	check("Get of a key that is not UTF-8", err)
	check("Put of a key that is not UTF-8", b.Put(ctx, "docs", []denorm.Doc{doc("\xff\xfe", 1)}))
	check("Put of a key with a NUL byte", b.Put(ctx, "docs", []denorm.Doc{doc("a\x00b", 1)}))
	check("Delete of a key with a NUL byte", b.Delete(ctx, "docs", []string{"a\x00b"}, 1))
	_, err = b.Get(ctx, "", []string{"a"})
	check("Get from an empty collection name", err)
	check("Put to an empty collection name", b.Put(ctx, "", []denorm.Doc{doc("a", 1)}))
	check("Delete from an empty collection name", b.Delete(ctx, "", []string{"a"}, 1))
	for _, err := range b.Keys(ctx, "") {
		check("Keys of an empty collection name", err)
		break
	}
	// Nothing of the refused batches was stored.
	s.wantDocs(t, get(t, b, "docs", "ok"))
}

func (s *suite) testTooLarge(t *testing.T) {
	limit := s.opts.MaxDocSize
	if limit <= 0 {
		t.Skip("Options.MaxDocSize not set")
	}
	b := s.newBackend(t)
	put(t, b, "docs", doc("over", 1))
	fits := denorm.Doc{Key: "fits", Version: 2, JSON: paddedJSON(limit)}
	over := denorm.Doc{Key: "over", Version: 2, JSON: paddedJSON(limit + 1)}
	err := b.Put(context.Background(), "docs", []denorm.Doc{doc("a", 1), over, fits})
	var tl *denorm.TooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("Put of a document over the limit: got %v, want a *denorm.TooLargeError", err)
	}
	if tl.Collection != "docs" || tl.Key != "over" || tl.Size != limit+1 || tl.Limit != limit {
		t.Errorf("got %+v, want collection docs, key over, size %d, limit %d", *tl, limit+1, limit)
	}
	if msg := err.Error(); !strings.Contains(msg, `"docs"`) || !strings.Contains(msg, `"over"`) {
		t.Errorf("error %q does not name the collection and key", msg)
	}
	// The older version of the oversized document is gone, not stale.
	s.wantDocs(t, get(t, b, "docs", "a", "over", "fits"), doc("a", 1), fits)
	put(t, b, "docs", doc("over", 1))
	s.wantDocs(t, get(t, b, "docs", "over"))
	put(t, b, "docs", doc("over", 3))
	s.wantDocs(t, get(t, b, "docs", "over"), doc("over", 3))
}

// paddedJSON is a JSON object of exactly n bytes (n >= 12).
func paddedJSON(n int) []byte {
	return []byte(`{"p":"` + strings.Repeat("x", n-8) + `"}`)
}
