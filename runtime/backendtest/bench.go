package backendtest

import (
	"context"
	"fmt"
	"testing"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// Bench measures a backend's batch writes and reads, the operations a Syncer
// and a Cache lean on: Put and Get of 100 documents of about 1 KB, and Keys
// over 10000 documents.
func Bench(b *testing.B, newBackend func(tb testing.TB) denorm.Backend) {
	ctx := context.Background()
	const batch = 100
	body := largeJSON(1 << 10)
	docs := func(version int64) []denorm.Doc {
		out := make([]denorm.Doc, batch)
		for i := range out {
			out[i] = denorm.Doc{Key: keyN(i), Version: version, JSON: body}
		}
		return out
	}
	b.Run("Put100", func(b *testing.B) {
		be := newBackend(b)
		b.SetBytes(int64(batch * len(body)))
		v := int64(0)
		for b.Loop() {
			v++
			if err := be.Put(ctx, "bench", docs(v)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Get100", func(b *testing.B) {
		be := newBackend(b)
		if err := be.Put(ctx, "bench", docs(1)); err != nil {
			b.Fatal(err)
		}
		keys := make([]string, batch)
		for i := range keys {
			keys[i] = keyN(i)
		}
		b.SetBytes(int64(batch * len(body)))
		for b.Loop() {
			got, err := be.Get(ctx, "bench", keys)
			if err != nil || len(got) != batch {
				b.Fatalf("Get: %d documents, %v", len(got), err)
			}
		}
	})
	b.Run("Keys10000", func(b *testing.B) {
		be := newBackend(b)
		const n = 10000
		for start := 0; start < n; start += 1000 {
			var ds []denorm.Doc
			for i := start; i < start+1000; i++ {
				ds = append(ds, denorm.Doc{Key: keyN(i), Version: 1, JSON: []byte(fmt.Sprintf(`{"n":%d}`, i))})
			}
			if err := be.Put(ctx, "bench", ds); err != nil {
				b.Fatal(err)
			}
		}
		for b.Loop() {
			count := 0
			for _, err := range be.Keys(ctx, "bench") {
				if err != nil {
					b.Fatal(err)
				}
				count++
			}
			if count != n {
				b.Fatalf("Keys listed %d, want %d", count, n)
			}
		}
	})
}
