package backendtest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// testLargeDocument round-trips a document of Options.LargeDoc bytes (or the
// size limit if lower) with whitespace, escapes and non-ASCII text, byte for
// byte unless the backend normalizes JSON.
func (s *suite) testLargeDocument(t *testing.T) {
	size := s.opts.LargeDoc
	if s.opts.MaxDocSize > 0 {
		size = min(size, s.opts.MaxDocSize)
	}
	b := s.newBackend(t)
	big := denorm.Doc{Key: "big", Version: 7, JSON: largeJSON(size)}
	put(t, b, "docs", big, doc("small", 1))
	s.wantDocs(t, get(t, b, "docs", "big", "small"), big, doc("small", 1))
}

func largeJSON(size int) []byte {
	type item struct {
		I    int      `json:"i"`
		Text string   `json:"text"`
		Tags []string `json:"tags"`
		Ok   bool     `json:"ok"`
		Null *int     `json:"null"`
	}
	text := strings.Repeat("héllo wörld ✓ \"quoted\" back\\slash\ttab ", 4)
	var items []item
	n := 0
	for i := 0; n < size; i++ {
		it := item{I: i, Text: fmt.Sprint(i, text), Tags: []string{"a", "日本", fmt.Sprint(i % 7)}, Ok: i%2 == 0}
		items = append(items, it)
		n += len(it.Text) + 80 // the item's rough JSON size
	}
	for {
		js, err := json.MarshalIndent(map[string]any{"key": "big", "items": items}, "", " ")
		if err != nil {
			panic(err) // plain values always marshal
		}
		if len(js) <= size || len(items) == 0 {
			return js
		}
		items = items[:len(items)*size/len(js)]
	}
}

// testConcurrentWriters lets several goroutines write puts and deletes of the
// same keys with distinct versions in random order; each key must end as its
// highest-versioned write left it.
func (s *suite) testConcurrentWriters(t *testing.T) {
	const (
		nKeys    = 20
		versions = 60
		writers  = 6
	)
	b := s.newBackend(t)
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0))

	type op struct {
		key     string
		version int64
		delete  bool
	}
	var ops []op
	final := make(map[string]op)
	for k := range nKeys {
		for v := 1; v <= versions; v++ {
			o := op{key: keyN(k), version: int64(v), delete: r.IntN(4) == 0}
			ops = append(ops, o)
			final[o.key] = o // versions ascend, so the last one wins
		}
	}
	r.Shuffle(len(ops), func(i, j int) { ops[i], ops[j] = ops[j], ops[i] })

	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		mine := ops[w*len(ops)/writers : (w+1)*len(ops)/writers]
		wg.Go(func() {
			ctx := context.Background()
			for len(mine) > 0 {
				o := mine[0]
				if o.delete {
					mine = mine[1:]
					if err := b.Delete(ctx, "docs", []string{o.key}, o.version); err != nil {
						errs <- err
						return
					}
					continue
				}
				// Batch up to 4 consecutive puts.
				var batch []denorm.Doc
				for len(mine) > 0 && !mine[0].delete && len(batch) < 4 {
					batch = append(batch, doc(mine[0].key, mine[0].version))
					mine = mine[1:]
				}
				if err := b.Put(ctx, "docs", batch); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent write: %v", err)
	}

	var want []denorm.Doc
	var live, all []string
	for k := range nKeys {
		all = append(all, keyN(k))
		if o := final[keyN(k)]; !o.delete {
			want = append(want, doc(o.key, o.version))
			live = append(live, o.key)
		}
	}
	s.wantDocs(t, get(t, b, "docs", all...), want...)
	wantKeys(t, keys(t, b, "docs"), live...)
}
