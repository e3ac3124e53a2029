package backendtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// doc makes a small document whose JSON names its key and version, so a
// mix-up between keys or versions shows in the JSON too.
func doc(key string, version int64) denorm.Doc {
	js, _ := json.Marshal(map[string]any{"key": key, "version": version})
	return denorm.Doc{Key: key, Version: version, JSON: js}
}

// docWith is doc with an extra field, to tell two puts of one version apart.
func docWith(key string, version int64, note string) denorm.Doc {
	js, _ := json.Marshal(map[string]any{"key": key, "version": version, "note": note})
	return denorm.Doc{Key: key, Version: version, JSON: js}
}

func put(t *testing.T, b denorm.Backend, collection string, docs ...denorm.Doc) {
	t.Helper()
	if err := b.Put(context.Background(), collection, docs); err != nil {
		t.Fatalf("Put(%q, %d docs): %v", collection, len(docs), err)
	}
}

func del(t *testing.T, b denorm.Backend, collection string, version int64, keys ...string) {
	t.Helper()
	if err := b.Delete(context.Background(), collection, keys, version); err != nil {
		t.Fatalf("Delete(%q, %q, %d): %v", collection, keys, version, err)
	}
}

func get(t *testing.T, b denorm.Backend, collection string, keys ...string) map[string]denorm.Doc {
	t.Helper()
	got, err := b.Get(context.Background(), collection, keys)
	if err != nil {
		t.Fatalf("Get(%q, %q): %v", collection, keys, err)
	}
	return got
}

// keys drains Keys, failing on an error or a key listed twice, and returns
// the keys sorted.
func keys(t *testing.T, b denorm.Backend, collection string) []string {
	t.Helper()
	var out []string
	seen := make(map[string]bool)
	for k, err := range b.Keys(context.Background(), collection) {
		if err != nil {
			t.Fatalf("Keys(%q): %v", collection, err)
		}
		if seen[k] {
			t.Fatalf("Keys(%q) listed %q twice", collection, k)
		}
		seen[k] = true
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// wantDocs checks that got holds exactly want, by key.
func (s *suite) wantDocs(t *testing.T, got map[string]denorm.Doc, want ...denorm.Doc) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d documents %q, want %d %q", len(got), sortedKeys(got), len(want), docKeys(want))
	}
	for _, w := range want {
		g, ok := got[w.Key]
		if !ok {
			t.Errorf("document %q missing", w.Key)
			continue
		}
		if g.Key != w.Key || g.Version != w.Version {
			t.Errorf("document %q: got key %q version %d, want version %d", w.Key, g.Key, g.Version, w.Version)
		}
		if err := s.sameJSON(g.JSON, w.JSON); err != nil {
			t.Errorf("document %q: %v", w.Key, err)
		}
	}
}

func (s *suite) sameJSON(got, want []byte) error {
	if !s.opts.SemanticJSON {
		if !bytes.Equal(got, want) {
			return fmt.Errorf("JSON differs:\n got %s\nwant %s", abbrev(got), abbrev(want))
		}
		return nil
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		return fmt.Errorf("stored JSON does not parse: %v: %s", err, abbrev(got))
	}
	if err := json.Unmarshal(want, &w); err != nil {
		return fmt.Errorf("test JSON does not parse: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		return fmt.Errorf("JSON value differs:\n got %s\nwant %s", abbrev(got), abbrev(want))
	}
	return nil
}

func abbrev(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + fmt.Sprintf("... (%d bytes)", len(b))
	}
	return string(b)
}

func sortedKeys(m map[string]denorm.Doc) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func docKeys(docs []denorm.Doc) []string {
	var ks []string
	for _, d := range docs {
		ks = append(ks, d.Key)
	}
	slices.Sort(ks)
	return ks
}

func wantKeys(t *testing.T, got []string, want ...string) {
	t.Helper()
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Keys:\n got %q\nwant %q", got, want)
	}
}

// keyN is the n-th key of a generated collection, zero-padded so that byte
// order and numeric order agree in failure messages.
func keyN(n int) string { return fmt.Sprintf("k%07d", n) }

// putMany stores n small documents keyN(0..n-1) in batches.
func putMany(t *testing.T, b denorm.Backend, collection string, n int) {
	t.Helper()
	const batch = 1000
	docs := make([]denorm.Doc, 0, batch)
	for i := 0; i < n; i++ {
		docs = append(docs, denorm.Doc{Key: keyN(i), Version: 1, JSON: []byte(`{"n":` + fmt.Sprint(i) + `}`)})
		if len(docs) == batch || i == n-1 {
			put(t, b, collection, docs...)
			docs = docs[:0]
		}
	}
}
